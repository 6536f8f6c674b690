//! Named volumes: directories in the store that outlive the containers mounting them.
//!
//! Each volume is `volumes/<name>/` holding `volume.json` (its metadata) and `_data/` (what
//! containers see), as Podman lays them out. A directory per volume needs no schema: creating
//! the directory is the atomic claim of the name. Containers mount a volume as a bind of its
//! `_data`, so "in use" is read from the containers' stored bind mounts.

pub mod copyup;

use crate::paths::Paths;
use crate::store::{ContainerRecord, ImageRecord, Store};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const META: &str = "volume.json";

#[derive(Debug, thiserror::Error)]
pub enum VolumeError {
    #[error("no volume with name {0:?} found: no such volume")]
    NotFound(String),
    #[error("volume with name {0} already exists: volume already exists")]
    Exists(String),
    #[error("invalid volume name {0:?}: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*")]
    InvalidName(String),
    #[error(
        "volume {name} is being used by the following container(s): {containers}: \
         remove them first or use --force"
    )]
    InUse { name: String, containers: String },
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("volume {name} has a corrupt volume.json: {reason}")]
    Corrupt { name: String, reason: String },
    #[error(transparent)]
    Layer(#[from] crate::layer::LayerError),
    #[error(transparent)]
    Userns(#[from] crate::userns::UsernsError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

pub type Result<T> = std::result::Result<T, VolumeError>;

fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> VolumeError {
    let path = path.to_path_buf();
    move |source| VolumeError::Io { what, path, source }
}

/// A volume as stored; `mountpoint` is derived from the store location.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Volume {
    pub name: String,
    /// RFC 3339.
    pub created_at: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// Created for an image's VOLUME: removed with the container by `rm -v` and `--rm`.
    #[serde(default)]
    pub anonymous: bool,
    /// Filled from the image on its first mount, as Podman does; cleared once done.
    #[serde(default)]
    pub needs_copy_up: bool,
    #[serde(skip)]
    pub mountpoint: PathBuf,
}

pub fn root(paths: &Paths) -> PathBuf {
    paths.data.join("volumes")
}

pub fn mountpoint(paths: &Paths, name: &str) -> PathBuf {
    root(paths).join(name).join("_data")
}

pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Create a volume; a random 64-hex name when none is given (as Podman).
pub fn create(
    paths: &Paths,
    name: Option<&str>,
    labels: BTreeMap<String, String>,
    anonymous: bool,
) -> Result<Volume> {
    let name = match name {
        Some(n) if !valid_name(n) => return Err(VolumeError::InvalidName(n.to_string())),
        Some(n) => n.to_string(),
        None => crate::container::names::new_id(),
    };
    let base = root(paths);
    std::fs::create_dir_all(&base).map_err(io("create", &base))?;
    let dir = base.join(&name);
    match std::fs::create_dir(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(VolumeError::Exists(name))
        }
        Err(e) => return Err(io("create", &dir)(e)),
    }
    let vol = Volume {
        name: name.clone(),
        created_at: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        labels,
        options: BTreeMap::new(),
        anonymous,
        needs_copy_up: true,
        mountpoint: dir.join("_data"),
    };
    let made = std::fs::create_dir(&vol.mountpoint)
        .map_err(io("create", &vol.mountpoint))
        .and_then(|()| save(paths, &vol));
    if let Err(e) = made {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(e);
    }
    Ok(vol)
}

/// Rewrite a volume's metadata (through a rename, so readers never see half a file).
pub fn save(paths: &Paths, vol: &Volume) -> Result<()> {
    let dir = root(paths).join(&vol.name);
    let tmp = dir.join(format!(".{META}.tmp"));
    let text = serde_json::to_vec_pretty(vol).map_err(|e| VolumeError::Corrupt {
        name: vol.name.clone(),
        reason: e.to_string(),
    })?;
    std::fs::write(&tmp, text).map_err(io("write", &tmp))?;
    let dest = dir.join(META);
    std::fs::rename(&tmp, &dest).map_err(io("write", &dest))
}

