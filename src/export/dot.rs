//! DOT export for Graphviz, and rendering a DOT file to SVG, PNG or PDF.
//!
//! [`to_dot`] turns an [`EntityGraph`] into an undirected DOT graph built with
//! graphviz-rust's AST and printer. The output is deterministic: nodes and edges are written
//! in petgraph index order and every number is printed with a fixed precision, so the same
//! graph always gives the same bytes.
//!
//! Styling: node shape and fill colour follow the entity type (Okabe–Ito palette, safe for
//! colour-blind readers), node size grows with the square root of the mentions, edge pen width
//! and Graphviz `weight` grow with the edge weight, and every node and edge has a tooltip
//! (shown on hover in SVG). A legend (`cluster_legend`) shows one sample node per type present
//! and a line of metadata; its nodes have ids starting with [`LEGEND_ID_PREFIX`] and are never
//! connected to entity nodes.
//!
//! graphviz-rust prints ids verbatim and does not escape anything, so every string written
//! into the DOT text goes through [`escape`] (ids) or a label cleaner plus [`escape`]
//! (displayed text).
//!
//! [`render`] runs the Graphviz `dot` program (through graphviz-rust's `exec_dot`) with the
//! chosen layout engine. Graphviz is an external program: without it only [`to_dot`] works.
//! It lives in [`crate::export::render`] and is re-exported here, where it always was.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use graphviz_rust::dot_structures::{
    Attribute, Edge as DotEdge, EdgeTy, Graph, GraphAttributes, Id, Node as DotNode, NodeId, Stmt,
    Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use petgraph::visit::EdgeRef;

use crate::graph::{EntityGraph, Node};

/// Every legend node id starts with this prefix (followed by the type name, or `meta`), so
/// tools reading the DOT file can tell the legend from the entities. Should an entity id
/// collide with a legend id, the legend id gets `'` appended until it is unique.
pub const LEGEND_ID_PREFIX: &str = "entgraph:legend:";

/// The font used everywhere; a fontconfig list, so the first one installed wins.
const FONT: &str = "Helvetica,Arial,sans-serif";

/// Pen width range for edges, from the weakest to the strongest edge.
const PENWIDTH: (f64, f64) = (0.5, 6.0);
/// Graphviz `weight` range for edges, written as integers: the `dot` layout only takes
/// integer weights (2.43 accepts a fraction without a word, later versions may not).
const GV_WEIGHT: (f64, f64) = (1.0, 10.0);
/// Font size range for nodes, from the least to the most mentioned.
const FONTSIZE: (f64, f64) = (9.0, 24.0);
/// Minimum node width and height (inches) range; labels can make nodes larger still.
const WIDTH: (f64, f64) = (0.5, 1.3);
const HEIGHT: (f64, f64) = (0.3, 0.8);

/// Up to this many edges, edges are routed around nodes (`splines=true`); above it they are
/// simply curved (`splines=curved`).
///
/// Measured with Graphviz 2.43: routing around nodes under sfdp/neato took 0.8 s for 80 edges,
/// 26 s for 300 and over 5 minutes for 4,000, against 0.1–0.9 s with `curved`. (The `dot`
/// layout routes quickly either way.)
pub const SPLINES_TRUE_MAX_EDGES: usize = 50;

fn splines(edges: usize) -> &'static str {
    if edges <= SPLINES_TRUE_MAX_EDGES {
        "true"
    } else {
        "curved"
    }
}

/// Shapes, `style` flags and colours by type: [`super::style::TYPE_STYLES`].
fn type_style(kind: &str) -> DotStyle {
    let s = super::type_style(kind);
    DotStyle {
        shape: s.dot_shape,
        style: s.dot_style,
        fill: s.color,
    }
}

/// How one entity type is drawn in DOT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DotStyle {
    shape: &'static str,
    style: &'static str,
    fill: &'static str,
}

