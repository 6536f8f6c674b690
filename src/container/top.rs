//! `top`: the processes of a running container, read from /proc on the host and shown as the
//! container sees them (its pids, its users).

use std::collections::HashMap;
use std::io::Read;
use std::os::fd::AsFd;

use super::{is_alive, ContainerError, Result};
use crate::paths::Paths;
use crate::store::ContainerRecord;

/// Podman's default descriptors.
pub const DEFAULT: [&str; 8] = [
    "user", "pid", "ppid", "pcpu", "etime", "tty", "time", "args",
];

/// The column header of a descriptor, or `None` when it is not supported.
pub fn header(descriptor: &str) -> Option<&'static str> {
    Some(match descriptor {
        "user" => "USER",
        "uid" => "UID",
        "group" => "GROUP",
        "pid" => "PID",
        "ppid" => "PPID",
        "pcpu" => "%CPU",
        "etime" => "ELAPSED",
        "tty" => "TTY",
        "time" => "TIME",
        "args" => "COMMAND",
        "comm" => "COMMAND",
        "hpid" => "HPID",
        _ => return None,
    })
}

struct Proc {
    host_pid: u32,
    values: HashMap<&'static str, String>,
}

/// Host pids of the container's processes: its pid 1 and every descendant.
fn descendants(pid: u32) -> Vec<u32> {
    let mut out = vec![pid];
    let mut i = 0;
    while i < out.len() {
        let p = out[i];
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{p}/task")) {
            for t in tasks.flatten() {
                let children =
                    std::fs::read_to_string(t.path().join("children")).unwrap_or_default();
                for c in children.split_whitespace().filter_map(|c| c.parse().ok()) {
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
            }
        }
        i += 1;
    }
    out
}

fn status_field<'a>(status: &'a str, key: &str) -> Option<&'a str> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(':')))
        .map(str::trim)
}

/// Maps a host id to the container's through a uid_map/gid_map text.
fn to_container(map: &str, host: u32) -> Option<u32> {
    map.lines().find_map(|l| {
        let v: Vec<u64> = l
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        let [inside, outside, count] = v[..] else {
            return None;
        };
        let h = u64::from(host);
        (h >= outside && h < outside + count).then(|| (inside + h - outside) as u32)
    })
}

/// `name:x:id:...` lines of the container's passwd or group file, read inside its root.
fn names_in(root: &std::fs::File, file: &str) -> HashMap<u32, String> {
    let fd = rustix::fs::openat2(
        root.as_fd(),
        file,
        rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
        rustix::fs::ResolveFlags::IN_ROOT | rustix::fs::ResolveFlags::NO_MAGICLINKS,
    );
    let mut text = String::new();
    if let Ok(fd) = fd {
        let _ = std::fs::File::from(fd)
            .take(1 << 20)
            .read_to_string(&mut text);
    }
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            Some((f.get(2)?.parse().ok()?, f.first()?.to_string()))
        })
        .collect()
}

/// Go-style durations, as Podman prints them ("1m2.5s", "0s").
pub fn duration(secs: f64) -> String {
    if secs <= 0.0 {
        return "0s".into();
    }
    let whole = secs as u64;
    let (h, m) = (whole / 3600, (whole % 3600) / 60);
    let s = secs - (h * 3600 + m * 60) as f64;
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if h > 0 || m > 0 {
        out.push_str(&format!("{m}m"));
    }
    let s = format!("{s:.9}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    out.push_str(s);
    out.push('s');
    out
}

fn tty_name(tty_nr: u64) -> String {
    if tty_nr == 0 {
        return "?".into();
    }
    let major = (tty_nr >> 8) & 0xfff;
    let minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);
    match major {
        136..=143 => format!("pts/{}", (major - 136) * 256 + minor),
        4 => format!("tty{minor}"),
        _ => "?".into(),
    }
}

