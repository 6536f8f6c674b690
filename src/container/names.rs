//! Ids and generated names for containers.

const ADJECTIVES: &[&str] = &[
    "admiring", "bold", "brave", "calm", "clever", "eager", "elastic", "focused", "gallant",
    "happy", "hopeful", "jolly", "keen", "kind", "lucid", "modest", "nifty", "quirky", "serene",
    "sharp", "stoic", "tender", "upbeat", "vibrant", "wizardly", "zealous",
];
const NOUNS: &[&str] = &[
    "babbage", "bell", "curie", "darwin", "einstein", "euler", "faraday", "feynman", "galileo",
    "hopper", "hypatia", "kepler", "lovelace", "meitner", "newton", "noether", "pascal", "ritchie",
    "shannon", "tesla", "thompson", "torvalds", "turing", "wozniak",
];

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    // getrandom only fails without any entropy source; a time-based fallback keeps ids unique
    // enough for one user's containers.
    if getrandom::getrandom(&mut b).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        for (i, byte) in b.iter_mut().enumerate() {
            *byte = (t >> ((i % 16) * 8)) as u8 ^ std::process::id() as u8;
        }
    }
    b
}

/// 64 hex digits, as Podman's container ids.
pub fn new_id() -> String {
    hex::encode(random_bytes::<32>())
}

/// `adjective_noun`, as Podman names containers.
pub fn new_name() -> String {
    let b = random_bytes::<2>();
    format!(
        "{}_{}",
        ADJECTIVES[b[0] as usize % ADJECTIVES.len()],
        NOUNS[b[1] as usize % NOUNS.len()]
    )
}

/// Podman's rule for `--name`: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names() {
        assert_eq!(new_id().len(), 64);
        assert!(valid_name(&new_name()));
        assert!(!valid_name("-x"));
        assert!(!valid_name("a b"));
        assert!(valid_name("web.1_a-b"));
    }
}
