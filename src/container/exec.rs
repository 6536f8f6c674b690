//! The runtime's spec for `exec` in a running container: the container's environment,
//! user, working directory and security settings, with the user's overrides.

use super::{is_alive, parse_config, ContainerError, Result};
use crate::paths::Paths;
use crate::runtime::ExecSpec;
use crate::security::SecuritySpec;
use crate::store::ContainerRecord;

/// What `exec` asks for on top of the container's configuration.
#[derive(Debug, Default, Clone)]
pub struct ExecRequest {
    pub args: Vec<String>,
    /// `KEY=VALUE`, already expanded; later wins.
    pub env: Vec<String>,
    pub user: Option<String>,
    pub workdir: Option<String>,
    pub interactive: bool,
    pub tty: bool,
    /// Leave the command running in the background, its output discarded.
    pub detach: bool,
    /// All capabilities of the container's user namespace.
    pub privileged: bool,
}

pub fn exec_spec(paths: &Paths, record: &ContainerRecord, req: &ExecRequest) -> Result<ExecSpec> {
    let pid = match record.pid {
        Some(pid) if is_alive(paths, record) => pid,
        _ => {
            return Err(ContainerError::Invalid(format!(
                "can only create exec sessions on running containers: container {} is not running: container state improper",
                record.name
            )))
        }
    };
    let cfg = parse_config(record)?;
    let mut env = cfg.env.clone();
    for kv in &req.env {
        let key = kv.split('=').next().unwrap_or("");
        env.retain(|e| e.split('=').next() != Some(key));
        env.push(kv.clone());
    }
    if req.tty && !env.iter().any(|e| e.starts_with("TERM=")) {
        env.push("TERM=xterm".into());
    }
    let cwd = req.workdir.clone().unwrap_or_else(|| cfg.workdir.clone());
    if !cwd.starts_with('/') {
        return Err(ContainerError::Invalid(format!(
            "workdir {cwd:?} must be an absolute path"
        )));
    }
    let mut security = SecuritySpec::podman_default();
    security
        .edit_caps(&cfg.cap_add, &cfg.cap_drop)
        .map_err(|e| ContainerError::Invalid(e.to_string()))?;
    Ok(ExecSpec {
        pid,
        args: req.args.clone(),
        env,
        cwd,
        user: req.user.clone().unwrap_or_else(|| cfg.user.clone()),
        additional_groups: cfg.group_add.clone(),
        // A detached command has no terminal or input to keep: its streams are /dev/null.
        terminal: req.tty && !req.detach,
        stdin: req.interactive && !req.detach,
        security,
        detach: req.detach,
        privileged: req.privileged,
        cgroup: crate::cgroup::recorded(&super::dirs(paths, &record.id).state),
    })
}