pub fn get(paths: &Paths, name: &str) -> Result<Volume> {
    if !valid_name(name) {
        return Err(VolumeError::NotFound(name.to_string()));
    }
    let file = root(paths).join(name).join(META);
    let text = match std::fs::read(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(VolumeError::NotFound(name.to_string()))
        }
        Err(e) => return Err(io("read", &file)(e)),
    };
    let mut vol: Volume = serde_json::from_slice(&text).map_err(|e| VolumeError::Corrupt {
        name: name.to_string(),
        reason: e.to_string(),
    })?;
    vol.mountpoint = mountpoint(paths, name);
    Ok(vol)
}

pub fn exists(paths: &Paths, name: &str) -> bool {
    get(paths, name).is_ok()
}

/// The named volume, created when missing (`-v name:/path` on first use).
pub fn get_or_create(paths: &Paths, name: &str) -> Result<Volume> {
    match get(paths, name) {
        Err(VolumeError::NotFound(_)) => match create(paths, Some(name), BTreeMap::new(), false) {
            // Another lodger created it between the two calls.
            Err(VolumeError::Exists(_)) => get(paths, name),
            other => other,
        },
        other => other,
    }
}

/// Every volume, sorted by name; directories without metadata (a create cut short) are skipped.
pub fn list(paths: &Paths) -> Result<Vec<Volume>> {
    let base = root(paths);
    let entries = match std::fs::read_dir(&base) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io("read", &base)(e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io("read", &base))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        match get(paths, &name) {
            Ok(v) => out.push(v),
            Err(VolumeError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The name of the volume a bind source is the data directory of, if it is one.
pub fn volume_of_source(paths: &Paths, source: &Path) -> Option<String> {
    let rest = source.strip_prefix(root(paths)).ok()?;
    let mut parts = rest.components();
    let name = parts.next()?.as_os_str().to_str()?.to_string();
    (parts.next()?.as_os_str() == "_data" && parts.next().is_none()).then_some(name)
}

/// The containers mounting the volume.
pub fn users(store: &Store, name: &str) -> Result<Vec<ContainerRecord>> {
    let mp = mountpoint(store.paths(), name);
    Ok(store
        .containers()?
        .into_iter()
        .filter(|c| {
            crate::container::parse_config(c)
                .map(|cfg| cfg.binds.iter().any(|b| Path::new(&b.source) == mp))
                .unwrap_or(false)
        })
        .collect())
}

/// Remove a volume. In use: an error unless `force`, which removes those containers first
/// (as Podman's `volume rm -f`).
pub fn remove(store: &Store, name: &str, force: bool) -> Result<()> {
    get(store.paths(), name)?;
    let users = users(store, name)?;
    if !users.is_empty() {
        if !force {
            return Err(VolumeError::InUse {
                name: name.to_string(),
                containers: users
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        for c in &users {
            crate::container::remove(store, c, true).map_err(|e| VolumeError::Io {
                what: "remove the container using the volume",
                path: PathBuf::from(&c.name),
                source: std::io::Error::other(e.to_string()),
            })?;
        }
    }
    remove_dir(store.paths(), name)
}

/// Files written by containers belong to mapped ids: removed in the user namespace when a
/// plain removal cannot.
fn remove_dir(paths: &Paths, name: &str) -> Result<()> {
    let dir = root(paths).join(name);
    // The metadata goes first so a half-removed volume is no longer listed.
    let _ = std::fs::remove_file(dir.join(META));
    if std::fs::remove_dir_all(&dir).is_err() && dir.exists() {
        let mapping = crate::userns::IdMapping::for_store()?;
        crate::layer::remove_trees(&mapping, &[&dir])?;
    }
    Ok(())
}

/// Remove every volume no container uses; returns their names.
pub fn prune(store: &Store) -> Result<Vec<String>> {
    let used = used_names(store)?;
    let mut removed = Vec::new();
    for v in list(store.paths())? {
        if !used.contains(&v.name) {
            remove_dir(store.paths(), &v.name)?;
            removed.push(v.name);
        }
    }
    Ok(removed)
}

/// Names of the volumes mounted by at least one container.
pub fn used_names(store: &Store) -> Result<std::collections::BTreeSet<String>> {
    let mut used = std::collections::BTreeSet::new();
    for c in store.containers()? {
        if let Ok(cfg) = crate::container::parse_config(&c) {
            for b in &cfg.binds {
                if let Some(n) = volume_of_source(store.paths(), Path::new(&b.source)) {
                    used.insert(n);
                }
            }
        }
    }
    Ok(used)
}

/// Remove the anonymous volumes of a removed container that no other container uses.
pub fn remove_anonymous(store: &Store, binds: &[crate::container::BindMount]) -> Result<()> {
    // Most containers have no volume: spare `run --rm` a scan of every container.
    if binds.is_empty() {
        return Ok(());
    }
    let used = used_names(store)?;
    for b in binds {
        let Some(name) = volume_of_source(store.paths(), Path::new(&b.source)) else {
            continue;
        };
        if used.contains(&name) {
            continue;
        }
        match get(store.paths(), &name) {
            Ok(v) if v.anonymous => remove_dir(store.paths(), &name)?,
            _ => {}
        }
    }
    Ok(())
}

/// Fill the volumes of a new container that still wait for their copy-up from the image
/// (the first container to mount a volume fills it, when it is empty).
pub fn copy_up_for(
    store: &Store,
    image: &ImageRecord,
    binds: &[crate::container::BindMount],
) -> Result<()> {
    let paths = store.paths();
    let mut layers: Option<Vec<PathBuf>> = None;
    for b in binds {
        let Some(name) = volume_of_source(paths, Path::new(&b.source)) else {
            continue;
        };
        let mut vol = get(paths, &name)?;
        if !vol.needs_copy_up {
            continue;
        }
        let empty = std::fs::read_dir(&vol.mountpoint)
            .map(|mut d| d.next().is_none())
            .map_err(io("read", &vol.mountpoint))?;
        if empty {
            let layers = match &mut layers {
                Some(l) => l,
                None => {
                    let mut l = Vec::with_capacity(image.layers.len());
                    for chain in image.layers.iter().rev() {
                        l.push(store.layer_dir(chain)?.join("diff"));
                    }
                    layers.insert(l)
                }
            };
            copyup::copy_up(layers, &b.destination, &vol.mountpoint)?;
        }
        vol.needs_copy_up = false;
        save(paths, &vol)?;
    }
    Ok(())
}

/// Podman's `volume inspect` document.
pub fn inspect_json(vol: &Volume) -> serde_json::Value {
    serde_json::json!({
        "Name": vol.name,
        "Driver": "local",
        "Mountpoint": vol.mountpoint,
        "CreatedAt": vol.created_at,
        "Labels": vol.labels,
        "Scope": "local",
        "Options": vol.options,
        "MountCount": 0,
        "NeedsCopyUp": vol.needs_copy_up,
        "NeedsChown": false,
        "Anonymous": vol.anonymous,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_get_list_and_duplicates() {
        let t = tempfile::tempdir().unwrap();
        let p = Paths::under(t.path());
        let mut labels = BTreeMap::new();
        labels.insert("a".to_string(), "b".to_string());
        let v = create(&p, Some("data"), labels.clone(), false).unwrap();
        assert_eq!(v.mountpoint, mountpoint(&p, "data"));
        assert!(v.mountpoint.is_dir());
        assert!(matches!(
            create(&p, Some("data"), BTreeMap::new(), false),
            Err(VolumeError::Exists(_))
        ));
        let anon = create(&p, None, BTreeMap::new(), true).unwrap();
        assert_eq!(anon.name.len(), 64);
        let got = get(&p, "data").unwrap();
        assert_eq!(got.labels, labels);
        let names: Vec<String> = list(&p).unwrap().into_iter().map(|v| v.name).collect();
        assert_eq!(names.len(), 2);
        assert!(names.contains(&"data".to_string()));
        assert!(matches!(get(&p, "nope"), Err(VolumeError::NotFound(_))));
        assert!(matches!(get(&p, "../x"), Err(VolumeError::NotFound(_))));
        assert!(matches!(
            create(&p, Some("-bad"), BTreeMap::new(), false),
            Err(VolumeError::InvalidName(_))
        ));
        remove_dir(&p, "data").unwrap();
        assert!(!exists(&p, "data"));
    }

    #[test]
    fn bind_sources_name_their_volume() {
        let t = tempfile::tempdir().unwrap();
        let p = Paths::under(t.path());
        assert_eq!(
            volume_of_source(&p, &mountpoint(&p, "v1")),
            Some("v1".to_string())
        );
        assert_eq!(volume_of_source(&p, &root(&p).join("v1")), None);
        assert_eq!(volume_of_source(&p, Path::new("/srv/data")), None);
    }
}
