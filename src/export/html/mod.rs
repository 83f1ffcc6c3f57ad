//! HTML export: one self-contained `graph.html` that opens offline, with an interactive
//! force-directed view of the graph, a side panel with evidence, and a reading view of the
//! documents with every mention highlighted.
//!
//! # What is in the file
//!
//! - the viewer's CSS and JavaScript (`src/export/html/viewer.{css,js}`, written for entgraph,
//!   no third-party code), inlined;
//! - the data, as JSON inside `<script type="application/json" id="entgraph-data">`, which the
//!   viewer reads with `JSON.parse(….textContent)`;
//! - a Content-Security-Policy that allows only the viewer script (by its SHA-256 hash) and no
//!   network access at all (`default-src 'none'`).
//!
//! # Untrusted text
//!
//! Document text, document ids, surface forms and gazetteer fields are untrusted. In the JSON
//! block every `<`, `>` and `&` is written `\u003c`, `\u003e`, `\u0026`, and U+2028/U+2029 as
//! `\u2028`/`\u2029`, so no data can close the block (`</script>`) or open a comment; these
//! characters only occur inside JSON strings, where the escapes mean the same characters. The
//! viewer renders all data with `textContent`/`createTextNode`, never as markup, and the page
//! title is HTML-escaped. Even if something slipped through, the policy would block any script
//! but the viewer's own, including inline event handlers.
//!
//! # Offsets
//!
//! Mention and evidence offsets are UTF-8 byte offsets in Rust; JavaScript strings index UTF-16
//! code units. Every offset is converted here and embedded as `start16`/`end16`. Mentions that
//! are out of range, not on char boundaries or overlapping an earlier one are dropped.
//!
//! Evidence windows carry `marks`: where the edge's two entities occur in the (≤ 600-byte)
//! evidence text, in UTF-16 code units of that text. They are the evidence's spans
//! ([`crate::graph::EvidenceSpans`]), which the counting recorded from the tagger's mentions
//! (so a demonym counted as its country is marked too); no text is searched again, and the
//! marks are the same whether or not the document is embedded. A span outside the text (which
//! a graph built by entgraph never has) is ignored.

//! `data` builds the embedded data (with UTF-16 offsets and evidence marks) and `page` writes
//! the page around it (the viewer, its Content-Security-Policy hash and the escaping); this
//! module holds the documents a page is given.

mod data;
mod page;

use crate::entity::EntityView;
use crate::tagger::Mention;

pub use page::write_html;

/// Version of the embedded data layout, for anyone reading it from the page.
pub const DATA_FORMAT: &str = "entgraph-html/1";

/// A document shown in the reading view, with its mentions (byte offsets into `text`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlDocument {
    /// The document's id, as in the input and in the graph's evidence.
    pub id: String,
    /// The full text; untrusted, embedded escaped.
    pub text: String,
    /// Its mentions, in text order; one out of range, off a char boundary or overlapping an
    /// earlier one is dropped from the page.
    pub mentions: Vec<HtmlMention>,
}

/// A mention in an [`HtmlDocument`]: `text[start..end]` in UTF-8 bytes, the node id of its
/// entity and the entity's type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlMention {
    /// Byte offset of the mention's start in [`HtmlDocument::text`], on a char boundary.
    pub start: usize,
    /// Byte offset of the mention's end (exclusive) in [`HtmlDocument::text`].
    pub end: usize,
    /// Node id (the gazetteer id); a mention whose entity is not in the graph is still
    /// highlighted, but selects nothing.
    pub entity: String,
    /// The entity's type label (`PERSON`, `ORG`, …).
    pub kind: String,
}

