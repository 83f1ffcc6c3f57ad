//! GraphML export of an [`EntityGraph`], with typed keys: what networkx's `read_graphml`,
//! python-igraph's `Graph.Read_GraphML`, Gephi, Cytoscape and yEd read.
//!
//! # Contract
//!
//! - One `<key>` per column, ids `g0…` (graph), `n0…` (nodes), `e0…` (edges), each named
//!   once per domain (`attr.name`) with its `attr.type`: `long` for counts and `int`
//!   attributes, `double` for measures and `float` attributes, `boolean`, `string`.
//! - Graph data: `generator`, `version`, `window`, `weighting` (graph.json's `weight`),
//!   `documents`, `windows`, `mentions`, `modularity`.
//! - `<graph edgedefault="undirected">`; a node's `id` is the entity id, its first data
//!   `label`, then the node columns of [`crate::export::columns`]; an edge's `id` is `e0`,
//!   `e1`, … in edge order, its data the edge columns. A value a node or edge lacks is left
//!   out (GraphML has no null).
//! - Text is escaped by quick-xml; characters XML 1.0 forbids become U+FFFD
//!   ([`crate::export::xml::xml_chars`]). The same graph always gives the same bytes.

use std::io::{self, Write};

use petgraph::visit::EdgeRef;
use quick_xml::Writer;
use quick_xml::events::BytesText;

use super::columns::{Column, ColumnType, Table, edge_table, node_table};
use super::xml::{value_text, writer, xml_chars};
use crate::attribute::AttrValue;
use crate::graph::EntityGraph;

const NS: &str = "http://graphml.graphdrawing.org/xmlns";
const SCHEMA: &str =
    "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd";

/// Writes `graph` as GraphML to `out` (see the [module docs](self)).
pub fn write_graphml<W: Write>(graph: &EntityGraph, out: W) -> io::Result<()> {
    let nodes = node_table(graph);
    let edges = edge_table(graph);
    let m = &graph.meta;
    let graph_data: Vec<(Column, AttrValue)> = vec![
        text_col("generator", &m.generator),
        text_col("version", &m.version),
        text_col("window", &m.window),
        text_col("weighting", &m.weight),
        long_col("documents", m.documents),
        long_col("windows", m.windows),
        long_col("mentions", m.mentions),
        (
            Column {
                name: "modularity".into(),
                ty: ColumnType::Double,
            },
            AttrValue::Float(m.modularity),
        ),
    ];
    let node_label = Column {
        name: "label".into(),
        ty: ColumnType::String,
    };
    let mut w = writer(out)?;
    w.create_element("graphml")
        .with_attributes([
            ("xmlns", NS),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", SCHEMA),
        ])
        .write_inner_content(|w| {
            let graph_columns: Vec<&Column> = graph_data.iter().map(|(c, _)| c).collect();
            keys(w, "graph", "g", graph_columns.into_iter())?;
            keys(
                w,
                "node",
                "n",
                std::iter::once(&node_label).chain(&nodes.columns),
            )?;
            keys(w, "edge", "e", edges.columns.iter())?;
            w.create_element("graph")
                .with_attributes([("id", "G"), ("edgedefault", "undirected")])
                .write_inner_content(|w| {
                    for (k, (_, v)) in graph_data.iter().enumerate() {
                        data(w, &format!("g{k}"), v)?;
                    }
                    write_nodes(w, graph, &nodes)?;
                    write_edges(w, graph, &edges)
                })?;
            Ok(())
        })?;
    w.get_mut().write_all(b"\n")
}

fn text_col(name: &str, value: &str) -> (Column, AttrValue) {
    (
        Column {
            name: name.into(),
            ty: ColumnType::String,
        },
        AttrValue::String(value.to_string()),
    )
}

fn long_col(name: &str, value: u64) -> (Column, AttrValue) {
    (
        Column {
            name: name.into(),
            ty: ColumnType::Long,
        },
        AttrValue::Int(i64::try_from(value).unwrap_or(i64::MAX)),
    )
}

/// The `<key>`s of one domain, ids `{prefix}0`, `{prefix}1`, … in column order.
fn keys<'c, W: Write>(
    w: &mut Writer<W>,
    domain: &str,
    prefix: &str,
    columns: impl Iterator<Item = &'c Column>,
) -> io::Result<()> {
    for (k, c) in columns.enumerate() {
        let id = format!("{prefix}{k}");
        let name = xml_chars(&c.name);
        w.create_element("key")
            .with_attributes([
                ("id", id.as_str()),
                ("for", domain),
                ("attr.name", &name),
                ("attr.type", c.ty.as_str()),
            ])
            .write_empty()?;
    }
    Ok(())
}

fn data<W: Write>(w: &mut Writer<W>, key: &str, v: &AttrValue) -> io::Result<()> {
    w.create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(&value_text(v)))?;
    Ok(())
}

/// The data of one row: key `{prefix}{k + offset}` for column `k`, present values only.
fn row<W: Write>(
    w: &mut Writer<W>,
    prefix: &str,
    offset: usize,
    row: &[Option<AttrValue>],
) -> io::Result<()> {
    for (k, v) in row.iter().enumerate() {
        if let Some(v) = v {
            data(w, &format!("{prefix}{}", k + offset), v)?;
        }
    }
    Ok(())
}

fn write_nodes<W: Write>(w: &mut Writer<W>, graph: &EntityGraph, t: &Table) -> io::Result<()> {
    for (n, values) in graph.graph.node_weights().zip(&t.rows) {
        w.create_element("node")
            .with_attribute(("id", xml_chars(&n.id).as_ref()))
            .write_inner_content(|w| {
                data(w, "n0", &AttrValue::String(n.label.clone()))?;
                row(w, "n", 1, values)
            })?;
    }
    Ok(())
}

fn write_edges<W: Write>(w: &mut Writer<W>, graph: &EntityGraph, t: &Table) -> io::Result<()> {
    let g = &graph.graph;
    for (e, values) in g.edge_references().zip(&t.rows) {
        let id = format!("e{}", e.id().index());
        w.create_element("edge")
            .with_attributes([
                ("id", id.as_str()),
                ("source", xml_chars(&g[e.source()].id).as_ref()),
                ("target", xml_chars(&g[e.target()].id).as_ref()),
            ])
            .write_inner_content(|w| row(w, "e", 0, values))?;
    }
    Ok(())
}
