//! The monitor's only loop: copy the container's output to the log and to attached clients,
//! and their input to the container, until it exits.

use super::attach::{self, Request, Server};
use super::input::Input;
use super::log::Writer;
use crate::runtime::{poll_fd, read_fd, Started};
use nix::sys::signal::{SigSet, SigmaskHow, Signal};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;
use std::os::fd::{AsRawFd, OwnedFd};

pub struct Signals {
    fd: SignalFd,
}

impl Signals {
    /// Blocks SIGCHLD (read through a signalfd) and the signals that would end the monitor
    /// while its container runs: it goes only when the container does.
    pub fn new() -> nix::Result<Signals> {
        let mut set = SigSet::empty();
        for s in [
            Signal::SIGCHLD,
            Signal::SIGTERM,
            Signal::SIGINT,
            Signal::SIGHUP,
            Signal::SIGQUIT,
            Signal::SIGPIPE,
        ] {
            set.add(s);
        }
        nix::sys::signal::sigprocmask(SigmaskHow::SIG_BLOCK, Some(&set), None)?;
        let mut chld = SigSet::empty();
        chld.add(Signal::SIGCHLD);
        let fd = SignalFd::with_flags(&chld, SfdFlags::SFD_CLOEXEC | SfdFlags::SFD_NONBLOCK)?;
        Ok(Signals { fd })
    }
}

/// Where the container's output goes and where its input comes from.
pub struct Io<'a> {
    pub log: Option<&'a mut Writer>,
    pub attach: Option<&'a mut Server>,
    pub input: Input,
}

fn push(fds: &mut Vec<libc::pollfd>, fd: libc::pollfd) -> usize {
    fds.push(fd);
    fds.len() - 1
}

/// Runs until the container exits; returns its exit code (128+signal if killed).
pub fn watch(
    signals: &Signals,
    started: Started,
    pipes: Option<(OwnedFd, OwnedFd)>,
    mut io: Io,
) -> i32 {
    let pid = Pid::from_raw(started.pid as i32);
    // A pty master reads as the container's stdout.
    let (mut out, mut err) = match pipes {
        Some((o, e)) => (Some(o), Some(e)),
        None => (started.master, None),
    };
    let mut code = None;
    let mut buf = [0u8; attach::CHUNK + 1];
    let mut fds = Vec::with_capacity(8);
    loop {
        if code.is_some() && out.is_none() && err.is_none() {
            break;
        }
        fds.clear();
        fds.push(poll_fd(signals.fd.as_raw_fd()));
        fds.push(poll_fd(out.as_ref().map_or(-1, AsRawFd::as_raw_fd)));
        fds.push(poll_fd(err.as_ref().map_or(-1, AsRawFd::as_raw_fd)));
        let running = code.is_none();
        let listener_at = match (&io.attach, running) {
            (Some(s), true) => Some(push(&mut fds, poll_fd(s.listener()))),
            _ => None,
        };
        let waiting_at = io.input.waiting().map(|fd| {
            let mut p = poll_fd(fd);
            p.events = libc::POLLOUT;
            push(&mut fds, p)
        });
        let clients_from = fds.len();
        if let (Some(s), true, None) = (&io.attach, running, waiting_at) {
            fds.extend(s.clients().map(poll_fd));
        }
        // Once pid 1 is gone only buffered output is left: never wait for more.
        let timeout = if running { -1 } else { 0 };
        // SAFETY: poll over a live vector of pollfd; negative fds are ignored.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            break;
        }
        if n == 0 {
            break;
        }
        if fds[0].revents != 0 {
            while let Ok(Some(_)) = signals.fd.read_signal() {}
            loop {
                match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
                    Ok(WaitStatus::Exited(p, c)) if p == pid => code = Some(c),
                    Ok(WaitStatus::Signaled(p, s, _)) if p == pid => code = Some(128 + s as i32),
                    Ok(WaitStatus::StillAlive) | Err(_) => break,
                    Ok(_) => {}
                }
            }
        }
        for (i, stream, name, kind) in [
            (1, &mut out, "stdout", attach::STDOUT),
            (2, &mut err, "stderr", attach::STDERR),
        ] {
            if fds[i].revents == 0 {
                continue;
            }
            let Some(fd) = stream.as_ref().map(AsRawFd::as_raw_fd) else {
                continue;
            };
            match read_fd(fd, &mut buf[..attach::CHUNK]) {
                Some(0) => {}
                Some(n) => {
                    // A full disk must not stop the container: its output is dropped.
                    if let Some(log) = io.log.as_deref_mut() {
                        let _ = log.write(name, &buf[..n]);
                    }
                    if let Some(s) = io.attach.as_deref_mut() {
                        s.broadcast(kind, &buf[..n]);
                    }
                }
                // EOF, or EIO on a pty master once every slave is closed.
                None => *stream = None,
            }
        }
        if waiting_at.is_some_and(|i| fds[i].revents != 0) {
            io.input.flush();
        }
        let Some(server) = io.attach.as_deref_mut() else {
            continue;
        };
        if listener_at.is_some_and(|i| fds[i].revents != 0) {
            server.accept();
        }
        for p in fds[clients_from..].iter().filter(|p| p.revents != 0) {
            match server.read(p.fd, &mut buf) {
                Some(Request::Input(data)) => io.input.push(data),
                Some(Request::CloseStdin) => io.input.close(),
                Some(Request::Resize { rows, cols }) => io.input.resize(rows, cols),
                None => {}
            }
        }
    }
    match code {
        Some(c) => c,
        None => match waitpid(pid, None) {
            Ok(WaitStatus::Exited(_, c)) => c,
            Ok(WaitStatus::Signaled(_, s, _)) => 128 + s as i32,
            _ => -1,
        },
    }
}
