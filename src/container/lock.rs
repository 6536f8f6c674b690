//! One lock per container, held while it is started and while it is removed, so a `start`
//! and an `rm` of the same container (or two starts) happen one after the other, never
//! interleaved. It is a `flock` on a file in the runtime dir: it goes with the process that
//! holds it, so a killed command never leaves it taken.
//!
//! Whoever takes it must read the container's row again: the container may have been
//! removed (and the lock file unlinked) while it waited.

use super::{ContainerError, Result};
use crate::paths::Paths;
use std::fs::File;
use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;

pub struct Lock {
    _file: File,
    path: PathBuf,
}

fn path(paths: &Paths, id: &str) -> PathBuf {
    paths.runtime.join("locks").join(id)
}

/// Waits for the container's lock.
pub fn lock(paths: &Paths, id: &str) -> Result<Lock> {
    let path = path(paths, id);
    let open = || {
        File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
    };
    let file = match open() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                let _ = std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(dir);
            }
            open()
        }
        r => r,
    }
    .map_err(super::io("open the container lock", &path))?;
    rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive).map_err(|e| {
        ContainerError::Io {
            what: "lock",
            path: path.clone(),
            source: e.into(),
        }
    })?;
    Ok(Lock { _file: file, path })
}

impl Lock {
    /// The container is gone: so is its lock file (whoever still waits on it finds no row).
    pub fn remove_file(&self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let paths =
            Paths::resolve(Some(&dir.path().join("d")), Some(&dir.path().join("r"))).unwrap();
        let first = lock(&paths, "abc").unwrap();
        let p2 = paths.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let t = std::thread::spawn(move || {
            let l = lock(&p2, "abc").unwrap();
            tx.send(()).unwrap();
            drop(l);
        });
        assert!(rx
            .recv_timeout(std::time::Duration::from_millis(200))
            .is_err());
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
        t.join().unwrap();
    }
}
