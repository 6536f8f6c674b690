//! Detached containers and their monitor: `run -d`, `start`, `logs`, `stop`, `kill`, `wait`,
//! `restart`, restart policies, and a true state after processes die behind lodger's back.

mod common;

use common::lab::Lab;
use common::OutputExt;
use std::time::{Duration, Instant};

impl Lab {
    /// `run -d [flags] IMAGE sh -c SCRIPT`; returns the printed id.
    fn detach(&self, flags: &[&str], script: &str) -> String {
        let out = self.run_sh(&[&["-d"], flags].concat(), script);
        let id = out.stdout_str().trim().to_string();
        assert_eq!(id.len(), 64, "run -d prints the full id: {id:?}");
        id
    }

    /// `ps -a --format` of one container, e.g. `{{.State}}`.
    fn field(&self, name: &str, field: &str) -> String {
        let out = self.lodger(&[
            "ps",
            "-a",
            "--no-trunc",
            "--format",
            &format!("{{{{.Names}}}} {field}"),
        ]);
        out.assert_ok();
        out.stdout_str()
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")).map(String::from))
            .unwrap_or_default()
    }

    fn state(&self, name: &str) -> String {
        self.field(name, "{{.State}}")
    }

    /// Polls until `cond` holds, for at most `secs` seconds.
    fn until(&self, secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while !cond() {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn monitor_pid(&self, id: &str) -> Option<u32> {
        for entry in std::fs::read_dir("/proc").ok()?.flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let cmdline = String::from_utf8_lossy(&cmdline);
            if cmdline.contains("__lodger-monitor") && cmdline.contains(id) {
                return Some(pid);
            }
        }
        None
    }

    fn container_pid(&self, name: &str) -> i32 {
        self.field(name, "{{.Pid}}").trim().parse().unwrap()
    }
}

/// Every container is force-removed when the lab drops.
impl Drop for Lab {
    fn drop(&mut self) {
        let _ = self.sb.lodger(&["rm", "-a", "-f"]);
    }
}

fn kill(pid: i32, sig: i32) {
    // SAFETY: kill with integers.
    unsafe {
        libc::kill(pid, sig);
    }
}

/// Until `pid`, a `wait` just spawned, blocks in its wait loop: it has found its containers
/// by then, so what the test does next happens while it waits.
fn until_waiting(pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).unwrap_or_default();
        if wchan.contains("poll") || wchan.contains("nanosleep") {
            return;
        }
        assert!(Instant::now() < deadline, "wait never blocked: {wchan:?}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn run_detached_logs_and_exit_code() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    let start = Instant::now();
    lab.detach(
        &["--name", "d1"],
        "echo out1; echo err1 >&2; printf part; sleep 1; echo out2; exit 3",
    );
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(lab.state("d1"), "running");
    lab.lodger(&["wait", "d1"])
        .assert_ok()
        .assert_stdout_contains("3");
    assert_eq!(lab.state("d1"), "exited");
    assert!(lab.field("d1", "{{.Status}}").starts_with("Exited (3)"));
    let logs = lab.lodger(&["logs", "d1"]);
    logs.assert_ok();
    assert_eq!(logs.stdout_str(), "out1\npartout2\n");
    assert_eq!(logs.stderr_str(), "err1\n");
    let tail = lab.lodger(&["logs", "--tail", "1", "d1"]);
    assert_eq!(tail.stdout_str(), "partout2\n");
    let ts = lab.lodger(&["logs", "-t", "d1"]).stdout_str();
    let first = ts.lines().next().unwrap();
    assert!(first.ends_with("Z out1"), "{first}");
    // The log file is Podman's k8s-file format.
    let log = std::fs::read_dir(lab.sb.data_home.join("lodger/containers"))
        .unwrap()
        .flatten()
        .map(|e| e.path().join("ctr.log"))
        .find(|p| p.exists())
        .unwrap();
    let text = std::fs::read_to_string(log).unwrap();
    assert!(
        text.lines().any(|l| l.ends_with(" stdout F out1")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.ends_with(" stdout P part")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.ends_with(" stderr F err1")),
        "{text}"
    );
    // --since in the future shows nothing; --until in the past shows nothing.
    assert_eq!(
        lab.lodger(&["logs", "--since", "2999-01-01T00:00:00Z", "d1"])
            .stdout_str(),
        ""
    );
    assert_eq!(
        lab.lodger(&["logs", "--until", "1h", "d1"]).stdout_str(),
        ""
    );
    // start again: the log grows.
    lab.lodger(&["start", "d1"])
        .assert_ok()
        .assert_stdout_contains("d1");
    lab.lodger(&["wait", "d1"]).assert_ok();
    let again = lab.lodger(&["logs", "d1"]).stdout_str();
    assert_eq!(again.matches("out1").count(), 2, "{again}");
}

#[test]
fn logs_follow_until_exit() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.detach(
        &["--name", "f1"],
        "for i in 1 2 3; do echo line$i; sleep 0.3; done",
    );
    let out = lab.lodger(&["logs", "-f", "f1"]);
    out.assert_ok();
    assert_eq!(out.stdout_str(), "line1\nline2\nline3\n");
}

