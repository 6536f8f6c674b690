//! `wait`: block until containers reach a state, then print one exit code per container,
//! as Podman does.

use super::Context;
use crate::container::{self, exits, pidfd, process};
use crate::store::{ContainerRecord, State, Store, StoreError};
use anyhow::{anyhow, bail};
use clap::Args;
use std::time::Duration;

#[derive(Args, Debug)]
pub struct WaitArgs {
    /// Containers to wait for
    #[arg(value_name = "CONTAINER")]
    pub containers: Vec<String>,
    /// State to wait for: stopped or exited (the default), running, created, removing;
    /// several match when any does
    #[arg(long, value_name = "STATE", value_delimiter = ',')]
    pub condition: Vec<String>,
    /// How often to check the state (a duration such as 250ms or 2s; a bare number is ms)
    #[arg(short, long, value_name = "DURATION", default_value = "250ms")]
    pub interval: String,
    /// Print -1 for containers that do not exist instead of failing
    #[arg(long)]
    pub ignore: bool,
    /// Wait for the last created container
    #[arg(short, long)]
    pub latest: bool,
    /// Return when the first of the containers meets a condition, with its code only
    #[arg(long)]
    pub exit_first_match: bool,
}

/// What ends the wait for one container.
#[derive(Debug, Default, PartialEq)]
struct Conditions {
    exit: bool,
    states: Vec<State>,
    removed: bool,
    /// `healthy`/`unhealthy`: lodger runs no health checks, so no container can satisfy it.
    health: Option<String>,
}

fn parse_conditions(given: &[String]) -> anyhow::Result<Conditions> {
    let mut c = Conditions::default();
    if given.is_empty() {
        c.exit = true;
    }
    for cond in given {
        match cond.as_str() {
            "stopped" | "exited" => c.exit = true,
            "running" => c.states.push(State::Running),
            "created" | "configured" => c.states.push(State::Created),
            "removing" => c.removed = true,
            "healthy" | "unhealthy" => c.health = Some(cond.clone()),
            "paused" | "initialized" | "stopping" | "unknown" => bail!(
                "condition {cond:?} cannot happen to a lodger container (they are never paused, \
                 initialized apart from starting, or stopped in steps): use stopped, exited, \
                 running, created or removing"
            ),
            other => bail!(
                "unknown container state: {other}: use stopped, exited, running, created, \
                 removing, healthy or unhealthy"
            ),
        }
    }
    Ok(c)
}

/// Go's time.ParseDuration, and a bare number as milliseconds (Podman's fallback).
fn parse_interval(s: &str) -> anyhow::Result<Duration> {
    let bad = || anyhow!("invalid --interval {s:?}: use a duration such as 250ms, 2s or 1m30s");
    let text = if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        format!("{s}ms")
    } else {
        s.to_string()
    };
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.trim_start_matches('+')),
    };
    if rest.is_empty() {
        return Err(bad());
    }
    if rest == "0" {
        return Ok(Duration::from_millis(250));
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        let n: f64 = rest[..num_end].parse().map_err(|_| bad())?;
        let unit_end = rest[num_end..]
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .map_or(rest.len(), |i| num_end + i);
        let scale = match &rest[num_end..unit_end] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return Err(bad()),
        };
        total += n * scale;
        rest = &rest[unit_end..];
    }
    // Podman polls at its default for intervals that are not positive.
    if negative || total <= 0.0 {
        return Ok(Duration::from_millis(250));
    }
    Ok(Duration::from_secs_f64(total))
}

/// A container as `wait` found it.
enum Target {
    Live(ContainerRecord),
    /// Removed by `--rm` before `wait` looked: its kept exit code.
    Gone(i32),
    /// Not found, with `--ignore`.
    Missing,
}

/// One container being waited for.
struct Waiter<'a> {
    c: &'a ContainerRecord,
    /// The last exit code seen, printed if the container is removed meanwhile.
    last_code: Option<i32>,
    /// The running container's pid 1, to be woken by its exit.
    pidfd: Option<std::os::fd::OwnedFd>,
}

impl Waiter<'_> {
    /// The code to print once a condition holds (-1 for states other than stopped/exited,
    /// as Podman prints), or `None` to look again later.
    fn check(&mut self, store: &Store, want: &Conditions) -> anyhow::Result<Option<i32>> {
        if let Some(h) = &want.health {
            bail!(
                "cannot use condition {h:?}: container {} has no healthcheck",
                self.c.id
            );
        }
        let cur = match store.find_container(&self.c.id) {
            Ok(cur) => cur,
            // Removed meanwhile (`--rm`, or `rm -f`): gone counts as exited, with the code
            // kept for it, as Podman's exit code table gives.
            Err(StoreError::ContainerNotFound(_)) if want.removed || want.exit => {
                let kept = exits::by_id(store.paths(), &self.c.id).map(|e| e.code);
                let unknown = if want.removed { -1 } else { 0 };
                return Ok(Some(kept.or(self.last_code).unwrap_or(unknown)));
            }
            Err(e) => return Err(e.into()),
        };
        let state = container::effective_state(store.paths(), &cur);
        if want.exit && state != State::Running {
            // A container that never ran counts as stopped with code 0, as in Podman.
            let done = match cur.state {
                State::Running => process::wait_exited(store, &cur)?,
                _ => cur,
            };
            return Ok(Some(done.exit_code.unwrap_or(0)));
        }
        if want.states.contains(&state) {
            return Ok(Some(-1));
        }
        if cur.exit_code.is_some() {
            self.last_code = cur.exit_code;
        }
        self.pidfd = match state {
            State::Running => process::container_pidfd(store.paths(), &cur),
            _ => None,
        };
        Ok(None)
    }
}

