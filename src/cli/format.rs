//! Output helpers shared by commands: Podman's tables, sizes and relative times.

use std::io::Write;

pub fn error_chain(err: &anyhow::Error) -> String {
    format!("{err:#}")
}

/// Go's `units.HumanSizeWithPrecision(n, 3)`: decimal units, three significant digits.
pub fn human_size(bytes: u64) -> String {
    decimal_size(bytes, 3, " ")
}

/// `bytes` in decimal units with `significant` digits, trailing zeros dropped: Podman
/// writes image sizes as `7.62 MB` and log sizes (`units.HumanSize`) as `1.049MB`.
pub fn decimal_size(bytes: u64, significant: usize, separator: &str) -> String {
    const UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    let whole_digits = if value >= 1.0 {
        value.log10().floor() as usize + 1
    } else {
        1
    };
    let decimals = significant.saturating_sub(whole_digits);
    let mut text = format!("{value:.decimals$}");
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    format!("{text}{separator}{}", UNITS[unit])
}

/// Go's `units.HumanDuration`, as Podman prints CREATED columns.
pub fn human_duration(secs: i64) -> String {
    let secs = secs.max(0);
    let minutes = secs / 60;
    let hours = (secs as f64 / 3600.0).round() as i64;
    match () {
        _ if secs < 1 => "Less than a second".into(),
        _ if secs == 1 => "1 second".into(),
        _ if secs < 60 => format!("{secs} seconds"),
        _ if minutes == 1 => "About a minute".into(),
        _ if minutes < 60 => format!("{minutes} minutes"),
        _ if hours == 1 => "About an hour".into(),
        _ if hours < 48 => format!("{hours} hours"),
        _ if hours < 24 * 7 * 2 => format!("{} days", hours / 24),
        _ if hours < 24 * 30 * 2 => format!("{} weeks", hours / 24 / 7),
        _ if hours < 24 * 365 * 2 => format!("{} months", hours / 24 / 30),
        _ => format!("{} years", hours / 24 / 365),
    }
}

pub fn ago(unix_secs: i64) -> String {
    let now = chrono::Utc::now().timestamp();
    format!("{} ago", human_duration(now - unix_secs))
}

/// Parse an RFC 3339 time from an image config into unix seconds.
pub fn parse_time(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.timestamp())
}

/// Columns padded like Go's tabwriter(minwidth 12, padding 2), as Podman's tables are.
pub fn print_table(out: &mut impl Write, rows: &[Vec<String>]) -> std::io::Result<()> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max((cell.chars().count() + 2).max(12));
        }
    }
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}", width = widths[i]));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_like_go_units() {
        assert_eq!(human_size(999), "999 B");
        assert_eq!(human_size(7_624_000), "7.62 MB");
        assert_eq!(human_size(1_200_000_000), "1.2 GB");
        assert_eq!(decimal_size(0, 4, ""), "0B");
        assert_eq!(decimal_size(10_000, 4, ""), "10kB");
        assert_eq!(decimal_size(1_048_576, 4, ""), "1.049MB");
        assert_eq!(decimal_size(123_456, 4, ""), "123.5kB");
        assert_eq!(human_size(100_000_000), "100 MB");
        assert_eq!(human_size(65_432_100), "65.4 MB");
    }

    #[test]
    fn durations_like_go_units() {
        assert_eq!(human_duration(0), "Less than a second");
        assert_eq!(human_duration(30), "30 seconds");
        assert_eq!(human_duration(90), "About a minute");
        assert_eq!(human_duration(3 * 3600), "3 hours");
        assert_eq!(human_duration(3 * 86400), "3 days");
        assert_eq!(human_duration(20 * 86400), "2 weeks");
    }

    #[test]
    fn table_pads_like_tabwriter() {
        let mut out = Vec::new();
        print_table(
            &mut out,
            &[
                vec!["REPOSITORY".into(), "TAG".into(), "SIZE".into()],
                vec![
                    "docker.io/library/alpine".into(),
                    "latest".into(),
                    "7.62 MB".into(),
                ],
            ],
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "REPOSITORY                TAG         SIZE\ndocker.io/library/alpine  latest      7.62 MB\n"
        );
    }
}
