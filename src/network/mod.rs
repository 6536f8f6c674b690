//! Container networking without root: a user-mode helper (`pasta`, or `slirp4netns` as the
//! fallback) connects the container's own network namespace to the host's, and forwards
//! published ports into it.
//!
//! The helper is a child of the process that waits for the container, in its own process
//! group (a ^C on the terminal is the container's business), and dies with that process
//! through PR_SET_PDEATHSIG; [`Running`] kills and reaps it when the container is gone.

pub mod forward;
mod pasta;
pub mod ports;
mod slirp4netns;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use ports::{parse_publish, PortMapping, Protocol};

/// The address inside the container where pasta answers DNS queries (Podman's choice).
pub const PASTA_DNS: &str = "169.254.1.1";
/// slirp4netns's built-in DNS forwarder and host address on its fixed 10.0.2.0/24 network.
pub const SLIRP_DNS: &str = "10.0.2.3";
pub const SLIRP_HOST: &str = "10.0.2.2";

#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error("invalid --network {spec:?}: {why}")]
    InvalidMode { spec: String, why: String },
    #[error("invalid port publishing {spec:?}: {why}")]
    InvalidPublish { spec: String, why: String },
    #[error(
        "host port {port} is below net.ipv4.ip_unprivileged_port_start ({start}): publish on a \
         port >= {start}, or lower that sysctl (sysctl net.ipv4.ip_unprivileged_port_start={port})"
    )]
    PrivilegedPort { port: u16, start: u16 },
    #[error("no run of {count} free host ports found")]
    NoFreePort { count: u16 },
    #[error("host address {addr} cannot be used (is another program listening there?)")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error(
        "neither pasta nor slirp4netns was found in PATH: install the passt package (pasta) or \
         the slirp4netns package, or use --network none or --network host"
    )]
    NoHelper,
    #[error("{tool} was not found in PATH: install the {package} package")]
    Missing {
        tool: &'static str,
        package: &'static str,
    },
    #[error("starting {tool}: {source}")]
    Spawn {
        tool: &'static str,
        source: std::io::Error,
    },
    #[error("{tool} failed to set up the container's network: {message}")]
    Helper { tool: &'static str, message: String },
    #[error("joining the network namespace {}: {message}", path.display())]
    Join { path: PathBuf, message: String },
    #[error("{tool}: publishing {spec}: {message}")]
    Forward {
        tool: &'static str,
        spec: String,
        message: String,
    },
}

/// The network part of a stored container configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Settings {
    /// Resolved at create time; absent in configurations written before it existed.
    pub mode: Option<Mode>,
    pub publish: Vec<PortMapping>,
    /// `-P`: every port the image exposes, on free host ports.
    pub publish_all: bool,
    pub dns: Vec<String>,
    pub dns_search: Vec<String>,
    pub dns_option: Vec<String>,
    /// `HOST:IP` entries for /etc/hosts.
    pub add_host: Vec<String>,
    pub no_hosts: bool,
}

