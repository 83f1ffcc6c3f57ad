//! Document dates end to end: a small dated JSONL corpus written here (its own sentences)
//! gives every node and link `first`, `last` and `periods` checked by hand, read back by
//! networkx and validated against `schemas/graph.schema.json`; `--since`/`--until` exclude
//! and count; a bad date is a warning with file, line and id and its document still counts,
//! as undated; titles and dates reach the evidence, `explain` and the HTML page, escaped;
//! `-j1` and `-j2` write the same bytes; and the Reuters-21578 dates of `../shared`, which
//! are not ISO 8601, are all reported, and all counted once converted.
//!
//! Needs `python3` with `networkx` and `jsonschema` (`.ci/run` installs them) and
//! `../shared/corpora/news`.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};

use crate::util::{self, gazetteers, python, read_json, root, tempdir, write};

/// d1 is dated with an offset (the 28th where written, the 29th in UTC) and has a hostile
/// title; d2 has a title with a terminal escape; d3's date does not parse; d4 has none; d5 is
/// the last day of 2025, in ISO week 2026-W01.
const CORPUS: &str = concat!(
    r#"{"id": "d1", "date": "2025-10-28T23:30:00-05:00", "title": "Harbour </script><img src=x onerror=alert(1)> & \"news\"", "text": "Alpha met Beta at the harbour. Alpha left early."}"#,
    "\n",
    r#"{"id": "d2", "date": "2025-11-03", "title": "Ferry\u001b[2J talks", "text": "Beta phoned Gamma about the ferry. Later Alpha and Beta had lunch."}"#,
    "\n",
    r#"{"id": "d3", "date": "28/10/2025", "text": "Gamma and Alpha walked along the river."}"#,
    "\n",
    r#"{"id": "d4", "text": "Alpha and Beta spoke again."}"#,
    "\n",
    r#"{"id": "d5", "date": "2025-12-31T10:00Z", "text": "Gamma wrote to Alpha."}"#,
    "\n",
);

fn entgraph() -> assert_cmd::Command {
    let mut c = util::entgraph();
    c.env("NO_COLOR", "1");
    c
}

/// `entgraph build ARGS… c.jsonl` must fail with status 2 (usage) and say `says`.
fn usage_error(f: &Fixture, args: &[&str], says: &str) {
    let out = entgraph()
        .arg("build")
        .args(args)
        .arg(&f.corpus)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let stderr = util::stderr(&out);
    assert!(stderr.contains(says), "{args:?}: {stderr}");
}

/// Runs it, asserts success, returns the output.
fn ok(c: &mut assert_cmd::Command) -> Output {
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", util::stderr(&out));
    out
}

struct Fixture {
    dir: tempfile::TempDir,
    gazetteer: PathBuf,
    corpus: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempdir();
    let gazetteer = write(dir.path(), "g.tsv", gazetteers::ALPHA_BETA_GAMMA);
    let corpus = write(dir.path(), "c.jsonl", CORPUS);
    Fixture {
        dir,
        gazetteer,
        corpus,
    }
}

impl Fixture {
    /// `entgraph build --no-discover -g g.tsv -f FORMATS -o OUT EXTRA… c.jsonl`; the stderr.
    fn build(&self, out: &str, formats: &str, extra: &[&str]) -> (PathBuf, String) {
        let o = self.dir.path().join(out);
        let run = ok(entgraph()
            .args(["build", "--no-discover", "-f", formats, "-g"])
            .arg(&self.gazetteer)
            .arg("-o")
            .arg(&o)
            .args(extra)
            .arg(&self.corpus));
        (o, util::stderr(&run))
    }
}

fn by_id<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("no node {id}"))
}

fn link<'a>(v: &'a Value, a: &str, b: &str) -> Option<&'a Value> {
    v["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| (l["source"] == a && l["target"] == b) || (l["source"] == b && l["target"] == a))
}

/// `[first, last, periods]` of a node or link.
fn span(x: &Value) -> Value {
    json!([x["first"], x["last"], x["periods"]])
}

/// Reads the graph with networkx and validates it against the schema; networkx's view of
/// the dates is printed back as JSON for the caller to compare.
const READ_BACK: &str = r#"
import json, sys
try:
    import networkx as nx
    import jsonschema
except ImportError as e:
    sys.exit(f"MISSING PYTHON MODULE: {e}. Install with: python3 -m pip install networkx jsonschema")
