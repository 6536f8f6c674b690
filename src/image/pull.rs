//! `pull`: resolve a name, fetch the manifest (choosing a platform from an index), and
//! import whatever the store lacks straight from the registry.

use super::import::{self, Incoming};
use super::manifest::{self, Platform};
use super::progress::Reporter;
use super::{ImageError, Result};
use crate::config::RegistriesConf;
use crate::reference::Reference;
use crate::registry::{Client, ClientOptions, RegistryError};
use crate::store::{ImageRecord, Store};

pub struct PullOptions {
    pub platform: Platform,
    pub client: ClientOptions,
}

/// Pull `input` (a short or qualified name) and return the stored image.
pub fn pull(
    store: &mut Store,
    input: &str,
    opts: &PullOptions,
    report: &dyn Reporter,
) -> Result<ImageRecord> {
    let conf = RegistriesConf::load()?;
    let candidates = conf.candidates(input)?;
    let mut failures = Vec::new();
    for (i, candidate) in candidates.iter().enumerate() {
        report.message(&format!("Trying to pull {candidate}..."));
        match pull_one(store, &conf, candidate, opts, report) {
            Ok(img) => return Ok(img),
            // Only a name unknown at this registry moves on to the next search registry;
            // Docker Hub answers "unauthorized" for names it does not know.
            Err(ImageError::Registry(
                e @ (RegistryError::NotFound { .. } | RegistryError::Unauthorized { .. }),
            )) if i + 1 < candidates.len() => {
                failures.push(format!("{candidate}: {e}"));
            }
            Err(e) if failures.is_empty() => return Err(e),
            Err(e) => {
                failures.push(format!("{candidate}: {e}"));
                break;
            }
        }
    }
    Err(ImageError::AllCandidatesFailed {
        input: input.to_string(),
        failures,
    })
}

fn pull_one(
    store: &mut Store,
    conf: &RegistriesConf,
    reference: &Reference,
    opts: &PullOptions,
    report: &dyn Reporter,
) -> Result<ImageRecord> {
    let source = conf.pull_source(reference);
    let client = Client::new(&source.registry, &opts.client, conf)?;
    let repo = &source.repository;
    let top = client.get_manifest(repo, source.tag_or_digest())?;
    let top_type = manifest::sniff_media_type(&top.media_type, &top.bytes);
    let (chosen, index) = if manifest::is_index(&top_type) {
        let index = manifest::parse_index(&top.bytes)?;
        let desc = manifest::choose_platform(&index, &opts.platform)?;
        (client.get_manifest(repo, &desc.digest)?, Some(top))
    } else {
        (top, None)
    };
    let media_type = manifest::sniff_media_type(&chosen.media_type, &chosen.bytes);
    if !manifest::is_manifest(&media_type) {
        return Err(manifest::ManifestError::MediaType(media_type).into());
    }
    let mut repo_digests = vec![format!("{}@{}", reference.name(), chosen.digest)];
    let mut extra_blobs = Vec::new();
    if let Some(idx) = &index {
        repo_digests.push(format!("{}@{}", reference.name(), idx.digest));
        extra_blobs.push((idx.digest.as_str(), idx.bytes.as_slice()));
    }
    let incoming = Incoming {
        manifest_bytes: &chosen.bytes,
        manifest_digest: &chosen.digest,
        media_type: &media_type,
        extra_blobs,
        names: reference
            .tag
            .as_ref()
            .map(|tag| format!("{}:{tag}", reference.name()))
            .into_iter()
            .collect(),
        repo_digests,
    };
    // Already here: one manifest round trip, then only a name to record.
    if let Some(image) = import::existing(store, &chosen.digest)? {
        return import::add_names(store, &image, &incoming);
    }
    report.message("Getting image source signatures");
    let open = |desc: &manifest::Descriptor| -> Result<Box<dyn std::io::Read + Send>> {
        Ok(client.get_blob(repo, &desc.digest)?.0)
    };
    import::import(store, &incoming, &open, report)
}
