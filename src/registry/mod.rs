//! A blocking client for the OCI distribution API: manifests and blobs, byte for byte, with
//! Basic and Bearer authentication. One `Client` per registry host, shared between threads.

mod challenge;
mod transport;

#[cfg(test)]
mod tests;

use crate::auth::{self, Credentials};
use crate::config::RegistriesConf;
use challenge::Challenge;
use sha2::{Digest, Sha256, Sha512};
use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::Mutex;
use transport::{classify, encode_query, to_error, Failure};
use ureq::http::{Method, Response};

pub const MEDIA_OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const MEDIA_OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const MEDIA_DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const MEDIA_DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";

/// containers/image's limit: a manifest is small, a bigger answer is a broken registry.
const MAX_MANIFEST: u64 = 4 << 20;
const MAX_ERROR_BODY: u64 = 64 << 10;

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("{reference}: {what}")]
    NotFound { reference: String, what: String },
    #[error("{reason} for {registry}: use `lodger login {registry}`")]
    Unauthorized { registry: String, reason: String },
    #[error("the certificate of {registry} is not trusted ({detail}): put its CA certificate in ~/.config/containers/certs.d/{registry}/ca.crt, or use --tls-verify=false if you trust this registry")]
    UntrustedCertificate { registry: String, detail: String },
    #[error("cannot reach registry {registry}: {reason}")]
    Connect { registry: String, reason: String },
    #[error("{what}: registry answered HTTP {status}: {body}")]
    Http {
        what: String,
        status: u16,
        body: String,
    },
    #[error("digest mismatch: expected {expected}, got {actual} (the registry sent different content than its digest)")]
    DigestMismatch { expected: String, actual: String },
    #[error("registry {registry} is blocked in registries.conf")]
    Blocked { registry: String },
    #[error("{what}: invalid response from the registry: {reason}")]
    Protocol { what: String, reason: String },
    #[error("certificate file {path}: {reason}")]
    CertFile { path: PathBuf, reason: String },
    #[error("reading the data to upload for {digest}: {source}")]
    Upload {
        digest: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Auth(#[from] crate::auth::AuthError),
}

#[derive(Debug, Clone, Default)]
pub struct ClientOptions {
    /// `--tls-verify`: None follows registries.conf (`insecure`), Some(false) skips verification
    /// and allows plain HTTP.
    pub tls_verify: Option<bool>,
    pub authfile: Option<PathBuf>,
    /// Given on the command line (`--creds`, `login`); else looked up in auth files.
    pub creds: Option<Credentials>,
    pub cert_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub bytes: Vec<u8>,
    pub media_type: String,
    pub digest: String,
}

#[derive(Default)]
struct AuthState {
    challenge: Option<Challenge>,
    /// Bearer tokens by scope ("" for the unscoped /v2/ check).
    tokens: HashMap<String, String>,
}

pub struct Client {
    registry: String,
    /// Docker Hub's API does not live at docker.io.
    api_host: String,
    insecure: bool,
    agent: ureq::Agent,
    creds: Option<Credentials>,
    /// "https" or "http" once a request got an answer.
    scheme: Mutex<Option<&'static str>>,
    auth: Mutex<AuthState>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("registry", &self.registry)
            .field("insecure", &self.insecure)
            .field("creds", &self.creds)
            .finish_non_exhaustive()
    }
}

enum Body<'a> {
    Empty,
    Bytes(&'a [u8]),
    /// Can be sent once only: the request must already be authorised.
    Stream(&'a mut dyn Read),
}

impl Body<'_> {
    fn replayable(&self) -> bool {
        !matches!(self, Body::Stream(..))
    }
}

fn pull_scope(repo: &str) -> String {
    format!("repository:{repo}:pull")
}

fn push_scope(repo: &str) -> String {
    format!("repository:{repo}:pull,push")
}

