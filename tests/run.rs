//! `lodger run`: a rootless container in the foreground — namespaces, mounts, identity,
//! terminal, signals, exit codes, and the isolation Podman users rely on.

mod common;

use common::tmux::Tmux;
use common::{Env, OutputExt, Sandbox};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn small(env: &Env) -> String {
    env.image("small:latest")
}

/// `lodger run --rm IMAGE sh -c SCRIPT`.
fn sh(sb: &Sandbox, image: &str, script: &str) -> Output {
    sb.lodger(&["run", "--rm", image, "sh", "-c", script])
}

#[test]
fn true_and_false_exit_codes() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    sb.lodger(&["run", "--rm", &small(&env), "true"])
        .assert_exit(0);
    sb.lodger(&["run", "--rm", &small(&env), "false"])
        .assert_exit(1);
    sh(&sb, &small(&env), "exit 42").assert_exit(42);
    // No container is left behind by --rm.
    let ps = sb.lodger(&["ps", "-a", "-q"]).assert_ok().stdout_str();
    assert!(ps.trim().is_empty(), "{ps}");
}

#[test]
fn not_found_not_executable_and_lodger_failures() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    sb.lodger(&["run", "--rm", &small(&env), "no-such-command"])
        .assert_exit(127)
        .assert_stderr_contains("no-such-command");
    sb.lodger(&["run", "--rm", &small(&env), "/etc/passwd"])
        .assert_exit(126)
        .assert_stderr_contains("/etc/passwd");
    sb.lodger(&["run", "--rm", "--bogus-flag", &small(&env), "true"])
        .assert_exit(125);
}

#[test]
fn killed_by_a_signal_is_128_plus_n() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    // pid 1 cannot be killed from inside by a signal it does not handle: use --init.
    sb.lodger(&[
        "run",
        "--rm",
        "--init",
        &small(&env),
        "sh",
        "-c",
        "kill -9 $$",
    ])
    .assert_exit(137);
    sb.lodger(&[
        "run",
        "--rm",
        "--init",
        &small(&env),
        "sh",
        "-c",
        "kill -15 $$",
    ])
    .assert_exit(143);
}

#[test]
fn pulls_a_missing_image_unless_told_not_to() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    sb.lodger(&["run", "--rm", "--pull=never", &small(&env), "true"])
        .assert_exit(125)
        .assert_stderr_contains("image not known");
    sb.lodger(&["run", "--rm", "--tls-verify=false", &small(&env), "true"])
        .assert_exit(0);
    sb.lodger(&["image", "exists", &small(&env)]).assert_ok();
}

#[test]
fn user_namespace_maps_root_to_the_user_and_ids_to_the_subuid_range() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let out = sh(&sb, &small(&env), "cat /proc/self/uid_map; id -u");
    let text = out.assert_ok().stdout_str();
    let uid = rustix::process::getuid().as_raw();
    let (base, count) = common::subid_range("/etc/subuid").unwrap();
    let lines: Vec<Vec<u64>> = text
        .lines()
        .filter(|l| l.split_whitespace().count() == 3)
        .map(|l| l.split_whitespace().map(|n| n.parse().unwrap()).collect())
        .collect();
    assert!(lines.contains(&vec![0, u64::from(uid), 1]), "{text}");
    assert!(lines.contains(&vec![1, base, count]), "{text}");
    assert_eq!(text.lines().last(), Some("0"));
}

#[test]
fn default_capabilities_and_no_new_privs() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let out = sh(
        &sb,
        &small(&env),
        "grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status",
    );
    let text = out.assert_ok().stdout_str();
    // Podman's default set: CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
    // NET_BIND_SERVICE SYS_CHROOT SETFCAP.
    assert!(text.contains("CapEff:\t00000000800405fb"), "{text}");
    assert!(text.contains("CapBnd:\t00000000800405fb"), "{text}");
    assert!(text.contains("NoNewPrivs:\t1"), "{text}");
    assert!(text.contains("Seccomp:\t2"), "{text}");
}

