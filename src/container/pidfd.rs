//! Process file descriptors: a pidfd names one process for good, so a signal through it can
//! never reach a process that reused the pid, and polling it tells when that process exits
//! (the container's pid 1 is the monitor's child, not ours, so `waitpid` cannot).

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::time::{Duration, Instant};

pub fn open(pid: u32) -> Option<OwnedFd> {
    let pid = libc::pid_t::try_from(pid).ok()?;
    // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if fd < 0 {
        return None;
    }
    // SAFETY: a fresh descriptor that nothing else owns.
    Some(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

pub fn signal(fd: BorrowedFd<'_>, signal: i32) -> io::Result<()> {
    // SAFETY: pidfd_send_signal with a valid descriptor, no siginfo and no flags.
    let r = unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            fd.as_raw_fd(),
            signal,
            std::ptr::null::<libc::siginfo_t>(),
            0,
        )
    };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Waits until every process is gone, for at most `limit`.
pub fn wait_all(fds: Vec<OwnedFd>, limit: Duration) {
    let deadline = Instant::now() + limit;
    let mut polls: Vec<libc::pollfd> = fds
        .iter()
        .map(|f| crate::runtime::poll_fd(f.as_raw_fd()))
        .collect();
    while !polls.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        // SAFETY: poll over a local array of pollfd whose descriptors `fds` keeps open.
        let n = unsafe {
            libc::poll(
                polls.as_mut_ptr(),
                polls.len() as libc::nfds_t,
                left.as_millis().min(i32::MAX as u128) as i32,
            )
        };
        if n < 0 && io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return;
        }
        polls.retain(|p| p.revents == 0);
    }
}

/// Waits until one of the processes is gone, for at most `limit`; whether one is.
pub fn wait_any(fds: &[&OwnedFd], limit: Duration) -> bool {
    let mut polls: Vec<libc::pollfd> = fds
        .iter()
        .map(|f| crate::runtime::poll_fd(f.as_raw_fd()))
        .collect();
    // SAFETY: poll over a local array of pollfd whose descriptors the caller keeps open.
    let ready = unsafe {
        libc::poll(
            polls.as_mut_ptr(),
            polls.len() as libc::nfds_t,
            limit.as_millis().min(i32::MAX as u128) as i32,
        )
    };
    ready > 0
}

/// Raises the soft limit on open files to the hard one and returns how many descriptors a
/// caller may hold at once: waiting on a thousand containers needs a few thousand.
pub fn fd_budget() -> usize {
    let Some(limit) = crate::runtime::raise_fd_limit() else {
        return 256;
    };
    // Leave room for the store, the log files and whatever else the command has open.
    usize::try_from(limit)
        .unwrap_or(usize::MAX)
        .saturating_sub(64)
        .max(16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;

    #[test]
    fn a_pidfd_signals_its_process_and_reports_its_exit() {
        let mut child = std::process::Command::new("sleep")
            .arg("100")
            .spawn()
            .unwrap();
        let fd = open(child.id()).unwrap();
        signal(fd.as_fd(), libc::SIGKILL).unwrap();
        let mut p = crate::runtime::poll_fd(fd.as_raw_fd());
        // SAFETY: poll on one local pollfd.
        assert_eq!(unsafe { libc::poll(&mut p, 1, 10_000) }, 1);
        assert!(!child.wait().unwrap().success());
        assert!(open(u32::MAX).is_none());
        assert!(fd_budget() >= 16);
    }
}
