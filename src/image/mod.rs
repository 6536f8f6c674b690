//! Images: pulling, pushing, listing, removing, saving and loading, over the store.

pub mod archive;
pub mod import;
pub mod inspect;
mod layer_io;
pub mod manifest;
pub mod progress;
pub mod pull;
pub mod push;
pub mod remove;

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Registry(#[from] crate::registry::RegistryError),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Reference(#[from] crate::reference::ReferenceError),
    #[error(transparent)]
    Manifest(#[from] manifest::ManifestError),
    #[error(transparent)]
    Layer(#[from] crate::layer::LayerError),
    #[error(transparent)]
    Userns(#[from] crate::userns::UsernsError),
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("reading blob {digest}: {source}")]
    Transfer {
        digest: String,
        source: std::io::Error,
    },
    #[error("layer {layer} unpacks to {actual}, but the image config says {expected}: the image is corrupt")]
    DiffIdMismatch {
        layer: String,
        expected: String,
        actual: String,
    },
    #[error("{input}: no candidate could be pulled:\n  {}", failures.join("\n  "))]
    AllCandidatesFailed {
        input: String,
        failures: Vec<String>,
    },
    #[error("image {image} is in use by {users}: remove them first or use --force")]
    InUse { image: String, users: String },
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, ImageError>;
