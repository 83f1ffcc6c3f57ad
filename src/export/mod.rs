//! Writing an [`crate::graph::EntityGraph`]: DOT for Graphviz, JSON for D3, networkx and
//! Cytoscape.js, and a self-contained interactive HTML page.

pub mod dot;
pub mod html;
pub mod json;
pub mod render;

/// The colour of each entity type in every picture entgraph draws (DOT and HTML), from the
/// Okabe–Ito palette, which stays distinct for colour-blind readers.
pub const TYPE_COLORS: &[(&str, &str)] = &[
    ("PERSON", "#E69F00"), // orange
    ("ORG", "#56B4E9"),    // sky blue
    ("LOC", "#009E73"),    // bluish green
    ("NORP", "#CC79A7"),   // reddish purple
];

/// The colour of any other type.
pub const OTHER_COLOR: &str = "#BBBBBB";

/// The colour of an entity type.
pub fn type_color(kind: &str) -> &'static str {
    TYPE_COLORS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(OTHER_COLOR, |(_, c)| c)
}
