//! Containers at scale and under abuse: a thousand detached containers on one host, commands
//! killed with SIGKILL at any moment, and `rm -f` racing `start` on one container. After each,
//! `ps` must show the truth and every command must still work.

mod common;

use common::OutputExt;
use std::collections::HashSet;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// The shared lab, with a tag for its containers.
struct Lab {
    base: common::lab::Lab,
    /// Every container of this test runs `sleep TAG`: how its processes are told from those
    /// of the tests running beside it.
    tag: &'static str,
}

impl std::ops::Deref for Lab {
    type Target = common::lab::Lab;

    fn deref(&self) -> &common::lab::Lab {
        &self.base
    }
}

impl Lab {
    fn new(env: &common::Env, tag: &'static str) -> Lab {
        Lab {
            base: common::lab::Lab::new(env),
            tag,
        }
    }

    /// `run -d --name NAME` of `sleep TAG`.
    fn run(&self, name: &str) {
        self.lodger(&self.run_args(name)).assert_ok();
    }

    fn run_args<'a>(&'a self, name: &'a str) -> Vec<&'a str> {
        vec![
            "run",
            "-d",
            "--name",
            name,
            "--network",
            "none",
            &self.image,
            "sleep",
            self.tag,
        ]
    }

    /// `lodger ARGS` started in the background, its output discarded.
    fn spawn(&self, args: &[&str]) -> Child {
        self.sb
            .command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    /// (id, state, pid) of every container.
    fn containers(&self) -> Vec<(String, String, i32)> {
        let out = self.lodger(&[
            "ps",
            "-a",
            "--no-trunc",
            "--format",
            "{{.ID}} {{.State}} {{.Pid}}",
        ]);
        out.assert_ok();
        out.stdout_str()
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split(' ').collect();
                assert_eq!(f.len(), 3, "{l}");
                (f[0].to_string(), f[1].to_string(), f[2].parse().unwrap())
            })
            .collect()
    }

    /// Container ids of the live monitors of this sandbox.
    fn monitors(&self) -> Vec<String> {
        let store = self.sb.store();
        let store = store.to_string_lossy();
        processes()
            .into_iter()
            .filter(|args| args.iter().any(|a| a == "__lodger-monitor"))
            .filter(|args| args.iter().any(|a| a.starts_with(&*store)))
            .filter_map(|args| args.last().cloned())
            .collect()
    }

    /// Every container shown running has its process and monitor, every other one has
    /// neither; waits for monitors that a killed command left starting a container.
    fn assert_true_state(&self, marker: &str) {
        let mut last = String::new();
        let settled = (0..100).any(|_| {
            let monitors: HashSet<String> = self.monitors().into_iter().collect();
            let shown = self.containers();
            let wrong: Vec<String> = shown
                .iter()
                .filter(|(id, state, pid)| {
                    let running = state == "running";
                    running != (alive(*pid) && monitors.contains(id))
                })
                .map(|c| format!("{c:?}"))
                .collect();
            let listed: HashSet<&String> = shown.iter().map(|(id, _, _)| id).collect();
            let orphans: Vec<&String> = monitors.iter().filter(|m| !listed.contains(m)).collect();
            last = format!("wrong: {wrong:?}, monitors of no container: {orphans:?}");
            let ok = wrong.is_empty() && orphans.is_empty();
            if !ok {
                std::thread::sleep(Duration::from_millis(100));
            }
            ok
        });
        assert!(settled, "after {marker}: {last}");
    }

    /// `rm -a -f`, then nothing of any container is left: rows, monitors, processes, dirs.
    fn assert_all_removable(&self, marker: &str) {
        self.lodger(&["rm", "-a", "-f"]).assert_ok();
        assert_eq!(self.lodger(&["ps", "-aq"]).stdout_str(), "", "{marker}");
        assert_eq!(self.monitors(), Vec::<String>::new(), "{marker}");
        assert!(
            !processes()
                .iter()
                .any(|a| a.len() == 2 && a[0] == "sleep" && a[1] == self.tag),
            "{marker}: a container process outlived rm -a -f"
        );
        for dir in [
            self.sb.store().join("containers"),
            self.sb.runtime_dir.join("lodger/containers"),
        ] {
            let left: Vec<_> = std::fs::read_dir(&dir)
                .map(|d| d.flatten().map(|e| e.file_name()).collect())
                .unwrap_or_default();
            assert!(
                left.is_empty(),
                "{marker}: left in {}: {left:?}",
                dir.display()
            );
        }
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = self.sb.lodger(&["rm", "-a", "-f"]);
    }
}

