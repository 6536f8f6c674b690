//! Parsing Go templates into a tree: text, actions with pipelines, `if`/`else`/`range`/`with`
//! blocks, `$variables`, `{{-`/`-}}` trimming and comments.

use super::lex::{lex, Tok};
use anyhow::{anyhow, bail};

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Text(String),
    Action(Pipe),
    If(Pipe, Vec<Node>, Vec<Node>),
    /// `range [$k[, $v] :=] PIPE`: body once per element, the else branch when there is none.
    Range(Pipe, Vec<Node>, Vec<Node>),
    With(Pipe, Vec<Node>, Vec<Node>),
}

/// `[$a[, $b] :=] cmd | cmd ...`
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pipe {
    pub decl: Vec<String>,
    pub cmds: Vec<Vec<Arg>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// `.A.B` (empty for `.`)
    Field(Vec<String>),
    /// `$x.A.B` (`$` alone is the document)
    Var(String, Vec<String>),
    /// `(pipeline).A.B`
    Sub(Box<Pipe>, Vec<String>),
    Str(String),
    Num(serde_json::Number),
    Bool(bool),
    Nil,
    Func(String),
}

enum Piece {
    Text(String),
    Action(String),
}

/// Splits into text and action sources, applying `{{- ` and ` -}}` and dropping comments.
fn pieces(src: &str) -> anyhow::Result<Vec<Piece>> {
    let mut out = Vec::new();
    let mut rest = src;
    let mut trim_next = false;
    while let Some(start) = rest.find("{{") {
        let mut text = &rest[..start];
        if trim_next {
            text = text.trim_start();
        }
        let after = &rest[start + 2..];
        let (mut inner, tail) = match find_close(after) {
            Some(end) => (&after[..end], &after[end + 2..]),
            None => bail!("template: unclosed action: add }}}} after {:?}", after),
        };
        if let Some(i) = inner.strip_prefix("- ") {
            text = text.trim_end();
            inner = i;
        }
        trim_next = false;
        if let Some(i) = inner.strip_suffix(" -") {
            trim_next = true;
            inner = i;
        }
        out.push(Piece::Text(text.to_string()));
        let inner = inner.trim();
        if !(inner.starts_with("/*") && inner.ends_with("*/")) {
            out.push(Piece::Action(inner.to_string()));
        }
        rest = tail;
    }
    out.push(Piece::Text(if trim_next {
        rest.trim_start().to_string()
    } else {
        rest.to_string()
    }));
    Ok(out)
}

/// The `}}` closing an action, skipping quoted strings that may contain one.
fn find_close(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'`' => {
                i += 1;
                while i < b.len() && b[i] != b'`' {
                    i += 1;
                }
            }
            b'}' if b.get(i + 1) == Some(&b'}') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Parses the tokens of one pipeline; `toks` is consumed up to a matching `)` or the end.
fn pipe(
    toks: &mut std::iter::Peekable<std::vec::IntoIter<Tok>>,
    src: &str,
) -> anyhow::Result<(Pipe, Option<Vec<String>>)> {
    let mut p = Pipe::default();
    // A declaration: `$x :=` or `$k, $v :=`.
    let saved: Vec<Tok> = toks.clone().take(4).collect();
    let decl = match saved.as_slice() {
        [Tok::Var(a, f), Tok::Declare, ..] if f.is_empty() => Some((vec![a.clone()], 2)),
        [Tok::Var(a, f), Tok::Comma, Tok::Var(b, g), Tok::Declare]
            if f.is_empty() && g.is_empty() =>
        {
            Some((vec![a.clone(), b.clone()], 4))
        }
        _ => None,
    };
    if let Some((names, n)) = decl {
        p.decl = names;
        for _ in 0..n {
            toks.next();
        }
    }
    let mut cmd = Vec::new();
    while let Some(t) = toks.next() {
        let arg = match t {
            Tok::Close(fields) => {
                if cmd.is_empty() {
                    bail!("template: empty command in {{{{{src}}}}}");
                }
                p.cmds.push(cmd);
                return Ok((p, Some(fields)));
            }
            Tok::Pipe => {
                if cmd.is_empty() {
                    bail!("template: missing command before | in {{{{{src}}}}}");
                }
                p.cmds.push(std::mem::take(&mut cmd));
                continue;
            }
            Tok::Open => {
                let (inner, fields) = pipe(toks, src)?;
                let fields =
                    fields.ok_or_else(|| anyhow!("template: unclosed ( in {{{{{src}}}}}"))?;
                Arg::Sub(Box::new(inner), fields)
            }
            Tok::Dot(f) => Arg::Field(f),
            Tok::Var(v, f) => Arg::Var(v, f),
            Tok::Str(s) => Arg::Str(s),
            Tok::Num(n) => Arg::Num(n),
            Tok::Ident(id) => match id.as_str() {
                "true" => Arg::Bool(true),
                "false" => Arg::Bool(false),
                "nil" => Arg::Nil,
                _ => {
                    super::funcs::check_defined(&id)?;
                    Arg::Func(id)
                }
            },
            Tok::Declare | Tok::Comma => bail!("template: unexpected := or , in {{{{{src}}}}}"),
        };
        cmd.push(arg);
    }
    if cmd.is_empty() {
        bail!("template: missing value in {{{{{src}}}}}");
    }
    p.cmds.push(cmd);
    Ok((p, None))
}

fn parse_pipe(src: &str) -> anyhow::Result<Pipe> {
    let mut toks = lex(src)?.into_iter().peekable();
    let (p, close) = pipe(&mut toks, src)?;
    if close.is_some() || toks.next().is_some() {
        bail!("template: unexpected ) in {{{{{src}}}}}");
    }
    Ok(p)
}

/// How a list of nodes ended.
enum Stop {
    Eof,
    End,
    Else,
    ElseIf(Pipe),
}

fn keyword<'a>(action: &'a str, word: &str) -> Option<&'a str> {
    let rest = action.strip_prefix(word)?;
    if rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == '(') {
        Some(rest.trim())
    } else {
        None
    }
}

