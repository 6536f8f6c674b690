//! `cp` between a container and the host, with Podman's (and `docker cp`'s) naming rules.
//!
//! The container side runs in a process rooted in the container (see [`super::inside`]); the
//! host side is this process, with the user's own permissions, extracting through
//! [`crate::layer::extract_tar`] so that names in the tar cannot leave the destination.

use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};

use super::fstar::{append_tree, TreeOptions};
use super::inside::{Access, Inside, StoredFs, NOT_FOUND};
use super::{dirs, is_alive, mapping_for, parse_config};
use crate::layer::{extract_tar, Ownership};
use crate::store::{ContainerRecord, Store};

#[derive(Debug, thiserror::Error)]
pub enum CpError {
    #[error("{path:?} could not be found on {place}: no such file or directory")]
    NotFound { path: String, place: String },
    #[error("{0}")]
    Invalid(String),
    #[error("{what} {path}: {err}")]
    Host {
        what: &'static str,
        path: String,
        err: io::Error,
    },
    #[error("copying in container {name}: {message}")]
    Inside { name: String, message: String },
    #[error(transparent)]
    Container(#[from] super::ContainerError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

pub type Result<T> = std::result::Result<T, CpError>;

fn host(what: &'static str, path: &Path) -> impl FnOnce(io::Error) -> CpError {
    let path = path.display().to_string();
    move |err| CpError::Host { what, path, err }
}

/// How to reach the container's files: its mount namespace while it runs, else its layers.
pub fn access(store: &Store, record: &ContainerRecord) -> Result<Access> {
    let paths = store.paths();
    if let Some(pid) = record.pid.filter(|_| is_alive(paths, record)) {
        return Ok(Access::Running { pid });
    }
    stored_access(store, record)
}

/// The container's layers, mounted by a helper (read-only use is fine while it runs).
fn stored_access(store: &Store, record: &ContainerRecord) -> Result<Access> {
    let paths = store.paths();
    let cfg = parse_config(record)?;
    let image = store.image(&record.image_id)?;
    let mut lower = Vec::with_capacity(image.layers.len());
    for chain in image.layers.iter().rev() {
        lower.push(store.layer_dir(chain)?.join("diff"));
    }
    let d = dirs(paths, &record.id);
    let target = d.root.join("merged");
    std::fs::create_dir_all(&target).map_err(host("creating", &target))?;
    std::fs::create_dir_all(&d.state).map_err(host("creating", &d.state))?;
    let driver = crate::runtime::driver_for(&d.state, &d.upper);
    Ok(Access::Stored {
        fs: StoredFs {
            driver: driver.name().to_string(),
            lower,
            upper: d.upper,
            work: d.work,
            target,
        },
        mapping: mapping_for(cfg.userns)?,
    })
}

/// `export`: a tar of the container's root filesystem (without the mounts of a running one).
pub fn export(store: &Store, record: &ContainerRecord, out: &mut dyn Write) -> Result<()> {
    let access = access(store, record)?;
    let op = ["get", "/", "", "export"].map(String::from);
    let mut inside = start(&access, record, &op)?;
    let copied = match inside.output.as_mut() {
        Some(o) => io::copy(o, out)
            .map(drop)
            .map_err(host("writing the tar to", Path::new("the output"))),
        None => Ok(()),
    };
    inside.wait().map_err(|m| inside_error(record, m))?;
    copied
}

/// `diff`: the container's changes to its image, as Podman's `A`/`C`/`D` lines.
pub fn changes(store: &Store, record: &ContainerRecord) -> Result<Vec<String>> {
    let access = match access(store, record)? {
        Access::Running { .. } => stored_access(store, record)?,
        a => a,
    };
    let mut inside = start(&access, record, &["diff".to_string()])?;
    let mut text = String::new();
    if let Some(o) = inside.output.as_mut() {
        o.read_to_string(&mut text)
            .map_err(host("reading the changes of", Path::new(&record.name)))?;
    }
    inside.wait().map_err(|m| inside_error(record, m))?;
    Ok(text.lines().map(String::from).collect())
}

/// A container path made absolute against the container's working directory.
pub fn container_path(record: &ContainerRecord, path: &str) -> Result<String> {
    if path.starts_with('/') {
        return Ok(path.to_string());
    }
    let cfg = parse_config(record)?;
    Ok(format!("{}/{path}", cfg.workdir.trim_end_matches('/')))
}

/// `path/.` asks for a directory's contents rather than the directory.
fn wants_contents(path: &str) -> bool {
    path == "." || path.ends_with("/.")
}

fn base_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| ".".into())
}

