//! `save` and `load`: docker-archive, oci-archive and oci-dir, interchangeable with
//! Podman's. Loading unpacks the outer archive (plain files only) into staging and imports
//! from there, so a bad archive leaves the store as it was.

use super::import::{self, Incoming};
use super::manifest::{self, Compression, Descriptor};
use super::progress::Reporter;
use super::{ImageError, Result};
use crate::reference::Reference;
use crate::store::{ImageRecord, Store};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};

const REF_NAME: &str = "org.opencontainers.image.ref.name";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    DockerArchive,
    OciArchive,
    OciDir,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "docker-archive" => Ok(Format::DockerArchive),
            "oci-archive" => Ok(Format::OciArchive),
            "oci-dir" => Ok(Format::OciDir),
            other => Err(format!(
                "unsupported format {other:?}: use docker-archive, oci-archive or oci-dir"
            )),
        }
    }
}

fn io_err(what: &'static str, path: &Path) -> impl FnOnce(io::Error) -> ImageError {
    let path = path.to_path_buf();
    move |source| ImageError::Io { what, path, source }
}

/// Write the images to `path`: archives go through a temporary file renamed at the end.
pub fn save_to_path(
    store: &Store,
    images: &[(String, ImageRecord)],
    format: Format,
    path: &Path,
) -> Result<()> {
    if format == Format::OciDir {
        return save_oci_dir(store, images, path);
    }
    let tmp = path.with_file_name(format!(
        ".{}.lodger-tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("archive")
    ));
    let result = (|| {
        let mut file = File::create(&tmp).map_err(io_err("create", &tmp))?;
        save_to_writer(store, images, format, &mut file)?;
        file.sync_all().map_err(io_err("sync", &tmp))?;
        std::fs::rename(&tmp, path).map_err(io_err("rename", path))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

pub fn save_to_writer(
    store: &Store,
    images: &[(String, ImageRecord)],
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    let mut tar = tar::Builder::new(out);
    match format {
        Format::DockerArchive => write_docker_archive(store, images, &mut tar)?,
        Format::OciArchive => write_oci(store, images, &mut TarSink(&mut tar))?,
        Format::OciDir => {
            return Err(ImageError::Invalid(
                "oci-dir needs a directory: use -o DIR".into(),
            ))
        }
    }
    tar.into_inner()
        .and_then(|w| w.flush())
        .map_err(io_err("write archive", Path::new("-")))
}

/// The name an image is saved under: the name the user gave, if it is one of the image's.
fn saved_names(input: &str, image: &ImageRecord) -> Vec<String> {
    image.name_for(input).cloned().into_iter().collect()
}

#[derive(Serialize, Deserialize)]
struct DockerEntry {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "RepoTags", default)]
    repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers")]
    layers: Vec<String>,
}

fn write_docker_archive<W: Write>(
    store: &Store,
    images: &[(String, ImageRecord)],
    tar: &mut tar::Builder<W>,
) -> Result<()> {
    let mut entries = Vec::new();
    let mut written = HashSet::new();
    for (input, image) in images {
        let config_bytes = store.read_blob(&image.id)?;
        let config = manifest::parse_config(&config_bytes)?;
        let config_name = format!("{}.json", image.hex_id());
        if written.insert(config_name.clone()) {
            append_bytes(tar, &config_name, &config_bytes)?;
        }
        let mut layers = Vec::new();
        for (diff_id, chain) in config.rootfs.diff_ids.iter().zip(&image.layers) {
            let hex = manifest::digest_hex(diff_id)
                .ok_or_else(|| ImageError::Invalid(format!("bad diff id {diff_id}")))?;
            let name = format!("{hex}.tar");
            if written.insert(name.clone()) {
                let layer = store.layer(chain)?.ok_or_else(|| {
                    ImageError::Invalid(format!("layer {chain} is missing from the store"))
                })?;
                let reader = open_uncompressed(store, &layer.blob_digest, &layer.blob_media_type)?;
                append_exact(tar, &name, layer.size, reader)?;
            }
            layers.push(name);
        }
        entries.push(DockerEntry {
            config: config_name,
            repo_tags: Some(saved_names(input, image)),
            layers,
        });
    }
    let manifest = serde_json::to_vec(&entries).map_err(|e| ImageError::Invalid(e.to_string()))?;
    append_bytes(tar, "manifest.json", &manifest)
}

fn open_uncompressed(store: &Store, digest: &str, media_type: &str) -> Result<Box<dyn Read>> {
    let path = store.blob_path(digest)?;
    let file = BufReader::new(File::open(&path).map_err(io_err("open blob", &path))?);
    Ok(match Compression::of_media_type(media_type)? {
        Compression::None => Box::new(file),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(file)),
        Compression::Zstd => {
            Box::new(zstd::Decoder::with_buffer(file).map_err(io_err("open zstd blob", &path))?)
        }
    })
}

