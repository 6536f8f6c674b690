//! Image commands: argument definitions and output. The work happens in `crate::image`.

use super::format::{ago, human_size, parse_time, print_table};
use super::{Context, EXIT_FAILURE};
use crate::image::manifest::{host_platform, Platform};
use crate::image::progress::reporter;
use crate::image::push::PushFormat;
use crate::image::remove::Removal;
use crate::image::{archive, inspect, pull, push, remove};
use crate::registry::ClientOptions;
use crate::store::{ImageRecord, Store, StoreError};
use anyhow::{bail, Context as _};
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;

/// Registry connection flags shared by pull, push and login.
#[derive(Args, Debug, Clone, Default)]
pub struct RegistryFlags {
    /// Require HTTPS and verify certificates when contacting registries
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub tls_verify: Option<bool>,
    /// Path of the authentication file
    #[arg(long, value_name = "PATH", env = "REGISTRY_AUTH_FILE")]
    pub authfile: Option<PathBuf>,
    /// Credentials (USERNAME[:PASSWORD]) to use for the registry
    #[arg(long, value_name = "USERNAME[:PASSWORD]")]
    pub creds: Option<String>,
    /// Directory with certificates (*.crt, *.cert, *.key) for the registry
    #[arg(long, value_name = "PATH")]
    pub cert_dir: Option<PathBuf>,
}

impl RegistryFlags {
    pub fn client_options(&self) -> anyhow::Result<ClientOptions> {
        let creds = match &self.creds {
            None => None,
            Some(c) => {
                let (user, pass) = match c.split_once(':') {
                    Some((u, p)) => (u.to_string(), p.to_string()),
                    None => (
                        c.clone(),
                        super::login::read_password(&format!("Password for {c}: "))?,
                    ),
                };
                if user.is_empty() {
                    bail!("--creds: the username is empty: use --creds USERNAME:PASSWORD");
                }
                Some(crate::auth::Credentials {
                    username: user,
                    password: pass,
                })
            }
        };
        Ok(ClientOptions {
            tls_verify: self.tls_verify,
            authfile: self.authfile.clone(),
            creds,
            cert_dir: self.cert_dir.clone(),
        })
    }
}

#[derive(Args, Debug)]
pub struct PullArgs {
    /// Image to pull
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
    #[command(flatten)]
    pub platform: PlatformFlags,
    /// Suppress output information when pulling images
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub registry: RegistryFlags,
}

/// Which image of a multi-platform index to take; shared by pull, run and create.
#[derive(Args, Debug, Clone, Default)]
pub struct PlatformFlags {
    /// Choose OS/ARCH[/VARIANT] from a manifest list
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<String>,
    /// Use ARCH instead of the architecture of the machine
    #[arg(long, value_name = "ARCH")]
    pub arch: Option<String>,
    /// Use OS instead of the running OS
    #[arg(long, value_name = "OS")]
    pub os: Option<String>,
    /// Use VARIANT instead of the default architecture variant
    #[arg(long, value_name = "VARIANT")]
    pub variant: Option<String>,
}

impl PlatformFlags {
    pub fn wanted(&self) -> anyhow::Result<Platform> {
        let mut p = host_platform();
        if let Some(spec) = &self.platform {
            if self.arch.is_some() || self.os.is_some() {
                bail!("--platform cannot be combined with --arch or --os");
            }
            let parts: Vec<&str> = spec.split('/').collect();
            match parts.as_slice() {
                [os, arch] if !os.is_empty() && !arch.is_empty() => {
                    p.os = os.to_string();
                    p.architecture = arch.to_string();
                }
                [os, arch, variant] if !os.is_empty() && !arch.is_empty() => {
                    p.os = os.to_string();
                    p.architecture = arch.to_string();
                    p.variant = Some(variant.to_string());
                }
                _ => bail!("invalid platform {spec:?}: use OS/ARCH[/VARIANT], e.g. linux/arm64"),
            }
        }
        if let Some(arch) = &self.arch {
            p.architecture = arch.clone();
        }
        if let Some(os) = &self.os {
            p.os = os.clone();
        }
        if let Some(v) = &self.variant {
            p.variant = Some(v.clone());
        }
        Ok(p)
    }
}

pub fn pull(ctx: &Context, a: PullArgs) -> anyhow::Result<i32> {
    let opts = pull::PullOptions {
        platform: a.platform.wanted()?,
        client: a.registry.client_options()?,
    };
    let mut store = Store::open(&ctx.paths)?;
    let report = reporter(a.quiet);
    for input in &a.images {
        let image = pull::pull(&mut store, input, &opts, report.as_ref())?;
        println!("{}", image.hex_id());
    }
    Ok(0)
}

