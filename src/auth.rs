//! Registry credentials as Podman keeps them: auth.json files in a fixed lookup order, and
//! `docker-credential-<name>` helper programs named by `credHelpers` / `credsStore`.

use base64::Engine;
use serde_json::{Map, Value};
use std::ffi::OsString;
use std::fmt;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("cannot read credentials file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("credentials file {path} is not valid: {reason} (fix or remove the file)")]
    Parse { path: PathBuf, reason: String },
    #[error("cannot write credentials file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("credential helper docker-credential-{helper} is configured in {path} but cannot be run: {source} (install it or remove it from the file)")]
    HelperMissing {
        helper: String,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "credential helper docker-credential-{helper} {action} failed for {registry}: {reason}"
    )]
    Helper {
        helper: String,
        action: &'static str,
        registry: String,
        reason: String,
    },
    #[error(
        "cannot find where to store credentials: neither XDG_RUNTIME_DIR nor --authfile is set"
    )]
    NoLocation,
}

/// The parts of the environment that decide which files are used.
#[derive(Debug, Clone, Default)]
struct AuthEnv {
    registry_auth_file: Option<PathBuf>,
    runtime_dir: Option<PathBuf>,
    config_home: Option<PathBuf>,
    home: Option<PathBuf>,
    /// PATH for the helper programs (tests point it at fakes).
    path: Option<OsString>,
}

impl AuthEnv {
    fn from_env() -> AuthEnv {
        let abs = |v: &str| {
            std::env::var_os(v)
                .filter(|s| !s.is_empty())
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        };
        AuthEnv {
            registry_auth_file: std::env::var_os("REGISTRY_AUTH_FILE")
                .filter(|s| !s.is_empty())
                .map(PathBuf::from),
            runtime_dir: abs("XDG_RUNTIME_DIR"),
            config_home: abs("XDG_CONFIG_HOME"),
            home: abs("HOME"),
            path: None,
        }
    }

    fn explicit<'a>(&'a self, authfile: Option<&'a Path>) -> Option<&'a Path> {
        authfile.or(self.registry_auth_file.as_deref())
    }

    fn runtime_auth(&self) -> PathBuf {
        match &self.runtime_dir {
            Some(d) => d.join("containers/auth.json"),
            // containers/image's fallback for a rootless user without XDG_RUNTIME_DIR.
            None => PathBuf::from(format!(
                "/run/containers/{}/auth.json",
                rustix::process::getuid().as_raw()
            )),
        }
    }

    fn read_paths(&self, authfile: Option<&Path>) -> Vec<PathBuf> {
        if let Some(f) = self.explicit(authfile) {
            return vec![f.to_path_buf()];
        }
        let mut v = vec![self.runtime_auth()];
        match (&self.config_home, &self.home) {
            (Some(c), _) => v.push(c.join("containers/auth.json")),
            (None, Some(h)) => v.push(h.join(".config/containers/auth.json")),
            _ => {}
        }
        if let Some(h) = &self.home {
            v.push(h.join(".docker/config.json"));
        }
        v
    }

    fn write_path(&self, authfile: Option<&Path>) -> PathBuf {
        match self.explicit(authfile) {
            Some(f) => f.to_path_buf(),
            None => self.runtime_auth(),
        }
    }
}

/// Find the credentials for `registry` (`host[:port]`, or `host/path` for a per-repository
/// entry: the most specific key wins). `None` means anonymous.
pub fn lookup(registry: &str, authfile: Option<&Path>) -> Result<Option<Credentials>, AuthError> {
    lookup_in(&AuthEnv::from_env(), registry, authfile)
}

/// Save credentials (for `login`); returns the file that now holds them or names the helper.
pub fn store(
    registry: &str,
    creds: &Credentials,
    authfile: Option<&Path>,
) -> Result<PathBuf, AuthError> {
    store_in(&AuthEnv::from_env(), registry, creds, authfile)
}

/// Forget the credentials of one registry (for `logout`); false when there were none.
pub fn remove(registry: &str, authfile: Option<&Path>) -> Result<bool, AuthError> {
    remove_in(&AuthEnv::from_env(), registry, authfile)
}

/// Forget every credential in the file that `login` writes (for `logout --all`).
pub fn remove_all(authfile: Option<&Path>) -> Result<(), AuthError> {
    remove_all_in(&AuthEnv::from_env(), authfile)
}

