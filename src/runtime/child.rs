//! The container side: runs in the cloned process, from the id-map handshake to execve.
//!
//! Only this process's own memory is touched (the clone copied it), and nothing here may
//! return to the caller of `run`: every path ends in execve or `_exit`.

use std::ffi::CString;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd, RawFd};

use nix::mount::MsFlags;
use nix::unistd::ForkResult;
use rustix::fs::{Mode, OFlags};

use super::plan::{self, Kind, Op};
use super::report::Report;
use super::rootfs::{self, RootfsDriver};
use super::sys::{self, RealSys};
use super::{init, signals, tty, ContainerSpec, NetworkMode, RootfsSpec, UsernsMode};
use crate::security::{self, Prepared, ResolvedUser};

/// Default PATH for the executable lookup when the environment has none (Podman's).
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Upper bound for /etc/passwd and /etc/group of an image.
const ACCOUNT_FILE_LIMIT: u64 = 4 << 20;

/// What the child needs beyond the spec; fds are the child's ends, inherited from the parent.
pub(crate) struct Ctx<'a> {
    pub spec: &'a ContainerSpec,
    pub driver: RootfsDriver,
    pub ops: &'a [Op],
    pub prepared: &'a Prepared,
    /// The parent writes one byte once the id maps are installed.
    pub sync: RawFd,
    /// The parent's end of `sync`, inherited by clone: closed at once, or the parent's close
    /// would never read as end of file here.
    pub sync_writer: RawFd,
    /// Close-on-exec; carries a [`Report`] when anything fails.
    pub report: RawFd,
    /// With a terminal: where the pty master goes.
    pub tty_socket: Option<RawFd>,
    /// /dev/null for stdin when it is not kept open.
    pub null: Option<RawFd>,
    /// The rootfs is mounted here before pivot_root.
    pub mountpoint: &'a std::path::Path,
}

/// Entry point after clone; never returns.
pub(crate) fn main(ctx: &Ctx<'_>) -> ! {
    // SAFETY: the fd was inherited from the parent and stays open for the child's lifetime.
    let report = unsafe { BorrowedFd::borrow_raw(ctx.report) };
    // SAFETY: closing this process's copy of a descriptor nothing else here uses.
    unsafe { libc::close(ctx.sync_writer) };
    let mut byte = [0u8; 1];
    // SAFETY: plain read of one byte into a local buffer.
    let n = unsafe { libc::read(ctx.sync, byte.as_mut_ptr().cast(), 1) };
    if n != 1 {
        // The parent failed to install the maps and reports that itself.
        exit(125);
    }
    if ctx.spec.cgroup.is_some() {
        // SAFETY: unshare with a constant flag; this process is single-threaded.
        if unsafe { libc::unshare(libc::CLONE_NEWCGROUP) } != 0 {
            let err = step("creating the cgroup namespace")(io::Error::last_os_error());
            err.send(report);
            exit(125);
        }
    }
    let err = match setup_and_exec(ctx) {
        Err(r) => r,
        Ok(never) => match never {},
    };
    err.send(report);
    exit(match err {
        Report::Exec { code, .. } => i32::from(code),
        Report::Setup(_) => 125,
    })
}

fn exit(code: i32) -> ! {
    // SAFETY: _exit skips atexit handlers and stdio flushing that belong to the parent's image.
    unsafe { libc::_exit(code) }
}

/// Names the failed step in the report: "<what>: <error>".
fn step(what: &str) -> impl FnOnce(io::Error) -> Report + '_ {
    move |e| Report::Setup(format!("{what}: {}", sys::describe(&e)))
}

