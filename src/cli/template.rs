//! The subset of Go templates that scripts use with `--format`: `{{.Field}}`, nested
//! `{{.A.B}}`, `{{json .X}}`, `{{json .}}`, `{{index .X "key"}}` and
//! `{{range .X}}...{{end}}`. Anything else is a clear error.

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
    let mut tokens = tokenize(&template)?.into_iter();
    let nodes = parse(&mut tokens, false)?;
    let mut out = String::new();
    render(&nodes, doc, &mut out)?;
    Ok(out)
}

enum Token {
    Text(String),
    Action(String),
}

enum Node {
    Text(String),
    Action(String),
    /// `{{range .X}}body{{end}}`: the body once per element, with `.` the element.
    Range(String, Vec<Node>),
}

fn tokenize(template: &str) -> anyhow::Result<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        tokens.push(Token::Text(rest[..start].to_string()));
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| anyhow!("template: unclosed action in {template:?}"))?;
        tokens.push(Token::Action(after[..end].trim().to_string()));
        rest = &after[end + 2..];
    }
    tokens.push(Token::Text(rest.to_string()));
    Ok(tokens)
}

fn parse(tokens: &mut std::vec::IntoIter<Token>, in_range: bool) -> anyhow::Result<Vec<Node>> {
    let mut nodes = Vec::new();
    while let Some(t) = tokens.next() {
        match t {
            Token::Text(s) => nodes.push(Node::Text(s)),
            Token::Action(a) if a == "end" => {
                if in_range {
                    return Ok(nodes);
                }
                bail!("template: unexpected {{{{end}}}}");
            }
            Token::Action(a) => match a.strip_prefix("range ") {
                Some(expr) => {
                    let body = parse(tokens, true)?;
                    nodes.push(Node::Range(expr.trim().to_string(), body));
                }
                None => nodes.push(Node::Action(a)),
            },
        }
    }
    if in_range {
        bail!("template: {{{{range}}}} without {{{{end}}}}");
    }
    Ok(nodes)
}

fn render(nodes: &[Node], doc: &Value, out: &mut String) -> anyhow::Result<()> {
    for n in nodes {
        match n {
            Node::Text(s) => out.push_str(s),
            Node::Action(a) => out.push_str(&action(a, doc)?),
            Node::Range(expr, body) => match lookup(expr, doc)? {
                Value::Array(items) => {
                    for item in items {
                        render(body, item, out)?;
                    }
                }
                // Go ranges over a map's values in key order.
                Value::Object(map) => {
                    for item in map.values() {
                        render(body, item, out)?;
                    }
                }
                Value::Null => {}
                other => bail!("template: range can't iterate over {}", plain(other)),
            },
        }
    }
    Ok(())
}

fn action(expr: &str, doc: &Value) -> anyhow::Result<String> {
    if let Some(arg) = expr.strip_prefix("json ") {
        return Ok(serde_json::to_string(lookup(arg.trim(), doc)?)?);
    }
    if let Some(args) = expr.strip_prefix("index ") {
        return Ok(plain(index(args, doc)?));
    }
    if expr.starts_with('.') {
        return Ok(plain(lookup(expr, doc)?));
    }
    bail!("template: unsupported action {{{{{expr}}}}}: lodger supports {{{{.Field}}}}, {{{{json .Field}}}}, {{{{index .Field KEY}}}} and {{{{range .Field}}}}...{{{{end}}}}")
}

/// `index .X "key" 0 ...`: map keys are quoted strings, array positions numbers.
fn index<'a>(args: &str, doc: &'a Value) -> anyhow::Result<&'a Value> {
    let mut parts = args.split_whitespace();
    let base = parts
        .next()
        .ok_or_else(|| anyhow!("template: index needs a value and keys"))?;
    let mut cur = lookup(base, doc)?;
    for key in parts {
        cur = if let Some(k) = key.strip_prefix('"').and_then(|k| k.strip_suffix('"')) {
            cur.get(k)
                .ok_or_else(|| anyhow!("template: index: no key {k:?}"))?
        } else if let Ok(i) = key.parse::<usize>() {
            cur.get(i)
                .ok_or_else(|| anyhow!("template: index out of range: {i}"))?
        } else {
            bail!("template: index: bad key {key:?}: quote map keys, give positions as numbers");
        };
    }
    Ok(cur)
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
        assert!(render_json("{{if .Id}}x{{end}}", &doc).is_err());
    }

    #[test]
    fn range_and_index() {
        let doc = json!({"Mounts": [{"Name": "a"}, {"Name": "b"}], "Labels": {"k": "v", "x y": "z"},
                         "Env": ["A=1", "B=2"]});
        assert_eq!(
            render_json("{{range .Mounts}}{{.Name}},{{end}}", &doc).unwrap(),
            "a,b,"
        );
        assert_eq!(
            render_json("{{range .Env}}{{.}}\\n{{end}}", &doc).unwrap(),
            "A=1\nB=2\n"
        );
        assert_eq!(
            render_json("{{range .Labels}}{{.}} {{end}}", &doc).unwrap(),
            "v z "
        );
        assert_eq!(render_json(r#"{{index .Labels "k"}}"#, &doc).unwrap(), "v");
        assert_eq!(render_json("{{index .Env 1}}", &doc).unwrap(), "B=2");
        assert!(render_json("{{index .Env 5}}", &doc).is_err());
        assert!(render_json("{{range .Env}}x", &doc).is_err());
        assert!(render_json("{{end}}", &doc).is_err());
    }
}
