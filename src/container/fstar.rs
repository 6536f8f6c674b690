//! A tar of a path as it is seen by this process (for `cp` and `export`).
//!
//! Unlike a layer export, nothing is translated: no whiteouts, no opaque markers. Ownership is
//! numeric as seen by the process writing the tar.

use std::fs::{File, Metadata};
use std::io::{self, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;

use tar::{EntryType, Header};

/// What [`append_tree`] includes.
#[derive(Debug, Clone, Copy, Default)]
pub struct TreeOptions {
    /// Follow a symlink given as `path` itself (never those below it).
    pub follow_top: bool,
    /// Do not descend into other filesystems (mounts) below `path`.
    pub one_file_system: bool,
}

/// Appends `path` to `b` as `name` (an empty name puts a directory's children at the top).
pub fn append_tree<W: Write>(
    b: &mut tar::Builder<W>,
    path: &Path,
    name: &str,
    opts: TreeOptions,
) -> io::Result<()> {
    let meta = if opts.follow_top {
        std::fs::metadata(path)?
    } else {
        std::fs::symlink_metadata(path)?
    };
    let dev = meta.dev();
    append(b, path, name, &meta, dev, opts)
}

fn child_name(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{}/{name}", parent.trim_end_matches('/'))
    }
}

fn append<W: Write>(
    b: &mut tar::Builder<W>,
    path: &Path,
    name: &str,
    meta: &Metadata,
    dev: u64,
    opts: TreeOptions,
) -> io::Result<()> {
    let ft = meta.file_type();
    let mut h = Header::new_gnu();
    h.set_metadata(meta);
    h.set_uid(u64::from(meta.uid()));
    h.set_gid(u64::from(meta.gid()));
    if ft.is_dir() {
        if !name.is_empty() {
            h.set_entry_type(EntryType::Directory);
            h.set_size(0);
            b.append_data(&mut h, format!("{name}/"), io::empty())?;
        }
        if opts.one_file_system && meta.dev() != dev {
            return Ok(());
        }
        let mut children: Vec<_> = std::fs::read_dir(path)?
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        children.sort();
        for child in children {
            let cpath = path.join(&child);
            let cmeta = match std::fs::symlink_metadata(&cpath) {
                Ok(m) => m,
                // Gone since the listing (a running container changes under us).
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            let cname = child_name(name, &child.to_string_lossy());
            append(b, &cpath, &cname, &cmeta, dev, opts)?;
        }
    } else if ft.is_file() {
        let file = File::open(path)?;
        h.set_entry_type(EntryType::Regular);
        h.set_size(meta.len());
        b.append_data(&mut h, name, file)?;
    } else if ft.is_symlink() {
        let target = std::fs::read_link(path)?;
        h.set_entry_type(EntryType::Symlink);
        h.set_size(0);
        b.append_link(&mut h, name, target)?;
    } else if ft.is_char_device() || ft.is_block_device() || ft.is_fifo() {
        h.set_size(0);
        b.append_data(&mut h, name, io::empty())?;
    }
    // Sockets have no tar type; they only mean something while their server runs.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(tar: &[u8]) -> Vec<String> {
        let mut a = tar::Archive::new(tar);
        a.entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn names_are_prefixed_and_symlinks_kept() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir_all(src.join("sub")).unwrap();
        std::fs::write(src.join("sub/f"), "x").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", src.join("l")).unwrap();
        let mut b = tar::Builder::new(Vec::new());
        append_tree(&mut b, &src, "dst", TreeOptions::default()).unwrap();
        let tar = b.into_inner().unwrap();
        assert_eq!(names(&tar), ["dst/", "dst/l", "dst/sub/", "dst/sub/f"]);
        let mut b = tar::Builder::new(Vec::new());
        append_tree(&mut b, &src, "", TreeOptions::default()).unwrap();
        let tar = b.into_inner().unwrap();
        assert_eq!(names(&tar), ["l", "sub/", "sub/f"]);
    }

    #[test]
    fn a_followed_top_symlink_gives_its_target() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), "hello").unwrap();
        std::os::unix::fs::symlink("f", dir.path().join("l")).unwrap();
        let mut b = tar::Builder::new(Vec::new());
        let opts = TreeOptions {
            follow_top: true,
            ..Default::default()
        };
        append_tree(&mut b, &dir.path().join("l"), "l", opts).unwrap();
        let tar = b.into_inner().unwrap();
        let mut a = tar::Archive::new(tar.as_slice());
        let mut e = a.entries().unwrap().next().unwrap().unwrap();
        assert_eq!(e.header().entry_type(), EntryType::Regular);
        let mut s = String::new();
        io::Read::read_to_string(&mut e, &mut s).unwrap();
        assert_eq!(s, "hello");
    }
}
