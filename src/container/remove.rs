//! Removing a container: its processes, directories, row and anonymous volumes.

use super::{dirs, effective_state, exits, lock, now, parse_config, pidfd, process, stop};
use super::{ContainerError, Result};
use crate::paths::Paths;
use crate::store::{ContainerRecord, State, Store, StoreError};
use crate::userns::IdMapping;

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
    // Kept before the row goes, so a `wait` never finds neither; read before the directories
    // go, as they name the monitor. A process gone whose exit is not recorded yet (killed by
    // `rm -f` before this, or it just ended) is worth the few ms its monitor takes to record
    // it: a `wait` may be waiting for that code. The monitor cannot start it again meanwhile,
    // as this lock is held; if it is gone too, the one we killed here ended by SIGKILL.
    let code = match store.find_container(&current.id) {
        Ok(r) if r.state == State::Running => process::await_exit_record(store, &r)?,
        Ok(r) => Some(r),
        Err(StoreError::ContainerNotFound(_)) => None,
        Err(e) => return Err(e.into()),
    }
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
    // Directories first: a removal cut short leaves a row that `rm` can take again, never
    // directories that nothing lists.
    remove_dirs(store.paths(), &current.id)?;
    store.remove_container_row(&current.id)?;
    lock.remove_file();
    drop(lock);
    // Its monitor ends once it finds the row gone: nothing of the container is left after.
    if let Some(w) = watcher {
        pidfd::wait_all(vec![w], std::time::Duration::from_secs(10));
    }
    let cfg = parse_config(&current).ok();
    if let Some(file) = cfg.as_ref().and_then(|c| c.cidfile.as_ref()) {
        // As Podman does; one already gone is no error.
        let _ = std::fs::remove_file(file);
    }
    // `--rm` takes the container's anonymous volumes with it, as in Podman.
    if cfg.is_some_and(|c| c.remove) {
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
    crate::cgroup::clear_recorded(&d.state);
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
