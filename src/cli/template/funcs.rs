//! The functions of Go templates and Podman's additions that scripts use with `--format`.

use super::eval::{kind, plain, truth};
use anyhow::{anyhow, bail};
use serde_json::Value;

const FUNCTIONS: &str = "json, index, len, printf, print, println, upper, lower, title, join, \
                         split, truncate, pad, eq, ne, lt, le, gt, ge, and, or, not";

/// Go checks function names when it parses a template, so a misspelt one fails even when
/// there is nothing to print.
pub fn check_defined(name: &str) -> anyhow::Result<()> {
    if FUNCTIONS.split(", ").any(|f| f == name) {
        return Ok(());
    }
    bail!("template: function {name:?} not defined: lodger's templates support {FUNCTIONS}")
}

fn want(name: &str, args: &[Value], n: usize) -> anyhow::Result<()> {
    if args.len() != n {
        bail!(
            "template: {name} takes {n} argument{}, got {}",
            if n == 1 { "" } else { "s" },
            args.len()
        );
    }
    Ok(())
}

fn string<'v>(name: &str, v: &'v Value) -> anyhow::Result<&'v str> {
    v.as_str()
        .ok_or_else(|| anyhow!("template: {name} wants a string, got {}", kind(v)))
}

fn int(name: &str, v: &Value) -> anyhow::Result<i64> {
    v.as_i64()
        .ok_or_else(|| anyhow!("template: {name} wants an integer, got {}", plain(v)))
}

pub fn call(name: &str, args: Vec<Value>) -> anyhow::Result<Value> {
    let s = |t: String| Ok(Value::String(t));
    match name {
        "json" => {
            want(name, &args, 1)?;
            s(serde_json::to_string(&args[0])?)
        }
        "index" => index(args),
        "len" => {
            want(name, &args, 1)?;
            Ok(Value::from(match &args[0] {
                Value::String(t) => t.len(),
                Value::Array(a) => a.len(),
                Value::Object(m) => m.len(),
                Value::Null => 0,
                other => bail!("template: len of {}", kind(other)),
            }))
        }
        "printf" => {
            let (fmt, rest) = args
                .split_first()
                .ok_or_else(|| anyhow!("template: printf needs a format"))?;
            s(super::printf::sprintf(string(name, fmt)?, rest))
        }
        "print" => s(sprint(&args)),
        "println" => s(format!(
            "{}\n",
            args.iter().map(plain).collect::<Vec<_>>().join(" ")
        )),
        "upper" | "lower" | "title" => {
            want(name, &args, 1)?;
            let t = string(name, &args[0])?;
            s(match name {
                "upper" => t.to_uppercase(),
                "lower" => t.to_lowercase(),
                _ => title(t),
            })
        }
        "join" => {
            want(name, &args, 2)?;
            let items = args[0]
                .as_array()
                .ok_or_else(|| anyhow!("template: join wants a list, got {}", kind(&args[0])))?;
            let parts: Vec<String> = items.iter().map(plain).collect();
            s(parts.join(string(name, &args[1])?))
        }
        "split" => {
            want(name, &args, 2)?;
            let (t, sep) = (string(name, &args[0])?, string(name, &args[1])?);
            Ok(Value::from(
                t.split(sep).map(String::from).collect::<Vec<_>>(),
            ))
        }
        "truncate" => {
            want(name, &args, 2)?;
            let t = string(name, &args[0])?;
            let n = usize::try_from(int(name, &args[1])?).unwrap_or(0);
            s(t.char_indices()
                .nth(n)
                .map_or(t, |(i, _)| &t[..i])
                .to_string())
        }
        "pad" => {
            want(name, &args, 3)?;
            let t = string(name, &args[0])?;
            let (pre, post) = (int(name, &args[1])?.max(0), int(name, &args[2])?.max(0));
            s(if t.is_empty() {
                String::new()
            } else {
                format!(
                    "{}{t}{}",
                    " ".repeat(pre as usize),
                    " ".repeat(post as usize)
                )
            })
        }
        "eq" | "ne" => {
            if args.len() < 2 {
                bail!("template: {name} needs two values to compare");
            }
            let mut equal = false;
            for other in &args[1..] {
                equal |= compare(&args[0], other)? == std::cmp::Ordering::Equal;
            }
            Ok(Value::Bool(equal == (name == "eq")))
        }
        "lt" | "le" | "gt" | "ge" => {
            want(name, &args, 2)?;
            let o = compare(&args[0], &args[1])?;
            use std::cmp::Ordering::*;
            Ok(Value::Bool(match name {
                "lt" => o == Less,
                "le" => o != Greater,
                "gt" => o == Greater,
                _ => o != Less,
            }))
        }
        "and" | "or" => {
            if args.is_empty() {
                bail!("template: {name} needs arguments");
            }
            let stop_on = name == "or";
            let last = args.len() - 1;
            Ok(args
                .into_iter()
                .enumerate()
                .find(|(i, v)| truth(v) == stop_on || *i == last)
                .map(|(_, v)| v)
                .unwrap_or(Value::Null))
        }
        "not" => {
            want(name, &args, 1)?;
            Ok(Value::Bool(!truth(&args[0])))
        }
        other => {
            check_defined(other)?;
            bail!("template: function {other:?} is listed but not implemented")
        }
    }
}

/// Go's Sprint: a space between operands when neither side is a string.
fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !a.is_string() && !args[i - 1].is_string() {
            out.push(' ');
        }
        out.push_str(&plain(a));
    }
    out
}

fn title(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut start = true;
    for c in t.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c.is_whitespace();
    }
    out
}

fn compare(a: &Value, b: &Value) -> anyhow::Result<std::cmp::Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            Ok(x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal))
        }
        (Value::String(x), Value::String(y)) => Ok(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Ok(x.cmp(y)),
        (Value::Null, Value::Null) => Ok(std::cmp::Ordering::Equal),
        _ => bail!(
            "template: incompatible types for comparison: {} and {}",
            kind(a),
            kind(b)
        ),
    }
}

/// `index X k1 k2 ...`: map keys are strings, list positions numbers.
fn index(args: Vec<Value>) -> anyhow::Result<Value> {
    let mut it = args.into_iter();
    let mut cur = it
        .next()
        .ok_or_else(|| anyhow!("template: index needs a value and keys"))?;
    for key in it {
        cur = match (&cur, &key) {
            // Labels and annotations are Go string maps: a missing key is "".
            (Value::Object(m), Value::String(k)) => m
                .get(k)
                .cloned()
                .unwrap_or_else(|| Value::String(String::new())),
            (Value::Array(a), Value::Number(n)) => {
                let i = n
                    .as_u64()
                    .ok_or_else(|| anyhow!("template: index {n} is not a position"))?;
                a.get(i as usize)
                    .cloned()
                    .ok_or_else(|| anyhow!("template: index out of range: {i}"))?
            }
            (Value::Null, _) => Value::Null,
            _ => bail!(
                "template: can't index {} with {}: quote map keys, give positions as numbers",
                kind(&cur),
                plain(&key)
            ),
        };
    }
    Ok(cur)
}
