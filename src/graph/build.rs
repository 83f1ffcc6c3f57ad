//! Building the entity graph from co-occurrence counts: edge weighting ([`Weighting`]), the
//! node and edge filters applied while building, and [`build`] itself.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use petgraph::graph::{NodeIndex, UnGraph};

use super::prune::{largest_component, strongest_per_node};
use super::{
    Edge, EdgeEvidence, EntityGraph, EvidenceSpans, Filters, GraphMeta, Node, TimeMeta, analyse,
};
use crate::cooccur::CooccurrenceCounts;
use crate::entity::EntityView;
use crate::gazetteer::{EntityId, Gazetteer};

/// How edge weights are computed from counts. Probabilities are over windows:
/// p(a) = windows with a / all windows, p(ab) = windows with both / all windows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Weighting {
    /// Windows in which both appear.
    #[default]
    Count,
    /// Documents in which both appear in one window.
    Documents,
    /// log2(p(ab) / (p(a) p(b))).
    Pmi,
    /// PMI / −log2 p(ab), in [−1, 1]; 1 when p(ab) = 1.
    Npmi,
    /// 2 c(ab) / (c(a) + c(b)).
    Dice,
    /// c(ab) / (c(a) + c(b) − c(ab)).
    Jaccard,
}

/// A weight name [`Weighting::from_str`] does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown weight {0:?}: expected count, documents, pmi, npmi, dice or jaccard")]
pub struct UnknownWeighting(pub String);

impl FromStr for Weighting {
    type Err = UnknownWeighting;
    fn from_str(s: &str) -> Result<Self, UnknownWeighting> {
        Ok(match s {
            "count" => Weighting::Count,
            "documents" => Weighting::Documents,
            "pmi" => Weighting::Pmi,
            "npmi" => Weighting::Npmi,
            "dice" => Weighting::Dice,
            "jaccard" => Weighting::Jaccard,
            _ => return Err(UnknownWeighting(s.to_string())),
        })
    }
}

impl fmt::Display for Weighting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Weighting::Count => "count",
            Weighting::Documents => "documents",
            Weighting::Pmi => "pmi",
            Weighting::Npmi => "npmi",
            Weighting::Dice => "dice",
            Weighting::Jaccard => "jaccard",
        })
    }
}

impl Weighting {
    /// The weight of a pair seen in `ab` windows and `docs` documents, whose entities are in
    /// `a` and `b` windows, out of `n` windows.
    pub fn weight(self, ab: u64, docs: u64, a: u64, b: u64, n: u64) -> f64 {
        let (ab, a, b, n) = (ab as f64, a as f64, b as f64, n as f64);
        match self {
            Weighting::Count => ab,
            Weighting::Documents => docs as f64,
            Weighting::Pmi => (ab * n / (a * b)).log2(),
            Weighting::Npmi => {
                let p_ab = ab / n;
                if p_ab >= 1.0 {
                    1.0
                } else {
                    (ab * n / (a * b)).log2() / -p_ab.log2()
                }
            }
            Weighting::Dice => 2.0 * ab / (a + b),
            Weighting::Jaccard => ab / (a + b - ab),
        }
    }
}

