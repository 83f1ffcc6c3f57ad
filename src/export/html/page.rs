//! Writing the page: the viewer's CSS and JavaScript inlined (with or without its provisional
//! blocks), the data block escaped for `<script>`, the title escaped for HTML, and the
//! Content-Security-Policy that lets only the viewer script (by its SHA-256 hash) run.

use std::io::{self, Write};

use super::HtmlDocument;
use super::data::page_data;
use crate::graph::EntityGraph;

const VIEWER_JS: &str = include_str!("viewer.js");
const VIEWER_CSS: &str = include_str!("viewer.css");

/// Writes the page. `documents` may be a subset of the corpus (`documents_total` says how
/// many there were).
pub fn write_html(
    graph: &EntityGraph,
    documents: &[HtmlDocument],
    documents_total: usize,
    w: &mut dyn Write,
) -> io::Result<()> {
    let data = page_data(graph, documents, documents_total);
    let json = serde_json::to_string(&data).map_err(io::Error::other)?;
    let json = escape_script_json(&json);
    let g = &graph.graph;
    let count = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let title = format!(
        "entgraph: {}, {}, {}",
        count(g.node_count() as u64, "entity", "entities"),
        count(g.edge_count() as u64, "link", "links"),
        count(graph.meta.documents, "document", "documents"),
    );
    let provisional = g.node_weights().any(|n| n.provisional.is_some());
    let viewer_js = viewer_source(VIEWER_JS, provisional);
    let viewer_css = viewer_source(VIEWER_CSS, provisional);
    let script_hash = script_hash(&viewer_js);
    write!(
        w,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-{script_hash}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="generator" content="{generator}">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>
{viewer_css}</style>
</head>
<body>
<header id="toolbar">
  <div class="brand"><strong>entgraph</strong> <span id="status" role="status">loading…</span></div>
  <div class="search-box">
    <input id="search" type="search" placeholder="Search a name or alias…" autocomplete="off" spellcheck="false" aria-label="Search entities">
    <span id="search-count" class="muted"></span>
  </div>
  <div class="control" role="radiogroup" aria-label="Node size">
    <span class="control-label">Size by</span>
    <label><input type="radio" name="size" value="mentions" checked> mentions</label>
    <label><input type="radio" name="size" value="pagerank"> PageRank</label>
  </div>
  <div class="control">
    <label for="min-weight" class="control-label">Min. weight</label>
    <input id="min-weight" type="range" min="0" max="0" step="1" value="0">
    <output id="min-weight-value" for="min-weight"></output>
  </div>
  <button id="fit" type="button" title="Fit the whole graph in view">Fit view</button>
</header>
<main>
  <div id="graph-pane">
    <canvas id="graph" aria-label="Entity co-occurrence graph"></canvas>
    <div id="legend" class="overlay">
      <div class="overlay-title">Entity types</div>
      <div id="type-filters"></div>
      <div id="encoding" class="muted"></div>
    </div>
    <div id="tooltip" class="tooltip" hidden></div>
    <div id="hint" class="overlay muted">Drag nodes · drag background to pan · wheel to zoom · click a node or link</div>
  </div>
  <aside id="panel">
    <nav class="tabs" role="tablist">
      <button type="button" role="tab" id="tab-details" class="tab active" aria-selected="true">Details</button>
      <button type="button" role="tab" id="tab-documents" class="tab" aria-selected="false">Documents</button>
    </nav>
    <section id="details" class="tab-body"></section>
    <section id="reading" class="tab-body" hidden></section>
    <footer id="meta" class="muted"></footer>
  </aside>
</main>
<script type="application/json" id="entgraph-data">{json}</script>
<script>{viewer_js}</script>
</body>
</html>
"#,
        generator = escape_html(&format!("{} {}", graph.meta.generator, graph.meta.version)),
        title = escape_html(&title),
    )
}

/// Makes JSON text safe inside a `<script>` element: `<`, `>`, `&`, U+2028 and U+2029 (which
/// can only occur inside JSON strings) become `\uXXXX` escapes, which mean the same.
fn escape_script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for HTML element content and quoted attribute values.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match crate::export::HTML_ENTITIES.iter().find(|(x, _)| *x == c) {
            Some((_, entity)) => out.push_str(entity),
            None => out.push(c),
        }
    }
    out
}

/// Base64 SHA-256 of the viewer script: the Content-Security-Policy lets only this script run.
/// The base64 SHA-256 of the viewer script, for the Content-Security-Policy.
fn script_hash(script: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()))
}

