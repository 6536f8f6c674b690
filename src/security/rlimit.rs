//! Resource limit names and Podman's rootless defaults.

use super::{Rlimit, SecurityError};

/// Podman's ceiling for the open-files and processes limits it sets by default.
const PODMAN_DEFAULT_LIMIT: u64 = 1_048_576;

// The constants are u32 with glibc and i32 with musl.
#[allow(clippy::unnecessary_cast)]
const NAMES: [(&str, u32); 16] = [
    ("RLIMIT_CPU", libc::RLIMIT_CPU as u32),
    ("RLIMIT_FSIZE", libc::RLIMIT_FSIZE as u32),
    ("RLIMIT_DATA", libc::RLIMIT_DATA as u32),
    ("RLIMIT_STACK", libc::RLIMIT_STACK as u32),
    ("RLIMIT_CORE", libc::RLIMIT_CORE as u32),
    ("RLIMIT_RSS", libc::RLIMIT_RSS as u32),
    ("RLIMIT_NPROC", libc::RLIMIT_NPROC as u32),
    ("RLIMIT_NOFILE", libc::RLIMIT_NOFILE as u32),
    ("RLIMIT_MEMLOCK", libc::RLIMIT_MEMLOCK as u32),
    ("RLIMIT_AS", libc::RLIMIT_AS as u32),
    ("RLIMIT_LOCKS", libc::RLIMIT_LOCKS as u32),
    ("RLIMIT_SIGPENDING", libc::RLIMIT_SIGPENDING as u32),
    ("RLIMIT_MSGQUEUE", libc::RLIMIT_MSGQUEUE as u32),
    ("RLIMIT_NICE", libc::RLIMIT_NICE as u32),
    ("RLIMIT_RTPRIO", libc::RLIMIT_RTPRIO as u32),
    ("RLIMIT_RTTIME", libc::RLIMIT_RTTIME as u32),
];

/// Accepts `RLIMIT_NOFILE` and `nofile`, in any case; returns the canonical name and number.
pub(crate) fn resource(name: &str) -> Result<(&'static str, u32), SecurityError> {
    let upper = name.trim().to_ascii_uppercase();
    let full = if upper.starts_with("RLIMIT_") {
        upper
    } else {
        format!("RLIMIT_{upper}")
    };
    NAMES
        .iter()
        .find(|(n, _)| *n == full)
        .copied()
        .ok_or_else(|| SecurityError::UnknownRlimit {
            name: name.to_string(),
        })
}

fn current(name: &str) -> Option<(u64, u64)> {
    let (_, resource) = NAMES.iter().find(|(n, _)| *n == name)?;
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct it is given.
    let rc = unsafe { libc::getrlimit(*resource as _, &mut r) };
    (rc == 0).then_some((r.rlim_cur, r.rlim_max))
}

/// What rootless Podman gives a container that asks for nothing: the open-files limit raised
/// to the user's hard limit (Podman raises its own soft limit at start-up and passes it on),
/// the processes limit as the user has it; both capped at 1048576. Nobody can raise a hard
/// limit from inside a user namespace, so the user's hard limits are the ceiling.
pub(crate) fn podman_defaults() -> Vec<Rlimit> {
    let cap = |v: u64| v.min(PODMAN_DEFAULT_LIMIT);
    let mut out = Vec::with_capacity(2);
    if let Some((_, hard)) = current("RLIMIT_NOFILE") {
        out.push(Rlimit {
            resource: "RLIMIT_NOFILE".to_string(),
            soft: cap(hard),
            hard: cap(hard),
        });
    }
    if let Some((soft, hard)) = current("RLIMIT_NPROC") {
        out.push(Rlimit {
            resource: "RLIMIT_NPROC".to_string(),
            soft: cap(soft).min(cap(hard)),
            hard: cap(hard),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(resource("RLIMIT_NOFILE").unwrap().1, 7);
        assert_eq!(resource("nofile").unwrap().0, "RLIMIT_NOFILE");
        assert_eq!(resource("rlimit_nproc").unwrap().0, "RLIMIT_NPROC");
        let err = resource("RLIMIT_FILES").unwrap_err().to_string();
        assert!(err.contains("RLIMIT_FILES"), "{err}");
    }

    #[test]
    fn defaults_stay_within_the_users_hard_limits() {
        let limits = podman_defaults();
        let nofile = limits
            .iter()
            .find(|r| r.resource == "RLIMIT_NOFILE")
            .unwrap();
        let (_, hard) = current("RLIMIT_NOFILE").unwrap();
        assert_eq!(nofile.hard, hard.min(PODMAN_DEFAULT_LIMIT));
        assert_eq!(nofile.soft, nofile.hard);
        let nproc = limits
            .iter()
            .find(|r| r.resource == "RLIMIT_NPROC")
            .unwrap();
        assert!(nproc.soft <= nproc.hard);
    }
}
