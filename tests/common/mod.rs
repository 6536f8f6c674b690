//! Support for the integration tests (`mod common;` in each test file).
//!
//! The tests run the real binary as an unprivileged user against local registries; all of
//! that is set up by `sudo scripts/test`, which passes the environment read by [`Env`]. A test
//! started some other way (plain `cargo test`) finds no environment and returns early after
//! saying so: see [`require_harness`].
#![allow(dead_code)]

pub mod busybox;
pub mod lab;
pub mod ocilayout;
pub mod tmux;

use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Once;

use base64::Engine;

/// What to do when the harness environment is missing.
pub const HARNESS_HINT: &str = "run the integration tests with `sudo scripts/test` (or start \
    the registries with `scripts/registry-up DIR`, `source DIR/env.sh` and set LODGER_BIN)";

/// Repository, inside each registry, of the fixture images.
pub const FIXTURE_REPO: &str = "lodger-test";

/// The harness environment (variable names in parentheses).
#[derive(Clone, Debug)]
pub struct Env {
    /// The binary under test (`LODGER_BIN`).
    pub bin: PathBuf,
    /// `host:port` of the plain HTTP registry without auth (`LODGER_TEST_REGISTRY`).
    pub registry: String,
    /// `host:port` of the HTTPS registry with basic auth (`LODGER_TEST_TLS_REGISTRY`).
    pub tls_registry: String,
    /// PEM CA certificate of the HTTPS registry (`LODGER_TEST_TLS_CA`).
    pub tls_ca: PathBuf,
    /// `LODGER_TEST_TLS_USER` / `LODGER_TEST_TLS_PASSWORD`.
    pub tls_user: String,
    pub tls_password: String,
    /// Directory of the fixture OCI layouts and archives (`LODGER_TEST_FIXTURES`).
    pub fixtures: PathBuf,
}

fn var(name: &str, missing: &mut Vec<&'static str>, static_name: &'static str) -> String {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => v,
        _ => {
            missing.push(static_name);
            String::new()
        }
    }
}

