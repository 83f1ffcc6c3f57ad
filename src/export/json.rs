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
//! # Contract
//!
//! - Nodes and edges appear in petgraph index order (for a built graph: nodes by mentions
//!   then id, edges by their endpoints' node order). Keys appear in a fixed order. The output
//!   is pretty-printed with 2-space indentation and ends with a newline, so the same graph
//!   always gives the same bytes.
//! - A node's keys are `id`, `label`, `type`, `mentions`, `documents`, `windows`, `degree`,
//!   `weighted_degree`, `pagerank`, `component`, `betweenness`, `aliases` (surface form → count), then,
//!   for a provisional entity found by discovery (id `new:…`) only, `provisional` (`true`) and
//!   `cue` (the cue that typed it, `title:analyst`), then its gazetteer attributes (string
//!   values) flattened into the node object, in name order. A gazetteer entity has neither key.
//! - **Attribute names never overwrite built-in keys.** An attribute named like one of
//!   [`RESERVED_NODE_KEYS`] (e.g. `label`, `degree`, or Cytoscape's `parent`), or whose name
//!   already starts with `attr_`, is written as `attr_` + its name; every other attribute
//!   keeps its name. The rule is injective (no two attributes share a key) and needs no
//!   look at the other attributes: to recover a name, strip one leading `attr_`.
//! - A link's keys are `source`, `target` (node ids), `weight`, `count`, `documents`,
//!   `evidence` (`[{doc, start, end, text, spans}]`, byte offsets into the document's text;
//!   `spans` is `{"source": [[s, e], …], "target": [[s, e], …]}`, the two entities' mentions
//!   inside `text`, see [`crate::graph::EvidenceSpans`]).
//! - Floats are printed as serde_json prints them (shortest round-trip form, `2.0` for
//!   whole numbers). A non-finite float (which the weightings never produce for a pair that
//!   was seen) is written as `null`.
//! - Cytoscape edge ids are `e0`, `e1`, … in edge order. Cytoscape.js needs ids to be unique
//!   across nodes *and* edges, so if a node id would clash with one of them, the prefix
//!   becomes `e_`, `e__`, … (the first one free of clashes).

use std::collections::HashSet;
use std::io::{self, Write};

use petgraph::visit::EdgeRef;
use serde_json::{Map, Value};

use crate::graph::{Edge, EntityGraph, Node};

/// The shape of the JSON written by [`write_json`]; see the [module docs](self).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum JsonStyle {
    /// D3 / networkx node-link: `{"directed", "multigraph", "graph", "nodes", "links"}`.
    #[default]
    NodeLink,
    /// Node-link with `edges` instead of `links` (networkx ≥ 3.6 default).
    Edges,
    /// Cytoscape.js: `{"elements": {"nodes": [{"data"}], "edges": [{"data"}]}, "data"}`.
    Cytoscape,
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
    "betweenness",
    "aliases",
    "provisional",
    "cue",
    "parent",
];

/// Prepended to attribute names that would clash with a built-in key.
pub const ATTRIBUTE_PREFIX: &str = "attr_";

/// The key under which a gazetteer attribute named `name` is written.
pub fn attribute_key(name: &str) -> String {
    if RESERVED_NODE_KEYS.contains(&name) || name.starts_with(ATTRIBUTE_PREFIX) {
        format!("{ATTRIBUTE_PREFIX}{name}")
    } else {
        name.to_string()
    }
}

/// Writes `graph` as pretty-printed JSON (2-space indent) in `style`, followed by a newline.
/// The bytes depend only on the graph and the style.
pub fn write_json(graph: &EntityGraph, style: JsonStyle, w: &mut dyn Write) -> io::Result<()> {
    let value = to_json_value(graph, style);
    serde_json::to_writer_pretty(&mut *w, &value)?;
    w.write_all(b"\n")
}

