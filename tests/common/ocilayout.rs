//! Reproducible OCI image layout writer for fixtures and integration tests.
//!
//! Everything written here is byte-for-byte reproducible: fixed mtimes, gzip headers without a
//! timestamp, pseudo-random data derived from a seed, JSON with sorted keys. Tar headers are
//! written field by field (not through `tar::Header::set_path`) so that hostile names such as
//! `../x` or `/x` reach the archive unchanged.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// 2024-01-01T00:00:00Z: the mtime of every entry and the `created` time of every image.
pub const FIXED_MTIME: u64 = 1_704_067_200;
pub const FIXED_CREATED: &str = "2024-01-01T00:00:00Z";
pub const DEFAULT_PATH: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

pub const MT_OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const MT_OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const MT_OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const MT_LAYER_TAR: &str = "application/vnd.oci.image.layer.v1.tar";
pub const MT_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
pub const MT_LAYER_ZSTD: &str = "application/vnd.oci.image.layer.v1.tar+zstd";
pub const REF_NAME_ANNOTATION: &str = "org.opencontainers.image.ref.name";

/// Applets linked to `/bin/busybox` in the base layer.
pub const BUSYBOX_APPLETS: &[&str] = &[
    "cat",
    "chmod",
    "chown",
    "cp",
    "echo",
    "env",
    "false",
    "find",
    "grep",
    "head",
    "hostname",
    "httpd",
    "id",
    "kill",
    "ln",
    "ls",
    "mkdir",
    "mount",
    "mv",
    "nc",
    "printf",
    "ps",
    "readlink",
    "rm",
    "sh",
    "sha256sum",
    "sleep",
    "stat",
    "test",
    "touch",
    "true",
    "uname",
    "wc",
    "wget",
];

/// Where the static busybox of the `busybox-static` package lives (usr-merged or not).
pub const BUSYBOX_CANDIDATES: &[&str] = &["/usr/bin/busybox", "/bin/busybox"];

/// What one tar entry is.
#[derive(Clone, Debug)]
pub enum Kind {
    Dir,
    File(Vec<u8>),
    /// A regular file of `size` pseudo-random (incompressible) bytes derived from `seed`.
    Random {
        size: u64,
        seed: u64,
    },
    Symlink(Vec<u8>),
    /// Hard link to another path of the archive (the target is written as given).
    Hardlink(Vec<u8>),
    CharDev(u32, u32),
    BlockDev(u32, u32),
    Fifo,
}

/// One tar entry. `path` is written to the archive exactly as given (directories get a
/// trailing `/` unless they already have one), so it may contain `..` or start with `/`.
#[derive(Clone, Debug)]
pub struct Entry {
    pub path: Vec<u8>,
    pub kind: Kind,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub mtime: u64,
}

impl Entry {
    fn new(path: &str, kind: Kind, mode: u32) -> Entry {
        Entry {
            path: path.as_bytes().to_vec(),
            kind,
            mode,
            uid: 0,
            gid: 0,
            mtime: FIXED_MTIME,
        }
    }

    pub fn dir(path: &str) -> Entry {
        Entry::new(path, Kind::Dir, 0o755)
    }

    pub fn file(path: &str, contents: impl AsRef<[u8]>) -> Entry {
        Entry::new(path, Kind::File(contents.as_ref().to_vec()), 0o644)
    }

    pub fn random(path: &str, size: u64, seed: u64) -> Entry {
        Entry::new(path, Kind::Random { size, seed }, 0o644)
    }

    pub fn symlink(path: &str, target: &str) -> Entry {
        Entry::new(path, Kind::Symlink(target.as_bytes().to_vec()), 0o777)
    }

    pub fn hardlink(path: &str, target: &str) -> Entry {
        Entry::new(path, Kind::Hardlink(target.as_bytes().to_vec()), 0o644)
    }

    pub fn char_dev(path: &str, major: u32, minor: u32) -> Entry {
        Entry::new(path, Kind::CharDev(major, minor), 0o666)
    }

    pub fn block_dev(path: &str, major: u32, minor: u32) -> Entry {
        Entry::new(path, Kind::BlockDev(major, minor), 0o660)
    }