/// Polls `waiters` until one is done (`first`) or all are; the results in their order.
fn wait_all(
    store: &Store,
    waiters: &mut [Waiter],
    want: &Conditions,
    interval: Duration,
    first: bool,
) -> Vec<anyhow::Result<i32>> {
    let mut results: Vec<Option<anyhow::Result<i32>>> = waiters.iter().map(|_| None).collect();
    loop {
        for (w, r) in waiters.iter_mut().zip(results.iter_mut()) {
            if r.is_some() {
                continue;
            }
            match w.check(store, want) {
                Ok(None) => {}
                Ok(Some(code)) => *r = Some(Ok(code)),
                Err(e) => *r = Some(Err(e)),
            }
            if first && r.is_some() {
                return results.into_iter().flatten().collect();
            }
        }
        if results.iter().all(Option::is_some) {
            return results.into_iter().flatten().collect();
        }
        // An exit wakes this at once, as Podman's pidfd does; other states are looked at
        // every interval.
        let pending: Vec<&Waiter> = waiters
            .iter()
            .zip(&results)
            .filter(|(_, r)| r.is_none())
            .map(|(w, _)| w)
            .collect();
        let fds: Vec<&std::os::fd::OwnedFd> =
            pending.iter().filter_map(|w| w.pidfd.as_ref()).collect();
        match want.exit {
            true if fds.len() == pending.len() => {
                pidfd::wait_any(&fds, interval);
            }
            true => std::thread::sleep(interval.min(Duration::from_millis(20))),
            false => std::thread::sleep(interval),
        }
    }
}

pub fn wait(ctx: &Context, a: WaitArgs) -> anyhow::Result<i32> {
    if a.latest && !a.containers.is_empty() {
        bail!("--latest and containers cannot be used together");
    }
    if !a.latest && a.containers.is_empty() {
        bail!("\"lodger wait\" requires a name, id, or the \"--latest\" flag");
    }
    let want = parse_conditions(&a.condition)?;
    let interval = parse_interval(&a.interval)?;
    let store = Store::open(&ctx.paths)?;
    // Every name is looked up before anything is waited for, as Podman does.
    let mut targets: Vec<Target> = Vec::new();
    if a.latest {
        let newest = store.containers()?.into_iter().next();
        targets.push(Target::Live(
            newest.ok_or_else(|| anyhow!("no containers to wait for"))?,
        ));
    }
    for n in &a.containers {
        match store.find_container(n) {
            Ok(c) => targets.push(Target::Live(c)),
            Err(e @ StoreError::ContainerNotFound(_)) => {
                // `run -d --rm` may be done before `wait` looks: what it removed is still
                // known by name and id for a while. Podman's `wait` only finds it when it
                // looked first; a container the user removed stays unknown, as there.
                match exits::find(&ctx.paths, n) {
                    Some(gone) if want.exit || want.removed => {
                        targets.push(Target::Gone(gone.code))
                    }
                    _ if a.ignore => targets.push(Target::Missing),
                    _ => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    if a.exit_first_match {
        if let Some(code) = targets.iter().find_map(|t| match t {
            Target::Gone(code) => Some(*code),
            _ => None,
        }) {
            println!("{code}");
            return Ok(0);
        }
    }
    let mut waiters: Vec<Waiter> = targets
        .iter()
        .filter_map(|t| match t {
            Target::Live(c) => Some(Waiter {
                c,
                last_code: c.exit_code,
                pidfd: None,
            }),
            _ => None,
        })
        .collect();
    if a.exit_first_match && waiters.is_empty() {
        bail!("none of the containers exists: nothing to wait for");
    }
    let mut results =
        wait_all(&store, &mut waiters, &want, interval, a.exit_first_match).into_iter();
    // In the order given, -1 for the missing ones (`--ignore`).
    let ordered: Vec<anyhow::Result<i32>> = match a.exit_first_match {
        true => results.collect(),
        false => targets
            .iter()
            .filter_map(|t| match t {
                Target::Missing => Some(Ok(-1)),
                Target::Gone(code) => Some(Ok(*code)),
                Target::Live(_) => results.next(),
            })
            .collect(),
    };
    let mut codes = Vec::new();
    let mut errors = Vec::new();
    for r in ordered {
        match r {
            Ok(code) => codes.push(code),
            Err(e) => errors.push(e),
        }
    }
    for c in codes {
        println!("{c}");
    }
    for e in &errors {
        eprintln!("Error: {e:#}");
    }
    Ok(if errors.is_empty() {
        0
    } else {
        super::EXIT_FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_like_go_durations() {
        assert_eq!(parse_interval("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_interval("2s").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_interval("1m30s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_interval("1.5h").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_interval("100").unwrap(), Duration::from_millis(100));
        assert_eq!(parse_interval("0").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_interval("-1s").unwrap(), Duration::from_millis(250));
        for bad in ["", "fast", "1x", "s", "1s2"] {
            assert!(parse_interval(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn conditions() {
        assert_eq!(
            parse_conditions(&[]).unwrap(),
            Conditions {
                exit: true,
                ..Default::default()
            }
        );
        let c = parse_conditions(&["running".into(), "removing".into()]).unwrap();
        assert!(!c.exit && c.removed && c.states == [State::Running]);
        assert!(parse_conditions(&["paused".into()])
            .unwrap_err()
            .to_string()
            .contains("never paused"));
        assert!(parse_conditions(&["sleeping".into()])
            .unwrap_err()
            .to_string()
            .contains("unknown container state: sleeping"));
    }
}
