//! HTML export: one self-contained `graph.html` that opens offline, with an interactive
//! force-directed view of the graph, a side panel with evidence, and a reading view of the
//! documents with every mention highlighted.
//!
//! # What is in the file
//!
//! - the viewer's CSS and JavaScript (`src/export/html/viewer.{css,js}`, written for entgraph,
//!   no third-party code), inlined;
//! - the data, as JSON inside `<script type="application/json" id="entgraph-data">`, which the
//!   viewer reads with `JSON.parse(….textContent)`;
//! - a Content-Security-Policy that allows only the viewer script (by its SHA-256 hash) and no
//!   network access at all (`default-src 'none'`).
//!
//! # Untrusted text
//!
//! Document text, document ids, surface forms and gazetteer fields are untrusted. In the JSON
//! block every `<`, `>` and `&` is written `\u003c`, `\u003e`, `\u0026`, and U+2028/U+2029 as
//! `\u2028`/`\u2029`, so no data can close the block (`</script>`) or open a comment; these
//! characters only occur inside JSON strings, where the escapes mean the same characters. The
//! viewer renders all data with `textContent`/`createTextNode`, never as markup, and the page
//! title is HTML-escaped. Even if something slipped through, the policy would block any script
//! but the viewer's own, including inline event handlers.
//!
//! # Offsets
//!
//! Mention and evidence offsets are UTF-8 byte offsets in Rust; JavaScript strings index UTF-16
//! code units. Every offset is converted here and embedded as `start16`/`end16`. Mentions that
//! are out of range, not on char boundaries or overlapping an earlier one are dropped.
//!
//! Evidence windows carry `marks`: where the edge's two entities occur in the (≤ 600-byte)
//! evidence text. When the evidence's document is among the documents given and its text at
//! the window's offset is the evidence text, the marks are that document's mentions of the two
//! entities inside the window (exact, what the tagger found). Otherwise, or for an entity with
//! no mention there (e.g. a demonym counted as its country), the entity's surface forms seen in
//! the corpus (its `aliases`, plus its label) are searched in the evidence text, longest first,
//! case-sensitively, as whole words.

use std::collections::HashMap;
use std::io::{self, Write};

use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::entity::EntityView;
use crate::graph::{EntityGraph, GraphMeta, Node};
use crate::tagger::Mention;

const VIEWER_JS: &str = include_str!("html/viewer.js");
const VIEWER_CSS: &str = include_str!("html/viewer.css");

/// Version of the embedded data layout, for anyone reading it from the page.
pub const DATA_FORMAT: &str = "entgraph-html/1";

/// A document shown in the reading view, with its mentions (byte offsets into `text`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlDocument {
    pub id: String,
    pub text: String,
    pub mentions: Vec<HtmlMention>,
}

/// A mention in an [`HtmlDocument`]: `text[start..end]` in UTF-8 bytes, the node id of its
/// entity and the entity's type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlMention {
    pub start: usize,
    pub end: usize,
    /// Node id (the gazetteer id); a mention whose entity is not in the graph is still
    /// highlighted, but selects nothing.
    pub entity: String,
    pub kind: String,
}

impl HtmlDocument {
    /// A document and the tagger's mentions in it, with ids and types from `gazetteer`.
    pub fn from_mentions(
        id: impl Into<String>,
        text: impl Into<String>,
        mentions: &[Mention],
        entities: EntityView,
    ) -> HtmlDocument {
        HtmlDocument {
            id: id.into(),
            text: text.into(),
            mentions: mentions
                .iter()
                .map(|m| {
                    let e = entities.get(m.entity);
                    HtmlMention {
                        start: m.start,
                        end: m.end,
                        entity: e.id().to_string(),
                        kind: e.kind().to_string(),
                    }
                })
                .collect(),
        }
    }
}

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

// ---------------------------------------------------------------------------------------
// The embedded data.

#[derive(Serialize)]
struct PageData<'a> {
    format: &'static str,
    /// Type colours shared with the DOT export, and the colour of other types.
    palette: &'static [(&'static str, &'static str)],
    other_color: &'static str,
    meta: &'a GraphMeta,
    documents_total: usize,
    nodes: Vec<NodeOut<'a>>,
    edges: Vec<EdgeOut<'a>>,
    documents: Vec<DocOut<'a>>,
}

