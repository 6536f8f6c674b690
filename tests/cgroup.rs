//! A cgroup per container where the user has a delegated cgroup v2 subtree (a systemd user
//! unit with `Delegate=yes`): the container and what `exec` starts in it live there, its
//! cgroup namespace is rooted there, and the cgroup goes with the container. Elsewhere (cgroup
//! v1 or hybrid hosts, no delegation) the test says so and checks that nothing is recorded.
//! Needs no registry: the image is built from the host's static busybox.

mod common;

use common::busybox::busybox_image;
use common::{OutputExt, Sandbox};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SUPERVISOR: &str = "lodger-supervisor";

/// The test's own cgroup when it is a delegated cgroup v2 directory, as lodger decides it.
fn delegated() -> Option<PathBuf> {
    let mounts = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let v2_root = mounts.lines().any(|l| {
        l.split_whitespace().nth(4) == Some("/sys/fs/cgroup") && l.contains(" - cgroup2 ")
    });
    if !v2_root {
        return None;
    }
    let own = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let rel = own.lines().find_map(|l| l.strip_prefix("0::"))?;
    let mut dir = Path::new("/sys/fs/cgroup").join(rel.trim_start_matches('/'));
    // Where resource limits moved the processes of the delegated cgroup, this test's too.
    if dir.file_name().is_some_and(|n| n == SUPERVISOR) {
        dir.pop();
    }
    let procs = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.join("cgroup.procs"));
    procs.is_ok().then_some(dir)
}

