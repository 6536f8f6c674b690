//! Bringing one layer blob into the store: hash it, keep it, extract it in the user
//! namespace, verify both digests, and only then rename it into place.

use super::manifest::{Compression, Descriptor};
use super::progress::BlobProgress;
use super::{ImageError, Result};
use crate::registry::RegistryError;
use crate::store::{Files, LayerRecord};
use crate::userns::IdMapping;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

/// Passes bytes through while hashing them, keeping a copy, and reporting progress.
struct Tee<R> {
    inner: R,
    copy: File,
    hasher: Sha256,
    bytes: u64,
    progress: Box<dyn BlobProgress + Send>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.copy.write_all(&buf[..n])?;
        self.bytes += n as u64;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

/// Extract `body` into `staging`, verify it, and move it into the store. The caller
/// removes `staging` afterwards whatever happened.
#[allow(clippy::too_many_arguments)]
pub fn stage_layer(
    store: &Files,
    staging: &Path,
    mapping: &IdMapping,
    body: impl Read,
    progress: Box<dyn BlobProgress + Send>,
    desc: &Descriptor,
    compression: Compression,
    diff_id: &str,
    chain_id: &str,
) -> Result<LayerRecord> {
    let io_err = |what: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| ImageError::Io { what, path, source }
    };
    let blob_path = staging.join("blob");
    let layer_root = staging.join("layer");
    let diff = layer_root.join("diff");
    std::fs::create_dir_all(&diff).map_err(io_err("create", &diff))?;
    let copy = File::create(&blob_path).map_err(io_err("create", &blob_path))?;
    let mut tee = Tee {
        inner: body,
        copy,
        hasher: Sha256::new(),
        bytes: 0,
        progress,
    };
    let extracted = crate::layer::extract_layer(mapping, &mut tee, compression, &diff);
    // Drain what the extractor left (tar padding) so the digest covers the whole blob.
    io::copy(&mut tee, &mut io::sink()).map_err(|source| ImageError::Transfer {
        digest: desc.digest.clone(),
        source,
    })?;
    let actual = format!("sha256:{}", hex::encode(tee.hasher.clone().finalize()));
    if actual != desc.digest {
        return Err(RegistryError::DigestMismatch {
            expected: desc.digest.clone(),
            actual,
        }
        .into());
    }
    let extracted = extracted?;
    for w in &extracted.warnings {
        eprintln!(
            "WARN: layer {}: {w}",
            super::progress::short_digest(&desc.digest)
        );
    }
    if extracted.diff_id != diff_id {
        return Err(ImageError::DiffIdMismatch {
            layer: desc.digest.clone(),
            expected: diff_id.to_string(),
            actual: extracted.diff_id,
        });
    }
    tee.copy.sync_all().map_err(io_err("sync", &blob_path))?;
    let blob_size = tee.bytes;
    let mut progress = tee.progress;

    let dest = store.layer_dir(chain_id)?;
    if let Err(e) = std::fs::rename(&layer_root, &dest) {
        // A concurrent pull placed the same layer first: theirs is as good as ours.
        let raced = matches!(e.raw_os_error(), Some(libc::EEXIST) | Some(libc::ENOTEMPTY));
        if !raced {
            return Err(ImageError::Io {
                what: "move layer into place",
                path: dest,
                source: e,
            });
        }
    }
    if !store.has_blob(&desc.digest) {
        store.commit_blob_file(&blob_path, &desc.digest)?;
    }
    progress.finish("done");
    Ok(LayerRecord {
        chain_id: chain_id.to_string(),
        diff_id: diff_id.to_string(),
        blob_digest: desc.digest.clone(),
        blob_media_type: desc.media_type.clone(),
        blob_size,
        size: extracted.size,
    })
}

/// Remove a staging directory, entering the user namespace only when files owned by
/// mapped ids make that necessary.
pub fn discard_staging(mapping: &IdMapping, dir: &Path) {
    if std::fs::remove_dir_all(dir).is_ok() || !dir.exists() {
        return;
    }
    if let Err(e) = crate::layer::remove_trees(mapping, &[dir]) {
        eprintln!("WARN: could not remove {}: {e}", dir.display());
    }
}

/// sha256 of a whole file, for blobs read back from disk.
pub fn file_digest(path: &Path) -> io::Result<String> {
    let mut f = File::open(path)?;
    let mut hasher = Sha256::new();
    io::copy(&mut f, &mut hasher)?;
    Ok(format!("sha256:{}", hex::encode(hasher.finalize())))
}
