//! Containers' files and processes: `cp`, `diff`, `export`, `commit`, `import`, `top`.

use super::Context;
use crate::container::cp;
use crate::store::Store;
use anyhow::bail;
use clap::Args;

#[derive(Args, Debug)]
pub struct CpArgs {
    /// Files belong to the container's root user rather than keeping the owners of the
    /// source (`--archive=false` keeps them)
    #[arg(
        short = 'a',
        long,
        value_name = "BOOL",
        default_value_t = true,
        num_args = 0..=1,
        default_missing_value = "true",
        action = clap::ArgAction::Set
    )]
    pub archive: bool,
    /// Accepted for compatibility: a directory may always replace a file and the reverse is
    /// refused
    #[arg(long)]
    pub overwrite: bool,
    /// CONTAINER:PATH, a host path, or - for a tar on stdin
    #[arg(value_name = "SRC")]
    pub src: String,
    /// CONTAINER:PATH, a host path, or - for a tar on stdout
    #[arg(value_name = "DEST")]
    pub dest: String,
}

/// `CONTAINER:PATH` → (container, path); host paths contain a `/` or `.` before any colon.
fn split_container(arg: &str) -> Option<(&str, &str)> {
    let (ctr, path) = arg.split_once(':')?;
    (!ctr.is_empty() && !ctr.contains('/') && !ctr.starts_with('.')).then_some((ctr, path))
}

pub fn cp(ctx: &Context, a: CpArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    match (split_container(&a.src), split_container(&a.dest)) {
        (Some(_), Some(_)) => bail!("copying between containers is not supported"),
        (None, None) => bail!(
            "invalid arguments {}, {}: one of them must be a container path (CONTAINER:PATH)",
            a.src,
            a.dest
        ),
        (Some((name, path)), None) => {
            let record = store.find_container(name)?;
            let path = cp::container_path(&record, path)?;
            let mut out = std::io::stdout().lock();
            cp::copy_from(&store, &record, &path, &a.dest, &mut out)?;
        }
        (None, Some((name, path))) => {
            let record = store.find_container(name)?;
            let path = cp::container_path(&record, path)?;
            let mut input = std::io::stdin().lock();
            cp::copy_to(&store, &record, &a.src, &path, a.archive, &mut input)?;
        }
    }
    Ok(0)
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Write to this file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

pub fn export(ctx: &Context, a: ExportArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let record = store.find_container(&a.container)?;
    match &a.output {
        Some(path) => {
            // Written beside and renamed: a failed export leaves no truncated archive.
            let tmp = path.with_extension("lodger-partial");
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(&tmp)
                    .map_err(|e| anyhow::anyhow!("creating {}: {e}", tmp.display()))?,
            );
            let res = cp::export(&store, &record, &mut f)
                .map_err(anyhow::Error::from)
                .and_then(|()| std::io::Write::flush(&mut f).map_err(Into::into))
                .and_then(|()| std::fs::rename(&tmp, path).map_err(Into::into));
            if res.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            res?;
        }
        None => {
            if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                bail!("refusing to write a tar to a terminal: redirect stdout or use --output");
            }
            let mut out = std::io::stdout().lock();
            cp::export(&store, &record, &mut out)?;
        }
    }
    Ok(0)
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Output format: json
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

pub fn diff(ctx: &Context, a: DiffArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let record = store.find_container(&a.container)?;
    let lines = cp::changes(&store, &record)?;
    match a.format.as_deref() {
        None => {
            for l in lines {
                println!("{l}");
            }
        }
        Some("json") => {
            let mut changed = Vec::new();
            let mut added = Vec::new();
            let mut deleted = Vec::new();
            for l in &lines {
                match l.split_once(' ') {
                    Some(("A", p)) => added.push(p),
                    Some(("C", p)) => changed.push(p),
                    Some(("D", p)) => deleted.push(p),
                    _ => {}
                }
            }
            let mut obj = serde_json::Map::new();
            for (k, v) in [("changed", changed), ("added", added), ("deleted", deleted)] {
                if !v.is_empty() {
                    obj.insert(k.into(), serde_json::json!(v));
                }
            }
            println!("{}", serde_json::to_string_pretty(&obj)?);
        }
        Some(f) => bail!("unsupported --format {f:?}: use json"),
    }
    Ok(0)
}

