//! Capability names, their bit numbers, and Podman's editing rules for `--cap-add`/`--cap-drop`.

use super::SecurityError;

/// Every capability the kernel headers of Linux 6.x know, indexed by bit number.
const NAMES: [&str; 41] = [
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
];

/// Highest capability number lodger knows by name.
pub(crate) const LAST_KNOWN: u32 = NAMES.len() as u32 - 1;

/// Podman's `default_capabilities` (containers.conf).
pub(crate) const PODMAN_DEFAULT: [&str; 11] = [
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_NET_BIND_SERVICE",
    "CAP_SETFCAP",
    "CAP_SETGID",
    "CAP_SETPCAP",
    "CAP_SETUID",
    "CAP_SYS_CHROOT",
];

pub(crate) fn bit(name: &str) -> Option<u32> {
    NAMES.iter().position(|n| *n == name).map(|i| i as u32)
}

/// What one `--cap-add`/`--cap-drop` entry names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CapArg {
    All,
    One(&'static str),
}

/// Accepts `NET_ADMIN`, `CAP_NET_ADMIN` and `ALL`, in any case, as Podman does.
pub(crate) fn parse(arg: &str) -> Result<CapArg, SecurityError> {
    let upper = arg.trim().to_ascii_uppercase();
    if upper == "ALL" {
        return Ok(CapArg::All);
    }
    let full = if upper.starts_with("CAP_") {
        upper
    } else {
        format!("CAP_{upper}")
    };
    NAMES
        .iter()
        .find(|n| **n == full)
        .map(|n| CapArg::One(n))
        .ok_or_else(|| SecurityError::UnknownCapability {
            name: arg.to_string(),
        })
}

pub(crate) fn all() -> Vec<String> {
    NAMES.iter().map(|n| n.to_string()).collect()
}

/// Bit mask of `names`; every name must be canonical (as stored in a `SecuritySpec`).
pub(crate) fn mask(names: &[String]) -> Result<u64, SecurityError> {
    let mut m = 0u64;
    for name in names {
        match parse(name)? {
            CapArg::All => m |= (1u64 << (LAST_KNOWN + 1)) - 1,
            CapArg::One(n) => m |= 1u64 << bit(n).unwrap_or(0),
        }
    }
    Ok(m)
}

/// Canonical, sorted and deduplicated, as Podman lists capabilities.
pub(crate) fn normalize(list: &mut Vec<String>) {
    list.sort();
    list.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_podman_spellings() {
        assert_eq!(parse("NET_ADMIN").unwrap(), CapArg::One("CAP_NET_ADMIN"));
        assert_eq!(
            parse("cap_net_admin").unwrap(),
            CapArg::One("CAP_NET_ADMIN")
        );
        assert_eq!(
            parse("CAP_SYS_ADMIN").unwrap(),
            CapArg::One("CAP_SYS_ADMIN")
        );
        assert_eq!(parse("all").unwrap(), CapArg::All);
        assert_eq!(parse("ALL").unwrap(), CapArg::All);
        let err = parse("NET_ADMINN").unwrap_err().to_string();
        assert!(err.contains("NET_ADMINN"), "{err}");
        assert!(parse("").is_err());
        assert!(parse("CAP_").is_err());
    }

    #[test]
    fn bits_match_the_kernel_numbering() {
        assert_eq!(bit("CAP_CHOWN"), Some(0));
        assert_eq!(bit("CAP_NET_ADMIN"), Some(12));
        assert_eq!(bit("CAP_SYS_ADMIN"), Some(21));
        assert_eq!(bit("CAP_SETFCAP"), Some(31));
        assert_eq!(bit("CAP_BPF"), Some(39));
        assert_eq!(bit("CAP_CHECKPOINT_RESTORE"), Some(40));
        let defaults: Vec<String> = PODMAN_DEFAULT.iter().map(|s| s.to_string()).collect();
        // The value Podman containers show as CapBnd in /proc/self/status.
        assert_eq!(mask(&defaults).unwrap(), 0x8004_05fb);
    }
}
