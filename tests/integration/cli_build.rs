//! End-to-end tests of `entgraph build` and `entgraph render`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{entgraph, examples, gazetteers, python, read_json, seeds, tempdir, write};

/// A small corpus whose counts are worked out by hand in the tests below.
///
/// Tokens: Alpha(0) met(1) Beta(2) . Beta(3) met(4) Gamma(5) . | Alpha(6) and(7) Gamma(8) .
fn corpus(dir: &Path) -> (PathBuf, PathBuf) {
    let text = write(
        dir,
        "a.txt",
        "Alpha met Beta. Beta met Gamma.\n\nAlpha and Gamma.",
    );
    let g = write(dir, "g.tsv", gazetteers::ALPHA_BETA_GAMMA);
    (text, g)
}

/// Builds the small corpus and returns (links by "a-b", nodes by id, graph metadata).
fn build(window: &str, weight: &str) -> (HashMap<String, Value>, HashMap<String, Value>, Value) {
    let dir = tempdir();
    let (text, g) = corpus(dir.path());
    let out = dir.path().join("out");
    entgraph()
        .args([
            "build", "--format", "json", "--window", window, "--weight", weight, "-g",
        ])
        .arg(&g)
        .arg("-o")
        .arg(&out)
        .arg(&text)
        .assert()
        .success();
    let v: Value = read_json(&out.join("graph.json"));
    let links = v["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let mut ends = [l["source"].as_str().unwrap(), l["target"].as_str().unwrap()];
            ends.sort();
            (ends.join("-"), l.clone())
        })
        .collect();
    let nodes = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap().to_string(), n.clone()))
        .collect();
    (links, nodes, v["graph"].clone())
}

fn counts(links: &HashMap<String, Value>) -> Vec<(String, u64)> {
    let mut c: Vec<_> = links
        .iter()
        .map(|(k, l)| (k.clone(), l["count"].as_u64().unwrap()))
        .collect();
    c.sort();
    c
}

fn close(v: &Value, want: f64) {
    let got = v.as_f64().unwrap();
    assert!((got - want).abs() < 1e-9, "{got} != {want}");
}

#[test]
fn every_window_kind_counts_as_worked_out_by_hand() {
    let pairs = |ab, ag, bg| {
        vec![
            ("alpha-beta".to_string(), ab),
            ("alpha-gamma".to_string(), ag),
            ("beta-gamma".to_string(), bg),
        ]
    };
    // Sentences: {A,B} {B,G} {A,G}.
    let (l, n, meta) = build("sentence", "count");
    assert_eq!(counts(&l), pairs(1, 1, 1));
    assert_eq!(meta["windows"], 3);
    assert_eq!(n["alpha"]["mentions"], 2);
    // Paragraphs: {A,B,G} {A,G}.
    let (l, _, meta) = build("paragraph", "count");
    assert_eq!(counts(&l), pairs(1, 2, 1));
    assert_eq!(meta["windows"], 2);
    // Document: one window.
    let (l, _, meta) = build("document", "count");
    assert_eq!(counts(&l), pairs(1, 1, 1));
    assert_eq!(meta["windows"], 1);
    // tokens:2, one window per mention: A0{A,B} B2{B} B3{B,G} G5{A,G} A6{A,G} G8{G}.
    let (l, n, meta) = build("tokens:2", "count");
    assert_eq!(counts(&l), pairs(1, 2, 1));
    assert_eq!(meta["windows"], 6);
    assert_eq!(meta["window"], "tokens:2");
    assert_eq!(n["gamma"]["windows"], 4);
}

