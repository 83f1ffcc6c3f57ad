//! Node and edge tables as CSV (the `csv` crate: RFC 4180 quoting), in two header styles:
//! Gephi's spreadsheet import and Neo4j's `neo4j-admin database import`.
//!
//! # Contract
//!
//! - Columns: those of [`crate::export::columns`], after the ids. **Gephi** (`nodes.csv`,
//!   `edges.csv`): nodes `Id,Label,…`, edges `Source,Target,Type,Id,Weight,…` (`Type` is
//!   `Undirected`, `Id` is `e0`, `e1`, … in edge order, `Weight` the weight); Gephi guesses
//!   each column's type from its values, which are plain numbers and `true`/`false`.
//!   **Neo4j** (`neo4j-nodes.csv`, `neo4j-relationships.csv`): nodes `id:ID,label,:LABEL,…`
//!   with `:LABEL` `Entity;TYPE` (`Entity;PERSON`), relationships
//!   `:START_ID,:END_ID,:TYPE,…` with `:TYPE` `CO_OCCURS`, and every other header typed,
//!   `name:long`, `name:double`, `name:boolean`, `name:string`.
//! - One row per node (node order) or edge (edge order); an absent value is an empty cell.
//! - **Formulas**: in the Gephi tables, which are the ones opened in spreadsheets, a text
//!   cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` (as
//!   `report -f csv` does; numbers are never changed, so `-8.396` stays a number). The Neo4j
//!   files are import data, not spreadsheets: their text is written as it is, since a `'`
//!   would end up in the database.
//! - Text may hold line breaks (evidence windows): quoted, as CSV allows; neo4j-admin needs
//!   `--multiline-fields=true` to read them.

use std::io::{self, Write};

use petgraph::visit::EdgeRef;

use super::columns::{Column, ColumnType, Table, edge_table, node_table};
use crate::attribute::AttrValue;
use crate::graph::EntityGraph;
use crate::report::csv_text;

/// Which readers' header conventions a table follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvStyle {
    /// Gephi's spreadsheet import (`Id`, `Label`, `Source`, `Target`, `Weight`).
    Gephi,
    /// Neo4j's bulk import (`:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, typed headers).
    Neo4j,
}

/// The relationship type of every edge in the Neo4j table.
pub const NEO4J_RELATIONSHIP: &str = "CO_OCCURS";
/// The label every node carries in the Neo4j table, before its type.
pub const NEO4J_NODE_LABEL: &str = "Entity";

fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// A cell's text: numbers and booleans as they print, text guarded against formulas in the
/// Gephi style.
fn cell(v: &Option<AttrValue>, style: CsvStyle) -> String {
    match v {
        None => String::new(),
        Some(AttrValue::String(s)) if style == CsvStyle::Gephi => csv_text(s),
        Some(v) => v.to_string(),
    }
}

fn header(c: &Column, style: CsvStyle) -> String {
    match style {
        CsvStyle::Gephi => c.name.clone(),
        CsvStyle::Neo4j => format!("{}:{}", c.name, c.ty.as_str()),
    }
}

fn text(s: &str, style: CsvStyle) -> String {
    cell(&Some(AttrValue::String(s.to_string())), style)
}

/// Writes the node table of `graph` in `style` to `out` (see the [module docs](self)).
pub fn write_nodes_csv<W: Write>(graph: &EntityGraph, style: CsvStyle, out: W) -> io::Result<()> {
    let t: Table = node_table(graph);
    let mut w = csv::Writer::from_writer(out);
    let mut head: Vec<String> = match style {
        CsvStyle::Gephi => vec!["Id".into(), "Label".into()],
        CsvStyle::Neo4j => vec!["id:ID".into(), "label:string".into(), ":LABEL".into()],
    };
    head.extend(t.columns.iter().map(|c| header(c, style)));
    w.write_record(&head).map_err(io_error)?;
    for (n, values) in graph.graph.node_weights().zip(&t.rows) {
        let mut rec = vec![text(&n.id, style), text(&n.label, style)];
        if style == CsvStyle::Neo4j {
            rec.push(format!("{NEO4J_NODE_LABEL};{}", n.kind));
        }
        rec.extend(values.iter().map(|v| cell(v, style)));
        w.write_record(&rec).map_err(io_error)?;
    }
    w.flush()
}

/// Writes the edge table of `graph` in `style` to `out` (see the [module docs](self)).
pub fn write_edges_csv<W: Write>(graph: &EntityGraph, style: CsvStyle, out: W) -> io::Result<()> {
    let t = edge_table(graph);
    // The weight is Gephi's `Weight` column; Neo4j keeps it as a typed property.
    let skip_weight = style == CsvStyle::Gephi;
    debug_assert!(t.columns[0].name == "weight" && t.columns[0].ty == ColumnType::Double);
    let rest = usize::from(skip_weight);
    let mut w = csv::Writer::from_writer(out);
    let mut head: Vec<String> = match style {
        CsvStyle::Gephi => ["Source", "Target", "Type", "Id", "Weight"]
            .map(String::from)
            .to_vec(),
        CsvStyle::Neo4j => [":START_ID", ":END_ID", ":TYPE"].map(String::from).to_vec(),
    };
    head.extend(t.columns[rest..].iter().map(|c| header(c, style)));
    w.write_record(&head).map_err(io_error)?;
    let g = &graph.graph;
    for (e, values) in g.edge_references().zip(&t.rows) {
        let mut rec = vec![
            text(&g[e.source()].id, style),
            text(&g[e.target()].id, style),
        ];
        match style {
            CsvStyle::Gephi => rec.extend([
                "Undirected".to_string(),
                format!("e{}", e.id().index()),
                cell(&values[0], style),
            ]),
            CsvStyle::Neo4j => rec.push(NEO4J_RELATIONSHIP.to_string()),
        }
        rec.extend(values[rest..].iter().map(|v| cell(v, style)));
        w.write_record(&rec).map_err(io_error)?;
    }
    w.flush()
}