fn setup_and_exec(ctx: &Ctx<'_>) -> Result<std::convert::Infallible, Report> {
    let spec = ctx.spec;
    if !spec.hostname.is_empty() {
        nix::unistd::sethostname(&spec.hostname)
            .map_err(|e| step("setting the hostname")(e.into()))?;
    }
    // Nothing mounted from here on may propagate back to the host's mount namespace.
    nix::mount::mount(
        None::<&str>,
        "/",
        None::<&str>,
        MsFlags::MS_REC | MsFlags::MS_PRIVATE,
        None::<&str>,
    )
    .map_err(|e| step("making the mounts private")(e.into()))?;
    mount_rootfs(ctx)?;
    let root = rustix::fs::open(
        ctx.mountpoint,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| step("opening the mounted rootfs")(e.into()))?;
    let mut sys = RealSys::new(root.try_clone().map_err(step("duplicating an fd"))?);
    plan::apply(ctx.ops, &mut sys).map_err(Report::Setup)?;
    if spec.network.is_private() {
        sys::loopback_up().map_err(step("bringing up the loopback interface"))?;
    }
    sys::pivot_into(&root).map_err(step("pivot_root into the rootfs"))?;
    drop(root);
    drop(sys);

    if let Some(sock) = ctx.tty_socket {
        tty::child_pty(sock, spec.process.winsize).map_err(step("setting up the terminal"))?;
    } else if let Some(null) = ctx.null {
        nix::unistd::dup2(null, 0).map_err(|e| step("redirecting stdin")(e.into()))?;
    }

    let mut user = resolve_user(ctx)?;
    if let UsernsMode::Private(mapping) = &spec.userns {
        check_mapped(mapping, &user)?;
        let dropped = user.retain_mapped_gids(|g| mapping.host_gid(g).is_some());
        if !dropped.is_empty() {
            eprintln!("WARN: supplementary groups {dropped:?} are not mapped in the user namespace and are left out");
        }
    }
    let env = environment(ctx, &user);
    enter_cwd(ctx)?;
    if spec.readonly_rootfs {
        sys::set_path_read_only("/").map_err(step("making the rootfs read-only"))?;
    }
    let path_var = env
        .iter()
        .find_map(|e| e.strip_prefix("PATH="))
        .unwrap_or(DEFAULT_PATH)
        .to_owned();
    let exe = lookup(&spec.process.args[0], &path_var)?;
    let argv = cstrings(&spec.process.args)?;
    let envp = cstrings(&env)?;
    if matches!(spec.network, NetworkMode::Helper(_)) {
        let mut byte = [0u8; 1];
        // SAFETY: plain read of one byte into a local buffer.
        if unsafe { libc::read(ctx.sync, byte.as_mut_ptr().cast(), 1) } != 1 {
            // The network helper failed; the parent says why.
            exit(125);
        }
    }
    sys::cloexec_from_3().map_err(step("marking fds close-on-exec"))?;

    if spec.process.init {
        // SAFETY: this process is single-threaded (a clone of a single-threaded parent).
        match unsafe { nix::unistd::fork() } {
            Err(e) => return Err(step("starting the init's child")(e.into())),
            Ok(ForkResult::Parent { child }) => init::run(child, None),
            Ok(ForkResult::Child) => {}
        }
    }
    signals::reset_for_exec();
    security::apply(ctx.prepared, &user)
        .map_err(|e| Report::Setup(format!("applying the security settings: {e}")))?;
    let err = nix::unistd::execve(&exe, &argv, &envp).unwrap_err();
    Err(exec_failure(&spec.process.args[0], err as i32))
}

fn mount_rootfs(ctx: &Ctx<'_>) -> Result<(), Report> {
    let target = ctx.mountpoint;
    match (&ctx.spec.rootfs, ctx.driver) {
        (RootfsSpec::Dir(dir), _) => rootfs::bind_dir(dir, target)
            .map_err(step(&format!("bind-mounting the rootfs {}", dir.display()))),
        (RootfsSpec::Overlay { lower, upper, work }, RootfsDriver::Overlay) => {
            rootfs::mount_overlay(lower, upper, work, target)
                .map_err(step("mounting the overlay rootfs (driver overlay)"))
        }
        (RootfsSpec::Overlay { lower, upper, work }, RootfsDriver::Copy) => {
            super::copy::populate(lower, upper, &work.join("copied")).map_err(step(&format!(
                "copying the image layers into {}",
                upper.display()
            )))?;
            rootfs::bind_dir(upper, target)
                .map_err(step("bind-mounting the copied rootfs (driver copy)"))
        }
        (RootfsSpec::Overlay { lower, upper, work }, RootfsDriver::FuseOverlayfs) => {
            rootfs::mount_fuse_overlayfs(lower, upper, work, target)
                .map_err(step("mounting the rootfs with fuse-overlayfs"))?;
            fuse_split(ctx)
        }
    }
}

/// With fuse-overlayfs the daemon must stay outside the container's pid namespace: it was
/// started before the namespace exists; this process stays outside as a supervisor and its
/// child becomes the container's pid 1 (in a mount namespace of its own, so that
/// pivot_root does not move the daemon's root).
fn fuse_split(ctx: &Ctx<'_>) -> Result<(), Report> {
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWPID | nix::sched::CloneFlags::CLONE_NEWNS)
        .map_err(|e| step("creating the pid namespace")(e.into()))?;
    // SAFETY: single-threaded process, see above.
    match unsafe { nix::unistd::fork() } {
        Err(e) => Err(step("starting the container's pid 1")(e.into())),
        Ok(ForkResult::Child) => Ok(()),
        Ok(ForkResult::Parent { child }) => init::run(child, Some(ctx.mountpoint)),
    }
}

fn resolve_user(ctx: &Ctx<'_>) -> Result<ResolvedUser, Report> {
    let read = |path: &str| {
        sys::read_small(path, ACCOUNT_FILE_LIMIT).map_err(|e| {
            Report::Setup(format!(
                "reading {path} in the container: {}",
                sys::describe(&e)
            ))
        })
    };
    let passwd = read("/etc/passwd")?;
    let group = read("/etc/group")?;
    security::resolve_user(
        &ctx.spec.process.user,
        &ctx.spec.process.additional_groups,
        passwd.as_deref(),
        group.as_deref(),
    )
    .map_err(|e| Report::Setup(format!("resolving the user: {e}")))
}