fn header(resp: &Response<ureq::Body>, name: &str) -> Option<String> {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Read at most `limit` bytes of a body; errors become an empty body (it is only for messages).
fn read_small(resp: Response<ureq::Body>, limit: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = resp
        .into_body()
        .into_reader()
        .take(limit)
        .read_to_end(&mut out);
    out
}

/// The first `code` and `message` of an OCI error body.
fn error_code(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (None, None);
    };
    let first = v.get("errors").and_then(|e| e.get(0));
    let get = |k: &str| {
        first
            .and_then(|e| e.get(k))
            .and_then(|c| c.as_str())
            .map(str::to_string)
    };
    (get("code"), get("message"))
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let mut s: String = text.chars().take(300).collect();
    if text.chars().count() > 300 {
        s.push('…');
    }
    if s.is_empty() {
        s = "(empty body)".to_string();
    }
    s
}

pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

impl Client {
    pub fn new(
        registry: &str,
        opts: &ClientOptions,
        conf: &RegistriesConf,
    ) -> Result<Client, RegistryError> {
        if conf.is_blocked(registry) {
            return Err(RegistryError::Blocked {
                registry: registry.to_string(),
            });
        }
        let insecure = match opts.tls_verify {
            Some(v) => !v,
            None => conf.is_insecure(registry),
        };
        let agent = transport::build_agent(registry, insecure, opts.cert_dir.as_deref())?;
        let creds = match &opts.creds {
            Some(c) => Some(c.clone()),
            None => auth::lookup(registry, opts.authfile.as_deref())?,
        };
        let api_host = match registry {
            "docker.io" | "index.docker.io" => "registry-1.docker.io".to_string(),
            r => r.to_string(),
        };
        Ok(Client {
            registry: registry.to_string(),
            api_host,
            insecure,
            agent,
            creds,
            scheme: Mutex::new(None),
            auth: Mutex::new(AuthState::default()),
        })
    }

    pub fn registry(&self) -> &str {
        &self.registry
    }

    fn what(&self, repo: &str, reference: &str) -> String {
        let sep = if reference.contains(':') { '@' } else { ':' };
        format!("{}/{repo}{sep}{reference}", self.registry)
    }

    /// GET manifest by tag or digest; the bytes are returned exactly as served.
    pub fn get_manifest(&self, repo: &str, reference: &str) -> Result<Manifest, RegistryError> {
        let what = self.what(repo, reference);
        let resp = self.request(
            Method::GET,
            &format!("/v2/{repo}/manifests/{reference}"),
            Some(&pull_scope(repo)),
            &[("Accept", &accept_manifests())],
            Body::Empty,
        )?;
        let resp = self.expect_status(resp, &[200], &what, "manifest unknown")?;
        let content_type = header(&resp, "content-type").unwrap_or_default();
        let mut bytes = Vec::new();
        resp.into_body()
            .into_reader()
            .take(MAX_MANIFEST + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| RegistryError::Protocol {
                what: what.clone(),
                reason: format!("reading the manifest: {e}"),
            })?;
        if bytes.len() as u64 > MAX_MANIFEST {
            return Err(RegistryError::Protocol {
                what,
                reason: format!("manifest larger than {MAX_MANIFEST} bytes"),
            });
        }
        let digest = sha256_digest(&bytes);
        if reference.contains(':') {
            verify_digest(reference, &bytes, &digest)?;
        }
        Ok(Manifest {
            media_type: media_type(&content_type, &bytes),
            bytes,
            digest,
        })
    }

    /// The digest and media type of a manifest without downloading it; None when unknown.
    pub fn head_manifest(
        &self,
        repo: &str,
        reference: &str,
    ) -> Result<Option<(String, String)>, RegistryError> {
        let what = self.what(repo, reference);
        let resp = self.request(
            Method::HEAD,
            &format!("/v2/{repo}/manifests/{reference}"),
            Some(&pull_scope(repo)),
            &[("Accept", &accept_manifests())],
            Body::Empty,
        )?;
        if resp.status().as_u16() == 404 {
            return Ok(None);
        }
        let resp = self.expect_status(resp, &[200], &what, "manifest unknown")?;
        let digest = header(&resp, "docker-content-digest");
        let content_type = header(&resp, "content-type").unwrap_or_default();
        match digest {
            Some(d) if !content_type.is_empty() => Ok(Some((d, media_type(&content_type, &[])))),
            // Without the headers only the body can tell.
            _ => {
                let m = self.get_manifest(repo, reference)?;
                Ok(Some((m.digest, m.media_type)))
            }
        }
    }

