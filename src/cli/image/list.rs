//! `images` and `history`, and the name matching that image filters share.

use crate::cli::format::{ago, human_size, parse_time, print_table};
use crate::cli::Context;
use crate::image::inspect;
use crate::store::{ImageRecord, Store};
use clap::Args;
use std::io::Write;

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
    let filters = crate::cli::image_filter::parse(&a.filter, &store)?;
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
        crate::cli::template::write(out, template, &docs, &headers, a.noheading)?;
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
#[derive(Clone)]
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
                ..base.clone()
            });
        }
    }
    rows
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
        Some(t) => crate::cli::template::write(out, t, &docs, &[], false)?,
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
}
