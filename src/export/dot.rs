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
//! (shown on hover in SVG). The legend is the graph's `label`, an HTML-like table (one row per
//! type present and a line of metadata), so the DOT holds exactly the graph's nodes and edges.
//! Attributes are chosen by size ([`SPLINES_TRUE_MAX_EDGES`], [`SPLINES_CURVED_MAX_EDGES`],
//! [`LABELLED_NODES`]) so that sfdp renders a corpus-sized graph in seconds.
//!
//! graphviz-rust prints ids verbatim and does not escape anything, so every string written
//! into the DOT text goes through [`escape`] (ids) or a label cleaner plus [`escape`]
//! (displayed text), and the legend's text through [`html_escape`].
//!
//! [`render`] runs the Graphviz `dot` program (through graphviz-rust's `exec_dot`) with the
//! chosen layout engine. Graphviz is an external program: without it only [`to_dot`] works.
//! It lives in [`crate::export::render`] and is re-exported here, where it always was.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use graphviz_rust::dot_structures::{
    Attribute, Edge as DotEdge, EdgeTy, Graph, GraphAttributes, Id, Node as DotNode, NodeId, Stmt,
    Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::HTML_ENTITIES;
use crate::graph::{EntityGraph, Node};

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

/// Up to this many edges, edges are routed around nodes (`splines=true`).
///
/// Measured with Graphviz 2.43: routing around nodes under sfdp/neato took 0.8 s for 80 edges,
/// 26 s for 300 and over 5 minutes for 4,000. (The `dot` layout routes quickly either way.)
pub const SPLINES_TRUE_MAX_EDGES: usize = 50;

/// Up to this many edges (and above [`SPLINES_TRUE_MAX_EDGES`]) edges are curved
/// (`splines=curved`); above it they are straight lines (`splines=line`), and the graph is
/// "large": see [`LABELLED_NODES`].
///
/// Measured with sfdp (Graphviz 2.43, 2 cores) on pruned BBC graphs: see
/// `benches/render_bbc.sh` and the README's "Pictures of a whole corpus".
pub const SPLINES_CURVED_MAX_EDGES: usize = 600;

/// In a large graph (more than [`SPLINES_CURVED_MAX_EDGES`] edges, or more nodes than this),
/// only this many nodes, the highest by PageRank (ties by node order), get a label; the
/// others are drawn as small unlabelled shapes in their type's colour, with the name in the
/// tooltip. Thousands of labels only make an unreadable, slow picture.
pub const LABELLED_NODES: usize = 150;

/// A graph with more nodes than this is too large for a readable picture (`build` and
/// `render` warn and suggest `--picture`).
pub const READABLE_MAX_NODES: usize = 300;
/// A graph with more edges than this is too large for a readable picture.
pub const READABLE_MAX_EDGES: usize = 1_500;

/// Whether a graph of `nodes` nodes and `edges` edges is too large for a readable picture
/// (more than [`READABLE_MAX_NODES`] nodes or [`READABLE_MAX_EDGES`] edges).
pub fn too_large_for_picture(nodes: usize, edges: usize) -> bool {
    nodes > READABLE_MAX_NODES || edges > READABLE_MAX_EDGES
}

/// How edges are drawn for a graph of `edges` edges.
fn splines(edges: usize) -> &'static str {
    if edges <= SPLINES_TRUE_MAX_EDGES {
        "true"
    } else if edges <= SPLINES_CURVED_MAX_EDGES {
        "curved"
    } else {
        "line"
    }
}

/// Whether a graph of this size is drawn as a "large" graph (straight lines, labels only on
/// the [`LABELLED_NODES`] highest-ranked nodes).
fn is_large(nodes: usize, edges: usize) -> bool {
    edges > SPLINES_CURVED_MAX_EDGES || nodes > LABELLED_NODES
}

/// What decides a node's fill colour in [`to_dot_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorBy {
    /// The entity type ([`super::style::TYPE_STYLES`]); the legend lists the types.
    #[default]
    Type,
    /// The node's [`Node::community`] ([`super::style::community_color`]: 9 colours, cycling
    /// for the smaller communities); shapes still show the type. The legend lists the largest
    /// communities.
    Community,
}

