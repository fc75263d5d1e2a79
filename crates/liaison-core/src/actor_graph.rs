//! The actors' link graph: actors as nodes; their recorded relations, the incidents that name
//! them together and shared UCDP ids as edges; a neighbourhood found by breadth-first search;
//! exports to Cytoscape.js JSON, GraphML and an indented text tree.
//!
//! Pure: the caller reads the actors and the incident → actor ids from the store and passes the
//! co-occurrence counts in ([`co_occurrences`] makes them). Every ordering is by id, so the same
//! records give the same bytes on every node. Not a matcher of names (`liaison-names`): ids are
//! compared exactly.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use time::Date;

use crate::actor::{Actor, ActorKind, RelationKind};
use crate::ids::{ActorId, CountryCode};
use crate::source::{Credibility, Reliability};

/// The deepest neighbourhood asked for: at depth 4 a well-connected actor already reaches most
/// of a regional list, and deeper answers are unreadable.
pub const MAX_DEPTH: u32 = 4;

/// At most this many nodes in one neighbourhood; the search stops adding nodes beyond it.
pub const MAX_NODES: usize = 2_000;

/// What an edge says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// A relation recorded on the source actor, pointing at the target.
    Relation(RelationKind),
    /// Both actors are named in the same incidents (`weight` of them); undirected.
    CoOccurs,
    /// Two records carry the same UCDP actor id (a scenario record and the imported list's);
    /// undirected.
    SameUcdpId,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Relation(k) => k.as_str(),
            EdgeKind::CoOccurs => "co_occurs",
            EdgeKind::SameUcdpId => "same_ucdp_id",
        }
    }

    /// Whether the edge reads from source to target (relations) or both ways.
    pub fn directed(self) -> bool {
        matches!(self, EdgeKind::Relation(_))
    }
}

/// Two actors named together in `weight` incidents; `a < b`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoOccurrence {
    pub a: ActorId,
    pub b: ActorId,
    pub weight: u64,
}

/// Counts, for each pair of actor ids, the incidents naming both. Each item is the actor ids of
/// one incident; an id named twice in one incident counts once.
pub fn co_occurrences<I>(incidents: I) -> Vec<CoOccurrence>
where
    I: IntoIterator<Item = Vec<ActorId>>,
{
    let mut counts: BTreeMap<(ActorId, ActorId), u64> = BTreeMap::new();
    for mut ids in incidents {
        ids.sort();
        ids.dedup();
        for (i, a) in ids.iter().enumerate() {
            for b in ids.iter().skip(i + 1) {
                *counts.entry((a.clone(), b.clone())).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .map(|((a, b), weight)| CoOccurrence { a, b, weight })
        .collect()
}

/// A node: a stored actor, or one only named by another's relation (`known` false).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: ActorId,
    pub name: String,
    pub kind: Option<ActorKind>,
    pub country: Option<CountryCode>,
    pub known: bool,
    /// Hops from the root in a neighbourhood (0 for the root; 0 in a whole graph).
    pub depth: u32,
    /// The edge (index into the edges) by which the search first reached the node.
    pub via: Option<usize>,
}

/// An edge between two nodes, with what its source says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub source: ActorId,
    pub target: ActorId,
    pub kind: EdgeKind,
    pub from: Option<Date>,
    pub until: Option<Date>,
    /// Where the relation comes from (the `source` of the relation).
    pub reference: Option<String>,
    pub reliability: Option<Reliability>,
    pub credibility: Option<Credibility>,
    /// Incidents naming both, for `CoOccurs`; 1 otherwise.
    pub weight: u64,
}

/// Which edges a neighbourhood follows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only these relation kinds (all when `None`).
    pub kinds: Option<BTreeSet<RelationKind>>,
    /// Leave co-occurrence edges out.
    pub no_co_occurrence: bool,
    /// Co-occurrence edges of fewer incidents are left out.
    pub min_weight: u64,
    /// Only relations in force on this day (a relation without a span always is).
    pub at: Option<Date>,
}

impl Filter {
    fn admits(&self, e: &Edge) -> bool {
        match e.kind {
            EdgeKind::Relation(k) => {
                self.kinds.as_ref().is_none_or(|ks| ks.contains(&k))
                    && self.at.is_none_or(|d| {
                        e.from.is_none_or(|f| f <= d) && e.until.is_none_or(|u| d <= u)
                    })
            }
            EdgeKind::CoOccurs => !self.no_co_occurrence && e.weight >= self.min_weight,
            EdgeKind::SameUcdpId => true,
        }
    }
}

/// Why a neighbourhood cannot be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    #[error("no actor has the id '{0}'")]
    UnknownActor(ActorId),
    #[error("depth {0} is more than {MAX_DEPTH}")]
    TooDeep(u32),
}

/// The whole graph, or a neighbourhood of it. Nodes are sorted by (depth, id), edges by
/// (source, target, kind).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorGraph {
    pub root: Option<ActorId>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

