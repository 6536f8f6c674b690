//! The generated /etc/hosts, /etc/hostname and /etc/resolv.conf of a container.

use crate::network::Settings;
use crate::runtime::NetworkMode;

pub fn hostname_file(hostname: &str) -> String {
    format!("{hostname}\n")
}

/// Podman's shape: loopback names, the container's own name, the host's address as
/// `host.containers.internal`, then `--add-host` entries.
pub fn hosts_file(
    network: &NetworkMode,
    hostname: &str,
    name: &str,
    host_hosts: &str,
    net: &Settings,
) -> String {
    let mut s = match network {
        NetworkMode::Host => {
            let mut s = host_hosts.to_string();
            if !s.is_empty() && !s.ends_with('\n') {
                s.push('\n');
            }
            s
        }
        _ => "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n\
              ::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n"
            .to_string(),
    };
    s.push_str(&format!("127.0.1.1\t{hostname} {name}\n"));
    if let NetworkMode::Helper(h) = network {
        if let Some(addr) = crate::network::host_address(&h.kind) {
            s.push_str(&format!(
                "{addr}\thost.containers.internal host.docker.internal\n"
            ));
        }
    }
    for entry in &net.add_host {
        if let Some((host, ip)) = entry.split_once(':') {
            s.push_str(&format!("{ip}\t{host}\n"));
        }
    }
    s
}

/// The host's resolv.conf, with `--dns*` applied. Loopback name servers of the host are
/// unreachable from a network namespace of the container's own: they become the helper's
/// DNS forwarder, or are left out without one.
pub fn resolv_conf(network: &NetworkMode, host: &str, net: &Settings) -> String {
    let is_loopback = |a: &str| a.starts_with("127.") || a == "::1";
    let mut servers: Vec<String> = Vec::new();
    let mut search: Vec<String> = Vec::new();
    let mut options: Vec<String> = Vec::new();
    let mut other: Vec<String> = Vec::new();
    let mut loopback_seen = false;
    for line in host.lines() {
        let mut parts = line.split_whitespace();
        match parts.next() {
            Some("nameserver") => {
                if let Some(a) = parts.next() {
                    if is_loopback(a) && *network != NetworkMode::Host {
                        loopback_seen = true;
                    } else {
                        servers.push(a.to_string());
                    }
                }
            }
            Some("search" | "domain") => search.extend(parts.map(String::from)),
            Some("options") => options.extend(parts.map(String::from)),
            _ => other.push(line.to_string()),
        }
    }
    if let NetworkMode::Helper(h) = network {
        // Podman puts the forwarder first when the host relies on a local resolver.
        if loopback_seen || servers.is_empty() {
            servers.insert(0, h.dns_address().to_string());
        }
    }
    if !net.dns.is_empty() {
        servers = net.dns.clone();
    }
    if !net.dns_search.is_empty() {
        search = if net.dns_search == ["."] {
            Vec::new()
        } else {
            net.dns_search.clone()
        };
    }
    if !net.dns_option.is_empty() {
        options = net.dns_option.clone();
    }
    let mut s: String = other
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    if !search.is_empty() {
        s.push_str(&format!("search {}\n", search.join(" ")));
    }
    for a in servers {
        s.push_str(&format!("nameserver {a}\n"));
    }
    if !options.is_empty() {
        s.push_str(&format!("options {}\n", options.join(" ")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{Helper, HelperKind, SlirpOptions};

    fn slirp() -> NetworkMode {
        NetworkMode::Helper(Helper {
            kind: HelperKind::Slirp4netns(SlirpOptions::default()),
            ports: vec![],
        })
    }

    #[test]
    fn loopback_nameservers_are_dropped_without_host_network() {
        let host = "search example.org\nnameserver 127.0.0.53\nnameserver 10.0.0.1\n";
        let none = Settings::default();
        assert_eq!(
            resolv_conf(&NetworkMode::None, host, &none),
            "search example.org\nnameserver 10.0.0.1\n"
        );
        assert_eq!(resolv_conf(&NetworkMode::Host, host, &none), host);
        assert_eq!(
            resolv_conf(&slirp(), host, &none),
            "search example.org\nnameserver 10.0.2.3\nnameserver 10.0.0.1\n"
        );
    }

    #[test]
    fn dns_flags_replace_the_hosts_values() {
        let net = Settings {
            dns: vec!["192.0.2.53".into()],
            dns_search: vec!["a.test".into()],
            dns_option: vec!["ndots:2".into()],
            ..Default::default()
        };
        assert_eq!(
            resolv_conf(&slirp(), "nameserver 127.0.0.1\nsearch x\n", &net),
            "search a.test\nnameserver 192.0.2.53\noptions ndots:2\n"
        );
    }

    #[test]
    fn hosts_name_the_container() {
        let net = Settings {
            add_host: vec!["db.test:192.0.2.9".into()],
            ..Default::default()
        };
        let h = hosts_file(&slirp(), "abc123", "web", "", &net);
        assert!(h.contains("127.0.0.1\tlocalhost"));
        assert!(h.contains("abc123 web"));
        assert!(h.contains("10.0.2.2\thost.containers.internal"));
        assert!(h.contains("192.0.2.9\tdb.test\n"));
    }
}