#[test]
fn stop_kill_restart_and_rm() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    // A shell as pid 1 ignores SIGTERM: stop falls back to SIGKILL after -t.
    lab.detach(&["--name", "s1"], "sleep 100");
    let t = Instant::now();
    lab.lodger(&["stop", "-t", "1", "s1"])
        .assert_ok()
        .assert_stdout_contains("s1")
        .assert_stderr_contains(
            "StopSignal SIGTERM failed to stop container s1 in 1 seconds, resorting to SIGKILL",
        );
    assert!(t.elapsed() < Duration::from_secs(5));
    assert_eq!(lab.state("s1"), "exited");
    // A trap that exits at once on the stop signal.
    lab.detach(
        &["--name", "s2", "--stop-signal", "SIGUSR1"],
        "trap 'exit 7' USR1; echo trapped; while :; do sleep 0.1; done",
    );
    // A stop before the trap is set would kill the shell outright.
    lab.until(5, "the trap", || {
        lab.lodger(&["logs", "s2"]).stdout_str().contains("trapped")
    });
    lab.lodger(&["stop", "s2"]).assert_ok();
    assert!(lab.field("s2", "{{.Status}}").starts_with("Exited (7)"));
    // kill and wait.
    lab.detach(&["--name", "k1"], "sleep 100");
    lab.lodger(&["kill", "k1"])
        .assert_ok()
        .assert_stdout_contains("k1");
    lab.lodger(&["wait", "k1"])
        .assert_ok()
        .assert_stdout_contains("137");
    lab.lodger(&["kill", "k1"])
        .assert_exit(125)
        .assert_stderr_contains("can only kill running containers");
    // restart gives a new process.
    lab.detach(&["--name", "r1"], "sleep 100");
    let before = lab.container_pid("r1");
    lab.lodger(&["restart", "-t", "0", "r1"]).assert_ok();
    assert_eq!(lab.state("r1"), "running");
    assert_ne!(lab.container_pid("r1"), before);
    // rm of a running container needs -f.
    lab.lodger(&["rm", "r1"])
        .assert_exit(2)
        .assert_stderr_contains("r1");
    lab.lodger(&["rm", "-f", "r1"]).assert_ok();
    // stop -a stops the rest.
    lab.detach(&["--name", "a1"], "sleep 100");
    lab.detach(&["--name", "a2", "--rm"], "sleep 100");
    lab.lodger(&["stop", "-a", "-t", "0"]).assert_ok();
    assert_eq!(lab.state("a1"), "exited");
    // --rm: the monitor removed it.
    lab.until(5, "a2 removed", || lab.state("a2").is_empty());
}

#[test]
fn bad_input() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    for cmd in ["stop", "kill", "wait", "restart", "start", "logs"] {
        lab.lodger(&[cmd, "no-such-ctr"])
            .assert_exit(125)
            .assert_stderr_contains("no-such-ctr");
    }
    lab.detach(&["--name", "b1"], "sleep 100");
    lab.lodger(&["start", "b1"])
        .assert_exit(125)
        .assert_stderr_contains("already running");
    // A command that does not exist fails `run -d` itself, as Podman does.
    lab.lodger(&["run", "-d", &lab.image, "no-such-command"])
        .assert_exit(127)
        .assert_stderr_contains("no-such-command");
    lab.lodger(&["run", "-d", "--restart", "sometimes", &lab.image, "true"])
        .assert_exit(125)
        .assert_stderr_contains("--restart");
    lab.lodger(&["kill", "-s", "NOPE", "b1"])
        .assert_exit(125)
        .assert_stderr_contains("NOPE");
}

#[test]
fn restart_policies() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.detach(
        &["--name", "of", "--restart", "on-failure:2"],
        "echo run; exit 1",
    );
    lab.until(10, "on-failure to give up", || {
        lab.lodger(&["logs", "of"])
            .stdout_str()
            .matches("run")
            .count()
            == 3
            && lab.state("of") == "exited"
    });
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        lab.lodger(&["logs", "of"])
            .stdout_str()
            .matches("run")
            .count(),
        3
    );
    // Podman's count of the policy's restarts; a start by the user begins it again.
    assert_eq!(lab.field("of", "{{.Restarts}}"), "2");
    let inspect = lab.lodger(&["inspect", "--format", "{{.RestartCount}}", "of"]);
    assert_eq!(inspect.stdout_str().trim(), "2");
    let ps = lab.lodger(&["ps", "-a", "--filter", "name=of", "--format", "json"]);
    assert!(
        ps.stdout_str().contains("\"Restarts\": 2"),
        "{}",
        ps.stdout_str()
    );
    lab.detach(
        &["--name", "ok", "--restart", "on-failure"],
        "echo run; exit 0",
    );
    lab.lodger(&["wait", "ok"]).assert_ok();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(lab.lodger(&["logs", "ok"]).stdout_str(), "run\n");
    // always: a killed process comes back; stop keeps it stopped.
    lab.detach(&["--name", "al", "--restart", "always"], "sleep 100");
    let first = lab.container_pid("al");
    kill(first, libc::SIGKILL);
    lab.until(10, "always to restart", || {
        let pid = lab.container_pid("al");
        lab.state("al") == "running" && pid != first && pid != 0
    });
    assert_eq!(lab.field("al", "{{.Restarts}}"), "1");
    lab.lodger(&["stop", "-t", "0", "al"]).assert_ok();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(lab.state("al"), "exited");
    lab.lodger(&["start", "al"]).assert_ok();
    assert_eq!(lab.field("al", "{{.Restarts}}"), "0");
    lab.lodger(&["stop", "-t", "0", "al"]).assert_ok();
}

