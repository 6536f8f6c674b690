//! `attach` to detached containers (input, output, detach keys, exit codes, terminals) and
//! the log drivers of the monitor (`--log-driver`, `--log-opt max-size`, a deleted log).

mod common;

use common::lab::Lab;
use common::tmux::Tmux;
use common::OutputExt;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

impl Lab {
    /// `run -d [flags] IMAGE sh -c SCRIPT`; returns the id.
    fn detach(&self, flags: &[&str], script: &str) -> String {
        let out = self.run_sh(&[&["-d"], flags].concat(), script);
        out.stdout_str().trim().to_string()
    }

    /// The binary under test, as a shell command line names it.
    fn bin(&self) -> String {
        common::lodger_bin().display().to_string()
    }

    fn status(&self, name: &str) -> String {
        let out = self.lodger(&["ps", "-a", "--format", "{{.Names}} {{.Status}}"]);
        out.stdout_str()
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")).map(String::from))
            .unwrap_or_default()
    }

    fn log_file(&self, id: &str) -> std::path::PathBuf {
        self.sb.store().join("containers").join(id).join("ctr.log")
    }

    /// `lodger attach ARGS` with piped stdio, its output collected as it comes.
    fn attach(&self, args: &[&str]) -> Session {
        let mut full = vec!["attach"];
        full.extend_from_slice(args);
        Session::start(self.sb.command(&full))
    }

    /// `lodger ARGS` on a pseudo-terminal of 31 rows and 101 columns (util-linux `script`);
    /// prints `rc=N` with lodger's exit code at the end.
    fn on_terminal(&self, args: &str) -> Session {
        let line = format!("stty rows 31 cols 101; {} {args}; echo rc=$?", self.bin());
        Session::start(
            self.sb
                .command_for(Path::new("script"), &["-qec", &line, "/dev/null"]),
        )
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = self.sb.lodger(&["rm", "-a", "-f"]);
    }
}

struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    out: Arc<Mutex<Vec<u8>>>,
    err: Arc<Mutex<Vec<u8>>>,
}

fn collect(mut from: impl Read + Send + 'static) -> Arc<Mutex<Vec<u8>>> {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let to = buf.clone();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = from.read(&mut chunk) {
            if n == 0 {
                break;
            }
            to.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    buf
}

impl Session {
    fn start(mut cmd: std::process::Command) -> Session {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = collect(child.stdout.take().unwrap());
        let err = collect(child.stderr.take().unwrap());
        Session {
            stdin: child.stdin.take(),
            child,
            out,
            err,
        }
    }

    fn send(&mut self, data: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(data).unwrap();
        stdin.flush().unwrap();
    }

