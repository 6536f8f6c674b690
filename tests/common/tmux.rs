//! Terminal tests through tmux: a server of its own (private socket) running one command
//! line in a sandbox. Whatever it started is ended when it goes: the tmux server, then the
//! sandbox's containers, and every process left of it is waited for (and, should one stay,
//! killed), so no `lodger run -it`, monitor or network helper outlives its test.

use super::Sandbox;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set to the socket's path for the server: tells its processes from other tests'.
const MARKER: &str = "LODGER_TEST_TMUX";

pub struct Tmux {
    socket: PathBuf,
    /// `MARKER=<socket>`: in the environment of the server, so of every process started
    /// from it, lodger's monitors and network helpers included.
    marker: Vec<u8>,
    lodger: Command,
    finished: bool,
}

impl Tmux {
    /// A window of `cols` x `rows` running `line` in `sb`, on the socket `name` in the
    /// sandbox.
    pub fn start(sb: &Sandbox, name: &str, cols: u16, rows: u16, line: &str) -> Tmux {
        let socket = sb.root().join(name);
        let s = socket.display().to_string();
        let (x, y) = (cols.to_string(), rows.to_string());
        let marker = format!("{MARKER}={s}");
        let status = sb
            .command_for(
                Path::new("tmux"),
                &["-S", &s, "new-session", "-d", "-x", &x, "-y", &y, line],
            )
            .env(MARKER, &s)
            .status()
            .unwrap();
        assert!(status.success(), "tmux did not start");
        let mut lodger = sb.command(&["rm", "-a", "-f"]);
        lodger
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        Tmux {
            socket,
            marker: marker.into_bytes(),
            lodger,
            finished: false,
        }
    }

    pub fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the pane shows `needle`; the screen.
    pub fn expect(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let screen = self.run(&["capture-pane", "-p"]);
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "never showed {needle:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends `signal` to the process of this server whose command line starts with
    /// `prefix`.
    pub fn signal(&self, prefix: &str, signal: i32) {
        let (pid, _) = self
            .processes()
            .into_iter()
            .find(|(_, cmd)| cmd.starts_with(prefix))
            .unwrap_or_else(|| panic!("no process {prefix:?} in the terminal"));
        unsafe { libc::kill(pid as i32, signal) };
    }

    /// Processes of this server: those with its marker, and their descendants (the
    /// containers, which have an environment of their own).
    pub fn processes(&self) -> Vec<(u32, String)> {
        let mut parent = HashMap::new();
        let mut found = HashSet::new();
        let me = std::process::id();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            if pid == me {
                continue;
            }
            if let Some(ppid) = std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|s| {
                    s.rsplit_once(')')?
                        .1
                        .split_whitespace()
                        .nth(1)?
                        .parse()
                        .ok()
                })
            {
                parent.insert(pid, ppid);
            }
            let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            if environ.split(|&b| b == 0).any(|v| v == self.marker) {
                found.insert(pid);
            }
        }
        loop {
            let more: Vec<u32> = parent
                .iter()
                .filter(|(pid, ppid)| found.contains(ppid) && !found.contains(pid))
                .map(|(pid, _)| *pid)
                .collect();
            if more.is_empty() {
                break;
            }
            found.extend(more);
        }
        let mut out: Vec<(u32, String)> = found
            .into_iter()
            .filter_map(|pid| {
                let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
                // Zombies are gone but for their parent's wait.
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
                if stat.rsplit_once(')')?.1.trim_start().starts_with('Z') {
                    return None;
                }
                Some((pid, String::from_utf8_lossy(&cmd).replace('\0', " ")))
            })
            .collect();
        out.sort();
        out
    }

    fn wait_gone(&self, secs: u64) -> Vec<(u32, String)> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let left = self.processes();
            if left.is_empty() || Instant::now() >= deadline {
                return left;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Ends the tmux server and what it started, killing what stays.
    fn stop(&mut self) {
        self.run(&["kill-server"]);
        if self.wait_gone(3).is_empty() {
            return;
        }
        // A container whose pid 1 ignores the hangup outlives its terminal, as with Podman.
        let _ = self.lodger.status();
        for (pid, _) in self.wait_gone(10) {
            // SAFETY: kill with plain integers, on processes of this test only.
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
        }
        self.wait_gone(5);
    }

    /// Ends the tmux server and asserts that nothing of the sandbox outlives it, but for
    /// detached containers when `detached`, which are then removed: nothing is left after.
    pub fn finish(mut self, detached: bool) {
        self.run(&["kill-server"]);
        let left = self.wait_gone(5);
        assert!(
            detached || left.is_empty(),
            "outlived the terminal: {left:?}"
        );
        let _ = self.lodger.status();
        let left = self.wait_gone(10);
        assert!(left.is_empty(), "left running: {left:?}");
        self.finished = true;
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        if !self.finished {
            self.stop();
        }
    }
}
