//! `rm` and `container rm`: Podman's exit codes (1 a container did not exist, 2 one is
//! running) and its dependency rules (`--depend`).

use super::Context;
use crate::container::{self, deps::Graph};
use crate::store::{ContainerRecord, State, Store, StoreError};
use anyhow::{bail, Context as _};
use clap::Args;
use std::collections::HashSet;

#[derive(Args, Debug)]
pub struct RmArgs {
    /// Containers to remove
    #[arg(value_name = "CONTAINER")]
    pub containers: Vec<String>,
    /// Remove all containers
    #[arg(short, long)]
    pub all: bool,
    /// Kill running containers first
    #[arg(short, long)]
    pub force: bool,
    /// Ignore containers that do not exist
    #[arg(short, long)]
    pub ignore: bool,
    /// Remove the anonymous volumes of the containers
    #[arg(short, long)]
    pub volumes: bool,
    /// Also remove the containers that depend on these (implied by --all)
    #[arg(long)]
    pub depend: bool,
    /// Read the container's ID from FILE (as written by run --cidfile)
    #[arg(long, value_name = "FILE")]
    pub cidfile: Vec<std::path::PathBuf>,
    /// With --force, seconds a running container gets its stop signal before SIGKILL
    /// (default: SIGKILL at once)
    #[arg(short = 't', long = "time", value_name = "SECONDS")]
    pub time: Option<u64>,
}

/// Removes `c` (with everything that needs it when `depend`); returns the ids removed, and
/// the error that stopped it. Nothing is removed when a container in the way is running
/// without --force, or when others need `c` without --depend.
fn rm_one(
    store: &Store,
    c: &ContainerRecord,
    a: &RmArgs,
    depend: bool,
    graph: &Graph,
    removed: &mut HashSet<String>,
) -> (Vec<String>, Option<container::ContainerError>) {
    let running = |x: &ContainerRecord| {
        !a.force && container::effective_state(store.paths(), x) == State::Running
    };
    // Podman looks at the container's own state before its dependents.
    if running(c) {
        return (
            Vec::new(),
            Some(container::ContainerError::Running(c.name.clone())),
        );
    }
    let mut chain = match depend {
        true => graph.removal_order(&c.id, removed),
        false => {
            let d = graph.dependents(&c.id, removed);
            if !d.is_empty() {
                return (Vec::new(), Some(container::deps::needed_error(c, &d)));
            }
            Vec::new()
        }
    };
    // Without --depend (or created after the graph was read): the container alone.
    if chain.is_empty() {
        chain.push(c);
    }
    // `c` itself was looked at above.
    if let Some(r) = chain.iter().find(|x| x.id != c.id && running(x)) {
        return (
            Vec::new(),
            Some(container::ContainerError::Running(r.name.clone())),
        );
    }
    let mut done = Vec::new();
    for x in chain {
        if removed.contains(&x.id) {
            continue;
        }
        let result = container::remove(store, x, a.force).and_then(|()| match a.volumes {
            true => container::remove_volumes(store, x),
            false => Ok(()),
        });
        if let Err(e) = result {
            return (done, Some(e));
        }
        removed.insert(x.id.clone());
        done.push(x.id.clone());
    }
    (done, None)
}

/// Podman's exit codes: 1 a container did not exist, 2 one is running.
pub fn rm(ctx: &Context, a: RmArgs) -> anyhow::Result<i32> {
    if a.time.is_some() && !a.force {
        bail!("--time needs --force: it is how long a running container gets to stop");
    }
    let Some(given) = super::lifecycle::with_cidfiles(&a.containers, &a.cidfile, a.ignore)? else {
        return Ok(0);
    };
    if a.all != given.is_empty() {
        bail!("give container names or --all, not both and not neither");
    }
    let store = Store::open(&ctx.paths)?;
    let targets: Vec<Result<ContainerRecord, (String, StoreError)>> = if a.all {
        store.containers()?.into_iter().map(Ok).collect()
    } else {
        given
            .iter()
            .map(|n| store.find_container(n).map_err(|e| (n.clone(), e)))
            .collect()
    };
    // Podman's --all takes dependents along, whatever the order.
    let depend = a.depend || a.all;
    let graph = Graph::load(&store)?;
    let watchers = match a.force {
        true => kill_first(&store, &targets, depend, &graph, a.time),
        false => Vec::new(),
    };
    let mut removed = HashSet::new();
    let mut code = 0;
    for t in targets {
        match t {
            Ok(c) if removed.contains(&c.id) => {}
            Ok(c) => {
                let (done, err) = rm_one(&store, &c, &a, depend, &graph, &mut removed);
                for id in done {
                    println!("{id}");
                }
                match err {
                    None => {}
                    Some(container::ContainerError::Running(name)) => {
                        eprintln!("Error: cannot remove container {name} as it is running - stop it first or use --force");
                        code = code.max(2);
                    }
                    Some(e) => {
                        eprintln!("Error: {e}");
                        code = 125;
                    }
                }
            }
            Err((_, StoreError::ContainerNotFound(_))) if a.ignore => {}
            Err((_, e @ StoreError::ContainerNotFound(_))) => {
                eprintln!("Error: {e}");
                code = code.max(1);
            }
            Err((_, e)) => return Err(e).context("finding the container"),
        }
    }
    container::pidfd::wait_all(watchers, std::time::Duration::from_secs(10));
    Ok(code)
}

/// `rm -f`: kills every running container that is going to be removed, all at once, before
/// any is removed one by one; returns their monitors, to wait for once all is removed, so
/// nothing of them is left when rm returns.
fn kill_first(
    store: &Store,
    targets: &[Result<ContainerRecord, (String, StoreError)>],
    depend: bool,
    graph: &Graph,
    time: Option<u64>,
) -> Vec<std::os::fd::OwnedFd> {
    let paths = store.paths();
    let none = HashSet::new();
    // The kills need descriptors of their own.
    let spare = container::pidfd::fd_budget() / 2;
    let mut seen = HashSet::new();
    let mut watchers = Vec::new();
    let mut kills = Vec::new();
    for c in targets.iter().flatten() {
        // What rm_one removes: a container others need stays without --depend.
        let mut going = match depend {
            true => graph.removal_order(&c.id, &none),
            false if graph.dependents(&c.id, &none).is_empty() => Vec::new(),
            false => continue,
        };
        if going.is_empty() {
            going.push(c);
        }
        for x in going {
            if !seen.insert(x.id.clone()) || container::effective_state(paths, x) != State::Running
            {
                continue;
            }
            if watchers.len() < spare {
                watchers.extend(container::process::watcher_pidfd(paths, &x.id));
            }
            // `-t`: the container's own stop signal and that long, as `stop -t` gives it.
            let stop = match time {
                Some(t) => super::lifecycle::stop_request(x, Some(t)).ok(),
                None => None,
            };
            kills.push(stop.unwrap_or_else(|| container::stop::Stop {
                record: x.clone(),
                signal: libc::SIGKILL,
                timeout: std::time::Duration::ZERO,
            }));
        }
    }
    container::stop::stop_all(store, kills, container::stop::Until::Gone);
    watchers
}