impl ActorGraph {
    /// The graph of `actors`, their relations, shared UCDP ids and `co` (pairs naming an id
    /// with no stored actor add a node with the id as its name).
    pub fn new(actors: &[Actor], co: &[CoOccurrence]) -> Self {
        let mut nodes: BTreeMap<ActorId, Node> = actors
            .iter()
            .map(|a| (a.id.clone(), node(&a.id, &a.name, Some(a), true)))
            .collect();
        let mut edges = Vec::new();
        let mut by_ucdp: BTreeMap<u32, Vec<&ActorId>> = BTreeMap::new();
        for a in actors {
            if let Some(u) = a.ucdp_id {
                by_ucdp.entry(u).or_default().push(&a.id);
            }
            for r in &a.relations {
                let name = r.name.as_deref().unwrap_or(r.actor.as_str());
                nodes
                    .entry(r.actor.clone())
                    .or_insert_with(|| node(&r.actor, name, None, false));
                edges.push(Edge {
                    source: a.id.clone(),
                    target: r.actor.clone(),
                    kind: EdgeKind::Relation(r.kind),
                    from: r.from,
                    until: r.until,
                    reference: r.source.clone(),
                    reliability: r.reliability,
                    credibility: r.credibility,
                    weight: 1,
                });
            }
        }
        for ids in by_ucdp.values_mut() {
            ids.sort();
            for (i, a) in ids.iter().enumerate() {
                for b in ids.iter().skip(i + 1) {
                    edges.push(plain(a, b, EdgeKind::SameUcdpId, 1));
                }
            }
        }
        for c in co {
            for id in [&c.a, &c.b] {
                nodes
                    .entry(id.clone())
                    .or_insert_with(|| node(id, id.as_str(), None, false));
            }
            edges.push(plain(&c.a, &c.b, EdgeKind::CoOccurs, c.weight));
        }
        edges.sort_by(|x, y| {
            (&x.source, &x.target, x.kind, x.from).cmp(&(&y.source, &y.target, y.kind, y.from))
        });
        edges.dedup();
        Self {
            root: None,
            nodes: nodes.into_values().collect(),
            edges,
        }
    }

    /// The actors within `depth` hops of `root`, following admitted edges both ways, and the
    /// admitted edges between them.
    pub fn neighbourhood(
        &self,
        root: &ActorId,
        depth: u32,
        filter: &Filter,
    ) -> Result<ActorGraph, GraphError> {
        if depth > MAX_DEPTH {
            return Err(GraphError::TooDeep(depth));
        }
        let by_id: BTreeMap<&ActorId, &Node> = self.nodes.iter().map(|n| (&n.id, n)).collect();
        if !by_id.get(root).is_some_and(|n| n.known) {
            return Err(GraphError::UnknownActor(root.clone()));
        }
        // Edges are sorted, so each adjacency list is in a fixed order.
        let mut adjacent: BTreeMap<&ActorId, Vec<(usize, &ActorId)>> = BTreeMap::new();
        for (i, e) in self
            .edges
            .iter()
            .enumerate()
            .filter(|(_, e)| filter.admits(e))
        {
            adjacent.entry(&e.source).or_default().push((i, &e.target));
            adjacent.entry(&e.target).or_default().push((i, &e.source));
        }
        let mut reached: BTreeMap<&ActorId, (u32, Option<usize>)> = BTreeMap::new();
        reached.insert(root, (0, None));
        let mut queue = VecDeque::from([(root, 0_u32)]);
        while let Some((id, d)) = queue.pop_front() {
            if d == depth {
                continue;
            }
            for (edge, other) in adjacent.get(id).into_iter().flatten() {
                if reached.len() >= MAX_NODES {
                    break;
                }
                if !reached.contains_key(other) {
                    reached.insert(other, (d + 1, Some(*edge)));
                    queue.push_back((other, d + 1));
                }
            }
        }
        let edges: Vec<(usize, Edge)> = self
            .edges
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                filter.admits(e)
                    && reached.contains_key(&e.source)
                    && reached.contains_key(&e.target)
            })
            .map(|(i, e)| (i, e.clone()))
            .collect();
        let renumber: BTreeMap<usize, usize> = edges
            .iter()
            .enumerate()
            .map(|(new, (old, _))| (*old, new))
            .collect();
        let mut nodes: Vec<Node> = reached
            .iter()
            .filter_map(|(id, (d, via))| {
                let mut n = (*by_id.get(id)?).clone();
                n.depth = *d;
                n.via = via.and_then(|v| renumber.get(&v).copied());
                Some(n)
            })
            .collect();
        nodes.sort_by(|a, b| (a.depth, &a.id).cmp(&(b.depth, &b.id)));
        Ok(ActorGraph {
            root: Some(root.clone()),
            nodes,
            edges: edges.into_iter().map(|(_, e)| e).collect(),
        })
    }

    /// The node with `id`, if present.
    pub fn node(&self, id: &ActorId) -> Option<&Node> {
        self.nodes.iter().find(|n| &n.id == id)
    }
}

fn node(id: &ActorId, name: &str, a: Option<&Actor>, known: bool) -> Node {
    Node {
        id: id.clone(),
        name: name.to_owned(),
        kind: a.map(|a| a.kind),
        country: a.and_then(|a| a.country.clone()),
        known,
        depth: 0,
        via: None,
    }
}

fn plain(a: &ActorId, b: &ActorId, kind: EdgeKind, weight: u64) -> Edge {
    Edge {
        source: a.clone(),
        target: b.clone(),
        kind,
        from: None,
        until: None,
        reference: None,
        reliability: None,
        credibility: None,
        weight,
    }
}

#[path = "actor_graph_export.rs"]
mod export;
pub use export::{Cytoscape, EdgeData, Element, Elements, NodeData, xml};

#[cfg(test)]
#[path = "actor_graph_tests.rs"]
mod tests;
