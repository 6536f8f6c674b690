//! Bringing an image into the store from any source of blobs (a registry, an archive):
//! the config, then every missing layer in parallel, then the rows — last, so an image
//! is listed only once all of it is there.

use super::manifest::{self, Compression, Descriptor};
use super::progress::Reporter;
use super::{layer_io, ImageError, Result};
use crate::registry::RegistryError;
use crate::store::{Files, ImageRecord, LayerRecord, NewImage, Store, StoreLock};
use crate::userns::IdMapping;
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Layers transferred at once; more only splits the same bandwidth or disk.
const PARALLEL_LAYERS: usize = 6;

/// Opens a blob of the image being imported, by descriptor.
pub type BlobSource<'a> = dyn Fn(&Descriptor) -> Result<Box<dyn Read + Send>> + Sync + 'a;

/// A manifest to import, with the names it will be known by.
pub struct Incoming<'a> {
    pub manifest_bytes: &'a [u8],
    pub manifest_digest: &'a str,
    pub media_type: &'a str,
    /// Extra blobs to keep (an index the manifest was chosen from).
    pub extra_blobs: Vec<(&'a str, &'a [u8])>,
    pub names: Vec<String>,
    pub repo_digests: Vec<String>,
}

/// The stored image with this manifest, if any.
pub fn existing(store: &Store, manifest_digest: &str) -> Result<Option<ImageRecord>> {
    Ok(store
        .images()?
        .into_iter()
        .find(|i| i.manifest_digest == manifest_digest))
}

/// Add names to an image that is already stored.
pub fn add_names(
    store: &mut Store,
    image: &ImageRecord,
    incoming: &Incoming,
) -> Result<ImageRecord> {
    store.add_image(&NewImage {
        id: image.id.clone(),
        manifest_digest: image.manifest_digest.clone(),
        manifest_media_type: image.manifest_media_type.clone(),
        created: image.created.clone(),
        size: image.size,
        os: image.os.clone(),
        architecture: image.architecture.clone(),
        layers: image.layers.clone(),
        names: incoming.names.clone(),
        repo_digests: incoming.repo_digests.clone(),
    })?;
    Ok(store.image(&image.id)?)
}

pub fn import(
    store: &mut Store,
    incoming: &Incoming,
    open: &BlobSource,
    report: &dyn Reporter,
) -> Result<ImageRecord> {
    let _lock = StoreLock::shared(store.root())?;
    if let Some(image) = existing(store, incoming.manifest_digest)? {
        return add_names(store, &image, incoming);
    }
    let m = manifest::parse_manifest(incoming.manifest_bytes)?;
    let config_bytes = read_config(store, &m.config, open, report)?;
    let config = manifest::parse_config(&config_bytes)?;
    let diff_ids = &config.rootfs.diff_ids;
    if diff_ids.len() != m.layers.len() {
        return Err(manifest::ManifestError::LayerCount {
            config: diff_ids.len(),
            manifest: m.layers.len(),
        }
        .into());
    }
    let chains = manifest::chain_ids(diff_ids);
    sweep_stale_staging(store);

    let mut sizes = vec![0u64; chains.len()];
    let mut wanted = Vec::new();
    for (i, chain) in chains.iter().enumerate() {
        match store.layer(chain)? {
            Some(layer) if store.layer_dir(chain)?.exists() => {
                sizes[i] = layer.size;
                report
                    .blob("blob", &m.layers[i].digest, None)
                    .finish("skipped: already exists");
            }
            _ => wanted.push(i),
        }
    }
    if !wanted.is_empty() {
        let mapping = IdMapping::for_store()?;
        let job = LayerJob {
            files: store.files(),
            mapping: &mapping,
            descs: &m.layers,
            diff_ids,
            chains: &chains,
            open,
            report,
        };
        for (i, layer) in job.run(&wanted)? {
            sizes[i] = layer.size;
            store.insert_layer(&layer)?;
        }
    }

    report.message("Writing manifest to image destination");
    store.write_blob(incoming.manifest_digest, incoming.manifest_bytes)?;
    for (digest, bytes) in &incoming.extra_blobs {
        store.write_blob(digest, bytes)?;
    }
    let image = NewImage {
        id: m.config.digest.clone(),
        manifest_digest: incoming.manifest_digest.to_string(),
        manifest_media_type: incoming.media_type.to_string(),
        created: config.created.clone(),
        size: sizes.iter().sum::<u64>() + config_bytes.len() as u64,
        os: config.os.clone(),
        architecture: config.architecture.clone(),
        layers: chains,
        names: incoming.names.clone(),
        repo_digests: incoming.repo_digests.clone(),
    };
    store.add_image(&image)?;
    Ok(store.image(&image.id)?)
}

