//! The subset of Go templates that scripts use with `--format`: `{{.Field}}`, nested
//! `{{.A.B}}`, `{{json .X}}` and `{{json .}}`. Anything else is a clear error.

use anyhow::{anyhow, bail};
use serde_json::Value;

/// Expand `\t` and `\n` as Podman does for table formats.
fn unescape(s: &str) -> String {
    s.replace("\\t", "\t").replace("\\n", "\n")
}

/// Render with the fields of a table row.
pub fn render_row(template: &str, fields: &[(&str, String)]) -> anyhow::Result<String> {
    let obj: serde_json::Map<String, Value> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
        .collect();
    render_json(template, &Value::Object(obj))
}

/// Render against a JSON document (inspect output).
pub fn render_json(template: &str, doc: &Value) -> anyhow::Result<String> {
    let template = unescape(template);
    let mut out = String::new();
    let mut rest = template.as_str();
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| anyhow!("template: unclosed action in {template:?}"))?;
        out.push_str(&action(after[..end].trim(), doc)?);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn action(expr: &str, doc: &Value) -> anyhow::Result<String> {
    if let Some(arg) = expr.strip_prefix("json ") {
        return Ok(serde_json::to_string(lookup(arg.trim(), doc)?)?);
    }
    if expr.starts_with('.') {
        return Ok(plain(lookup(expr, doc)?));
    }
    bail!("template: unsupported action {{{{{expr}}}}}: lodger supports {{{{.Field}}}} and {{{{json .Field}}}}")
}

fn lookup<'a>(path: &str, doc: &'a Value) -> anyhow::Result<&'a Value> {
    if path == "." {
        return Ok(doc);
    }
    let mut cur = doc;
    for part in path.trim_start_matches('.').split('.') {
        cur = cur
            .get(part)
            .ok_or_else(|| anyhow!("template: can't evaluate field {part}"))?;
    }
    Ok(cur)
}

/// Go's default printing for the values inspect produces.
fn plain(v: &Value) -> String {
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
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_fields_nested_and_json() {
        let doc = json!({"Id": "abc", "Config": {"Env": ["A=1", "B=2"]}, "Size": 3});
        assert_eq!(render_json("{{.Id}} {{.Size}}", &doc).unwrap(), "abc 3");
        assert_eq!(render_json("{{.Config.Env}}", &doc).unwrap(), "[A=1 B=2]");
        assert_eq!(
            render_json("{{json .Config.Env}}", &doc).unwrap(),
            r#"["A=1","B=2"]"#
        );
        assert!(render_json("{{.Nope}}", &doc).is_err());
        assert!(render_json("{{range .X}}", &doc).is_err());
    }
}