fn tar_header(size: u64) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_size(size);
    h.set_mode(0o644);
    h.set_mtime(0);
    h.set_entry_type(tar::EntryType::Regular);
    h
}

fn append_bytes<W: Write>(tar: &mut tar::Builder<W>, name: &str, bytes: &[u8]) -> Result<()> {
    let mut h = tar_header(bytes.len() as u64);
    tar.append_data(&mut h, name, bytes)
        .map_err(io_err("write archive entry", Path::new(name)))
}

/// Append a stream whose length is known in advance; a stream of another length is an error,
/// not a corrupt archive.
fn append_exact<W: Write>(
    tar: &mut tar::Builder<W>,
    name: &str,
    size: u64,
    reader: impl Read,
) -> Result<()> {
    struct Exact<R> {
        inner: R,
        left: u64,
    }
    impl<R: Read> Read for Exact<R> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.inner.read(buf)?;
            if n as u64 > self.left || (n == 0 && self.left > 0) {
                return Err(io::Error::other(
                    "layer size differs from the recorded size",
                ));
            }
            self.left -= n as u64;
            Ok(n)
        }
    }
    let mut h = tar_header(size);
    tar.append_data(
        &mut h,
        name,
        Exact {
            inner: reader,
            left: size,
        },
    )
    .map_err(io_err("write archive entry", Path::new(name)))
}

/// Where OCI layout files go: a directory or an archive.
trait LayoutSink {
    fn has(&self, name: &str) -> bool;
    fn put_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<()>;
    fn put_file(&mut self, name: &str, path: &Path) -> Result<()>;
}

struct TarSink<'a, W: Write>(&'a mut tar::Builder<W>);

impl<W: Write> LayoutSink for TarSink<'_, W> {
    fn has(&self, _name: &str) -> bool {
        false
    }
    fn put_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        append_bytes(self.0, name, bytes)
    }
    fn put_file(&mut self, name: &str, path: &Path) -> Result<()> {
        let file = File::open(path).map_err(io_err("open blob", path))?;
        let size = file.metadata().map_err(io_err("stat blob", path))?.len();
        append_exact(self.0, name, size, file)
    }
}

struct DirSink(PathBuf);

impl LayoutSink for DirSink {
    fn has(&self, name: &str) -> bool {
        self.0.join(name).exists()
    }
    fn put_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).map_err(io_err("write", &path))
    }
    fn put_file(&mut self, name: &str, src: &Path) -> Result<()> {
        let path = self.0.join(name);
        std::fs::copy(src, &path).map_err(io_err("copy blob to", &path))?;
        Ok(())
    }
}

fn save_oci_dir(store: &Store, images: &[(String, ImageRecord)], dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir.join("blobs/sha256")).map_err(io_err("create", dir))?;
    write_oci(store, images, &mut DirSink(dir.to_path_buf()))
}

