//! The terminal side of an attach session, over the monitor's socket: output to lodger's
//! stdout and stderr, typed input to the container until the detach keys, window sizes and
//! signals. `attach`, `run -it` and `start -ai` share it.

use crate::container::{self, process};
use crate::monitor::attach as proto;
use crate::paths::Paths;
use crate::runtime::{poll_fd, read_fd, RawMode};
use crate::store::{ContainerRecord, State, Store};
use anyhow::bail;
use nix::sys::signal::{SigSet, SigmaskHow, Signal};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use std::os::fd::AsRawFd;

pub const DEFAULT_DETACH_KEYS: &str = "ctrl-p,ctrl-q";

/// Podman's `--detach-keys`: `a`, `ctrl-a` … `ctrl-z`, `ctrl-@`, `ctrl-[`, `ctrl-\`,
/// `ctrl-]`, `ctrl-^`, `ctrl-_`, comma separated; empty disables detaching.
pub fn parse_detach_keys(keys: &str) -> anyhow::Result<Vec<u8>> {
    let bad = || {
        anyhow::anyhow!(
            "invalid --detach-keys {keys:?}: use characters and ctrl-<a-z @ [ \\ ] ^ _> separated by commas, such as ctrl-p,ctrl-q, or \"\" to disable"
        )
    };
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for key in keys.split(',') {
        let lower = key.to_ascii_lowercase();
        let b = match lower.strip_prefix("ctrl-") {
            Some(c) if c.len() == 1 => match c.as_bytes()[0] {
                c @ b'a'..=b'z' => c - b'a' + 1,
                b'@' => 0,
                b'[' => 27,
                b'\\' => 28,
                b']' => 29,
                b'^' => 30,
                b'_' => 31,
                _ => return Err(bad()),
            },
            _ if key.len() == 1 => key.as_bytes()[0],
            _ => return Err(bad()),
        };
        out.push(b);
    }
    Ok(out)
}

/// Finds the detach sequence in what the user types; bytes that may start it are held back
/// until the next ones say whether it is.
struct DetachScanner {
    keys: Vec<u8>,
    matched: usize,
}

impl DetachScanner {
    /// Bytes to send on, and whether the sequence was typed.
    fn feed(&mut self, data: &[u8]) -> (Vec<u8>, bool) {
        let mut out = Vec::with_capacity(data.len());
        if self.keys.is_empty() {
            out.extend_from_slice(data);
            return (out, false);
        }
        for &b in data {
            if b == self.keys[self.matched] {
                self.matched += 1;
            } else if self.matched == 0 {
                out.push(b);
            } else {
                // The held bytes and this one: keep the longest tail that may still begin
                // the sequence (`ctrl-p ctrl-p ctrl-q` typed after an extra ctrl-p) and
                // send on what comes before it.
                let mut held = self.keys[..self.matched].to_vec();
                held.push(b);
                let keep = longest_tail_starting(&held, &self.keys);
                out.extend_from_slice(&held[..held.len() - keep]);
                self.matched = keep;
            }
            if self.matched == self.keys.len() {
                return (out, true);
            }
        }
        (out, false)
    }
}

/// The length of the longest proper tail of `held` that `keys` starts with.
fn longest_tail_starting(held: &[u8], keys: &[u8]) -> usize {
    (1..held.len())
        .rev()
        .find(|&k| k <= keys.len() && held[held.len() - k..] == keys[..k])
        .unwrap_or(0)
}

/// Writes all of `data`; false when `fd` is a terminal that hung up (EIO), which ends the
/// session. Other write errors drop the output, as before: a closed pipe on stdout must not
/// take the container's input away.
fn write_all(fd: i32, data: &[u8]) -> bool {
    let mut rest = data;
    while !rest.is_empty() {
        // SAFETY: write from a live buffer of the given length.
        let n = unsafe { libc::write(fd, rest.as_ptr().cast(), rest.len()) };
        if n < 0 {
            let err = std::io::Error::last_os_error();
            if err.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return err.raw_os_error() != Some(libc::EIO);
        }
        rest = &rest[n as usize..];
    }
    true
}

fn send_winsize(sock: i32) {
    if let Some((rows, cols)) = crate::runtime::host_winsize() {
        let mut msg = rows.to_le_bytes().to_vec();
        msg.extend_from_slice(&cols.to_le_bytes());
        let _ = proto::send(sock, proto::RESIZE, &msg);
    }
}

/// The signals attach handles, read through a signalfd; on every way out the ones still
/// queued are dropped (a late SIGINT must not kill lodger after the fact) and the mask is
/// restored.
pub struct Signals {
    fd: SignalFd,
    old: SigSet,
    /// The session passes signals on to the container (`--sig-proxy`).
    proxy: bool,
}

