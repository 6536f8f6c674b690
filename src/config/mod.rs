//! Podman's registry configuration: registries.conf (v2 TOML, with v1 tables understood),
//! its drop-in directories, and the per-registry certs.d directories.

mod certs;

pub use certs::{certs_dir, load_certs_dir, CertsDir, ClientCertPair};

use crate::reference::{Reference, ReferenceError, DOCKER_HUB};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: invalid registries.conf: {reason}")]
    Parse { path: PathBuf, reason: String },
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    #[error("short name \"{0}\" cannot be resolved: no registry to search (set unqualified-search-registries in registries.conf or use a fully qualified name)")]
    NoCandidates(String),
    #[error("{dir}: client certificate {cert} has no matching key {key}")]
    MissingKey {
        dir: PathBuf,
        cert: String,
        key: String,
    },
    #[error("{dir}: key {key} has no matching client certificate {cert}")]
    MissingCert {
        dir: PathBuf,
        key: String,
        cert: String,
    },
}

/// One `[[registry]]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryEntry {
    /// Which references the entry applies to: `host[:port][/path]` or `*.domain`.
    pub prefix: String,
    /// Where they are actually pulled from (defaults to the prefix).
    pub location: String,
    pub insecure: bool,
    pub blocked: bool,
}

/// The merged result of registries.conf and its drop-ins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistriesConf {
    pub unqualified_search_registries: Vec<String>,
    pub registries: Vec<RegistryEntry>,
    pub aliases: BTreeMap<String, String>,
    /// The files that were read, in order (for `lodger info` and error messages).
    pub sources: Vec<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawFile {
    unqualified_search_registries: Option<Vec<String>>,
    #[serde(default)]
    registry: Vec<RawRegistry>,
    aliases: Option<BTreeMap<String, String>>,
    /// v1 format: `[registries.search]`, `[registries.insecure]`, `[registries.block]`.
    registries: Option<RawV1>,
}

#[derive(Debug, Default, Deserialize)]
struct RawRegistry {
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    insecure: bool,
    #[serde(default)]
    blocked: bool,
}

#[derive(Debug, Default, Deserialize)]
struct RawV1 {
    search: Option<RawV1List>,
    insecure: Option<RawV1List>,
    block: Option<RawV1List>,
}

#[derive(Debug, Default, Deserialize)]
struct RawV1List {
    #[serde(default)]
    registries: Vec<String>,
}

/// Which files `load` reads: one main file and drop-in directories, lowest priority first.
#[derive(Debug, Clone, Default)]
pub struct ConfPaths {
    pub main: PathBuf,
    pub dropin_dirs: Vec<PathBuf>,
}

impl ConfPaths {
    /// Podman's choice of files, from the environment.
    pub fn from_env() -> ConfPaths {
        if let Some(p) = std::env::var_os("CONTAINERS_REGISTRIES_CONF").filter(|v| !v.is_empty()) {
            return ConfPaths {
                main: PathBuf::from(p),
                dropin_dirs: Vec::new(),
            };
        }
        let user_dir = user_config_dir().map(|d| d.join("containers"));
        Self::choose(user_dir.as_deref(), Path::new("/etc/containers"))
    }

    /// The per-user file replaces the system one (and the system drop-ins) when it exists.
    fn choose(user_dir: Option<&Path>, system_dir: &Path) -> ConfPaths {
        if let Some(user) = user_dir {
            let file = user.join("registries.conf");
            if file.exists() {
                return ConfPaths {
                    main: file,
                    dropin_dirs: vec![user.join("registries.conf.d")],
                };
            }
        }
        let mut dropin_dirs = vec![system_dir.join("registries.conf.d")];
        if let Some(user) = user_dir {
            dropin_dirs.push(user.join("registries.conf.d"));
        }
        ConfPaths {
            main: system_dir.join("registries.conf"),
            dropin_dirs,
        }
    }
}