/// The command lines of every process of this user (zombies have none).
fn processes() -> Vec<Vec<String>> {
    processes_with_stat()
        .into_iter()
        .map(|(_, _, _, args)| args)
        .filter(|args| !args.is_empty())
        .collect()
}

fn alive(pid: i32) -> bool {
    pid > 0
        && std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
            s.rsplit_once(')')
                .is_some_and(|(_, r)| !r.starts_with(" Z"))
        })
}

fn sigkill(child: &mut Child) {
    // SAFETY: kill with integers.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGKILL);
    }
    let _ = child.wait();
}

#[test]
fn a_thousand_detached_containers() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env, "4700");
    const N: usize = 1000;
    const THREADS: usize = 4;
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for _ in 0..N / THREADS {
                    let out = lab
                        .sb
                        .command(&[
                            "run",
                            "-d",
                            "--network",
                            "none",
                            &lab.image,
                            "sleep",
                            lab.tag,
                        ])
                        .stdin(Stdio::null())
                        .output()
                        .unwrap();
                    out.assert_ok();
                }
            });
        }
    });
    eprintln!("{N} run -d: {:?}", started.elapsed());
    let ids = lab.lodger(&["ps", "-q"]).stdout_str();
    assert_eq!(ids.lines().count(), N);
    let shown = lab.containers();
    assert_eq!(shown.len(), N);
    for (id, state, pid) in &shown {
        assert_eq!(state, "running", "{id}");
        assert!(alive(*pid), "{id}: its process {pid} is gone");
    }
    assert_eq!(lab.monitors().len(), N);
    // stop -a waits on every container at once: more descriptors than the usual soft
    // limit of 1024.
    let t = Instant::now();
    let out = lab.lodger(&["stop", "-a", "-t", "0"]);
    out.assert_ok();
    eprintln!("stop -a of {N}: {:?}", t.elapsed());
    assert_eq!(out.stdout_str().lines().count(), N);
    let shown = lab.containers();
    assert!(
        shown.iter().all(|(_, state, _)| state == "exited"),
        "{shown:?}"
    );
    assert_eq!(lab.monitors(), Vec::<String>::new());
    // Half of them again, then rm -f of running and stopped ones together.
    let half: Vec<&str> = shown
        .iter()
        .take(N / 2)
        .map(|(id, _, _)| id.as_str())
        .collect();
    let mut args = vec!["start"];
    args.extend(&half);
    lab.sb.command(&args).output().unwrap().assert_ok();
    assert_eq!(
        lab.lodger(&["ps", "-q"]).stdout_str().lines().count(),
        N / 2
    );
    let t = Instant::now();
    let out = lab.lodger(&["rm", "-a", "-f"]);
    out.assert_ok();
    eprintln!("rm -a -f of {N}: {:?}", t.elapsed());
    assert_eq!(out.stdout_str().lines().count(), N);
    lab.assert_all_removable("rm -a -f of a thousand");
}

