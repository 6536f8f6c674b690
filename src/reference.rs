//! Image references: `[registry/]repository[:tag][@digest]`, validated with the grammar of
//! the distribution project so that anything we accept a registry accepts too.

use std::fmt;

pub const DOCKER_HUB: &str = "docker.io";
const NAME_MAX: usize = 255;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid reference format \"{input}\": {reason}")]
pub struct ReferenceError {
    pub input: String,
    pub reason: String,
}

fn err(input: &str, reason: impl Into<String>) -> ReferenceError {
    ReferenceError {
        input: input.to_string(),
        reason: reason.into(),
    }
}

/// A parsed reference. `registry` is empty for a short name that has not been resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl Reference {
    /// Parse a fully qualified or short reference; does NOT resolve short names.
    ///
    /// `docker.io/busybox` becomes `docker.io/library/busybox`, as every Docker Hub client does.
    pub fn parse(s: &str) -> Result<Reference, ReferenceError> {
        if s.is_empty() {
            return Err(err(s, "empty reference"));
        }
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => {
                validate_digest(d).map_err(|reason| err(s, reason))?;
                (r, Some(d.to_string()))
            }
            None => (s, None),
        };
        // A ':' after the last '/' starts a tag; one before it belongs to a registry port.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].find(':') {
            Some(i) => {
                let tag = &rest[last_slash + i + 1..];
                if !valid_tag(tag) {
                    return Err(err(
                        s,
                        format!("invalid tag \"{tag}\": a tag is at most 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'"),
                    ));
                }
                (&rest[..last_slash + i], Some(tag.to_string()))
            }
            None => (rest, None),
        };
        if name.is_empty() {
            return Err(err(s, "missing repository name"));
        }
        if name.len() > NAME_MAX {
            return Err(err(
                s,
                format!("repository name is longer than {NAME_MAX} characters"),
            ));
        }
        let (registry, path) = match name.split_once('/') {
            Some((first, path)) if is_registry_component(first) => {
                validate_registry(first).map_err(|reason| err(s, reason))?;
                (first.to_string(), path)
            }
            _ => (String::new(), name),
        };
        validate_path(path).map_err(|reason| err(s, reason))?;
        let mut repository = path.to_string();
        let registry = if registry == "index.docker.io" {
            DOCKER_HUB.to_string()
        } else {
            registry
        };
        if registry == DOCKER_HUB && !repository.contains('/') {
            repository = format!("library/{repository}");
        }
        Ok(Reference {
            registry,
            repository,
            tag,
            digest,
        })
    }

    /// True when the first path component is not a registry (no '.', ':' and not "localhost").
    pub fn is_short_name(s: &str) -> bool {
        let name = s.split('@').next().unwrap_or(s);
        match name.split_once('/') {
            Some((first, _)) => !is_registry_component(first),
            None => true,
        }
    }

    /// Docker Hub normalisation: "busybox" -> docker.io/library/busybox:latest; adds "latest"
    /// when no tag/digest.
    pub fn normalize_docker_hub(s: &str) -> Result<Reference, ReferenceError> {
        let mut r = Reference::parse(s)?;
        if r.registry.is_empty() {
            r.registry = DOCKER_HUB.to_string();
            if !r.repository.contains('/') {
                r.repository = format!("library/{}", r.repository);
            }
        }
        r.default_tag();
        Ok(r)
    }

    /// Adds the `latest` tag when neither a tag nor a digest is given.
    pub fn default_tag(&mut self) {
        if self.tag.is_none() && self.digest.is_none() {
            self.tag = Some("latest".to_string());
        }
    }

    pub fn is_qualified(&self) -> bool {
        !self.registry.is_empty()
    }

    /// registry/repository (e.g. docker.io/library/busybox).
    pub fn name(&self) -> String {
        if self.registry.is_empty() {
            self.repository.clone()
        } else {
            format!("{}/{}", self.registry, self.repository)
        }
    }

    /// The digest if present, else the tag, else "latest".
    pub fn tag_or_digest(&self) -> &str {
        self.digest
            .as_deref()
            .or(self.tag.as_deref())
            .unwrap_or("latest")
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Reference {
    type Err = ReferenceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Reference::parse(s)
    }
}