fn write_oci(
    store: &Store,
    images: &[(String, ImageRecord)],
    sink: &mut dyn LayoutSink,
) -> Result<()> {
    let mut written = HashSet::new();
    let mut put_blob =
        |sink: &mut dyn LayoutSink, digest: &str, bytes: Option<&[u8]>| -> Result<()> {
            let hex = manifest::digest_hex(digest)
                .ok_or_else(|| ImageError::Invalid(format!("bad digest {digest}")))?;
            let name = format!("blobs/sha256/{hex}");
            if !written.insert(name.clone()) || sink.has(&name) {
                return Ok(());
            }
            match bytes {
                Some(b) => sink.put_bytes(&name, b),
                None => sink.put_file(&name, &store.blob_path(digest)?),
            }
        };
    let mut descriptors = Vec::new();
    for (input, image) in images {
        let stored = store.read_blob(&image.manifest_digest)?;
        let parsed = manifest::parse_manifest(&stored)?;
        let (bytes, media_type, layers) = super::push::plan(store, image, &stored, parsed, None)?;
        for l in &layers {
            put_blob(sink, &l.digest, None)?;
        }
        let m = manifest::parse_manifest(&bytes)?;
        put_blob(sink, &m.config.digest, None)?;
        let digest = manifest::digest_of(&bytes);
        put_blob(sink, &digest, Some(&bytes))?;
        let annotations = saved_names(input, image)
            .first()
            .map(|n| BTreeMap::from([(REF_NAME.to_string(), n.clone())]));
        descriptors.push(Descriptor {
            media_type,
            digest,
            size: bytes.len() as u64,
            platform: None,
            annotations,
        });
    }
    sink.put_bytes("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#)?;
    let index = manifest::ImageIndex {
        schema_version: 2,
        media_type: Some(manifest::OCI_INDEX.to_string()),
        manifests: descriptors,
    };
    let bytes = serde_json::to_vec(&index).map_err(|e| ImageError::Invalid(e.to_string()))?;
    sink.put_bytes("index.json", &bytes)
}

/// Load from an archive file or an OCI/docker directory; returns what was loaded.
pub fn load_path(store: &mut Store, path: &Path, report: &dyn Reporter) -> Result<Vec<String>> {
    let meta = std::fs::metadata(path).map_err(io_err("open", path))?;
    if meta.is_dir() {
        return load_dir(store, path, &HashMap::new(), report);
    }
    let mut file = File::open(path).map_err(io_err("open", path))?;
    load_reader(store, &mut file, report)
}

pub fn load_reader(
    store: &mut Store,
    input: &mut dyn Read,
    report: &dyn Reporter,
) -> Result<Vec<String>> {
    let staging = store.staging_dir()?;
    let result = (|| {
        let links = unpack_outer(decompressing(input)?, &staging)?;
        load_dir(store, &staging, &links, report)
    })();
    let _ = std::fs::remove_dir_all(&staging);
    result
}

/// Archives may arrive gzip- or zstd-compressed (`save | gzip`).
fn decompressing<'a>(input: &'a mut dyn Read) -> Result<Box<dyn Read + 'a>> {
    let mut head = [0u8; 4];
    let mut got = 0;
    while got < head.len() {
        let n = input
            .read(&mut head[got..])
            .map_err(io_err("read archive", Path::new("-")))?;
        if n == 0 {
            break;
        }
        got += n;
    }
    let whole = io::Cursor::new(head[..got].to_vec()).chain(input);
    Ok(if got >= 2 && head[..2] == [0x1f, 0x8b] {
        Box::new(flate2::read::MultiGzDecoder::new(whole))
    } else if got == 4 && head == [0x28, 0xb5, 0x2f, 0xfd] {
        Box::new(zstd::Decoder::new(whole).map_err(io_err("read archive", Path::new("-")))?)
    } else {
        Box::new(whole)
    })
}