#[test]
fn only_stdio_is_open_and_host_processes_are_invisible() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    // ls itself holds fd 3 for the directory it reads.
    let fds = sb
        .lodger(&["run", "--rm", &small(&env), "ls", "/proc/self/fd"])
        .assert_ok()
        .stdout_str();
    let fds: Vec<&str> = fds.split_whitespace().collect();
    assert_eq!(fds, ["0", "1", "2", "3"]);
    let ps = sh(&sb, &small(&env), "ls /proc | grep -E '^[0-9]+$'")
        .assert_ok()
        .stdout_str();
    assert!(
        ps.lines().count() <= 3,
        "only the container's processes: {ps}"
    );
    assert!(
        ps.lines().any(|l| l == "1"),
        "the command's shell is pid 1: {ps}"
    );
    // No host process, so no /proc/<pid>/exe leads to the lodger binary.
    let exe = sh(
        &sb,
        &small(&env),
        "for e in /proc/[0-9]*/exe; do readlink $e; done",
    )
    .assert_ok()
    .stdout_str();
    assert!(!exe.contains("lodger"), "{exe}");
}

#[test]
fn proc_sys_and_sys_are_read_only_and_mount_is_denied() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    sh(&sb, &small(&env), "echo x > /proc/sys/kernel/domainname")
        .assert_failure()
        .assert_stderr_contains("Read-only file system");
    sh(&sb, &small(&env), "touch /sys/kernel/x || mkdir /sys/fs/x")
        .assert_failure()
        .assert_stderr_contains("Read-only file system");
    // busybox words EPERM from mount(2) as "permission denied".
    let mount = sh(&sb, &small(&env), "mkdir -p /mnt; mount -t tmpfs none /mnt");
    mount.assert_failure();
    assert!(
        mount.stderr_str().contains("permission denied")
            || mount.stderr_str().contains("Operation not permitted"),
        "{}",
        mount.stderr_str()
    );
    // Podman's profile lets an unprivileged nested user namespace be created (checked
    // against podman 4.3 here): the same must hold.
    sh(&sb, &small(&env), "unshare -U id")
        .assert_ok()
        .assert_stdout_contains("uid=65534");
    sh(&sb, &small(&env), "cat /proc/kcore | head -c1 | wc -c")
        .assert_ok()
        .assert_stdout_contains("0");
}

#[test]
fn dev_has_the_usual_nodes_and_a_private_devpts() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let out = sh(
        &sb,
        &small(&env),
        "for d in null zero full random urandom tty ptmx pts shm mqueue; do test -e /dev/$d && echo ok-$d; done; \
         head -c 4 /dev/zero | wc -c; echo data > /dev/null && echo null-ok",
    );
    let text = out.assert_ok().stdout_str();
    for d in [
        "null", "zero", "full", "random", "urandom", "tty", "ptmx", "pts", "shm", "mqueue",
    ] {
        assert!(
            text.contains(&format!("ok-{d}")),
            "/dev/{d} missing: {text}"
        );
    }
    assert!(text.contains("null-ok"));
}

#[test]
fn hostname_hosts_and_resolv_conf_are_generated() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    sb.lodger(&[
        "run",
        "--rm",
        "--name",
        "webby",
        "--hostname",
        "box",
        &small(&env),
        "sh",
        "-c",
        "hostname; cat /etc/hostname /etc/hosts",
    ])
    .assert_ok()
    .assert_stdout_contains("box\nbox\n")
    .assert_stdout_contains("localhost")
    .assert_stdout_contains("box webby");
    let out = sb.lodger(&["run", "--rm", &small(&env), "hostname"]);
    assert_eq!(
        out.assert_ok().stdout_str().trim().len(),
        12,
        "default hostname is the short id"
    );
    sh(&sb, &small(&env), "test -f /etc/resolv.conf").assert_ok();
}

#[test]
fn network_none_has_only_loopback_and_host_sees_the_host() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let ifaces = sb
        .lodger(&[
            "run",
            "--rm",
            "--network",
            "none",
            &small(&env),
            "ls",
            "/sys/class/net",
        ])
        .assert_ok()
        .stdout_str();
    assert_eq!(ifaces.split_whitespace().collect::<Vec<_>>(), ["lo"]);
    let host_ifaces = std::fs::read_dir("/sys/class/net").unwrap().count();
    let inside = sb
        .lodger(&[
            "run",
            "--rm",
            "--network",
            "host",
            &small(&env),
            "ls",
            "/sys/class/net",
        ])
        .assert_ok()
        .stdout_str();
    assert_eq!(inside.split_whitespace().count(), host_ifaces);
}

