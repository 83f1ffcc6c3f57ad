//! DOT export against the real Graphviz: tricky names must survive as exactly one node each,
//! and `render` must produce SVG, PNG and PDF files.
//!
//! These tests need Graphviz (`dot`, `sfdp`, `neato`, …) on `PATH`; CI installs it in
//! `.ci/run`. Without it they fail with a message saying so, rather than pass silently.

use std::collections::BTreeSet;
use std::path::Path;

use entgraph::attribute::AttrValue;
use entgraph::export::dot::{Layout, RenderError, RenderFormat, render, to_dot};
use entgraph::graph::{EntityGraph, GraphMeta, Node};
use petgraph::graph::{NodeIndex, UnGraph};
use serde_json::Value;

use crate::util::{
    self, edge, entgraph, entity_graph, fixture, gazetteers, gc_counts, node, require_graphviz,
    run_dot, stderr, tempdir, write,
};

/// Names (also used, prefixed, as ids) that break naive DOT writers.
const TRICKY: &[&str] = &[
    r#"Dwayne "The Rock" Johnson"#,
    r"back\slash",
    r"trailing backslash\",
    r"\",
    r#"\""#,
    r"\N \G \n \l \r",
    "two\nlines",
    "crlf\r\nline",
    "tab\tseparated",
    "<b>html?</b> {record|shape} <port>",
    "semi; colon -- edge -> arrow",
    "北京",
    "Nicolás Maduro",
    " ",
    "",
    "AT&amp;T & Co",
    "node",
    "graph",
    "subgraph cluster_x",
    "bell\u{7}",
];

/// Metadata whose window name needs escaping in the legend.
fn meta() -> GraphMeta {
    GraphMeta {
        window: "sentence \"quoted\" \\".into(),
        weight: "pmi".into(),
        documents: 2,
        ..util::meta()
    }
}

/// The graph of all tricky names (40 nodes, 54 edges).
fn tricky_graph() -> EntityGraph {
    graph_of(TRICKY)
}

/// Two nodes per name: id and label equal to the name, and id `id:<name>` with a plain
/// label; all linked in a ring plus chords, with weights from negative to positive.
fn graph_of(names: &[&str]) -> EntityGraph {
    let kinds = ["PERSON", "ORG", "LOC", "NORP", "EVENT"];
    let mut g = UnGraph::new_undirected();
    let mut ids: Vec<NodeIndex> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let kind = kinds[i % kinds.len()];
        ids.push(g.add_node(node(name, name, kind, 1 + i as u64)));
        ids.push(g.add_node(node(&format!("id:{name}"), &format!("label {i}"), kind, 1)));
    }
    let n = ids.len();
    for i in 0..n {
        let w = (i as f64 - n as f64 / 2.0) / 4.0; // negative to positive, like PMI
        g.add_edge(ids[i], ids[(i + 1) % n], edge(1 + i as u64, w));
        if i % 3 == 0 {
            g.add_edge(ids[i], ids[(i + 7) % n], edge(1, 0.0));
        }
    }
    entity_graph(g, meta())
}

