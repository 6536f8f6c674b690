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
        network: match cfg.network {
            NetworkMode::None => runtime::NetworkMode::None,
            NetworkMode::Host => runtime::NetworkMode::Host,
        },
        etc: EtcFiles {
            hosts: etc::hosts_file(
                cfg.network,
                &cfg.hostname,
                &record.name,
                &host("/etc/hosts"),
            ),
            hostname: etc::hostname_file(&cfg.hostname),
            resolv_conf: etc::resolv_conf(cfg.network, &host("/etc/resolv.conf")),
        },
        state_dir: d.state,
        process: ProcessSpec {
            args: cfg.command.clone(),
            env: cfg.env.clone(),
            cwd: cfg.workdir.clone(),
            user: cfg.user.clone(),
            additional_groups: cfg.group_add.clone(),
            terminal: cfg.tty,
            stdin: cfg.interactive,
            init: cfg.init,
            security,
        },
    })
}
