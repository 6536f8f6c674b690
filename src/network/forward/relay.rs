//! The forwarder's poll loop: host connections and datagrams relayed to the container's
//! loopback. One thread serves every port, so nothing in here may block: a connect that
//! waits, or a socket that wakes the loop without anything to do, would stall or spin
//! every other port.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsRawFd, FromRawFd, RawFd};
use std::time::{Duration, Instant};

use crate::runtime::poll_fd;

/// A UDP client that stays silent this long loses its socket in the namespace.
const UDP_IDLE: Duration = Duration::from_secs(60);
/// How often idle flows are looked for while there are any.
const UDP_SWEEP: Duration = Duration::from_secs(10);
/// Each flow holds a descriptor: a flood of client addresses must not exhaust them.
const MAX_FLOWS: usize = 4096;
/// How long accepting pauses when the process is out of descriptors: the pending
/// connection keeps the listener readable, so retrying at once would spin.
const ACCEPT_PAUSE: Duration = Duration::from_secs(1);
const BUF: usize = 64 * 1024;
const ROUNDS_PER_WAKE: usize = 16;

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

    /// Whether the loop should wait for the source to be readable.
    fn wants_read(&self) -> bool {
        !self.eof && !self.pending()
    }

    /// The destination was reset: nothing more can reach it, so what waits for it goes.
    fn abandon(&mut self) {
        (self.start, self.end) = (0, 0);
        self.eof = true;
        self.shut = true;
    }

    /// Moves what it can from `src` to `dst` without blocking; Err ends the connection.
    /// A bulk transfer is copied in several rounds per wake-up (fewer polls), up to a bound
    /// that keeps one connection from starving the others.
    fn pump(&mut self, src: &mut TcpStream, dst: &mut TcpStream) -> io::Result<()> {
        for _ in 0..ROUNDS_PER_WAKE {
            let mut got = false;
            if self.wants_read() {
                match src.read(&mut self.buf) {
                    Ok(0) => self.eof = true,
                    Ok(n) => {
                        (self.start, self.end) = (0, n);
                        got = true;
                    }
                    Err(e) if retry(&e) => {}
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
            if !got || self.pending() {
                break;
            }
        }
        if self.eof && !self.pending() && !self.shut {
            // The other side may still talk: pass the half-close on, not a close.
            let _ = dst.shutdown(std::net::Shutdown::Write);
            self.shut = true;
        }
        Ok(())
    }
}

fn retry(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
    )
}

struct Conn {
    host: TcpStream,
    inner: TcpStream,
    /// False until the non-blocking connect to the container's port completes.
    connected: bool,
    /// host to container
    up: Half,
    /// container to host
    down: Half,
    /// Sides (host, inner) that reported POLLHUP, which poll reports whatever it is asked.
    hup: [bool; 2],
}

impl Conn {
    fn done(&self) -> bool {
        self.up.shut && self.down.shut
    }

    fn poll_fds(&self) -> [libc::pollfd; 2] {
        let (host, inner) = if self.connected {
            (
                events(self.up.wants_read(), self.down.pending()),
                events(self.down.wants_read(), self.up.pending()),
            )
        } else {
            (0, libc::POLLOUT)
        };
        [
            watch(self.host.as_raw_fd(), host, self.hup[0]),
            watch(self.inner.as_raw_fd(), inner, self.hup[1]),
        ]
    }

    /// A side was reset (or failed). Reading its error clears it, or poll would report it
    /// on every turn; what it sent before is still read and delivered, as it would have
    /// reached a client connected directly, and then the connection ends.
    fn reset(&mut self, side: usize) {
        let (socket, toward) = if side == 0 {
            (&self.host, &mut self.down)
        } else {
            (&self.inner, &mut self.up)
        };
        let _ = socket.take_error();
        toward.abandon();
    }

