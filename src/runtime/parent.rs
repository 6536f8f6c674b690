//! The foreground side of `run`: clone the container, map its ids, relay, wait.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::process::{Command, Stdio};

use nix::sys::signal::{kill, SigSet, SigmaskHow, Signal};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;

use super::child::{self, Ctx};
use super::plan::{self, HostFacts, ETC_FILES};
use super::report::Report;
use super::rootfs::{self, RootfsDriver};
use super::signals::{exit_code, handled_set, FORWARDED};
use super::sys::{poll_fd, read_fd};
use super::{tty, ContainerSpec, MountSpec, NetworkMode, RootfsSpec, RuntimeError, UsernsMode};
use crate::userns::{IdMapping, IdRange, UsernsError};

const CGROUP2_SUPER_MAGIC: libc::c_long = 0x6367_7270;

pub(crate) fn run(
    spec: &ContainerSpec,
    on_started: &mut dyn FnMut(u32),
) -> Result<i32, RuntimeError> {
    let Launched {
        pid,
        mut sigfd,
        mask: _mask,
        report_r,
        tty_parent,
        net: _net,
    } = launch(spec)?;
    on_started(pid.as_raw() as u32);

    let master = match &tty_parent {
        Some(sock) => tty::recv_fd(sock.as_raw_fd())
            .map_err(RuntimeError::host("receiving the container's terminal"))?,
        None => None,
    };
    drop(tty_parent);
    let _raw = match &master {
        Some(m) => {
            tty::copy_winsize(m.as_raw_fd());
            tty::RawMode::enter(0, spec.process.stdin)
        }
        None => None,
    };
    let relay_stdin = master.is_some() && spec.process.stdin;
    let (status, report) = wait_loop(pid, &mut sigfd, report_r, master, relay_stdin)?;
    match Report::decode(&report) {
        None => exit_code(status).ok_or_else(|| RuntimeError::ChildDied(format!("{status:?}"))),
        Some(Report::Exec { code, message }) => {
            eprintln!("Error: {message}");
            Ok(i32::from(code))
        }
        Some(Report::Setup(message)) => Err(RuntimeError::Container(message)),
    }
}

/// Starts the container and returns once its command runs (the report pipe closed on exec),
/// without waiting for it: the caller reaps `pid`. The container's stdout and stderr are the
/// caller's fds 1 and 2; with a terminal, the pty master is returned.
pub(crate) fn start(spec: &ContainerSpec) -> Result<super::Started, RuntimeError> {
    let l = launch(spec)?;
    let master = match &l.tty_parent {
        Some(sock) => tty::recv_fd(sock.as_raw_fd())
            .map_err(RuntimeError::host("receiving the container's terminal"))?,
        None => None,
    };
    let mut report = Vec::new();
    let _ = io::Read::read_to_end(&mut std::fs::File::from(l.report_r), &mut report);
    let failed = match Report::decode(&report) {
        None => None,
        Some(Report::Exec { code, message }) => Some(RuntimeError::Exec { code, message }),
        Some(Report::Setup(message)) => Some(RuntimeError::Container(message)),
    };
    if let Some(e) = failed {
        let _ = waitpid(l.pid, None);
        return Err(e);
    }
    Ok(super::Started {
        pid: l.pid.as_raw() as u32,
        master,
        network: l.net,
    })
}

/// A cloned container released to run, before anyone waits for it.
struct Launched {
    pid: Pid,
    sigfd: SignalFd,
    mask: MaskGuard,
    report_r: OwnedFd,
    tty_parent: Option<OwnedFd>,
    /// The network helper; it ends when this is dropped.
    net: Option<crate::network::Running>,
}

