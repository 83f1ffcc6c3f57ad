//! Entity reports: the top entities of a graph with their strongest partners, and the
//! strongest pairs, as a terminal table, Markdown, CSV or JSON.
//!
//! A report reads either a freshly built [`EntityGraph`](crate::graph::EntityGraph) or a
//! `graph.json` written by `entgraph build` (any of its three styles), through
//! [`ReportGraph`].

//! This module ranks: the rows of a [`Report`] and how they are chosen and ordered. `read`
//! turns a graph into a [`ReportGraph`]; `table`, `markdown` and `csv` write a report (JSON is
//! the [`Report`]'s own serialization).

mod csv;
mod markdown;
mod read;

pub use read::GraphJsonError;
mod table;

use std::cmp::Ordering;

use serde::Serialize;

pub use csv::{CsvSection, csv_text, to_csv};
pub use markdown::{md_escape, to_markdown};
pub use table::{TableLook, to_table};

/// The part of a graph a report needs: from a built [`EntityGraph`](crate::graph::EntityGraph)
/// ([`ReportGraph::from_graph`]) or a graph.json ([`ReportGraph::from_json`]).
#[derive(Clone, Debug, Default)]
pub struct ReportGraph {
    /// The graph's nodes, in the graph's order (as entgraph builds it: mentions, descending,
    /// then id).
    pub nodes: Vec<ReportNode>,
    /// The graph's edges, in the graph's order; their ends index [`ReportGraph::nodes`].
    pub edges: Vec<ReportEdge>,
}

/// An entity of a [`ReportGraph`]: the node's fields a report shows or ranks by.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportNode {
    /// The node id (gazetteer id, or `new:<slug>` for a provisional entity).
    pub id: String,
    /// The entity's name; read from a graph.json without one, its id.
    pub label: String,
    /// The type label (`PERSON`, `ORG`, …); `--type` matches it ignoring ASCII case.
    pub kind: String,
    /// Mentions of the entity in the corpus.
    pub mentions: u64,
    /// Documents that mention the entity.
    pub documents: u64,
    /// Sum of the weights of the node's edges ([`SortKey::Degree`]); from graph.json, 0 if not
    /// finite.
    pub weighted_degree: f64,
    /// The node's PageRank; from graph.json, 0 if not finite.
    pub pagerank: f64,
    /// The node's normalized betweenness centrality; from graph.json, 0 if not finite.
    pub betweenness: f64,
    /// The node's community (numbered from 0 by decreasing size); from a graph.json written
    /// before communities, 0.
    pub community: usize,
    /// `Some(cue)` for a provisional entity found by discovery (`"provisional": true` and
    /// `"cue"` in graph.json), `None` for a gazetteer entity.
    pub provisional: Option<String>,
}

/// A pair of a [`ReportGraph`]: an edge between two of its nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportEdge {
    /// Node indices.
    pub a: usize,
    /// Index in [`ReportGraph::nodes`] of the other end (the edge's target).
    pub b: usize,
    /// The edge's weight, as the graph was built (`--weight`); from graph.json, 0 if not
    /// finite.
    pub weight: f64,
    /// Windows in which both entities appear.
    pub count: u64,
    /// Documents in which both appear in one window.
    pub documents: u64,
}

/// What ranks the entities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Mentions in the corpus.
    #[default]
    Mentions,
    /// Documents that mention the entity.
    Documents,
    /// PageRank.
    Pagerank,
    /// Weighted degree.
    Degree,
    /// Betweenness centrality: the brokers between groups.
    Betweenness,
}

impl SortKey {
    /// Every key, in the order the command line lists them.
    pub const ALL: [SortKey; 5] = [
        SortKey::Mentions,
        SortKey::Documents,
        SortKey::Pagerank,
        SortKey::Degree,
        SortKey::Betweenness,
    ];

    /// The name used on the command line (`--sort pagerank`).
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Mentions => "mentions",
            SortKey::Documents => "documents",
            SortKey::Pagerank => "pagerank",
            SortKey::Degree => "degree",
            SortKey::Betweenness => "betweenness",
        }
    }
}

