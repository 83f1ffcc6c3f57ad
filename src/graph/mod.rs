//! The entity graph: co-occurrence counts turned into a weighted, pruned `petgraph` graph
//! with analytics (degree, weighted degree, PageRank, connected components).
//!
//! Everything here is deterministic: nodes are ordered by mentions (descending) then id,
//! edges by their endpoints' node order, and floating-point sums run in that order.

//! Split by idea: `build` weights edges and builds the graph, `prune` keeps the strongest
//! edges and the largest component, `analyse` fills in every node's analytics, and [`algo`]
//! holds the algorithms themselves, generic over petgraph's visit traits.

pub mod algo;
mod analyse;
mod build;
mod prune;

use std::collections::BTreeMap;

use petgraph::graph::UnGraph;
use serde::{Deserialize, Serialize};

use crate::gazetteer::EntityId;

pub use algo::betweenness::{BETWEENNESS_PIVOTS, EXACT_BETWEENNESS_NODES};
pub use analyse::analyse;
pub use build::{Weighting, build};

/// Pruning applied while building; every field is reported in the graph's metadata.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Filters {
    /// Drop edges seen in fewer windows.
    pub min_count: u64,
    /// Drop edges whose weight is lower.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_weight: Option<f64>,
    /// Drop nodes with fewer mentions.
    pub min_mentions: u64,
    /// Keep only nodes of these types (all if empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<String>,
    /// Keep, for each node, only its K strongest edges (an edge survives if it is among the
    /// K strongest of either endpoint).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_edges: Option<usize>,
    /// Keep only the N most mentioned nodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_nodes: Option<usize>,
    /// Keep only the largest connected component.
    pub largest_component: bool,
}

/// An entity in the graph.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub entity: EntityId,
    pub id: String,
    pub label: String,
    pub kind: String,
    /// `Some(cue)` for a provisional entity found by discovery (id `new:…`), with the cue that
    /// typed it (`title:analyst`); `None` for a gazetteer entity.
    pub provisional: Option<String>,
    pub mentions: u64,
    pub documents: u64,
    pub windows: u64,
    /// Surface forms seen, with counts.
    pub aliases: BTreeMap<String, u64>,
    /// Gazetteer attributes.
    pub attributes: BTreeMap<String, String>,
    pub degree: usize,
    pub weighted_degree: f64,
    pub pagerank: f64,
    /// Connected component, numbered from 0 by decreasing size.
    pub component: usize,
    /// Normalized betweenness centrality, on the unweighted graph: the share of shortest
    /// paths between other nodes that pass through this one (brokers score high).
    pub betweenness: f64,
}

/// Where a pair was seen together: the window (byte range `start..end` of document `doc`),
/// its text (cut to [`crate::cooccur::EVIDENCE_TEXT_MAX`] bytes) and where the two entities
/// are mentioned in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdgeEvidence {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Absent from a graph.json written before spans existed: read as empty.
    #[serde(default)]
    pub spans: EvidenceSpans,
}

/// The mentions of an edge's two entities in one evidence window: byte ranges `(start, end)`
/// in the document (like [`EdgeEvidence::start`]), in text order, each lying wholly inside
/// the evidence `text` (a mention past the cut is left out), so
/// `text[start - ev.start..end - ev.start]` is its surface form. Written as
/// `{"source": [[start, end], …], "target": [[start, end], …]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceSpans {
    /// Mentions of the edge's source entity.
    pub source: Vec<(usize, usize)>,
    /// Mentions of the edge's target entity.
    pub target: Vec<(usize, usize)>,
}

/// A co-occurrence link.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub count: u64,
    pub documents: u64,
    pub weight: f64,
    pub evidence: Vec<EdgeEvidence>,
}

/// What the graph was built from and how.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct GraphMeta {
    pub generator: String,
    pub version: String,
    pub window: String,
    pub weight: String,
    pub documents: u64,
    pub bytes: u64,
    pub windows: u64,
    pub mentions: u64,
    pub filters: Filters,
    /// Nodes and edges before pruning.
    pub entities_seen: usize,
    pub pairs_seen: usize,
    /// Set when the graph has more than [`EXACT_BETWEENNESS_NODES`] nodes: betweenness was
    /// estimated from this many source nodes (Brandes–Pich sampling) instead of all of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub betweenness_pivots: Option<usize>,
}

/// An undirected weighted entity graph.
#[derive(Clone, Debug)]
pub struct EntityGraph {
    pub graph: UnGraph<Node, Edge>,
    pub meta: GraphMeta,
}

/// Weighted PageRank of an entity graph by power iteration, O(E) per iteration, on the edges'
/// [`Edge::weight`]. Negative weights (PMI, NPMI) count as 0; a node without positive edges
/// spreads its rank evenly over all nodes. Ranks sum to 1. See [`algo::pagerank`].
pub fn pagerank(
    graph: &UnGraph<Node, Edge>,
    damping: f64,
    max_iterations: usize,
    tolerance: f64,
) -> Vec<f64> {
    algo::pagerank(
        graph,
        |e| e.weight().weight,
        damping,
        max_iterations,
        tolerance,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A node with id, label and kind `id`, seen once.
    pub(super) fn node(id: &str) -> Node {
        Node {
            entity: EntityId(0),
            id: id.into(),
            label: id.into(),
            kind: "X".into(),
            provisional: None,
            mentions: 1,
            documents: 1,
            windows: 1,
            aliases: BTreeMap::new(),
            attributes: BTreeMap::new(),
            degree: 0,
            weighted_degree: 0.0,
            pagerank: 0.0,
            component: 0,
            betweenness: 0.0,
        }
    }

    /// An edge seen once, of weight `weight`.
    pub(super) fn edge(weight: f64) -> Edge {
        Edge {
            count: 1,
            documents: 1,
            weight,
            evidence: Vec::new(),
        }
    }
}