/// Docker Hub is written under several names; everything else by host[:port][/path].
fn normalize_key(key: &str) -> String {
    let (had_scheme, rest) = match key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
    {
        Some(r) => (true, r),
        None => (false, key),
    };
    // Legacy keys are URLs ("https://index.docker.io/v1/"): only their host counts.
    let rest = if had_scheme {
        rest.split('/').next().unwrap_or(rest)
    } else {
        rest.trim_end_matches('/')
    };
    let (host, path) = match rest.split_once('/') {
        Some((h, p)) => (h, Some(p)),
        None => (rest, None),
    };
    let host = match host {
        "index.docker.io" | "registry-1.docker.io" => "docker.io",
        h => h,
    };
    match path {
        Some(p) => format!("{host}/{p}"),
        None => host.to_string(),
    }
}

/// `host/a/b` -> [`host/a/b`, `host/a`, `host`].
fn key_candidates(registry: &str) -> Vec<String> {
    let mut key = normalize_key(registry);
    let mut out = vec![key.clone()];
    while let Some((parent, _)) = key.rsplit_once('/') {
        key = parent.to_string();
        out.push(key.clone());
    }
    out
}

fn host_of(registry: &str) -> String {
    let k = normalize_key(registry);
    k.split('/').next().unwrap_or(&k).to_string()
}

fn read_file(path: &Path) -> Result<Option<Map<String, Value>>, AuthError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(AuthError::Read {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    if text.trim().is_empty() {
        return Ok(Some(Map::new()));
    }
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(m)) => Ok(Some(m)),
        Ok(_) => Err(AuthError::Parse {
            path: path.to_path_buf(),
            reason: "not a JSON object".to_string(),
        }),
        Err(e) => Err(AuthError::Parse {
            path: path.to_path_buf(),
            // serde_json's message names a position, never the content.
            reason: e.to_string(),
        }),
    }
}

fn helper_for(file: &Map<String, Value>, host: &str) -> Option<(String, bool)> {
    if let Some(Value::Object(helpers)) = file.get("credHelpers") {
        for (k, v) in helpers {
            if normalize_key(k) == host {
                if let Some(name) = v.as_str().filter(|s| !s.is_empty()) {
                    return Some((name.to_string(), true));
                }
            }
        }
    }
    file.get("credsStore")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(|s| (s.to_string(), false))
}

fn decode_auth(path: &Path, key: &str, entry: &Value) -> Result<Option<Credentials>, AuthError> {
    let bad = |reason: &str| AuthError::Parse {
        path: path.to_path_buf(),
        reason: format!("entry \"{key}\": {reason}"),
    };
    let Some(auth) = entry.get("auth").and_then(Value::as_str) else {
        return Ok(None);
    };
    if auth.is_empty() {
        return Ok(None);
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(auth.trim())
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(auth.trim()))
        .map_err(|_| bad("\"auth\" is not base64"))?;
    let text = String::from_utf8(raw).map_err(|_| bad("\"auth\" is not UTF-8"))?;
    let Some((user, pass)) = text.split_once(':') else {
        return Err(bad("\"auth\" is not base64 of user:password"));
    };
    Ok(Some(Credentials {
        username: user.to_string(),
        password: pass.to_string(),
    }))
}

fn lookup_in(
    env: &AuthEnv,
    registry: &str,
    authfile: Option<&Path>,
) -> Result<Option<Credentials>, AuthError> {
    let host = host_of(registry);
    let keys = key_candidates(registry);
    for path in env.read_paths(authfile) {
        let Some(file) = read_file(&path)? else {
            continue;
        };
        if let Some((helper, explicit)) = helper_for(&file, &host) {
            if explicit {
                return helper_get(env, &helper, &host, &path, true);
            }
        }
        if let Some(Value::Object(auths)) = file.get("auths") {
            for want in &keys {
                for (k, entry) in auths {
                    if &normalize_key(k) == want {
                        if let Some(c) = decode_auth(&path, k, entry)? {
                            return Ok(Some(c));
                        }
                    }
                }
            }
        }
        if let Some((helper, false)) = helper_for(&file, &host) {
            // A default store (often Docker Desktop's) that is not installed here is no reason
            // to fail an anonymous pull.
            if let Some(c) = helper_get(env, &helper, &host, &path, false)? {
                return Ok(Some(c));
            }
        }
    }
    Ok(None)
}

fn helper_command(env: &AuthEnv, helper: &str, action: &str) -> Command {
    let mut cmd = Command::new(format!("docker-credential-{helper}"));
    cmd.arg(action)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(p) = &env.path {
        cmd.env("PATH", p);
    }
    cmd
}

