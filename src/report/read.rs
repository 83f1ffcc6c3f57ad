//! Reading the graph a report needs: from a freshly built [`EntityGraph`] or from a
//! `graph.json` written by `entgraph build`, in any of its three styles.

use std::borrow::Cow;

use petgraph::visit::EdgeRef;
use serde::Deserialize;
use serde_json::Value;

use super::{ReportEdge, ReportGraph, ReportNode};
use crate::export::json::{CytoscapeGraph, JsonLink, JsonNode, NodeLinkGraph};
use crate::graph::EntityGraph;

/// Why a JSON value is not a graph.json entgraph can report on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GraphJsonError {
    /// Neither a Cytoscape.js document nor one with a `nodes` array.
    #[error("no `nodes` array: not an entgraph graph.json")]
    NoNodes,
    /// A field has the wrong type or a required one is missing.
    #[error("not an entgraph graph.json: {0}")]
    Shape(String),
    /// An edge names a node id that no node has (`edge` counts from 0).
    #[error("edge {edge}: unknown node {node:?}")]
    UnknownNode {
        /// Index of the edge in the file's edge list.
        edge: usize,
        /// The id it names.
        node: String,
    },
}

impl ReportGraph {
    /// The nodes and edges of a freshly built graph, in its order; an edge's source is `a`.
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
                    community: n.community,
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

    /// Reads a `graph.json` in node-link (`links` or `edges`) or Cytoscape.js shape, through
    /// the same typed model [`crate::export::json`] writes it with.
    pub fn from_json(v: &Value) -> Result<Self, GraphJsonError> {
        let bad = |e: serde_json::Error| GraphJsonError::Shape(e.to_string());
        let (nodes, edges): (Vec<JsonNode>, Vec<JsonLink>) = if v.get("elements").is_some() {
            let doc = CytoscapeGraph::deserialize(v).map_err(bad)?;
            (
                doc.elements.nodes.into_iter().map(|n| n.data).collect(),
                doc.elements
                    .edges
                    .into_iter()
                    .map(|e| e.data.link)
                    .collect(),
            )
        } else {
            if !v.get("nodes").is_some_and(Value::is_array) {
                return Err(GraphJsonError::NoNodes);
            }
            let mut doc = NodeLinkGraph::deserialize(v).map_err(bad)?;
            let edges = doc.links.take().or(doc.edges.take()).unwrap_or_default();
            (doc.nodes, edges)
        };
        // As before the typed model: a float written as null (not finite) reads as 0.
        let finite = |x: f64| if x.is_finite() { x } else { 0.0 };
        let mut index = std::collections::HashMap::new();
        let mut out = ReportGraph::default();
        for (i, n) in nodes.into_iter().enumerate() {
            let id = n.id.into_owned();
            index.insert(id.clone(), i);
            out.nodes.push(ReportNode {
                label: Some(n.label.into_owned())
                    .filter(|l| !l.is_empty())
                    .unwrap_or(id.clone()),
                id,
                kind: n.kind.into_owned(),
                mentions: n.mentions,
                documents: n.documents,
                weighted_degree: finite(n.weighted_degree),
                pagerank: finite(n.pagerank),
                betweenness: finite(n.betweenness),
                community: n.community,
                provisional: n
                    .provisional
                    .then(|| n.cue.map(Cow::into_owned).unwrap_or_default()),
            });
        }
        for (i, e) in edges.iter().enumerate() {
            let end = |key: &str| -> Result<usize, GraphJsonError> {
                index
                    .get(key)
                    .copied()
                    .ok_or_else(|| GraphJsonError::UnknownNode {
                        edge: i,
                        node: key.to_string(),
                    })
            };
            out.edges.push(ReportEdge {
                a: end(&e.source)?,
                b: end(&e.target)?,
                weight: finite(e.weight),
                count: e.count,
                documents: e.documents,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            ReportGraph::from_json(&bad).unwrap_err().to_string(),
            "edge 0: unknown node \"z\""
        );
    }
}