impl Env {
    /// The environment, or the names of the variables that are missing.
    pub fn from_env() -> Result<Env, Vec<&'static str>> {
        let mut missing = Vec::new();
        let mut get = |name: &'static str| var(name, &mut missing, name);
        let env = Env {
            bin: PathBuf::from(get("LODGER_BIN")),
            registry: get("LODGER_TEST_REGISTRY"),
            tls_registry: get("LODGER_TEST_TLS_REGISTRY"),
            tls_ca: PathBuf::from(get("LODGER_TEST_TLS_CA")),
            tls_user: get("LODGER_TEST_TLS_USER"),
            tls_password: get("LODGER_TEST_TLS_PASSWORD"),
            fixtures: PathBuf::from(get("LODGER_TEST_FIXTURES")),
        };
        if missing.is_empty() {
            Ok(env)
        } else {
            Err(missing)
        }
    }

    /// `<registry>/lodger-test/<name>`, e.g. `image("small:latest")`.
    pub fn image(&self, name: &str) -> String {
        format!("{}/{FIXTURE_REPO}/{name}", self.registry)
    }

    /// `<tls registry>/lodger-test/<name>`.
    pub fn tls_image(&self, name: &str) -> String {
        format!("{}/{FIXTURE_REPO}/{name}", self.tls_registry)
    }

    /// The OCI layout a fixture image was pushed from: `small`, `multi`, `multi-zstd`,
    /// `index`, `hostile-<case>`.
    pub fn layout(&self, name: &str) -> PathBuf {
        self.fixtures.join(name)
    }

    /// Digest of the manifest (or index) a fixture layout names `latest`; the registry holds
    /// the same bytes for every OCI-format fixture.
    pub fn layout_digest(&self, name: &str) -> String {
        let index = fs::read(self.layout(name).join("index.json")).unwrap();
        let index: serde_json::Value = serde_json::from_slice(&index).unwrap();
        index["manifests"][0]["digest"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A blob of a fixture layout, e.g. its manifest.
    pub fn layout_blob(&self, name: &str, digest: &str) -> Vec<u8> {
        let hex = digest.trim_start_matches("sha256:");
        fs::read(self.layout(name).join("blobs/sha256").join(hex)).unwrap()
    }

    pub fn sandbox(&self) -> Sandbox {
        Sandbox::new(&self.bin)
    }

    /// A sandbox with these fixture images (e.g. `"small:latest"`) already pulled.
    pub fn sandbox_with(&self, images: &[&str]) -> Sandbox {
        let sb = self.sandbox();
        for i in images {
            sb.lodger(&["pull", "-q", "--tls-verify=false", &self.image(i)])
                .assert_ok();
        }
        sb
    }
}

/// Says why a test checks less than it could, or nothing: straight to the process's stderr,
/// since libtest swallows the `eprintln!` of tests that pass.
pub fn say(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

fn say_once(once: &'static Once, msg: &str) {
    once.call_once(|| {
        // Straight to the process's stderr: libtest captures eprintln! of passing tests.
        let _ = writeln!(std::io::stderr(), "\n{msg}\n");
    });
}

/// The harness environment, or `None` after printing (once per test binary) why the test is
/// skipped. Use as `let Some(env) = common::require_harness() else { return };`.
pub fn require_harness() -> Option<Env> {
    static ONCE: Once = Once::new();
    match Env::from_env() {
        Ok(env) => Some(env),
        Err(missing) => {
            say_once(
                &ONCE,
                &format!(
                    "SKIPPING integration tests: {} not set; {HARNESS_HINT}",
                    missing.join(", ")
                ),
            );
            None
        }
    }
}

/// The binary under test for tests that need no registry: `LODGER_BIN`, else the one cargo
/// built for this test run.
pub fn lodger_bin() -> PathBuf {
    match std::env::var_os("LODGER_BIN") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(env!("CARGO_BIN_EXE_lodger")),
    }
}

/// Podman, for interoperability tests that only run where it is installed.
pub fn podman() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("podman"))
        .find(|p| p.is_file())
}

/// The first `/etc/subuid`-style range of the current user: `(start, count)`.
pub fn subid_range(file: &str) -> Option<(u64, u64)> {
    let uid = rustix::process::getuid().as_raw().to_string();
    let name = std::env::var("USER").unwrap_or_default();
    let text = fs::read_to_string(file).ok()?;
    text.lines().find_map(|line| {
        let mut parts = line.trim().split(':');
        let owner = parts.next()?;
        if owner != uid && owner != name {
            return None;
        }
        Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
    })
}

/// A per-test home: fresh `HOME`, `XDG_DATA_HOME`, `XDG_CONFIG_HOME`, `XDG_RUNTIME_DIR` (0700)
/// and `TMPDIR`, removed on drop (including files owned by subordinate ids).
pub struct Sandbox {
    /// Holds everything below; removed last.
    dir: Option<tempfile::TempDir>,
    pub home: PathBuf,
    pub data_home: PathBuf,
    pub config_home: PathBuf,
    pub runtime_dir: PathBuf,
    pub tmp_dir: PathBuf,
    pub bin: PathBuf,
}

