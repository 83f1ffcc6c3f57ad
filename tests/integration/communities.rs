//! Communities against real oracles: on the BBC corpus (`../shared/corpora/news`, default
//! options) entgraph's modularity is within 0.01 of networkx's Louvain and python-igraph's
//! Leiden on the same weighted graph, networkx's `modularity()` of entgraph's own partition
//! equals entgraph's figure, and the partition does not depend on the thread count. DOT
//! colouring by community is checked as Graphviz reads it.
//!
//! Needs `python3` with `networkx` and `python-igraph` (`.ci/run` installs them), and
//! Graphviz.

use std::path::{Path, PathBuf};

use entgraph::export::dot::{ColorBy, DotOptions, to_dot_with};
use entgraph::export::style::{COMMUNITY_COLORS, community_color};
use entgraph::graph::{GraphMeta, analyse};
use petgraph::graph::UnGraph;
use serde_json::Value;

use crate::util::{
    edge, entgraph, entity_graph, meta, node, python, read_json, require_graphviz, root, run_dot,
    tempdir, write,
};

/// The BBC News corpus (2,225 articles), JSONL.
fn bbc() -> PathBuf {
    let p = root().join("../shared/corpora/news/bbc-news-2225.jsonl.gz");
    assert!(
        p.is_file(),
        "{} missing: CI provides ../shared beside the checkout",
        p.display()
    );
    p
}

/// `entgraph build BBC -j threads -o out`, default options otherwise; the graph.json bytes.
fn build_bbc(out: &Path, threads: &str) -> Vec<u8> {
    entgraph()
        .args(["build", "-j", threads, "-o"])
        .arg(out)
        .arg(bbc())
        .assert()
        .success();
    std::fs::read(out.join("graph.json")).unwrap()
}

/// Reads graph.json (argv[1]); prints entgraph's modularity, networkx's modularity of
/// entgraph's partition, networkx Louvain's and igraph Leiden's, all on the weights with
/// negative ones as 0.
const ORACLE: &str = r#"
import json, random, sys
try:
    import networkx as nx, igraph as ig
except ImportError as e:
    sys.exit(f"MISSING PYTHON MODULE: {e}. Install with: python3 -m pip install networkx python-igraph")
d = json.load(open(sys.argv[1]))
g = nx.node_link_graph(d, edges="links")
for _, _, a in g.edges(data=True):
    a["w"] = max(a["weight"], 0.0)
ours = {}
for n in d["nodes"]:
    ours.setdefault(n["community"], set()).add(n["id"])
nx_ours = nx.community.modularity(g, list(ours.values()), weight="w")
louvain = nx.community.modularity(
    g, nx.community.louvain_communities(g, weight="w", seed=42), weight="w")
index = {n["id"]: i for i, n in enumerate(d["nodes"])}
h = ig.Graph(n=len(index), edges=[(index[u], index[v]) for u, v in g.edges()])
h.es["w"] = [a["w"] for _, _, a in g.edges(data=True)]
random.seed(42)
leiden = h.modularity(
    h.community_leiden(objective_function="modularity", weights="w", n_iterations=-1),
    weights="w")
print(json.dumps({"entgraph": d["graph"]["modularity"], "nx_ours": nx_ours,
                  "louvain": louvain, "leiden": leiden, "communities": len(ours)}))
"#;

