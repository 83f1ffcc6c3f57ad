//! The graph as two typed tables, nodes and edges: the one list of columns and values that
//! the attribute formats (GraphML, GEXF, the CSV tables) write, so they all carry the same
//! attributes under the same names and types.
//!
//! # Contract
//!
//! - Node columns, in order (the node's `id` and `label` are not columns: every format has its
//!   own place for them): `type`, `mentions`, `documents`, `windows`, `degree`,
//!   `weighted_degree`, `pagerank`, `component`, `community`, `betweenness`, `aliases` (the
//!   surface forms and counts as JSON text, `{"Lee":3}`), `provisional` (boolean); `cue` if
//!   any node is provisional; `first`, `last` (`YYYY-MM-DD`) and `periods` (JSON text,
//!   `{"2025-10":4}`) if any node is dated; then every gazetteer attribute that any node has,
//!   in name order, under its key: [`crate::export::json::attribute_key`], and an attribute
//!   named like one of [`TABLE_RESERVED`] is prefixed `attr_` too (those names mean something
//!   to GEXF, GraphML or the CSV readers).
//! - Edge columns: `weight`, `count`, `documents`; `first`, `last`, `periods` if any edge is
//!   dated; then the evidence, which a flat table cannot hold whole: `evidence` (how many
//!   windows were kept) and the first one's `evidence_doc`, `evidence_start`, `evidence_end`
//!   and `evidence_text` (graph.json has them all).
//! - Types: counts are [`ColumnType::Long`], measures [`ColumnType::Double`], a gazetteer
//!   attribute takes the type of its values ([`crate::attribute::common_type`]: its declared
//!   type). A value is `None` where a node lacks the attribute, or is not dated.

use std::borrow::Cow;

use crate::attribute::{AttrType, AttrValue, common_type};
use crate::date::DateSpan;
use crate::export::json::{ATTRIBUTE_PREFIX, attribute_key};
use crate::graph::{EntityGraph, Node};

/// Attribute names that the table formats give a meaning of their own (GEXF's `start` and
/// `end`, networkx's GEXF `spells` and `weight`, Gephi's `Id`, `Label`, `Source`, `Target`,
/// `Type` and `Weight` in any case, Neo4j's `:`-prefixed names are impossible: the loader
/// takes no `:` in a name); an attribute of one of these names, in any case, is written as
/// `attr_` + its name.
pub const TABLE_RESERVED: &[&str] = &[
    "start", "end", "spells", "weight", "source", "target", "pid", "timeset",
];

/// The type of a column, as the formats name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// Text.
    String,
    /// A 64-bit integer.
    Long,
    /// A 64-bit float.
    Double,
    /// A truth value.
    Boolean,
}

impl ColumnType {
    /// The name GraphML's `attr.type`, GEXF's `type` and Neo4j's typed headers share for it
    /// (`string`, `long`, `double`, `boolean`).
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::String => "string",
            ColumnType::Long => "long",
            ColumnType::Double => "double",
            ColumnType::Boolean => "boolean",
        }
    }

    fn of(t: AttrType) -> ColumnType {
        match t {
            AttrType::String => ColumnType::String,
            AttrType::Int => ColumnType::Long,
            AttrType::Float => ColumnType::Double,
            AttrType::Bool => ColumnType::Boolean,
        }
    }
}

/// A column: its name (unique in its table) and type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// The name, as written.
    pub name: String,
    /// The type of every value in it.
    pub ty: ColumnType,
}

/// A typed table: `rows[i][j]` is row `i`'s value in `columns[j]`, `None` when it has none.
/// Values agree with their column's type (an int in a double column is converted).
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The columns, in output order.
    pub columns: Vec<Column>,
    /// One row per node (in node order) or edge (in edge order).
    pub rows: Vec<Vec<Option<AttrValue>>>,
}

fn col(name: &str, ty: ColumnType) -> Column {
    Column {
        name: name.to_string(),
        ty,
    }
}

fn long(n: impl TryInto<i64>) -> Option<AttrValue> {
    // Counts never reach 2^63; saturate rather than wrap if one did.
    Some(AttrValue::Int(n.try_into().unwrap_or(i64::MAX)))
}

fn double(x: f64) -> Option<AttrValue> {
    Some(AttrValue::Float(x))
}

fn text(s: impl Into<String>) -> Option<AttrValue> {
    Some(AttrValue::String(s.into()))
}

/// The key of gazetteer attribute `name` in the tables.
pub fn table_attribute_key(name: &str) -> String {
    if TABLE_RESERVED.iter().any(|r| r.eq_ignore_ascii_case(name))
        || ["id", "label", "type"]
            .iter()
            .any(|r| r.eq_ignore_ascii_case(name) && *r != name)
    {
        format!("{ATTRIBUTE_PREFIX}{name}")
    } else {
        attribute_key(name)
    }
}

/// `first`, `last` and `periods` of a span, for a dated table.
fn time_cells(span: &DateSpan) -> [Option<AttrValue>; 3] {
    if span.is_empty() {
        return [None, None, None];
    }
    let periods: serde_json::Map<String, serde_json::Value> = span
        .periods
        .iter()
        .map(|(k, n)| (k.to_string(), (*n).into()))
        .collect();
    [
        span.first.map(|d| AttrValue::String(d.to_string())),
        span.last.map(|d| AttrValue::String(d.to_string())),
        text(serde_json::Value::Object(periods).to_string()),
    ]
}

