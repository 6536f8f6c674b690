//! `cp` in both directions, for running and stopped containers, with the `podman cp` escape
//! cases: symlinks in the container that point at host paths must resolve inside it.

mod common;

use common::{Env, OutputExt};
use std::ops::Deref;
use std::path::{Path, PathBuf};

/// The shared Lab and a host directory whose path the container's symlinks name.
struct Lab {
    base: common::lab::Lab,
    host: PathBuf,
}

impl Deref for Lab {
    type Target = common::lab::Lab;

    fn deref(&self) -> &common::lab::Lab {
        &self.base
    }
}

impl Lab {
    fn new(env: &Env) -> Lab {
        let base = common::lab::Lab::new(env);
        let host = base.sb.root().join("hostdir");
        std::fs::create_dir_all(&host).unwrap();
        std::fs::write(host.join("secret"), "HOST\n").unwrap();
        Lab { base, host }
    }

    /// A container whose /esc, /esc2 (relative) and /escdir symlinks name the host dir, which
    /// also exists in the container with its own `secret`.
    fn setup_script(&self) -> String {
        let h = self.host.display();
        format!(
            "mkdir -p {h} && echo container > {h}/secret && ln -s {h}/secret /esc && \
             ln -s ../../../../../../../..{h}/secret /esc2 && ln -s {h} /escdir && \
             echo hi > /hello"
        )
    }