#[derive(Serialize)]
struct NodeOut<'a> {
    id: &'a str,
    label: &'a str,
    kind: &'a str,
    mentions: u64,
    documents: u64,
    windows: u64,
    degree: usize,
    weighted_degree: f64,
    pagerank: f64,
    component: usize,
    /// `[surface, count]` pairs (arrays, not an object: keys are untrusted text).
    aliases: Vec<(&'a str, u64)>,
    /// `[key, value]` pairs.
    attributes: Vec<(&'a str, &'a str)>,
    /// Present (true) only for a provisional entity found by discovery.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    provisional: bool,
    /// The cue that typed a provisional entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    cue: Option<&'a str>,
}

#[derive(Serialize)]
struct EdgeOut<'a> {
    /// Node indexes.
    source: usize,
    target: usize,
    count: u64,
    documents: u64,
    weight: f64,
    evidence: Vec<EvidenceOut<'a>>,
}

#[derive(Serialize)]
struct EvidenceOut<'a> {
    doc: &'a str,
    /// Byte range of the window in its document, as in the graph.
    start: usize,
    end: usize,
    text: &'a str,
    /// Where the window starts and ends in the document, in UTF-16 code units, when the
    /// document is embedded (for "open in reading view").
    #[serde(skip_serializing_if = "Option::is_none")]
    doc_start16: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    doc_end16: Option<usize>,
    marks: Vec<Mark>,
}

/// An occurrence of node `node` in an evidence text, in UTF-16 code units.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
struct Mark {
    start16: usize,
    end16: usize,
    node: usize,
}

#[derive(Serialize)]
struct DocOut<'a> {
    id: &'a str,
    text: &'a str,
    mentions: Vec<DocMention<'a>>,
}

#[derive(Serialize)]
struct DocMention<'a> {
    start16: usize,
    end16: usize,
    entity: &'a str,
    kind: &'a str,
    /// Index of the entity's node, if it is in the graph.
    #[serde(skip_serializing_if = "Option::is_none")]
    node: Option<usize>,
}

/// A document with its valid mentions (sorted, non-overlapping) and an offset converter.
struct PreparedDoc<'a> {
    doc: &'a HtmlDocument,
    mentions: Vec<&'a HtmlMention>,
    utf16: Utf16Index<'a>,
}

fn prepare(doc: &HtmlDocument) -> PreparedDoc<'_> {
    let text = &doc.text;
    let mut mentions: Vec<&HtmlMention> = doc
        .mentions
        .iter()
        .filter(|m| {
            m.start < m.end
                && m.end <= text.len()
                && text.is_char_boundary(m.start)
                && text.is_char_boundary(m.end)
        })
        .collect();
    mentions.sort_by_key(|m| (m.start, m.end));
    let mut last_end = 0;
    mentions.retain(|m| {
        let keep = m.start >= last_end;
        if keep {
            last_end = m.end;
        }
        keep
    });
    PreparedDoc {
        doc,
        mentions,
        utf16: Utf16Index::new(text),
    }
}

