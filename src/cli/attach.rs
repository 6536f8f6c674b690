//! `attach`: the terminal side of a detached container, through its monitor's socket.

use super::relay::{self, Ended, Session};
use super::Context;
use crate::container;
use crate::monitor::attach as proto;
use crate::store::{State, Store};
use anyhow::{bail, Context as _};
use clap::{ArgAction, Args};

pub use relay::{parse_detach_keys, DEFAULT_DETACH_KEYS};

#[derive(Args, Debug)]
pub struct AttachArgs {
    /// Keys that detach: a comma-separated list of characters and ctrl-X ("" for none)
    #[arg(long, value_name = "KEYS")]
    pub detach_keys: Option<String>,
    /// Do not attach stdin
    #[arg(long)]
    pub no_stdin: bool,
    /// Pass the signals lodger receives on to the container
    #[arg(long, value_name = "BOOL", action = ArgAction::Set, num_args = 0..=1,
          default_value_t = true, default_missing_value = "true", require_equals = true)]
    pub sig_proxy: bool,
    /// Container to attach to
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

pub fn attach(ctx: &Context, a: AttachArgs) -> anyhow::Result<i32> {
    let keys = parse_detach_keys(a.detach_keys.as_deref().unwrap_or(DEFAULT_DETACH_KEYS))?;
    let store = Store::open(&ctx.paths)?;
    let record = store.find_container(&a.container)?;
    if container::effective_state(&ctx.paths, &record) != State::Running {
        bail!("you can only attach to running containers");
    }
    let cfg = container::parse_config(&record)?;
    if cfg.log.driver == container::LogDriver::Passthrough {
        bail!("container {} uses the passthrough log driver: its output goes to the stdio of the command that started it, there is nothing to attach to", record.name);
    }
    let path = proto::socket_path(&ctx.paths, &record.id);
    let sock = proto::connect(&path).with_context(|| {
        format!(
            "connecting to the attach socket of container {} (is its monitor running?)",
            record.name
        )
    })?;
    let signals = relay::session_signals(a.sig_proxy)?;
    let session = Session {
        paths: &ctx.paths,
        record: &record,
        detach_keys: keys,
        // Stdin is read even when the container has none, as Podman does: the detach keys
        // work on every attached terminal; only a container created with -i gets what is
        // typed.
        stdin: !a.no_stdin,
        forward_input: cfg.interactive,
        tty: cfg.tty,
    };
    match relay::relay(session, &sock, &signals)? {
        Ended::Exited(code) => Ok(code),
        Ended::Detached => Ok(0),
        Ended::HungUp => relay::hung_up(&record),
        Ended::Closed => relay::exit_code_after(&store, &record),
    }
}
