//! An image made of the host's static busybox, for tests that need no registry (those that
//! also run in the cgroup v2 VM, which has none).

use super::ocilayout::{Compression, Entry, ImageConfig, OciLayout};
use super::{OutputExt, Sandbox};

/// Loads the image into `sb`'s store and returns its name; None without `/bin/busybox`.
pub fn busybox_image(sb: &Sandbox) -> Option<String> {
    let busybox = std::fs::read("/bin/busybox").ok()?;
    let dir = sb.root().join("busybox-layout");
    let mut layout = OciLayout::create(&dir).unwrap();
    let mut entries: Vec<Entry> = ["bin", "dev", "etc", "proc", "sys", "tmp", "run"]
        .iter()
        .map(|d| Entry::dir(d))
        .collect();
    entries.push(Entry::file("bin/busybox", busybox).mode(0o755));
    let layer = layout
        .add_layer("busybox", &entries, Compression::Gzip)
        .unwrap();
    let manifest = layout.add_image(&ImageConfig::new(), &[layer]).unwrap();
    let name = "localhost/lodger-test/cgroup-busybox:latest";
    layout.tag(&manifest, name).unwrap();
    sb.lodger(&["load", "-q", "-i", dir.to_str().unwrap()])
        .assert_ok();
    Some(name.to_string())
}
