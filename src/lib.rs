//! entgraph: from a pile of text to a graph of who and what appears together.
//!
//! A [`Recognizer`] finds the people, places and organizations of a [`Gazetteer`] in each
//! document (one Aho-Corasick automaton, whole words, leftmost-longest, offset-keeping
//! Unicode folding, per-alias case rules) and, unless switched off, discovers the names
//! nobody listed ([`discover`]). The [`pipeline`] counts which entities share a window
//! (sentence, paragraph, document or N tokens) over a whole corpus, in parallel and in input
//! order, and builds a weighted, analysed [`EntityGraph`]; the [`export`] modules write it as
//! DOT, JSON or an offline HTML viewer.
//!
//! ```
//! use entgraph::{Document, GraphOptions, InputEvent, Recognizer, build_graph};
//!
//! let recognizer = Recognizer::default_embedded()?;
//! let docs = [
//!     "Lee Jae-myung met Xi Jinping in Gyeongju. Analyst Varun Mishra called it a reset.",
//!     "Xi Jinping flew home from South Korea.",
//! ]
//! .iter()
//! .enumerate()
//! .map(|(i, text)| InputEvent::Document(Document::new(format!("doc{i}"), *text)));
//! let (counts, graph) = build_graph(&recognizer, docs, &GraphOptions::default(), &mut ());
//! assert_eq!(counts.documents.len(), 2);
//! let ids: Vec<&str> = graph.graph.node_weights().map(|n| n.id.as_str()).collect();
//! assert!(ids.contains(&"xi-jinping") && ids.contains(&"lee-jae-myung"));
//! // Varun Mishra is in no gazetteer: discovery found him, typed by the title before him.
//! let mishra = graph.graph.node_weights().find(|n| n.id == "new:varun-mishra").unwrap();
//! assert_eq!((mishra.kind.as_str(), mishra.provisional.as_deref()), ("PERSON", Some("title:Analyst")));
//! # Ok::<(), entgraph::recognize::LoadError>(())
//! ```
//!
//! Data flows one way, one module per stage:
//! - input: [`input`] (files, directories, JSONL, gzip, standard input) gives [`Document`]s;
//! - documents → mentions: [`gazetteer`] (the TSV format), [`fold`] (folding with an offset
//!   map), [`tagger`] (the automaton), [`discover`] (cue lists and name chains), combined by
//!   [`recognize`]; [`entity`] resolves ids of both kinds;
//! - mentions → windows → counts: [`segment`], [`window`], [`cooccur`];
//! - counts → graph: [`graph`] (weights, pruning, PageRank, betweenness, components);
//! - graph → outputs: [`export`] (DOT, JSON, HTML), [`report`], [`explain`](mod@explain),
//!   [`tagformat`] (tagged text), [`unmatched`] (names to review), [`output`] (atomic files);
//! - beside the flow: [`eval`] (scoring against gold), [`lint`] (`gazetteer check`),
//!   [`import`] (gazetteers from GeoNames and CSV).
//!
//! `DESIGN.md` walks the data flow module by module with the invariants each stage keeps.

#![deny(missing_docs)]

pub mod attribute;
pub mod cache;
pub mod cooccur;
pub mod date;
pub mod discover;
pub mod entity;
pub mod escape;
pub mod eval;
pub mod explain;
pub mod export;
pub mod fold;
pub mod gazetteer;
pub mod graph;
pub mod import;
pub mod input;
pub mod lint;
pub mod output;
pub mod part;
pub mod pipeline;
pub mod recognize;
pub mod report;
pub mod segment;
pub mod tagformat;
pub mod tagger;
pub mod unmatched;
pub mod window;

pub use cooccur::CooccurrenceCounts;
pub use discover::{Cues, Discoverer, ProvisionalEntity};
pub use entity::{EntityRef, EntityView};
pub use explain::{Explanation, explain};
pub use gazetteer::{EntityId, Gazetteer, GazetteerError};
pub use graph::{Edge, EntityGraph, Filters, Node, Weighting};
pub use input::{Document, Documents, InputEvent};
pub use pipeline::{
    CountOptions, CountedDocument, GraphOptions, Sink, build_graph, count, tag_corpus,
};
pub use recognize::{RecognizeScratch, Recognizer};
pub use tagger::{Mention, Tagged, Tagger};
pub use window::WindowKind;
