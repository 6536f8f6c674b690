//! The operations run in the userns helper, and the caller-side functions that start them.

use std::ffi::OsStr;
use std::io::{self, BufReader, Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Stdio;

use rustix::fs::{Mode, OFlags};
use sha2::{Digest, Sha256};

use super::extract::{extract_tar, Ownership};
use super::remove::remove_tree_at;
use super::{Compression, LayerError};
use crate::userns::{spawn_helper, HelperOutput, IdMapping};

/// Prefix of the helper's warning lines on stderr.
const WARNING: &str = "warning: ";

/// Result of [`extract_layer`].
#[derive(Debug)]
pub struct Extracted {
    /// `sha256:<hex>` of the uncompressed tar stream.
    pub diff_id: String,
    /// Length of the uncompressed tar stream in bytes.
    pub size: u64,
    /// Entries that were skipped or partly applied, one sentence each, for the user.
    pub warnings: Vec<String>,
}

/// Extracts a layer blob into `dest` (an existing empty directory of the user) inside a user
/// namespace mapped by `mapping`, and returns its diff_id.
///
/// `blob` is copied into the helper from the calling thread; a read error from it is returned
/// as [`LayerError::Source`] (wrap the reader to verify the compressed digest). On error
/// `dest` holds garbage that the caller removes with [`remove_trees`]. The content is synced
/// to disk before this returns. Safe to call from several threads at once.
pub fn extract_layer(
    mapping: &IdMapping,
    blob: &mut dyn Read,
    compression: impl Into<Compression>,
    dest: &Path,
) -> Result<Extracted, LayerError> {
    let compression: Compression = compression.into();
    let args = [
        OsStr::new("extract"),
        dest.as_os_str(),
        OsStr::new(compression.as_str()),
    ];
    let mut helper = spawn_helper(mapping, &args, Stdio::piped(), Stdio::piped())?;
    let mut stdin = helper.take_stdin();
    let mut stdout = helper.take_stdout();
    let mut buf = vec![0u8; 128 * 1024];
    loop {
        let n = match blob.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                helper.kill();
                let _ = helper.wait();
                return Err(LayerError::Source(e));
            }
        };
        let Some(pipe) = stdin.as_mut() else { break };
        // The helper stops reading when it fails; its exit status and stderr tell why.
        if pipe.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    drop(stdin);
    let mut out = String::new();
    if let Some(s) = stdout.as_mut() {
        let _ = s.read_to_string(&mut out);
    }
    let result = helper.wait()?;
    let object = dest.display().to_string();
    let warnings = check(result, "extracting into", object.clone())?;
    let mut lines = out.lines();
    let diff_id = lines.next().unwrap_or_default();
    let size = lines.next().and_then(|l| l.trim().parse::<u64>().ok());
    let valid = diff_id
        .strip_prefix("sha256:")
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()));
    let (true, Some(size)) = (valid, size) else {
        return Err(LayerError::Helper {
            op: "extracting into",
            object,
            status: "no diff_id".into(),
            stderr: format!("unexpected output {out:?}"),
        });
    };
    Ok(Extracted {
        diff_id: diff_id.to_owned(),
        size,
        warnings,
    })
}

/// Removes each tree in `paths` (recursively, whatever its owners and modes) inside a user
/// namespace mapped by `mapping`. Missing paths are fine.
pub fn remove_trees(mapping: &IdMapping, paths: &[&Path]) -> Result<(), LayerError> {
    if paths.is_empty() {
        return Ok(());
    }
    let mut args: Vec<&OsStr> = vec![OsStr::new("rm")];
    args.extend(paths.iter().map(|p| p.as_os_str()));
    let helper = spawn_helper(mapping, &args, Stdio::null(), Stdio::null())?;
    let result = helper.wait()?;
    let object = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" ");
    check(result, "removing", object).map(drop)
}

/// Writes an uncompressed tar of the tree `dir` to `out`, with ownership as seen inside the
/// namespace and overlay whiteouts turned back into `.wh.` entries.
pub fn export_tree(mapping: &IdMapping, dir: &Path, out: &mut dyn Write) -> Result<(), LayerError> {
    let args = [OsStr::new("tar"), dir.as_os_str()];
    let mut helper = spawn_helper(mapping, &args, Stdio::null(), Stdio::piped())?;
    let copied = match helper.take_stdout() {
        Some(mut s) => io::copy(&mut s, out).map(drop),
        None => Ok(()),
    };
    if let Err(e) = copied {
        helper.kill();
        let _ = helper.wait();
        return Err(LayerError::Sink(e));
    }
    let result = helper.wait()?;
    check(result, "exporting", dir.display().to_string()).map(drop)
}

