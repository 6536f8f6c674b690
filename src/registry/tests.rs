//! The client against a tiny scripted HTTP server on 127.0.0.1.

use super::*;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

#[derive(Debug, Clone)]
struct Req {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn resp(status: u16, body: &[u8]) -> Resp {
    Resp {
        status,
        headers: Vec::new(),
        body: body.to_vec(),
    }
}

impl Resp {
    fn with(mut self, k: &str, v: &str) -> Resp {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }
}

type Handler = dyn Fn(&Req, &str) -> Resp + Send + Sync;

struct Server {
    host: String,
    log: Arc<Mutex<Vec<Req>>>,
}

impl Server {
    fn requests(&self) -> Vec<Req> {
        self.log.lock().unwrap().clone()
    }
}

/// Serve until the test process ends; the handler gets the request and the server's host.
fn serve(handler: impl Fn(&Req, &str) -> Resp + Send + Sync + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let log = Arc::new(Mutex::new(Vec::new()));
    let handler: Arc<Handler> = Arc::new(handler);
    let (h, l, hostname) = (handler.clone(), log.clone(), host.clone());
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { return };
            let (h, l, hostname) = (h.clone(), l.clone(), hostname.clone());
            std::thread::spawn(move || {
                let _ = connection(conn, &*h, &l, &hostname);
            });
        }
    });
    Server { host, log }
}

fn connection(
    conn: TcpStream,
    handler: &Handler,
    log: &Mutex<Vec<Req>>,
    host: &str,
) -> std::io::Result<()> {
    conn.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let mut out = conn.try_clone()?;
    let mut r = BufReader::new(conn);
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        // A TLS ClientHello on a plain HTTP port: answer like a real server and hang up.
        if buf[0] == 0x16 {
            out.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")?;
            return Ok(());
        }
        let mut line = String::new();
        r.read_line(&mut line)?;
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            r.read_line(&mut h)?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let mut req = Req {
            method,
            path,
            headers,
            body: Vec::new(),
        };
        if let Some(len) = req.header("content-length") {
            let len: usize = len.parse().unwrap();
            let mut body = vec![0; len];
            r.read_exact(&mut body)?;
            req.body = body;
        } else if req.header("transfer-encoding") == Some("chunked") {
            loop {
                let mut size = String::new();
                r.read_line(&mut size)?;
                let n = usize::from_str_radix(size.trim(), 16).unwrap();
                let mut chunk = vec![0; n + 2];
                r.read_exact(&mut chunk)?;
                if n == 0 {
                    break;
                }
                req.body.extend_from_slice(&chunk[..n]);
            }
        }
        let res = handler(&req, host);
        log.lock().unwrap().push(req.clone());
        let mut head = format!("HTTP/1.1 {} X\r\n", res.status);
        let has_len = res.headers.iter().any(|(k, _)| k == "Content-Length");
        for (k, v) in &res.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !has_len {
            head.push_str(&format!("Content-Length: {}\r\n", res.body.len()));
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        if req.method != "HEAD" {
            out.write_all(&res.body)?;
        }
    }
}

fn opts(dir: &tempfile::TempDir, creds: Option<(&str, &str)>) -> ClientOptions {
    ClientOptions {
        tls_verify: Some(false),
        // An empty auth file keeps the developer's own credentials out of the tests.
        authfile: Some(dir.path().join("auth.json")),
        creds: creds.map(|(u, p)| Credentials {
            username: u.to_string(),
            password: p.to_string(),
        }),
        cert_dir: Some(dir.path().join("certs.d")),
    }
}

fn client(server: &Server, o: &ClientOptions) -> Client {
    Client::new(&server.host, o, &RegistriesConf::default()).unwrap()
}

const MANIFEST: &[u8] =
    br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}"#;

fn manifest_resp() -> Resp {
    resp(200, MANIFEST).with("Content-Type", MEDIA_OCI_MANIFEST)
}