fn check_mapped(mapping: &crate::userns::IdMapping, user: &ResolvedUser) -> Result<(), Report> {
    let unmapped = |kind: &str, id: u32, max: u32| {
        Report::Setup(format!(
            "{kind} {id} of the container user is not mapped in the user namespace (container \
             {kind}s 0-{max} are): add a subordinate range to /etc/sub{kind} or choose another \
             --user"
        ))
    };
    if mapping.host_uid(user.uid).is_none() {
        return Err(unmapped("uid", user.uid, mapping.max_uid()));
    }
    if mapping.host_gid(user.gid).is_none() {
        return Err(unmapped("gid", user.gid, mapping.max_gid()));
    }
    Ok(())
}

fn environment(ctx: &Ctx<'_>, user: &ResolvedUser) -> Vec<String> {
    let mut env = ctx.spec.process.env.clone();
    let has = |env: &[String], key: &str| {
        env.iter()
            .any(|e| e.split_once('=').is_some_and(|(k, _)| k == key))
    };
    if !has(&env, "HOME") {
        env.push(format!("HOME={}", user.home.as_deref().unwrap_or("/")));
    }
    if ctx.spec.process.terminal && !has(&env, "TERM") {
        env.push("TERM=xterm".into());
    }
    env
}

/// Creates the working directory if missing and enters it, resolved inside the rootfs
/// (no magic links: a /proc/self/fd/N path cannot lead to a leaked host directory).
fn enter_cwd(ctx: &Ctx<'_>) -> Result<(), Report> {
    let cwd = &ctx.spec.process.cwd;
    let root = rustix::fs::open(
        "/",
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| step("opening /")(e.into()))?;
    let dir: OwnedFd = sys::ensure(root.as_fd(), cwd, Kind::Dir)
        .map_err(step(&format!("creating the working directory {cwd}")))?;
    rustix::process::fchdir(&dir)
        .map_err(|e| step(&format!("entering the working directory {cwd}"))(e.into()))
}

/// Finds the executable like crun: a name without '/' is searched in PATH.
pub(super) fn lookup(name: &str, path_var: &str) -> Result<CString, Report> {
    if name.contains('/') {
        return sys::cstring(name).map_err(|e| Report::Setup(format!("the command: {e}")));
    }
    let mut denied = false;
    for dir in path_var.split(':') {
        let dir = if dir.is_empty() { "." } else { dir };
        let candidate = format!("{dir}/{name}");
        match rustix::fs::stat(candidate.as_str()) {
            Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFREG => {
                if st.st_mode & 0o111 != 0 {
                    return sys::cstring(&candidate)
                        .map_err(|e| Report::Setup(format!("the command: {e}")));
                }
                denied = true;
            }
            Ok(_) => {}
            Err(e) if e == rustix::io::Errno::ACCESS => denied = true,
            Err(_) => {}
        }
    }
    Err(if denied {
        Report::Exec {
            code: 126,
            message: format!("executable file `{name}` in $PATH cannot be run: Permission denied"),
        }
    } else {
        Report::Exec {
            code: 127,
            message: format!(
                "executable file `{name}` not found in $PATH: No such file or directory"
            ),
        }
    })
}

/// Podman's exit code and message for a failed execve.
pub(crate) fn exec_failure(name: &str, errno: i32) -> Report {
    let err = nix::errno::Errno::from_raw(errno).desc();
    match errno {
        libc::ENOENT | libc::ENOTDIR => Report::Exec {
            code: 127,
            message: format!("executable file `{name}` not found: {err}"),
        },
        _ => Report::Exec {
            code: 126,
            message: format!("executable file `{name}` cannot be run: {err}"),
        },
    }
}

fn cstrings(items: &[String]) -> Result<Vec<CString>, Report> {
    items
        .iter()
        .map(|s| sys::cstring(s).map_err(|e| Report::Setup(format!("the command: {e}"))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_reports_podman_codes() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_str().unwrap();
        std::fs::write(dir.path().join("plain"), "x").unwrap();
        std::fs::write(dir.path().join("tool"), "x").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.path().join("tool"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let path = format!("/nonexistent:{d}");
        assert_eq!(
            lookup("tool", &path).unwrap().to_str().unwrap(),
            format!("{d}/tool")
        );
        match lookup("missing", &path).unwrap_err() {
            Report::Exec { code, message } => {
                assert_eq!(code, 127);
                assert_eq!(
                    message,
                    "executable file `missing` not found in $PATH: No such file or directory"
                );
            }
            r => panic!("{r:?}"),
        }
        assert!(matches!(
            lookup("plain", &path),
            Err(Report::Exec { code: 126, .. })
        ));
        assert!(matches!(
            lookup("sub", &path),
            Err(Report::Exec { code: 127, .. })
        ));
        assert_eq!(lookup("/bin/x", &path).unwrap().to_str().unwrap(), "/bin/x");
    }

    #[test]
    fn exec_errno_codes() {
        assert!(matches!(
            exec_failure("/x", libc::ENOENT),
            Report::Exec { code: 127, .. }
        ));
        assert!(matches!(
            exec_failure("/x", libc::EACCES),
            Report::Exec { code: 126, .. }
        ));
        assert!(matches!(
            exec_failure("/x", libc::ENOEXEC),
            Report::Exec { code: 126, .. }
        ));
    }
}