#[test]
fn state_stays_true_when_processes_die() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    // The container process killed: the monitor records it.
    let id = lab.detach(&["--name", "c1"], "sleep 100");
    kill(lab.container_pid("c1"), libc::SIGKILL);
    lab.until(5, "the monitor to record the exit", || {
        lab.field("c1", "{{.Status}}").starts_with("Exited (137)")
    });
    assert!(
        lab.monitor_pid(&id).is_none(),
        "the monitor ends with its container"
    );
    // The monitor killed: the container still runs and shows so, then its death shows too.
    let id = lab.detach(&["--name", "m1"], "sleep 100");
    let monitor = lab.monitor_pid(&id).expect("a monitor process");
    kill(monitor as i32, libc::SIGKILL);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(lab.state("m1"), "running");
    kill(lab.container_pid("m1"), libc::SIGKILL);
    lab.until(5, "m1 exited", || lab.state("m1") == "exited");
    // Every command still works on it.
    lab.lodger(&["stop", "m1"]).assert_ok();
    lab.lodger(&["start", "m1"]).assert_ok();
    assert_eq!(lab.state("m1"), "running");
    lab.lodger(&["rm", "-f", "m1"]).assert_ok();
    assert_eq!(lab.state("m1"), "");
}

#[test]
fn exec_joins_the_running_container() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.detach(
        &["--name", "x1", "--network", "none", "-e", "FOO=bar"],
        "echo hi > /tmp/mark; sleep 100",
    );
    lab.until(5, "the container's first write", || {
        lab.lodger(&["exec", "x1", "test", "-f", "/tmp/mark"])
            .status
            .success()
    });
    // Same root, environment, hostname and pid namespace (the container's sleep is visible).
    let out = lab.lodger(&[
        "exec",
        "x1",
        "sh",
        "-c",
        "cat /tmp/mark; echo $FOO; hostname; ps -o comm= 2>/dev/null || ls /proc",
    ]);
    out.assert_ok();
    let text = out.stdout_str();
    assert!(text.starts_with("hi\nbar\n"), "{text}");
    let id = lab.field("x1", "{{.ID}}");
    assert!(text.contains(&id[..12]), "{text}");
    // The same restrictions as the container's process.
    let status = lab
        .lodger(&["exec", "x1", "cat", "/proc/self/status"])
        .stdout_str();
    let own = lab
        .lodger(&[
            "run",
            "--rm",
            "--network",
            "none",
            &lab.image,
            "cat",
            "/proc/self/status",
        ])
        .stdout_str();
    for key in ["CapEff:", "CapBnd:", "NoNewPrivs:", "Seccomp:"] {
        let line = |t: &str| t.lines().find(|l| l.starts_with(key)).map(String::from);
        assert_eq!(line(&status), line(&own), "{key}");
    }
    // -u, -w, -e and the exit code.
    let out = lab.lodger(&[
        "exec",
        "-u",
        "1000:1000",
        "-w",
        "/tmp",
        "-e",
        "X=1",
        "x1",
        "sh",
        "-c",
        "id -u; pwd; echo $X; exit 3",
    ]);
    out.assert_exit(3);
    assert_eq!(out.stdout_str(), "1000\n/tmp\n1\n");
    // -i passes stdin.
    let out = lab
        .sb
        .lodger_stdin(&["exec", "-i", "x1", "cat"], b"piped\n");
    out.assert_ok();
    assert_eq!(out.stdout_str(), "piped\n");
    lab.lodger(&["exec", "x1", "no-such-command"])
        .assert_exit(127)
        .assert_stderr_contains("no-such-command");
    lab.lodger(&["stop", "-t", "0", "x1"]).assert_ok();
    lab.lodger(&["exec", "x1", "true"])
        .assert_exit(125)
        .assert_stderr_contains("x1 is not running");
    lab.lodger(&["exec", "no-such-ctr", "true"])
        .assert_exit(125)
        .assert_stderr_contains("no-such-ctr");
}