#[test]
fn image_config_env_workdir_and_user() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let envfile = sb.home.join("env.list");
    std::fs::write(&envfile, "# comment\nFROM_FILE=yes\n\n").unwrap();
    let out = sb.lodger(&[
        "run",
        "--rm",
        "-e",
        "A=1",
        "--env-file",
        envfile.to_str().unwrap(),
        &small(&env),
        "sh",
        "-c",
        "echo $A $FROM_FILE $PATH $HOME; pwd",
    ]);
    out.assert_ok()
        .assert_stdout_contains(
            "1 yes /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /root",
        )
        .assert_stdout_contains("\n/\n");
    sb.lodger(&[
        "run",
        "--rm",
        "-w",
        "/new/dir",
        &small(&env),
        "sh",
        "-c",
        "pwd",
    ])
    .assert_ok()
    .assert_stdout_contains("/new/dir");
    sb.lodger(&["run", "--rm", "-u", "www-data", &small(&env), "id"])
        .assert_ok()
        .assert_stdout_contains("uid=33(www-data) gid=33(www-data)");
    sb.lodger(&[
        "run",
        "--rm",
        "-u",
        "1234:5678",
        "--group-add",
        "100",
        &small(&env),
        "id",
    ])
    .assert_ok()
    .assert_stdout_contains("uid=1234 gid=5678")
    .assert_stdout_contains("100");
    sb.lodger(&["run", "--rm", "-u", "nobody-here", &small(&env), "id"])
        .assert_exit(125)
        .assert_stderr_contains("nobody-here");
    sb.lodger(&[
        "run",
        "--rm",
        "--entrypoint",
        "echo",
        &small(&env),
        "via",
        "entrypoint",
    ])
    .assert_ok()
    .assert_stdout_contains("via entrypoint");
    let uid = rustix::process::getuid().as_raw();
    sb.lodger(&[
        "run",
        "--rm",
        "--userns",
        "keep-id",
        &small(&env),
        "id",
        "-u",
    ])
    .assert_ok()
    .assert_stdout_contains(&uid.to_string());
}

#[test]
fn bind_mounts_read_write_and_read_only() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let dir = sb.home.join("shared");
    std::fs::create_dir(&dir).unwrap();
    let vol = format!("{}:/mnt", dir.display());
    sb.lodger(&[
        "run",
        "--rm",
        "-v",
        &vol,
        &small(&env),
        "sh",
        "-c",
        "echo hi > /mnt/out",
    ])
    .assert_ok();
    assert_eq!(std::fs::read_to_string(dir.join("out")).unwrap(), "hi\n");
    let ro = format!("{}:/mnt:ro", dir.display());
    sb.lodger(&[
        "run",
        "--rm",
        "-v",
        &ro,
        &small(&env),
        "sh",
        "-c",
        "echo no > /mnt/out2",
    ])
    .assert_failure()
    .assert_stderr_contains("Read-only file system");
    sb.lodger(&[
        "run",
        "--rm",
        "-v",
        "/does/not/exist:/mnt",
        &small(&env),
        "true",
    ])
    .assert_exit(125)
    .assert_stderr_contains("/does/not/exist");
    sb.lodger(&[
        "run",
        "--rm",
        "--tmpfs",
        "/scratch",
        &small(&env),
        "sh",
        "-c",
        "grep ' /scratch ' /proc/mounts",
    ])
    .assert_ok()
    .assert_stdout_contains("tmpfs");
    sb.lodger(&["run", "--rm", "--read-only", &small(&env), "touch", "/x"])
        .assert_failure()
        .assert_stderr_contains("Read-only file system");
}

