//! `pull` and `push`, and the registry and platform flags they share with `run`, `create`
//! and `login`.

use crate::cli::Context;
use crate::image::manifest::{host_platform, Platform};
use crate::image::progress::reporter;
use crate::image::push::PushFormat;
use crate::image::{pull, push};
use crate::registry::ClientOptions;
use crate::store::Store;
use anyhow::{bail, Context as _};
use clap::Args;
use std::path::PathBuf;

/// Registry connection flags shared by pull, push and login.
#[derive(Args, Debug, Clone, Default)]
pub struct RegistryFlags {
    /// Require HTTPS and verify certificates when contacting registries
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub tls_verify: Option<bool>,
    /// Path of the authentication file
    #[arg(long, value_name = "PATH", env = "REGISTRY_AUTH_FILE")]
    pub authfile: Option<PathBuf>,
    /// Credentials (USERNAME[:PASSWORD]) to use for the registry
    #[arg(long, value_name = "USERNAME[:PASSWORD]")]
    pub creds: Option<String>,
    /// Directory with certificates (*.crt, *.cert, *.key) for the registry
    #[arg(long, value_name = "PATH")]
    pub cert_dir: Option<PathBuf>,
}

impl RegistryFlags {
    pub fn client_options(&self) -> anyhow::Result<ClientOptions> {
        let creds = match &self.creds {
            None => None,
            Some(c) => {
                let (user, pass) = match c.split_once(':') {
                    Some((u, p)) => (u.to_string(), p.to_string()),
                    None => (
                        c.clone(),
                        crate::cli::login::read_password(&format!("Password for {c}: "))?,
                    ),
                };
                if user.is_empty() {
                    bail!("--creds: the username is empty: use --creds USERNAME:PASSWORD");
                }
                Some(crate::auth::Credentials {
                    username: user,
                    password: pass,
                })
            }
        };
        Ok(ClientOptions {
            tls_verify: self.tls_verify,
            authfile: self.authfile.clone(),
            creds,
            cert_dir: self.cert_dir.clone(),
        })
    }
}

#[derive(Args, Debug)]
pub struct PullArgs {
    /// Image to pull
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
    #[command(flatten)]
    pub platform: PlatformFlags,
    /// Suppress output information when pulling images
    #[arg(short, long)]
    pub quiet: bool,
    /// When to pull: always, missing, never, newer
    #[arg(long, value_name = "POLICY", default_value = "always")]
    pub policy: pull::Policy,
    #[command(flatten)]
    pub registry: RegistryFlags,
}

/// Which image of a multi-platform index to take; shared by pull, run and create.
#[derive(Args, Debug, Clone, Default)]
pub struct PlatformFlags {
    /// Choose OS/ARCH[/VARIANT] from a manifest list
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<String>,
    /// Use ARCH instead of the architecture of the machine
    #[arg(long, value_name = "ARCH")]
    pub arch: Option<String>,
    /// Use OS instead of the running OS
    #[arg(long, value_name = "OS")]
    pub os: Option<String>,
    /// Use VARIANT instead of the default architecture variant
    #[arg(long, value_name = "VARIANT")]
    pub variant: Option<String>,
}

impl PlatformFlags {
    pub fn requested(&self) -> bool {
        self.platform.is_some()
            || self.arch.is_some()
            || self.os.is_some()
            || self.variant.is_some()
    }

    pub fn wanted(&self) -> anyhow::Result<Platform> {
        let mut p = host_platform();
        if let Some(spec) = &self.platform {
            if self.arch.is_some() || self.os.is_some() {
                bail!("--platform cannot be combined with --arch or --os");
            }
            let parts: Vec<&str> = spec.split('/').collect();
            match parts.as_slice() {
                [os, arch] if !os.is_empty() && !arch.is_empty() => {
                    p.os = os.to_string();
                    p.architecture = arch.to_string();
                }
                [os, arch, variant] if !os.is_empty() && !arch.is_empty() => {
                    p.os = os.to_string();
                    p.architecture = arch.to_string();
                    p.variant = Some(variant.to_string());
                }
                _ => bail!("invalid platform {spec:?}: use OS/ARCH[/VARIANT], e.g. linux/arm64"),
            }
        }
        if let Some(arch) = &self.arch {
            p.architecture = arch.clone();
        }
        if let Some(os) = &self.os {
            p.os = os.clone();
        }
        if let Some(v) = &self.variant {
            p.variant = Some(v.clone());
        }
        Ok(p)
    }
}

pub fn pull(ctx: &Context, a: PullArgs) -> anyhow::Result<i32> {
    let opts = pull::PullOptions {
        platform: a.platform.wanted()?,
        platform_requested: a.platform.requested(),
        client: a.registry.client_options()?,
    };
    let mut store = Store::open(&ctx.paths)?;
    let report = reporter(a.quiet);
    for input in &a.images {
        let image = pull::pull_by_policy(&mut store, input, a.policy, &opts, report.as_ref())?;
        println!("{}", image.hex_id());
    }
    Ok(0)
}

#[derive(Args, Debug)]
pub struct PushArgs {
    /// Image to push
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Destination (default: the image's name)
    #[arg(value_name = "DESTINATION")]
    pub destination: Option<String>,
    /// Manifest type to push: oci or v2s2 (default: as stored)
    #[arg(short = 'f', long, value_name = "FORMAT")]
    pub format: Option<PushFormat>,
    /// Suppress output information when pushing images
    #[arg(short, long)]
    pub quiet: bool,
    /// Write the digest of the pushed manifest to this file
    #[arg(long, value_name = "PATH")]
    pub digestfile: Option<PathBuf>,
    #[command(flatten)]
    pub registry: RegistryFlags,
}

pub fn push(ctx: &Context, a: PushArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let image = store.find_image(&a.image)?;
    let dest = push::destination(&image, &a.image, a.destination.as_deref())?;
    let opts = push::PushOptions {
        client: a.registry.client_options()?,
        format: a.format,
    };
    let digest = push::push(&store, &image, &dest, &opts, reporter(a.quiet).as_ref())?;
    if let Some(path) = &a.digestfile {
        std::fs::write(path, &digest).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(0)
}
