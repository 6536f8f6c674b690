//! Extraction tests: tars built in memory, extracted into temporary directories.
//!
//! In-process tests keep the extracting user as owner (they pass as root and as an
//! unprivileged user); ownership is tested through the real helper in a user namespace when
//! the lodger binary is built and the user has a subordinate id range.

use std::fs;
use std::io::Read;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rustix::fs::{Mode, OFlags};
use sha2::{Digest, Sha256};
use tar::{EntryType, Header};

use super::*;

/// A tar under construction; names and link names are written raw, so hostile names
/// survive (the tar crate's own path setters refuse `..`).
struct Tar(tar::Builder<Vec<u8>>);

impl Tar {
    fn new() -> Tar {
        Tar(tar::Builder::new(Vec::new()))
    }

    #[allow(clippy::too_many_arguments)]
    fn raw(
        &mut self,
        name: &str,
        kind: EntryType,
        link: &str,
        data: &[u8],
        mode: u32,
        uid: u64,
        gid: u64,
    ) -> &mut Tar {
        let mut h = Header::new_gnu();
        {
            let gnu = h.as_gnu_mut().unwrap();
            gnu.name[..name.len()].copy_from_slice(name.as_bytes());
            gnu.linkname[..link.len()].copy_from_slice(link.as_bytes());
        }
        h.set_entry_type(kind);
        h.set_size(data.len() as u64);
        h.set_mode(mode);
        h.set_uid(uid);
        h.set_gid(gid);
        h.set_mtime(1_000_000_000);
        h.set_cksum();
        self.0.append(&h, data).unwrap();
        self
    }

    fn file(&mut self, name: &str, data: &[u8]) -> &mut Tar {
        self.raw(name, EntryType::Regular, "", data, 0o644, 0, 0)
    }

    fn dir(&mut self, name: &str) -> &mut Tar {
        self.raw(name, EntryType::Directory, "", b"", 0o755, 0, 0)
    }

    fn symlink(&mut self, name: &str, target: &str) -> &mut Tar {
        self.raw(name, EntryType::Symlink, target, b"", 0o777, 0, 0)
    }

    fn hardlink(&mut self, name: &str, target: &str) -> &mut Tar {
        self.raw(name, EntryType::Link, target, b"", 0o644, 0, 0)
    }

    fn finish(&mut self) -> Vec<u8> {
        let b = std::mem::replace(&mut self.0, tar::Builder::new(Vec::new()));
        b.into_inner().unwrap()
    }
}

/// A temporary directory holding `root/` (the layer) and `outside/` (must stay empty).
struct Scratch {
    _tmp: tempfile::TempDir,
    base: PathBuf,
}

impl Scratch {
    fn new() -> Scratch {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().to_path_buf();
        fs::create_dir(base.join("root")).unwrap();
        fs::create_dir(base.join("outside")).unwrap();
        Scratch { _tmp: tmp, base }
    }

    fn root(&self) -> PathBuf {
        self.base.join("root")
    }

    fn root_fd(&self) -> OwnedFd {
        rustix::fs::open(
            self.root(),
            OFlags::RDONLY | OFlags::DIRECTORY,
            Mode::empty(),
        )
        .unwrap()
    }

    fn extract(&self, tar: &[u8]) -> Result<ExtractStats, LayerError> {
        extract_tar(tar, self.root_fd().as_fd(), Ownership::Ignore)
    }

    /// Everything in the scratch directory outside `root/` is exactly what the test made.
    fn assert_nothing_outside(&self) {
        let mut top: Vec<_> = fs::read_dir(&self.base)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        top.sort();
        assert_eq!(top, ["outside", "root"]);
        assert_eq!(fs::read_dir(self.base.join("outside")).unwrap().count(), 0);
    }
}