/// Lexically normalised relative path; `None` for names that try to leave the archive.
fn clean(name: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in name.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir | Component::RootDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Unpack only regular files and directories; links are recorded (name → target) and
/// resolved by name later, so nothing can point outside the staging directory.
fn unpack_outer(input: impl Read, dest: &Path) -> Result<HashMap<PathBuf, PathBuf>> {
    let bad = |e: io::Error| ImageError::Invalid(format!("not a valid archive: {e}"));
    let mut links = HashMap::new();
    let mut archive = tar::Archive::new(input);
    for entry in archive.entries().map_err(bad)? {
        let mut entry = entry.map_err(bad)?;
        let raw = entry.path().map_err(bad)?.into_owned();
        let Some(name) = clean(&raw) else { continue };
        if name.as_os_str().is_empty() {
            continue;
        }
        match entry.header().entry_type() {
            tar::EntryType::Directory => {
                let p = dest.join(&name);
                std::fs::create_dir_all(&p).map_err(io_err("create", &p))?;
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                let p = dest.join(&name);
                if let Some(parent) = p.parent() {
                    std::fs::create_dir_all(parent).map_err(io_err("create", parent))?;
                }
                let mut f = File::create(&p).map_err(io_err("create", &p))?;
                io::copy(&mut entry, &mut f).map_err(io_err("write", &p))?;
            }
            tar::EntryType::Symlink | tar::EntryType::Link => {
                let target = entry
                    .link_name()
                    .map_err(bad)?
                    .unwrap_or_default()
                    .into_owned();
                let base = if entry.header().entry_type() == tar::EntryType::Symlink
                    && !target.is_absolute()
                {
                    name.parent()
                        .map(Path::to_path_buf)
                        .unwrap_or_default()
                        .join(target)
                } else {
                    target
                };
                if let Some(t) = clean(&base) {
                    links.insert(name, t);
                }
            }
            _ => {}
        }
    }
    Ok(links)
}

/// A file of the unpacked archive by its in-archive name, following recorded links.
fn archive_file(root: &Path, links: &HashMap<PathBuf, PathBuf>, name: &str) -> Result<PathBuf> {
    let mut cur = clean(Path::new(name))
        .ok_or_else(|| ImageError::Invalid(format!("archive names {name:?} outside itself")))?;
    for _ in 0..16 {
        match links.get(&cur) {
            Some(next) => cur = next.clone(),
            None => return Ok(root.join(cur)),
        }
    }
    Err(ImageError::Invalid(format!(
        "too many links resolving {name:?}"
    )))
}

fn load_dir(
    store: &mut Store,
    dir: &Path,
    links: &HashMap<PathBuf, PathBuf>,
    report: &dyn Reporter,
) -> Result<Vec<String>> {
    if dir.join("oci-layout").exists() {
        load_oci(store, dir, report)
    } else if dir.join("manifest.json").exists() {
        load_docker(store, dir, links, report)
    } else {
        Err(ImageError::Invalid(
            "not a docker-archive, oci-archive or oci-dir: it has neither manifest.json nor oci-layout".into(),
        ))
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(io_err("read", path))
}

fn oci_blob(dir: &Path, digest: &str) -> Result<PathBuf> {
    let hex = manifest::digest_hex(digest).ok_or_else(|| {
        ImageError::Invalid(format!("unsupported digest {digest:?} in the layout"))
    })?;
    Ok(dir.join("blobs/sha256").join(hex))
}

/// A name from an OCI ref.name annotation: full references as they are, the rest under
/// `localhost/` as Podman does.
fn loaded_name(raw: &str) -> Option<String> {
    let full = if Reference::is_short_name(raw) {
        format!("localhost/{raw}")
    } else {
        raw.to_string()
    };
    let mut r = Reference::parse(&full).ok()?;
    r.digest = None;
    r.default_tag();
    Some(r.to_string())
}

fn load_oci(store: &mut Store, dir: &Path, report: &dyn Reporter) -> Result<Vec<String>> {
    let index = manifest::parse_index(&read_file(&dir.join("index.json"))?)?;
    let mut loaded = Vec::new();
    for top in &index.manifests {
        let mut desc = top.clone();
        let mut bytes = read_verified(&oci_blob(dir, &desc.digest)?, &desc.digest)?;
        let mut extra = None;
        if manifest::is_index(&manifest::sniff_media_type(&desc.media_type, &bytes)) {
            let nested = manifest::parse_index(&bytes)?;
            let chosen = manifest::choose_platform(&nested, &manifest::host_platform())?.clone();
            extra = Some((desc.digest.clone(), bytes));
            bytes = read_verified(&oci_blob(dir, &chosen.digest)?, &chosen.digest)?;
            desc = chosen;
        }
        let media_type = manifest::sniff_media_type(&desc.media_type, &bytes);
        let names: Vec<String> = top
            .annotations
            .as_ref()
            .and_then(|a| a.get(REF_NAME))
            .and_then(|n| loaded_name(n))
            .into_iter()
            .collect();
        let incoming = Incoming {
            manifest_bytes: &bytes,
            manifest_digest: &desc.digest,
            media_type: &media_type,
            extra_blobs: extra
                .as_ref()
                .map(|(d, b)| (d.as_str(), b.as_slice()))
                .into_iter()
                .collect(),
            names: names.clone(),
            repo_digests: Vec::new(),
        };
        let open = |d: &Descriptor| -> Result<Box<dyn Read + Send>> {
            let p = oci_blob(dir, &d.digest)?;
            Ok(Box::new(BufReader::new(
                File::open(&p).map_err(io_err("open blob", &p))?,
            )))
        };
        let image = import::import(store, &incoming, &open, report)?;
        loaded.extend(if names.is_empty() {
            vec![image.id.clone()]
        } else {
            names
        });
    }
    Ok(loaded)
}

fn read_verified(path: &Path, digest: &str) -> Result<Vec<u8>> {
    let bytes = read_file(path)?;
    let actual = manifest::digest_of(&bytes);
    if actual != digest {
        return Err(crate::registry::RegistryError::DigestMismatch {
            expected: digest.to_string(),
            actual,
        }
        .into());
    }
    Ok(bytes)
}

fn load_docker(
    store: &mut Store,
    dir: &Path,
    links: &HashMap<PathBuf, PathBuf>,
    report: &dyn Reporter,
) -> Result<Vec<String>> {
    let entries: Vec<DockerEntry> = serde_json::from_slice(&read_file(&dir.join("manifest.json"))?)
        .map_err(|e| ImageError::Invalid(format!("manifest.json of the archive: {e}")))?;
    let mut loaded = Vec::new();
    for entry in entries {
        let config_bytes = read_file(&archive_file(dir, links, &entry.config)?)?;
        let mut by_digest = HashMap::new();
        let mut layers = Vec::new();
        for name in &entry.layers {
            let path = archive_file(dir, links, name)?;
            let digest = super::layer_io::file_digest(&path).map_err(io_err("read", &path))?;
            let size = std::fs::metadata(&path)
                .map_err(io_err("stat", &path))?
                .len();
            let media_type = match sniff_file(&path)? {
                Compression::Gzip => manifest::DOCKER_LAYER_GZIP,
                Compression::Zstd => manifest::OCI_LAYER_ZSTD,
                Compression::None => manifest::DOCKER_LAYER_TAR,
            };
            layers.push(Descriptor {
                media_type: media_type.to_string(),
                digest: digest.clone(),
                size,
                platform: None,
                annotations: None,
            });
            by_digest.insert(digest, path);
        }
        let config_digest = manifest::digest_of(&config_bytes);
        let m = manifest::ImageManifest {
            schema_version: 2,
            media_type: Some(manifest::DOCKER_MANIFEST.to_string()),
            config: Descriptor {
                media_type: manifest::DOCKER_CONFIG.to_string(),
                digest: config_digest.clone(),
                size: config_bytes.len() as u64,
                platform: None,
                annotations: None,
            },
            layers,
            annotations: None,
        };
        let bytes =
            serde_json::to_vec_pretty(&m).map_err(|e| ImageError::Invalid(e.to_string()))?;
        let digest = manifest::digest_of(&bytes);
        let names: Vec<String> = entry
            .repo_tags
            .unwrap_or_default()
            .iter()
            .filter_map(|t| {
                let r = if Reference::is_short_name(t) {
                    Reference::normalize_docker_hub(t).ok()?
                } else {
                    let mut r = Reference::parse(t).ok()?;
                    r.default_tag();
                    r
                };
                Some(r.to_string())
            })
            .collect();
        let incoming = Incoming {
            manifest_bytes: &bytes,
            manifest_digest: &digest,
            media_type: manifest::DOCKER_MANIFEST,
            extra_blobs: Vec::new(),
            names: names.clone(),
            repo_digests: Vec::new(),
        };
        let open = |d: &Descriptor| -> Result<Box<dyn Read + Send>> {
            if d.digest == config_digest {
                return Ok(Box::new(io::Cursor::new(config_bytes.clone())));
            }
            let p = by_digest.get(&d.digest).ok_or_else(|| {
                ImageError::Invalid(format!("blob {} not in the archive", d.digest))
            })?;
            Ok(Box::new(BufReader::new(
                File::open(p).map_err(io_err("open", p))?,
            )))
        };
        let image = import::import(store, &incoming, &open, report)?;
        loaded.extend(if names.is_empty() {
            vec![image.id.clone()]
        } else {
            names
        });
    }
    Ok(loaded)
}

fn sniff_file(path: &Path) -> Result<Compression> {
    let mut head = [0u8; 4];
    let mut f = File::open(path).map_err(io_err("open", path))?;
    let n = f.read(&mut head).map_err(io_err("read", path))?;
    Ok(if n >= 2 && head[..2] == [0x1f, 0x8b] {
        Compression::Gzip
    } else if n == 4 && head == [0x28, 0xb5, 0x2f, 0xfd] {
        Compression::Zstd
    } else {
        Compression::None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_refuses_escapes() {
        assert_eq!(clean(Path::new("/a/./b")), Some(PathBuf::from("a/b")));
        assert_eq!(clean(Path::new("a/../b")), Some(PathBuf::from("b")));
        assert_eq!(clean(Path::new("../x")), None);
    }

    #[test]
    fn loaded_names_are_qualified() {
        assert_eq!(loaded_name("app:1").as_deref(), Some("localhost/app:1"));
        assert_eq!(
            loaded_name("127.0.0.1:5000/x/y").as_deref(),
            Some("127.0.0.1:5000/x/y:latest")
        );
    }

    #[test]
    fn links_resolve_inside_the_archive() {
        let mut links = HashMap::new();
        links.insert(PathBuf::from("b/layer.tar"), PathBuf::from("a/layer.tar"));
        let root = Path::new("/r");
        assert_eq!(
            archive_file(root, &links, "b/layer.tar").unwrap(),
            PathBuf::from("/r/a/layer.tar")
        );
        assert!(archive_file(root, &links, "../etc/passwd").is_err());
    }
}
