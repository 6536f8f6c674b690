//! Containers that need other containers (`--volumes-from`, `--network container:`), and
//! the order in which `rm --depend` removes them.

use super::{parse_config, Result};
use crate::network::Mode;
use crate::store::{ContainerRecord, Store};
use std::collections::HashSet;

/// Does `c` need `other`? Configurations from before dependencies were recorded still
/// name a network container.
fn needs(c: &ContainerRecord, other: &ContainerRecord) -> bool {
    let Ok(cfg) = parse_config(c) else {
        return false;
    };
    cfg.depends_on.contains(&other.id)
        || matches!(&cfg.net.mode, Some(Mode::Container(n)) if *n == other.id || *n == other.name)
}

/// The containers that need `record` directly.
pub fn dependents(store: &Store, record: &ContainerRecord) -> Result<Vec<ContainerRecord>> {
    Ok(store
        .containers()?
        .into_iter()
        .filter(|c| c.id != record.id && needs(c, record))
        .collect())
}

/// `record` and everything that needs it, directly or not, each after all that need it.
pub fn removal_order(store: &Store, record: &ContainerRecord) -> Result<Vec<ContainerRecord>> {
    let all = store.containers()?;
    let mut order = Vec::new();
    let mut seen = HashSet::new();
    visit(&all, record, &mut seen, &mut order);
    Ok(order)
}

fn visit(
    all: &[ContainerRecord],
    c: &ContainerRecord,
    seen: &mut HashSet<String>,
    order: &mut Vec<ContainerRecord>,
) {
    if !seen.insert(c.id.clone()) {
        return;
    }
    for d in all.iter().filter(|d| d.id != c.id && needs(d, c)) {
        visit(all, d, seen, order);
    }
    order.push(c.clone());
}

/// Podman's refusal to remove a container others need.
pub fn needed_error(
    record: &ContainerRecord,
    dependents: &[ContainerRecord],
) -> super::ContainerError {
    let ids: Vec<&str> = dependents.iter().map(|d| d.id.as_str()).collect();
    super::ContainerError::Invalid(format!(
        "container {} has dependent containers which must be removed before it: {}: container \
         already exists (remove them first, or all together with --depend)",
        record.id,
        ids.join(", ")
    ))
}
