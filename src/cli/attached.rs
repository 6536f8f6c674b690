//! `run -it` and `start -ai` in the foreground: the container runs under its monitor, as a
//! detached one does, with lodger attached from before its start. So the detach keys can
//! leave it running in the background, which a container that is lodger's own child could
//! not do. Every other foreground `run` keeps the direct path, which is faster.

use super::relay::{self, Ended, Session};
use super::Context;
use crate::container::{self, process};
use crate::monitor::{self, attach as proto, MonitorError};
use crate::store::{ContainerRecord, Store};

/// Starts `record` (created with -i and -t) and relays until it exits or the user detaches;
/// the container's exit code, or 0 on detach.
pub fn start(
    ctx: &Context,
    store: &Store,
    record: &ContainerRecord,
    detach_keys: Option<&str>,
) -> anyhow::Result<i32> {
    let keys = relay::parse_detach_keys(detach_keys.unwrap_or(relay::DEFAULT_DETACH_KEYS))?;
    let cfg = container::parse_config(record)?;
    // Blocked before the start: no resize or signal in between is lost.
    let signals = relay::session_signals(true)?;
    let (sock, theirs) = proto::pair()?;
    process::mark_stopped(&ctx.paths, &record.id, false);
    let attach = monitor::Attach::Client {
        socket: theirs,
        winsize: crate::runtime::host_winsize(),
    };
    let failed = match monitor::spawn(&ctx.paths, &record.id, attach) {
        Ok(()) => None,
        Err(MonitorError::Start { code, message }) => Some((code, message)),
        Err(e) => Some((125, e.to_string())),
    };
    if let Some((code, message)) = failed {
        eprintln!("Error: {message}");
        if cfg.remove {
            if let Ok(current) = store.find_container(&record.id) {
                container::remove_exited(store, &current)?;
            }
        }
        return Ok(code);
    }
    // With the pid the monitor recorded, for the signals passed on.
    let current = store.find_container(&record.id)?;
    let session = Session {
        paths: &ctx.paths,
        record: &current,
        detach_keys: keys,
        stdin: true,
        forward_input: cfg.interactive,
        tty: cfg.tty,
    };
    match relay::relay(session, &sock, &signals)? {
        Ended::Exited(code) => {
            // As with Podman, a `--rm` container is gone when lodger returns.
            if cfg.remove {
                relay::wait_closed(&sock);
            }
            Ok(code)
        }
        Ended::Detached => Ok(0),
        Ended::HungUp => {
            // Podman removes a `--rm` container, running or not, when its attach fails;
            // left behind, nothing would ever end it.
            if cfg.remove {
                container::remove(store, &current, true)?;
            }
            relay::hung_up(&current)
        }
        Ended::Closed => relay::exit_code_after(store, &current),
    }
}