#[derive(Args, Debug)]
pub struct PushArgs {
    /// Image to push
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Destination (default: the image's name)
    #[arg(value_name = "DESTINATION")]
    pub destination: Option<String>,
    /// Manifest type to push: oci or v2s2 (default: as stored)
    #[arg(short = 'f', long, value_name = "FORMAT")]
    pub format: Option<PushFormat>,
    /// Suppress output information when pushing images
    #[arg(short, long)]
    pub quiet: bool,
    /// Write the digest of the pushed manifest to this file
    #[arg(long, value_name = "PATH")]
    pub digestfile: Option<PathBuf>,
    #[command(flatten)]
    pub registry: RegistryFlags,
}

pub fn push(ctx: &Context, a: PushArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let image = store.find_image(&a.image)?;
    let dest = push::destination(&image, &a.image, a.destination.as_deref())?;
    let opts = push::PushOptions {
        client: a.registry.client_options()?,
        format: a.format,
    };
    let digest = push::push(&store, &image, &dest, &opts, reporter(a.quiet).as_ref())?;
    if let Some(path) = &a.digestfile {
        std::fs::write(path, &digest).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(0)
}

#[derive(Args, Debug, Default)]
pub struct ImagesArgs {
    /// Show only images matching this name
    #[arg(value_name = "IMAGE")]
    pub image: Option<String>,
    /// Show all images (default hides intermediate images; lodger has none)
    #[arg(short, long)]
    pub all: bool,
    /// Display only image IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Show digests
    #[arg(long)]
    pub digests: bool,
    /// Do not truncate output
    #[arg(long)]
    pub no_trunc: bool,
    /// Do not print column headings
    #[arg(short, long)]
    pub noheading: bool,
    /// Output format: json, table, or a Go template such as {{.Repository}}:{{.Tag}}
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Filter output: reference=PATTERN, dangling=true|false, label=KEY[=VALUE], before=IMAGE, since=IMAGE
    #[arg(short, long, value_name = "FILTER")]
    pub filter: Vec<String>,
}

pub fn images(ctx: &Context, a: ImagesArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let mut all = store.images()?;
    if let Some(name) = &a.image {
        all.retain(|i| reference_matches(i, name));
    }
    let filters = super::image_filter::parse(&a.filter, &store)?;
    all.retain(|i| filters.iter().all(|f| f.keep(&store, i)));
    let out = &mut std::io::stdout().lock();
    if a.format.as_deref() == Some("json") {
        let list: Vec<_> = all.iter().map(|i| images_json(&store, i)).collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
        return Ok(0);
    }
    if a.quiet {
        let mut seen = std::collections::HashSet::new();
        for i in &all {
            let id = if a.no_trunc {
                i.id.clone()
            } else {
                i.hex_id()[..12].to_string()
            };
            if seen.insert(id.clone()) {
                writeln!(out, "{id}")?;
            }
        }
        return Ok(0);
    }
    let rows = image_rows(&all, a.no_trunc);
    if let Some(template) = a.format.as_deref().filter(|f| *f != "table") {
        let docs: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                r.fields()
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
                    .collect::<serde_json::Map<_, _>>()
                    .into()
            })
            .collect();
        let headers = [("ID", "image id"), ("Id", "image id"), ("ReadOnly", "r/o")];
        super::template::write(out, template, &docs, &headers, a.noheading)?;
        return Ok(0);
    }
    let mut table = Vec::new();
    if !a.noheading {
        let mut h = vec!["REPOSITORY", "TAG"];
        if a.digests {
            h.push("DIGEST");
        }
        h.extend(["IMAGE ID", "CREATED", "SIZE"]);
        table.push(h.into_iter().map(String::from).collect());
    }
    for r in rows {
        let mut row = vec![r.repository, r.tag];
        if a.digests {
            row.push(r.digest);
        }
        row.extend([r.id, r.created, r.size]);
        table.push(row);
    }
    print_table(out, &table)?;
    Ok(0)
}

/// One printed row per name, as Podman lists images.
pub struct ImageRow {
    pub repository: String,
    pub tag: String,
    pub digest: String,
    pub id: String,
    pub created: String,
    pub created_at: String,
    pub size: String,
}

