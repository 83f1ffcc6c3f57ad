//! Weighted communities by the Leiden algorithm, and the modularity of a partition.
//!
//! The Leiden algorithm (Traag, Waltman & van Eck 2019: local moving, refinement of the
//! partition, aggregation on the refined partition, starting from the unrefined one) is
//! leiden-rs's, run sequentially (without its rayon feature, and with its parallel thresholds
//! out of reach) from a fixed seed, so the same graph always gives the same partition,
//! whatever the thread count of the rest of the program.

use leiden_rs::{GraphDataBuilder, Leiden, LeidenConfig, QualityType};
use petgraph::visit::{EdgeRef, IntoEdgeReferences, NodeCompactIndexable};

use super::components::number_by_size;

/// The seed of the Leiden run unless told otherwise.
pub const DEFAULT_SEED: u64 = 42;

/// Leiden runs after the first, each from the previous partition, at most.
const MAX_RESTARTS: usize = 20;

/// The least gain in modularity for which another run is worth it.
const IMPROVEMENT: f64 = 1e-12;

/// A partition of a graph's nodes into communities.
#[derive(Clone, Debug, PartialEq)]
pub struct Communities {
    /// The community of every node, by node index, numbered from 0 by decreasing size
    /// (ties: the community of the lowest node index first). A node without positive edges
    /// is a community of its own.
    pub membership: Vec<usize>,
    /// The weighted modularity (resolution 1) of `membership`; see [`modularity`].
    pub modularity: f64,
}

/// Communities of `graph` that maximise modularity at `resolution` (1.0 is Newman–Girvan
/// modularity), found by Leiden from `seed` ([`DEFAULT_SEED`] by default).
///
/// `weight` gives an edge's weight; negative weights (PMI, NPMI) count as 0, as do NaNs, so
/// such an edge joins nothing. Every edge counts as undirected. The result depends only on
/// the graph (node indices, edge order, weights), `seed` and `resolution`.
pub fn communities<G, F>(graph: G, mut weight: F, seed: u64, resolution: f64) -> Communities
where
    G: IntoEdgeReferences + NodeCompactIndexable,
    F: FnMut(G::EdgeRef) -> f64,
{
    let n = graph.node_count();
    let edges: Vec<(usize, usize, f64)> = graph
        .edge_references()
        .map(|e| {
            let w = weight(e);
            (
                graph.to_index(e.source()),
                graph.to_index(e.target()),
                if w > 0.0 { w } else { 0.0 },
            )
        })
        .collect();
    let raw = leiden(n, &edges, seed, resolution);
    let membership = number_by_size(&raw);
    let modularity = modularity_of(n, &edges, &membership);
    Communities {
        membership,
        modularity,
    }
}

/// Leiden's raw labels, or singletons where there is nothing to partition.
fn leiden(n: usize, edges: &[(usize, usize, f64)], seed: u64, resolution: f64) -> Vec<usize> {
    let singletons = || (0..n).collect();
    if !edges.iter().any(|&(_, _, w)| w > 0.0) || !resolution.is_finite() || resolution < 0.0 {
        return singletons();
    }
    let mut b = GraphDataBuilder::new(n);
    for &(s, t, w) in edges.iter().filter(|e| e.2 > 0.0) {
        // Indices are below `n` and weights finite and positive: the builder accepts them.
        if b.add_edge(s, t, w).is_err() {
            return singletons();
        }
    }
    let Ok(data) = b.build() else {
        return singletons();
    };
    let config = LeidenConfig::builder()
        .quality(QualityType::Modularity)
        .resolution(resolution)
        .seed(seed)
        .parallel_local_moving_threshold(usize::MAX)
        .parallel_aggregation_threshold(usize::MAX)
        .build();
    let leiden = Leiden::new(config);
    let Ok(mut best) = leiden.run(&data) else {
        return singletons();
    };
    // One run stops when its local moving no longer changes the aggregate graph's partition;
    // as igraph's `n_iterations=-1`, start again from the result while that improves it.
    for _ in 0..MAX_RESTARTS {
        match leiden.run_with_initial_partition(&data, best.partition.clone()) {
            Ok(next) if next.quality > best.quality + IMPROVEMENT => best = next,
            _ => break,
        }
    }
    best.partition.as_slice().to_vec()
}

/// The weighted modularity (resolution 1) of the partition `membership` (community by node
/// index) of `graph`: `Σ_c [w_c / m − (K_c / 2m)²]`, where `m` is the total edge weight, `w_c`
/// the weight of the edges inside community `c` and `K_c` the weighted degree of its nodes,
/// as networkx's `community.modularity` computes it. Negative weights count as 0; a graph
/// without positive weight has modularity 0.
///
/// # Panics
///
/// If `membership` is shorter than the graph's node count.
pub fn modularity<G, F>(graph: G, mut weight: F, membership: &[usize]) -> f64
where
    G: IntoEdgeReferences + NodeCompactIndexable,
    F: FnMut(G::EdgeRef) -> f64,
{
    let edges: Vec<(usize, usize, f64)> = graph
        .edge_references()
        .map(|e| {
            let w = weight(e);
            let w = if w > 0.0 { w } else { 0.0 };
            (graph.to_index(e.source()), graph.to_index(e.target()), w)
        })
        .collect();
    modularity_of(graph.node_count(), &edges, membership)
}

