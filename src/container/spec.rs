//! From a stored container to the runtime's spec: layer directories, mounts, generated
//! /etc files, identity and security settings.

use super::{dirs, etc, mapping_for, parse_config, ContainerError, NetworkMode, Result};
use crate::runtime::{self, ContainerSpec, EtcFiles, MountSpec, ProcessSpec, RootfsSpec};
use crate::security::SecuritySpec;
use crate::store::{ContainerRecord, Store};

pub fn build(store: &Store, record: &ContainerRecord) -> Result<ContainerSpec> {
    let cfg = parse_config(record)?;
    let image = store.image(&record.image_id)?;
    let mut lower = Vec::with_capacity(image.layers.len());
    for chain in image.layers.iter().rev() {
        lower.push(store.layer_dir(chain)?.join("diff"));
    }
    let d = dirs(store.paths(), &record.id);
    super::make_layer_dirs(&d)?;
    std::fs::create_dir_all(&d.state).map_err(|source| ContainerError::Io {
        what: "create state directory",
        path: d.state.clone(),
        source,
    })?;
    let host = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let mut mounts: Vec<MountSpec> = cfg
        .binds
        .iter()
        .map(|b| MountSpec::Bind {
            source: b.source.clone().into(),
            destination: b.destination.clone(),
            readonly: b.readonly,
        })
        .collect();
    mounts.extend(cfg.tmpfs.iter().map(|t| MountSpec::Tmpfs {
        destination: t.destination.clone(),
        options: t.options.clone(),
    }));
    // Podman's --read-only-tmpfs default: a read-only container still gets scratch space.
    if cfg.read_only {
        for dir in ["/tmp", "/var/tmp", "/run"] {
            let taken = mounts.iter().any(|m| match m {
                MountSpec::Bind { destination, .. } | MountSpec::Tmpfs { destination, .. } => {
                    destination == dir
                }
            });
            if !taken {
                mounts.push(MountSpec::Tmpfs {
                    destination: dir.into(),
                    options: "rw,nosuid,nodev".into(),
                });
            }
        }
    }
    let mut security = SecuritySpec::podman_default();
    security
        .edit_caps(&cfg.cap_add, &cfg.cap_drop)
        .map_err(|e| ContainerError::Invalid(e.to_string()))?;
    let network = runtime_network(store, &image, &cfg, &d.state)?;
    // A cgroup left by a run whose monitor was killed goes before a new one is made.
    crate::cgroup::clear_recorded(&d.state);
    let cgroup = match cfg.no_cgroup {
        true => None,
        false => crate::cgroup::for_container(&record.id),
    };
    let cgroup_limits = cgroup_limits(&cfg)?;
    Ok(ContainerSpec {
        id: record.id.clone(),
        userns: runtime::UsernsMode::Private(mapping_for(cfg.userns)?),
        rootfs: RootfsSpec::Overlay {
            lower,
            upper: d.upper,
            work: d.work,
        },
        readonly_rootfs: cfg.read_only,
        mounts,
        hostname: cfg.hostname.clone(),
        etc: EtcFiles {
            hosts: etc::hosts_file(
                &network,
                &cfg.hostname,
                &record.name,
                &host("/etc/hosts"),
                &cfg.net,
            ),
            hostname: etc::hostname_file(&cfg.hostname),
            resolv_conf: etc::resolv_conf(&network, &host("/etc/resolv.conf"), &cfg.net),
            keep_image_hosts: cfg.net.no_hosts,
        },
        network,
        state_dir: d.state,
        process: ProcessSpec {
            args: cfg.command.clone(),
            env: cfg.env.clone(),
            cwd: cfg.workdir.clone(),
            user: cfg.user.clone(),
            additional_groups: cfg.group_add.clone(),
            terminal: cfg.tty,
            winsize: None,
            stdin: cfg.interactive,
            init: cfg.init,
            security,
        },
        cgroup,
        cgroup_limits,
    })
}

