//! The container's mounts as data: planned from the spec, applied through [`Syscall`].
//!
//! Keeping the plan pure makes the order and options testable without privileges; the real
//! [`Syscall`] implementation (in `sys`) resolves every target inside the rootfs.

use std::io;
use std::path::{Path, PathBuf};

use nix::mount::MsFlags;

use super::{ContainerSpec, MountSpec, NetworkMode};

/// What a missing mount target is created as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Dir,
    File,
    /// The same type as the bind source.
    LikeSource,
}

/// One step of the container's mount setup; targets are absolute in-container paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Op {
    /// A new filesystem instance.
    Fs {
        fstype: &'static str,
        target: String,
        flags: MsFlags,
        data: String,
    },
    /// A bind mount of a host path.
    Bind {
        source: PathBuf,
        target: String,
        kind: Kind,
        recursive: bool,
        readonly: bool,
    },
    Symlink {
        target: &'static str,
        link: &'static str,
    },
    /// Hide a path: /dev/null over a file, an empty read-only tmpfs over a directory.
    Mask(&'static str),
    /// Make a path read-only, recursively.
    ReadOnly(&'static str),
}

impl Op {
    /// The step, as named in error messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Op::Fs { fstype, target, .. } => format!("mounting {fstype} on {target}"),
            Op::Bind { source, target, .. } => {
                format!("bind-mounting {} on {target}", source.display())
            }
            Op::Symlink { target, link } => format!("creating the symlink {link} -> {target}"),
            Op::Mask(p) => format!("masking {p}"),
            Op::ReadOnly(p) => format!("making {p} read-only"),
        }
    }
}

/// The kernel calls behind the ops (a recording fake in tests).
pub(crate) trait Syscall {
    fn mount_fs(
        &mut self,
        fstype: &str,
        target: &str,
        flags: MsFlags,
        data: &str,
    ) -> io::Result<()>;
    fn bind(
        &mut self,
        source: &Path,
        target: &str,
        kind: Kind,
        recursive: bool,
        readonly: bool,
    ) -> io::Result<()>;
    fn symlink(&mut self, target: &str, link: &str) -> io::Result<()>;
    fn mask(&mut self, path: &str) -> io::Result<()>;
    fn read_only(&mut self, path: &str) -> io::Result<()>;
}

/// Podman's masked paths.
pub(crate) const MASKED: [&str; 12] = [
    "/proc/acpi",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/fs/selinux",
    "/sys/dev/block",
    "/sys/devices/virtual/powercap",
];

/// Podman's read-only paths.
pub(crate) const READ_ONLY: [&str; 6] = [
    "/proc/asound",
    "/proc/bus",
    "/proc/fs",
    "/proc/irq",
    "/proc/sys",
    "/proc/sysrq-trigger",
];

/// Host devices bind-mounted into the container's /dev.
pub(crate) const DEVICES: [&str; 6] = ["null", "zero", "full", "random", "urandom", "tty"];

/// The generated /etc files: file name in the state dir and target in the container.
pub(crate) const ETC_FILES: [(&str, &str); 3] = [
    ("hosts", "/etc/hosts"),
    ("hostname", "/etc/hostname"),
    ("resolv.conf", "/etc/resolv.conf"),
];

const DEV_SYMLINKS: [(&str, &str); 6] = [
    ("pts/ptmx", "/dev/ptmx"),
    ("/proc/self/fd", "/dev/fd"),
    ("/proc/self/fd/0", "/dev/stdin"),
    ("/proc/self/fd/1", "/dev/stdout"),
    ("/proc/self/fd/2", "/dev/stderr"),
    ("/proc/kcore", "/dev/core"),
];

/// Facts about the host the plan depends on.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct HostFacts {
    /// Container gid 5 (tty) is mapped: devpts can give ptys that group.
    pub gid5_mapped: bool,
    /// The host has the unified cgroup hierarchy at /sys/fs/cgroup.
    pub cgroup2: bool,
}

