//! lodger's own port forwarder, the counterpart of Podman's `rootlessport`: it listens on the
//! host, then joins the container's user and network namespaces and connects to the
//! published port on the container's loopback. Replies never leave the namespace, so UDP
//! works where slirp4netns's own forwarding cannot answer (its replies to the host's
//! loopback are dropped with `--disable-host-loopback`).
//!
//! The listening sockets are bound by the process that starts the container, so a port in
//! use fails the start with the bind error; the forwarder (this binary re-executed with
//! [`ARG`]) inherits them and runs a single-threaded poll loop until it is killed with the
//! container. It says when it has joined the namespaces, so a forwarder that cannot fails
//! the start instead of leaving the ports dead.

mod relay;
#[cfg(test)]
mod tests;

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

use super::{NetworkError, PortMapping, Protocol};

/// The hidden first argument that makes lodger a port forwarder.
pub const ARG: &str = "__lodger-portfwd";

/// One bound host socket and the container port it leads to.
struct Listener {
    fd: OwnedFd,
    protocol: Protocol,
    container_port: u16,
    /// For the process table: which host port a forwarder serves.
    host_addr: String,
}

const TOOL: &str = "the port forwarder";

/// Binds every host port of `ports` and starts the forwarder for the namespaces of `pid`;
/// returns once it serves them.
pub(super) fn start(
    ports: &[PortMapping],
    pid: u32,
    state_dir: &std::path::Path,
) -> Result<std::process::Child, NetworkError> {
    let spawn_err = |source| NetworkError::Spawn { tool: TOOL, source };
    let mut listeners = Vec::new();
    for p in ports {
        for i in 0..p.count {
            listeners.push(bind(p, p.host_port + i, p.container_port + i)?);
        }
    }
    let userns = open_ns(pid, "user").map_err(spawn_err)?;
    let netns = open_ns(pid, "net").map_err(spawn_err)?;
    let (ready_r, ready_w) =
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| spawn_err(e.into()))?;
    let exe = std::env::current_exe().unwrap_or_else(|_| "/proc/self/exe".into());
    let mut cmd = super::helper_command(&exe);
    cmd.arg(ARG)
        .arg(ready_w.as_raw_fd().to_string())
        .arg(userns.as_raw_fd().to_string())
        .arg(netns.as_raw_fd().to_string());
    for l in &listeners {
        cmd.arg(format!(
            "{}:{}:{}:{}",
            l.protocol.as_str(),
            l.fd.as_raw_fd(),
            l.container_port,
            l.host_addr
        ));
    }
    let mut inherit: Vec<RawFd> = listeners.iter().map(|l| l.fd.as_raw_fd()).collect();
    inherit.extend([ready_w.as_raw_fd(), userns.as_raw_fd(), netns.as_raw_fd()]);
    // SAFETY: only fcntl between fork and exec.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, move || {
            for &fd in &inherit {
                libc::fcntl(fd, libc::F_SETFD, 0);
            }
            Ok(())
        });
    }
    let (log, log_fd) = super::log_file(state_dir, "portfwd")?;
    cmd.stdout(std::process::Stdio::null()).stderr(log_fd);
    let mut child = cmd.spawn().map_err(spawn_err)?;
    drop(ready_w);
    let ready = super::wait_readable(ready_r.as_raw_fd(), &mut child, TOOL, &log).and_then(|()| {
        let mut byte = [0u8; 1];
        match std::fs::File::from(ready_r).read(&mut byte) {
            Ok(1) => Ok(()),
            // The pipe closed without a word: it failed; its reason is in the log.
            _ => {
                let _ = child.wait();
                Err(NetworkError::Helper {
                    tool: TOOL,
                    message: super::log_tail(&log),
                })
            }
        }
    });
    match ready {
        Ok(()) => Ok(child),
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            Err(e)
        }
    }
}

fn open_ns(pid: u32, kind: &str) -> io::Result<OwnedFd> {
    Ok(std::fs::File::open(format!("/proc/{pid}/ns/{kind}"))?.into())
}

fn bind(p: &PortMapping, host_port: u16, container_port: u16) -> Result<Listener, NetworkError> {
    let addr_text = p.host_addr(host_port.into());
    let bind_err = |source| NetworkError::Bind {
        addr: format!("{addr_text}/{}", p.protocol.as_str()),
        source,
    };
    let addr: SocketAddr = addr_text.parse().map_err(|_| {
        bind_err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not an IP address",
        ))
    })?;
    let fd: OwnedFd = match p.protocol {
        Protocol::Tcp => TcpListener::bind(addr).map_err(bind_err)?.into(),
        Protocol::Udp => UdpSocket::bind(addr).map_err(bind_err)?.into(),
    };
    Ok(Listener {
        fd,
        protocol: p.protocol,
        container_port,
        host_addr: addr_text,
    })
}

/// Entry point of the forwarder:
/// `ARG <ready fd> <userns fd> <netns fd> <proto>:<fd>:<container port>:<host address>...`.
pub fn main(args: &[String]) -> i32 {
    match serve(args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("lodger port forwarder: {e}");
            125
        }
    }
}

fn inherited(text: &str) -> io::Result<OwnedFd> {
    let fd: RawFd = text
        .parse()
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "bad descriptor"))?;
    if fd < 3 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "bad descriptor",
        ));
    }
    // SAFETY: the starting process passed this descriptor to us and nothing else owns it.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: fcntl on a descriptor we own.
    unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
    Ok(fd)
}

fn serve(args: &[String]) -> io::Result<()> {
    let [ready, userns, netns, specs @ ..] = args else {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "usage"));
    };
    let mut tcp = Vec::new();
    let mut udp = Vec::new();
    for spec in specs {
        let bad = || io::Error::new(io::ErrorKind::InvalidInput, format!("bad spec {spec}"));
        let mut parts = spec.splitn(4, ':');
        let (Some(proto), Some(fd), Some(port)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let port: u16 = port.parse().map_err(|_| bad())?;
        let fd = inherited(fd)?;
        match proto {
            "tcp" => {
                let l = TcpListener::from(fd);
                l.set_nonblocking(true)?;
                tcp.push((l, port));
            }
            "udp" => {
                let s = UdpSocket::from(fd);
                s.set_nonblocking(true)?;
                udp.push((s, port));
            }
            _ => return Err(bad()),
        }
    }
    let (userns, netns) = (inherited(userns)?, inherited(netns)?);
    let join = |fd: &OwnedFd, flag, what| {
        nix::sched::setns(fd, flag)
            .map_err(|e| io::Error::other(format!("joining the container's {what}: {e}")))
    };
    join(
        &userns,
        nix::sched::CloneFlags::CLONE_NEWUSER,
        "user namespace",
    )?;
    join(
        &netns,
        nix::sched::CloneFlags::CLONE_NEWNET,
        "network namespace",
    )?;
    drop((userns, netns));
    // Every connection holds two descriptors: take the hard limit, as Go's runtime does for
    // Podman's rootlessport.
    crate::runtime::raise_fd_limit();
    std::fs::File::from(inherited(ready)?).write_all(b"1")?;
    relay::Forwarder::new(tcp, udp).run()
}
