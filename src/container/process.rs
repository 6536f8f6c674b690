//! A container's process as seen from the host: liveness that survives pid reuse, the user's
//! stop request (so a restart policy leaves the container stopped) and signals. Stopping
//! itself is in [`super::stop`].

use super::{dirs, now, pidfd, ContainerError, Result};
use crate::paths::Paths;
use crate::store::{ContainerRecord, State, Store};
use std::os::fd::{AsFd, OwnedFd};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn process_file(paths: &Paths, id: &str) -> PathBuf {
    dirs(paths, id).state.join("process")
}

fn stopped_file(paths: &Paths, id: &str) -> PathBuf {
    dirs(paths, id).state.join("stopped")
}

/// Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), and
/// whether it is a zombie.
fn stat(pid: u32) -> Option<(u64, bool)> {
    let mut buf = [0u8; 1024];
    let text = read_small(format!("/proc/{pid}/stat"), &mut buf)?;
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    let mut fields = text.rsplit_once(')')?.1.split_whitespace();
    let state = fields.next()?;
    let start = fields.nth(18)?.parse().ok()?;
    Some((start, state == "Z"))
}

/// What `record_process` wrote: the container's pid 1 and the process watching it (its
/// monitor, or the CLI of a foreground run), each with its start time.
struct Recorded {
    pid: u32,
    start: u64,
    watcher: Option<(u32, u64)>,
}

/// A file of a few hundred bytes in one read: `ps` does this twice per container, and
/// `read_to_string` would add a stat and a read for the end of file each time.
fn read_small(path: impl AsRef<std::path::Path>, buf: &mut [u8]) -> Option<&str> {
    use std::io::Read;
    let n = std::fs::File::open(path).ok()?.read(buf).ok()?;
    // A full buffer may be a cut file: better no answer than a wrong one.
    if n == buf.len() {
        return None;
    }
    std::str::from_utf8(&buf[..n]).ok()
}

fn recorded(paths: &Paths, id: &str) -> Option<Recorded> {
    let mut buf = [0u8; 128];
    let text = read_small(process_file(paths, id), &mut buf)?;
    let mut f = text.split_whitespace().map(str::parse::<u64>);
    let pid = u32::try_from(f.next()?.ok()?).ok()?;
    let start = f.next()?.ok()?;
    let watcher = match (f.next(), f.next()) {
        (Some(Ok(p)), Some(Ok(s))) => u32::try_from(p).ok().map(|p| (p, s)),
        _ => None,
    };
    Some(Recorded {
        pid,
        start,
        watcher,
    })
}

/// Remember which process is the container's, so a reused pid is never mistaken for it, and
/// that the calling process watches it, so `stop` can wait for the exit to be recorded.
pub fn record_process(paths: &Paths, id: &str, pid: u32) {
    let me = std::process::id();
    if let (Some((start, _)), Some((own, _))) = (stat(pid), stat(me)) {
        let _ = std::fs::write(
            process_file(paths, id),
            format!("{pid} {start} {me} {own}\n"),
        );
    }
}

/// Is the recorded process still this container's, and not a zombie?
pub fn is_alive(paths: &Paths, record: &ContainerRecord) -> bool {
    let Some(pid) = record.pid else { return false };
    let Some((start, zombie)) = stat(pid) else {
        return false;
    };
    if zombie {
        return false;
    }
    match recorded(paths, &record.id) {
        Some(r) if r.pid == pid => r.start == start,
        // Recorded before this start, or not at all: trust the pid.
        _ => true,
    }
}

/// A pidfd of the container's pid 1, if it still runs.
pub fn container_pidfd(paths: &Paths, record: &ContainerRecord) -> Option<OwnedFd> {
    let fd = pidfd::open(record.pid?)?;
    // Checked once the pidfd pins the process: a later pid reuse cannot fool it.
    is_alive(paths, record).then_some(fd)
}

/// The process that records the container's exit (its monitor, or the CLI of a foreground
/// run), if it still runs: Podman's `ConmonPid`.
pub fn watcher_pid(paths: &Paths, id: &str) -> Option<u32> {
    let (pid, start) = recorded(paths, id)?.watcher?;
    same_process(pid, start).then_some(pid)
}

/// Is `pid` still the process that started at `start`, and not a zombie?
fn same_process(pid: u32, start: u64) -> bool {
    matches!(stat(pid), Some((s, false)) if s == start)
}

/// A pidfd of the process that records the container's exit (its monitor), if it still runs.
pub fn watcher_pidfd(paths: &Paths, id: &str) -> Option<OwnedFd> {
    let (pid, start) = recorded(paths, id)?.watcher?;
    let fd = pidfd::open(pid)?;
    same_process(pid, start).then_some(fd)
}

/// The state to show: a "running" row whose process is gone exited behind our back.
pub fn effective_state(paths: &Paths, record: &ContainerRecord) -> State {
    match record.state {
        State::Running if !is_alive(paths, record) => State::Exited,
        ref s => s.clone(),
    }
}

/// The user stopped the container: the monitor must not restart it.
pub fn mark_stopped(paths: &Paths, id: &str, stopped: bool) {
    let f = stopped_file(paths, id);
    if stopped {
        let _ = std::fs::write(f, "");
    } else {
        let _ = std::fs::remove_file(f);
    }
}

