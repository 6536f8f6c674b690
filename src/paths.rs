//! Where lodger keeps its files: per user, nothing shared.

use std::fs;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum PathsError {
    #[error("cannot determine the home directory: HOME is not set")]
    NoHome,
    #[error("cannot create {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} is owned by uid {owner}, not by you (uid {uid}): remove it or set XDG_RUNTIME_DIR"
    )]
    NotOwned { path: PathBuf, owner: u32, uid: u32 },
}

/// The directories one invocation works with.
#[derive(Debug, Clone)]
pub struct Paths {
    /// `$XDG_DATA_HOME/lodger`: the store.
    pub data: PathBuf,
    /// `$XDG_RUNTIME_DIR/lodger` or `/tmp/lodger-<uid>`: state that dies with the boot.
    pub runtime: PathBuf,
    /// `$XDG_CONFIG_HOME/lodger`.
    pub config: PathBuf,
    /// Set when XDG_RUNTIME_DIR could not be used; the CLI prints it once.
    pub runtime_warning: Option<String>,
}

impl Paths {
    /// Resolve from the environment, with `--root`/`--runroot` overrides.
    pub fn resolve(root: Option<&Path>, runroot: Option<&Path>) -> Result<Paths, PathsError> {
        let home = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
            .ok_or(PathsError::NoHome)?;
        let xdg = |var: &str, default: &str| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .unwrap_or_else(|| home.join(default))
        };
        let data = match root {
            Some(r) => r.to_path_buf(),
            None => xdg("XDG_DATA_HOME", ".local/share").join("lodger"),
        };
        let config = xdg("XDG_CONFIG_HOME", ".config").join("lodger");
        let (runtime, runtime_warning) = match runroot {
            Some(r) => (r.to_path_buf(), None),
            None => runtime_dir(),
        };
        Ok(Paths {
            data,
            runtime,
            config,
            runtime_warning,
        })
    }

    /// Every directory below `dir`: for tests that need a store of their own.
    #[cfg(test)]
    pub fn under(dir: &Path) -> Paths {
        Paths {
            data: dir.join("data"),
            runtime: dir.join("run"),
            config: dir.join("config"),
            runtime_warning: None,
        }
    }

    pub fn db(&self) -> PathBuf {
        self.data.join("lodger.db")
    }

    /// Create the store directories (0700: layer trees hold files of other mapped users).
    pub fn ensure_data(&self) -> Result<(), PathsError> {
        for dir in [
            self.data.clone(),
            self.data.join("blobs/sha256"),
            self.data.join("layers"),
            self.data.join("tmp"),
        ] {
            make_private_dir(&dir)?;
        }
        Ok(())
    }

    pub fn ensure_runtime(&self) -> Result<(), PathsError> {
        make_private_dir(&self.runtime)?;
        let uid = rustix::process::getuid().as_raw();
        let owner = fs::metadata(&self.runtime)
            .map_err(|source| PathsError::Create {
                path: self.runtime.clone(),
                source,
            })?
            .uid();
        if owner != uid {
            return Err(PathsError::NotOwned {
                path: self.runtime.clone(),
                owner,
                uid,
            });
        }
        Ok(())
    }
}

fn make_private_dir(dir: &Path) -> Result<(), PathsError> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|source| PathsError::Create {
            path: dir.to_path_buf(),
            source,
        })
}

/// Podman's rule: use XDG_RUNTIME_DIR when it is ours and writable, else /tmp/<tool>-<uid>.
fn runtime_dir() -> (PathBuf, Option<String>) {
    let uid = rustix::process::getuid().as_raw();
    let fallback = PathBuf::from(format!("/tmp/lodger-{uid}"));
    let Some(dir) = std::env::var_os("XDG_RUNTIME_DIR").filter(|v| !v.is_empty()) else {
        return (
            fallback.clone(),
            Some(format!(
                "XDG_RUNTIME_DIR is not set: using {} instead",
                fallback.display()
            )),
        );
    };
    let dir = PathBuf::from(dir);
    match fs::metadata(&dir) {
        Ok(m) if m.uid() == uid && m.permissions().mode() & 0o700 == 0o700 => {
            (dir.join("lodger"), None)
        }
        Ok(m) if m.uid() != uid => (
            fallback.clone(),
            Some(format!(
                "XDG_RUNTIME_DIR {} is owned by uid {}, not by you: using {} instead",
                dir.display(),
                m.uid(),
                fallback.display()
            )),
        ),
        _ => (
            fallback.clone(),
            Some(format!(
                "XDG_RUNTIME_DIR {} is not usable: using {} instead",
                dir.display(),
                fallback.display()
            )),
        ),
    }
}