/// Every mount of the container after the rootfs, in order.
pub(crate) fn plan(spec: &ContainerSpec, host: HostFacts) -> Vec<Op> {
    let nosuid_nodev_noexec = MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC;
    let mut ops = vec![Op::Fs {
        fstype: "proc",
        target: "/proc".into(),
        flags: nosuid_nodev_noexec,
        data: String::new(),
    }];
    ops.push(Op::Fs {
        fstype: "tmpfs",
        target: "/dev".into(),
        flags: MsFlags::MS_NOSUID | MsFlags::MS_STRICTATIME,
        data: "mode=755,size=65536k".into(),
    });
    for dev in DEVICES {
        ops.push(Op::Bind {
            source: Path::new("/dev").join(dev),
            target: format!("/dev/{dev}"),
            kind: Kind::File,
            recursive: false,
            readonly: false,
        });
    }
    let mut pts = String::from("newinstance,ptmxmode=0666,mode=0620");
    if host.gid5_mapped {
        pts.push_str(",gid=5");
    }
    ops.push(Op::Fs {
        fstype: "devpts",
        target: "/dev/pts".into(),
        flags: MsFlags::MS_NOSUID | MsFlags::MS_NOEXEC,
        data: pts,
    });
    for (target, link) in DEV_SYMLINKS {
        ops.push(Op::Symlink { target, link });
    }
    ops.push(Op::Fs {
        fstype: "tmpfs",
        target: "/dev/shm".into(),
        flags: nosuid_nodev_noexec,
        data: "mode=1777,size=65536k".into(),
    });
    ops.push(Op::Fs {
        fstype: "mqueue",
        target: "/dev/mqueue".into(),
        flags: nosuid_nodev_noexec,
        data: String::new(),
    });
    match spec.network {
        // sysfs may only be mounted by the owner of the network namespace.
        NetworkMode::None | NetworkMode::Helper(_) | NetworkMode::Join(_) => {
            ops.push(Op::Fs {
                fstype: "sysfs",
                target: "/sys".into(),
                flags: nosuid_nodev_noexec | MsFlags::MS_RDONLY,
                data: String::new(),
            });
            if host.cgroup2 {
                ops.push(Op::Fs {
                    fstype: "cgroup2",
                    target: "/sys/fs/cgroup".into(),
                    flags: nosuid_nodev_noexec | MsFlags::MS_RDONLY,
                    data: String::new(),
                });
            }
        }
        NetworkMode::Host => ops.push(Op::Bind {
            source: "/sys".into(),
            target: "/sys".into(),
            kind: Kind::Dir,
            recursive: true,
            readonly: true,
        }),
    }
    let user_targets: Vec<&str> = spec.mounts.iter().map(destination).collect();
    for (file, target) in ETC_FILES {
        // A user mount of the same file wins, as in Podman.
        let keep = file == "hosts" && spec.etc.keep_image_hosts;
        if !keep && !user_targets.iter().any(|t| clean(t) == target) {
            ops.push(Op::Bind {
                source: spec.state_dir.join(file),
                target: target.into(),
                kind: Kind::File,
                recursive: false,
                readonly: false,
            });
        }
    }
    let mut user: Vec<&MountSpec> = spec.mounts.iter().collect();
    // Parents before children, so a mount inside another volume is not hidden by it.
    user.sort_by_key(|m| clean(destination(m)).matches('/').count());
    for m in user {
        ops.push(match m {
            MountSpec::Bind {
                source,
                destination,
                readonly,
            } => Op::Bind {
                source: source.clone(),
                target: clean(destination),
                kind: Kind::LikeSource,
                recursive: true,
                readonly: *readonly,
            },
            MountSpec::Tmpfs {
                destination,
                options,
            } => {
                let (flags, data) = tmpfs_options(options);
                Op::Fs {
                    fstype: "tmpfs",
                    target: clean(destination),
                    flags,
                    data,
                }
            }
        });
    }
    ops.extend(MASKED.iter().map(|p| Op::Mask(p)));
    ops.extend(READ_ONLY.iter().map(|p| Op::ReadOnly(p)));
    ops
}

/// Applies the ops in order; the error names the step that failed.
pub(crate) fn apply(ops: &[Op], sys: &mut dyn Syscall) -> Result<(), String> {
    for op in ops {
        let res = match op {
            Op::Fs {
                fstype,
                target,
                flags,
                data,
            } => sys.mount_fs(fstype, target, *flags, data),
            Op::Bind {
                source,
                target,
                kind,
                recursive,
                readonly,
            } => sys.bind(source, target, *kind, *recursive, *readonly),
            Op::Symlink { target, link } => sys.symlink(target, link),
            Op::Mask(p) => sys.mask(p),
            Op::ReadOnly(p) => sys.read_only(p),
        };
        res.map_err(|e| format!("{}: {}", op.describe(), super::sys::describe(&e)))?;
    }
    Ok(())
}

fn destination(m: &MountSpec) -> &str {
    match m {
        MountSpec::Bind { destination, .. } | MountSpec::Tmpfs { destination, .. } => destination,
    }
}