#[test]
fn every_weight_as_worked_out_by_hand() {
    // Paragraph windows (W = 2): c(A) = 2, c(B) = 1, c(G) = 2; AB = 1, AG = 2.
    let (l, _, _) = build("paragraph", "pmi");
    close(&l["alpha-gamma"]["weight"], 0.0); // log2(2*2 / (2*2))
    close(&l["alpha-beta"]["weight"], 0.0); // log2(1*2 / (2*1))
    let (l, _, _) = build("paragraph", "npmi");
    close(&l["alpha-gamma"]["weight"], 1.0); // p(ab) = 1
    close(&l["alpha-beta"]["weight"], 0.0);
    let (l, _, _) = build("paragraph", "dice");
    close(&l["alpha-gamma"]["weight"], 1.0); // 2*2 / (2+2)
    close(&l["alpha-beta"]["weight"], 2.0 / 3.0); // 2*1 / (2+1)
    let (l, _, _) = build("paragraph", "jaccard");
    close(&l["alpha-beta"]["weight"], 0.5); // 1 / (2+1-1)
    let (l, _, _) = build("paragraph", "documents");
    close(&l["alpha-gamma"]["weight"], 1.0);
    // Sentence windows (W = 3): c(A) = c(B) = 2, AB = 1.
    let (l, _, meta) = build("sentence", "pmi");
    close(&l["alpha-beta"]["weight"], (0.75f64).log2());
    assert_eq!(meta["weight"], "pmi");
    let (l, _, _) = build("sentence", "npmi");
    close(&l["alpha-beta"]["weight"], (0.75f64).log2() / (3f64).log2());
}

#[test]
fn pruning_is_applied_and_reported() {
    let dir = tempdir();
    let (text, g) = corpus(dir.path());
    let out = dir.path().join("out");
    entgraph()
        .args([
            "build",
            "--format",
            "json",
            "--window",
            "paragraph",
            "--min-count",
            "2",
            "-g",
        ])
        .arg(&g)
        .arg("-o")
        .arg(&out)
        .arg(&text)
        .assert()
        .success();
    let v: Value = read_json(&out.join("graph.json"));
    assert_eq!(v["links"].as_array().unwrap().len(), 1);
    assert_eq!(v["graph"]["filters"]["min_count"], 2);
    entgraph()
        .args([
            "build",
            "--format",
            "json",
            "--window",
            "paragraph",
            "--min-count",
            "2",
            "--largest-component",
            "-g",
        ])
        .arg(&g)
        .arg("-o")
        .arg(&out)
        .arg(&text)
        .assert()
        .success();
    let v: Value = read_json(&out.join("graph.json"));
    let ids: Vec<_> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["alpha", "gamma"]);
    assert_eq!(v["graph"]["filters"]["largest_component"], true);
}

/// Builds the seed corpus into a temp dir and returns the parsed graph.json.
fn build_seeds(extra: &[&str], out: &Path) -> Value {
    entgraph()
        .args(["build", "--window", "sentence"])
        .args(extra)
        .arg("-o")
        .arg(out)
        .arg(seeds())
        .assert()
        .success();
    read_json(&out.join("graph.json"))
}

#[test]
fn seed_story_graph() {
    let dir = tempdir();
    let v = build_seeds(&[], dir.path());
    let links = v["links"].as_array().unwrap();
    let heaviest = links
        .iter()
        .max_by(|a, b| {
            a["weight"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["weight"].as_f64().unwrap())
        })
        .unwrap();
    let mut ends = [
        heaviest["source"].as_str().unwrap(),
        heaviest["target"].as_str().unwrap(),
    ];
    ends.sort();
    assert_eq!(ends, ["lee-jae-myung", "xi-jinping"]);
    let linked = |a: &str, b: &str| {
        links.iter().any(|l| {
            (l["source"] == a && l["target"] == b) || (l["source"] == b && l["target"] == a)
        })
    };
    for org in ["xiaomi", "apec"] {
        for person in ["lee-jae-myung", "xi-jinping"] {
            assert!(linked(org, person), "{org} not linked to {person}");
        }
    }
    // Evidence points at real windows of real files.
    let ev = &heaviest["evidence"][0];
    let text = std::fs::read_to_string(ev["doc"].as_str().unwrap()).unwrap();
    let (s, e) = (
        ev["start"].as_u64().unwrap() as usize,
        ev["end"].as_u64().unwrap() as usize,
    );
    assert!(
        ev["text"]
            .as_str()
            .unwrap()
            .starts_with(&text[s..e.min(s + 40)])
    );
    // Graphviz reads exactly the graph's nodes and edges from the DOT file (no legend nodes).
    crate::util::require_graphviz();
    assert_eq!(
        crate::util::gc_counts(&dir.path().join("graph.dot")),
        (
            v["nodes"].as_array().unwrap().len(),
            v["links"].as_array().unwrap().len()
        )
    );
}