/// Builds the graph from counts, weighting edges and pruning as asked.
pub fn build(
    counts: &CooccurrenceCounts,
    gazetteer: &Gazetteer,
    weighting: Weighting,
    filters: &Filters,
) -> EntityGraph {
    // Nodes: filter, then order by mentions (desc) and id.
    let entities = EntityView::new(gazetteer, &counts.provisional);
    let mut nodes: Vec<EntityId> = counts
        .entities
        .iter()
        .filter(|(e, c)| {
            let entity = entities.get(**e);
            let kind = entity.kind();
            let min_provisional = match entity.provisional() {
                Some(_) => filters.min_provisional.unwrap_or(0),
                None => 0,
            };
            c.mentions >= filters.min_mentions.max(min_provisional).max(1)
                && (filters.types.is_empty() || filters.types.iter().any(|t| t == kind))
        })
        .map(|(e, _)| *e)
        .collect();
    let mentions = |e: &EntityId| counts.entities[e].mentions;
    nodes.sort_by(|a, b| {
        mentions(b)
            .cmp(&mentions(a))
            .then_with(|| entities.get(*a).id().cmp(entities.get(*b).id()))
    });
    if let Some(n) = filters.max_nodes {
        nodes.truncate(n);
    }
    let position: HashMap<EntityId, usize> =
        nodes.iter().enumerate().map(|(i, e)| (*e, i)).collect();

    // Edges between kept nodes, weighted and filtered, in node order.
    let mut edges: Vec<(usize, usize, &crate::cooccur::PairCounts, f64)> = counts
        .pairs
        .iter()
        .filter_map(|((a, b), p)| {
            let (&i, &j) = (position.get(a)?, position.get(b)?);
            if p.count < filters.min_count {
                return None;
            }
            let w = weighting.weight(
                p.count,
                p.documents,
                counts.entities[a].windows,
                counts.entities[b].windows,
                counts.windows,
            );
            if filters.min_weight.is_some_and(|m| w < m) {
                return None;
            }
            Some((i.min(j), i.max(j), p, w))
        })
        .collect();
    edges.sort_by_key(|&(i, j, _, _)| (i, j));
    if let Some(k) = filters.top_edges {
        edges = strongest_per_node(edges, nodes.len(), k);
    }

    let mut graph = UnGraph::with_capacity(nodes.len(), edges.len());
    for e in &nodes {
        let entity = entities.get(*e);
        let c = &counts.entities[e];
        graph.add_node(Node {
            entity: *e,
            id: entity.id().to_string(),
            label: entity.name().to_string(),
            kind: entity.kind().to_string(),
            provisional: entity.provisional().map(|p| p.cue.clone()),
            mentions: c.mentions,
            documents: c.documents,
            windows: c.windows,
            aliases: c.surfaces.clone(),
            attributes: entity
                .attributes()
                .map(|a| {
                    a.iter()
                        .map(|(k, v)| (k.clone(), gazetteer.attribute_value(k, v)))
                        .collect()
                })
                .unwrap_or_default(),
            degree: 0,
            weighted_degree: 0.0,
            pagerank: 0.0,
            component: 0,
            community: 0,
            betweenness: 0.0,
            time: c.span.clone(),
        });
    }
    for (i, j, p, w) in edges {
        graph.add_edge(
            NodeIndex::new(i),
            NodeIndex::new(j),
            Edge {
                count: p.count,
                documents: p.documents,
                weight: w,
                evidence: p
                    .evidence
                    .iter()
                    .map(|ev| {
                        // The pair's key is (smaller id, larger id); the edge's source is
                        // the earlier node.
                        let [first, second] = ev.spans.clone();
                        let (source, target) = if nodes[i] < nodes[j] {
                            (first, second)
                        } else {
                            (second, first)
                        };
                        EdgeEvidence {
                            doc: ev.document.id.clone(),
                            start: ev.start,
                            end: ev.end,
                            text: Arc::clone(&ev.text),
                            spans: EvidenceSpans { source, target },
                            title: ev.document.title.clone(),
                            date: ev.document.date,
                        }
                    })
                    .collect(),
                time: p.span.clone(),
            },
        );
    }
    if filters.largest_component {
        graph = largest_component(graph);
    }
    let analysis = analyse(&mut graph);
    EntityGraph {
        graph,
        meta: GraphMeta {
            generator: "entgraph".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            window: counts.window.to_string(),
            weight: weighting.to_string(),
            documents: counts.documents,
            bytes: counts.bytes,
            windows: counts.windows,
            mentions: counts.mentions,
            filters: Filters {
                min_provisional: filters
                    .min_provisional
                    .filter(|_| !counts.provisional.is_empty()),
                ..filters.clone()
            },
            entities_seen: counts.entities.len(),
            pairs_seen: counts.pairs.len(),
            capped_windows: (counts.capped_windows > 0).then_some(counts.capped_windows),
            max_window_entities: (counts.capped_windows > 0).then_some(counts.max_window_entities),
            modularity: analysis.modularity,
            betweenness_pivots: analysis.betweenness_pivots,
            time: time_meta(counts),
        },
    }
}

/// The corpus's dates for [`GraphMeta::time`]: `None` when nothing is dated and no range was
/// asked for.
fn time_meta(counts: &CooccurrenceCounts) -> Option<TimeMeta> {
    let range = &counts.range;
    (counts.dated_documents > 0 || !range.is_open()).then(|| TimeMeta {
        dated_documents: counts.dated_documents,
        undated_documents: counts.undated_documents,
        excluded_documents: (!range.is_open()).then_some(counts.excluded_documents),
        first: counts.span.first,
        last: counts.span.last,
        period: counts.period,
        documents_by_period: counts.span.periods.clone(),
        since: range.since,
        until: range.until,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_by_hand() {
        // 10 windows; a in 4, b in 5, both in 2, over 2 documents.
        let (ab, docs, a, b, n) = (2, 2, 4, 5, 10);
        let close = |w: Weighting, want: f64| {
            let got = w.weight(ab, docs, a, b, n);
            assert!((got - want).abs() < 1e-12, "{w}: {got} != {want}");
        };
        close(Weighting::Count, 2.0);
        close(Weighting::Documents, 2.0);
        close(Weighting::Pmi, 0.0); // p(ab) = 0.2 = 0.4 * 0.5
        close(Weighting::Npmi, 0.0);
        close(Weighting::Dice, 4.0 / 9.0);
        close(Weighting::Jaccard, 2.0 / 7.0);
        // a and b always together in 2 of 8 windows: PMI = log2(4) = 2, NPMI = 2 / 2 = 1.
        assert!((Weighting::Pmi.weight(2, 1, 2, 2, 8) - 2.0).abs() < 1e-12);
        assert!((Weighting::Npmi.weight(2, 1, 2, 2, 8) - 1.0).abs() < 1e-12);
        assert_eq!(Weighting::Npmi.weight(3, 1, 3, 3, 3), 1.0);
    }
}
