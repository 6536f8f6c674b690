//! The last-resort rootfs driver: the image layers copied into the container's upper dir.
//!
//! Runs inside the container's user namespace (ownership is kept) once per container;
//! overlay whiteouts (char 0/0) delete, opaque directories (`user.overlay.opaque`) start empty.

use std::fs;
use std::io;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Copies `lower` (topmost first) into `upper` unless `marker` says it was done.
pub(crate) fn populate(lower: &[PathBuf], upper: &Path, marker: &Path) -> io::Result<()> {
    if marker.exists() {
        return Ok(());
    }
    for layer in lower.iter().rev() {
        copy_dir(layer, upper)?;
    }
    fs::write(marker, b"")
}

fn is_whiteout(meta: &fs::Metadata) -> bool {
    meta.file_type().is_char_device() && meta.rdev() == 0
}

fn is_opaque(dir: &Path) -> bool {
    let mut buf = [0u8; 4];
    rustix::fs::lgetxattr(dir, "user.overlay.opaque", &mut buf).is_ok_and(|n| &buf[..n] == b"y")
}

fn remove_any(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

fn copy_dir(src: &Path, dst: &Path) -> io::Result<()> {
    for entry in fs::read_dir(src)? {
        let entry = entry?;
        let from = entry.path();
        let to = dst.join(entry.file_name());
        let meta = fs::symlink_metadata(&from)?;
        if is_whiteout(&meta) {
            remove_any(&to)?;
            continue;
        }
        let ft = meta.file_type();
        if ft.is_dir() {
            match fs::symlink_metadata(&to) {
                Ok(m) if m.is_dir() && !is_opaque(&from) => {}
                Ok(_) => {
                    remove_any(&to)?;
                    fs::create_dir(&to)?;
                }
                Err(_) => fs::create_dir(&to)?,
            }
            copy_dir(&from, &to)?;
        } else {
            remove_any(&to)?;
            if ft.is_symlink() {
                std::os::unix::fs::symlink(fs::read_link(&from)?, &to)?;
            } else if ft.is_file() {
                fs::copy(&from, &to)?;
            } else if ft.is_fifo() {
                nix::unistd::mkfifo(&to, nix::sys::stat::Mode::from_bits_truncate(0o600))?;
            } else {
                // Device nodes cannot be created in a user namespace.
                continue;
            }
        }
        std::os::unix::fs::lchown(&to, Some(meta.uid()), Some(meta.gid()))?;
        if !ft.is_symlink() {
            // After chown, which clears setuid bits.
            fs::set_permissions(&to, fs::Permissions::from_mode(meta.mode() & 0o7777))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_apply_in_order_with_whiteouts() {
        let dir = tempfile::tempdir().unwrap();
        let (bottom, top, upper) = (
            dir.path().join("b"),
            dir.path().join("t"),
            dir.path().join("u"),
        );
        for d in [&bottom, &top, &upper] {
            fs::create_dir_all(d).unwrap();
        }
        fs::create_dir_all(bottom.join("etc")).unwrap();
        fs::write(bottom.join("etc/a"), "old").unwrap();
        fs::write(bottom.join("etc/b"), "b").unwrap();
        std::os::unix::fs::symlink("etc/b", bottom.join("link")).unwrap();
        fs::create_dir_all(top.join("etc")).unwrap();
        fs::write(top.join("etc/a"), "new").unwrap();
        let marker = dir.path().join("m");
        populate(&[top.clone(), bottom.clone()], &upper, &marker).unwrap();
        assert_eq!(fs::read_to_string(upper.join("etc/a")).unwrap(), "new");
        assert_eq!(fs::read_to_string(upper.join("link")).unwrap(), "b");
        assert!(marker.exists());
        // Done once: a second call leaves the container's changes alone.
        fs::write(upper.join("etc/a"), "mine").unwrap();
        populate(&[top, bottom], &upper, &marker).unwrap();
        assert_eq!(fs::read_to_string(upper.join("etc/a")).unwrap(), "mine");
    }
}
