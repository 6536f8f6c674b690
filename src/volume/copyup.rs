//! Copy-up: a new volume is filled with what the image holds at the mount path, as Podman
//! does. The copy runs in a user namespace helper mapped like the store, so the files keep
//! their (mapped) owners; the image's layers are merged as overlayfs would show them.

use super::{Result, VolumeError};
use std::ffi::{OsStr, OsString};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// The helper operation name (`lodger __userns-helper volume-copy-up ...`).
pub const OP: &str = "volume-copy-up";

/// Copy the merged content of `rel` (an absolute in-image path) from `layers` (topmost
/// first) into `dest`, inside the user namespace.
pub fn copy_up(layers: &[PathBuf], rel: &str, dest: &Path) -> Result<()> {
    let mapping = crate::userns::IdMapping::for_store()?;
    let mut args: Vec<OsString> = vec![OP.into(), dest.into(), rel.into()];
    args.extend(layers.iter().map(|l| l.as_os_str().to_owned()));
    let refs: Vec<&OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let helper = crate::userns::spawn_helper(&mapping, &refs, Stdio::null(), Stdio::null())?;
    let out = helper.wait()?;
    if out.status.success() {
        Ok(())
    } else {
        Err(VolumeError::Io {
            what: "copy the image content into the volume",
            path: dest.to_path_buf(),
            source: std::io::Error::other(if out.stderr.is_empty() {
                out.status.to_string()
            } else {
                out.stderr
            }),
        })
    }
}

/// `U`: chown the tree `dir` to `uid:gid` (container ids), inside the user namespace.
pub fn chown_tree(dir: &Path, uid: u32, gid: u32) -> Result<()> {
    let mapping = crate::userns::IdMapping::for_store()?;
    let ids = format!("{uid}:{gid}");
    let args = [
        OsStr::new(OP),
        OsStr::new("--chown"),
        OsStr::new(&ids),
        dir.as_os_str(),
    ];
    let helper = crate::userns::spawn_helper(&mapping, &args, Stdio::null(), Stdio::null())?;
    let out = helper.wait()?;
    if out.status.success() {
        Ok(())
    } else {
        Err(VolumeError::Io {
            what: "chown to the container user (U)",
            path: dir.to_path_buf(),
            source: std::io::Error::other(if out.stderr.is_empty() {
                out.status.to_string()
            } else {
                out.stderr
            }),
        })
    }
}

fn chown_walk(path: &Path, uid: u32, gid: u32) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(path)?;
    std::os::unix::fs::lchown(path, Some(uid), Some(gid))?;
    if meta.is_dir() {
        for e in std::fs::read_dir(path)? {
            chown_walk(&e?.path(), uid, gid)?;
        }
    }
    if !meta.file_type().is_symlink() {
        // chown clears setuid and setgid bits; the modes stay as they were.
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(meta.mode() & 0o7777))?;
    }
    Ok(())
}

/// Helper side: `volume-copy-up <dest> <path> <layer>...` or `volume-copy-up --chown
/// UID:GID <dir>`; returns the exit code.
pub fn helper_main(args: &[String]) -> i32 {
    if let [flag, ids, dir] = args {
        if flag == "--chown" {
            let parsed = ids
                .split_once(':')
                .and_then(|(u, g)| Some((u.parse().ok()?, g.parse().ok()?)));
            let Some((uid, gid)) = parsed else {
                eprintln!("lodger: bad ids {ids:?}");
                return 125;
            };
            return match chown_walk(Path::new(dir), uid, gid) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("lodger: chown {dir} to {ids}: {e}");
                    125
                }
            };
        }
    }
    let [dest, rel, layers @ ..] = args else {
        eprintln!("lodger: usage: {OP} <dest> <path> <layer>...");
        return 125;
    };
    let layers: Vec<PathBuf> = layers.iter().map(PathBuf::from).collect();
    let rel = Path::new(rel.trim_start_matches('/')).to_path_buf();
    if rel
        .components()
        .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        eprintln!("lodger: refusing to copy up the path {rel:?}");
        return 125;
    }
    match copy_root(&layers, &rel, Path::new(dest)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("lodger: copying {} into the volume: {e}", rel.display());
            125
        }
    }
}

fn is_whiteout(m: &std::fs::Metadata) -> bool {
    m.file_type().is_char_device() && m.rdev() == 0
}

fn is_opaque(path: &Path) -> bool {
    ["user.overlay.opaque", "trusted.overlay.opaque"]
        .iter()
        .any(|name| {
            let mut buf = [0u8; 4];
            rustix::fs::lgetxattr(path, *name, &mut buf).is_ok_and(|n| &buf[..n] == b"y")
        })
}

