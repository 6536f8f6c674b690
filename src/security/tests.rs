//! Tests of the spec editing and of `prepare`/`apply`; `apply` runs in forked children that
//! enter a user namespace of their own.

use super::*;

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn podman_default_spec() {
    let spec = SecuritySpec::podman_default();
    assert_eq!(spec.capabilities.len(), 11);
    assert!(spec.capabilities.contains(&"CAP_SYS_CHROOT".to_string()));
    assert!(spec.user_capabilities.is_empty());
    assert!(spec.seccomp && spec.no_new_privileges);
    let names: Vec<&str> = spec.rlimits.iter().map(|r| r.resource.as_str()).collect();
    assert_eq!(names, ["RLIMIT_NOFILE", "RLIMIT_NPROC"]);
}

#[test]
fn cap_add_and_drop() {
    let mut spec = SecuritySpec::podman_default();
    spec.add_caps(&strings(&["net_admin", "CAP_NET_RAW", "NET_ADMIN"]))
        .unwrap();
    assert_eq!(spec.capabilities.len(), 13);
    assert_eq!(
        spec.user_capabilities,
        strings(&["CAP_NET_ADMIN", "CAP_NET_RAW"])
    );
    spec.drop_caps(&strings(&["CHOWN", "net_raw"])).unwrap();
    assert!(!spec.capabilities.contains(&"CAP_CHOWN".to_string()));
    assert_eq!(spec.user_capabilities, strings(&["CAP_NET_ADMIN"]));
    assert!(spec.add_caps(&strings(&["NOT_A_CAP"])).is_err());
    spec.drop_caps(&strings(&["all"])).unwrap();
    assert!(spec.capabilities.is_empty());
    spec.add_caps(&strings(&["ALL"])).unwrap();
    assert_eq!(spec.capabilities.len(), 41);
}

#[test]
fn edit_caps_follows_podman() {
    let mut spec = SecuritySpec::podman_default();
    spec.edit_caps(&strings(&["NET_ADMIN"]), &strings(&["ALL"]))
        .unwrap();
    assert_eq!(spec.capabilities, strings(&["CAP_NET_ADMIN"]));
    let mut spec = SecuritySpec::podman_default();
    spec.edit_caps(&strings(&["ALL"]), &strings(&["SYS_ADMIN"]))
        .unwrap();
    assert_eq!(spec.capabilities.len(), 40);
    assert!(!spec.capabilities.contains(&"CAP_SYS_ADMIN".to_string()));
    let mut spec = SecuritySpec::podman_default();
    let err = spec
        .edit_caps(&strings(&["CHOWN"]), &strings(&["cap_chown"]))
        .unwrap_err();
    assert!(err.to_string().contains("CAP_CHOWN"), "{err}");
    assert!(spec
        .edit_caps(&strings(&["all"]), &strings(&["ALL"]))
        .is_err());
}

#[test]
fn prepare_builds_masks_and_a_filter() {
    let p = prepare(&SecuritySpec::podman_default()).unwrap();
    assert_eq!(p.bounding, 0x8004_05fb);
    assert_eq!(p.root.effective, p.bounding);
    assert_eq!(p.non_root, CapSets::default());
    let filter = p.seccomp_filter().unwrap();
    assert!(filter.len() > 50 && filter.len() < 1000, "{}", filter.len());
    let mut spec = SecuritySpec::podman_default();
    spec.seccomp = false;
    spec.rlimits.push(Rlimit {
        resource: "nofile".to_string(),
        soft: 10,
        hard: 5,
    });
    let err = prepare(&spec).unwrap_err().to_string();
    assert!(err.contains("RLIMIT_NOFILE"), "{err}");
}

#[test]
fn prepare_is_fast() {
    let spec = SecuritySpec::podman_default();
    let p = prepare(&spec).unwrap();
    eprintln!(
        "filter: {} instructions",
        p.seccomp_filter().map_or(0, <[_]>::len)
    );
    let runs = 50;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        prepare(&spec).unwrap();
    }
    let each = start.elapsed() / runs;
    eprintln!("prepare: {each:?} per call");
    // Generous for unoptimised builds on a loaded machine; release builds are far below.
    assert!(each < std::time::Duration::from_millis(5), "{each:?}");
}

/// What a forked child checks after `apply`; the exit code names the first failed check.
struct Expect {
    uid: u32,
    status_lines: Vec<Vec<u8>>,
}

const SKIP: i32 = 77;