/// Quotes `s` as a DOT string: `"` becomes `\"`, `\` becomes `\\`, a line feed `\n`, a
/// carriage return `\r`, a tab `\t`, and any other control character `\xHH`. Everything else,
/// non-ASCII included, is kept as is (DOT files are UTF-8).
///
/// The result is always one valid quoted string, whatever `s` holds (a trailing backslash
/// cannot swallow the closing quote, a newline cannot hit Graphviz's backslash-newline line
/// continuation, a NUL cannot cut the string), and distinct inputs give distinct node ids
/// once Graphviz has read them, since Graphviz only undoes `\"`.
///
/// In labels and tooltips Graphviz gives backslash sequences a meaning: `\\` is a backslash,
/// `\n` (and `\r`) a line break, so a literal backslash stays a backslash; `\t` or `\xHH`
/// would show as `t` or `xHH`, which is why displayed text is cleaned first (tabs become
/// spaces, other control characters U+FFFD, `&` becomes `&amp;`).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Cleans text meant to be displayed (labels, tooltips) before [`escape`]: line breaks
/// (`\r\n`, `\r`, `\n`) become one `\n`, tabs become spaces, other control characters and
/// the XML non-characters U+FFFE/U+FFFF become U+FFFD (they would make the SVG invalid XML),
/// and `&` becomes `&amp;`, because Graphviz decodes HTML entities in labels and a name
/// such as `AT&amp;T` must not turn into `AT&T`.
fn display_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `x` with `decimals` digits after the point, never `-0.00`.
fn fixed(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A quoted id or attribute value taken verbatim.
fn quoted(s: &str) -> Id {
    Id::Escaped(escape(s))
}

/// A quoted label or tooltip.
fn text(s: &str) -> Id {
    Id::Escaped(escape(&display_text(s)))
}

fn attr(key: &str, value: Id) -> Attribute {
    Attribute(Id::Plain(key.to_string()), value)
}

fn plain(s: &str) -> Id {
    Id::Plain(s.to_string())
}

fn num(x: f64, decimals: usize) -> Id {
    Id::Plain(fixed(x, decimals))
}

fn node_id(id: &str) -> NodeId {
    NodeId(quoted(id), None)
}

/// Linear map of `t` in [0, 1] onto `range`.
fn lerp(range: (f64, f64), t: f64) -> f64 {
    range.0 + (range.1 - range.0) * t.clamp(0.0, 1.0)
}

/// Maps edge weights onto [0, 1]: the weakest edge to 0, the strongest to 1. Works for
/// negative weights (PMI, NPMI); when all weights are equal every edge maps to 0.5;
/// non-finite weights count as the weakest.
struct WeightScale {
    min: f64,
    max: f64,
}

impl WeightScale {
    fn new(weights: impl Iterator<Item = f64>) -> Self {
        let (min, max) = weights
            .filter(|w| w.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), w| {
                (lo.min(w), hi.max(w))
            });
        WeightScale { min, max }
    }

    fn unit(&self, w: f64) -> f64 {
        if !w.is_finite() || !self.min.is_finite() {
            0.0
        } else if self.max > self.min {
            (w - self.min) / (self.max - self.min)
        } else {
            0.5
        }
    }
}

