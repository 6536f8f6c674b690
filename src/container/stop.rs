//! Stopping many containers at once: every stop signal goes out first, then one epoll waits
//! on the pidfds of all of them, so `stop -a` takes as long as the slowest container rather
//! than the sum of all.

use super::process::{self, container_pidfd, watcher_pidfd};
use super::{now, pidfd, ContainerError, Result};
use crate::store::{ContainerRecord, State, Store, StoreError};
use rustix::event::epoll;
use std::os::fd::{AsFd, OwnedFd};
use std::time::{Duration, Instant};

pub struct Stop {
    pub record: ContainerRecord,
    pub signal: i32,
    /// How long the stop signal gets before SIGKILL.
    pub timeout: Duration,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// The exit is in the store and the monitor is done (`--rm` honoured): `stop`.
    Recorded,
    /// The container's processes are gone: `rm -f`, which removes the row itself.
    Gone,
}

/// A monitor that outlives its container this long is stuck: the exit is recorded for it.
const WATCHER_GRACE: Duration = Duration::from_secs(10);

struct Pending {
    container: Option<OwnedFd>,
    watcher: Option<OwnedFd>,
    /// When the stop signal's time is up; None once SIGKILL went out.
    kill_at: Option<Instant>,
    /// Set once the container is gone, while its monitor records the exit.
    grace_until: Option<Instant>,
}

impl Pending {
    fn done(&self) -> bool {
        self.container.is_none() && self.watcher.is_none()
    }

    fn deadline(&self) -> Option<Instant> {
        match self.container {
            Some(_) => self.kill_at,
            None => self.grace_until,
        }
    }
}

/// Stops every container given, at once; one result per request, in order. Containers that
/// are not running are only marked as stopped by the user.
pub fn stop_all(store: &Store, reqs: Vec<Stop>, until: Until) -> Vec<Result<()>> {
    // Two descriptors per container: wait in groups that fit the open-files limit.
    let group = (pidfd::fd_budget() / 2).max(1);
    let mut out = Vec::with_capacity(reqs.len());
    let mut reqs = reqs.into_iter().peekable();
    while reqs.peek().is_some() {
        let chunk: Vec<Stop> = reqs.by_ref().take(group).collect();
        out.extend(stop_group(store, &chunk, until));
    }
    out
}

fn stop_group(store: &Store, reqs: &[Stop], until: Until) -> Vec<Result<()>> {
    let mut results: Vec<Result<()>> = Vec::with_capacity(reqs.len());
    let mut pending: Vec<Option<Pending>> = Vec::with_capacity(reqs.len());
    for r in reqs {
        match begin(store, r, until) {
            Ok(p) => {
                results.push(Ok(()));
                pending.push(p);
            }
            Err(e) => {
                results.push(Err(e));
                pending.push(None);
            }
        }
    }
    let ep = match epoll::create(epoll::CreateFlags::CLOEXEC) {
        Ok(ep) => ep,
        Err(e) => {
            return reqs
                .iter()
                .map(|_| {
                    Err(ContainerError::Io {
                        what: "wait for the containers with",
                        path: "epoll".into(),
                        source: e.into(),
                    })
                })
                .collect();
        }
    };
    for (i, p) in pending.iter_mut().enumerate() {
        let Some(p) = p else { continue };
        for (slot, fd) in [(0u64, &mut p.container), (1, &mut p.watcher)] {
            let Some(f) = fd else { continue };
            let data = epoll::EventData::new_u64((i as u64) << 1 | slot);
            if epoll::add(&ep, f.as_fd(), data, epoll::EventFlags::IN).is_err() {
                // Cannot wait on it: treat that process as gone and check the store below.
                *fd = None;
            }
        }
    }
    let mut events = epoll::EventVec::with_capacity(reqs.len().clamp(1, 1024));
    loop {
        let now_t = Instant::now();
        for (i, slot) in pending.iter_mut().enumerate() {
            let Some(p) = slot else { continue };
            match (&p.container, p.deadline()) {
                (Some(fd), Some(t)) if t <= now_t => {
                    warn_resorting_to_kill(&reqs[i]);
                    let _ = pidfd::signal(fd.as_fd(), libc::SIGKILL);
                    p.kill_at = None;
                }
                // The monitor never finished: record the exit for it.
                (None, Some(t)) if t <= now_t => p.watcher = None,
                _ => {}
            }
            if p.container.is_none() && p.grace_until.is_none() && p.watcher.is_some() {
                p.grace_until = Some(now_t + WATCHER_GRACE);
            }
            if p.done() {
                results[i] = finish(store, &reqs[i].record, until);
                *slot = None;
            }
        }
        let Some(next) = pending.iter().flatten().filter_map(Pending::deadline).min() else {
            if pending.iter().all(Option::is_none) {
                break;
            }
            wait(&ep, &mut events, -1, &mut pending);
            continue;
        };
        // Rounded up: a timeout rounded down to 0 would spin until the deadline.
        let ms = next
            .saturating_duration_since(Instant::now())
            .as_micros()
            .div_ceil(1000)
            .min(i32::MAX as u128) as i32;
        wait(&ep, &mut events, ms, &mut pending);
    }
    results
}