/// `/a//b/` → `/a/b`; always absolute.
fn clean(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    format!("/{}", parts.join("/"))
}

/// Splits `--tmpfs` options into mount flags and filesystem data, on Podman's defaults
/// (`rw,noexec,nosuid,nodev`).
pub(crate) fn tmpfs_options(options: &str) -> (MsFlags, String) {
    let mut flags = MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC;
    let mut data: Vec<&str> = Vec::new();
    for opt in options.split(',').map(str::trim).filter(|o| !o.is_empty()) {
        let (set, clear) = match opt {
            "ro" => (MsFlags::MS_RDONLY, MsFlags::empty()),
            "rw" => (MsFlags::empty(), MsFlags::MS_RDONLY),
            "nosuid" => (MsFlags::MS_NOSUID, MsFlags::empty()),
            "suid" => (MsFlags::empty(), MsFlags::MS_NOSUID),
            "nodev" => (MsFlags::MS_NODEV, MsFlags::empty()),
            "dev" => (MsFlags::empty(), MsFlags::MS_NODEV),
            "noexec" => (MsFlags::MS_NOEXEC, MsFlags::empty()),
            "exec" => (MsFlags::empty(), MsFlags::MS_NOEXEC),
            "noatime" => (MsFlags::MS_NOATIME, MsFlags::empty()),
            "nodiratime" => (MsFlags::MS_NODIRATIME, MsFlags::empty()),
            "relatime" => (MsFlags::MS_RELATIME, MsFlags::empty()),
            "strictatime" => (MsFlags::MS_STRICTATIME, MsFlags::empty()),
            "sync" => (MsFlags::MS_SYNCHRONOUS, MsFlags::empty()),
            "dirsync" => (MsFlags::MS_DIRSYNC, MsFlags::empty()),
            // Podman's copy-up switches concern image content, not the mount.
            "tmpcopyup" | "notmpcopyup" => (MsFlags::empty(), MsFlags::empty()),
            other => {
                data.push(other);
                continue;
            }
        };
        flags.insert(set);
        flags.remove(clear);
    }
    (flags, data.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::{EtcFiles, ProcessSpec, RootfsSpec, UsernsMode};

    fn spec(network: NetworkMode, mounts: Vec<MountSpec>) -> ContainerSpec {
        ContainerSpec {
            id: "a".repeat(64),
            userns: UsernsMode::Host,
            rootfs: RootfsSpec::Dir("/r".into()),
            readonly_rootfs: false,
            mounts,
            hostname: "h".into(),
            network,
            etc: EtcFiles::default(),
            state_dir: "/state".into(),
            cgroup: None,
            cgroup_limits: Vec::new(),
            process: ProcessSpec {
                args: vec!["true".into()],
                env: vec![],
                cwd: "/".into(),
                user: String::new(),
                additional_groups: vec![],
                terminal: false,
                winsize: None,
                stdin: false,
                init: false,
                security: crate::security::SecuritySpec::podman_default(),
            },
        }
    }

    /// Records every call; fails the call whose target is `fail_on`.
    #[derive(Default)]
    struct Recorder {
        calls: Vec<String>,
        fail_on: Option<&'static str>,
    }

    impl Recorder {
        fn call(&mut self, target: &str, line: String) -> io::Result<()> {
            self.calls.push(line);
            if self.fail_on == Some(target) {
                return Err(io::Error::from_raw_os_error(libc::EPERM));
            }
            Ok(())
        }
    }

    impl Syscall for Recorder {
        fn mount_fs(
            &mut self,
            fstype: &str,
            target: &str,
            flags: MsFlags,
            data: &str,
        ) -> io::Result<()> {
            let ro = flags.contains(MsFlags::MS_RDONLY);
            self.call(target, format!("fs {fstype} {target} ro={ro} {data}"))
        }
        fn bind(
            &mut self,
            source: &Path,
            target: &str,
            _kind: Kind,
            recursive: bool,
            readonly: bool,
        ) -> io::Result<()> {
            let line = format!(
                "bind {} {target} rec={recursive} ro={readonly}",
                source.display()
            );
            self.call(target, line)
        }
        fn symlink(&mut self, target: &str, link: &str) -> io::Result<()> {
            self.call(link, format!("symlink {link} {target}"))
        }
        fn mask(&mut self, path: &str) -> io::Result<()> {
            self.call(path, format!("mask {path}"))
        }
        fn read_only(&mut self, path: &str) -> io::Result<()> {
            self.call(path, format!("ro {path}"))
        }
    }

    fn position(calls: &[String], prefix: &str) -> usize {
        calls
            .iter()
            .position(|c| c.starts_with(prefix))
            .unwrap_or_else(|| panic!("no call {prefix} in {calls:#?}"))
    }

    #[test]
    fn kernel_filesystems_come_in_dependency_order() {
        let mut rec = Recorder::default();
        let host = HostFacts {
            gid5_mapped: true,
            cgroup2: true,
        };
        apply(&plan(&spec(NetworkMode::None, vec![]), host), &mut rec).unwrap();
        let c = &rec.calls;
        assert_eq!(c[0], "fs proc /proc ro=false ");
        assert!(position(c, "fs tmpfs /dev ") < position(c, "bind /dev/null /dev/null"));
        assert!(position(c, "fs tmpfs /dev ") < position(c, "fs devpts /dev/pts"));
        assert!(position(c, "fs devpts") < position(c, "symlink /dev/ptmx pts/ptmx"));
        assert!(c.contains(
            &"fs devpts /dev/pts ro=false newinstance,ptmxmode=0666,mode=0620,gid=5".to_string()
        ));
        assert!(c.contains(&"fs sysfs /sys ro=true ".to_string()));
        assert!(position(c, "fs sysfs") < position(c, "fs cgroup2 /sys/fs/cgroup ro=true"));
        assert!(position(c, "fs sysfs") < position(c, "mask /sys/firmware"));
        assert!(position(c, "mask /proc/kcore") < position(c, "ro /proc/sys"));
        assert!(position(c, "bind /state/hosts /etc/hosts") < position(c, "mask "));
        for dev in DEVICES {
            position(c, &format!("bind /dev/{dev} /dev/{dev} rec=false ro=false"));
        }
    }

    #[test]
    fn host_network_binds_sys_read_only_recursively() {
        let mut rec = Recorder::default();
        apply(
            &plan(&spec(NetworkMode::Host, vec![]), HostFacts::default()),
            &mut rec,
        )
        .unwrap();
        assert!(rec
            .calls
            .contains(&"bind /sys /sys rec=true ro=true".to_string()));
        assert!(!rec.calls.iter().any(|c| c.starts_with("fs sysfs")));
        assert!(rec.calls.contains(
            &"fs devpts /dev/pts ro=false newinstance,ptmxmode=0666,mode=0620".to_string()
        ));
    }

    #[test]
    fn user_mounts_parents_first_and_override_etc_files() {
        let mounts = vec![
            MountSpec::Bind {
                source: "/h/inner".into(),
                destination: "/data/inner/".into(),
                readonly: false,
            },
            MountSpec::Tmpfs {
                destination: "/data".into(),
                options: "size=1m,exec".into(),
            },
            MountSpec::Bind {
                source: "/h/hosts".into(),
                destination: "/etc/hosts".into(),
                readonly: true,
            },
        ];
        let mut rec = Recorder::default();
        apply(
            &plan(&spec(NetworkMode::None, mounts), HostFacts::default()),
            &mut rec,
        )
        .unwrap();
        let c = &rec.calls;
        assert!(!c.iter().any(|l| l.starts_with("bind /state/hosts")));
        position(c, "bind /state/resolv.conf /etc/resolv.conf");
        assert!(
            position(c, "fs tmpfs /data ro=false size=1m")
                < position(c, "bind /h/inner /data/inner rec=true")
        );
        position(c, "bind /h/hosts /etc/hosts rec=true ro=true");
    }

    #[test]
    fn failure_names_the_step_and_stops() {
        let mut rec = Recorder {
            fail_on: Some("/dev/pts"),
            ..Recorder::default()
        };
        let err = apply(
            &plan(&spec(NetworkMode::None, vec![]), HostFacts::default()),
            &mut rec,
        )
        .unwrap_err();
        assert!(err.starts_with("mounting devpts on /dev/pts: "), "{err}");
        assert!(rec.calls.last().unwrap().starts_with("fs devpts"));
    }

    #[test]
    fn tmpfs_option_strings() {
        let (f, d) = tmpfs_options("");
        assert_eq!(
            f,
            MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC
        );
        assert_eq!(d, "");
        let (f, d) = tmpfs_options("rw,size=64m,exec,mode=1777,ro,notmpcopyup");
        assert_eq!(
            f,
            MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_RDONLY
        );
        assert_eq!(d, "size=64m,mode=1777");
    }

    #[test]
    fn clean_paths() {
        assert_eq!(clean("/a//b/./c/"), "/a/b/c");
        assert_eq!(clean("a"), "/a");
        assert_eq!(clean("/"), "/");
    }
}