    /// Streaming blob body (the caller hashes and verifies) and its length when known.
    pub fn get_blob(
        &self,
        repo: &str,
        digest: &str,
    ) -> Result<(Box<dyn Read + Send>, Option<u64>), RegistryError> {
        let what = self.what(repo, digest);
        let resp = self.request(
            Method::GET,
            &format!("/v2/{repo}/blobs/{digest}"),
            Some(&pull_scope(repo)),
            &[],
            Body::Empty,
        )?;
        let resp = self.expect_status(resp, &[200], &what, "blob unknown")?;
        let len = header(&resp, "content-length").and_then(|l| l.parse().ok());
        Ok((Box::new(resp.into_body().into_reader()), len))
    }

    pub fn blob_exists(&self, repo: &str, digest: &str) -> Result<bool, RegistryError> {
        self.blob_exists_scoped(repo, digest, &pull_scope(repo))
    }

    fn blob_exists_scoped(
        &self,
        repo: &str,
        digest: &str,
        scope: &str,
    ) -> Result<bool, RegistryError> {
        let what = self.what(repo, digest);
        let resp = self.request(
            Method::HEAD,
            &format!("/v2/{repo}/blobs/{digest}"),
            Some(scope),
            &[],
            Body::Empty,
        )?;
        match resp.status().as_u16() {
            200 => Ok(true),
            404 => Ok(false),
            _ => self
                .expect_status(resp, &[200], &what, "blob unknown")
                .map(|_| true),
        }
    }

    /// Upload a blob: nothing when the registry has it, else POST an upload and PUT the
    /// whole body in one streamed request.
    pub fn push_blob(
        &self,
        repo: &str,
        digest: &str,
        size: u64,
        body: &mut dyn Read,
    ) -> Result<(), RegistryError> {
        let scope = push_scope(repo);
        // Asking with the push scope first also authorises the upload before the body is sent.
        if self.blob_exists_scoped(repo, digest, &scope)? {
            return Ok(());
        }
        let what = self.what(repo, digest);
        let resp = self.request(
            Method::POST,
            &format!("/v2/{repo}/blobs/uploads/"),
            Some(&scope),
            &[("Content-Length", "0")],
            Body::Empty,
        )?;
        let resp = self.expect_status(resp, &[202], &what, "repository not found")?;
        let Some(location) = header(&resp, "location") else {
            return Err(RegistryError::Protocol {
                what,
                reason: "no Location header in the upload answer".to_string(),
            });
        };
        drop(read_small(resp, MAX_ERROR_BODY));
        let sep = if location.contains('?') { '&' } else { '?' };
        let url = format!("{location}{sep}digest={}", encode_query(digest));
        let len = size.to_string();
        let mut counted = CountingReader {
            inner: body,
            count: 0,
            error: None,
        };
        let result = self.request(
            Method::PUT,
            &url,
            Some(&scope),
            &[
                ("Content-Type", "application/octet-stream"),
                ("Content-Length", &len),
            ],
            Body::Stream(&mut counted),
        );
        if let Some(source) = counted.error.take() {
            return Err(RegistryError::Upload {
                digest: digest.to_string(),
                source,
            });
        }
        let resp = result?;
        self.expect_status(resp, &[201, 204], &what, "repository not found")?;
        if counted.count != size {
            return Err(RegistryError::Upload {
                digest: digest.to_string(),
                source: std::io::Error::other(format!(
                    "the source gave {} bytes, the blob has {size}",
                    counted.count
                )),
            });
        }
        Ok(())
    }

