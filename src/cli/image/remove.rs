//! `rmi` and `image prune`.

use crate::cli::{Context, EXIT_FAILURE};
use crate::image::remove;
use crate::image::remove::Removal;
use crate::store::{Store, StoreError};
use anyhow::bail;
use clap::Args;

#[derive(Args, Debug)]
pub struct RmiArgs {
    /// Images to remove
    #[arg(value_name = "IMAGE")]
    pub images: Vec<String>,
    /// Remove all images
    #[arg(short, long)]
    pub all: bool,
    /// Force removal of the image (also by ID when it has several names)
    #[arg(short, long)]
    pub force: bool,
    /// Do not fail when an image does not exist
    #[arg(short, long)]
    pub ignore: bool,
}

/// Podman's `rmi` exit codes: 1 when an image did not exist, 2 when a container uses one.
pub fn rmi(ctx: &Context, a: RmiArgs) -> anyhow::Result<i32> {
    if a.all != a.images.is_empty() {
        bail!("give image names or --all, not both and not neither");
    }
    let mut store = Store::open(&ctx.paths)?;
    let mut code = 0;
    let mut removals = Vec::new();
    if a.all {
        match remove::remove_all(&mut store, a.force) {
            Ok(r) => removals = r,
            Err(e @ crate::image::ImageError::InUse { .. }) => {
                eprintln!("Error: {e}");
                code = 2;
            }
            Err(e) => return Err(e.into()),
        }
    }
    for name in &a.images {
        match remove::remove_image(&mut store, name, a.force) {
            Ok(r) => removals.extend(r),
            Err(crate::image::ImageError::Store(StoreError::ImageNotFound(_))) if a.ignore => {}
            Err(e @ crate::image::ImageError::Store(StoreError::ImageNotFound(_))) => {
                eprintln!("Error: {e}");
                code = code.max(1);
            }
            Err(e @ crate::image::ImageError::InUse { .. }) => {
                eprintln!("Error: {e}");
                code = code.max(2);
            }
            Err(e) => {
                eprintln!("Error: {e}");
                code = EXIT_FAILURE;
            }
        }
    }
    print_removals(&removals);
    Ok(code)
}

fn print_removals(removals: &[Removal]) {
    for r in removals {
        match r {
            Removal::Untagged(n) => println!("Untagged: {n}"),
            Removal::Deleted(id) => println!("Deleted: {id}"),
        }
    }
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Remove all images not in use by containers, not only dangling ones
    #[arg(short, long)]
    pub all: bool,
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
}

pub(super) fn prune(ctx: &Context, a: PruneArgs) -> anyhow::Result<i32> {
    if !a.force {
        let what = if a.all {
            "all images not in use by containers"
        } else {
            "all dangling images"
        };
        eprint!("WARNING! This command removes {what}.\nAre you sure you want to continue? [y/N] ");
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            return Ok(0);
        }
    }
    let mut store = Store::open(&ctx.paths)?;
    for id in remove::prune(&mut store, a.all)? {
        println!("{id}");
    }
    Ok(0)
}
