//! What a container is made of, as stored with it: everything `run`/`create` decided from
//! the image and the flags, so `start` needs nothing else.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BindMount {
    pub source: String,
    pub destination: String,
    pub readonly: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TmpfsMount {
    pub destination: String,
    pub options: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum NetworkMode {
    #[default]
    None,
    Host,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum UsernsMode {
    /// Container root is the user, 1.. the subordinate ids.
    #[default]
    Default,
    /// The user keeps their own uid inside.
    KeepId,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct ContainerConfig {
    /// The command line to execute: entrypoint followed by cmd.
    pub command: Vec<String>,
    pub env: Vec<String>,
    pub workdir: String,
    pub user: String,
    #[serde(default)]
    pub group_add: Vec<String>,
    pub hostname: String,
    pub tty: bool,
    pub interactive: bool,
    pub init: bool,
    pub remove: bool,
    pub read_only: bool,
    #[serde(default)]
    pub tmpfs: Vec<TmpfsMount>,
    #[serde(default)]
    pub binds: Vec<BindMount>,
    pub network: NetworkMode,
    pub userns: UsernsMode,
    #[serde(default)]
    pub cap_add: Vec<String>,
    #[serde(default)]
    pub cap_drop: Vec<String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}
