//! The child side: system calls only, in the order crun uses, so that the capabilities
//! survive the change of uid and the seccomp filter comes last.

use nix::errno::Errno;

use super::seccomp::{SockFilter, SockFprog};
use super::{CapSets, Prepared, ResolvedUser, SecurityError};

const LINUX_CAPABILITY_VERSION_3: u32 = 0x2008_0522;

#[repr(C)]
struct CapHeader {
    version: u32,
    pid: i32,
}

#[repr(C)]
#[derive(Clone, Copy)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

fn fail(step: &'static str) -> SecurityError {
    SecurityError::Apply {
        step,
        errno: Errno::last(),
    }
}

fn check(step: &'static str, rc: libc::c_long) -> Result<(), SecurityError> {
    if rc < 0 {
        Err(fail(step))
    } else {
        Ok(())
    }
}

fn prctl(option: libc::c_int, arg: libc::c_ulong) -> libc::c_long {
    // SAFETY: these prctl options take integers only.
    unsafe { libc::prctl(option, arg, 0 as libc::c_ulong, 0 as libc::c_ulong, 0) as libc::c_long }
}

/// Whether this user namespace was created with setgroups denied (single-id mapping written
/// by an unprivileged process); read into a stack buffer, no allocation.
fn setgroups_denied() -> bool {
    let path = b"/proc/self/setgroups\0";
    // SAFETY: a NUL-terminated path; the fd is closed below.
    let fd = unsafe { libc::open(path.as_ptr().cast(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        return false;
    }
    let mut buf = [0u8; 8];
    // SAFETY: reads at most buf.len() bytes into buf.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
    // SAFETY: fd is ours.
    unsafe { libc::close(fd) };
    n >= 4 && &buf[..4] == b"deny"
}

fn set_groups(gids: &[u32]) -> Result<(), SecurityError> {
    // SAFETY: the kernel reads gids.len() gid_t values from the slice.
    let rc = unsafe { libc::syscall(libc::SYS_setgroups, gids.len(), gids.as_ptr()) };
    if rc == 0 {
        return Ok(());
    }
    let errno = Errno::last();
    if errno == Errno::EPERM && setgroups_denied() {
        // The kernel refuses setgroups in such a namespace; nothing to do when no groups
        // are wanted.
        return if gids.is_empty() {
            Ok(())
        } else {
            Err(SecurityError::SetgroupsDenied)
        };
    }
    Err(SecurityError::Apply {
        step: "setting the supplementary groups",
        errno,
    })
}

fn load_seccomp(filter: &[SockFilter]) -> Result<(), SecurityError> {
    let prog = SockFprog {
        // prepare() keeps programs within the kernel's 4096 instructions.
        len: filter.len() as u16,
        filter: filter.as_ptr(),
    };
    // SAFETY: prog points to a live program for the duration of the call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_seccomp,
            libc::SECCOMP_SET_MODE_FILTER,
            0,
            &prog as *const SockFprog,
        )
    };
    check("loading the seccomp filter", rc)
}

fn set_capabilities(p: &Prepared, sets: &CapSets) -> Result<(), SecurityError> {
    let header = CapHeader {
        version: LINUX_CAPABILITY_VERSION_3,
        pid: 0,
    };
    let data = [
        CapData {
            effective: sets.effective as u32,
            permitted: sets.permitted as u32,
            inheritable: sets.inheritable as u32,
        },
        CapData {
            effective: (sets.effective >> 32) as u32,
            permitted: (sets.permitted >> 32) as u32,
            inheritable: (sets.inheritable >> 32) as u32,
        },
    ];
    // SAFETY: version 3 takes a header and two data structs.
    let rc = unsafe { libc::syscall(libc::SYS_capset, &header, data.as_ptr()) };
    check("setting the capabilities (capset)", rc)?;

    let rc = prctl(
        libc::PR_CAP_AMBIENT,
        libc::PR_CAP_AMBIENT_CLEAR_ALL as libc::c_ulong,
    );
    if rc < 0 && Errno::last() != Errno::EINVAL {
        return Err(fail("clearing the ambient capabilities"));
    }
    for cap in 0..=p.last_cap {
        if sets.ambient & (1u64 << cap) != 0 {
            // SAFETY: integer arguments only.
            let rc = unsafe {
                libc::prctl(
                    libc::PR_CAP_AMBIENT,
                    libc::PR_CAP_AMBIENT_RAISE as libc::c_ulong,
                    cap as libc::c_ulong,
                    0 as libc::c_ulong,
                    0 as libc::c_ulong,
                )
            };
            check("raising an ambient capability", rc as libc::c_long)?;
        }
    }
    Ok(())
}

/// Applies `p` to the calling process: the last step before `execve`, in the container's
/// user namespace, while still root there, in a single-threaded process (a copy of a bigger
/// one, maybe: only system calls, no allocation). Order: rlimits, supplementary groups,
/// bounding set, keep-caps, gid, uid, capability sets, no_new_privs, seccomp. Without
/// no_new_privs the filter is loaded first, while CAP_SYS_ADMIN is still there.
pub fn apply(p: &Prepared, user: &ResolvedUser) -> Result<(), SecurityError> {
    for r in &p.rlimits {
        let limit = [r.soft, r.hard];
        // SAFETY: prlimit64 reads two u64 (struct rlimit64) and writes nothing here.
        let rc = unsafe {
            libc::syscall(
                libc::SYS_prlimit64,
                0,
                r.resource,
                limit.as_ptr(),
                std::ptr::null_mut::<u64>(),
            )
        };
        if rc < 0 {
            return Err(SecurityError::Rlimit {
                name: r.name,
                errno: Errno::last(),
            });
        }
    }

    if let (Some(filter), false) = (&p.seccomp, p.no_new_privileges) {
        load_seccomp(filter)?;
    }

    set_groups(&user.additional_gids)?;

    for cap in 0..=p.last_cap {
        if p.bounding & (1u64 << cap) == 0 {
            let rc = prctl(libc::PR_CAPBSET_DROP, cap as libc::c_ulong);
            if rc < 0 && Errno::last() != Errno::EINVAL {
                return Err(fail("dropping capabilities from the bounding set"));
            }
        }
    }

    check("setting keep-caps", prctl(libc::PR_SET_KEEPCAPS, 1))?;
    let (uid, gid) = (user.uid, user.gid);
    // Raw system calls: glibc's wrappers would signal threads that do not exist in a process
    // made by clone().
    // SAFETY: integer arguments only.
    check("setting the gid", unsafe {
        libc::syscall(libc::SYS_setresgid, gid, gid, gid)
    })?;
    // SAFETY: integer arguments only.
    check("setting the uid", unsafe {
        libc::syscall(libc::SYS_setresuid, uid, uid, uid)
    })?;

    let sets = if uid == 0 { &p.root } else { &p.non_root };
    set_capabilities(p, sets)?;

    if p.no_new_privileges {
        check("setting no_new_privs", prctl(libc::PR_SET_NO_NEW_PRIVS, 1))?;
        if let Some(filter) = &p.seccomp {
            load_seccomp(filter)?;
        }
    }
    Ok(())
}