fn launch(spec: &ContainerSpec) -> Result<Launched, RuntimeError> {
    validate(spec)?;
    for (file, _) in ETC_FILES {
        let text = match file {
            "hosts" => &spec.etc.hosts,
            "hostname" => &spec.etc.hostname,
            _ => &spec.etc.resolv_conf,
        };
        std::fs::write(spec.state_dir.join(file), text)
            .map_err(RuntimeError::host("writing the container's /etc files"))?;
    }
    let driver = match &spec.rootfs {
        RootfsSpec::Overlay { upper, .. } => rootfs::driver_for(&spec.state_dir, upper),
        RootfsSpec::Dir(_) => RootfsDriver::Overlay,
    };
    let mountpoint = spec.state_dir.join("rootfs");
    match std::fs::create_dir(&mountpoint) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
            return Err(RuntimeError::Host {
                step: "creating the rootfs mount point",
                source: e,
            })
        }
        _ => {}
    }
    let prepared = crate::security::prepare(&spec.process.security)?;
    let joined = match &spec.network {
        NetworkMode::Join(path) => Some(super::join::Target::open(path).map_err(join_error(path))?),
        _ => None,
    };
    let foreign_userns = joined.as_ref().is_some_and(|t| t.joins_userns());
    let ops = plan::plan(spec, host_facts(spec, foreign_userns));

    let (sync_r, sync_w) = pipe()?;
    let (report_r, report_w) = pipe()?;
    let tty_pair = if spec.process.terminal {
        Some(socketpair()?)
    } else {
        None
    };
    let null = if !spec.process.terminal && !spec.process.stdin {
        Some(
            std::fs::File::open("/dev/null")
                .map(OwnedFd::from)
                .map_err(RuntimeError::host("opening /dev/null"))?,
        )
    } else {
        None
    };

    let set = handled_set();
    let _mask = MaskGuard::block(&set)?;
    let sigfd = SignalFd::with_flags(&set, SfdFlags::SFD_CLOEXEC | SfdFlags::SFD_NONBLOCK)
        .map_err(|e| RuntimeError::Host {
            step: "creating a signalfd",
            source: e.into(),
        })?;

    let ctx = Ctx {
        spec,
        driver,
        ops: &ops,
        prepared: &prepared,
        sync: sync_r.as_raw_fd(),
        sync_writer: sync_w.as_raw_fd(),
        report: report_w.as_raw_fd(),
        tty_socket: tty_pair.as_ref().map(|(_, c)| c.as_raw_fd()),
        null: null.as_ref().map(AsRawFd::as_raw_fd),
        mountpoint: &mountpoint,
    };
    let pid = match (&joined, &spec.network) {
        (Some(target), NetworkMode::Join(path)) => {
            let mut flags = clone_flags(spec, driver);
            if target.joins_userns() {
                flags &= !libc::CLONE_NEWUSER;
            }
            target
                .clone(flags, || child::main(&ctx))
                .map_err(join_error(path))?
        }
        _ => clone_child(clone_flags(spec, driver), || child::main(&ctx))
            .map_err(|e| clone_error(spec, e))?,
    };
    drop((sync_r, report_w, null));
    let tty_parent = tty_pair.map(|(p, _c)| p);

    // pasta needs no id maps: it configures the namespace while they are written.
    let starting = match &spec.network {
        NetworkMode::Helper(h) => Some(crate::network::spawn(
            h,
            pid.as_raw() as u32,
            &spec.state_dir,
        )),
        _ => None,
    };
    if let (UsernsMode::Private(mapping), false) = (&spec.userns, foreign_userns) {
        if let Err(e) = install_maps(mapping, pid) {
            let _ = kill(pid, Signal::SIGKILL);
            let _ = waitpid(pid, None);
            return Err(e.into());
        }
    }
    if let Some(dir) = &spec.cgroup {
        match crate::cgroup::enter(dir, pid.as_raw() as u32, &spec.cgroup_limits) {
            Ok(()) => {
                let _ = crate::cgroup::record(&spec.state_dir, dir);
            }
            // Without limits not fatal: the container then runs in the caller's cgroup, as
            // without delegation. Limits asked for are never silently dropped.
            Err(e) if !spec.cgroup_limits.is_empty() => {
                let _ = kill(pid, Signal::SIGKILL);
                let _ = waitpid(pid, None);
                return Err(RuntimeError::Container(format!(
                    "applying the resource limits in {}: {e}",
                    dir.display()
                )));
            }
            Err(_) => {}
        }
    }
    let mut sync_w = std::fs::File::from(sync_w);
    if io::Write::write_all(&mut sync_w, b"g").is_err() {
        // The child is gone already; its report or status says why.
    }
    // The helper finishes its set-up (slirp4netns: starts, once the ids are mapped) while
    // the child sets up its mounts; the child waits for a second byte before it executes the
    // command, so the network is there from the command's first instruction.
    let net = match starting {
        Some(starting) => {
            match starting.and_then(crate::network::Starting::finish) {
                Ok(running) => {
                    let _ = io::Write::write_all(&mut sync_w, b"n");
                    Some(running)
                }
                Err(e) => {
                    // Without the second byte the child ends at the latest when it would
                    // run the command. If it failed on its own before (a command not found,
                    // a mount), that report is the one to give: the caller reads it as usual.
                    drop(sync_w);
                    let _ = nix::sys::wait::waitid(
                        nix::sys::wait::Id::Pid(pid),
                        WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT,
                    );
                    if pending_bytes(report_r.as_raw_fd()) > 0 {
                        return Ok(Launched {
                            pid,
                            sigfd,
                            mask: _mask,
                            report_r,
                            tty_parent,
                            net: None,
                        });
                    }
                    let _ = waitpid(pid, None);
                    return Err(e.into());
                }
            }
        }
        None => None,
    };
    drop(sync_w);
    Ok(Launched {
        pid,
        sigfd,
        mask: _mask,
        report_r,
        tty_parent,
        net,
    })
}

