//! The attach socket: a unix `SOCK_SEQPACKET` socket in the container's runtime dir, served
//! by the monitor from its one poll loop. Every packet is one message whose first byte says
//! what it is; the monitor sends output and the exit code, clients send input and resizes.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::{Path, PathBuf};

/// File name of the socket in the container's runtime dir.
pub const SOCKET: &str = "attach";

/// Monitor to client: output of the container (stdout, or the terminal) and its stderr.
pub const STDOUT: u8 = 1;
pub const STDERR: u8 = 2;
/// Monitor to client: the container exited; an i32 (little endian) follows.
pub const EXIT: u8 = 3;
/// Client to monitor: bytes for the container's stdin.
pub const STDIN: u8 = 4;
/// Client to monitor: the client's stdin ended; close the container's (without a terminal).
pub const CLOSE_STDIN: u8 = 5;
/// Client to monitor: the window size, rows and columns as two u16 (little endian).
pub const RESIZE: u8 = 6;

/// Largest payload of one packet; the kind byte comes on top.
pub const CHUNK: usize = 8192;

pub fn socket_path(paths: &crate::paths::Paths, id: &str) -> PathBuf {
    crate::container::dirs(paths, id).state.join(SOCKET)
}

fn check(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

/// `connect` or `bind` of `sock` to the socket address of `path`.
fn at_path(
    sock: &OwnedFd,
    path: &Path,
    op: unsafe extern "C" fn(libc::c_int, *const libc::sockaddr, libc::socklen_t) -> libc::c_int,
) -> io::Result<()> {
    with_addr(path, |addr| {
        // SAFETY: connect/bind with a valid sockaddr_un of the given size.
        check(unsafe {
            op(
                sock.as_raw_fd(),
                (addr as *const libc::sockaddr_un).cast(),
                std::mem::size_of::<libc::sockaddr_un>() as libc::socklen_t,
            )
        })?;
        Ok(())
    })
}

/// A socket address for `path` reached through an O_PATH fd of its directory: the runtime
/// dir plus a 64-digit id is longer than the 108 bytes a `sockaddr_un` holds.
fn with_addr<T>(path: &Path, f: impl FnOnce(&libc::sockaddr_un) -> io::Result<T>) -> io::Result<T> {
    let (dir, name) = match (path.parent(), path.file_name()) {
        (Some(d), Some(n)) => (d, n),
        _ => return Err(io::Error::from(io::ErrorKind::InvalidInput)),
    };
    let dirfd = rustix::fs::open(
        dir,
        rustix::fs::OFlags::PATH | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )?;
    let short = format!(
        "/proc/self/fd/{}/{}",
        dirfd.as_raw_fd(),
        name.to_string_lossy()
    );
    // SAFETY: a zeroed sockaddr_un is valid; the path is copied within its bounds.
    let mut addr: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
    if short.len() >= addr.sun_path.len() {
        return Err(io::Error::from(io::ErrorKind::InvalidInput));
    }
    for (d, s) in addr.sun_path.iter_mut().zip(short.bytes()) {
        *d = s as libc::c_char;
    }
    f(&addr)
}

fn seqpacket() -> io::Result<OwnedFd> {
    // SAFETY: plain socket call; the fd is owned right away.
    let fd = check(unsafe {
        libc::socket(libc::AF_UNIX, libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC, 0)
    })?;
    // SAFETY: just created.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// A connected pair: a client's end and the end a monitor serves (see [`Server::add`]).
pub fn pair() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: socketpair writes two fds into the local array, owned right after.
    check(unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    })?;
    // SAFETY: both just created, owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Connects to a container's attach socket (the client side).
pub fn connect(path: &Path) -> io::Result<OwnedFd> {
    let sock = seqpacket()?;
    at_path(&sock, path, libc::connect)?;
    Ok(sock)
}

/// Sends one message; `MSG_NOSIGNAL` so a gone peer is an error, not a SIGPIPE.
/// The kind byte and the payload go out as two parts of one packet, with no copy.
pub fn send(fd: RawFd, kind: u8, data: &[u8]) -> io::Result<()> {
    let mut iov = [
        libc::iovec {
            iov_base: (&kind as *const u8).cast_mut().cast(),
            iov_len: 1,
        },
        libc::iovec {
            iov_base: data.as_ptr().cast_mut().cast(),
            iov_len: data.len(),
        },
    ];
    // SAFETY: a zeroed msghdr is valid (no address, no control data).
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = iov.as_mut_ptr();
    msg.msg_iovlen = iov.len() as _;
    loop {
        // SAFETY: sendmsg only reads the live buffers the iovecs point to.
        let n = unsafe { libc::sendmsg(fd, &msg, libc::MSG_NOSIGNAL) };
        if n >= 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Receives one message into `buf`: `Ok(0)` when the peer closed.
pub fn recv(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        // SAFETY: recv into a live mutable buffer of the given length.
        let n = unsafe { libc::recv(fd, buf.as_mut_ptr().cast(), buf.len(), 0) };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// The monitor's side: the listening socket and the attached clients.
pub struct Server {
    listener: OwnedFd,
    path: PathBuf,
    clients: Vec<OwnedFd>,
    /// Told the exit code, no longer served.
    finished: Vec<OwnedFd>,
}

/// What a client asked for.
pub enum Request<'a> {
    /// Input, in the buffer given to [`Server::read`].
    Input(&'a [u8]),
    CloseStdin,
    Resize {
        rows: u16,
        cols: u16,
    },
}

impl Server {
    pub fn bind(path: &Path) -> io::Result<Server> {
        // A socket left by a monitor that was killed.
        let _ = std::fs::remove_file(path);
        let listener = seqpacket()?;
        at_path(&listener, path, libc::bind)?;
        // SAFETY: listen on the socket just bound.
        check(unsafe { libc::listen(listener.as_raw_fd(), 8) })?;
        Ok(Server {
            listener,
            path: path.to_path_buf(),
            clients: Vec::new(),
            finished: Vec::new(),
        })
    }

    pub fn listener(&self) -> RawFd {
        self.listener.as_raw_fd()
    }

    pub fn clients(&self) -> impl Iterator<Item = RawFd> + '_ {
        self.clients.iter().map(AsRawFd::as_raw_fd)
    }

    pub fn accept(&mut self) {
        // SAFETY: accept4 on the listening socket; the new fd is owned right away.
        let fd = unsafe {
            libc::accept4(
                self.listener.as_raw_fd(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                libc::SOCK_CLOEXEC,
            )
        };
        if fd < 0 {
            return;
        }
        // SAFETY: just accepted.
        self.add(unsafe { OwnedFd::from_raw_fd(fd) });
    }

    /// A client connected another way (passed by the CLI that started the container).
    pub fn add(&mut self, fd: OwnedFd) {
        // A client that stops reading must not stall the container's output for long.
        let timeout = libc::timeval {
            tv_sec: 2,
            tv_usec: 0,
        };
        // SAFETY: setsockopt with a timeval of the right size.
        unsafe {
            libc::setsockopt(
                fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_SNDTIMEO,
                (&timeout as *const libc::timeval).cast(),
                std::mem::size_of::<libc::timeval>() as libc::socklen_t,
            );
        }
        self.clients.push(fd);
    }

    fn drop_client(&mut self, fd: RawFd) {
        self.clients.retain(|c| c.as_raw_fd() != fd);
    }

    /// Output to every client; one that cannot take it is detached.
    pub fn broadcast(&mut self, kind: u8, data: &[u8]) {
        let failed: Vec<RawFd> = self
            .clients()
            .filter(|&fd| send(fd, kind, data).is_err())
            .collect();
        for fd in failed {
            self.drop_client(fd);
        }
    }

    /// Reads what poll announced on a client; a closed client is forgotten.
    pub fn read<'b>(&mut self, fd: RawFd, buf: &'b mut [u8]) -> Option<Request<'b>> {
        let n = match recv(fd, buf) {
            Ok(0) | Err(_) => {
                self.drop_client(fd);
                return None;
            }
            Ok(n) => n,
        };
        match (buf[0], &buf[1..n]) {
            (STDIN, data) => Some(Request::Input(data)),
            (CLOSE_STDIN, _) => Some(Request::CloseStdin),
            (RESIZE, &[r0, r1, c0, c1]) => Some(Request::Resize {
                rows: u16::from_le_bytes([r0, r1]),
                cols: u16::from_le_bytes([c0, c1]),
            }),
            _ => None,
        }
    }

    /// Tells every client the exit code. Their sockets stay open until the monitor is done
    /// (or the container exits again): a client that waits for them to close knows that
    /// `--rm` removed the container.
    pub fn finish(&mut self, code: i32) {
        self.broadcast(EXIT, &code.to_le_bytes());
        self.finished = std::mem::take(&mut self.clients);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_over_a_long_path() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("x".repeat(64)).join("y".repeat(64));
        std::fs::create_dir_all(&deep).unwrap();
        let path = deep.join(SOCKET);
        let mut server = Server::bind(&path).unwrap();
        let client = connect(&path).unwrap();
        server.accept();
        let fd = server.clients().next().unwrap();
        send(client.as_raw_fd(), STDIN, b"hi").unwrap();
        send(client.as_raw_fd(), RESIZE, &[24, 0, 80, 0]).unwrap();
        let mut buf = [0u8; CHUNK + 1];
        assert!(matches!(server.read(fd, &mut buf), Some(Request::Input(d)) if d == b"hi"));
        assert!(matches!(
            server.read(fd, &mut buf),
            Some(Request::Resize { rows: 24, cols: 80 })
        ));
        server.broadcast(STDOUT, b"out");
        server.finish(7);
        let n = recv(client.as_raw_fd(), &mut buf).unwrap();
        assert_eq!(&buf[..n], b"\x01out");
        let n = recv(client.as_raw_fd(), &mut buf).unwrap();
        assert_eq!(&buf[..n], &[EXIT, 7, 0, 0, 0]);
        // Closed only when the monitor is done.
        let mut p = crate::runtime::poll_fd(client.as_raw_fd());
        // SAFETY: poll on one live pollfd.
        assert_eq!(unsafe { libc::poll(&mut p, 1, 0) }, 0);
        drop(server);
        assert_eq!(recv(client.as_raw_fd(), &mut buf).unwrap(), 0);
        assert!(!path.exists());
    }
}
