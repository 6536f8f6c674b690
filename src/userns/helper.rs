//! Child side of the helper: enter the namespace, wait for the maps, run one operation.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd, RawFd};

use nix::sched::CloneFlags;
use nix::unistd::{Gid, Uid};

use super::spawn::SYNC_ENV;

/// Entry point of `lodger __userns-helper <op> ...`; returns the process exit code.
///
/// Operations: `extract <dest-dir> <gzip|zstd|none>`, `rm <path>...`, `tar <dir>`, `true`.
/// Errors are printed on stderr and give exit code 125.
pub fn helper_main(args: &[String]) -> i32 {
    if let Err(msg) = enter_namespace() {
        if !msg.is_empty() {
            eprintln!("lodger: {msg}");
        }
        return 125;
    }
    // Deep trees are removed with one open directory per level.
    crate::runtime::raise_fd_limit();
    let result = match args.first().map(String::as_str) {
        Some(crate::volume::copyup::OP) => return crate::volume::copyup::helper_main(&args[1..]),
        Some("extract") => crate::layer::helper_extract(&args[1..]),
        Some("rm") => crate::layer::helper_rm(&args[1..]),
        Some("tar") => crate::layer::helper_tar(&args[1..]),
        Some("true") => Ok(()),
        // Works in a container's rootfs; reports its own errors.
        Some("cp") => return crate::container::inside::helper_main(&args[1..]),
        other => {
            eprintln!("lodger: unknown helper operation {other:?}");
            return 125;
        }
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("lodger: {e}");
            125
        }
    }
}

/// Unshares the user namespace and completes the handshake with the parent.
///
/// An empty error means the parent gave up (it reports why); print nothing then.
fn enter_namespace() -> Result<(), String> {
    let spec = std::env::var(SYNC_ENV)
        .map_err(|_| format!("{} is an internal command of lodger", super::HELPER_ARG))?;
    std::env::remove_var(SYNC_ENV);
    let (ready, go) = parse_fds(&spec).ok_or_else(|| format!("bad {SYNC_ENV} value {spec:?}"))?;
    // SAFETY: the parent passed these two fds to this process and nothing else owns them.
    let (ready, go) = unsafe { (OwnedFd::from_raw_fd(ready), OwnedFd::from_raw_fd(go)) };
    let mut ready = File::from(ready);
    let errno = match nix::sched::unshare(CloneFlags::CLONE_NEWUSER) {
        Ok(()) => 0,
        Err(e) => e as i32,
    };
    // The parent turns a non-zero errno into an error naming the sysctl to change.
    ready
        .write_all(&errno.to_le_bytes())
        .map_err(|_| String::new())?;
    drop(ready);
    if errno != 0 {
        return Err(String::new());
    }
    let mut byte = [0u8; 1];
    File::from(go)
        .read_exact(&mut byte)
        .map_err(|_| String::new())?;
    let root_gid = Gid::from_raw(0);
    let root_uid = Uid::from_raw(0);
    nix::unistd::setresgid(root_gid, root_gid, root_gid)
        .map_err(|e| format!("setresgid(0) in the user namespace: {e}"))?;
    // Host supplementary groups would show up as the overflow gid inside; drop them where
    // the map allows it (a single-id map denies setgroups).
    let _ = nix::unistd::setgroups(&[]);
    nix::unistd::setresuid(root_uid, root_uid, root_uid)
        .map_err(|e| format!("setresuid(0) in the user namespace: {e}"))?;
    // Modes come from the layer; do not let the caller's umask mask them.
    rustix::process::umask(rustix::fs::Mode::empty());
    Ok(())
}

fn parse_fds(spec: &str) -> Option<(RawFd, RawFd)> {
    let (a, b) = spec.split_once(',')?;
    let (a, b): (RawFd, RawFd) = (a.parse().ok()?, b.parse().ok()?);
    (a > 2 && b > 2 && a != b).then_some((a, b))
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_sync_fds() {
        assert_eq!(super::parse_fds("5,7"), Some((5, 7)));
        assert_eq!(super::parse_fds("1,7"), None);
        assert_eq!(super::parse_fds("5,5"), None);
        assert_eq!(super::parse_fds("x"), None);
    }
}
