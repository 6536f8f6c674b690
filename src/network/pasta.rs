//! pasta: copies the host's addresses and routes into the namespace and forwards ports.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};

use super::{
    helper_command, log_file, wait_readable, NetworkError, PortMapping, Protocol, Running,
};

const TOOL: &str = "pasta";

/// pasta's `-t`/`-u` spec for one mapping: `[addr/]host[-end]:container[-end]`.
fn forward_spec(p: &PortMapping) -> String {
    let range = |start: u16| {
        if p.count > 1 {
            format!("{start}-{}", u32::from(start) + u32::from(p.count) - 1)
        } else {
            start.to_string()
        }
    };
    let addr = if p.host_ip.is_empty() {
        String::new()
    } else {
        format!("{}/", p.host_ip)
    };
    format!("{addr}{}:{}", range(p.host_port), range(p.container_port))
}

pub(super) fn args(
    opts: &[String],
    ports: &[PortMapping],
    pid: u32,
    pidfile: &Path,
) -> Vec<String> {
    let mut a: Vec<String> = ["--config-net", "--quiet", "--foreground"]
        .map(String::from)
        .to_vec();
    a.push("--pid".into());
    a.push(pidfile.to_string_lossy().into_owned());
    a.extend(["--dns-forward".into(), super::PASTA_DNS.into()]);
    for proto in [Protocol::Tcp, Protocol::Udp] {
        let flag = if proto == Protocol::Tcp { "-t" } else { "-u" };
        let user_set = opts.iter().any(|o| {
            o == flag
                || o == if proto == Protocol::Tcp {
                    "--tcp-ports"
                } else {
                    "--udp-ports"
                }
        });
        let mine: Vec<&PortMapping> = ports.iter().filter(|p| p.protocol == proto).collect();
        if mine.is_empty() && !user_set {
            // pasta's default is to forward every port bound in the namespace.
            a.extend([flag.to_string(), "none".into()]);
        }
        for p in mine {
            a.extend([flag.to_string(), forward_spec(p)]);
        }
    }
    // No forwarding from the namespace to the host's loopback ports, as in Podman.
    for (flag, long) in [("-T", "--tcp-ns"), ("-U", "--udp-ns")] {
        if !opts.iter().any(|o| o == flag || o == long) {
            a.extend([flag.into(), "none".into()]);
        }
    }
    a.extend(opts.iter().cloned());
    a.push(pid.to_string());
    a
}

/// pasta started, its namespace maybe not configured yet; killed if dropped before
/// [`Spawned::wait`].
pub(super) struct Spawned {
    /// pasta, and the read end of its fifo (written once the namespace is ready, then held
    /// open until pasta exits); taken by [`Spawned::wait`].
    child: Option<(std::process::Child, OwnedFd)>,
    fifo: PathBuf,
    log: PathBuf,
}

impl Drop for Spawned {
    fn drop(&mut self) {
        if let Some((mut child, _)) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_file(&self.fifo);
    }
}

pub(super) fn spawn(
    opts: &[String],
    ports: &[PortMapping],
    pid: u32,
    state_dir: &Path,
) -> Result<Spawned, NetworkError> {
    let spawn_err = |source| NetworkError::Spawn { tool: TOOL, source };
    let Some(program) = super::find_program(TOOL) else {
        return Err(NetworkError::Missing {
            tool: TOOL,
            package: "passt",
        });
    };
    let program = avx2_build(&program).unwrap_or(program);
    // pasta writes its pid file once the namespace is configured: a FIFO turns that into a
    // readiness signal without letting it daemonize (which would orphan it from us).
    let fifo = state_dir.join("pasta.pid");
    let _ = std::fs::remove_file(&fifo);
    nix::unistd::mkfifo(
        &fifo,
        nix::sys::stat::Mode::S_IRUSR | nix::sys::stat::Mode::S_IWUSR,
    )
    .map_err(|e| spawn_err(e.into()))?;
    // Read-write: the FIFO never reports a hang-up, pasta's open never blocks.
    let fd = nix::fcntl::open(
        &fifo,
        nix::fcntl::OFlag::O_RDWR | nix::fcntl::OFlag::O_CLOEXEC | nix::fcntl::OFlag::O_NONBLOCK,
        nix::sys::stat::Mode::empty(),
    )
    .map_err(|e| spawn_err(e.into()))?;
    // SAFETY: fd was just opened and is owned here only.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let (log, log_fd) = log_file(state_dir, TOOL)?;
    let mut cmd = helper_command(&program);
    // Its name alone first in its command line, as when found through PATH: pasta picks
    // its mode from that name.
    if let Some(name) = program.file_name() {
        std::os::unix::process::CommandExt::arg0(&mut cmd, name);
    }
    cmd.args(args(opts, ports, pid, &fifo))
        .stdout(std::process::Stdio::null())
        .stderr(log_fd);
    let child = cmd.spawn().map_err(spawn_err)?;
    Ok(Spawned {
        child: Some((child, fd)),
        fifo,
        log,
    })
}

/// pasta on a CPU with AVX2 executes its `.avx2` build in place of itself before it does
/// anything: starting that build directly saves an exec (about a millisecond of every
/// default-network start).
fn avx2_build(program: &Path) -> Option<PathBuf> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        let mut name = program.file_name()?.to_os_string();
        name.push(".avx2");
        let build = program.with_file_name(name);
        return build.exists().then_some(build);
    }
    let _ = program;
    None
}

impl Spawned {
    /// Returns once pasta has configured the namespace and bound the published ports.
    pub(super) fn wait(mut self) -> Result<Running, NetworkError> {
        let Some((mut child, fd)) = self.child.take() else {
            return Err(NetworkError::Helper {
                tool: TOOL,
                message: "waited for twice".into(),
            });
        };
        if let Err(e) = wait_readable(fd.as_raw_fd(), &mut child, TOOL, &self.log) {
            // Dropping `self` kills and reaps it.
            self.child = Some((child, fd));
            return Err(e);
        }
        let mut buf = [0u8; 32];
        let _ = nix::unistd::read(fd.as_raw_fd(), &mut buf);
        Ok(Running {
            child,
            _exit: Some(fd),
            forwarder: None,
            holds_host_ports: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasta_arguments() {
        let ports = [
            super::super::parse_publish("127.0.0.1:8080:80").unwrap(),
            super::super::parse_publish("9000-9001:53-54/udp").unwrap(),
        ];
        let a = args(&[], &ports, 42, Path::new("p")).join(" ");
        assert!(a.contains("-t 127.0.0.1/8080:80"), "{a}");
        assert!(a.contains("-u 9000-9001:53-54"), "{a}");
        assert!(a.contains("-T none -U none"), "{a}");
        assert!(a.ends_with(" 42"));
        let a = args(&[], &[], 1, Path::new("p")).join(" ");
        assert!(a.contains("-t none -u none"), "{a}");
    }
}