impl Sandbox {
    pub fn new(bin: &Path) -> Sandbox {
        let dir = tempfile::Builder::new()
            .prefix("lodger-test-")
            .tempdir()
            .unwrap();
        let root = dir.path().to_path_buf();
        let home = root.join("home");
        // The XDG defaults below HOME, so that tools which ignore XDG_* agree.
        let data_home = home.join(".local/share");
        let config_home = home.join(".config");
        let runtime_dir = root.join("run");
        let tmp_dir = root.join("tmp");
        for d in [&home, &data_home, &config_home, &runtime_dir, &tmp_dir] {
            fs::create_dir_all(d).unwrap();
        }
        for d in [&home, &runtime_dir, &tmp_dir] {
            fs::set_permissions(d, fs::Permissions::from_mode(0o700)).unwrap();
        }
        Sandbox {
            dir: Some(dir),
            home,
            data_home,
            config_home,
            runtime_dir,
            tmp_dir,
            bin: bin.to_path_buf(),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.as_ref().unwrap().path()
    }

    /// lodger's store: `$XDG_DATA_HOME/lodger`.
    pub fn store(&self) -> PathBuf {
        self.data_home.join("lodger")
    }

    /// The sandbox's environment, with nothing inherited but PATH (and RUST_BACKTRACE).
    pub fn env_vars(&self) -> Vec<(String, OsString)> {
        let user = std::env::var("USER").unwrap_or_else(|_| "lodger-test".into());
        let path =
            std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
        let mut vars = vec![
            ("HOME".to_string(), self.home.clone().into_os_string()),
            ("USER".to_string(), OsString::from(&user)),
            ("LOGNAME".to_string(), OsString::from(&user)),
            ("PATH".to_string(), path),
            (
                "XDG_DATA_HOME".to_string(),
                self.data_home.clone().into_os_string(),
            ),
            (
                "XDG_CONFIG_HOME".to_string(),
                self.config_home.clone().into_os_string(),
            ),
            (
                "XDG_RUNTIME_DIR".to_string(),
                self.runtime_dir.clone().into_os_string(),
            ),
            ("TMPDIR".to_string(), self.tmp_dir.clone().into_os_string()),
        ];
        if let Some(bt) = std::env::var_os("RUST_BACKTRACE") {
            vars.push(("RUST_BACKTRACE".to_string(), bt));
        }
        vars
    }

    /// A command running `program` in this sandbox (cwd: its HOME); for pipes, ttys, timeouts.
    pub fn command_for(&self, program: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(program);
        cmd.args(args).env_clear().current_dir(&self.home);
        cmd.envs(self.env_vars());
        cmd
    }

    /// `lodger <args>` as a [`Command`], not started yet.
    pub fn command(&self, args: &[&str]) -> Command {
        self.command_for(&self.bin, args)
    }

    /// Run `lodger <args>` to completion with stdin from /dev/null.
    pub fn lodger(&self, args: &[&str]) -> Output {
        self.run(self.command(args).stdin(Stdio::null()), args)
    }

    /// Run `lodger <args>` with `input` on stdin.
    pub fn lodger_stdin(&self, args: &[&str], input: &[u8]) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.bin.display()));
        let mut stdin = child.stdin.take().unwrap();
        let input = input.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let out = child.wait_with_output().unwrap();
        let _ = writer.join();
        log_run(args, &out);
        out
    }

    fn run(&self, cmd: &mut Command, args: &[&str]) -> Output {
        let out = cmd
            .output()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.bin.display()));
        log_run(args, &out);
        out
    }

    /// Trust the TLS registry's CA the way Podman does (`~/.config/containers/certs.d`).
    pub fn trust_tls_ca(&self, env: &Env) {
        let dir = self
            .config_home
            .join("containers/certs.d")
            .join(&env.tls_registry);
        fs::create_dir_all(&dir).unwrap();
        fs::copy(&env.tls_ca, dir.join("ca.crt")).unwrap();
    }

    /// Store the TLS registry's credentials in `$XDG_RUNTIME_DIR/containers/auth.json`.
    pub fn login_tls(&self, env: &Env) {
        self.write_auth(&env.tls_registry, &env.tls_user, &env.tls_password);
    }

    pub fn write_auth(&self, registry: &str, user: &str, password: &str) {
        let dir = self.runtime_dir.join("containers");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("auth.json"), auth_json(registry, user, password)).unwrap();
    }
}

/// An auth.json with one basic-auth entry.
pub fn auth_json(registry: &str, user: &str, password: &str) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    serde_json::json!({ "auths": { registry: { "auth": token } } }).to_string()
}

