//! The `-v`/`--mount`/`--volumes-from` flags of run and create.

use crate::container::{BindMount, ContainerConfig, TmpfsMount};
use crate::image::manifest::ImageConfig;
use crate::paths::Paths;
use crate::store::Store;
use crate::volume;
use anyhow::bail;
use std::collections::BTreeMap;

/// `-v [SRC:]DST[:OPTIONS]`: a source without '/' is a named volume (created on first use),
/// no source an anonymous one. The flag says `U`: chown the source to the container user.
pub fn parse_volume(paths: &Paths, spec: &str) -> anyhow::Result<(BindMount, bool)> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (source, destination, opts) = match parts.as_slice() {
        [d] => ("", *d, ""),
        [s, d] => (*s, *d, ""),
        [s, d, o] => (*s, *d, *o),
        _ => bail!("invalid volume {spec:?}: use [NAME|/HOST/PATH:]/CONTAINER/PATH[:ro]"),
    };
    if !destination.starts_with('/') {
        bail!("invalid volume {spec:?}: the container path must be absolute");
    }
    let mut readonly = false;
    let mut chown = false;
    for o in opts.split(',').filter(|o| !o.is_empty()) {
        match o {
            "ro" => readonly = true,
            "rw" => readonly = false,
            "U" => chown = true,
            // SELinux relabelling: accepted and ignored without SELinux, as Podman does.
            "z" | "Z" => {}
            other => bail!("invalid volume option {other:?} in {spec:?}: use ro, rw, U, z or Z"),
        }
    }
    let source = if source.starts_with('/') {
        if std::fs::symlink_metadata(source).is_err() {
            bail!(
                "bind mount source {source} does not exist: create it first, or fix the -v option"
            );
        }
        source.to_string()
    } else if source.is_empty() {
        anonymous(paths)?
    } else {
        named(paths, source)?
    };
    Ok((
        BindMount {
            source,
            destination: destination.to_string(),
            readonly,
        },
        chown,
    ))
}

fn named(paths: &Paths, name: &str) -> anyhow::Result<String> {
    Ok(volume::get_or_create(paths, name)?
        .mountpoint
        .to_string_lossy()
        .into_owned())
}

fn anonymous(paths: &Paths) -> anyhow::Result<String> {
    Ok(volume::create(paths, None, BTreeMap::new(), true)?
        .mountpoint
        .to_string_lossy()
        .into_owned())
}

/// `--mount type=bind|volume|tmpfs,source=,target=[,readonly]`.
pub fn parse_mount(paths: &Paths, spec: &str) -> anyhow::Result<Mount> {
    let mut kind = None;
    let mut source = String::new();
    let mut target = None;
    let mut readonly = false;
    let mut tmpfs_opts = vec!["rw".to_string(), "nosuid".into(), "nodev".into()];
    for field in spec.split(',').filter(|f| !f.is_empty()) {
        let (k, v) = field.split_once('=').unwrap_or((field, ""));
        match k {
            "type" => kind = Some(v.to_string()),
            "source" | "src" => source = v.to_string(),
            "target" | "destination" | "dst" => target = Some(v.to_string()),
            "readonly" | "ro" => {
                readonly = match v {
                    "" | "true" | "1" => true,
                    "false" | "0" => false,
                    _ => bail!("invalid --mount {spec:?}: readonly takes true or false"),
                }
            }
            "tmpfs-size" => tmpfs_opts.push(format!("size={v}")),
            "tmpfs-mode" => tmpfs_opts.push(format!("mode={v}")),
            "z" | "Z" | "relabel" | "bind-propagation" | "nocopy" => {}
            _ => bail!("invalid --mount option {k:?} in {spec:?}"),
        }
    }
    let Some(target) = target.filter(|t| t.starts_with('/')) else {
        bail!("invalid --mount {spec:?}: give an absolute target=/CONTAINER/PATH");
    };
    Ok(match kind.as_deref() {
        Some("bind") => {
            if !source.starts_with('/') || std::fs::symlink_metadata(&source).is_err() {
                bail!("--mount {spec:?}: the bind source {source:?} must be an existing absolute path");
            }
            Mount::Bind(BindMount {
                source,
                destination: target,
                readonly,
            })
        }
        Some("volume") => Mount::Bind(BindMount {
            source: if source.is_empty() {
                anonymous(paths)?
            } else {
                named(paths, &source)?
            },
            destination: target,
            readonly,
        }),
        Some("tmpfs") => {
            if readonly {
                tmpfs_opts[0] = "ro".into();
            }
            Mount::Tmpfs(TmpfsMount {
                destination: target,
                options: tmpfs_opts.join(","),
            })
        }
        _ => bail!("invalid --mount {spec:?}: type must be bind, volume or tmpfs"),
    })
}

