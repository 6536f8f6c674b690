//! Kernel calls of the container setup: mounts whose targets are resolved inside the rootfs.
//!
//! Every target is opened with `openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)` relative to
//! the rootfs, so symlinks in an image cannot send a mount or a created file to the host; the
//! mount then goes onto the opened fd (`/proc/self/fd/N`, or `move_mount` for bind trees).

use std::ffi::CString;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use nix::mount::MsFlags;
use rustix::fs::{Mode, OFlags, ResolveFlags};
use rustix::mount::{MoveMountFlags, OpenTreeFlags};

use super::plan::{Kind, Syscall};

/// The real [`Syscall`]: mounts relative to the rootfs mounted at `root`.
pub(crate) struct RealSys {
    root: OwnedFd,
}

impl RealSys {
    pub(crate) fn new(root: OwnedFd) -> RealSys {
        RealSys { root }
    }
}

impl Syscall for RealSys {
    fn mount_fs(
        &mut self,
        fstype: &str,
        target: &str,
        flags: MsFlags,
        data: &str,
    ) -> io::Result<()> {
        let fd = ensure(self.root.as_fd(), target, Kind::Dir)?;
        mount_on_fd(fstype, &fd, fstype, flags, data)
    }

    fn bind(
        &mut self,
        source: &Path,
        target: &str,
        kind: Kind,
        recursive: bool,
        readonly: bool,
    ) -> io::Result<()> {
        let kind = match kind {
            Kind::LikeSource if !std::fs::metadata(source)?.is_dir() => Kind::File,
            Kind::LikeSource => Kind::Dir,
            k => k,
        };
        let mut flags = OpenTreeFlags::OPEN_TREE_CLONE | OpenTreeFlags::OPEN_TREE_CLOEXEC;
        if recursive {
            flags |= OpenTreeFlags::AT_RECURSIVE;
        }
        let tree = rustix::mount::open_tree(rustix::fs::CWD, source, flags)?;
        if readonly {
            set_read_only(tree.as_fd(), recursive)?;
        }
        let fd = ensure(self.root.as_fd(), target, kind)?;
        move_tree(&tree, &fd)
    }

    fn symlink(&mut self, target: &str, link: &str) -> io::Result<()> {
        let (parent, name) = split(link);
        let dir = ensure(self.root.as_fd(), parent, Kind::Dir)?;
        match rustix::fs::symlinkat(target, &dir, name) {
            Err(e) if e == rustix::io::Errno::EXIST => Ok(()),
            r => r.map_err(io::Error::from),
        }
    }

    fn mask(&mut self, path: &str) -> io::Result<()> {
        let fd = match open_in(self.root.as_fd(), path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            r => r?,
        };
        if rustix::fs::fstat(&fd)?.st_mode & libc::S_IFMT == libc::S_IFDIR {
            mount_on_fd("tmpfs", &fd, "tmpfs", MsFlags::MS_RDONLY, "size=0k")
        } else {
            let null = rustix::mount::open_tree(
                rustix::fs::CWD,
                "/dev/null",
                OpenTreeFlags::OPEN_TREE_CLONE | OpenTreeFlags::OPEN_TREE_CLOEXEC,
            )?;
            move_tree(&null, &fd)
        }
    }

    fn read_only(&mut self, path: &str) -> io::Result<()> {
        let fd = match open_in(self.root.as_fd(), path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            r => r?,
        };
        let tree = rustix::mount::open_tree(
            fd.as_fd(),
            "",
            OpenTreeFlags::OPEN_TREE_CLONE
                | OpenTreeFlags::OPEN_TREE_CLOEXEC
                | OpenTreeFlags::AT_EMPTY_PATH
                | OpenTreeFlags::AT_RECURSIVE,
        )?;
        set_read_only(tree.as_fd(), true)?;
        move_tree(&tree, &fd)
    }
}

/// Opens `path` (absolute in the container) as an O_PATH fd, resolved inside `root`.
pub(crate) fn open_in(root: BorrowedFd<'_>, path: &str) -> io::Result<OwnedFd> {
    let rel = path.trim_start_matches('/');
    let rel = if rel.is_empty() { "." } else { rel };
    loop {
        match rustix::fs::openat2(
            root,
            rel,
            OFlags::PATH | OFlags::CLOEXEC,
            Mode::empty(),
            ResolveFlags::IN_ROOT | ResolveFlags::NO_MAGICLINKS,
        ) {
            // The kernel asks to retry when a rename raced with the lookup.
            Err(e) if e == rustix::io::Errno::AGAIN => continue,
            r => return r.map_err(io::Error::from),
        }
    }
}

/// Opens `path` inside `root`, first creating it (and missing parents) as `kind`.
pub(crate) fn ensure(root: BorrowedFd<'_>, path: &str, kind: Kind) -> io::Result<OwnedFd> {
    ensure_depth(root, path, kind, 0)
}