/// What a [`report`] shows: how many rows, of which entities, ranked how.
#[derive(Clone, Debug)]
pub struct ReportOptions {
    /// The most rows per table: entities and pairs each.
    pub top: usize,
    /// Only entities of this type (pairs: at least one end of this type).
    pub kind: Option<String>,
    /// What ranks the entities (descending; ties by mentions, descending, then name).
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

/// One of an entity's strongest partners: the other end of one of its edges.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Partner {
    /// The partner's node id.
    pub id: String,
    /// The partner's name.
    pub name: String,
    /// The weight of the edge between them.
    pub weight: f64,
}

/// One row of the entity table.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct EntityRow {
    /// 1-based rank, in the order of [`ReportOptions::sort`].
    pub rank: usize,
    /// The node id.
    pub id: String,
    /// The entity's name.
    pub name: String,
    #[serde(rename = "type")]
    /// The type label.
    pub kind: String,
    /// Mentions of the entity in the corpus.
    pub mentions: u64,
    /// Documents that mention the entity.
    pub documents: u64,
    /// Sum of the weights of the entity's edges.
    pub weighted_degree: f64,
    /// The entity's PageRank.
    pub pagerank: f64,
    /// The entity's community ([`CommunityRow::community`]).
    pub community: usize,
    /// Its strongest partners, strongest first (weight, then count, then names), at most
    /// [`ReportOptions::partners`].
    pub partners: Vec<Partner>,
    /// Only when the graph has provisional entities: whether this one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional: Option<bool>,
    /// The cue that typed a provisional entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
}

/// One row of the pair table.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PairRow {
    /// 1-based rank, strongest first (weight, then count, then names).
    pub rank: usize,
    /// The node id of the edge's source.
    pub source: String,
    /// The name of the edge's source.
    pub source_name: String,
    /// The node id of the edge's target.
    pub target: String,
    /// The name of the edge's target.
    pub target_name: String,
    /// The edge's weight.
    pub weight: f64,
    /// Windows in which both entities appear.
    pub count: u64,
    /// Documents in which both appear in one window.
    pub documents: u64,
}

/// An entity listed in a [`CommunityRow`].
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Member {
    /// The node id.
    pub id: String,
    /// The entity's name.
    pub name: String,
}

/// The most members a [`CommunityRow`] lists.
pub const COMMUNITY_MEMBERS: usize = 5;

/// One row of the community table: a community of the graph, as numbered there.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CommunityRow {
    /// The community's number (0 is the largest).
    pub community: usize,
    /// Its nodes, of every type.
    pub nodes: usize,
    /// Edges between two of its nodes.
    pub edges: usize,
    /// The sum of those edges' weights.
    pub weight: f64,
    /// Its first entities in the order of the entity table ([`ReportOptions::sort`]; only of
    /// [`ReportOptions::kind`] if set), at most [`COMMUNITY_MEMBERS`].
    pub members: Vec<Member>,
}

/// A ranked report: the top entities and the strongest pairs, each at most
/// [`ReportOptions::top`] rows, and the largest communities. Serialized as the JSON report
/// format.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Report {
    /// The entity table, in rank order.
    pub entities: Vec<EntityRow>,
    /// The pair table, in rank order: pairs with at least one end of [`ReportOptions::kind`] (all
    /// if `None`).
    pub pairs: Vec<PairRow>,
    /// The community table, largest first, at most [`ReportOptions::top`] rows: communities
    /// with at least one entity of [`ReportOptions::kind`] (all if `None`).
    pub communities: Vec<CommunityRow>,
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
    let communities = community_rows(g, &order, opts);
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
                community: n.community,
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
        communities,
        has_provisional,
    }
}

/// The community table: `order` is every entity of the chosen type, in rank order.
fn community_rows(g: &ReportGraph, order: &[usize], opts: &ReportOptions) -> Vec<CommunityRow> {
    let count = g.nodes.iter().map(|n| n.community + 1).max().unwrap_or(0);
    let mut rows: Vec<CommunityRow> = (0..count)
        .map(|community| CommunityRow {
            community,
            nodes: 0,
            edges: 0,
            weight: 0.0,
            members: Vec::new(),
        })
        .collect();
    for n in &g.nodes {
        rows[n.community].nodes += 1;
    }
    for e in &g.edges {
        let c = g.nodes[e.a].community;
        if c == g.nodes[e.b].community {
            rows[c].edges += 1;
            rows[c].weight += e.weight;
        }
    }
    let mut listed = vec![false; count];
    for &i in order {
        let n = &g.nodes[i];
        listed[n.community] = true;
        let members = &mut rows[n.community].members;
        if members.len() < COMMUNITY_MEMBERS {
            members.push(Member {
                id: n.id.clone(),
                name: n.label.clone(),
            });
        }
    }
    // Largest first (a graph.json from elsewhere may not number them by size), then by number.
    let mut rows: Vec<CommunityRow> = rows.into_iter().filter(|r| listed[r.community]).collect();
    rows.sort_by(|a, b| b.nodes.cmp(&a.nodes).then(a.community.cmp(&b.community)));
    rows.truncate(opts.top);
    rows
}