fn inside_error(record: &ContainerRecord, message: String) -> CpError {
    match message.strip_prefix(NOT_FOUND) {
        Some(path) => CpError::NotFound {
            path: path.to_string(),
            place: format!("container {}", record.name),
        },
        None => CpError::Inside {
            name: record.name.clone(),
            message,
        },
    }
}

fn start(access: &Access, record: &ContainerRecord, op: &[String]) -> Result<Inside> {
    Inside::start(access, op).map_err(|e| CpError::Inside {
        name: record.name.clone(),
        message: e.to_string(),
    })
}

/// Copies `src` (absolute, in the container) to the host path `dest`, or as a tar to `out`
/// when `dest` is `-`.
pub fn copy_from(
    store: &Store,
    record: &ContainerRecord,
    src: &str,
    dest: &str,
    out: &mut dyn Write,
) -> Result<()> {
    let contents = wants_contents(src) || src == "/";
    let (into, name) = if dest == "-" {
        (None, base_name(src))
    } else {
        let (into, name) = host_destination(Path::new(dest), src, contents)?;
        (Some(into), name)
    };
    // The whole root of a running container would include /proc and /sys: its own
    // filesystem only, as `export` does.
    let mode = match (src == "/", contents) {
        (true, _) => "export",
        (false, true) => "contents",
        (false, false) => "follow",
    };
    let access = access(store, record)?;
    let op = ["get", src, &name, mode].map(String::from);
    let mut inside = start(&access, record, &op)?;
    let mut output = inside.output.take();
    let copied = match (&into, output.as_mut()) {
        (None, Some(o)) => io::copy(o, out)
            .map(drop)
            .map_err(host("writing the tar to", Path::new("stdout"))),
        (Some(dir), Some(o)) => extract_on_host(o, dir),
        _ => Ok(()),
    };
    drop(output);
    // The container side's error (a missing path) explains a failed copy best.
    inside.wait().map_err(|m| inside_error(record, m))?;
    copied
}

/// Where a copy from the container lands on the host: the directory to extract into and the
/// top-level name of the tar.
fn host_destination(dest: &Path, src: &str, contents: bool) -> Result<(PathBuf, String)> {
    match std::fs::metadata(dest) {
        Ok(m) if m.is_dir() => Ok((
            dest.to_path_buf(),
            if contents {
                String::new()
            } else {
                base_name(src)
            },
        )),
        Ok(_) if contents => Err(CpError::Invalid(format!(
            "cannot copy a directory onto the file {}",
            dest.display()
        ))),
        Ok(_) => Ok((parent_of(dest), base_name(&dest.to_string_lossy()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let parent = parent_of(dest);
            if !parent.is_dir() {
                return Err(CpError::NotFound {
                    path: parent.display().to_string(),
                    place: "the host".into(),
                });
            }
            if contents {
                std::fs::create_dir(dest).map_err(host("creating", dest))?;
                return Ok((dest.to_path_buf(), String::new()));
            }
            Ok((parent, base_name(&dest.to_string_lossy())))
        }
        Err(e) => Err(host("reading", dest)(e)),
    }
}

fn parent_of(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if d.as_os_str().is_empty() => PathBuf::from("."),
        Some(d) => d.to_path_buf(),
        None => PathBuf::from("/"),
    }
}

fn extract_on_host(tar: &mut dyn Read, dir: &Path) -> Result<()> {
    let fd = rustix::fs::open(
        dir,
        rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )
    .map_err(|e| host("opening", dir)(e.into()))?;
    let stats = extract_tar(tar, fd.as_fd(), Ownership::Ignore).map_err(|e| CpError::Host {
        what: "copying into",
        path: dir.display().to_string(),
        err: io::Error::other(e.to_string()),
    })?;
    for w in stats.warnings {
        eprintln!("WARN: {w}");
    }
    Ok(())
}

/// Copies the host path `src` (or a tar from `input` when `src` is `-`) to `dest` (absolute,
/// in the container). `archive`: files belong to the container's root rather than keeping
/// the owners recorded in the tar.
pub fn copy_to(
    store: &Store,
    record: &ContainerRecord,
    src: &str,
    dest: &str,
    archive: bool,
    input: &mut dyn Read,
) -> Result<()> {
    let src_meta = if src == "-" {
        None
    } else {
        match std::fs::metadata(src) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(CpError::NotFound {
                    path: src.to_string(),
                    place: "the host".into(),
                })
            }
            Err(e) => return Err(host("reading", Path::new(src))(e)),
        }
    };
    let access = access(store, record)?;
    let ownership = if archive { "ignore" } else { "preserve" };
    let op = ["put", dest, ownership].map(String::from);
    let mut inside = start(&access, record, &op)?;
    let result = send(&mut inside, src, src_meta.as_ref(), dest, input);
    let waited = inside.wait().map_err(|m| inside_error(record, m));
    result?;
    waited
}

