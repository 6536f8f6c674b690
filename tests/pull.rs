//! `pull` into the per-user store: formats, platforms, layer sharing, ownership, and every
//! way a pull can go wrong leaving the store as it was.

mod common;

use common::{OutputExt, Sandbox};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn pull(sb: &Sandbox, image: &str) -> std::process::Output {
    sb.lodger(&["pull", "--tls-verify=false", image])
}

/// Directory names under the store's `layers/`.
fn layer_dirs(sb: &Sandbox) -> Vec<PathBuf> {
    match std::fs::read_dir(sb.store().join("layers")) {
        Ok(rd) => rd.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

/// Find a path inside whichever layer holds it.
fn in_layers(sb: &Sandbox, rel: &str) -> Vec<PathBuf> {
    layer_dirs(sb)
        .into_iter()
        .map(|d| d.join("diff").join(rel))
        .filter(|p| p.symlink_metadata().is_ok())
        .collect()
}

fn image_names(sb: &Sandbox) -> String {
    sb.lodger(&["images", "--format", "{{.Repository}}:{{.Tag}}"])
        .assert_ok()
        .stdout_str()
}

fn staging_entries(sb: &Sandbox) -> usize {
    std::fs::read_dir(sb.store().join("tmp")).map_or(0, |rd| rd.count())
}

#[test]
fn pulls_small_oci_image_and_prints_its_id() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    let out = pull(&sb, &env.image("small:latest"));
    out.assert_ok();
    let id = out.stdout_str().trim().to_string();
    assert_eq!(id.len(), 64, "stdout is the full image id: {id:?}");
    assert!(image_names(&sb).contains(&env.image("small:latest")));
    // Non-terminal stderr gets Podman's plain progress lines.
    out.assert_stderr_contains("Copying blob");
    assert!(in_layers(&sb, "bin/busybox").len() == 1);
}

#[test]
fn quiet_pull_prints_only_the_id() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    let out = sb.lodger(&[
        "pull",
        "-q",
        "--tls-verify=false",
        &env.image("small:latest"),
    ]);
    out.assert_ok();
    assert!(out.stderr_str().is_empty(), "{}", out.stderr_str());
}

#[test]
fn multi_layer_image_lands_in_overlay_form_with_mapped_owners() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    pull(&sb, &env.image("multi:latest")).assert_ok();
    assert_eq!(layer_dirs(&sb).len(), 6, "one directory per layer");

    // uid 33 in the image is subuid_base + 32 on the host.
    let owned = in_layers(&sb, "data/owned33");
    assert_eq!(owned.len(), 1);
    let (base, _) = common::subid_range("/etc/subuid").expect("test user has a subuid range");
    let meta = owned[0].symlink_metadata().unwrap();
    assert_eq!(u64::from(meta.uid()), base + 32);
    assert_eq!(
        u64::from(meta.gid()),
        common::subid_range("/etc/subgid").unwrap().0 + 32
    );

    // The whiteout is an overlay whiteout: a 0/0 character device.
    let wh = in_layers(&sb, "data/b.txt")
        .into_iter()
        .find(|p| p.symlink_metadata().unwrap().file_type().is_char_device())
        .expect("whiteout for data/b.txt");
    assert_eq!(wh.symlink_metadata().unwrap().rdev(), 0);

    // The opaque directory carries the userxattr overlay marker.
    let opaque: Vec<_> = in_layers(&sb, "opt/app/old")
        .into_iter()
        .filter(|p| xattr(p, "user.overlay.opaque").as_deref() == Some(b"y".as_slice()))
        .collect();
    assert_eq!(opaque.len(), 1, "one layer marks opt/app/old opaque");

    // Setuid bit, symlinks and hardlinks kept.
    let suid = in_layers(&sb, "usr/bin/suid");
    assert_eq!(suid[0].symlink_metadata().unwrap().mode() & 0o7777, 0o4755);
    let abs = in_layers(&sb, "data/abs");
    assert_eq!(
        std::fs::read_link(&abs[0]).unwrap(),
        Path::new("/data/a.txt")
    );
    let hard = in_layers(&sb, "data/hard");
    assert_eq!(hard[0].symlink_metadata().unwrap().nlink(), 2);
    let big = in_layers(&sb, "data/big.bin");
    assert!(big[0].metadata().unwrap().len() >= 50 << 20);
}

