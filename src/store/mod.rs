//! The per-user store: SQLite metadata beside content-addressed blobs and extracted layers.
//!
//! Every object becomes visible only once complete: files are staged under `tmp/`, renamed
//! into place, and only then is the row committed. A crash leaves garbage in `tmp/` (swept by
//! the next writer), never a half object that looks whole.

mod blobs;
mod containers;
mod images;
mod lock;
mod schema;

pub use containers::{ContainerRecord, State};
pub use images::{match_image, with_default_tag, ImageRecord, LayerRecord, NewImage};
pub use lock::StoreLock;

use crate::paths::{Paths, PathsError};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Paths(#[from] PathsError),
    #[error("store database {path}: {source}")]
    Db {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("store: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}: image not known")]
    ImageNotFound(String),
    #[error("{name}: ambiguous image id prefix, matches {count} images: give more characters")]
    Ambiguous { name: String, count: usize },
    #[error("no container with name or ID \"{0}\" found: no such container")]
    ContainerNotFound(String),
    #[error(
        "{name}: ambiguous container ID prefix, matches {count} containers: give more characters"
    )]
    AmbiguousContainer { name: String, count: usize },
    #[error("the container name \"{name}\" is already in use by {id}. You have to remove that container to be able to reuse that name: that name is already in use")]
    NameInUse { name: String, id: String },
    #[error("invalid digest {0:?}")]
    BadDigest(String),
    #[error("blob {digest} is corrupt: its content hashes to {actual}")]
    CorruptBlob { digest: String, actual: String },
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub struct Store {
    paths: Paths,
    files: Files,
    conn: Connection,
    /// Truncate a grown WAL on close (see `Drop`).
    tidy_wal: bool,
}

impl Store {
    /// Open (creating on first use) the store under `paths.data`.
    pub fn open(paths: &Paths) -> Result<Store> {
        paths.ensure_data()?;
        let db = paths.db();
        let conn = Connection::open(&db).map_err(|source| StoreError::Db {
            path: db.clone(),
            source,
        })?;
        let db_error = |source| StoreError::Db {
            path: db.clone(),
            source,
        };
        if !schema::configure(&conn).map_err(db_error)? {
            let _only_us = StoreLock::schema(&paths.data)?;
            schema::initialize(&conn).map_err(db_error)?;
        }
        Ok(Store {
            paths: paths.clone(),
            files: Files {
                root: paths.data.clone(),
            },
            conn,
            tidy_wal: true,
        })
    }

    /// Leave the WAL as it is on close: for monitors, which close the store by the hundred
    /// at once when many containers stop, where the truncating checkpoints would only hold
    /// each other up. The next command truncates it.
    pub fn leave_wal(mut self) -> Store {
        self.tidy_wal = false;
        self
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    pub fn files(&self) -> &Files {
        &self.files
    }
}

/// Past this size the WAL is checkpointed and truncated when a store is closed.
const WAL_TRUNCATE_BYTES: u64 = 256 * 1024;

impl Drop for Store {
    /// Each lodger command is usually the only process with the database open, so SQLite
    /// rebuilds its WAL index at every open by reading the whole WAL, and a checkpoint made by
    /// one process never lets the next one start the WAL over: it grew to SQLite's 4 MB
    /// limit, which every `run` then read. Truncating it once it passes 256 kB keeps that
    /// read short for the price of a checkpoint every few commands. Never waits: when
    /// another process is busy with the database, a later command does it.
    fn drop(&mut self) {
        if !self.tidy_wal {
            return;
        }
        let mut wal = self.paths.db().into_os_string();
        wal.push("-wal");
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > WAL_TRUNCATE_BYTES) {
            let _ = self.conn.busy_handler(None);
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
    }
}

impl std::ops::Deref for Store {
    type Target = Files;
    fn deref(&self) -> &Files {
        &self.files
    }
}

/// The store's files without its database: shareable across the threads of a pull.
#[derive(Debug, Clone)]
pub struct Files {
    root: PathBuf,
}

impl Files {
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Directory holding the extracted tree of a layer (its `diff/` is the overlay lower dir).
    pub fn layer_dir(&self, chain_id: &str) -> Result<PathBuf> {
        let hex = crate::image::manifest::digest_hex(chain_id)
            .ok_or_else(|| StoreError::BadDigest(chain_id.to_string()))?;
        Ok(self.root.join("layers").join(hex))
    }

    /// A fresh staging directory under `tmp/`, named after this process so a sweep can tell
    /// a live writer's work from a dead one's.
    pub fn staging_dir(&self) -> Result<PathBuf> {
        let mut rnd = [0u8; 6];
        getrandom::getrandom(&mut rnd).map_err(|e| StoreError::Io {
            what: "random name for",
            path: self.root.join("tmp"),
            source: std::io::Error::other(e.to_string()),
        })?;
        let dir =
            self.root
                .join("tmp")
                .join(format!("{}-{}", std::process::id(), hex::encode(rnd)));
        std::fs::create_dir(&dir).map_err(|source| StoreError::Io {
            what: "create staging directory",
            path: dir.clone(),
            source,
        })?;
        Ok(dir)
    }

    /// Staging entries left by processes that no longer exist.
    pub fn stale_staging(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(self.root.join("tmp")) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok())
            .filter(|e| {
                let name = e.file_name();
                let pid = name
                    .to_str()
                    .and_then(|n| n.split('-').next()?.parse::<u32>().ok());
                match pid {
                    Some(pid) => !Path::new(&format!("/proc/{pid}")).exists(),
                    None => true,
                }
            })
            .map(|e| e.path())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Several processes opening a store that does not exist yet all succeed: the first
    /// commands after install are often many at once (a systemd target starting its units).
    #[test]
    fn concurrent_first_opens_all_succeed() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().expect("tempdir");
            let paths = Paths::under(dir.path());
            let opens: Vec<_> = (0..6)
                .map(|_| {
                    let paths = paths.clone();
                    std::thread::spawn(move || Store::open(&paths).map(|_| ()))
                })
                .collect();
            for open in opens {
                if let Err(e) = open.join().expect("thread") {
                    panic!("open failed: {e}");
                }
            }
        }
    }

    /// However many commands write, the WAL each open reads stays short.
    #[test]
    fn the_wal_stays_short() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::under(dir.path());
        for i in 0..300 {
            let store = Store::open(&paths).expect("open");
            store
                .conn
                .execute_batch(&format!(
                    "CREATE TABLE IF NOT EXISTS t (v TEXT); INSERT INTO t VALUES ('{}');",
                    "x".repeat(3000 + i)
                ))
                .expect("write");
        }
        let wal = std::fs::metadata(paths.data.join("lodger.db-wal")).map_or(0, |m| m.len());
        assert!(wal <= WAL_TRUNCATE_BYTES + 16 * 4096, "WAL of {wal} bytes");
        let rows: i64 = Store::open(&paths)
            .expect("open")
            .conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .expect("count");
        assert_eq!(rows, 300);
        // A monitor leaves a grown WAL to the next command.
        let wal_size =
            || std::fs::metadata(paths.data.join("lodger.db-wal")).map_or(0, |m| m.len());
        let store = Store::open(&paths).expect("open").leave_wal();
        for _ in 0..100 {
            store
                .conn
                .execute("INSERT INTO t VALUES (?1)", [&"y".repeat(4000)])
                .expect("write");
        }
        drop(store);
        assert!(
            wal_size() > WAL_TRUNCATE_BYTES,
            "WAL of {} bytes",
            wal_size()
        );
        drop(Store::open(&paths).expect("open"));
        assert_eq!(wal_size(), 0);
    }
}
