//! Tagging a stream of documents in parallel, in input order, with bounded memory.
//!
//! Documents are read in batches (at most [`BATCH_DOCS`] documents or [`BATCH_BYTES`] of
//! text), each batch is tagged on the rayon thread pool, and results are handed to the
//! caller in input order. Only one batch is in flight, so memory does not grow with the
//! corpus, and the output does not depend on the number of threads.

use rayon::prelude::*;

use crate::input::{Document, InputEvent};
use crate::tagger::{Scratch, Tagged, Tagger};

/// Most documents tagged together.
pub const BATCH_DOCS: usize = 512;
/// Most text bytes tagged together.
pub const BATCH_BYTES: usize = 32 << 20;

/// What the pipeline hands to its caller, in input order.
pub enum Processed {
    Document(Document, Tagged),
    /// A non-document input event (lossy decoding, a skipped source).
    Note(InputEvent),
}

/// Tags every document of `events` and calls `sink` for each result, in input order.
pub fn tag_all<I, F>(tagger: &Tagger, events: I, mut sink: F)
where
    I: IntoIterator<Item = InputEvent>,
    F: FnMut(Processed),
{
    let mut events = events.into_iter().peekable();
    let mut batch: Vec<InputEvent> = Vec::new();
    while events.peek().is_some() {
        batch.clear();
        let (mut docs, mut bytes) = (0, 0);
        while docs < BATCH_DOCS && bytes < BATCH_BYTES {
            let Some(e) = events.next() else { break };
            if let InputEvent::Document(d) = &e {
                docs += 1;
                bytes += d.text.len();
            }
            batch.push(e);
        }
        let mut tagged: Vec<Option<Tagged>> = batch
            .par_iter()
            .map_init(Scratch::default, |scratch, e| match e {
                InputEvent::Document(d) => Some(tagger.tag_with(&d.text, scratch)),
                _ => None,
            })
            .collect();
        for (e, t) in batch.drain(..).zip(tagged.drain(..)) {
            match (e, t) {
                (InputEvent::Document(d), Some(t)) => sink(Processed::Document(d, t)),
                (e, _) => sink(Processed::Note(e)),
            }
        }
    }
}
