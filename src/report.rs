//! Entity reports: the top entities of a graph with their strongest partners, and the
//! strongest pairs, as a terminal table, Markdown, CSV or JSON.
//!
//! A report reads either a freshly built [`EntityGraph`] or a `graph.json` written by
//! `entgraph build` (any of its three styles), through [`ReportGraph`].

use std::cmp::Ordering;
use std::fmt::Write as _;

use comfy_table::{Cell, Color, ContentArrangement, Row, Table, presets};
use petgraph::visit::EdgeRef;
use serde::Serialize;
use serde_json::Value;

use crate::graph::EntityGraph;

/// The part of a graph a report needs.
#[derive(Clone, Debug, Default)]
pub struct ReportGraph {
    pub nodes: Vec<ReportNode>,
    pub edges: Vec<ReportEdge>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportNode {
    pub id: String,
    pub label: String,
    pub kind: String,
    pub mentions: u64,
    pub documents: u64,
    pub weighted_degree: f64,
    pub pagerank: f64,
    pub betweenness: f64,
    /// `Some(cue)` for a provisional entity found by discovery (`"provisional": true` and
    /// `"cue"` in graph.json), `None` for a gazetteer entity.
    pub provisional: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReportEdge {
    /// Node indices.
    pub a: usize,
    pub b: usize,
    pub weight: f64,
    pub count: u64,
    pub documents: u64,
}

impl ReportGraph {
    pub fn from_graph(g: &EntityGraph) -> Self {
        ReportGraph {
            nodes: g
                .graph
                .node_weights()
                .map(|n| ReportNode {
                    id: n.id.clone(),
                    label: n.label.clone(),
                    kind: n.kind.clone(),
                    mentions: n.mentions,
                    documents: n.documents,
                    weighted_degree: n.weighted_degree,
                    pagerank: n.pagerank,
                    betweenness: n.betweenness,
                    provisional: n.provisional.clone(),
                })
                .collect(),
            edges: g
                .graph
                .edge_references()
                .map(|e| ReportEdge {
                    a: e.source().index(),
                    b: e.target().index(),
                    weight: e.weight().weight,
                    count: e.weight().count,
                    documents: e.weight().documents,
                })
                .collect(),
        }
    }

    /// Reads a `graph.json` in node-link (`links` or `edges`) or Cytoscape.js shape.
    pub fn from_json(v: &Value) -> Result<Self, String> {
        let (nodes, edges): (Vec<&Value>, Vec<&Value>) = if let Some(el) = v.get("elements") {
            let data = |k: &str| -> Vec<&Value> {
                el.get(k)
                    .and_then(Value::as_array)
                    .map(|a| a.iter().map(|x| x.get("data").unwrap_or(x)).collect())
                    .unwrap_or_default()
            };
            (data("nodes"), data("edges"))
        } else {
            let arr = |k: &str| {
                v.get(k)
                    .and_then(Value::as_array)
                    .map(|a| a.iter().collect())
            };
            let nodes = arr("nodes").ok_or("no `nodes` array: not an entgraph graph.json")?;
            let edges = arr("links").or_else(|| arr("edges")).unwrap_or_default();
            (nodes, edges)
        };
        let s = |n: &Value, k: &str| n.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let u = |n: &Value, k: &str| n.get(k).and_then(Value::as_u64).unwrap_or(0);
        let f = |n: &Value, k: &str| n.get(k).and_then(Value::as_f64).unwrap_or(0.0);
        let mut index = std::collections::HashMap::new();
        let mut out = ReportGraph::default();
        for (i, n) in nodes.iter().enumerate() {
            let id = match n.get("id") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => return Err(format!("node {i} has no `id`")),
            };
            index.insert(id.clone(), i);
            out.nodes.push(ReportNode {
                label: Some(s(n, "label"))
                    .filter(|l| !l.is_empty())
                    .unwrap_or(id.clone()),
                id,
                kind: s(n, "type"),
                mentions: u(n, "mentions"),
                documents: u(n, "documents"),
                weighted_degree: f(n, "weighted_degree"),
                pagerank: f(n, "pagerank"),
                betweenness: f(n, "betweenness"),
                provisional: (n.get("provisional") == Some(&Value::Bool(true)))
                    .then(|| s(n, "cue")),
            });
        }
        for (i, e) in edges.iter().enumerate() {
            let end = |k: &str| -> Result<usize, String> {
                let key = match e.get(k) {
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                    None => return Err(format!("edge {i} has no `{k}`")),
                };
                index
                    .get(&key)
                    .copied()
                    .ok_or_else(|| format!("edge {i}: unknown node {key:?}"))
            };
            out.edges.push(ReportEdge {
                a: end("source")?,
                b: end("target")?,
                weight: f(e, "weight"),
                count: u(e, "count"),
                documents: u(e, "documents"),
            });
        }
        Ok(out)
    }
}

/// What ranks the entities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SortKey {
    #[default]
    Mentions,
    Documents,
    Pagerank,
    /// Weighted degree.
    Degree,
    /// Betweenness centrality: the brokers between groups.
    Betweenness,
}

