//! Weighted PageRank by power iteration.

use petgraph::visit::{EdgeRef, IntoEdgeReferences, NodeCompactIndexable};

/// Weighted PageRank by power iteration, O(E) per iteration. Negative weights (PMI, NPMI)
/// count as 0; a node without positive edges spreads its rank evenly over all nodes.
/// Ranks sum to 1.
///
/// `weight` gives an edge's weight; every edge counts as undirected (rank flows both ways),
/// and sums run in node-index and [`IntoEdgeReferences::edge_references`] order.
pub fn pagerank<G, F>(
    graph: G,
    mut weight: F,
    damping: f64,
    max_iterations: usize,
    tolerance: f64,
) -> Vec<f64>
where
    G: IntoEdgeReferences + NodeCompactIndexable,
    F: FnMut(G::EdgeRef) -> f64,
{
    let n = graph.node_count();
    if n == 0 {
        return Vec::new();
    }
    let mut w = |e: G::EdgeRef| weight(e).max(0.0);
    let mut out_weight = vec![0.0; n];
    for e in graph.edge_references() {
        out_weight[graph.to_index(e.source())] += w(e);
        out_weight[graph.to_index(e.target())] += w(e);
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
            let (s, t, ew) = (graph.to_index(e.source()), graph.to_index(e.target()), w(e));
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
    use petgraph::graph::UnGraph;

    use super::super::super::tests::{edge, node};
    use super::*;

    #[test]
    fn pagerank_matches_the_closed_form_on_a_star() {
        // Star: centre 0, leaves 1..=3, unit weights. With d = 0.85, by symmetry leaves
        // share x and the centre c = 1 - 3x, where x = 0.15/4 + 0.85 * c / 3.
        let mut g = UnGraph::new_undirected();
        let ids: Vec<_> = (0..4).map(|i| g.add_node(node(&i.to_string()))).collect();
        for &leaf in &ids[1..] {
            g.add_edge(ids[0], leaf, edge(1.0));
        }
        let r = pagerank(&g, |e| e.weight().weight, 0.85, 200, 1e-15);
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
        let r = pagerank(&g, |e| e.weight().weight, 0.85, 200, 1e-15);
        assert!(r[1] > r[2]);
    }
}