fn join_error(path: &std::path::Path) -> impl FnOnce(io::Error) -> RuntimeError + '_ {
    move |e| {
        let mut message = super::sys::describe(&e);
        if e.raw_os_error() == Some(libc::EPERM) {
            message.push_str(
                ": only network namespaces of your own user namespaces (such as another \
                 container's) can be joined",
            );
        }
        RuntimeError::Network(crate::network::NetworkError::Join {
            path: path.to_path_buf(),
            message,
        })
    }
}

/// Bytes waiting in a pipe.
fn pending_bytes(fd: RawFd) -> libc::c_int {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int into the local.
    if unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) } != 0 {
        return 0;
    }
    n
}

fn validate(spec: &ContainerSpec) -> Result<(), RuntimeError> {
    let p = &spec.process;
    if p.args.is_empty() || p.args[0].is_empty() {
        return Err(RuntimeError::InvalidSpec(
            "no command: give one after the image name or use an image with a Cmd or Entrypoint"
                .into(),
        ));
    }
    if !p.cwd.starts_with('/') {
        return Err(RuntimeError::InvalidSpec(format!(
            "the working directory {:?} must be an absolute path",
            p.cwd
        )));
    }
    if let Some(bad) = p.args.iter().chain(&p.env).find(|s| s.contains('\0')) {
        return Err(RuntimeError::InvalidSpec(format!(
            "{bad:?} contains a NUL byte"
        )));
    }
    for m in &spec.mounts {
        if let MountSpec::Bind { source, .. } = m {
            if std::fs::metadata(source).is_err() {
                return Err(RuntimeError::MountSourceMissing {
                    path: source.clone(),
                });
            }
        }
    }
    Ok(())
}

/// `foreign_userns`: the container is made in the user namespace of the network namespace
/// it joins, whose id maps are not ours to know; devpts then gets no `gid=5`, which such a
/// namespace rarely maps.
fn host_facts(spec: &ContainerSpec, foreign_userns: bool) -> HostFacts {
    let gid5_mapped = match &spec.userns {
        _ if foreign_userns => false,
        UsernsMode::Private(m) => m.host_gid(5).is_some(),
        UsernsMode::Host => true,
    };
    let cgroup2 = nix::sys::statfs::statfs("/sys/fs/cgroup")
        .is_ok_and(|s| s.filesystem_type().0 == CGROUP2_SUPER_MAGIC);
    HostFacts {
        gid5_mapped,
        cgroup2,
    }
}

