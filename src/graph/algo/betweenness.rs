//! Betweenness centrality of an undirected, unweighted graph (Brandes): exact while the work,
//! nodes × edges, is at most [`EXACT_BETWEENNESS_WORK`], estimated from evenly spaced pivots
//! above.

use petgraph::graph::UnGraph;
use petgraph::visit::{IntoNeighbors, NodeCompactIndexable};
use rayon::prelude::*;

/// Largest nodes × edges whose betweenness is computed exactly: Brandes' algorithm visits
/// every edge once per source node. At this size (for example 2,000 nodes and 10,000 edges)
/// exact betweenness takes a fraction of a second; above it, sampling keeps the cost at
/// [`BETWEENNESS_PIVOTS`] × edges.
pub const EXACT_BETWEENNESS_WORK: usize = 20_000_000;
/// Source nodes used to estimate betweenness on larger graphs.
pub const BETWEENNESS_PIVOTS: usize = 256;
/// Sources whose contributions one task sums before the tasks' sums are added, in source
/// order: fixed, so that the result is the same bytes whatever the number of threads.
const SOURCES_PER_TASK: usize = 64;

/// Whether a graph of `nodes` nodes and `edges` edges gets exact betweenness.
pub fn exact_betweenness(nodes: usize, edges: usize) -> bool {
    nodes <= BETWEENNESS_PIVOTS || nodes.saturating_mul(edges) <= EXACT_BETWEENNESS_WORK
}

/// Normalized betweenness of every node of an undirected graph, ignoring edge weights, and the
/// number of pivots when it was estimated rather than exact (see [`exact_betweenness`]).
pub fn betweenness<N, E>(graph: &UnGraph<N, E>) -> (Vec<Option<f64>>, Option<usize>) {
    let n = graph.node_count();
    let (sources, pivots): (Vec<usize>, _) = if exact_betweenness(n, graph.edge_count()) {
        ((0..n).collect(), None)
    } else {
        // Evenly spaced in node order (most mentioned first).
        let k = BETWEENNESS_PIVOTS.min(n);
        ((0..k).map(|i| i * n / k).collect(), Some(k))
    };
    (
        sampled_betweenness(graph, &sources)
            .into_iter()
            .map(Some)
            .collect(),
        pivots,
    )
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
    let adjacency = Adjacency::new(graph);
    let partial: Vec<Vec<f64>> = sources
        .par_chunks(SOURCES_PER_TASK)
        .map(|chunk| {
            let mut b = Brandes::new(n);
            for &s in chunk {
                b.add_source(&adjacency, s);
            }
            b.between
        })
        .collect();
    let mut between = vec![0.0f64; n];
    for p in &partial {
        between.iter_mut().zip(p).for_each(|(b, x)| *b += x);
    }
    if n > 2 {
        let scale = n as f64 / sources.len() as f64 / ((n - 1) as f64 * (n - 2) as f64);
        between.iter_mut().for_each(|b| *b *= scale);
    }
    between
}

/// The neighbours of every node in one array (compressed sparse rows), in the graph's own
/// neighbour order: a breadth-first search reads them in sequence instead of chasing
/// petgraph's edge lists, a cache miss per edge on graphs of thousands of nodes.
struct Adjacency {
    /// `targets[offsets[v]..offsets[v + 1]]` are the neighbours of `v`.
    offsets: Vec<usize>,
    targets: Vec<u32>,
}

impl Adjacency {
    fn new<G: IntoNeighbors + NodeCompactIndexable>(graph: G) -> Self {
        let n = graph.node_count();
        let mut offsets = Vec::with_capacity(n + 1);
        let mut targets = Vec::new();
        offsets.push(0);
        for v in 0..n {
            targets.extend(
                graph
                    .neighbors(graph.from_index(v))
                    .map(|w| graph.to_index(w) as u32),
            );
            offsets.push(targets.len());
        }
        Adjacency { offsets, targets }
    }

    fn neighbors(&self, v: usize) -> &[u32] {
        &self.targets[self.offsets[v]..self.offsets[v + 1]]
    }
}

