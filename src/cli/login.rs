//! `login` and `logout`: credentials kept where Podman keeps them.

use super::image::RegistryFlags;
use crate::auth::{self, Credentials};
use crate::config::RegistriesConf;
use crate::registry::Client;
use anyhow::{bail, Context as _};
use clap::Args;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct LoginArgs {
    /// Registry (default: the first unqualified-search registry)
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,
    /// Username for the registry
    #[arg(short, long)]
    pub username: Option<String>,
    /// Password for the registry
    #[arg(short, long)]
    pub password: Option<String>,
    /// Take the password from stdin
    #[arg(long)]
    pub password_stdin: bool,
    /// Print the username of the stored credentials
    #[arg(long)]
    pub get_login: bool,
    #[command(flatten)]
    pub registry_flags: RegistryFlags,
}

#[derive(Args, Debug)]
pub struct LogoutArgs {
    /// Registry
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,
    /// Remove the credentials of every registry
    #[arg(short, long)]
    pub all: bool,
    /// Path of the authentication file
    #[arg(long, value_name = "PATH", env = "REGISTRY_AUTH_FILE")]
    pub authfile: Option<PathBuf>,
}

/// `docker.io/library` and `https://host/v2/` forms name a registry host.
fn registry_host(input: Option<&str>) -> anyhow::Result<String> {
    let raw = match input {
        Some(r) => r.to_string(),
        None => RegistriesConf::load()?
            .unqualified_search_registries
            .first()
            .cloned()
            .ok_or_else(|| {
                anyhow::anyhow!("no registry given and no unqualified-search-registries configured: name the registry, e.g. `lodger login quay.io`")
            })?,
    };
    let trimmed = raw
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let host = trimmed.split('/').next().unwrap_or(trimmed);
    if host.is_empty() {
        bail!("invalid registry {raw:?}");
    }
    Ok(host.to_string())
}

pub fn login(a: LoginArgs) -> anyhow::Result<i32> {
    let registry = registry_host(a.registry.as_deref())?;
    let authfile = a.registry_flags.authfile.as_deref();
    if a.get_login {
        return match auth::lookup(&registry, authfile)? {
            Some(c) => {
                println!("{}", c.username);
                Ok(0)
            }
            None => bail!("not logged into {registry}"),
        };
    }
    if a.password.is_some() && a.password_stdin {
        bail!("--password and --password-stdin cannot be used together");
    }
    let username = match a.username.clone() {
        Some(u) => u,
        None if a.password_stdin => {
            bail!("--password-stdin needs --username")
        }
        None => prompt("Username: ")?,
    };
    if username.is_empty() {
        bail!("the username is empty");
    }
    let password = match (a.password.clone(), a.password_stdin) {
        (Some(p), _) => p,
        (None, true) => {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\n', '\r']).to_string()
        }
        (None, false) => read_password("Password: ")?,
    };
    let creds = Credentials { username, password };
    let mut opts = a.registry_flags.client_options()?;
    opts.creds = Some(creds.clone());
    let conf = RegistriesConf::load()?;
    let client = Client::new(&registry, &opts, &conf)?;
    client
        .check_auth()
        .with_context(|| format!("logging into {registry:?}"))?;
    auth::store(&registry, &creds, authfile)?;
    println!("Login Succeeded!");
    Ok(0)
}

pub fn logout(a: LogoutArgs) -> anyhow::Result<i32> {
    let authfile = a.authfile.as_deref();
    if a.all {
        auth::remove_all(authfile)?;
        println!("Removed login credentials for all registries");
        return Ok(0);
    }
    let registry = registry_host(a.registry.as_deref())?;
    if !auth::remove(&registry, authfile)? {
        bail!("not logged into {registry}");
    }
    println!("Removed login credentials for {registry}");
    Ok(0)
}

fn prompt(label: &str) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        bail!(
            "cannot prompt for input: stdin is not a terminal; use --username and --password-stdin"
        );
    }
    eprint!("{label}");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// Read a password from the terminal without echo.
pub fn read_password(label: &str) -> anyhow::Result<String> {
    use nix::sys::termios::{tcgetattr, tcsetattr, LocalFlags, SetArg};
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        bail!("cannot prompt for a password: stdin is not a terminal; use --password-stdin");
    }
    eprint!("{label}");
    std::io::stderr().flush()?;
    let saved = tcgetattr(&stdin)?;
    let mut quiet = saved.clone();
    quiet.local_flags.remove(LocalFlags::ECHO);
    tcsetattr(&stdin, SetArg::TCSANOW, &quiet)?;
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    let _ = tcsetattr(&stdin, SetArg::TCSANOW, &saved);
    eprintln!();
    read?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}
