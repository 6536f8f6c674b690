//! User namespace mapping and the helper process that works inside it.
//!
//! Files of an image belong to many uids; only a process inside a user namespace that maps
//! them can create or delete such files. Every operation of that kind runs in a short-lived
//! helper: the lodger binary re-executed as `lodger __userns-helper <op> ...`, which unshares a
//! user namespace, waits until the parent has written its id maps, and then does its work.

mod helper;
mod mapping;
mod spawn;
mod subid;

pub use helper::helper_main;
pub use mapping::{check_userns_enabled, find_in_path, IdMapping, IdRange};
pub use spawn::{set_helper_exe, spawn_helper, HelperChild, HelperOutput};

/// First argument that turns the lodger binary into the userns helper.
pub const HELPER_ARG: &str = "__userns-helper";

/// Errors of setting up a user namespace or its helper process.
#[derive(Debug, thiserror::Error)]
pub enum UsernsError {
    #[error(
        "no subordinate {kind} range for user {user} in {file}: add one, e.g. \
         `usermod --add-subuids 100000-165535 --add-subgids 100000-165535 {user}`"
    )]
    NoSubordinateRange {
        kind: &'static str,
        user: String,
        file: &'static str,
    },
    #[error("reading {path}: {source}")]
    ReadSubid {
        path: &'static str,
        source: std::io::Error,
    },
    #[error("{tool} not found in PATH: install the `uidmap` package")]
    ToolMissing { tool: &'static str },
    #[error("unprivileged user namespaces are disabled: {reason}")]
    Disabled { reason: String },
    #[error("creating a user namespace failed: {0}")]
    Unshare(std::io::Error),
    #[error("{tool} {pid} failed ({status}): {stderr}")]
    MapTool {
        tool: &'static str,
        pid: u32,
        status: String,
        stderr: String,
    },
    #[error("running {tool}: {source}")]
    RunMapTool {
        tool: &'static str,
        source: std::io::Error,
    },
    #[error("writing {path}: {source}")]
    WriteMap {
        path: String,
        source: std::io::Error,
    },
    #[error("starting the user namespace helper {exe}: {source}")]
    Spawn { exe: String, source: std::io::Error },
    #[error("creating a pipe for the user namespace helper: {0}")]
    Pipe(std::io::Error),
    #[error("the user namespace helper exited before it was ready: {stderr}")]
    HelperDied { stderr: String },
    #[error("waiting for the user namespace helper: {0}")]
    Wait(std::io::Error),
}