/// The members of a community row as text: names, comma-separated.
pub(super) fn members_text(m: &[Member]) -> String {
    m.iter()
        .map(|m| m.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
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

pub(super) fn partners_text(p: &[Partner]) -> String {
    p.iter()
        .map(|p| format!("{} ({})", p.name, number(p.weight)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The header of the column that marks provisional entities (table and Markdown).
pub(super) const PROVISIONAL_HEADER: &str = "provisional (cue)";
/// Printed under the entity table when it has the provisional column.
pub(super) const PROVISIONAL_NOTE: &str = "provisional (cue): found by discovery, not in the gazetteer, typed by the cue shown; review with `entgraph report --unmatched`.";

#[cfg(test)]
mod tests {
    use super::*;

    /// A small graph to report on.
    pub(super) fn sample() -> ReportGraph {
        let node = |id: &str, kind: &str, mentions: u64, pr: f64| ReportNode {
            id: id.into(),
            label: id.to_uppercase(),
            kind: kind.into(),
            mentions,
            documents: 1,
            weighted_degree: 0.0,
            pagerank: pr,
            betweenness: 0.0,
            community: 0,
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
    fn communities_are_listed_largest_first_with_their_inner_edges() {
        let mut g = sample();
        g.nodes[2].community = 1;
        let r = report(&g, &ReportOptions::default());
        let rows: Vec<_> = r
            .communities
            .iter()
            .map(|c| (c.community, c.nodes, c.edges, c.weight))
            .collect();
        assert_eq!(rows, [(0, 3, 3, 9.0), (1, 1, 0, 0.0)]);
        let members: Vec<_> = r.communities[0].members.iter().map(|m| &m.id).collect();
        assert_eq!(members, ["lee", "xi", "seoul"]);
        assert_eq!(r.entities[3].community, 1);
        // Only communities holding an entity of the type asked for.
        let orgs = report(
            &g,
            &ReportOptions {
                kind: Some("ORG".into()),
                ..Default::default()
            },
        );
        assert_eq!(orgs.communities.len(), 1);
        assert_eq!(orgs.communities[0].community, 1);
        // Every format shows the table; hostile names stay inert.
        g.nodes[0].label = "=HYPERLINK(\"x\")|\u{1b}[31m".into();
        let r = report(&g, &ReportOptions::default());
        let t = to_table(&r, TableLook::default());
        assert!(
            t.contains("Largest communities") && !t.contains('\u{1b}'),
            "{t}"
        );
        let md = to_markdown(&r);
        assert!(
            md.contains("| 0 | 3 | 3 | 9 | =HYPERLINK(\"x\")\\|"),
            "{md}"
        );
        let csv = to_csv(&r, CsvSection::Communities);
        let mut rows = ::csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(
            rows.headers().unwrap(),
            vec!["community", "nodes", "edges", "weight", "members"]
        );
        let first = rows.records().next().unwrap().unwrap();
        assert!(first[4].starts_with("'=HYPERLINK"), "{first:?}");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["communities"][1]["members"][0]["id"], "=cmd");
        assert_eq!(json["entities"][0]["community"], 0);
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
        let mut rows = ::csv::Reader::from_reader(csv.as_bytes());
        let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header[header.len() - 2..], ["provisional", "cue"]);
        let rows: Vec<::csv::StringRecord> = rows.records().map(Result::unwrap).collect();
        let seoul = rows.iter().find(|r| &r[1] == "seoul").unwrap();
        assert_eq!((&seoul[10], &seoul[11]), ("true", "'=given:Seo|ul"));
        assert_eq!((&rows[0][10], &rows[0][11]), ("false", ""));
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
}