impl ImageRow {
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("Repository", self.repository.clone()),
            ("Tag", self.tag.clone()),
            ("Digest", self.digest.clone()),
            ("ID", self.id.clone()),
            ("Id", self.id.clone()),
            ("Created", self.created.clone()),
            ("CreatedSince", self.created.clone()),
            ("CreatedAt", self.created_at.clone()),
            ("Size", self.size.clone()),
        ]
    }
}

fn image_rows(images: &[ImageRecord], no_trunc: bool) -> Vec<ImageRow> {
    let mut rows = Vec::new();
    for i in images {
        let created_unix = i.created.as_deref().and_then(parse_time).unwrap_or(i.added);
        let base = ImageRow {
            repository: "<none>".into(),
            tag: "<none>".into(),
            digest: i.manifest_digest.clone(),
            id: if no_trunc {
                i.id.clone()
            } else {
                i.hex_id().chars().take(12).collect()
            },
            created: ago(created_unix),
            created_at: i.created.clone().unwrap_or_default(),
            size: human_size(i.size),
        };
        if i.names.is_empty() {
            rows.push(base);
            continue;
        }
        for name in &i.names {
            let (repo, tag) = split_name(name);
            rows.push(ImageRow {
                repository: repo.to_string(),
                tag: tag.to_string(),
                ..clone_row(&base)
            });
        }
    }
    rows
}

fn clone_row(r: &ImageRow) -> ImageRow {
    ImageRow {
        repository: r.repository.clone(),
        tag: r.tag.clone(),
        digest: r.digest.clone(),
        id: r.id.clone(),
        created: r.created.clone(),
        created_at: r.created_at.clone(),
        size: r.size.clone(),
    }
}

/// `registry/repo:tag` → (`registry/repo`, `tag`), minding registry ports.
pub fn split_name(name: &str) -> (&str, &str) {
    match name.rfind(':') {
        Some(pos) if !name[pos..].contains('/') => (&name[..pos], &name[pos + 1..]),
        _ => (name, "<none>"),
    }
}

/// `images NAME` and `reference=` filters: the full name or its tail, with or without tag.
pub fn reference_matches(image: &ImageRecord, pattern: &str) -> bool {
    image.names.iter().any(|n| {
        let (repo, _) = split_name(n);
        [n.as_str(), repo].iter().any(|candidate| {
            glob_match(pattern, candidate)
                || candidate
                    .rsplit_once('/')
                    .is_some_and(|_| tail_matches(pattern, candidate))
        })
    })
}

fn tail_matches(pattern: &str, candidate: &str) -> bool {
    let mut rest = candidate;
    while let Some((_, tail)) = rest.split_once('/') {
        if glob_match(pattern, tail) {
            return true;
        }
        rest = tail;
    }
    false
}

/// Shell-style `*` and `?` matching, enough for Podman's reference filters.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], t) || (!t.is_empty() && go(p, &t[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &t[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}

fn images_json(store: &Store, i: &ImageRecord) -> serde_json::Value {
    let config = inspect::config_of(store, i).ok();
    let labels = config
        .as_ref()
        .and_then(|c| c.config.as_ref())
        .and_then(|c| c.labels.clone());
    let history: Vec<String> = i.names.clone();
    let created = i.created.as_deref().and_then(parse_time).unwrap_or(i.added);
    serde_json::json!({
        "Id": i.hex_id(),
        "ParentId": "",
        "RepoTags": if i.names.is_empty() { serde_json::Value::Null } else { serde_json::json!(i.names) },
        "RepoDigests": i.repo_digests,
        "Size": i.size,
        "SharedSize": 0,
        "VirtualSize": i.size,
        "Labels": labels,
        "Containers": 0,
        "Names": i.names,
        "Digest": i.manifest_digest,
        "History": history,
        "Created": created,
        "CreatedAt": i.created,
        "Dangling": i.is_dangling(),
    })
}

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
pub struct TagArgs {
    /// Image to tag
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// New names
    #[arg(required = true, value_name = "TARGET_NAME")]
    pub targets: Vec<String>,
}

/// Podman qualifies unqualified new names with `localhost/`.
pub(super) fn qualify_new_name(name: &str) -> anyhow::Result<String> {
    let full = if crate::reference::Reference::is_short_name(name) {
        format!("localhost/{name}")
    } else {
        name.to_string()
    };
    let mut r = crate::reference::Reference::parse(&full)?;
    if r.digest.is_some() {
        bail!("{name}: a tag target cannot contain a digest");
    }
    r.default_tag();
    Ok(r.to_string())
}

pub fn tag(ctx: &Context, a: TagArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let image = store.find_image(&a.image)?;
    for t in &a.targets {
        store.set_name(&image.id, &qualify_new_name(t)?)?;
    }
    Ok(0)
}

