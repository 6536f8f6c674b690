//! Commands on running containers: `logs`, `stop`, `kill`, `restart`.

use super::Context;
use crate::container::{self, process};
use crate::monitor::log;
use crate::store::{ContainerRecord, State, Store};
use anyhow::bail;
use clap::Args;
use std::io::Write;
use std::time::Duration;

/// Finds each named container (or all with `all`); prints Podman's message for a missing one.
fn targets(
    store: &Store,
    names: &[String],
    all: bool,
    code: &mut i32,
) -> anyhow::Result<Vec<(String, ContainerRecord)>> {
    if all {
        return Ok(store
            .containers()?
            .into_iter()
            .map(|c| (c.name.clone(), c))
            .collect());
    }
    if names.is_empty() {
        bail!("give at least one container name or ID");
    }
    let mut out = Vec::new();
    for n in names {
        match store.find_container(n) {
            Ok(c) => out.push((n.clone(), c)),
            Err(e) => {
                eprintln!("Error: {e}");
                *code = 125;
            }
        }
    }
    Ok(out)
}

#[derive(Args, Debug)]
pub struct StopArgs {
    /// Containers to stop
    #[arg(value_name = "CONTAINER")]
    pub containers: Vec<String>,
    /// Stop all running containers
    #[arg(short, long)]
    pub all: bool,
    /// Seconds to wait before killing the container
    #[arg(short = 't', long = "time", value_name = "SECONDS")]
    pub time: Option<u64>,
    /// Ignore containers that do not exist
    #[arg(short, long)]
    pub ignore: bool,
}

/// The container's own stop signal and timeout, unless `-t` overrides the timeout.
fn stop_request(c: &ContainerRecord, time: Option<u64>) -> anyhow::Result<container::stop::Stop> {
    let cfg = container::parse_config(c)?;
    Ok(container::stop::Stop {
        record: c.clone(),
        signal: cfg.stop_signal.unwrap_or(libc::SIGTERM),
        timeout: Duration::from_secs(time.or(cfg.stop_timeout).unwrap_or(10)),
    })
}

fn stop_one(store: &Store, c: &ContainerRecord, time: Option<u64>) -> anyhow::Result<()> {
    let r = stop_request(c, time)?;
    process::stop(store, c, r.signal, r.timeout)?;
    Ok(())
}

pub fn stop(ctx: &Context, a: StopArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let mut code = 0;
    let mut missing = 0;
    let names: Vec<String> = if a.ignore {
        a.containers
            .iter()
            .filter(|n| store.find_container(n).is_ok())
            .cloned()
            .collect()
    } else {
        a.containers.clone()
    };
    // Every container gets its signal before any is waited for.
    let mut shown = Vec::new();
    let mut reqs = Vec::new();
    for (given, c) in targets(&store, &names, a.all, &mut missing)? {
        if a.all && container::effective_state(&ctx.paths, &c) != State::Running {
            continue;
        }
        match stop_request(&c, a.time) {
            Ok(r) => {
                shown.push(if a.all { c.id.clone() } else { given });
                reqs.push(r);
            }
            Err(e) => {
                eprintln!("Error: {e:#}");
                code = 125;
            }
        }
    }
    let results = container::stop::stop_all(&store, reqs, container::stop::Until::Recorded);
    let mut out = std::io::stdout().lock();
    for (name, result) in shown.iter().zip(results) {
        match result {
            Ok(()) => writeln!(out, "{name}")?,
            Err(e) => {
                eprintln!("Error: {e:#}");
                code = 125;
            }
        }
    }
    Ok(code.max(missing))
}

#[derive(Args, Debug)]
pub struct KillArgs {
    /// Containers to signal
    #[arg(value_name = "CONTAINER")]
    pub containers: Vec<String>,
    /// Signal all running containers
    #[arg(short, long)]
    pub all: bool,
    /// Signal to send
    #[arg(short, long, value_name = "SIGNAL", default_value = "KILL")]
    pub signal: String,
}

pub fn kill(ctx: &Context, a: KillArgs) -> anyhow::Result<i32> {
    let signal = process::parse_signal(&a.signal)?;
    let store = Store::open(&ctx.paths)?;
    let mut code = 0;
    for (given, c) in targets(&store, &a.containers, a.all, &mut code)? {
        let running = container::effective_state(&ctx.paths, &c) == State::Running;
        if a.all && !running {
            continue;
        }
        if !running {
            eprintln!(
                "Error: can only kill running containers. {given} is in state {}: container state improper",
                container::effective_state(&ctx.paths, &c).as_str()
            );
            code = 125;
            continue;
        }
        if signal == libc::SIGKILL || signal == libc::SIGTERM {
            process::mark_stopped(&ctx.paths, &c.id, true);
        }
        match process::signal(&ctx.paths, &c, signal) {
            Ok(()) => println!("{}", if a.all { &c.id } else { &given }),
            Err(e) => {
                eprintln!("Error: {e}");
                code = 125;
            }
        }
    }
    Ok(code)
}

