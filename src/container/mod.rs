//! Containers: turning an image and the user's flags into a stored container, the runtime
//! spec for it, and its life on disk (upper layer, state) until it is removed.

pub mod commit;
pub mod config;
pub mod cp;
pub mod deps;
pub mod etc;
pub mod exec;
pub mod exits;
pub mod fstar;
pub mod inside;
pub mod lock;
pub mod log_config;
pub mod names;
pub mod pidfd;
pub mod ports;
pub mod process;
pub mod remove;
pub mod resolve;
pub mod resources;
pub mod sdnotify;
pub mod spec;
pub mod stats;
pub mod stop;
pub mod top;

pub use config::{BindMount, ContainerConfig, NetworkMode, RestartPolicy, TmpfsMount, UsernsMode};
pub use log_config::{LogConfig, LogDriver};
pub use process::{effective_state, is_alive};
pub use remove::{remove, remove_dirs, remove_exited, remove_volumes};
pub use resolve::{expand_env_flag, read_env_file, resolve_config, Request};

use crate::paths::Paths;
use crate::store::{ContainerRecord, ImageRecord, State, Store, StoreError};
use crate::userns::IdMapping;
use std::path::{Path, PathBuf};

/// Podman's default PATH for images that set none.
pub const DEFAULT_PATH: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

#[derive(Debug, thiserror::Error)]
pub enum ContainerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Userns(#[from] crate::userns::UsernsError),
    #[error(transparent)]
    Layer(#[from] crate::layer::LayerError),
    #[error(transparent)]
    Image(#[from] crate::image::ImageError),
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("container {0} is running: stop it first or use --force")]
    Running(String),
    #[error("container {0} is not running: start it first")]
    NotRunning(String),
}

pub type Result<T> = std::result::Result<T, ContainerError>;

fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> ContainerError {
    let path = path.to_path_buf();
    move |source| ContainerError::Io { what, path, source }
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The id mapping a container runs with.
pub fn mapping_for(mode: UsernsMode) -> Result<IdMapping> {
    let base = IdMapping::for_store()?;
    Ok(match mode {
        UsernsMode::Default => base,
        UsernsMode::KeepId => keep_id(
            &base,
            rustix::process::getuid().as_raw(),
            rustix::process::getgid().as_raw(),
        ),
    })
}

/// The user's own uid inside maps to itself; 0.. fill up from the subordinate ranges.
pub fn keep_id(base: &IdMapping, uid: u32, gid: u32) -> IdMapping {
    fn remap(ranges: &[crate::userns::IdRange], me: u32) -> Vec<crate::userns::IdRange> {
        use crate::userns::IdRange;
        let owner = ranges.first().map_or(me, |r| r.host_id);
        // The subordinate ids, in order, fill every container id except `me`.
        let subs: Vec<(u32, u32)> = ranges
            .iter()
            .filter(|r| r.container_id != 0)
            .map(|r| (r.host_id, r.count))
            .collect();
        let mut out = vec![IdRange {
            container_id: me,
            host_id: owner,
            count: 1,
        }];
        let mut next_container = 0u32;
        for (host, count) in subs {
            let mut host = host;
            let mut left = count;
            while left > 0 {
                if next_container == me {
                    next_container += 1;
                }
                let span_end = if next_container < me { me } else { u32::MAX };
                let n = left.min(span_end - next_container);
                out.push(IdRange {
                    container_id: next_container,
                    host_id: host,
                    count: n,
                });
                next_container += n;
                host += n;
                left -= n;
            }
        }
        out
    }
    IdMapping {
        uids: remap(&base.uids, uid),
        gids: remap(&base.gids, gid),
    }
}

/// A container's directories: the writable layer in the store, its state in the runtime dir.
pub struct Dirs {
    pub root: PathBuf,
    pub upper: PathBuf,
    pub work: PathBuf,
    pub state: PathBuf,
}

pub fn dirs(paths: &Paths, id: &str) -> Dirs {
    let root = paths.data.join("containers").join(id);
    Dirs {
        upper: root.join("upper"),
        work: root.join("work"),
        root,
        state: paths.runtime.join("containers").join(id),
    }
}

/// Record a new container and create its writable layer.
pub fn create(
    store: &Store,
    image: &ImageRecord,
    image_name: &str,
    name: Option<String>,
    config: &ContainerConfig,
    id: &str,
) -> Result<ContainerRecord> {
    let generated = name.is_none();
    let name = match name {
        Some(n) if !names::valid_name(&n) => {
            return Err(ContainerError::Invalid(format!(
                "invalid container name {n:?}: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*"
            )))
        }
        Some(n) => n,
        None => names::new_name(),
    };
    let mut record = ContainerRecord {
        id: id.to_string(),
        name,
        image_id: image.id.clone(),
        image_name: image_name.to_string(),
        config: serde_json::to_string(config)
            .map_err(|e| ContainerError::Invalid(e.to_string()))?,
        created: now(),
        state: State::Created,
        pid: None,
        started_at: None,
        finished_at: None,
        exit_code: None,
        restarts: 0,
    };
    let d = dirs(store.paths(), id);
    let mut tries = 0;
    loop {
        match store.insert_container(&record) {
            // The row first: a create cut short leaves a container `rm` can see and remove.
            Ok(()) => {
                return match make_layer_dirs(&d) {
                    Ok(()) => Ok(record),
                    Err(e) => {
                        let _ = std::fs::remove_dir_all(&d.root);
                        let _ = store.remove_container_row(id);
                        Err(e)
                    }
                }
            }
            // Generated names are few: draw again, then make one unique with the id.
            Err(StoreError::NameInUse { .. }) if generated && tries < 20 => {
                tries += 1;
                record.name = if tries < 20 {
                    names::new_name()
                } else {
                    format!("{}_{}", names::new_name(), &id[..8])
                };
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// The writable layer's directories; created again at start if a create was cut short.
pub fn make_layer_dirs(d: &Dirs) -> Result<()> {
    for dir in [&d.upper, &d.work] {
        std::fs::create_dir_all(dir).map_err(io("create", dir))?;
    }
    Ok(())
}

pub fn parse_config(record: &ContainerRecord) -> Result<ContainerConfig> {
    serde_json::from_str(&record.config).map_err(|e| {
        ContainerError::Invalid(format!(
            "container {} has a corrupt configuration: {e}",
            record.name
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::userns::IdRange;

    #[test]
    fn keep_id_maps_the_user_to_itself() {
        let base = IdMapping {
            uids: vec![
                IdRange {
                    container_id: 0,
                    host_id: 1000,
                    count: 1,
                },
                IdRange {
                    container_id: 1,
                    host_id: 100000,
                    count: 65536,
                },
            ],
            gids: vec![
                IdRange {
                    container_id: 0,
                    host_id: 1000,
                    count: 1,
                },
                IdRange {
                    container_id: 1,
                    host_id: 100000,
                    count: 65536,
                },
            ],
        };
        let m = keep_id(&base, 1000, 1000);
        assert_eq!(
            m.uids[0],
            IdRange {
                container_id: 1000,
                host_id: 1000,
                count: 1
            }
        );
        assert_eq!(
            m.uids[1],
            IdRange {
                container_id: 0,
                host_id: 100000,
                count: 1000
            }
        );
        assert_eq!(
            m.uids[2],
            IdRange {
                container_id: 1001,
                host_id: 101000,
                count: 64536
            }
        );
    }
}
