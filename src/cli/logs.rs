//! Printing a container log: the file is read in large chunks, each line parsed where it
//! lies and copied into one output buffer written out in large writes, so a 100k-line log
//! costs tens of system calls and no allocation per line.

use crate::monitor::log;
use std::io::{self, Read, Seek, SeekFrom, Write};

const CHUNK: usize = 256 * 1024;

/// What to print of each entry.
pub struct Filter {
    pub timestamps: bool,
    pub since: Option<f64>,
    pub until: Option<f64>,
}

impl Filter {
    fn wanted(&self, e: &log::Entry) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        let Some(t) = log::seconds(e.time) else {
            return true;
        };
        self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t <= u)
    }
}

/// Writes entries to stdout or stderr (by their stream) through one buffer, flushed whenever
/// the stream changes, so lines of both keep their order when they go to the same place.
pub struct Printer<W: Write> {
    filter: Filter,
    /// The previous entry of each stream was partial: the next one continues its line.
    continued: [bool; 2],
    outs: [W; 2],
    buf: Vec<u8>,
    current: usize,
}

impl<W: Write> Printer<W> {
    pub fn new(filter: Filter, stdout: W, stderr: W) -> Self {
        Printer {
            filter,
            continued: [false; 2],
            outs: [stdout, stderr],
            buf: Vec::with_capacity(CHUNK),
            current: 0,
        }
    }

    fn print(&mut self, e: &log::Entry) -> io::Result<()> {
        if !self.filter.wanted(e) {
            return Ok(());
        }
        let stream = usize::from(e.stderr);
        if stream != self.current || self.buf.len() >= CHUNK {
            self.flush()?;
            self.current = stream;
        }
        if self.filter.timestamps && !self.continued[stream] {
            self.buf.extend_from_slice(e.time.as_bytes());
            self.buf.push(b' ');
        }
        self.buf.extend_from_slice(e.text);
        if !e.partial {
            self.buf.push(b'\n');
        }
        self.continued[stream] = e.partial;
        Ok(())
    }