/// The DOT text of `graph`: an undirected graph named `entgraph`.
///
/// - Node ids are the entity ids, labels the canonical names; shape and fill by type
///   (PERSON orange ellipse, ORG sky-blue rounded box, LOC bluish-green hexagon, NORP
///   reddish-purple octagon, anything else a grey note); font size and minimum size grow with
///   √(mentions / most mentions); the tooltip gives id, type, mentions, documents, PageRank.
/// - Edges: `penwidth` from 0.5 to 6 and integer `weight` from 1 to 10, mapped linearly from
///   the weakest to the strongest edge weight (negative PMI/NPMI included); the tooltip gives
///   count, documents and weight.
/// - Graph attributes keep force-directed layouts (sfdp, neato) readable: no overlaps,
///   edges drawn under the nodes, components packed; edges are routed around nodes
///   (`splines=true`) in graphs of up to [`SPLINES_TRUE_MAX_EDGES`] edges and simply curved
///   in larger ones, where routing takes Graphviz minutes.
/// - A `cluster_legend` subgraph holds one sample node per entity type present and a
///   metadata node (window, weighting, documents, size); legend ids start with
///   [`LEGEND_ID_PREFIX`] and legend nodes are linked only to each other, by invisible edges
///   that keep them together in layouts which ignore clusters.
///
/// Same graph, same bytes.
pub fn to_dot(graph: &EntityGraph) -> String {
    let g = &graph.graph;
    let mut stmts: Vec<Stmt> = Vec::new();

    stmts.push(Stmt::GAttribute(GraphAttributes::Graph(vec![
        attr("bgcolor", quoted("white")),
        attr("fontname", quoted(FONT)),
        attr("fontsize", plain("11")),
        // Force-directed layouts: remove node overlaps (prism when available), draw edges
        // first so they never hide labels, and curve edges (see `splines`).
        attr("overlap", plain("false")),
        attr("splines", plain(splines(g.edge_count()))),
        attr("outputorder", plain("edgesfirst")),
        attr("sep", quoted("+6")),
        // Lay out connected components (and the legend) separately, then pack them.
        attr("pack", plain("true")),
        attr("pad", plain("0.3")),
    ])));
    stmts.push(Stmt::GAttribute(GraphAttributes::Node(vec![
        attr("style", quoted("filled")),
        attr("fontname", quoted(FONT)),
        attr("fontcolor", quoted("black")),
        attr("color", quoted("#333333")),
        attr("penwidth", plain("0.8")),
        attr("margin", quoted("0.08,0.04")),
    ])));
    stmts.push(Stmt::GAttribute(GraphAttributes::Edge(vec![
        attr("color", quoted("#55555599")),
        attr("fontname", quoted(FONT)),
    ])));

    let max_mentions = g.node_weights().map(|n| n.mentions).max().unwrap_or(0);
    for n in g.node_weights() {
        stmts.push(Stmt::Node(entity_node(n, max_mentions)));
    }

    let scale = WeightScale::new(g.edge_weights().map(|e| e.weight));
    for e in g.edge_references() {
        let (a, b, w) = (&g[e.source()], &g[e.target()], e.weight());
        let t = scale.unit(w.weight);
        let tooltip = format!(
            "{} — {}\ncount: {} windows\ndocuments: {}\nweight ({}): {}",
            a.label,
            b.label,
            w.count,
            w.documents,
            graph.meta.weight,
            fixed(w.weight, 4)
        );
        stmts.push(Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(Vertex::N(node_id(&a.id)), Vertex::N(node_id(&b.id))),
            attributes: vec![
                attr("penwidth", num(lerp(PENWIDTH, t), 2)),
                attr("weight", num(lerp(GV_WEIGHT, t).round(), 0)),
                attr("tooltip", text(&tooltip)),
            ],
        }));
    }

    stmts.push(Stmt::Subgraph(legend(graph)));

    let dot = Graph::Graph {
        id: quoted("entgraph"),
        strict: false,
        stmts,
    };
    // A fresh context each time: printing mutates it (indentation).
    let mut out = dot.print(&mut PrinterContext::default());
    out.push('\n');
    out
}

