//! Connected components, numbered by decreasing size.

use std::collections::BTreeMap;

use petgraph::visit::{IntoNeighbors, NodeCompactIndexable};

/// Connected components, numbered by decreasing size (ties: lowest node index first): the
/// component of every node, by node index. Edges count as undirected only if `graph`'s
/// neighbours go both ways (as in an undirected graph).
pub fn components<G>(graph: G) -> Vec<usize>
where
    G: IntoNeighbors + NodeCompactIndexable,
{
    let n = graph.node_count();
    let mut raw = vec![usize::MAX; n];
    let mut next = 0;
    let mut stack = Vec::new();
    for start in 0..n {
        if raw[start] != usize::MAX {
            continue;
        }
        let c = next;
        next += 1;
        raw[start] = c;
        stack.push(start);
        while let Some(v) = stack.pop() {
            for w in graph.neighbors(graph.from_index(v)) {
                let w = graph.to_index(w);
                if raw[w] == usize::MAX {
                    raw[w] = c;
                    stack.push(w);
                }
            }
        }
    }
    number_by_size(&raw)
}

/// Renumbers the groups of a partition (`labels`: any group label by node index) from 0 by
/// decreasing size, ties by the lowest node index in the group first; nodes share a number
/// exactly when they share a label. Components and communities are numbered this way.
pub fn number_by_size(labels: &[usize]) -> Vec<usize> {
    // Dense labels in order of first appearance, so a group's dense label orders by its
    // lowest node index.
    let mut dense: Vec<usize> = Vec::with_capacity(labels.len());
    let mut seen: BTreeMap<usize, usize> = BTreeMap::new();
    let mut sizes: Vec<usize> = Vec::new();
    for &l in labels {
        let d = *seen.entry(l).or_insert_with(|| {
            sizes.push(0);
            sizes.len() - 1
        });
        sizes[d] += 1;
        dense.push(d);
    }
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
    let mut rank = vec![0; sizes.len()];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r;
    }
    dense.into_iter().map(|c| rank[c]).collect()
}