    pub fn fifo(path: &str) -> Entry {
        Entry::new(path, Kind::Fifo, 0o644)
    }

    /// Whiteout deleting `path` in lower layers: an empty file `dir/.wh.name`.
    pub fn whiteout(path: &str) -> Entry {
        let (dir, name) = match path.rsplit_once('/') {
            Some((dir, name)) => (format!("{dir}/"), name),
            None => (String::new(), path),
        };
        Entry::new(&format!("{dir}.wh.{name}"), Kind::File(Vec::new()), 0o644)
    }

    /// Opaque marker: hides everything lower layers have below `dir`.
    pub fn opaque(dir: &str) -> Entry {
        let dir = dir.trim_end_matches('/');
        Entry::new(
            &format!("{dir}/.wh..wh..opq"),
            Kind::File(Vec::new()),
            0o644,
        )
    }

    pub fn mode(mut self, mode: u32) -> Entry {
        self.mode = mode;
        self
    }

    pub fn owner(mut self, uid: u64, gid: u64) -> Entry {
        self.uid = uid;
        self.gid = gid;
        self
    }

    pub fn mtime(mut self, mtime: u64) -> Entry {
        self.mtime = mtime;
        self
    }

    /// Replace the path with arbitrary bytes (for non-UTF-8 names).
    pub fn raw_path(mut self, path: &[u8]) -> Entry {
        self.path = path.to_vec();
        self
    }
}

/// Sort entries by path so that parents come before children (a stable, reproducible order).
/// Only for entry lists whose order carries no meaning: hostile layers depend on their order.
pub fn sort_entries(entries: &mut [Entry]) {
    entries.sort_by(|a, b| a.path.cmp(&b.path));
}

/// Deterministic incompressible bytes: block `i` of 8 bytes is a SplitMix64 hash of
/// `seed + i`, so any offset can be produced without generating what comes before it.
pub struct RandomReader {
    seed: u64,
    offset: u64,
    len: u64,
}

impl RandomReader {
    pub fn new(seed: u64, len: u64) -> RandomReader {
        RandomReader {
            seed,
            offset: 0,
            len,
        }
    }

    fn block(&self, index: u64) -> [u8; 8] {
        let mut z = self
            .seed
            .wrapping_add(index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)).to_le_bytes()
    }
}

impl Read for RandomReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = (self.len - self.offset).min(buf.len() as u64) as usize;
        let mut done = 0;
        while done < want {
            let block = self.block(self.offset / 8);
            let start = (self.offset % 8) as usize;
            let n = (8 - start).min(want - done);
            buf[done..done + n].copy_from_slice(&block[start..start + n]);
            done += n;
            self.offset += n as u64;
        }
        Ok(done)
    }
}

/// The whole content of a deterministic random file, for comparisons in tests.
pub fn random_bytes(seed: u64, size: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(size as usize);
    RandomReader::new(seed, size)
        .read_to_end(&mut out)
        .expect("reading from memory cannot fail");
    out
}

fn put_raw(slot: &mut [u8], bytes: &[u8]) -> bool {
    if bytes.len() > slot.len() {
        return false;
    }
    slot.fill(0);
    slot[..bytes.len()].copy_from_slice(bytes);
    true
}

/// GNU long name/link record (`././@LongLink`) for values that do not fit 100 bytes.
fn append_long<W: Write>(
    builder: &mut tar::Builder<W>,
    kind: tar::EntryType,
    value: &[u8],
) -> io::Result<()> {
    let mut header = tar::Header::new_gnu();
    put_raw(&mut header.as_old_mut().name, b"././@LongLink");
    header.set_mode(0o644);
    header.set_uid(0);
    header.set_gid(0);
    header.set_mtime(0);
    header.set_entry_type(kind);
    let mut data = value.to_vec();
    data.push(0);
    header.set_size(data.len() as u64);
    header.set_cksum();
    builder.append(&header, data.as_slice())
}

