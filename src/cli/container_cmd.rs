//! `container ...` (the group: every container command under the name Podman also gives
//! it, so scripts written as `podman container start` work), `rename`, `container exists`
//! and `container prune`.

use super::{attach, exec, inspect, lifecycle, network_flags, ps, rm, start, transfer, wait};
use super::{Context, EXIT_FAILURE};
use crate::container;
use crate::store::{State, Store, StoreError};
use anyhow::{bail, Context as _};
use clap::{Args, Subcommand};

#[derive(Subcommand, Debug)]
pub enum ContainerCommand {
    /// Attach to a running container's input and output
    Attach(attach::AttachArgs),
    /// Create a new image from a container's changes
    Commit(transfer::CommitArgs),
    /// Copy files between a container and the host
    Cp(transfer::CpArgs),
    /// Create a container without starting it
    Create(super::container::CreateArgs),
    /// Inspect changes to a container's filesystem
    Diff(transfer::DiffArgs),
    /// Run a command in a running container
    Exec(exec::ExecArgs),
    /// Exit with 0 if the container exists, 1 if it does not
    Exists(ExistsArgs),
    /// Export a container's filesystem as a tar archive
    Export(transfer::ExportArgs),
    /// Display the configuration of containers
    Inspect(inspect::ContainerInspectArgs),
    /// Send a signal to running containers
    Kill(lifecycle::KillArgs),
    /// List containers
    #[command(alias = "ls", alias = "list")]
    Ps(ps::PsArgs),
    /// Fetch the output of a container
    Logs(lifecycle::LogsArgs),
    /// List the published ports of a container
    Port(network_flags::PortArgs),
    /// Remove all stopped containers
    Prune(PruneArgs),
    /// Rename a container
    Rename(RenameArgs),
    /// Restart containers
    Restart(lifecycle::RestartArgs),
    /// Remove containers
    Rm(rm::RmArgs),
    /// Run a command in a new container
    Run(super::container::RunArgs),
    /// Start a created or exited container
    Start(start::StartArgs),
    /// Display the resource use of running containers (needs their own cgroups)
    Stats(super::stats::StatsArgs),
    /// Stop running containers
    Stop(lifecycle::StopArgs),
    /// Display the running processes of a container
    Top(transfer::TopArgs),
    /// Wait for containers to exit and print their exit codes
    Wait(wait::WaitArgs),
}

#[derive(Args, Debug)]
pub struct ExistsArgs {
    /// Container name or ID
    pub container: String,
    /// Accepted for Podman's scripts: lodger knows no containers made by other tools
    #[arg(long)]
    pub external: bool,
}

#[derive(Args, Debug)]
pub struct RenameArgs {
    /// The container to rename
    pub container: String,
    /// Its new name
    pub name: String,
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Do not ask for confirmation
    #[arg(short, long)]
    pub force: bool,
}

pub fn dispatch(ctx: &Context, c: ContainerCommand) -> anyhow::Result<i32> {
    match c {
        ContainerCommand::Attach(a) => attach::attach(ctx, a),
        ContainerCommand::Commit(a) => transfer::commit(ctx, a),
        ContainerCommand::Cp(a) => transfer::cp(ctx, a),
        ContainerCommand::Create(a) => super::container::create(ctx, a),
        ContainerCommand::Diff(a) => transfer::diff(ctx, a),
        ContainerCommand::Exec(a) => exec::exec(ctx, a),
        ContainerCommand::Exists(a) => exists(ctx, a),
        ContainerCommand::Export(a) => transfer::export(ctx, a),
        ContainerCommand::Inspect(a) => inspect::container_inspect(ctx, a),
        ContainerCommand::Kill(a) => lifecycle::kill(ctx, a),
        ContainerCommand::Ps(a) => ps::ps(ctx, a),
        ContainerCommand::Logs(a) => lifecycle::logs(ctx, a),
        ContainerCommand::Port(a) => network_flags::port(ctx, a),
        ContainerCommand::Prune(a) => prune(ctx, a),
        ContainerCommand::Rename(a) => rename(ctx, a),
        ContainerCommand::Restart(a) => lifecycle::restart(ctx, a),
        ContainerCommand::Rm(a) => rm::rm(ctx, a),
        ContainerCommand::Run(a) => super::container::run(ctx, a),
        ContainerCommand::Start(a) => start::start(ctx, a),
        ContainerCommand::Stats(a) => super::stats::stats(ctx, a),
        ContainerCommand::Stop(a) => lifecycle::stop(ctx, a),
        ContainerCommand::Top(a) => transfer::top(ctx, a),
        ContainerCommand::Wait(a) => wait::wait(ctx, a),
    }
}

/// Podman's exit codes: 0 when it exists, 1 when it does not, 125 for an error (such as an
/// id prefix that names several).
fn exists(ctx: &Context, a: ExistsArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    match store.find_container(&a.container) {
        Ok(_) => Ok(0),
        Err(StoreError::ContainerNotFound(_)) => Ok(1),
        Err(e) => Err(e.into()),
    }
}

pub fn rename(ctx: &Context, a: RenameArgs) -> anyhow::Result<i32> {
    if !container::names::valid_name(&a.name) {
        bail!(
            "invalid container name {:?}: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*",
            a.name
        );
    }
    let store = Store::open(&ctx.paths)?;
    let c = store.find_container(&a.container)?;
    store
        .rename_container(&c.id, &a.name)
        .with_context(|| format!("renaming container {}", c.name))?;
    Ok(0)
}

fn prune(ctx: &Context, a: PruneArgs) -> anyhow::Result<i32> {
    if !a.force {
        eprint!(
            "WARNING! This will remove all non running containers.\n\
             Are you sure you want to continue? [y/N] "
        );
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            return Ok(0);
        }
    }
    let store = Store::open(&ctx.paths)?;
    let mut code = 0;
    // Newest first: the containers that need others go before them.
    let graph = container::deps::Graph::load(&store)?;
    let mut removed = std::collections::HashSet::new();
    for c in store.containers()? {
        if container::effective_state(store.paths(), &c) == State::Running {
            continue;
        }
        // Containers that still need it (running ones) keep it, as with Podman.
        let needing = graph.dependents(&c.id, &removed);
        if !needing.is_empty() {
            eprintln!("Error: {}", container::deps::needed_error(&c, &needing));
            code = EXIT_FAILURE;
            continue;
        }
        match container::remove(&store, &c, false) {
            Ok(()) => {
                println!("{}", c.id);
                removed.insert(c.id.clone());
            }
            // Started meanwhile: it is no longer prunable.
            Err(container::ContainerError::Running(_)) => {}
            Err(e) => {
                eprintln!("Error: removing container {}: {e}", c.name);
                code = EXIT_FAILURE;
            }
        }
    }
    Ok(code)
}
