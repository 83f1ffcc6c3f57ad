//! The entity graph: co-occurrence counts turned into a weighted, pruned `petgraph` graph
//! with analytics (degree, weighted degree, PageRank, connected components).
//!
//! Everything here is deterministic: nodes are ordered by mentions (descending) then id,
//! edges by their endpoints' node order, and floating-point sums run in that order.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::cooccur::CooccurrenceCounts;
use crate::entity::EntityView;
use crate::gazetteer::{EntityId, Gazetteer};

/// How edge weights are computed from counts. Probabilities are over windows:
/// p(a) = windows with a / all windows, p(ab) = windows with both / all windows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Weighting {
    /// Windows in which both appear.
    #[default]
    Count,
    /// Documents in which both appear in one window.
    Documents,
    /// log2(p(ab) / (p(a) p(b))).
    Pmi,
    /// PMI / −log2 p(ab), in [−1, 1]; 1 when p(ab) = 1.
    Npmi,
    /// 2 c(ab) / (c(a) + c(b)).
    Dice,
    /// c(ab) / (c(a) + c(b) − c(ab)).
    Jaccard,
}

impl FromStr for Weighting {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "count" => Weighting::Count,
            "documents" => Weighting::Documents,
            "pmi" => Weighting::Pmi,
            "npmi" => Weighting::Npmi,
            "dice" => Weighting::Dice,
            "jaccard" => Weighting::Jaccard,
            _ => {
                return Err(format!(
                    "unknown weight {s:?}: expected count, documents, pmi, npmi, dice or jaccard"
                ));
            }
        })
    }
}

impl fmt::Display for Weighting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Weighting::Count => "count",
            Weighting::Documents => "documents",
            Weighting::Pmi => "pmi",
            Weighting::Npmi => "npmi",
            Weighting::Dice => "dice",
            Weighting::Jaccard => "jaccard",
        })
    }
}

impl Weighting {
    /// The weight of a pair seen in `ab` windows and `docs` documents, whose entities are in
    /// `a` and `b` windows, out of `n` windows.
    pub fn weight(self, ab: u64, docs: u64, a: u64, b: u64, n: u64) -> f64 {
        let (ab, a, b, n) = (ab as f64, a as f64, b as f64, n as f64);
        match self {
            Weighting::Count => ab,
            Weighting::Documents => docs as f64,
            Weighting::Pmi => (ab * n / (a * b)).log2(),
            Weighting::Npmi => {
                let p_ab = ab / n;
                if p_ab >= 1.0 {
                    1.0
                } else {
                    (ab * n / (a * b)).log2() / -p_ab.log2()
                }
            }
            Weighting::Dice => 2.0 * ab / (a + b),
            Weighting::Jaccard => ab / (a + b - ab),
        }
    }
}

/// Pruning applied while building; every field is reported in the graph's metadata.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Filters {
    /// Drop edges seen in fewer windows.
    pub min_count: u64,
    /// Drop edges whose weight is lower.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_weight: Option<f64>,
    /// Drop nodes with fewer mentions.
    pub min_mentions: u64,
    /// Keep only nodes of these types (all if empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
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

/// Where a pair was seen together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EdgeEvidence {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
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
#[derive(Clone, Debug, Serialize, PartialEq)]
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

/// Largest graph whose betweenness is computed exactly (Brandes, O(nodes × edges)).
pub const EXACT_BETWEENNESS_NODES: usize = 5_000;
/// Source nodes used to estimate betweenness on larger graphs.
pub const BETWEENNESS_PIVOTS: usize = 256;

/// An undirected weighted entity graph.
#[derive(Clone, Debug)]
pub struct EntityGraph {
    pub graph: UnGraph<Node, Edge>,
    pub meta: GraphMeta,
}

