//! GEXF, GraphML, the Gephi and Neo4j CSV tables and GeoJSON, each read back by its real
//! reader (networkx `read_gexf` / `read_graphml`, python-igraph `Graph.Read_GraphML`,
//! Python's `csv`, PyPI `geojson`'s validation), and compared with graph.json of the same
//! run: the same node ids in the same order, the same edges, every attribute with the same
//! value and the same TYPE (a number is a number, a boolean a boolean). On `examples/news`
//! with the default gazetteer (typed `lat`, `lon`, `population`, `un_member`; provisional
//! entities), on the seed articles and the BBC corpus, on a hostile gazetteer and corpus of
//! our own (markup, quotes, formula cells, control characters), and on a dated corpus (GEXF
//! time). Also typed-attribute errors of
//! `gazetteer check`, and the same bytes whatever `-j`.
//!
//! No package (Debian or PyPI) was found to ship the GEXF 1.3 XSD, so the files are not
//! validated against it; the readers above are the check.
//!
//! Needs `python3` with networkx, python-igraph and geojson (`.ci/run` installs them).

use std::path::Path;

use serde_json::Value;

use crate::util::{entgraph, python, read_json, root, stderr, stdout, tempdir, write};

/// Every new format, plus graph.json to compare with.
const ALL: &str = "json,gexf,graphml,csv,neo4j,geojson";

/// Reads every file of a build directory with the real readers and checks them against
/// graph.json. Prints `OK nodes edges places` on success; exits non-zero with what differs.
const READ_BACK: &str = r#"
import csv, json, math, sys
out = sys.argv[1]
try:
    import networkx as nx, igraph, geojson
except ImportError as e:
    sys.exit(f"MISSING PYTHON MODULE: {e}. Install with: python3 -m pip install networkx python-igraph geojson")

problems = []
def check(ok, what):
    if not ok:
        problems.append(what)
        if len(problems) > 40:
            print("\n".join(problems)); sys.exit(1)

g = json.load(open(f"{out}/graph.json", encoding="utf-8"))
nodes = g["nodes"]; links = g["links"]
ids = [n["id"] for n in nodes]
edges = [(l["source"], l["target"]) for l in links]
TABLE_RESERVED = {"start", "end", "spells", "weight", "source", "target", "pid", "timeset"}
NODE_SKIP = {"id", "label", "periods"}   # id and label have their own place; periods: checked as text
def table_key(k):
    core = {"type","mentions","documents","windows","degree","weighted_degree","pagerank","component",
            "community","betweenness","aliases","provisional","cue","first","last"}
    if k in core: return k
    if k.lower() in TABLE_RESERVED or (k.lower() in ("id","label","type") and k not in ("id","label","type")):
        return "attr_" + k
    return k
def expected_node(n):
    """Table key -> value, as the typed tables should hold it."""
    e = {}
    for k, v in n.items():
        if k in NODE_SKIP: continue
        if k == "aliases": v = v  # compared as parsed JSON text
        e[table_key(k)] = v
    e.setdefault("provisional", False)
    if "periods" in n: e["periods"] = n["periods"]
    return e
def same(a, b):
    """Same value and same kind: bool, int, float (an int may stand for a whole float), str."""
    if isinstance(b, bool) or isinstance(a, bool):
        return type(a) is bool and type(b) is bool and a == b
    if isinstance(b, (int, float)):
        if not isinstance(a, (int, float)): return False
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)
    return a == b
def typed_like(a, b, int_ok_as_float=False):
    """a has the JSON value b's type: int for int, float for float, bool, str."""
    if type(b) is bool: return type(a) is bool
    if type(b) is int: return type(a) is int or (int_ok_as_float and type(a) is float)
    if type(b) is float: return type(a) is float
    return type(a) is str