fn is_registry_component(first: &str) -> bool {
    first.contains('.') || first.contains(':') || first == "localhost"
}

/// host[:port], where host is a DNS name, an IPv4 address or a bracketed IPv6 address.
fn validate_registry(reg: &str) -> Result<(), String> {
    let (host, port) = if let Some(rest) = reg.strip_prefix('[') {
        let Some((v6, after)) = rest.split_once(']') else {
            return Err(format!("invalid registry \"{reg}\": unclosed '['"));
        };
        if v6.is_empty() || !v6.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return Err(format!("invalid registry \"{reg}\": bad IPv6 address"));
        }
        match after.strip_prefix(':') {
            Some(p) => (None, Some(p)),
            None if after.is_empty() => (None, None),
            None => return Err(format!("invalid registry \"{reg}\"")),
        }
    } else {
        match reg.split_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(reg), None),
        }
    };
    if let Some(host) = host {
        let ok = !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            });
        if !ok {
            return Err(format!("invalid registry host \"{reg}\""));
        }
    }
    if let Some(port) = port {
        if port.is_empty() || !port.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("invalid registry port in \"{reg}\""));
        }
    }
    Ok(())
}

/// Path components: `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`, separated by '/'.
fn validate_path(path: &str) -> Result<(), String> {
    if path.chars().any(|c| c.is_ascii_uppercase()) {
        return Err("repository name must be lowercase".to_string());
    }
    for comp in path.split('/') {
        if !valid_component(comp) {
            return Err(format!(
                "invalid repository name component \"{comp}\": use lowercase letters, digits and single '.', '_', '__' or '-' separators"
            ));
        }
    }
    Ok(())
}

fn valid_component(comp: &str) -> bool {
    let b = comp.as_bytes();
    if b.is_empty() {
        return false;
    }
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut i = 0;
    loop {
        // one run of alphanumerics
        let start = i;
        while i < b.len() && alnum(b[i]) {
            i += 1;
        }
        if i == start {
            return false;
        }
        if i == b.len() {
            return true;
        }
        // one separator
        match b[i] {
            b'.' => i += 1,
            b'_' => {
                i += 1;
                if i < b.len() && b[i] == b'_' {
                    i += 1;
                }
            }
            b'-' => {
                while i < b.len() && b[i] == b'-' {
                    i += 1;
                }
            }
            _ => return false,
        }
    }
}

fn valid_tag(tag: &str) -> bool {
    let b = tag.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b[1..].iter().all(|&c| word(c) || c == b'.' || c == b'-')
}