const CHECKS: &[&str] = &[
    "ok",
    "unshare(CLONE_NEWUSER) before apply",
    "writing the id maps",
    "waiting for the parent",
    "apply",
    "getpid",
    "personality(READ_IMPLIES_EXEC) is ENOSYS",
    "io_uring_setup is ENOSYS",
    "vmsplice is EPERM",
    "an audit socket is EINVAL",
    "a unix socket works",
    "mount is EPERM",
    "unshare(CLONE_NEWNS) is EPERM",
    "sethostname is EPERM",
    "reading /proc/self/status",
    "/proc/self/status lines",
    "getuid",
    "unshare(CLONE_NEWUSER) works, as under Podman",
];

fn errno_of(rc: libc::c_long) -> i32 {
    if rc < 0 {
        nix::errno::Errno::last_raw()
    } else {
        0
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Runs in the forked child: system calls only.
fn child_checks(expect: &Expect) -> i32 {
    // SAFETY: plain system calls with valid pointers or none.
    unsafe {
        if libc::syscall(libc::SYS_getpid) <= 0 {
            return 5;
        }
        if errno_of(libc::syscall(libc::SYS_personality, 0x40_0000)) != libc::ENOSYS {
            return 6;
        }
        let rc = libc::syscall(libc::SYS_io_uring_setup, 1, std::ptr::null_mut::<u8>());
        if errno_of(rc) != libc::ENOSYS {
            return 7;
        }
        let rc = libc::syscall(libc::SYS_vmsplice, -1, std::ptr::null_mut::<u8>(), 0, 0);
        if errno_of(rc) != libc::EPERM {
            return 8;
        }
        let rc = libc::syscall(libc::SYS_socket, 16, libc::SOCK_RAW, 9);
        if errno_of(rc) != libc::EINVAL {
            return 9;
        }
        let fd = libc::syscall(libc::SYS_socket, libc::AF_UNIX, libc::SOCK_STREAM, 0);
        if fd < 0 {
            return 10;
        }
        libc::close(fd as i32);
        let rc = libc::mount(
            c"none".as_ptr(),
            c"/".as_ptr(),
            c"tmpfs".as_ptr(),
            0,
            std::ptr::null(),
        );
        if errno_of(rc as libc::c_long) != libc::EPERM {
            return 11;
        }
        if errno_of(libc::unshare(libc::CLONE_NEWNS) as libc::c_long) != libc::EPERM {
            return 12;
        }
        let rc = libc::sethostname(c"x".as_ptr(), 1);
        if errno_of(rc as libc::c_long) != libc::EPERM {
            return 13;
        }
        let mut buf = [0u8; 8192];
        let fd = libc::open(c"/proc/self/status".as_ptr(), libc::O_RDONLY);
        if fd < 0 {
            return 14;
        }
        let n = libc::read(fd, buf.as_mut_ptr().cast(), buf.len());
        libc::close(fd);
        if n <= 0 {
            return 14;
        }
        let status = &buf[..n as usize];
        if !expect.status_lines.iter().all(|l| contains(status, l)) {
            return 15;
        }
        if libc::syscall(libc::SYS_getuid) != i64::from(expect.uid) {
            return 16;
        }
        if libc::unshare(libc::CLONE_NEWUSER) != 0 {
            return 17;
        }
    }
    0
}

fn write_file(path: &std::ffi::CStr, data: &[u8]) -> bool {
    // SAFETY: valid C string and buffer.
    unsafe {
        let fd = libc::open(path.as_ptr(), libc::O_WRONLY);
        if fd < 0 {
            return false;
        }
        let n = libc::write(fd, data.as_ptr().cast(), data.len());
        libc::close(fd);
        n == data.len() as isize
    }
}

/// How the child's user namespace gets its maps.
enum Maps {
    /// The child maps root to the test's own uid and gid (works unprivileged).
    SelfRoot,
    /// The parent, real root, maps 0..65536 to the host's 0..65536.
    ByParent,
}

fn run_in_child(prepared: &Prepared, user: &ResolvedUser, maps: Maps, expect: &Expect) {
    // SAFETY: plain getters.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    let uid_map = format!("0 {uid} 1");
    let gid_map = format!("0 {gid} 1");
    let mut to_parent = [0i32; 2];
    let mut to_child = [0i32; 2];
    // SAFETY: arrays of two fds.
    unsafe {
        assert_eq!(libc::pipe(to_parent.as_mut_ptr()), 0);
        assert_eq!(libc::pipe(to_child.as_mut_ptr()), 0);
    }
    // SAFETY: the child makes system calls only and leaves with _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let code = (|| unsafe {
            if libc::unshare(libc::CLONE_NEWUSER) != 0 {
                return SKIP;
            }
            match maps {
                Maps::SelfRoot => {
                    if !write_file(c"/proc/self/setgroups", b"deny")
                        || !write_file(c"/proc/self/uid_map", uid_map.as_bytes())
                        || !write_file(c"/proc/self/gid_map", gid_map.as_bytes())
                    {
                        return 2;
                    }
                }
                Maps::ByParent => {
                    let mut b = [0u8; 1];
                    if libc::write(to_parent[1], b.as_ptr().cast(), 1) != 1
                        || libc::read(to_child[0], b.as_mut_ptr().cast(), 1) != 1
                    {
                        return 3;
                    }
                }
            }
            if apply(prepared, user).is_err() {
                return 4;
            }
            child_checks(expect)
        })();
        // SAFETY: leaving the forked child without running the test harness's destructors.
        unsafe { libc::_exit(code) };
    }
    if let Maps::ByParent = maps {
        let mut b = [0u8; 1];
        // SAFETY: reading one byte from our pipe.
        let n = unsafe { libc::read(to_parent[0], b.as_mut_ptr().cast(), 1) };
        if n == 1 {
            for file in ["uid_map", "gid_map"] {
                std::fs::write(format!("/proc/{pid}/{file}"), "0 0 65536").unwrap();
            }
            // SAFETY: writing one byte to our pipe.
            unsafe { libc::write(to_child[1], b.as_ptr().cast(), 1) };
        }
    }
    let mut status = 0;
    // SAFETY: waiting for our own child.
    unsafe {
        libc::waitpid(pid, &mut status, 0);
        for fd in to_parent.iter().chain(to_child.iter()) {
            libc::close(*fd);
        }
    }
    assert!(libc::WIFEXITED(status), "child status {status:#x}");
    match libc::WEXITSTATUS(status) {
        0 => {}
        SKIP => eprintln!("skipped: no user namespace for this test"),
        code => panic!(
            "failed check: {}",
            CHECKS.get(code as usize).copied().unwrap_or("unknown")
        ),
    }
}

