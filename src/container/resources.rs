//! Resource limits (`--memory`, `--memory-swap`, `--cpus`, `--cpu-shares`, `--pids-limit`):
//! checked and stored at create, written into the container's cgroup v2 directory before its
//! process enters it, as Podman's flags mean them.

use serde::{Deserialize, Serialize};

/// What Podman prints where cgroups are v1 (or hybrid) and it runs the container without them.
pub const IGNORED_ON_V1: &str =
    "Resource limits are not supported and ignored on cgroups V1 rootless systems";

/// Where a container's limits go, decided the same way at create and at each start.
pub enum Target {
    /// No limits asked for.
    None,
    /// cgroup v1 or hybrid: run without them, as Podman does (it warns at create).
    IgnoredOnV1,
    /// Below this delegated cgroup, in the container's own.
    Below(std::path::PathBuf),
}

/// Limits need a delegated cgroup v2 subtree and a cgroup of the container's own; anything
/// else is an error naming the fix.
pub fn target(r: &Resources, no_cgroup: bool) -> Result<Target, String> {
    use crate::cgroup::LimitSupport;
    if r.is_empty() {
        return Ok(Target::None);
    }
    match crate::cgroup::limit_support() {
        LimitSupport::V1 => Ok(Target::IgnoredOnV1),
        LimitSupport::NotDelegated => Err("resource limits need a cgroup v2 subtree delegated \
             to you, and lodger does not run in one: run it in a systemd user unit with \
             Delegate=yes, or under systemd-run --user --scope -p Delegate=yes"
            .into()),
        LimitSupport::Delegated(_) if no_cgroup => Err(
            "--cgroups=disabled leaves the container no cgroup to limit: drop it or the limits"
                .into(),
        ),
        LimitSupport::Delegated(base) => Ok(Target::Below(base)),
    }
}

/// Podman's smallest memory limit: below it a container cannot even start.
const MIN_MEMORY: u64 = 6 * 1024 * 1024;
/// The CFS period `--cpus` is a share of, as in Podman (100 ms).
const CPU_PERIOD: u64 = 100_000;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Resources {
    /// memory.max, bytes.
    #[serde(default)]
    pub memory: Option<u64>,
    /// Memory plus swap, bytes; -1 for unlimited swap.
    #[serde(default)]
    pub memory_swap: Option<i64>,
    #[serde(default)]
    pub cpus: Option<f64>,
    #[serde(default)]
    pub cpu_shares: Option<u64>,
    /// pids.max; -1 or 0 for no limit.
    #[serde(default)]
    pub pids_limit: Option<i64>,
}

/// A size as Podman reads `--memory`: a number with an optional unit b, k, m, g or t (any
/// case, "kb" and "k" alike), in powers of 1024.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let bad = || {
        format!("invalid size {s:?}: use a number with an optional unit b, k, m or g, e.g. 512m")
    };
    let lower = s.trim().to_ascii_lowercase();
    let digits_end = lower
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(lower.len());
    let number: f64 = lower[..digits_end].parse().map_err(|_| bad())?;
    let unit = lower[digits_end..].trim();
    let scale: u64 = match unit.strip_suffix('b').unwrap_or(unit) {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        "t" => 1 << 40,
        _ => return Err(bad()),
    };
    let bytes = number * scale as f64;
    if !bytes.is_finite() || bytes < 0.0 || bytes > u64::MAX as f64 {
        return Err(bad());
    }
    Ok(bytes as u64)
}

/// The flags as given on the command line.
#[derive(Debug, Default)]
pub struct Flags<'a> {
    pub memory: Option<&'a str>,
    pub memory_swap: Option<&'a str>,
    pub cpus: Option<f64>,
    pub cpu_shares: Option<u64>,
    pub pids_limit: Option<i64>,
}

impl Resources {
    pub fn from_flags(f: &Flags) -> Result<Resources, String> {
        let memory = f.memory.map(parse_size).transpose()?;
        if let Some(m) = memory.filter(|&m| m != 0) {
            if m < MIN_MEMORY {
                return Err("minimum memory limit allowed is 6MB: give --memory 6m or more".into());
            }
        }
        let memory = memory.filter(|&m| m != 0);
        let memory_swap = match f.memory_swap {
            None => None,
            Some("-1") => Some(-1),
            Some(s) => Some(
                i64::try_from(parse_size(s)?)
                    .map_err(|_| format!("--memory-swap {s:?} is too large"))?,
            ),
        };
        if let Some(swap) = memory_swap.filter(|&s| s != -1) {
            match memory {
                None => return Err("--memory-swap needs --memory: it counts memory and swap together".into()),
                Some(m) if (swap as u64) < m => {
                    return Err("--memory-swap must be at least --memory (it counts memory and swap together), or -1 for unlimited swap".into())
                }
                _ => {}
            }
        }
        if let Some(c) = f.cpus {
            if !(c.is_finite() && c > 0.0) {
                return Err(format!(
                    "invalid --cpus {c}: give a positive number of CPUs, e.g. 0.5"
                ));
            }
        }
        if f.cpu_shares == Some(0) {
            return Err(
                "invalid --cpu-shares 0: give 2 to 262144 (1024 is the default share)".into(),
            );
        }
        Ok(Resources {
            memory,
            memory_swap,
            cpus: f.cpus,
            cpu_shares: f.cpu_shares,
            pids_limit: f.pids_limit,
        })
    }