/// `$XDG_CONFIG_HOME` or `~/.config`.
pub(crate) fn user_config_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home_dir().map(|h| h.join(".config")))
}

pub(crate) fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

impl RegistriesConf {
    pub fn load() -> Result<RegistriesConf, ConfigError> {
        Self::load_from(&ConfPaths::from_env())
    }

    /// A missing main file or drop-in directory is not an error: Podman works without them.
    pub fn load_from(paths: &ConfPaths) -> Result<RegistriesConf, ConfigError> {
        let mut conf = RegistriesConf::default();
        let mut files = Vec::new();
        if paths.main.exists() {
            files.push(paths.main.clone());
        }
        // A drop-in in a later directory replaces one of the same name in an earlier directory.
        let mut dropins: BTreeMap<std::ffi::OsString, PathBuf> = BTreeMap::new();
        for dir in &paths.dropin_dirs {
            let entries = match std::fs::read_dir(dir) {
                Ok(e) => e,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => {
                    return Err(ConfigError::Read {
                        path: dir.clone(),
                        source,
                    })
                }
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "conf") && path.is_file() {
                    dropins.insert(entry.file_name(), path);
                }
            }
        }
        files.extend(dropins.into_values());
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                path: path.clone(),
                source,
            })?;
            conf.merge_str(&text, &path)?;
        }
        Ok(conf)
    }

    /// Parse one file's worth of TOML (for tests and for `--registries-conf` style callers).
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(toml: &str) -> Result<RegistriesConf, ConfigError> {
        let mut conf = RegistriesConf::default();
        conf.merge_str(toml, Path::new("<string>"))?;
        Ok(conf)
    }

    /// Apply one file over what was read so far, as containers/image merges drop-ins: search
    /// registries are replaced when set, registry tables replaced by prefix, aliases per key.
    pub fn merge_str(&mut self, toml: &str, path: &Path) -> Result<(), ConfigError> {
        let perr = |reason: String| ConfigError::Parse {
            path: path.to_path_buf(),
            reason,
        };
        let raw: RawFile = toml::from_str(toml).map_err(|e| perr(e.message().to_string()))?;
        let mut entries = Vec::new();
        for r in raw.registry {
            let prefix = if r.prefix.is_empty() {
                r.location.clone()
            } else {
                r.prefix
            };
            if prefix.is_empty() {
                return Err(perr(
                    "a [[registry]] table needs a prefix or a location".to_string(),
                ));
            }
            validate_prefix(&prefix).map_err(&perr)?;
            let location = if r.location.is_empty() {
                prefix.clone()
            } else {
                r.location
            };
            entries.push(RegistryEntry {
                prefix,
                location,
                insecure: r.insecure,
                blocked: r.blocked,
            });
        }
        let mut search = raw.unqualified_search_registries;
        if let Some(v1) = raw.registries {
            if !entries.is_empty() {
                return Err(perr(
                    "mixes the v1 [registries.*] tables with v2 [[registry]] tables".to_string(),
                ));
            }
            if let Some(s) = v1.search {
                search = Some(s.registries);
            }
            for (list, insecure) in [(v1.insecure, true), (v1.block, false)] {
                for host in list.map(|l| l.registries).unwrap_or_default() {
                    match entries
                        .iter_mut()
                        .find(|e: &&mut RegistryEntry| e.prefix == host)
                    {
                        Some(e) if insecure => e.insecure = true,
                        Some(e) => e.blocked = true,
                        None => entries.push(RegistryEntry {
                            prefix: host.clone(),
                            location: host,
                            insecure,
                            blocked: !insecure,
                        }),
                    }
                }
            }
        }
        if let Some(s) = search {
            for r in &s {
                if r.contains('/') || r.is_empty() {
                    return Err(perr(format!(
                        "unqualified-search-registries entry \"{r}\" must be a host[:port]"
                    )));
                }
            }
            self.unqualified_search_registries = s;
        }
        for e in entries {
            match self.registries.iter_mut().find(|x| x.prefix == e.prefix) {
                Some(x) => *x = e,
                None => self.registries.push(e),
            }
        }
        if let Some(aliases) = raw.aliases {
            for (k, v) in aliases {
                if v.is_empty() {
                    // An empty value in a later file removes an alias of an earlier one.
                    self.aliases.remove(&k);
                    continue;
                }
                let target = Reference::parse(&v).map_err(|e| perr(e.to_string()))?;
                if !target.is_qualified() {
                    return Err(perr(format!(
                        "alias \"{k}\" = \"{v}\": the target must be fully qualified"
                    )));
                }
                self.aliases.insert(k, v);
            }
        }
        self.sources.push(path.to_path_buf());
        Ok(())
    }

    /// Candidates to try for an input from the user, in order: qualified -> [itself];
    /// alias -> [alias target]; short -> one per unqualified-search registry (docker.io gets
    /// the library/ prefix for one-component names); when no search registries are
    /// configured, fall back to docker.io (Docker Hub normalisation).
    pub fn candidates(&self, input: &str) -> Result<Vec<Reference>, ConfigError> {
        let mut parsed = Reference::parse(input)?;
        if parsed.is_qualified() {
            parsed.default_tag();
            return Ok(vec![parsed]);
        }
        if let Some(target) = self.alias_for(&parsed.repository) {
            let mut r = Reference::parse(target)?;
            // The user's tag or digest wins over one in the alias.
            if parsed.tag.is_some() || parsed.digest.is_some() {
                r.tag = parsed.tag.clone();
                r.digest = parsed.digest.clone();
            }
            r.default_tag();
            return Ok(vec![r]);
        }
        let registries: Vec<&str> = if self.unqualified_search_registries.is_empty() {
            vec![DOCKER_HUB]
        } else {
            self.unqualified_search_registries
                .iter()
                .map(String::as_str)
                .collect()
        };
        let mut out = Vec::new();
        for reg in registries {
            let mut r = parsed.clone();
            r.registry = if reg == "index.docker.io" {
                DOCKER_HUB.to_string()
            } else {
                reg.to_string()
            };
            if r.registry == DOCKER_HUB && !r.repository.contains('/') {
                r.repository = format!("library/{}", r.repository);
            }
            r.default_tag();
            if !out.contains(&r) {
                out.push(r);
            }
        }
        if out.is_empty() {
            return Err(ConfigError::NoCandidates(input.to_string()));
        }
        Ok(out)
    }

    /// Aliases are keyed by short names without tag; Docker Hub's `library/x` also finds `x`.
    fn alias_for(&self, repository: &str) -> Option<&str> {
        self.aliases
            .get(repository)
            .or_else(|| {
                repository
                    .strip_prefix("library/")
                    .and_then(|r| self.aliases.get(r))
            })
            .map(String::as_str)
    }

    /// The `[[registry]]` table that applies to a host or reference name: longest prefix wins.
    pub fn find(&self, name: &str) -> Option<&RegistryEntry> {
        self.registries
            .iter()
            .filter(|e| prefix_matches(&e.prefix, name))
            .max_by_key(|e| e.prefix.len())
    }

    pub fn is_insecure(&self, registry: &str) -> bool {
        self.find(registry).is_some_and(|e| e.insecure)
    }

    pub fn is_blocked(&self, registry: &str) -> bool {
        self.find(registry).is_some_and(|e| e.blocked)
    }

    /// The reference to actually contact: the matching table's location replaces its prefix.
    pub fn pull_source(&self, r: &Reference) -> Reference {
        let name = r.name();
        let Some(e) = self.find(&name) else {
            return r.clone();
        };
        if e.prefix.starts_with("*.") || e.prefix == e.location {
            return r.clone();
        }
        let rewritten = format!("{}{}", e.location, &name[e.prefix.len()..]);
        match Reference::parse(&rewritten) {
            Ok(mut n) => {
                n.tag = r.tag.clone();
                n.digest = r.digest.clone();
                n
            }
            Err(_) => r.clone(),
        }
    }
}

