//! lodger's own port forwarder, the counterpart of Podman's `rootlessport`: it listens on the
//! host, then joins the container's user and network namespaces and connects to the
//! published port on the container's loopback. Replies never leave the namespace, so UDP
//! works where slirp4netns's own forwarding cannot answer (its replies to the host's
//! loopback are dropped with `--disable-host-loopback`).
//!
//! The listening sockets are bound by the process that starts the container, so a port in
//! use fails the start with the bind error; the forwarder (this binary re-executed with
//! [`ARG`]) inherits them and runs a single-threaded poll loop until it is killed with the
//! container.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

use super::{NetworkError, PortMapping, Protocol};
use crate::runtime::poll_fd;

/// The hidden first argument that makes lodger a port forwarder.
pub const ARG: &str = "__lodger-portfwd";

/// A UDP client that stays silent this long loses its socket in the namespace.
const UDP_IDLE: Duration = Duration::from_secs(60);
const BUF: usize = 64 * 1024;

/// One bound host socket and the container port it leads to.
struct Listener {
    fd: OwnedFd,
    protocol: Protocol,
    container_port: u16,
    /// For the process table: which host port a forwarder serves.
    host_addr: String,
}

/// Binds every host port of `ports` and starts the forwarder for the namespaces of `pid`.
pub(super) fn start(
    ports: &[PortMapping],
    pid: u32,
    state_dir: &std::path::Path,
) -> Result<std::process::Child, NetworkError> {
    let spawn_err = |source| NetworkError::Spawn {
        tool: "the port forwarder",
        source,
    };
    let mut listeners = Vec::new();
    for p in ports {
        for i in 0..p.count {
            listeners.push(bind(p, p.host_port + i, p.container_port + i)?);
        }
    }
    let userns = open_ns(pid, "user").map_err(spawn_err)?;
    let netns = open_ns(pid, "net").map_err(spawn_err)?;
    let exe = std::env::current_exe().unwrap_or_else(|_| "/proc/self/exe".into());
    let mut cmd = super::helper_command(&exe.to_string_lossy());
    cmd.arg(ARG)
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
    inherit.extend([userns.as_raw_fd(), netns.as_raw_fd()]);
    // SAFETY: only fcntl between fork and exec.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, move || {
            for &fd in &inherit {
                libc::fcntl(fd, libc::F_SETFD, 0);
            }
            Ok(())
        });
    }
    let (_, log) = super::log_file(state_dir, "portfwd")?;
    cmd.stdout(std::process::Stdio::null()).stderr(log);
    cmd.spawn().map_err(spawn_err)
}

fn open_ns(pid: u32, kind: &str) -> io::Result<OwnedFd> {
    Ok(std::fs::File::open(format!("/proc/{pid}/ns/{kind}"))?.into())
}

