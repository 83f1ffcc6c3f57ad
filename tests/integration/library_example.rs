//! `examples/library.rs` runs, and builds through the library the graph `entgraph build` makes.

#[path = "../../examples/library.rs"]
#[allow(dead_code)] // its `main` is for `cargo run --example library`
mod library;

use crate::util::{entgraph, examples, tempdir};

#[test]
fn library_example_builds_the_graph_the_cli_builds() {
    let news = examples("news");
    let mut out = Vec::new();
    library::strongest_pairs(&news, 1000, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    let mut lines = out.lines();
    let head = lines.next().unwrap();

    let dir = tempdir();
    entgraph()
        .args(["build", "-f", "json", "-o"])
        .arg(dir.path())
        .arg(&news)
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("graph.json")).unwrap()).unwrap();
    let nodes = json["nodes"].as_array().unwrap();
    let links = json["links"].as_array().unwrap();
    assert_eq!(
        head,
        format!(
            "{} documents, {} entities, {} pairs",
            json["graph"]["documents"],
            nodes.len(),
            links.len()
        )
    );
    // Every pair the example prints, with its count, is an edge of the CLI's graph.
    let label = |id: &serde_json::Value| {
        nodes.iter().find(|n| &n["id"] == id).unwrap()["label"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let mut cli: Vec<String> = links
        .iter()
        .map(|l| {
            let (a, b) = (label(&l["source"]), label(&l["target"]));
            format!("{:>3}  {a} — {b}", l["count"].as_u64().unwrap())
        })
        .collect();
    let mut printed: Vec<String> = lines.map(str::to_string).collect();
    assert_eq!(printed.len(), links.len());
    cli.sort();
    printed.sort();
    assert_eq!(printed, cli);
}