    fn close_stdin(&mut self) {
        self.stdin = None;
    }

    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.lock().unwrap()).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.err.lock().unwrap()).into_owned()
    }

    /// Waits until stdout holds `text`.
    fn expect(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.stdout().contains(text) {
            assert!(
                Instant::now() < deadline,
                "no {text:?} in the output: {:?} (stderr {:?})",
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the exit (at most 10 s) and gives the exit code.
    fn exit_code(&mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the readers take the last output.
                std::thread::sleep(Duration::from_millis(100));
                return status.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "still running: stdout {:?} stderr {:?}",
                    self.stdout(),
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loop that answers every line on stdout and stderr, then exits 3 when stdin ends.
const ECHO: &str = "while read l; do echo got:$l; echo err:$l >&2; done; exit 3";

#[test]
fn attach_relays_detaches_and_returns_the_exit_code() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.detach(&["-i", "--name", "a1"], ECHO);
    let mut s = lab.attach(&["a1"]);
    s.send(b"hello\n");
    s.expect("got:hello\n");
    // ctrl-p ctrl-q: attach ends at once, quietly, and the container runs on.
    s.send(b"\x10\x11");
    assert_eq!(s.exit_code(), 0, "stderr: {}", s.stderr());
    assert_eq!(s.stdout(), "got:hello\n");
    assert!(
        s.stderr().contains("err:hello") && !s.stderr().contains("Error"),
        "{}",
        s.stderr()
    );
    assert!(lab.status("a1").starts_with("Up"), "{}", lab.status("a1"));
    // Attach again: stdin is still open; its end ends the container, whose code attach gives.
    let mut s = lab.attach(&["a1"]);
    s.send(b"again\n");
    s.expect("got:again\n");
    s.close_stdin();
    assert_eq!(s.exit_code(), 3, "stderr: {}", s.stderr());
    assert!(
        lab.status("a1").starts_with("Exited (3)"),
        "{}",
        lab.status("a1")
    );
    // What went through attach is in the log as well.
    lab.lodger(&["logs", "a1"])
        .assert_ok()
        .assert_stdout_contains("got:hello\ngot:again\n");
}

#[test]
fn custom_and_disabled_detach_keys() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.detach(&["-i", "--name", "k1"], "cat; exit 4");
    let mut s = lab.attach(&["--detach-keys", "ctrl-x,y", "k1"]);
    // The default keys are ordinary input now; a lone ctrl-x followed by another key too.
    s.send(b"a\x10\x11b\x18z\n");
    s.expect("a\x10\x11b\x18z\n");
    s.send(b"\x18y");
    assert_eq!(s.exit_code(), 0, "stderr: {}", s.stderr());
    assert!(lab.status("k1").starts_with("Up"), "{}", lab.status("k1"));
    // Detaching disabled: ctrl-p ctrl-q reach the container.
    let mut s = lab.attach(&["--detach-keys", "", "k1"]);
    s.send(b"\x10\x11\n");
    s.expect("\x10\x11\n");
    assert!(s.child.try_wait().unwrap().is_none(), "attach ended early");
    s.close_stdin();
    assert_eq!(s.exit_code(), 4);
}

#[test]
fn attach_errors() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.lodger(&["run", "--name", "done", &lab.image, "true"])
        .assert_ok();
    lab.lodger(&["attach", "done"])
        .assert_exit(125)
        .assert_stderr_contains("you can only attach to running containers");
    lab.lodger(&["create", "--name", "new", &lab.image, "true"])
        .assert_ok();
    lab.lodger(&["attach", "new"])
        .assert_exit(125)
        .assert_stderr_contains("you can only attach to running containers");
    lab.lodger(&["attach", "no-such-ctr"])
        .assert_exit(125)
        .assert_stderr_contains("no-such-ctr");
    lab.detach(&["--name", "r1"], "sleep 100");
    lab.lodger(&["attach", "--detach-keys", "ctrl-1", "r1"])
        .assert_exit(125)
        .assert_stderr_contains("--detach-keys");
    assert!(lab.status("r1").starts_with("Up"));
    // run and start take the flag too, and check it before doing anything.
    lab.lodger(&["run", "-d", "--detach-keys", "ctrl-", &lab.image, "true"])
        .assert_exit(125)
        .assert_stderr_contains("--detach-keys");
    lab.lodger(&["start", "--detach-keys", "nope", "new"])
        .assert_exit(125)
        .assert_stderr_contains("--detach-keys");
    lab.lodger(&[
        "run",
        "--rm",
        "--detach-keys",
        "ctrl-x,y",
        &lab.image,
        "true",
    ])
    .assert_ok();
    let ps = lab.lodger(&["ps", "-a", "-q"]).stdout_str();
    assert_eq!(ps.lines().count(), 3, "{ps}");
}

#[test]
fn attach_on_a_terminal() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.detach(&["-i", "-t", "--name", "t1"], "exec sh");
    let mut s = lab.on_terminal("attach t1");
    // The window size arrives with the attach; input goes to the shell on the pty.
    s.send(b"stty size; echo hi-$((6*7))\r");
    s.expect("31 101");
    s.expect("hi-42");
    s.send(b"\x10\x11");
    s.expect("rc=0");
    assert_eq!(s.exit_code(), 0);
    assert!(!s.stdout().contains("Error"), "{}", s.stdout());
    assert!(lab.status("t1").starts_with("Up"), "{}", lab.status("t1"));
    // Again, and the shell's exit code is attach's.
    let mut s = lab.on_terminal("attach t1");
    s.send(b"echo back-$((1+1))\r");
    s.expect("back-2");
    s.send(b"exit 5\r");
    s.expect("rc=5");
    assert!(
        lab.status("t1").starts_with("Exited (5)"),
        "{}",
        lab.status("t1")
    );
    // A container created with -it and started in the background works the same.
    lab.lodger(&["create", "-it", "--name", "t2", &lab.image, "sh"])
        .assert_ok();
    lab.lodger(&["start", "t2"]).assert_ok();
    let mut s = lab.on_terminal("attach t2");
    s.send(b"echo started-$((2+2))\r");
    s.expect("started-4");
    s.send(b"\x10\x11");
    s.expect("rc=0");
}