#[derive(Clone, Debug)]
pub struct ReportOptions {
    pub top: usize,
    /// Only entities of this type (pairs: at least one end of this type).
    pub kind: Option<String>,
    pub sort: SortKey,
    /// Strongest partners listed per entity.
    pub partners: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            top: 20,
            kind: None,
            sort: SortKey::Mentions,
            partners: 3,
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Partner {
    pub id: String,
    pub name: String,
    pub weight: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct EntityRow {
    pub rank: usize,
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub mentions: u64,
    pub documents: u64,
    pub weighted_degree: f64,
    pub pagerank: f64,
    pub partners: Vec<Partner>,
    /// Only when the graph has provisional entities: whether this one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional: Option<bool>,
    /// The cue that typed a provisional entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PairRow {
    pub rank: usize,
    pub source: String,
    pub source_name: String,
    pub target: String,
    pub target_name: String,
    pub weight: f64,
    pub count: u64,
    pub documents: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Report {
    pub entities: Vec<EntityRow>,
    pub pairs: Vec<PairRow>,
    /// The graph has provisional entities: the outputs get a provisional column (absent
    /// otherwise, so reports of gazetteer-only graphs are as they always were).
    #[serde(skip)]
    pub has_provisional: bool,
}

/// Strongest first: weight, then count, then names for a stable order.
fn stronger(g: &ReportGraph, x: &ReportEdge, y: &ReportEdge) -> Ordering {
    y.weight
        .total_cmp(&x.weight)
        .then(y.count.cmp(&x.count))
        .then_with(|| g.nodes[x.a].label.cmp(&g.nodes[y.a].label))
        .then_with(|| g.nodes[x.b].label.cmp(&g.nodes[y.b].label))
}

/// Ranks entities and pairs.
pub fn report(g: &ReportGraph, opts: &ReportOptions) -> Report {
    let kind_ok = |i: usize| {
        opts.kind
            .as_ref()
            .is_none_or(|k| g.nodes[i].kind.eq_ignore_ascii_case(k))
    };
    let mut order: Vec<usize> = (0..g.nodes.len()).filter(|&i| kind_ok(i)).collect();
    let key = |i: usize| -> f64 {
        let n = &g.nodes[i];
        match opts.sort {
            SortKey::Mentions => n.mentions as f64,
            SortKey::Documents => n.documents as f64,
            SortKey::Pagerank => n.pagerank,
            SortKey::Degree => n.weighted_degree,
            SortKey::Betweenness => n.betweenness,
        }
    };
    order.sort_by(|&a, &b| {
        key(b)
            .total_cmp(&key(a))
            .then(g.nodes[b].mentions.cmp(&g.nodes[a].mentions))
            .then_with(|| g.nodes[a].label.cmp(&g.nodes[b].label))
    });
    order.truncate(opts.top);
    let has_provisional = g.nodes.iter().any(|n| n.provisional.is_some());
    let mut incident: Vec<Vec<&ReportEdge>> = vec![Vec::new(); g.nodes.len()];
    for e in &g.edges {
        incident[e.a].push(e);
        incident[e.b].push(e);
    }
    let entities = order
        .iter()
        .enumerate()
        .map(|(rank, &i)| {
            let n = &g.nodes[i];
            let mut edges = incident[i].clone();
            edges.sort_by(|x, y| stronger(g, x, y));
            EntityRow {
                rank: rank + 1,
                id: n.id.clone(),
                name: n.label.clone(),
                kind: n.kind.clone(),
                mentions: n.mentions,
                documents: n.documents,
                weighted_degree: n.weighted_degree,
                pagerank: n.pagerank,
                partners: edges
                    .iter()
                    .take(opts.partners)
                    .map(|e| {
                        let other = &g.nodes[if e.a == i { e.b } else { e.a }];
                        Partner {
                            id: other.id.clone(),
                            name: other.label.clone(),
                            weight: e.weight,
                        }
                    })
                    .collect(),
                provisional: has_provisional.then_some(n.provisional.is_some()),
                cue: n.provisional.clone(),
            }
        })
        .collect();
    let mut pairs: Vec<&ReportEdge> = g
        .edges
        .iter()
        .filter(|e| kind_ok(e.a) || kind_ok(e.b))
        .collect();
    pairs.sort_by(|x, y| stronger(g, x, y));
    let pairs = pairs
        .iter()
        .take(opts.top)
        .enumerate()
        .map(|(rank, e)| PairRow {
            rank: rank + 1,
            source: g.nodes[e.a].id.clone(),
            source_name: g.nodes[e.a].label.clone(),
            target: g.nodes[e.b].id.clone(),
            target_name: g.nodes[e.b].label.clone(),
            weight: e.weight,
            count: e.count,
            documents: e.documents,
        })
        .collect();
    Report {
        entities,
        pairs,
        has_provisional,
    }
}

/// A number as people read it: integers without decimals, others with up to 3.
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn partners_text(p: &[Partner]) -> String {
    p.iter()
        .map(|p| format!("{} ({})", p.name, number(p.weight)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Terminal colours closest to the pictures' palette ([`crate::export::TYPE_COLORS`]).
fn type_color(kind: &str) -> Color {
    match kind {
        "PERSON" => Color::DarkYellow,
        "ORG" => Color::Cyan,
        "LOC" => Color::Green,
        "NORP" => Color::Magenta,
        _ => Color::Grey,
    }
}

/// How a terminal table looks.
#[derive(Clone, Copy, Debug, Default)]
pub struct TableLook {
    /// ANSI colours (only on a terminal, never with `NO_COLOR`: the caller decides).
    pub color: bool,
    /// Fit the table to this many columns, cutting long cells with `…`.
    pub width: Option<u16>,
}

fn new_table(look: TableLook) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    if look.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    if let Some(w) = look.width {
        t.set_width(w);
        t.set_content_arrangement(ContentArrangement::Dynamic);
        t.set_truncation_indicator("…");
    } else {
        t.set_content_arrangement(ContentArrangement::Disabled);
    }
    t
}

fn right_align(t: &mut Table, columns: &[usize]) {
    for &c in columns {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
}

fn one_line(cells: Vec<Cell>, look: TableLook) -> Row {
    let mut r = Row::from(cells);
    if look.width.is_some() {
        r.max_height(1);
    }
    r
}

/// The report as terminal tables: entities, then pairs.
pub fn to_table(r: &Report, look: TableLook) -> String {
    let mut t = new_table(look);
    let mut header = vec!["#", "entity", "type"];
    if r.has_provisional {
        header.push(PROVISIONAL_HEADER);
    }
    header.extend([
        "mentions",
        "docs",
        "w.degree",
        "PageRank",
        "strongest partners",
    ]);
    t.set_header(header);
    for e in &r.entities {
        let mut kind = Cell::new(&e.kind);
        if look.color {
            kind = kind.fg(type_color(&e.kind));
        }
        let mut cells = vec![Cell::new(e.rank), Cell::new(&e.name), kind];
        if r.has_provisional {
            cells.push(Cell::new(terminal_text(e.cue.as_deref().unwrap_or(""))));
        }
        cells.extend([
            Cell::new(e.mentions),
            Cell::new(e.documents),
            Cell::new(number(e.weighted_degree)),
            Cell::new(format!("{:.4}", e.pagerank)),
            Cell::new(partners_text(&e.partners)),
        ]);
        t.add_row(one_line(cells, look));
    }
    let shift = usize::from(r.has_provisional);
    right_align(&mut t, &[0, 3 + shift, 4 + shift, 5 + shift, 6 + shift]);
    let mut out = format!("Top entities\n{t}\n");
    if r.has_provisional {
        let _ = writeln!(out, "{PROVISIONAL_NOTE}");
    }
    let mut p = new_table(look);
    p.set_header(vec!["#", "pair", "weight", "count", "docs"]);
    for x in &r.pairs {
        p.add_row(one_line(
            vec![
                Cell::new(x.rank),
                Cell::new(format!("{} — {}", x.source_name, x.target_name)),
                Cell::new(number(x.weight)),
                Cell::new(x.count),
                Cell::new(x.documents),
            ],
            look,
        ));
    }
    right_align(&mut p, &[0, 2, 3, 4]);
    let _ = write!(out, "\nStrongest pairs\n{p}\n");
    out
}

/// The header of the column that marks provisional entities (table and Markdown).
const PROVISIONAL_HEADER: &str = "provisional (cue)";
/// Printed under the entity table when it has the provisional column.
const PROVISIONAL_NOTE: &str = "provisional (cue): found by discovery, not in the gazetteer, typed by the cue shown; review with `entgraph report --unmatched`.";

/// A cell for the terminal: control characters (which could move the cursor or recolour
/// the terminal) become U+FFFD, line breaks and tabs a space.
fn terminal_text(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Markdown table cell text: `\\` and `|` escaped, line breaks as spaces.
pub fn md_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// The report as two GitHub-flavoured Markdown tables.
pub fn to_markdown(r: &Report) -> String {
    let mut out = if r.has_provisional {
        format!(
            "## Top entities\n\n| # | entity | type | {PROVISIONAL_HEADER} | mentions | docs | weighted degree | PageRank | strongest partners |\n|---:|---|---|---|---:|---:|---:|---:|---|\n",
        )
    } else {
        String::from(
            "## Top entities\n\n| # | entity | type | mentions | docs | weighted degree | PageRank | strongest partners |\n|---:|---|---|---:|---:|---:|---:|---|\n",
        )
    };
    for e in &r.entities {
        let provisional = if r.has_provisional {
            format!(" {} |", md_escape(e.cue.as_deref().unwrap_or("")))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} |{provisional} {} | {} | {} | {:.4} | {} |",
            e.rank,
            md_escape(&e.name),
            md_escape(&e.kind),
            e.mentions,
            e.documents,
            number(e.weighted_degree),
            e.pagerank,
            md_escape(&partners_text(&e.partners))
        );
    }
    if r.has_provisional {
        let _ = writeln!(out, "\n{}", md_escape(PROVISIONAL_NOTE));
    }
    out.push_str(
        "\n## Strongest pairs\n\n| # | pair | weight | count | docs |\n|---:|---|---:|---:|---:|\n",
    );
    for p in &r.pairs {
        let _ = writeln!(
            out,
            "| {} | {} — {} | {} | {} | {} |",
            p.rank,
            md_escape(&p.source_name),
            md_escape(&p.target_name),
            number(p.weight),
            p.count,
            p.documents
        );
    }
    out
}

/// A text cell made safe for spreadsheets: a leading `= + - @` (or tab / carriage return)
/// would be read as a formula, so it gets a leading `'` (OWASP's advice).
pub fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Which table a CSV report holds (CSV has room for one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum CsvSection {
    #[default]
    Entities,
    Pairs,
}

/// One CSV table with a header row; text cells escaped with [`csv_text`].
pub fn to_csv(r: &Report, section: CsvSection) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let res: csv::Result<()> = (|| {
        match section {
            CsvSection::Entities => {
                let mut header = vec![
                    "rank",
                    "id",
                    "name",
                    "type",
                    "mentions",
                    "documents",
                    "weighted_degree",
                    "pagerank",
                    "partners",
                ];
                if r.has_provisional {
                    header.extend(["provisional", "cue"]);
                }
                w.write_record(header)?;
                for e in &r.entities {
                    let mut record = vec![
                        e.rank.to_string(),
                        csv_text(&e.id),
                        csv_text(&e.name),
                        csv_text(&e.kind),
                        e.mentions.to_string(),
                        e.documents.to_string(),
                        number(e.weighted_degree),
                        format!("{:.6}", e.pagerank),
                        csv_text(&partners_text(&e.partners)),
                    ];
                    if r.has_provisional {
                        record.push(e.cue.is_some().to_string());
                        record.push(csv_text(e.cue.as_deref().unwrap_or("")));
                    }
                    w.write_record(record)?;
                }
            }
            CsvSection::Pairs => {
                w.write_record([
                    "rank",
                    "source",
                    "source_name",
                    "target",
                    "target_name",
                    "weight",
                    "count",
                    "documents",
                ])?;
                for p in &r.pairs {
                    w.write_record([
                        p.rank.to_string(),
                        csv_text(&p.source),
                        csv_text(&p.source_name),
                        csv_text(&p.target),
                        csv_text(&p.target_name),
                        number(p.weight),
                        p.count.to_string(),
                        p.documents.to_string(),
                    ])?;
                }
            }
        }
        Ok(())
    })();
    res.expect("writing CSV to memory cannot fail");
    String::from_utf8(w.into_inner().expect("in-memory writer")).expect("CSV of UTF-8 is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ReportGraph {
        let node = |id: &str, kind: &str, mentions: u64, pr: f64| ReportNode {
            id: id.into(),
            label: id.to_uppercase(),
            kind: kind.into(),
            mentions,
            documents: 1,
            weighted_degree: 0.0,
            pagerank: pr,
            betweenness: 0.0,
            provisional: None,
        };
        let edge = |a, b, weight: f64| ReportEdge {
            a,
            b,
            weight,
            count: weight as u64,
            documents: 1,
        };
        ReportGraph {
            nodes: vec![
                node("lee", "PERSON", 10, 0.2),
                node("xi", "PERSON", 8, 0.4),
                node("=cmd", "ORG", 3, 0.1),
                node("seoul", "LOC", 5, 0.3),
            ],
            edges: vec![
                edge(0, 1, 5.0),
                edge(0, 2, 1.0),
                edge(1, 3, 2.0),
                edge(0, 3, 2.0),
            ],
        }
    }

    #[test]
    fn ranks_and_partners() {
        let g = sample();
        let r = report(&g, &ReportOptions::default());
        let names: Vec<_> = r.entities.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(names, ["lee", "xi", "seoul", "=cmd"]);
        let partners: Vec<_> = r.entities[0]
            .partners
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(partners, ["xi", "seoul", "=cmd"]);
        assert_eq!(r.pairs[0].source, "lee");
        assert_eq!(r.pairs[0].target, "xi");
        // Ties on weight are broken by count, then names: LEE—SEOUL before XI—SEOUL.
        assert_eq!(
            (r.pairs[1].source.as_str(), r.pairs[1].target.as_str()),
            ("lee", "seoul")
        );
        let by_pr = report(
            &g,
            &ReportOptions {
                sort: SortKey::Pagerank,
                kind: Some("person".into()),
                top: 1,
                ..Default::default()
            },
        );
        assert_eq!(by_pr.entities.len(), 1);
        let mut brokers = g.clone();
        brokers.nodes[3].betweenness = 0.5;
        let r = report(
            &brokers,
            &ReportOptions {
                sort: SortKey::Betweenness,
                ..Default::default()
            },
        );
        assert_eq!(r.entities[0].id, "seoul");
        assert_eq!(by_pr.entities[0].id, "xi");
        assert!(
            by_pr
                .pairs
                .iter()
                .all(|p| p.source == "lee" || p.source == "xi")
        );
    }

    #[test]
    fn csv_is_safe_for_spreadsheets() {
        let r = report(&sample(), &ReportOptions::default());
        let csv = to_csv(&r, CsvSection::Entities);
        let mut rows = csv::Reader::from_reader(csv.as_bytes());
        let names: Vec<String> = rows.records().map(|r| r.unwrap()[1].to_string()).collect();
        assert_eq!(names, ["lee", "xi", "seoul", "'=cmd"]);
        for (s, want) in [
            ("=1+1", "'=1+1"),
            ("+x", "'+x"),
            ("-x", "'-x"),
            ("@x", "'@x"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(csv_text(s), want);
        }
    }

    #[test]
    fn tables_fit_the_terminal() {
        let mut g = sample();
        g.nodes[0].label = "A very long name that will not fit in a narrow terminal at all".into();
        let r = report(&g, &ReportOptions::default());
        let t = to_table(
            &r,
            TableLook {
                color: false,
                width: Some(60),
            },
        );
        assert!(t.contains('…'), "{t}");
        assert!(t.lines().all(|l| l.chars().count() <= 60), "{t}");
        assert!(!t.contains('\u{1b}'), "no colour asked");
        let wide = to_table(
            &r,
            TableLook {
                color: false,
                width: None,
            },
        );
        assert!(wide.contains("A very long name that will not fit in a narrow terminal at all"));
        let coloured = to_table(
            &r,
            TableLook {
                color: true,
                width: None,
            },
        );
        assert!(coloured.contains('\u{1b}'));
    }

    #[test]
    fn markdown_escapes_pipes() {
        let mut g = sample();
        g.nodes[0].label = "A|B".into();
        let md = to_markdown(&report(&g, &ReportOptions::default()));
        assert!(md.contains("A\\|B"));
        assert!(md.starts_with("## Top entities"));
    }

    #[test]
    fn provisional_entities_get_a_column_only_when_there_are_some() {
        let plain = report(&sample(), &ReportOptions::default());
        assert!(!plain.has_provisional);
        let before = (
            to_table(&plain, TableLook::default()),
            to_markdown(&plain),
            to_csv(&plain, CsvSection::Entities),
            serde_json::to_string(&plain).unwrap(),
        );
        for text in [&before.0, &before.1, &before.2, &before.3] {
            assert!(
                !text.contains("provisional") && !text.contains("cue"),
                "{text}"
            );
        }

        let mut g = sample();
        g.nodes[3].provisional = Some("=given:Seo|ul".into());
        let r = report(&g, &ReportOptions::default());
        assert!(r.has_provisional);
        let seoul = r.entities.iter().find(|e| e.id == "seoul").unwrap();
        assert_eq!(seoul.provisional, Some(true));
        assert_eq!(r.entities[0].provisional, Some(false));
        assert_eq!(r.entities[0].cue, None);

        let t = to_table(&r, TableLook::default());
        assert!(
            t.contains("provisional (cue)") && t.contains("=given:Seo|ul"),
            "{t}"
        );
        assert!(t.contains(PROVISIONAL_NOTE));
        let md = to_markdown(&r);
        assert!(
            md.contains("| type | provisional (cue) | mentions |"),
            "{md}"
        );
        assert!(md.contains("| LOC | =given:Seo\\|ul | 5 |"), "{md}");
        assert!(md.contains("|---:|---|---|---|---:|"), "{md}");
        let csv = to_csv(&r, CsvSection::Entities);
        let mut rows = csv::Reader::from_reader(csv.as_bytes());
        let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header[header.len() - 2..], ["provisional", "cue"]);
        let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
        let seoul = rows.iter().find(|r| &r[1] == "seoul").unwrap();
        assert_eq!((&seoul[9], &seoul[10]), ("true", "'=given:Seo|ul"));
        assert_eq!((&rows[0][9], &rows[0][10]), ("false", ""));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["entities"][0]["provisional"], false);
        assert!(json["entities"][0].get("cue").is_none());
        let seoul = json["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == "seoul")
            .unwrap();
        assert_eq!(seoul["provisional"], true);
        assert_eq!(seoul["cue"], "=given:Seo|ul");

        // graph.json's marks are read back.
        let v = serde_json::json!({"nodes": [
            {"id": "new:x", "provisional": true, "cue": "title:analyst"},
            {"id": "y", "provisional": "true", "cue": "z"}, {"id": "z"}]});
        let g = ReportGraph::from_json(&v).unwrap();
        assert_eq!(g.nodes[0].provisional.as_deref(), Some("title:analyst"));
        assert_eq!(g.nodes[1].provisional, None);
        assert_eq!(g.nodes[2].provisional, None);
    }

    #[test]
    fn reads_every_json_style() {
        let node_link = serde_json::json!({
            "nodes": [{"id": "a", "label": "A", "type": "PERSON", "mentions": 3}, {"id": "b", "type": "LOC"}],
            "links": [{"source": "a", "target": "b", "weight": 2.5, "count": 2}]
        });
        let g = ReportGraph::from_json(&node_link).unwrap();
        assert_eq!(g.nodes[1].label, "b");
        assert_eq!(g.edges[0].weight, 2.5);
        let mut edges = node_link.clone();
        let links = edges.as_object_mut().unwrap().remove("links").unwrap();
        edges["edges"] = links;
        assert_eq!(ReportGraph::from_json(&edges).unwrap().edges.len(), 1);
        let cy = serde_json::json!({"elements": {
            "nodes": [{"data": {"id": "a"}}, {"data": {"id": "b"}}],
            "edges": [{"data": {"id": "e0", "source": "a", "target": "b", "weight": 1}}]}});
        assert_eq!(ReportGraph::from_json(&cy).unwrap().edges[0].b, 1);
        let bad =
            serde_json::json!({"nodes": [{"id": "a"}], "links": [{"source": "a", "target": "z"}]});
        assert!(
            ReportGraph::from_json(&bad)
                .unwrap_err()
                .contains("unknown node")
        );
    }
}