fn until(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn lodger_cgroups(base: &Path) -> Vec<String> {
    std::fs::read_dir(base)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("lodger-") && n != SUPERVISOR)
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn containers_get_a_cgroup_of_their_own_where_delegated() {
    let sb = Sandbox::new(&common::lodger_bin());
    let Some(image) = busybox_image(&sb) else {
        common::say("skipped: no static /bin/busybox on this host to build the test image from");
        return;
    };
    let pid_of = |name: &str| {
        sb.lodger(&["inspect", "--format", "{{.State.Pid}}", name])
            .assert_ok()
            .stdout_str()
            .trim()
            .to_string()
    };
    let sleeper = |name: &str| {
        let args = ["run", "-d", "--network", "none", "--name", name, &image];
        let mut args = args.to_vec();
        args.extend(["/bin/busybox", "sleep", "1000"]);
        sb.lodger(&args).assert_ok().stdout_str().trim().to_string()
    };
    let Some(base) = delegated() else {
        common::say(
            "cgroup test: no delegated cgroup v2 subtree here (cgroup v1 or hybrid, or not in a user unit \
             with Delegate=yes): checking only that containers run and record no cgroup"
        );
        let id = sleeper("c");
        let state = sb.runtime_dir.join("lodger/containers").join(&id);
        assert!(state.is_dir(), "{}", state.display());
        assert!(!state.join("cgroup").exists());
        sb.lodger(&["exec", "c", "/bin/busybox", "true"])
            .assert_ok();
        sb.lodger(&["rm", "-f", "c"]).assert_ok();
        limits_without_delegation(&sb, &image);
        return;
    };
    let id = sleeper("cg");
    let dir = base.join(format!("lodger-{id}"));
    assert!(dir.is_dir(), "no cgroup {}", dir.display());
    let rel = dir
        .strip_prefix("/sys/fs/cgroup")
        .unwrap()
        .display()
        .to_string();
    let host_view = std::fs::read_to_string(format!("/proc/{}/cgroup", pid_of("cg"))).unwrap();
    assert_eq!(host_view.trim(), format!("0::/{rel}"));
    // Inside, the cgroup namespace is rooted at the container's cgroup.
    let inside = |args: &[&str]| {
        let mut all = vec!["exec", "cg", "/bin/busybox"];
        all.extend_from_slice(args);
        sb.lodger(&all).assert_ok().stdout_str()
    };
    assert_eq!(inside(&["cat", "/proc/1/cgroup"]).trim(), "0::/");
    assert_eq!(inside(&["cat", "/proc/self/cgroup"]).trim(), "0::/");
    // What exec starts is in the container's cgroup too.
    sb.lodger(&["exec", "-d", "cg", "/bin/busybox", "sleep", "999"])
        .assert_ok();
    until(5, "the exec'd process in the container's cgroup", || {
        std::fs::read_to_string(dir.join("cgroup.procs"))
            .unwrap_or_default()
            .lines()
            .count()
            == 2
    });
    // stop returns once the cgroup is gone; start makes it again; rm -f removes it.
    sb.lodger(&["stop", "-t", "0", "cg"]).assert_ok();
    assert!(!dir.exists(), "cgroup left after stop");
    sb.lodger(&["start", "cg"]).assert_ok();
    assert!(dir.is_dir());
    let host_view = std::fs::read_to_string(format!("/proc/{}/cgroup", pid_of("cg"))).unwrap();
    assert_eq!(host_view.trim(), format!("0::/{rel}"));
    sb.lodger(&["rm", "-f", "cg"]).assert_ok();
    assert!(!dir.exists(), "cgroup left after rm -f");
    // A foreground run: in its own cgroup while it runs, nothing left after.
    let out = sb.lodger(&[
        "run",
        "--rm",
        "--network",
        "none",
        &image,
        "/bin/busybox",
        "cat",
        "/proc/self/cgroup",
    ]);
    assert_eq!(out.assert_ok().stdout_str().trim(), "0::/");
    assert!(
        lodger_cgroups(&base).is_empty(),
        "{:?}",
        lodger_cgroups(&base)
    );
    // A start that fails before its process exists leaves no cgroup behind either.
    let source = sb.root().join("vanishing");
    std::fs::create_dir(&source).unwrap();
    let bind = format!("{}:/x", source.display());
    let args = [
        "create",
        "--name",
        "gone",
        "--network",
        "none",
        "-v",
        &bind,
        &image,
    ];
    let mut args = args.to_vec();
    args.extend(["/bin/busybox", "true"]);
    sb.lodger(&args).assert_ok();
    std::fs::remove_dir(&source).unwrap();
    sb.lodger(&["start", "gone"]).assert_exit(125);
    assert!(
        lodger_cgroups(&base).is_empty(),
        "{:?}",
        lodger_cgroups(&base)
    );
    sb.lodger(&["rm", "gone"]).assert_ok();
    limits_where_delegated(&sb, &image, &base);
}

const LIMITS: [&str; 10] = [
    "--memory",
    "64m",
    "--memory-swap",
    "96m",
    "--cpus",
    "0.5",
    "--cpu-shares",
    "512",
    "--pids-limit",
    "50",
];

/// Resource limits in the container's cgroup, written before its process enters it.
fn limits_where_delegated(sb: &Sandbox, image: &str, base: &Path) {
    let mut args = vec!["run", "-d", "--network", "none", "--name", "lim"];
    args.extend(LIMITS);
    args.extend([image, "/bin/busybox", "sleep", "1000"]);
    let id = sb.lodger(&args).assert_ok().stdout_str().trim().to_string();
    let dir = base.join(format!("lodger-{id}"));
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
    assert_eq!(read("memory.max").trim(), "67108864");
    assert_eq!(read("memory.swap.max").trim(), "33554432");
    assert_eq!(read("cpu.max").trim(), "50000 100000");
    assert_eq!(read("cpu.weight").trim(), "20");
    assert_eq!(read("pids.max").trim(), "50");
    // The controllers are enabled below the delegated cgroup, its processes moved aside.
    let control = std::fs::read_to_string(base.join("cgroup.subtree_control")).unwrap();
    for c in ["cpu", "memory", "pids"] {
        assert!(control.split_whitespace().any(|w| w == c), "{control}");
    }
    assert_eq!(
        std::fs::read_to_string(base.join("cgroup.procs")).unwrap(),
        "",
        "no process left in the delegated cgroup itself"
    );
    let inspect = sb
        .lodger(&[
            "inspect",
            "--format",
            "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}",
            "lim",
        ])
        .assert_ok()
        .stdout_str();
    assert_eq!(inspect.trim(), "67108864 500000000 50");
    // stats reads the same cgroup.
    let out = sb
        .lodger(&["stats", "--no-stream", "--format", "json", "lim"])
        .assert_ok()
        .stdout_str();
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let row = &doc[0];
    assert_eq!(row["name"], "lim", "{out}");
    assert!(
        row["mem_usage"].as_str().unwrap().ends_with(" / 67.1MB"),
        "{out}"
    );
    assert_eq!(row["pids"], "1", "{out}");
    assert!(row["cpu_time"].as_str().unwrap().ends_with('s'), "{out}");
    let table = sb
        .lodger(&["stats", "--no-stream"])
        .assert_ok()
        .stdout_str();
    assert!(
        table.starts_with("ID ") && table.contains("MEM USAGE / LIMIT"),
        "{table}"
    );
    assert!(table.lines().any(|l| l.contains(" lim ")), "{table}");
    let names = sb
        .lodger(&["stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}"])
        .assert_ok()
        .stdout_str();
    assert_eq!(names, "lim 1\n");
    sb.lodger(&["rm", "-f", "lim"]).assert_ok();
    assert!(!dir.exists());
    // The memory limit holds: a shell that needs 64 MB is killed under 16 MB.
    let out = sb.lodger(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--memory",
        "16m",
        "--memory-swap",
        "16m",
        image,
        "/bin/busybox",
        "sh",
        "-c",
        "a=$(/bin/busybox head -c 64000000 /dev/zero | /bin/busybox tr '\\0' x); echo ${#a}",
    ]);
    assert!(!out.status.success(), "not limited: {}", out.stdout_str());
    assert!(!out.stdout_str().contains("64000000"));
    // Containers without limits still run after the move.
    let out = sb.lodger(&[
        "run",
        "--rm",
        "--network",
        "none",
        image,
        "/bin/busybox",
        "true",
    ]);
    out.assert_ok();
    assert!(
        lodger_cgroups(base).is_empty(),
        "{:?}",
        lodger_cgroups(base)
    );
}

