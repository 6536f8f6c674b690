//! Removal of directory trees through directory fds (no path is resolved twice).

use std::io;
use std::os::fd::{AsFd, BorrowedFd};

use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;

/// Removes `name` in `parent`, recursively if it is a directory; a missing entry is fine.
///
/// Directories without write or search permission (mode 0 dirs in images) are made
/// accessible first: without that an unprivileged owner could not empty them.
pub(crate) fn remove_tree_at(parent: BorrowedFd<'_>, name: &[u8]) -> io::Result<()> {
    match rustix::fs::unlinkat(parent, name, AtFlags::empty()) {
        Ok(()) | Err(Errno::NOENT) => return Ok(()),
        Err(Errno::ISDIR) => {}
        // unlink of a directory gives EPERM on some filesystems.
        Err(Errno::PERM) if is_dir_at(parent, name) => {}
        Err(Errno::ACCESS) => {
            make_writable(parent)?;
            return remove_tree_at(parent, name);
        }
        Err(e) => return Err(e.into()),
    }
    empty_dir_at(parent, name)?;
    match rustix::fs::unlinkat(parent, name, AtFlags::REMOVEDIR) {
        Ok(()) | Err(Errno::NOENT) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

fn is_dir_at(parent: BorrowedFd<'_>, name: &[u8]) -> bool {
    rustix::fs::statat(parent, name, AtFlags::SYMLINK_NOFOLLOW)
        .map(|st| FileType::from_raw_mode(st.st_mode) == FileType::Directory)
        .unwrap_or(false)
}

fn open_dir(parent: BorrowedFd<'_>, name: &[u8]) -> rustix::io::Result<std::os::fd::OwnedFd> {
    rustix::fs::openat(
        parent,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
}

fn empty_dir_at(parent: BorrowedFd<'_>, name: &[u8]) -> io::Result<()> {
    let fd = match open_dir(parent, name) {
        Err(Errno::ACCESS) => {
            rustix::fs::chmodat(parent, name, Mode::from_raw_mode(0o700), AtFlags::empty())?;
            open_dir(parent, name)?
        }
        other => other?,
    };
    // Collect names first: unlinking while reading a directory may skip entries.
    let mut children: Vec<(Vec<u8>, bool)> = Vec::new();
    for entry in rustix::fs::Dir::read_from(&fd)? {
        let entry = entry?;
        let child = entry.file_name().to_bytes();
        if child == b"." || child == b".." {
            continue;
        }
        children.push((child.to_vec(), entry.file_type() == FileType::Directory));
    }
    let mut fixed_mode = false;
    for (child, is_dir) in children {
        if is_dir {
            remove_tree_at(fd.as_fd(), &child)?;
            continue;
        }
        match rustix::fs::unlinkat(&fd, child.as_slice(), AtFlags::empty()) {
            Ok(()) | Err(Errno::NOENT) => {}
            Err(Errno::ACCESS) if !fixed_mode => {
                fixed_mode = true;
                rustix::fs::fchmod(&fd, Mode::from_raw_mode(0o700))?;
                remove_tree_at(fd.as_fd(), &child)?;
            }
            // The file type from readdir can be unknown; let the full path decide.
            Err(Errno::ISDIR) | Err(Errno::PERM) => remove_tree_at(fd.as_fd(), &child)?,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

fn make_writable(dir: BorrowedFd<'_>) -> io::Result<()> {
    let st = rustix::fs::fstat(dir)?;
    if st.st_mode & 0o300 == 0o300 {
        return Err(Errno::ACCESS.into());
    }
    rustix::fs::chmodat(
        dir,
        ".",
        Mode::from_raw_mode((st.st_mode | 0o700) & 0o7777),
        AtFlags::empty(),
    )?;
    Ok(())
}
