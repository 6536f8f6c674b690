//! `-p/--publish` specifications: `[ip:][hostport:]containerport[/tcp|/udp]`, with ranges.

use serde::{Deserialize, Serialize};

use super::NetworkError;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Tcp,
    Udp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

/// One published range: `count` consecutive host ports to as many container ports.
/// A `host_port` of 0 means "any free port", chosen when the container starts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PortMapping {
    /// Empty: every host address.
    pub host_ip: String,
    pub host_port: u16,
    pub container_port: u16,
    pub count: u16,
    pub protocol: Protocol,
}

impl PortMapping {
    /// Podman's `port` line for each port of the range: `80/tcp -> 0.0.0.0:8080`.
    pub fn lines(&self) -> Vec<String> {
        (0..self.count)
            .map(|i| {
                format!(
                    "{}/{} -> {}",
                    u32::from(self.container_port) + u32::from(i),
                    self.protocol.as_str(),
                    self.host_addr(u32::from(self.host_port) + u32::from(i))
                )
            })
            .collect()
    }

    /// The host address to listen on; no address means all.
    pub fn host_ip_or_any(&self) -> &str {
        if self.host_ip.is_empty() {
            "0.0.0.0"
        } else {
            &self.host_ip
        }
    }

    /// `ip:port` on the host, the address in brackets for IPv6.
    pub fn host_addr(&self, port: u32) -> String {
        let ip = self.host_ip_or_any();
        if ip.contains(':') {
            format!("[{ip}]:{port}")
        } else {
            format!("{ip}:{port}")
        }
    }
}

fn bad(spec: &str, why: &str) -> NetworkError {
    NetworkError::InvalidPublish {
        spec: spec.to_string(),
        why: why.to_string(),
    }
}

fn range(spec: &str, s: &str) -> Result<(u16, u16), NetworkError> {
    let parse = |p: &str| -> Result<u16, NetworkError> {
        p.parse::<u16>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| bad(spec, &format!("{p:?} is not a port number (1-65535)")))
    };
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (parse(a)?, parse(b)?);
            if b < a {
                return Err(bad(
                    spec,
                    "a range must go from the lower to the higher port",
                ));
            }
            Ok((a, b - a + 1))
        }
        None => Ok((parse(s)?, 1)),
    }
}

/// Parses one `-p` value.
pub fn parse_publish(spec: &str) -> Result<PortMapping, NetworkError> {
    let (rest, protocol) = match spec.rsplit_once('/') {
        Some((r, "tcp")) => (r, Protocol::Tcp),
        Some((r, "udp")) => (r, Protocol::Udp),
        Some((_, p)) => {
            return Err(bad(
                spec,
                &format!("unknown protocol {p:?}: use tcp or udp"),
            ))
        }
        None => (spec, Protocol::Tcp),
    };
    // An IPv6 host address is written in brackets: [::1]:8080:80.
    let (host_ip, rest) = if let Some(r) = rest.strip_prefix('[') {
        let (ip, r) = r
            .split_once(']')
            .ok_or_else(|| bad(spec, "missing ']' after the IPv6 address"))?;
        let r = r
            .strip_prefix(':')
            .ok_or_else(|| bad(spec, "expected ':' after the IPv6 address"))?;
        (ip.to_string(), r)
    } else {
        match rest.matches(':').count() {
            0 | 1 => (String::new(), rest),
            2 => {
                let (ip, r) = rest.split_once(':').unwrap_or(("", rest));
                (ip.to_string(), r)
            }
            _ => return Err(bad(spec, "use [ip:][hostport:]containerport[/tcp|/udp]")),
        }
    };
    if !host_ip.is_empty() && host_ip.parse::<std::net::IpAddr>().is_err() {
        return Err(bad(spec, &format!("{host_ip:?} is not an IP address")));
    }
    let (host, container) = match rest.split_once(':') {
        Some((h, c)) => (h, c),
        None => ("", rest),
    };
    let (container_port, count) = range(spec, container)?;
    let host_port = if host.is_empty() {
        0
    } else {
        let (h, hcount) = range(spec, host)?;
        if hcount != count {
            return Err(bad(
                spec,
                "the host and container ranges must have the same length",
            ));
        }
        h
    };
    if u32::from(container_port) + u32::from(count) - 1 > 65535
        || u32::from(host_port) + u32::from(count) - 1 > 65535
    {
        return Err(bad(spec, "the range goes past port 65535"));
    }
    Ok(PortMapping {
        host_ip,
        host_port,
        container_port,
        count,
        protocol,
    })
}

