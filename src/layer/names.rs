//! Normalisation of entry names in a layer tar.

/// A tar entry name reduced to plain components below the layer root.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Clean {
    /// The root directory itself (`./`, `/`, `a/..`).
    Root,
    /// `a/b/c`: no empty, `.` or `..` components.
    Path(Vec<u8>),
    /// The name climbs above the root (`../x`, `a/../../x`).
    Escapes,
}

/// Cleans `name` like a lexical `filepath.Clean` rooted at `/`: leading `/` and `./` go,
/// `..` pops a component, and popping past the root is an escape.
pub(crate) fn clean(name: &[u8]) -> Clean {
    let mut parts: Vec<&[u8]> = Vec::new();
    for part in name.split(|b| *b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => {
                if parts.pop().is_none() {
                    return Clean::Escapes;
                }
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        Clean::Root
    } else {
        Clean::Path(parts.join(&b'/'))
    }
}

/// Splits a cleaned path into its parent (`.` for the root) and last component.
pub(crate) fn split(path: &[u8]) -> (&[u8], &[u8]) {
    match path.iter().rposition(|b| *b == b'/') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => (b".", path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Clean {
        Clean::Path(s.as_bytes().to_vec())
    }

    #[test]
    fn cleans_names() {
        assert_eq!(clean(b"./etc/passwd"), p("etc/passwd"));
        assert_eq!(clean(b"/abs/x"), p("abs/x"));
        assert_eq!(clean(b"a//b/./c/"), p("a/b/c"));
        assert_eq!(clean(b"a/../b"), p("b"));
        assert_eq!(clean(b"./"), Clean::Root);
        assert_eq!(clean(b"a/.."), Clean::Root);
        assert_eq!(clean(b"../x"), Clean::Escapes);
        assert_eq!(clean(b"a/../../x"), Clean::Escapes);
        assert_eq!(clean(b"/../x"), Clean::Escapes);
        assert_eq!(clean(b"..."), p("..."));
    }

    #[test]
    fn splits_parent() {
        assert_eq!(split(b"a/b/c"), (&b"a/b"[..], &b"c"[..]));
        assert_eq!(split(b"c"), (&b"."[..], &b"c"[..]));
    }
}