fn entity_node(n: &Node, max_mentions: u64) -> DotNode {
    let style = type_style(&n.kind);
    let s = if max_mentions == 0 {
        0.0
    } else {
        (n.mentions as f64 / max_mentions as f64).sqrt()
    };
    let mut tooltip = format!(
        "{}\nid: {}\ntype: {}\nmentions: {}\ndocuments: {}\nPageRank: {}",
        n.label,
        n.id,
        n.kind,
        n.mentions,
        n.documents,
        fixed(n.pagerank, 4)
    );
    let mut attributes = vec![
        attr("label", text(&n.label)),
        attr("shape", plain(style.shape)),
    ];
    match &n.provisional {
        None => attributes.push(attr("style", quoted(style.style))),
        Some(cue) => {
            let _ = write!(tooltip, "\nprovisional (found by discovery, cue {cue})");
            attributes.push(attr(
                "style",
                quoted(&format!("{},{PROVISIONAL_STYLE}", style.style)),
            ));
            attributes.push(attr("penwidth", plain(PROVISIONAL_PENWIDTH)));
        }
    }
    attributes.extend([
        attr("fillcolor", quoted(style.fill)),
        attr("fontsize", num(lerp(FONTSIZE, s), 1)),
        attr("width", num(lerp(WIDTH, s), 2)),
        attr("height", num(lerp(HEIGHT, s), 2)),
        attr("tooltip", text(&tooltip)),
    ]);
    DotNode::new(node_id(&n.id), attributes)
}

/// The `style` flag added to a provisional entity's own (`filled,dashed`): a dashed outline.
pub const PROVISIONAL_STYLE: &str = "dashed";
/// A provisional node's outline is drawn thicker than the default 0.8, so the dashes show.
const PROVISIONAL_PENWIDTH: &str = "1.6";

/// The legend cluster: a sample node per type present, then the metadata, chained by
/// invisible edges.
fn legend(graph: &EntityGraph) -> Subgraph {
    let g = &graph.graph;
    let present: BTreeSet<&str> = g.node_weights().map(|n| n.kind.as_str()).collect();
    // Types with a style of their own in table order, then the others alphabetically.
    let known = || super::TYPE_STYLES.iter().map(|s| s.kind);
    let mut kinds: Vec<&str> = known().filter(|k| present.contains(k)).collect();
    kinds.extend(present.iter().filter(|k| !known().any(|x| x == **k)));

    let taken: BTreeSet<&str> = g.node_weights().map(|n| n.id.as_str()).collect();
    let legend_id = |suffix: &str| {
        let mut id = format!("{LEGEND_ID_PREFIX}{suffix}");
        while taken.contains(id.as_str()) {
            id.push('\'');
        }
        id
    };

    let mut stmts = vec![Stmt::GAttribute(GraphAttributes::Graph(vec![
        attr("label", text("Legend")),
        attr("labeljust", plain("l")),
        attr("fontsize", plain("12")),
        attr("style", quoted("rounded,filled")),
        attr("fillcolor", quoted("#F7F7F7")),
        attr("color", quoted("#BBBBBB")),
        attr("margin", plain("10")),
    ]))];
    let mut ids = Vec::new();
    for kind in kinds {
        let style = type_style(kind);
        let id = legend_id(kind);
        let count = g.node_weights().filter(|n| n.kind == kind).count();
        stmts.push(Stmt::Node(DotNode::new(
            node_id(&id),
            vec![
                attr("label", text(kind)),
                attr("shape", plain(style.shape)),
                attr("style", quoted(style.style)),
                attr("fillcolor", quoted(style.fill)),
                attr("fontsize", plain("10")),
                attr("width", plain("0.6")),
                attr("height", plain("0.3")),
                attr(
                    "tooltip",
                    text(&format!(
                        "{kind}: {count} node{}",
                        if count == 1 { "" } else { "s" }
                    )),
                ),
            ],
        )));
        ids.push(id);
    }
    let provisional = g.node_weights().filter(|n| n.provisional.is_some()).count();
    if provisional > 0 {
        let id = legend_id("provisional");
        stmts.push(Stmt::Node(DotNode::new(
            node_id(&id),
            vec![
                attr("label", text("provisional")),
                attr("shape", plain("ellipse")),
                attr("style", quoted(PROVISIONAL_STYLE)),
                attr("penwidth", plain(PROVISIONAL_PENWIDTH)),
                attr("fontsize", plain("10")),
                attr("width", plain("0.6")),
                attr("height", plain("0.3")),
                attr(
                    "tooltip",
                    text(&format!(
                        "dashed outline: a provisional entity, found by discovery and not in the \
                         gazetteer ({provisional} node{})",
                        if provisional == 1 { "" } else { "s" }
                    )),
                ),
            ],
        )));
        ids.push(id);
    }
    let m = &graph.meta;
    let meta = format!(
        "window: {}\nweight: {}\ndocuments: {}\nnodes: {}, edges: {}",
        m.window,
        m.weight,
        m.documents,
        g.node_count(),
        g.edge_count()
    );
    let meta_id = legend_id("meta");
    stmts.push(Stmt::Node(DotNode::new(
        node_id(&meta_id),
        vec![
            attr("label", text(&meta)),
            attr("shape", plain("plaintext")),
            attr("style", quoted("")),
            attr("fontsize", plain("9")),
            attr("tooltip", text(&format!("{} {}", m.generator, m.version))),
        ],
    )));
    ids.push(meta_id);
    for pair in ids.windows(2) {
        stmts.push(Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(Vertex::N(node_id(&pair[0])), Vertex::N(node_id(&pair[1]))),
            attributes: vec![attr("style", plain("invis"))],
        }));
    }
    Subgraph {
        id: plain("cluster_legend"),
        stmts,
    }
}

