//! The container's rootfs: kernel overlayfs in the user namespace, fuse-overlayfs, or a copy.

use std::io;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};

use nix::mount::MsFlags;
use rustix::mount::{FsMountFlags, FsOpenFlags, MountAttrFlags, MoveMountFlags};

/// How image layers become a rootfs, in order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootfsDriver {
    /// Kernel overlayfs mounted inside the user namespace (`userxattr`).
    Overlay,
    /// The `fuse-overlayfs` program.
    FuseOverlayfs,
    /// The layers copied into the container's upper directory once.
    Copy,
}

impl RootfsDriver {
    pub fn name(self) -> &'static str {
        match self {
            RootfsDriver::Overlay => "overlay",
            RootfsDriver::FuseOverlayfs => "fuse-overlayfs",
            RootfsDriver::Copy => "copy",
        }
    }

    pub fn from_name(name: &str) -> Option<RootfsDriver> {
        match name.trim() {
            "overlay" => Some(RootfsDriver::Overlay),
            "fuse-overlayfs" => Some(RootfsDriver::FuseOverlayfs),
            "copy" => Some(RootfsDriver::Copy),
            _ => None,
        }
    }
}

/// Environment variable that forces a driver (for tests and broken kernels).
pub const DRIVER_ENV: &str = "LODGER_ROOTFS_DRIVER";
const CACHE_FILE: &str = "rootfs-driver";
/// Mount data is one page including the NUL.
const MOUNT_DATA_MAX: usize = 4095;

/// Which rootfs driver works here: "overlay", "fuse-overlayfs" or "copy".
///
/// Probed once in a throwaway user namespace (scratch directories under `scratch_dir`, which
/// must be on the filesystem of the container directories) and cached in `runtime_dir`; the
/// environment variable `LODGER_ROOTFS_DRIVER` overrides it.
pub fn probe_rootfs_driver(runtime_dir: &Path, scratch_dir: &Path) -> &'static str {
    driver(runtime_dir, scratch_dir).name()
}

pub(crate) fn driver(runtime_dir: &Path, scratch_dir: &Path) -> RootfsDriver {
    if let Some(d) = std::env::var(DRIVER_ENV)
        .ok()
        .and_then(|v| RootfsDriver::from_name(&v))
    {
        return d;
    }
    let cache = runtime_dir.join(CACHE_FILE);
    if let Some(d) = std::fs::read_to_string(&cache)
        .ok()
        .and_then(|s| RootfsDriver::from_name(&s))
    {
        return d;
    }
    let found = probe(scratch_dir);
    // Written beside and renamed, so concurrent probes never read half a name.
    let tmp = runtime_dir.join(format!("{CACHE_FILE}.{}", std::process::id()));
    if std::fs::write(&tmp, found.name()).is_ok() && std::fs::rename(&tmp, &cache).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    found
}

/// The driver for a container whose state dir is `<runtime>/containers/<id>` and whose
/// upper dir lives in the store's container dir.
pub(crate) fn driver_for(state_dir: &Path, upper: &Path) -> RootfsDriver {
    let runtime = state_dir
        .parent()
        .and_then(Path::parent)
        .unwrap_or(state_dir);
    let scratch = upper.parent().unwrap_or(upper);
    driver(runtime, scratch)
}

fn probe(scratch_dir: &Path) -> RootfsDriver {
    let dir = scratch_dir.join(format!(".rootfs-probe-{}", std::process::id()));
    let result = probe_in(&dir);
    remove_probe_dir(&dir);
    result.unwrap_or(RootfsDriver::Copy)
}

