//! How long-running image work reports what it does: nothing (`-q`), Podman's plain lines
//! (stderr not a terminal), or one progress bar per blob (a terminal).

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

pub trait Reporter: Sync {
    /// A line of narration ("Trying to pull ...", "Writing manifest ...").
    fn message(&self, line: &str);
    /// A blob transfer begins; the handle is advanced from the worker thread.
    fn blob(&self, kind: &str, digest: &str, size: Option<u64>) -> Box<dyn BlobProgress + Send>;
}

pub trait BlobProgress {
    fn advance(&mut self, bytes: u64);
    /// End of this blob, with Podman's closing word ("done", "skipped: already exists").
    fn finish(&mut self, how: &str);
}

/// Pick the reporter Podman would show for these flags and this stderr.
pub fn reporter(quiet: bool) -> Box<dyn Reporter> {
    if quiet {
        Box::new(Quiet)
    } else if std::io::stderr().is_terminal() {
        Box::new(Bars {
            multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
        })
    } else {
        Box::new(Plain)
    }
}

pub struct Quiet;

impl Reporter for Quiet {
    fn message(&self, _line: &str) {}
    fn blob(&self, _: &str, _: &str, _: Option<u64>) -> Box<dyn BlobProgress + Send> {
        Box::new(NoBlob)
    }
}

struct NoBlob;

impl BlobProgress for NoBlob {
    fn advance(&mut self, _: u64) {}
    fn finish(&mut self, _: &str) {}
}

pub struct Plain;

impl Reporter for Plain {
    fn message(&self, line: &str) {
        eprintln!("{line}");
    }
    fn blob(&self, kind: &str, digest: &str, _: Option<u64>) -> Box<dyn BlobProgress + Send> {
        Box::new(PlainBlob {
            label: format!("Copying {kind} {}", short_digest(digest)),
        })
    }
}

struct PlainBlob {
    label: String,
}

impl BlobProgress for PlainBlob {
    fn advance(&mut self, _: u64) {}
    fn finish(&mut self, how: &str) {
        eprintln!("{} {how}", self.label);
    }
}

pub struct Bars {
    multi: MultiProgress,
}

impl Reporter for Bars {
    fn message(&self, line: &str) {
        let _ = self.multi.println(line);
    }
    fn blob(&self, kind: &str, digest: &str, size: Option<u64>) -> Box<dyn BlobProgress + Send> {
        let bar = self.multi.add(
            ProgressBar::new(size.unwrap_or(0))
                .with_message(format!("Copying {kind} {}", short_digest(digest))),
        );
        let style = ProgressStyle::with_template(
            "{msg} {wide_bar} {binary_bytes} / {binary_total_bytes} | {binary_bytes_per_sec}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Box::new(BarBlob { bar })
    }
}

struct BarBlob {
    bar: ProgressBar,
}

impl BlobProgress for BarBlob {
    fn advance(&mut self, bytes: u64) {
        self.bar.inc(bytes);
    }
    fn finish(&mut self, how: &str) {
        let msg = format!("{} {how}", self.bar.message());
        self.bar.set_style(ProgressStyle::default_spinner());
        self.bar.finish_with_message(msg);
    }
}

/// The 12 hex digits Podman shows for a blob.
pub fn short_digest(digest: &str) -> &str {
    let hex = digest.split_once(':').map_or(digest, |(_, h)| h);
    &hex[..hex.len().min(12)]
}
