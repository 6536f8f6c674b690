//! The child's report to the parent over a close-on-exec pipe.
//!
//! A successful execve closes the pipe without a word; otherwise the child writes one
//! message (a single write below PIPE_BUF, so it arrives whole) before it exits.

use std::os::fd::{AsRawFd, BorrowedFd};

/// Why the child gave up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Report {
    /// A setup step failed: lodger's fault or the environment's (exit 125).
    Setup(String),
    /// The command could not be run: 126 (not executable) or 127 (not found).
    Exec { code: u8, message: String },
}

const SETUP: u8 = b'S';
const MAX: usize = 4000;

impl Report {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let (tag, msg) = match self {
            Report::Setup(m) => (SETUP, m),
            Report::Exec { code, message } => (*code, message),
        };
        let mut out = Vec::with_capacity(msg.len().min(MAX) + 1);
        out.push(tag);
        let mut end = msg.len().min(MAX);
        while !msg.is_char_boundary(end) {
            end -= 1;
        }
        out.extend_from_slice(&msg.as_bytes()[..end]);
        out
    }

    /// `None` for an empty pipe: the exec succeeded.
    pub(crate) fn decode(bytes: &[u8]) -> Option<Report> {
        let (&tag, rest) = bytes.split_first()?;
        let message = String::from_utf8_lossy(rest).into_owned();
        Some(match tag {
            SETUP => Report::Setup(message),
            code => Report::Exec { code, message },
        })
    }

    /// Sends the report; errors are ignored because the child exits right after anyway.
    pub(crate) fn send(&self, fd: BorrowedFd<'_>) {
        let buf = self.encode();
        // SAFETY: plain write of an owned buffer to a valid fd.
        unsafe {
            libc::write(fd.as_raw_fd(), buf.as_ptr().cast(), buf.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for r in [
            Report::Setup("mounting /proc: Operation not permitted".into()),
            Report::Exec {
                code: 127,
                message: "executable file `foo` not found in $PATH".into(),
            },
        ] {
            assert_eq!(Report::decode(&r.encode()), Some(r));
        }
        assert_eq!(Report::decode(&[]), None);
    }

    #[test]
    fn long_messages_are_cut_on_a_char_boundary() {
        let r = Report::Setup("é".repeat(3000));
        let enc = r.encode();
        assert!(enc.len() <= MAX + 1);
        assert!(std::str::from_utf8(&enc[1..]).is_ok());
    }
}