#[derive(Args, Debug)]
pub struct RestartArgs {
    /// Containers to restart
    #[arg(value_name = "CONTAINER")]
    pub containers: Vec<String>,
    /// Restart all containers
    #[arg(short, long)]
    pub all: bool,
    /// Seconds to wait before killing the container
    #[arg(short = 't', long = "time", value_name = "SECONDS")]
    pub time: Option<u64>,
}

pub fn restart(ctx: &Context, a: RestartArgs) -> anyhow::Result<i32> {
    ctx.warn_runtime_dir();
    let store = Store::open(&ctx.paths)?;
    let mut code = 0;
    for (given, c) in targets(&store, &a.containers, a.all, &mut code)? {
        if let Err(e) = stop_one(&store, &c, a.time) {
            eprintln!("Error: {e:#}");
            code = 125;
            continue;
        }
        match super::container::start_detached(ctx, &c) {
            Ok(()) => println!("{}", if a.all { &c.id } else { &given }),
            Err(c) => code = c,
        }
    }
    Ok(code)
}

#[derive(Args, Debug)]
pub struct LogsArgs {
    /// Container whose output to show
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// Keep printing new output until the container exits
    #[arg(short, long)]
    pub follow: bool,
    /// Print only the last N lines
    #[arg(short = 'n', long, value_name = "N")]
    pub tail: Option<i64>,
    /// Prefix each line with its time
    #[arg(short, long)]
    pub timestamps: bool,
    /// Only output since this time (RFC 3339, Unix seconds, or a duration such as 10m)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only output until this time (same forms as --since)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
}

/// RFC 3339, Unix seconds, or a duration (`90s`, `5m`, `2h`) before now.
fn parse_time(s: &str) -> anyhow::Result<f64> {
    if let Some(t) = log::seconds(s) {
        return Ok(t);
    }
    if let Ok(t) = s.parse::<f64>() {
        return Ok(t);
    }
    let unit = |u: &str| match u {
        "s" => Some(1.0),
        "m" => Some(60.0),
        "h" => Some(3600.0),
        _ => None,
    };
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (n, u) = s.split_at(split);
    match (n.parse::<f64>(), unit(u)) {
        (Ok(n), Some(u)) => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0.0, |d| d.as_secs_f64());
            Ok(now - n * u)
        }
        _ => bail!(
            "invalid time {s:?}: use an RFC 3339 time, Unix seconds or a duration such as 10m"
        ),
    }
}

struct LogPrinter {
    timestamps: bool,
    since: Option<f64>,
    until: Option<f64>,
    /// The previous entry was partial: this one continues its line.
    continued: [bool; 2],
}

impl LogPrinter {
    fn wanted(&self, e: &log::Entry) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        let Some(t) = log::seconds(e.time) else {
            return true;
        };
        self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t <= u)
    }

    fn print(&mut self, e: &log::Entry) {
        if !self.wanted(e) {
            return;
        }
        let i = usize::from(e.stderr);
        let mut out = Vec::with_capacity(e.text.len() + 40);
        if self.timestamps && !self.continued[i] {
            out.extend_from_slice(e.time.as_bytes());
            out.push(b' ');
        }
        out.extend_from_slice(e.text);
        if !e.partial {
            out.push(b'\n');
        }
        self.continued[i] = e.partial;
        let _ = if e.stderr {
            std::io::stderr().write_all(&out)
        } else {
            std::io::stdout().write_all(&out)
        };
    }
}

