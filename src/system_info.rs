//! What `lodger info` reports: the machine's support for rootless containers and the
//! store, with a warning for everything that will get in the user's way and how to fix it.

use crate::paths::Paths;
use crate::userns::{find_in_path, IdMapping};
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Info {
    pub host: Host,
    pub store: StoreInfo,
    pub registries: Registries,
    pub version: Version,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Host {
    pub arch: String,
    pub os: String,
    pub kernel: String,
    pub hostname: String,
    pub cgroup_version: String,
    pub rootless: bool,
    pub id_mappings: IdMappings,
    pub newuidmap: String,
    pub newgidmap: String,
    pub pasta: String,
    pub slirp4netns: String,
    pub fuse_overlayfs: String,
    pub warnings: Vec<String>,
}

#[derive(Serialize)]
pub struct IdMappings {
    pub uidmap: Vec<MapEntry>,
    pub gidmap: Vec<MapEntry>,
}

#[derive(Serialize)]
pub struct MapEntry {
    pub container_id: u32,
    pub host_id: u32,
    pub size: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreInfo {
    pub graph_root: String,
    pub run_root: String,
    pub graph_driver_name: String,
    pub image_store: Count,
    pub layer_store: Count,
}

#[derive(Serialize)]
pub struct Count {
    pub number: usize,
}

#[derive(Serialize)]
pub struct Registries {
    pub search: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Version {
    pub version: String,
    pub os_arch: String,
}

fn program(name: &str) -> String {
    find_in_path(name).map_or_else(|| "missing".to_string(), |p| p.display().to_string())
}

fn cgroup_version() -> &'static str {
    match rustix::fs::statfs("/sys/fs/cgroup") {
        Ok(s) if s.f_type == libc::CGROUP2_SUPER_MAGIC => "v2",
        Ok(_) => "v1",
        Err(_) => "unknown",
    }
}

pub fn collect(paths: &Paths) -> Info {
    let mut warnings = Vec::new();
    let uname = rustix::system::uname();
    let mapping = match IdMapping::for_current_user() {
        Ok(m) => m,
        Err(e) => {
            warnings.push(e.to_string());
            IdMapping::single()
        }
    };
    if let Err(e) = crate::userns::check_userns_enabled() {
        warnings.push(e.to_string());
    }
    if let Some(w) = &paths.runtime_warning {
        warnings.push(w.clone());
    }
    let map = |ranges: &[crate::userns::IdRange]| {
        ranges
            .iter()
            .map(|r| MapEntry {
                container_id: r.container_id,
                host_id: r.host_id,
                size: r.count,
            })
            .collect()
    };
    let (images, layers) = match crate::store::Store::open(paths) {
        Ok(s) => (
            s.images().map(|i| i.len()).unwrap_or(0),
            s.layer_chain_ids().map(|l| l.len()).unwrap_or(0),
        ),
        Err(e) => {
            warnings.push(format!("store: {e}"));
            (0, 0)
        }
    };
    // The rootfs driver `run` uses: probed once per boot, cached in the runtime dir.
    let driver = match (paths.ensure_data(), paths.ensure_runtime()) {
        (Ok(()), Ok(())) => {
            crate::runtime::probe_rootfs_driver(&paths.runtime, &paths.data.join("tmp")).to_string()
        }
        (Err(e), _) | (_, Err(e)) => {
            warnings.push(e.to_string());
            "unknown".to_string()
        }
    };
    let (pasta, slirp) = (program("pasta"), program("slirp4netns"));
    if pasta == "missing" && slirp == "missing" {
        warnings.push(
            "neither pasta nor slirp4netns is installed: containers get no network; install the `passt` package".into(),
        );
    }
    let search = crate::config::RegistriesConf::load()
        .map(|c| c.unqualified_search_registries)
        .unwrap_or_default();
    let platform = crate::image::manifest::host_platform();
    Info {
        host: Host {
            arch: platform.architecture.clone(),
            os: platform.os.clone(),
            kernel: uname.release().to_string_lossy().into_owned(),
            hostname: uname.nodename().to_string_lossy().into_owned(),
            cgroup_version: cgroup_version().into(),
            rootless: !rustix::process::getuid().is_root(),
            id_mappings: IdMappings {
                uidmap: map(&mapping.uids),
                gidmap: map(&mapping.gids),
            },
            newuidmap: program("newuidmap"),
            newgidmap: program("newgidmap"),
            pasta,
            slirp4netns: slirp,
            fuse_overlayfs: program("fuse-overlayfs"),
            warnings,
        },
        store: StoreInfo {
            graph_root: paths.data.display().to_string(),
            run_root: paths.runtime.display().to_string(),
            graph_driver_name: driver,
            image_store: Count { number: images },
            layer_store: Count { number: layers },
        },
        registries: Registries { search },
        version: Version {
            version: env!("CARGO_PKG_VERSION").into(),
            os_arch: format!("{}/{}", platform.os, platform.architecture),
        },
    }
}
