//! Shared shaping of the actor network: nodes are exactly the actors the kept edges touch, so a
//! truncated edge list never leaves orphan nodes for the dashboard to place.

use crate::model::{Edge, Network, Node};
use std::collections::BTreeMap;

pub fn with_nodes(edges: Vec<Edge>, name_of: impl Fn(&str) -> String) -> Network {
    let mut weight: BTreeMap<&str, u64> = BTreeMap::new();
    for e in &edges {
        *weight.entry(&e.source).or_default() += e.count;
        *weight.entry(&e.target).or_default() += e.count;
    }
    let nodes = weight
        .into_iter()
        .map(|(id, count)| Node {
            id: id.to_string(),
            name: name_of(id),
            count,
        })
        .collect();
    Network { nodes, edges }
}
