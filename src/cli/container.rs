//! `run` and `create`: from the flags, defined once in `CreateFlags`, to a created
//! container, which `run` then starts.

use super::create_flags::CreateFlags;
use super::start::{start_detached, start_foreground};
use super::Context;
use crate::container::sdnotify::{self, SdNotify};
use crate::container::{self, Request, TmpfsMount, UsernsMode};
use crate::image::{inspect, progress, pull};
use crate::store::{ContainerRecord, ImageRecord, Store, StoreError};
use anyhow::{bail, Context as _};
use clap::Args;

fn host_env() -> Vec<(String, String)> {
    std::env::vars().collect()
}

fn parse_tmpfs(spec: &str) -> anyhow::Result<TmpfsMount> {
    let (dest, opts) = spec.split_once(':').unwrap_or((spec, ""));
    if !dest.starts_with('/') {
        bail!("invalid --tmpfs {spec:?}: the path must be absolute");
    }
    Ok(TmpfsMount {
        destination: dest.to_string(),
        options: if opts.is_empty() {
            "rw,nosuid,nodev".into()
        } else {
            opts.to_string()
        },
    })
}

/// The image to run, pulled according to `--pull`.
fn image_for(store: &mut Store, f: &CreateFlags) -> anyhow::Result<(ImageRecord, String)> {
    let opts = pull::PullOptions {
        platform: f.platform.wanted()?,
        platform_requested: f.platform.requested(),
        client: f.registry.client_options()?,
    };
    let report = progress::reporter(false);
    let image = pull::pull_by_policy(store, &f.image, f.pull, &opts, report.as_ref())?;
    let name = image
        .name_for(&f.image)
        .or(image.names.first())
        .cloned()
        .unwrap_or_else(|| image.hex_id().to_string());
    Ok((image, name))
}

pub(super) const PASSTHROUGH_ON_TTY: &str =
    "the '--log-driver passthrough' option cannot be used on a TTY";

/// Podman refuses passthrough on a terminal: the container could inject input with TIOCSTI.
pub(super) fn stdio_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal()
        || std::io::stdout().is_terminal()
        || std::io::stderr().is_terminal()
}

fn log_config(f: &CreateFlags) -> anyhow::Result<container::LogConfig> {
    let log = container::LogConfig::parse(f.log_driver.as_deref(), &f.log_opt)
        .map_err(anyhow::Error::msg)?;
    if log.driver == container::LogDriver::Passthrough {
        if stdio_is_terminal() {
            bail!(PASSTHROUGH_ON_TTY);
        }
        if f.tty {
            bail!("the '--log-driver passthrough' option cannot be used with --tty: the container uses lodger's own stdio");
        }
    }
    Ok(log)
}

/// The containers this one needs, by id (those of `--volumes-from` are already there);
/// `--network container:NAME` is pinned to the id so a rename of the other container does
/// not break it.
fn record_dependencies(
    store: &Store,
    config: &mut container::ContainerConfig,
) -> anyhow::Result<()> {
    if let Some(crate::network::Mode::Container(name)) = &mut config.net.mode {
        let other = store
            .find_container(name)
            .with_context(|| format!("--network container:{name}"))?;
        *name = other.id.clone();
        config.depends_on.push(other.id);
    }
    config.depends_on.sort();
    config.depends_on.dedup();
    Ok(())
}

/// What systemd units add to `run` and `create`: checked before anything is pulled or
/// replaced.
struct UnitFlags {
    sdnotify: SdNotify,
    no_cgroup: bool,
    resources: container::resources::Resources,
}

fn unit_flags(f: &CreateFlags) -> anyhow::Result<UnitFlags> {
    if f.replace && f.name.is_none() {
        bail!("cannot replace a container without --name: give the name of the one to replace");
    }
    let no_cgroup = match f.cgroups.as_str() {
        "enabled" | "no-conmon" | "split" => false,
        "disabled" => true,
        other => bail!("invalid --cgroups {other:?}: use enabled, disabled, no-conmon or split"),
    };
    let sdnotify = SdNotify::parse(&f.sdnotify).map_err(anyhow::Error::msg)?;
    Ok(UnitFlags {
        sdnotify,
        no_cgroup,
        resources: resources(f, no_cgroup)?,
    })
}

