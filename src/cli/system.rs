//! `info`, `version`, `completion` and the man page generator.

use super::Context;
use anyhow::{bail, Context as _};
use clap::{Args, CommandFactory};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct VersionArgs {
    /// Output format: json or a Go template
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
}

fn version_doc() -> serde_json::Value {
    let platform = crate::image::manifest::host_platform();
    serde_json::json!({
        "Client": {
            "Version": env!("CARGO_PKG_VERSION"),
            "OsArch": format!("{}/{}", platform.os, platform.architecture),
        }
    })
}

pub fn version(a: VersionArgs) -> anyhow::Result<i32> {
    let doc = version_doc();
    print_doc(a.format.as_deref(), &doc, |out| {
        writeln!(out, "Version:      {}", env!("CARGO_PKG_VERSION"))?;
        let os_arch = doc["Client"]["OsArch"].as_str().unwrap_or("");
        writeln!(out, "OS/Arch:      {os_arch}")
    })?;
    Ok(0)
}

/// One document as JSON, or through a template, or as `plain` writes it without --format.
fn print_doc(
    format: Option<&str>,
    doc: &serde_json::Value,
    plain: impl FnOnce(&mut std::io::StdoutLock<'static>) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Some("json") => writeln!(out, "{}", serde_json::to_string_pretty(doc)?)?,
        Some(t) => super::template::write(&mut out, t, std::slice::from_ref(doc), &[], false)?,
        None => plain(&mut out)?,
    }
    Ok(())
}

#[derive(Args, Debug)]
pub struct InfoArgs {
    /// Output format: json or a Go template
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
}

pub fn info(ctx: &Context, a: InfoArgs) -> anyhow::Result<i32> {
    let report = crate::system_info::collect(&ctx.paths);
    let doc = serde_json::to_value(&report)?;
    print_doc(a.format.as_deref(), &doc, |out| write_yaml(out, &doc, 0))?;
    Ok(0)
}

/// Podman prints info as YAML; this writes the same shape without a YAML dependency.
fn write_yaml(out: &mut impl Write, v: &serde_json::Value, indent: usize) -> std::io::Result<()> {
    use serde_json::Value;
    let pad = " ".repeat(indent);
    match v {
        Value::Object(map) => {
            for (k, val) in map {
                match val {
                    Value::Object(m) if !m.is_empty() => {
                        writeln!(out, "{pad}{k}:")?;
                        write_yaml(out, val, indent + 2)?;
                    }
                    Value::Array(items) if !items.is_empty() => {
                        writeln!(out, "{pad}{k}:")?;
                        for item in items {
                            match item {
                                Value::Object(_) => {
                                    // Podman's shape: the first key shares the dash's line.
                                    let mut buf = Vec::new();
                                    write_yaml(&mut buf, item, indent + 2)?;
                                    let text = String::from_utf8_lossy(&buf);
                                    let body =
                                        text.strip_prefix(&format!("{pad}  ")).unwrap_or(&text);
                                    write!(out, "{pad}- {body}")?;
                                }
                                other => writeln!(out, "{pad}- {}", scalar(other))?,
                            }
                        }
                    }
                    other => writeln!(out, "{pad}{k}: {}", scalar(other))?,
                }
            }
            Ok(())
        }
        other => writeln!(out, "{pad}{}", scalar(other)),
    }
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) if s.is_empty() => "\"\"".into(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(_) => "[]".into(),
        serde_json::Value::Object(_) => "{}".into(),
        other => other.to_string(),
    }
}

#[derive(Args, Debug)]
pub struct CompletionArgs {
    /// Shell: bash, zsh or fish
    #[arg(value_name = "SHELL")]
    pub shell: String,
    /// Write to this file instead of stdout
    #[arg(short, long, value_name = "PATH")]
    pub file: Option<PathBuf>,
}

pub fn completion_script(shell: &str) -> anyhow::Result<Vec<u8>> {
    use clap_complete::Shell;
    let shell = match shell {
        "bash" => Shell::Bash,
        "zsh" => Shell::Zsh,
        "fish" => Shell::Fish,
        other => bail!("unsupported shell {other:?}: use bash, zsh or fish"),
    };
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut super::Cli::command(), "lodger", &mut buf);
    Ok(buf)
}

pub fn completion(a: CompletionArgs) -> anyhow::Result<i32> {
    let script = completion_script(&a.shell)?;
    match &a.file {
        Some(p) => std::fs::write(p, script).with_context(|| format!("writing {}", p.display()))?,
        None => std::io::stdout().write_all(&script)?,
    }
    Ok(0)
}

#[derive(Args, Debug)]
pub struct GenerateManArgs {
    /// Directory to write the pages into
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// Every man page as (file name, roff text): `lodger.1`, `lodger-pull.1`, `lodger-image-ls.1`, ...
pub fn man_pages() -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut cmd = super::Cli::command();
    cmd.build();
    let mut pages = Vec::new();
    collect_pages(&cmd, "lodger", &mut pages)?;
    Ok(pages)
}

fn collect_pages(
    cmd: &clap::Command,
    name: &str,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> anyhow::Result<()> {
    let page_cmd = cmd
        .clone()
        .name(name.to_string())
        .bin_name(name.replace('-', " "));
    let mut buf = Vec::new();
    clap_mangen::Man::new(page_cmd)
        .date("")
        .source(format!("lodger {}", env!("CARGO_PKG_VERSION")))
        .render(&mut buf)?;
    pages.push((format!("{name}.1"), buf));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect_pages(sub, &format!("{name}-{}", sub.get_name()), pages)?;
    }
    Ok(())
}

pub fn generate_man(a: GenerateManArgs) -> anyhow::Result<i32> {
    std::fs::create_dir_all(&a.dir)?;
    for (file, text) in man_pages()? {
        let path = a.dir.join(file);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The checked-out sources: the harness points here when the test user cannot read the
    /// build's own path.
    fn source_dir() -> PathBuf {
        std::env::var_os("LODGER_SOURCE_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
    }

    fn committed(path: &Path) -> Vec<u8> {
        std::fs::read(path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}: regenerate with scripts/generate-docs and commit",
                path.display()
            )
        })
    }

    #[test]
    fn committed_completions_are_current() {
        let dir = source_dir().join("completions");
        for (shell, file) in [
            ("bash", "lodger.bash"),
            ("zsh", "_lodger"),
            ("fish", "lodger.fish"),
        ] {
            let generated = completion_script(shell).unwrap();
            assert!(
                generated == committed(&dir.join(file)),
                "completions/{file} is stale: run scripts/generate-docs and commit"
            );
        }
    }

    #[test]
    fn committed_man_pages_are_current() {
        let dir = source_dir().join("man");
        let pages = man_pages().unwrap();
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut names: Vec<String> = pages.iter().map(|(n, _)| n.clone()).collect();
        names.sort();
        assert_eq!(
            names, on_disk,
            "man/ is stale: run scripts/generate-docs and commit"
        );
        for (name, text) in pages {
            assert!(
                text == committed(&dir.join(&name)),
                "man/{name} is stale: run scripts/generate-docs and commit"
            );
        }
        assert!(names.contains(&"lodger-pull.1".to_string()));
        assert!(names.contains(&"lodger-image-ls.1".to_string()));
    }
}
