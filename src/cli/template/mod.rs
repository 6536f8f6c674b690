//! `--format` templates: the Go template language as Podman's commands take it, for `ps`,
//! `images`, `inspect`, `volume ls`, `info` and `version`. `table` adds a header row, and
//! tab-separated cells are aligned as Podman's tabwriter aligns them. Functions and actions
//! lodger does not know are an error that names them.

mod eval;
mod funcs;
mod lex;
mod parse;
mod printf;

use serde_json::Value;
use std::io::Write;

pub struct Format {
    nodes: Vec<parse::Node>,
    table: bool,
}

impl Format {
    /// Podman's normalization: `\t` and `\n` typed on the command line are tab and newline,
    /// `table ` turns spaces between actions into column breaks, and every row ends with a
    /// newline.
    pub fn parse(src: &str) -> anyhow::Result<Format> {
        let (table, body) = match src.strip_prefix("table ") {
            Some(rest) => (true, rest),
            None => (false, src),
        };
        let body = body.replace("\\t", "\t").replace("\\n", "\n");
        let mut nodes = parse::parse(&body)?;
        if table {
            tabs_for_spaces(&mut nodes);
        }
        if !body.ends_with('\n') {
            nodes.push(parse::Node::Text("\n".into()));
        }
        Ok(Format { nodes, table })
    }

    /// One document, newline included.
    pub fn render(&self, doc: &Value) -> anyhow::Result<String> {
        let mut out = String::new();
        eval::render(&self.nodes, doc, &mut eval::Scope::new(doc, None), &mut out)?;
        Ok(out)
    }

    /// The header row: the row template with each field replaced by its column title.
    fn header(&self, overrides: &[(&str, &str)]) -> anyhow::Result<String> {
        let title = |field: &str| -> String {
            overrides
                .iter()
                .find(|(k, _)| *k == field)
                .map_or_else(|| camel_words(field).join(" "), |(_, v)| v.to_string())
                .to_uppercase()
        };
        let mut out = String::new();
        let empty = Value::Null;
        eval::render(
            &self.nodes,
            &empty,
            &mut eval::Scope::new(&empty, Some(&title)),
            &mut out,
        )?;
        Ok(out)
    }
}

fn tabs_for_spaces(nodes: &mut [parse::Node]) {
    use parse::Node;
    for n in nodes {
        match n {
            Node::Text(t) => *t = t.replace(' ', "\t"),
            Node::If(_, a, b) | Node::Range(_, a, b) | Node::With(_, a, b) => {
                tabs_for_spaces(a);
                tabs_for_spaces(b);
            }
            Node::Action(_) => {}
        }
    }
}

/// Go's camelcase.Split as Podman uses it for headers: `CreatedAt` is `Created At`,
/// `ImageID` is `Image ID`.
fn camel_words(s: &str) -> Vec<String> {
    let class = |c: char| {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_ascii_digit() {
            3
        } else {
            4
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = 0;
    for c in s.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some(r) if k == last => r.push(c),
            _ => runs.push(vec![c]),
        }
        last = k;
    }
    // An upper-case run followed by lower case gives its last letter to the next word.
    for i in 0..runs.len().saturating_sub(1) {
        let (upper_run, lower_next) = (
            runs[i].iter().all(|c| c.is_uppercase()),
            runs[i + 1].first().is_some_and(|c| c.is_lowercase()),
        );
        if upper_run && lower_next {
            if let Some(c) = runs[i].pop() {
                runs[i + 1].insert(0, c);
            }
        }
    }
    runs.into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.into_iter().collect())
        .collect()
}

/// Aligns tab-separated cells like Go's tabwriter with Podman's settings (minimum width 12,
/// padding 2): a column is as wide as its widest cell in each run of lines that have it.
fn align(text: &str) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let columns = lines
        .iter()
        .map(|l| l.len().saturating_sub(1))
        .max()
        .unwrap_or(0);
    let mut widths = vec![vec![0usize; columns]; lines.len()];
    for col in 0..columns {
        let mut start = 0;
        while start < lines.len() {
            if lines[start].len() <= col + 1 {
                start += 1;
                continue;
            }
            let mut end = start;
            let mut width = 12;
            while end < lines.len() && lines[end].len() > col + 1 {
                width = width.max(lines[end][col].chars().count() + 2);
                end += 1;
            }
            for w in &mut widths[start..end] {
                w[col] = width;
            }
            start = end;
        }
    }
    let mut out = String::with_capacity(text.len());
    for (i, (cells, w)) in lines.iter().zip(&widths).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for (j, cell) in cells.iter().enumerate() {
            if j + 1 < cells.len() {
                out.push_str(&format!("{cell:<width$}", width = w[j]));
            } else {
                out.push_str(cell);
            }
        }
    }
    out
}

/// Renders every document with a user's `--format` (the header row first for `table`
/// unless `noheading`); nothing is written when any document fails to render.
pub fn write(
    out: &mut impl Write,
    format: &str,
    docs: &[Value],
    headers: &[(&str, &str)],
    noheading: bool,
) -> anyhow::Result<()> {
    let f = Format::parse(format)?;
    let mut text = String::new();
    if f.table && !noheading {
        text.push_str(&f.header(headers)?);
    }
    for d in docs {
        text.push_str(&f.render(d)?);
    }
    out.write_all(align(&text).as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests;
