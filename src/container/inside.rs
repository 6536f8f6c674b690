//! Work on a container's filesystem from a process whose root *is* that filesystem.
//!
//! Every container path is resolved after `chroot` into the container's rootfs, so no symlink
//! or `..` in the container can reach a host file. A running container's mount namespace is
//! joined through /proc/<pid>/ns (its user namespace first, as `exec` does) by a forked child;
//! a stopped container's rootfs is mounted by a userns helper in a mount namespace of its own,
//! from the image layers and the container's upper dir, and disappears with that namespace.
//!
//! Both sides talk over stdin/stdout: `get` writes a tar, `put` answers what the destination
//! is, reads where to extract and then the tar.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufRead, Read, Write};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde::{Deserialize, Serialize};

use super::fstar::{append_tree, TreeOptions};
use crate::layer::{extract_tar, Ownership};
use crate::runtime::RootfsDriver;
use crate::userns::{spawn_helper, HelperChild, IdMapping};

/// First line of a helper error that means "this path does not exist in the container".
pub const NOT_FOUND: &str = "not-found: ";

/// A stopped container's rootfs, as the helper mounts it.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredFs {
    pub driver: String,
    /// Topmost first.
    pub lower: Vec<PathBuf>,
    pub upper: PathBuf,
    pub work: PathBuf,
    /// An empty directory to mount on (only inside the helper's mount namespace).
    pub target: PathBuf,
}

/// How to reach a container's filesystem.
pub enum Access {
    Running { pid: u32 },
    Stored { fs: StoredFs, mapping: IdMapping },
}

enum Proc {
    Helper(HelperChild),
    Forked { pid: nix::unistd::Pid, stderr: File },
}

/// A process working inside a container's rootfs.
pub struct Inside {
    proc: Proc,
    pub input: Option<Box<dyn Write>>,
    pub output: Option<Box<dyn Read>>,
}

impl Inside {
    /// Starts `op` (`get ...` or `put ...`) inside the container.
    pub fn start(access: &Access, op: &[String]) -> io::Result<Inside> {
        match access {
            Access::Stored { fs, mapping } => {
                let json = serde_json::to_string(fs).map_err(io::Error::other)?;
                let mut args: Vec<&OsStr> = vec![OsStr::new("cp"), OsStr::new(&json)];
                args.extend(op.iter().map(OsStr::new));
                let mut child = spawn_helper(mapping, &args, Stdio::piped(), Stdio::piped())
                    .map_err(io::Error::other)?;
                let input = child.take_stdin().map(|s| Box::new(s) as Box<dyn Write>);
                let output = child.take_stdout().map(|s| Box::new(s) as Box<dyn Read>);
                Ok(Inside {
                    proc: Proc::Helper(child),
                    input,
                    output,
                })
            }
            Access::Running { pid } => fork_into(*pid, op),
        }
    }

    /// Waits for the process; its error message on failure.
    pub fn wait(mut self) -> Result<(), String> {
        drop(self.input.take());
        if let Some(mut o) = self.output.take() {
            let _ = io::copy(&mut o, &mut io::sink());
        }
        let (ok, stderr) = match self.proc {
            Proc::Helper(h) => match h.wait() {
                Ok(out) => (out.status.success(), out.stderr),
                Err(e) => return Err(e.to_string()),
            },
            Proc::Forked { pid, mut stderr } => {
                let mut text = String::new();
                let _ = stderr.read_to_string(&mut text);
                let status = nix::sys::wait::waitpid(pid, None).map_err(|e| e.to_string())?;
                (
                    matches!(status, nix::sys::wait::WaitStatus::Exited(_, 0)),
                    text,
                )
            }
        };
        if ok {
            return Ok(());
        }
        let msg: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with("warning: "))
            .map(|l| l.strip_prefix("lodger: ").unwrap_or(l))
            .collect();
        if msg.is_empty() {
            return Err("the process working in the container failed".into());
        }
        Err(msg.join("; "))
    }
}

fn cloexec_pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(io::Error::from)
}