/// The resource limits, checked against what this host can apply before anything is made.
fn resources(f: &CreateFlags, no_cgroup: bool) -> anyhow::Result<container::resources::Resources> {
    use container::resources::{Flags, Resources};
    let r = Resources::from_flags(&Flags {
        memory: f.memory.as_deref(),
        memory_swap: f.memory_swap.as_deref(),
        cpus: f.cpus,
        cpu_shares: f.cpu_shares,
        pids_limit: f.pids_limit,
    })
    .map_err(anyhow::Error::msg)?;
    let target = container::resources::target(&r, no_cgroup).map_err(anyhow::Error::msg)?;
    if let container::resources::Target::IgnoredOnV1 = target {
        eprintln!("WARN: {}", container::resources::IGNORED_ON_V1);
    }
    Ok(r)
}

/// `--replace`: the container of that name goes first, running or not, as `rm -f` takes it.
fn replace_named(store: &Store, name: &str) -> anyhow::Result<()> {
    match store.find_container(name) {
        Ok(old) if old.name == name => container::remove(store, &old, true)
            .with_context(|| format!("replacing container {name}")),
        Ok(_) | Err(StoreError::ContainerNotFound(_)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// `--sdnotify=container`: the unit's socket, bound into the container where it can say
/// READY=1 itself.
fn notify_socket_for_container(
    config: &mut container::ContainerConfig,
    env: &mut Vec<String>,
) -> anyhow::Result<()> {
    let Some(socket) = sdnotify::socket() else {
        return Ok(());
    };
    if socket.starts_with('@') {
        bail!(
            "--sdnotify=container cannot pass the abstract socket NOTIFY_SOCKET={socket} into \
             the container: use --sdnotify=conmon"
        );
    }
    config.binds.push(container::BindMount {
        source: socket,
        destination: sdnotify::CONTAINER_SOCKET.into(),
        readonly: false,
    });
    env.push(format!("NOTIFY_SOCKET={}", sdnotify::CONTAINER_SOCKET));
    Ok(())
}

/// `--cidfile` around the creation: the file is made first (a second container with the same
/// file fails before anything is done) and gone again if the container is not made.
fn create_container(store: &mut Store, f: &CreateFlags) -> anyhow::Result<ContainerRecord> {
    let unit = unit_flags(f)?;
    let cid = f
        .cidfile
        .as_deref()
        .map(super::cidfile::Reserved::create)
        .transpose()?;
    let record = build_container(store, f, &unit, cid.as_ref().map(|c| c.path()))?;
    if let Some(cid) = cid {
        if let Err(e) = cid.write_id(&record.id) {
            container::remove(store, &record, true)?;
            return Err(e);
        }
    }
    Ok(record)
}

fn build_container(
    store: &mut Store,
    f: &CreateFlags,
    unit: &UnitFlags,
    cidfile: Option<&std::path::Path>,
) -> anyhow::Result<ContainerRecord> {
    let log = log_config(f)?;
    let (image, image_name) = image_for(store, f)?;
    if let (true, Some(name)) = (f.replace, &f.name) {
        replace_named(store, name)?;
    }
    let host = host_env();
    let mut env = Vec::new();
    if f.env_host {
        env.extend(host.iter().map(|(k, v)| format!("{k}={v}")));
    }
    for file in &f.env_file {
        env.extend(container::read_env_file(file, &host)?);
    }
    for e in &f.env {
        env.extend(container::expand_env_flag(e, &host));
    }
    let mut config = container::ContainerConfig {
        tty: f.tty,
        interactive: f.interactive,
        init: f.init,
        remove: f.rm,
        read_only: f.read_only,
        hostname: f.hostname.clone().unwrap_or_default(),
        group_add: f.group_add.clone(),
        cap_add: f.cap_add.clone(),
        cap_drop: f.cap_drop.clone(),
        log,
        sdnotify: unit.sdnotify,
        cidfile: cidfile.map(std::path::Path::to_path_buf),
        no_cgroup: unit.no_cgroup,
        resources: unit.resources.clone(),
        ..Default::default()
    };
    if unit.sdnotify == SdNotify::Container {
        notify_socket_for_container(&mut config, &mut env)?;
    }
    f.net.apply(&mut config)?;
    config.restart = container::RestartPolicy::parse(f.restart.as_deref().unwrap_or(""))
        .map_err(anyhow::Error::msg)?;
    if config.remove && config.restart != container::RestartPolicy::No {
        bail!("the --rm option conflicts with --restart: use one of them");
    }
    config.stop_signal = f
        .stop_signal
        .as_deref()
        .map(container::process::parse_signal)
        .transpose()?;
    config.stop_timeout = f.stop_timeout;
    config.userns = match f.userns.as_deref() {
        None | Some("") | Some("host") => UsernsMode::Default,
        Some("keep-id") => UsernsMode::KeepId,
        Some(other) => bail!("invalid --userns {other:?}: use keep-id or host"),
    };
    let chown =
        super::volume_flags::add_mounts(store, &mut config, &f.volume, &f.mount, &f.volumes_from)?;
    for t in &f.tmpfs {
        config.tmpfs.push(parse_tmpfs(t)?);
    }
    config.labels = super::volume::labels(&f.label);
    for a in &f.annotation {
        match a.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                config.annotations.insert(k.to_string(), v.to_string());
            }
            _ => bail!("invalid --annotation {a:?}: annotations must be formatted KEY=VALUE"),
        }
    }
    record_dependencies(store, &mut config)?;
    let mut req = Request {
        name: f.name.clone(),
        args: f.command.clone(),
        entrypoint: f.entrypoint.clone(),
        env,
        workdir: f.workdir.clone(),
        user: f.user.clone().or_else(|| {
            (config.userns == UsernsMode::KeepId).then(|| {
                format!(
                    "{}:{}",
                    rustix::process::getuid().as_raw(),
                    rustix::process::getgid().as_raw()
                )
            })
        }),
        config,
    };
    let image_config = inspect::config_of(store, &image)?;
    super::volume_flags::add_image_volumes(store.paths(), &mut req.config, &image_config)?;
    let id = container::names::new_id();
    let config = container::resolve_config(&image_config, &req, &id)?;
    crate::volume::copy_up_for(store, &image, &config.binds)?;
    super::volume_flags::chown_to_user(store, &image, &config, &chown)?;
    Ok(container::create(
        store,
        &image,
        &image_name,
        req.name,
        &config,
        &id,
    )?)
}

#[derive(Args, Debug)]
#[command(disable_help_flag = true)]
pub struct RunArgs {
    /// Run the container in the background and print its ID
    #[arg(short, long)]
    pub detach: bool,
    /// Keys that detach from a container run with -i and -t, leaving it running (default
    /// ctrl-p,ctrl-q; "" disables)
    #[arg(long, value_name = "KEYS")]
    pub detach_keys: Option<String>,
    #[command(flatten)]
    pub flags: CreateFlags,
}

pub fn run(ctx: &Context, a: RunArgs) -> anyhow::Result<i32> {
    if let Some(keys) = &a.detach_keys {
        super::attach::parse_detach_keys(keys)?;
    }
    ctx.warn_runtime_dir();
    let mut store = Store::open(&ctx.paths)?;
    let record = create_container(&mut store, &a.flags)?;
    if !a.detach && a.flags.interactive && a.flags.tty {
        return super::attached::start(ctx, &store, &record, a.detach_keys.as_deref());
    }
    if !a.detach {
        return start_foreground(&store, &record);
    }
    match start_detached(ctx, &record) {
        Ok(()) => {
            println!("{}", record.id);
            Ok(0)
        }
        Err(code) => {
            if a.flags.rm {
                if let Ok(current) = store.find_container(&record.id) {
                    container::remove_exited(&store, &current)?;
                }
            }
            Ok(code)
        }
    }
}

#[derive(Args, Debug)]
#[command(disable_help_flag = true)]
pub struct CreateArgs {
    #[command(flatten)]
    pub flags: CreateFlags,
}

pub fn create(ctx: &Context, a: CreateArgs) -> anyhow::Result<i32> {
    let mut store = Store::open(&ctx.paths)?;
    let record = create_container(&mut store, &a.flags)?;
    println!("{}", record.id);
    Ok(0)
}