fn wait(
    ep: &OwnedFd,
    events: &mut epoll::EventVec,
    timeout_ms: i32,
    pending: &mut [Option<Pending>],
) {
    if epoll::wait(ep, events, timeout_ms).is_err() {
        return;
    }
    for ev in events.iter() {
        let key = ev.data.u64();
        let Some(Some(p)) = pending.get_mut((key >> 1) as usize) else {
            continue;
        };
        let fd = if key & 1 == 0 {
            p.container.take()
        } else {
            p.watcher.take()
        };
        if let Some(fd) = fd {
            let _ = epoll::delete(ep, fd.as_fd());
        }
    }
}

/// Podman's warning, so the user learns why the stop took its whole timeout (a pid 1 without
/// a handler for the stop signal ignores it).
fn warn_resorting_to_kill(r: &Stop) {
    if r.timeout.is_zero() {
        return;
    }
    let signal = nix::sys::signal::Signal::try_from(r.signal)
        .map_or_else(|_| r.signal.to_string(), |s| s.as_str().to_string());
    eprintln!(
        "WARN: StopSignal {signal} failed to stop container {} in {} seconds, resorting to SIGKILL",
        r.record.name,
        r.timeout.as_secs()
    );
}

/// Sends the stop signal; None when there is nothing to wait for.
///
/// `stop` holds the container's lock meanwhile: a start under way finishes first (and is
/// stopped), and the row, pid and monitor it reads belong together. `rm -f` already holds it
/// or takes it after.
fn begin(store: &Store, r: &Stop, until: Until) -> Result<Option<Pending>> {
    let paths = store.paths();
    let (_lock, record) = match until {
        Until::Recorded => {
            let lock = super::lock::lock(paths, &r.record.id)?;
            match store.find_container(&r.record.id) {
                Ok(c) => (Some(lock), c),
                Err(StoreError::ContainerNotFound(_)) => return Ok(None),
                Err(e) => return Err(e.into()),
            }
        }
        Until::Gone => (None, r.record.clone()),
    };
    process::mark_stopped(paths, &record.id, true);
    if record.state != State::Running {
        return Ok(None);
    }
    let container = container_pidfd(paths, &record);
    let watcher = match until {
        Until::Recorded => watcher_pidfd(paths, &record.id),
        Until::Gone => None,
    };
    // A failed signal means the process is already on its way out: its pidfd says when.
    let kill_at = match &container {
        Some(fd) if pidfd::signal(fd.as_fd(), r.signal).is_ok() && r.signal != libc::SIGKILL => {
            Some(Instant::now() + r.timeout)
        }
        _ => None,
    };
    Ok(Some(Pending {
        container,
        watcher,
        kill_at,
        grace_until: None,
    }))
}

/// The container's processes and monitor are gone: make sure the store says so.
fn finish(store: &Store, record: &ContainerRecord, until: Until) -> Result<()> {
    if until == Until::Gone {
        return Ok(());
    }
    let current = match store.find_container(&record.id) {
        Ok(c) => c,
        Err(StoreError::ContainerNotFound(_)) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if let (State::Running, Some(pid)) = (&current.state, current.pid) {
        if !process::is_alive(store.paths(), &current) {
            // No monitor recorded it (it was killed): the exit status is lost.
            store.set_exited_of(&record.id, pid, -1, now())?;
        }
    }
    Ok(())
}
