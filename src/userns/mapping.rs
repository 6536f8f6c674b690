//! The id mapping of the user namespaces lodger creates.

use std::path::{Path, PathBuf};

use super::subid::{ranges_for, SubRange};
use super::UsernsError;

const SUBUID: &str = "/etc/subuid";
const SUBGID: &str = "/etc/subgid";

/// One line of a uid_map/gid_map: `count` ids from `container_id` map to `host_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdRange {
    pub container_id: u32,
    pub host_id: u32,
    pub count: u32,
}

/// Uid and gid maps: container root is the invoking user, 1.. are its subordinate ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdMapping {
    pub uids: Vec<IdRange>,
    pub gids: Vec<IdRange>,
}

impl IdMapping {
    /// The full mapping of the invoking user from /etc/subuid and /etc/subgid.
    ///
    /// Fails with an error that names the fix when there is no range or when
    /// newuidmap/newgidmap (needed to install a multi-id map) is missing; callers that can
    /// live with one id fall back to [`IdMapping::single`].
    pub fn for_current_user() -> Result<IdMapping, UsernsError> {
        let uid = rustix::process::getuid().as_raw();
        let gid = rustix::process::getgid().as_raw();
        if uid == 0 && rustix::process::geteuid().is_root() {
            // Real root owns every id already; remapping would only hide them.
            return Ok(IdMapping::identity());
        }
        let name = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
            .ok()
            .flatten()
            .map(|u| u.name);
        let subuid = read_subid(SUBUID)?;
        let subgid = read_subid(SUBGID)?;
        let mapping = IdMapping::from_subid(uid, gid, name.as_deref(), &subuid, &subgid)?;
        for tool in ["newuidmap", "newgidmap"] {
            if find_in_path(tool).is_none() {
                return Err(UsernsError::ToolMissing { tool });
            }
        }
        Ok(mapping)
    }

    /// The mapping that store content is created with: the full mapping, or the single-id
    /// mapping (with a warning on stderr, once per process) when the user has no subordinate
    /// range or newuidmap/newgidmap are missing. Images whose files belong to other ids then
    /// fail to extract with an error that names the fix.
    pub fn for_store() -> Result<IdMapping, UsernsError> {
        match IdMapping::for_current_user() {
            Ok(m) => Ok(m),
            Err(e @ (UsernsError::NoSubordinateRange { .. } | UsernsError::ToolMissing { .. })) => {
                static WARNED: std::sync::Once = std::sync::Once::new();
                WARNED.call_once(|| {
                    eprintln!(
                        "WARN: {e}; using a single-id user namespace (only root in containers)"
                    )
                });
                Ok(IdMapping::single())
            }
            Err(e) => Err(e),
        }
    }

    /// The mapping for `uid`/`gid` given the contents of /etc/subuid and /etc/subgid.
    pub fn from_subid(
        uid: u32,
        gid: u32,
        user: Option<&str>,
        subuid: &str,
        subgid: &str,
    ) -> Result<IdMapping, UsernsError> {
        let display = user.map_or_else(|| uid.to_string(), str::to_owned);
        let uid_ranges = ranges_for(subuid, user, uid);
        if uid_ranges.is_empty() {
            return Err(UsernsError::NoSubordinateRange {
                kind: "uid",
                user: display,
                file: SUBUID,
            });
        }
        let gid_ranges = ranges_for(subgid, user, uid);
        if gid_ranges.is_empty() {
            return Err(UsernsError::NoSubordinateRange {
                kind: "gid",
                user: display,
                file: SUBGID,
            });
        }
        Ok(IdMapping {
            uids: with_root(uid, &uid_ranges),
            gids: with_root(gid, &gid_ranges),
        })
    }

    /// Every id mapped to itself (what real root uses).
    pub fn identity() -> IdMapping {
        let all = vec![IdRange {
            container_id: 0,
            host_id: 0,
            count: u32::MAX,
        }];
        IdMapping {
            uids: all.clone(),
            gids: all,
        }
    }

    /// Only container root, mapped to the invoking user (no subordinate ids needed).
    pub fn single() -> IdMapping {
        IdMapping::single_for(
            rustix::process::getuid().as_raw(),
            rustix::process::getgid().as_raw(),
        )
    }

    /// Only container root, mapped to `uid`/`gid`.
    pub fn single_for(uid: u32, gid: u32) -> IdMapping {
        IdMapping {
            uids: with_root(uid, &[]),
            gids: with_root(gid, &[]),
        }
    }

