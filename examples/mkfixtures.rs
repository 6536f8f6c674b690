//! Build the fixture images of the integration tests as OCI image layouts, offline and
//! reproducibly: `cargo run --example mkfixtures -- OUTDIR`.
//!
//! OUTDIR/<name>/ is one layout per image whose `index.json` names it `latest`;
//! OUTDIR/small.oci.tar is the `small` layout as an oci-archive.

#[path = "../tests/common/ocilayout.rs"]
#[allow(dead_code)]
mod ocilayout;

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use ocilayout::{base_entries, Compression, Entry, ImageConfig, Layer, OciLayout};

/// Size of `/data/big.bin` in `multi`: big enough that the compressed image is over 60 MB.
const BIG_SIZE: u64 = 60 * 1024 * 1024;

/// The hostile layers, each put on top of the base layer in an image `hostile-<case>`.
fn hostile_cases() -> Vec<(&'static str, Vec<Entry>)> {
    vec![
        (
            "dotdot",
            vec![Entry::file("../../escaped", "escaped via ..\n")],
        ),
        (
            "abs",
            vec![Entry::file(
                "/escaped-abs",
                "absolute path, must land inside\n",
            )],
        ),
        (
            "symlink",
            vec![
                Entry::symlink("evil", "/tmp"),
                Entry::file("evil/pwned-by-lodger", "written through a symlink\n"),
            ],
        ),
        (
            "symlinkdotdot",
            vec![
                Entry::symlink("up", "../../../.."),
                Entry::file("up/tmp/pwned-by-lodger2", "written through a .. symlink\n"),
            ],
        ),
        (
            "hardlink",
            vec![
                Entry::hardlink("hl", "/etc/passwd"),
                Entry::hardlink("hl2", "../../../etc/shadow"),
            ],
        ),
        ("whiteoutdotdot", vec![Entry::file(".wh...", "")]),
        ("devnode", vec![Entry::char_dev("dev-null-copy", 1, 3)]),
    ]
}

struct Builder {
    out: PathBuf,
    base: Vec<Entry>,
}

impl Builder {
    fn layout(&self, name: &str) -> io::Result<OciLayout> {
        let dir = self.out.join(name);
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        OciLayout::create(&dir)
    }

    fn base_layer(&self, layout: &mut OciLayout, compression: Compression) -> io::Result<Layer> {
        layout.add_layer("ADD busybox-static base", &self.base, compression)
    }

    fn small(&self) -> io::Result<()> {
        let mut layout = self.layout("small")?;
        let base = self.base_layer(&mut layout, Compression::Gzip)?;
        let manifest = layout.add_image(&ImageConfig::new(), &[base])?;
        layout.tag(&manifest, "latest")?;
        layout.write_archive(&self.out.join("small.oci.tar"))?;
        report("small", &manifest.digest);
        Ok(())
    }

