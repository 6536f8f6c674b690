//! `volume ...` commands.

use super::format::print_table;
use super::Context;
use crate::paths::Paths;
use crate::store::Store;
use crate::volume::{self, VolumeError};
use anyhow::bail;
use clap::{Args, Subcommand};
use std::collections::BTreeMap;
use std::io::Write;

#[derive(Subcommand, Debug)]
pub enum VolumeCommand {
    /// Create a volume
    Create(CreateArgs),
    /// List volumes
    #[command(alias = "list")]
    Ls(LsArgs),
    /// Display detailed information on volumes
    Inspect(InspectArgs),
    /// Remove volumes
    #[command(alias = "remove")]
    Rm(RmArgs),
    /// Remove all volumes not used by a container
    Prune(PruneArgs),
    /// Check whether a volume exists (exit 0 yes, 1 no)
    Exists(ExistsArgs),
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Name of the volume (default: a random id)
    pub name: Option<String>,
    /// Set a label: KEY=VALUE
    #[arg(short, long, value_name = "KEY=VALUE")]
    pub label: Vec<String>,
    /// Do nothing when the volume already exists
    #[arg(long)]
    pub ignore: bool,
}

#[derive(Args, Debug)]
pub struct LsArgs {
    /// Print only the volume names
    #[arg(short, long)]
    pub quiet: bool,
    /// Format the output: json or a Go template
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Filter: name=, label=KEY[=VALUE], dangling=true|false
    #[arg(short, long, value_name = "FILTER")]
    pub filter: Vec<String>,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// Volumes to inspect
    #[arg(value_name = "VOLUME")]
    pub names: Vec<String>,
    /// Inspect all volumes
    #[arg(short, long)]
    pub all: bool,
    /// Format the output with a Go template, or json
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
}

#[derive(Args, Debug)]
pub struct RmArgs {
    /// Volumes to remove
    #[arg(value_name = "VOLUME")]
    pub names: Vec<String>,
    /// Remove all volumes
    #[arg(short, long)]
    pub all: bool,
    /// Remove the containers using the volumes too
    #[arg(short, long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Do not ask for confirmation
    #[arg(short, long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct ExistsArgs {
    /// Volume name
    pub name: String,
}

pub fn dispatch(ctx: &Context, c: VolumeCommand) -> anyhow::Result<i32> {
    match c {
        VolumeCommand::Create(a) => create(ctx, a),
        VolumeCommand::Ls(a) => ls(ctx, a),
        VolumeCommand::Inspect(a) => inspect(ctx, a),
        VolumeCommand::Rm(a) => rm(ctx, a),
        VolumeCommand::Prune(a) => prune(ctx, a),
        VolumeCommand::Exists(a) => Ok(if volume::exists(&ctx.paths, &a.name) {
            0
        } else {
            1
        }),
    }
}