/// Shown with the output of a failing test.
fn log_run(args: &[&str], out: &Output) {
    eprintln!(
        "+ lodger {} -> {}\n{}{}",
        args.join(" "),
        describe_status(out),
        indent("stdout", &out.stdout),
        indent("stderr", &out.stderr)
    );
}

fn indent(label: &str, bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return String::new();
    }
    let text = String::from_utf8_lossy(bytes);
    let mut s = format!("  {label}:\n");
    for line in text.lines().take(200) {
        s.push_str("    ");
        s.push_str(line);
        s.push('\n');
    }
    s
}

fn describe_status(out: &Output) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (out.status.code(), out.status.signal()) {
        (Some(c), _) => format!("exit {c}"),
        (None, Some(s)) => format!("killed by signal {s}"),
        _ => "unknown status".to_string(),
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let Some(dir) = self.dir.take() else { return };
        let root = dir.path().to_path_buf();
        remove_tree(&root);
        // TempDir's own removal handles whatever is left (errors ignored).
        drop(dir);
    }
}

/// Remove a tree that may hold files owned by the user's subordinate ids: plain `rm` first,
/// then `rm` inside a user namespace that maps those ids (util-linux `unshare`, which calls
/// newuidmap/newgidmap), so a broken lodger cannot break the cleanup.
pub fn remove_tree(root: &Path) {
    let rm = |cmd: &mut Command| {
        let _ = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    };
    rm(Command::new("rm")
        .arg("-rf")
        .arg("--one-file-system")
        .arg(root));
    if !root.exists() {
        return;
    }
    if let (Some((uid, ucount)), Some((gid, gcount))) =
        (subid_range("/etc/subuid"), subid_range("/etc/subgid"))
    {
        rm(Command::new("unshare")
            .arg("--map-user=0")
            .arg("--map-group=0")
            .arg(format!("--map-users={uid},1,{ucount}"))
            .arg(format!("--map-groups={gid},1,{gcount}"))
            .args(["rm", "-rf", "--one-file-system"])
            .arg(root));
    }
    if root.exists() {
        rm(Command::new("chmod").arg("-R").arg("u+rwX").arg(root));
        rm(Command::new("rm")
            .arg("-rf")
            .arg("--one-file-system")
            .arg(root));
    }
}

/// Assertions on a finished command; each failure message shows the exit status and output.
pub trait OutputExt {
    fn stdout_str(&self) -> String;
    fn stderr_str(&self) -> String;
    fn code(&self) -> Option<i32>;
    fn assert_ok(&self) -> &Self;
    fn assert_exit(&self, code: i32) -> &Self;
    fn assert_failure(&self) -> &Self;
    fn assert_stdout_contains(&self, needle: &str) -> &Self;
    fn assert_stderr_contains(&self, needle: &str) -> &Self;
}

impl OutputExt for Output {
    fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    fn code(&self) -> Option<i32> {
        self.status.code()
    }

    fn assert_ok(&self) -> &Self {
        assert!(
            self.status.success(),
            "expected success, got {}",
            report(self)
        );
        self
    }

    fn assert_exit(&self, code: i32) -> &Self {
        assert_eq!(
            self.status.code(),
            Some(code),
            "expected exit {code}, got {}",
            report(self)
        );
        self
    }

    fn assert_failure(&self) -> &Self {
        assert!(
            !self.status.success(),
            "expected failure, got {}",
            report(self)
        );
        self
    }

    fn assert_stdout_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stdout_str().contains(needle),
            "stdout does not contain {needle:?}: {}",
            report(self)
        );
        self
    }

    fn assert_stderr_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stderr_str().contains(needle),
            "stderr does not contain {needle:?}: {}",
            report(self)
        );
        self
    }
}

fn report(out: &Output) -> String {
    format!(
        "{}\n{}{}",
        describe_status(out),
        indent("stdout", &out.stdout),
        indent("stderr", &out.stderr)
    )
}