/// Every file under the store's layers: path, type, size, mode and content hash.
fn snapshot(dir: &Path) -> Vec<String> {
    use sha2::{Digest, Sha256};
    use std::os::unix::fs::MetadataExt;
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd {
            let e = e.unwrap();
            let p = e.path();
            let m = p.symlink_metadata().unwrap();
            let hash = if m.is_file() {
                std::fs::read(&p)
                    .map(|b| hex::encode(Sha256::digest(b)))
                    .unwrap_or_default()
            } else {
                String::new()
            };
            out.push(format!(
                "{} {:o} {} {} {}",
                p.display(),
                m.mode(),
                m.uid(),
                m.size(),
                hash
            ));
            if m.is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn writes_land_in_the_upper_dir_and_image_layers_stay_identical() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    sb.lodger(&[
        "pull",
        "-q",
        "--tls-verify=false",
        &env.image("multi:latest"),
    ])
    .assert_ok();
    let before = snapshot(&sb.store().join("layers"));
    sb.lodger(&[
        "run",
        "--name",
        "changer",
        &env.image("multi:latest"),
        "sh",
        "-c",
        "echo more >> /etc/motd && rm -rf /data /bin/ls && echo new > /created && cat /etc/motd",
    ])
    .assert_ok()
    .assert_stdout_contains("more");
    assert_eq!(
        before,
        snapshot(&sb.store().join("layers")),
        "image layers changed"
    );
    // The change is in the container, and a second start sees it.
    sb.lodger(&["start", "-a", "changer"]).assert_ok();
    sb.lodger(&["rm", "changer"]).assert_ok();
    sb.lodger(&[
        "run",
        "--rm",
        &env.image("multi:latest"),
        "sh",
        "-c",
        "test -f /data/a.txt && test ! -e /created",
    ])
    .assert_ok();
}

#[test]
fn workdir_through_a_symlink_stays_inside_the_rootfs() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let id = sb
        .lodger(&[
            "create",
            "--name",
            "w",
            "-w",
            "/esc/lodger-escape-probe",
            &small(&env),
            "sh",
            "-c",
            "pwd",
        ])
        .assert_ok()
        .stdout_str();
    let upper = sb.store().join("containers").join(id.trim()).join("upper");
    std::os::unix::fs::symlink("../../../../../../../../../../tmp", upper.join("esc")).unwrap();
    sb.lodger(&["start", "-a", "w"]).assert_ok();
    assert!(
        !Path::new("/tmp/lodger-escape-probe").exists(),
        "the working directory was created outside the container"
    );
}

/// A prefix that matches two containers names neither: exit 125, and the fix in the message.
#[test]
fn an_ambiguous_id_prefix_is_refused() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let image = small(&env);
    let mut firsts: Vec<char> = Vec::new();
    // 17 ids are sure to share a first hex digit; a few usually do.
    let prefix = loop {
        let id = sb
            .lodger(&["create", &image, "true"])
            .assert_ok()
            .stdout_str();
        let first = id.trim().chars().next().unwrap();
        if firsts.contains(&first) {
            break first.to_string();
        }
        firsts.push(first);
        assert!(firsts.len() <= 16);
    };
    for cmd in [["rm", prefix.as_str()], ["inspect", prefix.as_str()]] {
        sb.lodger(&cmd)
            .assert_exit(125)
            .assert_stderr_contains("ambiguous container ID prefix")
            .assert_stderr_contains("give more characters");
    }
    assert_eq!(
        sb.lodger(&["ps", "-a", "-q"]).stdout_str().lines().count(),
        firsts.len() + 1,
        "nothing was removed"
    );
}

#[test]
fn create_start_ps_rm() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let id = sb
        .lodger(&["create", "--name", "later", &small(&env), "echo", "hello"])
        .assert_ok()
        .stdout_str();
    assert_eq!(id.trim().len(), 64);
    sb.lodger(&["ps", "-a"])
        .assert_ok()
        .assert_stdout_contains("Created");
    sb.lodger(&["ps"]).assert_ok();
    assert!(!sb.lodger(&["ps"]).stdout_str().contains("later"));
    sb.lodger(&["create", "--name", "later", &small(&env), "true"])
        .assert_exit(125)
        .assert_stderr_contains("already in use");
    sb.lodger(&["start", "-a", "later"])
        .assert_ok()
        .assert_stdout_contains("hello");
    sb.lodger(&["ps", "-a"])
        .assert_ok()
        .assert_stdout_contains("Exited (0)")
        .assert_stdout_contains("later");
    let json = sb
        .lodger(&["ps", "-a", "--format", "json"])
        .assert_ok()
        .stdout_str();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[0]["Names"][0], "later");
    sb.lodger(&["rmi", &small(&env)])
        .assert_exit(2)
        .assert_stderr_contains("later");
    sb.lodger(&["rm", &id[..12]]).assert_ok();
    sb.lodger(&["rm", "later"])
        .assert_exit(1)
        .assert_stderr_contains("no such container");
}

