//! Network flags of `run` and `create`.

use crate::container::{ContainerConfig, NetworkMode};
use crate::network::{self, Mode};
use clap::Args;

#[derive(Args, Debug, Clone, Default)]
pub struct NetworkFlags {
    /// Network mode: pasta[:OPTIONS], slirp4netns[:OPTIONS], none, host, container:NAME, ns:PATH
    /// (default: pasta, else slirp4netns)
    #[arg(long, visible_alias = "net", value_name = "MODE")]
    pub network: Option<String>,
    /// Publish a container's port to the host: [IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]
    #[arg(short, long, value_name = "PORT")]
    pub publish: Vec<String>,
    /// Publish every exposed port of the image on a free host port
    #[arg(short = 'P', long)]
    pub publish_all: bool,
    /// Set a DNS server
    #[arg(long, value_name = "IP")]
    pub dns: Vec<String>,
    /// Set a DNS search domain
    #[arg(long, value_name = "DOMAIN")]
    pub dns_search: Vec<String>,
    /// Set a DNS option
    #[arg(long, value_name = "OPTION")]
    pub dns_option: Vec<String>,
    /// Add a custom host-to-IP mapping: HOST:IP
    #[arg(long, value_name = "HOST:IP")]
    pub add_host: Vec<String>,
    /// Do not create /etc/hosts for the container
    #[arg(long)]
    pub no_hosts: bool,
}

impl NetworkFlags {
    /// Writes the network part of `config`, printing a note when the fallback helper is used.
    pub fn apply(&self, config: &mut ContainerConfig) -> anyhow::Result<()> {
        let mode = network::parse_mode(self.network.as_deref().unwrap_or(""))?;
        let (mode, note) = network::resolve_default(mode)?;
        if let Some(note) = note {
            eprintln!("Note: {note}");
        }
        let private = !matches!(mode, Mode::Host | Mode::Container(_) | Mode::Ns(_));
        if !private && (!self.publish.is_empty() || self.publish_all) {
            anyhow::bail!("ports cannot be published with --network host, container: or ns:");
        }
        if matches!(mode, Mode::None) && !self.publish.is_empty() {
            anyhow::bail!("ports cannot be published with --network none");
        }
        for h in &self.add_host {
            match h.split_once(':') {
                Some((name, ip)) if !name.is_empty() && ip.parse::<std::net::IpAddr>().is_ok() => {}
                _ => anyhow::bail!("invalid --add-host {h:?}: use HOST:IP"),
            }
        }
        for d in &self.dns {
            if d.parse::<std::net::IpAddr>().is_err() {
                anyhow::bail!("invalid --dns {d:?}: give an IP address");
            }
        }
        config.network = if mode == Mode::Host {
            NetworkMode::Host
        } else {
            NetworkMode::None
        };
        config.net = network::Settings {
            mode: Some(mode),
            publish: self
                .publish
                .iter()
                .map(|p| network::parse_publish(p))
                .collect::<Result<_, _>>()?,
            publish_all: self.publish_all,
            dns: self.dns.clone(),
            dns_search: self.dns_search.clone(),
            dns_option: self.dns_option.clone(),
            add_host: self.add_host.clone(),
            no_hosts: self.no_hosts,
        };
        Ok(())
    }
}

#[derive(clap::Args, Debug)]
pub struct PortArgs {
    /// Container whose published ports to list
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// Only this container port: PORT[/PROTOCOL]; prints the host address alone
    #[arg(value_name = "PORT")]
    pub port: Option<String>,
}

/// `port`: the published ports as the container runs with them (free ports resolved).
pub fn port(ctx: &super::Context, a: PortArgs) -> anyhow::Result<i32> {
    let store = crate::store::Store::open(&ctx.paths)?;
    let record = store.find_container(&a.container)?;
    let cfg = crate::container::parse_config(&record)?;
    let ports = crate::container::ports::published(&ctx.paths, &record, &cfg);
    let wanted = match &a.port {
        None => None,
        Some(spec) => {
            let (num, proto) = spec.split_once('/').unwrap_or((spec, "tcp"));
            let num: u16 = num
                .parse()
                .map_err(|_| anyhow::anyhow!("invalid port {spec:?}: use PORT[/tcp|/udp]"))?;
            Some(format!("{num}/{proto} -> "))
        }
    };
    let mut found = false;
    for line in ports.iter().flat_map(|p| p.lines()) {
        match &wanted {
            None => println!("{line}"),
            Some(prefix) => {
                if let Some(addr) = line.strip_prefix(prefix.as_str()) {
                    println!("{addr}");
                    found = true;
                }
            }
        }
    }
    if let (Some(spec), false) = (&a.port, found) {
        anyhow::bail!("no public port for {spec} published for {}", a.container);
    }
    Ok(0)
}