#[test]
fn anonymous_manifest_and_plain_http_fallback() {
    let s = serve(|req, _| match req.path.as_str() {
        "/v2/a/b/manifests/latest" => manifest_resp(),
        _ => resp(404, b""),
    });
    let tmp = tempfile::tempdir().unwrap();
    let c = client(&s, &opts(&tmp, None));
    let m = c.get_manifest("a/b", "latest").unwrap();
    assert_eq!(m.bytes, MANIFEST);
    assert_eq!(m.media_type, MEDIA_OCI_MANIFEST);
    assert_eq!(m.digest, sha256_digest(MANIFEST));
    let accept = s.requests()[0].header("accept").unwrap().to_string();
    assert!(accept.contains(MEDIA_DOCKER_LIST) && accept.contains(MEDIA_OCI_INDEX));
    // Fetching by digest verifies it.
    let m2 = c.get_manifest("a/b", "latest").unwrap();
    assert_eq!(m, m2);
}

#[test]
fn tls_verify_true_does_not_fall_back_to_http() {
    let s = serve(|_, _| manifest_resp());
    let tmp = tempfile::tempdir().unwrap();
    let mut o = opts(&tmp, None);
    o.tls_verify = None;
    let c = client(&s, &o);
    let e = c.get_manifest("a", "latest").unwrap_err();
    assert!(matches!(e, RegistryError::Connect { .. }), "{e}");
    assert!(e.to_string().contains("--tls-verify=false"), "{e}");
    assert!(s.requests().is_empty());
}

#[test]
fn basic_challenge() {
    use base64::Engine;
    let good = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("u:p")
    );
    let s = serve(move |req, _| {
        if req.header("authorization") != Some(good.as_str()) {
            return resp(
                401,
                br#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#,
            )
            .with("WWW-Authenticate", r#"Basic realm="Registry Realm""#);
        }
        match req.path.as_str() {
            "/v2/" => resp(200, b"{}"),
            _ => manifest_resp(),
        }
    });
    let tmp = tempfile::tempdir().unwrap();
    let c = client(&s, &opts(&tmp, Some(("u", "p"))));
    c.check_auth().unwrap();
    c.get_manifest("x", "latest").unwrap();
    let reqs = s.requests();
    assert!(reqs[0].header("authorization").is_none());
    // Once the challenge is known, credentials go with every request.
    assert_eq!(reqs.len(), 3);

    let e = client(&s, &opts(&tmp, Some(("u", "wrong"))))
        .check_auth()
        .unwrap_err();
    assert!(matches!(e, RegistryError::Unauthorized { .. }), "{e}");
    let msg = e.to_string();
    assert!(msg.contains("invalid username or password"), "{msg}");
    assert!(msg.contains(&format!("lodger login {}", s.host)), "{msg}");
    assert!(!msg.contains("wrong"), "{msg}");

    let e = client(&s, &opts(&tmp, None))
        .get_manifest("x", "latest")
        .unwrap_err();
    assert!(e.to_string().contains("authentication required"), "{e}");
}

#[test]
fn credentials_from_the_auth_file() {
    let s = serve(|req, _| {
        if req.header("authorization").is_none() {
            return resp(401, b"").with("WWW-Authenticate", "Basic realm=x");
        }
        resp(200, b"{}")
    });
    let tmp = tempfile::tempdir().unwrap();
    let o = opts(&tmp, None);
    let creds = Credentials {
        username: "f".into(),
        password: "g".into(),
    };
    auth::store(&s.host, &creds, o.authfile.as_deref()).unwrap();
    client(&s, &o).check_auth().unwrap();
}