#[test]
fn json_loads_in_networkx() {
    let dir = tempdir();
    let v = build_seeds(&[], dir.path());
    let script = "import json, sys, networkx as nx\n\
        data = json.load(open(sys.argv[1]))\n\
        g = nx.node_link_graph(data, edges='links')\n\
        print(g.number_of_nodes(), g.number_of_edges(), g['lee-jae-myung']['xi-jinping']['weight'])\n\
        pr = nx.pagerank(g, alpha=0.85, tol=1e-12, max_iter=1000, weight='weight')\n\
        worst = max(abs(pr[n] - d['pagerank']) for n, d in g.nodes(data=True))\n\
        assert worst < 1e-6, ('PageRank differs from networkx by', worst)\n\
        bc = nx.betweenness_centrality(g, normalized=True)\n\
        worst = max(abs(bc[n] - d['betweenness']) for n, d in g.nodes(data=True))\n\
        assert worst < 1e-9, ('betweenness differs from networkx by', worst)\n";
    let out = python(script, [dir.path().join("graph.json")]);
    assert!(
        out.status.success(),
        "networkx failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    let heaviest = v["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| {
            let e = [l["source"].as_str().unwrap(), l["target"].as_str().unwrap()];
            e.contains(&"lee-jae-myung") && e.contains(&"xi-jinping")
        })
        .unwrap()["weight"]
        .as_f64()
        .unwrap();
    assert_eq!(
        printed.trim(),
        format!(
            "{} {} {:.1}",
            v["nodes"].as_array().unwrap().len(),
            v["links"].as_array().unwrap().len(),
            heaviest
        )
    );
}

#[test]
fn outputs_are_identical_whatever_the_thread_count() {
    let run = |threads: &str| {
        let dir = tempdir();
        entgraph()
            .env("RAYON_NUM_THREADS", threads)
            .args(["build", "--format", "dot,json,html", "-o"])
            .arg(dir.path())
            .arg(seeds())
            .arg(examples("news"))
            .assert()
            .success();
        (
            std::fs::read(dir.path().join("graph.dot")).unwrap(),
            std::fs::read(dir.path().join("graph.json")).unwrap(),
            std::fs::read(dir.path().join("graph.html")).unwrap(),
        )
    };
    let one = run("1");
    let two = run("2");
    assert!(one.0 == two.0, "graph.dot differs between 1 and 2 threads");
    assert!(one.1 == two.1, "graph.json differs between 1 and 2 threads");
    assert!(one.2 == two.2, "graph.html differs between 1 and 2 threads");
    // And with -j.
    let dir = tempdir();
    entgraph()
        .args(["build", "-j", "2", "-o"])
        .arg(dir.path())
        .arg(seeds())
        .arg(examples("news"))
        .assert()
        .success();
    assert!(std::fs::read(dir.path().join("graph.json")).unwrap() == one.1);
}

#[test]
fn a_gazetteer_error_writes_nothing() {
    let dir = tempdir();
    let g = dir.path().join("bad.tsv");
    std::fs::write(&g, "type\tname\nPERSON\t\n").unwrap();
    let out = dir.path().join("out");
    entgraph()
        .args(["build", "-g"])
        .arg(&g)
        .arg("-o")
        .arg(&out)
        .arg(seeds())
        .assert()
        .code(2);
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
}