    pub fn flush(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.outs[self.current].write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    #[cfg(test)]
    fn into_outs(self) -> [W; 2] {
        self.outs
    }
}

/// Standard output or error written straight to the descriptor: the printer buffers itself,
/// and Rust's line-buffered stdout would make one write per line.
pub struct StdFd(pub i32);

impl Write for StdFd {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        loop {
            // SAFETY: write from a valid slice to a descriptor the process keeps open.
            let n = unsafe { libc::write(self.0, buf.as_ptr().cast(), buf.len()) };
            if n >= 0 {
                return Ok(n as usize);
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Calls `f` with every complete line from the reader's position; returns how many bytes
/// those lines took (a last line without its newline is left for a later read).
fn for_each_line(r: &mut impl Read, mut f: impl FnMut(&[u8]) -> io::Result<()>) -> io::Result<u64> {
    let mut buf = vec![0u8; CHUNK];
    let mut filled = 0;
    let mut consumed = 0u64;
    loop {
        if filled == buf.len() {
            // One line longer than the buffer.
            buf.resize(buf.len() * 2, 0);
        }
        let n = match r.read(&mut buf[filled..]) {
            Ok(0) => return Ok(consumed),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let scan_from = filled;
        filled += n;
        let Some(last) = memchr::memrchr(b'\n', &buf[scan_from..filled]) else {
            continue;
        };
        let end = scan_from + last + 1;
        for line in buf[..end].split(|&b| b == b'\n') {
            if !line.is_empty() {
                f(line)?;
            }
        }
        consumed += end as u64;
        buf.copy_within(end..filled, 0);
        filled -= end;
    }
}

/// The number of lines `--tail` counts: partial entries join the next full one of their
/// stream, and the unfinished pieces at the end make one more line.
fn count_lines(r: &mut impl Read) -> io::Result<usize> {
    let mut full = 0;
    let mut unfinished = [false; 2];
    for_each_line(r, |line| {
        if let Some(e) = log::parse(line) {
            unfinished[usize::from(e.stderr)] = e.partial;
            full += usize::from(!e.partial);
        }
        Ok(())
    })?;
    Ok(full + usize::from(unfinished.iter().any(|&u| u)))
}

/// Prints the log from its start, or only its last `tail` lines; returns the offset after
/// the last complete line, where following goes on.
pub fn print_log<R: Read + Seek, W: Write>(
    r: &mut R,
    tail: Option<usize>,
    p: &mut Printer<W>,
) -> io::Result<u64> {
    let first_line = match tail {
        Some(n) => {
            let total = count_lines(r)?;
            r.seek(SeekFrom::Start(0))?;
            total.saturating_sub(n)
        }
        None => 0,
    };
    // Before the first line to print, the partial pieces of each stream are held back:
    // they are printed only if their line ends at or after it.
    let mut full = 0;
    let mut held: Vec<(bool, Vec<u8>)> = Vec::new();
    let end = for_each_line(r, |line| {
        let Some(e) = log::parse(line) else {
            return Ok(());
        };
        if full >= first_line {
            return p.print(&e);
        }
        if e.partial {
            held.push((e.stderr, line.to_vec()));
            return Ok(());
        }
        held.retain(|(stderr, _)| *stderr != e.stderr);
        full += 1;
        if full == first_line {
            for (_, l) in held.drain(..) {
                if let Some(e) = log::parse(&l) {
                    p.print(&e)?;
                }
            }
        }
        Ok(())
    })?;
    p.flush()?;
    Ok(end)
}

/// Prints what was appended since `offset`; returns the new offset.
pub fn print_from<R: Read + Seek, W: Write>(
    f: &mut R,
    offset: u64,
    p: &mut Printer<W>,
) -> io::Result<u64> {
    f.seek(SeekFrom::Start(offset))?;
    let n = for_each_line(f, |line| match log::parse(line) {
        Some(e) => p.print(&e),
        None => Ok(()),
    })?;
    p.flush()?;
    Ok(offset + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "2024-01-01T00:00:00.000000000Z";

    fn log(entries: &[(&str, &str, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (stream, tag, text) in entries {
            out.extend_from_slice(format!("{T} {stream} {tag} {text}\n").as_bytes());
        }
        out
    }

    fn run(data: &[u8], tail: Option<usize>, timestamps: bool) -> (String, String, u64) {
        let filter = Filter {
            timestamps,
            since: None,
            until: None,
        };
        let mut p = Printer::new(filter, Vec::new(), Vec::new());
        let end = print_log(&mut io::Cursor::new(data), tail, &mut p).unwrap();
        let [o, e] = p.into_outs();
        (
            String::from_utf8(o).unwrap(),
            String::from_utf8(e).unwrap(),
            end,
        )
    }

    #[test]
    fn partial_pieces_join_their_line_and_tail_counts_lines() {
        // out "a", out "pa" (partial), err "e", out "rt", out "tail" (partial, unfinished)
        let data = log(&[
            ("stdout", "F", "a"),
            ("stdout", "P", "pa"),
            ("stderr", "F", "e"),
            ("stdout", "F", "rt"),
            ("stdout", "P", "tail"),
        ]);
        assert_eq!(
            run(&data, None, false),
            ("a\npart\ntail".into(), "e\n".into(), data.len() as u64)
        );
        // Lines: a, e, part, tail.
        assert_eq!(run(&data, Some(1), false).0, "tail");
        assert_eq!(run(&data, Some(2), false).0, "part\ntail");
        assert_eq!(run(&data, Some(2), false).1, "");
        assert_eq!(
            run(&data, Some(3), false),
            ("part\ntail".into(), "e\n".into(), data.len() as u64)
        );
        assert_eq!(run(&data, Some(9), false).0, "a\npart\ntail");
        assert_eq!(run(&data, Some(0), false).0, "");
        // A timestamp starts each line, not each piece.
        assert_eq!(run(&data, Some(2), true).0, format!("{T} part\n{T} tail"));
    }

    #[test]
    fn an_unfinished_last_line_waits_and_long_lines_fit() {
        let mut data = log(&[("stdout", "F", &"x".repeat(3 * CHUNK))]);
        let whole = data.len() as u64;
        data.extend_from_slice(format!("{T} stdout F cut").as_bytes());
        let (out, _, end) = run(&data, None, false);
        assert_eq!(out.len(), 3 * CHUNK + 1);
        assert_eq!(end, whole);
    }
}
