//! `inspect` of containers, images and volumes, with Podman-shaped JSON.

use super::Context;
use crate::container::{self, ContainerConfig, RestartPolicy};
use crate::store::{ContainerRecord, State, Store, StoreError};
use crate::volume;
use anyhow::bail;
use clap::Args;
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// Containers, images or volumes to inspect
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,
    /// Format the output with a Go template, or json
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Type of object to inspect: container, image, volume or all
    #[arg(short, long, value_name = "TYPE", default_value = "all")]
    pub r#type: String,
}

#[derive(Args, Debug)]
pub struct ContainerInspectArgs {
    /// Containers to inspect
    #[arg(required = true, value_name = "CONTAINER")]
    pub names: Vec<String>,
    /// Format the output with a Go template, or json
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
}

pub fn print_docs(docs: &[Value], format: Option<&str>) -> anyhow::Result<()> {
    let out = &mut std::io::stdout().lock();
    match format {
        None | Some("json") => writeln!(out, "{}", serde_json::to_string_pretty(docs)?)?,
        Some(t) => super::template::write(out, t, docs, &[], false)?,
    }
    Ok(())
}

/// Podman looks a name up as a container, then an image, then a volume.
pub fn inspect(ctx: &Context, a: InspectArgs) -> anyhow::Result<i32> {
    let kind = a.r#type.as_str();
    if !["all", "container", "image", "volume"].contains(&kind) {
        bail!(
            "invalid --type {:?}: use container, image, volume or all",
            a.r#type
        );
    }
    let store = Store::open(&ctx.paths)?;
    let mut docs = Vec::new();
    let mut code = 0;
    for n in &a.names {
        let doc = if matches!(kind, "all" | "container") {
            lookup_container(&store, n)?
        } else {
            None
        };
        let doc = match doc {
            Some(d) => Some(d),
            None if matches!(kind, "all" | "image") => match store.find_image(n) {
                Ok(img) => Some(crate::image::inspect::inspect_json(&store, &img)?),
                Err(StoreError::ImageNotFound(_)) => None,
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        let doc = match doc {
            Some(d) => Some(d),
            None if matches!(kind, "all" | "volume") => match volume::get(&ctx.paths, n) {
                Ok(v) => Some(volume::inspect_json(&v)),
                Err(volume::VolumeError::NotFound(_)) => None,
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        match doc {
            Some(d) => docs.push(d),
            None => {
                let what = if kind == "all" { "object" } else { kind };
                eprintln!("Error: no such {what}: {n:?}");
                code = super::EXIT_FAILURE;
            }
        }
    }
    print_docs(&docs, a.format.as_deref())?;
    Ok(code)
}

fn lookup_container(store: &Store, name: &str) -> anyhow::Result<Option<Value>> {
    match store.find_container(name) {
        Ok(c) => Ok(Some(container_json(store, &c)?)),
        Err(StoreError::ContainerNotFound(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

pub fn container_inspect(ctx: &Context, a: ContainerInspectArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let mut docs = Vec::new();
    let mut code = 0;
    for n in &a.names {
        match lookup_container(&store, n)? {
            Some(d) => docs.push(d),
            None => {
                eprintln!("Error: no such container {n:?}");
                code = super::EXIT_FAILURE;
            }
        }
    }
    print_docs(&docs, a.format.as_deref())?;
    Ok(code)
}

/// Go's zero time, which Podman prints for "never".
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

fn time(secs: Option<i64>) -> String {
    secs.filter(|s| *s > 0)
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        })
        .unwrap_or_else(|| ZERO_TIME.to_string())
}

fn mounts_json(store: &Store, cfg: &ContainerConfig) -> Vec<Value> {
    let mut out: Vec<Value> = cfg
        .binds
        .iter()
        .map(|b| {
            let vol = volume::volume_of_source(store.paths(), Path::new(&b.source));
            let options = if b.readonly {
                json!(["rbind", "ro"])
            } else {
                json!(["rbind"])
            };
            match vol {
                Some(name) => json!({
                    "Type": "volume",
                    "Name": name,
                    "Source": b.source,
                    "Destination": b.destination,
                    "Driver": "local",
                    "Mode": "",
                    "Options": options,
                    "RW": !b.readonly,
                    "Propagation": "rprivate",
                }),
                None => json!({
                    "Type": "bind",
                    "Source": b.source,
                    "Destination": b.destination,
                    "Driver": "",
                    "Mode": "",
                    "Options": options,
                    "RW": !b.readonly,
                    "Propagation": "rprivate",
                }),
            }
        })
        .collect();
    out.extend(cfg.tmpfs.iter().map(|t| {
        json!({
            "Type": "tmpfs",
            "Source": "tmpfs",
            "Destination": t.destination,
            "Driver": "",
            "Mode": "",
            "Options": t.options.split(',').collect::<Vec<_>>(),
            "RW": !t.options.split(',').any(|o| o == "ro"),
            "Propagation": "",
        })
    }));
    out
}

/// The image's entrypoint, when the stored command still starts with it.
fn split_command(
    store: &Store,
    c: &ContainerRecord,
    command: &[String],
) -> (Vec<String>, Vec<String>) {
    let entry = store
        .image(&c.image_id)
        .ok()
        .and_then(|img| crate::image::inspect::config_of(store, &img).ok())
        .and_then(|cfg| cfg.config.and_then(|r| r.entrypoint))
        .unwrap_or_default();
    if !entry.is_empty() && command.starts_with(&entry) {
        (entry.clone(), command[entry.len()..].to_vec())
    } else {
        (Vec::new(), command.to_vec())
    }
}

/// `HostConfig.NetworkMode` as Podman spells it (`container:<id>` for a shared namespace).
fn network_mode(cfg: &ContainerConfig) -> anyhow::Result<Value> {
    use crate::network::Mode;
    Ok(match &cfg.net.mode {
        Some(Mode::Container(id)) => format!("container:{id}").into(),
        Some(Mode::Ns(path)) => format!("ns:{path}").into(),
        Some(Mode::Pasta(_)) => "pasta".into(),
        Some(Mode::Slirp4netns(_)) => "slirp4netns".into(),
        Some(Mode::Host) => "host".into(),
        Some(Mode::None) => "none".into(),
        // Written before the mode was recorded.
        Some(Mode::Default) | None => serde_json::to_value(cfg.network)?,
    })
}

pub fn container_json(store: &Store, c: &ContainerRecord) -> anyhow::Result<Value> {
    let cfg = container::parse_config(c)?;
    let state = container::effective_state(store.paths(), c);
    let running = state == State::Running;
    let (entrypoint, cmd) = split_command(store, c, &cfg.command);
    let restart = match cfg.restart {
        RestartPolicy::No => json!({"Name": "", "MaximumRetryCount": 0}),
        RestartPolicy::OnFailure { max } => json!({"Name": "on-failure", "MaximumRetryCount": max}),
        RestartPolicy::Always => json!({"Name": "always", "MaximumRetryCount": 0}),
        RestartPolicy::UnlessStopped => json!({"Name": "unless-stopped", "MaximumRetryCount": 0}),
    };
    let binds: Vec<String> = cfg
        .binds
        .iter()
        .map(|b| {
            let src = volume::volume_of_source(store.paths(), Path::new(&b.source))
                .unwrap_or_else(|| b.source.clone());
            let mode = if b.readonly { "ro" } else { "rw" };
            format!("{src}:{}:{mode},rprivate,rbind", b.destination)
        })
        .collect();
    let tmpfs: serde_json::Map<String, Value> = cfg
        .tmpfs
        .iter()
        .map(|t| (t.destination.clone(), Value::String(t.options.clone())))
        .collect();
    let network = network_mode(&cfg)?;
    let ports = container::ports::bindings(&container::ports::published(store.paths(), c, &cfg));
    Ok(json!({
        "Id": c.id,
        "Created": time(Some(c.created)),
        "Path": cfg.command.first().cloned().unwrap_or_default(),
        "Args": cfg.command.iter().skip(1).collect::<Vec<_>>(),
        "State": {
            "Status": state.as_str(),
            "Running": running,
            "Paused": false,
            "Restarting": false,
            "OOMKilled": false,
            "Dead": false,
            "Pid": if running { c.pid.unwrap_or(0) } else { 0 },
            "ConmonPid": match running {
                true => container::process::watcher_pid(store.paths(), &c.id).unwrap_or(0),
                false => 0,
            },
            "ExitCode": c.exit_code.unwrap_or(0),
            "Error": "",
            "StartedAt": time(c.started_at),
            "FinishedAt": time(c.finished_at),
        },
        "Image": c.image_id,
        "ImageName": c.image_name,
        "Rootfs": "",
        "Name": c.name,
        "RestartCount": c.restarts,
        "Driver": "overlay",
        "Mounts": mounts_json(store, &cfg),
        "Dependencies": cfg.depends_on,
        "NetworkSettings": {"Ports": ports},
        "Config": {
            "Hostname": cfg.hostname,
            "User": cfg.user,
            "Env": cfg.env,
            "Cmd": cmd,
            "Image": c.image_name,
            "WorkingDir": cfg.workdir,
            "Entrypoint": entrypoint,
            "Labels": cfg.labels,
            "Annotations": cfg.annotations,
            "Tty": cfg.tty,
            "OpenStdin": cfg.interactive,
            "StopSignal": cfg.stop_signal.unwrap_or(libc::SIGTERM),
            "StopTimeout": cfg.stop_timeout.unwrap_or(10),
        },
        "HostConfig": {
            "Binds": binds,
            "AutoRemove": cfg.remove,
            "RestartPolicy": restart,
            "ReadonlyRootfs": cfg.read_only,
            "CapAdd": cfg.cap_add,
            "CapDrop": cfg.cap_drop,
            "GroupAdd": cfg.group_add,
            "Init": cfg.init,
            "Annotations": cfg.annotations,
            "NetworkMode": network,
            "PortBindings": ports,
            "Tmpfs": tmpfs,
            "UsernsMode": serde_json::to_value(cfg.userns)?,
            "Memory": cfg.resources.memory.unwrap_or(0),
            "MemorySwap": cfg.resources.memory_swap.unwrap_or(0),
            "NanoCpus": cfg.resources.cpus.map_or(0, |c| (c * 1e9).round() as u64),
            "CpuShares": cfg.resources.cpu_shares.unwrap_or(0),
            "PidsLimit": cfg.resources.pids_limit.unwrap_or(0),
            "LogConfig": {
                "Type": cfg.log.driver.as_str(),
                "Config": null,
                "Path": match cfg.log.driver {
                    container::LogDriver::K8sFile => crate::monitor::log::path_for(store.paths(), &c.id, &cfg.log).display().to_string(),
                    _ => String::new(),
                },
                "Tag": cfg.log.tag.clone().unwrap_or_default(),
                "Size": super::format::decimal_size(cfg.log.max_size, 4, ""),
            },
        },
    }))
}
