//! `stats`: the resource use of running containers, from their cgroups, as Podman shows it.

use super::format::decimal_size;
use super::Context;
use crate::container::{self, stats::Sample};
use crate::store::{ContainerRecord, State, Store};
use anyhow::bail;
use clap::Args;
use serde_json::{json, Value};
use std::io::Write;
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct StatsArgs {
    /// Containers to show (default: every running container)
    #[arg(value_name = "CONTAINER")]
    pub containers: Vec<String>,
    /// Show every container, the stopped ones with no figures
    #[arg(short, long)]
    pub all: bool,
    /// Print one reading and exit
    #[arg(long)]
    pub no_stream: bool,
    /// Seconds between readings when streaming
    #[arg(short, long, value_name = "SECONDS", default_value_t = 5)]
    pub interval: u64,
    /// Format the output: json or a Go template
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Do not truncate IDs
    #[arg(long)]
    pub no_trunc: bool,
}

const HEADERS: &[(&str, &str)] = &[
    ("ID", "ID"),
    ("ContainerID", "ID"),
    ("Name", "NAME"),
    ("CPUPerc", "CPU %"),
    ("MemUsage", "MEM USAGE / LIMIT"),
    ("MemUsageBytes", "MEM USAGE / LIMIT"),
    ("MemPerc", "MEM %"),
    ("NetIO", "NET IO"),
    ("BlockIO", "BLOCK IO"),
    ("PIDs", "PIDS"),
    ("CPU", "CPU TIME"),
    ("AVGCPU", "AVG CPU %"),
    ("UpTime", "UP TIME"),
];

const DEFAULT_TABLE: &str = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}\t{{.CPU}}\t{{.AVGCPU}}";

/// Go's `time.Duration.String()` for a CPU time in microseconds: below a second in µs or
/// ms, from there as `top` prints durations.
fn go_duration(usec: u64) -> String {
    match usec {
        0 => "0s".into(),
        u if u < 1000 => format!("{u}µs"),
        u if u < 1_000_000 => {
            let ms = format!("{:.3}", u as f64 / 1000.0);
            format!("{}ms", ms.trim_end_matches('0').trim_end_matches('.'))
        }
        u => container::top::duration(u as f64 / 1e6),
    }
}

fn size(v: Option<u64>) -> String {
    v.map_or_else(|| "--".into(), |b| decimal_size(b, 3, ""))
}

fn pair(a: Option<u64>, b: Option<u64>) -> String {
    match (a, b) {
        (None, None) => "--".into(),
        _ => format!("{} / {}", size(a), size(b)),
    }
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "--".into(), |p| format!("{p:.2}%"))
}

/// One container's reading, with the previous one to take the CPU share from.
struct Row {
    record: ContainerRecord,
    now: Option<(Sample, Instant)>,
    cpu_percent: Option<f64>,
}

fn docs(rows: &[Row], no_trunc: bool, host_mem: Option<u64>) -> (Vec<Value>, Vec<Value>) {
    let mut templates = Vec::new();
    let mut json_docs = Vec::new();
    for r in rows {
        let id = match no_trunc {
            true => r.record.id.clone(),
            false => r.record.id.chars().take(12).collect(),
        };
        let uptime = r
            .record
            .started_at
            .map(|t| (container::now() - t).max(0) as u64);
        let s = r.now.as_ref().map(|(s, _)| s);
        let limit = s.and_then(|s| s.mem_limit).or(host_mem);
        let mem = s.and_then(|s| s.mem_usage);
        let mem_perc = match (mem, limit) {
            (Some(m), Some(l)) if l > 0 => Some(m as f64 * 100.0 / l as f64),
            _ => None,
        };
        let avg = match (s, uptime) {
            (Some(s), Some(up)) => Some(s.cpu_usec as f64 / 1e4 / (up.max(1) as f64)),
            _ => None,
        };
        let cpu_time = s.map_or_else(|| "--".into(), |s| go_duration(s.cpu_usec));
        let mem_usage = match s {
            Some(_) => pair(mem, limit),
            None => "--".into(),
        };
        let net = pair(s.and_then(|s| s.net_rx), s.and_then(|s| s.net_tx));
        let block = pair(s.and_then(|s| s.block_read), s.and_then(|s| s.block_write));
        let pids = s
            .and_then(|s| s.pids)
            .map_or_else(|| "--".into(), |p| p.to_string());
        let cpu_perc = percent(r.cpu_percent.or(avg));
        let avg_cpu = percent(avg);
        templates.push(json!({
            "ID": id,
            "ContainerID": r.record.id,
            "Name": r.record.name,
            "CPUPerc": cpu_perc,
            "MemUsage": mem_usage,
            "MemUsageBytes": mem_usage,
            "MemPerc": percent(mem_perc),
            "NetIO": net,
            "BlockIO": block,
            "PIDs": pids,
            "CPU": cpu_time,
            "AVGCPU": avg_cpu,
            "UpTime": uptime.map_or_else(|| "--".into(), |u| go_duration(u * 1_000_000)),
        }));
        json_docs.push(json!({
            "id": id,
            "name": r.record.name,
            "cpu_time": cpu_time,
            "cpu_percent": cpu_perc,
            "avg_cpu": avg_cpu,
            "mem_usage": mem_usage,
            "mem_percent": percent(mem_perc),
            "net_io": net,
            "block_io": block,
            "pids": pids,
        }));
    }
    (templates, json_docs)
}

