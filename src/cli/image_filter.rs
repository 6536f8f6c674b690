//! `images --filter`: the filters Podman users reach for.

use super::image::reference_matches;
use crate::store::{ImageRecord, Store};
use anyhow::bail;

pub enum Filter {
    Reference(String),
    Dangling(bool),
    Label(String, Option<String>),
    Before(i64),
    Since(i64),
}

pub fn parse(specs: &[String], store: &Store) -> anyhow::Result<Vec<Filter>> {
    let mut out = Vec::new();
    for spec in specs {
        let Some((key, value)) = spec.split_once('=') else {
            bail!("invalid filter {spec:?}: use KEY=VALUE, e.g. reference=busybox");
        };
        out.push(match key {
            "reference" => Filter::Reference(value.to_string()),
            "dangling" => match value {
                "true" => Filter::Dangling(true),
                "false" => Filter::Dangling(false),
                _ => bail!("invalid filter {spec:?}: dangling takes true or false"),
            },
            "label" => match value.split_once('=') {
                Some((k, v)) => Filter::Label(k.to_string(), Some(v.to_string())),
                None => Filter::Label(value.to_string(), None),
            },
            "before" => Filter::Before(store.find_image(value)?.added),
            "since" => Filter::Since(store.find_image(value)?.added),
            other => bail!(
                "unsupported filter {other:?}: use reference, dangling, label, before or since"
            ),
        });
    }
    Ok(out)
}

impl Filter {
    pub fn keep(&self, store: &Store, image: &ImageRecord) -> bool {
        match self {
            Filter::Reference(p) => reference_matches(image, p),
            Filter::Dangling(d) => image.is_dangling() == *d,
            Filter::Before(t) => image.added < *t,
            Filter::Since(t) => image.added > *t,
            Filter::Label(k, v) => {
                let labels = crate::image::inspect::config_of(store, image)
                    .ok()
                    .and_then(|c| c.config)
                    .and_then(|c| c.labels)
                    .unwrap_or_default();
                match (labels.get(k), v) {
                    (Some(actual), Some(want)) => actual == want,
                    (Some(_), None) => true,
                    (None, _) => false,
                }
            }
        }
    }
}
