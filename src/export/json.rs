//! JSON export of an [`EntityGraph`], in three styles.
//!
//! # Styles
//!
//! - [`JsonStyle::NodeLink`] (default): the node-link format of D3 and networkx, loadable
//!   unchanged with `networkx.node_link_graph(data, edges="links")`:
//!   ```json
//!   {"directed": false, "multigraph": false, "graph": {…meta…},
//!    "nodes": [{"id": "ada", "label": "Ada", "type": "PERSON", …}],
//!    "links": [{"source": "ada", "target": "acme", "weight": 2.0, …}]}
//!   ```
//!   `schemas/graph.schema.json` (JSON Schema, draft 2020-12) describes every field.
//! - [`JsonStyle::Edges`]: the same document with the key `edges` instead of `links`, which is
//!   what `networkx.node_link_graph(data)` reads by default from networkx 3.6 on.
//! - [`JsonStyle::Cytoscape`]: Cytoscape.js elements JSON, accepted by
//!   `cytoscape({elements: data.elements})` and `cy.json(data)`:
//!   ```json
//!   {"elements": {"nodes": [{"data": {"id": "ada", "label": "Ada", "type": "PERSON", …}}],
//!                 "edges": [{"data": {"id": "e0", "source": "ada", "target": "acme", …}}]},
//!    "data": {…meta…}}
//!   ```
//!   Node `data` holds the same keys as a node-link node; edge `data` holds `id`, then the
//!   same keys as a node-link link.
//!
//! # Model
//!
//! The documents are typed: [`NodeLinkGraph`] (both node-link styles) and [`CytoscapeGraph`],
//! made of [`JsonNode`], [`JsonLink`] and [`crate::graph::EdgeEvidence`], `Serialize` and
//! `Deserialize`. `write_json` writes them (borrowing from the graph) and `report --graph`
//! reads them back ([`crate::report::ReportGraph::from_json`]), so writer and reader cannot
//! disagree; the tests check that `schemas/graph.schema.json` lists exactly their keys.

//! # Contract
//!
//! - Nodes and edges appear in petgraph index order (for a built graph: nodes by mentions
//!   then id, edges by their endpoints' node order). Keys appear in a fixed order. The output
//!   is pretty-printed with 2-space indentation and ends with a newline, so the same graph
//!   always gives the same bytes.
//! - A node's keys are `id`, `label`, `type`, `mentions`, `documents`, `windows`, `degree`,
//!   `weighted_degree`, `pagerank`, `component`, `community`, `betweenness`, `aliases` (surface
//!   form → count), then,
//!   for a provisional entity found by discovery (id `new:…`) only, `provisional` (`true`) and
//!   `cue` (the cue that typed it, `title:analyst`), then, when a dated document mentions
//!   it, `first` and `last` (`YYYY-MM-DD`) and `periods` (period label → windows, see
//!   [`crate::date`]), then its gazetteer attributes (strings, or numbers and booleans where the gazetteer header declares the type, see [`crate::attribute`]) flattened into the node
//!   object, in name order. A gazetteer entity has neither `provisional` nor `cue`; in a
//!   corpus without dates no node or link has `first`, `last` or `periods`, and the graph
//!   metadata has none of `dated_documents`, `undated_documents`, `excluded_documents`,
//!   `first`, `last`, `period`, `documents_by_period`, `since`, `until`
//!   ([`crate::graph::TimeMeta`]).
//! - **Attribute names never overwrite built-in keys.** An attribute named like one of
//!   [`RESERVED_NODE_KEYS`] (e.g. `label`, `degree`, or Cytoscape's `parent`), or whose name
//!   already starts with `attr_`, is written as `attr_` + its name; every other attribute
//!   keeps its name. The rule is injective (no two attributes share a key) and needs no
//!   look at the other attributes: to recover a name, strip one leading `attr_`.
//! - A link's keys are `source`, `target` (node ids), `weight`, `count`, `documents`,
//!   `first`, `last`, `periods` (when a dated document holds the pair),
//!   `evidence` (`[{doc, start, end, text, spans, title, date}]`, the last two only where the
//!   document has them, byte offsets into the document's text;
//!   `spans` is `{"source": [[s, e], …], "target": [[s, e], …]}`, the two entities' mentions
//!   inside `text`, see [`crate::graph::EvidenceSpans`]).
//! - Floats are printed as serde_json prints them (shortest round-trip form, `2.0` for
//!   whole numbers). A non-finite float (which the weightings never produce for a pair that
//!   was seen) is written as `null`.
//! - Cytoscape edge ids are `e0`, `e1`, … in edge order. Cytoscape.js needs ids to be unique
//!   across nodes *and* edges, so if a node id would clash with one of them, the prefix
//!   becomes `e_`, `e__`, … (the first one free of clashes).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};

use petgraph::visit::EdgeRef;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::attribute::AttrValue;
use crate::date::DateSpan;
use crate::graph::{EdgeEvidence, EntityGraph, GraphMeta, Node};

