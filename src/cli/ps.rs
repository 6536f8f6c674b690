//! `ps` and `container ps`.

use super::format::{ago, human_duration, print_table};
use super::Context;
use crate::container;
use crate::store::{ContainerRecord, State, Store};
use clap::Args;
use std::io::Write;

#[derive(Args, Debug)]
pub struct PsArgs {
    /// Show all containers, not only running ones
    #[arg(short, long)]
    pub all: bool,
    /// Print only the container IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Do not truncate the output
    #[arg(long)]
    pub no_trunc: bool,
    /// Do not print column headings
    #[arg(long)]
    pub noheading: bool,
    /// Output format: json or a Go template such as {{.ID}} {{.Names}}
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Filter: status=, name=, id=, label=KEY[=VALUE], ancestor=, exited=
    #[arg(short, long, value_name = "FILTER")]
    pub filter: Vec<String>,
    /// Show the N last created containers (all states)
    #[arg(short = 'n', long, value_name = "N")]
    pub last: Option<usize>,
    /// Show the last created container (all states)
    #[arg(short, long)]
    pub latest: bool,
    /// Show the size of the writable layer and of the image
    #[arg(short, long)]
    pub size: bool,
}

/// Column titles of `ps --format 'table ...'` that are not the field's name.
const PS_HEADERS: &[(&str, &str)] = &[
    ("ID", "container id"),
    ("CreatedHuman", "created"),
    ("Pod", "pod id"),
];

fn status_text(record: &ContainerRecord, state: &State) -> String {
    let now = container::now();
    match state {
        State::Created => "Created".into(),
        State::Running => format!(
            "Up {}",
            human_duration(now - record.started_at.unwrap_or(now))
        ),
        State::Exited => format!(
            "Exited ({}) {} ago",
            record.exit_code.unwrap_or(-1),
            human_duration(now - record.finished_at.unwrap_or(now))
        ),
    }
}

