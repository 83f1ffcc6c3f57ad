//! The JSON exporter against its consumers: networkx loads the node-link and edges styles,
//! Python `jsonschema` validates them against `schemas/graph.schema.json`, and the Cytoscape
//! style has unique element ids and edges between existing nodes.
//!
//! Needs `python3` with `networkx` and `jsonschema` (`.ci/run` installs them). If any is
//! missing the tests FAIL with a message saying what to install: they never pass silently.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;

use entgraph::Tagger;
use entgraph::attribute::AttrValue;
use entgraph::export::json::{JsonStyle, write_json};
use entgraph::gazetteer::GazetteerBuilder;
use entgraph::graph::{
    self, Edge, EdgeEvidence, EntityGraph, EvidenceSpans, Filters, GraphMeta, Node, Weighting,
};
use entgraph::input::{Document, InputEvent};
use petgraph::graph::UnGraph;

use crate::util::{self, python, root, tempdir};

/// Checks the files given as arguments: node-link, edges, cytoscape, schema, then the
/// expectations as JSON (or `null` to skip the hand-built graph's value checks).
const CHECK: &str = r#"
import json, re, sys

try:
    import networkx as nx
    import jsonschema
except ImportError as e:
    sys.exit(f"MISSING PYTHON MODULE: {e}. Install with: python3 -m pip install networkx jsonschema")

node_link_path, edges_path, cyto_path, schema_path, expect = sys.argv[1:6]
expect = json.loads(expect)
load = lambda p: json.load(open(p, encoding="utf-8"))
node_link, edges, cyto, schema = map(load, (node_link_path, edges_path, cyto_path, schema_path))

# (1) node-link with networkx, links under "links".
G = nx.node_link_graph(node_link, edges="links")
assert type(G) is nx.Graph, type(G)
assert G.number_of_nodes() == len(node_link["nodes"]), G.number_of_nodes()
assert G.number_of_edges() == len(node_link["links"]), G.number_of_edges()
assert G.graph["generator"] == "entgraph", G.graph
if expect is not None:
    assert G.number_of_nodes() == expect["nodes"], G.number_of_nodes()
    assert G.number_of_edges() == expect["edges"], G.number_of_edges()
    a, b, w = expect["edge"]
    assert G[a][b]["weight"] == w, G[a][b]
    assert G[b][a]["weight"] == w
    n, key, value = expect["attribute"]
    assert G.nodes[n][key] == value, G.nodes[n]
    for n, key, value in expect["node_values"]:
        assert G.nodes[n][key] == value, (n, key, G.nodes[n])
    for n, key in expect.get("absent", []):
        assert key not in G.nodes[n], (n, key, G.nodes[n])
    assert G.graph["window"] == expect["window"], G.graph

# (2) edges style with networkx's default edge key (>= 3.6; older versions default to links).
m = re.match(r"(\d+)\.(\d+)", nx.__version__)
if (int(m[1]), int(m[2])) >= (3, 6):
    H = nx.node_link_graph(edges)
else:
    H = nx.node_link_graph(edges, edges="edges")
assert nx.utils.graphs_equal(G, H), "edges style loads to a different graph"
assert {k: v for k, v in node_link.items() if k != "links"} == {
    k: v for k, v in edges.items() if k != "edges"
}

# (3) both against the schema, and the schema is not vacuous.
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
for doc, name in ((node_link, "node-link"), (edges, "edges")):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in v.iter_errors(doc)]
    assert not errors, f"{name} output violates the schema: {errors}"
bad = dict(node_link, edges=node_link["links"])
assert not v.is_valid(bad), "both links and edges must be rejected"
bad = {k: x for k, x in node_link.items() if k != "links"}
assert not v.is_valid(bad), "neither links nor edges must be rejected"
if node_link["nodes"]:
    bad = json.loads(json.dumps(node_link))
    del bad["nodes"][0]["pagerank"]
    assert not v.is_valid(bad), "a node without pagerank must be rejected"
    for marks, why in (
        ({"provisional": "yes", "cue": "title:analyst"}, "a non-boolean provisional"),
        ({"provisional": False, "cue": "title:analyst"}, "provisional false"),
        ({"provisional": True}, "provisional without cue"),
        ({"cue": "title:analyst"}, "cue without provisional"),
    ):
        bad = json.loads(json.dumps(node_link))
        bad["nodes"][0] = {k: x for k, x in bad["nodes"][0].items() if k not in ("provisional", "cue")}
        bad["nodes"][0].update(marks)
        assert not v.is_valid(bad), f"{why} must be rejected"

