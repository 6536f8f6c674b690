//! `--sdnotify`: telling systemd, through `$NOTIFY_SOCKET`, that a container in a
//! `Type=notify` unit is up and which process to watch for its end, as Podman does.

use serde::{Deserialize, Serialize};
use std::os::unix::net::{SocketAddr, UnixDatagram};

/// Where the container sees the unit's notify socket with `--sdnotify=container`.
pub const CONTAINER_SOCKET: &str = "/run/notify/notify.sock";

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SdNotify {
    /// lodger sends READY=1 once the container runs, with its monitor as MAINPID.
    #[default]
    Conmon,
    /// The container sends READY=1 itself; lodger sends only MAINPID.
    Container,
    /// Nothing is sent.
    Ignore,
}

impl SdNotify {
    pub fn parse(s: &str) -> Result<SdNotify, String> {
        match s {
            "conmon" => Ok(SdNotify::Conmon),
            "container" => Ok(SdNotify::Container),
            "ignore" => Ok(SdNotify::Ignore),
            _ => Err(format!(
                "invalid --sdnotify {s:?}: use conmon, container or ignore"
            )),
        }
    }
}

/// The unit's socket, if lodger runs under systemd with `Type=notify`.
pub fn socket() -> Option<String> {
    std::env::var("NOTIFY_SOCKET")
        .ok()
        .filter(|s| !s.is_empty())
}

fn address(socket: &str) -> std::io::Result<SocketAddr> {
    match socket.strip_prefix('@') {
        Some(name) => {
            use std::os::linux::net::SocketAddrExt;
            SocketAddr::from_abstract_name(name.as_bytes())
        }
        None => SocketAddr::from_pathname(socket),
    }
}

/// The message for a container that started, watched by `main_pid`.
pub fn message(mode: SdNotify, main_pid: Option<u32>) -> Option<String> {
    let mut msg = String::new();
    if mode == SdNotify::Ignore {
        return None;
    }
    if let Some(pid) = main_pid {
        msg.push_str(&format!("MAINPID={pid}\n"));
    }
    if mode == SdNotify::Conmon {
        msg.push_str("READY=1\n");
    }
    (!msg.is_empty()).then_some(msg)
}

/// Sends what `mode` says once the container started, with the process `main_pid` finds as
/// the unit's main process (looked up only under a unit); outside a unit nothing is done.
/// A failure is only a warning: the container runs either way, and systemd reports the unit.
pub fn started(mode: SdNotify, main_pid: impl FnOnce() -> Option<u32>) {
    let Some(socket) = socket() else {
        return;
    };
    let Some(msg) = message(mode, main_pid()) else {
        return;
    };
    let sent = address(&socket).and_then(|addr| {
        let sock = UnixDatagram::unbound()?;
        sock.send_to_addr(msg.as_bytes(), &addr)
    });
    if let Err(e) = sent {
        eprintln!("WARN: notifying systemd through NOTIFY_SOCKET={socket}: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_as_podman_sends_them() {
        assert_eq!(
            message(SdNotify::Conmon, Some(42)).as_deref(),
            Some("MAINPID=42\nREADY=1\n")
        );
        assert_eq!(
            message(SdNotify::Container, Some(42)).as_deref(),
            Some("MAINPID=42\n")
        );
        assert_eq!(message(SdNotify::Ignore, Some(42)), None);
        assert_eq!(message(SdNotify::Container, None), None);
        assert!(SdNotify::parse("healthy").unwrap_err().contains("conmon"));
    }

    #[test]
    fn sent_to_a_path_and_to_an_abstract_socket() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("notify");
        let server = UnixDatagram::bind(&path).unwrap();
        let addr = address(path.to_str().unwrap()).unwrap();
        UnixDatagram::unbound()
            .unwrap()
            .send_to_addr(b"READY=1\n", &addr)
            .unwrap();
        let mut buf = [0u8; 64];
        let n = server.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"READY=1\n");
        let name = format!("lodger-test-{}", std::process::id());
        let abstract_server = UnixDatagram::bind_addr(&address(&format!("@{name}")).unwrap());
        let abstract_server = abstract_server.unwrap();
        UnixDatagram::unbound()
            .unwrap()
            .send_to_addr(b"x", &address(&format!("@{name}")).unwrap())
            .unwrap();
        assert_eq!(abstract_server.recv(&mut buf).unwrap(), 1);
    }
}