/// The first host port an unprivileged user may bind.
pub fn unprivileged_port_start() -> u16 {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1024)
}

/// Fills in free host ports for `host_port == 0` and refuses ports the user may not bind.
pub fn finalize(ports: &mut [PortMapping]) -> Result<(), NetworkError> {
    let start = unprivileged_port_start();
    let is_root = rustix::process::geteuid().is_root();
    for p in ports.iter_mut() {
        if p.host_port == 0 {
            p.host_port = free_port(p, start)?;
        }
        if !is_root && p.host_port < start {
            return Err(NetworkError::PrivilegedPort {
                port: p.host_port,
                start,
            });
        }
    }
    Ok(())
}

/// A run of `count` free host ports, as the kernel hands them out for port 0.
fn free_port(p: &PortMapping, start: u16) -> Result<u16, NetworkError> {
    let ip = if p.host_ip.is_empty() {
        "0.0.0.0"
    } else {
        &p.host_ip
    };
    for _ in 0..32 {
        let first = bind_any(ip, p.protocol, 0)?;
        if first < start || u32::from(first) + u32::from(p.count) > 65536 {
            continue;
        }
        if (1..p.count).all(|i| bind_any(ip, p.protocol, first + i).is_ok()) {
            return Ok(first);
        }
    }
    Err(NetworkError::NoFreePort { count: p.count })
}

fn bind_any(ip: &str, proto: Protocol, port: u16) -> Result<u16, NetworkError> {
    let addr = if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    };
    let res = match proto {
        Protocol::Tcp => std::net::TcpListener::bind(&addr).and_then(|l| l.local_addr()),
        Protocol::Udp => std::net::UdpSocket::bind(&addr).and_then(|s| s.local_addr()),
    };
    res.map(|a| a.port())
        .map_err(|source| NetworkError::Bind { addr, source })
}

/// `80/tcp` style keys of an image's `ExposedPorts`, as mappings to free host ports.
pub fn from_exposed(key: &str) -> Option<PortMapping> {
    let (port, proto) = key.split_once('/').unwrap_or((key, "tcp"));
    let protocol = match proto {
        "tcp" => Protocol::Tcp,
        "udp" => Protocol::Udp,
        _ => return None,
    };
    let container_port = port.parse().ok().filter(|p| *p > 0)?;
    Some(PortMapping {
        host_ip: String::new(),
        host_port: 0,
        container_port,
        count: 1,
        protocol,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(ip: &str, h: u16, c: u16, n: u16, proto: Protocol) -> PortMapping {
        PortMapping {
            host_ip: ip.into(),
            host_port: h,
            container_port: c,
            count: n,
            protocol: proto,
        }
    }

    #[test]
    fn publish_forms() {
        use Protocol::*;
        assert_eq!(parse_publish("80").unwrap(), p("", 0, 80, 1, Tcp));
        assert_eq!(parse_publish("8080:80").unwrap(), p("", 8080, 80, 1, Tcp));
        assert_eq!(
            parse_publish("127.0.0.1:8080:80/udp").unwrap(),
            p("127.0.0.1", 8080, 80, 1, Udp)
        );
        assert_eq!(
            parse_publish("127.0.0.1::80").unwrap(),
            p("127.0.0.1", 0, 80, 1, Tcp)
        );
        assert_eq!(
            parse_publish("[::1]:8080:80").unwrap(),
            p("::1", 8080, 80, 1, Tcp)
        );
        assert_eq!(
            parse_publish("8000-8002:9000-9002").unwrap(),
            p("", 8000, 9000, 3, Tcp)
        );
        assert_eq!(parse_publish("5000-5001").unwrap(), p("", 0, 5000, 2, Tcp));
    }

    #[test]
    fn bad_publish() {
        for s in [
            "",
            "x",
            "80/sctp",
            "1:2:3:4",
            "8000-8002:80",
            "0",
            "bad:80:80",
            "9-8",
        ] {
            assert!(parse_publish(s).is_err(), "{s}");
        }
    }

    #[test]
    fn port_lines() {
        let m = p("127.0.0.1", 8080, 80, 2, Protocol::Tcp);
        assert_eq!(
            m.lines(),
            ["80/tcp -> 127.0.0.1:8080", "81/tcp -> 127.0.0.1:8081"]
        );
    }

    #[test]
    fn exposed_keys() {
        assert_eq!(from_exposed("53/udp").unwrap().protocol, Protocol::Udp);
        assert_eq!(from_exposed("80").unwrap().container_port, 80);
        assert!(from_exposed("x/tcp").is_none());
    }
}
