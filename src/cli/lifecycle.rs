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

/// The containers named, then those of `--cidfile`; None when only cidfiles were given and
/// none exists (with `--ignore`): nothing to do, as in Podman.
pub(super) fn with_cidfiles(
    names: &[String],
    cidfiles: &[std::path::PathBuf],
    ignore: bool,
) -> anyhow::Result<Option<Vec<String>>> {
    let ids = super::cidfile::read_ids(cidfiles, ignore)?;
    if names.is_empty() && ids.is_empty() && !cidfiles.is_empty() {
        return Ok(None);
    }
    Ok(Some(names.iter().cloned().chain(ids).collect()))
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
    /// Ignore containers that do not exist (and --cidfile files that do not)
    #[arg(short, long)]
    pub ignore: bool,
    /// Read the container's ID from FILE (as written by run --cidfile)
    #[arg(long, value_name = "FILE")]
    pub cidfile: Vec<std::path::PathBuf>,
}

/// The container's own stop signal and timeout, unless `-t` overrides the timeout.
pub(super) fn stop_request(
    c: &ContainerRecord,
    time: Option<u64>,
) -> anyhow::Result<container::stop::Stop> {
    let cfg = container::parse_config(c)?;
    Ok(container::stop::Stop {
        record: c.clone(),
        signal: cfg.stop_signal.unwrap_or(libc::SIGTERM),
        timeout: Duration::from_secs(time.or(cfg.stop_timeout).unwrap_or(10)),
    })
}

pub fn stop(ctx: &Context, a: StopArgs) -> anyhow::Result<i32> {
    let Some(given) = with_cidfiles(&a.containers, &a.cidfile, a.ignore)? else {
        return Ok(0);
    };
    let store = Store::open(&ctx.paths)?;
    let mut code = 0;
    let mut missing = 0;
    let names: Vec<String> = if a.ignore {
        given
            .iter()
            .filter(|n| store.find_container(n).is_ok())
            .cloned()
            .collect()
    } else {
        given
    };
    let found = targets(&store, &names, a.all, &mut missing)?
        .into_iter()
        .filter(|(_, c)| !a.all || container::effective_state(&ctx.paths, c) == State::Running);
    let mut out = std::io::stdout().lock();
    for (given, c) in stop_together(&store, found, a.time, &mut code) {
        writeln!(out, "{}", if a.all { &c.id } else { &given })?;
    }
    Ok(code.max(missing))
}

/// Stops the containers all at once (every one gets its signal before any is waited for);
/// returns those stopped, and prints why the others were not.
fn stop_together(
    store: &Store,
    found: impl IntoIterator<Item = (String, ContainerRecord)>,
    time: Option<u64>,
    code: &mut i32,
) -> Vec<(String, ContainerRecord)> {
    let mut stopping = Vec::new();
    let mut reqs = Vec::new();
    for (given, c) in found {
        match stop_request(&c, time) {
            Ok(r) => {
                reqs.push(r);
                stopping.push((given, c));
            }
            Err(e) => {
                eprintln!("Error: {e:#}");
                *code = 125;
            }
        }
    }
    let results = container::stop::stop_all(store, reqs, container::stop::Until::Recorded);
    stopping
        .into_iter()
        .zip(results)
        .filter_map(|(target, result)| match result {
            Ok(()) => Some(target),
            Err(e) => {
                eprintln!("Error: {e:#}");
                *code = 125;
                None
            }
        })
        .collect()
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
    /// Read the container's ID from FILE (as written by run --cidfile)
    #[arg(long, value_name = "FILE")]
    pub cidfile: Vec<std::path::PathBuf>,
}

pub fn kill(ctx: &Context, a: KillArgs) -> anyhow::Result<i32> {
    let signal = process::parse_signal(&a.signal)?;
    let given = with_cidfiles(&a.containers, &a.cidfile, false)?.unwrap_or_default();
    let store = Store::open(&ctx.paths)?;
    let mut code = 0;
    for (given, c) in targets(&store, &given, a.all, &mut code)? {
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
    /// Read the container's ID from FILE (as written by run --cidfile)
    #[arg(long, value_name = "FILE")]
    pub cidfile: Vec<std::path::PathBuf>,
}

pub fn restart(ctx: &Context, a: RestartArgs) -> anyhow::Result<i32> {
    ctx.warn_runtime_dir();
    let given = with_cidfiles(&a.containers, &a.cidfile, false)?.unwrap_or_default();
    let store = Store::open(&ctx.paths)?;
    let mut code = 0;
    // All stopped together first, as `stop` does; then started one by one.
    let found = targets(&store, &given, a.all, &mut code)?;
    for (given, c) in stop_together(&store, found, a.time, &mut code) {
        match super::start::start_detached(ctx, &c) {
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
    let filter = super::logs::Filter {
        timestamps: a.timestamps,
        since: a.since.as_deref().map(parse_time).transpose()?,
        until: a.until.as_deref().map(parse_time).transpose()?,
    };
    let mut printer =
        super::logs::Printer::new(filter, super::logs::StdFd(1), super::logs::StdFd(2));
    let tail = a.tail.and_then(|n| usize::try_from(n).ok());
    let end = match std::fs::File::open(&path) {
        Ok(mut f) => super::logs::print_log(&mut f, tail, &mut printer),
        // Never started: nothing was written yet.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && c.started_at.is_none() => Ok(0),
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
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(e),
    };
    let end = match end {
        Ok(end) => end,
        // The reader went away (`logs | head`): nothing more to do.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(0),
        Err(e) => bail!("reading the log file {}: {e}", path.display()),
    };
    if !a.follow {
        return Ok(0);
    }
    follow(&ctx.paths, &store, &c, &path, end, &mut printer)?;
    Ok(0)
}

/// Prints what is appended to the log until the container is no longer running.
fn follow<W: Write>(
    paths: &crate::paths::Paths,
    store: &Store,
    c: &ContainerRecord,
    path: &std::path::Path,
    mut offset: u64,
    printer: &mut super::logs::Printer<W>,
) -> anyhow::Result<()> {
    use std::os::unix::fs::MetadataExt;
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
                }
                file = Some(id);
            }
            match super::logs::print_from(&mut f, offset, printer) {
                Ok(o) => offset = o,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
                Err(e) => return Err(e.into()),
            }
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
