//! `exec`: a new process in a running container. It joins the container's namespaces through
//! /proc/<pid>/ns (user first, so that it may join the others), enters its root, and gets
//! the same capabilities, seccomp filter and no_new_privs as the container's process.
//!
//! The CLI becomes a child subreaper and forks; that child joins the namespaces and forks the
//! process that runs in the pid namespace, tells its pid and exits, so the CLI reaps the
//! command directly and relays signals and the terminal as `run` does.
//!
//! A detached command (`exec -d`) is not adopted: when the joining child exits it goes to
//! init (or the closest subreaper above lodger), which reaps it, and the CLI returns as soon
//! as the command has been executed.

use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd, RawFd};

use nix::sys::signalfd::{SfdFlags, SignalFd};
use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, Pid};

use super::parent::{pipe, socketpair, wait_loop, MaskGuard};
use super::report::Report;
use super::signals::{exit_code, handled_set};
use super::{sys, tty, ExecSpec, RuntimeError};
use crate::security::{self, Prepared};

/// Namespaces in the order they are joined.
const NAMESPACES: [(&str, libc::c_int); 7] = [
    ("user", libc::CLONE_NEWUSER),
    ("mnt", libc::CLONE_NEWNS),
    ("pid", libc::CLONE_NEWPID),
    ("uts", libc::CLONE_NEWUTS),
    ("ipc", libc::CLONE_NEWIPC),
    ("net", libc::CLONE_NEWNET),
    ("cgroup", libc::CLONE_NEWCGROUP),
];

fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// The container's namespaces that differ from ours, opened before anything is joined.
fn open_namespaces(pid: u32) -> Result<Vec<(OwnedFd, libc::c_int)>, RuntimeError> {
    let mut out = Vec::new();
    for (name, flag) in NAMESPACES {
        let theirs = format!("/proc/{pid}/ns/{name}");
        let file = std::fs::File::open(&theirs).map_err(RuntimeError::host(
            "opening the container's namespaces (is it still running?)",
        ))?;
        let same = match (
            file.metadata(),
            std::fs::metadata(format!("/proc/self/ns/{name}")),
        ) {
            (Ok(a), Ok(b)) => same_file(&a, &b),
            _ => false,
        };
        if !same {
            out.push((OwnedFd::from(file), flag));
        }
    }
    Ok(out)
}

pub(crate) fn exec(spec: &ExecSpec) -> Result<i32, RuntimeError> {
    let namespaces = open_namespaces(spec.pid)?;
    let root = std::fs::File::open(format!("/proc/{}/root", spec.pid))
        .map(OwnedFd::from)
        .map_err(RuntimeError::host("opening the container's root"))?;
    let mut prepared = security::prepare(&spec.security)?;
    if spec.privileged {
        prepared.grant_all_capabilities();
    }
    let cgroup_procs = spec.cgroup.as_deref().map(open_cgroup).transpose()?;
    let argv = cstrings(&spec.args)?;
    let envp = cstrings(&spec.env)?;
    let (pid_r, pid_w) = pipe()?;
    let (report_r, report_w) = pipe()?;
    let tty_pair = if spec.terminal {
        Some(socketpair()?)
    } else {
        None
    };
    let set = handled_set();
    let _mask = MaskGuard::block(&set)?;
    let mut sigfd = SignalFd::with_flags(&set, SfdFlags::SFD_CLOEXEC | SfdFlags::SFD_NONBLOCK)
        .map_err(|e| RuntimeError::Host {
            step: "creating a signalfd",
            source: e.into(),
        })?;
    // The command is the grandchild: as a subreaper we inherit it when its parent exits.
    if !spec.detach {
        // SAFETY: prctl with integer arguments.
        unsafe {
            libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        }
    }
    let joiner = Joiner {
        spec,
        namespaces: &namespaces,
        root: root.as_raw_fd(),
        prepared: &prepared,
        argv: &argv,
        envp: &envp,
        pid_w: pid_w.as_raw_fd(),
        report: report_w.as_raw_fd(),
        tty_socket: tty_pair.as_ref().map(|(_, c)| c.as_raw_fd()),
        cgroup_procs: cgroup_procs.as_ref().map(|f| f.as_raw_fd()),
    };
    // SAFETY: the caller is single-threaded (documented on `runtime::exec`); the child never
    // returns into the caller's frames.
    let first = match unsafe { nix::unistd::fork() } {
        Err(e) => return Err(RuntimeError::Clone(e.desc().to_string())),
        Ok(ForkResult::Child) => joiner.run(),
        Ok(ForkResult::Parent { child }) => child,
    };
    drop((pid_w, report_w, namespaces, root, cgroup_procs));
    let tty_parent = tty_pair.map(|(p, _c)| p);
    let mut buf = [0u8; 4];
    let got = io::Read::read_exact(&mut std::fs::File::from(pid_r), &mut buf);
    let first_status = waitpid(first, None).map_err(|e| RuntimeError::Wait(e.into()))?;
    if got.is_err() {
        // The joiner failed before forking: its report says why.
        let mut report = Vec::new();
        let _ = io::Read::read_to_end(&mut std::fs::File::from(report_r), &mut report);
        return match Report::decode(&report) {
            Some(Report::Setup(m)) => Err(RuntimeError::Container(m)),
            Some(Report::Exec { code, message }) => Err(RuntimeError::Exec { code, message }),
            None => Err(RuntimeError::ChildDied(format!("{first_status:?}"))),
        };
    }
    if spec.detach {
        // The report pipe closes when the command is executed, or says why it was not.
        let mut report = Vec::new();
        let _ = io::Read::read_to_end(&mut std::fs::File::from(report_r), &mut report);
        return match Report::decode(&report) {
            None => Ok(0),
            Some(Report::Exec { code, message }) => Err(RuntimeError::Exec { code, message }),
            Some(Report::Setup(message)) => Err(RuntimeError::Container(message)),
        };
    }
    let pid = Pid::from_raw(i32::from_ne_bytes(buf));
    let master = match &tty_parent {
        Some(sock) => tty::recv_fd(sock.as_raw_fd()).unwrap_or(None),
        None => None,
    };
    drop(tty_parent);
    let _raw = match &master {
        Some(m) => {
            tty::copy_winsize(m.as_raw_fd());
            tty::RawMode::enter(0, spec.stdin)
        }
        None => None,
    };
    let relay_stdin = master.is_some() && spec.stdin;
    let (status, report) = wait_loop(pid, &mut sigfd, report_r, master, relay_stdin)?;
    match Report::decode(&report) {
        None => exit_code(status).ok_or_else(|| RuntimeError::ChildDied(format!("{status:?}"))),
        Some(Report::Exec { code, message }) => Err(RuntimeError::Exec { code, message }),
        Some(Report::Setup(message)) => Err(RuntimeError::Container(message)),
    }
}

