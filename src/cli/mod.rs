//! The command line: parsing and printing only. Every command hands its work to an engine
//! module and turns the result into Podman-shaped output and exit codes.

mod attach;
mod attached;
mod cidfile;
mod container;
mod container_cmd;
mod create_flags;
mod exec;
mod format;
mod image;
mod image_filter;
mod inspect;
mod lifecycle;
mod login;
mod logs;
mod network_flags;
mod ps;
mod ps_filter;
mod relay;
mod rm;
mod start;
mod stats;
mod system;
mod template;
mod transfer;
mod volume;
mod volume_flags;
mod wait;

use clap::{Parser, Subcommand};
use std::io::Write as _;
use std::path::PathBuf;

/// Exit code when lodger itself fails (Podman's convention).
pub const EXIT_FAILURE: i32 = 125;

#[derive(Parser, Debug)]
#[command(
    name = "lodger",
    version,
    about = "Rootless, daemonless containers with a Podman-compatible command line",
    propagate_version = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Path of the image store (default: $XDG_DATA_HOME/lodger)
    #[arg(long, global = true, value_name = "PATH")]
    pub root: Option<PathBuf>,
    /// Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)
    #[arg(long, global = true, value_name = "PATH")]
    pub runroot: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a command in a new container
    Run(container::RunArgs),
    /// Create a container without starting it
    Create(container::CreateArgs),
    /// Start a created or exited container
    Start(start::StartArgs),
    /// List containers
    Ps(ps::PsArgs),
    /// Remove containers
    Rm(rm::RmArgs),
    /// List the published ports of a container
    Port(network_flags::PortArgs),
    /// Fetch the output of a container
    Logs(lifecycle::LogsArgs),
    /// Stop running containers
    Stop(lifecycle::StopArgs),
    /// Send a signal to running containers
    Kill(lifecycle::KillArgs),
    /// Wait for containers to exit and print their exit codes
    ///
    /// The exit code of a container removed by --rm stays known for 5 minutes: wait finds
    /// such a container by its name or ID even when it was gone before wait looked.
    Wait(wait::WaitArgs),
    /// Restart containers
    Restart(lifecycle::RestartArgs),
    /// Run a command in a running container
    Exec(exec::ExecArgs),
    /// Attach to a running container's input and output
    Attach(attach::AttachArgs),
    /// Copy files between a container and the host
    Cp(transfer::CpArgs),
    /// Inspect changes to a container's filesystem
    Diff(transfer::DiffArgs),
    /// Export a container's filesystem as a tar archive
    Export(transfer::ExportArgs),
    /// Create a new image from a container's changes
    Commit(transfer::CommitArgs),
    /// Import a tarball as a new image
    Import(transfer::ImportArgs),
    /// Display the running processes of a container
    Top(transfer::TopArgs),
    /// Display the resource use of running containers (needs their own cgroups)
    Stats(stats::StatsArgs),
    /// Pull an image from a registry
    Pull(image::PullArgs),
    /// Push an image to a registry
    Push(image::PushArgs),
    /// Log in to a registry
    Login(login::LoginArgs),
    /// Log out of a registry
    Logout(login::LogoutArgs),
    /// List images in local storage
    Images(image::ImagesArgs),
    /// Remove one or more images from local storage
    Rmi(image::RmiArgs),
    /// Add an additional name to a local image
    Tag(image::TagArgs),
    /// Remove a name from a local image
    Untag(image::UntagArgs),
    /// Display the configuration of containers, images or volumes
    Inspect(inspect::InspectArgs),
    /// Show the history of an image
    History(image::HistoryArgs),
    /// Save images to an archive or directory
    Save(image::SaveArgs),
    /// Load images from an archive or directory
    Load(image::LoadArgs),
    /// Manage images
    #[command(subcommand)]
    Image(image::ImageCommand),
    /// Manage volumes
    #[command(subcommand)]
    Volume(volume::VolumeCommand),
    /// Manage containers
    #[command(subcommand)]
    Container(container_cmd::ContainerCommand),
    /// Rename a container
    Rename(container_cmd::RenameArgs),
    /// Display lodger's system information and what this machine supports
    Info(system::InfoArgs),
    /// Display the lodger version information
    Version(system::VersionArgs),
    /// Generate shell completions
    Completion(system::CompletionArgs),
    /// Write the man pages (used to regenerate man/)
    #[command(hide = true)]
    GenerateMan(system::GenerateManArgs),
}

