//! `commit`: a new image from a container — its image's layers plus one gzip layer made from
//! the container's upper dir — stored through the image import machinery.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::{dirs, mapping_for, parse_config};
use crate::image::manifest::{self, Descriptor, History, ImageConfig, RunConfig};
use crate::store::{ContainerRecord, ImageRecord, Store};

#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    #[error("invalid --change {change:?}: {reason}")]
    Change { change: String, reason: String },
    #[error("{what} {path}: {err}")]
    Io {
        what: &'static str,
        path: String,
        err: io::Error,
    },
    #[error(transparent)]
    Container(#[from] super::ContainerError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Image(#[from] crate::image::ImageError),
    #[error(transparent)]
    Layer(#[from] crate::layer::LayerError),
    #[error(transparent)]
    Manifest(#[from] manifest::ManifestError),
}

pub type Result<T> = std::result::Result<T, CommitError>;

/// What `commit` adds to the container's image.
#[derive(Debug, Default, Clone)]
pub struct CommitRequest {
    /// Fully qualified name, if any.
    pub name: Option<String>,
    pub author: Option<String>,
    pub message: Option<String>,
    /// Dockerfile-style instructions: `CMD ...`, `ENV K=V`, ...
    pub changes: Vec<String>,
}

/// Applies one Dockerfile-style `--change` to an image's run config.
pub fn apply_change(cfg: &mut RunConfig, change: &str) -> Result<()> {
    let bad = |reason: &str| CommitError::Change {
        change: change.to_string(),
        reason: reason.to_string(),
    };
    let (verb, rest) = change
        .trim()
        .split_once(|c: char| c.is_whitespace() || c == '=')
        .ok_or_else(|| bad("expected INSTRUCTION VALUE"))?;
    let rest = rest.trim();
    // JSON array form, or the shell form run by /bin/sh -c.
    let command = || -> Vec<String> {
        serde_json::from_str::<Vec<String>>(rest)
            .unwrap_or_else(|_| vec!["/bin/sh".into(), "-c".into(), rest.to_string()])
    };
    let pairs = || -> Result<Vec<(String, String)>> {
        let (k, v) = rest
            .split_once('=')
            .or_else(|| rest.split_once(' '))
            .ok_or_else(|| bad("expected KEY=VALUE"))?;
        Ok(vec![(
            k.trim().to_string(),
            v.trim().trim_matches('"').to_string(),
        )])
    };
    match verb.to_ascii_uppercase().as_str() {
        "CMD" => cfg.cmd = Some(command()),
        "ENTRYPOINT" => {
            cfg.entrypoint = Some(command());
            // As in a Dockerfile, a new entrypoint drops the inherited command.
            cfg.cmd = None;
        }
        "ENV" => {
            let env = cfg.env.get_or_insert_with(Vec::new);
            for (k, v) in pairs()? {
                env.retain(|e| e.split('=').next() != Some(k.as_str()));
                env.push(format!("{k}={v}"));
            }
        }
        "LABEL" => {
            let labels = cfg.labels.get_or_insert_with(BTreeMap::new);
            for (k, v) in pairs()? {
                labels.insert(k, v);
            }
        }
        "WORKDIR" => cfg.working_dir = Some(rest.to_string()),
        "USER" => cfg.user = Some(rest.to_string()),
        "STOPSIGNAL" => cfg.stop_signal = Some(rest.to_string()),
        "EXPOSE" => {
            let ports = cfg.exposed_ports.get_or_insert_with(BTreeMap::new);
            for p in rest.split_whitespace() {
                let p = if p.contains('/') {
                    p.to_string()
                } else {
                    format!("{p}/tcp")
                };
                ports.insert(p, serde_json::json!({}));
            }
        }
        "VOLUME" => {
            let vols = cfg.volumes.get_or_insert_with(BTreeMap::new);
            let list = serde_json::from_str::<Vec<String>>(rest)
                .unwrap_or_else(|_| rest.split_whitespace().map(String::from).collect());
            for v in list {
                vols.insert(v, serde_json::json!({}));
            }
        }
        _ => {
            return Err(bad(
                "supported: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR",
            ))
        }
    }
    Ok(())
}

/// Counts and hashes what passes through to `inner`.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn digest(h: Sha256) -> String {
    format!("sha256:{}", hex::encode(h.finalize()))
}

/// A gzip layer blob written to a file; its digests and sizes.
pub struct NewLayer {
    pub path: PathBuf,
    pub diff_id: String,
    pub digest: String,
    pub size: u64,
}

/// Compresses the tar that `fill` writes into a temporary file in `tmp` (not the store's
/// staging dir, which an import sweeps).
pub fn write_layer(
    tmp: &std::path::Path,
    fill: &mut dyn FnMut(&mut dyn Write) -> Result<()>,
) -> Result<NewLayer> {
    std::fs::create_dir_all(tmp).map_err(|err| CommitError::Io {
        what: "creating",
        path: tmp.display().to_string(),
        err,
    })?;
    let path = tmp.join(format!("commit-{}.tar.gz", super::names::new_id()));
    let io_err = |err| CommitError::Io {
        what: "writing",
        path: path.display().to_string(),
        err,
    };
    let file = File::create(&path).map_err(io_err)?;
    let compressed = Hashing {
        inner: BufWriter::new(file),
        hash: Sha256::new(),
        bytes: 0,
    };
    let mut raw = Hashing {
        inner: flate2::write::GzEncoder::new(compressed, flate2::Compression::fast()),
        hash: Sha256::new(),
        bytes: 0,
    };
    let filled = fill(&mut raw);
    let done = filled.and_then(|()| {
        let diff_id = digest(raw.hash);
        let mut compressed = raw.inner.finish().map_err(io_err)?;
        compressed.flush().map_err(io_err)?;
        Ok(NewLayer {
            path: path.clone(),
            diff_id,
            digest: digest(compressed.hash),
            size: compressed.bytes,
        })
    });
    if done.is_err() {
        let _ = std::fs::remove_file(&path);
    }
    done
}

/// Stores an image made of `base` (its layers and config) plus `layer`.
pub fn store_image(
    store: &mut Store,
    base: Option<&ImageRecord>,
    mut config: ImageConfig,
    layer: &NewLayer,
    names: Vec<String>,
) -> Result<ImageRecord> {
    let mut layers: Vec<Descriptor> = Vec::new();
    if let Some(base) = base {
        let m = manifest::parse_manifest(&store.read_blob(&base.manifest_digest)?)?;
        layers = m.layers;
    }
    config.rootfs.kind = "layers".into();
    config.rootfs.diff_ids.push(layer.diff_id.clone());
    layers.push(Descriptor {
        media_type: manifest::OCI_LAYER_GZIP.into(),
        digest: layer.digest.clone(),
        size: layer.size,
        platform: None,
        annotations: None,
    });
    let config_bytes = serde_json::to_vec(&config).map_err(|e| CommitError::Io {
        what: "encoding",
        path: "the image config".into(),
        err: io::Error::other(e),
    })?;
    let config_digest = manifest::digest_of(&config_bytes);
    let manifest_json = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": manifest::OCI_MANIFEST,
        "config": {
            "mediaType": manifest::OCI_CONFIG,
            "digest": config_digest,
            "size": config_bytes.len(),
        },
        "layers": layers,
    });
    let manifest_bytes = serde_json::to_vec(&manifest_json).map_err(|e| CommitError::Io {
        what: "encoding",
        path: "the image manifest".into(),
        err: io::Error::other(e),
    })?;
    let manifest_digest = manifest::digest_of(&manifest_bytes);
    let incoming = crate::image::import::Incoming {
        manifest_bytes: &manifest_bytes,
        manifest_digest: &manifest_digest,
        media_type: manifest::OCI_MANIFEST,
        extra_blobs: Vec::new(),
        names,
        repo_digests: Vec::new(),
    };
    let blobs = store.files().root().join("blobs");
    let open = |d: &Descriptor| -> crate::image::Result<Box<dyn Read + Send>> {
        if d.digest == config_digest {
            return Ok(Box::new(io::Cursor::new(config_bytes.clone())));
        }
        let path = if d.digest == layer.digest {
            layer.path.clone()
        } else {
            let hex = manifest::digest_hex(&d.digest).unwrap_or_default();
            blobs.join("sha256").join(hex)
        };
        let f = File::open(&path).map_err(|source| crate::image::ImageError::Io {
            what: "opening",
            path: path.clone(),
            source,
        })?;
        Ok(Box::new(io::BufReader::new(f)))
    };
    let quiet = crate::image::progress::reporter(true);
    let result = crate::image::import::import(store, &incoming, &open, quiet.as_ref());
    let _ = std::fs::remove_file(&layer.path);
    Ok(result?)
}