fn page_data<'a>(
    graph: &'a EntityGraph,
    documents: &'a [HtmlDocument],
    documents_total: usize,
) -> PageData<'a> {
    let g = &graph.graph;
    let node_index: HashMap<&str, usize> = g
        .node_indices()
        .map(|i| (g[i].id.as_str(), i.index()))
        .collect();
    let prepared: Vec<PreparedDoc> = documents.iter().map(prepare).collect();
    let mut by_id: HashMap<&str, &PreparedDoc> = HashMap::new();
    for p in &prepared {
        by_id.entry(p.doc.id.as_str()).or_insert(p);
    }

    let nodes = g
        .node_indices()
        .map(|i| {
            let n = &g[i];
            NodeOut {
                id: &n.id,
                label: &n.label,
                kind: &n.kind,
                mentions: n.mentions,
                documents: n.documents,
                windows: n.windows,
                degree: n.degree,
                weighted_degree: n.weighted_degree,
                pagerank: n.pagerank,
                component: n.component,
                aliases: n.aliases.iter().map(|(s, c)| (s.as_str(), *c)).collect(),
                attributes: n
                    .attributes
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect(),
                provisional: n.provisional.is_some(),
                cue: n.provisional.as_deref(),
            }
        })
        .collect();

    let edges = g
        .edge_references()
        .map(|e| {
            let (s, t) = (e.source().index(), e.target().index());
            let (a, b) = (&g[e.source()], &g[e.target()]);
            let edge = e.weight();
            EdgeOut {
                source: s,
                target: t,
                count: edge.count,
                documents: edge.documents,
                weight: edge.weight,
                evidence: edge
                    .evidence
                    .iter()
                    .map(|ev| {
                        let doc = by_id.get(ev.doc.as_str()).copied().filter(|d| {
                            d.doc.text.get(ev.start..ev.start + ev.text.len())
                                == Some(ev.text.as_str())
                        });
                        let marks = evidence_marks(&ev.text, ev.start, [(s, a), (t, b)], doc);
                        // The window may be longer than its (cut) text.
                        let doc_range = doc.and_then(|d| {
                            let text = &d.doc.text;
                            (ev.end <= text.len() && text.is_char_boundary(ev.end))
                                .then(|| (d.utf16.get(ev.start), d.utf16.get(ev.end)))
                        });
                        EvidenceOut {
                            doc: &ev.doc,
                            start: ev.start,
                            end: ev.end,
                            text: &ev.text,
                            doc_start16: doc_range.map(|r| r.0),
                            doc_end16: doc_range.map(|r| r.1),
                            marks,
                        }
                    })
                    .collect(),
            }
        })
        .collect();

    let documents = prepared
        .iter()
        .map(|p| DocOut {
            id: &p.doc.id,
            text: &p.doc.text,
            mentions: p
                .mentions
                .iter()
                .map(|m| DocMention {
                    start16: p.utf16.get(m.start),
                    end16: p.utf16.get(m.end),
                    entity: &m.entity,
                    kind: &m.kind,
                    node: node_index.get(m.entity.as_str()).copied(),
                })
                .collect(),
        })
        .collect();

    PageData {
        format: DATA_FORMAT,
        palette: super::TYPE_COLORS,
        other_color: super::OTHER_COLOR,
        meta: &graph.meta,
        documents_total,
        nodes,
        edges,
        documents,
    }
}

/// Where the two entities of an edge occur in an evidence text that starts at byte `start`
/// of its document: from the document's mentions when `doc` is given (and holds the window),
/// else, and for an entity not found that way, by searching its surface forms.
fn evidence_marks(
    text: &str,
    start: usize,
    ends: [(usize, &Node); 2],
    doc: Option<&PreparedDoc>,
) -> Vec<Mark> {
    // Byte ranges in `text`, with node index.
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    if let Some(d) = doc {
        let end = start + text.len();
        let first = d.mentions.partition_point(|m| m.start < start);
        for m in d.mentions[first..].iter().take_while(|m| m.start < end) {
            if m.end > end {
                continue;
            }
            if let Some(&(idx, _)) = ends.iter().find(|(_, n)| n.id == m.entity) {
                found.push((m.start - start, m.end - start, idx));
            }
        }
    }
    for &(idx, node) in &ends {
        if found.iter().any(|f| f.2 == idx) {
            continue;
        }
        let mut forms: Vec<&str> = node.aliases.keys().map(String::as_str).collect();
        forms.push(&node.label);
        forms.retain(|f| !f.is_empty());
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        forms.dedup();
        for form in forms {
            for (at, _) in text.match_indices(form) {
                let end = at + form.len();
                let whole_word = !text[..at].chars().next_back().is_some_and(is_word)
                    && !text[end..].chars().next().is_some_and(is_word);
                let free = found.iter().all(|&(s, e, _)| end <= s || at >= e);
                if whole_word && free {
                    found.push((at, end, idx));
                }
            }
        }
    }
    found.sort_unstable();
    let index = Utf16Index::new(text);
    found
        .into_iter()
        .map(|(s, e, node)| Mark {
            start16: index.get(s),
            end16: index.get(e),
            node,
        })
        .collect()
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Converts byte offsets (on char boundaries) of a text to UTF-16 offsets, in O(1) for ASCII
/// text and O(`STEP`) otherwise, from checkpoints every `STEP` bytes.
struct Utf16Index<'a> {
    text: &'a str,
    ascii: bool,
    /// `(byte, utf16)` at the first char boundary at or after each multiple of `STEP`.
    checkpoints: Vec<(usize, usize)>,
}

