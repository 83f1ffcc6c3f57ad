//! GEXF 1.3 export of an [`EntityGraph`]: Gephi's own format, with typed attributes and, for
//! a dated corpus, time (Gephi's timeline; networkx's `read_gexf(version="1.3")` reads it).
//!
//! # Contract
//!
//! - `<gexf xmlns="http://gexf.net/1.3" version="1.3">`, `<meta>` with `<creator>` (entgraph
//!   and its version) and a `<description>` of the window and weighting; no modification
//!   date, so the same graph always gives the same bytes.
//! - `<graph defaultedgetype="undirected">`, `mode="static"`; when a node or edge is dated,
//!   `mode="dynamic" timeformat="date"`: each dated node and edge gets `start` and `end` (its
//!   first and last date, `YYYY-MM-DD`, inclusive), and a dynamic attribute `period_windows`
//!   (`long`) with one value per period it was seen in (`start`/`end`: the period's first and
//!   last day), the per-period counts of graph.json's `periods`. Undated nodes and edges have
//!   no `start`/`end`, so Gephi shows them at every time.
//! - Static attributes: the node and edge columns of [`crate::export::columns`], ids `0…`
//!   in column order per class (dynamic ones follow), GEXF types `long`, `double`,
//!   `boolean`, `string`. A node's `id` is the entity id and its `label` the name; an edge's
//!   `id` is `e0`, `e1`, … in edge order and its `weight` the edge weight (an XML attribute,
//!   as GEXF has it, not an attvalue). A value a node or edge lacks is left out.
//! - Text is escaped by quick-xml; characters XML 1.0 forbids become U+FFFD.

use std::io::{self, Write};

use petgraph::visit::EdgeRef;
use quick_xml::Writer;
use quick_xml::events::BytesText;

use super::columns::{Table, edge_table, node_table};
use super::xml::{value_text, writer, xml_chars};
use crate::date::DateSpan;
use crate::graph::EntityGraph;

const NS: &str = "http://gexf.net/1.3";
const SCHEMA: &str = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd";

/// The dynamic attribute holding a node's or edge's windows per period.
pub const PERIOD_ATTRIBUTE: &str = "period_windows";

