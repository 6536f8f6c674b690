//! The default seccomp filter, compiled to BPF for the capabilities a container holds.

mod bpf;
mod profile;
#[cfg(target_arch = "x86_64")]
mod x86_64;

pub use bpf::SockFilter;
pub(crate) use bpf::SockFprog;

use super::{caps, SecurityError};
use bpf::{ArgEq, Verdict, RET_ALLOW, RET_ERRNO};

/// Podman's `defaultAction`/`defaultErrnoRet`.
const DEFAULT_RET: u32 = RET_ERRNO | libc::ENOSYS as u32;
const EPERM_RET: u32 = RET_ERRNO | libc::EPERM as u32;
const EINVAL_RET: u32 = RET_ERRNO | libc::EINVAL as u32;

#[cfg(target_arch = "x86_64")]
use x86_64 as arch;

/// System call names and numbers of one ABI, sorted by name.
type SyscallTable = &'static [(&'static str, u32)];

#[cfg(target_arch = "x86_64")]
fn native_table() -> Result<(u32, SyscallTable), SecurityError> {
    Ok((arch::AUDIT_ARCH, arch::SYSCALLS))
}

#[cfg(not(target_arch = "x86_64"))]
fn native_table() -> Result<(u32, SyscallTable), SecurityError> {
    Err(SecurityError::SeccompUnsupportedArch {
        arch: std::env::consts::ARCH,
    })
}

fn has_any(mask: u64, names: &[&str]) -> bool {
    names
        .iter()
        .filter_map(|n| caps::bit(n))
        .any(|b| mask & (1u64 << b) != 0)
}