/// `--label KEY[=VALUE]` flags as a map (a missing value is empty); also `run`/`create`'s.
pub(super) fn labels(flags: &[String]) -> BTreeMap<String, String> {
    flags
        .iter()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap_or((l, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

fn create(ctx: &Context, a: CreateArgs) -> anyhow::Result<i32> {
    match volume::create(&ctx.paths, a.name.as_deref(), labels(&a.label), false) {
        Ok(v) => println!("{}", v.name),
        Err(VolumeError::Exists(n)) if a.ignore => println!("{n}"),
        Err(e) => return Err(e.into()),
    }
    Ok(0)
}

/// One `--filter` of `volume ls`: true when the volume passes it.
fn passes(
    filter: &str,
    v: &volume::Volume,
    used: &std::collections::BTreeSet<String>,
) -> anyhow::Result<bool> {
    let Some((key, value)) = filter.split_once('=') else {
        bail!("invalid filter {filter:?}: use name=, label= or dangling=");
    };
    Ok(match key {
        "name" => super::image::glob_match(value, &v.name) || v.name.contains(value),
        "label" => {
            let (k, want) = value.split_once('=').map_or((value, None), |(k, w)| (k, Some(w)));
            match (v.labels.get(k), want) {
                (Some(_), None) => true,
                (Some(have), Some(w)) => have == w,
                (None, _) => false,
            }
        }
        "dangling" => {
            let want = match value {
                "true" | "1" => true,
                "false" | "0" => false,
                _ => bail!("invalid filter {filter:?}: dangling takes true or false"),
            };
            want != used.contains(&v.name)
        }
        "driver" => value == "local",
        _ => bail!("unsupported filter {key:?}: lodger filters volumes by name, label, dangling and driver"),
    })
}

fn ls(ctx: &Context, a: LsArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let used = volume::used_names(&store)?;
    let mut vols = Vec::new();
    for v in volume::list(&ctx.paths)? {
        let mut keep = true;
        for f in &a.filter {
            keep &= passes(f, &v, &used)?;
        }
        if keep {
            vols.push(v);
        }
    }
    let out = &mut std::io::stdout().lock();
    if a.quiet {
        for v in &vols {
            writeln!(out, "{}", v.name)?;
        }
        return Ok(0);
    }
    match a.format.as_deref() {
        Some("json") => {
            let docs: Vec<_> = vols.iter().map(volume::inspect_json).collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&docs)?)?;
        }
        Some(t) => {
            let docs: Vec<_> = vols.iter().map(volume::inspect_json).collect();
            super::template::write(out, t, &docs, &[("Name", "volume name")], false)?;
        }
        None => {
            let mut rows = vec![vec!["DRIVER".to_string(), "VOLUME NAME".to_string()]];
            rows.extend(
                vols.iter()
                    .map(|v| vec!["local".to_string(), v.name.clone()]),
            );
            print_table(out, &rows)?;
        }
    }
    Ok(0)
}

/// The `volume inspect` documents of the named volumes; unknown names are reported and
/// turn the exit code to 125.
pub fn inspect_docs(
    paths: &Paths,
    names: &[String],
) -> anyhow::Result<(Vec<serde_json::Value>, i32)> {
    let mut docs = Vec::new();
    let mut code = 0;
    for n in names {
        match volume::get(paths, n) {
            Ok(v) => docs.push(volume::inspect_json(&v)),
            Err(e @ VolumeError::NotFound(_)) => {
                eprintln!("Error: {e}");
                code = super::EXIT_FAILURE;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok((docs, code))
}

fn inspect(ctx: &Context, a: InspectArgs) -> anyhow::Result<i32> {
    if a.all != a.names.is_empty() {
        bail!("give volume names or --all, not both and not neither");
    }
    let names: Vec<String> = if a.all {
        volume::list(&ctx.paths)?
            .into_iter()
            .map(|v| v.name)
            .collect()
    } else {
        a.names.clone()
    };
    let (docs, code) = inspect_docs(&ctx.paths, &names)?;
    super::inspect::print_docs(&docs, a.format.as_deref())?;
    Ok(code)
}

/// Podman's exit codes: 1 a volume did not exist, 2 one is in use.
fn rm(ctx: &Context, a: RmArgs) -> anyhow::Result<i32> {
    if a.all != a.names.is_empty() {
        bail!("give volume names or --all, not both and not neither");
    }
    let store = Store::open(&ctx.paths)?;
    let names: Vec<String> = if a.all {
        volume::list(&ctx.paths)?
            .into_iter()
            .map(|v| v.name)
            .collect()
    } else {
        a.names.clone()
    };
    let mut code = 0;
    for n in &names {
        match volume::remove(&store, n, a.force) {
            Ok(()) => println!("{n}"),
            Err(e @ VolumeError::NotFound(_)) => {
                eprintln!("Error: {e}");
                code = code.max(1);
            }
            Err(e @ VolumeError::InUse { .. }) => {
                eprintln!("Error: {e}");
                code = code.max(2);
            }
            Err(e) => {
                eprintln!("Error: {e}");
                code = super::EXIT_FAILURE;
            }
        }
    }
    Ok(code)
}

fn prune(ctx: &Context, a: PruneArgs) -> anyhow::Result<i32> {
    if !a.force {
        eprint!(
            "WARNING! This will remove all volumes not used by at least one container.\n\
             Are you sure you want to continue? [y/N] "
        );
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            return Ok(0);
        }
    }
    let store = Store::open(&ctx.paths)?;
    for n in volume::prune(&store)? {
        println!("{n}");
    }
    Ok(0)
}