#[test]
fn missing_graphviz_is_explained_and_the_rest_is_written() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let assert = entgraph()
        .env("PATH", dir.path())
        .args(["build", "--render", "svg", "-o"])
        .arg(&out)
        .arg(seeds())
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("apt-get install graphviz"), "{err}");
    assert!(out.join("graph.dot").exists() && out.join("graph.json").exists());
    assert!(!out.join("graph.svg").exists());
}

#[test]
fn render_draws_svg_and_png() {
    let dir = tempdir();
    build_seeds(&["--render", "svg"], dir.path());
    let svg = std::fs::read_to_string(dir.path().join("graph.svg")).unwrap();
    assert!(svg.contains("<svg") && svg.contains("Xi Jinping"));
    let png = dir.path().join("seed.png");
    entgraph()
        .args(["render", "--layout", "neato", "-o"])
        .arg(&png)
        .arg(dir.path().join("graph.dot"))
        .assert()
        .success();
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
}

#[test]
fn html_page_is_written_and_self_contained() {
    let dir = tempdir();
    let hostile = dir.path().join("hostile.txt");
    std::fs::write(
        &hostile,
        "Xi Jinping wrote </script><script>alert(1)</script> to Lee Jae-myung.",
    )
    .unwrap();
    entgraph()
        .args(["build", "--format", "html", "-o"])
        .arg(dir.path())
        .arg(&hostile)
        .arg(examples("news"))
        .assert()
        .success();
    let html = std::fs::read_to_string(dir.path().join("graph.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // The document text is embedded, escaped: one closing script tag per script element only.
    assert!(html.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"));
    assert_eq!(
        html.matches("</script>").count(),
        html.matches("<script").count()
    );
    // Nothing is fetched from the network.
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    assert!(
        !dir.path().join("graph.json").exists(),
        "only the asked formats are written"
    );
}

/// `--types` with a value no gazetteer type (nor discovery) has is an error naming it and
/// the known types, and nothing is written; known types, discovery's included, are fine.
#[test]
fn unknown_types_and_color_by_are_errors() {
    let dir = tempdir();
    let g = write(dir.path(), "g.tsv", gazetteers::ONE_OF_EACH_TYPE);
    let text = write(dir.path(), "a.txt", "Alpha met Beta in Gamma.");
    let run = |cmd: &str, flags: &[&str]| {
        let out = dir.path().join("out");
        let o = entgraph()
            .arg(cmd)
            .arg("-g")
            .arg(&g)
            .args(flags)
            .arg(&text)
            .output()
            .unwrap();
        (o, out)
    };
    let (o, out) = run("build", &["--types", "PERSON,PERSN", "-o", "unused"]);
    let err = crate::util::stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--types PERSN: no such entity type (known types: LOC, ORG, PERSON)"),
        "{err}"
    );
    assert!(!out.exists() && !dir.path().join("unused").exists());
    let (o, _) = run("report", &["--types", "persn"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(crate::util::stderr(&o).contains("--types PERSN"));
    // Known in any case; discovery's types are known even if the gazetteer lacks them.
    let only_people = write(dir.path(), "p.tsv", gazetteers::ALPHA_BETA_GAMMA);
    let o = entgraph()
        .args(["build", "--format", "json", "--types", "org,person", "-g"])
        .arg(&only_people)
        .arg("-o")
        .arg(dir.path().join("ok"))
        .arg(&text)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", crate::util::stderr(&o));
    let o = entgraph()
        .args(["build", "--no-discover", "--types", "ORG", "-g"])
        .arg(&only_people)
        .arg(&text)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "ORG comes only from discovery");
    assert!(crate::util::stderr(&o).contains("(known types: PERSON)"));

    let (o, _) = run("build", &["--color-by", "colour"]);
    let err = crate::util::stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("invalid value 'colour' for '--color-by"),
        "{err}"
    );
    assert!(err.contains("[possible values: type, community]"), "{err}");
}