/// Builds the graph from counts, weighting edges and pruning as asked.
pub fn build(
    counts: &CooccurrenceCounts,
    gazetteer: &Gazetteer,
    weighting: Weighting,
    filters: &Filters,
) -> EntityGraph {
    // Nodes: filter, then order by mentions (desc) and id.
    let entities = EntityView::new(gazetteer, &counts.provisional);
    let mut nodes: Vec<EntityId> = counts
        .entities
        .iter()
        .filter(|(e, c)| {
            let kind = entities.get(**e).kind();
            c.mentions >= filters.min_mentions.max(1)
                && (filters.types.is_empty() || filters.types.iter().any(|t| t == kind))
        })
        .map(|(e, _)| *e)
        .collect();
    let mentions = |e: &EntityId| counts.entities[e].mentions;
    nodes.sort_by(|a, b| {
        mentions(b)
            .cmp(&mentions(a))
            .then_with(|| entities.get(*a).id().cmp(entities.get(*b).id()))
    });
    if let Some(n) = filters.max_nodes {
        nodes.truncate(n);
    }
    let position: HashMap<EntityId, usize> =
        nodes.iter().enumerate().map(|(i, e)| (*e, i)).collect();

    // Edges between kept nodes, weighted and filtered, in node order.
    let mut edges: Vec<(usize, usize, &crate::cooccur::PairCounts, f64)> = counts
        .pairs
        .iter()
        .filter_map(|((a, b), p)| {
            let (&i, &j) = (position.get(a)?, position.get(b)?);
            if p.count < filters.min_count {
                return None;
            }
            let w = weighting.weight(
                p.count,
                p.documents,
                counts.entities[a].windows,
                counts.entities[b].windows,
                counts.windows,
            );
            if filters.min_weight.is_some_and(|m| w < m) {
                return None;
            }
            Some((i.min(j), i.max(j), p, w))
        })
        .collect();
    edges.sort_by_key(|&(i, j, _, _)| (i, j));
    if let Some(k) = filters.top_edges {
        edges = strongest_per_node(edges, nodes.len(), k);
    }

    let mut graph = UnGraph::with_capacity(nodes.len(), edges.len());
    for e in &nodes {
        let entity = entities.get(*e);
        let c = &counts.entities[e];
        graph.add_node(Node {
            entity: *e,
            id: entity.id().to_string(),
            label: entity.name().to_string(),
            kind: entity.kind().to_string(),
            provisional: entity.provisional().map(|p| p.cue.clone()),
            mentions: c.mentions,
            documents: c.documents,
            windows: c.windows,
            aliases: c.surfaces.clone(),
            attributes: entity.attributes().cloned().unwrap_or_default(),
            degree: 0,
            weighted_degree: 0.0,
            pagerank: 0.0,
            component: 0,
            betweenness: 0.0,
        });
    }
    for (i, j, p, w) in edges {
        graph.add_edge(
            NodeIndex::new(i),
            NodeIndex::new(j),
            Edge {
                count: p.count,
                documents: p.documents,
                weight: w,
                evidence: p
                    .evidence
                    .iter()
                    .map(|ev| EdgeEvidence {
                        doc: counts.documents[ev.document].clone(),
                        start: ev.start,
                        end: ev.end,
                        text: ev.text.clone(),
                    })
                    .collect(),
            },
        );
    }
    if filters.largest_component {
        graph = largest_component(graph);
    }
    let betweenness_pivots = analyse(&mut graph);
    EntityGraph {
        graph,
        meta: GraphMeta {
            generator: "entgraph".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            window: counts.window.to_string(),
            weight: weighting.to_string(),
            documents: counts.documents.len() as u64,
            bytes: counts.bytes,
            windows: counts.windows,
            mentions: counts.mentions,
            filters: filters.clone(),
            entities_seen: counts.entities.len(),
            pairs_seen: counts.pairs.len(),
            betweenness_pivots,
        },
    }
}

type WeightedEdge<'a> = (usize, usize, &'a crate::cooccur::PairCounts, f64);

