//! Process security of a container: capabilities, seccomp, resource limits, no_new_privs and
//! the container user.
//!
//! Everything that allocates or reads files happens in [`prepare`], in the parent before the
//! container process is cloned; [`apply`] runs in the child as the last step before `execve`
//! and only makes system calls.

mod apply;
mod caps;
mod rlimit;
mod seccomp;
mod user;

use serde::{Deserialize, Serialize};

pub use apply::apply;
pub use seccomp::SockFilter;

/// One resource limit, as in the OCI runtime spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rlimit {
    /// `RLIMIT_NOFILE`, ...
    pub resource: String,
    pub soft: u64,
    pub hard: u64,
}

/// The security settings of a container process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecuritySpec {
    /// Bounding set, and the effective and permitted sets of a root user (`CAP_CHOWN`, ...).
    pub capabilities: Vec<String>,
    /// What a non-root user holds (effective, permitted, inheritable and ambient): as under
    /// Podman, only capabilities added with `--cap-add`, never the default set.
    pub user_capabilities: Vec<String>,
    pub no_new_privileges: bool,
    /// The default seccomp profile; `false` runs unconfined.
    pub seccomp: bool,
    pub rlimits: Vec<Rlimit>,
}

impl SecuritySpec {
    /// Podman's defaults for a rootless container: the 11 capabilities of containers.conf's
    /// `default_capabilities`, the default seccomp profile, and the open-files and processes
    /// limits raised to what the user may have. `no_new_privileges` is on, unlike Podman's
    /// default (containers.conf `no_new_privileges = false`): setuid binaries and file
    /// capabilities inside the container cannot regain what was dropped.
    pub fn podman_default() -> SecuritySpec {
        SecuritySpec {
            capabilities: caps::PODMAN_DEFAULT.iter().map(|s| s.to_string()).collect(),
            user_capabilities: Vec::new(),
            no_new_privileges: true,
            seccomp: true,
            rlimits: rlimit::podman_defaults(),
        }
    }

    /// `--cap-add`: names with or without `CAP_`, any case, or `ALL`.
    pub fn add_caps(&mut self, caps: &[String]) -> Result<(), SecurityError> {
        for arg in caps {
            let names = match caps::parse(arg)? {
                caps::CapArg::All => caps::all(),
                caps::CapArg::One(name) => vec![name.to_string()],
            };
            self.capabilities.extend(names.iter().cloned());
            self.user_capabilities.extend(names);
        }
        caps::normalize(&mut self.capabilities);
        caps::normalize(&mut self.user_capabilities);
        Ok(())
    }

    /// `--cap-drop`: names with or without `CAP_`, any case, or `ALL`.
    pub fn drop_caps(&mut self, caps: &[String]) -> Result<(), SecurityError> {
        for arg in caps {
            match caps::parse(arg)? {
                caps::CapArg::All => {
                    self.capabilities.clear();
                    self.user_capabilities.clear();
                }
                caps::CapArg::One(name) => {
                    self.capabilities.retain(|c| c != name);
                    self.user_capabilities.retain(|c| c != name);
                }
            }
        }
        Ok(())
    }

    /// `--cap-add` and `--cap-drop` together, with Podman's rules: `--cap-drop=ALL` keeps only
    /// what `--cap-add` names, `--cap-add=ALL` keeps all but what `--cap-drop` names, and one
    /// capability both added and dropped is an error.
    pub fn edit_caps(&mut self, add: &[String], drop: &[String]) -> Result<(), SecurityError> {
        let parse_all = |list: &[String]| -> Result<Vec<caps::CapArg>, SecurityError> {
            list.iter().map(|c| caps::parse(c)).collect()
        };
        let (adds, drops) = (parse_all(add)?, parse_all(drop)?);
        let add_all = adds.contains(&caps::CapArg::All);
        let drop_all = drops.contains(&caps::CapArg::All);
        if add_all && drop_all {
            return Err(SecurityError::AllAddedAndDropped);
        }
        if !add_all && !drop_all {
            if let Some(caps::CapArg::One(name)) = adds.iter().find(|a| drops.contains(a)) {
                return Err(SecurityError::CapAddedAndDropped {
                    name: name.to_string(),
                });
            }
        }
        if drop_all {
            self.capabilities.clear();
            self.user_capabilities.clear();
            return self.add_caps(add);
        }
        self.add_caps(add)?;
        self.drop_caps(drop)
    }
}

