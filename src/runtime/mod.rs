//! lodger's own container runtime: the CLI process clones the container's pid 1 itself.
//!
//! The parent ([`parent`]) creates the namespaces with one `clone`, installs the id maps and
//! releases the child; the child ([`child`]) mounts the rootfs and the kernel filesystems
//! (planned in [`plan`], applied through the [`sys::Syscall`] trait), pivots into the rootfs,
//! resolves the user, and execs. Exec and setup failures travel back over a close-on-exec
//! pipe ([`report`]) so the parent can print Podman's messages and exit codes.

mod child;
mod copy;
mod exec;
mod init;
mod join;
mod parent;
mod plan;
mod report;
mod rootfs;
mod signals;
mod sys;
mod tty;
pub use tty::{host_winsize, set_winsize};

use std::path::PathBuf;

use crate::userns::IdMapping;

pub use rootfs::{probe_rootfs_driver, RootfsDriver};
pub(crate) use signals::FORWARDED;
pub(crate) use sys::{poll_fd, raise_fd_limit, read_fd};
pub(crate) use tty::RawMode;
// For `cp` and `export` of a stopped container, which mount its rootfs themselves.
pub(crate) use copy::populate;
pub(crate) use rootfs::{driver_for, mount_fuse_overlayfs, mount_overlay};

/// Everything needed to start one container; built by the caller from image config and flags.
#[derive(Debug, Clone)]
pub struct ContainerSpec {
    /// 64 hex digits.
    pub id: String,
    pub userns: UsernsMode,
    pub rootfs: RootfsSpec,
    pub readonly_rootfs: bool,
    pub mounts: Vec<MountSpec>,
    pub hostname: String,
    pub network: NetworkMode,
    /// Written to `state_dir` and bind-mounted over /etc/hosts, /etc/hostname, /etc/resolv.conf.
    pub etc: EtcFiles,
    /// Per-container directory in the runtime dir; exists, 0700.
    pub state_dir: PathBuf,
    pub process: ProcessSpec,
    /// A cgroup v2 directory to create and run the container in, with its cgroup namespace
    /// rooted there; recorded as `cgroup` in `state_dir` once the process is in it.
    pub cgroup: Option<PathBuf>,
    /// Resource limits (cgroup file, value) written into `cgroup` before the process enters
    /// it; with limits, a cgroup that cannot be made fails the start.
    pub cgroup_limits: Vec<(String, String)>,
}

/// The user namespace of the container.
#[derive(Debug, Clone)]
pub enum UsernsMode {
    /// A new user namespace with this mapping.
    Private(IdMapping),
    /// No user namespace (only usable by real root): ids are the host's.
    Host,
}

/// What becomes the container's `/`.
#[derive(Debug, Clone)]
pub enum RootfsSpec {
    /// Image layers (topmost first) under the container's own upper and work dirs.
    Overlay {
        lower: Vec<PathBuf>,
        upper: PathBuf,
        work: PathBuf,
    },
    /// A ready directory tree.
    Dir(PathBuf),
}

/// A mount requested by the user.
#[derive(Debug, Clone)]
pub enum MountSpec {
    /// `-v source:destination[:ro]`: a recursive bind mount.
    Bind {
        source: PathBuf,
        destination: String,
        readonly: bool,
    },
    /// `--tmpfs destination[:options]`.
    Tmpfs {
        destination: String,
        options: String,
    },
}

/// The network namespace of the container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkMode {
    /// A new network namespace with only `lo`, up.
    None,
    /// The host's network namespace.
    Host,
    /// A new network namespace connected by a user-mode helper that lives as long as the
    /// container.
    Helper(crate::network::Helper),
    /// An existing network namespace (another container's, or a file); the container is
    /// created in the user namespace that owns it.
    Join(PathBuf),
}

impl NetworkMode {
    /// The container gets a network namespace of its own (owned by its user namespace).
    pub fn is_private(&self) -> bool {
        matches!(self, NetworkMode::None | NetworkMode::Helper(_))
    }
}

/// Contents of the generated /etc files.
#[derive(Debug, Clone, Default)]
pub struct EtcFiles {
    pub hosts: String,
    pub hostname: String,
    pub resolv_conf: String,
    /// `--no-hosts`: the image's /etc/hosts stays.
    pub keep_image_hosts: bool,
}