    /// True when only one uid and one gid are mapped: the maps can then be written without
    /// newuidmap/newgidmap.
    pub fn is_single(&self) -> bool {
        self.uids.iter().map(|r| u64::from(r.count)).sum::<u64>() == 1
            && self.gids.iter().map(|r| u64::from(r.count)).sum::<u64>() == 1
    }

    /// Highest container uid that is mapped.
    pub fn max_uid(&self) -> u32 {
        max_id(&self.uids)
    }

    /// Highest container gid that is mapped.
    pub fn max_gid(&self) -> u32 {
        max_id(&self.gids)
    }

    /// Host uid of a container uid, if mapped.
    pub fn host_uid(&self, id: u32) -> Option<u32> {
        to_host(&self.uids, id)
    }

    /// Host gid of a container gid, if mapped.
    pub fn host_gid(&self, id: u32) -> Option<u32> {
        to_host(&self.gids, id)
    }
}

/// Arguments for newuidmap/newgidmap after the pid: `inner outer count` triples.
pub(crate) fn map_tool_args(ranges: &[IdRange]) -> Vec<String> {
    ranges
        .iter()
        .flat_map(|r| {
            [
                r.container_id.to_string(),
                r.host_id.to_string(),
                r.count.to_string(),
            ]
        })
        .collect()
}

/// The text of a /proc/<pid>/uid_map or gid_map.
pub(crate) fn map_file_text(ranges: &[IdRange]) -> String {
    ranges
        .iter()
        .map(|r| format!("{} {} {}\n", r.container_id, r.host_id, r.count))
        .collect()
}

fn with_root(host: u32, subordinate: &[SubRange]) -> Vec<IdRange> {
    let mut out = vec![IdRange {
        container_id: 0,
        host_id: host,
        count: 1,
    }];
    let mut next: u64 = 1;
    for r in subordinate {
        // The container id space ends at u32::MAX; ranges beyond it cannot be used.
        let room = (u64::from(u32::MAX) + 1).saturating_sub(next);
        let count = u64::from(r.count).min(room);
        if count == 0 {
            break;
        }
        out.push(IdRange {
            container_id: next as u32,
            host_id: r.start,
            count: count as u32,
        });
        next += count;
    }
    out
}

fn max_id(ranges: &[IdRange]) -> u32 {
    ranges
        .iter()
        .map(|r| r.container_id.saturating_add(r.count.saturating_sub(1)))
        .max()
        .unwrap_or(0)
}

fn to_host(ranges: &[IdRange], id: u32) -> Option<u32> {
    ranges.iter().find_map(|r| {
        let off = id.checked_sub(r.container_id)?;
        (off < r.count).then(|| r.host_id + off)
    })
}

fn read_subid(path: &'static str) -> Result<String, UsernsError> {
    match std::fs::read_to_string(path) {
        Ok(s) => Ok(s),
        // A missing file means "no ranges", which gets the more helpful error later.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(source) => Err(UsernsError::ReadSubid { path, source }),
    }
}

/// The first executable `name` in `$PATH`.
pub fn find_in_path(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| {
            p.metadata()
                .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
                .unwrap_or(false)
        })
}

/// Checks the sysctls that switch off unprivileged user namespaces.
///
/// Returns the `Disabled` error naming the sysctl and its fix; `Ok` means none of them is
/// known to block (creating a namespace can still fail for other reasons).
pub fn check_userns_enabled() -> Result<(), UsernsError> {
    match disabled_reason(Path::new("/proc/sys"), false) {
        Some(reason) => Err(UsernsError::Disabled { reason }),
        None => Ok(()),
    }
}

/// Why unshare(CLONE_NEWUSER) failed with EPERM or ENOSPC, as precisely as the sysctls tell.
pub(crate) fn unshare_failure(errno: i32) -> UsernsError {
    let enospc = errno == libc::ENOSPC || errno == libc::EUSERS;
    if let Some(reason) = disabled_reason(Path::new("/proc/sys"), enospc) {
        return UsernsError::Disabled { reason };
    }
    let err = std::io::Error::from_raw_os_error(errno);
    if errno == libc::EPERM {
        return UsernsError::Disabled {
            reason: format!(
                "unshare(CLONE_NEWUSER): {err} (a seccomp filter, a security module or running \
                 inside a chroot or container can cause this)"
            ),
        };
    }
    UsernsError::Unshare(err)
}

