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
pub mod process;
pub mod spec;
pub mod stop;
pub mod top;

pub use config::{BindMount, ContainerConfig, NetworkMode, RestartPolicy, TmpfsMount, UsernsMode};
pub use log_config::{LogConfig, LogDriver};
pub use process::{effective_state, is_alive};

use crate::image::manifest::ImageConfig;
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

/// What the user asked for on the command line, before the image fills the gaps.
#[derive(Debug, Default, Clone)]
pub struct Request {
    pub name: Option<String>,
    pub args: Vec<String>,
    pub entrypoint: Option<String>,
    pub env: Vec<String>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub config: ContainerConfig,
}

/// Podman's `--entrypoint`: a JSON array, or one string that is the whole entrypoint.
fn parse_entrypoint(s: &str) -> Vec<String> {
    if s.trim_start().starts_with('[') {
        if let Ok(v) = serde_json::from_str::<Vec<String>>(s) {
            return v;
        }
    }
    if s.is_empty() {
        Vec::new()
    } else {
        vec![s.to_string()]
    }
}

/// Decide the container's configuration from the image config and the request.
pub fn resolve_config(image: &ImageConfig, req: &Request, id: &str) -> Result<ContainerConfig> {
    let run = image.config.clone().unwrap_or_default();
    let mut cfg = req.config.clone();
    let (entrypoint, cmd) = match &req.entrypoint {
        Some(e) => (parse_entrypoint(e), req.args.clone()),
        None => (
            run.entrypoint.clone().unwrap_or_default(),
            if req.args.is_empty() {
                run.cmd.clone().unwrap_or_default()
            } else {
                req.args.clone()
            },
        ),
    };
    cfg.command = entrypoint.into_iter().chain(cmd).collect();
    if cfg.command.is_empty() {
        return Err(ContainerError::Invalid(
            "no command or entrypoint provided, and no CMD or ENTRYPOINT from image: give a command".into(),
        ));
    }
    if cfg.hostname.is_empty() {
        cfg.hostname = id[..12].to_string();
    }
    cfg.workdir = req
        .workdir
        .clone()
        .or(run.working_dir.clone().filter(|w| !w.is_empty()))
        .unwrap_or_else(|| "/".into());
    if !cfg.workdir.starts_with('/') {
        return Err(ContainerError::Invalid(format!(
            "workdir {:?} must be an absolute path",
            cfg.workdir
        )));
    }
    cfg.user = req.user.clone().or(run.user.clone()).unwrap_or_default();
    cfg.env = merge_env(
        run.env.as_deref().unwrap_or_default(),
        &req.env,
        &cfg.hostname,
        cfg.tty,
    );
    Ok(cfg)
}

/// Image env, then Podman's additions, then the user's `-e` (later wins, order kept).
fn merge_env(image: &[String], user: &[String], hostname: &str, tty: bool) -> Vec<String> {
    let mut env: Vec<String> = Vec::new();
    let mut set = |kv: String| {
        let key = kv.split('=').next().unwrap_or("").to_string();
        env.retain(|e| e.split('=').next() != Some(key.as_str()));
        env.push(kv);
    };
    set(DEFAULT_PATH.to_string());
    for e in image {
        set(e.clone());
    }
    set("container=lodger".into());
    if tty {
        set("TERM=xterm".into());
    }
    set(format!("HOSTNAME={hostname}"));
    for e in user {
        set(e.clone());
    }
    env
}

/// Podman's `-e`: `KEY=VALUE`, or `KEY` taking the value from lodger's own environment
/// (dropped when unset), or `PREFIX*` taking every matching variable.
pub fn expand_env_flag(flag: &str, host: &[(String, String)]) -> Vec<String> {
    if flag.contains('=') {
        return vec![flag.to_string()];
    }
    if let Some(prefix) = flag.strip_suffix('*') {
        return host
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
    }
    host.iter()
        .filter(|(k, _)| k == flag)
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
}

/// `--env-file`: one `-e` per line; blank lines and `#` comments skipped.
pub fn read_env_file(path: &Path, host: &[(String, String)]) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(io("read env file", path))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .flat_map(|l| expand_env_flag(l, host))
        .collect())
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

/// Remove a container: kill it when `force`, then its directories and its row. Holds the
/// container's lock, so no start runs in between; a container already gone is not an error.
pub fn remove(store: &Store, record: &ContainerRecord, force: bool) -> Result<()> {
    remove_as(store, record, force, false)
}

/// `--rm`: the container is removed once it exited, without the user asking.
pub fn remove_exited(store: &Store, record: &ContainerRecord) -> Result<()> {
    remove_as(store, record, true, true)
}

