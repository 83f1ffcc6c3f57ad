//! The page's embedded data: nodes, edges and their evidence, and the documents of the
//! reading view, with every byte offset converted to UTF-16 and evidence marked.

use std::collections::HashMap;

use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::{DATA_FORMAT, HtmlDocument, HtmlMention};
use crate::attribute::AttrValue;
use crate::graph::{EdgeEvidence, EntityGraph, GraphMeta};

#[derive(Serialize)]
pub(super) struct PageData<'a> {
    format: &'static str,
    /// The type styles ([`crate::export::TYPE_STYLES`], shared with the DOT export and the
    /// report), in legend order, and the colour of other types.
    types: Vec<TypeOut>,
    other_color: &'static str,
    meta: &'a GraphMeta,
    documents_total: usize,
    nodes: Vec<NodeOut<'a>>,
    edges: Vec<EdgeOut<'a>>,
    documents: Vec<DocOut<'a>>,
}

/// What the viewer needs of a type's style.
#[derive(Serialize)]
struct TypeOut {
    #[serde(rename = "type")]
    kind: &'static str,
    /// The legend's name for the type.
    name: &'static str,
    color: &'static str,
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
    community: usize,
    /// `[surface, count]` pairs (arrays, not an object: keys are untrusted text).
    aliases: Vec<(&'a str, u64)>,
    /// `[key, value]` pairs.
    attributes: Vec<(&'a str, &'a AttrValue)>,
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
    /// The document's title and date, when it has them (as in the graph's evidence).
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<crate::date::Date>,
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

pub(super) fn page_data<'a>(
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
                community: n.community,
                aliases: n.aliases.iter().map(|(s, c)| (s.as_str(), *c)).collect(),
                attributes: n.attributes.iter().map(|(k, v)| (k.as_str(), v)).collect(),
                provisional: n.provisional.is_some(),
                cue: n.provisional.as_deref(),
            }
        })
        .collect();

    let edges = g
        .edge_references()
        .map(|e| {
            let (s, t) = (e.source().index(), e.target().index());
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
                            d.doc.text.get(ev.start..ev.start + ev.text.len()) == Some(&*ev.text)
                        });
                        let marks = evidence_marks(ev, [s, t]);
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
                            title: ev.title.as_deref(),
                            date: ev.date,
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
        types: crate::export::TYPE_STYLES
            .iter()
            .map(|s| TypeOut {
                kind: s.kind,
                name: s.name,
                color: s.color,
            })
            .collect(),
        other_color: crate::export::OTHER_STYLE.color,
        meta: &graph.meta,
        documents_total,
        nodes,
        edges,
        documents,
    }
}

/// Where the two entities of an edge (node indexes `ends`) occur in an evidence text that
/// starts at byte `ev.start` of its document: its spans (which the counting recorded, each
/// inside the text), in text order, in UTF-16 code units of the text.
fn evidence_marks(ev: &EdgeEvidence, ends: [usize; 2]) -> Vec<Mark> {
    let text = &ev.text;
    let inside = |&&(s, e): &&(usize, usize)| {
        s >= ev.start
            && s <= e
            && e - ev.start <= text.len()
            && text.is_char_boundary(s - ev.start)
            && text.is_char_boundary(e - ev.start)
    };
    // Byte ranges in `text`, with node index.
    let mut found: Vec<(usize, usize, usize)> = [&ev.spans.source, &ev.spans.target]
        .into_iter()
        .zip(ends)
        .flat_map(|(spans, node)| {
            spans
                .iter()
                .filter(inside)
                .map(move |&(s, e)| (s - ev.start, e - ev.start, node))
        })
        .collect();
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

#[cfg(test)]
mod tests {
    use super::super::tests::{data_of, graph, mention, render};
    use super::super::*;
    use super::*;

    #[test]
    fn offsets_become_utf16_and_evidence_is_marked_from_its_spans() {
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
    fn evidence_is_marked_from_its_spans_without_its_document() {
        // "Anabel" and "Bob" are not mentions: only the spans count, no text is searched.
        let text = "Anabel and Ana Lúcia saw Bo, then Ana saw Bob. Ana";
        let at = |s: &str| text.find(s).unwrap();
        let ev_len = text.len() - 1; // the cut text ends inside the last "Ana"
        let spans = crate::graph::EvidenceSpans {
            source: vec![
                (at("Ana Lúcia"), at("Ana Lúcia") + "Ana Lúcia".len()),
                (at("Ana saw"), at("Ana saw") + 3),
                // Past the cut text, and inside a char: ignored.
                (text.len() - 3, text.len()),
                (at("ú") + 1, at("ú") + 2),
            ],
            target: vec![(at("Bo,"), at("Bo,") + 2)],
        };
        let g = super::super::tests::graph_with_spans(text, 0, ev_len, spans);
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
        let at16 = |s: &str| text[..at(s)].encode_utf16().count() as u64;
        assert_eq!(
            marks,
            [
                (at16("Ana Lúcia"), at16("Ana Lúcia") + 9, 0),
                (at16("Bo,"), at16("Bo,") + 2, 1),
                (at16("Ana saw"), at16("Ana saw") + 3, 0),
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
}