/// The layers (topmost first) that contribute to directory `rel`: from the top, until one
/// has something else there or marks it opaque. Parents are resolved the same way, so a
/// symlinked or whited-out parent in an upper layer hides the lower ones.
fn dir_layers(layers: &[PathBuf], rel: &Path) -> std::io::Result<Option<Vec<PathBuf>>> {
    let mut out = Vec::new();
    for l in layers {
        let p = l.join(rel);
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => {
                out.push(l.clone());
                if is_opaque(&p) {
                    break;
                }
            }
            // A file, a symlink or a whiteout here hides the layers below.
            Ok(_) => break,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok((!out.is_empty()).then_some(out))
}

/// Fills `dest` (the volume's data dir) with the merged directory `rel`; nothing when the
/// image has no directory there. The data dir takes the directory's owner and mode.
fn copy_root(layers: &[PathBuf], rel: &Path, dest: &Path) -> std::io::Result<()> {
    // Every parent must be a directory in the merged view, else there is nothing to copy.
    let mut cur = layers.to_vec();
    let mut walked = PathBuf::new();
    for comp in rel.components() {
        walked.push(comp);
        match dir_layers(&cur, &walked)? {
            Some(l) => cur = l,
            None => return Ok(()),
        }
    }
    let top = cur[0].join(rel);
    let meta = std::fs::symlink_metadata(&top)?;
    copy_dir(&cur, rel, dest)?;
    std::os::unix::fs::lchown(dest, Some(meta.uid()), Some(meta.gid()))?;
    std::fs::set_permissions(dest, std::fs::Permissions::from_mode(meta.mode() & 0o7777))
}

fn keep_times(path: &Path, meta: &std::fs::Metadata) -> std::io::Result<()> {
    use rustix::fs::{AtFlags, Timespec, Timestamps, CWD};
    let times = Timestamps {
        last_access: Timespec {
            tv_sec: meta.atime(),
            tv_nsec: meta.atime_nsec(),
        },
        last_modification: Timespec {
            tv_sec: meta.mtime(),
            tv_nsec: meta.mtime_nsec(),
        },
    };
    rustix::fs::utimensat(CWD, path, &times, AtFlags::SYMLINK_NOFOLLOW).map_err(Into::into)
}

fn copy_dir(layers: &[PathBuf], rel: &Path, dest: &Path) -> std::io::Result<()> {
    let mut names = std::collections::BTreeSet::new();
    for l in layers {
        for e in std::fs::read_dir(l.join(rel))? {
            names.insert(e?.file_name());
        }
    }
    for name in names {
        let child = rel.join(&name);
        // The topmost layer that has the entry decides what it is.
        let Some((top, meta)) = layers.iter().find_map(|l| {
            std::fs::symlink_metadata(l.join(&child))
                .ok()
                .map(|m| (l, m))
        }) else {
            continue;
        };
        if is_whiteout(&meta) {
            continue;
        }
        let src = top.join(&child);
        let to = dest.join(&name);
        let ft = meta.file_type();
        if ft.is_dir() {
            std::fs::create_dir(&to)?;
            if let Some(sub) = dir_layers(layers, &child)? {
                copy_dir(&sub, &child, &to)?;
            }
        } else if ft.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&src)?, &to)?;
        } else if ft.is_file() {
            std::fs::copy(&src, &to)?;
        } else if ft.is_fifo() {
            nix::unistd::mkfifo(&to, nix::sys::stat::Mode::from_bits_truncate(0o600))
                .map_err(std::io::Error::from)?;
        } else {
            // Device nodes cannot be created in a user namespace; sockets are not content.
            continue;
        }
        std::os::unix::fs::lchown(&to, Some(meta.uid()), Some(meta.gid()))?;
        if !ft.is_symlink() {
            // After the chown, which clears setuid bits.
            std::fs::set_permissions(&to, std::fs::Permissions::from_mode(meta.mode() & 0o7777))?;
        }
        keep_times(&to, &meta)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_layers_like_overlay() {
        let t = tempfile::tempdir().unwrap();
        let lower = t.path().join("lower");
        let upper = t.path().join("upper");
        let dest = t.path().join("dest");
        std::fs::create_dir_all(lower.join("data/sub")).unwrap();
        std::fs::create_dir_all(upper.join("data")).unwrap();
        std::fs::create_dir(&dest).unwrap();
        std::fs::write(lower.join("data/a"), "lower a").unwrap();
        std::fs::write(lower.join("data/b"), "lower b").unwrap();
        std::fs::write(lower.join("data/sub/c"), "c").unwrap();
        std::fs::write(upper.join("data/a"), "upper a").unwrap();
        std::os::unix::fs::symlink("a", upper.join("data/link")).unwrap();
        // A whiteout needs mknod privileges; an opaque xattr needs none.
        let layers = vec![upper.clone(), lower.clone()];
        copy_root(&layers, Path::new("data"), &dest).unwrap();
        assert_eq!(std::fs::read_to_string(dest.join("a")).unwrap(), "upper a");
        assert_eq!(std::fs::read_to_string(dest.join("b")).unwrap(), "lower b");
        assert_eq!(std::fs::read_to_string(dest.join("sub/c")).unwrap(), "c");
        assert_eq!(
            std::fs::read_link(dest.join("link")).unwrap(),
            Path::new("a")
        );

        let dest2 = t.path().join("dest2");
        std::fs::create_dir(&dest2).unwrap();
        if rustix::fs::setxattr(
            upper.join("data"),
            "user.overlay.opaque",
            b"y",
            rustix::fs::XattrFlags::empty(),
        )
        .is_ok()
        {
            copy_root(&layers, Path::new("data"), &dest2).unwrap();
            assert!(
                !dest2.join("b").exists(),
                "an opaque dir hides the lower layer"
            );
        }
        // Nothing at the path: the volume stays empty.
        let dest3 = t.path().join("dest3");
        std::fs::create_dir(&dest3).unwrap();
        copy_root(&layers, Path::new("nothing/here"), &dest3).unwrap();
        assert_eq!(std::fs::read_dir(&dest3).unwrap().count(), 0);
    }
}