/// Run a helper with `input` on stdin; Ok(None) when it says it has nothing for the server.
fn run_helper(
    env: &AuthEnv,
    helper: &str,
    action: &'static str,
    registry: &str,
    file: &Path,
    input: &[u8],
) -> Result<Option<Vec<u8>>, AuthError> {
    let mut child = helper_command(env, helper, action)
        .spawn()
        .map_err(|source| AuthError::HelperMissing {
            helper: helper.to_string(),
            path: file.to_path_buf(),
            source,
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading its input is judged by its exit status.
        let _ = stdin.write_all(input);
    }
    let out = child.wait_with_output().map_err(|e| AuthError::Helper {
        helper: helper.to_string(),
        action,
        registry: registry.to_string(),
        reason: e.to_string(),
    })?;
    if out.status.success() {
        return Ok(Some(out.stdout));
    }
    let msg = String::from_utf8_lossy(if out.stdout.is_empty() {
        &out.stderr
    } else {
        &out.stdout
    })
    .trim()
    .chars()
    .take(200)
    .collect::<String>();
    if msg.to_lowercase().contains("credentials not found") {
        return Ok(None);
    }
    Err(AuthError::Helper {
        helper: helper.to_string(),
        action,
        registry: registry.to_string(),
        reason: if msg.is_empty() {
            format!("exited with {}", out.status)
        } else {
            msg
        },
    })
}

fn helper_get(
    env: &AuthEnv,
    helper: &str,
    host: &str,
    file: &Path,
    required: bool,
) -> Result<Option<Credentials>, AuthError> {
    let out = match run_helper(env, helper, "get", host, file, host.as_bytes()) {
        Ok(Some(o)) => o,
        Ok(None) => return Ok(None),
        Err(AuthError::HelperMissing { .. }) if !required => return Ok(None),
        Err(e) => return Err(e),
    };
    let v: Value = serde_json::from_slice(&out).map_err(|_| AuthError::Helper {
        helper: helper.to_string(),
        action: "get",
        registry: host.to_string(),
        reason: "its output is not the expected JSON {\"Username\", \"Secret\"}".to_string(),
    })?;
    let username = v.get("Username").and_then(Value::as_str).unwrap_or("");
    let secret = v.get("Secret").and_then(Value::as_str).unwrap_or("");
    // "<token>" marks an identity token, which only Docker's own login flow can use.
    if secret.is_empty() || username == "<token>" {
        return Ok(None);
    }
    Ok(Some(Credentials {
        username: username.to_string(),
        password: secret.to_string(),
    }))
}

/// Write with mode 0600 into a temporary file beside `path`, then rename over it, so a crash
/// never leaves a half-written file and the secret is never world-readable.
fn write_file(path: &Path, file: &Map<String, Value>) -> Result<(), AuthError> {
    let werr = |source| AuthError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(werr)?;
    let mut text = serde_json::to_vec_pretty(file).map_err(|e| werr(std::io::Error::other(e)))?;
    text.push(b'\n');
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "auth.json".to_string());
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(&text)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(werr)
}

fn store_in(
    env: &AuthEnv,
    registry: &str,
    creds: &Credentials,
    authfile: Option<&Path>,
) -> Result<PathBuf, AuthError> {
    let path = env.write_path(authfile);
    let mut file = read_file(&path)?.unwrap_or_default();
    let host = host_of(registry);
    if let Some((helper, _)) = helper_for(&file, &host) {
        let input = serde_json::json!({
            "ServerURL": host,
            "Username": creds.username,
            "Secret": creds.password,
        });
        run_helper(
            env,
            &helper,
            "store",
            &host,
            &path,
            input.to_string().as_bytes(),
        )?;
        return Ok(path);
    }
    let key = normalize_key(registry);
    let auth = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", creds.username, creds.password));
    let auths = file
        .entry("auths")
        .or_insert_with(|| Value::Object(Map::new()));
    if !auths.is_object() {
        *auths = Value::Object(Map::new());
    }
    if let Value::Object(m) = auths {
        // Replace every spelling of the same key so an old entry cannot shadow the new one.
        m.retain(|k, _| normalize_key(k) != key);
        m.insert(key, serde_json::json!({ "auth": auth }));
    }
    write_file(&path, &file)?;
    Ok(path)
}

