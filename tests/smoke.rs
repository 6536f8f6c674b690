//! The binary starts and reports its version; the fixture writer is reproducible.

mod common;

use std::io::Read;

use common::ocilayout::{self, Compression, Entry, ImageConfig, OciLayout};
use common::{OutputExt, Sandbox};

const VERSION: &str = env!("CARGO_PKG_VERSION");

#[test]
fn version_flag_prints_version() {
    let sandbox = Sandbox::new(&common::lodger_bin());
    sandbox
        .lodger(&["--version"])
        .assert_ok()
        .assert_stdout_contains(VERSION);
}

#[test]
fn version_command_prints_version() {
    let sandbox = Sandbox::new(&common::lodger_bin());
    sandbox
        .lodger(&["version"])
        .assert_ok()
        .assert_stdout_contains(VERSION);
}

#[test]
fn harness_fixtures_are_present() {
    let Some(env) = common::require_harness() else {
        return;
    };
    for name in ["small", "multi", "multi-zstd", "index", "hostile-dotdot"] {
        let digest = env.layout_digest(name);
        assert!(digest.starts_with("sha256:"), "{name}: {digest}");
        assert!(!env.layout_blob(name, &digest).is_empty());
    }
    assert!(env.fixtures.join("small.oci.tar").is_file());
    assert!(env.fixtures.join("small.docker.tar").is_file());
    assert!(env.tls_ca.is_file());
    assert!(env.bin.is_file());
}

fn sample_entries() -> Vec<Entry> {
    vec![
        Entry::dir("data"),
        Entry::file("data/a.txt", "a\n").owner(33, 33),
        Entry::random("data/r.bin", 100_000, 7),
        Entry::symlink("data/abs", "/data/a.txt"),
        Entry::hardlink("data/hard", "data/a.txt"),
        Entry::whiteout("data/gone"),
        Entry::opaque("data"),
        Entry::char_dev("null", 1, 3),
        Entry::file("../../escaped", "x"),
        Entry::file("/abs", "x"),
        Entry::file(&format!("long/{}", "n".repeat(150)), "long name"),
        Entry::symlink("longlink", &format!("/{}", "t".repeat(150))),
    ]
}

#[test]
fn layer_tar_keeps_raw_names_and_metadata() {
    let tar = ocilayout::layer_tar(&sample_entries()).unwrap();
    let mut archive = tar::Archive::new(tar.as_slice());
    let mut seen = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let header = entry.header().clone();
        assert_eq!(header.mtime().unwrap(), ocilayout::FIXED_MTIME, "{path}");
        match path.as_str() {
            "data/a.txt" => assert_eq!(header.uid().unwrap(), 33),
            "data/r.bin" => {
                let mut data = Vec::new();
                entry.read_to_end(&mut data).unwrap();
                assert_eq!(data, ocilayout::random_bytes(7, 100_000));
            }
            "data/hard" => assert_eq!(&*entry.link_name_bytes().unwrap(), b"data/a.txt"),
            "null" => assert_eq!(header.device_major().unwrap(), Some(1)),
            "longlink" => assert_eq!(entry.link_name_bytes().unwrap().len(), 151),
            _ => {}
        }
        seen.push(path);
    }
    for want in [
        "data/",
        "data/.wh.gone",
        "data/.wh..wh..opq",
        "../../escaped",
        "/abs",
    ] {
        assert!(seen.iter().any(|p| p == want), "{want} missing in {seen:?}");
    }
    assert!(
        seen.iter().any(|p| p.len() == 155),
        "long name lost: {seen:?}"
    );
}

#[test]
fn layouts_are_reproducible() {
    let build = |dir: &std::path::Path, compression| {
        let mut layout = OciLayout::create(dir).unwrap();
        let layer = layout
            .add_layer("test", &sample_entries(), compression)
            .unwrap();
        let config = ImageConfig::new().label("k", "v");
        let manifest = layout.add_image(&config, &[layer]).unwrap();
        layout.tag(&manifest, "latest").unwrap();
        manifest.digest
    };
    let tmp = tempfile::tempdir().unwrap();
    for compression in [Compression::Gzip, Compression::Zstd, Compression::None] {
        let a = build(&tmp.path().join("a"), compression);
        let b = build(&tmp.path().join("b"), compression);
        assert_eq!(a, b, "{compression:?}");
        let blob = std::fs::read(tmp.path().join("a/blobs/sha256").join(&a[7..])).unwrap();
        assert_eq!(ocilayout::sha256_digest(&blob), a);
    }
}

/// The sandbox must clean up files that only the user namespace can remove (owned by a
/// subordinate id, in a read-only directory), or every test would leak its store.
#[test]
fn sandbox_removes_files_owned_by_subordinate_ids() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let (Some((uid, ucount)), Some((gid, gcount))) = (
        common::subid_range("/etc/subuid"),
        common::subid_range("/etc/subgid"),
    ) else {
        panic!("the harness user has no subordinate id range");
    };
    let sandbox = env.sandbox();
    let root = sandbox.root().to_path_buf();
    let dir = sandbox.data_home.join("owned");
    let script = format!(
        "mkdir -p {d}/sub && touch {d}/sub/f && chown -R 33:33 {d} && chmod 555 {d}/sub",
        d = dir.display()
    );
    let status = std::process::Command::new("unshare")
        .arg("--map-user=0")
        .arg("--map-group=0")
        .arg(format!("--map-users={uid},1,{ucount}"))
        .arg(format!("--map-groups={gid},1,{gcount}"))
        .args(["sh", "-c", &script])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(std::fs::remove_dir_all(&dir).is_err(), "setup did not take");
    drop(sandbox);
    assert!(!root.exists(), "{} left behind", root.display());
}