    fn container(&self, name: &str, running: bool) {
        let script = self.setup_script();
        if running {
            let s = format!("{script} && sleep 600");
            self.lodger(&["run", "-d", "--name", name, &self.image, "sh", "-c", &s])
                .assert_ok();
            // Wait for the setup to be done.
            for _ in 0..100 {
                if self
                    .lodger(&["cp", &format!("{name}:/hello"), "-"])
                    .status
                    .success()
                {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            panic!("container {name} never finished its setup");
        } else {
            self.lodger(&["run", "--name", name, &self.image, "sh", "-c", &script])
                .assert_ok();
        }
    }

    fn out(&self, name: &str) -> PathBuf {
        let d = self.sb.root().join("out").join(name);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn host_untouched(&self) {
        assert_eq!(
            std::fs::read_to_string(self.host.join("secret")).unwrap(),
            "HOST\n"
        );
        let names: Vec<_> = std::fs::read_dir(&self.host)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["secret"], "nothing new in the host directory");
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = self.sb.lodger(&["rm", "-a", "-f"]);
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn tar_names(tar: &[u8]) -> Vec<String> {
    let mut a = tar::Archive::new(tar);
    a.entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().display().to_string())
        .collect()
}

fn both_ways(lab: &Lab, name: &str) {
    let out = lab.out(name);
    let c = |p: &str| format!("{name}:{p}");
    // Into a directory, to a new name, and a directory's contents.
    lab.lodger(&["cp", &c("/hello"), out.to_str().unwrap()])
        .assert_ok();
    assert_eq!(read(&out.join("hello")), "hi\n");
    let renamed = out.join("renamed");
    lab.lodger(&["cp", &c("/hello"), renamed.to_str().unwrap()])
        .assert_ok();
    assert_eq!(read(&renamed), "hi\n");
    let etc = out.join("etc");
    lab.lodger(&["cp", &c("/etc"), out.to_str().unwrap()])
        .assert_ok();
    assert!(etc.join("passwd").is_file());

    // Symlinks that name host paths read the container's files.
    for link in ["/esc", "/esc2"] {
        let dest = out.join(format!("from{}", &link[1..]));
        lab.lodger(&["cp", &c(link), dest.to_str().unwrap()])
            .assert_ok();
        assert_eq!(read(&dest), "container\n", "{link}");
    }

    // Copying into them writes inside the container.
    let src = lab.sb.root().join("in.txt");
    std::fs::write(&src, "new\n").unwrap();
    for dest in ["/esc", "/esc2", "/escdir/", "/escdir/added"] {
        lab.lodger(&["cp", src.to_str().unwrap(), &c(dest)])
            .assert_ok();
    }
    lab.host_untouched();
    let back = out.join("back");
    lab.lodger(&[
        "cp",
        &c(&lab.host.join("in.txt").display().to_string()),
        back.to_str().unwrap(),
    ])
    .assert_ok();
    assert_eq!(read(&back), "new\n");

    // A directory to a new name in the container, then back.
    let tree = lab.sb.root().join("tree");
    std::fs::create_dir_all(tree.join("sub")).unwrap();
    std::fs::write(tree.join("sub/f"), "f\n").unwrap();
    lab.lodger(&["cp", tree.to_str().unwrap(), &c("/newtree")])
        .assert_ok();
    let t = lab.lodger(&["cp", &c("/newtree"), "-"]);
    t.assert_ok();
    assert_eq!(
        tar_names(&t.stdout),
        ["newtree/", "newtree/sub/", "newtree/sub/f"]
    );

    // Missing source, missing destination directory: 125, naming the path.
    lab.lodger(&["cp", &c("/nope"), out.to_str().unwrap()])
        .assert_exit(125)
        .assert_stderr_contains("\"/nope\" could not be found on container");
    lab.lodger(&["cp", src.to_str().unwrap(), &c("/nodir/x")])
        .assert_exit(125)
        .assert_stderr_contains("\"/nodir\" could not be found");
    let nohost = out.join("nodir/x");
    lab.lodger(&["cp", &c("/hello"), nohost.to_str().unwrap()])
        .assert_exit(125)
        .assert_stderr_contains("could not be found on the host");
    lab.lodger(&["cp", "/definitely/not/here", &c("/tmp")])
        .assert_exit(125)
        .assert_stderr_contains("/definitely/not/here");
}

#[test]
fn cp_stopped_container() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.container("stopped", false);
    both_ways(&lab, "stopped");
}

#[test]
fn cp_running_container() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.container("running", true);
    both_ways(&lab, "running");
    // The whole root: the container's files, not the kernel filesystems mounted in it.
    let root = lab.sb.root().join("rootcopy");
    lab.lodger(&["cp", "running:/", root.to_str().unwrap()])
        .assert_ok();
    assert!(root.join("bin/busybox").is_file());
    assert!(root.join("proc").is_dir() && !root.join("proc/1").exists());
    lab.lodger(&["exec", "running", "cat", "/newtree/sub/f"])
        .assert_ok()
        .assert_stdout_contains("f");
}

/// A tar on stdin whose names climb out with `..` and through a symlink stays in the
/// destination; owners are kept with `--archive=false`.
#[test]
fn cp_tar_from_stdin_stays_inside() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.container("t", false);
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |name: &str, data: &[u8], uid: u64| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_uid(uid);
        h.set_gid(uid);
        h.set_entry_type(tar::EntryType::Regular);
        // Written field by field so that `..` survives.
        let bytes = name.as_bytes();
        h.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
        h.set_cksum();
        b.append(&h, data).unwrap();
    };
    let up = format!("../../../../../../../..{}/evil", lab.host.display());
    add(&up, b"evil\n", 0);
    add("owned", b"x\n", 1234);
    let tar = b.into_inner().unwrap();
    lab.sb
        .lodger_stdin(&["cp", "--archive=false", "-", "t:/tmp"], &tar)
        .assert_ok();
    lab.host_untouched();
    let t = lab.lodger(&["cp", "t:/tmp/owned", "-"]);
    t.assert_ok();
    let mut a = tar::Archive::new(t.stdout.as_slice());
    let e = a.entries().unwrap().next().unwrap().unwrap();
    assert_eq!(e.header().uid().unwrap(), 1234);
    // A tar from stdin needs a directory.
    lab.sb
        .lodger_stdin(&["cp", "-", "t:/hello"], &tar)
        .assert_exit(125)
        .assert_stderr_contains("must be a directory");
}

#[test]
fn diff_and_export() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.run_sh(
        &["--name", "d1"],
        "echo x > /etc/newfile; rm /etc/group; mkdir /newdir; touch /newdir/f",
    );
    let out = lab.lodger(&["diff", "d1"]);
    out.assert_ok();
    let lines: Vec<String> = out.stdout_str().lines().map(String::from).collect();
    for want in [
        "C /etc",
        "D /etc/group",
        "A /etc/newfile",
        "A /newdir",
        "A /newdir/f",
    ] {
        assert!(lines.iter().any(|l| l == want), "{want} in {lines:?}");
    }
    let tar_path = lab.sb.root().join("d1.tar");
    lab.lodger(&["export", "-o", tar_path.to_str().unwrap(), "d1"])
        .assert_ok();
    let names = tar_names(&std::fs::read(&tar_path).unwrap());
    assert!(names.iter().any(|n| n == "etc/newfile"), "{names:?}");
    assert!(names.iter().any(|n| n == "bin/busybox"));
    assert!(!names.iter().any(|n| n == "etc/group"));

    // A running container: its own files, not the kernel filesystems mounted in it.
    lab.lodger(&["run", "-d", "--name", "d2", &lab.image, "sleep", "600"])
        .assert_ok();
    let out = lab.lodger(&["export", "d2"]);
    out.assert_ok();
    let names = tar_names(&out.stdout);
    assert!(names.iter().any(|n| n == "proc/"));
    assert!(!names.iter().any(|n| n.starts_with("proc/1/")));
    assert!(names.iter().any(|n| n == "bin/busybox"));
    lab.lodger(&["diff", "nope"]).assert_exit(125);
}