fn bind(p: &PortMapping, host_port: u16, container_port: u16) -> Result<Listener, NetworkError> {
    let ip = if p.host_ip.is_empty() {
        "0.0.0.0"
    } else {
        &p.host_ip
    };
    let addr_text = if ip.contains(':') {
        format!("[{ip}]:{host_port}")
    } else {
        format!("{ip}:{host_port}")
    };
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
/// `ARG <userns fd> <netns fd> <proto>:<fd>:<container port>:<host address>...`.
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
    let [userns, netns, specs @ ..] = args else {
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
    nix::sched::setns(&userns, nix::sched::CloneFlags::CLONE_NEWUSER)?;
    nix::sched::setns(&netns, nix::sched::CloneFlags::CLONE_NEWNET)?;
    drop((userns, netns));
    Forwarder {
        tcp,
        udp,
        conns: Vec::new(),
        flows: HashMap::new(),
    }
    .run()
}

/// One direction of a TCP connection: bytes read from one side, not yet written to the other.
struct Half {
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    eof: bool,
    shut: bool,
}

impl Half {
    fn new() -> Half {
        Half {
            buf: vec![0; BUF].into_boxed_slice(),
            start: 0,
            end: 0,
            eof: false,
            shut: false,
        }
    }

    fn pending(&self) -> bool {
        self.start < self.end
    }

    /// Moves what it can from `src` to `dst` without blocking; Err ends the connection.
    fn pump(&mut self, src: &mut TcpStream, dst: &mut TcpStream) -> io::Result<()> {
        if !self.pending() && !self.eof {
            match src.read(&mut self.buf) {
                Ok(0) => self.eof = true,
                Ok(n) => (self.start, self.end) = (0, n),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        while self.pending() {
            match dst.write(&self.buf[self.start..self.end]) {
                Ok(n) => self.start += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if self.eof && !self.pending() && !self.shut {
            let _ = dst.shutdown(std::net::Shutdown::Write);
            self.shut = true;
        }
        Ok(())
    }
}

struct Conn {
    host: TcpStream,
    inner: TcpStream,
    up: Half,
    down: Half,
}

impl Conn {
    fn done(&self) -> bool {
        self.up.shut && self.down.shut
    }
}

/// A UDP client of the host socket `listener` and its socket inside the namespace.
struct Flow {
    inner: UdpSocket,
    listener: usize,
    last: Instant,
}

struct Forwarder {
    tcp: Vec<(TcpListener, u16)>,
    udp: Vec<(UdpSocket, u16)>,
    conns: Vec<Conn>,
    flows: HashMap<(usize, SocketAddr), Flow>,
}

fn events(read: bool, write: bool) -> i16 {
    (if read { libc::POLLIN } else { 0 }) | (if write { libc::POLLOUT } else { 0 })
}

impl Forwarder {
    fn run(mut self) -> io::Result<()> {
        let mut buf = vec![0u8; BUF];
        loop {
            let mut fds = Vec::new();
            fds.extend(self.tcp.iter().map(|(l, _)| poll_fd(l.as_raw_fd())));
            fds.extend(self.udp.iter().map(|(s, _)| poll_fd(s.as_raw_fd())));
            let flow_keys: Vec<(usize, SocketAddr)> = self.flows.keys().copied().collect();
            for k in &flow_keys {
                fds.push(poll_fd(self.flows[k].inner.as_raw_fd()));
            }
            for c in &self.conns {
                let mut host = poll_fd(c.host.as_raw_fd());
                host.events = events(!c.up.eof && !c.up.pending(), c.down.pending());
                let mut inner = poll_fd(c.inner.as_raw_fd());
                inner.events = events(!c.down.eof && !c.down.pending(), c.up.pending());
                fds.extend([host, inner]);
            }
            let timeout = if self.flows.is_empty() { -1 } else { 10_000 };
            // SAFETY: poll over a local vector of pollfd.
            let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout) };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            let ready = |i: usize| fds[i].revents != 0;
            let flows_at = self.tcp.len() + self.udp.len();
            let conns_at = flows_at + flow_keys.len();
            // Connections first: accepting adds connections that were not polled.
            let mut keep = Vec::with_capacity(self.conns.len());
            for (j, mut c) in std::mem::take(&mut self.conns).into_iter().enumerate() {
                let touched = ready(conns_at + 2 * j) || ready(conns_at + 2 * j + 1);
                let ok = !touched
                    || (c.up.pump(&mut c.host, &mut c.inner).is_ok()
                        && c.down.pump(&mut c.inner, &mut c.host).is_ok());
                if ok && !c.done() {
                    keep.push(c);
                }
            }
            self.conns = keep;
            for (j, k) in flow_keys.iter().enumerate() {
                if ready(flows_at + j) {
                    self.container_datagrams(*k, &mut buf);
                }
            }
            for l in 0..self.tcp.len() {
                if ready(l) {
                    self.accept(l);
                }
            }
            for l in 0..self.udp.len() {
                if ready(self.tcp.len() + l) {
                    self.client_datagrams(l, &mut buf);
                }
            }
            let now = Instant::now();
            self.flows
                .retain(|_, f| now.duration_since(f.last) < UDP_IDLE);
        }
    }

    fn accept(&mut self, l: usize) {
        let (listener, port) = &self.tcp[l];
        let Ok((host, _)) = listener.accept() else {
            return;
        };
        // The namespace's loopback answers or refuses at once: a blocking connect is fine.
        // A refusal closes the client's connection, as a closed port would.
        let Ok(inner) = TcpStream::connect(("127.0.0.1", *port)) else {
            return;
        };
        if host.set_nonblocking(true).is_err() || inner.set_nonblocking(true).is_err() {
            return;
        }
        let _ = host.set_nodelay(true);
        let _ = inner.set_nodelay(true);
        self.conns.push(Conn {
            host,
            inner,
            up: Half::new(),
            down: Half::new(),
        });
    }

    fn client_datagrams(&mut self, l: usize, buf: &mut [u8]) {
        let (socket, port) = &self.udp[l];
        while let Ok((n, client)) = socket.recv_from(buf) {
            let key = (l, client);
            if let std::collections::hash_map::Entry::Vacant(slot) = self.flows.entry(key) {
                let Ok(inner) = UdpSocket::bind(("127.0.0.1", 0)) else {
                    continue;
                };
                if inner.connect(("127.0.0.1", *port)).is_err()
                    || inner.set_nonblocking(true).is_err()
                {
                    continue;
                }
                slot.insert(Flow {
                    inner,
                    listener: l,
                    last: Instant::now(),
                });
            }
            if let Some(flow) = self.flows.get_mut(&key) {
                flow.last = Instant::now();
                let _ = flow.inner.send(&buf[..n]);
            }
        }
    }

    fn container_datagrams(&mut self, key: (usize, SocketAddr), buf: &mut [u8]) {
        let Some(flow) = self.flows.get_mut(&key) else {
            return;
        };
        flow.last = Instant::now();
        let socket = &self.udp[flow.listener].0;
        // A refused datagram (nothing listening yet) shows up as an error: skip it.
        loop {
            match flow.inner.recv(buf) {
                Ok(n) => {
                    let _ = socket.send_to(&buf[..n], key.1);
                }
                Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {}
                Err(_) => break,
            }
        }
    }
}