impl ColorBy {
    /// Every choice, in the order the command line lists them.
    pub const ALL: [ColorBy; 2] = [ColorBy::Type, ColorBy::Community];

    /// The command-line name (`type`, `community`).
    pub fn as_str(self) -> &'static str {
        match self {
            ColorBy::Type => "type",
            ColorBy::Community => "community",
        }
    }
}

/// Options of [`to_dot_with`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DotOptions {
    /// What colours the nodes.
    pub color_by: ColorBy,
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
    // Most names and tooltips need no escape: copy them whole.
    if !s.chars().any(|c| matches!(c, '"' | '\\') || c.is_control()) {
        out.push_str(s);
        out.push('"');
        return out;
    }
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
    if !s
        .chars()
        .any(|c| matches!(c, '&' | '\u{FFFE}' | '\u{FFFF}') || c.is_control())
    {
        return s.to_string();
    }
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

/// The DOT text of `graph` with the default [`DotOptions`] (colour by type). See
/// [`to_dot_with`].
pub fn to_dot(graph: &EntityGraph) -> String {
    to_dot_with(graph, &DotOptions::default())
}

/// The DOT text of `graph`: an undirected graph named `entgraph` whose nodes and edges are
/// exactly the graph's (a DOT reader such as Graphviz's `gc -n -e` counts the same numbers).
///
/// - Node ids are the entity ids, labels the canonical names; shape and fill by type
///   (PERSON orange ellipse, ORG sky-blue rounded box, LOC bluish-green hexagon, NORP
///   reddish-purple octagon, anything else a grey note); font size and minimum size grow with
///   √(mentions / most mentions); the tooltip gives id, type, mentions, documents, PageRank.
///   In a large graph (more than [`SPLINES_CURVED_MAX_EDGES`] edges or [`LABELLED_NODES`]
///   nodes) only the [`LABELLED_NODES`] highest by PageRank have a label; the others are small
///   unlabelled shapes (name in the tooltip).
/// - Edges: `penwidth` from 0.5 to 6 and integer `weight` from 1 to 10, mapped linearly from
///   the weakest to the strongest edge weight (negative PMI/NPMI included); the tooltip gives
///   count, documents and weight.
/// - Graph attributes keep force-directed layouts (sfdp, neato) readable and fast: no
///   overlaps, edges drawn under the nodes, components packed; edges are routed around nodes
///   (`splines=true`) up to [`SPLINES_TRUE_MAX_EDGES`] edges, curved up to
///   [`SPLINES_CURVED_MAX_EDGES`], straight lines above, where anything else takes Graphviz
///   minutes.
/// - The legend is the graph's own `label`, an HTML-like table drawn under the picture by
///   every layout engine (a framed title, one row per type present with its colour and
///   count, a row for provisional entities if any, and the window, weighting and size); it
///   adds no node and no edge.
///
/// Same graph and options, same bytes.
pub fn to_dot_with(graph: &EntityGraph, options: &DotOptions) -> String {
    let g = &graph.graph;
    let large = is_large(g.node_count(), g.edge_count());
    let stmts = header_statements(graph, options, large);
    let statements = Statements::new(graph, options, large);
    // Statements are made and printed in chunks on all threads, each chunk as the body of
    // a graph of its own: graphviz-rust prints a graph's statements one after the other,
    // each the same way whatever its neighbours, so the joined bodies are the bytes one
    // graph of all statements would print (tests compare both).
    use rayon::prelude::*;
    let nodes: Vec<usize> = (0..g.node_count()).collect();
    let edges: Vec<petgraph::graph::EdgeIndex> = g.edge_indices().collect();
    let node_bodies: Vec<String> = nodes
        .par_chunks(PRINT_CHUNK)
        .map(|chunk| statements_body(chunk.iter().map(|&i| statements.node(i)).collect()))
        .collect();
    let edge_bodies: Vec<String> = edges
        .par_chunks(PRINT_CHUNK)
        .map(|chunk| statements_body(chunk.iter().map(|&e| statements.edge(e)).collect()))
        .collect();
    let (head, line, foot) = graph_frame();
    let mut out = String::with_capacity(
        head.len()
            + node_bodies
                .iter()
                .chain(&edge_bodies)
                .map(|b| b.len() + 1)
                .sum::<usize>()
            + 4096,
    );
    out.push_str(&head);
    out.push_str(&statements_body(stmts));
    for body in node_bodies.iter().chain(&edge_bodies) {
        out.push_str(&line);
        out.push_str(body);
    }
    out.push_str(&foot);
    out.push('\n');
    out
}

