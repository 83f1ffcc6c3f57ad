//! entgraph: from a pile of text to a graph of who and what appears together.
//!
//! Data flows one way: input → documents → mentions → windows → counts → graph → exporters.
//! - [`gazetteer`]: the entities to find, read from TSV files;
//! - [`fold`]: text folding that keeps byte offsets;
//! - [`tagger`]: one Aho-Corasick automaton finds every alias, whole words, leftmost-longest;
//! - [`input`]: documents from files, directories, JSONL and stdin.

pub mod fold;
pub mod gazetteer;
pub mod tagger;

pub use gazetteer::{EntityId, Gazetteer};
pub use tagger::{Mention, Tagger};
pub mod cooccur;
pub mod discover;
pub mod entity;
pub mod eval;
pub mod explain;
pub mod export;
pub mod graph;
pub mod import;
pub mod input;
pub mod lint;
pub mod output;
pub mod pipeline;
pub mod recognize;
pub mod report;
pub mod segment;
pub mod tagformat;
pub mod unmatched;
pub mod window;
