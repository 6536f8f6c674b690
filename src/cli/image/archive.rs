//! `save` and `load`: images to and from archives and OCI directories.

use crate::cli::Context;
use crate::image::archive;
use crate::image::progress::reporter;
use crate::store::Store;
use anyhow::bail;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct SaveArgs {
    /// Images to save
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
    /// Write to a file (default: stdout when it is not a terminal)
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// docker-archive (default), oci-archive or oci-dir
    #[arg(long, value_name = "FORMAT", default_value = "docker-archive")]
    pub format: archive::Format,
    /// Save several images into one docker archive
    #[arg(short, long)]
    pub multi_image_archive: bool,
    /// Suppress output
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn save(ctx: &Context, a: SaveArgs) -> anyhow::Result<i32> {
    use std::io::IsTerminal;
    let store = Store::open(&ctx.paths)?;
    let mut images = Vec::new();
    for n in &a.images {
        let img = store.find_image(n)?;
        images.push((n.clone(), img));
    }
    if images.len() > 1 && a.format == archive::Format::OciDir {
        bail!("oci-dir holds one image: save the images one at a time");
    }
    match &a.output {
        Some(path) => archive::save_to_path(&store, &images, a.format, path)?,
        None => {
            if std::io::stdout().is_terminal() {
                bail!("refusing to write an archive to a terminal: use -o FILE or redirect stdout");
            }
            if a.format == archive::Format::OciDir {
                bail!("oci-dir needs a directory: use -o DIR");
            }
            archive::save_to_writer(&store, &images, a.format, &mut std::io::stdout().lock())?;
        }
    }
    Ok(0)
}

#[derive(Args, Debug)]
pub struct LoadArgs {
    /// Read from an archive file or OCI directory (default: stdin)
    #[arg(short, long, value_name = "PATH")]
    pub input: Option<PathBuf>,
    /// Suppress the progress output
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn load(ctx: &Context, a: LoadArgs) -> anyhow::Result<i32> {
    use std::io::IsTerminal;
    let mut store = Store::open(&ctx.paths)?;
    let report = reporter(a.quiet);
    let loaded = match &a.input {
        Some(path) => archive::load_path(&mut store, path, report.as_ref())?,
        None => {
            if std::io::stdin().is_terminal() {
                bail!("no archive on stdin: use -i FILE or pipe an archive in");
            }
            archive::load_reader(&mut store, &mut std::io::stdin().lock(), report.as_ref())?
        }
    };
    for name in loaded {
        println!("Loaded image: {name}");
    }
    Ok(0)
}
