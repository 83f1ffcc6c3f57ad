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
use std::sync::Arc;

use petgraph::graph::UnGraph;
use serde::{Deserialize, Serialize};

use crate::attribute::AttrValue;
use crate::date::{Date, DateSpan, Period, PeriodKey};
use crate::gazetteer::EntityId;

pub use algo::betweenness::{BETWEENNESS_PIVOTS, EXACT_BETWEENNESS_WORK, exact_betweenness};
pub use analyse::{Analysis, analyse};
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
    /// Drop provisional (discovered, `new:`) entities with fewer mentions in the corpus; gazetteer
    /// entities are kept whatever this says. Recorded only when the counts hold provisional
    /// entities: on counts without any, [`build`] stores `None`, so the graph of a run without
    /// discovery is the same with or without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_provisional: Option<u64>,
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
    /// The entity, as numbered by the counts the graph was built from (a provisional entity's id
    /// is only meaningful with those counts; see [`crate::entity::EntityView`]).
    pub entity: EntityId,
    /// The entity's id string: the gazetteer id, or `new:<slug>` for a provisional entity.
    pub id: String,
    /// The entity's canonical name.
    pub label: String,
    /// The entity's type label (`PERSON`, `ORG`, `LOC`, …).
    pub kind: String,
    /// `Some(cue)` for a provisional entity found by discovery (id `new:…`), with the cue that
    /// typed it (`title:analyst`); `None` for a gazetteer entity.
    pub provisional: Option<String>,
    /// Mentions of the entity in the corpus.
    pub mentions: u64,
    /// Documents with at least one mention of the entity.
    pub documents: u64,
    /// Windows with at least one mention of the entity.
    pub windows: u64,
    /// Surface forms seen, with counts.
    pub aliases: BTreeMap<String, u64>,
    /// Gazetteer attributes, typed as the gazetteer header declares them
    /// ([`crate::gazetteer::Gazetteer::attribute_types`]; text when undeclared).
    pub attributes: BTreeMap<String, AttrValue>,
    /// Number of edges of the node in the pruned graph.
    pub degree: usize,
    /// Sum of the [`Edge::weight`]s of the node's edges, in edge order.
    pub weighted_degree: f64,
    /// Weighted PageRank (damping 0.85; see [`pagerank`]); ranks of all nodes sum to 1.
    pub pagerank: f64,
    /// Connected component, numbered from 0 by decreasing size.
    pub component: usize,
    /// Community (Leiden, weighted; see [`algo::communities()`]), numbered from 0 by
    /// decreasing size, ties by lowest node index.
    pub community: usize,
    /// Normalized betweenness centrality, on the unweighted graph: the share of shortest
    /// paths between other nodes that pass through this one (brokers score high).
    pub betweenness: f64,
    /// `first`, `last`: dates of the first and last dated documents mentioning the entity;
    /// `periods`: its windows per period ([`GraphMeta::time`]'s `period`), over dated
    /// documents. Empty when no dated document mentions it.
    pub time: DateSpan,
}

/// Where a pair was seen together: the window (byte range `start..end` of document `doc`),
/// its text (cut to [`crate::cooccur::EVIDENCE_TEXT_MAX`] bytes) and where the two entities
/// are mentioned in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdgeEvidence {
    /// Id of the document, as in the input.
    pub doc: String,
    /// Byte offset of the window's start in the document, on a char boundary.
    pub start: usize,
    /// Byte offset of the window's end (exclusive) in the document; may lie past `text`.
    pub end: usize,
    /// The window's text, at most [`crate::cooccur::EVIDENCE_TEXT_MAX`] bytes, cut on a char
    /// boundary. Shared with the counts' evidence (and between the pairs of one window), not
    /// copied per edge.
    pub text: Arc<str>,
    /// Absent from a graph.json written before spans existed: read as empty.
    #[serde(default)]
    pub spans: EvidenceSpans,
    /// The document's title (its JSONL `title`), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The document's date ([`crate::input::Document::date`]), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
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
    /// Windows in which both entities appear.
    pub count: u64,
    /// Documents in which both appear in one window.
    pub documents: u64,
    /// The edge's weight, computed from the counts by the [`Weighting`] the graph was built with
    /// (named in [`GraphMeta::weight`]); negative for PMI and NPMI when the pair is rarer than
    /// chance.
    pub weight: f64,
    /// The first evidence windows (at most the evidence limit), in input order.
    pub evidence: Vec<EdgeEvidence>,
    /// `first`, `last`: dates of the first and last dated documents in which the pair
    /// shares a window; `periods`: its windows per period (summing to `count` over dated
    /// documents). Empty when only undated documents hold the pair.
    pub time: DateSpan,
}

