//! The flags of `run` and `create`, defined once.

use super::image::{PlatformFlags, RegistryFlags};
use clap::{ArgAction, Args};
use std::path::PathBuf;

#[derive(Args, Debug, Clone)]
pub struct CreateFlags {
    /// Assign a name to the container
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Set environment variables (KEY=VALUE, KEY from lodger's environment, or PREFIX*)
    #[arg(short, long, value_name = "ENV")]
    pub env: Vec<String>,
    /// Read environment variables from a file
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<PathBuf>,
    /// Use all of lodger's environment in the container
    #[arg(long)]
    pub env_host: bool,
    /// Working directory inside the container
    #[arg(short, long, value_name = "DIR")]
    pub workdir: Option<String>,
    /// User (and group) to run as: NAME|UID[:GROUP|GID]
    #[arg(short, long, value_name = "USER")]
    pub user: Option<String>,
    /// Additional groups for the process
    #[arg(long, value_name = "GROUP")]
    pub group_add: Vec<String>,
    /// Override the image's entrypoint (a string or a JSON array)
    #[arg(long, value_name = "CMD")]
    pub entrypoint: Option<String>,
    /// Container hostname (default: the first 12 characters of its id)
    #[arg(short = 'h', long, value_name = "NAME")]
    pub hostname: Option<String>,
    /// Run an init inside the container that forwards signals and reaps processes
    #[arg(long)]
    pub init: bool,
    /// Make the container's root filesystem read-only
    #[arg(long)]
    pub read_only: bool,
    /// Mount a tmpfs: DIR[:OPTIONS]
    #[arg(long, value_name = "DIR[:OPTIONS]")]
    pub tmpfs: Vec<String>,
    /// Mount a volume or host path: [NAME|/HOST/PATH:]/CONTAINER/PATH[:ro|rw][,U][,z|Z]
    #[arg(short, long, value_name = "SRC:DST[:OPTIONS]")]
    pub volume: Vec<String>,
    /// Attach a mount: type=bind|volume|tmpfs,source=,target=[,readonly]
    #[arg(long, value_name = "TYPE=...,...")]
    pub mount: Vec<String>,
    /// Mount the volumes of another container: CONTAINER[:ro|rw]
    #[arg(long, value_name = "CONTAINER[:OPTIONS]")]
    pub volumes_from: Vec<String>,
    /// When to pull the image: missing, always, never, newer
    #[arg(long, value_name = "POLICY", default_value = "missing")]
    pub pull: crate::image::pull::Policy,
    /// User namespace: keep-id, host (the rootless default), or empty
    #[arg(long, value_name = "MODE")]
    pub userns: Option<String>,
    #[command(flatten)]
    pub net: super::network_flags::NetworkFlags,
    /// Add Linux capabilities
    #[arg(long, value_name = "CAP")]
    pub cap_add: Vec<String>,
    /// Drop Linux capabilities
    #[arg(long, value_name = "CAP")]
    pub cap_drop: Vec<String>,
    /// Set metadata: KEY=VALUE
    #[arg(short, long, value_name = "LABEL")]
    pub label: Vec<String>,
    /// Add an annotation to the container: KEY=VALUE
    #[arg(long, value_name = "KEY=VALUE")]
    pub annotation: Vec<String>,
    /// Remove the container when it exits
    #[arg(long)]
    pub rm: bool,
    /// Restart policy: no, on-failure[:MAX], always, unless-stopped
    #[arg(long, value_name = "POLICY")]
    pub restart: Option<String>,
    /// Signal that stops the container (default SIGTERM)
    #[arg(long, value_name = "SIGNAL")]
    pub stop_signal: Option<String>,
    /// Seconds to wait for the stop signal before SIGKILL (default 10)
    #[arg(long, value_name = "SECONDS")]
    pub stop_timeout: Option<u64>,
    /// Keep stdin open
    #[arg(short, long)]
    pub interactive: bool,
    /// Allocate a pseudo-terminal
    #[arg(short, long)]
    pub tty: bool,
    /// Where the output of a detached container goes: k8s-file, none or passthrough
    #[arg(long, value_name = "DRIVER")]
    pub log_driver: Option<String>,
    /// Logging option: max-size=SIZE, path=FILE, tag=TAG
    #[arg(long, value_name = "OPT")]
    pub log_opt: Vec<String>,
    /// Write the container's ID to FILE (which must not exist); removed with the container
    #[arg(long, value_name = "FILE")]
    pub cidfile: Option<PathBuf>,
    /// Remove a container of the same --name first, even a running one
    #[arg(long)]
    pub replace: bool,
    /// What $NOTIFY_SOCKET of a systemd Type=notify unit is told: conmon (READY=1 once the
    /// container runs, its monitor as MAINPID), container (the container says READY=1
    /// itself) or ignore
    #[arg(long, value_name = "MODE", default_value = "conmon")]
    pub sdnotify: String,
    /// The container's cgroup: enabled, no-conmon and split (one of its own, below a
    /// delegated cgroup v2 lodger runs in), or disabled (none)
    #[arg(long, value_name = "MODE", default_value = "enabled")]
    pub cgroups: String,
    /// Memory limit (e.g. 512m, 1g; at least 6m); needs a delegated cgroup v2 subtree
    #[arg(short, long, value_name = "SIZE")]
    pub memory: Option<String>,
    /// Memory plus swap limit (-1: unlimited swap; default: as much swap as --memory)
    #[arg(long, value_name = "SIZE", allow_hyphen_values = true)]
    pub memory_swap: Option<String>,
    /// CPUs the container may use (e.g. 0.5, 2)
    #[arg(long, value_name = "NUMBER")]
    pub cpus: Option<f64>,
    /// CPU shares, relative weight (default 1024)
    #[arg(short = 'c', long, value_name = "SHARES")]
    pub cpu_shares: Option<u64>,
    /// Most processes the container may have (-1: no limit)
    #[arg(long, value_name = "NUMBER", allow_hyphen_values = true)]
    pub pids_limit: Option<i64>,
    #[command(flatten)]
    pub platform: PlatformFlags,
    #[command(flatten)]
    pub registry: RegistryFlags,
    /// Print usage
    #[arg(long, action = ArgAction::Help)]
    pub help: Option<bool>,
    /// Image to create the container from
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Command and arguments
    #[arg(
        value_name = "COMMAND",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub command: Vec<String>,
}