#[test]
fn the_network_helper_reaps_its_children() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env, "4705");
    // The default network: pasta (or slirp4netns), a child of the monitor.
    lab.lodger(&["run", "-d", "--name", "n1", &lab.image, "sleep", lab.tag])
        .assert_ok();
    let (id, _, pid) = lab.containers().remove(0);
    let monitor = monitor_pid(&id).expect("the monitor");
    let helper = processes_with_stat()
        .into_iter()
        .find(|(p, ppid, _, _)| *ppid == monitor && *p != pid)
        .map(|(p, _, _, _)| p)
        .expect("the network helper");
    // The helper's own children (pasta forks some to set up the namespace) are reaped:
    // it must not start with SIGCHLD blocked, as its monitor runs.
    let mut zombies = Vec::new();
    for _ in 0..50 {
        zombies = processes_with_stat()
            .into_iter()
            .filter(|(_, ppid, state, _)| *ppid == helper && state == "Z")
            .collect();
        if zombies.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        zombies.is_empty(),
        "zombies of the network helper: {zombies:?}"
    );
    let status = std::fs::read_to_string(format!("/proc/{helper}/status")).unwrap();
    let blocked = status
        .lines()
        .find_map(|l| l.strip_prefix("SigBlk:"))
        .map(|m| u64::from_str_radix(m.trim(), 16).unwrap())
        .unwrap();
    for sig in [libc::SIGCHLD, libc::SIGTERM] {
        assert_eq!(
            blocked & (1 << (sig - 1)),
            0,
            "signal {sig} blocked: {status}"
        );
    }
    lab.assert_all_removable("network helper");
}

#[test]
fn a_late_monitor_leaves_a_restarted_container_running() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env, "4706");
    lab.run("late");
    let (id, _, first) = lab.containers().remove(0);
    let old_monitor = monitor_pid(&id).expect("the monitor");
    // The old monitor cannot record the exit before the container runs again.
    signal(old_monitor, libc::SIGSTOP);
    signal(first, libc::SIGKILL);
    // A zombie now, that only the stopped monitor could reap.
    for _ in 0..100 {
        if !alive(first) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let started = lab.lodger(&["start", "late"]);
    signal(old_monitor, libc::SIGCONT);
    started.assert_ok();
    for _ in 0..100 {
        if std::fs::read(format!("/proc/{old_monitor}/cmdline")).map_or(true, |c| c.is_empty()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let (_, state, pid) = lab.containers().remove(0);
    assert_eq!(
        state, "running",
        "the old monitor's record of the first exit won"
    );
    assert_ne!(pid, first);
    assert!(alive(pid));
    lab.assert_true_state("late monitor");
    lab.assert_all_removable("late monitor");
}

fn signal(pid: i32, sig: i32) {
    // SAFETY: kill with integers.
    unsafe {
        libc::kill(pid, sig);
    }
}

fn monitor_pid(id: &str) -> Option<i32> {
    processes_with_stat()
        .into_iter()
        .find(|(_, _, _, args)| {
            args.iter().any(|a| a == "__lodger-monitor")
                && args.last().map(String::as_str) == Some(id)
        })
        .map(|(p, _, _, _)| p)
}

/// (pid, ppid, state, command line) of every process; a zombie's command line is empty.
fn processes_with_stat() -> Vec<(i32, i32, String, Vec<String>)> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| {
            let pid: i32 = e.file_name().to_string_lossy().parse().ok()?;
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            let mut f = stat.rsplit_once(')')?.1.split_whitespace();
            let state = f.next()?.to_string();
            let ppid = f.next()?.parse().ok()?;
            let cmdline = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
            let args = cmdline
                .split(|&b| b == 0)
                .filter(|a| !a.is_empty())
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect();
            Some((pid, ppid, state, args))
        })
        .collect()
}

/// Kills `args` at `steps` moments spread over how long it normally takes.
fn kill_during(lab: &Lab, args: &[&str], prepare: &dyn Fn(usize), steps: usize) {
    prepare(usize::MAX);
    let t = Instant::now();
    lab.spawn(args).wait().unwrap();
    let full = t.elapsed().max(Duration::from_millis(5));
    for i in 0..steps {
        prepare(i);
        let mut child = lab.spawn(args);
        std::thread::sleep(full * i as u32 / steps as u32);
        sigkill(&mut child);
        let marker = format!("SIGKILL of lodger {} at step {i}", args.join(" "));
        lab.assert_true_state(&marker);
    }
}

