//! The HTTP agent for one registry (TLS roots, client certificate, timeouts) and the
//! translation of transport failures into errors a user can act on.

use super::RegistryError;
use crate::config::{certs_dir, load_certs_dir};
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts, TlsConfig};

const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) fn build_agent(
    registry: &str,
    insecure: bool,
    cert_dir: Option<&Path>,
) -> Result<ureq::Agent, RegistryError> {
    let mut tls = TlsConfig::builder().disable_verification(insecure);
    if let Some(dir) = certs_dir(registry, cert_dir) {
        let certs = load_certs_dir(&dir)?;
        let mut roots = if insecure { Vec::new() } else { system_roots() };
        if !insecure {
            for f in &certs.ca_files {
                roots.extend(read_pem_certs(f)?);
            }
        }
        if !roots.is_empty() {
            tls = tls.root_certs(RootCerts::new_with_certs(&roots));
        }
        if let Some(pair) = certs.client.first() {
            tls = tls.client_cert(Some(client_cert(&pair.cert, &pair.key)?));
        }
    } else if !insecure {
        let roots = system_roots();
        if !roots.is_empty() {
            tls = tls.root_certs(RootCerts::new_with_certs(&roots));
        }
    }
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .user_agent(concat!("lodger/", env!("CARGO_PKG_VERSION")))
        .redirect_auth_headers(ureq::config::RedirectAuthHeaders::SameHost)
        .tls_config(tls.build())
        .build();
    Ok(config.new_agent())
}

/// The distribution's CA bundle; without it ureq's built-in web roots are used.
fn system_roots() -> Vec<Certificate<'static>> {
    let Ok(pem) = std::fs::read(SYSTEM_BUNDLE) else {
        return Vec::new();
    };
    ureq::tls::parse_pem(&pem)
        .filter_map(|item| match item {
            Ok(PemItem::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect()
}

fn read_pem_certs(path: &Path) -> Result<Vec<Certificate<'static>>, RegistryError> {
    let bad = |reason: String| RegistryError::CertFile {
        path: path.to_path_buf(),
        reason,
    };
    let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let mut out = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        if let PemItem::Certificate(c) = item.map_err(|e| bad(e.to_string()))? {
            out.push(c);
        }
    }
    if out.is_empty() {
        return Err(bad("no PEM certificate in the file".to_string()));
    }
    Ok(out)
}

/// Load a client certificate and check that the key belongs to it: ureq would panic on a
/// mismatch when it first connects.
fn client_cert(cert: &Path, key: &Path) -> Result<ClientCert, RegistryError> {
    let chain = read_pem_certs(cert)?;
    let bad = |reason: String| RegistryError::CertFile {
        path: key.to_path_buf(),
        reason,
    };
    let key_pem = std::fs::read(key).map_err(|e| bad(e.to_string()))?;
    let private = PrivateKey::from_pem(&key_pem).map_err(|e| bad(e.to_string()))?;
    let der_chain = chain
        .iter()
        .map(|c| rustls::pki_types::CertificateDer::from(c.der().to_vec()))
        .collect();
    let der_key = rustls::pki_types::PrivateKeyDer::try_from(private.der().to_vec())
        .map_err(|e| bad(e.to_string()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    rustls::sign::CertifiedKey::from_der(der_chain, der_key, &provider).map_err(|e| {
        bad(format!(
            "does not match client certificate {}: {e}",
            cert.display()
        ))
    })?;
    Ok(ClientCert::new_with_certs(&chain, private))
}

/// How a request failed before any HTTP status was seen.
pub(crate) enum Failure {
    Refused,
    NotResolved,
    Untrusted(String),
    /// Something answered, but not with TLS: most likely a plain HTTP registry.
    NotTls(String),
    /// Worth one more try with a fresh connection.
    Reset(String),
    Other(String),
}

pub(crate) fn classify(e: &ureq::Error) -> Failure {
    match e {
        ureq::Error::HostNotFound => Failure::NotResolved,
        ureq::Error::Io(io) => classify_io(io),
        ureq::Error::Timeout(t) => Failure::Other(format!("timed out ({t})")),
        other => Failure::Other(other.to_string()),
    }
}

fn classify_io(e: &io::Error) -> Failure {
    if let Some(tls) = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
        return match tls {
            rustls::Error::InvalidCertificate(c) => Failure::Untrusted(format!("{c:?}")),
            rustls::Error::InvalidMessage(_) => Failure::NotTls(tls.to_string()),
            other => Failure::Other(format!("TLS: {other}")),
        };
    }
    match e.kind() {
        io::ErrorKind::ConnectionRefused => Failure::Refused,
        io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::BrokenPipe
        | io::ErrorKind::UnexpectedEof => Failure::Reset(e.to_string()),
        _ => Failure::Other(e.to_string()),
    }
}

pub(crate) fn to_error(registry: &str, f: Failure) -> RegistryError {
    match f {
        Failure::Refused => RegistryError::Connect {
            registry: registry.to_string(),
            reason: "connection refused — is it running?".to_string(),
        },
        Failure::NotResolved => RegistryError::Connect {
            registry: registry.to_string(),
            reason: "host name not found — check the name and your DNS".to_string(),
        },
        Failure::Untrusted(detail) => RegistryError::UntrustedCertificate {
            registry: registry.to_string(),
            detail,
        },
        Failure::NotTls(detail) => RegistryError::Connect {
            registry: registry.to_string(),
            reason: format!(
                "it does not answer with HTTPS ({detail}); if it is a plain HTTP registry, use --tls-verify=false or set insecure = true for it in registries.conf"
            ),
        },
        Failure::Reset(reason) | Failure::Other(reason) => RegistryError::Connect {
            registry: registry.to_string(),
            reason,
        },
    }
}

/// Percent-encode a query value (RFC 3986 unreserved characters stay).
pub(crate) fn encode_query(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