/// The container's user, resolved in its own /etc/passwd and /etc/group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedUser {
    pub uid: u32,
    pub gid: u32,
    /// Supplementary groups, in Podman's order, without duplicates.
    pub additional_gids: Vec<u32>,
    /// From the passwd entry; `None` when there is none (Podman then uses `/`).
    pub home: Option<String>,
}

impl ResolvedUser {
    /// Drops the supplementary groups the user namespace does not map (setgroups would fail
    /// with EINVAL) and returns them, so the caller can warn as Podman does.
    pub fn retain_mapped_gids(&mut self, mapped: impl Fn(u32) -> bool) -> Vec<u32> {
        let (keep, dropped): (Vec<u32>, Vec<u32>) =
            self.additional_gids.iter().partition(|g| mapped(**g));
        self.additional_gids = keep;
        dropped
    }
}

/// Resolves `--user` ("", "uid", "uid:gid", "name", "name:group") and `--group-add` entries
/// (names or numbers) against the text of the container's /etc/passwd and /etc/group (`None`:
/// the file is missing). Numeric ids need no entry.
pub fn resolve_user(
    user: &str,
    group_add: &[String],
    passwd: Option<&str>,
    group: Option<&str>,
) -> Result<ResolvedUser, SecurityError> {
    user::resolve(user, group_add, passwd, group)
}

/// Capability sets for `capset` and the ambient set, as bit masks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CapSets {
    pub effective: u64,
    pub permitted: u64,
    pub inheritable: u64,
    pub ambient: u64,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct PreparedRlimit {
    pub name: &'static str,
    pub resource: u32,
    pub soft: u64,
    pub hard: u64,
}

/// Everything [`apply`] needs, computed ahead so that the child only makes system calls.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub(crate) rlimits: Vec<PreparedRlimit>,
    pub(crate) bounding: u64,
    pub(crate) root: CapSets,
    pub(crate) non_root: CapSets,
    pub(crate) last_cap: u32,
    pub(crate) no_new_privileges: bool,
    pub(crate) seccomp: Option<Vec<SockFilter>>,
}

impl Prepared {
    /// Every capability this kernel knows in the bounding set and for root; the seccomp
    /// filter (built for the container's own capabilities) and no_new_privs are kept, as
    /// Podman keeps them for `exec --privileged`.
    pub fn grant_all_capabilities(&mut self) {
        let known = if self.last_cap >= 63 {
            u64::MAX
        } else {
            (1u64 << (self.last_cap + 1)) - 1
        };
        self.bounding = known;
        self.root.effective = known;
        self.root.permitted = known;
    }

    /// The compiled seccomp program, if any (for tests and `--log-level=debug`).
    pub fn seccomp_filter(&self) -> Option<&[SockFilter]> {
        self.seccomp.as_deref()
    }
}

const CAP_LAST_CAP_PATH: &str = "/proc/sys/kernel/cap_last_cap";

fn kernel_last_cap() -> Result<u32, SecurityError> {
    let text =
        std::fs::read_to_string(CAP_LAST_CAP_PATH).map_err(|source| SecurityError::ReadKernel {
            path: CAP_LAST_CAP_PATH,
            source,
        })?;
    text.trim()
        .parse::<u32>()
        .map(|n| n.min(63))
        .map_err(|_| SecurityError::ReadKernel {
            path: CAP_LAST_CAP_PATH,
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("not a number: {:?}", text.trim()),
            ),
        })
}