pub enum Mount {
    Bind(BindMount),
    Tmpfs(TmpfsMount),
}

/// The user's `-v`, `--mount` and `--volumes-from`, in Podman's precedence (later wins on
/// the same destination); a container named by `--volumes-from` becomes a dependency.
/// Returns the sources to chown to the container user (`U`).
pub fn add_mounts(
    store: &Store,
    config: &mut ContainerConfig,
    volumes: &[String],
    mounts: &[String],
    volumes_from: &[String],
) -> anyhow::Result<Vec<String>> {
    let mut chown = Vec::new();
    for spec in volumes_from {
        let (name, opt) = spec.split_once(':').unwrap_or((spec, ""));
        let ro = match opt {
            "" => None,
            "ro" => Some(true),
            "rw" => Some(false),
            o => bail!("invalid --volumes-from option {o:?} in {spec:?}: use ro or rw"),
        };
        let other = store.find_container(name)?;
        let cfg = crate::container::parse_config(&other)?;
        config.depends_on.push(other.id);
        for mut b in cfg.binds {
            if let Some(ro) = ro {
                b.readonly = ro;
            }
            push_bind(config, b);
        }
    }
    for v in volumes {
        let (b, u) = parse_volume(store.paths(), v)?;
        if u {
            chown.push(b.source.clone());
        }
        push_bind(config, b);
    }
    for m in mounts {
        match parse_mount(store.paths(), m)? {
            Mount::Bind(b) => push_bind(config, b),
            Mount::Tmpfs(t) => {
                config.tmpfs.retain(|x| x.destination != t.destination);
                config.tmpfs.push(t);
            }
        }
    }
    Ok(chown)
}

/// `U`: the sources become the container user's, recursively (after any copy-up).
pub fn chown_to_user(
    store: &Store,
    image: &crate::store::ImageRecord,
    config: &ContainerConfig,
    sources: &[String],
) -> anyhow::Result<()> {
    if sources.is_empty() {
        return Ok(());
    }
    let mut layers = Vec::with_capacity(image.layers.len());
    for chain in image.layers.iter().rev() {
        layers.push(store.layer_dir(chain)?.join("diff"));
    }
    // The topmost layer holding the file has the image's version of it.
    let read = |path: &str| {
        layers
            .iter()
            .find_map(|l| std::fs::read_to_string(l.join(path)).ok())
    };
    let (passwd, group) = (read("etc/passwd"), read("etc/group"));
    let user =
        crate::security::resolve_user(&config.user, &[], passwd.as_deref(), group.as_deref())?;
    for s in sources {
        volume::copyup::chown_tree(std::path::Path::new(s), user.uid, user.gid)?;
    }
    Ok(())
}

fn push_bind(config: &mut ContainerConfig, b: BindMount) {
    config.binds.retain(|x| x.destination != b.destination);
    config.binds.push(b);
}

/// An anonymous volume for each VOLUME of the image the user did not mount over.
pub fn add_image_volumes(
    paths: &Paths,
    config: &mut ContainerConfig,
    image: &ImageConfig,
) -> anyhow::Result<()> {
    let Some(vols) = image.config.as_ref().and_then(|c| c.volumes.as_ref()) else {
        return Ok(());
    };
    let norm = |p: &str| p.trim_end_matches('/').to_string();
    for dest in vols.keys() {
        let d = norm(dest);
        if !d.starts_with('/') {
            continue;
        }
        let taken = config.binds.iter().any(|b| norm(&b.destination) == d)
            || config.tmpfs.iter().any(|t| norm(&t.destination) == d);
        if !taken {
            config.binds.push(BindMount {
                source: anonymous(paths)?,
                destination: d,
                readonly: false,
            });
        }
    }
    Ok(())
}