/// `wait` sleeps until the container's exit wakes it (a pidfd), not in a polling loop: over
/// a two-second wait it is scheduled only a few times.
#[test]
fn wait_is_woken_by_the_exit_not_by_polling() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.detach(&["--name", "slow"], "sleep 2; exit 4");
    // Reaped below with wait4, which also gives its resource usage.
    #[allow(clippy::zombie_processes)]
    let child = lab
        .sb
        .command(&["wait", "slow"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain data the kernel fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, with pointers to locals.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.unwrap(), &mut out).unwrap();
    assert_eq!(out.trim(), "4");
    // Polling every 20 ms made about a hundred voluntary switches; the pidfd makes about ten
    // (the rest wait for the monitor to record the exit, longer on a loaded machine).
    assert!(
        usage.ru_nvcsw < 50,
        "{} voluntary context switches",
        usage.ru_nvcsw
    );
}

#[test]
fn wait_conditions_several_containers_and_ignore() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.lodger(&[
        "create",
        "--name",
        "w0",
        &lab.image,
        "sh",
        "-c",
        "sleep 1; exit 5",
    ])
    .assert_ok();
    // Never started: Podman prints 0 at once.
    let t = Instant::now();
    let out = lab.lodger(&["wait", "w0"]);
    out.assert_ok();
    assert_eq!(out.stdout_str(), "0\n");
    assert!(t.elapsed() < Duration::from_secs(3));
    // --condition running returns -1 once the container runs, not before.
    let mut waiter = lab
        .sb
        .command(&["wait", "--condition", "running", "--interval", "50ms", "w0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    until_waiting(waiter.id());
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        waiter.try_wait().unwrap().is_none(),
        "returned before start"
    );
    lab.lodger(&["start", "w0"]).assert_ok();
    let out = waiter.wait_with_output().unwrap();
    out.assert_ok();
    assert_eq!(out.stdout_str(), "-1\n");
    // Several containers: one code per line, in the order given; --ignore gives -1.
    lab.detach(&["--name", "w2"], "exit 3");
    let out = lab.lodger(&["wait", "--ignore", "w0", "no-such-ctr", "w2"]);
    out.assert_ok();
    assert_eq!(out.stdout_str(), "5\n-1\n3\n");
    // Without --ignore a missing container fails before anything is waited for.
    let out = lab.lodger(&["wait", "w0", "no-such-ctr"]);
    out.assert_exit(125).assert_stderr_contains("no-such-ctr");
    assert_eq!(out.stdout_str(), "");
    // --condition created matches a created container; several conditions match on any.
    lab.lodger(&["create", "--name", "w3", &lab.image, "true"])
        .assert_ok();
    let out = lab.lodger(&["wait", "--condition", "running,created", "w3"]);
    out.assert_ok();
    assert_eq!(out.stdout_str(), "-1\n");
    // removing: returns once the container is removed, with its last exit code.
    let waiter = lab
        .sb
        .command(&["wait", "--condition", "removing", "w2"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    until_waiting(waiter.id());
    lab.lodger(&["rm", "w2"]).assert_ok();
    let out = waiter.wait_with_output().unwrap();
    out.assert_ok();
    assert_eq!(out.stdout_str(), "3\n");
    // What lodger containers never do is a clear error.
    lab.lodger(&["wait", "--condition", "paused", "w0"])
        .assert_exit(125)
        .assert_stderr_contains("never paused");
    lab.lodger(&["wait", "--condition", "healthy", "w0"])
        .assert_exit(125)
        .assert_stderr_contains("no healthcheck");
    lab.lodger(&["wait", "--condition", "asleep", "w0"])
        .assert_exit(125)
        .assert_stderr_contains("unknown container state: asleep");
    lab.lodger(&["wait", "--interval", "soon", "w0"])
        .assert_exit(125)
        .assert_stderr_contains("--interval");
    // --latest: the last created container.
    let out = lab.lodger(&["wait", "--latest"]);
    out.assert_ok();
    assert_eq!(out.stdout_str(), "0\n");
    // --exit-first-match: the first container to stop, alone.
    lab.detach(&["--name", "f1"], "sleep 60");
    lab.detach(&["--name", "f2"], "sleep 0.5; exit 7");
    let t = Instant::now();
    let out = lab.lodger(&["wait", "--exit-first-match", "f1", "f2"]);
    out.assert_ok();
    assert_eq!(out.stdout_str(), "7\n");
    assert!(t.elapsed() < Duration::from_secs(20));
    assert_eq!(lab.state("f1"), "running");
}

#[test]
fn wait_gives_the_exit_code_of_containers_already_removed() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    let waiter = |args: &[&str]| {
        let mut full = vec!["wait"];
        full.extend_from_slice(args);
        lab.sb
            .command(&full)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    // Waiting when --rm removes it.
    let id = lab.detach(&["--rm"], "sleep 0.3; exit 7");
    let out = lab.lodger(&["wait", &id]);
    out.assert_ok();
    assert_eq!(out.stdout_str(), "7\n");
    let id = lab.detach(&["--rm", "--name", "j2"], "sleep 1; exit 7");
    let early = waiter(&[&id]);
    let by_name = waiter(&["j2"]);
    for w in [early, by_name] {
        let out = w.wait_with_output().unwrap();
        out.assert_ok();
        assert_eq!(out.stdout_str(), "7\n");
    }
    // Asked after it is gone: by id, short id and name, and for --condition removing.
    let id = lab.detach(&["--rm", "--name", "j3"], "exit 3");
    lab.until(10, "j3 removed", || {
        lab.lodger(&["ps", "-a", "-q"])
            .stdout_str()
            .trim()
            .is_empty()
    });
    for c in [&id[..], &id[..12], "j3"] {
        let out = lab.lodger(&["wait", c]);
        out.assert_ok();
        assert_eq!(out.stdout_str(), "3\n", "wait {c}");
    }
    let out = lab.lodger(&["wait", "--condition", "removing", "j3"]);
    assert_eq!(out.stdout_str(), "3\n");
    let out = lab.lodger(&["wait", "--ignore", "nothing", "j3"]);
    assert_eq!(out.stdout_str(), "-1\n3\n");
    // One the user removed is unknown afterwards, as in Podman.
    lab.detach(&["--name", "r1"], "exit 4");
    assert_eq!(lab.lodger(&["wait", "r1"]).stdout_str(), "4\n");
    lab.lodger(&["rm", "r1"]).assert_ok();
    lab.lodger(&["wait", "r1"])
        .assert_exit(125)
        .assert_stderr_contains("no such container");
    // ... but a `wait` already waiting gets the code of a forced removal.
    lab.detach(&["--name", "r2"], "sleep 100");
    let w = waiter(&["r2"]);
    until_waiting(w.id());
    lab.lodger(&["rm", "-f", "r2"]).assert_ok();
    let out = w.wait_with_output().unwrap();
    out.assert_ok();
    assert_eq!(out.stdout_str(), "137\n");
}

#[test]
fn rm_depend_removes_dependents_and_plain_rm_refuses() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    let id = |name: &str| lab.field(name, "{{.ID}}");
    let base = lab.detach(&["--name", "d0", "-v", "/data"], "sleep 100");
    lab.lodger(&[
        "create",
        "--name",
        "d1",
        "--volumes-from",
        "d0",
        &lab.image,
        "true",
    ])
    .assert_ok();
    lab.lodger(&[
        "create",
        "--name",
        "d2",
        "--network",
        "container:d1",
        &lab.image,
        "true",
    ])
    .assert_ok();
    let (d1, d2) = (id("d1"), id("d2"));
    // The network container is pinned by id, as Podman shows it.
    let mode = lab.lodger(&["inspect", "--format", "{{.HostConfig.NetworkMode}}", "d2"]);
    assert_eq!(mode.stdout_str(), format!("container:{d1}\n"));
    // The running state is looked at first, as in Podman.
    lab.lodger(&["rm", "d0"]).assert_exit(2);
    lab.lodger(&["stop", "-t", "0", "d0"]).assert_ok();
    let out = lab.lodger(&["rm", "d0"]);
    out.assert_exit(125)
        .assert_stderr_contains("has dependent containers which must be removed before it")
        .assert_stderr_contains(&d1);
    lab.lodger(&["rm", "d1"])
        .assert_exit(125)
        .assert_stderr_contains(&d2);
    assert_eq!(lab.state("d0"), "exited", "nothing removed");
    // What was recorded, by id.
    let deps = lab.lodger(&["inspect", "--format", "{{json .Dependencies}}", "d1"]);
    assert_eq!(deps.stdout_str().trim(), format!("[\"{base}\"]"));
    // --depend: the dependents first, deepest first, then the container.
    let out = lab.lodger(&["rm", "--depend", "d0"]);
    out.assert_ok();
    let removed: Vec<String> = out.stdout_str().lines().map(String::from).collect();
    assert_eq!(removed, [d2, d1, base]);
    for n in ["d0", "d1", "d2"] {
        assert_eq!(lab.state(n), "", "{n} removed");
    }
    // A running dependent stops --depend without -f, and nothing is removed.
    lab.lodger(&["create", "--name", "x0", "-v", "/data", &lab.image, "true"])
        .assert_ok();
    lab.detach(&["--name", "x1", "--volumes-from", "x0:ro"], "sleep 100");
    lab.lodger(&["rm", "--depend", "x0"])
        .assert_exit(2)
        .assert_stderr_contains("x1");
    assert_eq!(lab.state("x0"), "created");
    assert_eq!(lab.state("x1"), "running");
    // prune leaves what a running container needs, and says why.
    lab.lodger(&["container", "prune", "-f"])
        .assert_exit(125)
        .assert_stderr_contains("has dependent containers");
    assert_eq!(lab.state("x0"), "created");
    lab.lodger(&["rm", "--depend", "-f", "x0"]).assert_ok();
    assert_eq!(lab.state("x1"), "");
    // rm -a takes dependents along whatever the order.
    lab.lodger(&["create", "--name", "y0", &lab.image, "true"])
        .assert_ok();
    lab.lodger(&[
        "create",
        "--name",
        "y1",
        "--network",
        "container:y0",
        &lab.image,
        "true",
    ])
    .assert_ok();
    lab.lodger(&["rm", "-a"]).assert_ok();
    assert_eq!(lab.state("y0"), "");
    // A network container that does not exist is refused at create.
    lab.lodger(&["create", "--network", "container:nope", &lab.image, "true"])
        .assert_exit(125)
        .assert_stderr_contains("nope");
}

#[test]
fn exec_detached_privileged_and_the_recorded_cgroup() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    let id = lab.detach(&["--name", "e1", "--network", "none"], "sleep 100");
    let in_ctr = |args: &[&str]| {
        let mut all = vec!["exec", "e1"];
        all.extend_from_slice(args);
        lab.lodger(&all)
    };
    // -d returns at once with a session ID; the command runs on, its output discarded, and
    // holds none of lodger's streams (the caller's pipes close at once).
    let t = Instant::now();
    let out = lab.lodger(&[
        "exec",
        "-d",
        "e1",
        "sh",
        "-c",
        "echo hidden; echo hidden >&2; sleep 3; touch /tmp/finished",
    ]);
    out.assert_ok();
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    let sid = out.stdout_str();
    assert_eq!(sid.trim().len(), 64, "{sid}");
    assert!(sid.trim().bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(out.stderr_str(), "");
    assert!(in_ctr(&["ps"]).stdout_str().contains("sleep 3"));
    assert!(!in_ctr(&["test", "-e", "/tmp/finished"]).status.success());
    lab.until(10, "the detached command to finish", || {
        in_ctr(&["test", "-e", "/tmp/finished"]).status.success()
    });
    // Once done it is reaped (by init, which adopts it), not left a zombie.
    lab.until(20, "the detached command to be reaped", || {
        !in_ctr(&["ps"]).stdout_str().contains("[sh]")
    });
    assert!(!lab.lodger(&["logs", "e1"]).stdout_str().contains("hidden"));
    lab.lodger(&["exec", "-d", "e1", "no-such-command"])
        .assert_exit(127)
        .assert_stderr_contains("no-such-command");
    // --privileged: every capability of the user namespace; seccomp and no_new_privs stay.
    let status = |args: &[&str]| {
        let mut all = vec!["exec"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["e1", "cat", "/proc/self/status"]);
        let text = lab.lodger(&all).stdout_str();
        let get = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(key))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        (
            get("CapEff:"),
            get("CapBnd:"),
            get("NoNewPrivs:"),
            get("Seccomp:"),
        )
    };
    let last_cap: u32 = std::fs::read_to_string("/proc/sys/kernel/cap_last_cap")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let all_caps = format!("{:016x}", (1u64 << (last_cap + 1)) - 1);
    let plain = status(&[]);
    let privileged = status(&["--privileged"]);
    assert_ne!(plain.0, all_caps);
    assert_eq!(
        (privileged.0.as_str(), privileged.1.as_str()),
        (all_caps.as_str(), all_caps.as_str())
    );
    assert_eq!((&privileged.2, &privileged.3), (&plain.2, &plain.3));
    assert_eq!(plain.2, "1");
    assert_eq!(plain.3, "2");
    // --detach-keys is accepted in Podman's syntax.
    lab.lodger(&["exec", "--detach-keys", "ctrl-p,ctrl-q", "e1", "true"])
        .assert_ok();
    lab.lodger(&["exec", "--detach-keys", "bogus", "e1", "true"])
        .assert_exit(125)
        .assert_stderr_contains("--detach-keys");
    // A recorded cgroup is joined before anything runs: one exec cannot enter fails. A
    // record that points outside the cgroup mount is never followed.
    let record = lab
        .sb
        .runtime_dir
        .join("lodger/containers")
        .join(&id)
        .join("cgroup");
    std::fs::write(&record, "/tmp\n").unwrap();
    in_ctr(&["true"]).assert_ok();
    std::fs::write(&record, "/sys/fs/cgroup/no-such-cgroup\n").unwrap();
    in_ctr(&["true"])
        .assert_exit(125)
        .assert_stderr_contains("joining the container's cgroup /sys/fs/cgroup/no-such-cgroup");
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    let cgroup2 = mountinfo
        .lines()
        .find(|l| l.contains(" - cgroup2 "))
        .and_then(|l| l.split_whitespace().nth(4));
    if let Some(root) = cgroup2 {
        let procs = std::path::Path::new(root).join("cgroup.procs");
        let writable = std::fs::OpenOptions::new().write(true).open(&procs).is_ok();
        if !writable {
            std::fs::write(&record, root).unwrap();
            in_ctr(&["true"])
                .assert_exit(125)
                .assert_stderr_contains("joining the container's cgroup");
        }
    }
    std::fs::remove_file(&record).unwrap();
    in_ctr(&["true"]).assert_ok();
}