/// Forks a child that joins the running container's user and mount namespaces and its root.
///
/// The caller must be single-threaded (the CLI is, for `cp`): the child runs Rust code.
fn fork_into(pid: u32, op: &[String]) -> io::Result<Inside> {
    let userns = File::open(format!("/proc/{pid}/ns/user"))?;
    let mntns = File::open(format!("/proc/{pid}/ns/mnt"))?;
    let root = File::open(format!("/proc/{pid}/root"))?;
    let own_userns = std::fs::metadata("/proc/self/ns/user")?;
    let same_userns = {
        use std::os::unix::fs::MetadataExt;
        let m = userns.metadata()?;
        m.ino() == own_userns.ino() && m.dev() == own_userns.dev()
    };
    let (in_r, in_w) = cloexec_pipe()?;
    let (out_r, out_w) = cloexec_pipe()?;
    let (err_r, err_w) = cloexec_pipe()?;
    // SAFETY: the caller is single-threaded; the child never returns into the caller's frames.
    match unsafe { nix::unistd::fork() }.map_err(io::Error::from)? {
        nix::unistd::ForkResult::Child => {
            let code = (|| -> Result<(), String> {
                for (from, to) in [(&in_r, 0), (&out_w, 1), (&err_w, 2)] {
                    // SAFETY: dup2 on fds this process owns.
                    if unsafe { libc::dup2(from.as_raw_fd(), to) } == -1 {
                        return Err(format!("dup2: {}", io::Error::last_os_error()));
                    }
                }
                if !same_userns {
                    nix::sched::setns(userns.as_fd(), nix::sched::CloneFlags::CLONE_NEWUSER)
                        .map_err(|e| format!("joining the container's user namespace: {e}"))?;
                }
                nix::sched::setns(mntns.as_fd(), nix::sched::CloneFlags::CLONE_NEWNS)
                    .map_err(|e| format!("joining the container's mount namespace: {e}"))?;
                enter_root(&root)?;
                run_op(op)
            })();
            let code = match code {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("lodger: {e}");
                    125
                }
            };
            // SAFETY: ends the forked child without running the parent's destructors.
            unsafe { libc::_exit(code) }
        }
        nix::unistd::ForkResult::Parent { child } => {
            drop((in_r, out_w, err_w));
            Ok(Inside {
                proc: Proc::Forked {
                    pid: child,
                    stderr: File::from(err_r),
                },
                input: Some(Box::new(File::from(in_w))),
                output: Some(Box::new(File::from(out_r))),
            })
        }
    }
}

fn enter_root(root: &File) -> Result<(), String> {
    nix::unistd::fchdir(root.as_raw_fd()).map_err(|e| format!("entering the rootfs: {e}"))?;
    nix::unistd::chroot(".").map_err(|e| format!("chroot into the rootfs: {e}"))?;
    nix::unistd::chdir("/").map_err(|e| format!("chdir /: {e}"))?;
    // Modes come from the copied files, not from the caller's umask.
    rustix::process::umask(rustix::fs::Mode::empty());
    Ok(())
}

/// `lodger __userns-helper cp <stored-fs-json> <op...>`: mounts the stopped container's
/// rootfs in a mount namespace of its own, enters it and runs the operation.
pub fn helper_main(args: &[String]) -> i32 {
    let result = (|| -> Result<(), String> {
        let (json, op) = args.split_first().ok_or("cp <stored-fs-json> <op...>")?;
        let fs: StoredFs =
            serde_json::from_str(json).map_err(|e| format!("bad rootfs description: {e}"))?;
        if op.first().map(String::as_str) == Some("diff") {
            return diff(&fs);
        }
        mount_stored(&fs)?;
        let root =
            File::open(&fs.target).map_err(|e| format!("opening {}: {e}", fs.target.display()))?;
        enter_root(&root)?;
        drop(root);
        run_op(op)
    })();
    let _ = io::stdout().flush();
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("lodger: {e}");
            125
        }
    }
}

fn mount_stored(fs: &StoredFs) -> Result<(), String> {
    use nix::mount::MsFlags;
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNS)
        .map_err(|e| format!("creating a mount namespace: {e}"))?;
    nix::mount::mount(
        None::<&str>,
        "/",
        None::<&str>,
        MsFlags::MS_REC | MsFlags::MS_PRIVATE,
        None::<&str>,
    )
    .map_err(|e| format!("making the mounts private: {e}"))?;
    let driver = RootfsDriver::from_name(&fs.driver)
        .ok_or_else(|| format!("unknown rootfs driver {:?}", fs.driver))?;
    let step = |what: &str| {
        let what = what.to_string();
        move |e: io::Error| format!("{what}: {e}")
    };
    match driver {
        RootfsDriver::Overlay => {
            crate::runtime::mount_overlay(&fs.lower, &fs.upper, &fs.work, &fs.target)
                .map_err(step("mounting the container's rootfs (overlay)"))
        }
        RootfsDriver::FuseOverlayfs => {
            crate::runtime::mount_fuse_overlayfs(&fs.lower, &fs.upper, &fs.work, &fs.target)
                .map_err(step("mounting the container's rootfs (fuse-overlayfs)"))
        }
        RootfsDriver::Copy => {
            crate::runtime::populate(&fs.lower, &fs.upper, &fs.work.join("copied"))
                .map_err(step("copying the image into the container"))?;
            nix::mount::mount(
                Some(&fs.upper),
                &fs.target,
                None::<&str>,
                MsFlags::MS_BIND | MsFlags::MS_REC,
                None::<&str>,
            )
            .map_err(|e| format!("bind-mounting the container's rootfs: {e}"))
        }
    }
}

