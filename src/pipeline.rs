//! Tagging a stream of documents in parallel, in input order, with bounded memory.
//!
//! Documents are read in batches (at most [`BATCH_DOCS`] documents or [`BATCH_BYTES`] of
//! text), each batch is tagged on the rayon thread pool, and results are handed to the
//! caller in input order. Only one batch is in flight, so memory does not grow with the
//! corpus, and the output does not depend on the number of threads.

use rayon::prelude::*;

use crate::cooccur::{CooccurrenceCounts, EntityMap};
use crate::entity::EntityView;
use crate::input::{Document, InputEvent};
use crate::recognize::{RecognizeScratch, Recognizer};
use crate::tagger::Tagged;
use crate::window::{DocumentWindows, WindowKind, windows};

/// Most documents tagged together.
pub const BATCH_DOCS: usize = 512;
/// Most text bytes tagged together.
pub const BATCH_BYTES: usize = 32 << 20;

/// What the pipeline hands to its caller, in input order.
pub enum Processed<T = ()> {
    /// A document, its mentions, and what the per-document step made of them.
    Document(Document, Tagged, T),
    /// A non-document input event (lossy decoding, a skipped source).
    Note(InputEvent),
}

/// Tags every document of `events` and calls `sink` for each result, in input order.
pub fn tag_all<I, F>(recognizer: &Recognizer, events: I, sink: F)
where
    I: IntoIterator<Item = InputEvent>,
    F: FnMut(Processed),
{
    tag_all_with(recognizer, events, |_, _| (), sink)
}

/// Like [`tag_all`], but also runs `per_document` on each tagged document, in parallel,
/// and hands its result to `sink` with the document.
pub fn tag_all_with<T, I, P, F>(recognizer: &Recognizer, events: I, per_document: P, mut sink: F)
where
    T: Send,
    I: IntoIterator<Item = InputEvent>,
    P: Fn(&Document, &mut Tagged) -> T + Sync,
    F: FnMut(Processed<T>),
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
        let mut done: Vec<Option<(Tagged, T)>> = batch
            .par_iter()
            .map_init(RecognizeScratch::default, |scratch, e| match e {
                InputEvent::Document(d) => {
                    let mut tagged = recognizer.recognize_with(&d.text, scratch);
                    let extra = per_document(d, &mut tagged);
                    Some((tagged, extra))
                }
                _ => None,
            })
            .collect();
        for (e, t) in batch.drain(..).zip(done.drain(..)) {
            match (e, t) {
                (InputEvent::Document(d), Some((t, x))) => sink(Processed::Document(d, t, x)),
                (e, _) => sink(Processed::Note(e)),
            }
        }
    }
}

/// Tags a corpus and counts co-occurrences in `window`s, keeping `evidence` examples per
/// pair. Mentions are first passed through `entities` (which drops or folds some, e.g.
/// demonyms). `note` sees every non-document input event, in order.
pub fn count_corpus<I, N>(
    recognizer: &Recognizer,
    events: I,
    window: WindowKind,
    evidence: usize,
    entities: &EntityMap,
    note: N,
) -> CooccurrenceCounts
where
    I: IntoIterator<Item = InputEvent>,
    N: FnMut(&InputEvent),
{
    count_corpus_with(
        recognizer,
        events,
        window,
        evidence,
        entities,
        note,
        |_, _, _, _| {},
    )
}

/// Like [`count_corpus`], and hands every document with its (mapped) mentions and its
/// windows to `on_document`, in input order: for outputs that show the texts. Provisional
/// entities are renumbered to the corpus's ([`CooccurrenceCounts::provisional`]) first.
pub fn count_corpus_with<I, N, D>(
    recognizer: &Recognizer,
    events: I,
    window: WindowKind,
    evidence: usize,
    entities: &EntityMap,
    mut note: N,
    mut on_document: D,
) -> CooccurrenceCounts
where
    I: IntoIterator<Item = InputEvent>,
    N: FnMut(&InputEvent),
    D: FnMut(&Document, &[crate::tagger::Mention], &DocumentWindows, EntityView),
{
    let mut counts = CooccurrenceCounts::new(window, evidence);
    tag_all_with(
        recognizer,
        events,
        |doc, tagged| {
            entities.apply(&mut tagged.mentions);
            windows(window, &doc.text, &tagged.mentions)
        },
        |p| match p {
            Processed::Document(doc, mut tagged, mut w) => {
                counts.intern_provisional(recognizer.gazetteer().len(), &mut tagged, &mut w);
                counts.add_document(&doc.id, &doc.text, &tagged.mentions, &w);
                let view = EntityView::new(recognizer.gazetteer(), &counts.provisional);
                on_document(&doc, &tagged.mentions, &w, view);
            }
            Processed::Note(e) => note(&e),
        },
    );
    counts
}
