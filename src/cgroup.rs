//! A cgroup per container where the user has a delegated cgroup v2 subtree (a systemd user
//! unit with `Delegate=yes`, or any cgroup v2 directory the user owns): the container's
//! processes, and those `exec` starts, are then grouped as with Podman. On hybrid or v1
//! hosts and without delegation nothing is created and containers stay in the caller's
//! cgroup.

use std::io;
use std::path::{Path, PathBuf};

const ROOT: &str = "/sys/fs/cgroup";

/// The caller's own cgroup v2 directory, when the user may create cgroups under it and move
/// processes into them.
fn delegated_base() -> Option<PathBuf> {
    let fs = rustix::fs::statfs(ROOT).ok()?;
    if fs.f_type != libc::CGROUP2_SUPER_MAGIC {
        return None;
    }
    let own = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let rel = own.lines().find_map(|l| l.strip_prefix("0::"))?;
    let dir = Path::new(ROOT).join(rel.trim_start_matches('/'));
    let writable = |p: &Path| rustix::fs::access(p, rustix::fs::Access::WRITE_OK).is_ok();
    (writable(&dir) && writable(&dir.join("cgroup.procs"))).then_some(dir)
}

/// Where container `id` gets its cgroup: below the caller's delegated cgroup, if any.
pub fn for_container(id: &str) -> Option<PathBuf> {
    delegated_base().map(|base| base.join(format!("lodger-{id}")))
}

/// Creates `dir` (if missing) and moves process `pid` into it; on failure the directory
/// is not left behind.
pub fn enter(dir: &Path, pid: u32) -> io::Result<()> {
    match std::fs::create_dir(dir) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
        _ => {}
    }
    let moved = std::fs::write(dir.join("cgroup.procs"), pid.to_string());
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