/// Brandes' buffers, reused from one source to the next.
struct Brandes {
    between: Vec<f64>,
    sigma: Vec<f64>,
    dist: Vec<u32>,
    delta: Vec<f64>,
    /// Nodes in the order the search reaches them; also its queue.
    order: Vec<u32>,
}

/// `Brandes::dist` of a node the search has not reached.
const UNREACHED: u32 = u32::MAX;

impl Brandes {
    fn new(n: usize) -> Self {
        Brandes {
            between: vec![0.0; n],
            sigma: vec![0.0; n],
            dist: vec![UNREACHED; n],
            delta: vec![0.0; n],
            order: Vec::with_capacity(n),
        }
    }

    /// Adds the dependencies of the shortest paths from `s` to `between`.
    fn add_source(&mut self, adjacency: &Adjacency, s: usize) {
        let Brandes {
            between,
            sigma,
            dist,
            delta,
            order,
        } = self;
        for &v in order.iter() {
            let v = v as usize;
            sigma[v] = 0.0;
            dist[v] = UNREACHED;
            delta[v] = 0.0;
        }
        order.clear();
        sigma[s] = 1.0;
        dist[s] = 0;
        order.push(s as u32);
        let mut head = 0;
        while head < order.len() {
            let v = order[head] as usize;
            head += 1;
            for &w in adjacency.neighbors(v) {
                let w = w as usize;
                if dist[w] == UNREACHED {
                    dist[w] = dist[v] + 1;
                    order.push(w as u32);
                }
                if dist[w] == dist[v] + 1 {
                    sigma[w] += sigma[v];
                }
            }
        }
        // The predecessors of `w` on shortest paths are its neighbours one step closer to `s`;
        // each adds to its own `delta` once per `w`, in reverse search order as in Brandes.
        for &w in order.iter().rev() {
            let w = w as usize;
            let coefficient = (1.0 + delta[w]) / sigma[w];
            for &v in adjacency.neighbors(w) {
                let v = v as usize;
                if dist[v] != UNREACHED && dist[v] + 1 == dist[w] {
                    delta[v] += sigma[v] * coefficient;
                }
            }
            if w != s {
                between[w] += delta[w];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path a – b – c – d – e: the middle node lies on 4 of the 6 paths between the others.
    #[test]
    fn exact_on_a_path() {
        let mut g = UnGraph::<(), ()>::new_undirected();
        let v: Vec<_> = (0..5).map(|_| g.add_node(())).collect();
        for w in v.windows(2) {
            g.add_edge(w[0], w[1], ());
        }
        let (b, pivots) = betweenness(&g);
        assert_eq!(pivots, None);
        // networkx: {0: 0.0, 1: 0.5, 2: 0.6667, 3: 0.5, 4: 0.0}.
        let want = [0.0, 3.0 / 6.0, 4.0 / 6.0, 3.0 / 6.0, 0.0];
        for (got, want) in b.iter().zip(want) {
            assert!((got.unwrap() - want).abs() < 1e-12, "{b:?}");
        }
    }

    /// Sums over several tasks come out the same bits with one thread or four.
    #[test]
    fn same_bits_whatever_the_threads() {
        let mut g = UnGraph::<(), ()>::new_undirected();
        let v: Vec<_> = (0..400).map(|_| g.add_node(())).collect();
        let mut x: u64 = 42;
        for _ in 0..1600 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let (a, b) = ((x >> 33) as usize % 400, (x >> 13) as usize % 400);
            if a != b && g.find_edge(v[a], v[b]).is_none() {
                g.add_edge(v[a], v[b], ());
            }
        }
        let sources: Vec<usize> = (0..400).collect();
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| sampled_betweenness(&g, &sources))
        };
        let one = run(1);
        assert!(one.iter().any(|&b| b > 0.0));
        let bits = |v: &[f64]| v.iter().map(|b| b.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&one), bits(&run(4)));
    }

    #[test]
    fn large_graphs_are_sampled() {
        assert!(exact_betweenness(BETWEENNESS_PIVOTS, usize::MAX));
        assert!(exact_betweenness(2_000, 10_000));
        assert!(!exact_betweenness(11_535, 29_472));
    }
}