fn probe_in(dir: &Path) -> io::Result<RootfsDriver> {
    let [lower, upper, work, merged] = ["lower", "upper", "work", "merged"].map(|d| dir.join(d));
    for d in [&lower, &upper, &work, &merged] {
        std::fs::create_dir_all(d)?;
    }
    std::fs::write(lower.join("f"), "x")?;
    let lowers = vec![lower.clone()];
    let code = super::parent::in_scratch_userns(&mut || {
        if mount_overlay(&lowers, &upper, &work, &merged).is_ok()
            && std::fs::remove_file(merged.join("f")).is_ok()
        {
            return 0;
        }
        if mount_fuse_overlayfs(&lowers, &upper, &work, &merged).is_ok() {
            let _ = nix::mount::umount2(&merged, nix::mount::MntFlags::MNT_DETACH);
            return 1;
        }
        2
    })?;
    Ok(match code {
        0 => RootfsDriver::Overlay,
        1 => RootfsDriver::FuseOverlayfs,
        _ => RootfsDriver::Copy,
    })
}

fn remove_probe_dir(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    // overlayfs leaves work/work with mode 000.
    let _ = std::fs::set_permissions(
        dir.join("work/work"),
        std::fs::Permissions::from_mode(0o700),
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Escapes the characters overlayfs treats as separators in a path option.
fn escape(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        if matches!(c, ',' | ':' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The overlay mount data for `lower` (topmost first); `kernel` adds the options of kernel
/// overlayfs in a user namespace.
///
/// `volatile`: without it, unmounting (the container's exit) runs syncfs on the whole
/// filesystem of the upper dir, which took from 20 ms to 400 ms here on a busy host; the
/// container's own fsync calls on the rootfs become no-ops (volumes are not affected).
pub(crate) fn overlay_data(lower: &[PathBuf], upper: &Path, work: &Path, kernel: bool) -> String {
    let lowers: Vec<String> = lower.iter().map(|p| escape(p)).collect();
    let mut data = format!(
        "lowerdir={},upperdir={},workdir={}",
        lowers.join(":"),
        escape(upper),
        escape(work)
    );
    if kernel {
        data.push_str(",userxattr,volatile");
    }
    data
}

/// Mounts kernel overlayfs; long layer lists go through the new mount API one layer at a time.
pub(crate) fn mount_overlay(
    lower: &[PathBuf],
    upper: &Path,
    work: &Path,
    target: &Path,
) -> io::Result<()> {
    if lower.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the image has no layers",
        ));
    }
    // A volatile mount leaves this behind and overlayfs refuses the next mount while it
    // exists (it cannot tell a clean unmount from a crash).
    match std::fs::remove_dir_all(work.join("work/incompat")) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let data = overlay_data(lower, upper, work, true);
    if data.len() <= MOUNT_DATA_MAX {
        return nix::mount::mount(
            Some("overlay"),
            target,
            Some("overlay"),
            MsFlags::empty(),
            Some(data.as_str()),
        )
        .map_err(io::Error::from);
    }
    match mount_overlay_fsconfig(lower, upper, work, target) {
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
            mount_overlay_relative(lower, upper, work, target)
        }
        r => r,
    }
}

/// `lowerdir+` (Linux 6.8) takes one layer per call, without the one-page limit.
fn mount_overlay_fsconfig(
    lower: &[PathBuf],
    upper: &Path,
    work: &Path,
    target: &Path,
) -> io::Result<()> {
    let fs = rustix::mount::fsopen("overlay", FsOpenFlags::FSOPEN_CLOEXEC)?;
    for l in lower {
        rustix::mount::fsconfig_set_string(fs.as_fd(), "lowerdir+", l.as_path())?;
    }
    rustix::mount::fsconfig_set_string(fs.as_fd(), "upperdir", upper)?;
    rustix::mount::fsconfig_set_string(fs.as_fd(), "workdir", work)?;
    rustix::mount::fsconfig_set_flag(fs.as_fd(), "userxattr")?;
    rustix::mount::fsconfig_set_flag(fs.as_fd(), "volatile")?;
    rustix::mount::fsconfig_create(fs.as_fd())?;
    let mnt = rustix::mount::fsmount(
        fs.as_fd(),
        FsMountFlags::FSMOUNT_CLOEXEC,
        MountAttrFlags::empty(),
    )?;
    rustix::mount::move_mount(
        mnt.as_fd(),
        "",
        rustix::fs::CWD,
        target,
        MoveMountFlags::MOVE_MOUNT_F_EMPTY_PATH,
    )?;
    Ok(())
}