fn xattr(path: &Path, name: &str) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; 64];
    let n = rustix::fs::lgetxattr(path, name, &mut buf).ok()?;
    buf.truncate(n);
    Some(buf)
}

#[test]
fn docker_v2s2_and_zstd_variants_pull_and_share_layers() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    pull(&sb, &env.image("multi:latest")).assert_ok();
    let before = layer_dirs(&sb).len();
    let v2 = pull(&sb, &env.image("multi:v2s2"));
    v2.assert_ok();
    // Same layers: nothing is downloaded or extracted again.
    assert!(
        !v2.stderr_str().contains("Copying blob")
            || v2.stderr_str().contains("skipped: already exists")
    );
    assert_eq!(layer_dirs(&sb).len(), before);
    let z = pull(&sb, &env.image("multi:zstd"));
    z.assert_ok();
    assert_eq!(
        layer_dirs(&sb).len(),
        before,
        "zstd layers have the same diff ids"
    );
    let names = image_names(&sb);
    for tag in ["latest", "v2s2", "zstd"] {
        assert!(
            names.contains(&env.image(&format!("multi:{tag}"))),
            "{names}"
        );
    }
}

#[test]
fn zstd_image_pulls_into_an_empty_store() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    pull(&sb, &env.image("multi:zstd")).assert_ok();
    assert_eq!(layer_dirs(&sb).len(), 6);
    assert!(!in_layers(&sb, "data/a.txt").is_empty());
}

#[test]
fn index_picks_the_host_platform_or_the_requested_one() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    pull(&sb, &env.image("index:latest")).assert_ok();
    let inspect = sb.lodger(&["image", "inspect", &env.image("index:latest")]);
    inspect
        .assert_ok()
        .assert_stdout_contains("\"Architecture\": \"amd64\"");
    assert!(in_layers(&sb, "arch").is_empty());

    let sb = env.sandbox();
    sb.lodger(&[
        "pull",
        "--tls-verify=false",
        "--platform",
        "linux/arm64",
        &env.image("index:latest"),
    ])
    .assert_ok();
    let arch = in_layers(&sb, "arch");
    assert_eq!(std::fs::read_to_string(&arch[0]).unwrap().trim(), "arm64");
    sb.lodger(&[
        "pull",
        "--tls-verify=false",
        "--arch",
        "s390x",
        &env.image("index:latest"),
    ])
    .assert_exit(125)
    .assert_stderr_contains("linux/s390x");
}

/// `--pull missing` with a platform: a local image of another platform does not count, as in
/// Podman; once the wanted one is here it is used without asking the registry.
#[test]
fn pull_missing_with_a_platform_pulls_when_the_local_image_is_another_one() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    let image = env.image("index:latest");
    pull(&sb, &image).assert_ok();
    let arch_of = |out: std::process::Output| {
        let id = out.assert_ok().stdout_str();
        sb.lodger(&["inspect", "--format", "{{.Image}}", id.trim()])
            .assert_ok()
            .stdout_str()
            .trim()
            .to_string()
    };
    let create = |extra: &[&str]| {
        let mut args = vec!["create", "--tls-verify=false"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&[image.as_str(), "true"]);
        sb.lodger(&args)
    };
    let amd = arch_of(create(&[]));
    let out = create(&["--platform", "linux/arm64"]);
    assert!(
        out.stderr_str().contains("Trying to pull"),
        "{}",
        out.stderr_str()
    );
    let arm = arch_of(out);
    assert_ne!(amd, arm);
    let img_arch = |id: &str| {
        sb.lodger(&["image", "inspect", "--format", "{{.Architecture}}", id])
            .assert_ok()
            .stdout_str()
    };
    assert_eq!(img_arch(&arm).trim(), "arm64");
    // Now present: no pull.
    let again = create(&["--arch", "arm64"]);
    assert!(
        !again.stderr_str().contains("Trying"),
        "{}",
        again.stderr_str()
    );
    assert_eq!(arch_of(again), arm);
    // never: the other platform's image is not used in its place.
    create(&["--pull", "never", "--platform", "linux/s390x"])
        .assert_exit(125)
        .assert_stderr_contains("no local image for platform linux/s390x");
    // Without a platform flag, whatever the name points to is used, as before.
    let plain = create(&["--pull", "never"]);
    assert_eq!(arch_of(plain), arm);
}