#[test]
fn log_driver_none_and_passthrough() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    let id = lab.detach(&["--name", "n1", "--log-driver", "none"], "echo hi");
    lab.lodger(&["wait", "n1"]).assert_ok();
    lab.lodger(&["logs", "n1"])
        .assert_exit(125)
        .assert_stderr_contains("this container is using the 'none' log driver, cannot read logs");
    assert!(!lab.log_file(&id).exists());
    lab.lodger(&[
        "inspect",
        "--format",
        "{{.HostConfig.LogConfig.Type}}",
        "n1",
    ])
    .assert_ok()
    .assert_stdout_contains("none");
    // passthrough: the container writes straight to the stdio of `run -d`.
    let out = lab.lodger(&[
        "run",
        "-d",
        "--name",
        "p1",
        "--log-driver",
        "passthrough",
        &lab.image,
        "sh",
        "-c",
        "echo pass-out; echo pass-err >&2",
    ]);
    out.assert_ok().assert_stdout_contains("pass-out\n");
    out.assert_stderr_contains("pass-err\n");
    lab.lodger(&["wait", "p1"]).assert_ok();
    lab.lodger(&["logs", "p1"])
        .assert_exit(125)
        .assert_stderr_contains("'passthrough' log driver");
    // Refused on a terminal, as Podman does.
    let s = lab.on_terminal(&format!(
        "run --rm --log-driver passthrough {} true",
        lab.image
    ));
    s.expect("rc=125");
    assert!(
        s.stdout().contains("cannot be used on a TTY"),
        "{}",
        s.stdout()
    );
    // Nor when a passthrough container created elsewhere is started from a terminal.
    let s = lab.on_terminal("start p1");
    s.expect("rc=125");
    assert!(
        s.stdout().contains("cannot be used on a TTY"),
        "{}",
        s.stdout()
    );
    lab.lodger(&["start", "p1"])
        .assert_ok()
        .assert_stdout_contains("pass-out\n");
    lab.lodger(&["run", "--log-driver", "journald", &lab.image, "true"])
        .assert_exit(125)
        .assert_stderr_contains("journald log driver is not supported");
    lab.lodger(&["create", "--log-driver", "syslog", &lab.image, "true"])
        .assert_exit(125)
        .assert_stderr_contains("--log-driver");
    lab.lodger(&["create", "--log-opt", "max-size=lots", &lab.image, "true"])
        .assert_exit(125)
        .assert_stderr_contains("max-size");
    // Nothing half-done: the refused containers were not created.
    let ps = lab.lodger(&["ps", "-a", "-q"]).stdout_str();
    assert_eq!(ps.lines().count(), 2, "{ps}");
}

#[test]
fn log_max_size_keeps_the_file_small() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    let id = lab.detach(
        &["--name", "m1", "--log-opt", "max-size=2k"],
        "i=0; while [ $i -lt 300 ]; do echo line-$i; i=$((i+1)); done",
    );
    lab.lodger(&["wait", "m1"]).assert_ok();
    let size = std::fs::metadata(lab.log_file(&id)).unwrap().len();
    assert!(size > 0 && size <= 2000, "log of {size} bytes");
    let logs = lab.lodger(&["logs", "m1"]).stdout_str();
    assert!(logs.ends_with("line-299\n"), "{logs}");
    assert!(!logs.contains("line-0\n"), "{logs}");
    lab.lodger(&[
        "inspect",
        "--format",
        "{{.HostConfig.LogConfig.Type}} {{.HostConfig.LogConfig.Size}}",
        "m1",
    ])
    .assert_ok()
    .assert_stdout_contains("k8s-file 2kB");
}