/// The shape of the JSON written by [`write_json`]; see the [module docs](self).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum JsonStyle {
    /// D3 / networkx node-link: `{"directed", "multigraph", "graph", "nodes", "links"}`.
    #[default]
    NodeLink,
    /// Node-link with `edges` instead of `links` (networkx ≥ 3.6 default).
    Edges,
    /// Cytoscape.js: `{"elements": {"nodes": [{"data"}], "edges": [{"data"}]}, "data"}`.
    Cytoscape,
}

impl JsonStyle {
    /// Every style, in the order the command line lists them.
    pub const ALL: [JsonStyle; 3] = [JsonStyle::NodeLink, JsonStyle::Edges, JsonStyle::Cytoscape];

    /// The name used on the command line (`--json-style cytoscape`).
    pub fn as_str(self) -> &'static str {
        match self {
            JsonStyle::NodeLink => "node-link",
            JsonStyle::Edges => "edges",
            JsonStyle::Cytoscape => "cytoscape",
        }
    }
}

/// Built-in node keys, in output order, plus `parent` (which Cytoscape.js reads as the
/// compound-node parent). Gazetteer attributes with these names, or whose names start with
/// [`ATTRIBUTE_PREFIX`], are written with [`ATTRIBUTE_PREFIX`] prepended.
pub const RESERVED_NODE_KEYS: &[&str] = &[
    "id",
    "label",
    "type",
    "mentions",
    "documents",
    "windows",
    "degree",
    "weighted_degree",
    "pagerank",
    "component",
    "community",
    "betweenness",
    "aliases",
    "provisional",
    "cue",
    "first",
    "last",
    "periods",
    "parent",
];

/// Prepended to attribute names that would clash with a built-in key.
pub const ATTRIBUTE_PREFIX: &str = "attr_";

/// The key under which a gazetteer attribute named `name` is written.
pub fn attribute_key(name: &str) -> String {
    attribute_key_cow(name).into_owned()
}

fn attribute_key_cow(name: &str) -> Cow<'_, str> {
    if RESERVED_NODE_KEYS.contains(&name) || name.starts_with(ATTRIBUTE_PREFIX) {
        Cow::Owned(format!("{ATTRIBUTE_PREFIX}{name}"))
    } else {
        Cow::Borrowed(name)
    }
}

// ---------------------------------------------------------------------------------------
// The document model: written by `write_json`, read back by `report --graph`.
//
// Writing borrows from the graph (`Cow::Borrowed`); reading owns. Field order is output
// order. Floats are `f64`, which serde_json writes in its shortest round-trip form (`2.0`) and
// as `null` when not finite; reading turns `null` back into NaN. Reading is lenient where a
// graph.json from an older entgraph (or trimmed by hand) may lack a key: counts default to 0,
// strings to "", evidence spans to none.

/// The node-link document (styles `node-link` and `edges`):
/// `{"directed", "multigraph", "graph", "nodes", "links" | "edges"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeLinkGraph<'a> {
    /// Always `false`: the graph is undirected (read as `false` when absent).
    #[serde(default)]
    pub directed: bool,
    /// Always `false`: one edge at most per pair (read as `false` when absent).
    #[serde(default)]
    pub multigraph: bool,
    /// How the graph was made (always written; optional when reading).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graph: Option<Cow<'a, GraphMeta>>,
    /// The nodes, in the graph's order (mentions, descending, then id).
    pub nodes: Vec<JsonNode<'a>>,
    /// The edges, in the `node-link` style.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<JsonLink<'a>>>,
    /// The edges, in the `edges` style.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edges: Option<Vec<JsonLink<'a>>>,
}

/// The Cytoscape.js document: `{"elements": {"nodes": [{"data"}], "edges": [{"data"}]},
/// "data"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CytoscapeGraph<'a> {
    /// The nodes and edges.
    pub elements: CytoscapeElements<'a>,
    /// How the graph was made (always written; optional when reading).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Cow<'a, GraphMeta>>,
}

/// Cytoscape.js elements.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CytoscapeElements<'a> {
    /// The nodes, in the graph's order.
    #[serde(default)]
    pub nodes: Vec<CytoscapeData<JsonNode<'a>>>,
    /// The edges, in the graph's order.
    #[serde(default)]
    pub edges: Vec<CytoscapeData<CytoscapeEdge<'a>>>,
}

/// A Cytoscape.js element: `{"data": …}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CytoscapeData<T> {
    /// The element's fields.
    pub data: T,
}

/// A Cytoscape.js edge's data: `id`, then the node-link link's keys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CytoscapeEdge<'a> {
    /// The edge's id: a prefix (`e`, or `e_`, `e__`, … if that would clash with a node id) and the
    /// edge's index.
    #[serde(deserialize_with = "id_string")]
    pub id: Cow<'a, str>,
    /// The link's keys, as members of `data`.
    #[serde(flatten)]
    pub link: JsonLink<'a>,
}

