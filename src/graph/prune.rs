//! Pruning: each node's strongest edges (`--top-edges`) and the largest connected component
//! (`--largest-component`).

use petgraph::graph::UnGraph;

use super::algo::components;
use super::{Edge, Node};

pub(super) type WeightedEdge<'a> = (usize, usize, &'a crate::cooccur::PairCounts, f64);

/// Keeps an edge if it is among the `k` strongest (weight, then count, then the other
/// end's node order) of either endpoint.
pub(super) fn strongest_per_node(
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

pub(super) fn largest_component(graph: UnGraph<Node, Edge>) -> UnGraph<Node, Edge> {
    let comp = components(&graph);
    graph.filter_map(
        |i, n| (comp[i.index()] == 0).then(|| n.clone()),
        |_, e| Some(e.clone()),
    )
}

#[cfg(test)]
mod tests {
    use petgraph::graph::UnGraph;

    use super::super::tests::{edge, node};
    use super::*;

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
