//! The per-container monitor: the lodger binary re-executed with [`ARG`], in its own session.
//! It is the container's parent: it starts it, writes its output to the log, records its
//! pid, exit code and time, applies the restart policy and `--rm`, and exits when the
//! container is gone. It stays single-threaded and small: between starts it holds only the
//! log file, the output pipes (or the pty master), the container's stdin, a signalfd and the
//! attach socket with its clients.

pub mod attach;
mod input;
pub mod log;
mod watch;

use crate::container::{self, spec};
use crate::paths::Paths;
use crate::store::{State, Store};
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::process::{Command, Stdio};

/// The hidden first argument that makes lodger a monitor.
pub const ARG: &str = "__lodger-monitor";

#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    #[error("starting the container monitor {exe}: {source}")]
    Spawn { exe: String, source: std::io::Error },
    #[error("the container monitor ended before starting the container")]
    Died,
    /// The container could not start: `code` is Podman's exit code (125, 126, 127).
    #[error("{message}")]
    Start { code: i32, message: String },
}

/// Descriptors the CLI hands over arrive from this fd on: the CLI's stdio for
/// `--log-driver passthrough`, or the socket of a client attached from the start.
const FIRST_PASSED_FD: RawFd = 3;

/// Who gets the container's stdio besides the log.
pub enum Attach {
    /// Nobody until `attach` connects.
    None,
    /// `--log-driver passthrough`: the container gets this process's stdin, stdout, stderr.
    Passthrough,
    /// A client (one end of a `SOCK_SEQPACKET` pair) attached before the container starts,
    /// so none of its output is missed (`run -it`), and the size of its terminal.
    Client {
        socket: OwnedFd,
        winsize: Option<(u16, u16)>,
    },
}

/// Starts a monitor for a created or exited container; returns once the container runs.
pub fn spawn(paths: &Paths, id: &str, attach: Attach) -> Result<(), MonitorError> {
    let exe = std::env::current_exe().unwrap_or_else(|_| "/proc/self/exe".into());
    let spawn_err = |source| MonitorError::Spawn {
        exe: exe.display().to_string(),
        source,
    };
    let (r, w) =
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| spawn_err(e.into()))?;
    let mut cmd = Command::new(&exe);
    cmd.arg(ARG)
        .arg(&paths.data)
        .arg(&paths.runtime)
        .arg(id)
        .stdin(Stdio::null())
        .stdout(Stdio::from(w))
        .stderr(Stdio::null());
    let mut own = Vec::new();
    let mut dup_above = |fd: RawFd| {
        // Copies above the fds the child is given, so dup2 always clears close-on-exec.
        // SAFETY: fcntl on a descriptor of ours; the copy is owned right away.
        let copy = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10) };
        if copy < 0 {
            return Err(spawn_err(std::io::Error::last_os_error()));
        }
        // SAFETY: just created.
        own.push(unsafe { OwnedFd::from_raw_fd(copy) });
        Ok(())
    };
    match &attach {
        Attach::None => {}
        Attach::Passthrough => {
            for fd in 0..3 {
                dup_above(fd)?;
            }
            cmd.arg("passthrough");
        }
        Attach::Client { socket, winsize } => {
            dup_above(socket.as_raw_fd())?;
            let (rows, cols) = winsize.unwrap_or((0, 0));
            cmd.arg("client")
                .arg(rows.to_string())
                .arg(cols.to_string());
        }
    }
    drop(attach);
    let raw: Vec<RawFd> = own.iter().map(AsRawFd::as_raw_fd).collect();
    if !raw.is_empty() {
        // SAFETY: only dup2, which is async-signal-safe, between fork and exec.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut cmd, move || {
                for (to, from) in (FIRST_PASSED_FD..).zip(raw.iter()) {
                    if libc::dup2(*from, to) < 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
    }
    let mut child = cmd.spawn().map_err(spawn_err)?;
    drop(cmd);
    drop(own);
    let mut status = String::new();
    let _ = std::fs::File::from(r).read_to_string(&mut status);
    // The monitor forked itself away from us: this only reaps the first half.
    let _ = child.wait();
    match status.split_once('\n') {
        Some(("ok", _)) => Ok(()),
        Some((code, message)) => Err(MonitorError::Start {
            code: code.parse().unwrap_or(125),
            message: message.trim_end().to_string(),
        }),
        None => Err(MonitorError::Died),
    }
}

/// Takes over a descriptor the CLI passed; it must not leak into the container.
fn passed(fd: RawFd) -> OwnedFd {
    // SAFETY: the CLI gave us this fd and nothing else owns it.
    unsafe {
        libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
        OwnedFd::from_raw_fd(fd)
    }
}