fn modularity_of(n: usize, edges: &[(usize, usize, f64)], membership: &[usize]) -> f64 {
    let m: f64 = edges.iter().map(|e| e.2).sum();
    if m <= 0.0 {
        return 0.0;
    }
    let k = membership[..n].iter().max().map_or(0, |&c| c + 1);
    let mut inside = 0.0;
    let mut degree = vec![0.0; k];
    for &(s, t, w) in edges {
        degree[membership[s]] += w;
        degree[membership[t]] += w;
        if membership[s] == membership[t] {
            inside += w;
        }
    }
    let expected: f64 = degree.iter().map(|d| (d / (2.0 * m)).powi(2)).sum();
    inside / m - expected
}

#[cfg(test)]
mod tests {
    use petgraph::graph::UnGraph;

    use super::*;

    fn run(g: &UnGraph<(), f64>) -> Communities {
        communities(g, |e| *e.weight(), DEFAULT_SEED, 1.0)
    }

    /// Two 4-cliques 0..4 and 4..8 joined by the edge 3 – 4, every weight `w`, the bridge
    /// weight `bridge`.
    fn two_cliques(w: f64, bridge: f64) -> UnGraph<(), f64> {
        let mut g = UnGraph::new_undirected();
        let n: Vec<_> = (0..8).map(|_| g.add_node(())).collect();
        for block in [0..4, 4..8] {
            for i in block.clone() {
                for j in i + 1..block.end {
                    g.add_edge(n[i], n[j], w);
                }
            }
        }
        g.add_edge(n[3], n[4], bridge);
        g
    }

    #[test]
    fn two_cliques_joined_by_one_edge_are_two_communities() {
        let c = run(&two_cliques(1.0, 1.0));
        assert_eq!(c.membership, [0, 0, 0, 0, 1, 1, 1, 1]);
        // m = 13; each clique holds 6 edges and degree 13: 12/13 - 2 (13/26)^2.
        assert!(
            (c.modularity - (12.0 / 13.0 - 0.5)).abs() < 1e-12,
            "{}",
            c.modularity
        );
    }

    #[test]
    fn the_empty_graph_has_no_communities() {
        let c = run(&UnGraph::new_undirected());
        assert!(c.membership.is_empty());
        assert_eq!(c.modularity, 0.0);
    }

    #[test]
    fn isolated_nodes_are_communities_of_their_own_after_the_others() {
        let mut g = UnGraph::new_undirected();
        let n: Vec<_> = (0..5).map(|_| g.add_node(())).collect();
        g.add_edge(n[1], n[2], 1.0);
        g.add_edge(n[2], n[3], 1.0);
        g.add_edge(n[1], n[3], 1.0);
        let c = run(&g);
        assert_eq!(c.membership, [1, 0, 0, 0, 2]);
        // One community holding every edge: 1 - 1 = 0.
        assert!(c.modularity.abs() < 1e-12);
    }

    #[test]
    fn negative_weights_count_as_zero() {
        // A negative bridge joins nothing: the cliques split exactly as without it, and
        // modularity is that of the graph without the bridge.
        let c = run(&two_cliques(0.5, -3.0));
        assert_eq!(c.membership, [0, 0, 0, 0, 1, 1, 1, 1]);
        assert!((c.modularity - 0.5).abs() < 1e-12, "{}", c.modularity);
        // Only negative weights: nothing to partition.
        let c = run(&two_cliques(-1.0, -1.0));
        assert_eq!(c.membership, [0, 1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(c.modularity, 0.0);
    }

    #[test]
    fn modularity_of_a_given_partition() {
        let g = two_cliques(1.0, 1.0);
        let all = modularity(&g, |e| *e.weight(), &[0; 8]);
        assert!(all.abs() < 1e-12);
        let singletons: Vec<usize> = (0..8).collect();
        // Degrees 3,3,3,4,4,3,3,3 over 2m = 26, no edge inside.
        let want = -[3.0f64, 3.0, 3.0, 4.0, 4.0, 3.0, 3.0, 3.0]
            .iter()
            .map(|d| (d / 26.0).powi(2))
            .sum::<f64>();
        assert!((modularity(&g, |e| *e.weight(), &singletons) - want).abs() < 1e-12);
    }

    #[test]
    fn the_same_graph_gives_the_same_partition() {
        // A ring of 6 triangles joined at corners: many ties for the moving phase.
        let mut g = UnGraph::new_undirected();
        let n: Vec<_> = (0..18).map(|_| g.add_node(())).collect();
        for t in 0..6 {
            let (a, b, c) = (3 * t, 3 * t + 1, 3 * t + 2);
            g.add_edge(n[a], n[b], 1.0);
            g.add_edge(n[b], n[c], 1.0);
            g.add_edge(n[a], n[c], 1.0);
            g.add_edge(n[c], n[(3 * t + 3) % 18], 1.0);
        }
        let first = run(&g);
        assert_eq!(first.membership.iter().max(), Some(&5));
        for _ in 0..5 {
            assert_eq!(run(&g), first);
        }
    }
}
