//! Image commands: argument definitions and output. The work happens in `crate::image`.

mod archive;
mod list;
mod registry;
mod remove;
mod tag;

pub use archive::{load, save, LoadArgs, SaveArgs};
pub use list::{glob_match, history, images, reference_matches, HistoryArgs, ImagesArgs};
pub use registry::{pull, push, PlatformFlags, PullArgs, PushArgs, RegistryFlags};
pub use remove::{rmi, PruneArgs, RmiArgs};
pub(super) use tag::qualify_new_name;
pub use tag::{tag, untag, TagArgs, UntagArgs};

use super::{Context, EXIT_FAILURE};
use crate::image::inspect;
use crate::store::{Store, StoreError};
use clap::{Args, Subcommand};
use remove::prune;

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// Images to inspect
    #[arg(required = true, value_name = "IMAGE")]
    pub names: Vec<String>,
    /// Format the output with a Go template, or json
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
}

/// `image inspect`: like `inspect --type image`.
pub fn inspect(ctx: &Context, a: InspectArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let mut docs = Vec::new();
    let mut code = 0;
    for n in &a.names {
        match store.find_image(n) {
            Ok(img) => docs.push(inspect::inspect_json(&store, &img)?),
            Err(StoreError::ImageNotFound(_)) => {
                eprintln!("Error: {n}: image not known");
                code = EXIT_FAILURE;
            }
            Err(e) => return Err(e.into()),
        }
    }
    super::inspect::print_docs(&docs, a.format.as_deref())?;
    Ok(code)
}

#[derive(Subcommand, Debug)]
pub enum ImageCommand {
    /// List images in local storage
    #[command(alias = "list")]
    Ls(ImagesArgs),
    /// Remove one or more images
    Rm(RmiArgs),
    /// Display the configuration of an image
    Inspect(InspectArgs),
    /// Show the history of an image
    History(HistoryArgs),
    /// Remove unused images
    Prune(PruneArgs),
    /// Add an additional name to a local image
    Tag(TagArgs),
    /// Remove a name from a local image
    Untag(UntagArgs),
    /// Pull an image from a registry
    Pull(PullArgs),
    /// Push an image to a registry
    Push(PushArgs),
    /// Save images to an archive
    Save(SaveArgs),
    /// Load images from an archive
    Load(LoadArgs),
    /// Import a tarball as a new image
    Import(super::transfer::ImportArgs),
    /// Check whether an image exists in local storage (exit 0 yes, 1 no)
    Exists(ExistsArgs),
}

#[derive(Args, Debug)]
pub struct ExistsArgs {
    /// Image
    #[arg(value_name = "IMAGE")]
    pub image: String,
}

pub fn dispatch(ctx: &Context, c: ImageCommand) -> anyhow::Result<i32> {
    match c {
        ImageCommand::Ls(a) => images(ctx, a),
        ImageCommand::Rm(a) => rmi(ctx, a),
        ImageCommand::Inspect(a) => inspect(ctx, a),
        ImageCommand::History(a) => history(ctx, a),
        ImageCommand::Prune(a) => prune(ctx, a),
        ImageCommand::Tag(a) => tag(ctx, a),
        ImageCommand::Untag(a) => untag(ctx, a),
        ImageCommand::Pull(a) => pull(ctx, a),
        ImageCommand::Push(a) => push(ctx, a),
        ImageCommand::Save(a) => save(ctx, a),
        ImageCommand::Load(a) => load(ctx, a),
        ImageCommand::Import(a) => super::transfer::import(ctx, a),
        ImageCommand::Exists(a) => {
            let store = Store::open(&ctx.paths)?;
            match store.find_image(&a.image) {
                Ok(_) => Ok(0),
                Err(StoreError::ImageNotFound(_)) => Ok(1),
                Err(e) => Err(e.into()),
            }
        }
    }
}