/// Entry point of the monitor process: `ARG <data dir> <runtime dir> <container id>
/// [passthrough | client <rows> <cols>]`.
pub fn main(args: &[String]) -> i32 {
    let (data, runtime, id, rest) = match args {
        [d, r, i, rest @ ..] => (d, r, i, rest),
        _ => return 125,
    };
    let mut passthrough = None;
    let mut client = None;
    match rest {
        [] => {}
        [p] if p == "passthrough" => {
            passthrough = Some([0, 1, 2].map(|i| passed(FIRST_PASSED_FD + i)));
        }
        [c, rows, cols] if c == "client" => {
            let winsize = match (rows.parse::<u16>(), cols.parse::<u16>()) {
                (Ok(r), Ok(c)) if r > 0 && c > 0 => Some((r, c)),
                _ => None,
            };
            client = Some((passed(FIRST_PASSED_FD), winsize));
        }
        _ => return 125,
    }
    // The status channel to the CLI is our stdout: keep it away from the container.
    // SAFETY: fcntl on a descriptor we own; the result is owned right away.
    let status = unsafe { libc::fcntl(1, libc::F_DUPFD_CLOEXEC, 3) };
    if status < 0 {
        return 125;
    }
    // SAFETY: just created, owned by nobody else.
    let status = unsafe { OwnedFd::from_raw_fd(status) };
    // Detach from the CLI: its parent must not wait for us, and its session's hangup must
    // not reach us.
    // SAFETY: single-threaded; the child continues with a copy of this process.
    match unsafe { libc::fork() } {
        -1 => return 125,
        0 => {}
        _ => return 0,
    }
    let _ = rustix::process::setsid();
    let paths = match Paths::resolve(Some(data.as_ref()), Some(runtime.as_ref())) {
        Ok(p) => p,
        Err(e) => {
            report(Some(status), 125, &e.to_string());
            return 125;
        }
    };
    let mut m = Monitor {
        paths,
        id: id.clone(),
        status: Some(status),
        restarts: 0,
        passthrough,
        client,
    };
    match m.run() {
        Ok(()) => 0,
        Err(message) => {
            let status = m.status.take();
            if status.is_none() {
                m.log_error(&message);
            }
            report(status, 125, &message);
            125
        }
    }
}

fn report(status: Option<OwnedFd>, code: i32, message: &str) {
    if let Some(fd) = status {
        let _ = std::fs::File::from(fd).write_all(format!("{code}\n{message}\n").as_bytes());
    }
}

struct Monitor {
    paths: Paths,
    id: String,
    /// Until the first start: where the CLI waits for the outcome.
    status: Option<OwnedFd>,
    restarts: u32,
    /// The CLI's stdin, stdout and stderr, for `--log-driver passthrough`.
    passthrough: Option<[OwnedFd; 3]>,
    /// A client attached before the first start, and the size of its terminal.
    client: Option<(OwnedFd, Option<(u16, u16)>)>,
}

fn dup2(from: RawFd, to: RawFd) {
    // SAFETY: dup2 on descriptors owned by this process.
    unsafe {
        libc::dup2(from, to);
    }
}

impl Monitor {
    /// Errors after the CLI went away can only be told through the log (when there is one).
    fn log_error(&self, message: &str) {
        let cfg = Store::open(&self.paths)
            .and_then(|s| s.find_container(&self.id))
            .ok()
            .and_then(|r| container::parse_config(&r).ok())
            .map(|c| c.log)
            .unwrap_or_default();
        if cfg.driver != container::LogDriver::K8sFile {
            return;
        }
        if let Ok(mut w) = log::Writer::open(&log::path_for(&self.paths, &self.id, &cfg)) {
            let _ = w.write("stderr", format!("Error: {message}\n").as_bytes());
        }
    }