#[derive(Args, Debug)]
pub struct CommitArgs {
    /// Dockerfile instruction to apply to the image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL,
    /// STOPSIGNAL, USER, VOLUME, WORKDIR)
    #[arg(short = 'c', long = "change", value_name = "CHANGE")]
    pub changes: Vec<String>,
    /// Commit message, recorded in the image's history
    #[arg(short, long, value_name = "MESSAGE")]
    pub message: Option<String>,
    /// Author of the image
    #[arg(short, long, value_name = "AUTHOR")]
    pub author: Option<String>,
    /// Accepted for compatibility: the writable layer is read as it is
    #[arg(short, long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub pause: Option<bool>,
    /// Print only the image id
    #[arg(short, long)]
    pub quiet: bool,
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// Name of the new image
    #[arg(value_name = "IMAGE")]
    pub image: Option<String>,
}

pub fn commit(ctx: &Context, a: CommitArgs) -> anyhow::Result<i32> {
    let mut store = Store::open(&ctx.paths)?;
    let record = store.find_container(&a.container)?;
    let req = crate::container::commit::CommitRequest {
        name: a
            .image
            .as_deref()
            .map(super::image::qualify_new_name)
            .transpose()?,
        author: a.author,
        message: a.message,
        changes: a.changes,
    };
    let image = crate::container::commit::commit(&mut store, &record, &req)?;
    println!("{}", image.id.trim_start_matches("sha256:"));
    Ok(0)
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Dockerfile instruction to apply to the image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL,
    /// STOPSIGNAL, USER, VOLUME, WORKDIR)
    #[arg(short = 'c', long = "change", value_name = "CHANGE")]
    pub changes: Vec<String>,
    /// Commit message, recorded in the image's history
    #[arg(short, long, value_name = "MESSAGE")]
    pub message: Option<String>,
    /// Print only the image id
    #[arg(short, long)]
    pub quiet: bool,
    /// Tarball to import (plain, gzip or zstd), or - for stdin
    #[arg(value_name = "FILE")]
    pub source: String,
    /// Name of the new image
    #[arg(value_name = "IMAGE")]
    pub image: Option<String>,
}

pub fn import(ctx: &Context, a: ImportArgs) -> anyhow::Result<i32> {
    let mut store = Store::open(&ctx.paths)?;
    let req = crate::container::commit::CommitRequest {
        name: a
            .image
            .as_deref()
            .map(super::image::qualify_new_name)
            .transpose()?,
        author: None,
        message: a.message,
        changes: a.changes,
    };
    let mut input: Box<dyn std::io::Read> = if a.source == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(
            std::fs::File::open(&a.source)
                .map_err(|e| anyhow::anyhow!("opening {}: {e}", a.source))?,
        )
    };
    let image = crate::container::commit::import_tarball(&mut store, &mut input, &req)?;
    println!("{}", image.id.trim_start_matches("sha256:"));
    Ok(0)
}

#[derive(Args, Debug)]
pub struct TopArgs {
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// Format descriptors (user, uid, group, pid, ppid, hpid, pcpu, etime, tty, time, args,
    /// comm), as separate arguments or comma-separated
    #[arg(value_name = "DESCRIPTORS")]
    pub descriptors: Vec<String>,
}

pub fn top(ctx: &Context, a: TopArgs) -> anyhow::Result<i32> {
    use crate::container::top;
    let store = Store::open(&ctx.paths)?;
    let record = store.find_container(&a.container)?;
    let mut wanted: Vec<&str> = a
        .descriptors
        .iter()
        .flat_map(|d| d.split(','))
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect();
    if wanted.is_empty() {
        wanted = top::DEFAULT.to_vec();
    }
    let mut headers = Vec::new();
    for d in &wanted {
        match top::header(d) {
            Some(h) => headers.push(h.to_string()),
            None => bail!(
                "unsupported format descriptor {d:?}: use user, uid, group, pid, ppid, hpid, \
                 pcpu, etime, tty, time, args or comm"
            ),
        }
    }
    let rows = top::top(store.paths(), &record, &wanted)?;
    let mut widths: Vec<usize> = headers.iter().map(String::len).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.len());
        }
    }
    let mut out = String::new();
    for r in std::iter::once(&headers).chain(rows.iter()) {
        let last = r.len().saturating_sub(1);
        for (i, c) in r.iter().enumerate() {
            if i == last {
                out.push_str(c);
            } else {
                out.push_str(&format!("{c:<w$}  ", w = widths[i]));
            }
        }
        out.push('\n');
    }
    print!("{out}");
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn container_paths_are_told_from_host_paths() {
        use super::split_container as s;
        assert_eq!(s("c1:/etc"), Some(("c1", "/etc")));
        assert_eq!(s("c1:rel"), Some(("c1", "rel")));
        assert_eq!(s("/tmp/a:b"), None);
        assert_eq!(s("./a:b"), None);
        assert_eq!(s("-"), None);
        assert_eq!(s("plain"), None);
    }
}
