//! `attach`: the terminal side of a detached container, through its monitor's socket.

use super::Context;
use crate::container::{self, process};
use crate::monitor::attach as proto;
use crate::runtime::{poll_fd, read_fd, RawMode};
use crate::store::{State, Store};
use anyhow::{bail, Context as _};
use clap::{ArgAction, Args};
use nix::sys::signal::{SigSet, SigmaskHow, Signal};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use std::os::fd::AsRawFd;

#[derive(Args, Debug)]
pub struct AttachArgs {
    /// Keys that detach: a comma-separated list of characters and ctrl-X ("" for none)
    #[arg(long, value_name = "KEYS")]
    pub detach_keys: Option<String>,
    /// Do not attach stdin
    #[arg(long)]
    pub no_stdin: bool,
    /// Pass the signals lodger receives on to the container
    #[arg(long, value_name = "BOOL", action = ArgAction::Set, num_args = 0..=1,
          default_value_t = true, default_missing_value = "true", require_equals = true)]
    pub sig_proxy: bool,
    /// Container to attach to
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

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
                if self.matched == self.keys.len() {
                    return (out, true);
                }
                continue;
            }
            out.extend_from_slice(&self.keys[..self.matched]);
            self.matched = 0;
            if b == self.keys[0] {
                self.matched = 1;
                if self.keys.len() == 1 {
                    return (out, true);
                }
            } else {
                out.push(b);
            }
        }
        (out, false)
    }
}

fn write_all(fd: i32, data: &[u8]) {
    let mut rest = data;
    while !rest.is_empty() {
        // SAFETY: write from a live buffer of the given length.
        let n = unsafe { libc::write(fd, rest.as_ptr().cast(), rest.len()) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return;
        }
        rest = &rest[n as usize..];
    }
}

fn send_winsize(sock: i32) {
    // SAFETY: TIOCGWINSZ into a local winsize.
    unsafe {
        let mut ws: libc::winsize = std::mem::zeroed();
        for fd in [0, 1] {
            if libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) == 0 {
                let mut msg = ws.ws_row.to_le_bytes().to_vec();
                msg.extend_from_slice(&ws.ws_col.to_le_bytes());
                let _ = proto::send(sock, proto::RESIZE, &msg);
                return;
            }
        }
    }
}

/// The signals attach handles, read through a signalfd; on every way out the ones still
/// queued are dropped (a late SIGINT must not kill lodger after the fact) and the mask is
/// restored.
struct Signals {
    fd: SignalFd,
    old: SigSet,
}

impl Signals {
    fn block(set: SigSet) -> anyhow::Result<Signals> {
        let mut old = SigSet::empty();
        nix::sys::signal::sigprocmask(SigmaskHow::SIG_BLOCK, Some(&set), Some(&mut old))?;
        match SignalFd::with_flags(&set, SfdFlags::SFD_CLOEXEC | SfdFlags::SFD_NONBLOCK) {
            Ok(fd) => Ok(Signals { fd, old }),
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

pub fn attach(ctx: &Context, a: AttachArgs) -> anyhow::Result<i32> {
    let keys = parse_detach_keys(a.detach_keys.as_deref().unwrap_or(DEFAULT_DETACH_KEYS))?;
    let store = Store::open(&ctx.paths)?;
    let record = store.find_container(&a.container)?;
    if container::effective_state(&ctx.paths, &record) != State::Running {
        bail!("you can only attach to running containers");
    }
    let cfg = container::parse_config(&record)?;
    if cfg.log.driver == container::LogDriver::Passthrough {
        bail!("container {} uses the passthrough log driver: its output goes to the stdio of the command that started it, there is nothing to attach to", record.name);
    }
    let path = proto::socket_path(&ctx.paths, &record.id);
    let sock = proto::connect(&path).with_context(|| {
        format!(
            "connecting to the attach socket of container {} (is its monitor running?)",
            record.name
        )
    })?;
    let sock_fd = sock.as_raw_fd();
    // Stdin is read even when the container has none, as Podman does: the detach keys work
    // on every attached terminal; only a container created with -i gets what is typed.
    let mut stdin_open = !a.no_stdin;
    let forward = cfg.interactive;
    let mut scanner = DetachScanner { keys, matched: 0 };

    let mut set = SigSet::empty();
    set.add(Signal::SIGWINCH);
    if a.sig_proxy {
        for s in crate::runtime::FORWARDED {
            set.add(s);
        }
    }
    let signals = Signals::block(set)?;
    let sigfd = &signals.fd;

    let _raw = if cfg.tty {
        send_winsize(sock_fd);
        RawMode::enter(0, stdin_open)
    } else {
        None
    };
    let mut buf = vec![0u8; proto::CHUNK + 1];
    loop {
        let mut fds = vec![poll_fd(sock_fd), poll_fd(sigfd.as_raw_fd())];
        if stdin_open {
            fds.push(poll_fd(0));
        }
        // SAFETY: poll over a live vector of pollfd.
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
                    Ok(s) => {
                        let _ = process::signal(&ctx.paths, &record, s as i32);
                    }
                    Err(_) => {}
                }
            }
        }
        if fds.len() > 2 && fds[2].revents != 0 {
            match read_fd(0, &mut buf[..proto::CHUNK]) {
                Some(0) => {}
                Some(n) => {
                    let (data, detach) = scanner.feed(&buf[..n]);
                    if forward
                        && !data.is_empty()
                        && proto::send(sock_fd, proto::STDIN, &data).is_err()
                    {
                        stdin_open = false;
                    }
                    if detach {
                        return Ok(0);
                    }
                }
                None => {
                    stdin_open = false;
                    if forward {
                        let _ = proto::send(sock_fd, proto::CLOSE_STDIN, &[]);
                    }
                }
            }
        }
        if fds[0].revents != 0 {
            let n = proto::recv(sock_fd, &mut buf).unwrap_or(0);
            if n == 0 {
                return exit_code_after(&store, &record);
            }
            match buf[0] {
                proto::STDOUT => write_all(1, &buf[1..n]),
                proto::STDERR => write_all(2, &buf[1..n]),
                proto::EXIT if n == 5 => {
                    return Ok(i32::from_le_bytes([buf[1], buf[2], buf[3], buf[4]]))
                }
                _ => {}
            }
        }
    }
}

/// The monitor closed the connection without an exit code: it ended between our state check
/// and the connection, or it was killed.
fn exit_code_after(store: &Store, record: &crate::store::ContainerRecord) -> anyhow::Result<i32> {
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
}