/// A node (node-link node, or a Cytoscape node's `data`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JsonNode<'a> {
    /// The node id: the gazetteer id, or `new:<slug>` for a provisional entity. Read from any JSON
    /// scalar (as its JSON text); `null` is an error.
    #[serde(deserialize_with = "id_string")]
    pub id: Cow<'a, str>,
    /// The entity's canonical name.
    #[serde(default)]
    pub label: Cow<'a, str>,
    /// The type label (`PERSON`, `ORG`, …), written as `type`.
    #[serde(rename = "type", default)]
    pub kind: Cow<'a, str>,
    /// Mentions of the entity in the corpus.
    #[serde(default)]
    pub mentions: u64,
    /// Documents with at least one mention.
    #[serde(default)]
    pub documents: u64,
    /// Windows with at least one mention.
    #[serde(default)]
    pub windows: u64,
    /// Edges of the node.
    #[serde(default)]
    pub degree: usize,
    /// Sum of the weights of its edges; `null` when not finite, read back as NaN.
    #[serde(default, deserialize_with = "float_or_null")]
    pub weighted_degree: f64,
    /// PageRank (ranks sum to 1); `null` when not finite, read back as NaN.
    #[serde(default, deserialize_with = "float_or_null")]
    pub pagerank: f64,
    /// Connected component, numbered from 0 by decreasing size.
    #[serde(default)]
    pub component: usize,
    /// Community (Leiden, weighted), numbered from 0 by decreasing size.
    #[serde(default)]
    pub community: usize,
    /// Normalized betweenness centrality; `null` when not finite, read back as NaN.
    #[serde(default, deserialize_with = "float_or_null")]
    pub betweenness: f64,
    /// Surface form → count.
    #[serde(default)]
    pub aliases: Cow<'a, BTreeMap<String, u64>>,
    /// Written (as `true`) only for a provisional entity found by discovery; read as true
    /// only from `true`.
    #[serde(
        default,
        skip_serializing_if = "std::ops::Not::not",
        deserialize_with = "only_true"
    )]
    pub provisional: bool,
    /// The cue that typed a provisional entity; written only with `provisional`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<Cow<'a, str>>,
    /// `first`, `last` and `periods` of the dated documents mentioning the entity, flattened
    /// into the node; each key absent when nothing dated mentions it ([`DateSpan`]).
    #[serde(flatten)]
    pub time: Cow<'a, DateSpan>,
    /// Gazetteer attributes, flattened into the node under their keys ([`attribute_key`]).
    #[serde(flatten)]
    pub attributes: Attributes<'a>,
}

/// A link (node-link link, or the rest of a Cytoscape edge's `data`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JsonLink<'a> {
    /// The id of the edge's first node (the earlier in node order).
    #[serde(deserialize_with = "id_string")]
    pub source: Cow<'a, str>,
    /// The id of the edge's second node.
    #[serde(deserialize_with = "id_string")]
    pub target: Cow<'a, str>,
    /// The edge weight, as [`GraphMeta::weight`] names it; `null` when not finite, read back as
    /// NaN.
    #[serde(default, deserialize_with = "float_or_null")]
    pub weight: f64,
    /// Windows in which both entities appear.
    #[serde(default)]
    pub count: u64,
    /// Documents in which both appear in one window.
    #[serde(default)]
    pub documents: u64,
    /// `first`, `last` and `periods` of the dated documents in which both share a window,
    /// flattened into the link; absent when only undated documents hold the pair.
    #[serde(flatten)]
    pub time: Cow<'a, DateSpan>,
    /// The first evidence windows, in input order.
    #[serde(default)]
    pub evidence: Cow<'a, [EdgeEvidence]>,
}

/// A node's attributes as `(key, value)` pairs in output order (by attribute name), keys as
/// written ([`attribute_key`]: strip one leading `attr_` to get a prefixed name back). Written
/// as members of the node object, typed ([`AttrValue`]); read from every member that is not a
/// built-in key (a string, number or boolean keeps its type; any other value is kept as its
/// JSON text).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attributes<'a>(pub Vec<(Cow<'a, str>, Cow<'a, AttrValue>)>);

impl Serialize for Attributes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Attributes<'_> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Attributes<'static>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("node attributes")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, AttrValue>()? {
                    out.push((Cow::Owned(k), Cow::Owned(v)));
                }
                Ok(Attributes(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// An id: a string, or (from other tools) any other JSON scalar, as its JSON text.
fn id_string<'de, 'a, D: Deserializer<'de>>(d: D) -> Result<Cow<'a, str>, D::Error> {
    Ok(Cow::Owned(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Null => return Err(de::Error::custom("null id")),
        other => other.to_string(),
    }))
}

/// `true` for JSON `true`, false for any other value.
fn only_true<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Value::deserialize(d)? == Value::Bool(true))
}

/// A float, `null` (how a non-finite float is written) read as NaN.
fn float_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

impl<'a> JsonNode<'a> {
    /// The node of `n`, borrowing from it.
    pub fn of(n: &'a Node) -> Self {
        JsonNode {
            id: Cow::Borrowed(&n.id),
            label: Cow::Borrowed(&n.label),
            kind: Cow::Borrowed(&n.kind),
            mentions: n.mentions,
            documents: n.documents,
            windows: n.windows,
            degree: n.degree,
            weighted_degree: n.weighted_degree,
            pagerank: n.pagerank,
            component: n.component,
            community: n.community,
            betweenness: n.betweenness,
            aliases: Cow::Borrowed(&n.aliases),
            provisional: n.provisional.is_some(),
            cue: n.provisional.as_deref().map(Cow::Borrowed),
            time: Cow::Borrowed(&n.time),
            attributes: Attributes(
                n.attributes
                    .iter()
                    .map(|(k, v)| (attribute_key_cow(k), Cow::Borrowed(v)))
                    .collect(),
            ),
        }
    }
}