#[test]
fn bbc_communities_match_networkx_and_igraph_and_do_not_depend_on_threads() {
    let dir = tempdir();
    let one = build_bbc(&dir.path().join("j1"), "1");
    let two = build_bbc(&dir.path().join("j2"), "2");
    assert!(one == two, "graph.json differs between -j 1 and -j 2");

    let out = python(ORACLE, [dir.path().join("j1/graph.json")]);
    assert!(
        out.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = |k: &str| v[k].as_f64().unwrap_or_else(|| panic!("{k} in {v}"));
    let ours = f("entgraph");
    assert!(
        (ours - f("nx_ours")).abs() < 1e-9,
        "networkx computes another modularity of entgraph's partition: {v}"
    );
    for oracle in ["louvain", "leiden"] {
        assert!(
            ours >= f(oracle) - 0.01,
            "entgraph's modularity is more than 0.01 below {oracle}'s: {v}"
        );
    }
    assert!(v["communities"].as_u64().unwrap() > 1, "{v}");
}

#[test]
fn graphviz_colours_nodes_by_community_and_the_legend_lists_them() {
    require_graphviz();
    // Two triangles joined by one edge, with hostile labels, plus 10 isolated nodes: 12
    // communities, more than the palette's 9 colours.
    let mut g = UnGraph::new_undirected();
    let labels = [
        "<b>A</b>",
        "\"quoted\" \\",
        "a & b &amp;",
        "]]><script>",
        "x\ny",
        "{rec|ord}",
    ];
    let n: Vec<_> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| g.add_node(node(&format!("n{i}"), l, "PERSON", 10 - i as u64)))
        .collect();
    for (a, b) in [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)] {
        g.add_edge(n[a], n[b], edge(1, 1.0));
    }
    for i in 0..10 {
        g.add_node(node(&format!("lone{i}"), "Lone", "LOC", 1));
    }
    let analysis = analyse(&mut g);
    let graph = entity_graph(
        g,
        GraphMeta {
            modularity: analysis.modularity,
            ..meta()
        },
    );
    // Two triangles of inner weight 3 and degree 7 each, m = 7.
    let want = 2.0 * (3.0 / 7.0 - 0.25);
    assert!((analysis.modularity - want).abs() < 1e-12, "{analysis:?}");
    let communities: Vec<usize> = graph.graph.node_weights().map(|n| n.community).collect();
    assert_eq!(communities[..6], [0, 0, 0, 1, 1, 1]);
    assert_eq!(communities[6..], (2..12).collect::<Vec<_>>()[..]);

    let dir = tempdir();
    let dot = to_dot_with(
        &graph,
        &DotOptions {
            color_by: ColorBy::Community,
        },
    );
    let file = write(dir.path(), "graph.dot", &dot);
    let json: Value = serde_json::from_slice(&run_dot(&["-Tjson"], &file)).unwrap();
    let objects = json["objects"].as_array().unwrap();
    assert_eq!(objects.len(), 16, "exactly the graph's nodes");
    for (o, &c) in objects.iter().zip(&communities) {
        assert_eq!(o["fillcolor"], community_color(c), "{o}");
    }
    // Colours cycle: community 9 reuses community 0's.
    assert_eq!(community_color(9), COMMUNITY_COLORS[0]);
    let legend = json["label"].as_str().unwrap();
    // Named by their node highest by PageRank (the bridge ends), escaped.
    assert!(
        legend.contains("community 0 (a &amp; b &amp;amp;, …): 3 nodes"),
        "{legend}"
    );
    assert!(
        legend.contains("community 1 (]]&gt;&lt;script&gt;, …): 3 nodes"),
        "{legend}"
    );
    assert!(
        legend.contains("3 smaller communities (3 nodes): the colours again"),
        "{legend}"
    );
    assert!(legend.contains("community 2 (Lone): 1 node"), "{legend}");
    assert!(legend.contains("modularity: 0.357"), "{legend}");
    // Shapes still show the type.
    assert!(
        legend.contains("shapes: PERSON ellipse, LOC hexagon"),
        "{legend}"
    );
    // The default still colours by type.
    let by_type = to_dot_with(&graph, &DotOptions::default());
    assert!(!by_type.contains(community_color(1)), "{by_type}");
}

#[test]
fn build_color_by_community_writes_community_colours() {
    let dir = tempdir();
    let out = dir.path().join("out");
    entgraph()
        .args(["build", "--color-by", "community", "-o"])
        .arg(&out)
        .arg(crate::util::seeds())
        .assert()
        .success();
    let dot = std::fs::read_to_string(out.join("graph.dot")).unwrap();
    let v = read_json(&out.join("graph.json"));
    let first = &v["nodes"][0];
    let c = first["community"].as_u64().unwrap() as usize;
    assert!(dot.contains(community_color(c)), "{dot}");
    assert!(
        v["graph"]["modularity"].as_f64().is_some(),
        "{}",
        v["graph"]
    );
}