/// One row per process of the running container, with the asked descriptors.
pub fn top(
    paths: &Paths,
    record: &ContainerRecord,
    descriptors: &[&str],
) -> Result<Vec<Vec<String>>> {
    let pid = match record.pid {
        Some(pid) if is_alive(paths, record) => pid,
        _ => {
            return Err(ContainerError::Invalid(format!(
                "top can only be used on running containers: container {} is not running",
                record.name
            )))
        }
    };
    let uid_map = std::fs::read_to_string(format!("/proc/{pid}/uid_map")).unwrap_or_default();
    let gid_map = std::fs::read_to_string(format!("/proc/{pid}/gid_map")).unwrap_or_default();
    let (users, groups) = match std::fs::File::open(format!("/proc/{pid}/root")) {
        Ok(root) => (
            names_in(&root, "/etc/passwd"),
            names_in(&root, "/etc/group"),
        ),
        Err(_) => (HashMap::new(), HashMap::new()),
    };
    // SAFETY: sysconf with a constant name.
    let ticks = match unsafe { libc::sysconf(libc::_SC_CLK_TCK) } {
        t if t > 0 => t as f64,
        _ => 100.0,
    };
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    let mut procs = Vec::new();
    let mut ns_pid_of: HashMap<u32, String> = HashMap::new();
    for p in descendants(pid) {
        let (Ok(status), Ok(stat)) = (
            std::fs::read_to_string(format!("/proc/{p}/status")),
            std::fs::read_to_string(format!("/proc/{p}/stat")),
        ) else {
            continue;
        };
        let mut v = HashMap::new();
        let ns_pid = status_field(&status, "NSpid")
            .and_then(|s| s.split_whitespace().last())
            .unwrap_or("?")
            .to_string();
        ns_pid_of.insert(p, ns_pid.clone());
        let host_uid: u32 = status_field(&status, "Uid")
            .and_then(|s| s.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(u32::MAX);
        let host_gid: u32 = status_field(&status, "Gid")
            .and_then(|s| s.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(u32::MAX);
        let uid = to_container(&uid_map, host_uid);
        let gid = to_container(&gid_map, host_gid);
        let show = |id: Option<u32>, names: &HashMap<u32, String>| match id {
            Some(id) => names.get(&id).cloned().unwrap_or_else(|| id.to_string()),
            None => "?".into(),
        };
        v.insert("user", show(uid, &users));
        v.insert("uid", uid.map_or("?".into(), |u| u.to_string()));
        v.insert("group", show(gid, &groups));
        v.insert("pid", ns_pid);
        v.insert("hpid", p.to_string());
        // Fields after the command name, which may hold spaces and parentheses.
        let rest: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, r)| r.split_whitespace().collect())
            .unwrap_or_default();
        let num = |i: usize| -> u64 { rest.get(i).and_then(|s| s.parse().ok()).unwrap_or(0) };
        // rest[0] is field 3 (state): field n is rest[n - 3].
        let host_ppid = num(1) as u32;
        v.insert("ppid", host_ppid.to_string());
        let cpu = (num(11) + num(12)) as f64 / ticks;
        let elapsed = (uptime - num(19) as f64 / ticks).max(0.0);
        v.insert(
            "pcpu",
            format!(
                "{:.3}",
                if elapsed > 0.0 {
                    100.0 * cpu / elapsed
                } else {
                    0.0
                }
            ),
        );
        v.insert("etime", duration(elapsed));
        v.insert("time", duration(cpu.floor()));
        v.insert("tty", tty_name(num(4)));
        let comm = status_field(&status, "Name").unwrap_or("").to_string();
        let cmdline = std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default();
        let args: Vec<String> = cmdline
            .split(|b| *b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        v.insert(
            "args",
            if args.is_empty() {
                format!("[{comm}]")
            } else {
                args.join(" ")
            },
        );
        v.insert("comm", comm);
        procs.push(Proc {
            host_pid: p,
            values: v,
        });
    }
    // Parents outside the container (the runtime) show as 0, as in the container.
    for pr in &mut procs {
        let host_ppid: u32 = pr.values["ppid"].parse().unwrap_or(0);
        let ppid = if pr.host_pid == pid {
            "0".to_string()
        } else {
            ns_pid_of
                .get(&host_ppid)
                .cloned()
                .unwrap_or_else(|| "0".into())
        };
        pr.values.insert("ppid", ppid);
    }
    Ok(procs
        .into_iter()
        .map(|p| {
            descriptors
                .iter()
                .map(|d| p.values.get(d).cloned().unwrap_or_default())
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_ids() {
        assert_eq!(duration(0.0), "0s");
        assert_eq!(duration(1.5), "1.5s");
        assert_eq!(duration(62.0), "1m2s");
        assert_eq!(duration(3600.0), "1h0m0s");
        assert_eq!(to_container("0 1000 1\n1 200000 65536\n", 1000), Some(0));
        assert_eq!(to_container("0 1000 1\n1 200000 65536\n", 200009), Some(10));
        assert_eq!(to_container("0 1000 1\n", 5), None);
        assert_eq!(tty_name(0), "?");
        assert_eq!(tty_name((136 << 8) | 3), "pts/3");
    }
}
