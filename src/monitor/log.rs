//! The container log in Podman's k8s-file format: `<RFC3339Nano> <stream> <F|P> <text>`, one
//! line of output per line of file; `P` marks a piece of a line that continues in the next.

use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::container::LogConfig;

/// Where a container's log lives by default: next to its writable layer, so it outlives a
/// reboot.
pub fn path(paths: &crate::paths::Paths, id: &str) -> PathBuf {
    crate::container::dirs(paths, id).root.join("ctr.log")
}

/// The log file of a container with this log configuration (`--log-opt path=`).
pub fn path_for(paths: &crate::paths::Paths, id: &str, cfg: &LogConfig) -> PathBuf {
    match &cfg.path {
        Some(p) => PathBuf::from(p),
        None => path(paths, id),
    }
}

/// How often at most the writer checks that its file was not deleted under it.
const CHECK_EVERY: Duration = Duration::from_secs(1);

pub struct Writer {
    file: File,
    path: PathBuf,
    /// `max-size` (0: none), and what the file holds, as conmon counts it.
    max_size: u64,
    size: u64,
    checked: Instant,
}

fn open_append(path: &Path) -> io::Result<File> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
}

impl Writer {
    pub fn open(path: &Path) -> io::Result<Writer> {
        Writer::with_max_size(path, 0)
    }

    pub fn with_max_size(path: &Path, max_size: u64) -> io::Result<Writer> {
        let file = open_append(path)?;
        let size = file.metadata().map_or(0, |m| m.len());
        Ok(Writer {
            file,
            path: path.to_path_buf(),
            max_size,
            size,
            checked: Instant::now(),
        })
    }

    /// A log deleted under a running container (by hand, or by a cleanup tool) is created
    /// again rather than written to while unreachable; checked at most once a second.
    fn recreate_if_deleted(&mut self) {
        if self.checked.elapsed() < CHECK_EVERY {
            return;
        }
        self.checked = Instant::now();
        let gone = rustix::fs::fstat(&self.file).map_or(true, |st| st.st_nlink == 0);
        if gone {
            if let Ok(file) = open_append(&self.path) {
                self.file = file;
                self.size = 0;
            }
        }
    }

    /// Starts the file over, as conmon does when a line would pass `max-size`: the new file
    /// replaces the old one at once (rename), so a reader never sees it half-written.
    fn start_over(&mut self) -> io::Result<()> {
        let mut tmp = self.path.clone().into_os_string();
        tmp.push(".tmp");
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        std::fs::rename(&tmp, &self.path)?;
        self.file = file;
        self.size = 0;
        Ok(())
    }

    /// Appends a chunk of output; a chunk that does not end in a newline ends in a `P` line.
    pub fn write(&mut self, stream: &str, data: &[u8]) -> io::Result<()> {
        self.recreate_if_deleted();
        let ts = timestamp();
        let mut out = Vec::with_capacity(data.len() + 64);
        let mut rest = data;
        while !rest.is_empty() {
            let (line, tag, next) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..i], b'F', &rest[i + 1..]),
                None => (rest, b'P', &rest[rest.len()..]),
            };
            let len = (ts.len() + stream.len() + line.len() + 5) as u64;
            if self.max_size > 0 && self.size + (out.len() as u64) + len > self.max_size {
                self.file.write_all(&out)?;
                out.clear();
                self.start_over()?;
            }
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
        self.size += out.len() as u64;
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

    #[test]
    fn max_size_starts_the_file_over() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ctr.log");
        let mut w = Writer::with_max_size(&p, 200).unwrap();
        for i in 0..20 {
            w.write("stdout", format!("line {i}\n").as_bytes()).unwrap();
            assert!(std::fs::metadata(&p).unwrap().len() <= 200);
        }
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.ends_with(" stdout F line 19\n"), "{text}");
        assert!(!text.contains("line 0\n"), "{text}");
        assert!(!dir.path().join("ctr.log.tmp").exists());
    }

    #[test]
    fn a_deleted_log_is_created_again() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ctr.log");
        let mut w = Writer::open(&p).unwrap();
        w.write("stdout", b"before\n").unwrap();
        std::fs::remove_file(&p).unwrap();
        w.checked -= CHECK_EVERY;
        w.write("stdout", b"after\n").unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(
            text.ends_with(" stdout F after\n") && !text.contains("before"),
            "{text}"
        );
    }
}
