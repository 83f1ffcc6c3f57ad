//! Betweenness centrality of an undirected, unweighted graph: exact (rustworkx-core's Brandes)
//! up to [`EXACT_BETWEENNESS_NODES`] nodes, estimated from evenly spaced pivots above.

use petgraph::graph::UnGraph;
use petgraph::visit::{IntoNeighbors, NodeCompactIndexable};

/// Largest graph whose betweenness is computed exactly (Brandes, O(nodes × edges)).
pub const EXACT_BETWEENNESS_NODES: usize = 5_000;
/// Source nodes used to estimate betweenness on larger graphs.
pub const BETWEENNESS_PIVOTS: usize = 256;

/// Normalized betweenness of every node of an undirected graph, ignoring edge weights, and the
/// number of pivots when it was estimated rather than exact (more than
/// [`EXACT_BETWEENNESS_NODES`] nodes).
pub fn betweenness<N: Sync, E: Sync>(graph: &UnGraph<N, E>) -> (Vec<Option<f64>>, Option<usize>) {
    // rustworkx-core's Brandes betweenness; one thread (no threshold reached) so that sums run
    // in one order and the output stays byte-identical. It ignores edge weights. Exact
    // betweenness costs O(nodes × edges), minutes at tens of thousands of nodes, so larger
    // graphs get an estimate from evenly spaced pivots in node order (most mentioned first).
    let n = graph.node_count();
    if n <= EXACT_BETWEENNESS_NODES {
        (
            rustworkx_core::centrality::betweenness_centrality(graph, false, true, usize::MAX),
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
    }
}

/// Normalized betweenness of an undirected, unweighted graph estimated from shortest paths
/// that start at `sources` (Brandes' accumulation, scaled by n / |sources| as networkx's
/// `betweenness_centrality(k=…)` does). Deterministic for given sources.
/// Sources are node indices; `graph`'s neighbours should go both ways (an undirected graph).
pub fn sampled_betweenness<G>(graph: G, sources: &[usize]) -> Vec<f64>
where
    G: IntoNeighbors + NodeCompactIndexable,
{
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
            for w in graph.neighbors(graph.from_index(v)) {
                let w = graph.to_index(w);
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
