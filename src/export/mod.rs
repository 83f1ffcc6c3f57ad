//! Writing an [`crate::graph::EntityGraph`]: DOT for Graphviz, JSON for D3, networkx and
//! Cytoscape.js, a self-contained interactive HTML page, GraphML and GEXF with typed
//! attributes (GEXF with time), node and edge CSV tables for Gephi and Neo4j, and GeoJSON of
//! the places.

pub mod columns;
pub mod csv;
pub mod dot;
pub mod geojson;
pub mod gexf;
pub mod graphml;
pub mod html;
pub mod json;
pub mod render;
pub mod style;
pub mod xml;

pub use style::{OTHER_STYLE, TYPE_STYLES, TypeStyle, type_style};

/// The colour of any other type ([`OTHER_STYLE`]).
pub const OTHER_COLOR: &str = OTHER_STYLE.color;

/// The colour of an entity type, from [`TYPE_STYLES`].
pub fn type_color(kind: &str) -> &'static str {
    type_style(kind).color
}

/// The characters HTML (and Graphviz's HTML-like labels) must not hold as themselves in text
/// or attribute values, and their entities: the one table `dot`'s labels and `html`'s page
/// escape with.
pub(crate) const HTML_ENTITIES: [(char, &str); 5] = [
    ('&', "&amp;"),
    ('<', "&lt;"),
    ('>', "&gt;"),
    ('"', "&quot;"),
    ('\'', "&#39;"),
];