impl std::str::FromStr for RegistriesConf {
    type Err = ConfigError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegistriesConf::from_str(s)
    }
}

fn validate_prefix(prefix: &str) -> Result<(), String> {
    if let Some(domain) = prefix.strip_prefix("*.") {
        if domain.is_empty() || domain.contains(['/', '*', '@', ':']) {
            return Err(format!(
                "invalid prefix \"{prefix}\": a wildcard prefix is only \"*.domain\""
            ));
        }
        return Ok(());
    }
    if prefix.contains('*') {
        return Err(format!(
            "invalid prefix \"{prefix}\": '*' is only allowed as a leading \"*.\""
        ));
    }
    Ok(())
}

/// `name` is `prefix` or continues it at a path, tag or digest boundary; `*.domain` matches
/// any host under that domain.
fn prefix_matches(prefix: &str, name: &str) -> bool {
    if let Some(domain) = prefix.strip_prefix("*.") {
        let host = name.split('/').next().unwrap_or(name);
        let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
        return host.ends_with(&format!(".{domain}"));
    }
    match name.strip_prefix(prefix) {
        Some("") => true,
        Some(rest) => rest.starts_with(['/', ':', '@']),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[Reference]) -> Vec<String> {
        v.iter().map(|r| r.to_string()).collect()
    }

    #[test]
    fn search_registries_and_library_prefix() {
        let c =
            RegistriesConf::from_str(r#"unqualified-search-registries = ["quay.io", "docker.io"]"#)
                .unwrap();
        assert_eq!(
            names(&c.candidates("busybox").unwrap()),
            ["quay.io/busybox:latest", "docker.io/library/busybox:latest"]
        );
        assert_eq!(
            names(&c.candidates("user/app:1").unwrap()),
            ["quay.io/user/app:1", "docker.io/user/app:1"]
        );
        assert_eq!(
            names(&c.candidates("example.com/a").unwrap()),
            ["example.com/a:latest"]
        );
    }

    #[test]
    fn no_search_registries_means_docker_hub() {
        let c = RegistriesConf::from_str("").unwrap();
        assert_eq!(
            names(&c.candidates("busybox").unwrap()),
            ["docker.io/library/busybox:latest"]
        );
    }

    #[test]
    fn aliases() {
        let c = RegistriesConf::from_str(
            r#"
unqualified-search-registries = ["quay.io"]
[aliases]
"busybox" = "docker.io/library/busybox"
"tagged" = "example.com/x/y:2"
"#,
        )
        .unwrap();
        assert_eq!(
            names(&c.candidates("busybox:1.36").unwrap()),
            ["docker.io/library/busybox:1.36"]
        );
        assert_eq!(
            names(&c.candidates("busybox").unwrap()),
            ["docker.io/library/busybox:latest"]
        );
        assert_eq!(
            names(&c.candidates("tagged").unwrap()),
            ["example.com/x/y:2"]
        );
        assert!(RegistriesConf::from_str("[aliases]\n\"x\" = \"short\"\n").is_err());
    }

    #[test]
    fn registry_tables() {
        let c = RegistriesConf::from_str(
            r#"
[[registry]]
location = "127.0.0.1:5000"
insecure = true

[[registry]]
prefix = "example.com/blocked"
location = "example.com/blocked"
blocked = true

[[registry]]
prefix = "*.internal"
insecure = true

[[registry]]
prefix = "mirror.me/x"
location = "real.host:5000/y"
"#,
        )
        .unwrap();
        assert!(c.is_insecure("127.0.0.1:5000"));
        assert!(!c.is_insecure("127.0.0.1:5001"));
        assert!(!c.is_blocked("example.com"));
        assert!(c.is_blocked("example.com/blocked/img"));
        assert!(!c.is_blocked("example.com/blockedx"));
        assert!(c.is_insecure("reg.internal:443"));
        assert!(!c.is_insecure("internal"));
        let r = Reference::parse("mirror.me/x/z:1").unwrap();
        assert_eq!(c.pull_source(&r).to_string(), "real.host:5000/y/z:1");
        assert!(RegistriesConf::from_str("[[registry]]\ninsecure = true\n").is_err());
        assert!(RegistriesConf::from_str("[[registry]]\nprefix = \"a*b\"\n").is_err());
        assert!(RegistriesConf::from_str("this is = not toml =").is_err());
    }

    #[test]
    fn v1_format() {
        let c = RegistriesConf::from_str(
            r#"
[registries.search]
registries = ["docker.io", "quay.io"]
[registries.insecure]
registries = ["localhost:5000"]
[registries.block]
registries = ["bad.io"]
"#,
        )
        .unwrap();
        assert_eq!(c.unqualified_search_registries, ["docker.io", "quay.io"]);
        assert!(c.is_insecure("localhost:5000"));
        assert!(c.is_blocked("bad.io"));
    }

    #[test]
    fn dropins_override_in_order() {
        let tmp = tempfile::tempdir().unwrap();
        let sys = tmp.path().join("etc");
        let user = tmp.path().join("user");
        std::fs::create_dir_all(sys.join("registries.conf.d")).unwrap();
        std::fs::create_dir_all(user.join("registries.conf.d")).unwrap();
        std::fs::write(
            sys.join("registries.conf"),
            r#"
unqualified-search-registries = ["a.io"]
[[registry]]
location = "x.io"
insecure = true
[aliases]
"one" = "a.io/one"
"two" = "a.io/two"
"#,
        )
        .unwrap();
        std::fs::write(
            sys.join("registries.conf.d/10-b.conf"),
            "unqualified-search-registries = [\"b.io\"]\n[aliases]\n\"one\" = \"b.io/one\"\n",
        )
        .unwrap();
        std::fs::write(
            sys.join("registries.conf.d/20-c.conf"),
            "[[registry]]\nlocation = \"x.io\"\nblocked = true\n",
        )
        .unwrap();
        // Same name in the user directory replaces the system drop-in.
        std::fs::write(
            user.join("registries.conf.d/20-c.conf"),
            "[aliases]\n\"two\" = \"\"\n",
        )
        .unwrap();
        std::fs::write(sys.join("registries.conf.d/ignored.txt"), "garbage =").unwrap();

        let paths = ConfPaths::choose(Some(&user), &sys);
        assert_eq!(paths.main, sys.join("registries.conf"));
        let c = RegistriesConf::load_from(&paths).unwrap();
        assert_eq!(c.unqualified_search_registries, ["b.io"]);
        assert_eq!(c.aliases.get("one").map(String::as_str), Some("b.io/one"));
        assert!(!c.aliases.contains_key("two"));
        assert!(c.is_insecure("x.io"));
        assert!(!c.is_blocked("x.io"));
        assert_eq!(c.sources.len(), 3);

        // With a per-user registries.conf, system files are not read at all.
        std::fs::write(user.join("registries.conf"), "").unwrap();
        let paths = ConfPaths::choose(Some(&user), &sys);
        assert_eq!(paths.main, user.join("registries.conf"));
        let c = RegistriesConf::load_from(&paths).unwrap();
        assert!(c.unqualified_search_registries.is_empty());
        assert!(!c.is_insecure("x.io"));
    }

    #[test]
    fn missing_files_are_empty() {
        let tmp = tempfile::tempdir().unwrap();
        let c = RegistriesConf::load_from(&ConfPaths {
            main: tmp.path().join("nope.conf"),
            dropin_dirs: vec![tmp.path().join("nope.d")],
        })
        .unwrap();
        assert_eq!(c, RegistriesConf::default());
    }
}