fn clone_flags(spec: &ContainerSpec, driver: RootfsDriver) -> libc::c_int {
    let mut flags = libc::CLONE_NEWNS | libc::CLONE_NEWUTS | libc::CLONE_NEWIPC;
    // With a cgroup of its own, the child makes its cgroup namespace once it is in it, so
    // that the namespace's root is that cgroup and not the caller's.
    if spec.cgroup.is_none() {
        flags |= libc::CLONE_NEWCGROUP;
    }
    if matches!(spec.userns, UsernsMode::Private(_)) {
        flags |= libc::CLONE_NEWUSER;
    }
    if spec.network.is_private() {
        flags |= libc::CLONE_NEWNET;
    }
    // fuse-overlayfs must start outside the container's pid namespace; the child creates it.
    let fuse =
        driver == RootfsDriver::FuseOverlayfs && matches!(spec.rootfs, RootfsSpec::Overlay { .. });
    if !fuse {
        flags |= libc::CLONE_NEWPID;
    }
    flags
}

/// `clone` without a new stack: fork semantics with namespace flags.
pub(super) fn clone_child(flags: libc::c_int, child: impl FnOnce() -> i32) -> io::Result<Pid> {
    // SAFETY: the caller is single-threaded (documented on `run`); like fork, the child gets a
    // copy of this process and continues on a copy of this stack. It never returns from
    // `child` (it execs or _exits).
    let r = unsafe {
        libc::syscall(
            libc::SYS_clone,
            (flags | libc::SIGCHLD) as libc::c_ulong,
            0usize,
            0usize,
            0usize,
            0usize,
        )
    };
    match r {
        -1 => Err(io::Error::last_os_error()),
        // SAFETY: the child ends here without unwinding into the parent's frames.
        0 => unsafe { libc::_exit(child()) },
        pid => Ok(Pid::from_raw(pid as i32)),
    }
}

fn clone_error(spec: &ContainerSpec, err: io::Error) -> RuntimeError {
    let errno = err.raw_os_error().unwrap_or(0);
    let e = super::sys::describe(&err);
    match spec.userns {
        UsernsMode::Host if errno == libc::EPERM => RuntimeError::Clone(format!(
            "{e}: a container without a user namespace (--userns=host) needs root"
        )),
        UsernsMode::Private(_) if matches!(errno, libc::EPERM | libc::ENOSPC | libc::EUSERS) => {
            match crate::userns::check_userns_enabled() {
                Err(disabled) => disabled.into(),
                Ok(()) => RuntimeError::Clone(e),
            }
        }
        _ => RuntimeError::Clone(e),
    }
}

/// Runs `f` in a child in a new user and mount namespace where the invoking user is root
/// (single-id mapping); returns its exit code. Used to probe what the kernel allows.
pub(crate) fn in_scratch_userns(f: &mut dyn FnMut() -> i32) -> io::Result<i32> {
    let (sync_r, sync_w) = pipe().map_err(io::Error::other)?;
    let pid = clone_child(libc::CLONE_NEWUSER | libc::CLONE_NEWNS, || {
        let mut b = [0u8; 1];
        // SAFETY: read of one byte into a local buffer.
        if unsafe { libc::read(sync_r.as_raw_fd(), b.as_mut_ptr().cast(), 1) } != 1 {
            return 125;
        }
        f()
    })?;
    drop(sync_r);
    let mapping = IdMapping::single();
    let res = write_maps_direct(&mapping, pid, true);
    if res.is_ok() {
        let _ = io::Write::write_all(&mut std::fs::File::from(sync_w), b"g");
    } else {
        drop(sync_w);
    }
    let status = waitpid(pid, None).map_err(io::Error::from)?;
    res.map_err(|e| io::Error::other(e.to_string()))?;
    Ok(match status {
        WaitStatus::Exited(_, code) => code,
        _ => 125,
    })
}