fn ensure_depth(root: BorrowedFd<'_>, path: &str, kind: Kind, depth: u32) -> io::Result<OwnedFd> {
    match open_in(root, path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        r => return r,
    }
    let (parent, name) = split(path);
    if name.is_empty() || depth > 40 {
        return open_in(root, path);
    }
    let dir = ensure_depth(root, parent, Kind::Dir, depth + 1)?;
    // `name` is a single component created relative to a directory resolved inside the
    // rootfs: an existing symlink there is not followed (EEXIST) and is resolved in the
    // rootfs by the final open.
    let created = match kind {
        Kind::Dir | Kind::LikeSource => {
            rustix::fs::mkdirat(&dir, name, Mode::from_raw_mode(0o755)).map(drop)
        }
        Kind::File => rustix::fs::openat(
            &dir,
            name,
            OFlags::CREATE | OFlags::EXCL | OFlags::WRONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o644),
        )
        .map(drop),
    };
    match created {
        Err(e) if e == rustix::io::Errno::EXIST => {
            // A dangling symlink (e.g. /etc/resolv.conf -> ../run/...): create what it
            // points to, still inside the rootfs.
            if let Ok(link) = rustix::fs::readlinkat(&dir, name, Vec::new()) {
                let link = link.to_string_lossy().into_owned();
                let next = if link.starts_with('/') {
                    link
                } else {
                    format!("{parent}/{link}")
                };
                return ensure_depth(root, &next, kind, depth + 1);
            }
        }
        Err(e) => return Err(e.into()),
        Ok(()) => {}
    }
    open_in(root, path)
}

fn split(path: &str) -> (&str, &str) {
    let path = path.trim_end_matches('/');
    match path.rfind('/') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    }
}

/// `mount(2)` onto the object behind an O_PATH fd, through its /proc/self/fd magic link.
pub(crate) fn mount_on_fd(
    source: &str,
    fd: &OwnedFd,
    fstype: &str,
    flags: MsFlags,
    data: &str,
) -> io::Result<()> {
    let target = format!("/proc/self/fd/{}", fd.as_raw_fd());
    let data = (!data.is_empty()).then_some(data);
    nix::mount::mount(Some(source), target.as_str(), Some(fstype), flags, data)
        .map_err(io::Error::from)
}

fn move_tree(tree: &OwnedFd, target: &OwnedFd) -> io::Result<()> {
    rustix::mount::move_mount(
        tree.as_fd(),
        "",
        target.as_fd(),
        "",
        MoveMountFlags::MOVE_MOUNT_F_EMPTY_PATH | MoveMountFlags::MOVE_MOUNT_T_EMPTY_PATH,
    )
    .map_err(io::Error::from)
}

#[repr(C)]
struct MountAttr {
    attr_set: u64,
    attr_clr: u64,
    propagation: u64,
    userns_fd: u64,
}

const MOUNT_ATTR_RDONLY: u64 = 0x1;

/// `mount_setattr(MOUNT_ATTR_RDONLY)` on a mount fd: unlike a remount it can cover every
/// submount and needs no knowledge of the locked flags.
pub(crate) fn set_read_only(fd: BorrowedFd<'_>, recursive: bool) -> io::Result<()> {
    mount_setattr_rdonly(fd.as_raw_fd(), c"", libc::AT_EMPTY_PATH, recursive)
}

/// Makes the mount at `path` read-only (not its submounts).
pub(crate) fn set_path_read_only(path: &str) -> io::Result<()> {
    let c = CString::new(path).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
    mount_setattr_rdonly(libc::AT_FDCWD, &c, 0, false)
}

fn mount_setattr_rdonly(
    dirfd: i32,
    path: &std::ffi::CStr,
    mut flags: i32,
    recursive: bool,
) -> io::Result<()> {
    if recursive {
        flags |= libc::AT_RECURSIVE;
    }
    let attr = MountAttr {
        attr_set: MOUNT_ATTR_RDONLY,
        attr_clr: 0,
        propagation: 0,
        userns_fd: 0,
    };
    // SAFETY: the struct matches the kernel's `struct mount_attr` (version 0, 32 bytes).
    let r = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            dirfd,
            path.as_ptr(),
            flags,
            &attr as *const MountAttr,
            std::mem::size_of::<MountAttr>(),
        )
    };
    if r == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Marks every fd from 3 up close-on-exec; fds the setup still needs keep working until exec.
pub(crate) fn cloexec_from_3() -> io::Result<()> {
    close_range(3, libc::CLOSE_RANGE_CLOEXEC)
}

/// Closes every fd from 3 up.
pub(crate) fn close_from_3() -> io::Result<()> {
    close_range(3, 0)
}

