//! `push`: copy a stored image to a registry. Blobs and manifests go byte for byte, so the
//! digests stay the same, unless a format conversion was asked for.

use super::manifest::{self, Descriptor, ImageManifest};
use super::progress::Reporter;
use super::{ImageError, Result};
use crate::config::RegistriesConf;
use crate::reference::Reference;
use crate::registry::{Client, ClientOptions};
use crate::store::{ImageRecord, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushFormat {
    Oci,
    V2s2,
}

impl std::str::FromStr for PushFormat {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "oci" => Ok(PushFormat::Oci),
            "v2s2" | "docker" => Ok(PushFormat::V2s2),
            other => Err(format!(
                "unknown manifest format {other:?}: use oci or v2s2"
            )),
        }
    }
}

pub struct PushOptions {
    pub client: ClientOptions,
    pub format: Option<PushFormat>,
}

/// Where `push SOURCE [DEST]` sends the image: DEST, else the name SOURCE matched.
pub fn destination(image: &ImageRecord, source: &str, dest: Option<&str>) -> Result<Reference> {
    let target = match dest {
        Some(d) => d.strip_prefix("docker://").unwrap_or(d).to_string(),
        None => image.name_for(source).cloned()
                .ok_or_else(|| {
                    ImageError::Invalid(format!(
                        "{source} is not a name of the image: give a destination, e.g. `lodger push {source} registry.example.com/repo:tag`"
                    ))
                })?,
    };
    let mut r = if Reference::is_short_name(&target) {
        Reference::normalize_docker_hub(&target)?
    } else {
        Reference::parse(&target)?
    };
    r.default_tag();
    Ok(r)
}

pub fn push(
    store: &Store,
    image: &ImageRecord,
    dest: &Reference,
    opts: &PushOptions,
    report: &dyn Reporter,
) -> Result<String> {
    let conf = RegistriesConf::load()?;
    let client = Client::new(&dest.registry, &opts.client, &conf)?;
    let repo = &dest.repository;
    let stored = store.read_blob(&image.manifest_digest)?;
    let parsed = manifest::parse_manifest(&stored)?;
    let (bytes, media_type, layers) = plan(store, image, &stored, parsed, opts.format)?;

    report.message("Getting image source signatures");
    for desc in &layers {
        send_blob(store, &client, repo, desc, "blob", report)?;
    }
    let config_desc = manifest::parse_manifest(&bytes)?.config;
    send_blob(store, &client, repo, &config_desc, "config", report)?;
    report.message("Writing manifest to image destination");
    let digest = client.put_manifest(repo, dest.tag_or_digest(), &media_type, &bytes)?;
    Ok(digest)
}

fn send_blob(
    store: &Store,
    client: &Client,
    repo: &str,
    desc: &Descriptor,
    kind: &str,
    report: &dyn Reporter,
) -> Result<()> {
    let mut progress = report.blob(kind, &desc.digest, Some(desc.size));
    if client.blob_exists(repo, &desc.digest)? {
        progress.finish("skipped: already exists");
        return Ok(());
    }
    let path = store.blob_path(&desc.digest)?;
    let mut file = std::fs::File::open(&path).map_err(|source| ImageError::Io {
        what: "open blob",
        path: path.clone(),
        source,
    })?;
    client.push_blob(repo, &desc.digest, desc.size, &mut file)?;
    progress.finish("done");
    Ok(())
}

/// The manifest to send and the layer blobs it names: the stored bytes when nothing
/// changes, a rewritten manifest when the format changes or a layer is only stored under
/// another compression (two images sharing a layer keep one blob).
pub(crate) fn plan(
    store: &Store,
    image: &ImageRecord,
    stored: &[u8],
    mut m: ImageManifest,
    format: Option<PushFormat>,
) -> Result<(Vec<u8>, String, Vec<Descriptor>)> {
    let mut changed = false;
    for (desc, chain) in m.layers.iter_mut().zip(&image.layers) {
        if store.has_blob(&desc.digest) {
            continue;
        }
        let layer = store.layer(chain)?.ok_or_else(|| {
            ImageError::Invalid(format!("layer {chain} is missing from the store"))
        })?;
        desc.digest = layer.blob_digest;
        desc.media_type = layer.blob_media_type;
        desc.size = layer.blob_size;
        changed = true;
    }
    let current = if image.manifest_media_type == manifest::DOCKER_MANIFEST {
        PushFormat::V2s2
    } else {
        PushFormat::Oci
    };
    let target = format.unwrap_or(current);
    if target != current || changed {
        convert(&mut m, target)?;
        let bytes =
            serde_json::to_vec_pretty(&m).map_err(|e| ImageError::Invalid(e.to_string()))?;
        let media_type = m.media_type.clone().unwrap_or_default();
        let layers = m.layers.clone();
        return Ok((bytes, media_type, layers));
    }
    Ok((stored.to_vec(), image.manifest_media_type.clone(), m.layers))
}

fn convert(m: &mut ImageManifest, target: PushFormat) -> Result<()> {
    use manifest::*;
    let (manifest_type, config_type) = match target {
        PushFormat::Oci => (OCI_MANIFEST, OCI_CONFIG),
        PushFormat::V2s2 => (DOCKER_MANIFEST, DOCKER_CONFIG),
    };
    m.media_type = Some(manifest_type.to_string());
    m.config.media_type = config_type.to_string();
    for l in &mut m.layers {
        let compression = Compression::of_media_type(&l.media_type)?;
        l.media_type = match (target, compression) {
            (PushFormat::Oci, Compression::Gzip) => OCI_LAYER_GZIP,
            (PushFormat::Oci, Compression::Zstd) => OCI_LAYER_ZSTD,
            (PushFormat::Oci, Compression::None) => OCI_LAYER_TAR,
            (PushFormat::V2s2, Compression::Gzip) => DOCKER_LAYER_GZIP,
            (PushFormat::V2s2, Compression::None) => DOCKER_LAYER_TAR,
            (PushFormat::V2s2, Compression::Zstd) => {
                return Err(ImageError::Invalid(
                    "zstd-compressed layers cannot be pushed in v2s2 format: use --format oci"
                        .into(),
                ))
            }
        }
        .to_string();
    }
    Ok(())
}