fn install_maps(mapping: &IdMapping, pid: Pid) -> Result<(), UsernsError> {
    if rustix::process::geteuid().is_root() {
        // Root may write any map itself (newuidmap would insist on /etc/subuid entries).
        return write_maps_direct(mapping, pid, false);
    }
    let own = IdMapping::single();
    if mapping.is_single() && mapping.uids == own.uids && mapping.gids == own.gids {
        return write_maps_direct(mapping, pid, true);
    }
    // Both setuid helpers at once: each costs an exec.
    let uid = spawn_map_tool("newuidmap", pid, &mapping.uids)?;
    let gid = spawn_map_tool("newgidmap", pid, &mapping.gids);
    let uid_res = finish_map_tool("newuidmap", pid, uid);
    let gid_res = match gid {
        Ok(child) => finish_map_tool("newgidmap", pid, child),
        Err(e) => Err(e),
    };
    uid_res.and(gid_res)
}

fn write_maps_direct(
    mapping: &IdMapping,
    pid: Pid,
    deny_setgroups: bool,
) -> Result<(), UsernsError> {
    let write = |file: &str, text: &str| {
        let path = format!("/proc/{pid}/{file}");
        std::fs::write(&path, text).map_err(|source| UsernsError::WriteMap { path, source })
    };
    if deny_setgroups {
        // The kernel requires it before an unprivileged process writes a gid_map.
        write("setgroups", "deny")?;
    }
    write("uid_map", &map_text(&mapping.uids))?;
    write("gid_map", &map_text(&mapping.gids))
}

fn map_text(ranges: &[IdRange]) -> String {
    ranges
        .iter()
        .map(|r| format!("{} {} {}\n", r.container_id, r.host_id, r.count))
        .collect()
}

fn spawn_map_tool(
    tool: &'static str,
    pid: Pid,
    ranges: &[IdRange],
) -> Result<std::process::Child, UsernsError> {
    let mut cmd = Command::new(tool);
    cmd.arg(pid.to_string());
    for r in ranges {
        cmd.arg(r.container_id.to_string())
            .arg(r.host_id.to_string())
            .arg(r.count.to_string());
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| {
            if source.kind() == io::ErrorKind::NotFound {
                UsernsError::ToolMissing { tool }
            } else {
                UsernsError::RunMapTool { tool, source }
            }
        })
}

fn finish_map_tool(
    tool: &'static str,
    pid: Pid,
    child: std::process::Child,
) -> Result<(), UsernsError> {
    let out = child
        .wait_with_output()
        .map_err(|source| UsernsError::RunMapTool { tool, source })?;
    if !out.status.success() {
        return Err(UsernsError::MapTool {
            tool,
            pid: pid.as_raw() as u32,
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        });
    }
    Ok(())
}

pub(super) fn pipe() -> Result<(OwnedFd, OwnedFd), RuntimeError> {
    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| RuntimeError::Host {
        step: "creating a pipe",
        source: e.into(),
    })
}

pub(super) fn socketpair() -> Result<(OwnedFd, OwnedFd), RuntimeError> {
    let mut fds = [0; 2];
    // SAFETY: socketpair writes two fds into the local array, owned right after.
    let r = unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    };
    if r != 0 {
        return Err(RuntimeError::Host {
            step: "creating the terminal socket",
            source: io::Error::last_os_error(),
        });
    }
    // SAFETY: both fds were just created and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Blocks the handled signals for the duration of `run`; restores the old mask on drop.
pub(super) struct MaskGuard(SigSet);

impl MaskGuard {
    pub(super) fn block(set: &SigSet) -> Result<MaskGuard, RuntimeError> {
        let mut old = SigSet::empty();
        nix::sys::signal::sigprocmask(SigmaskHow::SIG_BLOCK, Some(set), Some(&mut old)).map_err(
            |e| RuntimeError::Host {
                step: "blocking signals",
                source: e.into(),
            },
        )?;
        Ok(MaskGuard(old))
    }
}

impl Drop for MaskGuard {
    fn drop(&mut self) {
        let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_SETMASK, Some(&self.0), None);
    }
}