fn wait_for_state(sb: &Sandbox, name: &str, word: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        let ps = sb
            .lodger(&["ps", "-a", "--format", "{{.Names}} {{.Status}}"])
            .stdout_str();
        if ps.lines().any(|l| l.starts_with(name) && l.contains(word)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{name} never showed {word}");
}

fn container_pid(sb: &Sandbox, name: &str) -> i32 {
    let json = sb
        .lodger(&["ps", "--format", "json"])
        .assert_ok()
        .stdout_str();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .find(|c| c["Names"][0] == name)
        .and_then(|c| c["Pid"].as_i64())
        .unwrap() as i32
}

#[test]
fn signals_reach_the_container_and_running_containers_need_force() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    for (sig, name) in [
        (libc::SIGTERM, "TERM"),
        (libc::SIGINT, "INT"),
        (libc::SIGHUP, "HUP"),
        (libc::SIGQUIT, "QUIT"),
        (libc::SIGUSR1, "USR1"),
        (libc::SIGUSR2, "USR2"),
    ] {
        let cname = format!("sig{}", name.to_lowercase());
        let script = format!(
            "trap 'echo got-{name}; exit 7' {name}; echo ready; while true; do sleep 0.05; done"
        );
        let child = sb
            .command(&[
                "run",
                "--rm",
                "--name",
                &cname,
                &small(&env),
                "sh",
                "-c",
                &script,
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_for_state(&sb, &cname, "Up");
        if sig == libc::SIGTERM {
            sb.lodger(&["rm", &cname]).assert_exit(2);
        }
        std::thread::sleep(Duration::from_millis(200));
        unsafe { libc::kill(child.id() as i32, sig) };
        let out = child.wait_with_output().unwrap();
        out.assert_exit(7)
            .assert_stdout_contains(&format!("got-{name}"));
    }
}

#[test]
fn rm_removes_the_container_even_when_it_was_killed() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let child = sb
        .command(&[
            "run",
            "--rm",
            "--name",
            "victim",
            &small(&env),
            "sleep",
            "100",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_state(&sb, "victim", "Up");
    let pid = container_pid(&sb, "victim");
    unsafe { libc::kill(pid, libc::SIGKILL) };
    let out = child.wait_with_output().unwrap();
    out.assert_exit(137);
    assert!(sb
        .lodger(&["ps", "-a", "-q"])
        .stdout_str()
        .trim()
        .is_empty());
    assert_eq!(
        std::fs::read_dir(sb.store().join("containers")).map_or(0, |d| d.count()),
        0,
        "the container's directories are gone"
    );
}

#[test]
fn stdin_only_with_i_and_eof_passes_through() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    sb.lodger_stdin(&["run", "--rm", "-i", &small(&env), "cat"], b"hello\n")
        .assert_ok()
        .assert_stdout_contains("hello");
    let out = sb.lodger_stdin(&["run", "--rm", &small(&env), "cat"], b"hello\n");
    out.assert_ok();
    assert!(out.stdout_str().is_empty(), "without -i stdin is /dev/null");
}

/// Run a command line on a pseudo-terminal (util-linux `script`), 30 rows by 100 columns.
fn on_tty(sb: &Sandbox, line: &str) -> Output {
    let full = format!("stty rows 30 cols 100; {line}");
    sb.command_for(Path::new("script"), &["-qefc", &full, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn tty_gives_a_terminal_of_the_containers_own_devpts_with_the_window_size() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let bin = env.bin.display().to_string();
    let out = on_tty(
        &sb,
        &format!(
            "{bin} run -it --rm {} sh -c 'tty; stty size; echo $TERM; exit 5'",
            small(&env)
        ),
    );
    out.assert_exit(5);
    let text = out.stdout_str();
    assert!(text.contains("/dev/pts/0"), "{text}");
    assert!(text.contains("30 100"), "{text}");
    assert!(text.contains("xterm"), "{text}");
    // The terminal is restored: a later stty still reports cooked mode (icanon, echo).
    let out = on_tty(
        &sb,
        &format!("{bin} run -t --rm {} true; stty -a", small(&env)),
    );
    let text = out.stdout_str();
    assert!(text.contains(" icanon") && text.contains(" echo"), "{text}");
    // Podman's codes with -it too (through the monitor), and --rm still removes.
    for (cmd, code) in [("no-such-command", 127), ("/etc/passwd", 126)] {
        let out = on_tty(&sb, &format!("{bin} run -it --rm {} {cmd}", small(&env)));
        out.assert_exit(code);
        assert!(out.stdout_str().contains(cmd), "{}", out.stdout_str());
    }
    let out = on_tty(
        &sb,
        &format!("{bin} run -it --rm -v /no/such:/x {} sh", small(&env)),
    );
    out.assert_exit(125);
    let ps = sb.lodger(&["ps", "-a", "-q"]).stdout_str();
    assert!(ps.trim().is_empty(), "{ps}");
}

#[test]
fn runtime_dir_not_usable_falls_back_with_a_warning() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let mut cmd = sb.command(&["run", "--rm", &small(&env), "true"]);
    cmd.env_remove("XDG_RUNTIME_DIR");
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    out.assert_ok().assert_stderr_contains("XDG_RUNTIME_DIR");
    let mut cmd = sb.command(&["run", "--rm", &small(&env), "true"]);
    cmd.env("XDG_RUNTIME_DIR", "/");
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    out.assert_ok().assert_stderr_contains("XDG_RUNTIME_DIR");
}

#[test]
fn no_newuidmap_still_runs_single_id_containers_with_a_warning() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    // Without PATH there is no network helper either.
    let mut cmd: Command = sb.command(&[
        "run",
        "--rm",
        "--network",
        "none",
        &small(&env),
        "cat",
        "/proc/self/uid_map",
    ]);
    cmd.env("PATH", "/nonexistent");
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    out.assert_ok().assert_stderr_contains("uidmap");
    assert_eq!(out.stdout_str().lines().count(), 1, "{}", out.stdout_str());
}

#[test]
fn tty_follows_window_resizes() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let line = format!(
        "{} run -it --rm {} sh; echo rc=$?; sleep 100",
        env.bin.display(),
        small(&env)
    );
    let tmux = Tmux::start(&sb, "tmux.sock", 80, 24, &line);
    tmux.run(&["send-keys", "echo size-$(stty size)-", "Enter"]);
    tmux.expect("size-24 80-");
    tmux.run(&["resize-window", "-x", "100", "-y", "30"]);
    std::thread::sleep(Duration::from_millis(200));
    tmux.run(&["send-keys", "echo size-$(stty size)-", "Enter"]);
    tmux.expect("size-30 100-");
    tmux.run(&["send-keys", "exit 3", "Enter"]);
    tmux.expect("rc=3");
    // Nothing outlives the terminal: not lodger, its monitor, the container or pasta.
    tmux.finish(false);
    let ps = sb.lodger(&["ps", "-a", "-q"]).stdout_str();
    assert!(ps.trim().is_empty(), "{ps}");
}

/// As Podman's signal proxy: signals to `run -it`, SIGHUP included, reach the container,
/// which decides.
#[test]
fn run_it_passes_signals_on() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    for (signal, name, code) in [(libc::SIGTERM, "TERM", 9), (libc::SIGHUP, "HUP", 5)] {
        let script = format!(
            "trap 'echo got-{name}; exit {code}' {name}; echo ready; while :; do sleep 0.05; done"
        );
        let line = format!(
            "{} run -it --rm {} sh -c \"{script}\"; echo rc=$?; sleep 100",
            env.bin.display(),
            small(&env)
        );
        let tmux = Tmux::start(&sb, "tmux.sock", 80, 24, &line);
        tmux.expect("ready");
        // lodger itself, not the shell of the pane that started it.
        tmux.signal(&format!("{} run -it ", env.bin.display()), signal);
        tmux.expect(&format!("got-{name}"));
        tmux.expect(&format!("rc={code}"));
        tmux.finish(false);
    }
}

