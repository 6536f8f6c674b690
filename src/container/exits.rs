//! Exit codes that outlive their container, as in Podman's exit code table: `--rm` removes a
//! container within milliseconds of its exit, and `wait` must still print how it ended.
//!
//! One small file per container in the runtime dir (so, like Podman's table, they go at
//! reboot), written before the container's row is removed and kept for five minutes.

use crate::paths::Paths;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// How long an exit code is kept after the removal (Podman prunes its table after 5 min).
pub const KEEP: Duration = Duration::from_secs(300);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exit {
    pub id: String,
    pub name: String,
    pub code: i32,
    /// Seconds since the epoch, when the container was removed.
    pub removed_at: i64,
    /// Removed by `--rm` rather than by the user: such a container is still found by its
    /// name or id, since the user never saw it go. One the user removed is not, as in Podman.
    pub auto: bool,
}

fn dir(paths: &Paths) -> PathBuf {
    paths.runtime.join("exits")
}

/// Touched at each prune, beside the directory so it is no exit itself.
fn pruned_mark(paths: &Paths) -> PathBuf {
    paths.runtime.join("exits.pruned")
}

/// A prune reads every kept exit: done at each record, `rm -a -f` of a thousand containers
/// (or a thousand `--rm` monitors) read a million files. Once a minute is enough for
/// entries kept five.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

fn prune_due(paths: &Paths) -> bool {
    let mark = pruned_mark(paths);
    let recent = std::fs::metadata(&mark)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age < PRUNE_EVERY);
    !recent && std::fs::write(&mark, b"").is_ok()
}

fn is_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn fresh(e: &Exit, now: i64) -> bool {
    now.saturating_sub(e.removed_at) < KEEP.as_secs() as i64
}

/// Keeps the exit code of a container about to be removed; drops the ones past [`KEEP`].
/// Best effort: a container is removed even when its code cannot be kept.
pub fn record(paths: &Paths, e: &Exit) {
    if !is_id(&e.id) {
        return;
    }
    let d = dir(paths);
    if paths.ensure_runtime().is_err() || std::fs::create_dir_all(&d).is_err() {
        return;
    }
    if prune_due(paths) {
        prune(paths, super::now());
    }
    let Ok(text) = serde_json::to_vec(e) else {
        return;
    };
    // Renamed into place: a reader never sees half a file.
    let tmp = d.join(format!(".{}.{}", e.id, std::process::id()));
    if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, d.join(&e.id)).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

fn all(paths: &Paths) -> Vec<Exit> {
    let Ok(entries) = std::fs::read_dir(dir(paths)) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| is_id(&e.file_name().to_string_lossy()))
        .filter_map(|e| std::fs::read(e.path()).ok())
        .filter_map(|b| serde_json::from_slice(&b).ok())
        .collect()
}

fn prune(paths: &Paths, now: i64) {
    for e in all(paths) {
        if !fresh(&e, now) {
            let _ = std::fs::remove_file(dir(paths).join(&e.id));
        }
    }
}

/// The kept exit of the container with this full id, however it was removed: for a `wait`
/// that found the container before it went.
pub fn by_id(paths: &Paths, id: &str) -> Option<Exit> {
    if !is_id(id) {
        return None;
    }
    let e: Exit = serde_json::from_slice(&std::fs::read(dir(paths).join(id)).ok()?).ok()?;
    fresh(&e, super::now()).then_some(e)
}

/// A container removed by `--rm`, by full id, unique id prefix or name (the newest of that
/// name); for commands given a container that no longer exists.
pub fn find(paths: &Paths, input: &str) -> Option<Exit> {
    let now = super::now();
    let mut kept: Vec<Exit> = all(paths)
        .into_iter()
        .filter(|e| e.auto && fresh(e, now))
        .collect();
    kept.sort_by_key(|e| std::cmp::Reverse(e.removed_at));
    if let Some(e) = kept.iter().find(|e| e.id == input || e.name == input) {
        return Some(e.clone());
    }
    if input.is_empty() || !input.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut by_prefix = kept.into_iter().filter(|e| e.id.starts_with(input));
    match (by_prefix.next(), by_prefix.next()) {
        (Some(e), None) => Some(e),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exit(id: char, name: &str, code: i32, removed_at: i64, auto: bool) -> Exit {
        Exit {
            id: id.to_string().repeat(64),
            name: name.into(),
            code,
            removed_at,
            auto,
        }
    }

    #[test]
    fn kept_for_five_minutes_and_found_as_podman_would() {
        let tmp = tempfile::tempdir().unwrap();
        let p = Paths::under(tmp.path());
        let now = crate::container::now();
        record(&p, &exit('a', "job", 7, now, true));
        record(&p, &exit('b', "gone", 3, now, false));
        assert_eq!(by_id(&p, &"a".repeat(64)).unwrap().code, 7);
        assert_eq!(by_id(&p, &"b".repeat(64)).unwrap().code, 3);
        // By name or prefix only what --rm removed.
        assert_eq!(find(&p, "job").unwrap().code, 7);
        assert_eq!(find(&p, "aaaaaaaaaaaa").unwrap().code, 7);
        assert!(find(&p, "gone").is_none());
        assert!(find(&p, &"b".repeat(64)).is_none());
        assert!(find(&p, "").is_none());
        // The newest of a reused name.
        record(&p, &exit('c', "job", 9, now + 1, true));
        assert_eq!(find(&p, "job").unwrap().code, 9);
        // Old ones are ignored, and pruned at the next record.
        record(&p, &exit('d', "old", 1, now - 301, true));
        assert!(by_id(&p, &"d".repeat(64)).is_none());
        // A minute after the last prune.
        std::fs::remove_file(pruned_mark(&p)).unwrap();
        record(&p, &exit('e', "new", 0, now, true));
        assert!(!dir(&p).join("d".repeat(64)).exists());
        assert!(dir(&p).join("a".repeat(64)).exists());
        // Not an id: nothing is written outside the directory.
        record(&p, &exit('x', "bad", 1, now, true));
        record(
            &p,
            &Exit {
                id: "../x".into(),
                ..exit('a', "bad", 1, now, true)
            },
        );
        assert_eq!(std::fs::read_dir(dir(&p)).unwrap().count(), 4);
    }
}
