//! A cgroup per container where the user has a delegated cgroup v2 subtree (a systemd user
//! unit with `Delegate=yes`, or any cgroup v2 directory the user owns): the container's
//! processes, and those `exec` starts, are then grouped as with Podman. On hybrid or v1
//! hosts and without delegation nothing is created and containers stay in the caller's
//! cgroup.

use std::io;
use std::path::{Path, PathBuf};

const ROOT: &str = "/sys/fs/cgroup";

/// Where the processes of a delegated cgroup go once resource limits need its controllers
/// (cgroup v2 enables them only for a cgroup without processes of its own): lodger itself,
/// its monitors and whatever else the unit runs.
const SUPERVISOR: &str = "lodger-supervisor";

fn unified() -> bool {
    rustix::fs::statfs(ROOT).is_ok_and(|fs| fs.f_type == libc::CGROUP2_SUPER_MAGIC)
}

/// The caller's own cgroup v2 directory (its parent when the caller was moved to the
/// supervisor cgroup), when the user may create cgroups under it and move processes into them.
fn delegated_base() -> Option<PathBuf> {
    unified().then(own_writable_cgroup).flatten()
}

fn own_writable_cgroup() -> Option<PathBuf> {
    let own = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let rel = own.lines().find_map(|l| l.strip_prefix("0::"))?;
    let mut dir = Path::new(ROOT).join(rel.trim_start_matches('/'));
    if dir.file_name().is_some_and(|n| n == SUPERVISOR) {
        dir.pop();
    }
    let writable = |p: &Path| rustix::fs::access(p, rustix::fs::Access::WRITE_OK).is_ok();
    (writable(&dir) && writable(&dir.join("cgroup.procs"))).then_some(dir)
}

/// Whether resource limits can be applied here.
pub enum LimitSupport {
    /// cgroup v1 or hybrid: Podman ignores limits there with a warning.
    V1,
    /// cgroup v2, but the caller's cgroup is not the user's to divide.
    NotDelegated,
    Delegated(PathBuf),
}

pub fn limit_support() -> LimitSupport {
    if !unified() {
        return LimitSupport::V1;
    }
    match own_writable_cgroup() {
        None => LimitSupport::NotDelegated,
        Some(base) => LimitSupport::Delegated(base),
    }
}

fn words(path: &Path) -> io::Result<Vec<String>> {
    Ok(std::fs::read_to_string(path)?
        .split_whitespace()
        .map(str::to_string)
        .collect())
}

/// Makes `controllers` available to the cgroups below `base`. The processes in `base` move
/// to its supervisor cgroup first when the kernel asks for that (EBUSY), as Podman's
/// `--cgroups=split` does.
pub fn enable_controllers(base: &Path, controllers: &[&str]) -> io::Result<()> {
    let enabled = words(&base.join("cgroup.subtree_control"))?;
    let mut missing: Vec<&str> = controllers
        .iter()
        .copied()
        .filter(|c| !enabled.iter().any(|e| e == c))
        .collect();
    missing.sort_unstable();
    missing.dedup();
    if missing.is_empty() {
        return Ok(());
    }
    let available = words(&base.join("cgroup.controllers"))?;
    if let Some(c) = missing.iter().find(|c| !available.iter().any(|a| a == *c)) {
        return Err(io::Error::other(format!(
            "the {c} controller is not delegated to {}: add it to the Delegate= of the unit \
             lodger runs in (e.g. Delegate=yes)",
            base.display()
        )));
    }
    let line: Vec<String> = missing.iter().map(|c| format!("+{c}")).collect();
    let line = line.join(" ");
    // Processes may be forked into `base` meanwhile: a few rounds.
    let mut last = None;
    for _ in 0..5 {
        match std::fs::write(base.join("cgroup.subtree_control"), &line) {
            Ok(()) => return Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {
                move_processes(base, &base.join(SUPERVISOR))?;
                last = Some(e);
            }
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::from_raw_os_error(libc::EBUSY)))
}