# (4) cytoscape: unique element ids (nodes and edges share one id space), edges between nodes.
els = cyto["elements"]
assert set(cyto) == {"elements", "data"}, set(cyto)
assert cyto["data"] == node_link["graph"]
node_ids = [n["data"]["id"] for n in els["nodes"]]
edge_ids = [e["data"]["id"] for e in els["edges"]]
ids = node_ids + edge_ids
assert len(ids) == len(set(ids)), f"duplicate element ids: {ids}"
assert all(isinstance(i, str) for i in ids), ids
for e in els["edges"]:
    assert e["data"]["source"] in node_ids and e["data"]["target"] in node_ids, e
assert [n["data"] for n in els["nodes"]] == node_link["nodes"]
assert [{k: x for k, x in e["data"].items() if k != "id"} for e in els["edges"]] == node_link["links"]
print("ok")
"#;

fn node(id: &str, label: &str, kind: &str, mentions: u64, attributes: &[(&str, &str)]) -> Node {
    Node {
        aliases: BTreeMap::from([(label.to_string(), mentions)]),
        attributes: attributes
            .iter()
            .map(|(k, v)| (k.to_string(), AttrValue::String(v.to_string())))
            .collect(),
        ..util::node(id, label, kind, mentions)
    }
}

/// Zoë (with attributes, one named like a built-in key) — Acme — e0 (a node id that looks
/// like a Cytoscape edge id), plus Bob alone.
fn hand_built() -> EntityGraph {
    let mut g = UnGraph::new_undirected();
    let zoe = g.add_node(node(
        "zoe",
        "Zoë",
        "PERSON",
        3,
        &[("wikidata", "Q1"), ("type", "scientist"), ("label", "x")],
    ));
    let acme = g.add_node(node("acme", "Acme", "ORG", 2, &[("country", "fr")]));
    let e0 = g.add_node(node("e0", "E0", "ORG", 1, &[]));
    g.add_node(node("bob", "Bob", "PERSON", 1, &[]));
    let cilia = g.add_node(Node {
        provisional: Some("title:analyst".into()),
        ..node("new:cilia-flores", "Cilia Flores", "PERSON", 1, &[])
    });
    let edge = |count, weight, text: &str| Edge {
        count,
        documents: 1,
        weight,
        evidence: vec![EdgeEvidence {
            doc: "news/1.txt".into(),
            start: 10,
            end: 10 + text.len(),
            text: text.into(),
            // The first and the last word.
            spans: EvidenceSpans {
                source: vec![(10, 10 + text.find(' ').unwrap())],
                target: vec![(10 + text.rfind(' ').unwrap() + 1, 10 + text.len() - 1)],
            },
            title: None,
            date: None,
        }],
        time: Default::default(),
    };
    g.add_edge(zoe, acme, edge(2, 1.5, "Zoë joined Acme."));
    g.add_edge(acme, e0, edge(1, -0.25, "Acme bought E0."));
    g.add_edge(acme, cilia, edge(1, 0.5, "Acme analyst Cilia Flores."));
    graph::analyse(&mut g);
    EntityGraph {
        graph: g,
        meta: GraphMeta {
            version: env!("CARGO_PKG_VERSION").into(),
            window: "tokens:15".into(),
            weight: "pmi".into(),
            documents: 1,
            bytes: 64,
            windows: 4,
            mentions: 7,
            // Every optional key set, so the schema sees all of them.
            filters: Filters {
                min_weight: Some(-1.0),
                types: vec!["PERSON".into(), "ORG".into()],
                top_edges: Some(3),
                max_nodes: Some(10),
                min_provisional: Some(2),
                ..Filters::default()
            },
            entities_seen: 5,
            pairs_seen: 3,
            betweenness_pivots: Some(256),
            ..util::meta()
        },
    }
}

