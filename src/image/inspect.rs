//! Podman-shaped views of a stored image: `image inspect` JSON and `history` rows.

use super::{manifest, Result};
use crate::store::{ImageRecord, Store};
use serde_json::{json, Value};

/// The image's config, parsed from its stored blob.
pub fn config_of(store: &Store, image: &ImageRecord) -> Result<manifest::ImageConfig> {
    Ok(manifest::parse_config(&store.read_blob(&image.id)?)?)
}

pub fn inspect_json(store: &Store, image: &ImageRecord) -> Result<Value> {
    let config = config_of(store, image)?;
    let run = config.config.clone().unwrap_or_default();
    let mut lower = Vec::new();
    for chain in image.layers.iter().rev() {
        lower.push(store.layer_dir(chain)?.join("diff").display().to_string());
    }
    let upper = lower.first().cloned().unwrap_or_default();
    let lower_rest = lower.iter().skip(1).cloned().collect::<Vec<_>>().join(":");
    let mut graph_data = serde_json::Map::new();
    if !lower_rest.is_empty() {
        graph_data.insert("LowerDir".into(), json!(lower_rest));
    }
    graph_data.insert("UpperDir".into(), json!(upper));
    let history: Vec<Value> = config
        .history
        .iter()
        .map(|h| serde_json::to_value(h).unwrap_or(Value::Null))
        .collect();
    let comment = config
        .history
        .last()
        .and_then(|h| h.comment.clone())
        .unwrap_or_default();
    Ok(json!({
        "Id": image.hex_id(),
        "Digest": image.manifest_digest,
        "RepoTags": image.names,
        "RepoDigests": image.repo_digests,
        "Parent": "",
        "Comment": comment,
        "Created": config.created,
        "Config": run,
        "Version": "",
        "Author": config.author.clone().unwrap_or_default(),
        "Architecture": config.architecture,
        "Os": config.os,
        "Size": image.size,
        "VirtualSize": image.size,
        "GraphDriver": { "Name": "overlay", "Data": graph_data },
        "RootFS": { "Type": "layers", "Layers": config.rootfs.diff_ids },
        "Labels": run.labels,
        "Annotations": {},
        "ManifestType": image.manifest_media_type,
        "User": run.user.unwrap_or_default(),
        "History": history,
        "NamesHistory": image.names,
    }))
}

/// One row of `history`, newest first as Podman prints it.
pub struct HistoryRow {
    pub id: String,
    pub created: Option<String>,
    pub created_by: String,
    pub size: u64,
    pub comment: String,
}

pub fn history(store: &Store, image: &ImageRecord) -> Result<Vec<HistoryRow>> {
    let config = config_of(store, image)?;
    let mut sizes = Vec::new();
    for chain in &image.layers {
        sizes.push(store.layer(chain)?.map_or(0, |l| l.size));
    }
    let mut sizes = sizes.into_iter();
    let mut rows: Vec<HistoryRow> = config
        .history
        .iter()
        .map(|h| HistoryRow {
            id: "<missing>".to_string(),
            created: h.created.clone(),
            created_by: h.created_by.clone().unwrap_or_default(),
            size: if h.empty_layer {
                0
            } else {
                sizes.next().unwrap_or(0)
            },
            comment: h.comment.clone().unwrap_or_default(),
        })
        .collect();
    if rows.is_empty() {
        // Images without history still have layers; show one row per layer.
        rows = sizes
            .map(|size| HistoryRow {
                id: "<missing>".into(),
                created: config.created.clone(),
                created_by: String::new(),
                size,
                comment: String::new(),
            })
            .collect();
    }
    rows.reverse();
    if let Some(first) = rows.first_mut() {
        first.id = image.hex_id().to_string();
    }
    Ok(rows)
}
