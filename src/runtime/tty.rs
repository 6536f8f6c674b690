//! Terminal (`-t`): the container opens a pty in its own devpts, the parent relays.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

/// Container side, after pivot_root: a pty from the container's /dev/ptmx becomes the
/// controlling terminal and stdio; the master goes to the parent over `sock`.
pub(crate) fn child_pty(sock: RawFd, winsize: Option<(u16, u16)>) -> io::Result<()> {
    // SAFETY: open/ioctl/dup2 on fds this function owns; checked return values.
    unsafe {
        let master = libc::open(
            c"/dev/ptmx".as_ptr(),
            libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
        );
        if master < 0 {
            return Err(io::Error::last_os_error());
        }
        let master = OwnedFd::from_raw_fd(master);
        let unlock: libc::c_int = 0;
        check(libc::ioctl(master.as_raw_fd(), libc::TIOCSPTLCK, &unlock))?;
        // TIOCGPTPEER opens the slave through the master: no path lookup to race with.
        let slave = check(libc::ioctl(
            master.as_raw_fd(),
            libc::TIOCGPTPEER,
            libc::O_RDWR | libc::O_NOCTTY,
        ))?;
        if let Some((rows, cols)) = winsize {
            check(set_winsize(master.as_raw_fd(), rows, cols))?;
        }
        check(libc::setsid())?;
        check(libc::ioctl(slave, libc::TIOCSCTTY, 0))?;
        for fd in 0..3 {
            check(libc::dup2(slave, fd))?;
        }
        if slave > 2 {
            libc::close(slave);
        }
        send_fd(sock, master.as_raw_fd())?;
        libc::close(sock);
    }
    Ok(())
}

fn check(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

const CMSG_SPACE: usize = 64;

fn send_fd(sock: RawFd, fd: RawFd) -> io::Result<()> {
    let mut byte = [0u8; 1];
    let mut cbuf = [0u64; CMSG_SPACE / 8];
    // SAFETY: msghdr and cmsg built with the libc macros over local buffers of ample size.
    unsafe {
        let mut iov = libc::iovec {
            iov_base: byte.as_mut_ptr().cast(),
            iov_len: 1,
        };
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = cbuf.as_mut_ptr().cast();
        msg.msg_controllen = libc::CMSG_SPACE(std::mem::size_of::<RawFd>() as u32) as usize;
        let cmsg = libc::CMSG_FIRSTHDR(&msg);
        (*cmsg).cmsg_level = libc::SOL_SOCKET;
        (*cmsg).cmsg_type = libc::SCM_RIGHTS;
        (*cmsg).cmsg_len = libc::CMSG_LEN(std::mem::size_of::<RawFd>() as u32) as usize;
        std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<RawFd>(), fd);
        if libc::sendmsg(sock, &msg, libc::MSG_NOSIGNAL) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Parent side: the pty master, or `None` when the child died before sending it.
pub(crate) fn recv_fd(sock: RawFd) -> io::Result<Option<OwnedFd>> {
    let mut byte = [0u8; 1];
    let mut cbuf = [0u64; CMSG_SPACE / 8];
    // SAFETY: as in send_fd; the received fd is owned from here on.
    unsafe {
        let mut iov = libc::iovec {
            iov_base: byte.as_mut_ptr().cast(),
            iov_len: 1,
        };
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = cbuf.as_mut_ptr().cast();
        msg.msg_controllen = std::mem::size_of_val(&cbuf);
        let n = loop {
            let n = libc::recvmsg(sock, &mut msg, libc::MSG_CMSG_CLOEXEC);
            if n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            }
            break n;
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        let cmsg = libc::CMSG_FIRSTHDR(&msg);
        if n == 0 || cmsg.is_null() || (*cmsg).cmsg_type != libc::SCM_RIGHTS {
            return Ok(None);
        }
        let fd = std::ptr::read_unaligned(libc::CMSG_DATA(cmsg).cast::<RawFd>());
        Ok(Some(OwnedFd::from_raw_fd(fd)))
    }
}

/// The host terminal in raw mode; restored when dropped (every exit path of `run`).
pub(crate) struct RawMode {
    fd: RawFd,
    saved: libc::termios,
}

impl RawMode {
    /// Puts `fd` in raw mode if it is a terminal. Without `input` (`-t` without `-i`) only
    /// output processing is switched off: the container's pty already turned "\n" into
    /// "\r\n", and the host terminal keeps generating SIGINT for Ctrl-C, which is forwarded.
    pub(crate) fn enter(fd: RawFd, input: bool) -> Option<RawMode> {
        // SAFETY: termios calls on a valid fd with a zeroed, then kernel-filled struct.
        unsafe {
            let mut saved: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(fd, &mut saved) != 0 {
                return None;
            }
            let mut raw = saved;
            if input {
                libc::cfmakeraw(&mut raw);
            } else {
                raw.c_oflag &= !libc::OPOST;
            }
            if libc::tcsetattr(fd, libc::TCSANOW, &raw) != 0 {
                return None;
            }
            Some(RawMode { fd, saved })
        }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        // SAFETY: restores the attributes read in `enter` on the same fd.
        unsafe {
            libc::tcsetattr(self.fd, libc::TCSANOW, &self.saved);
        }
    }
}

/// The window size of the host terminal (stdin, else stdout): rows and columns.
pub fn host_winsize() -> Option<(u16, u16)> {
    // SAFETY: TIOCGWINSZ into a local winsize.
    unsafe {
        let mut ws: libc::winsize = std::mem::zeroed();
        for fd in [0, 1] {
            if libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) == 0 {
                return Some((ws.ws_row, ws.ws_col));
            }
        }
    }
    None
}

/// Sets the window size of the terminal `fd`; returns the ioctl's result. Only an ioctl:
/// safe between clone and exec.
pub fn set_winsize(fd: RawFd, rows: u16, cols: u16) -> libc::c_int {
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCSWINSZ with a local winsize.
    unsafe { libc::ioctl(fd, libc::TIOCSWINSZ, &ws) }
}

/// Copies the window size of the host terminal to the pty master.
pub(crate) fn copy_winsize(master: RawFd) {
    if let Some((rows, cols)) = host_winsize() {
        set_winsize(master, rows, cols);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fd_passing_over_a_socketpair() {
        let mut fds = [0; 2];
        // SAFETY: socketpair into a local array.
        assert_eq!(
            unsafe {
                libc::socketpair(
                    libc::AF_UNIX,
                    libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
                    0,
                    fds.as_mut_ptr(),
                )
            },
            0
        );
        let file = tempfile::tempfile().unwrap();
        send_fd(fds[0], file.as_raw_fd()).unwrap();
        let got = recv_fd(fds[1]).unwrap().unwrap();
        let a = rustix::fs::fstat(&file).unwrap();
        let b = rustix::fs::fstat(&got).unwrap();
        assert_eq!((a.st_dev, a.st_ino), (b.st_dev, b.st_ino));
        // SAFETY: closing the raw fds created above.
        unsafe { libc::close(fds[0]) };
        assert!(recv_fd(fds[1]).unwrap().is_none());
        unsafe { libc::close(fds[1]) };
    }
}