    /// Acts on what poll said of the two sides; false ends the connection.
    fn serve(&mut self, revents: [i16; 2]) -> bool {
        if revents.iter().all(|&r| r == 0) {
            return true;
        }
        let error = |r: i16| r & (libc::POLLERR | libc::POLLNVAL) != 0;
        if !self.connected {
            if error(revents[0]) || error(revents[1]) {
                return false;
            }
            if revents[1] & libc::POLLOUT == 0 {
                return true;
            }
            if !matches!(self.inner.take_error(), Ok(None)) {
                return false;
            }
            self.connected = true;
        }
        for (side, &r) in revents.iter().enumerate() {
            self.hup[side] |= r & libc::POLLHUP != 0;
            if error(r) {
                self.reset(side);
            }
        }
        self.up.pump(&mut self.host, &mut self.inner).is_ok()
            && self.down.pump(&mut self.inner, &mut self.host).is_ok()
            && !self.done()
    }
}

/// A UDP client of the host socket `listener` and its socket inside the namespace.
struct Flow {
    inner: UdpSocket,
    listener: usize,
    last: Instant,
}

pub(super) struct Forwarder {
    tcp: Vec<(TcpListener, u16)>,
    udp: Vec<(UdpSocket, u16)>,
    conns: Vec<Conn>,
    flows: HashMap<(usize, SocketAddr), Flow>,
    accept_paused: Option<Instant>,
}

fn events(read: bool, write: bool) -> i16 {
    (if read { libc::POLLIN } else { 0 }) | (if write { libc::POLLOUT } else { 0 })
}

/// A socket that hung up is left out while nothing is asked of it, or poll would return
/// at once on every turn of the loop.
fn watch(fd: RawFd, events: i16, hup: bool) -> libc::pollfd {
    libc::pollfd {
        fd: if hup && events == 0 { -1 } else { fd },
        events,
        revents: 0,
    }
}

impl Forwarder {
    pub(super) fn new(tcp: Vec<(TcpListener, u16)>, udp: Vec<(UdpSocket, u16)>) -> Forwarder {
        Forwarder {
            tcp,
            udp,
            conns: Vec::new(),
            flows: HashMap::new(),
            accept_paused: None,
        }
    }

    pub(super) fn run(mut self) -> io::Result<()> {
        let mut buf = vec![0u8; BUF];
        loop {
            let now = Instant::now();
            if self.accept_paused.is_some_and(|until| until <= now) {
                self.accept_paused = None;
            }
            let paused = self.accept_paused.is_some();
            let mut fds = Vec::new();
            // A paused listener is left out: its pending connection would wake poll at once.
            fds.extend(
                self.tcp
                    .iter()
                    .map(|(l, _)| poll_fd(if paused { -1 } else { l.as_raw_fd() })),
            );
            fds.extend(self.udp.iter().map(|(s, _)| poll_fd(s.as_raw_fd())));
            let flow_keys: Vec<(usize, SocketAddr)> = self.flows.keys().copied().collect();
            fds.extend(
                flow_keys
                    .iter()
                    .map(|k| poll_fd(self.flows[k].inner.as_raw_fd())),
            );
            for c in &self.conns {
                fds.extend(c.poll_fds());
            }
            let n = poll(&mut fds, self.timeout(now))?;
            if n == 0 {
                self.expire_flows();
                continue;
            }
            let flows_at = self.tcp.len() + self.udp.len();
            let conns_at = flows_at + flow_keys.len();
            // Connections first: accepting adds connections that were not polled.
            let conns = std::mem::take(&mut self.conns);
            self.conns = conns
                .into_iter()
                .enumerate()
                .filter_map(|(j, mut c)| {
                    let at = conns_at + 2 * j;
                    c.serve([fds[at].revents, fds[at + 1].revents]).then_some(c)
                })
                .collect();
            for (j, k) in flow_keys.iter().enumerate() {
                if fds[flows_at + j].revents != 0 {
                    self.container_datagrams(*k, &mut buf);
                }
            }
            let ready: Vec<usize> = (0..flows_at).filter(|&i| fds[i].revents != 0).collect();
            for i in ready {
                match i.checked_sub(self.tcp.len()) {
                    None => self.accept(i),
                    Some(l) => self.client_datagrams(l, &mut buf),
                }
            }
            self.expire_flows();
        }
    }