import re
def xml_safe(s):
    """What an XML reader gets back: characters XML 1.0 forbids were written as U+FFFD."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "\ufffd", s) if type(s) is str else s
def compare_node(where, got, n, int_ok_as_float=False, missing_ok=lambda v: False, text=lambda s: s):
    for k, v in expected_node(n).items():
        v = text(v)
        if k in ("aliases", "periods"):
            check(k in got and json.loads(got[k]) == v, f"{where} {n['id']}: {k} {got.get(k)!r} != {v!r}")
            continue
        check(k in got, f"{where} {n['id']}: no {k}")
        if k not in got: continue
        check(typed_like(got[k], v, int_ok_as_float), f"{where} {n['id']}: {k} is {type(got[k]).__name__} {got[k]!r}, graph.json has {type(v).__name__} {v!r}")
        check(same(got[k], v), f"{where} {n['id']}: {k} = {got[k]!r}, graph.json has {v!r}")
    json_keys = {table_key(k) for k in n if k not in NODE_SKIP} | {"provisional"} | ({"periods"} if "periods" in n else set())
    extra = [k for k, v in got.items() if k not in json_keys and not missing_ok(v)]
    check(not extra, f"{where} {n['id']}: keys not in graph.json: {extra}")
def compare_edge(where, got, l, int_ok_as_float=False, text=lambda s: s):
    want = {"weight": l["weight"], "count": l["count"], "documents": l["documents"],
            "evidence": len(l["evidence"])}
    if l["evidence"]:
        ev = l["evidence"][0]
        want.update(evidence_doc=ev["doc"], evidence_start=ev["start"], evidence_end=ev["end"], evidence_text=ev["text"])
    for k in ("first", "last"):
        if k in l: want[k] = l[k]
    for k, v in want.items():
        v = text(v)
        check(k in got, f"{where} {l['source']}-{l['target']}: no {k}")
        if k not in got: continue
        check(typed_like(got[k], v, int_ok_as_float or k == "weight"), f"{where} edge {k}: {type(got[k]).__name__} {got[k]!r} vs {v!r}")
        check(same(got[k], v), f"{where} edge {l['source']}-{l['target']} {k}: {got[k]!r} != {v!r}")

# --- GraphML, networkx
G = nx.read_graphml(f"{out}/graph.graphml")
check(not G.is_directed(), "graphml: directed")
check(list(G.nodes) == ids, "graphml (networkx): node ids or order differ")
check(G.number_of_edges() == len(edges), f"graphml (networkx): {G.number_of_edges()} edges, graph.json {len(edges)}")
check({frozenset(e) for e in G.edges} == {frozenset(e) for e in edges}, "graphml (networkx): edges differ")
for n in nodes:
    d = dict(G.nodes[n["id"]])
    check(d.pop("label", None) == xml_safe(n["label"]), f"graphml {n['id']}: label")
    compare_node("graphml (networkx)", d, n, text=xml_safe)
for l in links:
    compare_edge("graphml (networkx)", G.edges[l["source"], l["target"]], l, text=xml_safe)
check(G.graph.get("documents") == g["graph"]["documents"] and type(G.graph.get("documents")) is int, "graphml: graph documents")
check(same(G.graph.get("modularity"), g["graph"]["modularity"]), "graphml: graph modularity")

# --- GraphML, igraph: numeric attributes are floats there (igraph stores numbers as doubles),
# a missing one is NaN, a missing string "".
I = igraph.Graph.Read_GraphML(f"{out}/graph.graphml")
check(not I.is_directed(), "igraph: directed")
check(I.vcount() == len(ids) and I.ecount() == len(edges), f"igraph: {I.vcount()} nodes {I.ecount()} edges")
check(I.vs["id"] == ids, "igraph: node ids or order differ")
check({frozenset((I.vs[e.source]["id"], I.vs[e.target]["id"])) for e in I.es} == {frozenset(e) for e in edges}, "igraph: edges differ")
def present(v):
    return not (v is None or v == "" or (isinstance(v, float) and math.isnan(v)))
for v, n in zip(I.vs, nodes):
    d = {k: x for k, x in v.attributes().items() if k != "id" and present(x)}
    check(d.pop("label", None) == xml_safe(n["label"]), f"igraph {n['id']}: label")
    # igraph reads a GraphML boolean as a bool, a number as a float; it has no missing
    # boolean (a node without un_member reads False).
    compare_node("igraph", d, n, int_ok_as_float=True, missing_ok=lambda v: v is False, text=xml_safe)
for e, l in zip(I.es, links):
    check((I.vs[e.source]["id"], I.vs[e.target]["id"]) == (l["source"], l["target"]), "igraph: edge order")
    compare_edge("igraph", {k: x for k, x in e.attributes().items() if present(x)}, l, int_ok_as_float=True, text=xml_safe)

# --- GEXF 1.3, networkx
X = nx.read_gexf(f"{out}/graph.gexf", version="1.3")
check(not X.is_directed(), "gexf: directed")
check(list(X.nodes) == ids, "gexf: node ids or order differ")
check(X.number_of_edges() == len(edges), "gexf: edge count")
check({frozenset(e) for e in X.edges} == {frozenset(e) for e in edges}, "gexf: edges differ")
for n in nodes:
    d = dict(X.nodes[n["id"]])
    check(d.pop("label", None) == xml_safe(n["label"]), f"gexf {n['id']}: label")
    span = {k: d.pop(k) for k in ("start", "end", "period_windows") if k in d}
    if "first" in n:
        check(span.get("start") == n["first"] and span.get("end") == n["last"], f"gexf {n['id']}: start/end {span}")
        check(sorted(v for v, _, _ in span["period_windows"]) == sorted(n["periods"].values()), f"gexf {n['id']}: periods")
        check(sum(v for v, _, _ in span["period_windows"]) == sum(n["periods"].values()), f"gexf {n['id']}: period counts")
        check(all(type(v) is int for v, _, _ in span["period_windows"]), f"gexf {n['id']}: period counts typed")
    else:
        check(not span, f"gexf {n['id']}: time without dates {span}")
    compare_node("gexf", d, n, text=xml_safe)
for l in links:
    d = dict(X.edges[l["source"], l["target"]])
    check(d.pop("id", "").startswith("e"), "gexf: edge id")
    for k in ("start", "end", "period_windows"):
        d.pop(k, None)
    compare_edge("gexf", d, l, text=xml_safe)

# --- CSV, Gephi: the readers get text; the columns of numbers must parse as numbers and
# nothing else is changed, except formula-looking text, which gets a leading '.
def parse_like(cell, v):
    if type(v) is bool: return {"true": True, "false": False}.get(cell, cell)
    if type(v) is int: return int(cell)
    if type(v) is float: return float(cell)
    return cell
def guarded(s):
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s
rows = list(csv.DictReader(open(f"{out}/nodes.csv", newline="", encoding="utf-8")))
head = list(rows[0].keys()) if rows else []
check(head[:2] == ["Id", "Label"], f"gephi nodes header {head[:2]}")
check([r["Id"] for r in rows] == [guarded(i) for i in ids], "gephi nodes: ids")
for r, n in zip(rows, nodes):
    check(r["Label"] == guarded(n["label"]), f"gephi {n['id']}: label {r['Label']!r}")
    for k, v in expected_node(n).items():
        cell = r.get(k)
        check(cell is not None and cell != "", f"gephi {n['id']}: {k} empty")
        if not cell: continue
        if k in ("aliases", "periods"):
            check(json.loads(cell) == v, f"gephi {n['id']}: {k}")
        elif type(v) is str:
            check(cell == guarded(v), f"gephi {n['id']}: {k} {cell!r} vs {v!r}")
        else:
            check(same(parse_like(cell, v), v) and typed_like(parse_like(cell, v), v), f"gephi {n['id']}: {k} {cell!r} vs {v!r}")
    extra = [k for k, c in r.items() if c and k not in ("Id", "Label") and k not in expected_node(n)]
    check(not extra, f"gephi {n['id']}: cells not in graph.json: {extra}")
erows = list(csv.DictReader(open(f"{out}/edges.csv", newline="", encoding="utf-8")))
check(erows and list(erows[0].keys())[:5] == ["Source", "Target", "Type", "Id", "Weight"], "gephi edges header")
check([(r["Source"], r["Target"]) for r in erows] == [(guarded(a), guarded(b)) for a, b in edges], "gephi edges")
for r, l in zip(erows, links):
    check(r["Type"] == "Undirected", "gephi edge type")
    check(same(float(r["Weight"]), l["weight"]), "gephi weight")
    check(int(r["count"]) == l["count"] and int(r["documents"]) == l["documents"], "gephi edge counts")
    if l["evidence"]:
        check(r["evidence_text"] == guarded(l["evidence"][0]["text"]), "gephi evidence text")

# --- CSV, Neo4j import headers: every column typed, values parse as their type, text as is.
TYPES = {"long": int, "double": float, "boolean": lambda s: {"true": True, "false": False}[s], "string": str}
def neo(path):
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        head = next(r)
        return head, list(r)
head, rows = neo(f"{out}/neo4j-nodes.csv")
check(head[:3] == ["id:ID", "label:string", ":LABEL"], f"neo4j nodes header {head[:3]}")
cols = []
for h in head[3:]:
    name, _, ty = h.rpartition(":")
    check(ty in TYPES and name, f"neo4j: untyped header {h!r}")
    cols.append((name, ty))
check(len({c for c, _ in cols}) == len(cols), "neo4j: repeated header")
check([r[0] for r in rows] == ids, "neo4j: ids")
for r, n in zip(rows, nodes):
    check(r[1] == n["label"], f"neo4j {n['id']}: label")
    check(r[2] == "Entity;" + n["type"], f"neo4j {n['id']}: :LABEL {r[2]!r}")
    got = {name: TYPES[ty](cell) for (name, ty), cell in zip(cols, r[3:]) if cell != ""}
    compare_node("neo4j", got, n)
head, rows = neo(f"{out}/neo4j-relationships.csv")
check(head[:3] == [":START_ID", ":END_ID", ":TYPE"], f"neo4j relationships header {head[:3]}")
cols = [h.rpartition(":")[::2] for h in head[3:]]
check(all(t in TYPES for _, t in cols), "neo4j: untyped relationship header")
check([(r[0], r[1]) for r in rows] == edges, "neo4j: relationships")
for r, l in zip(rows, links):
    check(r[2] == "CO_OCCURS", "neo4j: :TYPE")
    compare_edge("neo4j", {name: TYPES[ty](cell) for (name, ty), cell in zip(cols, r[3:]) if cell != ""}, l)

# --- GeoJSON: valid (RFC 7946, PyPI geojson), one Point per node with lat and lon.
text = open(f"{out}/places.geojson", encoding="utf-8").read()
fc = geojson.loads(text)
check(fc.is_valid, f"geojson invalid: {fc.errors()}")
check(fc["type"] == "FeatureCollection", "geojson: not a FeatureCollection")
placed = [n for n in nodes if isinstance(n.get("lat"), (int, float)) and isinstance(n.get("lon"), (int, float))]
check([f["id"] for f in fc["features"]] == [n["id"] for n in placed], "geojson: features are not the places of graph.json")
for f, n in zip(fc["features"], placed):
    check(f.is_valid and f["geometry"]["type"] == "Point", f"geojson {n['id']}: geometry")
    check(list(f["geometry"]["coordinates"]) == [n["lon"], n["lat"]], f"geojson {n['id']}: coordinates")
    p = f["properties"]
    check(p["label"] == n["label"] and p["type"] == n["type"], f"geojson {n['id']}: label/type")
    for k, v in n.items():
        if k in ("id", "label", "type", "aliases", "periods", "provisional", "cue"): continue
        check(k in p and typed_like(p[k], v) and same(p[k], v), f"geojson {n['id']}: {k} {p.get(k)!r} vs {v!r}")

if problems:
    print("\n".join(problems)); sys.exit(1)
print("OK", len(ids), len(edges), len(placed))
"#;

/// Runs `build -f ALL` on `inputs` (extra arguments first) into a fresh directory.
fn build_all(args: &[&str], inputs: &[&Path]) -> tempfile::TempDir {
    let out = tempdir();
    let o = entgraph()
        .current_dir(root())
        .args(["build", "-f", ALL, "-o"])
        .arg(out.path())
        .args(args)
        .args(inputs)
        .output()
        .unwrap();
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    out
}

/// [`READ_BACK`] on a build directory: `(nodes, edges, places)`.
fn read_back(out: &Path) -> (usize, usize, usize) {
    let o = python(READ_BACK, [out]);
    let text = stdout(&o);
    assert!(
        o.status.success() && text.starts_with("OK "),
        "the readers disagree with graph.json:\n{text}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let n: Vec<usize> = text
        .split_whitespace()
        .skip(1)
        .map(|x| x.parse().unwrap())
        .collect();
    (n[0], n[1], n[2])
}

#[test]
fn every_format_reads_back_as_graph_json_on_the_examples() {
    let out = build_all(&[], &[Path::new("examples/news")]);
    let g = read_json(&out.path().join("graph.json"));
    let (nodes, edges, places) = read_back(out.path());
    assert_eq!(nodes, g["nodes"].as_array().unwrap().len());
    assert_eq!(edges, g["links"].as_array().unwrap().len());
    assert!(nodes > 20 && edges > 50, "{nodes} nodes {edges} edges");
    // The default gazetteer's numbers are numbers, its booleans booleans, in graph.json too.
    let node = |id: &str| {
        g["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))
            .clone()
    };
    let china = node("china");
    assert!(china["lat"].is_f64() && china["lon"].is_f64(), "{china}");
    assert!(china["population"].is_u64(), "{china}");
    assert_eq!(china["un_member"], Value::Bool(true));
    assert!(china["geonames"].is_string(), "an id stays text: {china}");
    assert!(node("beijing")["lat"].is_f64());
    // The schema admits the typed attributes, and only scalars as attributes.
    let o = python(
        r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
g = json.load(open(sys.argv[2]))
v = jsonschema.Draft202012Validator(schema)
errors = [e.message for e in v.iter_errors(g)]
g["nodes"][0]["lat"] = {"not": "a scalar"}
print(len(errors), any(True for _ in v.iter_errors(g)), errors[:3])
"#,
        [
            root().join("schemas/graph.schema.json"),
            out.path().join("graph.json"),
        ],
    );
    assert_eq!(
        stdout(&o),
        "0 True []\n",
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Places: the nodes with coordinates, and only those; a provisional entity is among the
    // nodes (so the tables carry `cue`).
    assert!(places > 5 && places < nodes, "{places} places");
    assert!(
        g["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["provisional"] == true)
    );
}

#[test]
fn every_format_reads_back_as_graph_json_on_the_seed_articles() {
    let seeds = crate::util::seeds();
    let out = build_all(&[], &[&seeds]);
    let (nodes, edges, places) = read_back(out.path());
    assert!(
        nodes > 30 && edges > 100 && places > 5,
        "{nodes} {edges} {places}"
    );
}

/// A real corpus: BBC News (2,225 articles, thousands of nodes), every format read back.
#[test]
fn every_format_reads_back_as_graph_json_on_the_bbc_corpus() {
    let bbc = root().join("../shared/corpora/news/bbc-news-2225.jsonl.gz");
    assert!(
        bbc.is_file(),
        "{} missing: CI provides ../shared beside the checkout",
        bbc.display()
    );
    let out = build_all(&[], &[&bbc]);
    let (nodes, edges, places) = read_back(out.path());
    assert!(
        nodes > 1000 && edges > 5000 && places > 100,
        "{nodes} nodes {edges} edges {places} places"
    );
}

/// Hostile gazetteer and text: markup, quotes, ampersands, formula-looking names and
/// attributes, a control character in the text (XML 1.0 forbids it), a name with a comma and
/// a quote (CSV quoting), attributes named like the formats' own keys.
#[test]
fn hostile_text_is_escaped_in_every_format() {
    let dir = tempdir();
    let gaz = write(
        dir.path(),
        "g.tsv",
        "id\ttype\tname\tnote\tstart\tweight:float\tlat:float\tlon:float\n\
         a\tPERSON\tAda </graphml><x a=\"1\"> & Co\t=HYPERLINK(\"http://x\")\t2020\t1.5\t10\t20\n\
         b\tORG\t+Bob, \"the\" Org\t-2+3\t\t\t-33.5\t-70.25\n\
         c\tLOC\t@Cee\t<b>&amp;</b>\tx\t\t\t\n",
    );
    let text = "Ada </graphml><x a=\"1\"> & Co met +Bob, \"the\" Org\u{1}\u{c} in @Cee.\n\n\
                +Bob, \"the\" Org and @Cee\u{1b}[2J again.\n";
    let input = write(dir.path(), "t.txt", text);
    let out = build_all(&["-g", gaz.to_str().unwrap(), "--no-discover"], &[&input]);
    let (nodes, edges, places) = read_back(out.path());
    assert_eq!((nodes, edges, places), (3, 3, 2));
    // The forbidden characters became U+FFFD in the XML files; graph.json keeps them.
    let gexf = std::fs::read_to_string(out.path().join("graph.gexf")).unwrap();
    assert!(!gexf.contains('\u{1}') && gexf.contains('\u{FFFD}'));
    assert!(!gexf.contains("<x a="), "markup was not escaped");
    // The attributes named like GEXF's start and networkx's weight are prefixed.
    assert!(gexf.contains("title=\"attr_start\"") && gexf.contains("title=\"attr_weight\""));
    // Formula cells: guarded for spreadsheets in the Gephi table, as written for Neo4j.
    let gephi = std::fs::read_to_string(out.path().join("nodes.csv")).unwrap();
    assert!(gephi.contains("'=HYPERLINK"), "{gephi}");
    assert!(gephi.contains("\"'+Bob, \"\"the\"\" Org\""), "{gephi}");
    assert!(
        gephi.contains(",-33.5,-70.25"),
        "numbers are never guarded: {gephi}"
    );
    let neo = std::fs::read_to_string(out.path().join("neo4j-nodes.csv")).unwrap();
    assert!(
        neo.contains(",=HYPERLINK") || neo.contains(",\"=HYPERLINK"),
        "{neo}"
    );
}

/// A dated corpus: GEXF becomes dynamic (timeformat date), every dated node and edge has
/// `start`/`end` and its per-period windows, checked against graph.json by [`READ_BACK`].
#[test]
fn gexf_carries_the_dates() {
    let dir = tempdir();
    let gaz = write(
        dir.path(),
        "g.tsv",
        crate::util::gazetteers::ALPHA_BETA_GAMMA,
    );
    let corpus = write(
        dir.path(),
        "c.jsonl",
        concat!(
            r#"{"id": "d1", "date": "2025-10-28", "text": "Alpha met Beta. Alpha left."}"#,
            "\n",
            r#"{"id": "d2", "date": "2025-12-03", "text": "Beta phoned Gamma. Alpha and Beta ate."}"#,
            "\n",
            r#"{"id": "d3", "text": "Gamma and Alpha walked."}"#,
            "\n",
        ),
    );
    let out = build_all(&["-g", gaz.to_str().unwrap(), "--no-discover"], &[&corpus]);
    let (nodes, edges, _) = read_back(out.path());
    assert_eq!((nodes, edges), (3, 3));
    let o = python(
        r#"
import sys, networkx as nx
X = nx.read_gexf(sys.argv[1], version="1.3")
print(X.graph.get("mode"))
print(X.nodes["beta"]["start"], X.nodes["beta"]["end"], sorted(X.nodes["beta"]["period_windows"]))
e = X.edges["alpha", "beta"]
print(e["start"], e["end"], sorted(e["period_windows"]))
print("start" in X.edges["alpha", "gamma"])
"#,
        [out.path().join("graph.gexf")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        stdout(&o),
        "dynamic\n\
         2025-10-28 2025-12-03 [(1, '2025-10-01', '2025-10-31'), (2, '2025-12-01', '2025-12-31')]\n\
         2025-10-28 2025-12-03 [(1, '2025-10-01', '2025-10-31'), (1, '2025-12-01', '2025-12-31')]\n\
         False\n"
    );
}

#[test]
fn the_same_bytes_whatever_the_thread_count() {
    let seeds = crate::util::seeds();
    let one = build_all(&["-j", "1"], &[&seeds]);
    let two = build_all(&["-j", "2"], &[&seeds]);
    for f in [
        "graph.gexf",
        "graph.graphml",
        "nodes.csv",
        "edges.csv",
        "neo4j-nodes.csv",
        "neo4j-relationships.csv",
        "places.geojson",
    ] {
        let a = std::fs::read(one.path().join(f)).unwrap();
        let b = std::fs::read(two.path().join(f)).unwrap();
        assert!(!a.is_empty() && a == b, "{f} differs between -j1 and -j2");
    }
}

/// `gazetteer check` and every command that loads a gazetteer report a declared-typed value
/// that does not parse, and a type conflict between files, as `path:line: ...`.
#[test]
fn typed_attribute_errors_have_their_location() {
    let dir = tempdir();
    write(
        dir.path(),
        "a.tsv",
        "type\tname\tpopulation:int\tlat:float\nLOC\tX\tn/a\t1.5\nLOC\tY\t12\t\n",
    );
    write(dir.path(), "b.tsv", "type\tname\tlat:bool\nLOC\tZ\tyes\n");
    let o = entgraph()
        .current_dir(dir.path())
        .args(["gazetteer", "check", "-g", "a.tsv", "-g", "b.tsv"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "a.tsv:2: error[invalid-row]: population \"n/a\" is not an int (declared `population:int` at a.tsv:1)"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "b.tsv:1: error[bad-header]: column `lat` is declared bool here but float at a.tsv:1"
        ),
        "{out}"
    );
    let input = write(dir.path(), "t.txt", "X and Y.");
    let o = entgraph()
        .current_dir(dir.path())
        .args(["build", "-g", "a.tsv", "t.txt", "-o", "out"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("a.tsv:2: population \"n/a\" is not an int"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("out").exists() && input.exists());
}