/// The node table of `graph` (see the [module docs](self)).
pub fn node_table(graph: &EntityGraph) -> Table {
    use ColumnType::*;
    let nodes: Vec<&Node> = graph.graph.node_weights().collect();
    let mut columns = vec![
        col("type", String),
        col("mentions", Long),
        col("documents", Long),
        col("windows", Long),
        col("degree", Long),
        col("weighted_degree", Double),
        col("pagerank", Double),
        col("component", Long),
        col("community", Long),
        col("betweenness", Double),
        col("aliases", String),
        col("provisional", Boolean),
    ];
    let cue = nodes.iter().any(|n| n.provisional.is_some());
    if cue {
        columns.push(col("cue", String));
    }
    let dated = nodes.iter().any(|n| !n.time.is_empty());
    if dated {
        columns.extend([
            col("first", String),
            col("last", String),
            col("periods", String),
        ]);
    }
    // Every attribute name any node has, in name order, with the type of its values.
    let mut names: Vec<&str> = nodes
        .iter()
        .flat_map(|n| n.attributes.keys().map(std::string::String::as_str))
        .collect();
    names.sort_unstable();
    names.dedup();
    let types: Vec<ColumnType> = names
        .iter()
        .map(|name| {
            ColumnType::of(common_type(
                nodes.iter().filter_map(|n| n.attributes.get(*name)),
            ))
        })
        .collect();
    columns.extend(
        names
            .iter()
            .zip(&types)
            .map(|(name, ty)| col(&table_attribute_key(name), *ty)),
    );
    let rows = nodes
        .iter()
        .map(|n| {
            let aliases = serde_json::to_string(&n.aliases).expect("a map of counts");
            let mut row = vec![
                text(n.kind.as_str()),
                long(n.mentions),
                long(n.documents),
                long(n.windows),
                long(n.degree),
                double(n.weighted_degree),
                double(n.pagerank),
                long(n.component),
                long(n.community),
                double(n.betweenness),
                text(aliases),
                Some(AttrValue::Bool(n.provisional.is_some())),
            ];
            if cue {
                row.push(n.provisional.as_deref().and_then(text_if_any));
            }
            if dated {
                row.extend(time_cells(&n.time));
            }
            row.extend(names.iter().zip(&types).map(|(name, ty)| {
                n.attributes
                    .get(*name)
                    .map(|v| convert(Cow::Borrowed(v), *ty))
            }));
            row
        })
        .collect();
    Table { columns, rows }
}

fn text_if_any(s: &str) -> Option<AttrValue> {
    (!s.is_empty()).then(|| AttrValue::String(s.to_string()))
}

/// `v` as a value of a column of type `ty` (an int in a double column becomes a float; in a
/// text column, anything becomes its text).
fn convert(v: Cow<'_, AttrValue>, ty: ColumnType) -> AttrValue {
    match (ty, v.as_ref()) {
        (ColumnType::Double, AttrValue::Int(i)) => AttrValue::Float(*i as f64),
        (ColumnType::String, AttrValue::String(_)) => v.into_owned(),
        (ColumnType::String, other) => AttrValue::String(other.to_string()),
        _ => v.into_owned(),
    }
}

/// The edge table of `graph` (see the [module docs](self)).
pub fn edge_table(graph: &EntityGraph) -> Table {
    use ColumnType::*;
    let g = &graph.graph;
    let mut columns = vec![
        col("weight", Double),
        col("count", Long),
        col("documents", Long),
    ];
    let dated = g.edge_weights().any(|e| !e.time.is_empty());
    if dated {
        columns.extend([
            col("first", String),
            col("last", String),
            col("periods", String),
        ]);
    }
    columns.extend([
        col("evidence", Long),
        col("evidence_doc", String),
        col("evidence_start", Long),
        col("evidence_end", Long),
        col("evidence_text", String),
    ]);
    let rows = g
        .edge_references()
        .map(|e| {
            let w = e.weight();
            let mut row = vec![double(w.weight), long(w.count), long(w.documents)];
            if dated {
                row.extend(time_cells(&w.time));
            }
            let first = w.evidence.first();
            row.extend([
                long(w.evidence.len()),
                first.map(|ev| AttrValue::String(ev.doc.clone())),
                first.and_then(|ev| long(ev.start)),
                first.and_then(|ev| long(ev.end)),
                first.map(|ev| AttrValue::String(ev.text.to_string())),
            ]);
            row
        })
        .collect();
    Table { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_are_prefixed_whatever_their_case() {
        assert_eq!(table_attribute_key("start"), "attr_start");
        assert_eq!(table_attribute_key("Weight"), "attr_Weight");
        assert_eq!(table_attribute_key("Label"), "attr_Label");
        assert_eq!(table_attribute_key("label"), "attr_label");
        assert_eq!(table_attribute_key("attr_x"), "attr_attr_x");
        assert_eq!(table_attribute_key("lat"), "lat");
    }

    #[test]
    fn values_follow_their_column() {
        let i = AttrValue::Int(3);
        assert_eq!(
            convert(Cow::Borrowed(&i), ColumnType::Double),
            AttrValue::Float(3.0)
        );
        assert_eq!(
            convert(Cow::Borrowed(&i), ColumnType::String),
            AttrValue::String("3".into())
        );
        assert_eq!(convert(Cow::Borrowed(&i), ColumnType::Long), i);
    }
}