    /// How long poll may wait: forever unless flows are to be swept or accepting resumes.
    fn timeout(&self, now: Instant) -> i32 {
        let sweep = (!self.flows.is_empty()).then_some(UDP_SWEEP);
        let resume = self
            .accept_paused
            .map(|until| until.saturating_duration_since(now));
        match sweep.into_iter().chain(resume).min() {
            Some(d) => d.as_millis().clamp(1, 60_000) as i32,
            None => -1,
        }
    }

    fn expire_flows(&mut self) {
        let now = Instant::now();
        self.flows
            .retain(|_, f| now.duration_since(f.last) < UDP_IDLE);
    }

    fn accept(&mut self, l: usize) {
        let (listener, port) = &self.tcp[l];
        let host = match listener.accept() {
            Ok((host, _)) => host,
            Err(e) if retry(&e) || e.kind() == io::ErrorKind::ConnectionAborted => return,
            Err(_) => {
                self.accept_paused = Some(Instant::now() + ACCEPT_PAUSE);
                return;
            }
        };
        // A port nobody listens on closes the client's connection, as rootlessport does.
        let Ok(inner) = connect_loopback(*port) else {
            return;
        };
        if host.set_nonblocking(true).is_err() {
            return;
        }
        let _ = host.set_nodelay(true);
        let _ = inner.set_nodelay(true);
        self.conns.push(Conn {
            host,
            inner,
            connected: false,
            up: Half::new(),
            down: Half::new(),
            hup: [false; 2],
        });
    }

    fn client_datagrams(&mut self, l: usize, buf: &mut [u8]) {
        let (socket, port) = &self.udp[l];
        while let Ok((n, client)) = socket.recv_from(buf) {
            let key = (l, client);
            if !self.flows.contains_key(&key) {
                if self.flows.len() >= MAX_FLOWS {
                    evict_oldest(&mut self.flows);
                }
                let Ok(inner) = udp_to_loopback(*port) else {
                    continue;
                };
                self.flows.insert(
                    key,
                    Flow {
                        inner,
                        listener: l,
                        last: Instant::now(),
                    },
                );
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

fn evict_oldest(flows: &mut HashMap<(usize, SocketAddr), Flow>) {
    if let Some(key) = flows.iter().min_by_key(|(_, f)| f.last).map(|(k, _)| *k) {
        flows.remove(&key);
    }
}

fn poll(fds: &mut [libc::pollfd], timeout: i32) -> io::Result<i32> {
    loop {
        // SAFETY: poll over a live slice of pollfd.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout) };
        if n >= 0 {
            return Ok(n);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

fn udp_to_loopback(port: u16) -> io::Result<UdpSocket> {
    let s = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    s.connect((Ipv4Addr::LOCALHOST, port))?;
    s.set_nonblocking(true)?;
    Ok(s)
}

/// Starts a non-blocking connect to `port` on the loopback. A server whose accept queue is
/// full makes a blocking connect wait for SYN retries, up to minutes.
fn connect_loopback(port: u16) -> io::Result<TcpStream> {
    // SAFETY: socket(2) with constant arguments; the descriptor is owned at once.
    let fd = unsafe {
        libc::socket(
            libc::AF_INET,
            libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            0,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: fd is a fresh socket nothing else owns.
    let stream = unsafe { TcpStream::from_raw_fd(fd) };
    let addr = libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: port.to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from(Ipv4Addr::LOCALHOST).to_be(),
        },
        sin_zero: [0; 8],
    };
    // SAFETY: addr is a valid sockaddr_in of the length given.
    let rc = unsafe {
        libc::connect(
            fd,
            (&addr as *const libc::sockaddr_in).cast(),
            std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
        )
    };
    if rc < 0 {
        let e = io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::EINPROGRESS) {
            return Err(e);
        }
    }
    Ok(stream)
}