impl<'a> Utf16Index<'a> {
    const STEP: usize = 256;

    fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let mut checkpoints = vec![(0, 0)];
        if !ascii {
            let mut units = 0;
            let mut next = Self::STEP;
            for (i, c) in text.char_indices() {
                if i >= next {
                    checkpoints.push((i, units));
                    next = (i / Self::STEP + 1) * Self::STEP;
                }
                units += c.len_utf16();
            }
        }
        Utf16Index {
            text,
            ascii,
            checkpoints,
        }
    }

    /// The UTF-16 offset of byte offset `byte`, which must be a char boundary.
    fn get(&self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        let i = self.checkpoints.partition_point(|&(b, _)| b <= byte) - 1;
        let (b, u) = self.checkpoints[i];
        u + self.text[b..byte]
            .chars()
            .map(char::len_utf16)
            .sum::<usize>()
    }
}

// ---------------------------------------------------------------------------------------
// Escaping.

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
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
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
    use super::*;
    use crate::graph::{Edge, EdgeEvidence, Filters};
    use petgraph::graph::UnGraph;
    use std::collections::BTreeMap;

    fn node(id: &str, label: &str, aliases: &[&str]) -> Node {
        Node {
            entity: crate::gazetteer::EntityId(0),
            id: id.into(),
            label: label.into(),
            kind: "PERSON".into(),
            provisional: None,
            mentions: 1,
            documents: 1,
            windows: 1,
            aliases: aliases.iter().map(|a| (a.to_string(), 1)).collect(),
            attributes: BTreeMap::new(),
            degree: 1,
            weighted_degree: 1.0,
            pagerank: 0.5,
            component: 0,
            betweenness: 0.0,
        }
    }

    fn meta() -> GraphMeta {
        GraphMeta {
            generator: "entgraph".into(),
            version: "0".into(),
            window: "sentence".into(),
            weight: "count".into(),
            documents: 1,
            bytes: 0,
            windows: 1,
            mentions: 2,
            filters: Filters::default(),
            entities_seen: 2,
            pairs_seen: 1,
            betweenness_pivots: None,
        }
    }

    /// A two-node graph whose one edge has `evidence` from document "d".
    fn graph(text: &str, ev_start: usize, ev_len: usize) -> EntityGraph {
        let mut g = UnGraph::new_undirected();
        let a = g.add_node(node("ana", "Ana Lúcia", &["Ana Lúcia", "Ana"]));
        let b = g.add_node(node("bo", "Bo", &["Bo"]));
        g.add_edge(
            a,
            b,
            Edge {
                count: 1,
                documents: 1,
                weight: 1.0,
                evidence: vec![EdgeEvidence {
                    doc: "d".into(),
                    start: ev_start,
                    end: ev_start + ev_len,
                    text: text[ev_start..ev_start + ev_len].into(),
                }],
            },
        );
        EntityGraph {
            graph: g,
            meta: meta(),
        }
    }

    fn mention(text: &str, surface: &str, entity: &str) -> HtmlMention {
        let start = text.find(surface).unwrap();
        HtmlMention {
            start,
            end: start + surface.len(),
            entity: entity.into(),
            kind: "PERSON".into(),
        }
    }

    fn data_of(html: &str) -> serde_json::Value {
        let open = r#"<script type="application/json" id="entgraph-data">"#;
        let start = html.find(open).unwrap() + open.len();
        let end = start + html[start..].find("</script>").unwrap();
        serde_json::from_str(&html[start..end]).unwrap()
    }

    fn render(g: &EntityGraph, docs: &[HtmlDocument]) -> String {
        let mut out = Vec::new();
        write_html(g, docs, docs.len(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

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
    fn offsets_become_utf16_and_evidence_is_marked_from_mentions() {
        // "é" is 2 bytes and 1 UTF-16 unit, "𝄞" 4 bytes and 2 units.
        let text = "Intro. 𝄞 Ana Lúcia met Bo é. Ana left.";
        let ev_start = text.find("𝄞").unwrap();
        let ev_len = text[ev_start..].find(". Ana").unwrap() + 1;
        let g = graph(text, ev_start, ev_len);
        let ana_start = text.find("Ana").unwrap();
        let doc = HtmlDocument {
            id: "d".into(),
            text: text.into(),
            mentions: vec![
                HtmlMention {
                    start: ana_start,
                    end: ana_start + "Ana Lúcia".len(),
                    entity: "ana".into(),
                    kind: "PERSON".into(),
                },
                mention(text, "Bo", "bo"),
                // Invalid ones are dropped: inside a char, overlapping, out of range.
                HtmlMention {
                    start: ev_start + 1,
                    end: ev_start + 3,
                    entity: "x".into(),
                    kind: "LOC".into(),
                },
                HtmlMention {
                    start: ana_start + 1,
                    end: ana_start + 4,
                    entity: "x".into(),
                    kind: "LOC".into(),
                },
                HtmlMention {
                    start: 0,
                    end: text.len() + 1,
                    entity: "x".into(),
                    kind: "LOC".into(),
                },
            ],
        };
        let data = data_of(&render(&g, &[doc]));
        let utf16 = |s: &str| s.encode_utf16().count();
        let ms = data["documents"][0]["mentions"].as_array().unwrap();
        assert_eq!(ms.len(), 2);
        let ana16 = utf16(&text[..ana_start]);
        assert_eq!(ms[0]["start16"], ana16);
        assert_eq!(ms[0]["end16"], ana16 + utf16("Ana Lúcia"));
        assert_eq!(ms[0]["node"], 0);
        assert_eq!(ms[1]["entity"], "bo");
        let ev = &data["edges"][0]["evidence"][0];
        assert_eq!(ev["doc_start16"], utf16(&text[..ev_start]));
        let ev_text: Vec<u16> = ev["text"].as_str().unwrap().encode_utf16().collect();
        let marked: Vec<String> = ev["marks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let (s, e) = (m["start16"].as_u64().unwrap(), m["end16"].as_u64().unwrap());
                String::from_utf16(&ev_text[s as usize..e as usize]).unwrap()
            })
            .collect();
        assert_eq!(marked, ["Ana Lúcia", "Bo"]);
    }

    #[test]
    fn evidence_without_its_document_is_marked_by_surface_forms() {
        let text = "Anabel and Ana Lúcia saw Bo, then Ana saw Bob.";
        let g = graph(text, 0, text.len());
        let data = data_of(&render(&g, &[]));
        let ev = &data["edges"][0]["evidence"][0];
        assert!(ev.get("doc_start16").is_none());
        let marks: Vec<(u64, u64, u64)> = ev["marks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["start16"].as_u64().unwrap(),
                    m["end16"].as_u64().unwrap(),
                    m["node"].as_u64().unwrap(),
                )
            })
            .collect();
        let at = |s: &str| text[..text.find(s).unwrap()].encode_utf16().count() as u64;
        // Longest form first; "Anabel" and "Bob" are not whole-word matches.
        assert_eq!(
            marks,
            [
                (at("Ana Lúcia"), at("Ana Lúcia") + 9, 0),
                (at("Bo,"), at("Bo,") + 2, 1),
                (at("Ana saw"), at("Ana saw") + 3, 0),
            ]
        );
    }

    #[test]
    fn utf16_index_agrees_with_encode_utf16() {
        let text = "aé𝄞b".repeat(300);
        let index = Utf16Index::new(&text);
        for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(index.get(i), text[..i].encode_utf16().count());
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