#[test]
fn rm_f_keeps_the_exit_code_its_monitor_records_late() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.detach(&["--name", "late"], "sleep 100");
    let out = lab.lodger(&["inspect", "--format", "{{.State.ConmonPid}}", "late"]);
    out.assert_ok();
    let monitor: i32 = out
        .stdout_str()
        .trim()
        .parse()
        .expect("ConmonPid is a number");
    assert!(monitor > 0, "a running container has a monitor");
    // A monitor held up (a busy host, here SIGSTOP) has not recorded the exit when `rm -f`
    // killed the container: the code a `wait` prints must still be the real one.
    kill(monitor, libc::SIGSTOP);
    let spawn = |args: &[&str]| {
        lab.sb
            .command(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let w = spawn(&["wait", "late"]);
    until_waiting(w.id());
    let pid = lab.container_pid("late");
    let mut rm = spawn(&["rm", "-f", "late"]);
    // Killed, and not reaped by the stopped monitor.
    let zombie = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
            s.rsplit_once(')')
                .is_some_and(|(_, f)| f.trim_start().starts_with('Z'))
        })
    };
    lab.until(20, "rm -f to kill the container", zombie);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        rm.try_wait().unwrap().is_none(),
        "rm waits for the monitor to record the exit"
    );
    kill(monitor, libc::SIGCONT);
    rm.wait_with_output().unwrap().assert_ok();
    let out = w.wait_with_output().unwrap();
    out.assert_ok();
    assert_eq!(out.stdout_str(), "137\n");
    assert_eq!(lab.lodger(&["ps", "-a", "-q"]).stdout_str(), "");
}