/// `--network` as given, before the default is resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case", tag = "mode", content = "value")]
pub enum Mode {
    /// Not given: pasta when present, else slirp4netns.
    #[default]
    Default,
    None,
    Host,
    Pasta(Vec<String>),
    Slirp4netns(SlirpOptions),
    /// Another container's network namespace, by name or id.
    Container(String),
    /// A network namespace file.
    Ns(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SlirpOptions {
    pub allow_host_loopback: bool,
    pub enable_ipv6: bool,
    pub mtu: Option<u32>,
    /// `port_handler=slirp4netns`: slirp4netns's own forwarding instead of lodger's
    /// forwarder (Podman's `rootlesskit`, the default).
    #[serde(default)]
    pub slirp_port_handler: bool,
}

/// Parses a `--network` value as Podman spells it.
pub fn parse_mode(spec: &str) -> Result<Mode, NetworkError> {
    let bad = |why: &str| NetworkError::InvalidMode {
        spec: spec.to_string(),
        why: why.to_string(),
    };
    let (name, opts) = match spec.split_once(':') {
        Some((n, o)) => (n, Some(o)),
        None => (spec, None),
    };
    match (name, opts) {
        ("" | "default", None) => Ok(Mode::Default),
        ("none", None) => Ok(Mode::None),
        ("host", None) => Ok(Mode::Host),
        ("pasta", o) => Ok(Mode::Pasta(
            o.map(|o| {
                o.split(',')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default(),
        )),
        ("slirp4netns", o) => {
            let mut opts = SlirpOptions::default();
            for o in o.unwrap_or("").split(',').filter(|s| !s.is_empty()) {
                let (k, v) = o.split_once('=').unwrap_or((o, "true"));
                let flag = || match v {
                    "true" => Ok(true),
                    "false" => Ok(false),
                    _ => Err(bad(&format!("{k} takes true or false"))),
                };
                match k {
                    "allow_host_loopback" => opts.allow_host_loopback = flag()?,
                    "enable_ipv6" => opts.enable_ipv6 = flag()?,
                    "port_handler" => {
                        opts.slirp_port_handler = match v {
                            "slirp4netns" => true,
                            "rootlesskit" => false,
                            _ => return Err(bad("port_handler takes rootlesskit or slirp4netns")),
                        }
                    }
                    "mtu" => {
                        opts.mtu = Some(v.parse().map_err(|_| bad("mtu takes a number"))?);
                    }
                    _ => return Err(bad(&format!("unknown slirp4netns option {k:?}"))),
                }
            }
            Ok(Mode::Slirp4netns(opts))
        }
        ("container", Some(c)) if !c.is_empty() => Ok(Mode::Container(c.to_string())),
        ("ns", Some(p)) if p.starts_with('/') => Ok(Mode::Ns(p.to_string())),
        ("ns", _) => Err(bad("ns: takes an absolute path to a network namespace")),
        ("container", _) => Err(bad("container: takes a container name or id")),
        ("bridge" | "private", _) => Err(bad(
            "rootless bridge networks are not supported: use pasta, slirp4netns, none, host, \
             container:NAME or ns:PATH",
        )),
        _ => Err(bad(
            "use pasta[:OPTIONS], slirp4netns[:OPTIONS], none, host, container:NAME or ns:PATH",
        )),
    }
}

/// The network namespace file of a running container whose pid 1 is `pid`. A built-in
/// init is not dumpable (its namespaces cannot be opened by others): then one of its
/// children, which share its namespaces, serves.
pub fn netns_of(pid: u32) -> Option<PathBuf> {
    let usable = |p: &str| {
        let path = PathBuf::from(format!("/proc/{p}/ns/net"));
        std::fs::File::open(&path).is_ok().then_some(path)
    };
    if let Some(path) = usable(&pid.to_string()) {
        return Some(path);
    }
    let children = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).ok()?;
    let found = children.split_whitespace().find_map(usable);
    found
}

/// Finds an executable in PATH.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| {
            use std::os::unix::fs::PermissionsExt;
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// Replaces [`Mode::Default`] by the helper found on this host; the second value is a note
/// for the user when the fallback was taken.
pub fn resolve_default(mode: Mode) -> Result<(Mode, Option<String>), NetworkError> {
    if mode != Mode::Default {
        return Ok((mode, None));
    }
    if find_program("pasta").is_some() {
        return Ok((Mode::Pasta(Vec::new()), None));
    }
    if find_program("slirp4netns").is_some() {
        return Ok((
            Mode::Slirp4netns(SlirpOptions::default()),
            Some(
                "pasta was not found in PATH: using slirp4netns (install the passt package \
                 for pasta)"
                    .into(),
            ),
        ));
    }
    Err(NetworkError::NoHelper)
}

/// A helper to start for a container in a network namespace of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Helper {
    pub kind: HelperKind,
    /// Host ports already chosen (see [`ports::finalize`]).
    pub ports: Vec<PortMapping>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelperKind {
    Pasta(Vec<String>),
    Slirp4netns(SlirpOptions),
}

impl Helper {
    /// Where the container reaches a DNS forwarder and the host.
    pub fn dns_address(&self) -> &'static str {
        match self.kind {
            HelperKind::Pasta(_) => PASTA_DNS,
            HelperKind::Slirp4netns(_) => SLIRP_DNS,
        }
    }
}

/// The address the container reaches the host on, for `host.containers.internal`.
pub fn host_address(kind: &HelperKind) -> Option<String> {
    match kind {
        // pasta maps the gateway's address to the host (without --no-map-gw).
        HelperKind::Pasta(_) => default_gateway(),
        HelperKind::Slirp4netns(_) => Some(SLIRP_HOST.into()),
    }
}

/// The IPv4 default gateway of the host, from /proc/net/route.
fn default_gateway() -> Option<String> {
    let table = std::fs::read_to_string("/proc/net/route").ok()?;
    table.lines().skip(1).find_map(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        if f.len() > 2 && f[1] == "00000000" && f[2] != "00000000" {
            let g = u32::from_str_radix(f[2], 16).ok()?;
            Some(std::net::Ipv4Addr::from(g.to_le_bytes()).to_string())
        } else {
            None
        }
    })
}

/// A started helper; killed and reaped on drop.
#[derive(Debug)]
pub struct Running {
    child: std::process::Child,
    /// slirp4netns exits when this (the write end of its exit pipe) closes.
    _exit: Option<std::os::fd::OwnedFd>,
    /// lodger's own forwarder, for the ports the helper does not forward itself.
    forwarder: Option<std::process::Child>,
    /// The helper itself listens on published host ports.
    holds_host_ports: bool,
}

impl Drop for Running {
    fn drop(&mut self) {
        // A killed process closes its sockets only as it exits: until it is reaped, the
        // host ports it listened on are still taken, and a `start` or `run -p` right after
        // a `stop` would fail to bind them.
        if let Some(f) = &mut self.forwarder {
            let _ = f.kill();
            let _ = f.wait();
        }
        let _ = self.child.kill();
        if self.holds_host_ports {
            let _ = self.child.wait();
        } else {
            // Reaping it waits for the kernel to dismantle its tap device (tens of
            // milliseconds); without ports it holds nothing another container could want,
            // and whoever reaps this process reaps the zombie.
            let _ = self.child.try_wait();
        }
    }
}

/// A helper on its way: pasta needs no id maps, so it is spawned while newuidmap and
/// newgidmap run; slirp4netns starts in [`Starting::finish`].
pub struct Starting<'a> {
    helper: Pending<'a>,
    pid: u32,
    state_dir: &'a Path,
    /// The ports lodger's forwarder serves.
    own: Vec<PortMapping>,
    /// The helper serves some published ports itself.
    helper_forwards: bool,
}