/// Write `entries` (in the given order) as a tar stream into `out` and return it.
pub fn write_tar<W: Write>(entries: &[Entry], out: W) -> io::Result<W> {
    let mut builder = tar::Builder::new(out);
    for entry in entries {
        let mut path = entry.path.clone();
        if matches!(entry.kind, Kind::Dir) && !path.ends_with(b"/") {
            path.push(b'/');
        }
        let mut header = tar::Header::new_gnu();
        if !put_raw(&mut header.as_old_mut().name, &path) {
            append_long(&mut builder, tar::EntryType::GNULongName, &path)?;
            put_raw(&mut header.as_old_mut().name, &path[..100]);
        }
        header.set_mode(entry.mode);
        header.set_uid(entry.uid);
        header.set_gid(entry.gid);
        header.set_mtime(entry.mtime);
        header.set_size(0);
        let (entry_type, link): (tar::EntryType, Option<&[u8]>) = match &entry.kind {
            Kind::Dir => (tar::EntryType::Directory, None),
            Kind::File(data) => {
                header.set_size(data.len() as u64);
                (tar::EntryType::Regular, None)
            }
            Kind::Random { size, .. } => {
                header.set_size(*size);
                (tar::EntryType::Regular, None)
            }
            Kind::Symlink(target) => (tar::EntryType::Symlink, Some(target)),
            Kind::Hardlink(target) => (tar::EntryType::Link, Some(target)),
            Kind::CharDev(major, minor) | Kind::BlockDev(major, minor) => {
                header.set_device_major(*major)?;
                header.set_device_minor(*minor)?;
                match entry.kind {
                    Kind::CharDev(..) => (tar::EntryType::Char, None),
                    _ => (tar::EntryType::Block, None),
                }
            }
            Kind::Fifo => (tar::EntryType::Fifo, None),
        };
        header.set_entry_type(entry_type);
        if let Some(link) = link {
            if !put_raw(&mut header.as_old_mut().linkname, link) {
                append_long(&mut builder, tar::EntryType::GNULongLink, link)?;
                put_raw(&mut header.as_old_mut().linkname, &link[..100]);
            }
        }
        header.set_cksum();
        match &entry.kind {
            Kind::File(data) => builder.append(&header, data.as_slice())?,
            Kind::Random { size, seed } => {
                builder.append(&header, RandomReader::new(*seed, *size))?
            }
            _ => builder.append(&header, io::empty())?,
        }
    }
    builder.into_inner()
}

/// An uncompressed layer tar in memory.
pub fn layer_tar(entries: &[Entry]) -> io::Result<Vec<u8>> {
    write_tar(entries, Vec::new())
}

/// An uncompressed layer tar in a file.
pub fn layer_tar_file(entries: &[Entry], dest: &Path) -> io::Result<()> {
    let out = write_tar(entries, BufWriter::new(File::create(dest)?))?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()
}

/// `sha256:<hex>` of some bytes.
pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// Passes bytes through while hashing and counting them.
pub struct HashWriter<W> {
    inner: W,
    hasher: Sha256,
    count: u64,
}

impl<W: Write> HashWriter<W> {
    pub fn new(inner: W) -> HashWriter<W> {
        HashWriter {
            inner,
            hasher: Sha256::new(),
            count: 0,
        }
    }

    /// The wrapped writer, the `sha256:<hex>` digest and the byte count.
    pub fn finish(self) -> (W, String, u64) {
        let digest = format!("sha256:{}", hex::encode(self.hasher.finalize()));
        (self.inner, digest, self.count)
    }
}

impl<W: Write> Write for HashWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn media_type(self) -> &'static str {
        match self {
            Compression::None => MT_LAYER_TAR,
            Compression::Gzip => MT_LAYER_GZIP,
            Compression::Zstd => MT_LAYER_ZSTD,
        }
    }
}

/// A compressing writer whose output is a pure function of its input.
pub enum Compressor<W: Write> {
    None(W),
    /// flate2's gzip header has mtime 0 and OS "unknown" unless told otherwise.
    Gzip(flate2::write::GzEncoder<W>),
    Zstd(zstd::stream::write::Encoder<'static, W>),
}

impl<W: Write> Compressor<W> {
    pub fn new(compression: Compression, inner: W) -> io::Result<Compressor<W>> {
        Ok(match compression {
            Compression::None => Compressor::None(inner),
            // Level 1: layers are mostly busybox and random bytes; speed matters more here.
            Compression::Gzip => Compressor::Gzip(flate2::write::GzEncoder::new(
                inner,
                flate2::Compression::fast(),
            )),
            Compression::Zstd => Compressor::Zstd(zstd::stream::write::Encoder::new(inner, 3)?),
        })
    }