/// The viewer's code (`viewer.js` or `viewer.css`) for a graph with or without provisional
/// entities. Lines from a `provisional:begin` marker line (`// provisional:begin` or
/// `/* provisional:begin */`) to the matching `provisional:end` are kept only when the graph
/// has provisional entities; a `provisional:else` line inside such a block starts the lines
/// kept only when it has none. The marker lines themselves are always dropped. So a graph
/// without provisional entities gets exactly the viewer as it was before discovery existed,
/// byte for byte.
fn viewer_source(source: &str, provisional: bool) -> String {
    #[derive(PartialEq)]
    enum At {
        Outside,
        Then,
        Else,
    }
    fn marker(line: &str) -> Option<&str> {
        let t = line.trim();
        let t = t
            .strip_prefix("//")
            .or_else(|| t.strip_prefix("/*").and_then(|t| t.strip_suffix("*/")))?
            .trim();
        t.strip_prefix("provisional:")
    }
    let mut out = String::with_capacity(source.len());
    let mut at = At::Outside;
    for line in source.split_inclusive('\n') {
        match marker(line) {
            Some("begin") => at = At::Then,
            Some("else") => at = At::Else,
            Some("end") => at = At::Outside,
            _ => {
                let keep = match at {
                    At::Outside => true,
                    At::Then => provisional,
                    At::Else => !provisional,
                };
                if keep {
                    out.push_str(line);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{data_of, graph, mention, render};
    use super::super::*;
    use super::*;

    #[test]
    fn hostile_text_cannot_leave_the_data_block() {
        let text = "Bo said </script><script>alert(1)</script> <!-- <img src=x onerror=alert(2)> & \u{2028}\u{2029} to Ana.";
        let g = graph(text, 0, text.len());
        let doc = HtmlDocument {
            id: "</script><b>id".into(),
            text: text.into(),
            mentions: vec![mention(text, "Bo", "bo"), mention(text, "Ana", "ana")],
        };
        let html = render(&g, &[doc]);
        // The only `</script>`s are the two blocks' own, and the only `<script`s too.
        assert_eq!(html.matches("</script>").count(), 2);
        assert_eq!(html.matches("<script").count(), 2);
        assert!(!html.contains("<img"));
        assert!(!html.contains("<!--"));
        assert!(!html.contains('\u{2028}') && !html.contains('\u{2029}'));
        let data = data_of(&html);
        assert_eq!(data["documents"][0]["text"], text);
        assert_eq!(data["documents"][0]["id"], "</script><b>id");
        assert_eq!(data["edges"][0]["evidence"][0]["text"], text);
    }

    #[test]
    fn viewer_never_builds_markup_from_strings() {
        for banned in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
            "fetch(",
            "XMLHttpRequest",
            "http://",
            "https://",
        ] {
            assert!(!VIEWER_JS.contains(banned), "viewer.js uses {banned}");
        }
        assert!(!VIEWER_CSS.contains("url("), "viewer.css loads something");
        assert!(!VIEWER_CSS.contains("@import"));
        for asset in [VIEWER_JS, VIEWER_CSS] {
            assert!(!asset.to_ascii_lowercase().contains("</script"));
            assert!(!asset.to_ascii_lowercase().contains("</style"));
        }
    }

    #[test]
    fn the_page_is_deterministic_and_titled() {
        let text = "Ana met Bo.";
        let g = graph(text, 0, text.len());
        let html = render(&g, &[]);
        assert_eq!(html, render(&g, &[]));
        assert!(html.contains("<title>entgraph: 2 entities, 1 link, 1 document</title>"));
        let js = viewer_source(VIEWER_JS, false);
        assert!(html.contains(&format!("script-src 'sha256-{}'", script_hash(&js))));
        assert!(html.contains(&format!("<script>{js}</script>")));
        assert!(!html.contains("provisional"), "no provisional code or data");
    }

    #[test]
    fn provisional_nodes_bring_their_data_and_viewer_code() {
        let text = "Ana met Bo.";
        let mut g = graph(text, 0, text.len());
        g.graph[petgraph::graph::NodeIndex::new(1)].provisional = Some("given:</script><b>".into());
        let html = render(&g, &[]);
        let js = viewer_source(VIEWER_JS, true);
        assert!(js.contains("provisional-filter") && !js.contains("provisional:begin"));
        assert!(html.contains(&format!("script-src 'sha256-{}'", script_hash(&js))));
        assert!(html.contains(&format!("<script>{js}</script>")));
        assert!(html.contains(".provisional-note"));
        assert!(
            html.contains(r#""provisional":true,"cue":"given:\u003c/script\u003e\u003cb\u003e""#)
        );
        assert_eq!(html.matches(r#""provisional":true"#).count(), 1);
    }

    #[test]
    fn viewer_blocks_are_kept_or_dropped_whole() {
        let src = "a\n// provisional:begin\nb\n// provisional:else\nc\n// provisional:end\nd\n  /* provisional:begin */\ne\n/* provisional:end */\n";
        assert_eq!(viewer_source(src, true), "a\nb\nd\ne\n");
        assert_eq!(viewer_source(src, false), "a\nc\nd\n");
        // Every block in the real viewer is closed, and nothing else mentions provisional
        // outside one.
        for asset in [VIEWER_JS, VIEWER_CSS] {
            let plain = viewer_source(asset, false);
            assert!(
                !plain.contains("provisional"),
                "provisional code outside a block"
            );
            assert!(viewer_source(asset, true).contains("provisional"));
        }
    }
}