fn list(it: &mut std::vec::IntoIter<Piece>) -> anyhow::Result<(Vec<Node>, Stop)> {
    let mut nodes = Vec::new();
    while let Some(p) = it.next() {
        let a = match p {
            Piece::Text(t) => {
                if !t.is_empty() {
                    nodes.push(Node::Text(t));
                }
                continue;
            }
            Piece::Action(a) => a,
        };
        if a == "end" {
            return Ok((nodes, Stop::End));
        }
        if let Some(rest) = keyword(&a, "else") {
            if rest.is_empty() {
                return Ok((nodes, Stop::Else));
            }
            if let Some(cond) = keyword(rest, "if") {
                return Ok((nodes, Stop::ElseIf(parse_pipe(cond)?)));
            }
            bail!("template: unexpected {{{{{a}}}}}: else takes nothing or if");
        }
        if let Some(cond) = keyword(&a, "if") {
            let (then, otherwise) = block(it, parse_pipe(cond)?, "if", true)?;
            nodes.push(Node::If(then.0, then.1, otherwise));
        } else if let Some(expr) = keyword(&a, "range") {
            let (body, otherwise) = block(it, parse_pipe(expr)?, "range", false)?;
            nodes.push(Node::Range(body.0, body.1, otherwise));
        } else if let Some(expr) = keyword(&a, "with") {
            let (body, otherwise) = block(it, parse_pipe(expr)?, "with", false)?;
            nodes.push(Node::With(body.0, body.1, otherwise));
        } else if let Some(word) = ["define", "template", "block", "break", "continue"]
            .into_iter()
            .find(|w| keyword(&a, w).is_some())
        {
            bail!("template: {{{{{word}}}}} is not supported by lodger");
        } else if a.is_empty() {
            bail!("template: empty action {{{{}}}}");
        } else {
            nodes.push(Node::Action(parse_pipe(&a)?));
        }
    }
    Ok((nodes, Stop::Eof))
}

type Body = (Pipe, Vec<Node>);

/// The body of an `if`/`range`/`with` and its else branch, up to the shared `{{end}}`.
fn block(
    it: &mut std::vec::IntoIter<Piece>,
    head: Pipe,
    what: &str,
    else_if: bool,
) -> anyhow::Result<(Body, Vec<Node>)> {
    let (body, end) = list(it)?;
    let otherwise = match end {
        Stop::End => Vec::new(),
        Stop::Eof => bail!("template: {{{{{what}}}}} without {{{{end}}}}"),
        Stop::Else => match list(it)? {
            (nodes, Stop::End) => nodes,
            _ => bail!("template: {{{{{what}}}}} ... {{{{else}}}} without {{{{end}}}}"),
        },
        Stop::ElseIf(cond) if else_if => {
            let (then, rest) = block(it, cond, what, true)?;
            vec![Node::If(then.0, then.1, rest)]
        }
        Stop::ElseIf(_) => bail!("template: {{{{else if}}}} inside {{{{{what}}}}}"),
    };
    Ok(((head, body), otherwise))
}

pub fn parse(src: &str) -> anyhow::Result<Vec<Node>> {
    let mut it = pieces(src)?.into_iter();
    match list(&mut it)? {
        (nodes, Stop::Eof) => Ok(nodes),
        (_, Stop::End) => bail!("template: unexpected {{{{end}}}}"),
        (_, _) => bail!("template: unexpected {{{{else}}}}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_skips_comments() {
        let nodes = parse("a  {{- .X -}}  b{{/* note */}}c").unwrap();
        assert_eq!(nodes.len(), 4);
        assert_eq!(nodes[0], Node::Text("a".into()));
        assert_eq!(nodes[2], Node::Text("b".into()));
        assert_eq!(nodes[3], Node::Text("c".into()));
    }

    #[test]
    fn pipelines_variables_and_blocks() {
        let nodes = parse(r#"{{range $k, $v := .L}}{{$k}}{{end}}{{if eq .S "a}}b"}}x{{else if .T}}y{{else}}z{{end}}"#).unwrap();
        match &nodes[0] {
            Node::Range(p, body, els) => {
                assert_eq!(p.decl, ["$k", "$v"]);
                assert_eq!(body.len(), 1);
                assert!(els.is_empty());
            }
            other => panic!("{other:?}"),
        }
        match &nodes[1] {
            Node::If(_, then, els) => {
                assert_eq!(then, &[Node::Text("x".into())]);
                assert!(matches!(&els[0], Node::If(_, t, e) if t.len() == 1 && e.len() == 1));
            }
            other => panic!("{other:?}"),
        }
        let p = parse_pipe(r#"(index .M 0).Dest | printf "%s" | upper"#).unwrap();
        assert_eq!(p.cmds.len(), 3);
        assert!(matches!(&p.cmds[0][0], Arg::Sub(_, f) if f == &["Dest"]));
    }

    #[test]
    fn structure_errors() {
        for bad in [
            "{{if .X}}",
            "{{end}}",
            "{{else}}",
            "{{range .X}}a{{else}}b",
            "{{.X",
            "{{define \"a\"}}{{end}}",
            "{{}}",
            "{{(.X}}",
            "{{.X | }}",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