    pub fn finish(self) -> io::Result<W> {
        match self {
            Compressor::None(w) => Ok(w),
            Compressor::Gzip(w) => w.finish(),
            Compressor::Zstd(w) => w.finish(),
        }
    }
}

impl<W: Write> Write for Compressor<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Compressor::None(w) => w.write(buf),
            Compressor::Gzip(w) => w.write(buf),
            Compressor::Zstd(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Compressor::None(w) => w.flush(),
            Compressor::Gzip(w) => w.flush(),
            Compressor::Zstd(w) => w.flush(),
        }
    }
}

/// Compress bytes in memory (e.g. a tar from [`layer_tar`]).
pub fn compress(compression: Compression, data: &[u8]) -> io::Result<Vec<u8>> {
    let mut c = Compressor::new(compression, Vec::new())?;
    c.write_all(data)?;
    c.finish()
}

/// An OCI content descriptor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Descriptor {
    pub media_type: String,
    pub digest: String,
    pub size: u64,
    /// `(os, architecture)` for manifests listed in an index.
    pub platform: Option<(String, String)>,
}

impl Descriptor {
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "mediaType": self.media_type,
            "digest": self.digest,
            "size": self.size,
        });
        if let Some((os, arch)) = &self.platform {
            v["platform"] = json!({ "os": os, "architecture": arch });
        }
        v
    }

    /// The lowercase hex part of the digest.
    pub fn hex(&self) -> &str {
        self.digest.trim_start_matches("sha256:")
    }
}

/// A layer blob written into a layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layer {
    pub descriptor: Descriptor,
    /// Digest of the uncompressed tar.
    pub diff_id: String,
    pub created_by: String,
}

/// The parts of an image config that tests care about.
#[derive(Clone, Debug, Default)]
pub struct ImageConfig {
    pub architecture: String,
    pub os: String,
    pub variant: Option<String>,
    pub env: Vec<String>,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub working_dir: Option<String>,
    pub user: Option<String>,
    pub labels: BTreeMap<String, String>,
    /// e.g. `80/tcp`.
    pub exposed_ports: Vec<String>,
    pub volumes: Vec<String>,
    pub stop_signal: Option<String>,
}

/// OCI architecture name of the machine running this code.
pub fn host_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" => "ppc64le",
        other => other,
    }
}

impl ImageConfig {
    /// linux/<host arch> with the usual PATH and `Cmd ["sh"]`.
    pub fn new() -> ImageConfig {
        ImageConfig {
            architecture: host_arch().to_string(),
            os: "linux".to_string(),
            env: vec![DEFAULT_PATH.to_string()],
            cmd: Some(vec!["sh".to_string()]),
            ..ImageConfig::default()
        }
    }

    pub fn label(mut self, key: &str, value: &str) -> ImageConfig {
        self.labels.insert(key.to_string(), value.to_string());
        self
    }

    /// The config blob for these settings on top of `layers`.
    pub fn to_json(&self, layers: &[Layer]) -> Value {
        let mut config = serde_json::Map::new();
        if !self.env.is_empty() {
            config.insert("Env".into(), json!(self.env));
        }
        if let Some(cmd) = &self.cmd {
            config.insert("Cmd".into(), json!(cmd));
        }
        if let Some(entrypoint) = &self.entrypoint {
            config.insert("Entrypoint".into(), json!(entrypoint));
        }
        if let Some(dir) = &self.working_dir {
            config.insert("WorkingDir".into(), json!(dir));
        }
        if let Some(user) = &self.user {
            config.insert("User".into(), json!(user));
        }
        if !self.labels.is_empty() {
            config.insert("Labels".into(), json!(self.labels));
        }
        if !self.exposed_ports.is_empty() {
            let ports: serde_json::Map<String, Value> = self
                .exposed_ports
                .iter()
                .map(|p| (p.clone(), json!({})))
                .collect();
            config.insert("ExposedPorts".into(), Value::Object(ports));
        }
        if !self.volumes.is_empty() {
            let vols: serde_json::Map<String, Value> = self
                .volumes
                .iter()
                .map(|v| (v.clone(), json!({})))
                .collect();
            config.insert("Volumes".into(), Value::Object(vols));
        }
        if let Some(signal) = &self.stop_signal {
            config.insert("StopSignal".into(), json!(signal));
        }
        let mut v = json!({
            "created": FIXED_CREATED,
            "architecture": self.architecture,
            "os": self.os,
            "config": Value::Object(config),
            "rootfs": {
                "type": "layers",
                "diff_ids": layers.iter().map(|l| l.diff_id.clone()).collect::<Vec<_>>(),
            },
            "history": layers.iter().map(|l| json!({
                "created": FIXED_CREATED,
                "created_by": l.created_by,
            })).collect::<Vec<_>>(),
        });
        if let Some(variant) = &self.variant {
            v["variant"] = json!(variant);
        }
        v
    }
}

