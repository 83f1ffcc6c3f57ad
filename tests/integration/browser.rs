//! The HTML viewer (`entgraph::export::html`) in a real browser: Debian's `chromium`, headless.
//!
//! The page is built end to end from the five seed articles in `../shared/seeds` plus one
//! hand-made hostile document whose text holds `</script><script>…` and `<img onerror=…>`.
//! Chromium loads it from a temp dir and prints the DOM after the scripts ran
//! (`--dump-dom --virtual-time-budget`); the test checks that every node was drawn, that the
//! search from the URL hash found Xi Jinping, and that the hostile text is shown as text while
//! none of its script ran (it would set `data-pwned` on `<body>`).
//!
//! The canvas itself is read back in a real window too: `tests/browser/probe.mjs` (node, with
//! playwright-core from `tests/browser/package-lock.json`, driving the same Chromium) opens the
//! page at a fixed window size, never resizes it, and counts the canvas pixels in the legend's
//! node colours with `getImageData`. That is how the blank canvas after load was caught, and
//! how the BBC + Reuters graph is checked to paint within its first frames and to hide nodes
//! left without links by the minimum-weight slider.
//!
//! Chromium is required: `.ci/run` installs it (`apt-get install -y chromium`) and runs
//! `npm ci` in `tests/browser`. Set `CHROMIUM` to use another binary. The tests fail, rather
//! than pass vacuously, when it, node's packages, the seeds or the corpora are missing.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use entgraph::cooccur::EntityMap;
use entgraph::entity::EntityView;
use entgraph::export::html::{HtmlDocument, write_html};
use entgraph::gazetteer::Gazetteer;
use entgraph::graph::{EntityGraph, Filters, Weighting, build};
use entgraph::input::Documents;
use entgraph::pipeline::{CountOptions, CountedDocument, Sink, count};
use entgraph::recognize::Recognizer;
use entgraph::tagger::Tagger;
use entgraph::window::{WindowKind, windows};

use serde_json::Value;

use crate::util::{entgraph, read_json, root, seed_files, tempdir};

const HOSTILE_ID: &str = "hostile.txt";
const HOSTILE_SCRIPT: &str = "</script><script>document.body.dataset.pwned='1'</script>";
const HOSTILE_IMG: &str = r#"<img src=x onerror="document.body.dataset.pwned='1'">"#;
const TIMEOUT: Duration = Duration::from_secs(60);

fn hostile_text() -> String {
    format!(
        "Xi Jinping told Nicolás Maduro in Caracas that {HOSTILE_SCRIPT} and {HOSTILE_IMG} were harmless.\n\n\
         Later, Xi Jinping returned to Beijing."
    )
}

fn seed_paths() -> Vec<String> {
    seed_files()
        .iter()
        .map(|p| p.display().to_string())
        .collect()
}

/// The seed graph (with the hostile document counted too) and the documents for the page.
fn seed_graph() -> (EntityGraph, Vec<HtmlDocument>) {
    let recognizer = Recognizer::new(
        Tagger::new(Gazetteer::default_embedded().expect("default gazetteer")).unwrap(),
        None,
    );
    let tagger = recognizer.tagger();
    let g = tagger.gazetteer();
    let map = EntityMap::new(g, false);
    let paths = seed_paths();
    let mut counts = count(
        &recognizer,
        Documents::new(&paths),
        &CountOptions::default(),
        &mut (),
    );
    let hostile = hostile_text();
    let tagged = tagger.tag(&hostile);
    let mut counted = tagged.mentions.clone();
    map.apply(&mut counted);
    let w = windows(WindowKind::Sentence, &hostile, &counted);
    counts.add_document(HOSTILE_ID, &hostile, &counted, &w);
    let graph = build(&counts, g, Weighting::Count, &Filters::default());

    // The reading view shows every mention, demonyms included (they are not nodes).
    let mut docs: Vec<HtmlDocument> = paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let mentions = tagger.tag(&text).mentions;
            HtmlDocument::from_mentions(p.as_str(), text, &mentions, EntityView::listed(g))
        })
        .collect();
    docs.push(HtmlDocument::from_mentions(
        HOSTILE_ID,
        hostile,
        &tagged.mentions,
        EntityView::listed(g),
    ));
    (graph, docs)
}

fn write_page(dir: &Path, graph: &EntityGraph, docs: &[HtmlDocument]) -> PathBuf {
    let path = dir.join("graph.html");
    let mut out = Vec::new();
    write_html(graph, docs, docs.len(), &mut out).unwrap();
    std::fs::write(&path, out).unwrap();
    path
}

fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "chromium is not installed: these tests need a real browser. Install it with \
         `apt-get install -y chromium` (.ci/run does) or set CHROMIUM=/path/to/chrome"
    );
}

/// A `file://` URL for an absolute path, percent-encoding anything unusual.
fn file_url(path: &Path, hash: &str) -> String {
    let mut url = String::from("file://");
    for b in path.display().to_string().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url.push('#');
    url.push_str(hash);
    url
}

/// The flags every Chromium of these tests starts with, one a line (probe.mjs reads them too).
const CHROMIUM_FLAGS: &str = include_str!("../browser/chromium-flags.txt");

/// Runs headless chromium with `args` and returns its standard output; panics on a
/// non-zero exit or after [`TIMEOUT`] (killing it). Its stderr noise is ignored.
fn run_chromium(args: &[String]) -> String {
    let profile = tempdir();
    let mut cmd = Command::new(chromium());
    cmd.arg("--headless")
        .args(CHROMIUM_FLAGS.lines().filter(|l| !l.is_empty()))
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .stderr(Stdio::null());
    run(cmd, TIMEOUT)
}

/// Runs `cmd` and returns its standard output; panics on a non-zero exit or after `timeout`
/// (killing it).
fn run(mut cmd: Command, timeout: Duration) -> String {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", cmd.get_program()));
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).map(|_| s)
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = reader.join().unwrap().expect("the output is UTF-8");
    assert!(status.success(), "{cmd:?} failed ({status})");
    out
}

/// `tests/browser/probe.mjs` on `page` (with `hash`) and `args`: what the canvas holds, read
/// back in Chromium at a fixed 1280×800 window, as its JSON says.
fn probe(page: &Path, hash: &str, args: &[&str]) -> Value {
    let dir = crate::util::root().join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "playwright-core is not installed: run `npm ci` in {} (.ci/run does)",
        dir.display()
    );
    let mut cmd = Command::new("node");
    cmd.current_dir(&dir)
        .arg("probe.mjs")
        .arg(file_url(page, hash))
        .args(["--size", "1280x800"])
        .args(args)
        .env("CHROMIUM", chromium())
        .stderr(Stdio::inherit());
    let out = run(cmd, 4 * TIMEOUT);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("probe printed no JSON ({e}): {out}"))
}

/// A number in a probe reading: `reading[field]`, or `reading.attrs[field]` (a `data-*`
/// attribute of `<body>`, camel-cased, as a string).
fn num(reading: &Value, field: &str) -> u64 {
    let v = if reading[field].is_null() {
        &reading["attrs"][field]
    } else {
        &reading[field]
    };
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("no number {field} in {reading}"))
}

fn assert_no_errors(reading: &Value) {
    assert_eq!(
        reading["errors"],
        serde_json::json!([]),
        "the page reported errors"
    );
}

fn dump_dom(page: &Path, hash: &str) -> String {
    let dom = run_chromium(&[
        "--virtual-time-budget=5000".to_string(),
        "--dump-dom".to_string(),
        file_url(page, hash),
    ]);
    assert!(
        dom.contains("<body"),
        "chromium printed no DOM for {hash}:\n{dom}"
    );
    dom
}

/// The value of attribute `name` on the `<body>` start tag of a dumped DOM.
fn body_attr<'a>(dom: &'a str, name: &str) -> Option<&'a str> {
    let start = dom.find("<body")?;
    let tag = &dom[start..start + dom[start..].find('>')?];
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    Some(&tag[at..at + tag[at..].find('"')?])
}

/// The hostile text as it appears in serialized DOM text.
fn as_dom_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn assert_not_pwned(dom: &str) {
    assert!(
        !dom.contains("data-pwned"),
        "a script from the document text ran"
    );
    assert!(
        !dom.contains("<img"),
        "an <img> element was created from the document text"
    );
}