#[derive(Args, Debug)]
pub struct UntagArgs {
    /// Image to untag
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Names to remove (default: all)
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
}

pub fn untag(ctx: &Context, a: UntagArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let image = store.find_image(&a.image)?;
    if a.names.is_empty() {
        for n in &image.names {
            store.remove_name(&image.id, n)?;
        }
        return Ok(0);
    }
    for n in &a.names {
        let qualified = qualify_new_name(n).unwrap_or_default();
        let stored = image
            .name_for(n)
            .or_else(|| image.names.iter().find(|s| **s == qualified));
        match stored {
            Some(s) => {
                store.remove_name(&image.id, s)?;
            }
            None => bail!("{n}: tag not known for image {}", image.hex_id()),
        }
    }
    Ok(0)
}

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

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// Image
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Display sizes and dates in human readable format
    #[arg(short = 'H', long, default_value_t = true, num_args = 0..=1, default_missing_value = "true", require_equals = true)]
    pub human: bool,
    /// Do not truncate the output
    #[arg(long)]
    pub no_trunc: bool,
    /// Display only the numeric IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Output format: json or a Go template
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
}

pub fn history(ctx: &Context, a: HistoryArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let image = store.find_image(&a.image)?;
    let rows = inspect::history(&store, &image)?;
    let out = &mut std::io::stdout().lock();
    if a.quiet {
        for r in &rows {
            writeln!(out, "{}", trunc_id(&r.id, a.no_trunc))?;
        }
        return Ok(0);
    }
    if a.format.as_deref() == Some("json") {
        let list: Vec<_> = rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "created": r.created, "createdBy": r.created_by,
                    "size": r.size, "comment": r.comment,
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
        return Ok(0);
    }
    let template = a.format.as_deref().filter(|f| *f != "table");
    let mut table = vec![["ID", "CREATED", "CREATED BY", "SIZE", "COMMENT"]
        .map(String::from)
        .to_vec()];
    let mut docs = Vec::new();
    for r in rows {
        let created = r.created.as_deref().and_then(parse_time);
        let created = match (created, a.human) {
            (Some(t), true) => ago(t),
            (Some(_), false) => r.created.clone().unwrap_or_default(),
            (None, _) => String::new(),
        };
        let by = if a.no_trunc || r.created_by.chars().count() <= 45 {
            r.created_by.clone()
        } else {
            format!("{}...", r.created_by.chars().take(42).collect::<String>())
        };
        let size = if a.human {
            human_size(r.size)
        } else {
            r.size.to_string()
        };
        if template.is_some() {
            docs.push(serde_json::json!({
                "ID": trunc_id(&r.id, a.no_trunc), "Created": created,
                "CreatedAt": r.created.clone().unwrap_or_default(), "CreatedBy": by,
                "Size": size, "Comment": r.comment,
            }));
            continue;
        }
        table.push(vec![
            trunc_id(&r.id, a.no_trunc),
            created,
            by,
            size,
            r.comment,
        ]);
    }
    match template {
        Some(t) => super::template::write(out, t, &docs, &[], false)?,
        None => print_table(out, &table)?,
    }
    Ok(0)
}

fn trunc_id(id: &str, no_trunc: bool) -> String {
    if no_trunc || id.starts_with('<') {
        id.to_string()
    } else {
        id.chars().take(12).collect()
    }
}

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
    /// Check whether an image exists in local storage (exit 0 yes, 1 no)
    Exists(ExistsArgs),
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

fn prune(ctx: &Context, a: PruneArgs) -> anyhow::Result<i32> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_names_with_ports() {
        assert_eq!(
            split_name("127.0.0.1:5000/a/b:v1"),
            ("127.0.0.1:5000/a/b", "v1")
        );
        assert_eq!(
            split_name("127.0.0.1:5000/a/b"),
            ("127.0.0.1:5000/a/b", "<none>")
        );
    }

    #[test]
    fn globs() {
        assert!(glob_match("lodger-test/*", "lodger-test/small"));
        assert!(!glob_match("small", "smaller"));
        assert!(glob_match("sm?ll", "small"));
    }

    #[test]
    fn unqualified_tags_go_to_localhost() {
        assert_eq!(qualify_new_name("app").unwrap(), "localhost/app:latest");
        assert_eq!(qualify_new_name("quay.io/a/b:1").unwrap(), "quay.io/a/b:1");
        assert!(qualify_new_name("Bad Name").is_err());
    }
}
