//! slirp4netns: a tap device on the fixed 10.0.2.0/24 network; ports through its API socket.

use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::path::Path;

use super::{
    helper_command, log_file, wait_readable, NetworkError, PortMapping, Running, SlirpOptions,
};

const TOOL: &str = "slirp4netns";
const API_SOCKET: &str = "slirp4netns.sock";

pub(super) fn start(
    opts: &SlirpOptions,
    ports: &[PortMapping],
    pid: u32,
    state_dir: &Path,
) -> Result<Running, NetworkError> {
    let spawn_err = |source| NetworkError::Spawn { tool: TOOL, source };
    if super::find_program(TOOL).is_none() {
        return Err(NetworkError::Missing {
            tool: TOOL,
            package: "slirp4netns",
        });
    }
    let pipe = || nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| spawn_err(e.into()));
    let (ready_r, ready_w) = pipe()?;
    let (exit_r, exit_w) = pipe()?;
    let api = state_dir.join(API_SOCKET);
    let _ = std::fs::remove_file(&api);
    let (log, log_fd) = log_file(state_dir, TOOL)?;
    let mut cmd = helper_command(TOOL);
    cmd.arg("--configure")
        .arg(format!("--mtu={}", opts.mtu.unwrap_or(65520)))
        .arg(format!("--ready-fd={}", ready_w.as_raw_fd()))
        .arg(format!("--exit-fd={}", exit_r.as_raw_fd()))
        .arg(format!("--userns-path=/proc/{pid}/ns/user"))
        .arg("--api-socket")
        .arg(API_SOCKET)
        // Socket addresses are limited to 108 bytes: slirp4netns binds a relative one.
        .current_dir(state_dir);
    if !opts.allow_host_loopback {
        cmd.arg("--disable-host-loopback");
    }
    if opts.enable_ipv6 {
        cmd.arg("--enable-ipv6");
    }
    cmd.arg(pid.to_string())
        .arg("tap0")
        .stdout(std::process::Stdio::null())
        .stderr(log_fd);
    let inherit = [ready_w.as_raw_fd(), exit_r.as_raw_fd()];
    // SAFETY: only fcntl between fork and exec.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, move || {
            for fd in inherit {
                libc::fcntl(fd, libc::F_SETFD, 0);
            }
            Ok(())
        });
    }
    let child = cmd.spawn().map_err(spawn_err)?;
    drop((ready_w, exit_r));
    // From here on, dropping `running` ends slirp4netns on every error path.
    let mut running = Running {
        child,
        _exit: Some(exit_w),
        forwarder: None,
        holds_host_ports: false,
    };
    wait_readable(ready_r.as_raw_fd(), &mut running.child, TOOL, &log)?;
    let mut ready = [0u8; 1];
    if (&std::fs::File::from(ready_r))
        .read(&mut ready)
        .unwrap_or(0)
        == 0
    {
        let _ = running.child.wait();
        return Err(NetworkError::Helper {
            tool: TOOL,
            message: super::log_tail(&log),
        });
    }
    for p in ports {
        for i in 0..p.count {
            add_hostfwd(state_dir, p, i)?;
        }
    }
    Ok(running)
}

fn add_hostfwd(state_dir: &Path, p: &PortMapping, i: u16) -> Result<(), NetworkError> {
    let spec = format!("{}:{}", p.host_port + i, p.container_port + i);
    let fail = |message: String| NetworkError::Forward {
        tool: TOOL,
        spec: spec.clone(),
        message,
    };
    let req = serde_json::json!({
        "execute": "add_hostfwd",
        "arguments": {
            "proto": p.protocol.as_str(),
            "host_addr": p.host_ip_or_any(),
            "host_port": p.host_port + i,
            "guest_port": p.container_port + i,
        }
    });
    // The state directory's path may be too long for a socket address; a directory fd is not.
    let dir = std::fs::File::open(state_dir).map_err(|e| fail(e.to_string()))?;
    let api = format!("/proc/self/fd/{}/{API_SOCKET}", dir.as_raw_fd());
    let mut sock =
        std::os::unix::net::UnixStream::connect(&api).map_err(|e| fail(e.to_string()))?;
    sock.write_all(req.to_string().as_bytes())
        .map_err(|e| fail(e.to_string()))?;
    let _ = sock.shutdown(std::net::Shutdown::Write);
    let mut reply = String::new();
    sock.read_to_string(&mut reply)
        .map_err(|e| fail(e.to_string()))?;
    let v: serde_json::Value =
        serde_json::from_str(&reply).map_err(|_| fail(format!("unexpected reply {reply:?}")))?;
    if let Some(err) = v.get("error") {
        return Err(fail(
            err.get("desc")
                .and_then(|d| d.as_str())
                .unwrap_or("error")
                .to_string(),
        ));
    }
    Ok(())
}