/// An OCI image layout directory (`oci-layout`, `index.json`, `blobs/sha256/`).
pub struct OciLayout {
    root: PathBuf,
    refs: Vec<(Descriptor, String)>,
    tmp_counter: u64,
}

impl OciLayout {
    /// Create (or reuse) a layout at `root`; `index.json` starts empty.
    pub fn create(root: &Path) -> io::Result<OciLayout> {
        fs::create_dir_all(root.join("blobs/sha256"))?;
        fs::write(
            root.join("oci-layout"),
            br#"{"imageLayoutVersion":"1.0.0"}"#,
        )?;
        let layout = OciLayout {
            root: root.to_path_buf(),
            refs: Vec::new(),
            tmp_counter: 0,
        };
        layout.write_index_json()?;
        Ok(layout)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn blob_path(&self, digest: &str) -> PathBuf {
        self.root
            .join("blobs/sha256")
            .join(digest.trim_start_matches("sha256:"))
    }

    pub fn add_blob(&self, media_type: &str, bytes: &[u8]) -> io::Result<Descriptor> {
        let digest = sha256_digest(bytes);
        fs::write(self.blob_path(&digest), bytes)?;
        Ok(Descriptor {
            media_type: media_type.to_string(),
            digest,
            size: bytes.len() as u64,
            platform: None,
        })
    }

    fn add_json_blob(&self, media_type: &str, value: &Value) -> io::Result<Descriptor> {
        let bytes = serde_json::to_vec(value).map_err(io::Error::other)?;
        self.add_blob(media_type, &bytes)
    }

    /// Tar, compress and store a layer in one streaming pass.
    pub fn add_layer(
        &mut self,
        created_by: &str,
        entries: &[Entry],
        compression: Compression,
    ) -> io::Result<Layer> {
        self.tmp_counter += 1;
        let tmp = self.root.join(format!(
            "blobs/sha256/.tmp-{}-{}",
            std::process::id(),
            self.tmp_counter
        ));
        let file = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
        let compressed = HashWriter::new(file);
        let tar = HashWriter::new(Compressor::new(compression, compressed)?);
        let (compressor, diff_id, _) = write_tar(entries, tar)?.finish();
        let (file, digest, size) = compressor.finish()?.finish();
        file.into_inner().map_err(|e| e.into_error())?;
        fs::rename(&tmp, self.blob_path(&digest))?;
        Ok(Layer {
            descriptor: Descriptor {
                media_type: compression.media_type().to_string(),
                digest,
                size,
                platform: None,
            },
            diff_id,
            created_by: created_by.to_string(),
        })
    }

    /// Store an existing layer blob (e.g. from another layout) without recompressing it.
    pub fn copy_layer_from(&self, other: &OciLayout, layer: &Layer) -> io::Result<Layer> {
        fs::copy(
            other.blob_path(&layer.descriptor.digest),
            self.blob_path(&layer.descriptor.digest),
        )?;
        Ok(layer.clone())
    }

    /// Write the config and the manifest; returns the manifest descriptor with its platform.
    pub fn add_image(&self, config: &ImageConfig, layers: &[Layer]) -> io::Result<Descriptor> {
        let config_desc = self.add_json_blob(MT_OCI_CONFIG, &config.to_json(layers))?;
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": MT_OCI_MANIFEST,
            "config": config_desc.to_json(),
            "layers": layers.iter().map(|l| l.descriptor.to_json()).collect::<Vec<_>>(),
        });
        let mut desc = self.add_json_blob(MT_OCI_MANIFEST, &manifest)?;
        desc.platform = Some((config.os.clone(), config.architecture.clone()));
        Ok(desc)
    }

    /// Write an image index blob listing `manifests` (with their platforms).
    pub fn add_index(&self, manifests: &[Descriptor]) -> io::Result<Descriptor> {
        let index = json!({
            "schemaVersion": 2,
            "mediaType": MT_OCI_INDEX,
            "manifests": manifests.iter().map(Descriptor::to_json).collect::<Vec<_>>(),
        });
        self.add_json_blob(MT_OCI_INDEX, &index)
    }

    /// Name `desc` in `index.json` (what `oci:<dir>:<name>` refers to).
    pub fn tag(&mut self, desc: &Descriptor, name: &str) -> io::Result<()> {
        self.refs.retain(|(_, n)| n != name);
        let mut desc = desc.clone();
        desc.platform = None;
        self.refs.push((desc, name.to_string()));
        self.write_index_json()
    }

    fn write_index_json(&self) -> io::Result<()> {
        let manifests: Vec<Value> = self
            .refs
            .iter()
            .map(|(desc, name)| {
                let mut v = desc.to_json();
                v["annotations"] = json!({ REF_NAME_ANNOTATION: name });
                v
            })
            .collect();
        let index =
            json!({ "schemaVersion": 2, "mediaType": MT_OCI_INDEX, "manifests": manifests });
        let bytes = serde_json::to_vec(&index).map_err(io::Error::other)?;
        fs::write(self.root.join("index.json"), bytes)
    }

    /// Pack the layout into an `oci-archive` tar (sorted, fixed mtimes).
    pub fn write_archive(&self, dest: &Path) -> io::Result<()> {
        let mut entries = vec![
            Entry::file("oci-layout", fs::read(self.root.join("oci-layout"))?),
            Entry::file("index.json", fs::read(self.root.join("index.json"))?),
            Entry::dir("blobs"),
            Entry::dir("blobs/sha256"),
        ];
        let mut names: Vec<String> = fs::read_dir(self.root.join("blobs/sha256"))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        for name in names {
            let data = fs::read(self.root.join("blobs/sha256").join(&name))?;
            entries.push(Entry::file(&format!("blobs/sha256/{name}"), data));
        }
        layer_tar_file(&entries, dest)
    }
}