/// Runs [`CHECK`] on the three styles of `graph`; panics with Python's output on failure.
fn check_with_python(graph: &EntityGraph, expect: &serde_json::Value) {
    let dir = tempdir();
    let paths: Vec<PathBuf> = [JsonStyle::NodeLink, JsonStyle::Edges, JsonStyle::Cytoscape]
        .into_iter()
        .map(|style| {
            let path = dir.path().join(format!("{style:?}.json"));
            let mut f = std::fs::File::create(&path).unwrap();
            write_json(graph, style, &mut f).unwrap();
            path
        })
        .collect();
    let schema = root().join("schemas/graph.schema.json");
    let mut args: Vec<OsString> = paths.into_iter().map(OsString::from).collect();
    args.push(schema.into());
    args.push(expect.to_string().into());
    let out = python(CHECK, args);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        out.status.success() && stdout.trim() == "ok",
        "Python check failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
}

#[test]
fn hand_built_graph_loads_in_networkx_and_matches_the_schema() {
    let expect = serde_json::json!({
        "nodes": 5,
        "edges": 3,
        "edge": ["zoe", "acme", 1.5],
        "attribute": ["zoe", "wikidata", "Q1"],
        "node_values": [
            ["zoe", "type", "PERSON"],
            ["zoe", "attr_type", "scientist"],
            ["zoe", "label", "Zoë"],
            ["zoe", "attr_label", "x"],
            ["acme", "country", "fr"],
            ["acme", "degree", 3],
            ["bob", "component", 1],
            ["zoe", "aliases", {"Zoë": 3}],
            ["new:cilia-flores", "provisional", true],
            ["new:cilia-flores", "cue", "title:analyst"],
        ],
        "absent": [["zoe", "provisional"], ["zoe", "cue"], ["bob", "provisional"]],
        "window": "tokens:15",
    });
    check_with_python(&hand_built(), &expect);
}

#[test]
fn empty_graph_matches_the_schema() {
    let mut g = hand_built();
    g.graph.clear();
    check_with_python(&g, &serde_json::Value::Null);
}

/// A graph built by the real pipeline (gazetteer → tagger → counts → graph) with PMI weights.
#[test]
fn built_graph_loads_in_networkx_and_matches_the_schema() {
    let mut b = GazetteerBuilder::new();
    b.add_str(
        "test.tsv",
        "type\tname\taliases\twikidata\tdegree\n\
         PERSON\tAda Lovelace\tAda\tQ7259\thigh\n\
         PERSON\tCharles Babbage\tBabbage\tQ46633\t\n\
         ORG\tRoyal Society\t\t\t\n",
    );
    let recognizer = entgraph::recognize::Recognizer::new(
        Tagger::new(b.build().expect("gazetteer")).unwrap(),
        None,
    );
    let tagger = recognizer.tagger();
    let text = "Ada wrote to Babbage. Babbage met the Royal Society. Ada smiled.\n\n\
                Ada Lovelace and Babbage. The weather was fine.";
    let docs = vec![InputEvent::Document(Document {
        id: "letters.txt".into(),
        text: text.into(),
        ..Document::default()
    })];
    let options = entgraph::pipeline::CountOptions {
        evidence: 2,
        ..Default::default()
    };
    let counts = entgraph::pipeline::count(&recognizer, docs, &options, &mut ());
    let g = graph::build(
        &counts,
        tagger.gazetteer(),
        Weighting::Pmi,
        &Filters::default(),
    );
    assert_eq!(g.graph.node_count(), 3);
    assert_eq!(g.graph.edge_count(), 2);
    // 5 sentences; Ada in 3, Babbage in 3, both in 2: PMI = log2(2 * 5 / (3 * 3)).
    let pmi = (10.0f64 / 9.0).log2();
    let index = |id: &str| {
        g.graph
            .node_indices()
            .find(|&i| g.graph[i].id == id)
            .unwrap()
    };
    let e = g
        .graph
        .find_edge(index("ada-lovelace"), index("charles-babbage"))
        .unwrap();
    assert!(
        (g.graph[e].weight - pmi).abs() < 1e-12,
        "{}",
        g.graph[e].weight
    );
    let expect = serde_json::json!({
        "nodes": 3,
        "edges": 2,
        "edge": ["charles-babbage", "ada-lovelace", g.graph[e].weight],
        "attribute": ["ada-lovelace", "wikidata", "Q7259"],
        "node_values": [
            ["ada-lovelace", "attr_degree", "high"],
            ["ada-lovelace", "degree", 1],
            ["charles-babbage", "degree", 2],
        ],
        "window": "sentence",
    });
    check_with_python(&g, &expect);
}
