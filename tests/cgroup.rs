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
    let dir = Path::new("/sys/fs/cgroup").join(rel.trim_start_matches('/'));
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
                .filter(|n| n.starts_with("lodger-"))
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
}