#[test]
fn the_container_group_takes_every_container_command() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    let c = |args: &[&str]| lab.lodger(&[&["container"], args].concat());
    let stdout = |args: &[&str]| {
        let out = c(args);
        out.assert_ok();
        out.stdout_str()
    };
    // `container exists`: 0 or 1, and nothing printed, as Podman.
    assert_eq!(c(&["exists", "g1"]).assert_exit(1).stdout_str(), "");
    c(&["run", "--rm", &lab.image, "true"]).assert_ok();
    c(&[
        "run",
        "-d",
        "--name",
        "g1",
        &lab.image,
        "sh",
        "-c",
        "echo hi; sleep 100",
    ])
    .assert_ok();
    assert_eq!(stdout(&["exists", "g1"]), "");
    c(&["exists", "--external", "g1"]).assert_ok();
    let id = lab.field("g1", "{{.ID}}");
    c(&["exists", &id[..12]]).assert_ok();
    assert_eq!(stdout(&["ls", "-q"]), format!("{}\n", &id[..12]));
    assert_eq!(stdout(&["list", "--format", "{{.Names}}"]), "g1\n");
    lab.until(10, "the first line logged", || {
        c(&["logs", "g1"]).stdout_str() == "hi\n"
    });
    c(&["exec", "g1", "sh", "-c", "echo in > /tmp/f"]).assert_ok();
    c(&["top", "g1"])
        .assert_ok()
        .assert_stdout_contains("sleep");
    c(&["diff", "g1"])
        .assert_ok()
        .assert_stdout_contains("/tmp/f");
    c(&["port", "g1"]).assert_ok();
    c(&["stop", "-t", "0", "g1"]).assert_ok();
    assert_eq!(stdout(&["wait", "g1"]), "137\n");
    c(&["start", "g1"]).assert_ok();
    c(&["kill", "g1"]).assert_ok();
    c(&["restart", "g1"]).assert_ok();
    assert_eq!(lab.state("g1"), "running");
    c(&["create", "--name", "g2", &lab.image, "true"]).assert_ok();
    c(&["rm", "-f", "g1", "g2"]).assert_ok();
    c(&["exists", "g1"]).assert_exit(1);
    c(&["exists", "g2"]).assert_exit(1);
}