/// cgroup v1 or hybrid: ignored with Podman's warning; cgroup v2 without delegation: refused
/// with the fix. Bad values fail either way.
fn limits_without_delegation(sb: &Sandbox, image: &str) {
    let mut args = vec!["run", "--rm", "--network", "none"];
    args.extend(LIMITS);
    args.extend([image, "/bin/busybox", "true"]);
    let out = sb.lodger(&args);
    if Path::new("/sys/fs/cgroup/cgroup.controllers").exists() {
        out.assert_exit(125).assert_stderr_contains("Delegate=yes");
    } else {
        out.assert_ok().assert_stderr_contains(
            "Resource limits are not supported and ignored on cgroups V1 rootless systems",
        );
    }
    // stats: Podman's error on cgroup v1; on cgroup v2 the fix for a container that has no
    // cgroup of its own.
    let says = match Path::new("/sys/fs/cgroup/cgroup.controllers").exists() {
        true => "Delegate=yes",
        false => "stats is not supported in rootless mode without cgroups v2",
    };
    let args = ["run", "-d", "--network", "none", "--name", "nostats", image];
    let mut args = args.to_vec();
    args.extend(["/bin/busybox", "sleep", "1000"]);
    sb.lodger(&args).assert_ok();
    sb.lodger(&["stats", "--no-stream"])
        .assert_exit(125)
        .assert_stderr_contains(says);
    sb.lodger(&["rm", "-f", "nostats"]).assert_ok();
    for (flags, says) in [
        (&["--memory", "1m"][..], "6MB"),
        (&["--memory", "lots"][..], "invalid size"),
        (&["--cpus", "0"][..], "--cpus"),
        (&["--memory-swap", "1g"][..], "needs --memory"),
        (
            &["--memory", "64m", "--memory-swap", "32m"][..],
            "at least --memory",
        ),
    ] {
        let mut args = vec!["run", "--rm"];
        args.extend(flags);
        args.extend([image, "/bin/busybox", "true"]);
        sb.lodger(&args)
            .assert_exit(125)
            .assert_stderr_contains(says);
    }
    assert_eq!(sb.lodger(&["ps", "-a", "-q"]).stdout_str(), "");
}