/// stdin and stdout without Rust's global locks: a forked child may inherit them locked.
fn raw_stdin() -> std::mem::ManuallyDrop<File> {
    // SAFETY: fd 0 stays open for the life of the process; ManuallyDrop never closes it.
    std::mem::ManuallyDrop::new(unsafe { File::from_raw_fd(0) })
}

fn raw_stdout() -> std::mem::ManuallyDrop<File> {
    // SAFETY: as for raw_stdin.
    std::mem::ManuallyDrop::new(unsafe { File::from_raw_fd(1) })
}

fn run_op(op: &[String]) -> Result<(), String> {
    match op {
        [verb, path, name, mode] if verb == "get" => get(path, name, mode),
        [verb, path, ownership] if verb == "put" => put(path, ownership),
        _ => Err(format!("unknown operation {op:?}")),
    }
}

/// `get <path> <name> <follow|contents|export>`: a tar of `path` on stdout, named `name`.
fn get(path: &str, name: &str, mode: &str) -> Result<(), String> {
    let p = Path::new(path);
    if let Err(e) = std::fs::metadata(p) {
        if e.kind() == io::ErrorKind::NotFound {
            return Err(format!("{NOT_FOUND}{path}"));
        }
        return Err(format!("{path}: {e}"));
    }
    let opts = TreeOptions {
        follow_top: true,
        one_file_system: mode == "export",
    };
    let name = if mode == "follow" { name } else { "" };
    let stdout = raw_stdout();
    let out = io::BufWriter::with_capacity(256 * 1024, &*stdout);
    let mut b = tar::Builder::new(out);
    b.follow_symlinks(false);
    append_tree(&mut b, p, name, opts).map_err(|e| format!("reading {path}: {e}"))?;
    b.into_inner()
        .and_then(|mut o| o.flush())
        .map_err(|e| format!("writing the tar: {e}"))
}

/// What `put` found at the destination, told to the caller before it sends the tar.
fn classify(path: &Path) -> Result<&'static str, String> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Ok("dir"),
        Ok(_) => Ok("file"),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let parent = path.parent().unwrap_or(Path::new("/"));
            match std::fs::metadata(parent) {
                Ok(m) if m.is_dir() => Ok("missing"),
                _ => Err(format!("{NOT_FOUND}{}", parent.display())),
            }
        }
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// `put <path> <preserve|ignore>`: says `dir`, `file` or `missing` on stdout, reads `dest` or
/// `parent` (where to extract) or `abort` from stdin, then extracts the tar that follows.
fn put(path: &str, ownership: &str) -> Result<(), String> {
    let p = Path::new(path);
    let kind = classify(p)?;
    writeln!(&*raw_stdout(), "{kind}").map_err(|e| e.to_string())?;
    let stdin = raw_stdin();
    let mut input = io::BufReader::new(&*stdin);
    let mut line = String::new();
    input.read_line(&mut line).map_err(|e| e.to_string())?;
    let dir = match line.trim() {
        "dest" => p,
        "parent" => p.parent().unwrap_or(Path::new("/")),
        _ => return Ok(()),
    };
    let fd = rustix::fs::open(
        dir,
        rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )
    .map_err(|e| format!("opening {}: {}", dir.display(), io::Error::from(e)))?;
    let ownership = if ownership == "preserve" {
        Ownership::Preserve
    } else {
        Ownership::Ignore
    };
    let stats = extract_tar(&mut input, fd.as_fd(), ownership).map_err(|e| e.to_string())?;
    for w in stats.warnings {
        eprintln!("warning: {}", w.replace('\n', "\\n"));
    }
    Ok(())
}

/// `diff`: Podman's change list (`A`/`C`/`D` and the path, one a line) of the upper dir
/// against the image layers, read without mounting anything.
fn diff(fs: &StoredFs) -> Result<(), String> {
    let mut lines = Vec::new();
    diff_dir(fs, Path::new(""), &mut lines).map_err(|e| format!("reading the changes: {e}"))?;
    let stdout = raw_stdout();
    let mut out = io::BufWriter::new(&*stdout);
    for l in lines {
        writeln!(out, "{l}").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

fn diff_dir(fs: &StoredFs, rel: &Path, lines: &mut Vec<String>) -> io::Result<()> {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let mut names: Vec<_> = std::fs::read_dir(fs.upper.join(rel))?
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    names.sort();
    for name in names {
        let p = rel.join(&name);
        let meta = std::fs::symlink_metadata(fs.upper.join(&p))?;
        let shown = format!("/{}", p.display());
        let in_lower = fs
            .lower
            .iter()
            .any(|l| std::fs::symlink_metadata(l.join(&p)).is_ok());
        if meta.file_type().is_char_device() && meta.rdev() == 0 {
            if in_lower {
                lines.push(format!("D {shown}"));
            }
            continue;
        }
        lines.push(format!("{} {shown}", if in_lower { "C" } else { "A" }));
        if meta.is_dir() {
            diff_dir(fs, &p, lines)?;
        }
    }
    Ok(())
}