fn close_range(first: u32, flags: u32) -> io::Result<()> {
    // SAFETY: close_range only affects this process's fd table.
    let r = unsafe { libc::syscall(libc::SYS_close_range, first, u32::MAX, flags) };
    if r == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Brings up `lo` in the (new) network namespace.
pub(crate) fn loopback_up() -> io::Result<()> {
    // SAFETY: a plain socket/ioctl exchange on a zeroed, correctly sized ifreq.
    unsafe {
        let sock = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if sock < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut req: libc::ifreq = std::mem::zeroed();
        for (i, b) in b"lo".iter().enumerate() {
            req.ifr_name[i] = *b as libc::c_char;
        }
        let mut r = libc::ioctl(sock, libc::SIOCGIFFLAGS, &mut req);
        if r == 0 {
            req.ifr_ifru.ifru_flags |= (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
            r = libc::ioctl(sock, libc::SIOCSIFFLAGS, &req);
        }
        let err = io::Error::last_os_error();
        libc::close(sock);
        if r != 0 {
            return Err(err);
        }
    }
    Ok(())
}

/// `pivot_root` into the current directory and drop the old root.
pub(crate) fn pivot_into(root: &OwnedFd) -> io::Result<()> {
    rustix::process::fchdir(root)?;
    // Stacking the old root under the new one avoids needing a put_old directory.
    rustix::process::pivot_root(".", ".")?;
    rustix::mount::unmount(".", rustix::mount::UnmountFlags::DETACH)?;
    rustix::process::chdir("/")?;
    Ok(())
}

/// Reads a small regular file inside the current root, or `None` when it does not exist.
///
/// At most `limit` bytes: image files are untrusted (a symlink to /dev/zero or a FIFO would
/// otherwise hang or exhaust memory).
pub(crate) fn read_small(path: &str, limit: u64) -> io::Result<Option<String>> {
    use std::io::Read;
    let file = match rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK | OFlags::NOCTTY,
        Mode::empty(),
    ) {
        Err(e) if e == rustix::io::Errno::NOENT || e == rustix::io::Errno::NOTDIR => {
            return Ok(None)
        }
        r => r?,
    };
    if rustix::fs::fstat(&file)?.st_mode & libc::S_IFMT != libc::S_IFREG {
        return Ok(None);
    }
    let mut buf = Vec::new();
    std::fs::File::from(file)
        .take(limit)
        .read_to_end(&mut buf)?;
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

/// An error as the C library words it, without Rust's "(os error N)" suffix.
pub(crate) fn describe(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(n) => nix::errno::Errno::from_raw(n).desc().to_owned(),
        None => e.to_string(),
    }
}

/// Path as a C string for execve and friends.
pub(crate) fn cstring(s: impl AsRef<std::ffi::OsStr>) -> io::Result<CString> {
    CString::new(s.as_ref().as_bytes()).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{:?} contains a NUL byte", s.as_ref()),
        )
    })
}

/// Raises the soft limit on open files to the hard one and returns the soft limit now in
/// force (None if it cannot be read): deep trees, many connections or many containers at
/// once need more descriptors than the usual 1024.
pub(crate) fn raise_fd_limit() -> Option<u64> {
    use nix::sys::resource::{getrlimit, setrlimit, Resource};
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).ok()?;
    if soft < hard && setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_ok() {
        return Some(hard);
    }
    Some(soft)
}

/// A pollfd waiting for input (shared by the foreground relay and the monitor).
pub(crate) fn poll_fd(fd: std::os::fd::RawFd) -> libc::pollfd {
    libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    }
}

/// Reads what poll announced: `Some(n > 0)` data, `Some(0)` nothing after all, `None` closed.
pub(crate) fn read_fd(fd: std::os::fd::RawFd, buf: &mut [u8]) -> Option<usize> {
    loop {
        // SAFETY: read into a live mutable buffer of the given length.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n > 0 {
            return Some(n as usize);
        }
        if n == 0 {
            return None;
        }
        match io::Error::last_os_error().kind() {
            io::ErrorKind::Interrupted => continue,
            io::ErrorKind::WouldBlock => return Some(0),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_paths() {
        assert_eq!(split("/etc/hosts"), ("/etc", "hosts"));
        assert_eq!(split("/etc/"), ("", "etc"));
        assert_eq!(split("/"), ("", ""));
    }

    #[test]
    fn ensure_stays_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("etc/evil")).unwrap();
        std::os::unix::fs::symlink("../../../../outside/x", root.join("etc/rel")).unwrap();
        let rootfd =
            rustix::fs::open(&root, OFlags::PATH | OFlags::DIRECTORY, Mode::empty()).unwrap();
        ensure(rootfd.as_fd(), "/etc/evil/hosts", Kind::File).unwrap();
        ensure(rootfd.as_fd(), "/etc/rel", Kind::File).unwrap();
        ensure(rootfd.as_fd(), "/a/b/c", Kind::Dir).unwrap();
        assert!(std::fs::read_dir(&outside).unwrap().next().is_none());
        let inside = root.join(outside.strip_prefix("/").unwrap());
        assert!(inside.join("hosts").is_file());
        assert!(root.join("outside/x").is_file());
        assert!(root.join("a/b/c").is_dir());
    }
}
