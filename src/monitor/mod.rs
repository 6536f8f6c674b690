//! The per-container monitor: the lodger binary re-executed with [`ARG`], in its own session.
//! It is the container's parent: it starts it, writes its output to the log, records its
//! pid, exit code and time, applies the restart policy and `--rm`, and exits when the
//! container is gone. It stays single-threaded and small: between starts it holds only the
//! log file, the output pipes (or the pty master) and a signalfd.

pub mod log;
mod watch;

use crate::container::{self, spec};
use crate::paths::Paths;
use crate::store::Store;
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

/// Starts a monitor for a created or exited container; returns once the container runs.
pub fn spawn(paths: &Paths, id: &str) -> Result<(), MonitorError> {
    let exe = std::env::current_exe().unwrap_or_else(|_| "/proc/self/exe".into());
    let spawn_err = |source| MonitorError::Spawn {
        exe: exe.display().to_string(),
        source,
    };
    let (r, w) =
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| spawn_err(e.into()))?;
    let mut child = Command::new(&exe)
        .arg(ARG)
        .arg(&paths.data)
        .arg(&paths.runtime)
        .arg(id)
        .stdin(Stdio::null())
        .stdout(Stdio::from(w))
        .stderr(Stdio::null())
        .spawn()
        .map_err(spawn_err)?;
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

/// Entry point of the monitor process: `ARG <data dir> <runtime dir> <container id>`.
pub fn main(args: &[String]) -> i32 {
    let [data, runtime, id] = args else {
        return 125;
    };
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
}

fn dup2(from: RawFd, to: RawFd) {
    // SAFETY: dup2 on descriptors owned by this process.
    unsafe {
        libc::dup2(from, to);
    }
}

impl Monitor {
    fn log_error(&self, message: &str) {
        if let Ok(mut w) = log::Writer::open(&log::path(&self.paths, &self.id)) {
            let _ = w.write("stderr", format!("Error: {message}\n").as_bytes());
        }
    }

    fn run(&mut self) -> Result<(), String> {
        let signals = watch::Signals::new().map_err(|e| format!("monitor signals: {e}"))?;
        let null = std::fs::File::open("/dev/null").map_err(|e| format!("/dev/null: {e}"))?;
        dup2(null.as_raw_fd(), 0);
        loop {
            let store = Store::open(&self.paths).map_err(|e| e.to_string())?;
            let record = store.find_container(&self.id).map_err(|e| e.to_string())?;
            let cfg = container::parse_config(&record).map_err(|e| e.to_string())?;
            let spec = spec::build(&store, &record).map_err(|e| e.to_string())?;
            let mut log = log::Writer::open(&log::path(&self.paths, &self.id))
                .map_err(|e| format!("opening the container log: {e}"))?;
            let pipes = if cfg.tty {
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
            let started = crate::runtime::start(&spec);
            // Only the container may hold the write ends, or the pipes never reach EOF.
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
                .set_running(&self.id, started.pid, container::now())
                .map_err(|e| e.to_string())?;
            container::process::record_process(&self.paths, &self.id, started.pid);
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
            let code = watch::watch(&signals, started, readers, &mut log);
            let store = Store::open(&self.paths).map_err(|e| e.to_string())?;
            store
                .set_exited(&self.id, code, container::now())
                .map_err(|e| e.to_string())?;
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
                    container::remove(&store, &current, true).map_err(|e| e.to_string())?;
                }
            }
            return Ok(());
        }
    }
}