/// Turns a helper's exit into the warnings it printed, or into an error.
fn check(out: HelperOutput, op: &'static str, object: String) -> Result<Vec<String>, LayerError> {
    let (warnings, errors): (Vec<&str>, Vec<&str>) = out
        .stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .partition(|l| l.starts_with(WARNING));
    if !out.status.success() {
        let mut stderr = errors
            .iter()
            .map(|l| l.strip_prefix("lodger: ").unwrap_or(l))
            .collect::<Vec<_>>()
            .join("; ");
        if stderr.is_empty() {
            stderr = format!("the user namespace helper ended with {}", out.status);
        }
        return Err(LayerError::Helper {
            op,
            object,
            status: out.status.to_string(),
            stderr,
        });
    }
    Ok(warnings
        .into_iter()
        .map(|l| l[WARNING.len()..].to_owned())
        .collect())
}

/// Hashes and counts bytes on their way to the tar reader.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
    bytes: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

fn open_dir(path: &Path) -> Result<OwnedFd, LayerError> {
    rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| LayerError::Open {
        path: path.display().to_string(),
        source: e.into(),
    })
}

/// `extract <dest-dir> <gzip|zstd|none>`: stdin is the blob; stdout gets the diff_id and
/// the uncompressed size on two lines.
pub(crate) fn helper_extract(args: &[String]) -> Result<(), LayerError> {
    let [dest, compression] = args else {
        return Err(LayerError::Usage(
            "extract <dest-dir> <gzip|zstd|none>".into(),
        ));
    };
    let compression = Compression::parse(compression)
        .ok_or_else(|| LayerError::Usage(format!("unknown compression {compression:?}")))?;
    let root = open_dir(Path::new(dest))?;
    let stdin = BufReader::with_capacity(256 * 1024, io::stdin().lock());
    let decoded: Box<dyn Read> = match compression {
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(stdin)),
        Compression::Zstd => {
            Box::new(zstd::stream::read::Decoder::with_buffer(stdin).map_err(LayerError::Tar)?)
        }
        Compression::None => Box::new(stdin),
    };
    let mut tar = Hashing {
        inner: decoded,
        hash: Sha256::new(),
        bytes: 0,
    };
    let stats = extract_tar(&mut tar, root.as_fd(), Ownership::Preserve)?;
    // The diff_id covers the whole stream, including padding after the end marker.
    io::copy(&mut tar, &mut io::sink()).map_err(LayerError::Tar)?;
    rustix::fs::syncfs(&root).map_err(|e| LayerError::Open {
        path: dest.clone(),
        source: e.into(),
    })?;
    let mut err = io::stderr().lock();
    for w in &stats.warnings {
        // One warning per line: the parent splits stderr on newlines.
        let _ = writeln!(err, "{WARNING}{}", w.replace('\n', "\\n"));
    }
    let digest = hex::encode(tar.hash.finalize());
    let mut out = io::stdout().lock();
    writeln!(out, "sha256:{digest}\n{}", tar.bytes)
        .and_then(|()| out.flush())
        .map_err(LayerError::HelperIo)
}

/// `rm <path>...`: removes trees; missing paths are fine.
pub(crate) fn helper_rm(args: &[String]) -> Result<(), LayerError> {
    for path in args {
        let p = Path::new(path);
        let (Some(parent), Some(name)) = (p.parent(), p.file_name()) else {
            return Err(LayerError::Usage(format!("refusing to remove {path:?}")));
        };
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        let pfd = match rustix::fs::open(
            parent,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        ) {
            Ok(fd) => fd,
            Err(rustix::io::Errno::NOENT) => continue,
            Err(e) => {
                return Err(LayerError::Remove {
                    path: path.clone(),
                    source: e.into(),
                })
            }
        };
        remove_tree_at(pfd.as_fd(), name.as_bytes()).map_err(|source| LayerError::Remove {
            path: path.clone(),
            source,
        })?;
    }
    Ok(())
}

/// `tar <dir>`: writes the tree as an uncompressed tar to stdout.
pub(crate) fn helper_tar(args: &[String]) -> Result<(), LayerError> {
    let [dir] = args else {
        return Err(LayerError::Usage("tar <dir>".into()));
    };
    let root = open_dir(Path::new(dir))?;
    let out = io::BufWriter::with_capacity(256 * 1024, io::stdout().lock());
    super::export::write_tar(root.as_fd(), out).map_err(|source| LayerError::Export {
        path: dir.clone(),
        source,
    })
}