#[test]
fn extracts_files_dirs_links_and_metadata() {
    let s = Scratch::new();
    let long = format!("{}/file", "d".repeat(150));
    let mut b = Tar::new();
    b.raw("./", EntryType::Directory, "", b"", 0o751, 0, 0)
        .dir("etc/")
        .file("etc/hostname", b"box\n")
        .raw("bin/su", EntryType::Regular, "", b"#!", 0o4755, 0, 0)
        .symlink("etc/localtime", "/usr/share/zoneinfo/UTC")
        .hardlink("etc/hostname2", "etc/hostname")
        .raw("run/fifo", EntryType::Fifo, "", b"", 0o600, 0, 0)
        .raw("old/dir/", EntryType::Regular, "", b"", 0o700, 0, 0);
    let mut h = Header::new_gnu();
    h.set_size(2);
    h.set_mode(0o600);
    h.set_mtime(5);
    b.0.append_data(&mut h, &long, &b"hi"[..]).unwrap();
    let tar = b.finish();
    let stats = s.extract(&tar).unwrap();
    assert!(stats.warnings.is_empty(), "{:?}", stats.warnings);
    let r = s.root();
    assert_eq!(fs::read(r.join("etc/hostname")).unwrap(), b"box\n");
    assert_eq!(fs::read(r.join(&long)).unwrap(), b"hi");
    let m = fs::metadata(r.join("bin/su")).unwrap();
    assert_eq!(m.permissions().mode() & 0o7777, 0o4755);
    assert_eq!(
        fs::metadata(r.join("bin")).unwrap().permissions().mode() & 0o777,
        0o755
    );
    assert_eq!(
        fs::read_link(r.join("etc/localtime")).unwrap(),
        Path::new("/usr/share/zoneinfo/UTC")
    );
    assert_eq!(
        fs::metadata(r.join("etc/hostname")).unwrap().ino(),
        fs::metadata(r.join("etc/hostname2")).unwrap().ino()
    );
    assert!(fs::metadata(r.join("run/fifo"))
        .unwrap()
        .file_type()
        .is_fifo());
    assert!(fs::metadata(r.join("old/dir")).unwrap().is_dir());
    // Directory times are set after their contents were written.
    assert_eq!(fs::metadata(r.join("etc")).unwrap().mtime(), 1_000_000_000);
    assert_eq!(fs::metadata(&r).unwrap().mtime(), 1_000_000_000);
    assert_eq!(
        fs::metadata(&r).unwrap().permissions().mode() & 0o777,
        0o751
    );
    assert_eq!(fs::metadata(r.join(&long)).unwrap().mtime(), 5);
}