pub fn logs(ctx: &Context, a: LogsArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let c = store.find_container(&a.container)?;
    let cfg = container::parse_config(&c)?;
    if cfg.log.driver != container::LogDriver::K8sFile {
        bail!(
            "this container is using the '{}' log driver, cannot read logs: this container is not logging output",
            cfg.log.driver.as_str()
        );
    }
    let path = log::path_for(&ctx.paths, &c.id, &cfg.log);
    let mut printer = LogPrinter {
        timestamps: a.timestamps,
        since: a.since.as_deref().map(parse_time).transpose()?,
        until: a.until.as_deref().map(parse_time).transpose()?,
        continued: [false; 2],
    };
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        // Never started: nothing was written yet.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && c.started_at.is_none() => Vec::new(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !a.follow => {
            let next = match container::effective_state(&ctx.paths, &c) {
                State::Running => "its monitor creates it again with the container's next output",
                _ => "it is created again when the container starts",
            };
            bail!(
                "the log file {} of container {} is missing (deleted?): the output written to it is lost; {next}",
                path.display(),
                c.name
            )
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => bail!("reading the log file {}: {e}", path.display()),
    };
    let end = data.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let entries: Vec<log::Entry> = data[..end]
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .filter_map(log::parse)
        .collect();
    let lines = line_numbers(&entries);
    let total = lines.iter().max().map_or(0, |m| m + 1);
    let first_line = match a.tail {
        Some(n) if n >= 0 => total.saturating_sub(n as usize),
        _ => 0,
    };
    for (e, line) in entries.iter().zip(&lines) {
        if *line >= first_line {
            printer.print(e);
        }
    }
    let _ = std::io::stdout().flush();
    if !a.follow {
        return Ok(0);
    }
    follow(&ctx.paths, &store, &c, &path, end as u64, &mut printer)?;
    Ok(0)
}

/// The line each entry belongs to: partial entries join the next full one of their stream
/// (stdout and stderr pieces interleave), numbered in the order lines end.
fn line_numbers(entries: &[log::Entry]) -> Vec<usize> {
    let mut out = vec![0; entries.len()];
    let mut pending: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
    let mut next = 0;
    for (i, e) in entries.iter().enumerate() {
        let stream = usize::from(e.stderr);
        pending[stream].push(i);
        if !e.partial {
            for j in pending[stream].drain(..) {
                out[j] = next;
            }
            next += 1;
        }
    }
    for j in pending.into_iter().flatten() {
        out[j] = next;
    }
    out
}

/// Prints what is appended to the log until the container is no longer running.
fn follow(
    paths: &crate::paths::Paths,
    store: &Store,
    c: &ContainerRecord,
    path: &std::path::Path,
    mut offset: u64,
    printer: &mut LogPrinter,
) -> anyhow::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    use std::os::unix::fs::MetadataExt;
    let mut pending = Vec::new();
    let mut file = std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()));
    loop {
        // Read the state before the file, so output written just before the exit is seen.
        let running = match store.find_container(&c.id) {
            Ok(cur) => container::effective_state(paths, &cur) == State::Running,
            Err(_) => false,
        };
        if let Ok(mut f) = std::fs::File::open(path) {
            // A new file (deleted and created again, or started over at max-size) is read
            // from its start.
            if let Ok(m) = f.metadata() {
                let id = (m.dev(), m.ino());
                if file.is_some_and(|old| old != id) || m.len() < offset {
                    offset = 0;
                    pending.clear();
                }
                file = Some(id);
            }
            if f.seek(SeekFrom::Start(offset)).is_ok() {
                let mut buf = Vec::new();
                if let Ok(n) = f.read_to_end(&mut buf) {
                    offset += n as u64;
                    pending.extend_from_slice(&buf);
                }
            }
        }
        if let Some(end) = pending.iter().rposition(|&b| b == b'\n') {
            for line in pending[..end]
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
            {
                if let Some(e) = log::parse(line) {
                    printer.print(&e);
                }
            }
            pending.drain(..=end);
            let _ = std::io::stdout().flush();
        }
        if !running {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(stderr: bool, partial: bool) -> log::Entry<'static> {
        log::Entry {
            time: "2024-01-01T00:00:00Z",
            stderr,
            partial,
            text: b"x",
        }
    }

    #[test]
    fn partial_entries_join_the_next_full_line_of_their_stream() {
        // out "a", out "pa" (partial), err "e", out "rt", out "tail" (partial, unfinished)
        let entries = [
            entry(false, false),
            entry(false, true),
            entry(true, false),
            entry(false, false),
            entry(false, true),
        ];
        assert_eq!(line_numbers(&entries), [0, 2, 1, 2, 3]);
    }

    #[test]
    fn times_as_podman_takes_them() {
        assert_eq!(parse_time("1700000000").unwrap(), 1.7e9);
        assert_eq!(parse_time("2024-01-01T00:00:00Z").unwrap(), 1_704_067_200.0);
        let ago = parse_time("10m").unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64();
        assert!((now - ago - 600.0).abs() < 5.0);
        assert!(parse_time("soon").is_err());
    }
}