impl HtmlDocument {
    /// A document and the tagger's mentions in it, with ids and types from `gazetteer`.
    pub fn from_mentions(
        id: impl Into<String>,
        text: impl Into<String>,
        mentions: &[Mention],
        entities: EntityView,
    ) -> HtmlDocument {
        HtmlDocument {
            id: id.into(),
            text: text.into(),
            mentions: mentions
                .iter()
                .map(|m| {
                    let e = entities.get(m.entity);
                    HtmlMention {
                        start: m.start,
                        end: m.end,
                        entity: e.id().to_string(),
                        kind: e.kind().to_string(),
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Edge, EdgeEvidence, EntityGraph, EvidenceSpans, Filters, GraphMeta, Node};
    use petgraph::graph::UnGraph;
    use std::collections::BTreeMap;

    pub(super) fn node(id: &str, label: &str, aliases: &[&str]) -> Node {
        Node {
            entity: crate::gazetteer::EntityId(0),
            id: id.into(),
            label: label.into(),
            kind: "PERSON".into(),
            provisional: None,
            mentions: 1,
            documents: 1,
            windows: 1,
            aliases: aliases.iter().map(|a| (a.to_string(), 1)).collect(),
            attributes: BTreeMap::new(),
            degree: 1,
            weighted_degree: 1.0,
            pagerank: 0.5,
            component: 0,
            community: 0,
            betweenness: 0.0,
            time: Default::default(),
        }
    }

    pub(super) fn meta() -> GraphMeta {
        GraphMeta {
            generator: "entgraph".into(),
            version: "0".into(),
            window: "sentence".into(),
            weight: "count".into(),
            documents: 1,
            bytes: 0,
            windows: 1,
            mentions: 2,
            filters: Filters::default(),
            entities_seen: 2,
            pairs_seen: 1,
            capped_windows: None,
            max_window_entities: None,
            modularity: 0.0,
            betweenness_pivots: None,
            time: None,
        }
    }

    /// A two-node graph whose one edge has `evidence` from document "d", with the spans of
    /// every "Ana Lúcia" (source) and whole-word "Bo" (target) in the window.
    pub(super) fn graph(text: &str, ev_start: usize, ev_len: usize) -> EntityGraph {
        let window = &text[ev_start..ev_start + ev_len];
        let find = |form: &str| -> Vec<(usize, usize)> {
            window
                .match_indices(form)
                .filter(|(at, _)| {
                    !window[at + form.len()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
                })
                .map(|(at, _)| (ev_start + at, ev_start + at + form.len()))
                .collect()
        };
        let spans = EvidenceSpans {
            source: find("Ana Lúcia"),
            target: find("Bo"),
        };
        graph_with_spans(text, ev_start, ev_len, spans)
    }

    /// Like [`graph`], with the evidence spans given.
    pub(super) fn graph_with_spans(
        text: &str,
        ev_start: usize,
        ev_len: usize,
        spans: EvidenceSpans,
    ) -> EntityGraph {
        let mut g = UnGraph::new_undirected();
        let a = g.add_node(node("ana", "Ana Lúcia", &["Ana Lúcia", "Ana"]));
        let b = g.add_node(node("bo", "Bo", &["Bo"]));
        g.add_edge(
            a,
            b,
            Edge {
                count: 1,
                documents: 1,
                weight: 1.0,
                evidence: vec![EdgeEvidence {
                    doc: "d".into(),
                    start: ev_start,
                    end: ev_start + ev_len,
                    text: text[ev_start..ev_start + ev_len].into(),
                    spans,
                    title: None,
                    date: None,
                }],
                time: Default::default(),
            },
        );
        EntityGraph {
            graph: g,
            meta: meta(),
        }
    }

    pub(super) fn mention(text: &str, surface: &str, entity: &str) -> HtmlMention {
        let start = text.find(surface).unwrap();
        HtmlMention {
            start,
            end: start + surface.len(),
            entity: entity.into(),
            kind: "PERSON".into(),
        }
    }

    pub(super) fn data_of(html: &str) -> serde_json::Value {
        let open = r#"<script type="application/json" id="entgraph-data">"#;
        let start = html.find(open).unwrap() + open.len();
        let end = start + html[start..].find("</script>").unwrap();
        serde_json::from_str(&html[start..end]).unwrap()
    }

    pub(super) fn render(g: &EntityGraph, docs: &[HtmlDocument]) -> String {
        let mut out = Vec::new();
        write_html(g, docs, docs.len(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }
}