fn status_lines(lines: &[String]) -> Vec<Vec<u8>> {
    lines.iter().map(|l| l.as_bytes().to_vec()).collect()
}

#[test]
fn apply_default_profile_as_root() {
    let prepared = prepare(&SecuritySpec::podman_default()).unwrap();
    let caps = format!("{:016x}", prepared.bounding);
    let expect = Expect {
        uid: 0,
        status_lines: status_lines(&[
            format!("CapEff:\t{caps}"),
            format!("CapPrm:\t{caps}"),
            format!("CapBnd:\t{caps}"),
            "CapInh:\t0000000000000000".to_string(),
            "CapAmb:\t0000000000000000".to_string(),
            "NoNewPrivs:\t1".to_string(),
            "Seccomp:\t2".to_string(),
        ]),
    };
    let root = resolve_user("", &[], None, None).unwrap();
    run_in_child(&prepared, &root, Maps::SelfRoot, &expect);
}

#[test]
fn apply_as_a_non_root_user_with_groups() {
    // SAFETY: a plain getter.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs real root to map more than one id");
        return;
    }
    let mut spec = SecuritySpec::podman_default();
    spec.add_caps(&strings(&["NET_RAW"])).unwrap();
    let prepared = prepare(&spec).unwrap();
    let raw = format!("{:016x}", 1u64 << 13);
    let user = resolve_user("1000:1000", &strings(&["2000"]), None, None).unwrap();
    let expect = Expect {
        uid: 1000,
        status_lines: status_lines(&[
            format!("CapEff:\t{raw}"),
            format!("CapPrm:\t{raw}"),
            format!("CapInh:\t{raw}"),
            format!("CapAmb:\t{raw}"),
            format!("CapBnd:\t{:016x}", prepared.bounding),
            "Uid:\t1000\t1000\t1000\t1000".to_string(),
            "Gid:\t1000\t1000\t1000\t1000".to_string(),
            "Groups:\t1000 2000".to_string(),
            "NoNewPrivs:\t1".to_string(),
        ]),
    };
    run_in_child(&prepared, &user, Maps::ByParent, &expect);
}

const BUSYBOX: &str = "/bin/busybox";

