//! Containers that need other containers (`--volumes-from`, `--network container:`), and
//! the order in which `rm --depend` removes them.

use super::{parse_config, ContainerError, Result};
use crate::network::Mode;
use crate::store::{ContainerRecord, Store};
use std::collections::{HashMap, HashSet};

/// Who needs whom among all containers, read once so that removing many containers stays
/// linear in their number.
pub struct Graph {
    records: Vec<ContainerRecord>,
    /// For each container, the containers that need it.
    needed_by: Vec<Vec<usize>>,
    by_id: HashMap<String, usize>,
}

impl Graph {
    pub fn load(store: &Store) -> Result<Graph> {
        let records = store.containers()?;
        let by_id: HashMap<String, usize> = records
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let by_name: HashMap<&str, usize> = records
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.as_str(), i))
            .collect();
        let mut needed_by = vec![Vec::new(); records.len()];
        for (i, c) in records.iter().enumerate() {
            let Ok(cfg) = parse_config(c) else { continue };
            let mut needs: Vec<usize> = cfg
                .depends_on
                .iter()
                .filter_map(|id| by_id.get(id).copied())
                .collect();
            // Configurations from before dependencies were recorded still name a network
            // container.
            if let Some(Mode::Container(n)) = &cfg.net.mode {
                needs.extend(by_id.get(n).or_else(|| by_name.get(n.as_str())).copied());
            }
            needs.sort_unstable();
            needs.dedup();
            for n in needs.into_iter().filter(|&n| n != i) {
                needed_by[n].push(i);
            }
        }
        Ok(Graph {
            records,
            needed_by,
            by_id,
        })
    }

    /// The containers that need `id` directly, leaving out those in `gone`.
    pub fn dependents(&self, id: &str, gone: &HashSet<String>) -> Vec<&ContainerRecord> {
        self.by_id.get(id).map_or_else(Vec::new, |&i| {
            self.needed_by[i]
                .iter()
                .map(|&d| &self.records[d])
                .filter(|d| !gone.contains(&d.id))
                .collect()
        })
    }

    /// `id` and everything that needs it, directly or not, each after all that need it.
    pub fn removal_order(&self, id: &str, gone: &HashSet<String>) -> Vec<&ContainerRecord> {
        let mut order = Vec::new();
        let mut seen = HashSet::new();
        if let Some(&i) = self.by_id.get(id) {
            self.visit(i, gone, &mut seen, &mut order);
        }
        order
    }

    fn visit<'a>(
        &'a self,
        i: usize,
        gone: &HashSet<String>,
        seen: &mut HashSet<usize>,
        order: &mut Vec<&'a ContainerRecord>,
    ) {
        if !seen.insert(i) || gone.contains(&self.records[i].id) {
            return;
        }
        for &d in &self.needed_by[i] {
            self.visit(d, gone, seen, order);
        }
        order.push(&self.records[i]);
    }
}

/// Podman's refusal to remove a container others need.
pub fn needed_error(record: &ContainerRecord, dependents: &[&ContainerRecord]) -> ContainerError {
    let ids: Vec<&str> = dependents.iter().map(|d| d.id.as_str()).collect();
    ContainerError::Invalid(format!(
        "container {} has dependent containers which must be removed before it: {}: container \
         already exists (remove them first, or all together with --depend)",
        record.id,
        ids.join(", ")
    ))
}
