//! The analytics of every node of a built graph: degree, weighted degree, PageRank, connected
//! component and betweenness.

use petgraph::graph::{NodeIndex, UnGraph};

use super::algo::{betweenness, components};
use super::{Edge, Node, pagerank};

/// Fills in degree, weighted degree, PageRank, betweenness and component of every node.
/// Returns the number of pivots when betweenness was estimated (see
/// [`GraphMeta::betweenness_pivots`](super::GraphMeta::betweenness_pivots)).
pub fn analyse(graph: &mut UnGraph<Node, Edge>) -> Option<usize> {
    let comp = components(&*graph);
    let ranks = pagerank(graph, 0.85, 100, 1e-12);
    let (between, pivots) = betweenness(graph);
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

#[cfg(test)]
mod tests {
    use petgraph::graph::UnGraph;

    use super::super::tests::{edge, node};
    use super::*;

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
}