#[test]
fn bearer_token_flow() {
    let s = serve(|req, host| {
        if req.path.starts_with("/token") {
            assert_eq!(
                req.header("authorization").map(|a| a.starts_with("Basic ")),
                Some(true)
            );
            let token = if req.path.contains("pull%2Cpush") {
                "PUSH"
            } else {
                "PULL"
            };
            // Tokens come as `token` or `access_token`.
            return resp(200, format!(r#"{{"access_token":"{token}"}}"#).as_bytes());
        }
        let want = if req.method == "GET" || req.method == "HEAD" && req.path.contains("manifests")
        {
            "Bearer PULL"
        } else {
            "Bearer PUSH"
        };
        if req.header("authorization") != Some(want) {
            return resp(401, b"").with(
                "WWW-Authenticate",
                &format!(
                    r#"Bearer realm="http://{host}/token",service="test-registry",scope="ignored""#
                ),
            );
        }
        manifest_resp()
    });
    let tmp = tempfile::tempdir().unwrap();
    let c = client(&s, &opts(&tmp, Some(("u", "p"))));
    c.get_manifest("lib/img", "latest").unwrap();
    c.get_manifest("lib/img", "v2").unwrap();
    let tokens: Vec<Req> = s
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/token"))
        .collect();
    assert_eq!(tokens.len(), 1, "the token is cached per scope");
    assert_eq!(
        tokens[0].path,
        "/token?service=test-registry&scope=repository%3Alib%2Fimg%3Apull"
    );
    let d = c
        .put_manifest("lib/img", "latest", MEDIA_OCI_MANIFEST, MANIFEST)
        .unwrap();
    assert_eq!(d, sha256_digest(MANIFEST));
    let put = s
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .unwrap();
    assert_eq!(put.body, MANIFEST);
    assert_eq!(put.header("content-type"), Some(MEDIA_OCI_MANIFEST));
    assert_eq!(put.header("authorization"), Some("Bearer PUSH"));
}

#[test]
fn bearer_token_refused() {
    let s = serve(|req, host| {
        if req.path.starts_with("/token") {
            return resp(401, br#"{"details":"incorrect username or password"}"#);
        }
        resp(401, b"").with(
            "WWW-Authenticate",
            &format!(r#"Bearer realm="http://{host}/token""#),
        )
    });
    let tmp = tempfile::tempdir().unwrap();
    let e = client(&s, &opts(&tmp, Some(("u", "bad"))))
        .check_auth()
        .unwrap_err();
    assert!(
        e.to_string().contains("invalid username or password"),
        "{e}"
    );
}

#[test]
fn digest_mismatch() {
    let s = serve(|_, _| manifest_resp());
    let tmp = tempfile::tempdir().unwrap();
    let c = client(&s, &opts(&tmp, None));
    let good = sha256_digest(MANIFEST);
    assert_eq!(c.get_manifest("a", &good).unwrap().digest, good);
    let bad = format!("sha256:{}", "0".repeat(64));
    match c.get_manifest("a", &bad) {
        Err(RegistryError::DigestMismatch { expected, actual }) => {
            assert_eq!(expected, bad);
            assert_eq!(actual, good);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn not_found_mapping() {
    let s = serve(|req, _| {
        let code = if req.path.contains("/nosuchrepo/") {
            "NAME_UNKNOWN"
        } else if req.path.contains("/blobs/") {
            "BLOB_UNKNOWN"
        } else {
            "MANIFEST_UNKNOWN"
        };
        resp(
            404,
            format!(r#"{{"errors":[{{"code":"{code}","message":"x"}}]}}"#).as_bytes(),
        )
    });
    let tmp = tempfile::tempdir().unwrap();
    let c = client(&s, &opts(&tmp, None));
    let e = c.get_manifest("a/b", "nope").unwrap_err();
    assert!(matches!(e, RegistryError::NotFound { .. }));
    assert_eq!(
        e.to_string(),
        format!("{}/a/b:nope: manifest unknown", s.host)
    );
    let e = c.get_manifest("nosuchrepo/x", "latest").unwrap_err();
    assert!(e.to_string().ends_with("repository not found"), "{e}");
    let digest = format!("sha256:{}", "1".repeat(64));
    let e = c.get_blob("a", &digest).err().unwrap();
    assert!(e.to_string().ends_with("blob unknown"), "{e}");
    assert_eq!(c.head_manifest("a", "nope").unwrap(), None);
    assert!(!c.blob_exists("a", &digest).unwrap());
}

#[test]
fn other_statuses_keep_a_body_snippet() {
    let s = serve(|_, _| resp(500, b"storage driver exploded"));
    let tmp = tempfile::tempdir().unwrap();
    let e = client(&s, &opts(&tmp, None))
        .get_manifest("a", "latest")
        .unwrap_err();
    match &e {
        RegistryError::Http { status, body, .. } => {
            assert_eq!(*status, 500);
            assert_eq!(body, "storage driver exploded");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn connection_refused() {
    let addr = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().to_string()
    };
    let tmp = tempfile::tempdir().unwrap();
    let c = Client::new(&addr, &opts(&tmp, None), &RegistriesConf::default()).unwrap();
    let e = c.get_manifest("a", "latest").unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("cannot reach registry {addr}: connection refused — is it running?")
    );
}

#[test]
fn blocked_and_insecure_from_registries_conf() {
    let conf = RegistriesConf::from_str(
        "[[registry]]\nlocation = \"bad.io\"\nblocked = true\n[[registry]]\nlocation = \"127.0.0.1\"\ninsecure = true\n",
    )
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let e = Client::new("bad.io", &opts(&tmp, None), &conf).unwrap_err();
    assert!(matches!(e, RegistryError::Blocked { .. }));
    let mut o = opts(&tmp, None);
    o.tls_verify = None;
    let s = serve(|_, _| manifest_resp());
    // As in containers/image, prefix "127.0.0.1" also matches "127.0.0.1:<port>".
    let c = Client::new(&s.host, &o, &conf).unwrap();
    assert!(c.insecure);
    c.get_manifest("a", "latest").unwrap();
}

#[test]
fn blobs_down_and_up() {
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let digest = sha256_digest(&data);
    let stored = Arc::new(Mutex::new(None::<Vec<u8>>));
    let (d2, st, payload) = (digest.clone(), stored.clone(), data.clone());
    let s = serve(move |req, _| {
        let blob_path = format!("/v2/r/blobs/{d2}");
        match (req.method.as_str(), req.path.as_str()) {
            ("HEAD", p) if p == blob_path => {
                if st.lock().unwrap().is_some() {
                    resp(200, b"")
                } else {
                    resp(404, b"")
                }
            }
            ("GET", p) if p == blob_path => resp(200, &payload),
            ("POST", "/v2/r/blobs/uploads/") => {
                resp(202, b"").with("Location", "/v2/r/blobs/uploads/u1?_state=abc")
            }
            ("PUT", p) if p.starts_with("/v2/r/blobs/uploads/u1?_state=abc&digest=sha256%3A") => {
                *st.lock().unwrap() = Some(req.body.clone());
                resp(201, b"")
            }
            _ => resp(400, b"unexpected"),
        }
    });
    let tmp = tempfile::tempdir().unwrap();
    let c = client(&s, &opts(&tmp, None));
    c.push_blob("r", &digest, data.len() as u64, &mut &data[..])
        .unwrap();
    assert_eq!(stored.lock().unwrap().as_deref(), Some(&data[..]));
    let put = s
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .unwrap();
    assert_eq!(put.header("content-length"), Some("200000"));
    assert!(c.blob_exists("r", &digest).unwrap());
    // A second push only asks.
    let before = s.requests().len();
    c.push_blob("r", &digest, data.len() as u64, &mut &data[..])
        .unwrap();
    assert_eq!(s.requests().len(), before + 1);

    let (mut body, len) = c.get_blob("r", &digest).unwrap();
    assert_eq!(len, Some(data.len() as u64));
    let mut got = Vec::new();
    body.read_to_end(&mut got).unwrap();
    assert_eq!(got, data);
}

#[test]
fn client_is_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Client>();
    let s = serve(|_, _| manifest_resp());
    let tmp = tempfile::tempdir().unwrap();
    let c = Arc::new(client(&s, &opts(&tmp, None)));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let c = c.clone();
            std::thread::spawn(move || c.get_manifest("a", "latest").map(|m| m.digest))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap(), sha256_digest(MANIFEST));
    }
}

#[test]
fn debug_never_shows_the_password() {
    let s = serve(|_, _| resp(200, b""));
    let tmp = tempfile::tempdir().unwrap();
    let c = client(&s, &opts(&tmp, Some(("user", "s3cr3t"))));
    assert!(!format!("{c:?}").contains("s3cr3t"));
}
