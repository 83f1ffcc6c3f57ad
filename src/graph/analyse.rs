//! The analytics of every node of a built graph: degree, weighted degree, PageRank, connected
//! component, community and betweenness.

use petgraph::graph::{NodeIndex, UnGraph};

use super::algo::communities::DEFAULT_SEED;
use super::algo::{betweenness, communities, components};
use super::{Edge, Node, pagerank};

/// What [`analyse`] found about the graph as a whole.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Analysis {
    /// The number of pivots when betweenness was estimated (see
    /// [`GraphMeta::betweenness_pivots`](super::GraphMeta::betweenness_pivots)).
    pub betweenness_pivots: Option<usize>,
    /// The weighted modularity of the communities (see
    /// [`GraphMeta::modularity`](super::GraphMeta::modularity)).
    pub modularity: f64,
}

/// Fills in degree, weighted degree, PageRank, betweenness, component and community of every
/// node. Communities are Leiden's on the edges' [`Edge::weight`] (negative weights count as 0),
/// seed [`DEFAULT_SEED`], resolution 1.
pub fn analyse(graph: &mut UnGraph<Node, Edge>) -> Analysis {
    let comp = components(&*graph);
    let comm = communities(&*graph, |e| e.weight().weight, DEFAULT_SEED, 1.0);
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
        n.community = comm.membership[i];
        n.betweenness = between[i].unwrap_or(0.0);
    }
    Analysis {
        betweenness_pivots: pivots,
        modularity: comm.modularity,
    }
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