graph_path, schema_path = sys.argv[1:3]
data = json.load(open(graph_path, encoding="utf-8"))
schema = json.load(open(schema_path, encoding="utf-8"))
jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
G = nx.node_link_graph(data, edges="links")
out = {
    "graph": {k: G.graph.get(k) for k in ("dated_documents", "undated_documents", "first", "last", "period")},
    "nodes": {n: [d.get("first"), d.get("last"), d.get("periods")] for n, d in G.nodes(data=True)},
    "edges": {"|".join(sorted((a, b))): [d.get("first"), d.get("last"), d.get("periods")] for a, b, d in G.edges(data=True)},
}
print(json.dumps(out, sort_keys=True))
"#;

fn read_back(graph: &Path) -> Value {
    let out = python(
        READ_BACK,
        [
            graph.as_os_str(),
            root().join("schemas/graph.schema.json").as_os_str(),
        ],
    );
    assert!(out.status.success(), "{}", util::stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn nodes_and_links_get_first_last_and_periods_by_hand() {
    let f = fixture();
    let (out, stderr) = f.build("out", "json", &[]);
    let v = read_json(&out.join("graph.json"));
    // Alpha: windows d1 ×2 (October), d2 (November), d3 and d4 undated, d5 (December).
    assert_eq!(
        span(by_id(&v, "alpha")),
        json!(["2025-10-28", "2025-12-31", {"2025-10": 2, "2025-11": 1, "2025-12": 1}])
    );
    assert_eq!(
        by_id(&v, "alpha")["windows"],
        6,
        "undated windows still count"
    );
    assert_eq!(
        span(by_id(&v, "beta")),
        json!(["2025-10-28", "2025-11-03", {"2025-10": 1, "2025-11": 2}])
    );
    assert_eq!(
        span(by_id(&v, "gamma")),
        json!(["2025-11-03", "2025-12-31", {"2025-11": 1, "2025-12": 1}])
    );
    let ab = link(&v, "alpha", "beta").unwrap();
    assert_eq!(ab["count"], 3, "d4 (undated) counts in the total");
    assert_eq!(
        span(ab),
        json!(["2025-10-28", "2025-11-03", {"2025-10": 1, "2025-11": 1}])
    );
    // Alpha and Gamma share d3 (bad date, undated) and d5.
    let ag = link(&v, "alpha", "gamma").unwrap();
    assert_eq!(ag["count"], 2);
    assert_eq!(
        span(ag),
        json!(["2025-12-31", "2025-12-31", {"2025-12": 1}])
    );
    assert_eq!(
        span(link(&v, "beta", "gamma").unwrap()),
        json!(["2025-11-03", "2025-11-03", {"2025-11": 1}])
    );
    let g = &v["graph"];
    assert_eq!(
        [
            &g["documents"],
            &g["dated_documents"],
            &g["undated_documents"],
            &g["first"],
            &g["last"],
            &g["period"]
        ],
        [
            &json!(5),
            &json!(3),
            &json!(2),
            &json!("2025-10-28"),
            &json!("2025-12-31"),
            &json!("month")
        ]
    );
    assert_eq!(
        g["documents_by_period"],
        json!({"2025-10": 1, "2025-11": 1, "2025-12": 1})
    );
    for absent in ["since", "until", "excluded_documents"] {
        assert!(g.get(absent).is_none(), "{absent} without a range");
    }
    // Evidence carries the title and date where the document has them, nothing otherwise.
    let ev = ab["evidence"].as_array().unwrap();
    let docs: Vec<&str> = ev.iter().map(|e| e["doc"].as_str().unwrap()).collect();
    assert_eq!(docs, ["d1", "d2", "d4"]);
    assert_eq!(ev[0]["date"], "2025-10-28");
    assert!(
        ev[0]["title"]
            .as_str()
            .unwrap()
            .starts_with("Harbour </script>")
    );
    assert_eq!(ev[1]["date"], "2025-11-03");
    assert!(ev[2].get("date").is_none() && ev[2].get("title").is_none());
    // The bad date: file, line, id and value; the document is counted (as undated).
    let corpus = f.corpus.display().to_string();
    assert!(
        stderr.contains(&format!(
            "{corpus}:3: document d3: unparsable date \"28/10/2025\""
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "3 entities, 3 edges, 3 dated 2025-10-28..2025-12-31, 2 undated, \
             1 with an unparsable date (treated as undated)"
        ),
        "{stderr}"
    );

    // networkx reads the same dates, and the graph matches the schema.
    let nx = read_back(&out.join("graph.json"));
    assert_eq!(nx["nodes"]["alpha"], span(by_id(&v, "alpha")));
    assert_eq!(nx["edges"]["alpha|gamma"], span(ag));
    assert_eq!(nx["graph"]["dated_documents"], 3);
}

#[test]
fn weeks_are_iso_weeks() {
    let f = fixture();
    let (out, _) = f.build("out", "json", &["--period", "week"]);
    let v = read_json(&out.join("graph.json"));
    assert_eq!(v["graph"]["period"], "week");
    // Tuesday 28 October is in week 44, Monday 3 November starts week 45, and Wednesday
    // 31 December 2025 is in 2026's first week (its Thursday is 1 January 2026).
    assert_eq!(
        by_id(&v, "alpha")["periods"],
        json!({"2025-W44": 2, "2025-W45": 1, "2026-W01": 1})
    );
    let (out, _) = f.build("year", "json", &["--period", "year"]);
    let v = read_json(&out.join("graph.json"));
    assert_eq!(by_id(&v, "alpha")["periods"], json!({"2025": 4}));
    usage_error(&f, &["--period", "fortnight"], "fortnight");
}

#[test]
fn since_and_until_are_inclusive_and_exclude_undated_documents() {
    let f = fixture();
    // November only: a partial --until stands for its last day.
    let (out, stderr) = f.build("nov", "json", &["--since", "2025-11", "--until", "2025-11"]);
    let v = read_json(&out.join("graph.json"));
    let g = &v["graph"];
    assert_eq!(g["documents"], 1);
    assert_eq!(g["excluded_documents"], 4);
    assert_eq!(g["undated_documents"], 0);
    assert_eq!(g["since"], "2025-11-01");
    assert_eq!(g["until"], "2025-11-30");
    assert_eq!(link(&v, "alpha", "beta").unwrap()["count"], 1);
    assert!(link(&v, "alpha", "gamma").is_none());
    assert!(
        stderr.contains(
            "1 dated 2025-11-03..2025-11-03, 0 undated, 4 excluded by --since 2025-11-01 \
             --until 2025-11-30 (undated documents are excluded)"
        ),
        "{stderr}"
    );
    // The bounds are days, inclusive: d1 (28 October, as written) and d2 (3 November).
    let (out, _) = f.build(
        "days",
        "json",
        &["--since", "2025-10-28", "--until", "2025-11-03"],
    );
    let v = read_json(&out.join("graph.json"));
    assert_eq!(v["graph"]["documents"], 2);
    assert_eq!(v["graph"]["excluded_documents"], 3);
    assert_eq!(
        span(link(&v, "alpha", "beta").unwrap()),
        json!(["2025-10-28", "2025-11-03", {"2025-10": 1, "2025-11": 1}])
    );
    // The calendar date written is kept: d1 is the 28th, so --since the 29th leaves it out.
    let (out, _) = f.build("late", "json", &["--since", "2025-10-29T00:00Z"]);
    assert_eq!(
        read_json(&out.join("graph.json"))["graph"]["first"],
        "2025-11-03"
    );

    // report and explain take the same flags and say the same.
    let report = ok(entgraph()
        .args(["report", "--no-discover", "--since", "2025-12", "-g"])
        .arg(&f.gazetteer)
        .arg(&f.corpus));
    let s = util::stderr(&report);
    assert!(
        s.contains("1 dated 2025-12-31..2025-12-31, 0 undated, 4 excluded by --since 2025-12-01"),
        "{s}"
    );
    let table = util::stdout(&report);
    assert!(
        table.contains("Alpha") && !table.contains("Beta"),
        "{table}"
    );

    usage_error(
        &f,
        &["--since", "2025-12", "--until", "2025-11"],
        "--since 2025-12-01 is after --until 2025-11-30",
    );
    usage_error(
        &f,
        &["--since", "yesterday"],
        "unparsable date \"yesterday\"",
    );
}

#[test]
fn explain_and_the_page_show_titles_and_dates_escaped() {
    let f = fixture();
    let out = ok(entgraph()
        .args(["explain", "--no-discover", "-g"])
        .arg(&f.gazetteer)
        .args(["Alpha", "--with", "Beta"])
        .arg(&f.corpus));
    let text = util::stdout(&out);
    assert!(
        text.contains(
            "d1:0-30 (2025-10-28; Harbour </script><img src=x onerror=alert(1)> & \"news\")"
        ),
        "{text}"
    );
    // The escape character of d2's title never reaches the terminal.
    assert!(
        text.contains("d2:35-66 (2025-11-03; Ferry\u{FFFD}[2J talks)"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'));
    assert!(text.contains("\n  d4:0-27\n"), "{text}");
    let stderr = util::stderr(&out);
    assert!(
        stderr.contains(":3: document d3: unparsable date"),
        "{stderr}"
    );
    assert!(
        stderr.contains("3 dated 2025-10-28..2025-12-31, 2 undated"),
        "{stderr}"
    );

    let (dir, _) = f.build("page", "html", &[]);
    let html = std::fs::read_to_string(dir.join("graph.html")).unwrap();
    assert!(
        !html.contains("<img src=x"),
        "the title is not markup in the page"
    );
    let open = r#"<script type="application/json" id="entgraph-data">"#;
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    let data: Value = serde_json::from_str(&html[start..end]).unwrap();
    let evidence: Vec<&Value> = data["edges"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["evidence"].as_array().unwrap())
        .filter(|e| e["doc"] == "d1")
        .collect();
    assert!(!evidence.is_empty());
    for e in evidence {
        assert_eq!(e["date"], "2025-10-28");
        assert_eq!(
            e["title"],
            "Harbour </script><img src=x onerror=alert(1)> & \"news\""
        );
    }
}

#[test]
fn an_undated_corpus_gets_no_date_keys() {
    let dir = tempdir();
    let g = write(dir.path(), "g.tsv", gazetteers::ALPHA_BETA_GAMMA);
    let c = write(
        dir.path(),
        "c.jsonl",
        "{\"id\": \"u\", \"title\": \"T\", \"text\": \"Alpha met Beta.\"}\n",
    );
    let o = dir.path().join("out");
    let run = ok(entgraph()
        .args(["build", "--no-discover", "-f", "json", "-g"])
        .arg(&g)
        .arg("-o")
        .arg(&o)
        .arg(&c));
    let json = std::fs::read_to_string(o.join("graph.json")).unwrap();
    for key in [
        "\"first\"",
        "\"last\"",
        "\"periods\"",
        "\"period\"",
        "dated_documents",
        "\"date\"",
    ] {
        assert!(!json.contains(key), "{key} in {json}");
    }
    // The title alone reaches the evidence.
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["links"][0]["evidence"][0]["title"], "T");
    let s = util::stderr(&run);
    assert!(!s.contains("dated"), "{s}");
}

/// Month label of day `i` of a generated corpus (deterministic, spread over two years).
fn generated_date(i: usize) -> String {
    let month = i % 24;
    format!(
        "{}-{:02}-{:02}",
        2024 + month / 12,
        month % 12 + 1,
        1 + (i * 7) % 28
    )
}

#[test]
fn generated_corpus_counts_match_an_independent_tally_and_any_thread_count() {
    // 400 one-sentence documents, each naming one pair; every seventh is undated.
    let names = ["Alpha", "Beta", "Gamma"];
    let dir = tempdir();
    let g = write(dir.path(), "g.tsv", gazetteers::ALPHA_BETA_GAMMA);
    let mut corpus = String::new();
    // pair → month → windows, by hand.
    let mut want: BTreeMap<(usize, usize), BTreeMap<String, u64>> = BTreeMap::new();
    let mut undated = 0;
    for i in 0..400 {
        let (a, b) = (i % 3, (i + 1 + i / 3 % 2) % 3);
        let text = format!("{} wrote to {} on day {i}.", names[a], names[b]);
        let key = (a.min(b), a.max(b));
        let date = if i % 7 == 0 {
            undated += 1;
            want.entry(key).or_default();
            Value::Null
        } else {
            let d = generated_date(i);
            *want
                .entry(key)
                .or_default()
                .entry(d[..7].to_string())
                .or_default() += 1;
            Value::String(d)
        };
        corpus.push_str(&json!({"id": format!("g{i}"), "date": date, "text": text}).to_string());
        corpus.push('\n');
    }
    let c = write(dir.path(), "gen.jsonl", &corpus);
    let build = |j: &str| {
        let o = dir.path().join(format!("out-j{j}"));
        ok(entgraph()
            .args([
                "build",
                "--no-discover",
                "-f",
                "json,html,dot",
                "-j",
                j,
                "-g",
            ])
            .arg(&g)
            .arg("-o")
            .arg(&o)
            .arg(&c));
        o
    };
    let (one, two) = (build("1"), build("2"));
    for file in ["graph.json", "graph.html", "graph.dot"] {
        assert!(
            std::fs::read(one.join(file)).unwrap() == std::fs::read(two.join(file)).unwrap(),
            "{file} differs between -j1 and -j2"
        );
    }
    let v = read_json(&one.join("graph.json"));
    assert_eq!(v["graph"]["undated_documents"], undated);
    assert_eq!(v["graph"]["dated_documents"], 400 - undated);
    for ((a, b), months) in &want {
        let l = link(&v, &names[*a].to_lowercase(), &names[*b].to_lowercase()).unwrap();
        let got: BTreeMap<String, u64> = serde_json::from_value(l["periods"].clone()).unwrap();
        assert_eq!(&got, months, "{a}-{b}");
        assert_eq!(
            l["first"].as_str().map(|s| &s[..7]),
            months.keys().next().map(String::as_str)
        );
    }
}

/// `26-FEB-1987 15:01:01.79` (Reuters-21578) as ISO 8601, `1987-02-26T15:01:01.79`.
fn reuters_to_iso(s: &str) -> Option<String> {
    let mut words = s.split_whitespace();
    let (date, time) = (words.next()?, words.next()?);
    let mut p = date.split('-');
    let (d, m, y) = (p.next()?, p.next()?, p.next()?);
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    let m = MONTHS.iter().position(|x| x.eq_ignore_ascii_case(m))? + 1;
    Some(format!("{y}-{m:02}-{:0>2}T{time}", d.parse::<u8>().ok()?))
}

#[test]
fn reuters_dates_are_reported_as_not_iso_and_count_once_converted() {
    let src = root().join("../shared/corpora/news/reuters21578.jsonl.gz");
    let file = std::fs::File::open(&src)
        .unwrap_or_else(|e| panic!("{}: {e} (CI provides ../shared)", src.display()));
    // The first 1,500 articles, as written and with their dates converted to ISO 8601.
    let lines: Vec<String> = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file))
        .lines()
        .take(1500)
        .map(Result::unwrap)
        .collect();
    let dir = tempdir();
    let raw = write(dir.path(), "raw.jsonl", lines.join("\n") + "\n");
    let mut iso_days = Vec::new();
    let converted: Vec<String> = lines
        .iter()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            let iso = reuters_to_iso(v["date"].as_str().unwrap()).expect("a Reuters date");
            iso_days.push(iso[..10].to_string());
            v["date"] = Value::String(iso);
            v.to_string()
        })
        .collect();
    let iso = write(dir.path(), "iso.jsonl", converted.join("\n") + "\n");
    iso_days.sort();

    let run = |input: &Path, out: &str| {
        let o = dir.path().join(out);
        let r = ok(entgraph()
            .args(["build", "--no-discover", "-f", "json", "-o"])
            .arg(&o)
            .arg(input));
        (read_json(&o.join("graph.json")), util::stderr(&r))
    };
    let (v, stderr) = run(&raw, "raw");
    assert_eq!(v["graph"]["documents"], 1500, "every document is counted");
    assert!(v["graph"].get("dated_documents").is_none());
    assert!(
        stderr.contains(":1: document reuters21578-1: unparsable date \"26-FEB-1987 15:01:01.79\""),
        "{stderr}"
    );
    assert!(stderr.contains("only the first 20 are listed"), "{stderr}");
    assert!(
        stderr.contains("0 dated, 1500 undated, 1500 with an unparsable date"),
        "{stderr}"
    );

    let (v, stderr) = run(&iso, "iso");
    assert!(!stderr.contains("unparsable"), "{stderr}");
    let g = &v["graph"];
    assert_eq!(g["dated_documents"], 1500);
    assert_eq!(g["undated_documents"], 0);
    let mut by_month: BTreeMap<String, u64> = BTreeMap::new();
    for d in &iso_days {
        *by_month.entry(d[..7].to_string()).or_default() += 1;
    }
    assert_eq!(g["documents_by_period"], json!(by_month));
    assert_eq!(g["first"], json!(iso_days[0]));
    assert_eq!(g["last"], json!(iso_days[iso_days.len() - 1]));
    // Every document dated: a link's periods add up to its count, a node's to its windows,
    // and first..last lies within the corpus's.
    let sum = |x: &Value| {
        x["periods"]
            .as_object()
            .unwrap()
            .values()
            .map(|n| n.as_u64().unwrap())
            .sum::<u64>()
    };
    let links = v["links"].as_array().unwrap();
    assert!(links.len() > 100, "{} links", links.len());
    for l in links {
        assert_eq!(sum(l), l["count"].as_u64().unwrap(), "{l}");
    }
    for n in v["nodes"].as_array().unwrap() {
        assert_eq!(sum(n), n["windows"].as_u64().unwrap(), "{}", n["id"]);
        let (first, last) = (n["first"].as_str().unwrap(), n["last"].as_str().unwrap());
        assert!(
            iso_days[0].as_str() <= first
                && first <= last
                && last <= iso_days[iso_days.len() - 1].as_str()
        );
    }
    read_back(&dir.path().join("iso/graph.json"));
}