fn remove_as(store: &Store, record: &ContainerRecord, force: bool, auto: bool) -> Result<()> {
    let lock = lock::lock(store.paths(), &record.id)?;
    let current = match store.find_container(&record.id) {
        Ok(c) => c,
        Err(StoreError::ContainerNotFound(_)) => {
            lock.remove_file();
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    let mut watcher = None;
    let mut killed = false;
    if effective_state(store.paths(), &current) == State::Running {
        if !force {
            return Err(ContainerError::Running(current.name.clone()));
        }
        watcher = process::watcher_pidfd(store.paths(), &current.id);
        let kill = stop::Stop {
            record: current.clone(),
            signal: libc::SIGKILL,
            timeout: std::time::Duration::ZERO,
        };
        // Only until its processes are gone, not its monitor: to restart the container or
        // remove it (`--rm`) the monitor takes this lock, and then finds the row gone.
        if let Some(r) = stop::stop_all(store, vec![kill], stop::Until::Gone).pop() {
            r?;
        }
        killed = true;
    }
    // Directories first: a removal cut short leaves a row that `rm` can take again, never
    // directories that nothing lists.
    remove_dirs(store.paths(), &current.id)?;
    // Kept before the row goes, so a `wait` never finds neither (the row may be newer than
    // `current`: the exit was recorded since). One we killed whose monitor has not recorded
    // it yet (it cannot start it again while this lock is held) ended by SIGKILL.
    let code = store
        .find_container(&current.id)
        .ok()
        .and_then(|r| match r.state {
            State::Running if killed => Some(128 + libc::SIGKILL),
            _ => r.exit_code,
        });
    if let Some(code) = code {
        exits::record(
            store.paths(),
            &exits::Exit {
                id: current.id.clone(),
                name: current.name.clone(),
                code,
                removed_at: now(),
                auto,
            },
        );
    }
    store.remove_container_row(&current.id)?;
    lock.remove_file();
    drop(lock);
    // Its monitor ends once it finds the row gone: nothing of the container is left after.
    if let Some(w) = watcher {
        pidfd::wait_all(vec![w], std::time::Duration::from_secs(10));
    }
    // `--rm` takes the container's anonymous volumes with it, as in Podman.
    if parse_config(&current).is_ok_and(|c| c.remove) {
        remove_volumes(store, &current)?;
    }
    Ok(())
}

/// `rm -v`: the anonymous volumes of a removed container that no other container uses.
pub fn remove_volumes(store: &Store, record: &ContainerRecord) -> Result<()> {
    let cfg = parse_config(record)?;
    crate::volume::remove_anonymous(store, &cfg.binds).map_err(|e| {
        ContainerError::Invalid(format!("removing the volumes of {}: {e}", record.name))
    })
}

/// The writable layer holds files of mapped ids: removed inside the user namespace when a
/// plain removal cannot.
pub fn remove_dirs(paths: &Paths, id: &str) -> Result<()> {
    let d = dirs(paths, id);
    let _ = std::fs::remove_dir_all(&d.state);
    // Overlay leaves `work/work` (and, volatile, `work/work/incompat/volatile`) mode 000 but
    // ours: opening them up spares the user namespace helper (a few ms of `run --rm`)
    // whenever the container wrote no file of another id.
    let work = d.work.join("work");
    for dir in [
        work.clone(),
        work.join("incompat"),
        work.join("incompat/volatile"),
    ] {
        let _ = std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700));
    }
    if std::fs::remove_dir_all(&d.root).is_err() && d.root.exists() {
        let mapping = IdMapping::for_store()?;
        crate::layer::remove_trees(&mapping, &[&d.root])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::manifest::RunConfig;
    use crate::userns::IdRange;

    fn image(entry: Option<&[&str]>, cmd: Option<&[&str]>) -> ImageConfig {
        let v = |x: Option<&[&str]>| x.map(|a| a.iter().map(|s| s.to_string()).collect());
        ImageConfig {
            config: Some(RunConfig {
                entrypoint: v(entry),
                cmd: v(cmd),
                env: Some(vec!["PATH=/bin".into(), "A=1".into()]),
                working_dir: Some("/srv".into()),
                user: Some("www-data".into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    const ID: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn command_follows_podman_rules() {
        let req = |args: &[&str], ep: Option<&str>| Request {
            args: args.iter().map(|s| s.to_string()).collect(),
            entrypoint: ep.map(String::from),
            ..Default::default()
        };
        let img = image(Some(&["/entry"]), Some(&["default"]));
        let c = |r: Request| resolve_config(&img, &r, ID).unwrap().command;
        assert_eq!(c(req(&[], None)), ["/entry", "default"]);
        assert_eq!(c(req(&["x"], None)), ["/entry", "x"]);
        // --entrypoint drops the image's Cmd.
        assert_eq!(c(req(&[], Some("/other"))), ["/other"]);
        assert_eq!(c(req(&["a"], Some(r#"["/e","-v"]"#))), ["/e", "-v", "a"]);
        let empty = image(None, None);
        assert!(resolve_config(&empty, &req(&[], None), ID).is_err());
    }

    #[test]
    fn env_workdir_user_and_hostname() {
        let img = image(None, Some(&["sh"]));
        let mut r = Request {
            env: vec!["A=2".into(), "B=3".into()],
            ..Default::default()
        };
        r.config.tty = true;
        let cfg = resolve_config(&img, &r, ID).unwrap();
        assert!(
            cfg.env.contains(&"PATH=/bin".to_string()),
            "image PATH wins over default"
        );
        assert!(cfg.env.contains(&"A=2".to_string()));
        assert!(!cfg.env.contains(&"A=1".to_string()));
        assert!(cfg.env.contains(&"TERM=xterm".to_string()));
        assert!(cfg.env.contains(&format!("HOSTNAME={}", &ID[..12])));
        assert_eq!(cfg.workdir, "/srv");
        assert_eq!(cfg.user, "www-data");
        assert_eq!(cfg.hostname, &ID[..12]);
    }

    #[test]
    fn env_flags_take_host_values() {
        let host = vec![
            ("FOO".to_string(), "1".to_string()),
            ("FOOBAR".into(), "2".into()),
        ];
        assert_eq!(expand_env_flag("FOO", &host), ["FOO=1"]);
        assert_eq!(expand_env_flag("FOO*", &host), ["FOO=1", "FOOBAR=2"]);
        assert!(expand_env_flag("NOPE", &host).is_empty());
        assert_eq!(expand_env_flag("X=y=z", &host), ["X=y=z"]);
    }

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