/// The runtime's network for a stored configuration: host ports chosen, `-P` expanded, and
/// the final mappings written to `ports.json` in the state directory for `port`.
fn runtime_network(
    store: &Store,
    image: &crate::store::ImageRecord,
    cfg: &super::ContainerConfig,
    state: &std::path::Path,
) -> Result<runtime::NetworkMode> {
    use crate::network::{self, HelperKind, Mode};
    let invalid = |e: network::NetworkError| ContainerError::Invalid(e.to_string());
    let mode = match &cfg.net.mode {
        Some(m) => m.clone(),
        None => match cfg.network {
            NetworkMode::None => Mode::None,
            NetworkMode::Host => Mode::Host,
        },
    };
    let (mode, _) = network::resolve_default(mode).map_err(invalid)?;
    let kind = match mode {
        Mode::None | Mode::Default => return Ok(runtime::NetworkMode::None),
        Mode::Host => return Ok(runtime::NetworkMode::Host),
        Mode::Pasta(opts) => HelperKind::Pasta(opts),
        Mode::Slirp4netns(opts) => HelperKind::Slirp4netns(opts),
        Mode::Ns(path) => return Ok(runtime::NetworkMode::Join(path.into())),
        Mode::Container(name) => {
            let other = store.find_container(&name)?;
            let path = match (other.state, other.pid) {
                (crate::store::State::Running, Some(pid)) => network::netns_of(pid),
                _ => None,
            };
            return match path {
                Some(p) => Ok(runtime::NetworkMode::Join(p)),
                None => Err(ContainerError::Invalid(format!(
                    "--network container:{name}: the container is not running: start it first"
                ))),
            };
        }
    };
    let mut ports = cfg.net.publish.clone();
    if cfg.net.publish_all {
        let image_config = crate::image::inspect::config_of(store, image).map_err(|e| {
            ContainerError::Invalid(format!("reading the image's exposed ports: {e}"))
        })?;
        let exposed = image_config
            .config
            .and_then(|c| c.exposed_ports)
            .unwrap_or_default();
        for key in exposed.keys() {
            if let Some(p) = network::ports::from_exposed(key) {
                let taken = ports.iter().any(|q| {
                    q.protocol == p.protocol
                        && (q.container_port..q.container_port.saturating_add(q.count))
                            .contains(&p.container_port)
                });
                if !taken {
                    ports.push(p);
                }
            }
        }
    }
    network::ports::finalize(&mut ports).map_err(invalid)?;
    let path = state.join("ports.json");
    let json = serde_json::to_vec(&ports).unwrap_or_default();
    std::fs::write(&path, json).map_err(|source| ContainerError::Io {
        what: "write the published ports",
        path,
        source,
    })?;
    Ok(runtime::NetworkMode::Helper(network::Helper {
        kind,
        ports,
    }))
}

/// The cgroup files for the container's resource limits, with their controllers enabled
/// below the delegated cgroup.
fn cgroup_limits(cfg: &super::ContainerConfig) -> Result<Vec<(String, String)>> {
    use super::resources::{target, Target};
    let resources = &cfg.resources;
    let base = match target(resources, cfg.no_cgroup).map_err(ContainerError::Invalid)? {
        Target::None | Target::IgnoredOnV1 => return Ok(Vec::new()),
        Target::Below(base) => base,
    };
    let files = resources.cgroup_files();
    let controllers: Vec<&str> = files.iter().map(|l| l.controller).collect();
    crate::cgroup::enable_controllers(&base, &controllers).map_err(|e| {
        ContainerError::Invalid(format!(
            "enabling the {} controllers in {}: {e}",
            controllers.join(", "),
            base.display()
        ))
    })?;
    // The delegated cgroup has the files its children will have.
    Ok(files
        .into_iter()
        .filter(|l| l.asked || base.join(l.file).exists())
        .map(|l| (l.file.to_string(), l.value))
        .collect())
}