/// Compiles `spec` for [`apply`]; runs in the parent, before the container is cloned.
pub fn prepare(spec: &SecuritySpec) -> Result<Prepared, SecurityError> {
    let last_cap = kernel_last_cap()?;
    // Capabilities this kernel does not know cannot be kept; capset would refuse them.
    let known = if last_cap >= 63 {
        u64::MAX
    } else {
        (1u64 << (last_cap + 1)) - 1
    };
    let bounding = caps::mask(&spec.capabilities)? & known;
    let user = caps::mask(&spec.user_capabilities)? & bounding;
    let mut rlimits = Vec::with_capacity(spec.rlimits.len());
    for r in &spec.rlimits {
        let (name, resource) = rlimit::resource(&r.resource)?;
        if r.soft > r.hard {
            return Err(SecurityError::RlimitSoftAboveHard {
                name,
                soft: r.soft,
                hard: r.hard,
            });
        }
        rlimits.push(PreparedRlimit {
            name,
            resource,
            soft: r.soft,
            hard: r.hard,
        });
    }
    let seccomp = if spec.seccomp {
        Some(seccomp::build(bounding)?)
    } else {
        None
    };
    Ok(Prepared {
        rlimits,
        bounding,
        root: CapSets {
            effective: bounding,
            permitted: bounding,
            inheritable: 0,
            ambient: 0,
        },
        non_root: CapSets {
            effective: user,
            permitted: user,
            inheritable: user,
            ambient: user,
        },
        last_cap,
        no_new_privileges: spec.no_new_privileges,
        seccomp,
    })
}

/// Errors of the container's security settings.
#[derive(Debug, thiserror::Error)]
pub enum SecurityError {
    #[error(
        "unknown capability {name:?}: use a name such as NET_ADMIN or CAP_NET_ADMIN, or ALL \
         (see capabilities(7))"
    )]
    UnknownCapability { name: String },
    #[error("capability {name} cannot be both added and dropped")]
    CapAddedAndDropped { name: String },
    #[error("adding all capabilities and dropping all capabilities is not allowed")]
    AllAddedAndDropped,
    #[error("unknown resource limit {name:?}: use a name such as RLIMIT_NOFILE or nofile")]
    UnknownRlimit { name: String },
    #[error("resource limit {name}: the soft limit {soft} is above the hard limit {hard}")]
    RlimitSoftAboveHard {
        name: &'static str,
        soft: u64,
        hard: u64,
    },
    #[error("unable to find user {name}: no matching entries in passwd file")]
    UnknownUser { name: String },
    #[error("unable to find group {name}: no matching entries in group file")]
    UnknownGroup { name: String },
    #[error("{what} {value} is out of range: uids and gids must be in range 0-2147483647")]
    IdOutOfRange { what: &'static str, value: String },
    #[error(
        "--group-add keep-groups is not supported: lodger always sets the container's \
         supplementary groups; name the groups instead"
    )]
    KeepGroupsUnsupported,
    #[error("reading {path}: {source}")]
    ReadKernel {
        path: &'static str,
        source: std::io::Error,
    },
    #[error(
        "no default seccomp profile for the {arch} architecture: lodger has one for x86_64 \
         only"
    )]
    SeccompUnsupportedArch { arch: &'static str },
    #[error("building the seccomp filter: {0}")]
    SeccompBuild(String),
    #[error(
        "setting the supplementary groups: setgroups is denied in this user namespace (a \
         single-id mapping); add a subordinate gid range to /etc/subgid to use groups"
    )]
    SetgroupsDenied,
    #[error("setting {name} in the container: {errno}")]
    Rlimit {
        name: &'static str,
        errno: nix::errno::Errno,
    },
    #[error("{step} in the container: {errno}")]
    Apply {
        step: &'static str,
        errno: nix::errno::Errno,
    },
}

#[cfg(test)]
mod tests;
