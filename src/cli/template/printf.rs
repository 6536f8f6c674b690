//! Go's `printf` verbs that templates use: `%s %v %d %q %f %x %t %%`, with flags, width and
//! precision.

use super::eval::plain;
use serde_json::Value;

pub fn sprintf(fmt: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek().filter(|f| "-+ 0#".contains(**f)) {
            flags.push(f);
            chars.next();
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        let mut precision = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            precision = Some(p.parse::<usize>().unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.next() else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        let text = match verb {
            's' | 'v' => {
                let t = plain(arg);
                match precision {
                    Some(p) if verb == 's' => t.chars().take(p).collect(),
                    _ => t,
                }
            }
            'q' => serde_json::to_string(&Value::String(plain(arg))).unwrap_or_default(),
            'd' => match arg.as_i64() {
                Some(n) if flags.contains('+') && n >= 0 => format!("+{n}"),
                Some(n) => n.to_string(),
                None => format!("%!d({})", plain(arg)),
            },
            'f' => match arg.as_f64() {
                Some(f) => format!("{f:.*}", precision.unwrap_or(6)),
                None => format!("%!f({})", plain(arg)),
            },
            'x' | 'X' => {
                let t = match arg {
                    Value::Number(n) => n.as_i64().map_or_else(|| plain(arg), |n| format!("{n:x}")),
                    other => plain(other).bytes().map(|b| format!("{b:02x}")).collect(),
                };
                if verb == 'X' {
                    t.to_uppercase()
                } else {
                    t
                }
            }
            't' => match arg {
                Value::Bool(b) => b.to_string(),
                other => format!("%!t({})", plain(other)),
            },
            other => format!("%!{other}({})", plain(arg)),
        };
        let width = width.parse::<usize>().unwrap_or(0);
        let pad = width.saturating_sub(text.chars().count());
        if flags.contains('-') {
            out.push_str(&text);
            out.push_str(&" ".repeat(pad));
        } else if flags.contains('0') && matches!(verb, 'd' | 'f' | 'x' | 'X') {
            let (sign, digits) = match text.strip_prefix(['-', '+']) {
                Some(rest) => (&text[..1], rest),
                None => ("", text.as_str()),
            };
            out.push_str(sign);
            out.push_str(&"0".repeat(pad));
            out.push_str(digits);
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&text);
        }
    }
    let extra: Vec<String> = args.map(plain).collect();
    if !extra.is_empty() {
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sprintf;
    use serde_json::json;

    #[test]
    fn verbs_flags_and_widths() {
        let f = |fmt: &str, args: serde_json::Value| sprintf(fmt, args.as_array().unwrap());
        assert_eq!(f("%s=%v", json!(["a", 3])), "a=3");
        assert_eq!(f("[%-5s][%5s]", json!(["ab", "cd"])), "[ab   ][   cd]");
        assert_eq!(f("%03d|%d|%+d", json!([7, -2, 4])), "007|-2|+4");
        assert_eq!(
            f("%.2f %q %t %%", json!([1.5, "x", true])),
            "1.50 \"x\" true %"
        );
        assert_eq!(f("%x %.3s", json!([255, "abcdef"])), "ff abc");
        assert_eq!(f("%s %s", json!(["a"])), "a %!s(MISSING)");
        assert_eq!(f("%s", json!(["a", "b"])), "a%!(EXTRA b)");
    }
}
