//! Container commands: `run`, `create`, `start`, `ps`, `rm`. Flags of `run` and `create`
//! are defined once, in `CreateFlags`.

use super::format::{ago, human_duration, print_table};
use super::image::{PlatformFlags, RegistryFlags};
use super::Context;
use crate::container::{self, Request, TmpfsMount, UsernsMode};
use crate::image::{inspect, progress, pull};
use crate::store::{ContainerRecord, ImageRecord, State, Store, StoreError};
use anyhow::{bail, Context as _};
use clap::{ArgAction, Args};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug, Clone)]
pub struct CreateFlags {
    /// Assign a name to the container
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Set environment variables (KEY=VALUE, KEY from lodger's environment, or PREFIX*)
    #[arg(short, long, value_name = "ENV")]
    pub env: Vec<String>,
    /// Read environment variables from a file
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<PathBuf>,
    /// Use all of lodger's environment in the container
    #[arg(long)]
    pub env_host: bool,
    /// Working directory inside the container
    #[arg(short, long, value_name = "DIR")]
    pub workdir: Option<String>,
    /// User (and group) to run as: NAME|UID[:GROUP|GID]
    #[arg(short, long, value_name = "USER")]
    pub user: Option<String>,
    /// Additional groups for the process
    #[arg(long, value_name = "GROUP")]
    pub group_add: Vec<String>,
    /// Override the image's entrypoint (a string or a JSON array)
    #[arg(long, value_name = "CMD")]
    pub entrypoint: Option<String>,
    /// Container hostname (default: the first 12 characters of its id)
    #[arg(short = 'h', long, value_name = "NAME")]
    pub hostname: Option<String>,
    /// Run an init inside the container that forwards signals and reaps processes
    #[arg(long)]
    pub init: bool,
    /// Make the container's root filesystem read-only
    #[arg(long)]
    pub read_only: bool,
    /// Mount a tmpfs: DIR[:OPTIONS]
    #[arg(long, value_name = "DIR[:OPTIONS]")]
    pub tmpfs: Vec<String>,
    /// Mount a volume or host path: [NAME|/HOST/PATH:]/CONTAINER/PATH[:ro|rw][,U][,z|Z]
    #[arg(short, long, value_name = "SRC:DST[:OPTIONS]")]
    pub volume: Vec<String>,
    /// Attach a mount: type=bind|volume|tmpfs,source=,target=[,readonly]
    #[arg(long, value_name = "TYPE=...,...")]
    pub mount: Vec<String>,
    /// Mount the volumes of another container: CONTAINER[:ro|rw]
    #[arg(long, value_name = "CONTAINER[:OPTIONS]")]
    pub volumes_from: Vec<String>,
    /// When to pull the image: missing, always, never, newer
    #[arg(long, value_name = "POLICY", default_value = "missing")]
    pub pull: String,
    /// User namespace: keep-id, host (the rootless default), or empty
    #[arg(long, value_name = "MODE")]
    pub userns: Option<String>,
    #[command(flatten)]
    pub net: super::network_flags::NetworkFlags,
    /// Add Linux capabilities
    #[arg(long, value_name = "CAP")]
    pub cap_add: Vec<String>,
    /// Drop Linux capabilities
    #[arg(long, value_name = "CAP")]
    pub cap_drop: Vec<String>,
    /// Set metadata: KEY=VALUE
    #[arg(short, long, value_name = "LABEL")]
    pub label: Vec<String>,
    /// Add an annotation to the container: KEY=VALUE
    #[arg(long, value_name = "KEY=VALUE")]
    pub annotation: Vec<String>,
    /// Remove the container when it exits
    #[arg(long)]
    pub rm: bool,
    /// Restart policy: no, on-failure[:MAX], always, unless-stopped
    #[arg(long, value_name = "POLICY")]
    pub restart: Option<String>,
    /// Signal that stops the container (default SIGTERM)
    #[arg(long, value_name = "SIGNAL")]
    pub stop_signal: Option<String>,
    /// Seconds to wait for the stop signal before SIGKILL (default 10)
    #[arg(long, value_name = "SECONDS")]
    pub stop_timeout: Option<u64>,
    /// Keep stdin open
    #[arg(short, long)]
    pub interactive: bool,
    /// Allocate a pseudo-terminal
    #[arg(short, long)]
    pub tty: bool,
    /// Where the output of a detached container goes: k8s-file, none or passthrough
    #[arg(long, value_name = "DRIVER")]
    pub log_driver: Option<String>,
    /// Logging option: max-size=SIZE, path=FILE, tag=TAG
    #[arg(long, value_name = "OPT")]
    pub log_opt: Vec<String>,
    #[command(flatten)]
    pub platform: PlatformFlags,
    #[command(flatten)]
    pub registry: RegistryFlags,
    /// Print usage
    #[arg(long, action = ArgAction::Help)]
    pub help: Option<bool>,
    /// Image to create the container from
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Command and arguments
    #[arg(
        value_name = "COMMAND",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub command: Vec<String>,
}

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
    let local = match store.find_image(&f.image) {
        Ok(img) => Some(img),
        Err(StoreError::ImageNotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let must_pull = match f.pull.as_str() {
        "always" => true,
        "missing" | "newer" => local.is_none(),
        "never" => {
            if local.is_none() {
                bail!(
                    "{}: image not known (--pull=never): pull it first with `lodger pull {}`",
                    f.image,
                    f.image
                );
            }
            false
        }
        other => bail!("invalid --pull policy {other:?}: use missing, always, never or newer"),
    };
    let image = if must_pull {
        let opts = pull::PullOptions {
            platform: f.platform.wanted()?,
            client: f.registry.client_options()?,
        };
        pull::pull(store, &f.image, &opts, progress::reporter(false).as_ref())?
    } else {
        local.ok_or_else(|| anyhow::anyhow!("{}: image not known", f.image))?
    };
    let name = image
        .name_for(&f.image)
        .or(image.names.first())
        .cloned()
        .unwrap_or_else(|| image.hex_id().to_string());
    Ok((image, name))
}

const PASSTHROUGH_ON_TTY: &str = "the '--log-driver passthrough' option cannot be used on a TTY";

/// Podman refuses passthrough on a terminal: the container could inject input with TIOCSTI.
fn stdio_is_terminal() -> bool {
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

/// The containers this one needs, by id; `--network container:NAME` is pinned to the id
/// so a rename of the other container does not break it.
fn record_dependencies(
    store: &Store,
    config: &mut container::ContainerConfig,
    volumes_from: &[String],
) -> anyhow::Result<()> {
    for spec in volumes_from {
        let name = spec.split_once(':').map_or(spec.as_str(), |(n, _)| n);
        config.depends_on.push(store.find_container(name)?.id);
    }
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

fn create_container(store: &mut Store, f: &CreateFlags) -> anyhow::Result<ContainerRecord> {
    let log = log_config(f)?;
    let (image, image_name) = image_for(store, f)?;
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
        ..Default::default()
    };
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
        super::volume::add_mounts(store, &mut config, &f.volume, &f.mount, &f.volumes_from)?;
    for t in &f.tmpfs {
        config.tmpfs.push(parse_tmpfs(t)?);
    }
    for l in &f.label {
        let (k, v) = l.split_once('=').unwrap_or((l, ""));
        config.labels.insert(k.to_string(), v.to_string());
    }
    for a in &f.annotation {
        match a.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                config.annotations.insert(k.to_string(), v.to_string());
            }
            _ => bail!("invalid --annotation {a:?}: annotations must be formatted KEY=VALUE"),
        }
    }
    record_dependencies(store, &mut config, &f.volumes_from)?;
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
    super::volume::add_image_volumes(store.paths(), &mut req.config, &image_config)?;
    let id = container::names::new_id();
    let config = container::resolve_config(&image_config, &req, &id)?;
    crate::volume::copy_up_for(store, &image, &config.binds)?;
    super::volume::chown_to_user(store, &image, &config, &chown)?;
    Ok(container::create(
        store,
        &image,
        &image_name,
        req.name,
        &config,
        &id,
    )?)
}

/// Run a created container in the foreground and record what happened.
fn start_foreground(store: &Store, record: &ContainerRecord) -> anyhow::Result<i32> {
    // Held until the row says running, as a monitor does for a detached start.
    let mut lock = Some(container::lock::lock(store.paths(), &record.id)?);
    let record = &store.find_container(&record.id)?;
    if container::effective_state(store.paths(), record) == State::Running {
        bail!("container {} is already running", record.name);
    }
    let spec = container::spec::build(store, record)?;
    let mut on_started = |pid: u32| {
        let _ = store.set_running(&record.id, pid, container::now());
        container::process::record_process(store.paths(), &record.id, pid);
        lock.take();
    };
    let outcome = crate::runtime::run(&spec, &mut on_started);
    // Not started at all: `--rm` below takes the lock again.
    drop(lock);
    let code = match &outcome {
        Ok(code) => *code,
        Err(_) => 125,
    };
    store.set_exited(&record.id, code, container::now())?;
    let remove = container::parse_config(record)
        .map(|c| c.remove)
        .unwrap_or(false);
    if remove {
        if let Ok(current) = store.find_container(&record.id) {
            container::remove_exited(store, &current)?;
        }
    }
    Ok(outcome?)
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

/// Hands the container to a monitor; on failure prints Podman's message and gives its code.
pub(super) fn start_detached(ctx: &Context, record: &ContainerRecord) -> Result<(), i32> {
    container::process::mark_stopped(&ctx.paths, &record.id, false);
    let passthrough = container::parse_config(record)
        .is_ok_and(|c| c.log.driver == container::LogDriver::Passthrough);
    // The stdio of `start` and `restart` go to the container as well.
    if passthrough && stdio_is_terminal() {
        eprintln!("Error: {PASSTHROUGH_ON_TTY}");
        return Err(125);
    }
    let attach = match passthrough {
        true => crate::monitor::Attach::Passthrough,
        false => crate::monitor::Attach::None,
    };
    match crate::monitor::spawn(&ctx.paths, &record.id, attach) {
        Ok(()) => Ok(()),
        Err(crate::monitor::MonitorError::Start { code, message }) => {
            eprintln!("Error: {message}");
            Err(code)
        }
        Err(e) => {
            eprintln!("Error: {e}");
            Err(125)
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

#[derive(Args, Debug)]
pub struct StartArgs {
    /// Containers to start
    #[arg(required = true, value_name = "CONTAINER")]
    pub containers: Vec<String>,
    /// Attach to the container's output and wait for it to exit
    #[arg(short, long)]
    pub attach: bool,
    /// Keep stdin open (with --attach)
    #[arg(short, long)]
    pub interactive: bool,
    /// Keys that detach from a container created with -i and -t, started with -a -i,
    /// leaving it running (default ctrl-p,ctrl-q; "" disables)
    #[arg(long, value_name = "KEYS")]
    pub detach_keys: Option<String>,
}

pub fn start(ctx: &Context, a: StartArgs) -> anyhow::Result<i32> {
    if let Some(keys) = &a.detach_keys {
        super::attach::parse_detach_keys(keys)?;
    }
    if !a.attach {
        ctx.warn_runtime_dir();
        let store = Store::open(&ctx.paths)?;
        let mut code = 0;
        for name in &a.containers {
            let record = match store.find_container(name) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("Error: {e}");
                    code = 125;
                    continue;
                }
            };
            if container::effective_state(&ctx.paths, &record) == State::Running {
                eprintln!("Error: container {name} is already running");
                code = 125;
                continue;
            }
            match start_detached(ctx, &record) {
                Ok(()) => println!("{name}"),
                Err(c) => code = c,
            }
        }
        return Ok(code);
    }
    if a.containers.len() != 1 {
        bail!("--attach takes exactly one container");
    }
    ctx.warn_runtime_dir();
    let store = Store::open(&ctx.paths)?;
    let record = store.find_container(&a.containers[0])?;
    if container::effective_state(&ctx.paths, &record) == State::Running {
        bail!("container {} is already running", record.name);
    }
    let cfg = container::parse_config(&record)?;
    if a.interactive && cfg.interactive && cfg.tty {
        return super::attached::start(ctx, &store, &record, a.detach_keys.as_deref());
    }
    start_foreground(&store, &record)
}

#[derive(Args, Debug)]
pub struct PsArgs {
    /// Show all containers, not only running ones
    #[arg(short, long)]
    pub all: bool,
    /// Print only the container IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Do not truncate the output
    #[arg(long)]
    pub no_trunc: bool,
    /// Do not print column headings
    #[arg(long)]
    pub noheading: bool,
    /// Output format: json or a Go template such as {{.ID}} {{.Names}}
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Filter: status=, name=, id=, label=KEY[=VALUE], ancestor=, exited=
    #[arg(short, long, value_name = "FILTER")]
    pub filter: Vec<String>,
    /// Show the N last created containers (all states)
    #[arg(short = 'n', long, value_name = "N")]
    pub last: Option<usize>,
    /// Show the last created container (all states)
    #[arg(short, long)]
    pub latest: bool,
    /// Show the size of the writable layer and of the image
    #[arg(short, long)]
    pub size: bool,
}

/// Column titles of `ps --format 'table ...'` that are not the field's name.
const PS_HEADERS: &[(&str, &str)] = &[
    ("ID", "container id"),
    ("CreatedHuman", "created"),
    ("Pod", "pod id"),
];

fn status_text(record: &ContainerRecord, state: &State) -> String {
    let now = container::now();
    match state {
        State::Created => "Created".into(),
        State::Running => format!(
            "Up {}",
            human_duration(now - record.started_at.unwrap_or(now))
        ),
        State::Exited => format!(
            "Exited ({}) {} ago",
            record.exit_code.unwrap_or(-1),
            human_duration(now - record.finished_at.unwrap_or(now))
        ),
    }
}

pub fn ps(ctx: &Context, a: PsArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let filters = super::ps_filter::Filters::parse(&a.filter)?;
    let all = a.all || a.latest || a.last.is_some() || filters.implies_all();
    let by_ancestor = a.filter.iter().any(|f| f.starts_with("ancestor="));
    let mut rows = Vec::new();
    // Newest first, which is what --latest and --last count.
    for c in store.containers()? {
        let state = container::effective_state(&ctx.paths, &c);
        if !all && state != State::Running {
            continue;
        }
        if !a.filter.is_empty() {
            let cfg = container::parse_config(&c).unwrap_or_default();
            let image = by_ancestor.then(|| store.image(&c.image_id).ok()).flatten();
            if !filters.matches(&c, &state, &cfg, image.as_ref()) {
                continue;
            }
        }
        rows.push((c, state));
    }
    if a.latest {
        rows.truncate(1);
    } else if let Some(n) = a.last {
        rows.truncate(n);
    }
    // (writable layer, image) sizes for --size.
    let sizes: Vec<(u64, u64)> = rows
        .iter()
        .map(|(c, _)| match a.size {
            true => (
                super::ps_filter::dir_size(&container::dirs(&ctx.paths, &c.id).upper),
                store.image(&c.image_id).map_or(0, |i| i.size),
            ),
            false => (0, 0),
        })
        .collect();
    // One write for the whole listing, not one per line.
    let out = &mut std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let short = |id: &str| {
        if a.no_trunc {
            id.to_string()
        } else {
            id[..12.min(id.len())].to_string()
        }
    };
    if a.quiet {
        for (c, _) in &rows {
            writeln!(out, "{}", short(&c.id))?;
        }
        return Ok(0);
    }
    let docs: Vec<serde_json::Value> = rows
        .iter()
        .zip(&sizes)
        .map(|((c, state), (rw, image_size))| {
            let cfg = container::parse_config(c).unwrap_or_default();
            let mut doc = serde_json::json!({
                "Id": c.id, "ID": short(&c.id), "Names": [c.name.clone()], "Image": c.image_name,
                "ImageID": c.image_id.trim_start_matches("sha256:"), "Command": cfg.command,
                "Created": c.created, "CreatedAt": ago(c.created),
                "CreatedHuman": ago(c.created), "RunningFor": ago(c.created), "State": state.as_str(),
                "Status": status_text(c, state), "ExitCode": c.exit_code.unwrap_or(0),
                "Exited": *state == State::Exited, "Pid": c.pid.unwrap_or(0),
                "Labels": cfg.labels, "Ports": [], "AutoRemove": cfg.remove, "Restarts": 0,
                "StartedAt": c.started_at.unwrap_or(0), "ExitedAt": c.finished_at.unwrap_or(0),
                "Mounts": cfg.binds.iter().map(|b| b.destination.as_str()).collect::<Vec<_>>(),
                "Networks": [],
            });
            if a.size {
                doc["Size"] = serde_json::json!({"rwSize": rw, "rootFsSize": rw + image_size});
            }
            doc
        })
        .collect();
    match a.format.as_deref() {
        Some("json") => {
            writeln!(out, "{}", serde_json::to_string_pretty(&docs)?)?;
            return Ok(0);
        }
        Some(t) if t != "table" => {
            // The strings Podman's ps templates see (its reporter's methods).
            let docs: Vec<serde_json::Value> = docs
                .into_iter()
                .map(|mut d| {
                    d["Names"] = d["Names"][0].clone();
                    let mut cmd = command_text(&d["Command"]);
                    if !a.no_trunc && cmd.len() > 17 {
                        cmd = format!("{}...", cmd.chars().take(17).collect::<String>());
                    }
                    d["Command"] = cmd.into();
                    d["Ports"] = "".into();
                    d["Networks"] = "".into();
                    if let Some(size) = d.get("Size").cloned() {
                        let (rw, root) = (size["rwSize"].as_u64(), size["rootFsSize"].as_u64());
                        d["Size"] = format!(
                            "{} (virtual {})",
                            super::format::human_size(rw.unwrap_or(0)),
                            super::format::human_size(root.unwrap_or(0))
                        )
                        .into();
                    }
                    d
                })
                .collect();
            super::template::write(out, t, &docs, PS_HEADERS, a.noheading)?;
            return Ok(0);
        }
        _ => {}
    }
    let mut table = Vec::new();
    if !a.noheading {
        table.push(
            [
                "CONTAINER ID",
                "IMAGE",
                "COMMAND",
                "CREATED",
                "STATUS",
                "PORTS",
                "NAMES",
            ]
            .map(String::from)
            .to_vec(),
        );
        if a.size {
            table[0].push("SIZE".into());
        }
    }
    for ((d, (c, state)), (rw, image_size)) in docs.iter().zip(&rows).zip(&sizes) {
        let mut cmd = command_text(&d["Command"]);
        if !a.no_trunc && cmd.chars().count() > 17 {
            cmd = format!("{}...", cmd.chars().take(17).collect::<String>());
        }
        table.push(vec![
            short(&c.id),
            c.image_name.clone(),
            cmd,
            ago(c.created),
            status_text(c, state),
            String::new(),
            c.name.clone(),
        ]);
        if a.size {
            if let Some(row) = table.last_mut() {
                row.push(format!(
                    "{} (virtual {})",
                    super::format::human_size(*rw),
                    super::format::human_size(rw + image_size)
                ));
            }
        }
    }
    print_table(out, &table)?;
    Ok(0)
}

fn command_text(v: &serde_json::Value) -> String {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}
