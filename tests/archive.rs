//! `save` and `load` in every format, round trips, and interop with Podman when present.

mod common;

use common::{OutputExt, Sandbox};
use std::process::Stdio;

fn id_of(sb: &Sandbox, name: &str) -> String {
    sb.lodger(&["images", "-q", "--no-trunc", name])
        .assert_ok()
        .stdout_str()
        .trim()
        .to_string()
}

#[test]
fn loads_the_fixture_archives() {
    let Some(env) = common::require_harness() else {
        return;
    };
    for file in ["small.oci.tar", "small.docker.tar"] {
        let sb = env.sandbox();
        let path = env.fixtures.join(file);
        sb.lodger(&["load", "-i", path.to_str().unwrap()])
            .assert_ok()
            .assert_stdout_contains("Loaded image");
        let ids = sb.lodger(&["images", "-q"]).assert_ok().stdout_str();
        assert_eq!(ids.lines().count(), 1, "{file}");
    }
}

#[test]
fn round_trips_in_every_format() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["multi:latest"]);
    let want = id_of(&sb, "multi");
    for format in ["docker-archive", "oci-archive", "oci-dir"] {
        let out = sb.home.join(format!("saved-{format}"));
        sb.lodger(&[
            "save",
            "--format",
            format,
            "-o",
            out.to_str().unwrap(),
            "multi",
        ])
        .assert_ok();
        let other = env.sandbox();
        let loaded = other.lodger(&["load", "-i", out.to_str().unwrap()]);
        loaded
            .assert_ok()
            .assert_stdout_contains(&format!("Loaded image: {}", env.image("multi:latest")));
        assert_eq!(id_of(&other, "multi"), want, "{format} keeps the image id");
        // The loaded image is whole: its layers are there.
        other
            .lodger(&["image", "inspect", "--format", "{{.Os}}", "multi"])
            .assert_ok();
    }
}

#[test]
fn oci_archive_keeps_the_manifest_digest() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let out = sb.home.join("small.oci");
    sb.lodger(&[
        "save",
        "--format",
        "oci-archive",
        "-o",
        out.to_str().unwrap(),
        "small",
    ])
    .assert_ok();
    let other = env.sandbox();
    other
        .lodger(&["load", "-i", out.to_str().unwrap()])
        .assert_ok();
    other
        .lodger(&["image", "inspect", "--format", "{{.Digest}}", "small"])
        .assert_ok()
        .assert_stdout_contains(&env.layout_digest("small"));
}

#[test]
fn several_images_in_one_archive_through_a_pipe() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest", "multi:latest"]);
    let save = sb
        .command(&["save", "-m", "small", "multi"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    save.assert_ok();
    let other = env.sandbox();
    other
        .lodger_stdin(&["load"], &save.stdout)
        .assert_ok()
        .assert_stdout_contains(&env.image("small:latest"))
        .assert_stdout_contains(&env.image("multi:latest"));
    assert_eq!(id_of(&other, "small"), id_of(&sb, "small"));
}

#[test]
fn a_broken_archive_fails_with_125_and_changes_nothing() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    let junk = sb.home.join("junk.tar");
    std::fs::write(
        &junk,
        b"this is not a tar archive at all, not even close............",
    )
    .unwrap();
    sb.lodger(&["load", "-i", junk.to_str().unwrap()])
        .assert_exit(125);
    // A truncated real archive.
    let good = std::fs::read(env.fixtures.join("small.docker.tar")).unwrap();
    let cut = sb.home.join("cut.tar");
    std::fs::write(&cut, &good[..good.len() / 2]).unwrap();
    sb.lodger(&["load", "-i", cut.to_str().unwrap()])
        .assert_exit(125);
    assert!(sb
        .lodger(&["images", "-q"])
        .assert_ok()
        .stdout_str()
        .is_empty());
    assert_eq!(
        std::fs::read_dir(sb.store().join("tmp")).map_or(0, |d| d.count()),
        0,
        "no staging left"
    );
    sb.lodger(&["save", "-o", "/nonexistent/dir/x.tar", "nothing"])
        .assert_exit(125);
}

/// Rootless Podman leaves a pause process behind; end it with the test.
struct PodmanPause(std::path::PathBuf);

impl Drop for PodmanPause {
    fn drop(&mut self) {
        let pidfile = self.0.join("libpod/tmp/pause.pid");
        if let Some(pid) = std::fs::read_to_string(pidfile)
            .ok()
            .and_then(|p| p.trim().parse::<i32>().ok())
        {
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
}

/// Podman is optional in the harness; these run where it is installed.
fn podman(sb: &Sandbox) -> Option<std::process::Command> {
    let bin = common::podman()?;
    let conf = sb.config_home.join("containers/containers.conf");
    std::fs::create_dir_all(conf.parent().unwrap()).unwrap();
    std::fs::write(
        &conf,
        "[engine]\nruntime = \"runc\"\ncgroup_manager = \"cgroupfs\"\nevents_logger = \"file\"\n",
    )
    .unwrap();
    let storage = sb.config_home.join("containers/storage.conf");
    std::fs::write(&storage, "[storage]\ndriver = \"overlay\"\n").unwrap();
    Some(sb.command_for(&bin, &[]))
}

#[test]
fn archives_move_between_lodger_and_podman() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let _pause = PodmanPause(sb.runtime_dir.clone());
    let Some(_) = podman(&sb) else {
        common::say("skipped: podman is not installed, so interop cannot be checked here");
        return;
    };
    let run_podman = |args: &[&str]| {
        let mut cmd = podman(&sb).unwrap();
        cmd.args(args).stdin(Stdio::null());
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "podman {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    for format in ["docker-archive", "oci-archive"] {
        let ours = sb.home.join(format!("ours-{format}.tar"));
        sb.lodger(&[
            "save",
            "--format",
            format,
            "-o",
            ours.to_str().unwrap(),
            "small",
        ])
        .assert_ok();
        run_podman(&["load", "-i", ours.to_str().unwrap()]);
        let theirs = sb.home.join(format!("theirs-{format}.tar"));
        run_podman(&[
            "save",
            "--format",
            format,
            "-o",
            theirs.to_str().unwrap(),
            &env.image("small:latest"),
        ]);
        let other = env.sandbox();
        other
            .lodger(&["load", "-i", theirs.to_str().unwrap()])
            .assert_ok();
        assert_eq!(id_of(&other, "small"), id_of(&sb, "small"), "{format}");
        run_podman(&["rmi", "-a", "-f"]);
    }
}
