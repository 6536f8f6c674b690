//! Parsing of /etc/subuid and /etc/subgid (`name-or-uid:start:count` per line).

/// One subordinate id range: `count` ids starting at `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SubRange {
    pub start: u32,
    pub count: u32,
}

/// The ranges that belong to `user` (by name) or `uid` (by number), in file order.
///
/// Malformed lines are skipped rather than fatal: the file is shared with other tools
/// (shadow's own parser skips them too), and one bad line must not lock a user out.
pub(crate) fn ranges_for(content: &str, user: Option<&str>, uid: u32) -> Vec<SubRange> {
    content
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let mut fields = line.split(':');
            let owner = fields.next()?;
            let start: u64 = fields.next()?.trim().parse().ok()?;
            let count: u64 = fields.next()?.trim().parse().ok()?;
            if fields.next().is_some() {
                return None;
            }
            let matches = Some(owner) == user || owner.parse::<u32>().ok() == Some(uid);
            let fits = count > 0 && start + count <= u64::from(u32::MAX) + 1;
            if !matches || !fits {
                return None;
            }
            Some(SubRange {
                start: u32::try_from(start).ok()?,
                count: u32::try_from(count).ok()?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_ranges_by_name_and_uid() {
        let content = "\
# comment
alice:100000:65536
bob:165536:65536

1000:300000:1000
alice:400000:10
broken line
alice:x:10
alice:500000:0
alice:1:2:3
";
        let r = ranges_for(content, Some("alice"), 1000);
        assert_eq!(
            r,
            vec![
                SubRange {
                    start: 100000,
                    count: 65536
                },
                SubRange {
                    start: 300000,
                    count: 1000
                },
                SubRange {
                    start: 400000,
                    count: 10
                },
            ]
        );
        assert!(ranges_for(content, Some("carol"), 1001).is_empty());
        assert_eq!(ranges_for(content, None, 1000).len(), 1);
    }

    #[test]
    fn rejects_ranges_past_the_id_space() {
        assert!(ranges_for("u:4294967295:2\n", Some("u"), 1).is_empty());
        assert_eq!(ranges_for("u:4294967295:1\n", Some("u"), 1).len(), 1);
    }
}
