//! `container ...` (the group), `rename` and `container prune`.

use super::Context;
use crate::container;
use crate::store::{State, Store};
use anyhow::{bail, Context as _};
use clap::{Args, Subcommand};

#[derive(Subcommand, Debug)]
pub enum ContainerCommand {
    /// Attach to a running container's input and output
    Attach(super::attach::AttachArgs),
    /// Display the configuration of containers
    Inspect(super::inspect::ContainerInspectArgs),
    /// List containers
    #[command(alias = "ls", alias = "list")]
    Ps(super::ps::PsArgs),
    /// Remove containers
    Rm(super::rm::RmArgs),
    /// Rename a container
    Rename(RenameArgs),
    /// Remove all stopped containers
    Prune(PruneArgs),
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
        ContainerCommand::Attach(a) => super::attach::attach(ctx, a),
        ContainerCommand::Inspect(a) => super::inspect::container_inspect(ctx, a),
        ContainerCommand::Ps(a) => super::ps::ps(ctx, a),
        ContainerCommand::Rm(a) => super::rm::rm(ctx, a),
        ContainerCommand::Rename(a) => rename(ctx, a),
        ContainerCommand::Prune(a) => prune(ctx, a),
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
            code = super::EXIT_FAILURE;
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
                code = super::EXIT_FAILURE;
            }
        }
    }
    Ok(code)
}