/// The container's process.
#[derive(Debug, Clone)]
pub struct ProcessSpec {
    /// `args[0]` is looked up in the container's PATH (from `env`) when it has no '/'.
    pub args: Vec<String>,
    /// `KEY=VALUE`, final.
    pub env: Vec<String>,
    /// Absolute in-container path; created if missing.
    pub cwd: String,
    /// As given: "", "1000", "1000:1000", "name", "name:group"; resolved inside the container.
    pub user: String,
    /// `--group-add` (names or numbers).
    pub additional_groups: Vec<String>,
    pub terminal: bool,
    /// The terminal's window size (rows, columns), set before the command runs: a monitor
    /// that relays to a client cannot copy it from a terminal of its own.
    pub winsize: Option<(u16, u16)>,
    /// Keep stdin open (otherwise it is /dev/null).
    pub stdin: bool,
    /// A built-in minimal init is pid 1 and the command its child.
    pub init: bool,
    pub security: crate::security::SecuritySpec,
}

/// Why a container could not be run. Each maps to exit code 125.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("invalid container spec: {0}")]
    InvalidSpec(String),
    #[error("bind mount source {path} does not exist: create it or fix the -v/--volume option")]
    MountSourceMissing { path: PathBuf },
    #[error("{step}: {}", sys::describe(source))]
    Host {
        step: &'static str,
        source: std::io::Error,
    },
    #[error("creating the container's namespaces: {0}")]
    Clone(String),
    #[error(transparent)]
    Userns(#[from] crate::userns::UsernsError),
    #[error("preparing the container's security settings: {0}")]
    Security(#[from] crate::security::SecurityError),
    /// A step inside the container failed; the message names it.
    #[error("{0}")]
    Container(String),
    #[error("the container process ended during setup without a report (status {0})")]
    ChildDied(String),
    #[error(transparent)]
    Network(#[from] crate::network::NetworkError),
    #[error("waiting for the container: {}", sys::describe(.0))]
    Wait(std::io::Error),
    /// The command could not be executed: Podman's 126 (not executable) or 127 (not found).
    #[error("{message}")]
    Exec { code: u8, message: String },
}

impl RuntimeError {
    fn host(step: &'static str) -> impl FnOnce(std::io::Error) -> RuntimeError {
        move |source| RuntimeError::Host { step, source }
    }
}

/// Runs the container in the foreground and returns its exit code (code, or 128+signal).
///
/// `on_started(pid)` is called in the parent once the container process exists (host pid).
/// The calling process must be single-threaded. Commands that cannot be found or executed
/// give `Ok(127)` / `Ok(126)` after a Podman-like message on stderr.
pub fn run(spec: &ContainerSpec, on_started: &mut dyn FnMut(u32)) -> Result<i32, RuntimeError> {
    parent::run(spec, on_started)
}

/// A container started by [`start`]: its host pid (the caller's child) and, with a terminal,
/// the pty master.
#[derive(Debug)]
pub struct Started {
    pub pid: u32,
    pub master: Option<std::os::fd::OwnedFd>,
    /// The network helper (pasta or slirp4netns): keep it as long as the container runs;
    /// dropping it ends the helper.
    pub network: Option<crate::network::Running>,
}

/// Starts the container without waiting for it; returns once its command was executed.
///
/// Its stdin is /dev/null (or the pty), its stdout and stderr the caller's fds 1 and 2. The
/// caller must be single-threaded and reap `pid` itself (block SIGCHLD before calling, to
/// keep its notification).
pub fn start(spec: &ContainerSpec) -> Result<Started, RuntimeError> {
    parent::start(spec)
}

/// A process to start in a running container (`exec`).
#[derive(Debug, Clone)]
pub struct ExecSpec {
    /// Host pid of a process of the container (its pid 1), whose namespaces are joined.
    pub pid: u32,
    pub args: Vec<String>,
    /// `KEY=VALUE`, final.
    pub env: Vec<String>,
    /// Absolute in-container path.
    pub cwd: String,
    pub user: String,
    pub additional_groups: Vec<String>,
    pub terminal: bool,
    /// Keep stdin open (otherwise it is /dev/null).
    pub stdin: bool,
    pub security: crate::security::SecuritySpec,
    /// `exec -d`: the command gets /dev/null for its output and a session of its own, and
    /// is left to run; [`exec`] returns 0 once it has started.
    pub detach: bool,
    /// `exec --privileged`: every capability of the user namespace; the container's seccomp
    /// filter and no_new_privs stay, as with Podman.
    pub privileged: bool,
    /// The container's cgroup (a cgroup v2 directory), joined before its namespaces.
    pub cgroup: Option<std::path::PathBuf>,
}

/// Runs a command inside a running container and returns its exit code; a command that
/// cannot be found or executed gives [`RuntimeError::Exec`]. The caller must be
/// single-threaded.
pub fn exec(spec: &ExecSpec) -> Result<i32, RuntimeError> {
    if spec.args.is_empty() || spec.args[0].is_empty() {
        return Err(RuntimeError::InvalidSpec("exec needs a command".into()));
    }
    exec::exec(spec)
}
