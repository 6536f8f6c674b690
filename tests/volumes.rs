//! Volumes: `volume create/ls/inspect/rm/prune/exists`, named and anonymous volumes with
//! `-v`, `--mount` and `--volumes-from`, and their life beyond their containers.

mod common;

use common::lab::Lab;
use common::OutputExt;

impl Lab {
    /// `run [flags] IMAGE sh -c SCRIPT`, its stdout.
    fn sh(&self, flags: &[&str], script: &str) -> String {
        self.run_sh(flags, script).stdout_str()
    }

    fn volumes(&self) -> Vec<String> {
        let out = self.lodger(&["volume", "ls", "-q"]);
        out.assert_ok();
        out.stdout_str().lines().map(String::from).collect()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = self.sb.lodger(&["rm", "-a", "-f"]);
        let _ = self.sb.lodger(&["volume", "rm", "-a", "-f"]);
    }
}

#[test]
fn volume_commands() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.lodger(&["volume", "create", "--label", "team=a", "v1"])
        .assert_ok()
        .assert_stdout_contains("v1");
    let anon = lab.lodger(&["volume", "create"]);
    anon.assert_ok();
    let anon = anon.stdout_str().trim().to_string();
    assert_eq!(anon.len(), 64, "a random 64-hex name: {anon:?}");
    assert!(anon.chars().all(|c| c.is_ascii_hexdigit()));
    lab.lodger(&["volume", "create", "v1"])
        .assert_exit(125)
        .assert_stderr_contains("v1");
    lab.lodger(&["volume", "exists", "v1"]).assert_ok();
    lab.lodger(&["volume", "exists", "nope"]).assert_exit(1);

    let ls = lab.lodger(&["volume", "ls"]).stdout_str();
    assert!(ls.starts_with("DRIVER"), "{ls}");
    assert!(ls
        .lines()
        .any(|l| l.starts_with("local") && l.ends_with("v1")));
    let filtered = lab.lodger(&["volume", "ls", "-q", "--filter", "label=team=a"]);
    assert_eq!(filtered.stdout_str(), "v1\n");
    let named = lab.lodger(&["volume", "ls", "-q", "--filter", "name=v1"]);
    assert_eq!(named.stdout_str(), "v1\n");
    let json = lab.lodger(&["volume", "ls", "--format", "json"]);
    json.assert_ok();
    let docs: serde_json::Value = serde_json::from_str(&json.stdout_str()).unwrap();
    assert_eq!(docs.as_array().unwrap().len(), 2);

    let out = lab.lodger(&["volume", "inspect", "v1"]);
    out.assert_ok();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout_str()).unwrap();
    let v = &doc[0];
    assert_eq!(v["Name"], "v1");
    assert_eq!(v["Driver"], "local");
    assert_eq!(v["Scope"], "local");
    assert_eq!(v["Labels"]["team"], "a");
    let mp = lab.sb.data_home.join("lodger/volumes/v1/_data");
    assert_eq!(v["Mountpoint"], mp.to_str().unwrap());
    assert!(mp.is_dir());
    assert!(v["CreatedAt"].as_str().unwrap().contains('T'));
    lab.lodger(&[
        "volume",
        "inspect",
        "--format",
        "{{.Name}} {{.Driver}}",
        "v1",
    ])
    .assert_ok()
    .assert_stdout_contains("v1 local");
    lab.lodger(&["volume", "inspect", "nope"])
        .assert_exit(125)
        .assert_stderr_contains("nope");
    lab.lodger(&["volume", "rm", "nope"])
        .assert_exit(1)
        .assert_stderr_contains("nope");

    // A volume in use stays unless forced; -f takes the container with it.
    lab.lodger(&[
        "create", "--name", "user1", "-v", "v1:/data", &lab.image, "true",
    ])
    .assert_ok();
    lab.lodger(&["volume", "rm", "v1"])
        .assert_exit(2)
        .assert_stderr_contains("user1");
    let dangling = lab.lodger(&["volume", "ls", "-q", "--filter", "dangling=true"]);
    assert_eq!(dangling.stdout_str().trim(), anon);
    lab.lodger(&["volume", "prune", "-f"])
        .assert_ok()
        .assert_stdout_contains(&anon);
    assert_eq!(lab.volumes(), ["v1"]);
    lab.lodger(&["volume", "rm", "-f", "v1"]).assert_ok();
    assert!(lab.volumes().is_empty());
    lab.lodger(&["ps", "-a", "--format", "{{.Names}}"])
        .assert_ok();
    assert!(!lab
        .lodger(&["ps", "-a", "--format", "{{.Names}}"])
        .stdout_str()
        .contains("user1"));
}