/// The containers to show, in the order given (or newest first).
fn targets(store: &Store, a: &StatsArgs) -> anyhow::Result<Vec<ContainerRecord>> {
    let running =
        |c: &ContainerRecord| container::effective_state(store.paths(), c) == State::Running;
    if a.containers.is_empty() {
        return Ok(store
            .containers()?
            .into_iter()
            .filter(|c| a.all || running(c))
            .collect());
    }
    let mut out = Vec::new();
    for n in &a.containers {
        let c = store.find_container(n)?;
        if !a.all && !running(&c) {
            bail!("container {} is not running: stats shows running containers (-a shows the others without figures)", c.name);
        }
        out.push(c);
    }
    Ok(out)
}

fn read(store: &Store, rows: &mut [Row]) {
    for r in rows.iter_mut() {
        let dirs = container::dirs(store.paths(), &r.record.id);
        let running = container::effective_state(store.paths(), &r.record) == State::Running;
        let Some(cgroup) = crate::cgroup::recorded(&dirs.state).filter(|_| running) else {
            r.now = None;
            r.cpu_percent = None;
            continue;
        };
        let taken = Instant::now();
        let Ok(s) = container::stats::sample(&cgroup, r.record.pid) else {
            r.now = None;
            continue;
        };
        r.cpu_percent = r.now.as_ref().map(|(prev, at)| {
            let used = s.cpu_usec.saturating_sub(prev.cpu_usec) as f64;
            used * 100.0 / (taken.duration_since(*at).as_micros().max(1) as f64)
        });
        r.now = Some((s, taken));
    }
}

fn print(rows: &[Row], a: &StatsArgs, host_mem: Option<u64>) -> anyhow::Result<()> {
    let (templates, json_docs) = docs(rows, a.no_trunc, host_mem);
    let out = &mut std::io::stdout().lock();
    match a.format.as_deref() {
        Some("json") => writeln!(out, "{}", serde_json::to_string_pretty(&json_docs)?)?,
        Some(t) => super::template::write(out, t, &templates, HEADERS, false)?,
        None => super::template::write(out, DEFAULT_TABLE, &templates, HEADERS, false)?,
    }
    out.flush()?;
    Ok(())
}

pub fn stats(ctx: &Context, a: StatsArgs) -> anyhow::Result<i32> {
    let support = crate::cgroup::limit_support();
    if let crate::cgroup::LimitSupport::V1 = support {
        bail!("stats is not supported in rootless mode without cgroups v2");
    }
    if a.interval == 0 {
        bail!("--interval must be at least 1 second");
    }
    let store = Store::open(&ctx.paths)?;
    let host_mem = container::stats::host_memory();
    let mut rows: Vec<Row> = targets(&store, &a)?
        .into_iter()
        .map(|record| Row {
            record,
            now: None,
            cpu_percent: None,
        })
        .collect();
    // Containers started in a delegated subtree have cgroups wherever `stats` runs from.
    let cgroups: Vec<std::path::PathBuf> = rows
        .iter()
        .filter_map(|r| {
            crate::cgroup::recorded(&container::dirs(store.paths(), &r.record.id).state)
        })
        .collect();
    if cgroups.is_empty() && !rows.is_empty() {
        if let crate::cgroup::LimitSupport::NotDelegated = support {
            bail!(
                "stats reads the containers' own cgroups, which lodger makes only where it runs \
                 in a delegated cgroup v2 subtree: run the containers in a systemd user unit \
                 with Delegate=yes, or under systemd-run --user --scope -p Delegate=yes"
            );
        }
    }
    for dir in &cgroups {
        crate::cgroup::enable_for_stats(dir);
    }
    read(&store, &mut rows);
    if a.no_stream {
        print(&rows, &a, host_mem)?;
        return Ok(0);
    }
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stdout());
    loop {
        if terminal {
            // Podman redraws the screen at every reading.
            print!("\x1b[2J\x1b[H");
        }
        print(&rows, &a, host_mem)?;
        std::thread::sleep(Duration::from_secs(a.interval));
        read(&store, &mut rows);
        // Containers that ended leave the list, unless all were asked for.
        if !a.all {
            rows.retain(|r| r.now.is_some());
            if rows.is_empty() && !a.containers.is_empty() {
                return Ok(0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_go_prints_them() {
        assert_eq!(go_duration(0), "0s");
        assert_eq!(go_duration(250), "250µs");
        assert_eq!(go_duration(12_345), "12.345ms");
        assert_eq!(go_duration(1_500_000), "1.5s");
        assert_eq!(go_duration(62_000_000), "1m2s");
        assert_eq!(go_duration(3_723_500_000), "1h2m3.5s");
    }

    #[test]
    fn sizes_and_shares_as_podman_shows_them() {
        assert_eq!(pair(Some(2_003_000), Some(67_108_864)), "2MB / 67.1MB");
        assert_eq!(pair(None, None), "--");
        assert_eq!(percent(Some(12.345)), "12.35%");
        assert_eq!(percent(None), "--");
    }
}