    /// Upload a manifest as given (never re-serialised); returns its sha256 digest.
    pub fn put_manifest(
        &self,
        repo: &str,
        reference: &str,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<String, RegistryError> {
        let what = self.what(repo, reference);
        let digest = sha256_digest(bytes);
        if reference.contains(':') {
            verify_digest(reference, bytes, &digest)?;
        }
        let resp = self.request(
            Method::PUT,
            &format!("/v2/{repo}/manifests/{reference}"),
            Some(&push_scope(repo)),
            &[("Content-Type", media_type)],
            Body::Bytes(bytes),
        )?;
        self.expect_status(resp, &[200, 201, 202], &what, "manifest unknown")?;
        Ok(digest)
    }

    /// GET /v2/ with the credentials: `login` uses it to check them.
    pub fn check_auth(&self) -> Result<(), RegistryError> {
        let resp = self.request(Method::GET, "/v2/", None, &[], Body::Empty)?;
        self.expect_status(resp, &[200], &format!("{}/v2/", self.registry), "not found")?;
        Ok(())
    }

    /// Turn an unexpected status into the matching error; give back the response otherwise.
    fn expect_status(
        &self,
        resp: Response<ureq::Body>,
        ok: &[u16],
        what: &str,
        not_found: &str,
    ) -> Result<Response<ureq::Body>, RegistryError> {
        let status = resp.status().as_u16();
        if ok.contains(&status) {
            return Ok(resp);
        }
        let body = read_small(resp, MAX_ERROR_BODY);
        let (code, message) = error_code(&body);
        match (status, code.as_deref()) {
            (404, Some("NAME_UNKNOWN")) => Err(RegistryError::NotFound {
                reference: what.to_string(),
                what: "repository not found".to_string(),
            }),
            (404, Some("MANIFEST_UNKNOWN")) => Err(RegistryError::NotFound {
                reference: what.to_string(),
                what: "manifest unknown".to_string(),
            }),
            (404, Some("BLOB_UNKNOWN")) => Err(RegistryError::NotFound {
                reference: what.to_string(),
                what: "blob unknown".to_string(),
            }),
            (404, _) => Err(RegistryError::NotFound {
                reference: what.to_string(),
                what: not_found.to_string(),
            }),
            (401, _) => Err(self.unauthorized(message)),
            (403, _) | (_, Some("DENIED")) => Err(RegistryError::Unauthorized {
                registry: self.registry.clone(),
                reason: format!(
                    "access to {what} denied{}",
                    message.map(|m| format!(" ({m})")).unwrap_or_default()
                ),
            }),
            _ => Err(RegistryError::Http {
                what: what.to_string(),
                status,
                body: snippet(&body),
            }),
        }
    }

    fn unauthorized(&self, message: Option<String>) -> RegistryError {
        let reason = if self.creds.is_some() {
            "invalid username or password".to_string()
        } else {
            "authentication required".to_string()
        };
        let reason = match message {
            Some(m) if !m.is_empty() && !m.eq_ignore_ascii_case("authentication required") => {
                format!("{reason} ({m})")
            }
            _ => reason,
        };
        RegistryError::Unauthorized {
            registry: self.registry.clone(),
            reason,
        }
    }

    /// Send with what we know of the registry's authentication; on a 401 learn the challenge,
    /// get a token or attach the credentials, and try once more.
    fn request(
        &self,
        method: Method,
        path: &str,
        scope: Option<&str>,
        headers: &[(&str, &str)],
        mut body: Body<'_>,
    ) -> Result<Response<ureq::Body>, RegistryError> {
        let mut retried_auth = false;
        loop {
            let authorization = self.authorization(scope)?;
            let resp = self.send(&method, path, headers, authorization.as_deref(), &mut body)?;
            if resp.status().as_u16() != 401 || retried_auth || !body.replayable() {
                return Ok(resp);
            }
            retried_auth = true;
            let Some(ch) = header(&resp, "www-authenticate").and_then(|h| challenge::parse(&h))
            else {
                return Ok(resp);
            };
            drop(read_small(resp, MAX_ERROR_BODY));
            {
                // The token we sent may have expired: forget it so a fresh one is fetched.
                let mut st = self.lock_auth();
                st.tokens.remove(scope.unwrap_or(""));
                st.challenge = Some(ch.clone());
            }
            match ch {
                Challenge::Basic if self.creds.is_none() => {
                    return Err(self.unauthorized(None));
                }
                Challenge::Basic => {}
                Challenge::Bearer { .. } => {
                    self.fetch_token(&ch, scope)?;
                }
            }
        }
    }

    fn lock_auth(&self) -> std::sync::MutexGuard<'_, AuthState> {
        // A panic elsewhere while holding the lock leaves plain data behind: keep using it.
        self.auth.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The Authorization header for a request, fetching a bearer token for a new scope.
    fn authorization(&self, scope: Option<&str>) -> Result<Option<String>, RegistryError> {
        let key = scope.unwrap_or("");
        let ch = {
            let st = self.lock_auth();
            match &st.challenge {
                None => return Ok(None),
                Some(Challenge::Basic) => return Ok(self.basic_header()),
                Some(ch @ Challenge::Bearer { .. }) => {
                    if let Some(t) = st.tokens.get(key) {
                        return Ok(Some(format!("Bearer {t}")));
                    }
                    ch.clone()
                }
            }
        };
        let token = self.fetch_token(&ch, scope)?;
        Ok(Some(format!("Bearer {token}")))
    }

    fn basic_header(&self) -> Option<String> {
        use base64::Engine;
        self.creds.as_ref().map(|c| {
            let raw = format!("{}:{}", c.username, c.password);
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(raw)
            )
        })
    }