/// Keeps an edge if it is among the `k` strongest (weight, then count, then the other
/// end's node order) of either endpoint.
fn strongest_per_node(
    edges: Vec<WeightedEdge<'_>>,
    nodes: usize,
    k: usize,
) -> Vec<WeightedEdge<'_>> {
    let mut incident: Vec<Vec<usize>> = vec![Vec::new(); nodes];
    for (idx, &(i, j, _, _)) in edges.iter().enumerate() {
        incident[i].push(idx);
        incident[j].push(idx);
    }
    let mut keep = vec![false; edges.len()];
    for (node, list) in incident.iter_mut().enumerate() {
        list.sort_by(|&x, &y| {
            let (ex, ey) = (&edges[x], &edges[y]);
            let other = |e: &WeightedEdge| if e.0 == node { e.1 } else { e.0 };
            ey.3.total_cmp(&ex.3)
                .then(ey.2.count.cmp(&ex.2.count))
                .then(other(ex).cmp(&other(ey)))
        });
        for &idx in list.iter().take(k) {
            keep[idx] = true;
        }
    }
    edges
        .into_iter()
        .zip(keep)
        .filter_map(|(e, k)| k.then_some(e))
        .collect()
}

/// Connected components, numbered by decreasing size (ties: lowest node index first).
fn components(graph: &UnGraph<Node, Edge>) -> Vec<usize> {
    let n = graph.node_count();
    let mut raw = vec![usize::MAX; n];
    let mut sizes: Vec<(usize, usize)> = Vec::new(); // (size, first node)
    let mut stack = Vec::new();
    for start in 0..n {
        if raw[start] != usize::MAX {
            continue;
        }
        let c = sizes.len();
        raw[start] = c;
        stack.push(start);
        let mut size = 0;
        while let Some(v) = stack.pop() {
            size += 1;
            for w in graph.neighbors(NodeIndex::new(v)) {
                if raw[w.index()] == usize::MAX {
                    raw[w.index()] = c;
                    stack.push(w.index());
                }
            }
        }
        sizes.push((size, start));
    }
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by(|&a, &b| {
        sizes[b]
            .0
            .cmp(&sizes[a].0)
            .then(sizes[a].1.cmp(&sizes[b].1))
    });
    let mut rank = vec![0; sizes.len()];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r;
    }
    raw.into_iter().map(|c| rank[c]).collect()
}

fn largest_component(graph: UnGraph<Node, Edge>) -> UnGraph<Node, Edge> {
    let comp = components(&graph);
    graph.filter_map(
        |i, n| (comp[i.index()] == 0).then(|| n.clone()),
        |_, e| Some(e.clone()),
    )
}

/// Fills in degree, weighted degree, PageRank, betweenness and component of every node.
/// Returns the number of pivots when betweenness was estimated (see
/// [`GraphMeta::betweenness_pivots`]).
pub fn analyse(graph: &mut UnGraph<Node, Edge>) -> Option<usize> {
    let comp = components(graph);
    let ranks = pagerank(graph, 0.85, 100, 1e-12);
    // rustworkx-core's Brandes betweenness; one thread (no threshold reached) so that sums run
    // in one order and the output stays byte-identical. It ignores edge weights. Exact
    // betweenness costs O(nodes × edges), minutes at tens of thousands of nodes, so larger
    // graphs get an estimate from evenly spaced pivots in node order (most mentioned first).
    let n = graph.node_count();
    let (between, pivots): (Vec<Option<f64>>, Option<usize>) = if n <= EXACT_BETWEENNESS_NODES {
        (
            rustworkx_core::centrality::betweenness_centrality(&*graph, false, true, usize::MAX),
            None,
        )
    } else {
        let k = BETWEENNESS_PIVOTS.min(n);
        let sources: Vec<usize> = (0..k).map(|i| i * n / k).collect();
        (
            sampled_betweenness(graph, &sources)
                .into_iter()
                .map(Some)
                .collect(),
            Some(k),
        )
    };
    for i in 0..graph.node_count() {
        let idx = NodeIndex::new(i);
        let (degree, weighted) = graph
            .edges(idx)
            .fold((0, 0.0), |(d, w), e| (d + 1, w + e.weight().weight));
        let n = &mut graph[idx];
        n.degree = degree;
        n.weighted_degree = weighted;
        n.pagerank = ranks[i];
        n.component = comp[i];
        n.betweenness = between[i].unwrap_or(0.0);
    }
    pivots
}