enum Pending<'a> {
    Pasta(pasta::Spawned),
    /// With the ports slirp4netns forwards itself.
    Slirp4netns(&'a SlirpOptions, Vec<PortMapping>),
}

/// Starts the helper for the network namespace of `pid`; [`Starting::finish`] waits until
/// the namespace is configured and the ports are forwarded.
pub fn spawn<'a>(
    helper: &'a Helper,
    pid: u32,
    state_dir: &'a Path,
) -> Result<Starting<'a>, NetworkError> {
    let (own, theirs): (Vec<PortMapping>, Vec<PortMapping>) = helper
        .ports
        .iter()
        .cloned()
        .partition(|p| forwarded_by_lodger(&helper.kind, p));
    let helper_forwards = !theirs.is_empty();
    let helper = match &helper.kind {
        HelperKind::Pasta(opts) => Pending::Pasta(pasta::spawn(opts, &theirs, pid, state_dir)?),
        HelperKind::Slirp4netns(opts) => Pending::Slirp4netns(opts, theirs),
    };
    Ok(Starting {
        helper_forwards,
        helper,
        pid,
        state_dir,
        own,
    })
}

impl Starting<'_> {
    /// Call once the namespace's user ids are mapped.
    pub fn finish(self) -> Result<Running, NetworkError> {
        let mut running = match self.helper {
            Pending::Pasta(pasta) => pasta.wait()?,
            Pending::Slirp4netns(opts, theirs) => {
                slirp4netns::start(opts, &theirs, self.pid, self.state_dir)?
            }
        };
        running.holds_host_ports = self.helper_forwards;
        if !self.own.is_empty() {
            // On error `running` is dropped, which ends the helper.
            running.forwarder = Some(forward::start(&self.own, self.pid, self.state_dir)?);
        }
        Ok(running)
    }
}