/// Attaches to `name` in a second terminal, checks the shell answers, and ends it (exit 4).
fn attach_and_exit(sb: &Sandbox, bin: &str, name: &str) {
    let line = format!("{bin} attach {name}; echo again=$?; sleep 100");
    let again = Tmux::start(sb, "again.sock", 80, 24, &line);
    again.run(&["send-keys", "echo back-$((2*3))", "Enter"]);
    again.expect("back-6");
    again.run(&["send-keys", "exit 4", "Enter"]);
    again.expect("again=4");
    wait_for_state(sb, name, "Exited (4)");
    again.finish(false);
}

/// Runs `lodger run -it FLAGS small sh` in a tmux pane whose shell ignores SIGHUP, so only
/// the terminal's EOF and EIO tell lodger that the terminal is gone; closes that terminal
/// and returns lodger's exit code, recorded by the pane's shell, which outlives it.
fn run_it_and_close_the_terminal(env: &Env, sb: &Sandbox, flags: &str) -> (Tmux, String) {
    let bin = env.bin.display().to_string();
    let rc = sb.root().join("rc");
    let line = format!(
        "trap '' HUP; {bin} run -it {flags} {image} sh; echo $? > {rc}.new; mv {rc}.new {rc}",
        image = small(env),
        rc = rc.display()
    );
    let tmux = Tmux::start(sb, "tmux.sock", 80, 24, &line);
    tmux.run(&["send-keys", "echo hi-$((2*3))", "Enter"]);
    tmux.expect("hi-6");
    tmux.run(&["kill-server"]);
    let deadline = Instant::now() + Duration::from_secs(15);
    while !rc.exists() {
        assert!(Instant::now() < deadline, "lodger still attached");
        std::thread::sleep(Duration::from_millis(50));
    }
    let code = std::fs::read_to_string(&rc).unwrap().trim().to_string();
    (tmux, code)
}

