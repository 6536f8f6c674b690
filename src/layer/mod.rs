//! Layer trees on disk: safe extraction of layer tars, removal and export of trees.
//!
//! Trees hold files of many uids, so callers go through [`extract_layer`],
//! [`remove_trees`] and [`export_tree`], which run the work in a user namespace helper
//! (see [`crate::userns`]); [`extract_tar`] is the in-process core the helper runs.

mod export;
mod extract;
mod names;
mod ops;
mod remove;

pub use export::write_tar;
pub use extract::{extract_tar, ExtractStats, Ownership};
pub use ops::{export_tree, extract_layer, remove_trees, Extracted};
pub(crate) use ops::{helper_extract, helper_rm, helper_tar};

use crate::userns::UsernsError;

/// Compression of a layer blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zstd,
    None,
}

impl Compression {
    /// The name used on the helper's command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::None => "none",
        }
    }

    /// Parses [`Compression::as_str`] names.
    pub fn parse(s: &str) -> Option<Compression> {
        match s {
            "gzip" => Some(Compression::Gzip),
            "zstd" => Some(Compression::Zstd),
            "none" => Some(Compression::None),
            _ => None,
        }
    }

    /// The compression of an OCI or Docker layer media type, if it is a known layer type.
    pub fn from_media_type(media_type: &str) -> Option<Compression> {
        match media_type {
            "application/vnd.oci.image.layer.v1.tar+gzip"
            | "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
            | "application/vnd.docker.image.rootfs.diff.tar.gzip"
            | "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip" => {
                Some(Compression::Gzip)
            }
            "application/vnd.oci.image.layer.v1.tar+zstd"
            | "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd" => {
                Some(Compression::Zstd)
            }
            "application/vnd.oci.image.layer.v1.tar"
            | "application/vnd.oci.image.layer.nondistributable.v1.tar"
            | "application/vnd.docker.image.rootfs.diff.tar" => Some(Compression::None),
            _ => None,
        }
    }

    /// Guesses the compression from the first bytes of a blob (for `load` of archives whose
    /// media types lie).
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }
}

impl From<crate::image::manifest::Compression> for Compression {
    fn from(c: crate::image::manifest::Compression) -> Compression {
        use crate::image::manifest::Compression as M;
        match c {
            M::Gzip => Compression::Gzip,
            M::Zstd => Compression::Zstd,
            M::None => Compression::None,
        }
    }
}

/// Errors of extracting, removing or exporting layer trees.
#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    #[error("reading the layer tar stream: {0}")]
    Tar(std::io::Error),
    #[error("{op} {path} in the layer: {source}")]
    Entry {
        path: String,
        op: &'static str,
        source: std::io::Error,
    },
    #[error(
        "file {path} in the layer is owned by {kind} {id}, which is outside the user namespace \
         mapping (0-{max}): add a larger range to /etc/subuid and /etc/subgid"
    )]
    Unmapped {
        path: String,
        kind: &'static str,
        id: u64,
        max: u32,
    },
    #[error("hardlink {path} in the layer points to {target}, which is not in the layer")]
    HardlinkTarget { path: String, target: String },
    #[error("cannot create {path} in the layer: its parent {parent} is a dangling symlink")]
    DanglingParent { path: String, parent: String },
    #[error("opening {path}: {source}")]
    Open {
        path: String,
        source: std::io::Error,
    },
    #[error("removing {path}: {source}")]
    Remove {
        path: String,
        source: std::io::Error,
    },
    #[error("writing the tar of {path}: {source}")]
    Export {
        path: String,
        source: std::io::Error,
    },
    #[error("reading the layer blob: {0}")]
    Source(std::io::Error),
    #[error("writing the exported tar: {0}")]
    Sink(std::io::Error),
    /// The helper failed; `stderr` is its message (or its exit status when it printed none).
    #[error("{op} {object}: {stderr}")]
    Helper {
        op: &'static str,
        object: String,
        status: String,
        stderr: String,
    },
    #[error("talking to the user namespace helper: {0}")]
    HelperIo(std::io::Error),
    #[error("bad arguments for the user namespace helper: {0}")]
    Usage(String),
    #[error(transparent)]
    Userns(#[from] UsernsError),
}

#[cfg(test)]
mod tests;