impl Signals {
    pub fn block(set: SigSet) -> anyhow::Result<Signals> {
        let mut old = SigSet::empty();
        nix::sys::signal::sigprocmask(SigmaskHow::SIG_BLOCK, Some(&set), Some(&mut old))?;
        match SignalFd::with_flags(&set, SfdFlags::SFD_CLOEXEC | SfdFlags::SFD_NONBLOCK) {
            Ok(fd) => Ok(Signals {
                fd,
                old,
                proxy: false,
            }),
            Err(e) => {
                let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
                Err(e.into())
            }
        }
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        while let Ok(Some(_)) = self.fd.read_signal() {}
        let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_SETMASK, Some(&self.old), None);
    }
}

/// The signals a session handles: SIGWINCH, SIGHUP (the terminal hung up), and those
/// passed on with `sig_proxy`.
pub fn session_signals(sig_proxy: bool) -> anyhow::Result<Signals> {
    let mut set = SigSet::empty();
    set.add(Signal::SIGWINCH);
    set.add(Signal::SIGHUP);
    if sig_proxy {
        for s in crate::runtime::FORWARDED {
            set.add(s);
        }
    }
    let mut signals = Signals::block(set)?;
    signals.proxy = sig_proxy;
    Ok(signals)
}

/// How a session ended.
#[derive(Debug, PartialEq)]
pub enum Ended {
    /// The monitor sent the container's exit code.
    Exited(i32),
    /// The user typed the detach keys.
    Detached,
    /// The monitor closed the socket without an exit code.
    Closed,
    /// lodger's terminal went away (SIGHUP, or EIO or a hang-up on it): the session ends as
    /// a detach does, with the container left running.
    HungUp,
}

/// What lodger returns when its terminal hung up: Podman ends the attach with an error
/// (125) there; nobody is left to read the message, but a parent process sees the code.
pub fn hung_up(record: &ContainerRecord) -> anyhow::Result<i32> {
    bail!(
        "the terminal hung up: container {} keeps running (`lodger attach {}` takes it back)",
        record.name,
        record.name
    )
}

/// What a session does besides relaying output.
pub struct Session<'a> {
    pub paths: &'a Paths,
    /// The running container (its pid, for the signals passed on).
    pub record: &'a ContainerRecord,
    pub detach_keys: Vec<u8>,
    /// Read lodger's stdin (for the detach keys, and input with `forward_input`).
    pub stdin: bool,
    /// The container was created with -i: what is typed goes to it.
    pub forward_input: bool,
    /// The container has a terminal: lodger's goes raw and its size follows.
    pub tty: bool,
}

/// Relays until the container exits, the user detaches or the monitor goes; the terminal is
/// restored on every way out.
pub fn relay(s: Session, sock: &impl AsRawFd, signals: &Signals) -> anyhow::Result<Ended> {
    let sock_fd = sock.as_raw_fd();
    let sigfd = &signals.fd;
    let mut stdin_open = s.stdin;
    // Asked now: a terminal that hung up no longer answers as one.
    // SAFETY: isatty on fd 0 only reads its state.
    let stdin_terminal = unsafe { libc::isatty(0) } == 1;
    let mut scanner = DetachScanner {
        keys: s.detach_keys,
        matched: 0,
    };
    let _raw = if s.tty {
        send_winsize(sock_fd);
        RawMode::enter(0, stdin_open)
    } else {
        None
    };
    let mut buf = vec![0u8; proto::CHUNK + 1];
    loop {
        let mut fds = [
            poll_fd(sock_fd),
            poll_fd(sigfd.as_raw_fd()),
            poll_fd(if stdin_open { 0 } else { -1 }),
        ];
        // SAFETY: poll over a local array of pollfd; a negative fd is ignored.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, -1) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            bail!(
                "waiting for the container: {}",
                std::io::Error::last_os_error()
            );
        }
        if fds[1].revents != 0 {
            while let Ok(Some(info)) = sigfd.read_signal() {
                match Signal::try_from(info.ssi_signo as i32) {
                    Ok(Signal::SIGWINCH) => send_winsize(sock_fd),
                    // Passed on like any other signal, as Podman's signal proxy does: the
                    // container decides (an interactive shell ends). Without the proxy, a
                    // hang-up ends the session as a detach. A terminal that really goes
                    // away also shows up as EIO or a hang-up on stdin, handled below.
                    Ok(Signal::SIGHUP) if !signals.proxy => return Ok(Ended::HungUp),
                    Ok(sig) => {
                        let _ = process::signal(s.paths, s.record, sig as i32);
                    }
                    Err(_) => {}
                }
            }
        }
        if fds[2].revents != 0 {
            // Cleared so that EIO below comes from this read (an EOF leaves errno alone).
            nix::errno::Errno::clear();
            match read_fd(0, &mut buf[..proto::CHUNK]) {
                Some(0) => {}
                Some(n) => {
                    let (data, detach) = scanner.feed(&buf[..n]);
                    if s.forward_input
                        && !data.is_empty()
                        && proto::send(sock_fd, proto::STDIN, &data).is_err()
                    {
                        stdin_open = false;
                    }
                    if detach {
                        return Ok(Ended::Detached);
                    }
                }
                None if stdin_terminal
                    && (fds[2].revents & (libc::POLLHUP | libc::POLLERR) != 0
                        || nix::errno::Errno::last() == nix::errno::Errno::EIO) =>
                {
                    return Ok(Ended::HungUp);
                }
                None => {
                    stdin_open = false;
                    if s.forward_input {
                        let _ = proto::send(sock_fd, proto::CLOSE_STDIN, &[]);
                    }
                }
            }
        }
        if fds[0].revents != 0 {
            let n = proto::recv(sock_fd, &mut buf).unwrap_or(0);
            if n == 0 {
                return Ok(Ended::Closed);
            }
            match buf[0] {
                proto::STDOUT if !write_all(1, &buf[1..n]) => return Ok(Ended::HungUp),
                proto::STDERR if !write_all(2, &buf[1..n]) => return Ok(Ended::HungUp),
                proto::EXIT if n == 5 => {
                    return Ok(Ended::Exited(i32::from_le_bytes([
                        buf[1], buf[2], buf[3], buf[4],
                    ])))
                }
                _ => {}
            }
        }
    }
}