/// Every system call the profile names, with its verdict for a container holding `cap_mask`.
fn decisions(cap_mask: u64) -> Vec<(&'static str, Verdict)> {
    let mut out: Vec<(&'static str, Verdict)> = Vec::with_capacity(400);
    out.extend(
        profile::ALLOWED
            .iter()
            .map(|n| (*n, Verdict::Return(RET_ALLOW))),
    );
    out.extend(
        profile::DENIED
            .iter()
            .map(|n| (*n, Verdict::Return(EPERM_RET))),
    );
    for gate in profile::CAP_GATED {
        let ret = if has_any(cap_mask, gate.caps) {
            RET_ALLOW
        } else {
            EPERM_RET
        };
        out.extend(gate.syscalls.iter().map(|n| (*n, Verdict::Return(ret))));
    }
    let personality = profile::PERSONALITY_ALLOWED
        .iter()
        .map(|v| (vec![ArgEq { arg: 0, value: *v }], RET_ALLOW))
        .collect();
    out.push(("personality", Verdict::Rules(personality)));
    let socket = if has_any(cap_mask, &[profile::AUDIT_SOCKET_CAP]) {
        Verdict::Return(RET_ALLOW)
    } else {
        Verdict::Rules(vec![
            (
                vec![
                    ArgEq {
                        arg: 0,
                        value: profile::AF_NETLINK,
                    },
                    ArgEq {
                        arg: 2,
                        value: profile::NETLINK_AUDIT,
                    },
                ],
                EINVAL_RET,
            ),
            (vec![], RET_ALLOW),
        ])
    };
    out.push(("socket", socket));
    out
}

/// Consecutive numbers with the same plain verdict become one range; numbers the profile does
/// not name, and everything above the highest one (x32 numbers included), get the default.
fn ranges(
    table: &[(&str, u32)],
    decisions: Vec<(&'static str, Verdict)>,
) -> Result<Vec<(u32, Verdict)>, SecurityError> {
    let max = table.iter().map(|(_, nr)| *nr).max().unwrap_or(0) as usize;
    let mut by_nr: Vec<Option<Verdict>> = vec![None; max + 1];
    for (name, verdict) in decisions {
        let nr = table
            .binary_search_by(|(n, _)| n.cmp(&name))
            .map(|i| table[i].1 as usize)
            .map_err(|_| {
                SecurityError::SeccompBuild(format!("system call {name} is not in the table"))
            })?;
        if by_nr[nr].replace(verdict).is_some() {
            return Err(SecurityError::SeccompBuild(format!(
                "system call {name} is named twice in the profile"
            )));
        }
    }
    let mut out: Vec<(u32, Verdict)> = Vec::with_capacity(128);
    for (nr, verdict) in by_nr.into_iter().enumerate() {
        let verdict = verdict.unwrap_or(Verdict::Return(DEFAULT_RET));
        let merge = matches!(
            (out.last(), &verdict),
            (Some((_, Verdict::Return(a))), Verdict::Return(b)) if a == b
        );
        if !merge {
            out.push((nr as u32, verdict));
        }
    }
    if !matches!(out.last(), Some((_, Verdict::Return(DEFAULT_RET)))) {
        out.push((max as u32 + 1, Verdict::Return(DEFAULT_RET)));
    }
    Ok(out)
}

/// The BPF program of the default profile for a container holding the capabilities `cap_mask`.
pub(crate) fn build(cap_mask: u64) -> Result<Vec<SockFilter>, SecurityError> {
    let (audit_arch, table) = native_table()?;
    let ranges = ranges(table, decisions(cap_mask))?;
    bpf::program(audit_arch, &ranges, DEFAULT_RET).map_err(SecurityError::SeccompBuild)
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;

    fn nr(name: &str) -> u32 {
        arch::SYSCALLS.iter().find(|(n, _)| *n == name).unwrap().1
    }

    fn default_mask() -> u64 {
        let names: Vec<String> = caps::PODMAN_DEFAULT.iter().map(|s| s.to_string()).collect();
        caps::mask(&names).unwrap()
    }

    fn verdict(prog: &[SockFilter], name: &str, args: [u64; 6]) -> u32 {
        bpf::run(prog, arch::AUDIT_ARCH, nr(name), args)
    }

    #[test]
    fn table_is_sorted_and_unique() {
        for w in arch::SYSCALLS.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        let mut nrs: Vec<u32> = arch::SYSCALLS.iter().map(|(_, n)| *n).collect();
        nrs.sort();
        nrs.dedup();
        assert_eq!(nrs.len(), arch::SYSCALLS.len());
    }

    #[test]
    fn every_profile_name_is_an_x86_64_system_call() {
        for (name, _) in decisions(0) {
            assert!(
                arch::SYSCALLS
                    .binary_search_by(|(n, _)| n.cmp(&name))
                    .is_ok(),
                "{name}"
            );
        }
    }

    #[test]
    fn default_profile_verdicts() {
        let prog = build(default_mask()).unwrap();
        let none = [0u64; 6];
        for name in [
            "read", "write", "getpid", "execve", "clone", "clone3", "unshare", "mount",
        ] {
            assert_eq!(verdict(&prog, name, none), RET_ALLOW, "{name}");
        }
        for name in [
            "umount2",
            "pivot_root",
            "setns",
            "chroot",
            "arch_prctl",
            "close_range",
        ] {
            assert_eq!(verdict(&prog, name, none), RET_ALLOW, "{name}");
        }
        for name in [
            "kexec_load",
            "userfaultfd",
            "vmsplice",
            "swapon",
            "sethostname",
            "bpf",
        ] {
            assert_eq!(verdict(&prog, name, none), EPERM_RET, "{name}");
        }
        for name in [
            "perf_event_open",
            "init_module",
            "acct",
            "kcmp",
            "iopl",
            "settimeofday",
        ] {
            assert_eq!(verdict(&prog, name, none), EPERM_RET, "{name}");
        }
        for name in [
            "io_uring_setup",
            "add_key",
            "request_key",
            "listmount",
            "_sysctl",
        ] {
            assert_eq!(verdict(&prog, name, none), DEFAULT_RET, "{name}");
        }
    }

    #[test]
    fn arguments_of_personality_and_socket() {
        let prog = build(default_mask()).unwrap();
        for v in [0, 8, 0x20000, 0x20008, 0xffff_ffff] {
            assert_eq!(verdict(&prog, "personality", [v, 0, 0, 0, 0, 0]), RET_ALLOW);
        }
        for v in [0x40_0000, 0x1_0000_0000, 0xffff_ffff_ffff_ffff, 9] {
            assert_eq!(
                verdict(&prog, "personality", [v, 0, 0, 0, 0, 0]),
                DEFAULT_RET
            );
        }
        let audit = [16, 3, 9, 0, 0, 0];
        assert_eq!(verdict(&prog, "socket", audit), EINVAL_RET);
        for args in [
            [16, 3, 0, 0, 0, 0],
            [1, 1, 9, 0, 0, 0],
            [2, 1, 0, 0, 0, 0],
            [40, 1, 0, 0, 0, 0],
        ] {
            assert_eq!(verdict(&prog, "socket", args), RET_ALLOW, "{args:?}");
        }
        let with_audit = build(default_mask() | 1 << caps::bit("CAP_AUDIT_WRITE").unwrap());
        assert_eq!(verdict(&with_audit.unwrap(), "socket", audit), RET_ALLOW);
    }

    #[test]
    fn capabilities_open_their_system_calls() {
        let admin = default_mask() | 1 << caps::bit("CAP_SYS_ADMIN").unwrap();
        let prog = build(admin).unwrap();
        for name in ["sethostname", "bpf", "perf_event_open", "quotactl"] {
            assert_eq!(verdict(&prog, name, [0; 6]), RET_ALLOW, "{name}");
        }
        let prog = build(0).unwrap();
        assert_eq!(verdict(&prog, "chroot", [0; 6]), EPERM_RET);
    }

    #[test]
    fn foreign_abis_get_the_default_action() {
        let prog = build(default_mask()).unwrap();
        // i386 getpid through int 0x80.
        let audit_arch_i386 = 0x4000_0003;
        assert_eq!(bpf::run(&prog, audit_arch_i386, 20, [0; 6]), DEFAULT_RET);
        let x32_getpid = arch::X32_SYSCALL_BIT | nr("getpid");
        assert_eq!(
            bpf::run(&prog, arch::AUDIT_ARCH, x32_getpid, [0; 6]),
            DEFAULT_RET
        );
        assert_eq!(
            bpf::run(&prog, arch::AUDIT_ARCH, u32::MAX, [0; 6]),
            DEFAULT_RET
        );
    }

    /// Every number 0..=max gets exactly what the decision list says.
    #[test]
    fn the_program_matches_the_decisions_for_every_number() {
        let prog = build(default_mask()).unwrap();
        let decisions = decisions(default_mask());
        for (name, nr) in arch::SYSCALLS {
            let want = match decisions.iter().find(|(n, _)| n == name) {
                Some((_, Verdict::Return(r))) => *r,
                Some((_, Verdict::Rules(_))) => continue,
                None => DEFAULT_RET,
            };
            assert_eq!(
                bpf::run(&prog, arch::AUDIT_ARCH, *nr, [0; 6]),
                want,
                "{name}"
            );
        }
        for gap in 336..424 {
            assert_eq!(bpf::run(&prog, arch::AUDIT_ARCH, gap, [0; 6]), DEFAULT_RET);
        }
    }
}
