//! `--cidfile`: the file a systemd unit keeps a container's ID in, written by `run` and
//! `create`, read by `stop`, `rm`, `kill` and `restart`, as Podman does.

use anyhow::{anyhow, Context as _};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A cidfile made before the container: removed again unless the container came to be.
pub struct Reserved {
    file: Option<std::fs::File>,
    path: PathBuf,
}

impl Reserved {
    /// Creates the file, which must not exist: another container may be using it.
    pub fn create(path: &Path) -> anyhow::Result<Reserved> {
        let path =
            std::path::absolute(path).with_context(|| format!("--cidfile {}", path.display()))?;
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => anyhow!(
                    "the container id file {} exists: another container may be using it; \
                     delete it or give another --cidfile",
                    path.display()
                ),
                _ => anyhow!("creating the container id file {}: {e}", path.display()),
            })?;
        Ok(Reserved {
            file: Some(file),
            path,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the ID (without a newline, as Podman does) and keeps the file.
    pub fn write_id(mut self, id: &str) -> anyhow::Result<()> {
        let written = match self.file.as_mut() {
            Some(f) => f.write_all(id.as_bytes()).and_then(|()| f.sync_all()),
            None => Ok(()),
        };
        written
            .with_context(|| format!("writing the container id file {}", self.path.display()))?;
        self.file = None;
        Ok(())
    }
}

impl Drop for Reserved {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The IDs in `files` (each file's first line); with `ignore_missing`, a file that does not
/// exist names no container, as `stop --ignore` and `rm --ignore` take it.
pub fn read_ids(files: &[PathBuf], ignore_missing: bool) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    for f in files {
        match std::fs::read_to_string(f) {
            Ok(text) => ids.push(text.lines().next().unwrap_or("").trim().to_string()),
            Err(e) if ignore_missing && e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(anyhow!(
                    "reading the container id file {}: {e}",
                    f.display()
                ))
            }
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_until_written_and_read_back() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("ctr.id");
        let r = Reserved::create(&path).unwrap();
        let err = Reserved::create(&path).err().unwrap().to_string();
        assert!(err.contains("exists"), "{err}");
        drop(r);
        assert!(!path.exists(), "an abandoned cidfile is removed");
        Reserved::create(&path).unwrap().write_id("abc").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "abc");
        std::fs::write(tmp.path().join("two"), "def\nrest\n").unwrap();
        let missing = tmp.path().join("missing");
        let files = [path.clone(), tmp.path().join("two"), missing.clone()];
        assert_eq!(read_ids(&files, true).unwrap(), ["abc", "def"]);
        let err = read_ids(&files, false).unwrap_err().to_string();
        assert!(err.contains("missing"), "{err}");
    }
}
