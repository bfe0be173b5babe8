//! Shaping of the actor network: which edges a reader sees (self-loops and country-less
//! generic agents only on request), node names from the KB, and nodes that are exactly the
//! actors the kept edges touch, so a truncated edge list never leaves orphan nodes to place.

use crate::error::{ApiError, ApiResult};
use crate::model::{Edge, Network, Node};
use crate::params::Params;
use sitrep_core::Kb;
use sitrep_store::NodeLevel;
use std::collections::{BTreeMap, HashMap};

/// Most edges the store is asked for; shaping drops some, so it asks for more than it keeps.
const MAX_FETCH: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkParams {
    pub level: NodeLevel,
    pub max_edges: usize,
    /// Edges from an actor (or country) to itself: a civil war is real, but as a loop it hides
    /// the relations between parties that the chart is for.
    pub self_loops: bool,
    /// Actors with no country ("CVL", "MIL", an unnamed side): they join unrelated events
    /// into one hub.
    pub generic: bool,
}

impl NetworkParams {
    pub fn take(p: &mut Params) -> ApiResult<NetworkParams> {
        let max_edges = p.take_range("max_edges", "a whole number", 1, MAX_FETCH, 150)?;
        let level = match p.take("level").as_deref() {
            None | Some("country") => NodeLevel::Country,
            Some("actor") => NodeLevel::Actor,
            Some(other) => {
                return Err(ApiError::bad_param(format!(
                    "parameter `level`: `{other}` is not country or actor"
                )))
            }
        };
        let flag = |p: &mut Params, name: &str| {
            p.take_parsed::<bool>(name, "true or false")
                .map(|v| v.unwrap_or(false))
        };
        Ok(NetworkParams {
            level,
            max_edges,
            self_loops: flag(p, "self_loops")?,
            generic: flag(p, "generic")?,
        })
    }

    /// Edges to ask the store for: enough that the kept ones still fill `max_edges`.
    pub fn fetch(&self) -> usize {
        if self.self_loops && self.generic {
            self.max_edges
        } else {
            (self.max_edges * 3 + 50).min(MAX_FETCH)
        }
    }
}

/// The country an actor code starts with, if the KB knows it as one.
fn country_of<'k>(kb: &'k Kb, code: &str) -> Option<&'k sitrep_core::kb::Country> {
    kb.country(code.split_whitespace().next()?)
}

/// Keeps the edges `p` asks for, heaviest first, and names each node: a country by its KB
/// name, an actor by its stored name (`stored`) with its country's name.
pub fn shape(
    edges: Vec<Edge>,
    p: NetworkParams,
    kb: &Kb,
    stored: &HashMap<String, String>,
) -> Network {
    let keep = |code: &str| p.generic || country_of(kb, code).is_some();
    let mut edges: Vec<Edge> = edges
        .into_iter()
        .filter(|e| p.self_loops || e.source != e.target)
        .filter(|e| keep(&e.source) && keep(&e.target))
        .collect();
    edges.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| (&a.source, &a.target).cmp(&(&b.source, &b.target)))
    });
    edges.truncate(p.max_edges);
    with_nodes(edges, |code| node_name(kb, p.level, code, stored))
}

fn node_name(
    kb: &Kb,
    level: NodeLevel,
    code: &str,
    stored: &HashMap<String, String>,
) -> (String, String) {
    let country = country_of(kb, code);
    let country_name = country.map(|c| c.name.clone()).unwrap_or_default();
    let name = match level {
        NodeLevel::Country => country_name.clone(),
        NodeLevel::Actor => stored.get(code).cloned().unwrap_or_default(),
    };
    let name = if name.is_empty() {
        code.to_string()
    } else {
        name
    };
    (name, country.map(|c| c.code.clone()).unwrap_or_default())
}

pub fn with_nodes(edges: Vec<Edge>, name_of: impl Fn(&str) -> (String, String)) -> Network {
    let mut weight: BTreeMap<&str, u64> = BTreeMap::new();
    for e in &edges {
        *weight.entry(&e.source).or_default() += e.count;
        if e.target != e.source {
            *weight.entry(&e.target).or_default() += e.count;
        }
    }
    let nodes = weight
        .into_iter()
        .map(|(id, count)| {
            let (name, country) = name_of(id);
            Node {
                id: id.to_string(),
                name,
                country,
                count,
            }
        })
        .collect();
    Network { nodes, edges }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(s: &str, t: &str, count: u64) -> Edge {
        Edge {
            source: s.into(),
            target: t.into(),
            count,
            goldstein_mean: 0.0,
            conflict: 0,
        }
    }

    fn params(level: NodeLevel) -> NetworkParams {
        NetworkParams {
            level,
            max_edges: 10,
            self_loops: false,
            generic: false,
        }
    }

    #[test]
    fn loops_and_country_less_agents_are_left_out_unless_asked_for() {
        let kb = Kb::embedded();
        let edges = vec![
            edge("SDN MIL", "SDN REB", 5),
            edge("SDN", "SDN", 9),
            edge("CVL", "ISR GOV", 7),
            edge("ISR GOV", "LBN REB", 3),
        ];
        let stored = HashMap::from([("ISR GOV".to_string(), "the Israeli government".to_string())]);
        let net = shape(edges.clone(), params(NodeLevel::Actor), &kb, &stored);
        let kept: Vec<(&str, &str)> = net
            .edges
            .iter()
            .map(|e| (e.source.as_str(), e.target.as_str()))
            .collect();
        assert_eq!(kept, vec![("SDN MIL", "SDN REB"), ("ISR GOV", "LBN REB")]);
        let isr = net.nodes.iter().find(|n| n.id == "ISR GOV").unwrap();
        assert_eq!(
            (isr.name.as_str(), isr.country.as_str()),
            ("the Israeli government", "ISR")
        );

        let all = NetworkParams {
            self_loops: true,
            generic: true,
            ..params(NodeLevel::Actor)
        };
        assert_eq!(shape(edges, all, &kb, &stored).edges.len(), 4);
    }

    #[test]
    fn countries_are_named_from_the_kb() {
        let kb = Kb::embedded();
        let net = shape(
            vec![edge("SAU", "LBN", 2), edge("RUS", "PSE", 1)],
            params(NodeLevel::Country),
            &kb,
            &HashMap::new(),
        );
        let name = |id: &str| net.nodes.iter().find(|n| n.id == id).unwrap().name.clone();
        assert_eq!(name("SAU"), "Saudi Arabia");
        assert_eq!(name("RUS"), "Russia");
        assert!(!name("LBN").is_empty() && !name("PSE").is_empty());
    }
}