    fn multi(&self, name: &str, compression: Compression) -> io::Result<()> {
        let mut layout = self.layout(name)?;
        let layers = vec![
            self.base_layer(&mut layout, compression)?,
            layout.add_layer(
                "ADD data and app files",
                &[
                    Entry::dir("data"),
                    Entry::file("data/a.txt", "file a\n"),
                    Entry::file("data/b.txt", "file b\n"),
                    Entry::file("data/owned33", "owned by www-data\n").owner(33, 33),
                    Entry::dir("data/sub"),
                    Entry::file("data/sub/c.txt", "file c\n"),
                    Entry::dir("opt"),
                    Entry::dir("opt/app"),
                    Entry::dir("opt/app/old"),
                    Entry::file("opt/app/old/x.txt", "old x\n"),
                    Entry::dir("usr"),
                    Entry::dir("usr/bin"),
                    Entry::file("usr/bin/suid", "#!/bin/sh\necho suid\n").mode(0o4755),
                ],
                compression,
            )?,
            layout.add_layer(
                "RUN rm /data/b.txt && rm -rf /opt/app/old/*",
                &[
                    Entry::dir("data"),
                    Entry::whiteout("data/b.txt"),
                    Entry::dir("opt"),
                    Entry::dir("opt/app"),
                    Entry::dir("opt/app/old"),
                    Entry::opaque("opt/app/old"),
                    Entry::file("opt/app/old/new.txt", "new after opaque\n"),
                ],
                compression,
            )?,
            layout.add_layer(
                "RUN ln /data/a.txt /data/hard && ln -s ...",
                &[
                    Entry::dir("data"),
                    Entry::file("data/a.txt", "file a\n"),
                    Entry::hardlink("data/hard", "data/a.txt"),
                    Entry::symlink("data/abs", "/data/a.txt"),
                    Entry::symlink("data/rel", "a.txt"),
                ],
                compression,
            )?,
            layout.add_layer(
                "ADD big.bin /data/",
                &[
                    Entry::dir("data"),
                    Entry::random("data/big.bin", BIG_SIZE, 0x6c6f_6467),
                ],
                compression,
            )?,
            layout.add_layer(
                "ADD motd /etc/",
                &[
                    Entry::dir("etc"),
                    Entry::file("etc/motd", "welcome to the multi fixture\n"),
                ],
                compression,
            )?,
        ];
        let config = ImageConfig::new().label("org.lodger.test", "multi");
        let manifest = layout.add_image(&config, &layers)?;
        layout.tag(&manifest, "latest")?;
        report(name, &manifest.digest);
        Ok(())
    }

    fn index(&self) -> io::Result<()> {
        let mut layout = self.layout("index")?;
        let base = self.base_layer(&mut layout, Compression::Gzip)?;
        let native = layout.add_image(&ImageConfig::new(), std::slice::from_ref(&base))?;
        let other_arch = if ocilayout::host_arch() == "arm64" {
            "amd64"
        } else {
            "arm64"
        };
        let arch_layer = layout.add_layer(
            "ADD arch /",
            &[Entry::file("arch", other_arch)],
            Compression::Gzip,
        )?;
        let config = ImageConfig {
            architecture: other_arch.to_string(),
            ..ImageConfig::new()
        };
        let other = layout.add_image(&config, &[base, arch_layer])?;
        let index = layout.add_index(&[native, other])?;
        layout.tag(&index, "latest")?;
        report("index", &index.digest);
        Ok(())
    }

    fn hostile(&self, case: &str, entries: &[Entry]) -> io::Result<()> {
        let name = format!("hostile-{case}");
        let mut layout = self.layout(&name)?;
        let layers = vec![
            self.base_layer(&mut layout, Compression::Gzip)?,
            layout.add_layer(
                &format!("hostile layer: {case}"),
                entries,
                Compression::Gzip,
            )?,
        ];
        let manifest = layout.add_image(&ImageConfig::new(), &layers)?;
        layout.tag(&manifest, "latest")?;
        report(&name, &manifest.digest);
        Ok(())
    }
}

fn report(name: &str, digest: &str) {
    println!("{name:<24} {digest}");
}

fn run(out: &Path) -> io::Result<()> {
    std::fs::create_dir_all(out)?;
    let builder = Builder {
        out: out.to_path_buf(),
        base: base_entries()?,
    };
    // The two big layouts are independent: build them on two cores.
    std::thread::scope(|s| -> io::Result<()> {
        let zstd = s.spawn(|| builder.multi("multi-zstd", Compression::Zstd));
        builder.multi("multi", Compression::Gzip)?;
        builder.small()?;
        builder.index()?;
        for (case, entries) in hostile_cases() {
            builder.hostile(case, &entries)?;
        }
        zstd.join()
            .map_err(|_| io::Error::other("zstd fixture thread panicked"))?
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out] = args.as_slice() else {
        eprintln!("usage: mkfixtures OUTDIR");
        return ExitCode::from(2);
    };
    let start = Instant::now();
    match run(Path::new(out)) {
        Ok(()) => {
            eprintln!(
                "fixtures written to {out} in {:.1}s",
                start.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mkfixtures: writing fixtures to {out} failed: {e}");
            ExitCode::FAILURE
        }
    }
}