#[test]
fn a_deleted_log_is_created_again() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    let id = lab.detach(
        &["--name", "d1"],
        "i=0; while :; do echo tick-$i; i=$((i+1)); sleep 0.2; done",
    );
    let path = lab.log_file(&id);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !lab
        .lodger(&["logs", "d1"])
        .stdout_str()
        .contains("tick-3\n")
    {
        assert!(Instant::now() < deadline, "no output");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::fs::remove_file(&path).unwrap();
    let missing = lab.lodger(&["logs", "d1"]);
    if !missing.status.success() {
        // Until the monitor's next check, a clear message rather than nothing.
        missing
            .assert_exit(125)
            .assert_stderr_contains("is missing");
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let out = lab.lodger(&["logs", "d1"]);
        let text = out.stdout_str();
        if out.status.success() && text.lines().count() >= 3 {
            // A new file: the first lines are gone, new ones keep coming.
            assert!(!text.contains("tick-0\n"), "{text}");
            break;
        }
        assert!(Instant::now() < deadline, "the log did not come back");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(path.exists());
    assert!(lab.status("d1").starts_with("Up"));
}

#[test]
fn attach_follows_resizes_and_restores_the_terminal() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.detach(&["-it", "--name", "w1"], "exec sh");
    // After attach: its exit code and whether the terminal is back in canonical mode.
    let line = format!(
        "{} attach w1; echo rc=$?; stty -a | tr ' ' '\\n' | grep -x -- '-*icanon'; sleep 100",
        lab.bin()
    );
    let tmux = Tmux::start(&lab.sb, "tmux.sock", 80, 24, &line);
    tmux.run(&["send-keys", "echo size-$(stty size)-", "Enter"]);
    tmux.expect("size-24 80-");
    tmux.run(&["resize-window", "-x", "100", "-y", "30"]);
    std::thread::sleep(Duration::from_millis(200));
    tmux.run(&["send-keys", "echo size-$(stty size)-", "Enter"]);
    tmux.expect("size-30 100-");
    tmux.run(&["send-keys", "C-p", "C-q"]);
    tmux.expect("rc=0");
    let screen = tmux.expect("icanon");
    assert!(
        screen.lines().any(|l| l.trim() == "icanon"),
        "raw mode left on:\n{screen}"
    );
    assert!(lab.status("w1").starts_with("Up"), "{}", lab.status("w1"));
    // -t without -i: nothing typed reaches the container, but the detach keys still work.
    lab.detach(
        &["-t", "--name", "w2"],
        "while :; do echo tick; sleep 0.2; done",
    );
    let line = format!("{} attach w2; echo rc2=$?; sleep 100", lab.bin());
    let tmux2 = Tmux::start(&lab.sb, "tmux2.sock", 80, 24, &line);
    tmux2.expect("tick");
    tmux2.run(&["send-keys", "C-p", "C-q"]);
    tmux2.expect("rc2=0");
    assert!(lab.status("w2").starts_with("Up"), "{}", lab.status("w2"));
    tmux.finish(false);
    tmux2.finish(false);
}

#[test]
fn attach_ends_as_a_detach_when_the_terminal_hangs_up() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let lab = Lab::new(&env);
    lab.detach(&["-it", "--name", "h1"], "exec sh");
    let line = format!(
        "{} attach --sig-proxy=false h1; echo rc=$?; sleep 100",
        lab.bin()
    );
    let tmux = Tmux::start(&lab.sb, "tmux.sock", 80, 24, &line);
    tmux.run(&["send-keys", "echo hi-$((2*3))", "Enter"]);
    tmux.expect("hi-6");
    // Without the signal proxy a hang-up is not passed on: the session ends, the container
    // keeps running.
    tmux.signal(&format!("{} attach ", lab.bin()), libc::SIGHUP);
    tmux.expect("rc=125");
    assert!(lab.status("h1").starts_with("Up"), "{}", lab.status("h1"));
    let out = lab.lodger(&["exec", "h1", "true"]);
    out.assert_ok();
    tmux.finish(false);
}
