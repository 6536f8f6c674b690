//! Writing a layer tree back as a tar (for commit and export).

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Write};
use std::os::fd::{BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

use rustix::fs::{AtFlags, FileType, Mode, OFlags, Stat};
use tar::{EntryType, Header};

const OPAQUE_XATTR: &str = "user.overlay.opaque";

/// Writes the tree under `root` as an uncompressed tar to `out`.
///
/// Owners are numeric as seen by this process; overlay whiteouts (char 0/0) become `.wh.`
/// entries and opaque directories get a `.wh..wh..opq` entry. Entries are sorted by name so
/// the same tree always gives the same tar.
pub fn write_tar<W: Write>(root: BorrowedFd<'_>, out: W) -> io::Result<()> {
    let mut b = tar::Builder::new(out);
    b.follow_symlinks(false);
    let mut links = HashMap::new();
    walk(&mut b, root, Vec::new(), &mut links)?;
    b.into_inner()?.flush()
}

fn header(st: &Stat, kind: EntryType) -> Header {
    let mut h = Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(st.st_mode & 0o7777);
    h.set_uid(u64::from(st.st_uid));
    h.set_gid(u64::from(st.st_gid));
    // st_mtime is signed on some architectures: times before 1970 become 0.
    #[allow(clippy::useless_conversion)]
    h.set_mtime(u64::try_from(st.st_mtime).unwrap_or(0));
    h.set_size(0);
    h
}

fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    if dir.is_empty() {
        name.to_vec()
    } else {
        [dir, b"/", name].concat()
    }
}

fn os(b: &[u8]) -> &OsStr {
    OsStr::from_bytes(b)
}

fn walk<W: Write>(
    b: &mut tar::Builder<W>,
    dir: BorrowedFd<'_>,
    rel: Vec<u8>,
    links: &mut HashMap<(u64, u64), Vec<u8>>,
) -> io::Result<()> {
    let mut names: Vec<Vec<u8>> = Vec::new();
    for entry in rustix::fs::Dir::read_from(dir)? {
        let name = entry?.file_name().to_bytes().to_vec();
        if name != b"." && name != b".." {
            names.push(name);
        }
    }
    names.sort();
    if !rel.is_empty() && is_opaque(dir) {
        let mut h = Header::new_gnu();
        h.set_entry_type(EntryType::Regular);
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(0);
        h.set_size(0);
        b.append_data(&mut h, os(&join(&rel, b".wh..wh..opq")), io::empty())?;
    }
    for name in names {
        let path = join(&rel, &name);
        let st = rustix::fs::statat(dir, name.as_slice(), AtFlags::SYMLINK_NOFOLLOW)?;
        let key = (st.st_dev, st.st_ino);
        match FileType::from_raw_mode(st.st_mode) {
            FileType::Directory => {
                let mut h = header(&st, EntryType::Directory);
                b.append_data(&mut h, os(&[path.as_slice(), b"/"].concat()), io::empty())?;
                let fd = open(dir, &name, OFlags::DIRECTORY)?;
                walk(b, std::os::fd::AsFd::as_fd(&fd), path, links)?;
            }
            FileType::RegularFile => {
                if st.st_nlink > 1 {
                    if let Some(first) = links.get(&key) {
                        let mut h = header(&st, EntryType::Link);
                        b.append_link(&mut h, os(&path), os(first))?;
                        continue;
                    }
                    links.insert(key, path.clone());
                }
                let mut h = header(&st, EntryType::Regular);
                h.set_size(u64::try_from(st.st_size).unwrap_or(0));
                let file = File::from(open(dir, &name, OFlags::empty())?);
                b.append_data(&mut h, os(&path), file)?;
            }
            FileType::Symlink => {
                let target = rustix::fs::readlinkat(dir, name.as_slice(), Vec::new())?;
                let mut h = header(&st, EntryType::Symlink);
                b.append_link(&mut h, os(&path), os(target.as_bytes()))?;
            }
            FileType::CharacterDevice if st.st_rdev == 0 => {
                let mut h = header(&st, EntryType::Regular);
                b.append_data(
                    &mut h,
                    os(&join(&rel, &[b".wh.", name.as_slice()].concat())),
                    io::empty(),
                )?;
            }
            kind @ (FileType::CharacterDevice | FileType::BlockDevice) => {
                let t = if kind == FileType::CharacterDevice {
                    EntryType::Char
                } else {
                    EntryType::Block
                };
                let mut h = header(&st, t);
                h.set_device_major(rustix::fs::major(st.st_rdev))?;
                h.set_device_minor(rustix::fs::minor(st.st_rdev))?;
                b.append_data(&mut h, os(&path), io::empty())?;
            }
            FileType::Fifo => {
                let mut h = header(&st, EntryType::Fifo);
                b.append_data(&mut h, os(&path), io::empty())?;
            }
            // Sockets only live while their server runs; tar has no type for them.
            _ => {}
        }
    }
    Ok(())
}

fn open(dir: BorrowedFd<'_>, name: &[u8], extra: OFlags) -> io::Result<OwnedFd> {
    Ok(rustix::fs::openat(
        dir,
        name,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | extra,
        Mode::empty(),
    )?)
}

fn is_opaque(dir: BorrowedFd<'_>) -> bool {
    let mut v = [0u8; 4];
    matches!(rustix::fs::fgetxattr(dir, OPAQUE_XATTR, &mut v), Ok(1) if v[0] == b'y')
}
