//! Running a parsed template against a JSON document, with Go's truth, printing and the
//! functions of Go templates and Podman that scripts use.

use super::parse::{Arg, Node, Pipe};
use anyhow::{anyhow, bail};
use serde_json::Value;

/// Turns a field name into its column header (`table` formats).
pub type HeaderFn<'a> = &'a dyn Fn(&str) -> String;

pub struct Scope<'a> {
    root: &'a Value,
    vars: Vec<(String, Value)>,
    /// Set while rendering the header row: every field is its column's title.
    header: Option<HeaderFn<'a>>,
}

impl<'a> Scope<'a> {
    pub fn new(root: &'a Value, header: Option<HeaderFn<'a>>) -> Scope<'a> {
        Scope {
            root,
            vars: Vec::new(),
            header,
        }
    }
}

pub fn render(nodes: &[Node], dot: &Value, s: &mut Scope, out: &mut String) -> anyhow::Result<()> {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Action(p) => {
                let v = pipe(p, dot, s)?;
                if p.decl.is_empty() {
                    out.push_str(&plain(&v));
                }
            }
            Node::If(p, then, otherwise) => {
                let branch = if truth(&pipe(p, dot, s)?) {
                    then
                } else {
                    otherwise
                };
                render(branch, dot, s, out)?;
            }
            Node::With(p, body, otherwise) => {
                let v = pipe(p, dot, s)?;
                if truth(&v) {
                    render(body, &v, s, out)?;
                } else {
                    render(otherwise, dot, s, out)?;
                }
            }
            Node::Range(p, body, otherwise) => {
                // The range's variables name each item, not the whole value.
                let items: Vec<(Value, Value)> = match commands(&p.cmds, dot, s)? {
                    Value::Array(a) => a
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (Value::from(i), v))
                        .collect(),
                    // Go ranges over a map in key order.
                    Value::Object(m) => m.into_iter().map(|(k, v)| (Value::String(k), v)).collect(),
                    Value::Null => Vec::new(),
                    Value::String(_) if s.header.is_some() => Vec::new(),
                    other => bail!("template: range can't iterate over {}", plain(&other)),
                };
                if items.is_empty() {
                    render(otherwise, dot, s, out)?;
                }
                let depth = s.vars.len();
                for (k, v) in items {
                    match p.decl.as_slice() {
                        [one] => s.vars.push((one.clone(), v.clone())),
                        [key, val] => {
                            s.vars.push((key.clone(), k));
                            s.vars.push((val.clone(), v.clone()));
                        }
                        _ => {}
                    }
                    let r = render(body, &v, s, out);
                    s.vars.truncate(depth);
                    r?;
                }
            }
        }
    }
    Ok(())
}

fn pipe(p: &Pipe, dot: &Value, s: &mut Scope) -> anyhow::Result<Value> {
    let v = commands(&p.cmds, dot, s)?;
    if let Some(name) = p.decl.first() {
        s.vars.push((name.clone(), v.clone()));
    }
    Ok(v)
}

/// A pipeline's commands, each one's value the last argument of the next.
fn commands(cmds: &[Vec<Arg>], dot: &Value, s: &mut Scope) -> anyhow::Result<Value> {
    let mut last: Option<Value> = None;
    for cmd in cmds {
        last = Some(command(cmd, dot, s, last)?);
    }
    Ok(last.unwrap_or(Value::Null))
}

fn command(cmd: &[Arg], dot: &Value, s: &mut Scope, piped: Option<Value>) -> anyhow::Result<Value> {
    if let Some(Arg::Func(name)) = cmd.first() {
        let mut args = Vec::with_capacity(cmd.len());
        for a in &cmd[1..] {
            args.push(arg(a, dot, s)?);
        }
        args.extend(piped);
        return super::funcs::call(name, args);
    }
    if let [Arg::Field(path), key] = cmd {
        if path.last().is_some_and(|m| m == "Label") && piped.is_none() {
            return label_method(&path[..path.len() - 1], key, dot, s);
        }
    }
    if cmd.len() > 1 || piped.is_some() {
        bail!("template: can't give an argument to a value that is not a function");
    }
    arg(&cmd[0], dot, s)
}

/// `{{.Label "key"}}`: the one method Podman's and Docker's `ps` rows have, used by scripts
/// that pick out a label; a missing label is "" as in Go's string maps.
fn label_method(owner: &[String], key: &Arg, dot: &Value, s: &mut Scope) -> anyhow::Result<Value> {
    if let Some(header) = s.header {
        return Ok(Value::String(header("Label")));
    }
    let key = match arg(key, dot, s)? {
        Value::String(k) => k,
        other => bail!("template: Label wants a string, not a {}", kind(&other)),
    };
    let row = fields(dot, owner)?;
    let Some(Value::Object(labels)) = row.get("Labels") else {
        bail!("template: can't evaluate field Label in {}", kind(&row));
    };
    let value = labels.get(&key).and_then(Value::as_str).unwrap_or_default();
    Ok(Value::String(value.to_string()))
}

fn arg(a: &Arg, dot: &Value, s: &mut Scope) -> anyhow::Result<Value> {
    Ok(match a {
        Arg::Field(f) => match (f.first(), s.header) {
            (Some(first), Some(h)) => Value::String(h(first)),
            _ => fields(dot, f)?,
        },
        Arg::Var(name, f) => {
            let base = if name == "$" {
                s.root.clone()
            } else {
                s.vars
                    .iter()
                    .rev()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| anyhow!("template: undefined variable {name}"))?
            };
            fields(&base, f)?
        }
        Arg::Sub(p, f) => {
            let v = pipe(p, dot, s)?;
            fields(&v, f)?
        }
        Arg::Str(t) => Value::String(t.clone()),
        Arg::Num(n) => Value::Number(n.clone()),
        Arg::Bool(b) => Value::Bool(*b),
        Arg::Nil => Value::Null,
        Arg::Func(name) => super::funcs::call(name, Vec::new())?,
    })
}

fn fields(base: &Value, path: &[String]) -> anyhow::Result<Value> {
    let mut cur = base;
    for part in path {
        cur = match cur {
            Value::Object(m) => m
                .get(part)
                .ok_or_else(|| anyhow!("template: can't evaluate field {part}"))?,
            // A missing part of the document (Go's nil pointer) prints as <no value>.
            Value::Null => return Ok(Value::Null),
            other => bail!("template: can't evaluate field {part} in {}", kind(other)),
        };
    }
    Ok(cur.clone())
}

pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nil",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "map",
    }
}

/// Go's truth: false, 0, "", nil and empty lists and maps are false.
pub fn truth(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

/// Go's default printing (`%v`) of the values documents hold.
pub fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<no value>".into(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(plain).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(map) => format!(
            "map[{}]",
            map.iter()
                .map(|(k, v)| format!("{k}:{}", plain(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e21 => format!("{f:.0}"),
            _ => n.to_string(),
        },
        Value::Bool(b) => b.to_string(),
    }
}
