//! `exec`: a command in a running container, in the foreground or detached.

use super::Context;
use crate::container;
use crate::store::Store;
use clap::Args;

#[derive(Args, Debug)]
pub struct ExecArgs {
    /// Keep stdin open
    #[arg(short, long)]
    pub interactive: bool,
    /// Allocate a pseudo-terminal
    #[arg(short, long)]
    pub tty: bool,
    /// User (and group) to run as: NAME|UID[:GROUP|GID]
    #[arg(short, long, value_name = "USER")]
    pub user: Option<String>,
    /// Set environment variables (KEY=VALUE, or KEY from lodger's environment)
    #[arg(short, long, value_name = "ENV")]
    pub env: Vec<String>,
    /// Read environment variables from a file
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<std::path::PathBuf>,
    /// Working directory inside the container
    #[arg(short, long, value_name = "DIR")]
    pub workdir: Option<String>,
    /// Run the command in the background, its output discarded, and print a session ID
    #[arg(short, long)]
    pub detach: bool,
    /// Give the command all capabilities of the container's user namespace
    #[arg(long)]
    pub privileged: bool,
    /// Key sequence for detaching (accepted for Podman compatibility; lodger's exec does not
    /// detach from a terminal)
    #[arg(long, value_name = "KEYS")]
    pub detach_keys: Option<String>,
    /// Container to run the command in
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// Command and arguments
    #[arg(
        required = true,
        value_name = "COMMAND",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub command: Vec<String>,
}

pub fn exec(ctx: &Context, a: ExecArgs) -> anyhow::Result<i32> {
    if let Some(keys) = &a.detach_keys {
        super::attach::parse_detach_keys(keys)?;
    }
    let store = Store::open(&ctx.paths)?;
    let c = store.find_container(&a.container)?;
    let host: Vec<(String, String)> = std::env::vars().collect();
    let mut env = Vec::new();
    for file in &a.env_file {
        env.extend(container::read_env_file(file, &host)?);
    }
    for e in &a.env {
        env.extend(container::expand_env_flag(e, &host));
    }
    let req = container::exec::ExecRequest {
        args: a.command,
        env,
        user: a.user,
        workdir: a.workdir,
        interactive: a.interactive,
        tty: a.tty,
        detach: a.detach,
        privileged: a.privileged,
    };
    let spec = container::exec::exec_spec(&ctx.paths, &c, &req)?;
    drop(store);
    match crate::runtime::exec(&spec) {
        // lodger keeps no exec sessions; the ID is printed for scripts that read one.
        Ok(code) if a.detach => {
            println!("{}", container::names::new_id());
            Ok(code)
        }
        Ok(code) => Ok(code),
        Err(crate::runtime::RuntimeError::Exec { code, message }) => {
            eprintln!("Error: {message}");
            Ok(i32::from(code))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::attach::parse_detach_keys;

    #[test]
    fn detach_keys_as_podman_spells_them() {
        for ok in ["ctrl-p,ctrl-q", "", "a", "1", "ctrl-@", "ctrl-\\,x"] {
            assert!(parse_detach_keys(ok).is_ok(), "{ok}");
        }
        for bad in ["ctrl-", "ctrl-pq", "ctrl-1", "ab", "alt-x"] {
            assert!(parse_detach_keys(bad).is_err(), "{bad}");
        }
    }
}