/// `cgroup.procs` of the container's cgroup, opened before anything forks so a cgroup that
/// is gone or not ours fails the exec with a clear message.
fn open_cgroup(dir: &std::path::Path) -> Result<std::fs::File, RuntimeError> {
    const CGROUP2_SUPER_MAGIC: i64 = 0x6367_7270;
    let fail = |e: io::Error| {
        RuntimeError::Container(format!(
            "joining the container's cgroup {}: {}",
            dir.display(),
            sys::describe(&e)
        ))
    };
    let fs = nix::sys::statfs::statfs(dir).map_err(|e| fail(e.into()))?;
    if fs.filesystem_type().0 as i64 != CGROUP2_SUPER_MAGIC {
        return Err(fail(io::Error::other("not a cgroup v2 directory")));
    }
    std::fs::OpenOptions::new()
        .write(true)
        .open(dir.join("cgroup.procs"))
        .map_err(fail)
}

fn cstrings(items: &[String]) -> Result<Vec<CString>, RuntimeError> {
    items
        .iter()
        .map(|s| {
            sys::cstring(s)
                .map_err(|_| RuntimeError::InvalidSpec(format!("{s:?} contains a NUL byte")))
        })
        .collect()
}

struct Joiner<'a> {
    spec: &'a ExecSpec,
    namespaces: &'a [(OwnedFd, libc::c_int)],
    root: RawFd,
    prepared: &'a Prepared,
    argv: &'a [CString],
    envp: &'a [CString],
    pid_w: RawFd,
    report: RawFd,
    tty_socket: Option<RawFd>,
    cgroup_procs: Option<RawFd>,
}

fn step(what: &str) -> impl FnOnce(io::Error) -> Report + '_ {
    move |e| Report::Setup(format!("{what}: {}", sys::describe(&e)))
}

fn check(what: &str, rc: libc::c_int) -> Result<(), Report> {
    if rc < 0 {
        Err(step(what)(io::Error::last_os_error()))
    } else {
        Ok(())
    }
}

