//! Splitting the inside of an action into tokens.

use anyhow::{anyhow, bail};

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Dot(Vec<String>),
    Var(String, Vec<String>),
    Str(String),
    Num(serde_json::Number),
    Ident(String),
    Open,
    Close(Vec<String>),
    Pipe,
    Declare,
    Comma,
}

fn fields_after(chars: &[char], i: &mut usize) -> Vec<String> {
    let mut fields = Vec::new();
    while *i < chars.len() && chars[*i] == '.' {
        let start = *i + 1;
        let mut j = start;
        while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
            j += 1;
        }
        if j == start {
            break;
        }
        fields.push(chars[start..j].iter().collect());
        *i = j;
    }
    fields
}

pub fn lex(src: &str) -> anyhow::Result<Vec<Tok>> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '|' => {
                toks.push(Tok::Pipe);
                i += 1;
            }
            ',' => {
                toks.push(Tok::Comma);
                i += 1;
            }
            '(' => {
                toks.push(Tok::Open);
                i += 1;
            }
            ')' => {
                i += 1;
                toks.push(Tok::Close(fields_after(&chars, &mut i)));
            }
            ':' if chars.get(i + 1) == Some(&'=') => {
                toks.push(Tok::Declare);
                i += 2;
            }
            '.' => {
                let fields = fields_after(&chars, &mut i);
                if fields.is_empty() {
                    i += 1;
                }
                toks.push(Tok::Dot(fields));
            }
            '$' => {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let name: String = chars[start..i].iter().collect();
                toks.push(Tok::Var(name, fields_after(&chars, &mut i)));
            }
            '"' => {
                let start = i;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                let lit: String = chars[start..(i + 1).min(chars.len())].iter().collect();
                let s: String = serde_json::from_str(&lit)
                    .map_err(|_| anyhow!("template: bad string {lit} in {{{{{src}}}}}"))?;
                toks.push(Tok::Str(s));
                i += 1;
            }
            '`' => {
                let start = i + 1;
                i = start;
                while i < chars.len() && chars[i] != '`' {
                    i += 1;
                }
                toks.push(Tok::Str(chars[start..i.min(chars.len())].iter().collect()));
                i += 1;
            }
            c if c.is_ascii_digit() || c == '-' || c == '+' => {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let text = text.trim_start_matches('+');
                let n = serde_json::from_str::<serde_json::Number>(text)
                    .map_err(|_| anyhow!("template: bad number {text:?} in {{{{{src}}}}}"))?;
                toks.push(Tok::Num(n));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                toks.push(Tok::Ident(chars[start..i].iter().collect()));
            }
            other => bail!("template: unexpected {other:?} in {{{{{src}}}}}"),
        }
    }
    Ok(toks)
}