fn read_config(
    store: &Store,
    desc: &Descriptor,
    open: &BlobSource,
    report: &dyn Reporter,
) -> Result<Vec<u8>> {
    if store.has_blob(&desc.digest) {
        return Ok(store.read_blob(&desc.digest)?);
    }
    let mut progress = report.blob("config", &desc.digest, Some(desc.size));
    let mut bytes = Vec::new();
    // A config is small; a source that streams without end must not exhaust memory.
    open(desc)?
        .take(64 << 20)
        .read_to_end(&mut bytes)
        .map_err(|source| ImageError::Transfer {
            digest: desc.digest.clone(),
            source,
        })?;
    let actual = manifest::digest_of(&bytes);
    if actual != desc.digest {
        return Err(RegistryError::DigestMismatch {
            expected: desc.digest.clone(),
            actual,
        }
        .into());
    }
    store.write_blob(&desc.digest, &bytes)?;
    progress.finish("done");
    Ok(bytes)
}

/// The layers of one import, shared by the worker threads.
struct LayerJob<'a> {
    files: &'a Files,
    mapping: &'a IdMapping,
    descs: &'a [Descriptor],
    diff_ids: &'a [String],
    chains: &'a [String],
    open: &'a BlobSource<'a>,
    report: &'a dyn Reporter,
}

impl LayerJob<'_> {
    /// Threads live only while layers transfer; nothing forks here except through exec.
    fn run(&self, wanted: &[usize]) -> Result<Vec<(usize, LayerRecord)>> {
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<(usize, Result<LayerRecord>)>> = Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for _ in 0..wanted.len().min(PARALLEL_LAYERS) {
                scope.spawn(|| loop {
                    let slot = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&i) = wanted.get(slot) else { break };
                    let outcome = self.one(i);
                    let failed = outcome.is_err();
                    if let Ok(mut r) = results.lock() {
                        r.push((i, outcome));
                    }
                    if failed {
                        // The import fails anyway: hand out no more layers.
                        next.store(wanted.len(), Ordering::SeqCst);
                    }
                });
            }
        });
        let mut out = Vec::new();
        for (i, r) in results.into_inner().unwrap_or_default() {
            out.push((i, r?));
        }
        Ok(out)
    }

    fn one(&self, i: usize) -> Result<LayerRecord> {
        let desc = &self.descs[i];
        let compression = Compression::of_media_type(&desc.media_type)?;
        let body = (self.open)(desc)?;
        let progress = self.report.blob("blob", &desc.digest, Some(desc.size));
        let staging = self.files.staging_dir()?;
        let outcome = layer_io::stage_layer(
            self.files,
            &staging,
            self.mapping,
            body,
            progress,
            desc,
            compression,
            &self.diff_ids[i],
            &self.chains[i],
        );
        layer_io::discard_staging(self.mapping, &staging);
        outcome
    }
}

/// Staging left by killed writers: remove it before adding more.
fn sweep_stale_staging(store: &Store) {
    let stale = store.stale_staging();
    if stale.is_empty() {
        return;
    }
    if let Ok(mapping) = IdMapping::for_store() {
        for dir in stale {
            layer_io::discard_staging(&mapping, &dir);
        }
    }
}
