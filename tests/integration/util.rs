//! Helpers shared by every module of the integration-test binary: the `entgraph` command,
//! paths to the repository, `../shared/seeds` and the fixtures, the small hand-made
//! gazetteers and corpora, graph fixture builders, and runners for Python and Graphviz.
//!
//! Nothing here skips: a missing `../shared`, Python module or Graphviz makes the test that
//! needs it fail with a message saying what to install.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use entgraph::EntityId;
use entgraph::graph::{Edge, EntityGraph, Filters, GraphMeta, Node};
use petgraph::graph::UnGraph;
use serde_json::Value;

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `entgraph` binary of this build, as an assert_cmd command, with its cache of compiled
/// gazetteers in the build's temporary directory rather than the user's (tests of the cache
/// itself set `ENTGRAPH_CACHE_DIR` again).
pub fn entgraph() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("entgraph").unwrap();
    c.env(
        "ENTGRAPH_CACHE_DIR",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("entgraph-cache"),
    );
    c
}

/// The path of the `entgraph` binary of this build (for `std::process::Command`).
pub fn entgraph_path() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_entgraph"))
}

/// `../shared/seeds`, the five seed articles (not in this repository). Panics when it is
/// missing: the tests that read it never pass vacuously.
pub fn seeds() -> PathBuf {
    let d = root().join("../shared/seeds");
    assert!(
        d.is_dir(),
        "../shared/seeds missing: CI provides it beside the checkout (looked for {})",
        d.display()
    );
    d
}

/// The five seed articles (`*.txt` in [`seeds`]), sorted by name.
pub fn seed_files() -> Vec<PathBuf> {
    let d = seeds();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
        .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        5,
        "expected the five seed articles in {}",
        d.display()
    );
    files
}

/// `examples/<name>` in the repository (the team's own articles).
pub fn examples(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

/// `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// A fresh temporary directory, removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// The names of the entries of `dir`, sorted.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Writes `contents` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

/// Small gazetteers the tests write next to their corpora.
pub mod gazetteers {
    /// Three people: Alpha, Beta, Gamma.
    pub const ALPHA_BETA_GAMMA: &str = "type\tname\nPERSON\tAlpha\nPERSON\tBeta\nPERSON\tGamma\n";
    /// Alpha PERSON, Beta ORG, Gamma LOC.
    pub const ONE_OF_EACH_TYPE: &str = "type\tname\nPERSON\tAlpha\nORG\tBeta\nLOC\tGamma\n";
    /// Alpha and Beta (people), Gamma Corp and `=Eq Fund` (organizations).
    pub const WITH_ORGS: &str =
        "type\tname\nPERSON\tAlpha\nPERSON\tBeta\nORG\tGamma Corp\nORG\t=Eq Fund\n";
}

/// Standard output of a finished process, as UTF-8.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Standard error of a finished process, as UTF-8.
pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Parses a JSON file.
pub fn read_json(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// (surface, id) of a document's mentions.
pub fn mentions(doc: &Value) -> Vec<(String, String)> {
    doc["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["text"].as_str().unwrap().to_string(),
                m["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Parses JSON Lines.
pub fn jsonl(out: &[u8]) -> Vec<Value> {
    std::str::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A graph node with the given identity and counts, no aliases, no attributes, zero
/// analytics; override fields with struct update syntax.
pub fn node(id: &str, label: &str, kind: &str, mentions: u64) -> Node {
    Node {
        entity: EntityId(0),
        id: id.to_string(),
        label: label.to_string(),
        kind: kind.to_string(),
        provisional: None,
        mentions,
        documents: 1,
        windows: mentions,
        aliases: BTreeMap::new(),
        attributes: BTreeMap::new(),
        degree: 0,
        weighted_degree: 0.0,
        pagerank: 0.0,
        component: 0,
        community: 0,
        betweenness: 0.0,
        time: Default::default(),
    }
}

/// An edge seen in `count` windows of one document, without evidence.
pub fn edge(count: u64, weight: f64) -> Edge {
    Edge {
        count,
        documents: 1,
        weight,
        evidence: Vec::new(),
        time: Default::default(),
    }
}

/// Graph metadata with fixed, environment-independent values (version `test`); override
/// fields with struct update syntax.
pub fn meta() -> GraphMeta {
    GraphMeta {
        generator: "entgraph".into(),
        version: "test".into(),
        window: "sentence".into(),
        weight: "count".into(),
        documents: 0,
        bytes: 0,
        windows: 0,
        mentions: 0,
        filters: Filters::default(),
        entities_seen: 0,
        pairs_seen: 0,
        capped_windows: None,
        max_window_entities: None,
        modularity: 0.0,
        betweenness_pivots: None,
        time: None,
    }
}

/// An [`EntityGraph`] of `graph` with `meta`.
pub fn entity_graph(graph: UnGraph<Node, Edge>, meta: GraphMeta) -> EntityGraph {
    EntityGraph { graph, meta }
}

/// Runs `python3 -c script args…` and returns its output; panics with what to install when
/// Python cannot be started.
pub fn python<I, S>(script: &str, args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "could not run python3 ({e}): these tests need python3 with networkx and \
                 jsonschema (python3 -m pip install networkx jsonschema; .ci/run does this)"
            )
        })
}

/// Panics with installation instructions unless Graphviz's `dot` runs.
pub fn require_graphviz() {
    match std::process::Command::new("dot").arg("-V").output() {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!(
            "Graphviz `dot -V` failed ({}): {}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => panic!(
            "these tests need Graphviz: the `dot` program could not be run ({e}); install it \
             with `apt-get install graphviz` (CI does this in .ci/run)"
        ),
    }
}

/// Runs `dot args… dot_file` and returns its standard output; panics if it fails.
pub fn run_dot(args: &[&str], dot_file: &Path) -> Vec<u8> {
    run_graphviz("dot", args, dot_file)
}

/// Runs Graphviz's `program args… dot_file` and returns its standard output; panics if it
/// cannot be run or fails.
fn run_graphviz(program: &str, args: &[&str], dot_file: &Path) -> Vec<u8> {
    let out = std::process::Command::new(program)
        .args(args)
        .arg(dot_file)
        .output()
        .unwrap_or_else(|e| panic!("run Graphviz's {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `gc -n -e FILE` (Graphviz's counter, no layout): (nodes, edges).
pub fn gc_counts(dot_file: &Path) -> (usize, usize) {
    let text = String::from_utf8(run_graphviz("gc", &["-n", "-e"], dot_file)).unwrap();
    let nums: Vec<usize> = text
        .split_whitespace()
        .take(2)
        .map(|n| n.parse().unwrap_or_else(|_| panic!("gc printed {text:?}")))
        .collect();
    (nums[0], nums[1])
}