/// The node and edge statements of a graph's DOT, one at a time (see [`to_dot_with`]).
struct Statements<'a> {
    graph: &'a EntityGraph,
    options: &'a DotOptions,
    max_mentions: u64,
    labelled: Vec<bool>,
    scale: WeightScale,
}

impl<'a> Statements<'a> {
    fn new(graph: &'a EntityGraph, options: &'a DotOptions, large: bool) -> Self {
        let g = &graph.graph;
        Statements {
            graph,
            options,
            max_mentions: g.node_weights().map(|n| n.mentions).max().unwrap_or(0),
            labelled: labelled_nodes(graph, large),
            scale: WeightScale::new(g.edge_weights().map(|e| e.weight)),
        }
    }

    /// Node `i`'s statement.
    fn node(&self, i: usize) -> Stmt {
        let n = &self.graph.graph[petgraph::graph::NodeIndex::new(i)];
        Stmt::Node(entity_node(
            n,
            self.max_mentions,
            self.labelled[i],
            self.options,
        ))
    }

    /// Edge `e`'s statement.
    fn edge(&self, e: petgraph::graph::EdgeIndex) -> Stmt {
        let g = &self.graph.graph;
        let (s, t) = g.edge_endpoints(e).expect("an edge of the graph");
        let (a, b, w) = (&g[s], &g[t], &g[e]);
        let t = self.scale.unit(w.weight);
        let tooltip = format!(
            "{} — {}\ncount: {} windows\ndocuments: {}\nweight ({}): {}",
            a.label,
            b.label,
            w.count,
            w.documents,
            self.graph.meta.weight,
            fixed(w.weight, 4)
        );
        Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(Vertex::N(node_id(&a.id)), Vertex::N(node_id(&b.id))),
            attributes: vec![
                attr("penwidth", num(lerp(PENWIDTH, t), 2)),
                attr("weight", num(lerp(GV_WEIGHT, t).round(), 0)),
                attr("tooltip", text(&tooltip)),
            ],
        })
    }
}

/// The graph, node and edge attribute statements that open the DOT (the legend included).
fn header_statements(graph: &EntityGraph, options: &DotOptions, large: bool) -> Vec<Stmt> {
    let g = &graph.graph;
    let mut stmts: Vec<Stmt> = Vec::new();

    stmts.push(Stmt::GAttribute(GraphAttributes::Graph(vec![
        attr("bgcolor", quoted("white")),
        attr("fontname", quoted(FONT)),
        attr("fontsize", plain("11")),
        // Force-directed layouts: remove node overlaps (prism when available), draw edges
        // first so they never hide labels, and route edges by size (see `splines`).
        attr("overlap", plain("false")),
        attr("splines", plain(splines(g.edge_count()))),
        attr("outputorder", plain("edgesfirst")),
        attr("sep", quoted("+6")),
        // Lay out connected components separately, then pack them.
        attr("pack", plain("true")),
        attr("pad", plain("0.3")),
        // The legend: under the picture, left-aligned.
        attr("labelloc", plain("b")),
        attr("labeljust", plain("l")),
        attr("label", Id::Html(legend(graph, options))),
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
        attr(
            "color",
            quoted(if large { "#55555566" } else { "#55555599" }),
        ),
        attr("fontname", quoted(FONT)),
    ])));

    stmts
}

/// Statements printed per task by [`to_dot_with`].
const PRINT_CHUNK: usize = 1024;