/// Common commands behave as in a Podman container; a new user namespace is allowed and a
/// mount is refused by the kernel for want of CAP_SYS_ADMIN. (Not wget: Debian's static
/// busybox wget crashes in its resolver with or without a filter, under Podman too.)
#[test]
fn busybox_runs_under_the_default_profile() {
    if !std::path::Path::new(BUSYBOX).exists() {
        eprintln!("skipped: no {BUSYBOX}");
        return;
    }
    let port = 20000 + std::process::id() % 20000;
    let script = format!(
        "b={BUSYBOX}; set -e; $b true; $b ls / >/dev/null; $b cat /proc/self/status >/dev/null
         $b ps >/dev/null; $b sleep 0.01; $b id -u; d=$($b mktemp -d); echo hello >$d/index.html
         $b httpd -f -p 127.0.0.1:{port} -h $d </dev/null >/dev/null 2>&1 & h=$!
         trap '$b kill $h; $b rm -r $d' EXIT; $b sleep 0.2
         printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | $b nc 127.0.0.1 {port} | $b tail -n 1
         $b unshare -U true && echo unshare-ok
         $b mount -t tmpfs none /mnt 2>&1 || echo mount-refused"
    );
    let argv: Vec<std::ffi::CString> = [BUSYBOX, "sh", "-c", &script]
        .iter()
        .map(|a| std::ffi::CString::new(*a).unwrap())
        .collect();
    let mut argv_ptrs: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
    argv_ptrs.push(std::ptr::null());
    // SAFETY: plain getters.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    let (uid_map, gid_map) = (format!("0 {uid} 1"), format!("0 {gid} 1"));
    let prepared = prepare(&SecuritySpec::podman_default()).unwrap();
    let root = resolve_user("", &[], None, None).unwrap();
    let mut out = [0i32; 2];
    // SAFETY: an array of two fds.
    assert_eq!(unsafe { libc::pipe(out.as_mut_ptr()) }, 0);
    // SAFETY: the child makes system calls only and leaves with execv or _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // SAFETY: as above.
        unsafe {
            libc::dup2(out[1], 1);
            libc::dup2(out[1], 2);
            if libc::unshare(libc::CLONE_NEWUSER) != 0 {
                libc::_exit(SKIP);
            }
            if !write_file(c"/proc/self/setgroups", b"deny")
                || !write_file(c"/proc/self/uid_map", uid_map.as_bytes())
                || !write_file(c"/proc/self/gid_map", gid_map.as_bytes())
                || apply(&prepared, &root).is_err()
            {
                libc::_exit(2);
            }
            libc::execv(argv_ptrs[0], argv_ptrs.as_ptr());
            libc::_exit(3);
        }
    }
    // SAFETY: our write end; the child holds its own copy.
    unsafe { libc::close(out[1]) };
    let mut output = Vec::new();
    let mut buf = [0u8; 4096];
    // A stuck command (or a daemon keeping the pipe open) must not hang the test run.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let mut pfd = libc::pollfd {
            fd: out[0],
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one pollfd.
        if unsafe { libc::poll(&mut pfd, 1, left.as_millis() as i32) } <= 0 {
            // SAFETY: our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            output.extend_from_slice(b"\n(timed out)");
            break;
        }
        // SAFETY: reading into buf.
        let n = unsafe { libc::read(out[0], buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            break;
        }
        output.extend_from_slice(&buf[..n as usize]);
    }
    let mut status = 0;
    // SAFETY: our fd and our child.
    unsafe {
        libc::close(out[0]);
        libc::waitpid(pid, &mut status, 0);
    }
    let output = String::from_utf8_lossy(&output);
    assert!(libc::WIFEXITED(status), "status {status:#x}: {output}");
    if libc::WEXITSTATUS(status) == SKIP {
        eprintln!("skipped: no user namespace for this test");
        return;
    }
    assert_eq!(libc::WEXITSTATUS(status), 0, "{output}");
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.first(), Some(&"0"), "{output}");
    assert!(lines.contains(&"hello"), "{output}");
    assert!(lines.contains(&"unshare-ok"), "{output}");
    assert!(output.contains("mount-refused"), "{output}");
    assert!(output.contains("permission denied"), "{output}");
}

#[test]
fn all_capabilities_keep_the_filter_and_no_new_privs() {
    let mut p = prepare(&SecuritySpec::podman_default()).unwrap();
    let (filter, non_root) = (p.seccomp_filter().map(<[_]>::to_vec), p.non_root);
    assert_eq!(p.bounding.count_ones(), 11);
    p.grant_all_capabilities();
    assert_eq!(p.bounding.count_ones(), p.last_cap + 1);
    assert_eq!(
        (p.root.effective, p.root.permitted),
        (p.bounding, p.bounding)
    );
    assert_eq!(p.non_root, non_root, "other users gain nothing");
    assert!(p.no_new_privileges);
    assert_eq!(p.seccomp_filter().map(<[_]>::to_vec), filter);
}