/// Writes `graph` as GEXF 1.3 to `out` (see the [module docs](self)).
pub fn write_gexf<W: Write>(graph: &EntityGraph, out: W) -> io::Result<()> {
    let nodes = node_table(graph);
    let edges = edge_table(graph);
    let g = &graph.graph;
    let dynamic = g.node_weights().any(|n| !n.time.is_empty())
        || g.edge_weights().any(|e| !e.time.is_empty());
    let m = &graph.meta;
    let creator = format!("{} {}", m.generator, m.version);
    let description = format!(
        "co-occurrence graph: window {}, weight {}, {} documents",
        m.window, m.weight, m.documents
    );
    let mut w = writer(out)?;
    w.create_element("gexf")
        .with_attributes([
            ("xmlns", NS),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", SCHEMA),
            ("version", "1.3"),
        ])
        .write_inner_content(|w| {
            w.create_element("meta").write_inner_content(|w| {
                w.create_element("creator")
                    .write_text_content(BytesText::new(&xml_chars(&creator)))?;
                w.create_element("description")
                    .write_text_content(BytesText::new(&xml_chars(&description)))?;
                Ok(())
            })?;
            let mut el = w
                .create_element("graph")
                .with_attribute(("defaultedgetype", "undirected"));
            el = if dynamic {
                el.with_attributes([("mode", "dynamic"), ("timeformat", "date")])
            } else {
                el.with_attribute(("mode", "static"))
            };
            el.write_inner_content(|w| {
                attributes(w, "node", &nodes, dynamic)?;
                attributes(w, "edge", &edges, dynamic)?;
                w.create_element("nodes").write_inner_content(|w| {
                    for (n, values) in g.node_weights().zip(&nodes.rows) {
                        let id = xml_chars(&n.id);
                        let label = xml_chars(&n.label);
                        let span = Span::of(&n.time);
                        element(
                            w,
                            "node",
                            &[("id", &id), ("label", &label)],
                            &span,
                            values,
                            nodes.columns.len(),
                        )?;
                    }
                    Ok(())
                })?;
                w.create_element("edges").write_inner_content(|w| {
                    for (e, values) in g.edge_references().zip(&edges.rows) {
                        let id = format!("e{}", e.id().index());
                        let source = xml_chars(&g[e.source()].id);
                        let target = xml_chars(&g[e.target()].id);
                        let weight = e.weight().weight.to_string();
                        let span = Span::of(&e.weight().time);
                        element(
                            w,
                            "edge",
                            &[
                                ("id", &id),
                                ("source", &source),
                                ("target", &target),
                                ("weight", &weight),
                            ],
                            &span,
                            values,
                            edges.columns.len(),
                        )?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
            Ok(())
        })?;
    w.get_mut().write_all(b"\n")
}

/// A node's or edge's time as GEXF writes it: `start`/`end`, and per period `(value, start,
/// end)`.
struct Span {
    start: Option<String>,
    end: Option<String>,
    periods: Vec<(String, String, String)>,
}

impl Span {
    fn of(t: &DateSpan) -> Span {
        Span {
            start: t.first.map(|d| d.to_string()),
            end: t.last.map(|d| d.to_string()),
            periods: t
                .periods
                .iter()
                .map(|(k, n)| (n.to_string(), k.start.to_string(), k.last_day().to_string()))
                .collect(),
        }
    }
}

/// The `<attributes>` of one class: static (the table's columns, ids `0…`), then, in a
/// dynamic graph, the dynamic [`PERIOD_ATTRIBUTE`] (the next id).
fn attributes<W: Write>(
    w: &mut Writer<W>,
    class: &str,
    t: &Table,
    dynamic: bool,
) -> io::Result<()> {
    w.create_element("attributes")
        .with_attributes([("class", class), ("mode", "static")])
        .write_inner_content(|w| {
            for (k, c) in t.columns.iter().enumerate() {
                let id = k.to_string();
                w.create_element("attribute")
                    .with_attributes([
                        ("id", id.as_str()),
                        ("title", &xml_chars(&c.name)),
                        ("type", c.ty.as_str()),
                    ])
                    .write_empty()?;
            }
            Ok(())
        })?;
    if dynamic {
        let id = t.columns.len().to_string();
        w.create_element("attributes")
            .with_attributes([("class", class), ("mode", "dynamic")])
            .write_inner_content(|w| {
                w.create_element("attribute")
                    .with_attributes([
                        ("id", id.as_str()),
                        ("title", PERIOD_ATTRIBUTE),
                        ("type", "long"),
                    ])
                    .write_empty()?;
                Ok(())
            })?;
    }
    Ok(())
}

/// A `<node>` or `<edge>` with its XML attributes, time and attvalues.
fn element<W: Write>(
    w: &mut Writer<W>,
    name: &str,
    xml_attributes: &[(&str, &str)],
    span: &Span,
    values: &[Option<crate::attribute::AttrValue>],
    dynamic_id: usize,
) -> io::Result<()> {
    let mut el = w
        .create_element(name)
        .with_attributes(xml_attributes.iter().copied());
    if let Some(s) = &span.start {
        el = el.with_attribute(("start", s.as_str()));
    }
    if let Some(e) = &span.end {
        el = el.with_attribute(("end", e.as_str()));
    }
    el.write_inner_content(|w| {
        w.create_element("attvalues").write_inner_content(|w| {
            for (k, v) in values.iter().enumerate() {
                if let Some(v) = v {
                    let id = k.to_string();
                    w.create_element("attvalue")
                        .with_attributes([("for", id.as_str()), ("value", &value_text(v))])
                        .write_empty()?;
                }
            }
            let id = dynamic_id.to_string();
            for (value, start, end) in &span.periods {
                w.create_element("attvalue")
                    .with_attributes([
                        ("for", id.as_str()),
                        ("value", value.as_str()),
                        ("start", start.as_str()),
                        ("end", end.as_str()),
                    ])
                    .write_empty()?;
            }
            Ok(())
        })?;
        Ok(())
    })?;
    Ok(())
}
