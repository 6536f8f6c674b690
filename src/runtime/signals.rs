//! Which signals reach the container, and how a wait status becomes an exit code.

use nix::sys::signal::{SigSet, Signal};
use nix::sys::wait::WaitStatus;

/// Signals the foreground parent (and the built-in init) pass on to the container.
pub(crate) const FORWARDED: [Signal; 6] = [
    Signal::SIGINT,
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGQUIT,
    Signal::SIGUSR1,
    Signal::SIGUSR2,
];

/// The forwarded signals plus SIGCHLD and SIGWINCH: blocked in the parent before the clone so
/// none is lost or kills lodger before it can be relayed.
pub(crate) fn handled_set() -> SigSet {
    let mut set = SigSet::empty();
    for s in FORWARDED {
        set.add(s);
    }
    set.add(Signal::SIGCHLD);
    set.add(Signal::SIGWINCH);
    set
}

/// Podman's exit code for a wait status: the exit code, or 128 + the killing signal.
pub(crate) fn exit_code(status: WaitStatus) -> Option<i32> {
    match status {
        WaitStatus::Exited(_, code) => Some(code),
        WaitStatus::Signaled(_, sig, _) => Some(128 + sig as i32),
        _ => None,
    }
}

/// Puts every signal back to its default action and unblocks all, as a fresh process expects.
///
/// Ignored signals (Rust ignores SIGPIPE) would otherwise stay ignored across execve.
pub(crate) fn reset_for_exec() {
    for sig in Signal::iterator() {
        if matches!(sig, Signal::SIGKILL | Signal::SIGSTOP) {
            continue;
        }
        // SAFETY: setting SIG_DFL installs no handler; nothing else runs in this process.
        unsafe {
            let _ = nix::sys::signal::signal(sig, nix::sys::signal::SigHandler::SigDfl);
        }
    }
    let _ = nix::sys::signal::sigprocmask(
        nix::sys::signal::SigmaskHow::SIG_SETMASK,
        Some(&SigSet::empty()),
        None,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use nix::unistd::Pid;

    #[test]
    fn exit_codes_follow_podman() {
        let pid = Pid::from_raw(7);
        assert_eq!(exit_code(WaitStatus::Exited(pid, 0)), Some(0));
        assert_eq!(exit_code(WaitStatus::Exited(pid, 3)), Some(3));
        assert_eq!(
            exit_code(WaitStatus::Signaled(pid, Signal::SIGKILL, false)),
            Some(137)
        );
        assert_eq!(
            exit_code(WaitStatus::Signaled(pid, Signal::SIGTERM, true)),
            Some(143)
        );
        assert_eq!(exit_code(WaitStatus::StillAlive), None);
    }

    #[test]
    fn handled_set_covers_forwarded_and_child() {
        let set = handled_set();
        for s in FORWARDED {
            assert!(set.contains(s));
        }
        assert!(set.contains(Signal::SIGCHLD));
        assert!(set.contains(Signal::SIGWINCH));
        assert!(!set.contains(Signal::SIGKILL));
    }
}