pub use super::render::{Layout, RenderError, RenderFormat, render};

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use petgraph::graph::UnGraph;

    use super::*;
    use crate::gazetteer::EntityId;
    use crate::graph::{Edge, Filters, GraphMeta};

    fn node(id: &str, label: &str, kind: &str, mentions: u64) -> Node {
        Node {
            entity: EntityId(0),
            id: id.into(),
            label: label.into(),
            kind: kind.into(),
            provisional: None,
            mentions,
            documents: 1,
            windows: mentions,
            aliases: BTreeMap::new(),
            attributes: BTreeMap::new(),
            degree: 0,
            weighted_degree: 0.0,
            pagerank: 0.25,
            component: 0,
            betweenness: 0.0,
        }
    }

    fn edge(count: u64, weight: f64) -> Edge {
        Edge {
            count,
            documents: 1,
            weight,
            evidence: Vec::new(),
        }
    }

    fn meta() -> GraphMeta {
        GraphMeta {
            generator: "entgraph".into(),
            version: "0.1.0".into(),
            window: "sentence".into(),
            weight: "npmi".into(),
            documents: 3,
            bytes: 100,
            windows: 10,
            mentions: 20,
            filters: Filters::default(),
            entities_seen: 4,
            pairs_seen: 3,
            betweenness_pivots: None,
        }
    }

    fn small() -> EntityGraph {
        let mut g = UnGraph::new_undirected();
        let a = g.add_node(node("lee", "Mr. \"Lee\"", "PERSON", 16));
        let b = g.add_node(node("acme", "Acme\\Corp", "ORG", 4));
        let c = g.add_node(node("beijing", "北京", "LOC", 1));
        let d = g.add_node(node("thing", "Thing", "MISC", 1));
        g.add_edge(a, b, edge(5, 0.8));
        g.add_edge(a, c, edge(1, -0.2));
        g.add_edge(b, d, edge(2, 0.3));
        EntityGraph {
            graph: g,
            meta: meta(),
        }
    }

    #[test]
    fn escape_table() {
        let table: &[(&str, &str)] = &[
            ("", r#""""#),
            ("plain", r#""plain""#),
            (" ", r#"" ""#),
            (r#"say "hi""#, r#""say \"hi\"""#),
            (r"back\slash", r#""back\\slash""#),
            (r"trailing\", r#""trailing\\""#),
            (r#"\""#, r#""\\\"""#),
            (r"\N \n \l", r#""\\N \\n \\l""#),
            ("two\nlines", r#""two\nlines""#),
            ("crlf\r\nend", r#""crlf\r\nend""#),
            ("tab\there", r#""tab\there""#),
            (
                "nul\0bell\u{7}del\u{7f}nel\u{85}",
                r#""nul\x00bell\x07del\x7Fnel\x85""#,
            ),
            ("<b>{x}|y;--z</b>", r#""<b>{x}|y;--z</b>""#),
            ("a & b &amp;", r#""a & b &amp;""#),
            ("北京", "\"北京\""),
            ("Nicolás", "\"Nicolás\""),
            ("e\u{301} \u{2028}", "\"e\u{301} \u{2028}\""),
        ];
        for (input, want) in table {
            assert_eq!(&escape(input), want, "escape({input:?})");
        }
    }

    #[test]
    fn escape_is_injective_on_tricky_ids() {
        let ids = [
            "a\\", "a\\\\", "a\"", "a\\\"", "a\n", "a\\n", "a\r", "a\\r", "a\t", "a\\t", "a\u{1}",
            "a\\x01", "a", "a ", "",
        ];
        let escaped: BTreeSet<String> = ids.iter().map(|s| escape(s)).collect();
        assert_eq!(escaped.len(), ids.len());
    }

    #[test]
    fn display_text_cleans_what_graphviz_would_interpret() {
        assert_eq!(display_text("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(display_text("tab\tx"), "tab x");
        assert_eq!(display_text("AT&amp;T"), "AT&amp;amp;T");
        assert_eq!(display_text("bell\u{7}\u{FFFF}"), "bell\u{FFFD}\u{FFFD}");
        assert_eq!(display_text("北京 Nicolás \\N"), "北京 Nicolás \\N");
        assert_eq!(escape(&display_text("x\\\r\n")), r#""x\\\n""#);
    }

    #[test]
    fn fixed_never_prints_negative_zero() {
        assert_eq!(fixed(-0.0, 2), "0.00");
        assert_eq!(fixed(-0.00001, 4), "0.0000");
        assert_eq!(fixed(-0.25, 2), "-0.25");
        assert_eq!(fixed(1.0 / 3.0, 4), "0.3333");
    }

    #[test]
    fn weight_scale_handles_negative_equal_and_odd_weights() {
        let s = WeightScale::new([-0.5, 0.0, 1.5].into_iter());
        assert_eq!(s.unit(-0.5), 0.0);
        assert_eq!(s.unit(1.5), 1.0);
        assert!((s.unit(0.0) - 0.25).abs() < 1e-12);
        assert_eq!(s.unit(f64::NAN), 0.0);
        let same = WeightScale::new([2.0, 2.0].into_iter());
        assert_eq!(same.unit(2.0), 0.5);
        let none = WeightScale::new(std::iter::empty());
        assert_eq!(none.unit(1.0), 0.0);
        let with_inf = WeightScale::new([f64::NEG_INFINITY, 1.0, 3.0].into_iter());
        assert_eq!(with_inf.unit(1.0), 0.0);
        assert_eq!(with_inf.unit(f64::NEG_INFINITY), 0.0);
    }

    #[test]
    fn to_dot_is_deterministic() {
        let g = small();
        let first = to_dot(&g);
        assert_eq!(first, to_dot(&g));
        assert_eq!(first, to_dot(&g.clone()));
        assert!(first.starts_with("graph \"entgraph\" {\n"), "{first}");
        assert!(first.ends_with("}\n"));
    }

    #[test]
    fn to_dot_styles_nodes_and_edges() {
        let dot = to_dot(&small());
        // Graph attributes for force-directed layouts.
        for want in [
            "overlap=false",
            "splines=true",
            "outputorder=edgesfirst",
            "fontname=\"Helvetica,Arial,sans-serif\"",
            "bgcolor=\"white\"",
        ] {
            assert!(dot.contains(want), "missing {want}:\n{dot}");
        }
        // Ids are entity ids; labels are names, escaped.
        let line = |id: &str| {
            dot.lines()
                .find(|l| l.trim_start().starts_with(&format!("\"{id}\"[")))
                .unwrap_or_else(|| panic!("no node {id}:\n{dot}"))
                .to_string()
        };
        let lee = line("lee");
        assert!(lee.contains(r#"label="Mr. \"Lee\"""#), "{lee}");
        assert!(lee.contains("shape=ellipse"));
        assert!(lee.contains("fillcolor=\"#E69F00\""));
        assert!(
            lee.contains("fontsize=24.0"),
            "most mentioned: largest font"
        );
        assert!(lee.contains(r"mentions: 16\ndocuments: 1\nPageRank: 0.2500"));
        let acme = line("acme");
        assert!(acme.contains(r#"label="Acme\\Corp""#), "{acme}");
        assert!(acme.contains("shape=box") && acme.contains("filled,rounded"));
        assert!(acme.contains("fontsize=16.5"), "sqrt(4/16) = 0.5: {acme}");
        assert!(line("beijing").contains("label=\"北京\" shape=hexagon"));
        let thing = line("thing");
        assert!(
            thing.contains("shape=note") && thing.contains("#BBBBBB"),
            "{thing}"
        );
        // Edges: strongest widest, weakest (negative) thinnest, integer weights >= 1.
        assert!(
            dot.contains(r#""lee" -- "acme" [penwidth=6.00 weight=10 "#),
            "{dot}"
        );
        assert!(dot.contains(r#""lee" -- "beijing" [penwidth=0.50 weight=1 "#));
        assert!(dot.contains(r#""acme" -- "thing" [penwidth=3.25 weight=6 "#));
        assert!(dot.contains(r"count: 1 windows\ndocuments: 1\nweight (npmi): -0.2000"));
    }

    #[test]
    fn to_dot_has_a_legend_of_present_types() {
        let dot = to_dot(&small());
        let start = dot.find("subgraph cluster_legend {").expect("legend");
        let legend = &dot[start..];
        let order: Vec<usize> = ["PERSON", "ORG", "LOC", "MISC", "meta"]
            .iter()
            .map(|k| {
                legend
                    .find(&format!("\"{LEGEND_ID_PREFIX}{k}\"["))
                    .unwrap_or_else(|| panic!("no legend node {k}:\n{legend}"))
            })
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        assert!(!legend.contains("NORP"), "absent types have no sample");
        assert!(legend.contains(r#"label="window: sentence\nweight: npmi\ndocuments: 3"#));
        // Legend nodes only link to each other, invisibly.
        for l in dot.lines().filter(|l| l.contains(" -- ")) {
            let legend_ends = l.matches(LEGEND_ID_PREFIX).count();
            assert!(
                legend_ends == 0 || (legend_ends == 2 && l.contains("style=invis")),
                "{l}"
            );
        }
        assert_eq!(dot[..start].matches(LEGEND_ID_PREFIX).count(), 0);
    }

    #[test]
    fn legend_ids_never_collide_with_entity_ids() {
        let mut g = small();
        let taken = format!("{LEGEND_ID_PREFIX}PERSON");
        g.graph[petgraph::graph::NodeIndex::new(0)].id = taken.clone();
        let dot = to_dot(&g);
        assert!(
            dot.contains(&format!("\"{taken}'\"[label=\"PERSON\"")),
            "{dot}"
        );
    }

    #[test]
    fn large_graphs_get_cheap_curved_edges() {
        let mut g = small();
        assert!(to_dot(&g).contains("splines=true"));
        let (a, b) = (
            petgraph::graph::NodeIndex::new(0),
            petgraph::graph::NodeIndex::new(1),
        );
        while g.graph.edge_count() <= SPLINES_TRUE_MAX_EDGES {
            g.graph.add_edge(a, b, edge(1, 1.0));
        }
        let dot = to_dot(&g);
        assert!(dot.contains("splines=curved") && !dot.contains("splines=true"));
    }

    #[test]
    fn empty_graph_still_has_a_legend() {
        let g = EntityGraph {
            graph: UnGraph::new_undirected(),
            meta: meta(),
        };
        let dot = to_dot(&g);
        assert!(dot.contains("subgraph cluster_legend"));
        assert!(dot.contains(r"nodes: 0, edges: 0"));
    }
}
