//! Writing an [`crate::graph::EntityGraph`]: DOT for Graphviz, JSON for D3, networkx and
//! Cytoscape.js.

pub mod dot;
pub mod json;