#[test]
fn commit_adds_a_layer_with_changes() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.run_sh(
        &["--name", "c1"],
        "echo committed > /etc/newfile; rm /etc/group",
    );
    let out = lab.lodger(&[
        "commit",
        "-c",
        r#"CMD ["cat","/etc/newfile"]"#,
        "-c",
        "ENV X=1",
        "-m",
        "a message",
        "--author",
        "someone",
        "--pause=false",
        "c1",
        "mine",
    ]);
    out.assert_ok();
    assert_eq!(out.stdout_str().trim().len(), 64, "prints the image id");
    lab.lodger(&["images"])
        .assert_ok()
        .assert_stdout_contains("localhost/mine");
    lab.lodger(&["run", "--rm", "mine"])
        .assert_ok()
        .assert_stdout_contains("committed");
    // The deletion is a whiteout in the new layer; ENV is in the config.
    lab.lodger(&[
        "run",
        "--rm",
        "mine",
        "sh",
        "-c",
        "test ! -e /etc/group && echo X=$X",
    ])
    .assert_ok()
    .assert_stdout_contains("X=1");
    lab.lodger(&["history", "mine"])
        .assert_ok()
        .assert_stdout_contains("a message");
    lab.lodger(&["commit", "-c", "RUN true", "c1", "bad"])
        .assert_exit(125)
        .assert_stderr_contains("RUN true");
}

#[test]
fn export_then_import() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.run_sh(&["--name", "e1"], "echo imported > /marker");
    let tar_path = lab.sb.root().join("e1.tar");
    lab.lodger(&["export", "-o", tar_path.to_str().unwrap(), "e1"])
        .assert_ok();
    let out = lab.lodger(&[
        "import",
        "-c",
        "CMD cat /marker",
        "-m",
        "from a tarball",
        tar_path.to_str().unwrap(),
        "imported:v1",
    ]);
    out.assert_ok();
    assert_eq!(out.stdout_str().trim().len(), 64);
    lab.lodger(&["run", "--rm", "imported:v1"])
        .assert_ok()
        .assert_stdout_contains("imported");
    // From stdin, gzip-compressed, without a name.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &std::fs::read(&tar_path).unwrap()).unwrap();
    let gz = gz.finish().unwrap();
    let out = lab.sb.lodger_stdin(&["import", "-"], &gz);
    out.assert_ok();
    let id = out.stdout_str().trim().to_string();
    lab.lodger(&["run", "--rm", &id, "cat", "/marker"])
        .assert_ok()
        .assert_stdout_contains("imported");
    lab.lodger(&["import", "/no/such.tar"]).assert_exit(125);
    // Also under Podman's other name for it.
    let out = lab.lodger(&["image", "import", tar_path.to_str().unwrap(), "imported:v2"]);
    out.assert_ok();
    lab.lodger(&["run", "--rm", "imported:v2", "cat", "/marker"])
        .assert_ok()
        .assert_stdout_contains("imported");
}

#[test]
fn top_lists_the_container_processes() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.run_sh(&["-d", "--name", "t1"], "sleep 300 & sleep 301");
    let mut out = String::new();
    for _ in 0..100 {
        out = lab.lodger(&["top", "t1"]).stdout_str();
        // Until the shell has forked the first sleep and become the second, its own
        // command line names both.
        if out.lines().count() == 3 && !out.contains("sh -c") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let mut lines = out.lines();
    let head: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(
        head,
        ["USER", "PID", "PPID", "%CPU", "ELAPSED", "TTY", "TIME", "COMMAND"]
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert_eq!(&rows[0][..3], ["root", "1", "0"], "{out}");
    assert_eq!(&rows[1][1..3], ["2", "1"], "{out}");
    lab.lodger(&["top", "t1", "pid,comm"])
        .assert_ok()
        .assert_stdout_contains("PID  COMMAND");
    lab.lodger(&["top", "t1", "bogus"]).assert_exit(125);
    lab.lodger(&["stop", "-t", "0", "t1"]).assert_ok();
    lab.lodger(&["top", "t1"])
        .assert_exit(125)
        .assert_stderr_contains("not running");
}