/// The node name Graphviz stores for an entity id: the quoted string as read, where only
/// `\"` is undone, so backslashes stay doubled and line breaks stay as `\n`, `\r`.
fn graphviz_name(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// What a label should look like once drawn: one string per line.
fn drawn_lines(label: &str) -> Vec<String> {
    let clean: String = label
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .map(|c| match c {
            '\t' => ' ',
            '\n' => '\n',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect();
    clean.split('\n').map(str::to_string).collect()
}

fn write_dot(dir: &Path, graph: &EntityGraph) -> std::path::PathBuf {
    let path = dir.join("graph.dot");
    std::fs::write(&path, to_dot(graph)).unwrap();
    path
}

#[test]
fn graphviz_reads_every_tricky_name_as_one_node() {
    require_graphviz();
    let graph = tricky_graph();
    let dir = tempdir();
    let dot_file = write_dot(dir.path(), &graph);
    // The default `dot` layout; the names and label lines are what matters here.
    let json: Value = serde_json::from_slice(&run_dot(&["-Tjson"], &dot_file))
        .expect("Graphviz JSON output parses");

    assert_eq!(
        json["_subgraph_cnt"], 0,
        "no subgraph: the legend is the graph label"
    );
    let objects = json["objects"].as_array().unwrap();
    let nodes: Vec<&Value> = objects.iter().collect();
    let name_of = |gvid: &Value| -> String {
        let gvid = gvid.as_u64().unwrap() as usize;
        objects[gvid]["name"].as_str().unwrap().to_string()
    };

    // Same nodes, by name.
    let got: BTreeSet<String> = nodes
        .iter()
        .map(|n| n["name"].as_str().unwrap().to_string())
        .collect();
    let want: BTreeSet<String> = graph
        .graph
        .node_weights()
        .map(|n| graphviz_name(&n.id))
        .collect();
    assert_eq!(
        want.len(),
        graph.graph.node_count(),
        "test ids are distinct"
    );
    assert_eq!(got, want);
    assert_eq!(
        nodes.len(),
        graph.graph.node_count(),
        "no node split or merged"
    );

    // Same edges, by endpoints.
    let edges = json["edges"].as_array().unwrap();
    let mut got_edges: Vec<(String, String)> = edges
        .iter()
        .map(|e| (name_of(&e["tail"]), name_of(&e["head"])))
        .collect();
    let mut want_edges: Vec<(String, String)> = graph
        .graph
        .raw_edges()
        .iter()
        .map(|e| {
            (
                graphviz_name(&graph.graph[e.source()].id),
                graphviz_name(&graph.graph[e.target()].id),
            )
        })
        .collect();
    got_edges.sort();
    want_edges.sort();
    assert_eq!(got_edges, want_edges);
    // Labels are drawn as written: compare the text Graphviz lays out, line by line.
    for n in graph.graph.node_weights() {
        let object = nodes
            .iter()
            .find(|o| o["name"] == graphviz_name(&n.id).as_str())
            .unwrap();
        let drawn: Vec<String> = object["_ldraw_"]
            .as_array()
            .map(|ops| {
                ops.iter()
                    .filter(|op| op["op"] == "T")
                    .map(|op| op["text"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let want = drawn_lines(&n.label);
        if n.label.trim().is_empty() {
            assert!(drawn.iter().all(|t| t.trim().is_empty()), "{drawn:?}");
        } else {
            assert_eq!(drawn, want, "label of {:?}", n.id);
        }
    }
}

/// The committed DOT of [`golden_graph`]: `to_dot` must write exactly these bytes, in every
/// process and at every commit. An intended change of the DOT output is made by running the
/// test with `ENTGRAPH_BLESS=1`, which rewrites the file, and reviewing its diff.
const GOLDEN_DOT: &str = "golden/tricky.dot";

/// Every tricky name, plus a provisional entity whose cue needs escaping and a node with
/// aliases and attributes, with analytics computed: a fixed graph, made in the test, holding
/// no seed text.
fn golden_graph() -> EntityGraph {
    let mut graph = tricky_graph();
    let g = &mut graph.graph;
    let first = NodeIndex::new(0);
    let p = g.add_node(Node {
        provisional: Some("title:\"analyst\" \\ <b>&amp;".into()),
        ..node("new:varun-mishra", "Varun \"V\" Mishra", "PERSON", 2)
    });
    let x = g.add_node(Node {
        aliases: [("Xiaomi".to_string(), 3)].into(),
        attributes: [("wikidata".to_string(), AttrValue::String("Q1".into()))].into(),
        ..node("xiaomi", "Xiaomi", "ORG", 3)
    });
    g.add_edge(p, x, edge(2, 1.5));
    g.add_edge(p, first, edge(1, -0.5));
    entgraph::graph::analyse(g);
    graph
}

#[test]
fn to_dot_matches_the_committed_golden_file() {
    let got = to_dot(&golden_graph());
    let path = fixture(GOLDEN_DOT);
    if std::env::var_os("ENTGRAPH_BLESS").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}: write it with ENTGRAPH_BLESS=1 cargo test to_dot_matches_the_committed_golden_file",
            path.display()
        )
    });
    if got != want {
        let line = want
            .lines()
            .zip(got.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(got.lines().count()));
        panic!(
            "to_dot differs from {} first at line {} (rerun with ENTGRAPH_BLESS=1 if the change \
             is intended, and review the diff):\n  golden: {:?}\n  now:    {:?}",
            path.display(),
            line + 1,
            want.lines().nth(line),
            got.lines().nth(line)
        );
    }
}

fn assert_svg(bytes: &[u8], what: &str) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        text.starts_with("<?xml") && text.contains("<svg") && text.trim_end().ends_with("</svg>"),
        "{what}: not an SVG: {}",
        &text[..text.len().min(200)]
    );
}

#[test]
fn render_svg_with_every_layout() {
    require_graphviz();
    let graph = tricky_graph();
    let dir = tempdir();
    let dot_file = write_dot(dir.path(), &graph);
    for layout in [
        Layout::Sfdp,
        Layout::Dot,
        Layout::Neato,
        Layout::Fdp,
        Layout::Circo,
    ] {
        let out = dir.path().join(format!("out/{}.svg", layout.as_str()));
        render(&dot_file, &out, RenderFormat::Svg, layout)
            .unwrap_or_else(|e| panic!("{layout:?}: {e}"));
        let bytes = std::fs::read(&out).unwrap();
        assert_svg(&bytes, layout.as_str());
        let svg = String::from_utf8(bytes).unwrap();
        // Names reach the SVG as text (XML-escaped), non-ASCII intact.
        assert!(svg.contains("北京"), "{layout:?}");
        assert!(svg.contains("Nicolás Maduro"), "{layout:?}");
        assert!(
            svg.contains("Dwayne &quot;The Rock&quot; Johnson"),
            "{layout:?}"
        );
        assert!(svg.contains("AT&amp;amp;T &amp; Co"), "{layout:?}");
        assert!(svg.contains(">trailing backslash\\<"), "{layout:?}");
    }
    // A small graph gets edges routed around nodes (`splines=true`), slower to lay out.
    let small = graph_of(&TRICKY[..5]);
    let small_dot = dir.path().join("small.dot");
    std::fs::write(&small_dot, to_dot(&small)).unwrap();
    assert!(
        std::fs::read_to_string(&small_dot)
            .unwrap()
            .contains("splines=true")
    );
    for layout in [Layout::Sfdp, Layout::Neato] {
        let out = dir
            .path()
            .join(format!("out/small-{}.svg", layout.as_str()));
        render(&small_dot, &out, RenderFormat::Svg, layout).unwrap();
        assert_svg(&std::fs::read(&out).unwrap(), "small");
    }

    // Only the SVGs: no temporary files left next to them.
    let left: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !n.ends_with(".svg"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn render_png_and_pdf() {
    require_graphviz();
    let dir = tempdir();
    let dot_file = write_dot(dir.path(), &tricky_graph());
    let png = dir.path().join("g.png");
    render(&dot_file, &png, RenderFormat::Png, Layout::Sfdp).unwrap();
    let bytes = std::fs::read(&png).unwrap();
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG: {:?}",
        &bytes[..bytes.len().min(16)]
    );
    let pdf = dir.path().join("g.pdf");
    render(&dot_file, &pdf, RenderFormat::Pdf, Layout::Dot).unwrap();
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn render_overwrites_and_keeps_old_file_on_failure() {
    require_graphviz();
    let dir = tempdir();
    let dot_file = write_dot(dir.path(), &tricky_graph());
    let out = dir.path().join("g.svg");
    std::fs::write(&out, "old").unwrap();
    render(&dot_file, &out, RenderFormat::Svg, Layout::Dot).unwrap();
    assert_svg(&std::fs::read(&out).unwrap(), "overwritten");

    // Broken DOT: Graphviz's own message comes back, the previous output stays.
    let bad = dir.path().join("bad.dot");
    std::fs::write(&bad, "graph { a -- }").unwrap();
    let before = std::fs::read(&out).unwrap();
    let err = render(&bad, &out, RenderFormat::Svg, Layout::Dot).unwrap_err();
    assert!(matches!(err, RenderError::Failed { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("svg") && msg.contains("dot layout"), "{msg}");
    assert!(msg.to_lowercase().contains("syntax error"), "{msg}");
    assert_eq!(std::fs::read(&out).unwrap(), before);

    // Missing input.
    let err = render(
        &dir.path().join("missing.dot"),
        &out,
        RenderFormat::Svg,
        Layout::Dot,
    )
    .unwrap_err();
    assert!(matches!(err, RenderError::Io(..)), "{err:?}");
    assert!(err.to_string().contains("missing.dot"), "{err}");
}

/// `entgraph render DOT -o OUT ARGS…` with `PATH` set to `path`: the output and its stderr.
fn render_with_path(
    path: impl AsRef<std::ffi::OsStr>,
    dot_file: &Path,
    out: &Path,
    args: &[&str],
) -> (std::process::Output, String) {
    let o = entgraph()
        .env("PATH", path)
        .arg("render")
        .args(args)
        .arg(dot_file)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    let err = stderr(&o);
    (o, err)
}

/// `entgraph build ARGS… -o OUT` of a three-person text written in `dir`, with `PATH` set to
/// `path`: the output and its stderr.
fn build_with_path(
    path: impl AsRef<std::ffi::OsStr>,
    dir: &Path,
    out: &Path,
    args: &[&str],
) -> (std::process::Output, String) {
    let text = write(dir, "a.txt", "Alpha met Beta. Beta met Gamma.");
    let g = write(dir, "g.tsv", gazetteers::ALPHA_BETA_GAMMA);
    let o = entgraph()
        .env("PATH", path)
        .arg("build")
        .args(args)
        .arg("-g")
        .arg(&g)
        .arg("-o")
        .arg(out)
        .arg(&text)
        .output()
        .unwrap();
    let err = stderr(&o);
    (o, err)
}

/// Without Graphviz on `PATH` (a `PATH` holding only an empty directory), `render` and
/// `build --render` exit with status 1 and say how to install it; `render` writes no image,
/// `build` still writes the DOT and JSON files.
#[test]
fn render_without_graphviz_exits_1_and_says_how_to_install_it() {
    let dir = tempdir();
    let no_graphviz = dir.path().join("empty-bin");
    std::fs::create_dir(&no_graphviz).unwrap();
    let dot_file = write_dot(dir.path(), &tricky_graph());
    let svg = dir.path().join("g.svg");
    let (out, err) = render_with_path(&no_graphviz, &dot_file, &svg, &[]);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("Graphviz is not installed"), "{err}");
    assert!(err.contains("apt-get install graphviz"), "{err}");
    assert!(!svg.exists(), "an image was written without Graphviz");

    let out_dir = dir.path().join("out");
    let (out, err) = build_with_path(&no_graphviz, dir.path(), &out_dir, &["--render", "svg"]);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("apt-get install graphviz"), "{err}");
    assert!(
        err.contains("the DOT and JSON files were written; only the image is missing"),
        "{err}"
    );
    let dot = std::fs::read_to_string(out_dir.join("graph.dot")).unwrap();
    assert!(dot.contains("\"alpha\""), "{dot}");
    let json = util::read_json(&out_dir.join("graph.json"));
    assert_eq!(json["nodes"].as_array().unwrap().len(), 3);
    assert!(!out_dir.join("graph.svg").exists());
}

/// A provisional node (tricky cue included) is read by Graphviz as one node with a dashed,
/// still filled outline; the legend explains the dashes; the SVG draws them.
#[test]
fn graphviz_draws_provisional_nodes_dashed() {
    require_graphviz();
    let mut g = UnGraph::new_undirected();
    let a = g.add_node(node("xiaomi", "Xiaomi", "ORG", 3));
    let b = g.add_node(Node {
        provisional: Some("title:\"analyst\" \\ <b>&amp;".into()),
        ..node("new:varun-mishra", "Varun \"V\" Mishra", "PERSON", 2)
    });
    g.add_edge(a, b, edge(1, 1.0));
    let graph = entity_graph(g, meta());
    let dir = tempdir();
    let dot_file = write_dot(dir.path(), &graph);
    let json: Value = serde_json::from_slice(&run_dot(&["-Tjson"], &dot_file))
        .expect("Graphviz JSON output parses");
    let objects = json["objects"].as_array().unwrap();
    let find = |name: &str| {
        objects
            .iter()
            .find(|o| o["name"] == name)
            .unwrap_or_else(|| panic!("no node {name}"))
    };
    let p = find("new:varun-mishra");
    assert_eq!(p["style"], "filled,dashed");
    assert_eq!(p["fillcolor"], entgraph::export::type_color("PERSON"));
    // As Graphviz reads it: `\"` undone, the backslash still doubled, `&` kept as `&amp;`.
    let tooltip = p["tooltip"].as_str().unwrap();
    assert!(
        tooltip
            .contains(r#"provisional (found by discovery, cue title:"analyst" \\ <b>&amp;amp;)"#),
        "{tooltip}"
    );
    let listed = find("xiaomi");
    assert_eq!(listed["style"], "filled,rounded");
    // The legend (the graph label) explains the dashes.
    assert!(
        json["label"]
            .as_str()
            .unwrap()
            .contains("dashed outline: provisional"),
        "{}",
        json["label"]
    );
    // Exactly two nodes: nothing split, no legend node.
    assert_eq!(objects.len(), 2);
    // Rendered: the SVG has dashed strokes.
    let svg = String::from_utf8(run_dot(&["-Tsvg", "-Ksfdp"], &dot_file)).unwrap();
    assert!(
        svg.contains("stroke-dasharray"),
        "no dashed outline in the SVG"
    );

    // Without provisional nodes there is no dashed node and no legend entry.
    let plain = to_dot(&small_plain());
    assert!(
        !plain.contains("dashed") && !plain.contains("provisional"),
        "{plain}"
    );
}

fn small_plain() -> EntityGraph {
    let mut g = UnGraph::new_undirected();
    g.add_node(node("a", "A", "PERSON", 1));
    g.add_node(node("b", "B", "LOC", 1));
    entity_graph(g, meta())
}

/// A chain of `n` nodes with `extra` chords: a graph past every size threshold when large.
fn chain_graph(n: usize, chords: usize) -> EntityGraph {
    let mut g = UnGraph::new_undirected();
    let ids: Vec<NodeIndex> = (0..n)
        .map(|i| {
            g.add_node(node(
                &format!("e{i}"),
                &format!("Name <{i}> & \"co\""),
                ["PERSON", "ORG", "LOC"][i % 3],
                1 + (i % 17) as u64,
            ))
        })
        .collect();
    for i in 1..n {
        g.add_edge(ids[i - 1], ids[i], edge(1 + (i % 5) as u64, (i % 7) as f64));
    }
    for i in 0..chords {
        g.add_edge(ids[i % n], ids[(i * 7 + 3) % n], edge(1, 0.5));
    }
    entgraph::graph::analyse(&mut g);
    entity_graph(g, meta())
}

/// Graphviz's own reader counts exactly the graph's nodes and edges, small and large (the
/// legend is a label, not nodes), and every size renders with sfdp.
#[test]
fn graphviz_counts_exactly_the_graphs_nodes_and_edges() {
    require_graphviz();
    let dir = tempdir();
    for (name, graph) in [
        ("tricky", tricky_graph()),
        ("golden", golden_graph()),
        ("large", chain_graph(400, 900)),
        ("empty", entity_graph(UnGraph::new_undirected(), meta())),
    ] {
        let path = dir.path().join(format!("{name}.dot"));
        std::fs::write(&path, to_dot(&graph)).unwrap();
        assert_eq!(
            gc_counts(&path),
            (graph.graph.node_count(), graph.graph.edge_count()),
            "{name}"
        );
        let svg = dir.path().join(format!("{name}.svg"));
        render(&path, &svg, RenderFormat::Svg, Layout::Sfdp).unwrap();
        let text = std::fs::read_to_string(&svg).unwrap();
        // The legend is drawn: its title and metadata line reach the SVG as text.
        assert!(text.contains(">Legend</text>"), "{name}: no legend title");
        assert!(
            text.contains(&format!(
                "nodes: {}, edges: {}",
                graph.graph.node_count(),
                graph.graph.edge_count()
            )),
            "{name}: no legend metadata"
        );
    }
    let large = std::fs::read_to_string(dir.path().join("large.dot")).unwrap();
    assert!(
        large.contains("splines=line"),
        "large graphs: straight lines"
    );
    // Hostile labels reach the SVG as text, not markup.
    let svg = std::fs::read_to_string(dir.path().join("large.svg")).unwrap();
    assert!(svg.contains("Name &lt;0&gt; &amp; &quot;co&quot;"));
}

/// A `dot` that never finishes and starts a child of its own: `render --timeout 1` stops
/// both, exits 1 with a message that suggests pruning, and leaves no image or temporary file;
/// `build --render --timeout 1` still writes the DOT and JSON.
#[test]
fn render_timeout_kills_graphviz_and_writes_nothing() {
    let dir = tempdir();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let pid_file = dir.path().join("child.pid");
    let fake = write(
        &bin,
        "dot",
        format!(
            "#!/bin/sh\nsleep 300 &\necho $! > '{}'\nprintf 'partial'\nsleep 300\n",
            pid_file.display()
        ),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out_dir = dir.path().join("img");
    std::fs::create_dir(&out_dir).unwrap();
    let dot_file = write_dot(dir.path(), &tricky_graph());
    let svg = out_dir.join("g.svg");
    let started = std::time::Instant::now();
    let (out, err) = render_with_path(&path, &dot_file, &svg, &["--timeout", "1"]);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(started.elapsed().as_secs() < 30, "not stopped in time");
    assert!(
        err.contains("Graphviz's sfdp layout did not finish within 1 s and was stopped"),
        "{err}"
    );
    assert!(
        err.contains("--picture") && err.contains("--timeout SECS"),
        "{err}"
    );
    assert!(err.contains("has 40 nodes and 54 edges"), "{err}");
    let left: Vec<_> = std::fs::read_dir(&out_dir).unwrap().collect();
    assert!(left.is_empty(), "files left: {left:?}");
    // The fake's own child was killed with it.
    let child = std::fs::read_to_string(&pid_file).unwrap();
    let alive = || Path::new(&format!("/proc/{}", child.trim())).exists();
    for _ in 0..100 {
        if !alive() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(!alive(), "Graphviz's child {} still runs", child.trim());

    let built = dir.path().join("out");
    let (out, err) = build_with_path(
        &path,
        dir.path(),
        &built,
        &["--render", "png", "--timeout", "1"],
    );
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("did not finish within 1 s"), "{err}");
    assert!(err.contains("--picture"), "{err}");
    assert!(built.join("graph.dot").exists() && built.join("graph.json").exists());
    assert!(!built.join("graph.png").exists());
    let bad = entgraph()
        .args(["render", "--timeout", "0"])
        .arg(&dot_file)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "--timeout 0 is refused");
}

/// Names for a corpus of `n` entities: two-syllable words, all distinct.
fn names(n: usize) -> Vec<String> {
    let syl = [
        "Ba", "Ce", "Di", "Fo", "Gu", "Ha", "Je", "Ki", "Lo", "Mu", "Na", "Pe", "Ri", "So", "Tu",
        "Va", "We", "Xi", "Yo", "Zu",
    ];
    (0..n)
        .map(|i| format!("{}{}{}", syl[i / 20 % 20], syl[i % 20].to_lowercase(), "n"))
        .collect()
}

/// A graph too large for a picture gets a warning from `build` with the exact size
/// `--picture` gives, and from `render`; `--picture` prunes through the recorded filters,
/// explicit flags win, and the pruned picture gets no warning.
#[test]
fn large_graphs_warn_and_picture_prunes() {
    require_graphviz();
    let dir = tempdir();
    let names = names(320);
    let mut gazetteer = String::from("type\tname\n");
    let mut text = String::new();
    for (i, n) in names.iter().enumerate() {
        gazetteer.push_str(&format!("PERSON\t{n}\n"));
        let next = &names[(i + 1) % names.len()];
        text.push_str(&format!("{n} met {next}. "));
        if i % 2 == 0 {
            text.push_str(&format!("{n} met {}. ", names[(i + 2) % names.len()]));
        }
    }
    let g = write(dir.path(), "g.tsv", &gazetteer);
    let corpus = write(dir.path(), "a.txt", &text);
    let build = |out: &str, flags: &[&str]| {
        let o = entgraph()
            .args(["build", "--no-discover", "-g"])
            .arg(&g)
            .arg("-o")
            .arg(dir.path().join(out))
            .args(flags)
            .arg(&corpus)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let json = util::read_json(&dir.path().join(out).join("graph.json"));
        (stderr(&o), json)
    };
    let (err, all) = build("all", &[]);
    assert_eq!(all["nodes"].as_array().unwrap().len(), 320);
    let (_, pic) = build("pic", &["--picture"]);
    let (pn, pe) = (
        pic["nodes"].as_array().unwrap().len(),
        pic["links"].as_array().unwrap().len(),
    );
    assert_eq!(pn, 150);
    assert!(
        err.contains(&format!(
            "warning: graph.dot has 320 nodes and {} edges, too many for a readable picture",
            all["links"].as_array().unwrap().len()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "--picture keeps the 150 most mentioned entities, each one's 3 strongest edges and \
             the largest component: {pn} nodes and {pe} edges here"
        )),
        "{err}"
    );
    let f = &pic["graph"]["filters"];
    assert_eq!(
        (&f["max_nodes"], &f["top_edges"], &f["largest_component"]),
        (&Value::from(150), &Value::from(3), &Value::from(true))
    );
    let (err, fewer) = build(
        "fewer",
        &["--picture", "--max-nodes", "20", "--top-edges", "1"],
    );
    assert!(!err.contains("warning"), "{err}");
    let f = &fewer["graph"]["filters"];
    assert_eq!(
        (&f["max_nodes"], &f["top_edges"]),
        (&Value::from(20), &Value::from(1))
    );
    assert!(fewer["nodes"].as_array().unwrap().len() <= 20);

    let out = entgraph()
        .args(["render", "-T", "svg"])
        .arg(dir.path().join("all/graph.dot"))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("has 320 nodes and"), "{err}");
    assert!(err.contains("entgraph build --picture"), "{err}");
}
