//! `rmi`, `untag`, `image prune` and the garbage collection behind them.

use super::{layer_io, manifest, ImageError, Result};
use crate::store::{ImageRecord, Store, StoreLock};
use crate::userns::IdMapping;
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq)]
pub enum Removal {
    Untagged(String),
    Deleted(String),
}

/// Remove `input` as `podman rmi` does: a name of a multi-named image only loses that name;
/// an id, or an image's last name, deletes the image.
pub fn remove_image(store: &mut Store, input: &str, force: bool) -> Result<Vec<Removal>> {
    let image = store.find_image(input)?;
    let by_name = image.name_for(input).cloned();
    let mut out = Vec::new();
    match by_name {
        Some(name) if image.names.len() > 1 => {
            store.remove_name(&image.id, &name)?;
            out.push(Removal::Untagged(name));
            return Ok(out);
        }
        None if image.names.len() > 1 && !force => {
            return Err(ImageError::Invalid(format!(
                "unable to delete image {} by ID with more than one tag ({}): please force removal",
                image.hex_id(),
                image.names.join(", ")
            )));
        }
        _ => {}
    }
    release_from_containers(store, &image, force)?;
    delete(store, &image, &mut out)?;
    Ok(out)
}

/// An image used by containers stays, unless `force` removes those containers too (Podman).
fn release_from_containers(store: &Store, image: &ImageRecord, force: bool) -> Result<()> {
    let users = store.containers_of_image(&image.id)?;
    if users.is_empty() {
        return Ok(());
    }
    if !force {
        return Err(ImageError::InUse {
            image: image.hex_id()[..12].to_string(),
            users: users.join(", "),
        });
    }
    for name in users {
        let record = store.find_container(&name)?;
        crate::container::remove(store, &record, true)
            .map_err(|e| ImageError::Invalid(format!("removing container {name}: {e}")))?;
    }
    Ok(())
}

/// Every image; with `force` nothing is kept.
pub fn remove_all(store: &mut Store, force: bool) -> Result<Vec<Removal>> {
    let mut out = Vec::new();
    for image in store.images()? {
        release_from_containers(store, &image, force)?;
        delete(store, &image, &mut out)?;
    }
    Ok(out)
}

/// Dangling images (no name), or with `all` every image no container uses.
pub fn prune(store: &mut Store, all: bool) -> Result<Vec<String>> {
    let mut removed = Vec::new();
    for image in store.images()? {
        let used = !store.containers_of_image(&image.id)?.is_empty();
        if (all || image.is_dangling()) && !used {
            let mut out = Vec::new();
            delete(store, &image, &mut out)?;
            removed.push(image.hex_id().to_string());
        }
    }
    collect_garbage(store)?;
    Ok(removed)
}

fn delete(store: &mut Store, image: &ImageRecord, out: &mut Vec<Removal>) -> Result<()> {
    for name in &image.names {
        out.push(Removal::Untagged(name.clone()));
    }
    store.remove_image_row(&image.id)?;
    out.push(Removal::Deleted(image.hex_id().to_string()));
    collect_garbage(store)
}

/// Delete layers and blobs no image needs. Layer trees are first renamed into `tmp/` so a
/// crash mid-delete never leaves a half tree under a layer's name.
pub fn collect_garbage(store: &mut Store) -> Result<()> {
    let _lock = StoreLock::exclusive(store.root())?;
    let unused = store.unreferenced_layers()?;
    if !unused.is_empty() {
        let mapping = IdMapping::for_store()?;
        for chain in unused {
            let dir = store.layer_dir(&chain)?;
            let doomed = store.staging_dir()?;
            if dir.exists() {
                std::fs::rename(&dir, doomed.join("layer")).map_err(|source| ImageError::Io {
                    what: "move away layer",
                    path: dir.clone(),
                    source,
                })?;
            }
            store.remove_layer_row(&chain)?;
            layer_io::discard_staging(&mapping, &doomed);
        }
    }
    let needed = needed_blobs(store)?;
    for digest in store.blob_digests() {
        if !needed.contains(&digest) {
            store.remove_blob(&digest)?;
        }
    }
    Ok(())
}

fn needed_blobs(store: &Store) -> Result<HashSet<String>> {
    let mut needed: HashSet<String> = store.layer_blob_digests()?.into_iter().collect();
    for image in store.images()? {
        needed.insert(image.id.clone());
        needed.insert(image.manifest_digest.clone());
        for rd in &image.repo_digests {
            if let Some((_, d)) = rd.split_once('@') {
                needed.insert(d.to_string());
            }
        }
        if let Ok(bytes) = store.read_blob(&image.manifest_digest) {
            if let Ok(m) = manifest::parse_manifest(&bytes) {
                needed.extend(m.layers.into_iter().map(|l| l.digest));
            }
        }
    }
    Ok(needed)
}
