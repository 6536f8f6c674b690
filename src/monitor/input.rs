//! What attached clients type, on its way to the container: the write end of its stdin pipe,
//! or the pty master. Writes never block the monitor; what the container does not take yet
//! waits here, and clients are not read meanwhile (their sockets push back).

use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

pub struct Input {
    target: Option<OwnedFd>,
    /// Without a terminal the pipe can be closed (EOF for the container); a pty cannot.
    closable: bool,
    close_when_flushed: bool,
    /// `-t` without `-i`: the master is there for resizes only.
    typing: bool,
    pending: Vec<u8>,
}

fn set_nonblocking(fd: RawFd) {
    // SAFETY: fcntl flag calls on a descriptor the caller owns.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
        }
    }
}

impl Input {
    pub fn none() -> Input {
        Input {
            target: None,
            closable: false,
            close_when_flushed: false,
            typing: false,
            pending: Vec::new(),
        }
    }

    /// The write end of the container's stdin pipe.
    pub fn pipe(fd: OwnedFd) -> Input {
        set_nonblocking(fd.as_raw_fd());
        Input {
            target: Some(fd),
            closable: true,
            typing: true,
            ..Input::none()
        }
    }

    /// A duplicate of the pty master: window size, and input with `-i`.
    pub fn terminal(fd: OwnedFd, typing: bool) -> Input {
        set_nonblocking(fd.as_raw_fd());
        Input {
            target: Some(fd),
            typing,
            ..Input::none()
        }
    }

    /// The fd to wait on for room while input is pending.
    pub fn waiting(&self) -> Option<RawFd> {
        match (&self.target, self.pending.is_empty()) {
            (Some(fd), false) => Some(fd.as_raw_fd()),
            _ => None,
        }
    }

    pub fn push(&mut self, data: &[u8]) {
        if self.target.is_some() && self.typing {
            self.pending.extend_from_slice(data);
            self.flush();
        }
    }

    pub fn flush(&mut self) {
        while let (Some(fd), false) = (&self.target, self.pending.is_empty()) {
            // SAFETY: write from a live buffer of the given length.
            let n = unsafe {
                libc::write(
                    fd.as_raw_fd(),
                    self.pending.as_ptr().cast(),
                    self.pending.len(),
                )
            };
            if n >= 0 {
                self.pending.drain(..n as usize);
                continue;
            }
            match io::Error::last_os_error().kind() {
                io::ErrorKind::Interrupted => continue,
                io::ErrorKind::WouldBlock => return,
                // The container closed its stdin: nothing more can reach it.
                _ => {
                    self.target = None;
                    self.pending.clear();
                }
            }
        }
        if self.close_when_flushed && self.pending.is_empty() {
            self.target = None;
        }
    }

    /// A client's stdin ended: so does the container's, once what it sent is delivered.
    pub fn close(&mut self) {
        if self.closable {
            self.close_when_flushed = true;
            self.flush();
        }
    }

    pub fn resize(&self, rows: u16, cols: u16) {
        if let (Some(fd), false) = (&self.target, self.closable) {
            crate::runtime::set_winsize(fd.as_raw_fd(), rows, cols);
        }
    }
}