#[test]
fn pull_of_a_present_image_is_one_round_trip() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    pull(&sb, &env.image("small:latest")).assert_ok();
    let again = pull(&sb, &env.image("small:latest"));
    again.assert_ok();
    assert!(
        !again.stderr_str().contains("Copying"),
        "{}",
        again.stderr_str()
    );
}

#[test]
fn pull_by_digest_records_repo_digest() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    let digest = env.layout_digest("small");
    let by_digest = format!("{}@{digest}", env.image("small"));
    pull(&sb, &by_digest).assert_ok();
    sb.lodger(&["images", "--digests"])
        .assert_ok()
        .assert_stdout_contains(&digest);
    sb.lodger(&["image", "inspect", &by_digest])
        .assert_ok()
        .assert_stdout_contains(&by_digest);
}

#[test]
fn unknown_repository_and_tag_fail_with_125_and_leave_no_image() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    pull(&sb, &env.image("does-not-exist:latest"))
        .assert_exit(125)
        .assert_stderr_contains("does-not-exist");
    pull(&sb, &env.image("small:no-such-tag"))
        .assert_exit(125)
        .assert_stderr_contains("manifest unknown");
    assert!(image_names(&sb).trim().is_empty());
}

#[test]
fn registry_down_names_the_registry() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    let port = free_port();
    pull(&sb, &format!("127.0.0.1:{port}/x/y:latest"))
        .assert_exit(125)
        .assert_stderr_contains(&format!("127.0.0.1:{port}"));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn untrusted_certificate_names_tls_verify_and_certs_d() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    sb.login_tls(&env);
    let out = sb.lodger(&["pull", &env.tls_image("small:latest")]);
    out.assert_exit(125)
        .assert_stderr_contains("--tls-verify=false")
        .assert_stderr_contains("certs.d");
}

#[test]
fn tls_registry_with_ca_and_credentials() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    sb.trust_tls_ca(&env);
    // No credentials: authentication required.
    sb.lodger(&["pull", &env.tls_image("small:latest")])
        .assert_exit(125)
        .assert_stderr_contains("lodger login");
    // Wrong password: says so, never echoes it.
    let wrong = sb.lodger(&[
        "pull",
        "--creds",
        &format!("{}:wrong-secret-123", env.tls_user),
        &env.tls_image("small:latest"),
    ]);
    wrong.assert_exit(125);
    assert!(!wrong.stderr_str().contains("wrong-secret-123"));
    assert!(
        wrong.stderr_str().contains("password"),
        "{}",
        wrong.stderr_str()
    );
    // --creds works.
    sb.lodger(&[
        "pull",
        "--creds",
        &format!("{}:{}", env.tls_user, env.tls_password),
        &env.tls_image("small:latest"),
    ])
    .assert_ok();
    // auth.json works too, and --cert-dir points at a CA elsewhere.
    let sb = env.sandbox();
    sb.login_tls(&env);
    let certs = sb.home.join("mycerts");
    std::fs::create_dir_all(&certs).unwrap();
    std::fs::copy(&env.tls_ca, certs.join("ca.crt")).unwrap();
    sb.lodger(&[
        "pull",
        "--cert-dir",
        certs.to_str().unwrap(),
        &env.tls_image("small:latest"),
    ])
    .assert_ok();
}

