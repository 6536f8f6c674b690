//! From the user's request and the image's configuration to the container's: command,
//! working directory, user and environment.

use super::{io, ContainerConfig, ContainerError, Result, DEFAULT_PATH};
use crate::image::manifest::ImageConfig;
use std::path::Path;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::manifest::RunConfig;

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
}