/// What graphviz-rust prints around the statements of graph `entgraph`: the text before
/// them, the separator between two, and the text after them.
fn graph_frame() -> (String, String, String) {
    let empty = Graph::Graph {
        id: quoted("entgraph"),
        strict: false,
        stmts: Vec::new(),
    }
    .print(&mut PrinterContext::default());
    // `graph "entgraph" {` + separator + separator + `}`.
    let open = empty.find('{').expect("a graph opens with a brace") + 1;
    let line = empty[open..empty.len() - 1].to_string();
    let line = line[..line.len() / 2].to_string();
    let head = format!("{}{line}", &empty[..open]);
    let foot = format!("{line}}}");
    (head, line, foot)
}

/// The statements as graphviz-rust prints them inside graph `entgraph` (see [`graph_frame`]).
fn statements_body(stmts: Vec<Stmt>) -> String {
    let printed = Graph::Graph {
        id: quoted("entgraph"),
        strict: false,
        stmts,
    }
    .print(&mut PrinterContext::default());
    let (head, _, foot) = graph_frame();
    printed[head.len()..printed.len() - foot.len()].to_string()
}

/// Which nodes (by index) get a label: all of them, or in a large graph the
/// [`LABELLED_NODES`] highest by PageRank, ties by node order.
fn labelled_nodes(graph: &EntityGraph, large: bool) -> Vec<bool> {
    let g = &graph.graph;
    if !large {
        return vec![true; g.node_count()];
    }
    let mut order: Vec<usize> = (0..g.node_count()).collect();
    let rank = |i: usize| g[petgraph::graph::NodeIndex::new(i)].pagerank;
    order.sort_by(|&a, &b| rank(b).total_cmp(&rank(a)).then(a.cmp(&b)));
    let mut labelled = vec![false; g.node_count()];
    for &i in order.iter().take(LABELLED_NODES) {
        labelled[i] = true;
    }
    labelled
}

fn entity_node(n: &Node, max_mentions: u64, labelled: bool, options: &DotOptions) -> DotNode {
    let style = type_style(&n.kind);
    let fill = match options.color_by {
        ColorBy::Type => style.fill,
        ColorBy::Community => super::style::community_color(n.community),
    };
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
    if options.color_by == ColorBy::Community {
        let _ = write!(tooltip, "\ncommunity: {}", n.community);
    }
    let mut attributes = vec![
        attr("label", if labelled { text(&n.label) } else { quoted("") }),
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
    attributes.push(attr("fillcolor", quoted(fill)));
    if labelled {
        attributes.extend([
            attr("fontsize", num(lerp(FONTSIZE, s), 1)),
            attr("width", num(lerp(WIDTH, s), 2)),
            attr("height", num(lerp(HEIGHT, s), 2)),
        ]);
    } else {
        // An unlabelled node: a small shape, exactly this size.
        attributes.extend([
            attr("width", num(lerp(UNLABELLED, s), 2)),
            attr("height", num(lerp(UNLABELLED, s) * 0.7, 2)),
            attr("fixedsize", plain("true")),
        ]);
    }
    attributes.push(attr("tooltip", text(&tooltip)));
    DotNode::new(node_id(&n.id), attributes)
}

/// Width range (inches) of the unlabelled nodes of a large graph.
const UNLABELLED: (f64, f64) = (0.08, 0.3);

/// The `style` flag added to a provisional entity's own (`filled,dashed`): a dashed outline.
pub const PROVISIONAL_STYLE: &str = "dashed";
/// A provisional node's outline is drawn thicker than the default 0.8, so the dashes show.
const PROVISIONAL_PENWIDTH: &str = "1.6";

/// Escapes text for an HTML-like label: `&`, `<`, `>`, `"` and `'` become entities, line
/// breaks (`\r\n`, `\r`, `\n`) become `<BR ALIGN="LEFT"/>`, tabs spaces, other control
/// characters and U+FFFE/U+FFFF U+FFFD. Graphviz parses the result as XML, so nothing in
/// `s` can open or close an element or end the label.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some((_, entity)) = HTML_ENTITIES.iter().find(|(x, _)| *x == c) {
            out.push_str(entity);
            continue;
        }
        match c {
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<BR ALIGN=\"LEFT\"/>");
            }
            '\t' => out.push(' '),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// One legend row: a swatch cell filled with `fill` (or outlined dashed) and a text cell.