/// A registries.conf that resolves short names at the (plain HTTP) test registry, and `extra`.
fn search_the_test_registry(sb: &Sandbox, env: &common::Env, extra: &str) {
    let conf = sb.config_home.join("containers/registries.conf");
    std::fs::create_dir_all(conf.parent().unwrap()).unwrap();
    std::fs::write(
        &conf,
        format!(
            "unqualified-search-registries = [\"{reg}\"]\n\
             [[registry]]\nlocation = \"{reg}\"\ninsecure = true\n{extra}",
            reg = env.registry
        ),
    )
    .unwrap();
}

#[test]
fn insecure_registry_from_registries_conf_and_short_names() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    search_the_test_registry(
        &sb,
        &env,
        &format!(
            "[aliases]\n\"tiny\" = \"{}/lodger-test/small\"\n",
            env.registry
        ),
    );
    sb.lodger(&["pull", "lodger-test/small"]).assert_ok();
    sb.lodger(&["pull", "tiny"]).assert_ok();
    assert!(image_names(&sb).contains(&env.image("small:latest")));
    // Short names find local images too.
    sb.lodger(&["image", "exists", "small"]).assert_ok();
}

#[test]
fn concurrent_pulls_of_one_image_both_succeed_and_store_one_copy() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    let image = env.image("multi:latest");
    let spawn = || {
        sb.command(&["pull", "-q", "--tls-verify=false", &image])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    a.assert_ok();
    b.assert_ok();
    assert_eq!(a.stdout, b.stdout, "same image id");
    assert_eq!(layer_dirs(&sb).len(), 6);
    assert_eq!(image_names(&sb).lines().count(), 1);
    assert_eq!(staging_entries(&sb), 0, "no staging left behind");
}

#[test]
fn pull_killed_halfway_leaves_no_half_image_and_the_next_pull_completes() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    let image = env.image("multi:latest");
    let mut child = sb
        .command(&["pull", "-q", "--tls-verify=false", &image])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill once a layer is being staged, i.e. really halfway.
    let deadline = Instant::now() + Duration::from_secs(30);
    while staging_entries(&sb) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(100));
    let _ = child.kill();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the pull was meant to be killed before it finished"
    );
    assert!(
        !image_names(&sb).contains("multi"),
        "no half image is listed"
    );
    pull(&sb, &image).assert_ok();
    assert!(image_names(&sb).contains("multi"));
    assert_eq!(
        staging_entries(&sb),
        0,
        "the next pull swept the dead one's staging"
    );
    // Every listed layer is whole.
    assert!(in_layers(&sb, "data/big.bin")[0].metadata().unwrap().len() >= 50 << 20);
}

/// A registry that serves a layer whose bytes do not match its digest.
fn lying_registry() -> (String, std::thread::JoinHandle<()>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let layer_claimed = common::ocilayout::sha256_digest(b"the real layer");
    let config = br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}"#.to_vec();
    let config_digest = common::ocilayout::sha256_digest(&config);
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{config_digest}","size":{}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{layer_claimed}","size":14}}]}}"#,
        config.len()
    );
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming().take(8) {
            let Ok(mut s) = stream else { continue };
            let mut line = String::new();
            let mut reader = BufReader::new(s.try_clone().unwrap());
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
                    break;
                }
            }
            let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
            let (ctype, body): (&str, Vec<u8>) = if path == "/v2/" {
                ("application/json", b"{}".to_vec())
            } else if path.contains("/manifests/") {
                (
                    "application/vnd.oci.image.manifest.v1+json",
                    manifest.clone().into_bytes(),
                )
            } else if path.ends_with(&config_digest) {
                ("application/octet-stream", config.clone())
            } else {
                ("application/octet-stream", b"a forged layer".to_vec())
            };
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(&body);
        }
    });
    (addr, handle)
}

#[test]
fn blob_not_matching_its_digest_is_rejected_and_nothing_is_kept() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    let (addr, _server) = lying_registry();
    pull(&sb, &format!("{addr}/evil/image:latest"))
        .assert_exit(125)
        .assert_stderr_contains("digest");
    assert!(image_names(&sb).trim().is_empty());
    assert!(layer_dirs(&sb).is_empty(), "no layer from a lying registry");
    assert_eq!(staging_entries(&sb), 0);
}

