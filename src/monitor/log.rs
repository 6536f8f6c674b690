//! The container log in Podman's k8s-file format: `<RFC3339Nano> <stream> <F|P> <text>`, one
//! line of output per line of file; `P` marks a piece of a line that continues in the next.

use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Where a container's log lives: next to its writable layer, so it outlives a reboot.
pub fn path(paths: &crate::paths::Paths, id: &str) -> PathBuf {
    crate::container::dirs(paths, id).root.join("ctr.log")
}

pub struct Writer {
    file: File,
}

impl Writer {
    pub fn open(path: &Path) -> io::Result<Writer> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)?;
        Ok(Writer { file })
    }

    /// Appends a chunk of output; a chunk that does not end in a newline ends in a `P` line.
    pub fn write(&mut self, stream: &str, data: &[u8]) -> io::Result<()> {
        let ts = timestamp();
        let mut out = Vec::with_capacity(data.len() + 64);
        let mut rest = data;
        while !rest.is_empty() {
            let (line, tag, next) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..i], b'F', &rest[i + 1..]),
                None => (rest, b'P', &rest[rest.len()..]),
            };
            out.extend_from_slice(ts.as_bytes());
            out.push(b' ');
            out.extend_from_slice(stream.as_bytes());
            out.push(b' ');
            out.push(tag);
            out.push(b' ');
            out.extend_from_slice(line);
            out.push(b'\n');
            rest = next;
        }
        self.file.write_all(&out)
    }
}

fn timestamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
}

/// One line of the log file.
#[derive(Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    pub time: &'a str,
    pub stderr: bool,
    /// The text continues in the next entry (no newline after it).
    pub partial: bool,
    pub text: &'a [u8],
}

pub fn parse(line: &[u8]) -> Option<Entry<'_>> {
    let mut parts = line.splitn(4, |&b| b == b' ');
    let time = std::str::from_utf8(parts.next()?).ok()?;
    let stream = parts.next()?;
    let tag = parts.next()?;
    let text = parts.next().unwrap_or_default();
    Some(Entry {
        time,
        stderr: stream == b"stderr",
        partial: tag == b"P",
        text,
    })
}

/// Seconds since the epoch of an entry's time.
pub fn seconds(time: &str) -> Option<f64> {
    let t = chrono::DateTime::parse_from_rfc3339(time).ok()?;
    Some(t.timestamp() as f64 + f64::from(t.timestamp_subsec_nanos()) / 1e9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_partial_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ctr.log");
        let mut w = Writer::open(&p).unwrap();
        w.write("stdout", b"one\ntwo\nthr").unwrap();
        w.write("stderr", b"ee\n").unwrap();
        let text = std::fs::read(&p).unwrap();
        let entries: Vec<Entry> = text
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| parse(l).unwrap())
            .collect();
        assert_eq!(entries.len(), 4);
        assert_eq!(entries[0].text, b"one");
        assert!(!entries[0].partial && !entries[0].stderr);
        assert_eq!(entries[2].text, b"thr");
        assert!(entries[2].partial);
        assert!(entries[3].stderr && !entries[3].partial);
        assert!(seconds(entries[0].time).unwrap() > 1.7e9);
        assert!(entries[0].time.ends_with('Z'));
    }
}
