//! Reading the graph a report needs: from a freshly built [`EntityGraph`] or from a
//! `graph.json` written by `entgraph build`, in any of its three styles.

use petgraph::visit::EdgeRef;
use serde_json::Value;

use super::{ReportEdge, ReportGraph, ReportNode};
use crate::graph::EntityGraph;

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
        assert!(
            ReportGraph::from_json(&bad)
                .unwrap_err()
                .contains("unknown node")
        );
    }
}