/// What the graph was built from and how.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct GraphMeta {
    /// Always `entgraph`.
    pub generator: String,
    /// The version of entgraph that built the graph (`CARGO_PKG_VERSION`).
    pub version: String,
    /// The window kind, as written on the command line (`sentence`, `paragraph`, `document`,
    /// `tokens:N`).
    pub window: String,
    /// The edge weighting, as written on the command line (`count`, `pmi`, `npmi`, …).
    pub weight: String,
    /// Documents counted.
    pub documents: u64,
    /// Total bytes of text counted.
    pub bytes: u64,
    /// Windows in the corpus, with or without mentions.
    pub windows: u64,
    /// Mentions counted.
    pub mentions: u64,
    /// The filters applied while building.
    pub filters: Filters,
    /// Nodes and edges before pruning.
    pub entities_seen: usize,
    /// Distinct pairs of entities seen together in a window, before pruning.
    pub pairs_seen: usize,
    /// Windows whose pairs were not counted because they held more distinct entities than
    /// `max_window_entities`; absent (`None`) when there were none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capped_windows: Option<u64>,
    /// With `capped_windows`: the most distinct entities a window may hold for its pairs to
    /// be counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_window_entities: Option<usize>,
    /// Weighted modularity of the nodes' communities ([`Node::community`]); 0 for a graph
    /// without positive edge weight. Read as 0 from a graph.json written before communities.
    #[serde(default)]
    pub modularity: f64,
    /// Set when the graph's nodes × edges exceed [`EXACT_BETWEENNESS_WORK`] (see
    /// [`exact_betweenness`]): betweenness was estimated from this many source nodes (Brandes–Pich sampling) instead of all of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub betweenness_pivots: Option<usize>,
    /// The corpus's dates; `None` (and absent from the JSON, so an undated corpus's graph is
    /// what it was before dates existed) when no document counted has a date and no date
    /// range was asked for.
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeMeta>,
}

/// The dates of a corpus, in [`GraphMeta`] (its keys sit directly in the metadata object).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct TimeMeta {
    /// Documents counted that have a date.
    pub dated_documents: u64,
    /// Documents counted without one (none, or one that did not parse).
    pub undated_documents: u64,
    /// Only with `since` or `until`: documents left out by the range, undated ones included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded_documents: Option<u64>,
    /// The earliest date of a counted document (absent if none is dated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<Date>,
    /// The latest date of a counted document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Date>,
    /// How the nodes' and links' `periods` are cut.
    pub period: Period,
    /// Dated documents counted per period (label → documents, chronological): what the
    /// nodes' and links' `periods` can be set against. Absent when none is dated.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub documents_by_period: BTreeMap<PeriodKey, u64>,
    /// `--since`: the first day counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Date>,
    /// `--until`: the last day counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

/// An undirected weighted entity graph.
#[derive(Clone, Debug)]
pub struct EntityGraph {
    /// The graph: nodes ordered by mentions (descending) then id, each edge's source the earlier
    /// of its two nodes.
    pub graph: UnGraph<Node, Edge>,
    /// How the graph was made.
    pub meta: GraphMeta,
}

/// Weighted PageRank of an entity graph by power iteration, O(E) per iteration, on the edges'
/// [`Edge::weight`]. Negative weights (PMI, NPMI) count as 0; a node without positive edges
/// spreads its rank evenly over all nodes. Ranks sum to 1. See [`algo::pagerank()`].
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
            community: 0,
            betweenness: 0.0,
            time: DateSpan::default(),
        }
    }

    /// An edge seen once, of weight `weight`.
    pub(super) fn edge(weight: f64) -> Edge {
        Edge {
            count: 1,
            documents: 1,
            weight,
            evidence: Vec::new(),
            time: DateSpan::default(),
        }
    }
}
