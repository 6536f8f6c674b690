//! `push`, `login` and `logout` against the local registries.

mod common;

use common::{OutputExt, Sandbox};

fn unique(prefix: &str) -> String {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}-{}-{n}", std::process::id())
}

fn digest_file(sb: &Sandbox) -> std::path::PathBuf {
    sb.home.join("digest")
}

#[test]
fn push_copies_manifests_byte_for_byte() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["multi:latest"]);
    let dest = format!("{}/lodger-test/{}:v1", env.registry, unique("pushed"));
    let df = digest_file(&sb);
    sb.lodger(&[
        "push",
        "--tls-verify=false",
        "--digestfile",
        df.to_str().unwrap(),
        "multi",
        &dest,
    ])
    .assert_ok();
    assert_eq!(
        std::fs::read_to_string(&df).unwrap(),
        env.layout_digest("multi")
    );
    // A fresh store pulls it back to the same image.
    let other = env.sandbox();
    let id = other
        .lodger(&["pull", "-q", "--tls-verify=false", &dest])
        .assert_ok()
        .stdout_str();
    let orig = sb
        .lodger(&["images", "-q", "--no-trunc", "multi"])
        .assert_ok()
        .stdout_str();
    assert_eq!(format!("sha256:{}", id.trim()), orig.trim());
    // Pushing again skips every blob.
    sb.lodger(&["push", "--tls-verify=false", "multi", &dest])
        .assert_ok()
        .assert_stderr_contains("skipped: already exists");
}

#[test]
fn push_converts_formats_on_request() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let dest = format!("{}/lodger-test/{}:v2", env.registry, unique("conv"));
    sb.lodger(&[
        "push",
        "--tls-verify=false",
        "--format",
        "v2s2",
        "small",
        &dest,
    ])
    .assert_ok();
    let other = env.sandbox();
    other
        .lodger(&["pull", "-q", "--tls-verify=false", &dest])
        .assert_ok();
    other
        .lodger(&["image", "inspect", "--format", "{{.ManifestType}}", &dest])
        .assert_ok()
        .assert_stdout_contains("application/vnd.docker.distribution.manifest.v2+json");
    sb.lodger(&["push", "--format", "v3", "small", &dest])
        .assert_exit(125)
        .assert_stderr_contains("oci or v2s2");
}

#[test]
fn push_of_an_unknown_image_or_to_a_down_registry_fails_with_125() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    sb.lodger(&["push", "--tls-verify=false", "nothing", &env.image("x:1")])
        .assert_exit(125)
        .assert_stderr_contains("nothing");
    sb.lodger(&["push", "--tls-verify=false", "small", "127.0.0.1:1/x/y:1"])
        .assert_exit(125)
        .assert_stderr_contains("127.0.0.1:1");
}

#[test]
fn login_push_pull_logout_on_the_tls_registry() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    sb.trust_tls_ca(&env);
    // Wrong password: refused, not stored, never printed.
    let bad = sb.lodger_stdin(
        &[
            "login",
            "-u",
            &env.tls_user,
            "--password-stdin",
            &env.tls_registry,
        ],
        b"not-the-password-42\n",
    );
    bad.assert_exit(125);
    assert!(!bad.stderr_str().contains("not-the-password-42"));
    assert!(!bad.stdout_str().contains("not-the-password-42"));
    let auth = sb.runtime_dir.join("containers/auth.json");
    assert!(
        !auth.exists()
            || !std::fs::read_to_string(&auth)
                .unwrap()
                .contains(&env.tls_registry)
    );

    sb.lodger_stdin(
        &[
            "login",
            "-u",
            &env.tls_user,
            "--password-stdin",
            &env.tls_registry,
        ],
        format!("{}\n", env.tls_password).as_bytes(),
    )
    .assert_ok()
    .assert_stdout_contains("Login Succeeded!");
    let stored = std::fs::read_to_string(&auth).unwrap();
    assert!(stored.contains(&env.tls_registry));
    sb.lodger(&["login", "--get-login", &env.tls_registry])
        .assert_ok()
        .assert_stdout_contains(&env.tls_user);

    let dest = format!("{}/lodger-test/{}:1", env.tls_registry, unique("tls"));
    sb.lodger(&["push", "small", &dest]).assert_ok();
    sb.lodger(&["rmi", "-a"]).assert_ok();
    sb.lodger(&["pull", "-q", &dest]).assert_ok();

    sb.lodger(&["logout", &env.tls_registry])
        .assert_ok()
        .assert_stdout_contains("Removed login credentials");
    sb.lodger(&["logout", &env.tls_registry])
        .assert_exit(125)
        .assert_stderr_contains("not logged into");
    sb.lodger(&["login", "--get-login", &env.tls_registry])
        .assert_exit(125);
    sb.lodger(&["logout", "-a"]).assert_ok();
}
