//! certs.d: per-registry extra CAs (`*.crt`) and client certificates (`*.cert` + `*.key`).

use super::{user_config_dir, ConfigError};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCertPair {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// What one certs.d directory holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertsDir {
    pub dir: PathBuf,
    /// Each `*.crt` file (PEM, possibly several certificates), sorted by name.
    pub ca_files: Vec<PathBuf>,
    pub client: Vec<ClientCertPair>,
}

/// The certs.d directory for `host[:port]`: `cert_dir` when given, else the first existing of
/// the per-user, the containers and the docker directory.
pub fn certs_dir(host_port: &str, cert_dir: Option<&Path>) -> Option<PathBuf> {
    if let Some(d) = cert_dir {
        return Some(d.to_path_buf());
    }
    let mut bases = Vec::new();
    if let Some(c) = user_config_dir() {
        bases.push(c.join("containers/certs.d"));
    }
    bases.push(PathBuf::from("/etc/containers/certs.d"));
    bases.push(PathBuf::from("/etc/docker/certs.d"));
    first_existing(host_port, &bases)
}

fn first_existing(host_port: &str, bases: &[PathBuf]) -> Option<PathBuf> {
    // A host name with a path separator or "..", taken from user input, must not escape.
    if host_port.is_empty() || host_port.contains('/') || host_port.starts_with('.') {
        return None;
    }
    bases.iter().map(|b| b.join(host_port)).find(|d| d.is_dir())
}

/// Read a certs.d directory. A missing directory is empty; a `.cert` without its `.key` (or
/// the reverse) is an error, as in Podman, because the user meant to configure something.
pub fn load_certs_dir(dir: &Path) -> Result<CertsDir, ConfigError> {
    let mut out = CertsDir {
        dir: dir.to_path_buf(),
        ..CertsDir::default()
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(source) => {
            return Err(ConfigError::Read {
                path: dir.to_path_buf(),
                source,
            })
        }
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    for name in &names {
        if name.ends_with(".crt") {
            out.ca_files.push(dir.join(name));
        } else if let Some(stem) = name.strip_suffix(".cert") {
            let key = format!("{stem}.key");
            if !names.contains(&key) {
                return Err(ConfigError::MissingKey {
                    dir: dir.to_path_buf(),
                    cert: name.clone(),
                    key,
                });
            }
            out.client.push(ClientCertPair {
                cert: dir.join(name),
                key: dir.join(key),
            });
        } else if let Some(stem) = name.strip_suffix(".key") {
            let cert = format!("{stem}.cert");
            if !names.contains(&cert) {
                return Err(ConfigError::MissingCert {
                    dir: dir.to_path_buf(),
                    key: name.clone(),
                    cert,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_existing_directory_wins() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("a");
        let b = tmp.path().join("b");
        std::fs::create_dir_all(b.join("reg:5000")).unwrap();
        let bases = vec![a.clone(), b.clone()];
        assert_eq!(first_existing("reg:5000", &bases), Some(b.join("reg:5000")));
        std::fs::create_dir_all(a.join("reg:5000")).unwrap();
        assert_eq!(first_existing("reg:5000", &bases), Some(a.join("reg:5000")));
        assert_eq!(first_existing("other", &bases), None);
        assert_eq!(first_existing("../a", &bases), None);
        assert_eq!(
            certs_dir("x", Some(Path::new("/somewhere"))),
            Some(PathBuf::from("/somewhere"))
        );
    }

    #[test]
    fn reads_cas_and_pairs() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        for f in ["ca.crt", "b.crt", "client.cert", "client.key", "README"] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        let c = load_certs_dir(d).unwrap();
        assert_eq!(c.ca_files, [d.join("b.crt"), d.join("ca.crt")]);
        assert_eq!(
            c.client,
            [ClientCertPair {
                cert: d.join("client.cert"),
                key: d.join("client.key")
            }]
        );
        std::fs::write(d.join("lonely.cert"), "x").unwrap();
        let e = load_certs_dir(d).unwrap_err().to_string();
        assert!(e.contains("lonely.key"), "{e}");
        std::fs::remove_file(d.join("lonely.cert")).unwrap();
        std::fs::write(d.join("orphan.key"), "x").unwrap();
        assert!(load_certs_dir(d).is_err());
        assert_eq!(
            load_certs_dir(&d.join("missing")).unwrap().ca_files.len(),
            0
        );
    }
}