#[test]
fn named_volumes_outlive_containers() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    // Created on first use; data written by a non-root container user stays its own.
    lab.sh(
        &["--rm", "-v", "keep:/data"],
        "echo hello > /data/f && mkdir /data/d && chown 1000:1000 /data/d",
    );
    assert_eq!(lab.volumes(), ["keep"]);
    let out = lab.sh(
        &["--rm", "-v", "keep:/srv:ro"],
        "cat /srv/f; stat -c %u /srv/d; touch /srv/x 2>/dev/null || echo ro",
    );
    assert_eq!(out, "hello\n1000\nro\n");
    let out = lab.sh(
        &["--rm", "--mount", "type=volume,source=keep,target=/m"],
        "cat /m/f",
    );
    assert_eq!(out, "hello\n");
    // Removing the volume removes files of mapped ids too.
    lab.lodger(&["volume", "rm", "keep"]).assert_ok();
    assert!(!lab.sb.data_home.join("lodger/volumes/keep").exists());
}

#[test]
fn anonymous_volumes_and_volumes_from() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.lodger(&[
        "create",
        "--name",
        "src",
        "-v",
        "/anon",
        "-v",
        "shared:/shared",
        &lab.image,
        "true",
    ])
    .assert_ok();
    assert_eq!(lab.volumes().len(), 2);
    lab.sh(
        &["--rm", "--volumes-from", "src"],
        "echo x > /anon/a; echo y > /shared/b",
    );
    let out = lab.sh(
        &["--rm", "--volumes-from", "src:ro"],
        "cat /anon/a /shared/b; touch /anon/z 2>/dev/null || echo ro",
    );
    assert_eq!(out, "x\ny\nro\n");
    // `rm -v` takes the anonymous volume, never the named one.
    lab.lodger(&["rm", "-v", "src"]).assert_ok();
    assert_eq!(lab.volumes(), ["shared"]);
    // `run --rm` removes its anonymous volumes too.
    lab.sh(
        &["--rm", "-v", "/scratch", "--mount", "type=tmpfs,target=/t"],
        "touch /scratch/f /t/f",
    );
    assert_eq!(lab.volumes(), ["shared"]);
    lab.lodger(&["run", "--rm", "-v", "rel:data", &lab.image, "true"])
        .assert_exit(125);
    lab.lodger(&[
        "run",
        "--rm",
        "--mount",
        "type=nope,target=/x",
        &lab.image,
        "true",
    ])
    .assert_exit(125)
    .assert_stderr_contains("type");
}

#[test]
fn new_volumes_are_filled_from_the_image() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    let image_passwd = lab.sh(&["--rm"], "cat /etc/passwd; stat -c '%u %a %Y' /etc/passwd");
    // First use fills the volume from the image's /etc, keeping owner, mode and times.
    lab.sh(&["--rm", "-v", "cu:/etc"], "true");
    let seen = lab.sh(
        &["--rm", "-v", "cu:/x"],
        "cat /x/passwd; stat -c '%u %a %Y' /x/passwd",
    );
    assert_eq!(seen, image_passwd);
    // Only once: what the user removed stays removed.
    lab.sh(&["--rm", "-v", "cu:/etc"], "rm /etc/passwd");
    let out = lab.sh(
        &["--rm", "-v", "cu:/etc"],
        "ls /etc/passwd 2>/dev/null || echo gone",
    );
    assert_eq!(out, "gone\n");
    // An explicitly created volume is filled on first use too; a path the image lacks
    // leaves it empty.
    lab.lodger(&["volume", "create", "made"]).assert_ok();
    let out = lab.sh(
        &["--rm", "-v", "made:/etc"],
        "test -s /etc/passwd && echo filled",
    );
    assert_eq!(out, "filled\n");
    let out = lab.sh(
        &["--rm", "-v", "empty:/nowhere/in/image"],
        "ls -A /nowhere/in/image | wc -l",
    );
    assert_eq!(out.trim(), "0");
}

#[test]
fn u_option_chowns_to_the_container_user() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.sh(
        &["--rm", "-v", "uv:/data"],
        "mkdir /data/d && touch /data/d/f",
    );
    let out = lab.sh(
        &["--rm", "--user", "1000:1001", "-v", "uv:/data:U"],
        "stat -c '%u:%g' /data /data/d /data/d/f; touch /data/mine && echo writable",
    );
    assert_eq!(out, "1000:1001\n1000:1001\n1000:1001\nwritable\n");
    // A user name is resolved in the image's /etc/passwd.
    let name = lab.sh(
        &["--rm"],
        "head -n 2 /etc/passwd | tail -n 1 | cut -d: -f1,3,4",
    );
    let mut parts = name.trim().split(':');
    let (user, uid, gid) = (
        parts.next().unwrap().to_string(),
        parts.next().unwrap().to_string(),
        parts.next().unwrap().to_string(),
    );
    let out = lab.sh(
        &["--rm", "--user", &user, "-v", "uv:/data:U"],
        "stat -c '%u:%g' /data/d/f",
    );
    assert_eq!(out.trim(), format!("{uid}:{gid}"));
}
