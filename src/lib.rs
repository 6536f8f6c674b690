//! lodger: rootless, daemonless containers with a Podman-compatible command line.
//!
//! `cli` parses and prints; every other module is engine code that knows nothing of clap.

pub mod auth;
pub mod cgroup;
pub mod cli;
pub mod config;
pub mod container;
pub mod image;
pub mod layer;
pub mod monitor;
pub mod network;
pub mod paths;
pub mod reference;
pub mod registry;
pub mod runtime;
pub mod security;
pub mod store;
pub mod system_info;
pub mod userns;
pub mod volume;
