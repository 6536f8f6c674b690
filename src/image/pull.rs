//! `pull`: resolve a name, fetch the manifest (choosing a platform from an index), and
//! import whatever the store lacks straight from the registry.

use super::import::{self, Incoming};
use super::manifest::{self, Platform};
use super::progress::Reporter;
use super::{ImageError, Result};
use crate::config::RegistriesConf;
use crate::reference::Reference;
use crate::registry::{Client, ClientOptions, RegistryError};
use crate::store::{ImageRecord, Store, StoreError};

pub struct PullOptions {
    pub platform: Platform,
    /// `--platform`, `--arch`, `--os` or `--variant` was given: a local image built for
    /// another platform then does not count as present, as in Podman.
    pub platform_requested: bool,
    pub client: ClientOptions,
}

/// When to pull: `run`/`create --pull` and `pull --policy`, with Podman's meanings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    Always,
    Missing,
    Never,
    /// Pull when the registry's manifest digest differs from the local image's.
    Newer,
}

impl std::str::FromStr for Policy {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "always" => Ok(Self::Always),
            "missing" => Ok(Self::Missing),
            "never" => Ok(Self::Never),
            "newer" => Ok(Self::Newer),
            other => Err(format!(
                "invalid pull policy {other:?}: use missing, always, never or newer"
            )),
        }
    }
}

/// The image `input` names, pulled or not according to `policy`.
pub fn pull_by_policy(
    store: &mut Store,
    input: &str,
    policy: Policy,
    opts: &PullOptions,
    report: &dyn Reporter,
) -> Result<ImageRecord> {
    let local = match store.find_image(input) {
        Ok(img) => Some(img),
        Err(StoreError::ImageNotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let wanted = &opts.platform;
    let (local, other_platform) = match local {
        Some(img)
            if opts.platform_requested
                && (img.os != wanted.os || img.architecture != wanted.architecture) =>
        {
            (None, Some(format!("{}/{}", img.os, img.architecture)))
        }
        local => (local, None),
    };
    match (policy, local) {
        (Policy::Never, None) => Err(ImageError::Invalid(match other_platform {
            Some(other) => format!(
                "{input}: no local image for platform {wanted} (the local one is {other}; pull \
                 policy never): pull it first with `lodger pull --platform {wanted} {input}`"
            ),
            None => format!(
                "{input}: image not known (pull policy never): pull it first with `lodger pull \
                 {input}`"
            ),
        })),
        (Policy::Always, _) | (_, None) => pull(store, input, opts, report),
        (Policy::Newer, Some(local)) => pull_if_newer(store, input, local, opts, report),
        (Policy::Missing | Policy::Never, Some(local)) => Ok(local),
    }
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

/// `--pull newer`: pull again only when the registry the local image is named after serves a
/// different manifest for that name, as Podman does: a short name checks the name the local
/// image goes by, not every search registry (which could hold an unrelated image). One
/// manifest HEAD; an image found by ID or digest, a registry that cannot be reached or
/// checked, or a pull that fails leaves the local image in use (Podman suppresses those
/// errors when it has a local image, so a missing network does not stop a `run`).
fn pull_if_newer(
    store: &mut Store,
    input: &str,
    local: ImageRecord,
    opts: &PullOptions,
    report: &dyn Reporter,
) -> Result<ImageRecord> {
    let Some(reference) = local.name_for(input).and_then(|n| Reference::parse(n).ok()) else {
        return Ok(local);
    };
    let conf = RegistriesConf::load()?;
    if !remote_differs(&conf, &reference, &local, opts) {
        return Ok(local);
    }
    report.message(&format!("Trying to pull {reference}..."));
    Ok(pull_one(store, &conf, &reference, opts, report).unwrap_or(local))
}

/// Whether the registry serves something other than `local` for `reference`; false when it
/// cannot tell. The tag may point at an index: the local image records the index digest it
/// came through among its repo digests, so a HEAD is enough either way, and an index that
/// changed only for other platforms costs one manifest GET in `pull_one` and no blobs.
fn remote_differs(
    conf: &RegistriesConf,
    reference: &Reference,
    local: &ImageRecord,
    opts: &PullOptions,
) -> bool {
    let source = conf.pull_source(reference);
    let Ok(client) = Client::new(&source.registry, &opts.client, conf) else {
        return false;
    };
    match client.head_manifest(&source.repository, source.tag_or_digest()) {
        Ok(Some((digest, _))) => {
            let by_name = format!("{}@{digest}", reference.name());
            digest != local.manifest_digest && !local.repo_digests.contains(&by_name)
        }
        Ok(None) | Err(_) => false,
    }
}