/// Whether lodger's forwarder, not the helper, serves a published port.
fn forwarded_by_lodger(kind: &HelperKind, p: &PortMapping) -> bool {
    match kind {
        HelperKind::Slirp4netns(opts) => !opts.slirp_port_handler,
        // pasta (at least up to its 2023 releases) drops the replies of a UDP port published
        // under another number when the client is on the host's loopback.
        HelperKind::Pasta(_) => p.protocol == Protocol::Udp && p.host_port != p.container_port,
    }
}

/// Makes the spawned helper die with this process and leave the terminal's process group.
fn helper_command(program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(program);
    // SAFETY: only async-signal-safe calls (sigprocmask, prctl, getppid, _exit) between fork
    // and exec.
    let parent = std::process::id() as libc::pid_t;
    unsafe {
        cmd.pre_exec(move || {
            // The monitor and the runtime block SIGCHLD, SIGTERM and more, and a blocked mask
            // survives exec: pasta would never reap its own children (six zombies per
            // container) nor end on SIGTERM.
            let mut none: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut none);
            libc::sigprocmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
            libc::prctl(
                libc::PR_SET_PDEATHSIG,
                libc::SIGKILL as libc::c_ulong,
                0,
                0,
                0,
            );
            if libc::getppid() != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
    cmd.process_group(0).stdin(std::process::Stdio::null());
    cmd
}

/// The helper's log file in the state directory, for its error output.
fn log_file(
    state_dir: &Path,
    tool: &'static str,
) -> Result<(PathBuf, std::fs::File), NetworkError> {
    let path = state_dir.join(format!("{tool}.log"));
    let file =
        std::fs::File::create(&path).map_err(|source| NetworkError::Spawn { tool, source })?;
    Ok((path, file))
}

fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.contains("to syslog"))
        .collect();
    let tail = lines[lines.len().saturating_sub(5)..].join("; ");
    if tail.is_empty() {
        "it exited without a message".into()
    } else {
        tail
    }
}

/// Waits up to `deadline` for `fd` to become readable while watching the child.
fn wait_readable(
    fd: std::os::fd::RawFd,
    child: &mut std::process::Child,
    tool: &'static str,
    log: &Path,
) -> Result<(), NetworkError> {
    let start = std::time::Instant::now();
    loop {
        let mut pfd = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: poll over one local pollfd.
        let n = unsafe { libc::poll(&mut pfd, 1, 20) };
        if n > 0 {
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(NetworkError::Helper {
                tool,
                message: format!("{} ({status})", log_tail(log)),
            });
        }
        if start.elapsed() > std::time::Duration::from_secs(10) {
            return Err(NetworkError::Helper {
                tool,
                message: "not ready after 10 seconds".into(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        assert_eq!(parse_mode("none").unwrap(), Mode::None);
        assert_eq!(parse_mode("pasta").unwrap(), Mode::Pasta(vec![]));
        assert_eq!(
            parse_mode("pasta:--mtu,1500").unwrap(),
            Mode::Pasta(vec!["--mtu".into(), "1500".into()])
        );
        assert_eq!(
            parse_mode("slirp4netns:allow_host_loopback=true,port_handler=slirp4netns").unwrap(),
            Mode::Slirp4netns(SlirpOptions {
                allow_host_loopback: true,
                slirp_port_handler: true,
                ..Default::default()
            })
        );
        assert_eq!(
            parse_mode("slirp4netns:port_handler=rootlesskit").unwrap(),
            Mode::Slirp4netns(SlirpOptions::default())
        );
        assert_eq!(
            parse_mode("container:web").unwrap(),
            Mode::Container("web".into())
        );
        assert_eq!(parse_mode("ns:/run/x").unwrap(), Mode::Ns("/run/x".into()));
        for bad in [
            "bridge",
            "ns:rel",
            "container:",
            "slirp4netns:port_handler=other",
            "x",
        ] {
            assert!(parse_mode(bad).is_err(), "{bad}");
        }
    }
}