pub fn ps(ctx: &Context, a: PsArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let filters = super::ps_filter::Filters::parse(&a.filter)?;
    let all = a.all || a.latest || a.last.is_some() || filters.implies_all();
    let by_ancestor = a.filter.iter().any(|f| f.starts_with("ancestor="));
    let mut rows = Vec::new();
    // Newest first, which is what --latest and --last count.
    for c in store.containers()? {
        let state = container::effective_state(&ctx.paths, &c);
        if !all && state != State::Running {
            continue;
        }
        if !a.filter.is_empty() {
            let cfg = container::parse_config(&c).unwrap_or_default();
            let image = by_ancestor.then(|| store.image(&c.image_id).ok()).flatten();
            if !filters.matches(&c, &state, &cfg, image.as_ref()) {
                continue;
            }
        }
        rows.push((c, state));
    }
    if a.latest {
        rows.truncate(1);
    } else if let Some(n) = a.last {
        rows.truncate(n);
    }
    // (writable layer, image) sizes for --size.
    let sizes: Vec<(u64, u64)> = rows
        .iter()
        .map(|(c, _)| match a.size {
            true => (
                super::ps_filter::dir_size(&container::dirs(&ctx.paths, &c.id).upper),
                store.image(&c.image_id).map_or(0, |i| i.size),
            ),
            false => (0, 0),
        })
        .collect();
    // One write for the whole listing, not one per line.
    let out = &mut std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let short = |id: &str| {
        if a.no_trunc {
            id.to_string()
        } else {
            id[..12.min(id.len())].to_string()
        }
    };
    if a.quiet {
        for (c, _) in &rows {
            writeln!(out, "{}", short(&c.id))?;
        }
        return Ok(0);
    }
    let mut ports_texts = Vec::with_capacity(rows.len());
    let docs: Vec<serde_json::Value> = rows
        .iter()
        .zip(&sizes)
        .map(|((c, state), (rw, image_size))| {
            let cfg = container::parse_config(c).unwrap_or_default();
            let ports = container::ports::published(&ctx.paths, c, &cfg);
            ports_texts.push(container::ports::text(&ports));
            let mut doc = serde_json::json!({
                "Id": c.id, "ID": short(&c.id), "Names": [c.name.clone()], "Image": c.image_name,
                "ImageID": c.image_id.trim_start_matches("sha256:"), "Command": cfg.command,
                "Created": c.created, "CreatedAt": ago(c.created),
                "CreatedHuman": ago(c.created), "RunningFor": ago(c.created), "State": state.as_str(),
                "Status": status_text(c, state), "ExitCode": c.exit_code.unwrap_or(0),
                "Exited": *state == State::Exited, "Pid": c.pid.unwrap_or(0),
                "Labels": cfg.labels, "Ports": container::ports::ps_json(&ports), "AutoRemove": cfg.remove, "Restarts": c.restarts,
                "StartedAt": c.started_at.unwrap_or(0), "ExitedAt": c.finished_at.unwrap_or(0),
                "Mounts": cfg.binds.iter().map(|b| b.destination.as_str()).collect::<Vec<_>>(),
                "Networks": [],
            });
            if a.size {
                doc["Size"] = serde_json::json!({"rwSize": rw, "rootFsSize": rw + image_size});
            }
            doc
        })
        .collect();
    match a.format.as_deref() {
        Some("json") => {
            writeln!(out, "{}", serde_json::to_string_pretty(&docs)?)?;
            return Ok(0);
        }
        Some(t) if t != "table" => {
            // The strings Podman's ps templates see (its reporter's methods).
            let docs: Vec<serde_json::Value> = docs
                .into_iter()
                .zip(ports_texts)
                .map(|(mut d, ports)| {
                    d["Names"] = d["Names"][0].clone();
                    d["Command"] = command_text(&d["Command"], a.no_trunc).into();
                    d["Ports"] = ports.into();
                    d["Networks"] = "".into();
                    if let Some(size) = d.get("Size").cloned() {
                        let (rw, root) = (size["rwSize"].as_u64(), size["rootFsSize"].as_u64());
                        d["Size"] = size_text(rw.unwrap_or(0), root.unwrap_or(0)).into();
                    }
                    d
                })
                .collect();
            super::template::write(out, t, &docs, PS_HEADERS, a.noheading)?;
            return Ok(0);
        }
        _ => {}
    }
    let mut table = Vec::new();
    if !a.noheading {
        table.push(
            [
                "CONTAINER ID",
                "IMAGE",
                "COMMAND",
                "CREATED",
                "STATUS",
                "PORTS",
                "NAMES",
            ]
            .map(String::from)
            .to_vec(),
        );
        if a.size {
            table[0].push("SIZE".into());
        }
    }
    for (((d, (c, state)), (rw, image_size)), ports) in
        docs.iter().zip(&rows).zip(&sizes).zip(ports_texts)
    {
        table.push(vec![
            short(&c.id),
            c.image_name.clone(),
            command_text(&d["Command"], a.no_trunc),
            ago(c.created),
            status_text(c, state),
            ports,
            c.name.clone(),
        ]);
        if a.size {
            if let Some(row) = table.last_mut() {
                row.push(size_text(*rw, rw + image_size));
            }
        }
    }
    print_table(out, &table)?;
    Ok(0)
}

/// The command as `ps` shows it: cut to 17 characters (not bytes) unless --no-trunc.
fn command_text(v: &serde_json::Value, no_trunc: bool) -> String {
    let cmd = v
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    if !no_trunc && cmd.chars().count() > 17 {
        format!("{}...", cmd.chars().take(17).collect::<String>())
    } else {
        cmd
    }
}

/// `--size`: the writable layer, and with the image under it.
fn size_text(rw: u64, root: u64) -> String {
    format!(
        "{} (virtual {})",
        super::format::human_size(rw),
        super::format::human_size(root)
    )
}

#[cfg(test)]
mod tests {
    use super::command_text;
    use serde_json::json;

    #[test]
    fn command_is_cut_at_17_characters() {
        assert_eq!(command_text(&json!(["sleep", "100"]), false), "sleep 100");
        assert_eq!(
            command_text(&json!(["sh", "-c", "echo hello world"]), false),
            "sh -c echo hello ..."
        );
        assert_eq!(
            command_text(&json!(["sh", "-c", "echo hello world"]), true),
            "sh -c echo hello world"
        );
        // 17 characters of more than one byte each are not cut.
        let wide = "é".repeat(17);
        assert_eq!(command_text(&json!([wide]), false), wide);
    }
}