/// A terminal that goes away while the container ignores the hang-up: `--rm` still removes
/// it, as Podman does when the attach fails (nothing would end it later).
#[test]
fn run_it_rm_removes_the_container_when_the_terminal_goes() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let (tmux, code) = run_it_and_close_the_terminal(&env, &sb, "--rm --name z");
    assert_eq!(code, "125");
    let ps = sb.lodger(&["ps", "-a", "-q"]).stdout_str();
    assert!(ps.trim().is_empty(), "{ps}");
    tmux.finish(false);
}

#[test]
fn run_it_ends_as_a_detach_when_the_terminal_goes() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let (tmux, code) = run_it_and_close_the_terminal(&env, &sb, "--name y");
    assert_eq!(code, "125");
    wait_for_state(&sb, "y", "Up");
    attach_and_exit(&sb, &env.bin.display().to_string(), "y");
    tmux.finish(false);
    let ps = sb.lodger(&["ps", "-q"]).stdout_str();
    assert!(ps.trim().is_empty(), "{ps}");
}

#[test]
fn start_ai_detaches_like_run_it() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let bin = env.bin.display().to_string();
    sb.lodger(&["create", "-it", "--name", "s1", &small(&env), "sh"])
        .assert_ok();
    let line = format!("{bin} start -ai s1; echo rc=$?; sleep 100");
    let tmux = Tmux::start(&sb, "tmux.sock", 80, 24, &line);
    tmux.run(&["send-keys", "echo hi-$((2*3))", "Enter"]);
    tmux.expect("hi-6");
    tmux.run(&["send-keys", "C-p", "C-q"]);
    tmux.expect("rc=0");
    wait_for_state(&sb, "s1", "Up");
    let line = format!("{bin} attach s1; echo rc2=$?; sleep 100");
    let again = Tmux::start(&sb, "tmux2.sock", 80, 24, &line);
    again.run(&["send-keys", "exit 6", "Enter"]);
    again.expect("rc2=6");
    wait_for_state(&sb, "s1", "Exited (6)");
    again.finish(false);
    tmux.finish(false);
}