    pub fn is_empty(&self) -> bool {
        *self == Resources::default()
    }

    /// The cgroup v2 files to write, with the controllers they need enabled in the parent.
    pub fn cgroup_files(&self) -> Vec<Limit> {
        let mut out = Vec::new();
        let mut add = |controller, file, value: String, asked| {
            out.push(Limit {
                controller,
                file,
                value,
                asked,
            })
        };
        if let Some(m) = self.memory {
            add("memory", "memory.max", m.to_string(), true);
            // Without --memory-swap, as much swap as memory (Podman's default), where the
            // kernel accounts swap at all.
            let swap = match self.memory_swap {
                Some(-1) => "max".to_string(),
                Some(total) => (total as u64).saturating_sub(m).to_string(),
                None => m.to_string(),
            };
            add(
                "memory",
                "memory.swap.max",
                swap,
                self.memory_swap.is_some(),
            );
        }
        if let Some(c) = self.cpus {
            let quota = ((c * CPU_PERIOD as f64).round() as u64).max(1000);
            add("cpu", "cpu.max", format!("{quota} {CPU_PERIOD}"), true);
        }
        if let Some(shares) = self.cpu_shares {
            // The conversion runc and crun use from cgroup v1 shares (2..262144) to weight.
            let shares = shares.clamp(2, 262_144);
            let weight = 1 + ((shares - 2) * 9999) / 262_142;
            add("cpu", "cpu.weight", weight.to_string(), true);
        }
        if let Some(p) = self.pids_limit {
            let value = if p <= 0 {
                "max".to_string()
            } else {
                p.to_string()
            };
            add("pids", "pids.max", value, true);
        }
        out
    }
}

/// One cgroup file to write.
#[derive(Debug, PartialEq)]
pub struct Limit {
    pub controller: &'static str,
    pub file: &'static str,
    pub value: String,
    /// Given by the user: a kernel without the file fails the start; a default is dropped.
    pub asked: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_as_podman_reads_them() {
        assert_eq!(parse_size("512m").unwrap(), 512 << 20);
        assert_eq!(parse_size("1G").unwrap(), 1 << 30);
        assert_eq!(parse_size("64kb").unwrap(), 64 << 10);
        assert_eq!(parse_size("1.5g").unwrap(), 3 << 29);
        assert_eq!(parse_size("4096").unwrap(), 4096);
        for bad in ["", "m", "12x", "-5m", "1e400"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn flags_checked_and_turned_into_cgroup_files() {
        let r = Resources::from_flags(&Flags {
            memory: Some("64m"),
            cpus: Some(0.5),
            cpu_shares: Some(1024),
            pids_limit: Some(100),
            ..Default::default()
        })
        .unwrap();
        let files: Vec<(&str, String)> = r
            .cgroup_files()
            .into_iter()
            .map(|l| (l.file, l.value))
            .collect();
        assert_eq!(
            files,
            [
                ("memory.max", "67108864".to_string()),
                ("memory.swap.max", "67108864".to_string()),
                ("cpu.max", "50000 100000".to_string()),
                ("cpu.weight", "39".to_string()),
                ("pids.max", "100".to_string()),
            ]
        );
        let swap = |s: &str| {
            Resources::from_flags(&Flags {
                memory: Some("64m"),
                memory_swap: Some(s),
                ..Default::default()
            })
        };
        assert_eq!(swap("-1").unwrap().cgroup_files()[1].value, "max");
        assert!(swap("-1").unwrap().cgroup_files()[1].asked);
        assert!(!r.cgroup_files()[1].asked, "the default swap limit");
        assert_eq!(
            swap("96m").unwrap().cgroup_files()[1].value,
            (32 << 20).to_string()
        );
        assert!(swap("32m").unwrap_err().contains("at least --memory"));
        let one = |f: Flags| Resources::from_flags(&f);
        assert!(one(Flags {
            memory: Some("1m"),
            ..Default::default()
        })
        .unwrap_err()
        .contains("6MB"));
        assert!(one(Flags {
            memory_swap: Some("1g"),
            ..Default::default()
        })
        .unwrap_err()
        .contains("needs --memory"));
        assert!(one(Flags {
            cpus: Some(0.0),
            ..Default::default()
        })
        .is_err());
        assert!(one(Flags {
            cpu_shares: Some(0),
            ..Default::default()
        })
        .is_err());
        assert_eq!(
            one(Flags {
                pids_limit: Some(-1),
                ..Default::default()
            })
            .unwrap()
            .cgroup_files()[0]
                .value,
            "max"
        );
        assert!(one(Flags::default()).unwrap().is_empty());
    }
}
