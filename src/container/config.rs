//! What a container is made of, as stored with it: everything `run`/`create` decided from
//! the image and the flags, so `start` needs nothing else.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BindMount {
    pub source: String,
    pub destination: String,
    pub readonly: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TmpfsMount {
    pub destination: String,
    pub options: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum NetworkMode {
    #[default]
    None,
    Host,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum UsernsMode {
    /// Container root is the user, 1.. the subordinate ids.
    #[default]
    Default,
    /// The user keeps their own uid inside.
    KeepId,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct ContainerConfig {
    /// The command line to execute: entrypoint followed by cmd.
    pub command: Vec<String>,
    pub env: Vec<String>,
    pub workdir: String,
    pub user: String,
    #[serde(default)]
    pub group_add: Vec<String>,
    pub hostname: String,
    pub tty: bool,
    pub interactive: bool,
    pub init: bool,
    pub remove: bool,
    pub read_only: bool,
    #[serde(default)]
    pub tmpfs: Vec<TmpfsMount>,
    #[serde(default)]
    pub binds: Vec<BindMount>,
    pub network: NetworkMode,
    #[serde(default)]
    pub net: crate::network::Settings,
    pub userns: UsernsMode,
    #[serde(default)]
    pub cap_add: Vec<String>,
    #[serde(default)]
    pub cap_drop: Vec<String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// `--annotation`, shown by `inspect` as Podman shows them.
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    /// Ids of the containers this one needs (`--volumes-from`, `--network container:`):
    /// they cannot be removed while it exists, except with `rm --depend`.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// `--restart`, applied by the monitor.
    #[serde(default)]
    pub restart: RestartPolicy,
    /// `--stop-signal` (a number), else the image's StopSignal, else SIGTERM.
    #[serde(default)]
    pub stop_signal: Option<i32>,
    /// `--stop-timeout` in seconds (default 10).
    #[serde(default)]
    pub stop_timeout: Option<u64>,
    /// `--log-driver` and `--log-opt`, applied by the monitor.
    #[serde(default)]
    pub log: super::LogConfig,
    /// `--sdnotify`: what the unit's notify socket is told at start.
    #[serde(default)]
    pub sdnotify: super::sdnotify::SdNotify,
    /// `--cidfile`: removed with the container, as Podman does.
    #[serde(default)]
    pub cidfile: Option<std::path::PathBuf>,
    /// `--cgroups=disabled`: no cgroup of its own, even where one could be made.
    #[serde(default)]
    pub no_cgroup: bool,
    /// `--memory`, `--cpus`, `--pids-limit`...: written into its cgroup.
    #[serde(default)]
    pub resources: super::resources::Resources,
}

/// Podman's `--restart` policies (within a boot).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum RestartPolicy {
    #[default]
    No,
    /// Restart after a non-zero exit, at most `max` times when given (0: no limit).
    OnFailure {
        max: u32,
    },
    Always,
    UnlessStopped,
}

impl RestartPolicy {
    /// `no`, `on-failure[:N]`, `always`, `unless-stopped`.
    pub fn parse(s: &str) -> Result<RestartPolicy, String> {
        let bad =
            || format!("invalid --restart {s:?}: use no, on-failure[:N], always or unless-stopped");
        Ok(match s {
            "" | "no" => RestartPolicy::No,
            "always" => RestartPolicy::Always,
            "unless-stopped" => RestartPolicy::UnlessStopped,
            "on-failure" => RestartPolicy::OnFailure { max: 0 },
            _ => match s.strip_prefix("on-failure:") {
                Some(n) => RestartPolicy::OnFailure {
                    max: n.parse().map_err(|_| bad())?,
                },
                None => return Err(bad()),
            },
        })
    }

    /// Whether the monitor starts the container again after it exited with `code`, having
    /// restarted it `count` times already; a container stopped by the user stays stopped.
    pub fn restarts(self, code: i32, count: u32, stopped_by_user: bool) -> bool {
        if stopped_by_user {
            return false;
        }
        match self {
            RestartPolicy::No => false,
            RestartPolicy::OnFailure { max } => code != 0 && (max == 0 || count < max),
            RestartPolicy::Always | RestartPolicy::UnlessStopped => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RestartPolicy as P;

    #[test]
    fn restart_policies() {
        assert_eq!(P::parse("no"), Ok(P::No));
        assert_eq!(P::parse("on-failure"), Ok(P::OnFailure { max: 0 }));
        assert_eq!(P::parse("on-failure:3"), Ok(P::OnFailure { max: 3 }));
        assert_eq!(P::parse("always"), Ok(P::Always));
        assert_eq!(P::parse("unless-stopped"), Ok(P::UnlessStopped));
        assert!(P::parse("sometimes").is_err());
        assert!(P::parse("on-failure:x").is_err());
        assert!(!P::OnFailure { max: 2 }.restarts(0, 0, false));
        assert!(P::OnFailure { max: 2 }.restarts(1, 1, false));
        assert!(!P::OnFailure { max: 2 }.restarts(1, 2, false));
        assert!(P::Always.restarts(0, 100, false));
        assert!(!P::Always.restarts(0, 0, true));
    }
}
