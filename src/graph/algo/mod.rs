//! Graph algorithms, one file each, generic over petgraph's visit traits as petgraph's own
//! `algo` module is: they work on any graph with compact node indices (`Graph`, `GraphMap`,
//! `Csr`, …), the entity graph among them. Every edge counts as undirected, and sums run in
//! node-index and edge-reference order, so results are deterministic.

pub mod betweenness;
pub mod communities;
pub mod components;
pub mod pagerank;

pub use betweenness::{betweenness, sampled_betweenness};
pub use communities::{Communities, communities, modularity};
pub use components::{components, number_by_size};
pub use pagerank::pagerank;
