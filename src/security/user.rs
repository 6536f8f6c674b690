//! `--user` and `--group-add` resolved against the container's own /etc/passwd and /etc/group,
//! with the rules runc's `GetExecUser` and Podman apply.

use super::{ResolvedUser, SecurityError};

/// Largest id runc and Podman accept.
const MAX_ID: u64 = i32::MAX as u64;

struct PasswdEntry<'a> {
    name: &'a str,
    uid: u32,
    gid: u32,
    home: &'a str,
}

struct GroupEntry<'a> {
    name: &'a str,
    gid: u32,
    members: &'a str,
}

/// Lines whose ids do not parse are skipped: a broken entry must not turn into uid 0.
fn passwd_entries(text: &str) -> impl Iterator<Item = PasswdEntry<'_>> {
    text.lines().filter_map(|line| {
        let mut f = line.trim().split(':');
        let name = f.next().filter(|n| !n.is_empty())?;
        let _password = f.next();
        let uid = f.next()?.trim().parse().ok()?;
        let gid = f.next()?.trim().parse().ok()?;
        let _gecos = f.next();
        let home = f.next().unwrap_or("");
        Some(PasswdEntry {
            name,
            uid,
            gid,
            home,
        })
    })
}

fn group_entries(text: &str) -> impl Iterator<Item = GroupEntry<'_>> {
    text.lines().filter_map(|line| {
        let mut f = line.trim().split(':');
        let name = f.next().filter(|n| !n.is_empty())?;
        let _password = f.next();
        let gid = f.next()?.trim().parse().ok()?;
        let members = f.next().unwrap_or("");
        Some(GroupEntry { name, gid, members })
    })
}

/// `Ok(None)` for a name, `Ok(Some(id))` for a number, an error for a number out of range.
fn numeric(arg: &str, what: &'static str) -> Result<Option<u32>, SecurityError> {
    let digits = arg.strip_prefix('-').unwrap_or(arg);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    match arg.parse::<u64>() {
        Ok(v) if v <= MAX_ID => Ok(Some(v as u32)),
        _ => Err(SecurityError::IdOutOfRange {
            what,
            value: arg.to_string(),
        }),
    }
}

fn lookup_group(arg: &str, group: Option<&str>) -> Result<u32, SecurityError> {
    let number = numeric(arg, "gid")?;
    let found = group.and_then(|text| {
        group_entries(text)
            .find(|g| match number {
                Some(n) => g.gid == n,
                None => g.name == arg,
            })
            .map(|g| g.gid)
    });
    found.or(number).ok_or_else(|| SecurityError::UnknownGroup {
        name: arg.to_string(),
    })
}