    fn fetch_token(&self, ch: &Challenge, scope: Option<&str>) -> Result<String, RegistryError> {
        let Challenge::Bearer {
            realm,
            service,
            scope: challenge_scope,
        } = ch
        else {
            return Err(self.unauthorized(None));
        };
        let mut url = realm.clone();
        let mut sep = if url.contains('?') { '&' } else { '?' };
        if let Some(s) = service {
            url.push_str(&format!("{sep}service={}", encode_query(s)));
            sep = '&';
        }
        if let Some(s) = scope.or(challenge_scope.as_deref()) {
            url.push_str(&format!("{sep}scope={}", encode_query(s)));
        }
        let mut req = ureq::http::Request::get(&url);
        if let Some(b) = self.basic_header() {
            req = req.header("Authorization", b);
        }
        let req = req.body(()).map_err(|e| RegistryError::Protocol {
            what: format!("token endpoint of {}", self.registry),
            reason: format!("bad realm URL: {e}"),
        })?;
        let resp = self
            .agent
            .run(req)
            .map_err(|e| to_error(&host_of_url(realm), classify(&e)))?;
        let status = resp.status().as_u16();
        let body = read_small(resp, MAX_ERROR_BODY);
        match status {
            200 => {}
            401 | 403 => {
                let (_, message) = error_code(&body);
                return Err(self.unauthorized(message));
            }
            _ => {
                return Err(RegistryError::Http {
                    what: format!("token request to {}", host_of_url(realm)),
                    status,
                    body: snippet(&body),
                })
            }
        }
        let token = challenge::token_from_json(&body).ok_or_else(|| RegistryError::Protocol {
            what: format!("token endpoint of {}", self.registry),
            reason: "no token in the answer".to_string(),
        })?;
        self.lock_auth()
            .tokens
            .insert(scope.unwrap_or("").to_string(), token.clone());
        Ok(token)
    }