fn disabled_reason(sysctl: &Path, exhausted: bool) -> Option<String> {
    let read = |rel: &str| {
        std::fs::read_to_string(sysctl.join(rel))
            .ok()
            .map(|s| s.trim().to_owned())
    };
    if read("kernel/unprivileged_userns_clone").as_deref() == Some("0") {
        return Some(
            "kernel.unprivileged_userns_clone is 0: enable it with \
             `sysctl -w kernel.unprivileged_userns_clone=1`"
                .into(),
        );
    }
    if read("user/max_user_namespaces").as_deref() == Some("0") {
        return Some(
            "user.max_user_namespaces is 0: raise it with \
             `sysctl -w user.max_user_namespaces=15000`"
                .into(),
        );
    }
    if read("kernel/apparmor_restrict_unprivileged_userns").as_deref() == Some("1") {
        return Some(
            "kernel.apparmor_restrict_unprivileged_userns is 1: allow lodger in an AppArmor \
             profile or set `sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`"
                .into(),
        );
    }
    if exhausted {
        let limit = read("user/max_user_namespaces").unwrap_or_else(|| "?".into());
        return Some(format!(
            "the limit user.max_user_namespaces ({limit}) is reached: raise it with \
             `sysctl -w user.max_user_namespaces=...`"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_mapping_concatenates_ranges() {
        let m = IdMapping::from_subid(
            1000,
            1001,
            Some("u"),
            "u:100000:65536\nu:300000:10\n",
            "u:200000:65536\n",
        )
        .unwrap();
        assert_eq!(
            m.uids,
            vec![
                IdRange {
                    container_id: 0,
                    host_id: 1000,
                    count: 1
                },
                IdRange {
                    container_id: 1,
                    host_id: 100000,
                    count: 65536
                },
                IdRange {
                    container_id: 65537,
                    host_id: 300000,
                    count: 10
                },
            ]
        );
        assert_eq!(m.gids[0].host_id, 1001);
        assert_eq!(m.max_uid(), 65546);
        assert_eq!(m.max_gid(), 65536);
        assert_eq!(m.host_uid(33), Some(100032));
        assert_eq!(m.host_uid(65537), Some(300000));
        assert_eq!(m.host_uid(65547), None);
        assert!(!m.is_single());
        assert_eq!(
            map_tool_args(&m.gids),
            ["0", "1001", "1", "1", "200000", "65536"]
        );
        assert_eq!(map_file_text(&m.gids), "0 1001 1\n1 200000 65536\n");
    }

    #[test]
    fn missing_range_names_the_fix() {
        let err = IdMapping::from_subid(1000, 1000, Some("u"), "", "u:1:2\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("no subordinate uid range for user u in /etc/subuid"));
        assert!(msg.contains("usermod --add-subuids 100000-165535 --add-subgids 100000-165535 u"));
        let err = IdMapping::from_subid(1000, 1000, Some("u"), "u:1:2\n", "").unwrap_err();
        assert!(err.to_string().contains("/etc/subgid"));
    }

    #[test]
    fn single_mapping() {
        let m = IdMapping::single_for(1000, 1000);
        assert!(m.is_single());
        assert_eq!(m.max_uid(), 0);
        assert_eq!(m.host_gid(0), Some(1000));
    }

    #[test]
    fn sysctl_diagnosis() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("kernel")).unwrap();
        std::fs::create_dir_all(dir.path().join("user")).unwrap();
        assert_eq!(disabled_reason(dir.path(), false), None);
        std::fs::write(dir.path().join("user/max_user_namespaces"), "0\n").unwrap();
        assert!(disabled_reason(dir.path(), false)
            .unwrap()
            .contains("user.max_user_namespaces is 0"));
        std::fs::write(dir.path().join("kernel/unprivileged_userns_clone"), "0\n").unwrap();
        assert!(disabled_reason(dir.path(), false)
            .unwrap()
            .contains("kernel.unprivileged_userns_clone"));
        std::fs::write(dir.path().join("kernel/unprivileged_userns_clone"), "1\n").unwrap();
        std::fs::write(dir.path().join("user/max_user_namespaces"), "10\n").unwrap();
        assert!(disabled_reason(dir.path(), true)
            .unwrap()
            .contains("(10) is reached"));
    }
}