pub fn stopped_by_user(paths: &Paths, id: &str) -> bool {
    stopped_file(paths, id).exists()
}

/// Sends `signal` to the container's pid 1.
pub fn signal(paths: &Paths, record: &ContainerRecord, signal: i32) -> Result<()> {
    let fd = container_pidfd(paths, record)
        .ok_or_else(|| ContainerError::NotRunning(record.name.clone()))?;
    pidfd::signal(fd.as_fd(), signal).map_err(|source| ContainerError::Io {
        what: "send a signal to the container process",
        path: PathBuf::from(format!("/proc/{}", record.pid.unwrap_or(0))),
        source,
    })
}

/// The last row seen of a container removed meanwhile, with the exit code kept for it.
fn gone(paths: &Paths, mut last: ContainerRecord) -> ContainerRecord {
    last.state = State::Exited;
    if let Some(e) = super::exits::by_id(paths, &last.id) {
        last.exit_code = Some(e.code);
    }
    last
}

/// How long the process that watches a container (its monitor) may take to record an exit it
/// has seen: it reaps, removes the cgroup and writes one row, a few ms even on a busy host.
const RECORD_GRACE: Duration = Duration::from_secs(2);

/// For a container whose process is gone while its row still says running: waits, as long as
/// the process that watches it lives, for that process to record how it ended. The fresh row
/// (still "running" when nothing will record it), or None once the container is removed.
pub fn await_exit_record(
    store: &Store,
    record: &ContainerRecord,
) -> Result<Option<ContainerRecord>> {
    let watcher = watcher_pidfd(store.paths(), &record.id);
    let deadline = Instant::now() + RECORD_GRACE;
    loop {
        let current = match store.find_container(&record.id) {
            Ok(c) => c,
            Err(crate::store::StoreError::ContainerNotFound(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let recorded = current.state != State::Running || current.pid != record.pid;
        let Some(w) = watcher.as_ref().filter(|_| !recorded) else {
            return Ok(Some(current));
        };
        if Instant::now() >= deadline {
            return Ok(Some(current));
        }
        // Woken at once when the watcher ends: by then it has written all it will.
        if pidfd::wait_any(&[w], Duration::from_millis(5)) {
            return match store.find_container(&record.id) {
                Ok(c) => Ok(Some(c)),
                Err(crate::store::StoreError::ContainerNotFound(_)) => Ok(None),
                Err(e) => Err(e.into()),
            };
        }
    }
}

/// Waits until the container's process is gone and its row no longer says running; records
/// the exit itself when no monitor did (it was killed). Returns the fresh row.
pub fn wait_exited(store: &Store, record: &ContainerRecord) -> Result<ContainerRecord> {
    let paths = store.paths();
    let mut last = record.clone();
    loop {
        let current = match store.find_container(&record.id) {
            Ok(c) => c,
            // Removed on exit (`--rm`): gone counts as exited.
            Err(crate::store::StoreError::ContainerNotFound(_)) => return Ok(gone(paths, last)),
            Err(e) => return Err(e.into()),
        };
        if current.state != State::Running {
            return Ok(current);
        }
        last = current.clone();
        if !is_alive(paths, &current) {
            let Some(fresh) = await_exit_record(store, &current)? else {
                return Ok(gone(paths, last));
            };
            if let (State::Running, Some(pid)) = (&fresh.state, fresh.pid) {
                store.set_exited_of(&record.id, pid, -1, now())?;
                return Ok(store.find_container(&record.id)?);
            }
            return Ok(fresh);
        }
        match container_pidfd(paths, &current) {
            // Woken by the exit itself; the timeout only bounds a missed wake-up.
            Some(fd) => {
                pidfd::wait_any(&[&fd], Duration::from_secs(1));
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// A signal as Podman takes it: `SIGTERM`, `TERM`, `term` or `15`.
pub fn parse_signal(s: &str) -> Result<i32> {
    if let Ok(n) = s.parse::<i32>() {
        if (1..=64).contains(&n) {
            return Ok(n);
        }
    }
    let upper = s.to_ascii_uppercase();
    let name = if upper.starts_with("SIG") {
        upper
    } else {
        format!("SIG{upper}")
    };
    name.parse::<nix::sys::signal::Signal>()
        .map(|sig| sig as i32)
        .map_err(|_| {
            ContainerError::Invalid(format!(
                "invalid signal {s:?}: use a name such as SIGTERM or a number"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_process_has_a_start_time() {
        let (start, zombie) = stat(std::process::id()).unwrap();
        assert!(start > 0);
        assert!(!zombie);
        assert!(stat(u32::MAX).is_none());
    }

    #[test]
    fn signals_by_name_or_number() {
        assert_eq!(parse_signal("SIGTERM").unwrap(), libc::SIGTERM);
        assert_eq!(parse_signal("kill").unwrap(), libc::SIGKILL);
        assert_eq!(parse_signal("HUP").unwrap(), libc::SIGHUP);
        assert_eq!(parse_signal("2").unwrap(), 2);
        assert!(parse_signal("NOPE").is_err());
        assert!(parse_signal("0").is_err());
    }
}
