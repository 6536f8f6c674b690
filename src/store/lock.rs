//! A store-wide advisory lock: writers that add objects share it, garbage collection takes it
//! alone, so a layer can never be deleted under a pull that decided to reuse it.

use super::{Result, StoreError};
use std::fs::File;
use std::path::Path;

pub struct StoreLock {
    _file: File,
}

impl StoreLock {
    pub fn shared(root: &Path) -> Result<StoreLock> {
        Self::take(root, rustix::fs::FlockOperation::LockShared)
    }

    pub fn exclusive(root: &Path) -> Result<StoreLock> {
        Self::take(root, rustix::fs::FlockOperation::LockExclusive)
    }

    /// Held only while the database is created or upgraded, never by a pull or a GC, so a
    /// first open does not wait for them.
    pub fn schema(root: &Path) -> Result<StoreLock> {
        Self::take_file(
            root,
            "schema.lock",
            rustix::fs::FlockOperation::LockExclusive,
        )
    }

    fn take(root: &Path, op: rustix::fs::FlockOperation) -> Result<StoreLock> {
        Self::take_file(root, "store.lock", op)
    }

    fn take_file(root: &Path, name: &str, op: rustix::fs::FlockOperation) -> Result<StoreLock> {
        let path = root.join(name);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| StoreError::Io {
                what: "open lock",
                path: path.clone(),
                source,
            })?;
        rustix::fs::flock(&file, op).map_err(|e| StoreError::Io {
            what: "lock",
            path,
            source: e.into(),
        })?;
        Ok(StoreLock { _file: file })
    }
}