fn send(
    inside: &mut Inside,
    src: &str,
    src_meta: Option<&std::fs::Metadata>,
    dest: &str,
    input: &mut dyn Read,
) -> Result<()> {
    let lost = |e: io::Error| CpError::Host {
        what: "sending the files to",
        path: dest.to_string(),
        err: e,
    };
    let kind = match inside.output.as_mut() {
        Some(o) => read_line(o).map_err(lost)?,
        // The container side failed before answering: its wait() says why.
        None => return Ok(()),
    };
    if kind.is_empty() {
        return Ok(());
    }
    let plan = match src_meta {
        None if kind == "dir" => Ok(("dest", None)),
        None => Err(CpError::Invalid(format!(
            "destination {dest:?} must be a directory when copying a tar from stdin"
        ))),
        Some(m) if m.is_dir() => match kind.as_str() {
            "dir" if wants_contents(src) => Ok(("dest", Some(String::new()))),
            "dir" => Ok(("dest", Some(base_name(src)))),
            "missing" => Ok(("parent", Some(base_name(dest)))),
            _ => Err(CpError::Invalid(format!(
                "cannot copy the directory {src} onto the file {dest}"
            ))),
        },
        Some(_) => match kind.as_str() {
            "dir" => Ok(("dest", Some(base_name(src)))),
            _ if dest.ends_with('/') => Err(CpError::NotFound {
                path: dest.to_string(),
                place: "the container".into(),
            }),
            _ => Ok(("parent", Some(base_name(dest)))),
        },
    };
    let Some(pipe) = inside.input.as_mut() else {
        return Ok(());
    };
    let (into, name) = match plan {
        Ok(p) => p,
        Err(e) => {
            let _ = pipe.write_all(b"abort\n");
            return Err(e);
        }
    };
    pipe.write_all(format!("{into}\n").as_bytes())
        .map_err(lost)?;
    match name {
        None => {
            io::copy(input, pipe).map_err(lost)?;
        }
        Some(name) => {
            let mut b = tar::Builder::new(io::BufWriter::with_capacity(256 * 1024, pipe));
            b.follow_symlinks(false);
            let opts = TreeOptions {
                follow_top: true,
                one_file_system: false,
            };
            append_tree(&mut b, Path::new(src), &name, opts).map_err(lost)?;
            b.into_inner().and_then(|mut w| w.flush()).map_err(lost)?;
        }
    }
    Ok(())
}

/// One line, read a byte at a time so nothing after it is consumed.
fn read_line(r: &mut dyn Read) -> io::Result<String> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while r.read(&mut byte)? == 1 && byte[0] != b'\n' {
        line.push(byte[0]);
    }
    Ok(String::from_utf8_lossy(&line).trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_contents() {
        assert!(wants_contents("/etc/."));
        assert!(!wants_contents("/etc"));
        assert_eq!(base_name("/etc/passwd"), "passwd");
        assert_eq!(base_name("/etc/"), "etc");
        assert_eq!(base_name("/"), ".");
    }

    #[test]
    fn host_destination_follows_docker_rules() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert_eq!(
            host_destination(d, "/etc/passwd", false).unwrap(),
            (d.to_path_buf(), "passwd".to_string())
        );
        assert_eq!(
            host_destination(&d.join("new"), "/etc/passwd", false).unwrap(),
            (d.to_path_buf(), "new".to_string())
        );
        let err = host_destination(&d.join("no/new"), "/etc/passwd", false).unwrap_err();
        assert!(matches!(err, CpError::NotFound { .. }), "{err}");
        let (into, name) = host_destination(&d.join("c"), "/etc/.", true).unwrap();
        assert_eq!((into, name), (d.join("c"), String::new()));
        assert!(d.join("c").is_dir());
    }
}