impl Joiner<'_> {
    /// In the first child: join, fork the command, hand over its pid, exit.
    fn run(&self) -> ! {
        // SAFETY: the fd stays open for this process's lifetime.
        let report = unsafe { BorrowedFd::borrow_raw(self.report) };
        let err = match self.join() {
            Err(r) => r,
            // SAFETY: single-threaded child of a single-threaded parent.
            Ok(()) => match unsafe { nix::unistd::fork() } {
                Err(e) => step("starting the command in the pid namespace")(e.into()),
                Ok(ForkResult::Parent { child }) => {
                    let bytes = child.as_raw().to_ne_bytes();
                    // SAFETY: write from a local buffer; _exit right after.
                    unsafe {
                        libc::write(self.pid_w, bytes.as_ptr().cast(), bytes.len());
                        libc::_exit(0)
                    }
                }
                Ok(ForkResult::Child) => match self.setup_and_exec() {
                    Err(r) => r,
                    Ok(never) => match never {},
                },
            },
        };
        err.send(report);
        // SAFETY: ends the child without running the parent's exit handlers.
        unsafe { libc::_exit(125) }
    }

    fn join(&self) -> Result<(), Report> {
        // The cgroup first, while the cgroup namespace is still ours; the command forked
        // next starts in it.
        if let Some(fd) = self.cgroup_procs {
            // SAFETY: write from a static buffer to an fd this process holds open.
            let n = unsafe { libc::write(fd, b"0".as_ptr().cast(), 1) };
            let err = io::Error::last_os_error();
            // EACCES: the caller's cgroup is outside the container's delegated subtree (an
            // exec from a login shell into a container a user unit started), which the
            // kernel forbids leaving; the command still runs in every namespace of the
            // container, as without delegation.
            if n != 1 && !matches!(err.raw_os_error(), Some(libc::EACCES | libc::EPERM)) {
                return Err(step("joining the container's cgroup")(err));
            }
        }
        for (fd, flag) in self.namespaces {
            // SAFETY: setns on an open namespace fd.
            check("joining the container's namespaces", unsafe {
                libc::setns(fd.as_raw_fd(), *flag)
            })?;
        }
        // SAFETY: fchdir/chroot on the container root opened before joining.
        unsafe {
            check("entering the container's root", libc::fchdir(self.root))?;
            check("entering the container's root", libc::chroot(c".".as_ptr()))?;
        }
        Ok(())
    }

    fn setup_and_exec(&self) -> Result<std::convert::Infallible, Report> {
        let spec = self.spec;
        if spec.detach {
            // Its own session and /dev/null for every stream: nothing ties it to the
            // caller's terminal or pipes once lodger has returned.
            // SAFETY: setsid, open and dup2 with checked results.
            unsafe {
                check("starting a new session", libc::setsid())?;
                let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC);
                check("opening /dev/null", null)?;
                for fd in 0..3 {
                    check("redirecting the output", libc::dup2(null, fd))?;
                }
            }
        } else if let Some(sock) = self.tty_socket {
            tty::child_pty(sock, None).map_err(step("setting up the terminal"))?;
        } else if !spec.stdin {
            // SAFETY: open and dup2 with checked results.
            unsafe {
                let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC);
                check("opening /dev/null", null)?;
                check("redirecting stdin", libc::dup2(null, 0))?;
            }
        }
        let read = |path: &str| {
            sys::read_small(path, 4 << 20).map_err(|e| {
                Report::Setup(format!(
                    "reading {path} in the container: {}",
                    sys::describe(&e)
                ))
            })
        };
        let passwd = read("/etc/passwd")?;
        let group = read("/etc/group")?;
        let user = security::resolve_user(
            &spec.user,
            &spec.additional_groups,
            passwd.as_deref(),
            group.as_deref(),
        )
        .map_err(|e| Report::Setup(format!("resolving the user: {e}")))?;
        let cwd = sys::cstring(&spec.cwd).map_err(step("the working directory"))?;
        // SAFETY: chdir to a NUL-terminated path inside the container's root.
        check(
            &format!("entering the working directory {}", spec.cwd),
            unsafe { libc::chdir(cwd.as_ptr()) },
        )?;
        let mut envp = self.envp.to_vec();
        if !spec.env.iter().any(|e| e.starts_with("HOME=")) {
            let home = format!("HOME={}", user.home.as_deref().unwrap_or("/"));
            envp.push(sys::cstring(home).map_err(step("the environment"))?);
        }
        let path_var = spec
            .env
            .iter()
            .find_map(|e| e.strip_prefix("PATH="))
            .unwrap_or(crate::container::DEFAULT_PATH.trim_start_matches("PATH="));
        let exe = super::child::lookup(&spec.args[0], path_var)?;
        sys::cloexec_from_3().map_err(step("marking fds close-on-exec"))?;
        super::signals::reset_for_exec();
        security::apply(self.prepared, &user)
            .map_err(|e| Report::Setup(format!("applying the security settings: {e}")))?;
        let err = nix::unistd::execve(&exe, self.argv, &envp).unwrap_err();
        Err(super::child::exec_failure(&spec.args[0], err as i32))
    }
}
