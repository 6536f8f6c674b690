//! What `stats` shows of a running container, read from its cgroup v2 directory and its
//! network namespace's `/proc/<pid>/net/dev`.

use std::io;
use std::path::Path;

/// One reading. Counters the kernel does not offer here (a controller not enabled) are None.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Sample {
    pub cpu_usec: u64,
    pub mem_usage: Option<u64>,
    /// memory.max, None when unlimited.
    pub mem_limit: Option<u64>,
    pub pids: Option<u64>,
    pub block_read: Option<u64>,
    pub block_write: Option<u64>,
    pub net_rx: Option<u64>,
    pub net_tx: Option<u64>,
}

fn read(dir: &Path, file: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(file)).ok()
}

fn number(text: Option<String>) -> Option<u64> {
    text?.trim().parse().ok()
}

/// `key value` lines (cpu.stat, memory.stat).
fn keyed(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok()).flatten()
    })
}

/// io.stat: `MAJ:MIN rbytes=N wbytes=N ...` per device, summed.
fn block_io(text: &str) -> (u64, u64) {
    let mut read = 0;
    let mut write = 0;
    for field in text.split_whitespace() {
        if let Some(v) = field.strip_prefix("rbytes=") {
            read += v.parse::<u64>().unwrap_or(0);
        } else if let Some(v) = field.strip_prefix("wbytes=") {
            write += v.parse::<u64>().unwrap_or(0);
        }
    }
    (read, write)
}

/// /proc/<pid>/net/dev: received and sent bytes of every interface but loopback.
fn net_io(text: &str) -> (u64, u64) {
    let mut rx = 0;
    let mut tx = 0;
    for line in text.lines().skip(2) {
        let Some((name, counters)) = line.split_once(':') else {
            continue;
        };
        if name.trim() == "lo" {
            continue;
        }
        let c: Vec<u64> = counters
            .split_whitespace()
            .map(|v| v.parse().unwrap_or(0))
            .collect();
        rx += c.first().copied().unwrap_or(0);
        tx += c.get(8).copied().unwrap_or(0);
    }
    (rx, tx)
}

/// Reads the container's cgroup `dir` and the network counters of its process `pid`.
pub fn sample(dir: &Path, pid: Option<u32>) -> io::Result<Sample> {
    let cpu = std::fs::read_to_string(dir.join("cpu.stat"))?;
    let (block_read, block_write) = match read(dir, "io.stat") {
        Some(t) => {
            let (r, w) = block_io(&t);
            (Some(r), Some(w))
        }
        None => (None, None),
    };
    let net = pid.and_then(|p| std::fs::read_to_string(format!("/proc/{p}/net/dev")).ok());
    let (net_rx, net_tx) = match net {
        Some(t) => {
            let (r, t) = net_io(&t);
            (Some(r), Some(t))
        }
        None => (None, None),
    };
    Ok(Sample {
        cpu_usec: keyed(&cpu, "usage_usec").unwrap_or(0),
        mem_usage: number(read(dir, "memory.current")),
        mem_limit: number(read(dir, "memory.max")),
        pids: number(read(dir, "pids.current")),
        block_read,
        block_write,
        net_rx,
        net_tx,
    })
}

/// The host's memory, the limit of a container without one (as Podman shows it).
pub fn host_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kb: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_read_as_the_kernel_writes_them() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        std::fs::write(d.join("cpu.stat"), "usage_usec 12345\nuser_usec 10000\n").unwrap();
        std::fs::write(d.join("memory.current"), "4096\n").unwrap();
        std::fs::write(d.join("memory.max"), "max\n").unwrap();
        std::fs::write(
            d.join("io.stat"),
            "8:0 rbytes=100 wbytes=20 rios=1 wios=1\n8:16 rbytes=1 wbytes=2 rios=1 wios=1\n",
        )
        .unwrap();
        let s = sample(d, None).unwrap();
        assert_eq!(s.cpu_usec, 12345);
        assert_eq!(s.mem_usage, Some(4096));
        assert_eq!(s.mem_limit, None);
        assert_eq!(s.pids, None, "no pids controller: unknown, not 0");
        assert_eq!((s.block_read, s.block_write), (Some(101), Some(22)));
        let dev = "Inter-|   Receive |  Transmit\n face |bytes packets|bytes\n    \
                   lo: 500 5 0 0 0 0 0 0 500 5 0 0 0 0 0 0\n  \
                   tap0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n";
        assert_eq!(net_io(dev), (1000, 2000));
        assert!(sample(&d.join("missing"), None).is_err());
        assert!(host_memory().is_some_and(|m| m > 0));
    }
}
