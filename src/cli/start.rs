//! `start`, and the foreground and detached starts it shares with `run` and `restart`.

use super::container::{stdio_is_terminal, PASSTHROUGH_ON_TTY};
use super::Context;
use crate::container;
use crate::store::{ContainerRecord, State, Store};
use anyhow::bail;
use clap::Args;

/// Run a created container in the foreground and record what happened.
pub(super) fn start_foreground(store: &Store, record: &ContainerRecord) -> anyhow::Result<i32> {
    // Held until the row says running, as a monitor does for a detached start.
    let mut lock = Some(container::lock::lock(store.paths(), &record.id)?);
    let record = &store.find_container(&record.id)?;
    if container::effective_state(store.paths(), record) == State::Running {
        bail!("container {} is already running", record.name);
    }
    let spec = container::spec::build(store, record)?;
    let cfg = container::parse_config(record)?;
    let sdnotify = cfg.sdnotify;
    let mut started = None;
    let mut on_started = |pid: u32| {
        let _ = store.set_running(&record.id, pid, container::now(), 0);
        container::process::record_process(store.paths(), &record.id, pid);
        started = Some(pid);
        lock.take();
        // This process watches the container: it is the unit's main process.
        container::sdnotify::started(sdnotify, || Some(std::process::id()));
    };
    let outcome = crate::runtime::run(&spec, &mut on_started);
    crate::cgroup::remove_recorded(&spec.state_dir);
    let code = match &outcome {
        Ok(code) => *code,
        Err(_) => 125,
    };
    match started {
        // Only our own run's exit: a start that came after it keeps its row.
        Some(pid) => store.set_exited_of(&record.id, pid, code, container::now())?,
        // Never ran: recorded while the lock still keeps other starts out.
        None => store.set_exited(&record.id, code, container::now())?,
    }
    // `--rm` below takes the lock again.
    drop(lock);
    if cfg.remove {
        if let Ok(current) = store.find_container(&record.id) {
            container::remove_exited(store, &current)?;
        }
    }
    Ok(outcome?)
}

/// Hands the container to a monitor; on failure prints Podman's message and gives its code.
pub(super) fn start_detached(ctx: &Context, record: &ContainerRecord) -> Result<(), i32> {
    container::process::mark_stopped(&ctx.paths, &record.id, false);
    let cfg = container::parse_config(record).ok();
    let passthrough = cfg
        .as_ref()
        .is_some_and(|c| c.log.driver == container::LogDriver::Passthrough);
    // The stdio of `start` and `restart` go to the container as well.
    if passthrough && stdio_is_terminal() {
        eprintln!("Error: {PASSTHROUGH_ON_TTY}");
        return Err(125);
    }
    let attach = match passthrough {
        true => crate::monitor::Attach::Passthrough,
        false => crate::monitor::Attach::None,
    };
    match crate::monitor::spawn(&ctx.paths, &record.id, attach) {
        Ok(()) => {
            // The monitor outlives this command: it is what the unit watches.
            container::sdnotify::started(cfg.map(|c| c.sdnotify).unwrap_or_default(), || {
                container::process::watcher_pid(&ctx.paths, &record.id)
            });
            Ok(())
        }
        Err(crate::monitor::MonitorError::Start { code, message }) => {
            eprintln!("Error: {message}");
            Err(code)
        }
        Err(e) => {
            eprintln!("Error: {e}");
            Err(125)
        }
    }
}

#[derive(Args, Debug)]
pub struct StartArgs {
    /// Containers to start
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
    /// Attach to the container's output and wait for it to exit
    #[arg(short, long)]
    pub attach: bool,
    /// Keep stdin open (with --attach)
    #[arg(short, long)]
    pub interactive: bool,
    /// Keys that detach from a container created with -i and -t, started with -a -i,
    /// leaving it running (default ctrl-p,ctrl-q; "" disables)
    #[arg(long, value_name = "KEYS")]
    pub detach_keys: Option<String>,
}

pub fn start(ctx: &Context, a: StartArgs) -> anyhow::Result<i32> {
    if let Some(keys) = &a.detach_keys {
        super::attach::parse_detach_keys(keys)?;
    }
    if !a.attach {
        ctx.warn_runtime_dir();
        let store = Store::open(&ctx.paths)?;
        let mut code = 0;
        for name in &a.containers {
            let record = match store.find_container(name) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("Error: {e}");
                    code = 125;
                    continue;
                }
            };
            if container::effective_state(&ctx.paths, &record) == State::Running {
                eprintln!("Error: container {name} is already running");
                code = 125;
                continue;
            }
            match start_detached(ctx, &record) {
                Ok(()) => println!("{name}"),
                Err(c) => code = c,
            }
        }
        return Ok(code);
    }
    if a.containers.len() != 1 {
        bail!("--attach takes exactly one container");
    }
    ctx.warn_runtime_dir();
    let store = Store::open(&ctx.paths)?;
    let record = store.find_container(&a.containers[0])?;
    if container::effective_state(&ctx.paths, &record) == State::Running {
        bail!("container {} is already running", record.name);
    }
    let cfg = container::parse_config(&record)?;
    if a.interactive && cfg.interactive && cfg.tty {
        return super::attached::start(ctx, &store, &record, a.detach_keys.as_deref());
    }
    start_foreground(&store, &record)
}
