//! `--log-driver` and `--log-opt`: where a detached container's output goes.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum LogDriver {
    /// Podman's k8s-file format, read back by `logs`.
    #[default]
    K8sFile,
    /// Output is read (so the container never blocks) and dropped.
    None,
    /// The container gets the stdio of the command that started it.
    Passthrough,
}

impl LogDriver {
    pub fn as_str(self) -> &'static str {
        match self {
            LogDriver::K8sFile => "k8s-file",
            LogDriver::None => "none",
            LogDriver::Passthrough => "passthrough",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct LogConfig {
    pub driver: LogDriver,
    /// `path=`: a log file of the user's choosing instead of the one in the container dir.
    #[serde(default)]
    pub path: Option<String>,
    /// `max-size=` in bytes (0: no limit): the log starts over when a line would pass it.
    #[serde(default)]
    pub max_size: u64,
    #[serde(default)]
    pub tag: Option<String>,
}

impl LogConfig {
    /// From `--log-driver` and the `--log-opt` values, as Podman takes them.
    pub fn parse(driver: Option<&str>, opts: &[String]) -> Result<LogConfig, String> {
        let driver = match driver.unwrap_or("k8s-file") {
            // Podman's alias for scripts written for Docker.
            "k8s-file" | "json-file" => LogDriver::K8sFile,
            "none" => LogDriver::None,
            "passthrough" => LogDriver::Passthrough,
            "journald" => {
                return Err("the journald log driver is not supported by lodger: use \
                            --log-driver k8s-file (the default), none or passthrough"
                    .into())
            }
            other => {
                return Err(format!(
                    "invalid --log-driver {other:?}: use k8s-file, none or passthrough"
                ))
            }
        };
        let mut cfg = LogConfig {
            driver,
            ..LogConfig::default()
        };
        for opt in opts {
            let Some((key, value)) = opt.split_once('=') else {
                return Err(format!(
                    "invalid --log-opt {opt:?}: use max-size=SIZE, path=FILE or tag=TAG"
                ));
            };
            match key.to_ascii_lowercase().as_str() {
                "max-size" => {
                    cfg.max_size = parse_size(value).ok_or_else(|| {
                        format!(
                            "invalid --log-opt max-size {value:?}: use a size such as 10m or 512k"
                        )
                    })?
                }
                "path" if !value.is_empty() => {
                    let p = std::path::Path::new(value);
                    let abs = if p.is_absolute() {
                        p.to_path_buf()
                    } else {
                        std::env::current_dir()
                            .map_err(|e| format!("--log-opt path: {e}"))?
                            .join(p)
                    };
                    cfg.path = Some(abs.to_string_lossy().into_owned());
                }
                "tag" if !value.is_empty() => cfg.tag = Some(value.to_string()),
                _ => {
                    return Err(format!(
                        "invalid --log-opt {opt:?}: use max-size=SIZE, path=FILE or tag=TAG"
                    ))
                }
            }
        }
        Ok(cfg)
    }
}

/// A size as Podman's `max-size` takes it: decimal units (`k` is 1000), an optional `i` and
/// `b`, so `10m`, `10MB` and `10MiB` are all 10,000,000 bytes.
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let digits = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(digits);
    let n: f64 = num.parse().ok()?;
    let mut unit = unit.trim_start_matches(' ').to_ascii_lowercase();
    if unit.ends_with('b') {
        unit.pop();
    }
    if unit.len() == 2 && unit.ends_with('i') {
        unit.pop();
    }
    let mult: f64 = match unit.as_str() {
        "" => 1.0,
        "k" => 1e3,
        "m" => 1e6,
        "g" => 1e9,
        "t" => 1e12,
        "p" => 1e15,
        _ => return None,
    };
    let v = n * mult;
    (v.is_finite() && v < 1.8e19).then_some(v as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drivers_and_options() {
        let c = LogConfig::parse(None, &[]).unwrap();
        assert_eq!(c.driver, LogDriver::K8sFile);
        assert_eq!(c.max_size, 0);
        let c = LogConfig::parse(Some("json-file"), &["max-size=10k".into()]).unwrap();
        assert_eq!((c.driver, c.max_size), (LogDriver::K8sFile, 10_000));
        assert_eq!(
            LogConfig::parse(Some("none"), &[]).unwrap().driver,
            LogDriver::None
        );
        let e = LogConfig::parse(Some("journald"), &[]).unwrap_err();
        assert!(e.contains("journald") && e.contains("not supported"), "{e}");
        assert!(LogConfig::parse(Some("syslog"), &[]).is_err());
        assert!(LogConfig::parse(None, &["max-size".into()]).is_err());
        assert!(LogConfig::parse(None, &["max-size=lots".into()]).is_err());
        assert!(LogConfig::parse(None, &["colour=red".into()]).is_err());
        let c = LogConfig::parse(None, &["path=/x/y.log".into(), "tag=t".into()]).unwrap();
        assert_eq!(c.path.as_deref(), Some("/x/y.log"));
        assert_eq!(c.tag.as_deref(), Some("t"));
    }

    #[test]
    fn sizes_as_podman() {
        assert_eq!(parse_size("1000"), Some(1000));
        assert_eq!(parse_size("1k"), Some(1000));
        assert_eq!(parse_size("1.5MB"), Some(1_500_000));
        assert_eq!(parse_size("2MiB"), Some(2_000_000));
        assert_eq!(parse_size("-1"), None);
        assert_eq!(parse_size("1x"), None);
    }
}