/// The links of `graph`, in edge order, borrowing from it.
fn links(graph: &EntityGraph) -> impl Iterator<Item = JsonLink<'_>> {
    let g = &graph.graph;
    g.edge_references().map(move |e| JsonLink {
        source: Cow::Borrowed(&g[e.source()].id),
        target: Cow::Borrowed(&g[e.target()].id),
        weight: e.weight().weight,
        count: e.weight().count,
        documents: e.weight().documents,
        time: Cow::Borrowed(&e.weight().time),
        evidence: Cow::Borrowed(&e.weight().evidence),
    })
}

impl<'a> NodeLinkGraph<'a> {
    /// The document of `graph` in the `node-link` style, or `edges` if `edges_key`.
    pub fn of(graph: &'a EntityGraph, edges_key: bool) -> Self {
        let links: Vec<JsonLink> = links(graph).collect();
        let (links, edges) = if edges_key {
            (None, Some(links))
        } else {
            (Some(links), None)
        };
        NodeLinkGraph {
            directed: false,
            multigraph: false,
            graph: Some(Cow::Borrowed(&graph.meta)),
            nodes: graph.graph.node_weights().map(JsonNode::of).collect(),
            links,
            edges,
        }
    }

    /// The edge list, under whichever key it was read (`links` first).
    pub fn edge_list(&self) -> &[JsonLink<'a>] {
        self.links
            .as_deref()
            .or(self.edges.as_deref())
            .unwrap_or(&[])
    }
}

impl<'a> CytoscapeGraph<'a> {
    /// The Cytoscape.js document of `graph`.
    pub fn of(graph: &'a EntityGraph) -> Self {
        let prefix = edge_id_prefix(graph);
        CytoscapeGraph {
            elements: CytoscapeElements {
                nodes: graph
                    .graph
                    .node_weights()
                    .map(|n| CytoscapeData {
                        data: JsonNode::of(n),
                    })
                    .collect(),
                edges: links(graph)
                    .enumerate()
                    .map(|(i, link)| CytoscapeData {
                        data: CytoscapeEdge {
                            id: Cow::Owned(format!("{prefix}{i}")),
                            link,
                        },
                    })
                    .collect(),
            },
            data: Some(Cow::Borrowed(&graph.meta)),
        }
    }
}

/// Writes `graph` as pretty-printed JSON (2-space indent) in `style`, followed by a newline.
/// The bytes depend only on the graph and the style.
pub fn write_json(graph: &EntityGraph, style: JsonStyle, w: &mut dyn Write) -> io::Result<()> {
    match style {
        JsonStyle::NodeLink | JsonStyle::Edges => serde_json::to_writer_pretty(
            &mut *w,
            &NodeLinkGraph::of(graph, style == JsonStyle::Edges),
        )?,
        JsonStyle::Cytoscape => serde_json::to_writer_pretty(&mut *w, &CytoscapeGraph::of(graph))?,
    }
    w.write_all(b"\n")
}

/// The JSON document [`write_json`] writes, as a value (keys in output order).
pub fn to_json_value(graph: &EntityGraph, style: JsonStyle) -> Value {
    // The model holds only strings, integers, floats, booleans, lists and string-keyed maps:
    // this cannot fail. A non-finite float becomes null.
    match style {
        JsonStyle::NodeLink | JsonStyle::Edges => {
            serde_json::to_value(NodeLinkGraph::of(graph, style == JsonStyle::Edges))
        }
        JsonStyle::Cytoscape => serde_json::to_value(CytoscapeGraph::of(graph)),
    }
    .expect("the graph serializes to JSON")
}