#[test]
fn what_systemd_units_use_cidfile_replace_and_rm_time() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    let cid = lab.sb.root().join("ctr.id");
    let cidf = cid.to_str().unwrap();
    let id = lab.detach(&["--cidfile", cidf, "--name", "u1"], "sleep 100");
    assert_eq!(
        std::fs::read_to_string(&cid).unwrap(),
        id,
        "the full id, no newline"
    );
    // A second container cannot take the same file, and leaves nothing behind.
    lab.lodger(&["run", "-d", "--cidfile", cidf, &lab.image, "true"])
        .assert_exit(125)
        .assert_stderr_contains("exists");
    assert_eq!(
        lab.lodger(&["ps", "-a", "-q"]).stdout_str().lines().count(),
        1
    );
    // A creation that fails leaves no file.
    let other = lab.sb.root().join("other.id");
    lab.lodger(&[
        "create",
        "--cidfile",
        other.to_str().unwrap(),
        "--pull",
        "never",
        "localhost/no/such:image",
    ])
    .assert_exit(125);
    assert!(!other.exists());
    // stop, kill, restart and rm read it.
    lab.lodger(&["stop", "-t", "0", "--cidfile", cidf])
        .assert_ok()
        .assert_stdout_contains(&id);
    assert_eq!(lab.state("u1"), "exited");
    lab.lodger(&["restart", "--cidfile", cidf]).assert_ok();
    assert_eq!(lab.state("u1"), "running");
    lab.lodger(&["kill", "-s", "TERM", "--cidfile", cidf])
        .assert_ok();
    lab.lodger(&["restart", "-t", "0", "--cidfile", cidf])
        .assert_ok();
    // rm -f -t: the stop signal first (a shell as pid 1 ignores it), SIGKILL after -t.
    let t = Instant::now();
    lab.lodger(&["rm", "-f", "-t", "1", "--cidfile", cidf])
        .assert_ok()
        .assert_stdout_contains(&id);
    assert!(
        t.elapsed() >= Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );
    assert!(!cid.exists(), "removed with its container");
    lab.lodger(&["rm", "-t", "1", "u1"])
        .assert_exit(125)
        .assert_stderr_contains("--force");
    // Gone: what a unit's ExecStop runs still succeeds with --ignore, and fails without.
    lab.lodger(&["rm", "-f", "--ignore", "--cidfile", cidf])
        .assert_ok();
    lab.lodger(&["stop", "--ignore", "--cidfile", cidf])
        .assert_ok();
    lab.lodger(&["stop", "--cidfile", cidf])
        .assert_exit(125)
        .assert_stderr_contains("container id file");
    // --replace: the old container of that name goes, running or not.
    let first = lab.detach(&["--name", "u2"], "sleep 100");
    let second = lab.detach(&["--replace", "--name", "u2"], "sleep 100");
    assert_ne!(first, second);
    assert_eq!(lab.field("u2", "{{.ID}}"), second);
    assert_eq!(
        lab.lodger(&["ps", "-a", "-q"]).stdout_str().lines().count(),
        1
    );
    lab.lodger(&["run", "--replace", &lab.image, "true"])
        .assert_exit(125)
        .assert_stderr_contains("--name");
    // --cgroups as Podman's units give it.
    for mode in ["enabled", "disabled", "no-conmon", "split"] {
        lab.lodger(&["run", "--rm", "--cgroups", mode, &lab.image, "true"])
            .assert_ok();
    }
    lab.lodger(&["run", "--rm", "--cgroups", "bogus", &lab.image, "true"])
        .assert_exit(125)
        .assert_stderr_contains("disabled");
}