/// Relays signals and terminal data until the container's pid 1 exits; returns its status
/// and the child's report (empty when the command was executed).
pub(super) fn wait_loop(
    pid: Pid,
    sigfd: &mut SignalFd,
    report: OwnedFd,
    mut master: Option<OwnedFd>,
    mut relay_stdin: bool,
) -> Result<(WaitStatus, Vec<u8>), RuntimeError> {
    let mut report = Some(report);
    let mut report_buf = Vec::new();
    let mut status = None;
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        if status.is_some() && report.is_none() && master.is_none() {
            break;
        }
        let mut fds = vec![poll_fd(sigfd.as_raw_fd())];
        let report_at = report.as_ref().map(|r| {
            fds.push(poll_fd(r.as_raw_fd()));
            fds.len() - 1
        });
        let master_at = master.as_ref().map(|m| {
            fds.push(poll_fd(m.as_raw_fd()));
            fds.len() - 1
        });
        let stdin_at = relay_stdin.then(|| {
            fds.push(poll_fd(0));
            fds.len() - 1
        });
        // Once pid 1 is gone only buffered data is left: never wait for more.
        let timeout = if status.is_some() { 0 } else { -1 };
        // SAFETY: poll over a local, correctly sized array of pollfd.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(RuntimeError::Wait(e));
        }
        if n == 0 {
            break;
        }
        if fds[0].revents != 0 {
            while let Ok(Some(info)) = sigfd.read_signal() {
                let Ok(sig) = Signal::try_from(info.ssi_signo as i32) else {
                    continue;
                };
                match sig {
                    Signal::SIGCHLD if status.is_none() => status = reap(pid)?,
                    Signal::SIGWINCH => {
                        if let Some(m) = &master {
                            tty::copy_winsize(m.as_raw_fd());
                        }
                    }
                    s if FORWARDED.contains(&s) && status.is_none() => {
                        let _ = kill(pid, s);
                    }
                    _ => {}
                }
            }
        }
        if let Some(i) = report_at {
            if fds[i].revents != 0 {
                match read_fd(fds[i].fd, &mut buf) {
                    Some(n) => report_buf.extend_from_slice(&buf[..n]),
                    None => report = None,
                }
            }
        }
        if let Some(i) = master_at {
            if fds[i].revents != 0 {
                match read_fd(fds[i].fd, &mut buf) {
                    Some(n) => write_all(1, &buf[..n]),
                    // EIO: every slave fd is closed.
                    None => master = None,
                }
            }
        }
        if let (Some(i), Some(m)) = (stdin_at, &master) {
            if fds[i].revents != 0 {
                match read_fd(0, &mut buf) {
                    Some(n) => write_all(m.as_raw_fd(), &buf[..n]),
                    None => relay_stdin = false,
                }
            }
        }
    }
    let status = match status {
        Some(s) => s,
        // The loop only ends early when every channel closed before SIGCHLD arrived.
        None => waitpid(pid, None).map_err(|e| RuntimeError::Wait(e.into()))?,
    };
    // Consume signals still queued so that restoring the mask does not deliver them.
    while let Ok(Some(_)) = sigfd.read_signal() {}
    Ok((status, report_buf))
}

fn reap(pid: Pid) -> Result<Option<WaitStatus>, RuntimeError> {
    match waitpid(pid, Some(WaitPidFlag::WNOHANG)) {
        Ok(WaitStatus::StillAlive) => Ok(None),
        Ok(s @ (WaitStatus::Exited(..) | WaitStatus::Signaled(..))) => Ok(Some(s)),
        Ok(_) => Ok(None),
        Err(e) => Err(RuntimeError::Wait(e.into())),
    }
}

fn write_all(fd: RawFd, mut data: &[u8]) {
    while !data.is_empty() {
        // SAFETY: write from a live buffer of the given length.
        let n = unsafe { libc::write(fd, data.as_ptr().cast(), data.len()) };
        if n < 0 {
            if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return;
        }
        data = &data[n as usize..];
    }
}
