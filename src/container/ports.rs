//! A container's published ports as `port`, `ps` and `inspect` show them: the ones it last
//! started with (free host ports resolved), or the configured ones before its first start.

use super::ContainerConfig;
use crate::network::PortMapping;
use crate::paths::Paths;
use crate::store::ContainerRecord;
use serde_json::{json, Map, Value};

pub fn published(
    paths: &Paths,
    record: &ContainerRecord,
    cfg: &ContainerConfig,
) -> Vec<PortMapping> {
    // Most containers publish nothing: no file to look for.
    if cfg.net.publish.is_empty() && !cfg.net.publish_all {
        return Vec::new();
    }
    let state = super::dirs(paths, &record.id).state;
    match std::fs::read(state.join("ports.json")) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_default(),
        // Not started yet: the ports that are fixed already.
        Err(_) => cfg
            .net
            .publish
            .iter()
            .filter(|p| p.host_port != 0)
            .cloned()
            .collect(),
    }
}

/// `ps`'s PORTS column, as Podman writes it: `127.0.0.1:8080->80/tcp, 0.0.0.0:53-54->53-54/udp`.
pub fn text(ports: &[PortMapping]) -> String {
    ports
        .iter()
        .map(|p| {
            let ip = p.host_ip_or_any();
            let proto = p.protocol.as_str();
            if p.count > 1 {
                let last = |start: u16| u32::from(start) + u32::from(p.count) - 1;
                format!(
                    "{ip}:{}-{}->{}-{}/{proto}",
                    p.host_port,
                    last(p.host_port),
                    p.container_port,
                    last(p.container_port)
                )
            } else {
                format!("{ip}:{}->{}/{proto}", p.host_port, p.container_port)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `ps --format json`'s `Ports`: Podman's port mapping objects.
pub fn ps_json(ports: &[PortMapping]) -> Value {
    ports
        .iter()
        .map(|p| {
            json!({
                "host_ip": p.host_ip, "container_port": p.container_port,
                "host_port": p.host_port, "range": p.count, "protocol": p.protocol.as_str(),
            })
        })
        .collect()
}

/// `inspect`'s `NetworkSettings.Ports` and `HostConfig.PortBindings`: one key per container
/// port (`80/tcp`), each with its host address and port (a string, as in Docker's API).
pub fn bindings(ports: &[PortMapping]) -> Value {
    let mut map = Map::new();
    for p in ports {
        for i in 0..p.count {
            let key = format!(
                "{}/{}",
                u32::from(p.container_port) + u32::from(i),
                p.protocol.as_str()
            );
            let binding = json!({
                "HostIp": p.host_ip,
                "HostPort": (u32::from(p.host_port) + u32::from(i)).to_string(),
            });
            match map.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
                Value::Array(list) => list.push(binding),
                other => *other = Value::Array(vec![binding]),
            }
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::parse_publish;

    #[test]
    fn podman_spellings() {
        let ports = [
            parse_publish("127.0.0.1:8080:80").unwrap(),
            parse_publish("9000-9001:53-54/udp").unwrap(),
        ];
        assert_eq!(
            text(&ports),
            "127.0.0.1:8080->80/tcp, 0.0.0.0:9000-9001->53-54/udp"
        );
        assert_eq!(text(&[]), "");
        let b = bindings(&ports);
        assert_eq!(b["80/tcp"][0]["HostIp"], "127.0.0.1");
        assert_eq!(b["80/tcp"][0]["HostPort"], "8080");
        assert_eq!(b["54/udp"][0]["HostPort"], "9001");
        assert_eq!(b["54/udp"][0]["HostIp"], "");
        let j = ps_json(&ports);
        assert_eq!(j[1]["range"], 2);
        assert_eq!(j[1]["host_port"], 9000);
        assert_eq!(j[1]["protocol"], "udp");
    }
}
