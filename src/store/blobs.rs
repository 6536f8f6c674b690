//! Content-addressed blobs: manifests, configs and layer blobs exactly as they were pulled,
//! so push and save reproduce the same digests.

use super::{Files, Result, StoreError};
use crate::image::manifest::{digest_hex, digest_of};
use std::io::Write;
use std::path::{Path, PathBuf};

impl Files {
    pub fn blob_path(&self, digest: &str) -> Result<PathBuf> {
        let hex = digest_hex(digest).ok_or_else(|| StoreError::BadDigest(digest.to_string()))?;
        Ok(self.root.join("blobs/sha256").join(hex))
    }

    pub fn has_blob(&self, digest: &str) -> bool {
        self.blob_path(digest).is_ok_and(|p| p.exists())
    }

    /// Store small blobs (manifests, configs) after checking they match their digest.
    pub fn write_blob(&self, digest: &str, bytes: &[u8]) -> Result<()> {
        let actual = digest_of(bytes);
        if actual != digest {
            return Err(StoreError::CorruptBlob {
                digest: digest.to_string(),
                actual,
            });
        }
        let dest = self.blob_path(digest)?;
        if dest.exists() {
            return Ok(());
        }
        let staging = self.staging_dir()?;
        let tmp = staging.join("blob");
        let io = |what, path: &Path| {
            let path = path.to_path_buf();
            move |source| StoreError::Io { what, path, source }
        };
        let mut f = std::fs::File::create(&tmp).map_err(io("create", &tmp))?;
        f.write_all(bytes).map_err(io("write", &tmp))?;
        f.sync_all().map_err(io("sync", &tmp))?;
        self.commit_blob_file(&tmp, digest)?;
        let _ = std::fs::remove_dir(&staging);
        Ok(())
    }

    /// Move a fully written and verified file into the blob store.
    pub fn commit_blob_file(&self, tmp: &Path, digest: &str) -> Result<()> {
        let dest = self.blob_path(digest)?;
        std::fs::rename(tmp, &dest).map_err(|source| StoreError::Io {
            what: "commit blob",
            path: dest,
            source,
        })
    }

    pub fn read_blob(&self, digest: &str) -> Result<Vec<u8>> {
        let path = self.blob_path(digest)?;
        std::fs::read(&path).map_err(|source| StoreError::Io {
            what: "read blob",
            path,
            source,
        })
    }

    pub fn remove_blob(&self, digest: &str) -> Result<()> {
        let path = self.blob_path(digest)?;
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(StoreError::Io {
                what: "remove blob",
                path,
                source: e,
            }),
            _ => Ok(()),
        }
    }

    /// Every blob file present, by digest.
    pub fn blob_digests(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.root.join("blobs/sha256")) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .map(|hex| format!("sha256:{hex}"))
            .collect()
    }
}
