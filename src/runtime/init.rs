//! The built-in init (`--init`), also the supervisor that keeps fuse-overlayfs outside the
//! container: forwards signals to its child, reaps every zombie, and exits with the child's
//! status.

use std::path::Path;

use nix::sys::signal::{kill, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;

use super::signals::{exit_code, handled_set, FORWARDED};
use super::sys;

/// Runs the init loop for `child`; with `unmount`, lazily unmounts that path at the end so a
/// FUSE daemon serving it can exit.
pub(crate) fn run(child: Pid, unmount: Option<&Path>) -> ! {
    // This process still runs lodger's image: keep /proc/<pid>/exe and its memory out of
    // reach of the container's processes.
    // SAFETY: prctl with integer arguments only.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
    // The report pipe and every other inherited fd must not be held by this process, or the
    // parent would never see the command's exec.
    let _ = sys::close_from_3();
    let code = supervise(child);
    if let Some(path) = unmount {
        let _ = nix::mount::umount2(path, nix::mount::MntFlags::MNT_DETACH);
    }
    // SAFETY: ends this process without running the parent's atexit handlers.
    unsafe { libc::_exit(code) }
}

/// Waits for `child`, forwarding the signals lodger forwards; returns its exit code.
fn supervise(child: Pid) -> i32 {
    // The signals are still blocked (inherited from the parent), so sigwait sees them all.
    let set = handled_set();
    loop {
        match set.wait() {
            Ok(Signal::SIGCHLD) => {
                if let Some(code) = reap(child) {
                    return code;
                }
            }
            Ok(sig) if FORWARDED.contains(&sig) => {
                let _ = kill(child, sig);
            }
            _ => {}
        }
    }
}

/// Reaps every exited process; the exit code once `child` is among them.
fn reap(child: Pid) -> Option<i32> {
    let mut result = None;
    loop {
        match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) => return result,
            Ok(status) => {
                if status.pid() == Some(child) {
                    result = exit_code(status);
                }
            }
            // No children left: the command is gone too.
            Err(_) => return result.or(Some(0)),
        }
    }
}
