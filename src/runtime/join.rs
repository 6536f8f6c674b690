//! Containers in another network namespace (`--network container:NAME`, `ns:PATH`).
//!
//! Joining a network namespace takes CAP_SYS_ADMIN over the user namespace that owns it, so
//! the container is created inside that user namespace instead of a new one: an intermediate
//! process enters both namespaces and clones the container with CLONE_PARENT, which makes
//! it a child of the caller like any other container.

use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use nix::sys::wait::waitpid;
use nix::unistd::Pid;

/// ioctl(NS_GET_USERNS): the user namespace owning a namespace.
const NS_GET_USERNS: libc::c_ulong = 0xb701;

/// The namespaces to enter before the clone.
pub(super) struct Target {
    net: OwnedFd,
    /// None when the owner is the caller's own user namespace.
    user: Option<OwnedFd>,
}

impl Target {
    pub(super) fn open(path: &Path) -> io::Result<Target> {
        let net = OwnedFd::from(std::fs::File::open(path)?);
        // SAFETY: the ioctl takes no argument and returns a new fd or -1.
        let fd = unsafe { libc::ioctl(net.as_raw_fd(), NS_GET_USERNS as _) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: fd was just returned by the kernel and is owned here only.
        let user = unsafe { OwnedFd::from_raw_fd(fd) };
        let own = std::fs::metadata("/proc/self/ns/user")?.ino();
        let theirs = std::fs::File::from(user.try_clone()?).metadata()?.ino();
        Ok(Target {
            net,
            user: (own != theirs).then_some(user),
        })
    }

    /// Whether the container is created in the target's user namespace (no maps to write).
    pub(super) fn joins_userns(&self) -> bool {
        self.user.is_some()
    }

    /// Clones `child` with `flags` inside the target's namespaces, as the caller's child.
    pub(super) fn clone(&self, flags: libc::c_int, child: impl FnOnce() -> i32) -> io::Result<Pid> {
        let (r, w) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(io::Error::from)?;
        let mid = super::parent::clone_child(0, || {
            let mut w = std::fs::File::from(w);
            let res = self
                .enter()
                .and_then(|()| super::parent::clone_child(flags | libc::CLONE_PARENT, child));
            let msg = match res {
                Ok(pid) => format!("ok {pid}\n"),
                Err(e) => format!("err {}\n", e.raw_os_error().unwrap_or(libc::EIO)),
            };
            let _ = w.write_all(msg.as_bytes());
            0
        })?;
        // The container holds the write end until it executes: read one line, not to the end.
        let mut msg = Vec::new();
        let mut r = std::fs::File::from(r);
        let mut byte = [0u8; 1];
        while msg.len() < 64 && matches!(r.read(&mut byte), Ok(1)) && byte[0] != b'\n' {
            msg.push(byte[0]);
        }
        let _ = waitpid(mid, None);
        let msg = String::from_utf8_lossy(&msg);
        match msg.split_once(' ') {
            Some(("ok", pid)) => pid
                .parse()
                .map(Pid::from_raw)
                .map_err(|_| io::Error::other("bad pid from the intermediate process")),
            Some(("err", errno)) => Err(io::Error::from_raw_os_error(
                errno.parse().unwrap_or(libc::EIO),
            )),
            _ => Err(io::Error::other(
                "the process entering the network namespace ended without a word",
            )),
        }
    }

    fn enter(&self) -> io::Result<()> {
        if let Some(user) = &self.user {
            setns(user, libc::CLONE_NEWUSER)?;
        }
        setns(&self.net, libc::CLONE_NEWNET)
    }
}

fn setns(fd: &OwnedFd, kind: libc::c_int) -> io::Result<()> {
    // SAFETY: setns on an owned namespace fd.
    if unsafe { libc::setns(fd.as_raw_fd(), kind) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