/// What `stats` reads besides cpu.stat: each controller enabled below the container's
/// parent cgroup where it can be (best effort, one by one: a controller not delegated is
/// simply not shown).
pub fn enable_for_stats(container: &Path) {
    if let Some(parent) = container.parent() {
        for c in ["memory", "pids", "io"] {
            let _ = enable_controllers(parent, &[c]);
        }
    }
}

fn move_processes(from: &Path, to: &Path) -> io::Result<()> {
    match std::fs::create_dir(to) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
        _ => {}
    }
    for pid in std::fs::read_to_string(from.join("cgroup.procs"))?.lines() {
        match std::fs::write(to.join("cgroup.procs"), pid) {
            // Gone meanwhile.
            Err(e) if e.raw_os_error() == Some(libc::ESRCH) => {}
            other => other?,
        }
    }
    Ok(())
}

/// Where container `id` gets its cgroup: below the caller's delegated cgroup, if any.
pub fn for_container(id: &str) -> Option<PathBuf> {
    delegated_base().map(|base| base.join(format!("lodger-{id}")))
}

/// Creates `dir` (if missing), writes its `limits` (file, value) and moves process `pid`
/// into it, so the process never runs without them; on failure the directory is not left
/// behind.
pub fn enter(dir: &Path, pid: u32, limits: &[(String, String)]) -> io::Result<()> {
    match std::fs::create_dir(dir) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
        _ => {}
    }
    let limited = limits.iter().try_for_each(|(file, value)| {
        std::fs::write(dir.join(file), value)
            .map_err(|e| io::Error::new(e.kind(), format!("writing {value} to {file}: {e}")))
    });
    let moved = limited.and_then(|()| std::fs::write(dir.join("cgroup.procs"), pid.to_string()));
    if moved.is_err() {
        let _ = std::fs::remove_dir(dir);
    }
    moved
}

/// Removes the container's cgroup after its init was reaped: the kernel has ended every
/// other process of its pid namespace by then, but a fuse-overlayfs may still be on its
/// way out. A cgroup that stays busy is left to [`remove_killing`].
pub fn remove(dir: &Path) {
    for _ in 0..20 {
        match std::fs::remove_dir(dir) {
            Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            _ => return,
        }
    }
}

/// Removes the cgroup of a container known not to run (under its lock, at `rm` or before
/// a start), killing whatever is still in it.
pub fn remove_killing(dir: &Path) {
    if std::fs::remove_dir(dir).is_ok() || !dir.exists() {
        return;
    }
    let _ = std::fs::write(dir.join("cgroup.kill"), "1");
    remove(dir);
}

/// The cgroup recorded for a container in its state directory, if it got one.
pub fn recorded(state_dir: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(state_dir.join("cgroup")).ok()?;
    let path = PathBuf::from(text.trim());
    path.starts_with(ROOT).then_some(path)
}

/// Records the container's cgroup once its process is in it.
pub fn record(state_dir: &Path, dir: &Path) -> io::Result<()> {
    std::fs::write(state_dir.join("cgroup"), dir.as_os_str().as_encoded_bytes())
}

/// Removes the cgroup recorded in `state_dir` after the container ended.
pub fn remove_recorded(state_dir: &Path) {
    if let Some(dir) = recorded(state_dir) {
        remove(&dir);
    }
}

/// Forgets and removes the cgroup recorded in `state_dir` of a container that cannot be
/// running.
pub fn clear_recorded(state_dir: &Path) {
    if let Some(dir) = recorded(state_dir) {
        remove_killing(&dir);
        let _ = std::fs::remove_file(state_dir.join("cgroup"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_cgroups_must_lie_under_the_cgroup_mount() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(recorded(dir.path()), None);
        record(dir.path(), Path::new("/sys/fs/cgroup/user.slice/lodger-x")).expect("record");
        assert_eq!(
            recorded(dir.path()),
            Some(PathBuf::from("/sys/fs/cgroup/user.slice/lodger-x"))
        );
        // A state file pointing elsewhere is never written to or removed.
        std::fs::write(dir.path().join("cgroup"), "/home/user/important").expect("write");
        assert_eq!(recorded(dir.path()), None);
    }
}