/// `algorithm:encoded`; sha256 must be 64 lowercase hex digits.
pub fn validate_digest(d: &str) -> Result<(), String> {
    let Some((alg, enc)) = d.split_once(':') else {
        return Err(format!("invalid digest \"{d}\": expected algorithm:hex"));
    };
    let alg_ok = !alg.is_empty()
        && alg.split(['+', '.', '_', '-']).all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if !alg_ok {
        return Err(format!("invalid digest algorithm in \"{d}\""));
    }
    match alg {
        "sha256" if enc.len() != 64 => Err(format!(
            "invalid digest \"{d}\": sha256 needs 64 hex digits, got {}",
            enc.len()
        )),
        "sha512" if enc.len() != 128 => Err(format!(
            "invalid digest \"{d}\": sha512 needs 128 hex digits, got {}",
            enc.len()
        )),
        "sha256" | "sha512" if !enc.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')) => {
            Err(format!("invalid digest \"{d}\": not lowercase hex"))
        }
        _ if enc.len() < 32
            || !enc
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'=' | b'_' | b'-')) =>
        {
            Err(format!("invalid digest \"{d}\""))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn qualified() {
        let r = Reference::parse("quay.io/podman/stable:v5").unwrap();
        assert_eq!(r.registry, "quay.io");
        assert_eq!(r.repository, "podman/stable");
        assert_eq!(r.tag.as_deref(), Some("v5"));
        assert_eq!(r.to_string(), "quay.io/podman/stable:v5");
        assert_eq!(r.name(), "quay.io/podman/stable");
    }

    #[test]
    fn port_and_digest() {
        let r = Reference::parse(&format!("127.0.0.1:5000/lodger-test/small:latest@{D}")).unwrap();
        assert_eq!(r.registry, "127.0.0.1:5000");
        assert_eq!(r.repository, "lodger-test/small");
        assert_eq!(r.tag.as_deref(), Some("latest"));
        assert_eq!(r.digest.as_deref(), Some(D));
        assert_eq!(r.tag_or_digest(), D);
        let r = Reference::parse("localhost:5000/a").unwrap();
        assert_eq!(r.registry, "localhost:5000");
        assert_eq!(r.tag_or_digest(), "latest");
        let r = Reference::parse("localhost/a/b").unwrap();
        assert_eq!(r.registry, "localhost");
        let r = Reference::parse("[::1]:5000/a").unwrap();
        assert_eq!(r.registry, "[::1]:5000");
    }

    #[test]
    fn short_names() {
        assert!(Reference::is_short_name("busybox"));
        assert!(Reference::is_short_name("library/busybox:1"));
        assert!(Reference::is_short_name("user/repo/sub"));
        assert!(!Reference::is_short_name("docker.io/busybox"));
        assert!(!Reference::is_short_name("localhost/busybox"));
        assert!(!Reference::is_short_name("host:5000/busybox"));
        let r = Reference::parse("busybox:1.36").unwrap();
        assert_eq!(r.registry, "");
        assert_eq!(r.repository, "busybox");
        assert_eq!(r.to_string(), "busybox:1.36");
    }

    #[test]
    fn docker_hub() {
        let r = Reference::normalize_docker_hub("busybox").unwrap();
        assert_eq!(r.to_string(), "docker.io/library/busybox:latest");
        let r = Reference::normalize_docker_hub("user/app:1").unwrap();
        assert_eq!(r.to_string(), "docker.io/user/app:1");
        let r = Reference::normalize_docker_hub(&format!("busybox@{D}")).unwrap();
        assert_eq!(r.to_string(), format!("docker.io/library/busybox@{D}"));
        let r = Reference::parse("docker.io/busybox").unwrap();
        assert_eq!(r.name(), "docker.io/library/busybox");
        let r = Reference::parse("index.docker.io/busybox").unwrap();
        assert_eq!(r.name(), "docker.io/library/busybox");
    }

    #[test]
    fn errors() {
        let e = Reference::parse("Foo").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid reference format \"Foo\": repository name must be lowercase"
        );
        for bad in [
            "",
            "a:",
            "a:.x",
            "a@sha256:12",
            "a@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
            "a@nodigest",
            "a//b",
            "a/-b",
            "a..b",
            "a___b",
            "quay.io/",
            "bad_host.io/a",
            "host:port/a",
        ] {
            assert!(Reference::parse(bad).is_err(), "{bad} should fail");
        }
        let long_tag = "t".repeat(129);
        assert!(Reference::parse(&format!("a:{long_tag}")).is_err());
        assert!(Reference::parse(&format!("a:{}", "t".repeat(128))).is_ok());
        assert!(Reference::parse(&"a".repeat(256)).is_err());
    }

    #[test]
    fn separators() {
        for good in ["a.b", "a_b", "a__b", "a---b", "a-b_c.d", "0/1"] {
            assert!(Reference::parse(good).is_ok(), "{good} should parse");
        }
    }
}