/// `commit`: the container's changes as a new image.
pub fn commit(
    store: &mut Store,
    record: &ContainerRecord,
    req: &CommitRequest,
) -> Result<ImageRecord> {
    let base = store.image(&record.image_id)?;
    let mut config = crate::image::inspect::config_of(store, &base)?;
    let mut run = config.config.take().unwrap_or_default();
    for c in &req.changes {
        apply_change(&mut run, c)?;
    }
    config.config = Some(run);
    let cfg = parse_config(record)?;
    let mapping = mapping_for(cfg.userns)?;
    let d = dirs(store.paths(), &record.id);
    let upper = d.upper;
    let layer = write_layer(&d.root, &mut |w| {
        crate::layer::export_tree(&mapping, &upper, w)?;
        Ok(())
    })?;
    let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    config.created = Some(created.clone());
    if req.author.is_some() {
        config.author = req.author.clone();
    }
    config.history.push(History {
        created: Some(created),
        created_by: Some(format!("/bin/sh -c #(nop) commit of {}", record.name)),
        author: req.author.clone(),
        comment: req.message.clone(),
        empty_layer: false,
    });
    let names = req.name.clone().into_iter().collect();
    store_image(store, Some(&base), config, &layer, names)
}

/// `import`: a tarball (plain, gzip or zstd) as a new image with one layer.
pub fn import_tarball(
    store: &mut Store,
    source: &mut dyn Read,
    req: &CommitRequest,
) -> Result<ImageRecord> {
    let mut run = RunConfig::default();
    for c in &req.changes {
        apply_change(&mut run, c)?;
    }
    let mut input = io::BufReader::with_capacity(256 * 1024, source);
    let head = io::BufRead::fill_buf(&mut input)
        .map_err(|err| CommitError::Io {
            what: "reading",
            path: "the tarball".into(),
            err,
        })?
        .to_vec();
    let mut decoded: Box<dyn Read + '_> = match crate::layer::Compression::sniff(&head) {
        crate::layer::Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(input)),
        crate::layer::Compression::Zstd => Box::new(
            zstd::stream::read::Decoder::with_buffer(input).map_err(|err| CommitError::Io {
                what: "reading",
                path: "the tarball".into(),
                err,
            })?,
        ),
        crate::layer::Compression::None => Box::new(input),
    };
    let tmp = store.paths().data.clone();
    let layer = write_layer(&tmp, &mut |w| {
        io::copy(&mut decoded, w).map_err(|err| CommitError::Io {
            what: "reading",
            path: "the tarball".into(),
            err,
        })?;
        Ok(())
    })?;
    let platform = manifest::host_platform();
    let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    let config = ImageConfig {
        architecture: platform.architecture,
        os: platform.os,
        created: Some(created.clone()),
        author: req.author.clone(),
        config: Some(run),
        history: vec![History {
            created: Some(created),
            created_by: Some("/bin/sh -c #(nop) ADD file in /".into()),
            author: req.author.clone(),
            comment: req.message.clone(),
            empty_layer: false,
        }],
        ..Default::default()
    };
    let names = req.name.clone().into_iter().collect();
    store_image(store, None, config, &layer, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_edit_the_run_config() {
        let mut c = RunConfig::default();
        apply_change(&mut c, r#"CMD ["/bin/echo","hi"]"#).unwrap();
        assert_eq!(c.cmd.as_deref().unwrap(), ["/bin/echo", "hi"]);
        apply_change(&mut c, "CMD echo hi").unwrap();
        assert_eq!(c.cmd.as_deref().unwrap(), ["/bin/sh", "-c", "echo hi"]);
        apply_change(&mut c, "ENV A=1").unwrap();
        apply_change(&mut c, "ENV A 2").unwrap();
        assert_eq!(c.env.as_deref().unwrap(), ["A=2"]);
        apply_change(&mut c, "WORKDIR /srv").unwrap();
        assert_eq!(c.working_dir.as_deref(), Some("/srv"));
        apply_change(&mut c, "EXPOSE 80 53/udp").unwrap();
        assert!(c.exposed_ports.as_ref().unwrap().contains_key("80/tcp"));
        apply_change(&mut c, "LABEL a=b").unwrap();
        assert_eq!(c.labels.as_ref().unwrap()["a"], "b");
        assert!(apply_change(&mut c, "RUN rm -rf /").is_err());
        assert!(apply_change(&mut c, "CMD").is_err());
    }
}