/// After the exit code: waits until the monitor lets the socket go, which it does once it
/// is done with the container (removed it, for `--rm`).
pub fn wait_closed(sock: &impl AsRawFd) {
    let mut buf = vec![0u8; proto::CHUNK + 1];
    while matches!(proto::recv(sock.as_raw_fd(), &mut buf), Ok(n) if n > 0) {}
}

/// The monitor closed the connection without an exit code: it ended between our state check
/// and the connection, or it was killed.
pub fn exit_code_after(
    store: &Store,
    record: &crate::store::ContainerRecord,
) -> anyhow::Result<i32> {
    let paths = store.paths();
    if container::effective_state(paths, record) == State::Running {
        let current = store.find_container(&record.id)?;
        if container::effective_state(paths, &current) == State::Running {
            bail!(
                "lost the connection to the monitor of container {}, which is still running",
                record.name
            );
        }
    }
    Ok(process::wait_exited(store, record)?.exit_code.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detach_keys_as_podman() {
        assert_eq!(parse_detach_keys("ctrl-p,ctrl-q").unwrap(), [16, 17]);
        assert_eq!(parse_detach_keys("a,ctrl-[,ctrl-@").unwrap(), [b'a', 27, 0]);
        assert_eq!(parse_detach_keys("").unwrap(), Vec::<u8>::new());
        assert!(parse_detach_keys("ctrl-").is_err());
        assert!(parse_detach_keys("ctrl-1").is_err());
        assert!(parse_detach_keys("ab").is_err());
        assert!(parse_detach_keys("a,,b").is_err());
    }

    #[test]
    fn detach_sequence_across_reads() {
        let mut s = DetachScanner {
            keys: vec![16, 17],
            matched: 0,
        };
        assert_eq!(s.feed(b"ab\x10"), (b"ab".to_vec(), false));
        assert_eq!(s.feed(b"x"), (b"\x10x".to_vec(), false));
        assert_eq!(s.feed(b"\x10\x10"), (b"\x10".to_vec(), false));
        assert_eq!(s.feed(b"\x11rest"), (Vec::new(), true));
        let mut off = DetachScanner {
            keys: Vec::new(),
            matched: 0,
        };
        assert_eq!(off.feed(b"\x10\x11"), (b"\x10\x11".to_vec(), false));
    }

    #[test]
    fn a_repeated_first_key_still_detaches_after_an_extra_one() {
        let scan = |keys: &[u8], input: &[u8]| {
            let mut s = DetachScanner {
                keys: keys.to_vec(),
                matched: 0,
            };
            s.feed(input)
        };
        let (p, q) = (16u8, 17u8);
        assert_eq!(scan(&[p, p, q], &[p, p, p, q]), (vec![p], true));
        assert_eq!(
            scan(&[p, p, q], &[b'a', p, p, p, p, q]),
            (vec![b'a', p, p], true)
        );
        assert_eq!(scan(&[p, p, q], &[p, p, b'x']), (vec![p, p, b'x'], false));
        assert_eq!(scan(b"abac", b"ababac"), (b"ab".to_vec(), true));
        assert_eq!(scan(&[p], &[b'x', p]), (vec![b'x'], true));
    }
}