/// Normalized betweenness of an undirected, unweighted graph estimated from shortest paths
/// that start at `sources` (Brandes' accumulation, scaled by n / |sources| as networkx's
/// `betweenness_centrality(k=…)` does). Deterministic for given sources.
fn sampled_betweenness(graph: &UnGraph<Node, Edge>, sources: &[usize]) -> Vec<f64> {
    let n = graph.node_count();
    let mut between = vec![0.0f64; n];
    let mut sigma = vec![0.0f64; n];
    let mut dist = vec![-1i64; n];
    let mut delta = vec![0.0f64; n];
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut queue = std::collections::VecDeque::new();
    for &s in sources {
        for v in order.drain(..) {
            sigma[v] = 0.0;
            dist[v] = -1;
            delta[v] = 0.0;
            preds[v].clear();
        }
        sigma[s] = 1.0;
        dist[s] = 0;
        queue.push_back(s);
        while let Some(v) = queue.pop_front() {
            order.push(v);
            for w in graph.neighbors(NodeIndex::new(v)) {
                let w = w.index();
                if dist[w] < 0 {
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
                if dist[w] == dist[v] + 1 {
                    sigma[w] += sigma[v];
                    preds[w].push(v);
                }
            }
        }
        for &w in order.iter().rev() {
            for &v in &preds[w] {
                delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
            }
            if w != s {
                between[w] += delta[w];
            }
        }
    }
    if n > 2 {
        let scale = n as f64 / sources.len() as f64 / ((n - 1) as f64 * (n - 2) as f64);
        between.iter_mut().for_each(|b| *b *= scale);
    }
    between
}

/// Weighted PageRank by power iteration, O(E) per iteration. Negative weights (PMI, NPMI)
/// count as 0; a node without positive edges spreads its rank evenly over all nodes.
/// Ranks sum to 1.
pub fn pagerank(
    graph: &UnGraph<Node, Edge>,
    damping: f64,
    max_iterations: usize,
    tolerance: f64,
) -> Vec<f64> {
    let n = graph.node_count();
    if n == 0 {
        return Vec::new();
    }
    let w = |e: &Edge| e.weight.max(0.0);
    let mut out_weight = vec![0.0; n];
    for e in graph.edge_references() {
        out_weight[e.source().index()] += w(e.weight());
        out_weight[e.target().index()] += w(e.weight());
    }
    let nf = n as f64;
    let mut rank = vec![1.0 / nf; n];
    let mut next = vec![0.0; n];
    for _ in 0..max_iterations {
        let dangling: f64 = (0..n)
            .filter(|&i| out_weight[i] == 0.0)
            .map(|i| rank[i])
            .sum();
        let base = (1.0 - damping) / nf + damping * dangling / nf;
        next.iter_mut().for_each(|x| *x = base);
        for e in graph.edge_references() {
            let (s, t, ew) = (e.source().index(), e.target().index(), w(e.weight()));
            if ew > 0.0 {
                next[t] += damping * rank[s] * ew / out_weight[s];
                next[s] += damping * rank[t] * ew / out_weight[t];
            }
        }
        let delta: f64 = rank.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if delta < tolerance {
            break;
        }
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_by_hand() {
        // 10 windows; a in 4, b in 5, both in 2, over 2 documents.
        let (ab, docs, a, b, n) = (2, 2, 4, 5, 10);
        let close = |w: Weighting, want: f64| {
            let got = w.weight(ab, docs, a, b, n);
            assert!((got - want).abs() < 1e-12, "{w}: {got} != {want}");
        };
        close(Weighting::Count, 2.0);
        close(Weighting::Documents, 2.0);
        close(Weighting::Pmi, 0.0); // p(ab) = 0.2 = 0.4 * 0.5
        close(Weighting::Npmi, 0.0);
        close(Weighting::Dice, 4.0 / 9.0);
        close(Weighting::Jaccard, 2.0 / 7.0);
        // a and b always together in 2 of 8 windows: PMI = log2(4) = 2, NPMI = 2 / 2 = 1.
        assert!((Weighting::Pmi.weight(2, 1, 2, 2, 8) - 2.0).abs() < 1e-12);
        assert!((Weighting::Npmi.weight(2, 1, 2, 2, 8) - 1.0).abs() < 1e-12);
        assert_eq!(Weighting::Npmi.weight(3, 1, 3, 3, 3), 1.0);
    }

    fn node(id: &str) -> Node {
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

    fn edge(weight: f64) -> Edge {
        Edge {
            count: 1,
            documents: 1,
            weight,
            evidence: Vec::new(),
        }
    }

    #[test]
    fn pagerank_matches_the_closed_form_on_a_star() {
        // Star: centre 0, leaves 1..=3, unit weights. With d = 0.85, by symmetry leaves
        // share x and the centre c = 1 - 3x, where x = 0.15/4 + 0.85 * c / 3.
        let mut g = UnGraph::new_undirected();
        let ids: Vec<_> = (0..4).map(|i| g.add_node(node(&i.to_string()))).collect();
        for &leaf in &ids[1..] {
            g.add_edge(ids[0], leaf, edge(1.0));
        }
        let r = pagerank(&g, 0.85, 200, 1e-15);
        let x = (0.15 / 4.0 + 0.85 / 3.0) / (1.0 + 0.85);
        assert!((r[1] - x).abs() < 1e-9, "{r:?}");
        assert!((r[0] - (1.0 - 3.0 * x)).abs() < 1e-9);
        assert!((r.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn weighted_pagerank_favours_heavy_edges() {
        // Path 1 - 0 - 2 with 0-1 heavier: 1 outranks 2.
        let mut g = UnGraph::new_undirected();
        let n: Vec<_> = (0..3).map(|i| g.add_node(node(&i.to_string()))).collect();
        g.add_edge(n[0], n[1], edge(9.0));
        g.add_edge(n[0], n[2], edge(1.0));
        let r = pagerank(&g, 0.85, 200, 1e-15);
        assert!(r[1] > r[2]);
    }

    #[test]
    fn betweenness_on_a_path() {
        // Path 0 - 1 - 2: only node 1 lies between the others; normalized over the one pair
        // of other nodes, its betweenness is 1.
        let mut g = UnGraph::new_undirected();
        let n: Vec<_> = (0..3).map(|i| g.add_node(node(&i.to_string()))).collect();
        g.add_edge(n[0], n[1], edge(1.0));
        g.add_edge(n[1], n[2], edge(1.0));
        analyse(&mut g);
        let b: Vec<f64> = g.node_weights().map(|n| n.betweenness).collect();
        assert_eq!(b, [0.0, 1.0, 0.0]);
    }

    #[test]
    fn components_are_numbered_by_size() {
        let mut g = UnGraph::new_undirected();
        let n: Vec<_> = (0..6).map(|i| g.add_node(node(&i.to_string()))).collect();
        g.add_edge(n[0], n[1], edge(1.0));
        g.add_edge(n[2], n[3], edge(1.0));
        g.add_edge(n[3], n[4], edge(1.0));
        assert_eq!(components(&g), [1, 1, 0, 0, 0, 2]);
        let big = largest_component(g);
        assert_eq!(big.node_count(), 3);
        assert_eq!(big.edge_count(), 2);
    }
}
