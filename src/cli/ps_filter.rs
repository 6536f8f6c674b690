//! `ps --filter`: filters of one key are alternatives, different keys must all hold (Podman).

use crate::container::ContainerConfig;
use crate::store::{ContainerRecord, ImageRecord, State};
use anyhow::bail;
use std::collections::BTreeMap;

const KEYS: [&str; 6] = ["status", "name", "id", "label", "ancestor", "exited"];

#[derive(Debug, Default)]
pub struct Filters(BTreeMap<String, Vec<String>>);

impl Filters {
    pub fn parse(flags: &[String]) -> anyhow::Result<Filters> {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for f in flags {
            let Some((k, v)) = f.split_once('=') else {
                bail!(
                    "invalid filter {f:?}: use KEY=VALUE with KEY one of {}",
                    KEYS.join(", ")
                );
            };
            if !KEYS.contains(&k) {
                bail!(
                    "unsupported filter {k:?}: lodger filters containers by {}",
                    KEYS.join(", ")
                );
            }
            if k == "status"
                && ![
                    "created",
                    "running",
                    "exited",
                    "paused",
                    "stopped",
                    "restarting",
                    "removing",
                    "dead",
                    "unknown",
                ]
                .contains(&v)
            {
                bail!("invalid status filter {v:?}: use created, running, exited, paused, stopped, restarting, removing, dead or unknown");
            }
            if k == "exited" && v.parse::<i32>().is_err() {
                bail!("invalid exited filter {v:?}: give an exit code");
            }
            map.entry(k.to_string()).or_default().push(v.to_string());
        }
        Ok(Filters(map))
    }

    /// Status and exit-code filters look at stopped containers, so they imply `--all`.
    pub fn implies_all(&self) -> bool {
        self.0.contains_key("status") || self.0.contains_key("exited")
    }

    pub fn matches(
        &self,
        c: &ContainerRecord,
        state: &State,
        cfg: &ContainerConfig,
        image: Option<&ImageRecord>,
    ) -> bool {
        self.0
            .iter()
            .all(|(key, values)| values.iter().any(|v| one(key, v, c, state, cfg, image)))
    }
}

fn one(
    key: &str,
    v: &str,
    c: &ContainerRecord,
    state: &State,
    cfg: &ContainerConfig,
    image: Option<&ImageRecord>,
) -> bool {
    match key {
        "status" => match v {
            "stopped" => *state == State::Exited,
            s => state.as_str() == s,
        },
        "name" => name_matches(v, &c.name),
        "id" => c.id.starts_with(v),
        "label" => {
            let (k, want) = v.split_once('=').map_or((v, None), |(k, w)| (k, Some(w)));
            match (cfg.labels.get(k), want) {
                (Some(_), None) => true,
                (Some(have), Some(w)) => have == w,
                (None, _) => false,
            }
        }
        "ancestor" => {
            let hex = c.image_id.trim_start_matches("sha256:");
            let v_hex = v.trim_start_matches("sha256:");
            (v_hex.len() >= 3 && hex.starts_with(v_hex))
                || c.image_name == v
                || image.is_some_and(|img| super::image::reference_matches(img, v))
        }
        "exited" => *state == State::Exited && v.parse::<i32>().ok() == c.exit_code,
        _ => false,
    }
}

/// Podman matches names with a regular expression; the common forms are a substring and
/// `^`/`$` anchors, which this covers.
fn name_matches(pattern: &str, name: &str) -> bool {
    let (start, p) = match pattern.strip_prefix('^') {
        Some(p) => (true, p),
        None => (false, pattern),
    };
    let (end, p) = match p.strip_suffix('$') {
        Some(p) => (true, p),
        None => (false, p),
    };
    match (start, end) {
        (true, true) => name == p,
        (true, false) => name.starts_with(p),
        (false, true) => name.ends_with(p),
        (false, false) => name.contains(p),
    }
}

/// Bytes of the regular files under `dir`, best effort (unreadable parts count as nothing).
pub fn dir_size(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_size(&e.path()),
            Ok(t) if t.is_file() => e.metadata().map_or(0, |m| m.len()),
            _ => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_as_podman_regexps_do() {
        assert!(name_matches("web", "myweb1"));
        assert!(name_matches("^web", "web1"));
        assert!(!name_matches("^web", "myweb"));
        assert!(name_matches("^web$", "web"));
        assert!(!name_matches("^web$", "web1"));
        assert!(name_matches("1$", "web1"));
    }

    #[test]
    fn bad_filters_are_errors() {
        assert!(Filters::parse(&["status".into()]).is_err());
        assert!(Filters::parse(&["color=red".into()]).is_err());
        assert!(Filters::parse(&["status=sleepy".into()]).is_err());
        assert!(Filters::parse(&["exited=x".into()]).is_err());
        assert!(Filters::parse(&["status=exited".into()])
            .unwrap()
            .implies_all());
        assert!(!Filters::parse(&["name=a".into()]).unwrap().implies_all());
    }
}