fn remove_in(env: &AuthEnv, registry: &str, authfile: Option<&Path>) -> Result<bool, AuthError> {
    let path = env.write_path(authfile);
    let Some(mut file) = read_file(&path)? else {
        return Ok(false);
    };
    let host = host_of(registry);
    let key = normalize_key(registry);
    let mut removed = false;
    if let Some((helper, explicit)) = helper_for(&file, &host) {
        let erased = run_helper(env, &helper, "erase", &host, &path, host.as_bytes());
        match erased {
            Ok(Some(_)) => removed = true,
            Ok(None) => {}
            Err(AuthError::HelperMissing { .. }) if !explicit => {}
            Err(e) => return Err(e),
        }
    }
    if let Some(Value::Object(m)) = file.get_mut("auths") {
        let before = m.len();
        m.retain(|k, _| normalize_key(k) != key);
        if m.len() != before {
            removed = true;
            write_file(&path, &file)?;
        }
    }
    Ok(removed)
}

fn remove_all_in(env: &AuthEnv, authfile: Option<&Path>) -> Result<(), AuthError> {
    let path = env.write_path(authfile);
    let Some(mut file) = read_file(&path)? else {
        return Ok(());
    };
    if let Some(Value::Object(helpers)) = file.get("credHelpers") {
        for (host, helper) in helpers {
            if let Some(helper) = helper.as_str() {
                run_helper(env, helper, "erase", host, &path, host.as_bytes())?;
            }
        }
    }
    file.insert("auths".to_string(), Value::Object(Map::new()));
    write_file(&path, &file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    struct Fixture {
        _tmp: tempfile::TempDir,
        env: AuthEnv,
        root: PathBuf,
    }

    fn fixture() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        let env = AuthEnv {
            registry_auth_file: None,
            runtime_dir: Some(root.join("run")),
            config_home: Some(root.join("config")),
            home: Some(root.join("home")),
            path: Some(root.join("bin").into_os_string()),
        };
        std::fs::create_dir_all(root.join("bin")).unwrap();
        Fixture {
            _tmp: tmp,
            env,
            root,
        }
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn auths(key: &str, user_pass: &str) -> String {
        format!(
            r#"{{"auths": {{"{key}": {{"auth": "{}"}}}}}}"#,
            b64(user_pass)
        )
    }

    #[test]
    fn debug_hides_password() {
        let c = Credentials {
            username: "u".into(),
            password: "hunter2".into(),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn lookup_order() {
        let f = fixture();
        let run = f.root.join("run/containers/auth.json");
        let cfg = f.root.join("config/containers/auth.json");
        let docker = f.root.join("home/.docker/config.json");
        write(&docker, &auths("https://index.docker.io/v1/", "d:1"));
        let hub = lookup_in(&f.env, "docker.io", None).unwrap().unwrap();
        assert_eq!((hub.username.as_str(), hub.password.as_str()), ("d", "1"));
        write(&cfg, &auths("docker.io", "c:2"));
        assert_eq!(
            lookup_in(&f.env, "docker.io", None)
                .unwrap()
                .unwrap()
                .username,
            "c"
        );
        write(&run, &auths("docker.io", "r:3:with:colons"));
        let r = lookup_in(&f.env, "docker.io", None).unwrap().unwrap();
        assert_eq!(
            (r.username.as_str(), r.password.as_str()),
            ("r", "3:with:colons")
        );
        assert!(lookup_in(&f.env, "quay.io", None).unwrap().is_none());

        // An explicit file is the only one read.
        let explicit = f.root.join("mine.json");
        assert!(lookup_in(&f.env, "docker.io", Some(&explicit))
            .unwrap()
            .is_none());
        let env = AuthEnv {
            registry_auth_file: Some(explicit.clone()),
            ..f.env.clone()
        };
        write(&explicit, &auths("docker.io", "e:4"));
        assert_eq!(
            lookup_in(&env, "docker.io", None)
                .unwrap()
                .unwrap()
                .username,
            "e"
        );
    }

    #[test]
    fn repository_keys_most_specific_first() {
        let f = fixture();
        write(
            &f.root.join("run/containers/auth.json"),
            &format!(
                r#"{{"auths": {{"reg:5000": {{"auth": "{}"}}, "reg:5000/team": {{"auth": "{}"}}}}}}"#,
                b64("host:1"),
                b64("team:2")
            ),
        );
        let u = |r: &str| lookup_in(&f.env, r, None).unwrap().unwrap().username;
        assert_eq!(u("reg:5000/team/app"), "team");
        assert_eq!(u("reg:5000/other/app"), "host");
        assert_eq!(u("reg:5000"), "host");
    }

    #[test]
    fn malformed_files_are_errors_without_secrets() {
        let f = fixture();
        let p = f.root.join("run/containers/auth.json");
        write(&p, r#"{"auths": {"x.io": {"auth": "!!!secret!!!"}}}"#);
        let e = lookup_in(&f.env, "x.io", None).unwrap_err().to_string();
        assert!(!e.contains("secret"), "{e}");
        write(&p, "{ nope");
        assert!(lookup_in(&f.env, "x.io", None).is_err());
    }

    #[test]
    fn store_and_remove() {
        let f = fixture();
        let p = f.root.join("run/containers/auth.json");
        write(
            &p,
            r#"{"auths": {"other.io": {"auth": "b3RoZXI6cA=="}}, "keep": 1}"#,
        );
        let creds = Credentials {
            username: "me".into(),
            password: "pw".into(),
        };
        let written = store_in(&f.env, "reg:5000", &creds, None).unwrap();
        assert_eq!(written, p);
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        assert_eq!(v["keep"], 1);
        assert_eq!(v["auths"]["reg:5000"]["auth"], b64("me:pw"));
        assert_eq!(lookup_in(&f.env, "reg:5000", None).unwrap(), Some(creds));
        assert!(remove_in(&f.env, "reg:5000", None).unwrap());
        assert!(!remove_in(&f.env, "reg:5000", None).unwrap());
        assert!(lookup_in(&f.env, "other.io", None).unwrap().is_some());
        remove_all_in(&f.env, None).unwrap();
        assert!(lookup_in(&f.env, "other.io", None).unwrap().is_none());
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        assert_eq!(v["keep"], 1);
    }

    /// A fake helper that keeps one secret in a file beside itself.
    fn fake_helper(f: &Fixture, name: &str) -> PathBuf {
        let bin = f.root.join("bin");
        let store = bin.join(format!("{name}.store"));
        let script = format!(
            r#"#!/bin/sh
PATH=/usr/bin:/bin
input=$(cat)
case "$1" in
get)
  if [ -f '{s}' ]; then cat '{s}'; else echo "credentials not found in native keychain"; exit 1; fi ;;
store) printf '%s' "$input" > '{s}' ;;
erase) if [ -f '{s}' ]; then rm '{s}'; else echo "credentials not found in native keychain"; exit 1; fi ;;
esac
"#,
            s = store.display()
        );
        let path = bin.join(format!("docker-credential-{name}"));
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        store
    }

    #[test]
    fn cred_helpers() {
        let f = fixture();
        let store_file = fake_helper(&f, "fake");
        let p = f.root.join("run/containers/auth.json");
        write(&p, r#"{"credHelpers": {"reg.io": "fake"}}"#);
        assert!(lookup_in(&f.env, "reg.io", None).unwrap().is_none());
        let creds = Credentials {
            username: "hu".into(),
            password: "hs".into(),
        };
        store_in(&f.env, "reg.io", &creds, None).unwrap();
        assert!(store_file.exists());
        // Nothing was written into the file itself.
        assert!(!std::fs::read_to_string(&p).unwrap().contains("auths"));
        assert_eq!(lookup_in(&f.env, "reg.io", None).unwrap(), Some(creds));
        assert!(remove_in(&f.env, "reg.io", None).unwrap());
        assert!(!remove_in(&f.env, "reg.io", None).unwrap());

        write(&p, r#"{"credHelpers": {"reg.io": "absent"}}"#);
        let e = lookup_in(&f.env, "reg.io", None).unwrap_err().to_string();
        assert!(e.contains("docker-credential-absent"), "{e}");
        // A missing default store is ignored.
        write(&p, r#"{"credsStore": "absent"}"#);
        assert!(lookup_in(&f.env, "reg.io", None).unwrap().is_none());
    }

    #[test]
    fn keys_normalize() {
        assert_eq!(normalize_key("https://index.docker.io/v1/"), "docker.io");
        assert_eq!(normalize_key("http://reg:5000/v2/"), "reg:5000");
        assert_eq!(normalize_key("reg:5000/a/b"), "reg:5000/a/b");
        assert_eq!(
            key_candidates("quay.io/a/b"),
            ["quay.io/a/b", "quay.io/a", "quay.io"]
        );
    }
}