/// Nothing the hostile layers try may appear outside the store.
fn assert_nothing_escaped(sb: &Sandbox) {
    for p in [
        "/tmp/pwned-by-lodger",
        "/tmp/pwned-by-lodger2",
        "/escaped-abs",
        "/escaped",
    ] {
        assert!(!Path::new(p).exists(), "{p} was written outside the layer");
    }
    for dir in [
        sb.store().join("escaped"),
        sb.root().join("escaped"),
        sb.store().join("layers/escaped"),
    ] {
        assert!(
            !dir.exists(),
            "{} was written outside the layer",
            dir.display()
        );
    }
}

#[test]
fn hostile_layers_write_nothing_outside_the_layer() {
    let Some(env) = common::require_harness() else {
        return;
    };
    for case in [
        "dotdot",
        "abs",
        "symlink",
        "symlinkdotdot",
        "hardlink",
        "whiteoutdotdot",
        "devnode",
    ] {
        let sb = env.sandbox();
        let out = pull(&sb, &env.image(&format!("hostile-{case}:latest")));
        let code = out.code();
        assert!(
            code == Some(0) || code == Some(125),
            "hostile-{case}: exit {code:?}: {}",
            out.stderr_str()
        );
        if code == Some(125) {
            assert!(
                image_names(&sb).trim().is_empty(),
                "hostile-{case}: a failed pull keeps no image"
            );
        }
        assert_nothing_escaped(&sb);
        // Whatever landed stayed inside the layer.
        if case == "abs" && code == Some(0) {
            assert_eq!(
                in_layers(&sb, "escaped-abs").len(),
                1,
                "absolute path lands inside"
            );
        }
        if case == "hardlink" {
            out.assert_exit(125)
                .assert_stderr_contains("not in the layer");
        }
    }
}

#[test]
fn no_newuidmap_on_path_names_the_uidmap_package() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    let mut cmd = sb.command(&["pull", "--tls-verify=false", &env.image("multi:latest")]);
    cmd.env("PATH", "/nonexistent");
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    out.assert_exit(125).assert_stderr_contains("uidmap");
    // A single-id image still works, with the warning.
    let mut cmd = sb.command(&["pull", "--tls-verify=false", &env.image("small:latest")]);
    cmd.env("PATH", "/nonexistent");
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    out.assert_ok().assert_stderr_contains("uidmap");
}

#[test]
fn progress_bars_only_on_a_terminal() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox();
    // util-linux `script` runs the pull on a pseudo-terminal, as a user at a shell would.
    let on_tty = |args: &str| {
        let line = format!("{} {args}", env.bin.display());
        sb.command_for(Path::new("script"), &["-qefc", &line, "/dev/null"])
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let out = on_tty(&format!(
        "pull --tls-verify=false {}",
        env.image("multi:latest")
    ));
    out.assert_ok().assert_stdout_contains("Copying blob");
    assert!(
        out.stdout_str().contains('\u{1b}'),
        "a terminal gets redrawn progress bars: {}",
        out.stdout_str()
    );
    let quiet = on_tty(&format!(
        "pull -q --tls-verify=false {}",
        env.image("small:latest")
    ));
    quiet.assert_ok();
    let text = quiet.stdout_str();
    assert!(
        !text.contains("Copying") && !text.contains('\u{1b}'),
        "{text}"
    );
}

/// The image id a container was created from, as `image inspect` prints ids.
fn container_image(sb: &Sandbox, name: &str) -> String {
    let out = sb
        .lodger(&["container", "inspect", "--format", "{{.Image}}", name])
        .assert_ok()
        .stdout_str();
    out.trim().trim_start_matches("sha256:").to_string()
}

fn image_id(sb: &Sandbox, name: &str) -> String {
    sb.lodger(&["image", "inspect", "--format", "{{.Id}}", name])
        .assert_ok()
        .stdout_str()
        .trim()
        .to_string()
}