    fn run(&mut self) -> Result<(), String> {
        let signals = watch::Signals::new().map_err(|e| format!("monitor signals: {e}"))?;
        let null = std::fs::File::open("/dev/null").map_err(|e| format!("/dev/null: {e}"))?;
        dup2(null.as_raw_fd(), 0);
        let mut server = None;
        loop {
            // Held until the container runs and its row says so: an `rm` waits for it.
            let lock = container::lock::lock(&self.paths, &self.id).map_err(|e| e.to_string())?;
            let store = Store::open(&self.paths)
                .map_err(|e| e.to_string())?
                .leave_wal();
            let record = store.find_container(&self.id).map_err(|e| e.to_string())?;
            if self.restarts == 0
                && container::effective_state(&self.paths, &record) == State::Running
            {
                return Err(format!("container {} is already running", record.name));
            }
            let cfg = container::parse_config(&record).map_err(|e| e.to_string())?;
            let mut spec = spec::build(&store, &record).map_err(|e| e.to_string())?;
            // In the state dir `build` made. Without the socket the container still runs;
            // only `attach` is refused, unless a client waits to be served through it.
            if server.is_none() && self.passthrough.is_none() {
                let path = attach::socket_path(&self.paths, &self.id);
                server = match (attach::Server::bind(&path), &self.client) {
                    (Ok(s), _) => Some(s),
                    (Err(_), None) => None,
                    (Err(e), Some(_)) => return Err(format!("creating the attach socket: {e}")),
                };
            }
            // Before the start: the client sees the container's output from its first byte.
            if let (Some(s), Some((c, winsize))) = (server.as_mut(), self.client.take()) {
                s.add(c);
                spec.process.winsize = winsize;
            }
            let mut log = match cfg.log.driver {
                container::LogDriver::K8sFile => Some(
                    log::Writer::with_max_size(
                        &log::path_for(&self.paths, &self.id, &cfg.log),
                        cfg.log.max_size,
                    )
                    .map_err(|e| format!("opening the container log: {e}"))?,
                ),
                _ => None,
            };
            let pipes = if cfg.tty || self.passthrough.is_some() {
                None
            } else {
                let p = || {
                    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)
                        .map_err(|e| format!("creating the output pipes: {e}"))
                };
                Some((p()?, p()?))
            };
            if let Some(((_, out_w), (_, err_w))) = &pipes {
                dup2(out_w.as_raw_fd(), 1);
                dup2(err_w.as_raw_fd(), 2);
            }
            if let Some(fds) = &self.passthrough {
                for (to, fd) in fds.iter().enumerate() {
                    dup2(fd.as_raw_fd(), to as RawFd);
                }
            }
            // `-i` without a terminal: a pipe the monitor holds open for attached clients.
            let stdin = if cfg.interactive && !cfg.tty && self.passthrough.is_none() {
                let (r, w) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)
                    .map_err(|e| format!("creating the stdin pipe: {e}"))?;
                dup2(r.as_raw_fd(), 0);
                Some(w)
            } else {
                None
            };
            let started = crate::runtime::start(&spec);
            // Only the container may hold the write ends, or the pipes never reach EOF.
            dup2(null.as_raw_fd(), 0);
            dup2(null.as_raw_fd(), 1);
            dup2(null.as_raw_fd(), 2);
            let readers = pipes.map(|((out_r, _), (err_r, _))| (out_r, err_r));
            let started = match started {
                Ok(s) => s,
                Err(e) => {
                    let code = match &e {
                        crate::runtime::RuntimeError::Exec { code, .. } => i32::from(*code),
                        _ => 125,
                    };
                    let _ = store.set_exited(&self.id, code, container::now());
                    if self.status.is_none() {
                        self.log_error(&e.to_string());
                    }
                    report(self.status.take(), code, &e.to_string());
                    return Ok(());
                }
            };
            store
                .set_running(&self.id, started.pid, container::now(), self.restarts)
                .map_err(|e| e.to_string())?;
            container::process::record_process(&self.paths, &self.id, started.pid);
            drop(lock);
            // A `stop` that came while this restart was under way still wins.
            if self.restarts > 0 && container::process::stopped_by_user(&self.paths, &self.id) {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(started.pid as i32),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
            if let Some(fd) = self.status.take() {
                let _ = std::fs::File::from(fd).write_all(b"ok\n");
            }
            drop((store, record, spec));
            // Give the memory of setup back: the monitor lives as long as the container.
            // SAFETY: malloc_trim only releases free heap memory.
            unsafe {
                libc::malloc_trim(0);
            }
            let input = match (stdin, &started.master) {
                (Some(w), _) => input::Input::pipe(w),
                (None, Some(m)) => match m.try_clone() {
                    Ok(m) => input::Input::terminal(m, cfg.interactive),
                    Err(_) => input::Input::none(),
                },
                (None, None) => input::Input::none(),
            };
            let io = watch::Io {
                log: log.as_mut(),
                attach: server.as_mut(),
                input,
            };
            let pid = started.pid;
            let code = watch::watch(&signals, started, readers, io);
            crate::cgroup::remove_recorded(&container::dirs(&self.paths, &self.id).state);
            let store = Store::open(&self.paths)
                .map_err(|e| e.to_string())?
                .leave_wal();
            store
                .set_exited_of(&self.id, pid, code, container::now())
                .map_err(|e| e.to_string())?;
            // After the exit is recorded, so an attached client that returns sees it.
            if let Some(s) = server.as_mut() {
                s.finish(code);
            }
            let stopped = container::process::stopped_by_user(&self.paths, &self.id);
            if cfg.restart.restarts(code, self.restarts, stopped) {
                self.restarts += 1;
                // A command that fails at once must not make the monitor spin.
                std::thread::sleep(std::time::Duration::from_millis(100));
                if !container::process::stopped_by_user(&self.paths, &self.id) {
                    continue;
                }
            }
            if cfg.remove {
                if let Ok(current) = store.find_container(&self.id) {
                    container::remove_exited(&store, &current).map_err(|e| e.to_string())?;
                }
            }
            return Ok(());
        }
    }
}
