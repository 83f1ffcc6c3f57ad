//! Connected components, numbered by decreasing size.

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
            for w in graph.neighbors(graph.from_index(v)) {
                let w = graph.to_index(w);
                if raw[w] == usize::MAX {
                    raw[w] = c;
                    stack.push(w);
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