#[test]
fn pull_newer_pulls_only_when_the_registry_digest_differs() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let name = format!(
        "{}/lodger-test/newer-{}-{nanos}:latest",
        env.registry,
        std::process::id()
    );
    // `publisher` pushes under the test's own name; `user` holds what it pushed first.
    let publisher = env.sandbox_with(&["small:latest", "multi:latest"]);
    let push = |image: &str| {
        publisher
            .lodger(&["tag", &env.image(image), &name])
            .assert_ok();
        publisher
            .lodger(&["push", "-q", "--tls-verify=false", &name])
            .assert_ok();
    };
    push("small:latest");
    let user = env.sandbox_with(&["small:latest"]);
    user.lodger(&["tag", &env.image("small:latest"), &name])
        .assert_ok();
    let small_id = image_id(&user, &name);
    let multi_id = image_id(&publisher, &env.image("multi:latest"));
    assert_ne!(small_id, multi_id);
    let create = |policy: &str, cname: &str| {
        user.lodger(&[
            "create",
            "--tls-verify=false",
            "--pull",
            policy,
            "--name",
            cname,
            &name,
            "true",
        ])
    };

    // Same digest on both sides: nothing to pull.
    let out = create("newer", "same");
    out.assert_ok();
    assert!(
        !out.stderr_str().contains("Trying to pull"),
        "{}",
        out.stderr_str()
    );
    assert_eq!(container_image(&user, "same"), small_id);

    // The tag moves on in the registry: `missing` keeps the local image, `newer` pulls.
    push("multi:latest");
    create("missing", "kept").assert_ok();
    assert_eq!(container_image(&user, "kept"), small_id);
    create("newer", "renewed")
        .assert_ok()
        .assert_stderr_contains("Trying to pull");
    assert_eq!(container_image(&user, "renewed"), multi_id);
    assert_eq!(image_id(&user, &name), multi_id);

    // `pull --policy` takes the same policies; the default stays `always`.
    user.lodger(&["tag", &env.image("small:latest"), &name])
        .assert_ok();
    user.lodger(&["pull", "-q", "--policy", "missing", &name])
        .assert_ok();
    assert_eq!(image_id(&user, &name), small_id);
    user.lodger(&[
        "pull",
        "-q",
        "--tls-verify=false",
        "--policy",
        "newer",
        &name,
    ])
    .assert_ok()
    .assert_stdout_contains(&multi_id);
    user.lodger(&["pull", "--policy", "never", "nothing/here"])
        .assert_exit(125)
        .assert_stderr_contains("image not known");
}

#[test]
fn pull_newer_checks_the_name_a_short_name_found_not_the_search_registries() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["multi:latest"]);
    search_the_test_registry(&sb, &env, "");
    // The short name finds a local image from an unreachable registry; the search registry
    // holds another image under the same short name, which `newer` must not take.
    let port = free_port();
    let local = format!("127.0.0.1:{port}/lodger-test/small:latest");
    sb.lodger(&["tag", &env.image("multi:latest"), &local])
        .assert_ok();
    let multi_id = image_id(&sb, &local);
    sb.lodger(&[
        "create",
        "--pull=newer",
        "--name",
        "c",
        "lodger-test/small",
        "true",
    ])
    .assert_ok();
    assert_eq!(container_image(&sb, "c"), multi_id);
}

#[test]
fn pull_newer_uses_the_local_image_when_the_registry_is_unreachable() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let port = free_port();
    let gone = format!("127.0.0.1:{port}/lodger-test/gone:latest");
    let sb = env.sandbox_with(&["small:latest"]);
    sb.lodger(&["tag", &env.image("small:latest"), &gone])
        .assert_ok();
    let small_id = image_id(&sb, &gone);
    sb.lodger(&[
        "run",
        "--rm",
        "--tls-verify=false",
        "--pull=newer",
        &gone,
        "true",
    ])
    .assert_ok();
    sb.lodger(&[
        "create",
        "--tls-verify=false",
        "--pull=newer",
        "--name",
        "c",
        &gone,
    ])
    .assert_ok();
    assert_eq!(container_image(&sb, "c"), small_id);
    // `always` has no such fallback.
    sb.lodger(&["create", "--tls-verify=false", "--pull=always", &gone])
        .assert_exit(125);
}