#[test]
fn later_entries_replace_earlier_ones() {
    let s = Scratch::new();
    let tar = Tar::new()
        .file("a", b"file")
        .dir("a/")
        .file("a/inner", b"x")
        .dir("b/")
        .file("b/inner", b"x")
        .symlink("b", "a")
        .file("b/through", b"y")
        .file("c", b"1")
        .file("c", b"2")
        .finish();
    s.extract(&tar).unwrap();
    let r = s.root();
    assert!(fs::symlink_metadata(r.join("a")).unwrap().is_dir());
    assert!(fs::symlink_metadata(r.join("b"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read(r.join("a/through")).unwrap(), b"y");
    assert_eq!(fs::read(r.join("c")).unwrap(), b"2");
}

#[test]
fn whiteouts_and_opaque_dirs() {
    let s = Scratch::new();
    let tar = Tar::new()
        .dir("etc/")
        .file("etc/old", b"x")
        .file("etc/.wh.old", b"")
        .file(".wh.gone", b"")
        .dir("var/cache/")
        .file("var/cache/.wh..wh..opq", b"")
        .file("var/.wh...", b"")
        .file("var/.wh..", b"")
        .file("var/.wh..wh.plnk", b"")
        .finish();
    let stats = s.extract(&tar).unwrap();
    let r = s.root();
    for p in ["etc/old", "gone"] {
        let m = fs::symlink_metadata(r.join(p)).unwrap();
        assert!(m.file_type().is_char_device(), "{p}");
        assert_eq!(m.rdev(), 0, "{p}");
    }
    let mut v = [0u8; 4];
    let n = rustix::fs::getxattr(r.join("var/cache"), "user.overlay.opaque", &mut v).unwrap();
    assert_eq!(&v[..n], b"y");
    assert_eq!(stats.warnings.len(), 3, "{:?}", stats.warnings);
    let names: Vec<_> = fs::read_dir(r.join("var"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["cache"]);
    s.assert_nothing_outside();
}

#[test]
fn dot_dot_names_are_skipped() {
    let s = Scratch::new();
    let tar = Tar::new()
        .file("../x", b"evil")
        .file("a/../../x", b"evil")
        .file("../outside/x", b"evil")
        .file("a/../b", b"fine")
        .finish();
    let stats = s.extract(&tar).unwrap();
    assert_eq!(stats.warnings.len(), 3, "{:?}", stats.warnings);
    assert_eq!(fs::read(s.root().join("b")).unwrap(), b"fine");
    s.assert_nothing_outside();
}

#[test]
fn absolute_names_land_inside() {
    let s = Scratch::new();
    let outside = s.base.join("outside/x");
    let tar = Tar::new().file(outside.to_str().unwrap(), b"in").finish();
    s.extract(&tar).unwrap();
    let inside = s.root().join(outside.strip_prefix("/").unwrap());
    assert_eq!(fs::read(inside).unwrap(), b"in");
    s.assert_nothing_outside();
}

#[test]
fn symlinked_parent_to_absolute_path_stays_inside() {
    let s = Scratch::new();
    let outside = s.base.join("outside");
    let tar = Tar::new()
        .symlink("evil", outside.to_str().unwrap())
        .file("evil/pwned", b"evil")
        .finish();
    let err = s.extract(&tar).unwrap_err();
    assert!(matches!(err, LayerError::DanglingParent { .. }), "{err}");
    s.assert_nothing_outside();

    // With the target present inside the layer, the write goes there.
    let s = Scratch::new();
    let outside = s.base.join("outside");
    let inner = outside
        .strip_prefix("/")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let tar = Tar::new()
        .dir(&format!("{inner}/"))
        .symlink("evil", outside.to_str().unwrap())
        .file("evil/pwned", b"evil")
        .finish();
    s.extract(&tar).unwrap();
    assert_eq!(
        fs::read(s.root().join(&inner).join("pwned")).unwrap(),
        b"evil"
    );
    s.assert_nothing_outside();
}

#[test]
fn symlink_climbing_out_resolves_to_the_root() {
    let s = Scratch::new();
    let tar = Tar::new()
        .dir("a/b/")
        .symlink("a/b/up", "../../../..")
        .file("a/b/up/escaped", b"x")
        .file("a/b/up/outside/escaped", b"x")
        .symlink("proc", "/proc/self/root")
        .file("proc/escaped", b"x")
        .finish();
    let err = s.extract(&tar).unwrap_err();
    // The magic link is neither followed nor created through.
    assert!(err.to_string().contains("proc/escaped"), "{err}");
    let r = s.root();
    assert_eq!(fs::read(r.join("escaped")).unwrap(), b"x");
    assert_eq!(fs::read(r.join("outside/escaped")).unwrap(), b"x");
    s.assert_nothing_outside();
}

#[test]
fn hardlinks_cannot_reach_outside() {
    let s = Scratch::new();
    fs::write(s.base.join("outside/secret"), b"secret").unwrap();
    let tar = Tar::new().hardlink("passwd", "/etc/passwd").finish();
    let err = s.extract(&tar).unwrap_err();
    assert!(matches!(err, LayerError::HardlinkTarget { .. }), "{err}");

    let tar = Tar::new()
        .hardlink("s1", "../outside/secret")
        .hardlink("s2", "../../outside/secret")
        .symlink("up", "..")
        .hardlink("s3", "up/outside/secret")
        .finish();
    let err = s.extract(&tar).unwrap_err();
    assert!(matches!(err, LayerError::HardlinkTarget { .. }), "{err}");
    let r = s.root();
    assert!(!r.join("s1").exists() && !r.join("s2").exists() && !r.join("s3").exists());
    assert_eq!(
        fs::metadata(s.base.join("outside/secret")).unwrap().nlink(),
        1
    );

    // A hardlink to a symlink links the symlink itself, never what it points to.
    let s = Scratch::new();
    fs::write(s.base.join("outside/secret"), b"secret").unwrap();
    let target = s.base.join("outside/secret");
    let tar = Tar::new()
        .symlink("link", target.to_str().unwrap())
        .hardlink("hard", "link")
        .finish();
    s.extract(&tar).unwrap();
    assert!(fs::symlink_metadata(s.root().join("hard"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::metadata(&target).unwrap().nlink(), 1);
}

#[test]
fn device_nodes_are_skipped() {
    let s = Scratch::new();
    let tar = Tar::new()
        .raw("dev/null", EntryType::Char, "", b"", 0o666, 0, 0)
        .raw("dev/sda", EntryType::Block, "", b"", 0o660, 0, 0)
        .finish();
    let stats = s.extract(&tar).unwrap();
    assert_eq!(stats.warnings.len(), 2);
    assert!(stats.warnings[0].contains("device node dev/null"));
    assert!(!s.root().join("dev/null").exists());
}

#[test]
fn overlay_xattrs_from_the_image_are_refused() {
    let s = Scratch::new();
    let mut b = tar::Builder::new(Vec::new());
    b.append_pax_extensions([
        ("SCHILY.xattr.user.overlay.opaque", &b"y"[..]),
        ("SCHILY.xattr.user.note", &b"hello"[..]),
    ])
    .unwrap();
    let mut h = Header::new_ustar();
    h.set_entry_type(EntryType::Directory);
    h.set_mode(0o755);
    h.set_size(0);
    b.append_data(&mut h, "d/", std::io::empty()).unwrap();
    let stats = s.extract(&b.into_inner().unwrap()).unwrap();
    assert_eq!(stats.warnings.len(), 1, "{:?}", stats.warnings);
    let mut v = [0u8; 8];
    assert!(rustix::fs::getxattr(s.root().join("d"), "user.overlay.opaque", &mut v).is_err());
    let n = rustix::fs::getxattr(s.root().join("d"), "user.note", &mut v).unwrap();
    assert_eq!(&v[..n], b"hello");
}

#[test]
fn export_round_trip() {
    let s = Scratch::new();
    let tar = Tar::new()
        .dir("a/")
        .file("a/f", b"data")
        .hardlink("a/g", "a/f")
        .symlink("a/l", "f")
        .file("a/.wh.gone", b"")
        .dir("o/")
        .file("o/.wh..wh..opq", b"")
        .finish();
    s.extract(&tar).unwrap();
    let mut out = Vec::new();
    write_tar(s.root_fd().as_fd(), &mut out).unwrap();
    let mut names = Vec::new();
    let mut archive = tar::Archive::new(&out[..]);
    for e in archive.entries().unwrap() {
        let mut e = e.unwrap();
        let kind = e.header().entry_type();
        let name = e.path().unwrap().to_string_lossy().into_owned();
        if name == "a/f" {
            let mut d = String::new();
            e.read_to_string(&mut d).unwrap();
            assert_eq!(d, "data");
        }
        names.push((name, kind));
    }
    assert_eq!(
        names,
        [
            ("a/".to_owned(), EntryType::Directory),
            ("a/f".to_owned(), EntryType::Regular),
            ("a/g".to_owned(), EntryType::Link),
            ("a/.wh.gone".to_owned(), EntryType::Regular),
            ("a/l".to_owned(), EntryType::Symlink),
            ("o/".to_owned(), EntryType::Directory),
            ("o/.wh..wh..opq".to_owned(), EntryType::Regular),
        ]
    );
}

#[test]
fn compression_names() {
    for c in [Compression::Gzip, Compression::Zstd, Compression::None] {
        assert_eq!(Compression::parse(c.as_str()), Some(c));
    }
    assert_eq!(Compression::sniff(&[0x1f, 0x8b, 8]), Compression::Gzip);
    assert_eq!(
        Compression::from_media_type("application/vnd.oci.image.layer.v1.tar+zstd"),
        Some(Compression::Zstd)
    );
}

/// The lodger binary next to the test binary (`target/<profile>/lodger`), or `LODGER_BIN`.
fn lodger_bin() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("LODGER_BIN") {
        return Some(PathBuf::from(p));
    }
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("lodger");
    bin.is_file().then_some(bin)
}

/// The real helper with the user's full mapping, or why it cannot run here.
fn helper_mapping() -> Result<crate::userns::IdMapping, String> {
    let bin = lodger_bin().ok_or("the lodger binary is not built (cargo build)")?;
    let mapping = crate::userns::IdMapping::for_current_user().map_err(|e| e.to_string())?;
    crate::userns::set_helper_exe(bin);
    Ok(mapping)
}

/// A temporary directory whose content may belong to mapped ids: removed through the helper.
struct MappedTmp {
    dir: tempfile::TempDir,
    mapping: crate::userns::IdMapping,
}

impl MappedTmp {
    fn new(mapping: &crate::userns::IdMapping) -> MappedTmp {
        MappedTmp {
            dir: tempfile::tempdir().unwrap(),
            mapping: mapping.clone(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for MappedTmp {
    fn drop(&mut self) {
        let _ = remove_trees(&self.mapping, &[self.dir.path()]);
    }
}

fn sha256(b: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(b)))
}

#[test]
fn helper_extracts_with_mapped_owners() {
    let mapping = match helper_mapping() {
        Ok(m) => m,
        Err(why) => return eprintln!("skipped: {why}"),
    };
    let tmp = MappedTmp::new(&mapping);
    let dest = tmp.path().join("diff");
    fs::create_dir(&dest).unwrap();
    let tar = Tar::new()
        .raw("var/www/", EntryType::Directory, "", b"", 0o755, 33, 33)
        .raw(
            "var/www/index.html",
            EntryType::Regular,
            "",
            b"<p>",
            0o640,
            33,
            33,
        )
        .raw(
            "var/www/locked/",
            EntryType::Directory,
            "",
            b"",
            0o000,
            33,
            33,
        )
        .raw(
            "var/www/locked/key",
            EntryType::Regular,
            "",
            b"k",
            0o000,
            1000,
            1000,
        )
        .raw("usr/bin/passwd", EntryType::Regular, "", b"x", 0o4755, 0, 0)
        .raw("dev/null", EntryType::Char, "", b"", 0o666, 0, 0)
        .file(".wh.gone", b"")
        .dir("opq/")
        .file("opq/.wh..wh..opq", b"")
        .finish();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &tar).unwrap();
    let blob = gz.finish().unwrap();

    let got = extract_layer(&mapping, &mut &blob[..], Compression::Gzip, &dest).unwrap();
    assert_eq!(got.diff_id, sha256(&tar));
    assert_eq!(got.size, tar.len() as u64);
    assert_eq!(got.warnings.len(), 1, "{:?}", got.warnings);
    let m = fs::metadata(dest.join("var/www/index.html")).unwrap();
    assert_eq!(m.uid(), mapping.host_uid(33).unwrap());
    assert_eq!(m.gid(), mapping.host_gid(33).unwrap());
    assert_eq!(m.permissions().mode() & 0o7777, 0o640);
    let m = fs::metadata(dest.join("usr/bin/passwd")).unwrap();
    assert_eq!(m.uid(), mapping.host_uid(0).unwrap());
    assert_eq!(m.permissions().mode() & 0o7777, 0o4755);
    let m = fs::symlink_metadata(dest.join("gone")).unwrap();
    assert!(m.file_type().is_char_device() && m.rdev() == 0);

    let mut out = Vec::new();
    export_tree(&mapping, &dest, &mut out).unwrap();
    let mut archive = tar::Archive::new(&out[..]);
    let owners: Vec<(String, u64)> = archive
        .entries()
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.path().unwrap().to_string_lossy().into_owned(),
                e.header().uid().unwrap(),
            )
        })
        .collect();
    assert!(
        owners.contains(&("var/www/index.html".into(), 33)),
        "{owners:?}"
    );
    assert!(owners.contains(&(".wh.gone".into(), 0)), "{owners:?}");
    assert!(
        owners.iter().any(|(p, _)| p == "opq/.wh..wh..opq"),
        "{owners:?}"
    );

    // zstd and several helpers at once.
    let zst = zstd::encode_all(&tar[..], 3).unwrap();
    let dests: Vec<PathBuf> = (0..4).map(|i| tmp.path().join(format!("z{i}"))).collect();
    std::thread::scope(|scope| {
        for d in &dests {
            let (mapping, zst, tar) = (&mapping, &zst, &tar);
            scope.spawn(move || {
                fs::create_dir(d).unwrap();
                let got = extract_layer(mapping, &mut &zst[..], Compression::Zstd, d).unwrap();
                assert_eq!(got.diff_id, sha256(tar));
            });
        }
    });

    let mut all: Vec<&Path> = dests.iter().map(PathBuf::as_path).collect();
    all.push(&dest);
    let missing = tmp.path().join("missing");
    all.push(&missing);
    remove_trees(&mapping, &all).unwrap();
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn helper_reports_ids_outside_the_mapping() {
    let mapping = match helper_mapping() {
        Ok(m) => m,
        Err(why) => return eprintln!("skipped: {why}"),
    };
    let tmp = MappedTmp::new(&mapping);
    let dest = tmp.path().join("diff");
    fs::create_dir(&dest).unwrap();
    let big = u64::from(mapping.max_uid()) + 1;
    let tar = Tar::new()
        .raw("f", EntryType::Regular, "", b"", 0o644, big, 0)
        .finish();
    let err = extract_layer(&mapping, &mut &tar[..], Compression::None, &dest).unwrap_err();
    let msg = err.to_string();
    let want = format!(
        "file f in the layer is owned by uid {big}, which is outside the user namespace mapping \
         (0-{}): add a larger range to /etc/subuid and /etc/subgid",
        mapping.max_uid()
    );
    assert!(msg.contains(&want), "{msg}");

    // A corrupt blob fails without hanging, whatever the helper had read.
    let err = extract_layer(
        &mapping,
        &mut &b"not gzip at all"[..],
        Compression::Gzip,
        &dest,
    )
    .unwrap_err();
    assert!(matches!(err, LayerError::Helper { .. }), "{err}");
    remove_trees(&mapping, &[&dest]).unwrap();
}

#[test]
fn helper_reports_newuidmap_errors() {
    let mut mapping = match helper_mapping() {
        Ok(m) => m,
        Err(why) => return eprintln!("skipped: {why}"),
    };
    if rustix::process::geteuid().is_root() {
        return eprintln!("skipped: root writes id maps itself");
    }
    // A range the user was not given.
    mapping.uids[1].host_id = mapping.uids[1].host_id.wrapping_add(1_000_000_000);
    let err = crate::userns::spawn_helper(
        &mapping,
        &[std::ffi::OsStr::new("true")],
        std::process::Stdio::null(),
        std::process::Stdio::null(),
    )
    .err()
    .unwrap();
    let msg = err.to_string();
    assert!(msg.starts_with("newuidmap "), "{msg}");
    assert!(msg.contains("newuidmap:"), "{msg}");
}

#[test]
fn helper_spawn_cost() {
    let mapping = match helper_mapping() {
        Ok(m) => m,
        Err(why) => return eprintln!("skipped: {why}"),
    };
    let rounds = 20;
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        let h = crate::userns::spawn_helper(
            &mapping,
            &[std::ffi::OsStr::new("true")],
            std::process::Stdio::null(),
            std::process::Stdio::null(),
        )
        .unwrap();
        assert!(h.wait().unwrap().status.success());
    }
    eprintln!("helper round trip: {:?} each", start.elapsed() / rounds);
    let single = crate::userns::IdMapping::single();
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        let h = crate::userns::spawn_helper(
            &single,
            &[std::ffi::OsStr::new("true")],
            std::process::Stdio::null(),
            std::process::Stdio::null(),
        )
        .unwrap();
        assert!(h.wait().unwrap().status.success());
    }
    eprintln!(
        "single-id helper round trip: {:?} each",
        start.elapsed() / rounds
    );
}

/// Extracts a real layer given as `LODGER_TEST_LAYER=<file>` (gzip, zstd or plain tar)
/// through the helper and prints what happened; for trying real images by hand.
#[test]
#[ignore = "manual: extracts the layer named by LODGER_TEST_LAYER"]
fn helper_extracts_layer_from_env() {
    let Some(file) = std::env::var_os("LODGER_TEST_LAYER") else {
        return eprintln!("skipped: LODGER_TEST_LAYER is not set");
    };
    let mapping = match helper_mapping() {
        Ok(m) => m,
        Err(why) => return eprintln!("skipped: {why}"),
    };
    let blob = fs::read(&file).unwrap();
    let tmp = MappedTmp::new(&mapping);
    let dest = tmp.path().join("diff");
    fs::create_dir(&dest).unwrap();
    let start = std::time::Instant::now();
    let got = extract_layer(&mapping, &mut &blob[..], Compression::sniff(&blob), &dest).unwrap();
    eprintln!("extracted in {:?}: {got:?}", start.elapsed());
    if let Some(out) = std::env::var_os("LODGER_TEST_LAYER_EXPORT") {
        let mut f = fs::File::create(out).unwrap();
        export_tree(&mapping, &dest, &mut f).unwrap();
    }
}
