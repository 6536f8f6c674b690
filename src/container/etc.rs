//! The generated /etc/hosts, /etc/hostname and /etc/resolv.conf of a container.

use super::config::NetworkMode;

pub fn hostname_file(hostname: &str) -> String {
    format!("{hostname}\n")
}

/// Podman's shape: loopback names, then the container's own name on its address.
pub fn hosts_file(network: NetworkMode, hostname: &str, name: &str, host_hosts: &str) -> String {
    match network {
        NetworkMode::Host => {
            let mut s = host_hosts.to_string();
            if !s.is_empty() && !s.ends_with('\n') {
                s.push('\n');
            }
            s.push_str(&format!("127.0.1.1\t{hostname} {name}\n"));
            s
        }
        NetworkMode::None => format!(
            "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n\
             ::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n\
             127.0.1.1\t{hostname} {name}\n"
        ),
    }
}

/// The host's resolv.conf; without a network of its own, loopback name servers of the host
/// are unreachable and are left out.
pub fn resolv_conf(network: NetworkMode, host: &str) -> String {
    if network == NetworkMode::Host {
        return host.to_string();
    }
    host.lines()
        .filter(|l| {
            let mut parts = l.split_whitespace();
            !(parts.next() == Some("nameserver")
                && parts
                    .next()
                    .is_some_and(|a| a.starts_with("127.") || a == "::1"))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_nameservers_are_dropped_without_host_network() {
        let host = "search example.org\nnameserver 127.0.0.53\nnameserver 10.0.0.1\n";
        assert_eq!(
            resolv_conf(NetworkMode::None, host),
            "search example.org\nnameserver 10.0.0.1\n"
        );
        assert_eq!(resolv_conf(NetworkMode::Host, host), host);
    }

    #[test]
    fn hosts_name_the_container() {
        let h = hosts_file(NetworkMode::None, "abc123", "web", "");
        assert!(h.contains("127.0.0.1\tlocalhost"));
        assert!(h.contains("abc123 web"));
    }
}