    /// One HTTP exchange, choosing https or (when insecure and https fails) http, with one
    /// retry on a connection that was reset.
    fn send(
        &self,
        method: &Method,
        path: &str,
        headers: &[(&str, &str)],
        authorization: Option<&str>,
        body: &mut Body<'_>,
    ) -> Result<Response<ureq::Body>, RegistryError> {
        let schemes: Vec<Option<&'static str>> = if !path.starts_with('/') {
            // An absolute URL from the registry (upload Location) is used as given.
            vec![None]
        } else {
            match *self.scheme.lock().unwrap_or_else(|p| p.into_inner()) {
                Some(s) => vec![Some(s)],
                None if self.insecure => vec![Some("https"), Some("http")],
                None => vec![Some("https")],
            }
        };
        let mut last = None;
        for (i, scheme) in schemes.iter().enumerate() {
            let url = match scheme {
                Some(scheme) => format!("{scheme}://{}{path}", self.api_host),
                None => path.to_string(),
            };
            let mut attempts = 0;
            let outcome = loop {
                attempts += 1;
                match self.send_once(method, &url, headers, authorization, body) {
                    Err(e) => match classify(&e) {
                        Failure::Reset(_) if attempts < 2 && body.replayable() => continue,
                        f => break Err(f),
                    },
                    Ok(r) => break Ok(r),
                }
            };
            match outcome {
                Ok(resp) => {
                    if let Some(scheme) = scheme {
                        *self.scheme.lock().unwrap_or_else(|p| p.into_inner()) = Some(scheme);
                    }
                    return Ok(resp);
                }
                // The same host and port refuse plain HTTP too; nothing to fall back to.
                Err(f @ (Failure::Refused | Failure::NotResolved)) => {
                    return Err(to_error(&self.registry, f))
                }
                Err(f) if i + 1 < schemes.len() && body.replayable() => last = Some(f),
                Err(f) => return Err(to_error(&self.registry, f)),
            }
        }
        Err(to_error(
            &self.registry,
            last.unwrap_or(Failure::Other("no usable scheme".to_string())),
        ))
    }

    fn send_once(
        &self,
        method: &Method,
        url: &str,
        headers: &[(&str, &str)],
        authorization: Option<&str>,
        body: &mut Body<'_>,
    ) -> Result<Response<ureq::Body>, ureq::Error> {
        let mut req = ureq::http::Request::builder()
            .method(method.clone())
            .uri(url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(a) = authorization {
            req = req.header("Authorization", a);
        }
        match body {
            Body::Empty => self.agent.run(req.body(())?),
            Body::Bytes(b) => self.agent.run(req.body(*b)?),
            Body::Stream(r) => self
                .agent
                .run(req.body(ureq::SendBody::from_reader(&mut **r))?),
        }
    }
}

/// Remember a read error of the upload source: ureq would report it as a network failure.
struct CountingReader<'a> {
    inner: &'a mut dyn Read,
    count: u64,
    error: Option<std::io::Error>,
}

impl Read for CountingReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.count += n as u64;
                Ok(n)
            }
            Err(e) => {
                let kind = e.kind();
                let msg = e.to_string();
                self.error = Some(e);
                Err(std::io::Error::new(kind, msg))
            }
        }
    }
}

fn accept_manifests() -> String {
    [
        MEDIA_OCI_MANIFEST,
        MEDIA_OCI_INDEX,
        MEDIA_DOCKER_MANIFEST,
        MEDIA_DOCKER_LIST,
    ]
    .join(", ")
}

/// The Content-Type without parameters; when it says nothing useful, the body's mediaType.
fn media_type(content_type: &str, bytes: &[u8]) -> String {
    let ct = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    if !ct.is_empty() && ct != "application/json" && ct != "text/plain" {
        return ct;
    }
    serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .and_then(|v| v.get("mediaType")?.as_str().map(str::to_string))
        .unwrap_or(ct)
}

fn verify_digest(expected: &str, bytes: &[u8], sha256: &str) -> Result<(), RegistryError> {
    let actual = match expected.split_once(':') {
        Some(("sha256", _)) => sha256.to_string(),
        Some(("sha512", _)) => format!("sha512:{}", hex::encode(Sha512::digest(bytes))),
        _ => {
            return Err(RegistryError::Protocol {
                what: expected.to_string(),
                reason: "unsupported digest algorithm (use sha256)".to_string(),
            })
        }
    };
    if actual != expected {
        return Err(RegistryError::DigestMismatch {
            expected: expected.to_string(),
            actual,
        });
    }
    Ok(())
}

fn host_of_url(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest).to_string()
}