#[test]
fn run_it_detaches_with_the_keys_and_attach_takes_it_back() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let bin = env.bin.display().to_string();
    // After lodger: its exit code, and whether the terminal is back in canonical mode.
    let line = format!(
        "{bin} run -it --rm --name d1 {} sh; echo rc=$?; stty -a | tr ' ' '\\n' | grep -x -- '-*icanon'; sleep 100",
        small(&env)
    );
    let tmux = Tmux::start(&sb, "tmux.sock", 80, 24, &line);
    tmux.run(&["send-keys", "echo hello-$((6*7))", "Enter"]);
    tmux.expect("hello-42");
    tmux.run(&["send-keys", "C-p", "C-q"]);
    tmux.expect("rc=0");
    let screen = tmux.expect("icanon");
    assert!(
        screen.lines().any(|l| l.trim() == "icanon"),
        "raw mode left on:\n{screen}"
    );
    wait_for_state(&sb, "d1", "Up");
    // Attached again, the container takes input and its exit code comes back.
    let again = Tmux::start(
        &sb,
        "tmux2.sock",
        80,
        24,
        &format!("{bin} attach d1; echo rc2=$?; sleep 100"),
    );
    again.run(&["send-keys", "echo again-$((6*7))", "Enter"]);
    again.expect("again-42");
    again.run(&["send-keys", "exit 4", "Enter"]);
    again.expect("rc2=4");
    // --rm: removed once it exited, not when it was detached.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !sb
        .lodger(&["ps", "-a", "-q"])
        .stdout_str()
        .trim()
        .is_empty()
    {
        assert!(Instant::now() < deadline, "not removed");
        std::thread::sleep(Duration::from_millis(50));
    }
    again.finish(false);
    tmux.finish(false);
    // --detach-keys "": the keys reach the container; other keys detach instead.
    let line = format!(
        "{bin} run -it --rm --detach-keys '' {} sh; echo rc=$?; sleep 100",
        small(&env)
    );
    let tmux = Tmux::start(&sb, "tmux3.sock", 80, 24, &line);
    tmux.run(&["send-keys", "echo ready", "Enter"]);
    tmux.expect("ready");
    tmux.run(&["send-keys", "C-p", "C-q"]);
    tmux.run(&["send-keys", "echo still-$((1+1))", "Enter"]);
    tmux.expect("still-2");
    tmux.run(&["send-keys", "exit 5", "Enter"]);
    tmux.expect("rc=5");
    tmux.finish(false);
    let line = format!(
        "{bin} run -it --name d2 --detach-keys ctrl-x {} sh; echo rc=$?; sleep 100",
        small(&env)
    );
    let tmux = Tmux::start(&sb, "tmux4.sock", 80, 24, &line);
    tmux.run(&["send-keys", "echo ready", "Enter"]);
    tmux.expect("ready");
    tmux.run(&["send-keys", "C-x"]);
    tmux.expect("rc=0");
    wait_for_state(&sb, "d2", "Up");
    // The container outlives the terminal it was detached from; finish removes it.
    tmux.finish(true);
}

#[test]
fn env_host_and_env_names_take_lodgers_environment() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let script = "echo probe=$LODGER_PROBE other=$LODGER_OTHER";
    let mut cmd = sb.command(&[
        "run",
        "--rm",
        "--env-host",
        &small(&env),
        "sh",
        "-c",
        script,
    ]);
    cmd.env("LODGER_PROBE", "42").env("LODGER_OTHER", "7");
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    out.assert_ok().assert_stdout_contains("probe=42 other=7");
    // `-e NAME` takes one variable from lodger's environment; unset ones are left out.
    let mut cmd = sb.command(&[
        "run",
        "--rm",
        "-e",
        "LODGER_PROBE",
        "-e",
        "LODGER_UNSET",
        &small(&env),
        "sh",
        "-c",
        "echo probe=$LODGER_PROBE other=$LODGER_OTHER; env | grep -c LODGER_UNSET",
    ]);
    cmd.env("LODGER_PROBE", "42").env("LODGER_OTHER", "7");
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    assert!(
        out.stdout_str().contains("probe=42 other=\n0"),
        "{}",
        out.stdout_str()
    );
}
