//! A container as a systemd user service, written the way Podman's generated units are
//! (`Type=notify`, `--cidfile`, `--replace`, `--sdnotify=conmon`, `stop`/`rm --cidfile` on
//! the way out). Needs a systemd user instance: run in the cgroup v2 VM; elsewhere (these CI
//! hosts have no systemd) it says so. Needs no registry.

mod common;

use common::busybox::busybox_image;
use common::{OutputExt, Sandbox};
use std::process::Command;
use std::time::{Duration, Instant};

fn systemctl(args: &[&str]) -> std::process::Output {
    Command::new("systemctl")
        .arg("--user")
        .args(args)
        .output()
        .expect("systemctl runs")
}

/// Why there is no systemd user instance to talk to, if there is none.
fn no_user_systemd() -> Option<String> {
    match Command::new("systemctl")
        .args(["--user", "is-system-running"])
        .output()
    {
        Err(e) => Some(format!("no systemctl ({e})")),
        Ok(out) => {
            let state = String::from_utf8_lossy(&out.stdout).trim().to_string();
            match state.as_str() {
                "running" | "degraded" => None,
                _ => Some(format!(
                    "no systemd user instance (systemctl --user is-system-running: {state:?} {})",
                    String::from_utf8_lossy(&out.stderr).trim()
                )),
            }
        }
    }
}

fn until(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn show(unit: &str, prop: &str) -> String {
    let out = systemctl(&["show", "-p", prop, "--value", unit]);
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn a_podman_style_notify_unit_starts_watches_and_stops_its_container() {
    if let Some(why) = no_user_systemd() {
        common::say(&format!(
            "skipped: {why}; this test runs in the cgroup v2 VM"
        ));
        return;
    }
    let Ok(runtime) = std::env::var("XDG_RUNTIME_DIR") else {
        common::say("skipped: no XDG_RUNTIME_DIR, where user units can be written");
        return;
    };
    let sb = Sandbox::new(&common::lodger_bin());
    let Some(image) = busybox_image(&sb) else {
        common::say("skipped: no static /bin/busybox on this host to build the test image from");
        return;
    };
    let unit = format!("lodger-test-{}.service", std::process::id());
    let dir = std::path::Path::new(&runtime).join("systemd/user");
    std::fs::create_dir_all(&dir).unwrap();
    let cid = sb.runtime_dir.join("web.ctr-id");
    let bin = sb.bin.display().to_string();
    let env: String = sb
        .env_vars()
        .iter()
        .filter(|(k, _)| k != "PATH")
        .map(|(k, v)| format!("Environment={k}={}\n", v.to_string_lossy()))
        .collect();
    let cid = cid.display();
    // What the unit's commands print, for a failure message (a user's journal may be off).
    let log = sb.root().join("unit.log");
    let journal = |_: &str| std::fs::read_to_string(&log).unwrap_or_default();
    let log = log.display();
    let text = format!(
        "[Unit]\nDescription=lodger test web\n\n[Service]\n{env}\
         Type=notify\nNotifyAccess=all\nTimeoutStopSec=30\n\
         StandardOutput=append:{log}\nStandardError=append:{log}\n\
         ExecStart={bin} run --cidfile={cid} --cgroups=no-conmon --rm --sdnotify=conmon -d \
         --replace --network none --name web {image} /bin/busybox sleep 1000\n\
         ExecStop={bin} stop --ignore -t 10 --cidfile={cid}\n\
         ExecStopPost={bin} rm -f --ignore -t 10 --cidfile={cid}\n"
    );
    let path = dir.join(&unit);
    std::fs::write(&path, text).unwrap();
    struct Cleanup(String, std::path::PathBuf);
    impl Drop for Cleanup {
        fn drop(&mut self) {
            let _ = systemctl(&["stop", &self.0]);
            let _ = std::fs::remove_file(&self.1);
            let _ = systemctl(&["daemon-reload"]);
        }
    }
    let _cleanup = Cleanup(unit.clone(), path.clone());
    assert!(systemctl(&["daemon-reload"]).status.success());

    // Started: `systemctl start` returns once READY=1 came; the monitor is the main process.
    let out = systemctl(&["start", &unit]);
    assert!(out.status.success(), "start: {}", journal(&unit));
    assert_eq!(show(&unit, "ActiveState"), "active");
    let monitor = sb
        .lodger(&["inspect", "--format", "{{.State.ConmonPid}}", "web"])
        .assert_ok()
        .stdout_str();
    assert_eq!(show(&unit, "MainPID"), monitor.trim());
    assert!(std::path::Path::new(&cid.to_string()).exists());

    // A restart replaces the container: a new id, one container.
    let first = std::fs::read_to_string(cid.to_string()).unwrap();
    assert!(systemctl(&["restart", &unit]).status.success());
    let second = std::fs::read_to_string(cid.to_string()).unwrap();
    assert_ne!(first, second);
    assert_eq!(
        sb.lodger(&["ps", "-a", "-q"]).stdout_str().lines().count(),
        1
    );

    // The container ends (killed here): the monitor with it, so the unit is no longer active.
    sb.lodger(&["kill", "web"]).assert_ok();
    until(20, "the unit to notice its container ended", || {
        show(&unit, "ActiveState") != "active"
    });
    until(20, "ExecStopPost to remove it", || {
        sb.lodger(&["ps", "-a", "-q"]).stdout_str().is_empty()
    });

    // Started again and stopped: nothing left, the cidfile gone with the container.
    assert!(systemctl(&["start", &unit]).status.success());
    assert_eq!(show(&unit, "ActiveState"), "active");
    let out = systemctl(&["stop", &unit]);
    assert!(out.status.success(), "stop: {}", journal(&unit));
    assert_eq!(show(&unit, "ActiveState"), "inactive");
    assert_eq!(sb.lodger(&["ps", "-a", "-q"]).stdout_str(), "");
    assert!(!std::path::Path::new(&cid.to_string()).exists());
}