/// Path of the host's static busybox.
pub fn find_busybox() -> io::Result<PathBuf> {
    BUSYBOX_CANDIDATES
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                "no static busybox at /usr/bin/busybox or /bin/busybox: install busybox-static",
            )
        })
}

/// The base layer: busybox and its applet links, passwd/group and the usual directories.
pub fn base_entries() -> io::Result<Vec<Entry>> {
    let busybox = fs::read(find_busybox()?)?;
    let mut entries = vec![
        Entry::dir("bin"),
        Entry::file("bin/busybox", busybox).mode(0o755),
        Entry::dir("dev"),
        Entry::dir("etc"),
        Entry::file(
            "etc/group",
            "root:x:0:\nwww-data:x:33:\nusers:x:100:\nnogroup:x:65534:\n",
        ),
        Entry::file(
            "etc/passwd",
            "root:x:0:0:root:/root:/bin/sh\n\
             www-data:x:33:33:www-data:/var/www:/bin/sh\n\
             nobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n",
        ),
        Entry::dir("home"),
        Entry::dir("proc"),
        Entry::dir("root").mode(0o700),
        Entry::dir("run"),
        Entry::dir("sys"),
        Entry::dir("tmp").mode(0o1777),
        Entry::dir("usr"),
        Entry::dir("var"),
    ];
    entries.extend(
        BUSYBOX_APPLETS
            .iter()
            .map(|a| Entry::symlink(&format!("bin/{a}"), "busybox")),
    );
    sort_entries(&mut entries);
    Ok(entries)
}