#[test]
fn commands_killed_at_any_moment_leave_a_true_state() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env, "4701");
    let steps = 20;
    // run -d: every moment from creating the row to the monitor's start.
    let clean = |_| {
        lab.lodger(&["rm", "-f", "-i", "k1"]).assert_ok();
    };
    kill_during(&lab, &lab.run_args("k1"), &clean, steps);
    lab.assert_all_removable("run -d killed");
    // rm -f of a running container, and rm of a stopped one.
    let fresh = |_| {
        lab.lodger(&["rm", "-f", "-i", "k2"]).assert_ok();
        lab.run("k2");
    };
    kill_during(&lab, &["rm", "-f", "k2"], &fresh, steps);
    lab.assert_all_removable("rm -f killed");
    let stopped = |_| {
        lab.lodger(&["rm", "-f", "-i", "k2"]).assert_ok();
        lab.run("k2");
        lab.lodger(&["stop", "-t", "0", "k2"]).assert_ok();
    };
    kill_during(&lab, &["rm", "k2"], &stopped, steps);
    lab.assert_all_removable("rm of a stopped container killed");
    // stop (straight to SIGKILL) and start.
    lab.run("k3");
    let restart = |_| {
        lab.lodger(&["start", "k3"]);
    };
    kill_during(&lab, &["stop", "-t", "0", "k3"], &restart, steps);
    let stop = |_| {
        lab.lodger(&["stop", "-t", "0", "k3"]).assert_ok();
    };
    kill_during(&lab, &["start", "k3"], &stop, steps);
    // Every command still works on what is left.
    lab.lodger(&["stop", "-t", "0", "k3"]).assert_ok();
    lab.lodger(&["start", "k3"])
        .assert_ok()
        .assert_stdout_contains("k3");
    lab.assert_true_state("start after the kills");
    lab.run("k4");
    lab.assert_all_removable("after the kills");
    lab.run("k5");
    assert_eq!(lab.containers()[0].1, "running");
}

#[test]
fn concurrent_rm_and_start_serialise() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env, "4703");
    for i in 0..36 {
        let name = format!("r{i}");
        lab.run(&name);
        lab.lodger(&["stop", "-t", "0", &name]).assert_ok();
        // rm -f at every moment of the start (the monitor reading the row, mounting,
        // recording the pid), and once before it.
        let (mut start, mut rm) = if i < 32 {
            let start = lab.spawn(&["start", &name]);
            std::thread::sleep(Duration::from_millis(i));
            (start, lab.spawn(&["rm", "-f", &name]))
        } else {
            let rm = lab.spawn(&["rm", "-f", &name]);
            (lab.spawn(&["start", &name]), rm)
        };
        let (start, rm) = (start.wait().unwrap(), rm.wait().unwrap());
        assert!(rm.success(), "round {i}: rm -f failed: {rm:?}");
        assert!(
            start.success() || start.code() == Some(125),
            "round {i}: start {start:?}"
        );
        // rm -f went last or killed what start ran: either way the container is gone.
        lab.assert_true_state(&format!("round {i}"));
        assert!(
            lab.containers().is_empty(),
            "round {i}: {:?}",
            lab.containers()
        );
        lab.assert_all_removable(&format!("round {i}"));
    }
    // Two starts of one container run it once.
    for i in 0..10 {
        let name = format!("s{i}");
        lab.run(&name);
        lab.lodger(&["stop", "-t", "0", &name]).assert_ok();
        let mut a = lab.spawn(&["start", &name]);
        let mut b = lab.spawn(&["start", &name]);
        let codes = [a.wait().unwrap().code(), b.wait().unwrap().code()];
        assert!(codes.contains(&Some(0)), "round {i}: {codes:?}");
        lab.assert_true_state(&format!("double start {i}"));
        assert_eq!(
            lab.monitors().len(),
            1,
            "round {i}: one container, one monitor"
        );
        let runs = processes()
            .iter()
            .filter(|a| a.len() == 2 && a[0] == "sleep" && a[1] == lab.tag)
            .count();
        assert_eq!(runs, 1, "round {i}: one container process");
        lab.assert_all_removable(&format!("double start {i}"));
    }
}
