//! Parent side of the helper: start it, install its id maps, let it go.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::thread::JoinHandle;

use super::mapping::{map_file_text, map_tool_args, unshare_failure, IdMapping, IdRange};
use super::{UsernsError, HELPER_ARG};

/// Environment variable that tells the helper its two handshake fds: `<ready-w>,<go-r>`.
pub(crate) const SYNC_ENV: &str = "_LODGER_USERNS_SYNC";

static HELPER_EXE: OnceLock<PathBuf> = OnceLock::new();

/// Runs helpers from `exe` instead of `/proc/self/exe`.
///
/// For test binaries, which are not the lodger binary; has no effect after the first call.
pub fn set_helper_exe(exe: PathBuf) {
    let _ = HELPER_EXE.set(exe);
}

fn helper_exe() -> PathBuf {
    HELPER_EXE
        .get()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("/proc/self/exe"))
}

/// A running helper, already inside its user namespace with the maps installed.
///
/// Dropping it without [`HelperChild::wait`] kills and reaps the process.
pub struct HelperChild {
    child: Option<Child>,
    stderr: Option<JoinHandle<Vec<u8>>>,
}

/// How a helper ended.
#[derive(Debug)]
pub struct HelperOutput {
    pub status: ExitStatus,
    pub stderr: String,
}

impl HelperChild {
    /// Process id of the helper.
    pub fn id(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// The helper's stdin, when it was spawned with `Stdio::piped()`.
    pub fn take_stdin(&mut self) -> Option<ChildStdin> {
        self.child.as_mut().and_then(|c| c.stdin.take())
    }

    /// The helper's stdout, when it was spawned with `Stdio::piped()`.
    pub fn take_stdout(&mut self) -> Option<ChildStdout> {
        self.child.as_mut().and_then(|c| c.stdout.take())
    }

    /// Kills the helper (the caller gave up on it); `wait` still has to reap it.
    pub fn kill(&mut self) {
        if let Some(c) = self.child.as_mut() {
            let _ = c.kill();
        }
    }

    /// Waits for the helper to exit and returns its status and everything it wrote to stderr.
    pub fn wait(mut self) -> Result<HelperOutput, UsernsError> {
        let Some(mut child) = self.child.take() else {
            return Err(UsernsError::Wait(std::io::Error::other(
                "helper already reaped",
            )));
        };
        // Close our end of its stdin so a helper still reading sees EOF instead of hanging.
        drop(child.stdin.take());
        let status = child.wait().map_err(UsernsError::Wait)?;
        let stderr = self
            .stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        Ok(HelperOutput {
            status,
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        })
    }
}

impl Drop for HelperChild {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Starts `lodger __userns-helper <args>` in a new user namespace mapped by `mapping`.
///
/// stdin and stdout are the data channel of the operation; stderr is collected (see
/// [`HelperChild::wait`]). Returns once the helper runs as root of its namespace.
pub fn spawn_helper(
    mapping: &IdMapping,
    args: &[&OsStr],
    stdin: Stdio,
    stdout: Stdio,
) -> Result<HelperChild, UsernsError> {
    let (ready_r, ready_w) = cloexec_pipe()?;
    let (go_r, go_w) = cloexec_pipe()?;
    let exe = helper_exe();
    let mut cmd = Command::new(&exe);
    cmd.arg(HELPER_ARG)
        .args(args)
        .env(
            SYNC_ENV,
            format!("{},{}", ready_w.as_raw_fd(), go_r.as_raw_fd()),
        )
        .stdin(stdin)
        .stdout(stdout)
        .stderr(Stdio::piped());
    let inherit = [ready_w.as_raw_fd(), go_r.as_raw_fd()];
    // SAFETY: only fcntl, which is async-signal-safe, runs between fork and exec. The pipes
    // are created close-on-exec so that helpers spawned concurrently by other threads do not
    // inherit them (that would hide EOF); only this child gets them across exec.
    unsafe {
        cmd.pre_exec(move || {
            for fd in inherit {
                if libc::fcntl(fd, libc::F_SETFD, 0) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().map_err(|source| UsernsError::Spawn {
        exe: exe.display().to_string(),
        source,
    })?;
    drop(ready_w);
    drop(go_r);
    let child_stderr = child.stderr.take();
    let mut helper = HelperChild {
        child: Some(child),
        stderr: None,
    };
    // Only used once the helper has exited or is being killed, so reading cannot block.
    let stderr_text = |mut helper: HelperChild, stderr: Option<std::process::ChildStderr>| {
        helper.kill();
        let mut text = String::new();
        if let Some(mut s) = stderr {
            let _ = s.read_to_string(&mut text);
        }
        drop(helper);
        text.trim().to_owned()
    };

    let mut status = [0u8; 4];
    if File::from(ready_r).read_exact(&mut status).is_err() {
        return Err(UsernsError::HelperDied {
            stderr: stderr_text(helper, child_stderr),
        });
    }
    let errno = i32::from_le_bytes(status);
    if errno != 0 {
        drop(stderr_text(helper, child_stderr));
        return Err(unshare_failure(errno));
    }

    let pid = helper.id();
    if let Err(e) = install_maps(mapping, pid) {
        // Dropping `go_w` unblocks the helper with EOF; it exits without doing anything.
        drop(go_w);
        drop(stderr_text(helper, child_stderr));
        return Err(e);
    }
    if File::from(go_w).write_all(b"g").is_err() {
        return Err(UsernsError::HelperDied {
            stderr: stderr_text(helper, child_stderr),
        });
    }
    helper.stderr = child_stderr.map(|mut s| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = s.read_to_end(&mut buf);
            buf
        })
    });
    Ok(helper)
}

fn cloexec_pipe() -> Result<(OwnedFd, OwnedFd), UsernsError> {
    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)
        .map_err(|e| UsernsError::Pipe(std::io::Error::from(e)))
}

fn install_maps(mapping: &IdMapping, pid: u32) -> Result<(), UsernsError> {
    if rustix::process::geteuid().is_root() {
        // Root may write any map itself (newuidmap would insist on /etc/subuid entries).
        write_proc(pid, "uid_map", &map_file_text(&mapping.uids))?;
        write_proc(pid, "gid_map", &map_file_text(&mapping.gids))?;
        return Ok(());
    }
    let own = IdMapping::single();
    if mapping.is_single() && mapping.uids == own.uids && mapping.gids == own.gids {
        // Mapping only our own ids needs no privilege, but the kernel insists that
        // setgroups is denied first.
        write_proc(pid, "setgroups", "deny")?;
        write_proc(pid, "uid_map", &map_file_text(&mapping.uids))?;
        write_proc(pid, "gid_map", &map_file_text(&mapping.gids))?;
        return Ok(());
    }
    run_map_tool("newuidmap", pid, &mapping.uids)?;
    run_map_tool("newgidmap", pid, &mapping.gids)
}

fn write_proc(pid: u32, file: &str, text: &str) -> Result<(), UsernsError> {
    let path = format!("/proc/{pid}/{file}");
    std::fs::write(&path, text).map_err(|source| UsernsError::WriteMap { path, source })
}

fn run_map_tool(tool: &'static str, pid: u32, ranges: &[IdRange]) -> Result<(), UsernsError> {
    let out = Command::new(tool)
        .arg(pid.to_string())
        .args(map_tool_args(ranges))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                UsernsError::ToolMissing { tool }
            } else {
                UsernsError::RunMapTool { tool, source }
            }
        })?;
    if !out.status.success() {
        return Err(UsernsError::MapTool {
            tool,
            pid,
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        });
    }
    Ok(())
}