fn legend_row(out: &mut String, swatch: &str, label: &str) {
    let _ = write!(
        out,
        "<TR><TD {swatch} WIDTH=\"18\" HEIGHT=\"12\"></TD><TD ALIGN=\"LEFT\">{}</TD></TR>",
        html_escape(label)
    );
}

/// The legend rows of `--color-by community`: one per colour for the largest communities
/// (each with its size and its node highest by PageRank), then a line for the rest.
fn community_legend(out: &mut String, graph: &EntityGraph) {
    let g = &graph.graph;
    let count = g.node_weights().map(|n| n.community + 1).max().unwrap_or(0);
    let mut sizes = vec![0usize; count];
    // The node highest by PageRank of each community, ties by node order.
    let mut top: Vec<Option<&Node>> = vec![None; count];
    for n in g.node_weights() {
        sizes[n.community] += 1;
        let t = &mut top[n.community];
        if t.is_none_or(|t| n.pagerank > t.pagerank) {
            *t = Some(n);
        }
    }
    let shown = count.min(super::style::COMMUNITY_COLORS.len());
    for c in 0..shown {
        let name = top[c].map_or("", |n| n.label.as_str());
        let more = if sizes[c] > 1 { ", …" } else { "" };
        legend_row(
            out,
            &format!("BGCOLOR=\"{}\"", super::style::community_color(c)),
            &format!("community {c} ({name}{more}): {}", plural(sizes[c], "node")),
        );
    }
    if count > shown {
        let rest: usize = sizes[shown..].iter().sum();
        legend_row(
            out,
            "",
            &format!(
                "{} smaller communit{} ({}): the colours again, in this order",
                count - shown,
                if count - shown == 1 { "y" } else { "ies" },
                plural(rest, "node")
            ),
        );
    }
    let _ = write!(
        out,
        "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><FONT POINT-SIZE=\"9\">modularity: {}</FONT></TD></TR>",
        fixed(graph.meta.modularity, 3)
    );
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The legend, an HTML-like table (with its outer `<` `>`): title, one row per type
/// present (table order, then the others alphabetically), provisional entities, metadata.
fn legend(graph: &EntityGraph, options: &DotOptions) -> String {
    let g = &graph.graph;
    let mut out = String::from(
        "<<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"2\" \
         COLOR=\"#BBBBBB\" BGCOLOR=\"#F7F7F7\" STYLE=\"ROUNDED\">\
         <TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><B>Legend</B></TD></TR>",
    );
    let present: BTreeSet<&str> = g.node_weights().map(|n| n.kind.as_str()).collect();
    // Types with a style of their own in table order, then the others alphabetically.
    let known = || super::TYPE_STYLES.iter().map(|s| s.kind);
    let mut kinds: Vec<&str> = known().filter(|k| present.contains(k)).collect();
    kinds.extend(present.iter().filter(|k| !known().any(|x| x == **k)));
    match options.color_by {
        ColorBy::Type => {
            for kind in kinds {
                let style = type_style(kind);
                let count = g.node_weights().filter(|n| n.kind == kind).count();
                legend_row(
                    &mut out,
                    &format!("BGCOLOR=\"{}\"", style.fill),
                    &format!("{kind} ({}): {}", style.shape, plural(count, "node")),
                );
            }
        }
        ColorBy::Community => {
            community_legend(&mut out, graph);
            let shapes: Vec<String> = kinds
                .iter()
                .map(|k| format!("{k} {}", type_style(k).shape))
                .collect();
            legend_row(&mut out, "", &format!("shapes: {}", shapes.join(", ")));
        }
    }
    let provisional = g.node_weights().filter(|n| n.provisional.is_some()).count();
    if provisional > 0 {
        legend_row(
            &mut out,
            "BORDER=\"1\" STYLE=\"DASHED\" SIDES=\"LTRB\"",
            &format!(
                "dashed outline: provisional, found by discovery, not in the gazetteer ({})",
                plural(provisional, "node")
            ),
        );
    }
    let m = &graph.meta;
    let mut meta = format!(
        "window: {}\nweight: {}\ndocuments: {}\nnodes: {}, edges: {}",
        m.window,
        m.weight,
        m.documents,
        g.node_count(),
        g.edge_count()
    );
    if is_large(g.node_count(), g.edge_count()) && g.node_count() > LABELLED_NODES {
        let _ = write!(
            meta,
            "\nlabels: the {LABELLED_NODES} nodes highest by PageRank"
        );
    }
    let _ = write!(
        out,
        "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\" BALIGN=\"LEFT\"><FONT POINT-SIZE=\"9\">{}</FONT></TD></TR>\
         </TABLE>>",
        html_escape(&meta)
    );
    out
}

pub use super::render::{
    DEFAULT_TIMEOUT, Layout, RenderError, RenderFormat, dot_size, render, render_within,
};

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
            community: 0,
            betweenness: 0.0,
            time: Default::default(),
        }
    }

    fn edge(count: u64, weight: f64) -> Edge {
        Edge {
            count,
            documents: 1,
            weight,
            evidence: Vec::new(),
            time: Default::default(),
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
            capped_windows: None,
            max_window_entities: None,
            modularity: 0.0,
            betweenness_pivots: None,
            time: None,
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

    /// The chunked, parallel printing gives the bytes of one graph of all statements
    /// printed at once, across chunk boundaries.
    #[test]
    fn chunked_printing_is_one_graph_printed() {
        let mut g = UnGraph::new_undirected();
        let n = 2 * PRINT_CHUNK + 7;
        let ids: Vec<_> = (0..n)
            .map(|i| {
                let kind = ["PERSON", "ORG", "LOC", "MISC"][i % 4];
                g.add_node(node(
                    &format!("e{i}"),
                    &format!("E \"{i}\""),
                    kind,
                    1 + i as u64 % 9,
                ))
            })
            .collect();
        for i in 0..n {
            g.add_edge(
                ids[i],
                ids[(i * 7 + 1) % n],
                edge(1 + i as u64 % 5, i as f64 / 3.0),
            );
            g.add_edge(ids[i], ids[(i * 13 + 5) % n], edge(2, 0.5));
        }
        let graph = EntityGraph {
            graph: g,
            meta: meta(),
        };
        let options = DotOptions::default();
        let large = is_large(graph.graph.node_count(), graph.graph.edge_count());
        let statements = Statements::new(&graph, &options, large);
        let mut stmts = header_statements(&graph, &options, large);
        stmts.extend((0..n).map(|i| statements.node(i)));
        stmts.extend(graph.graph.edge_indices().map(|e| statements.edge(e)));
        let mut whole = Graph::Graph {
            id: quoted("entgraph"),
            strict: false,
            stmts,
        }
        .print(&mut PrinterContext::default());
        whole.push('\n');
        assert_eq!(to_dot_with(&graph, &options), whole);
        let empty = EntityGraph {
            graph: UnGraph::new_undirected(),
            meta: meta(),
        };
        let mut whole = Graph::Graph {
            id: quoted("entgraph"),
            strict: false,
            stmts: header_statements(&empty, &options, false),
        }
        .print(&mut PrinterContext::default());
        whole.push('\n');
        assert_eq!(to_dot_with(&empty, &options), whole);
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

    /// The legend: the graph label's HTML table.
    fn legend_of(dot: &str) -> &str {
        let start = dot.find("label=<<TABLE").expect("legend");
        let end = dot[start..].find("</TABLE>>").expect("legend end") + start;
        &dot[start..end]
    }

    #[test]
    fn to_dot_has_a_legend_of_present_types_outside_the_node_set() {
        let dot = to_dot(&small());
        let legend = legend_of(&dot);
        let order: Vec<usize> = [
            "<B>Legend</B>",
            "PERSON (",
            "ORG (",
            "LOC (",
            "MISC (",
            "window:",
        ]
        .iter()
        .map(|k| {
            legend
                .find(k)
                .unwrap_or_else(|| panic!("no legend row {k}:\n{legend}"))
        })
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        assert!(legend.contains("BGCOLOR=\"#E69F00\""), "{legend}");
        assert!(legend.contains("PERSON (ellipse): 1 node<"), "{legend}");
        assert!(!legend.contains("NORP"), "absent types have no row");
        assert!(!legend.contains("provisional"), "no provisional entity");
        assert!(legend.contains("window: sentence<BR ALIGN=\"LEFT\"/>weight: npmi"));
        // Only the four entities and three edges: no legend node, no subgraph.
        assert_eq!(dot.lines().filter(|l| l.contains("\"[label=")).count(), 4);
        assert_eq!(dot.matches(" -- ").count(), 3);
        assert!(!dot.contains("subgraph"), "{dot}");
    }

    #[test]
    fn html_escape_leaves_no_markup_from_the_text() {
        let table: &[(&str, &str)] = &[
            ("plain", "plain"),
            (
                "</TD></TR></TABLE>>",
                "&lt;/TD&gt;&lt;/TR&gt;&lt;/TABLE&gt;&gt;",
            ),
            ("AT&T &amp;", "AT&amp;T &amp;amp;"),
            ("\"q\" 'a'", "&quot;q&quot; &#39;a&#39;"),
            ("a\r\nb\nc", "a<BR ALIGN=\"LEFT\"/>b<BR ALIGN=\"LEFT\"/>c"),
            ("tab\tnul\0\u{FFFF}", "tab nul\u{FFFD}\u{FFFD}"),
            ("北京 \\ Nicolás", "北京 \\ Nicolás"),
        ];
        for (input, want) in table {
            assert_eq!(&html_escape(input), want, "html_escape({input:?})");
        }
        // A hostile type and window name reach the legend escaped.
        let mut g = small();
        g.graph[petgraph::graph::NodeIndex::new(3)].kind = "<I>X</I>&\"".into();
        g.meta.window = "</TABLE>>; a -- b".into();
        let dot = to_dot(&g);
        let legend = legend_of(&dot);
        assert!(
            legend.contains("&lt;I&gt;X&lt;/I&gt;&amp;&quot; (note)"),
            "{legend}"
        );
        assert!(
            legend.contains("window: &lt;/TABLE&gt;&gt;; a -- b"),
            "{legend}"
        );
        assert_eq!(dot.matches("</TABLE>>").count(), 1);
    }

    #[test]
    fn splines_and_labels_are_chosen_by_size() {
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
        assert!(
            !dot.contains("fixedsize"),
            "a small graph labels every node"
        );
        while g.graph.edge_count() <= SPLINES_CURVED_MAX_EDGES {
            g.graph.add_edge(a, b, edge(1, 1.0));
        }
        assert!(to_dot(&g).contains("splines=line"));

        // More nodes than LABELLED_NODES: only the highest PageRanks are labelled.
        let mut g = small();
        for i in 0..LABELLED_NODES {
            let mut n = node(&format!("n{i}"), &format!("Name {i}"), "PERSON", 1);
            n.pagerank = i as f64 / 1000.0;
            g.graph.add_node(n);
        }
        let dot = to_dot(&g);
        assert!(dot.contains("splines=true"), "few edges: still routed");
        let labelled = |id: &str| {
            let line = dot
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("\"{id}\"[")))
                .unwrap();
            !line.contains("label=\"\"")
        };
        // small()'s nodes have PageRank 0.25, above every added one; n0..n3 (lowest) are not.
        assert!(labelled("lee") && labelled("thing"));
        assert!(labelled(&format!("n{}", LABELLED_NODES - 1)));
        assert!(!labelled("n0") && !labelled("n3") && labelled("n4"));
        assert_eq!(dot.matches("fixedsize=true").count(), 4);
        assert!(legend_of(&dot).contains("labels: the 150 nodes highest by PageRank"));
    }

    #[test]
    fn empty_graph_still_has_a_legend() {
        let g = EntityGraph {
            graph: UnGraph::new_undirected(),
            meta: meta(),
        };
        let dot = to_dot(&g);
        assert!(legend_of(&dot).contains("nodes: 0, edges: 0"));
    }

    #[test]
    fn readable_picture_threshold() {
        assert!(!too_large_for_picture(
            READABLE_MAX_NODES,
            READABLE_MAX_EDGES
        ));
        assert!(too_large_for_picture(READABLE_MAX_NODES + 1, 0));
        assert!(too_large_for_picture(0, READABLE_MAX_EDGES + 1));
    }
}