/// Parse, run, and map the outcome to an exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                _ => EXIT_FAILURE,
            };
            let _ = e.print();
            return code;
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // Not eprintln!, which panics when stderr is a terminal that hung up.
            let _ = writeln!(std::io::stderr(), "Error: {}", format::error_chain(&err));
            EXIT_FAILURE
        }
    }
}

/// What a command needs from the environment, resolved once.
pub struct Context {
    pub paths: crate::paths::Paths,
}

impl Context {
    /// Commands that keep state in the runtime dir say when it is not the usual one.
    pub fn warn_runtime_dir(&self) {
        if let Some(w) = &self.paths.runtime_warning {
            eprintln!("WARN: {w}");
        }
    }
}

fn context(cli: &Cli) -> anyhow::Result<Context> {
    let paths = crate::paths::Paths::resolve(cli.root.as_deref(), cli.runroot.as_deref())?;
    Ok(Context { paths })
}

fn run(cli: Cli) -> anyhow::Result<i32> {
    let ctx = context(&cli)?;
    match cli.command {
        Command::Run(a) => container::run(&ctx, a),
        Command::Create(a) => container::create(&ctx, a),
        Command::Start(a) => start::start(&ctx, a),
        Command::Ps(a) => ps::ps(&ctx, a),
        Command::Rm(a) => rm::rm(&ctx, a),
        Command::Port(a) => network_flags::port(&ctx, a),
        Command::Logs(a) => lifecycle::logs(&ctx, a),
        Command::Stop(a) => lifecycle::stop(&ctx, a),
        Command::Kill(a) => lifecycle::kill(&ctx, a),
        Command::Wait(a) => wait::wait(&ctx, a),
        Command::Restart(a) => lifecycle::restart(&ctx, a),
        Command::Exec(a) => exec::exec(&ctx, a),
        Command::Attach(a) => attach::attach(&ctx, a),
        Command::Cp(a) => transfer::cp(&ctx, a),
        Command::Diff(a) => transfer::diff(&ctx, a),
        Command::Export(a) => transfer::export(&ctx, a),
        Command::Commit(a) => transfer::commit(&ctx, a),
        Command::Import(a) => transfer::import(&ctx, a),
        Command::Top(a) => transfer::top(&ctx, a),
        Command::Stats(a) => stats::stats(&ctx, a),
        Command::Pull(a) => image::pull(&ctx, a),
        Command::Push(a) => image::push(&ctx, a),
        Command::Login(a) => login::login(a),
        Command::Logout(a) => login::logout(a),
        Command::Images(a) => image::images(&ctx, a),
        Command::Rmi(a) => image::rmi(&ctx, a),
        Command::Tag(a) => image::tag(&ctx, a),
        Command::Untag(a) => image::untag(&ctx, a),
        Command::Inspect(a) => inspect::inspect(&ctx, a),
        Command::History(a) => image::history(&ctx, a),
        Command::Save(a) => image::save(&ctx, a),
        Command::Load(a) => image::load(&ctx, a),
        Command::Image(c) => image::dispatch(&ctx, c),
        Command::Volume(c) => volume::dispatch(&ctx, c),
        Command::Container(c) => container_cmd::dispatch(&ctx, c),
        Command::Rename(a) => container_cmd::rename(&ctx, a),
        Command::Info(a) => system::info(&ctx, a),
        Command::Version(a) => system::version(a),
        Command::Completion(a) => system::completion(a),
        Command::GenerateMan(a) => system::generate_man(a),
    }
}