pub(crate) fn resolve(
    user: &str,
    group_add: &[String],
    passwd: Option<&str>,
    group: Option<&str>,
) -> Result<ResolvedUser, SecurityError> {
    let mut parts = user.splitn(3, ':');
    let user_arg = parts.next().unwrap_or("");
    let group_arg = parts.next().unwrap_or("");

    // An empty user means the image's default, root, looked up by uid like runc does.
    let uid_arg = if user_arg.is_empty() {
        Some(0)
    } else {
        numeric(user_arg, "uid")?
    };
    let entry = passwd.and_then(|text| {
        passwd_entries(text).find(|e| match uid_arg {
            Some(n) => e.uid == n,
            None => e.name == user_arg,
        })
    });
    let (uid, mut gid, home, matched_name) = match (entry, uid_arg) {
        (Some(e), _) => (
            e.uid,
            e.gid,
            Some(e.home).filter(|h| !h.is_empty()).map(str::to_string),
            Some(e.name),
        ),
        (None, Some(uid)) => (uid, 0, None, None),
        (None, None) => {
            return Err(SecurityError::UnknownUser {
                name: user_arg.to_string(),
            })
        }
    };

    let mut supplementary = Vec::new();
    if !group_arg.is_empty() {
        gid = lookup_group(group_arg, group)?;
    } else if let (Some(name), Some(text)) = (matched_name, group) {
        supplementary.extend(
            group_entries(text)
                .filter(|g| g.members.split(',').any(|m| m.trim() == name))
                .map(|g| g.gid),
        );
    }

    // Podman's order: the primary group when a user was named, then --group-add, then the
    // user's groups from /etc/group when no group was named.
    let mut additional = Vec::new();
    if !user.is_empty() {
        additional.push(gid);
    }
    for entry in group_add {
        if entry == "keep-groups" {
            return Err(SecurityError::KeepGroupsUnsupported);
        }
        additional.push(lookup_group(entry, group)?);
    }
    if !user.contains(':') {
        additional.extend(supplementary);
    }
    let mut seen = Vec::with_capacity(additional.len());
    additional.retain(|g| {
        let new = !seen.contains(g);
        seen.push(*g);
        new
    });

    Ok(ResolvedUser {
        uid,
        gid,
        additional_gids: additional,
        home,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\n\
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n\
        www-data:x:33:33:www-data:/var/www:/bin/sh\n\
        \n\
        broken:x:notanumber:5:b:/b:/bin/sh\n\
        app:x:1000:1000::/home/app:/bin/sh\n\
        nohome:x:1001:1001:::/bin/sh\n";
    const GROUP: &str = "root:x:0:\n\
        daemon:x:1:\n\
        www-data:x:33:\n\
        wheel:x:10:root,app\n\
        audio:x:29:app\n\
        app:x:1000:\n\
        staff:x:50:\n";

    fn resolve_ok(user: &str, add: &[&str]) -> ResolvedUser {
        let add: Vec<String> = add.iter().map(|s| s.to_string()).collect();
        resolve(user, &add, Some(PASSWD), Some(GROUP)).unwrap()
    }

    type Ids<'a> = (u32, u32, Vec<u32>, Option<&'a str>);

    fn ids(r: &ResolvedUser) -> Ids<'_> {
        (r.uid, r.gid, r.additional_gids.clone(), r.home.as_deref())
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str], Ids)] = &[
            // Default user: root from passwd, its groups from /etc/group, no primary gid added.
            ("", &[], (0, 0, vec![10], Some("/root"))),
            ("root", &[], (0, 0, vec![0, 10], Some("/root"))),
            ("0", &[], (0, 0, vec![0, 10], Some("/root"))),
            (
                "app",
                &[],
                (1000, 1000, vec![1000, 10, 29], Some("/home/app")),
            ),
            (
                "1000",
                &[],
                (1000, 1000, vec![1000, 10, 29], Some("/home/app")),
            ),
            // A group named: it becomes the primary gid, /etc/group membership is not used.
            ("app:staff", &[], (1000, 50, vec![50], Some("/home/app"))),
            ("app:50", &[], (1000, 50, vec![50], Some("/home/app"))),
            (
                "1000:1000",
                &[],
                (1000, 1000, vec![1000], Some("/home/app")),
            ),
            // Numbers need no entry; runc's default gid is 0.
            ("4242", &[], (4242, 0, vec![0], None)),
            ("4242:4343", &[], (4242, 4343, vec![4343], None)),
            (
                "www-data",
                &["staff", "7"],
                (33, 33, vec![33, 50, 7], Some("/var/www")),
            ),
            ("nohome", &[], (1001, 1001, vec![1001], None)),
            (
                "app",
                &["wheel"],
                (1000, 1000, vec![1000, 10, 29], Some("/home/app")),
            ),
        ];
        for (user, add, want) in cases {
            let got = resolve_ok(user, add);
            assert_eq!(ids(&got), want.clone(), "user {user:?} group-add {add:?}");
        }
    }

    #[test]
    fn unknown_names_are_errors_like_podman() {
        let err = resolve("nobody-here", &[], Some(PASSWD), Some(GROUP)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unable to find user nobody-here: no matching entries in passwd file"
        );
        let err = resolve("app:nogroup", &[], Some(PASSWD), Some(GROUP)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unable to find group nogroup: no matching entries in group file"
        );
        let add = vec!["video".to_string()];
        let err = resolve("", &add, Some(PASSWD), Some(GROUP)).unwrap_err();
        assert!(
            err.to_string().contains("unable to find group video"),
            "{err}"
        );
        // A broken passwd line is not an entry.
        assert!(resolve("broken", &[], Some(PASSWD), Some(GROUP)).is_err());
    }

    #[test]
    fn missing_files() {
        let r = resolve("", &[], None, None).unwrap();
        assert_eq!(ids(&r), (0, 0, vec![], None));
        let r = resolve("1000:1000", &[], None, None).unwrap();
        assert_eq!(ids(&r), (1000, 1000, vec![1000], None));
        let add = vec!["5".to_string()];
        let r = resolve("1000", &add, None, None).unwrap();
        assert_eq!(ids(&r), (1000, 0, vec![0, 5], None));
        let err = resolve("app", &[], None, Some(GROUP)).unwrap_err();
        assert!(err.to_string().contains("passwd file"), "{err}");
        let err = resolve("1000:app", &[], Some(PASSWD), None).unwrap_err();
        assert!(err.to_string().contains("group file"), "{err}");
    }

    #[test]
    fn out_of_range_and_special_values() {
        assert!(resolve("2147483648", &[], None, None).is_err());
        assert!(resolve("-1", &[], None, None).is_err());
        assert!(resolve("0:99999999999", &[], None, None).is_err());
        assert_eq!(
            resolve("2147483647", &[], None, None).unwrap().uid,
            i32::MAX as u32
        );
        let add = vec!["keep-groups".to_string()];
        assert!(resolve("", &add, None, None).is_err());
    }
}