#[test]
fn sdnotify_tells_the_units_socket_what_podman_tells_it() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    let path = lab.sb.root().join("notify.sock");
    let socket = std::os::unix::net::UnixDatagram::bind(&path).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let recv = || {
        let mut buf = [0u8; 256];
        let n = socket.recv(&mut buf).expect("a notification");
        String::from_utf8_lossy(&buf[..n]).into_owned()
    };
    let run = |args: &[&str]| {
        let out = lab
            .sb
            .command(args)
            .env("NOTIFY_SOCKET", &path)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        out.assert_ok();
        out
    };
    // Detached (the default mode, conmon): READY=1 with the monitor as the main process.
    run(&["run", "-d", "--name", "n1", &lab.image, "sleep", "100"]);
    let monitor = lab.lodger(&["inspect", "--format", "{{.State.ConmonPid}}", "n1"]);
    assert_eq!(
        recv(),
        format!("MAINPID={}\nREADY=1\n", monitor.stdout_str().trim())
    );
    // Foreground: lodger itself watches the container.
    let child = lab
        .sb
        .command(&["run", "--rm", &lab.image, "true"])
        .env("NOTIFY_SOCKET", &path)
        .spawn()
        .unwrap();
    let pid = child.id();
    child.wait_with_output().unwrap().assert_ok();
    assert_eq!(recv(), format!("MAINPID={pid}\nREADY=1\n"));
    // ignore: nothing; container: the socket inside, and only MAINPID from lodger.
    run(&["run", "--rm", "--sdnotify", "ignore", &lab.image, "true"]);
    let out = run(&[
        "run",
        "--rm",
        "--sdnotify",
        "container",
        &lab.image,
        "sh",
        "-c",
        "test -S \"$NOTIFY_SOCKET\" && echo $NOTIFY_SOCKET",
    ]);
    assert_eq!(out.stdout_str(), "/run/notify/notify.sock\n");
    let msg = recv();
    assert!(
        msg.starts_with("MAINPID=") && !msg.contains("READY"),
        "after ignore, only container's message: {msg:?}"
    );
    lab.lodger(&["run", "--rm", "--sdnotify", "bogus", &lab.image, "true"])
        .assert_exit(125)
        .assert_stderr_contains("conmon");
}