/// Older kernels: shorten the option by naming the layers relative to their common parent.
fn mount_overlay_relative(
    lower: &[PathBuf],
    upper: &Path,
    work: &Path,
    target: &Path,
) -> io::Result<()> {
    let base = common_parent(lower);
    let rel: Vec<PathBuf> = lower
        .iter()
        .map(|l| {
            l.strip_prefix(&base)
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| l.clone())
        })
        .collect();
    let data = overlay_data(&rel, upper, work, true);
    if data.len() > MOUNT_DATA_MAX {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} layers do not fit in one overlay mount on this kernel (Linux 6.8 lifts the \
                 limit); set {DRIVER_ENV}=fuse-overlayfs",
                lower.len()
            ),
        ));
    }
    let saved = std::env::current_dir()?;
    std::env::set_current_dir(&base)?;
    let res = nix::mount::mount(
        Some("overlay"),
        target,
        Some("overlay"),
        MsFlags::empty(),
        Some(data.as_str()),
    );
    std::env::set_current_dir(saved)?;
    res.map_err(io::Error::from)
}

fn common_parent(paths: &[PathBuf]) -> PathBuf {
    let mut base = paths[0].parent().map(Path::to_path_buf).unwrap_or_default();
    while !paths.iter().all(|p| p.starts_with(&base)) {
        match base.parent() {
            Some(p) => base = p.to_path_buf(),
            None => break,
        }
    }
    base
}

/// Mounts the layers with the fuse-overlayfs program, which daemonizes once mounted.
pub(crate) fn mount_fuse_overlayfs(
    lower: &[PathBuf],
    upper: &Path,
    work: &Path,
    target: &Path,
) -> io::Result<()> {
    let program = crate::userns::find_in_path("fuse-overlayfs").ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::NotFound,
            "fuse-overlayfs not found in PATH: install it",
        )
    })?;
    // Container users other than root need allow_other to see the files.
    let opts = format!("{},allow_other", overlay_data(lower, upper, work, false));
    let out = std::process::Command::new(&program)
        .arg("-o")
        .arg(opts)
        .arg(target)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .output()?;
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "{} {}: {}",
            program.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

/// Bind-mounts a directory as the rootfs (pivot_root needs a mount point).
pub(crate) fn bind_dir(dir: &Path, target: &Path) -> io::Result<()> {
    nix::mount::mount(
        Some(dir),
        target,
        None::<&str>,
        MsFlags::MS_BIND | MsFlags::MS_REC,
        None::<&str>,
    )
    .map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_options_escape_separators() {
        let data = overlay_data(
            &["/l/a".into(), "/l/b:c".into()],
            Path::new("/u,x"),
            Path::new("/w"),
            true,
        );
        assert_eq!(
            data,
            r"lowerdir=/l/a:/l/b\:c,upperdir=/u\,x,workdir=/w,userxattr,volatile"
        );
        let data = overlay_data(&["/a".into()], Path::new("/u"), Path::new("/w"), false);
        assert_eq!(data, "lowerdir=/a,upperdir=/u,workdir=/w");
    }

    #[test]
    fn common_parent_of_layers() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            common_parent(&[p("/s/layers/aa/diff"), p("/s/layers/bb/diff")]),
            p("/s/layers")
        );
        assert_eq!(common_parent(&[p("/s/layers/aa/diff")]), p("/s/layers/aa"));
    }

    #[test]
    fn driver_names_round_trip_and_cache_is_used() {
        for d in [
            RootfsDriver::Overlay,
            RootfsDriver::FuseOverlayfs,
            RootfsDriver::Copy,
        ] {
            assert_eq!(RootfsDriver::from_name(d.name()), Some(d));
        }
        assert_eq!(RootfsDriver::from_name("zfs"), None);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CACHE_FILE), "fuse-overlayfs\n").unwrap();
        if std::env::var_os(DRIVER_ENV).is_none() {
            assert_eq!(
                probe_rootfs_driver(dir.path(), dir.path()),
                "fuse-overlayfs"
            );
        }
    }
}