/// The JSON document [`write_json`] writes, as a value (keys in output order).
pub fn to_json_value(graph: &EntityGraph, style: JsonStyle) -> Value {
    let meta = meta_value(graph);
    let nodes = graph.graph.node_weights().map(node_object);
    match style {
        JsonStyle::NodeLink | JsonStyle::Edges => {
            let links: Vec<Value> = graph
                .graph
                .edge_references()
                .map(|e| {
                    let (s, t) = (&graph.graph[e.source()].id, &graph.graph[e.target()].id);
                    Value::Object(link_object(s, t, e.weight()))
                })
                .collect();
            let mut doc = Map::new();
            doc.insert("directed".into(), Value::Bool(false));
            doc.insert("multigraph".into(), Value::Bool(false));
            doc.insert("graph".into(), meta);
            doc.insert("nodes".into(), nodes.map(Value::Object).collect());
            let key = if style == JsonStyle::Edges {
                "edges"
            } else {
                "links"
            };
            doc.insert(key.into(), Value::Array(links));
            Value::Object(doc)
        }
        JsonStyle::Cytoscape => {
            let prefix = edge_id_prefix(graph);
            let data = |m: Map<String, Value>| {
                let mut o = Map::new();
                o.insert("data".into(), Value::Object(m));
                Value::Object(o)
            };
            let edges: Vec<Value> = graph
                .graph
                .edge_references()
                .enumerate()
                .map(|(i, e)| {
                    let (s, t) = (&graph.graph[e.source()].id, &graph.graph[e.target()].id);
                    let mut m = Map::new();
                    m.insert("id".into(), Value::String(format!("{prefix}{i}")));
                    m.extend(link_object(s, t, e.weight()));
                    data(m)
                })
                .collect();
            let mut elements = Map::new();
            elements.insert("nodes".into(), nodes.map(data).collect());
            elements.insert("edges".into(), Value::Array(edges));
            let mut doc = Map::new();
            doc.insert("elements".into(), Value::Object(elements));
            doc.insert("data".into(), meta);
            Value::Object(doc)
        }
    }
}

fn meta_value(graph: &EntityGraph) -> Value {
    // GraphMeta holds only strings, integers, floats, booleans and string lists: this cannot
    // fail. serde_json writes a non-finite float (e.g. an infinite min_weight) as null.
    serde_json::to_value(&graph.meta).expect("GraphMeta serializes to JSON")
}

/// A float, or `null` if it is not finite.
fn float(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

fn node_object(n: &Node) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("id".into(), Value::String(n.id.clone()));
    m.insert("label".into(), Value::String(n.label.clone()));
    m.insert("type".into(), Value::String(n.kind.clone()));
    m.insert("mentions".into(), n.mentions.into());
    m.insert("documents".into(), n.documents.into());
    m.insert("windows".into(), n.windows.into());
    m.insert("degree".into(), n.degree.into());
    m.insert("weighted_degree".into(), float(n.weighted_degree));
    m.insert("pagerank".into(), float(n.pagerank));
    m.insert("component".into(), n.component.into());
    m.insert("betweenness".into(), float(n.betweenness));
    let aliases: Map<String, Value> = n
        .aliases
        .iter()
        .map(|(s, c)| (s.clone(), Value::from(*c)))
        .collect();
    m.insert("aliases".into(), Value::Object(aliases));
    if let Some(cue) = &n.provisional {
        m.insert("provisional".into(), Value::Bool(true));
        m.insert("cue".into(), Value::String(cue.clone()));
    }
    for (name, value) in &n.attributes {
        m.insert(attribute_key(name), Value::String(value.clone()));
    }
    m
}

fn link_object(source: &str, target: &str, e: &Edge) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("source".into(), Value::String(source.to_string()));
    m.insert("target".into(), Value::String(target.to_string()));
    m.insert("weight".into(), float(e.weight));
    m.insert("count".into(), e.count.into());
    m.insert("documents".into(), e.documents.into());
    let evidence = e
        .evidence
        .iter()
        .map(|ev| {
            let mut o = Map::new();
            o.insert("doc".into(), Value::String(ev.doc.clone()));
            o.insert("start".into(), ev.start.into());
            o.insert("end".into(), ev.end.into());
            o.insert("text".into(), Value::String(ev.text.clone()));
            o.insert(
                "spans".into(),
                serde_json::to_value(&ev.spans).expect("spans serialize to JSON"),
            );
            Value::Object(o)
        })
        .collect();
    m.insert("evidence".into(), Value::Array(evidence));
    m
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
    use crate::graph::{EdgeEvidence, EvidenceSpans, Filters, GraphMeta};

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
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            degree: 1,
            weighted_degree: 2.0,
            pagerank: 0.25,
            component: 0,
            betweenness: 0.0,
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
            betweenness_pivots: None,
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
                }],
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

    #[test]
    fn style_names_on_the_command_line() {
        use clap::ValueEnum;
        let names: Vec<String> = JsonStyle::value_variants()
            .iter()
            .map(|s| s.to_possible_value().unwrap().get_name().to_string())
            .collect();
        assert_eq!(names, ["node-link", "edges", "cytoscape"]);
        assert_eq!(JsonStyle::default(), JsonStyle::NodeLink);
    }
}