#[test]
fn viewer_draws_the_seed_graph_searches_and_shows_hostile_text_as_text() {
    let (graph, docs) = seed_graph();
    let nodes = graph.graph.node_count();
    let edges = graph.graph.edge_count();
    assert!(nodes > 0 && edges > 0, "the seed graph is empty");
    assert!(
        graph.graph.node_weights().any(|n| n.id == "xi-jinping"),
        "xi-jinping is not in the seed graph"
    );
    let dir = tempdir();
    let page = write_page(dir.path(), &graph, &docs);

    let dom = dump_dom(&page, "search=Xi%20Jinping&doc=hostile.txt");
    assert_not_pwned(&dom);
    assert_eq!(
        body_attr(&dom, "data-nodes-drawn"),
        Some(nodes.to_string().as_str()),
        "every node should be drawn"
    );
    let found = body_attr(&dom, "data-search-result").expect("the hash search did not run");
    assert_eq!(
        found.split(',').next(),
        Some("xi-jinping"),
        "search for Xi Jinping found {found:?}"
    );
    assert!(
        dom.contains(&format!("{nodes} nodes, {edges} edges")),
        "status line missing"
    );
    // The side panel shows the first match.
    assert!(
        dom.contains("<h2>Xi Jinping</h2>"),
        "no side panel for Xi Jinping"
    );
    // The reading view shows the hostile document, as text, with its mentions marked.
    assert!(
        dom.contains(&as_dom_text(HOSTILE_SCRIPT)),
        "hostile <script> text is not shown as text"
    );
    assert!(
        dom.contains(&as_dom_text(r#"<img src=x onerror="#)),
        "hostile <img> text is not shown as text"
    );
    assert!(
        dom.contains(r#"<mark class="ent"#) && dom.contains("Nicolás Maduro"),
        "mentions are not highlighted in the reading view"
    );
}

#[test]
fn edge_evidence_with_hostile_text_is_shown_as_text() {
    let (graph, docs) = seed_graph();
    let g = &graph.graph;
    // The pair seen together only in the hostile document keeps it as evidence.
    let edge = g
        .edge_indices()
        .find(|&e| {
            g[e].evidence
                .iter()
                .any(|ev| ev.text.contains(HOSTILE_SCRIPT))
        })
        .expect("no edge keeps the hostile sentence as evidence");
    let (a, b) = g.edge_endpoints(edge).unwrap();
    let dir = tempdir();
    let page = write_page(dir.path(), &graph, &docs);

    let dom = dump_dom(&page, &format!("edge={},{}", g[a].id, g[b].id));
    assert_not_pwned(&dom);
    assert!(
        dom.contains(&as_dom_text(HOSTILE_SCRIPT)),
        "the evidence window with the hostile text is not shown"
    );
    // Both entities are marked in the evidence, with their type labels.
    for n in [&g[a], &g[b]] {
        let marked = n.aliases.keys().chain([&n.label]).any(|surface| {
            dom.contains(&format!(
                ">{}<span class=\"ent-label\">{}</span></mark>",
                as_dom_text(surface),
                as_dom_text(&n.kind)
            ))
        });
        assert!(marked, "{} is not marked in the evidence", n.id);
    }
}

/// A graph with a provisional entity (discovery on): "Varun Mishra", typed by the title cue
/// `analyst`, beside Xiaomi and India from the gazetteer. Its documents for the page.
fn provisional_graph() -> (EntityGraph, Vec<HtmlDocument>) {
    use entgraph::discover::{Cues, Discoverer};
    let recognizer = Recognizer::new(
        Tagger::new(Gazetteer::default_embedded().expect("default gazetteer")).unwrap(),
        Some(Discoverer::new(Cues::default_embedded().expect("cues"))),
    );
    let g = recognizer.gazetteer();
    let text = "Counterpoint analyst Varun Mishra said the Xiaomi phone sold well. \
                Mishra added that demand in India was strong.";
    let docs = vec![entgraph::input::InputEvent::Document(
        entgraph::input::Document {
            id: "mishra.txt".into(),
            text: text.into(),
            ..Default::default()
        },
    )];
    /// The reading view's documents, as `build` collects them.
    struct Pages(Vec<HtmlDocument>);
    impl Sink for Pages {
        fn counted(&mut self, d: &CountedDocument) {
            self.0.push(HtmlDocument::from_mentions(
                d.document.id.as_str(),
                d.document.text.as_str(),
                d.mentions,
                d.entities,
            ))
        }
    }
    let mut pages = Pages(Vec::new());
    let counts = count(&recognizer, docs, &CountOptions::default(), &mut pages);
    let pages = pages.0;
    let graph = build(&counts, g, Weighting::Count, &Filters::default());
    (graph, pages)
}

#[test]
fn provisional_nodes_are_marked_and_filtered() {
    let (graph, docs) = provisional_graph();
    let n = graph.graph.node_count();
    let provisional: Vec<&str> = graph
        .graph
        .node_weights()
        .filter(|x| x.provisional.is_some())
        .map(|x| x.id.as_str())
        .collect();
    assert_eq!(
        provisional,
        ["new:varun-mishra"],
        "discovery found something else"
    );
    assert!(n >= 3, "Xiaomi and India should be nodes too");
    let dir = tempdir();
    let page = write_page(dir.path(), &graph, &docs);

    // Shown: every node drawn, one with the dashed ring; the details panel says so; the
    // legend has the filter.
    let dom = dump_dom(&page, "node=new:varun-mishra");
    assert_eq!(
        body_attr(&dom, "data-nodes-drawn"),
        Some(n.to_string().as_str())
    );
    assert_eq!(body_attr(&dom, "data-provisional-drawn"), Some("1"));
    assert_eq!(body_attr(&dom, "data-provisional-filter"), Some("show"));
    assert!(
        dom.contains(r#"id="provisional-filter""#),
        "no provisional filter"
    );
    assert!(
        dom.contains("provisional (found by discovery, cue title:analyst)"),
        "the details panel does not say the entity is provisional"
    );
    assert!(dom.contains("<h2>Varun Mishra</h2>"));

    // Hidden by the filter: one node fewer, no ring drawn.
    let dom = dump_dom(&page, "provisional=hide");
    assert_eq!(body_attr(&dom, "data-provisional-filter"), Some("hide"));
    assert_eq!(
        body_attr(&dom, "data-nodes-drawn"),
        Some((n - 1).to_string().as_str())
    );
    assert_eq!(body_attr(&dom, "data-provisional-drawn"), Some("0"));
    assert!(dom.contains(&format!("showing {}", n - 1)), "status line");

    // Only the provisional ones.
    let dom = dump_dom(&page, "provisional=only");
    assert_eq!(body_attr(&dom, "data-nodes-drawn"), Some("1"));
    assert_eq!(body_attr(&dom, "data-provisional-drawn"), Some("1"));

    // A graph without provisional nodes has no filter and no provisional code.
    let (plain, plain_docs) = seed_graph();
    let plain_page = write_page(dir.path(), &plain, &plain_docs);
    let html = std::fs::read_to_string(&plain_page).unwrap();
    assert!(!html.contains("provisional"));
}

#[test]
fn the_canvas_has_node_pixels_after_load_without_a_resize() {
    let (graph, docs) = seed_graph();
    let n = graph.graph.node_count() as u64;
    let dir = tempdir();
    let page = write_page(dir.path(), &graph, &docs);
    // Two animation frames after the load event, in a window that is never resized.
    let r = probe(&page, "", &["--frames", "2"]);
    assert_no_errors(&r);
    let load = &r["load"];
    assert_eq!(num(load, "nodesDrawn"), n);
    assert!(num(load, "colours") >= 3, "no type swatches in the legend");
    // Every node is at least 3.5 px across (about 10 px of its colour), most far more: a
    // blank canvas, or one cleared after drawing, has none.
    assert!(
        num(load, "node") >= 50 * n,
        "only {} pixels in node colours for {n} nodes: {load}",
        num(load, "node")
    );
    assert!(
        num(load, "painted") > num(load, "node"),
        "no edges or labels"
    );
    // Every node carries its community: the colour toggle is there and starts on type.
    assert_eq!(load["attrs"]["colorBy"], "type", "{load}");
}

/// `page` with a `community` on every node (its index modulo 3) and a hostile `title` and a
/// `date` on every embedded document, as another writer of the page data would add them;
/// `<` escaped as the page's own writer does.
fn with_communities_and_titles(page: &Path) -> PathBuf {
    let html = std::fs::read_to_string(page).unwrap();
    let open = r#"<script type="application/json" id="entgraph-data">"#;
    let at = html.find(open).unwrap() + open.len();
    let end = at + html[at..].find("</script>").unwrap();
    let mut data: Value = serde_json::from_str(&html[at..end]).unwrap();
    for (i, n) in data["nodes"].as_array_mut().unwrap().iter_mut().enumerate() {
        n["community"] = (i % 3).into();
    }
    for (i, d) in data["documents"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        d["title"] = format!("Headline {i} {HOSTILE_IMG}").into();
        d["date"] = format!("2026-01-{:02}", i % 28 + 1).into();
    }
    let json = serde_json::to_string(&data)
        .unwrap()
        .replace('<', "\\u003c");
    let out = page.with_file_name("graph-communities.html");
    std::fs::write(&out, [&html[..at], &json, &html[end..]].concat()).unwrap();
    out
}

#[test]
fn communities_colour_the_nodes_and_titles_are_shown_as_text_when_the_data_has_them() {
    let (graph, docs) = seed_graph();
    let dir = tempdir();
    let page = with_communities_and_titles(&write_page(dir.path(), &graph, &docs));
    let hostile = docs.len() - 1;

    let dom = dump_dom(&page, "doc=hostile.txt");
    assert_not_pwned(&dom);
    assert!(dom.contains(r#"id="color-by""#), "no colour toggle");
    let title = as_dom_text(&format!("Headline {hostile} {HOSTILE_IMG}"));
    assert!(
        dom.contains(&format!(r#"<h3 class="doc-title">{title}</h3>"#)),
        "the reading view does not show the document's title as text"
    );
    assert!(dom.contains(&format!("{title} · 2026-01-{:02}", hostile % 28 + 1)));

    let r = probe(&page, "", &["--click", "#color-by input[value=community]"]);
    assert_no_errors(&r);
    assert_eq!(r["load"]["attrs"]["colorBy"], "type");
    let click = &r["click"];
    assert_eq!(click["attrs"]["colorBy"], "community");
    assert_ne!(
        r["load"]["hash"], click["hash"],
        "the colours did not change"
    );
    // The community swatches are among the legend's colours now, and the nodes wear them.
    assert!(num(click, "colours") > num(&r["load"], "colours"));
    assert!(
        num(click, "node") >= 50 * graph.graph.node_count() as u64,
        "{click}"
    );
}

#[test]
fn the_settled_layout_is_the_same_on_every_load() {
    let (graph, docs) = seed_graph();
    let dir = tempdir();
    let page = write_page(dir.path(), &graph, &docs);
    let r = probe(&page, "", &["--wait-layout", "--runs", "2"]);
    let runs = r.as_array().expect("two runs");
    for run in runs {
        assert_no_errors(run);
        assert_eq!(run["load"]["attrs"]["layout"], "done");
        assert_eq!(num(&run["load"], "layoutTicks"), 300);
    }
    assert_eq!(
        runs[0]["load"]["hash"], runs[1]["load"]["hash"],
        "the same page drew two different pictures"
    );
}

/// The BBC and Reuters JSONL corpora in `../shared/corpora/news`.
fn news_corpora() -> [PathBuf; 2] {
    let dir = root().join("../shared/corpora/news");
    let files = ["bbc-news-2225.jsonl.gz", "reuters21578.jsonl.gz"].map(|f| dir.join(f));
    for f in &files {
        assert!(
            f.is_file(),
            "{} missing: CI provides ../shared",
            f.display()
        );
    }
    files
}

#[test]
fn the_bbc_and_reuters_graph_paints_in_its_first_frames_and_the_slider_hides_nodes() {
    let dir = tempdir();
    let [bbc, reuters] = news_corpora();
    entgraph()
        .args(["build", "--no-discover", "--format", "html,json", "-o"])
        .arg(dir.path())
        .arg(&bbc)
        .arg(&reuters)
        .assert()
        .success();
    let json = read_json(&dir.path().join("graph.json"));
    let n = json["nodes"].as_array().unwrap().len() as u64;
    assert!(n > 1500, "{n} nodes: not the corpus graph");
    // The slider's steps are the distinct edge weights, lowest first; step 3 hides every edge
    // of a lower weight, and with them every node left without one.
    let links = json["links"].as_array().unwrap();
    let mut steps: Vec<f64> = links
        .iter()
        .map(|l| l["weight"].as_f64().unwrap())
        .collect();
    steps.sort_by(f64::total_cmp);
    steps.dedup();
    let (step, min) = (3, steps[3]);
    let mut kept = std::collections::BTreeSet::new();
    for l in links
        .iter()
        .filter(|l| l["weight"].as_f64().unwrap() >= min)
    {
        kept.insert(l["source"].to_string());
        kept.insert(l["target"].to_string());
    }
    let step = step.to_string();
    let r = probe(
        &dir.path().join("graph.html"),
        "",
        &["--frames", "2", "--slider", &step],
    );
    assert_no_errors(&r);
    let load = &r["load"];
    assert_eq!(num(load, "nodesDrawn"), n);
    // Drawn before the layout is done: the first frame came after a slice of its 300 steps.
    assert!(num(load, "firstPaintTicks") < 100, "{load}");
    assert!(
        num(load, "node") >= 2 * n,
        "only {} pixels in node colours for {n} nodes: {load}",
        num(load, "node")
    );
    let slid = &r["slider"];
    assert_eq!(num(slid, "nodesDrawn"), kept.len() as u64);
    assert!((kept.len() as u64) < n);
    assert!(
        num(slid, "node") < num(load, "node"),
        "hiding {} nodes did not remove node pixels",
        n - kept.len() as u64
    );
}