/// `e`, or `e_`, `e__`, …: the first prefix whose edge ids (prefix + edge index) are not node
/// ids.
fn edge_id_prefix(graph: &EntityGraph) -> String {
    let node_ids: HashSet<&str> = graph.graph.node_weights().map(|n| n.id.as_str()).collect();
    let mut prefix = String::from("e");
    while (0..graph.graph.edge_count()).any(|i| node_ids.contains(format!("{prefix}{i}").as_str()))
    {
        prefix.push('_');
    }
    prefix
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use petgraph::graph::UnGraph;

    use super::*;
    use crate::gazetteer::EntityId;
    use crate::graph::{Edge, EdgeEvidence, EvidenceSpans, Filters, GraphMeta};

    fn node(id: &str, kind: &str, attributes: &[(&str, &str)]) -> Node {
        Node {
            entity: EntityId(0),
            id: id.into(),
            label: id.to_uppercase(),
            kind: kind.into(),
            provisional: None,
            mentions: 3,
            documents: 2,
            windows: 3,
            aliases: BTreeMap::from([(id.to_uppercase(), 2), (id.to_string(), 1)]),
            attributes: attributes
                .iter()
                .map(|(k, v)| (k.to_string(), AttrValue::String(v.to_string())))
                .collect(),
            degree: 1,
            weighted_degree: 2.0,
            pagerank: 0.25,
            component: 0,
            community: 0,
            betweenness: 0.0,
            time: Default::default(),
        }
    }

    fn meta() -> GraphMeta {
        GraphMeta {
            generator: "entgraph".into(),
            version: "0.1.0".into(),
            window: "sentence".into(),
            weight: "count".into(),
            documents: 2,
            bytes: 100,
            windows: 10,
            mentions: 9,
            filters: Filters::default(),
            entities_seen: 4,
            pairs_seen: 3,
            capped_windows: None,
            max_window_entities: None,
            modularity: 0.0,
            betweenness_pivots: None,
            time: None,
        }
    }

    /// ada — acme (weight 2, with evidence), bob alone; ada has colliding attributes.
    fn sample() -> EntityGraph {
        let mut g = UnGraph::new_undirected();
        let ada = g.add_node(node(
            "ada",
            "PERSON",
            &[
                ("type", "scientist"),
                ("label", "x"),
                ("attr_note", "y"),
                ("wikidata", "Q7259"),
            ],
        ));
        let acme = g.add_node(node("acme", "ORG", &[]));
        g.add_node(node("bob", "PERSON", &[("parent", "p")]));
        g.add_edge(
            ada,
            acme,
            Edge {
                count: 2,
                documents: 1,
                weight: 2.0,
                evidence: vec![EdgeEvidence {
                    doc: "d1".into(),
                    start: 0,
                    end: 14,
                    text: "Ada met Acme.".into(),
                    spans: EvidenceSpans {
                        source: vec![(0, 3)],
                        target: vec![(8, 12)],
                    },
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

    fn keys(v: &Value) -> Vec<&str> {
        v.as_object().unwrap().keys().map(String::as_str).collect()
    }

    fn render(g: &EntityGraph, style: JsonStyle) -> String {
        let mut out = Vec::new();
        write_json(g, style, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn node_link_shape() {
        let v = to_json_value(&sample(), JsonStyle::NodeLink);
        assert_eq!(
            keys(&v),
            ["directed", "multigraph", "graph", "nodes", "links"]
        );
        assert_eq!(v["directed"], false);
        assert_eq!(v["multigraph"], false);
        assert_eq!(v["graph"]["window"], "sentence");
        assert_eq!(v["graph"]["filters"]["min_count"], 0);
        assert_eq!(v["graph"]["pairs_seen"], 3);
        let nodes = v["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), 3);
        assert_eq!(
            keys(&nodes[1]),
            [
                "id",
                "label",
                "type",
                "mentions",
                "documents",
                "windows",
                "degree",
                "weighted_degree",
                "pagerank",
                "component",
                "community",
                "betweenness",
                "aliases"
            ]
        );
        assert_eq!(nodes[0]["id"], "ada");
        assert_eq!(nodes[0]["type"], "PERSON");
        assert_eq!(nodes[0]["aliases"], serde_json::json!({"ADA": 2, "ada": 1}));
        assert_eq!(nodes[0]["wikidata"], "Q7259");
        let links = v["links"].as_array().unwrap();
        assert_eq!(links.len(), 1);
        assert_eq!(
            links[0],
            serde_json::json!({
                "source": "ada", "target": "acme", "weight": 2.0, "count": 2, "documents": 1,
                "evidence": [{"doc": "d1", "start": 0, "end": 14, "text": "Ada met Acme.",
                              "spans": {"source": [[0, 3]], "target": [[8, 12]]}}]
            })
        );
        assert_eq!(
            keys(&links[0]),
            [
                "source",
                "target",
                "weight",
                "count",
                "documents",
                "evidence"
            ]
        );
    }

    #[test]
    fn edges_style_differs_only_in_the_key() {
        let g = sample();
        let mut links = to_json_value(&g, JsonStyle::NodeLink);
        let edges = to_json_value(&g, JsonStyle::Edges);
        assert_eq!(
            keys(&edges),
            ["directed", "multigraph", "graph", "nodes", "edges"]
        );
        let l = links.as_object_mut().unwrap().remove("links").unwrap();
        assert_eq!(edges["edges"], l);
        let mut edges = edges;
        edges.as_object_mut().unwrap().remove("edges");
        assert_eq!(edges, links);
    }

    #[test]
    fn cytoscape_shape() {
        let g = sample();
        let v = to_json_value(&g, JsonStyle::Cytoscape);
        assert_eq!(keys(&v), ["elements", "data"]);
        assert_eq!(keys(&v["elements"]), ["nodes", "edges"]);
        assert_eq!(v["data"], serde_json::to_value(&g.meta).unwrap());
        let node_link = to_json_value(&g, JsonStyle::NodeLink);
        let nodes = v["elements"]["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), 3);
        for (n, want) in nodes.iter().zip(node_link["nodes"].as_array().unwrap()) {
            assert_eq!(keys(n), ["data"]);
            assert_eq!(&n["data"], want);
        }
        let edges = v["elements"]["edges"].as_array().unwrap();
        assert_eq!(edges.len(), 1);
        let e = &edges[0]["data"];
        assert_eq!(
            keys(e),
            [
                "id",
                "source",
                "target",
                "weight",
                "count",
                "documents",
                "evidence"
            ]
        );
        assert_eq!(e["id"], "e0");
        assert_eq!(e["source"], "ada");
        assert_eq!(e["target"], "acme");
        assert_eq!(e["weight"], 2.0);
    }

    #[test]
    fn cytoscape_edge_ids_avoid_node_ids() {
        let mut g = sample();
        let (a, b) = (
            petgraph::graph::NodeIndex::new(0),
            petgraph::graph::NodeIndex::new(2),
        );
        let e = g.graph[petgraph::graph::EdgeIndex::new(0)].clone();
        g.graph.add_edge(a, b, e);
        g.graph[a].id = "e1".into();
        g.graph[b].id = "e_0".into();
        let v = to_json_value(&g, JsonStyle::Cytoscape);
        let mut ids: Vec<&str> = v["elements"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .chain(v["elements"]["edges"].as_array().unwrap())
            .map(|x| x["data"]["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids[3..], ["e__0", "e__1"]);
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "element ids must be unique");
    }

    #[test]
    fn attributes_never_overwrite_built_in_keys() {
        let v = to_json_value(&sample(), JsonStyle::NodeLink);
        let ada = &v["nodes"][0];
        assert_eq!(ada["type"], "PERSON");
        assert_eq!(ada["attr_type"], "scientist");
        assert_eq!(ada["label"], "ADA");
        assert_eq!(ada["attr_label"], "x");
        assert_eq!(ada["attr_attr_note"], "y");
        assert_eq!(ada["wikidata"], "Q7259");
        assert!(ada.get("attr_note").is_none());
        assert_eq!(v["nodes"][2]["attr_parent"], "p");
        assert!(v["nodes"][2].get("parent").is_none());
        // Injective: distinct names give distinct keys.
        for a in ["id", "attr_id", "attr_attr_id", "x", "attr_x", "parent"] {
            for b in ["id", "attr_id", "attr_attr_id", "x", "attr_x", "parent"] {
                assert_eq!(a == b, attribute_key(a) == attribute_key(b), "{a} {b}");
            }
        }
        for k in RESERVED_NODE_KEYS {
            assert_eq!(attribute_key(k), format!("attr_{k}"));
        }
    }

    #[test]
    fn provisional_nodes_are_marked_in_every_style() {
        let mut g = sample();
        g.graph[petgraph::graph::NodeIndex::new(1)].provisional = Some("org:Research".into());
        for style in [JsonStyle::NodeLink, JsonStyle::Edges, JsonStyle::Cytoscape] {
            let v = to_json_value(&g, style);
            let nodes: Vec<&Value> = match style {
                JsonStyle::Cytoscape => v["elements"]["nodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| &n["data"])
                    .collect(),
                _ => v["nodes"].as_array().unwrap().iter().collect(),
            };
            assert_eq!(nodes[1]["provisional"], true, "{style:?}");
            assert_eq!(nodes[1]["cue"], "org:Research", "{style:?}");
            // Right after aliases, before any attribute.
            let k = keys(nodes[1]);
            let at = k.iter().position(|x| *x == "aliases").unwrap();
            assert_eq!(k[at + 1..at + 3], ["provisional", "cue"], "{style:?}");
            for n in [nodes[0], nodes[2]] {
                assert!(n.get("provisional").is_none() && n.get("cue").is_none());
            }
        }
        // Without provisional nodes the bytes do not change.
        let plain = render(&sample(), JsonStyle::NodeLink);
        assert!(!plain.contains("provisional") && !plain.contains("\"cue\""));
        // An attribute named like a mark never looks like one.
        assert_eq!(attribute_key("provisional"), "attr_provisional");
        assert_eq!(attribute_key("cue"), "attr_cue");
    }

    #[test]
    fn output_is_deterministic_pretty_and_newline_terminated() {
        for style in [JsonStyle::NodeLink, JsonStyle::Edges, JsonStyle::Cytoscape] {
            let a = render(&sample(), style);
            assert_eq!(a, render(&sample(), style));
            assert!(a.ends_with("}\n") && !a.ends_with("\n\n"));
            assert!(a.starts_with("{\n  \""), "{a}");
            let back: Value = serde_json::from_str(&a).unwrap();
            assert_eq!(back, to_json_value(&sample(), style));
        }
        let text = render(&sample(), JsonStyle::NodeLink);
        assert!(text.contains("\n      \"weight\": 2.0,\n"), "{text}");
        assert!(text.contains("\"pagerank\": 0.25,"));
    }

    #[test]
    fn non_finite_floats_become_null() {
        let mut g = sample();
        let e = petgraph::graph::EdgeIndex::new(0);
        g.graph[e].weight = f64::NAN;
        g.graph[petgraph::graph::NodeIndex::new(0)].weighted_degree = f64::INFINITY;
        g.meta.filters.min_weight = Some(f64::NEG_INFINITY);
        let text = render(&g, JsonStyle::NodeLink);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["links"][0]["weight"], Value::Null);
        assert_eq!(v["nodes"][0]["weighted_degree"], Value::Null);
        assert_eq!(v["graph"]["filters"]["min_weight"], Value::Null);
    }

    #[test]
    fn empty_graph() {
        let g = EntityGraph {
            graph: UnGraph::new_undirected(),
            meta: meta(),
        };
        let v = to_json_value(&g, JsonStyle::NodeLink);
        assert_eq!(v["nodes"], serde_json::json!([]));
        assert_eq!(v["links"], serde_json::json!([]));
        let c = to_json_value(&g, JsonStyle::Cytoscape);
        assert_eq!(c["elements"], serde_json::json!({"nodes": [], "edges": []}));
    }

    /// The sample with every optional key present: a provisional node, every filter set,
    /// sampled betweenness.
    fn full_sample() -> EntityGraph {
        let mut g = sample();
        g.graph[petgraph::graph::NodeIndex::new(1)].provisional = Some("org:Research".into());
        g.meta.filters = Filters {
            min_count: 1,
            min_weight: Some(0.5),
            min_mentions: 1,
            min_provisional: Some(2),
            types: vec!["PERSON".into()],
            top_edges: Some(3),
            max_nodes: Some(10),
            largest_component: true,
        };
        g.meta.betweenness_pivots = Some(256);
        g.meta.capped_windows = Some(2);
        g.meta.max_window_entities = Some(200);
        let day = |s: &str| crate::date::Date::parse(s).unwrap();
        let mut span = crate::date::DateSpan::default();
        span.add(day("2025-10-28"), crate::date::Period::Week, 2);
        span.add(day("2025-11-03"), crate::date::Period::Week, 1);
        g.graph[petgraph::graph::NodeIndex::new(1)].time = span.clone();
        let e = petgraph::graph::EdgeIndex::new(0);
        g.graph[e].time = span.clone();
        g.graph[e].evidence[0].title = Some("A <b>title</b>".into());
        g.graph[e].evidence[0].date = Some(day("2025-10-28"));
        g.meta.time = Some(crate::graph::TimeMeta {
            dated_documents: 2,
            undated_documents: 1,
            excluded_documents: Some(4),
            first: Some(day("2025-10-28")),
            last: Some(day("2025-11-03")),
            period: crate::date::Period::Week,
            documents_by_period: span.periods.clone(),
            since: Some(day("2025-10-01")),
            until: Some(day("2025-11-30")),
        });
        g
    }

    #[test]
    fn dates_are_written_only_where_present() {
        let v = to_json_value(&full_sample(), JsonStyle::NodeLink);
        let acme = &v["nodes"][1];
        assert_eq!(acme["first"], "2025-10-28");
        assert_eq!(acme["last"], "2025-11-03");
        assert_eq!(
            acme["periods"],
            serde_json::json!({"2025-W44": 2, "2025-W45": 1})
        );
        let k = keys(acme);
        let at = k.iter().position(|x| *x == "cue").unwrap();
        assert_eq!(k[at + 1..], ["first", "last", "periods"]);
        let link = &v["links"][0];
        assert_eq!(
            keys(link),
            [
                "source",
                "target",
                "weight",
                "count",
                "documents",
                "first",
                "last",
                "periods",
                "evidence"
            ]
        );
        assert_eq!(link["evidence"][0]["date"], "2025-10-28");
        assert_eq!(link["evidence"][0]["title"], "A <b>title</b>");
        assert_eq!(v["graph"]["period"], "week");
        assert_eq!(v["graph"]["excluded_documents"], 4);
        assert_eq!(
            v["graph"]["documents_by_period"],
            serde_json::json!({"2025-W44": 2, "2025-W45": 1})
        );
        // Ada has no dates: no keys.
        assert!(v["nodes"][0].get("first").is_none() && v["nodes"][0].get("periods").is_none());
        // An undated graph has none of the keys anywhere.
        let plain = render(&sample(), JsonStyle::NodeLink);
        for key in [
            "first",
            "last",
            "periods",
            "period",
            "dated_documents",
            "documents_by_period",
            "\"date\"",
            "title",
        ] {
            assert!(!plain.contains(key), "{key} in {plain}");
        }
    }

    #[test]
    fn what_is_written_reads_back_and_writes_the_same_bytes() {
        for g in [sample(), full_sample()] {
            for style in [JsonStyle::NodeLink, JsonStyle::Edges, JsonStyle::Cytoscape] {
                let text = render(&g, style);
                let again = match style {
                    JsonStyle::Cytoscape => {
                        let doc: CytoscapeGraph = serde_json::from_str(&text).unwrap();
                        assert_eq!(doc, CytoscapeGraph::of(&g));
                        serde_json::to_string_pretty(&doc).unwrap()
                    }
                    _ => {
                        let doc: NodeLinkGraph = serde_json::from_str(&text).unwrap();
                        assert_eq!(doc, NodeLinkGraph::of(&g, style == JsonStyle::Edges));
                        serde_json::to_string_pretty(&doc).unwrap()
                    }
                };
                assert_eq!(again + "\n", text, "{style:?}");
            }
        }
    }

    /// Every key of every object kind the structs write, with all optional keys present.
    fn written_keys() -> BTreeMap<&'static str, Vec<String>> {
        let v = to_json_value(&full_sample(), JsonStyle::NodeLink);
        let keys = |v: &Value| -> Vec<String> {
            let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        let mut top = keys(&v);
        // Both edge-list keys are properties of the one schema.
        top.push("edges".into());
        top.sort();
        let mut node = keys(&v["nodes"][1]);
        // The provisional node has no attributes: only built-in keys.
        assert!(
            node.iter()
                .all(|k| RESERVED_NODE_KEYS.contains(&k.as_str()))
        );
        node.sort();
        let ev = &v["links"][0]["evidence"][0];
        BTreeMap::from([
            ("(top)", top),
            ("graph", keys(&v["graph"])),
            ("filters", keys(&v["graph"]["filters"])),
            ("node", node),
            ("link", keys(&v["links"][0])),
            ("evidence", keys(ev)),
            ("spans", keys(&ev["spans"])),
        ])
    }

    fn schema() -> Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/graph.schema.json");
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn schema_properties_are_exactly_the_fields_written() {
        let schema = schema();
        let props = |o: &Value| -> Vec<String> {
            let mut k: Vec<String> = o["properties"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            k.sort();
            k
        };
        let defs = &schema["$defs"];
        let spans = &defs["evidence"]["properties"]["spans"];
        let in_schema = BTreeMap::from([
            ("(top)", props(&schema)),
            ("graph", props(&defs["graph"])),
            ("filters", props(&defs["filters"])),
            ("node", props(&defs["node"])),
            ("link", props(&defs["link"])),
            ("evidence", props(&defs["evidence"])),
            ("spans", props(spans)),
        ]);
        assert_eq!(
            in_schema,
            written_keys(),
            "schema and JSON model have drifted"
        );
        // Built-in node keys are the node properties (plus Cytoscape's `parent`).
        let mut reserved: Vec<&str> = RESERVED_NODE_KEYS.to_vec();
        reserved.retain(|k| *k != "parent");
        reserved.sort_unstable();
        assert_eq!(reserved, in_schema["node"]);
    }

    #[test]
    fn schema_requires_exactly_the_keys_always_written() {
        let schema = schema();
        let required = |o: &Value| -> Vec<String> {
            let mut k: Vec<String> = o["required"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect();
            k.sort();
            k
        };
        // The sample sets no optional key: a gazetteer node, no optional filter.
        let v = to_json_value(&sample(), JsonStyle::NodeLink);
        let keys = |v: &Value, drop: &[&str]| -> Vec<String> {
            let mut k: Vec<String> = v
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| !drop.contains(&k.as_str()))
                .cloned()
                .collect();
            k.sort();
            k
        };
        let defs = &schema["$defs"];
        assert_eq!(required(&schema), keys(&v, &["links"]));
        assert_eq!(required(&defs["graph"]), keys(&v["graph"], &[]));
        assert_eq!(
            required(&defs["filters"]),
            keys(&v["graph"]["filters"], &[])
        );
        // Node 1 (acme) has no attributes.
        assert_eq!(required(&defs["node"]), keys(&v["nodes"][1], &[]));
        assert_eq!(required(&defs["link"]), keys(&v["links"][0], &[]));
        let ev = &v["links"][0]["evidence"][0];
        assert_eq!(required(&defs["evidence"]), keys(ev, &[]));
        let spans = &defs["evidence"]["properties"]["spans"];
        assert_eq!(required(spans), keys(&ev["spans"], &[]));
    }

    #[test]
    fn reading_is_lenient_about_missing_keys() {
        let doc: NodeLinkGraph = serde_json::from_value(serde_json::json!({
            "nodes": [{"id": 7, "weighted_degree": null, "wikidata": "Q1", "n": 2}],
            "edges": [{"source": "7", "target": "7",
                       "evidence": [{"doc": "d", "start": 0, "end": 1, "text": "x"}]}]
        }))
        .unwrap();
        assert!(doc.graph.is_none() && doc.links.is_none());
        let n = &doc.nodes[0];
        assert_eq!((n.id.as_ref(), n.label.as_ref(), n.mentions), ("7", "", 0));
        assert!(n.weighted_degree.is_nan() && !n.provisional && n.cue.is_none());
        assert_eq!(
            n.attributes.0,
            [
                (
                    "wikidata".into(),
                    Cow::Owned(AttrValue::String("Q1".into()))
                ),
                ("n".into(), Cow::Owned(AttrValue::Int(2)))
            ]
        );
        let ev = &doc.edge_list()[0].evidence[0];
        assert_eq!(ev.spans, EvidenceSpans::default());
    }

    #[test]
    fn style_names_on_the_command_line() {
        let names: Vec<&str> = JsonStyle::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(names, ["node-link", "edges", "cytoscape"]);
        assert_eq!(JsonStyle::default(), JsonStyle::NodeLink);
    }
}
