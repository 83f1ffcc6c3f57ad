//! The corpus pipeline: documents → mentions → windows → counts → graph, in parallel, in
//! input order, with bounded memory.
//!
//! [`tag_corpus`], [`count`] and [`build_graph`] take a [`Recognizer`], the input events
//! ([`crate::input::Documents`]), options ([`CountOptions`], [`GraphOptions`]) and a [`Sink`]
//! that sees what the caller wants per document.
//!
//! Documents are read in batches (at most [`BATCH_DOCS`] documents or [`BATCH_BYTES`] of
//! text) on a reader thread, each batch is parsed (JSONL lines given as [`RawEvent::Line`])
//! and tagged on the rayon thread pool, and results are handed to the caller in input order
//! on the caller's thread. The three stages overlap through queues one batch deep, so the
//! pool does not wait on reading or on the caller; at most five batches are alive, so
//! memory does not grow with the corpus, and the output does not depend on the number of
//! threads.

use rayon::prelude::*;

use crate::cooccur::{CooccurrenceCounts, EntityMap};
use crate::date::{DateRange, Period};
use crate::entity::EntityView;
use crate::graph::{EntityGraph, Filters, Weighting};
use crate::input::{Document, InputEvent, RawEvent};
use crate::recognize::{RecognizeScratch, Recognizer};
use crate::tagger::{Mention, Tagged};
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
///
/// `events` are input events or, better, [`crate::input::Documents::raw`]'s raw events:
/// JSONL lines are then decoded and parsed on the thread pool too, instead of on the
/// caller's thread ahead of it.
pub fn tag_all<E, I, F>(recognizer: &Recognizer, events: I, sink: F)
where
    E: Into<RawEvent>,
    I: IntoIterator<Item = E> + Send,
    F: FnMut(Processed),
{
    tag_all_with(recognizer, events, |_, _| (), sink)
}

/// Like [`tag_all`], but also runs `per_document` on each tagged document, in parallel,
/// and hands its result to `sink` with the document.
pub fn tag_all_with<T, E, I, P, F>(recognizer: &Recognizer, events: I, per_document: P, mut sink: F)
where
    T: Send,
    E: Into<RawEvent>,
    I: IntoIterator<Item = E> + Send,
    P: Fn(&Document, &mut Tagged) -> T + Sync,
    F: FnMut(Processed<T>),
{
    tag_admitted(
        recognizer,
        events,
        &|_| true,
        per_document,
        |done| match done {
            Done::Note(e) => sink(Processed::Note(e)),
            Done::Document(d, t, x) => sink(Processed::Document(d, t, x)),
            // Never: every document is admitted.
            Done::Excluded => {}
        },
    );
}

/// What [`tag_admitted`] hands over, in input order.
enum Done<T> {
    Note(InputEvent),
    Document(Document, Tagged, T),
    /// A document `admit` refused: not tagged.
    Excluded,
}

/// What the pool made of one raw event: the notes before its document, and the document.
struct Worked<T> {
    notes: Vec<InputEvent>,
    document: Outcome<T>,
}

/// What became of the document of one raw event.
// Nearly every outcome is `Tagged`: boxing it would allocate once per document for nothing.
#[allow(clippy::large_enum_variant)]
enum Outcome<T> {
    /// The event was not a document (or its line was skipped).
    None,
    /// `admit` refused it (it was dropped on the pool).
    Excluded,
    /// Tagged, with what `per_document` made of it.
    Tagged(Document, Tagged, T),
}

/// The engine of [`tag_all_with`]: decodes, parses, admits, tags and runs `per_document` on
/// the thread pool, batch by batch, and hands results to `sink` in input order.
fn tag_admitted<T, E, I, P, F>(
    recognizer: &Recognizer,
    events: I,
    admit: &(dyn Fn(&Document) -> bool + Sync),
    per_document: P,
    mut sink: F,
) where
    T: Send,
    E: Into<RawEvent>,
    I: IntoIterator<Item = E> + Send,
    P: Fn(&Document, &mut Tagged) -> T + Sync,
    F: FnMut(Done<T>),
{
    let work = |batch: Vec<RawEvent>| -> Vec<Worked<T>> {
        batch
            .into_par_iter()
            .map_init(RecognizeScratch::default, |scratch, e| {
                let (notes, document) = match e {
                    RawEvent::Line(line) => {
                        let parsed = line.parse();
                        (parsed.notes, parsed.document)
                    }
                    RawEvent::Event(InputEvent::Document(d)) => (Vec::new(), Some(d)),
                    RawEvent::Event(note) => (vec![note], None),
                };
                let document = match document {
                    None => Outcome::None,
                    Some(d) if !admit(&d) => Outcome::Excluded,
                    Some(d) => {
                        let mut tagged = recognizer.recognize_with(&d.text, scratch);
                        let extra = per_document(&d, &mut tagged);
                        Outcome::Tagged(d, tagged, extra)
                    }
                };
                Worked { notes, document }
            })
            .collect()
    };
    // Three stages on their own threads, joined by queues one batch deep: a reader cuts
    // the input into batches, a driver works each on the pool, and this thread hands the
    // results to the sink in order. The pool always has the next batch waiting, so it
    // never idles while this thread counts or the reader reads. At most five batches are
    // alive: one being read, one queued, one on the pool, one done and queued, one being
    // handed over.
    let (batches, to_work) = std::sync::mpsc::sync_channel::<Vec<RawEvent>>(1);
    let (worked, to_hand) = std::sync::mpsc::sync_channel::<Vec<Worked<T>>>(1);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut events = events.into_iter().map(Into::into);
            loop {
                let batch = read_batch(&mut events);
                // A closed queue means the stages after this one stopped (a panic): stop too.
                if batch.is_empty() || batches.send(batch).is_err() {
                    break;
                }
            }
        });
        let work = &work;
        scope.spawn(move || {
            for batch in to_work {
                if worked.send(work(batch)).is_err() {
                    break;
                }
            }
        });
        // Ends when the driver has sent its last batch (or panicked: the scope then
        // re-raises its panic once every thread has stopped).
        for w in to_hand.into_iter().flatten() {
            for note in w.notes {
                sink(Done::Note(note));
            }
            match w.document {
                Outcome::Tagged(d, t, x) => sink(Done::Document(d, t, x)),
                Outcome::Excluded => sink(Done::Excluded),
                Outcome::None => {}
            }
        }
    });
}

/// The next batch of events: at most [`BATCH_DOCS`] documents (or JSONL lines) or
/// [`BATCH_BYTES`] of text (with the notes between them); empty at the end.
fn read_batch(events: &mut impl Iterator<Item = RawEvent>) -> Vec<RawEvent> {
    let mut batch = Vec::new();
    let (mut docs, mut bytes) = (0, 0);
    while docs < BATCH_DOCS && bytes < BATCH_BYTES {
        let Some(e) = events.next() else { break };
        match &e {
            RawEvent::Line(line) => {
                docs += 1;
                bytes += line.len();
            }
            RawEvent::Event(InputEvent::Document(d)) => {
                docs += 1;
                bytes += d.text.len();
            }
            RawEvent::Event(_) => {}
        }
        batch.push(e);
    }
    batch
}

/// How a corpus is counted: the window, the evidence kept per pair, what becomes of
/// demonyms, and by which dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountOptions {
    /// The co-occurrence window (default: sentences).
    pub window: WindowKind,
    /// Evidence windows kept per pair (default 3).
    pub evidence: usize,
    /// Count demonyms (`Chinese`) as their country instead of dropping them (default off).
    pub demonyms: bool,
    /// How per-period counts are cut (default: months).
    pub period: Period,
    /// Which documents are counted by date (default: all). With a bound set, documents
    /// outside it, and undated ones, are not tagged or counted, only counted as excluded
    /// ([`CooccurrenceCounts::excluded_documents`]).
    pub range: DateRange,
    /// Most distinct entities in a window whose pairs are counted (default
    /// [`crate::window::MAX_WINDOW_ENTITIES`]); windows with more are counted in
    /// [`CooccurrenceCounts::capped_windows`] and [`CountedDocument::capped_windows`].
    pub max_window_entities: usize,
    /// Keep every document's id, title and date ([`CooccurrenceCounts::keep_documents`]),
    /// as partial counts ([`crate::part`]) need (default off: memory then does not grow
    /// with the number of documents).
    pub keep_documents: bool,
}

impl Default for CountOptions {
    fn default() -> Self {
        CountOptions {
            window: WindowKind::Sentence,
            evidence: 3,
            demonyms: false,
            period: Period::default(),
            range: DateRange::default(),
            max_window_entities: crate::window::MAX_WINDOW_ENTITIES,
            keep_documents: false,
        }
    }
}

/// How a graph is made from a corpus: counting, then weighting and pruning.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GraphOptions {
    /// How the corpus is counted before the graph is made (window, evidence, demonyms).
    pub count: CountOptions,
    /// The edge weight (default: window count).
    pub weighting: Weighting,
    /// What to prune (default: nothing).
    pub filters: Filters,
}

/// A document after counting, as [`Sink::counted`] sees it.
pub struct CountedDocument<'a> {
    /// The document as read (its text is what the byte offsets below index).
    pub document: &'a Document,
    /// Its mentions after demonyms were dropped or folded, sorted by start; provisional
    /// entities carry the corpus's ids.
    pub mentions: &'a [Mention],
    /// Its windows, with the same ids.
    pub windows: &'a DocumentWindows,
    /// Resolves the ids of `mentions` and `windows` (gazetteer and corpus provisional).
    pub entities: EntityView<'a>,
    /// Windows of this document whose pairs were not counted: they hold more distinct
    /// entities than [`CountOptions::max_window_entities`].
    pub capped_windows: u64,
}

/// What a caller wants to see while a corpus goes through the pipeline. Every method has a
/// default that does nothing, and all of them are called on the caller's thread, in input
/// order; `()` is a sink that wants nothing.
pub trait Sink {
    /// An input event that is not a document: lossy decoding, a skipped source.
    fn note(&mut self, _event: &InputEvent) {}

    /// A tagged document ([`tag_corpus`]): its mentions as the recognizer found them, ids
    /// resolved by `entities` (gazetteer and the document's own provisional entities).
    fn tagged(&mut self, _document: &Document, _tagged: &Tagged, _entities: EntityView) {}

    /// A counted document ([`count`], [`build_graph`]).
    fn counted(&mut self, _document: &CountedDocument) {}
}

impl Sink for () {}

/// Tags every document of `events` and hands each to [`Sink::tagged`], in input order.
pub fn tag_corpus<E, I, S>(recognizer: &Recognizer, events: I, sink: &mut S)
where
    E: Into<RawEvent>,
    I: IntoIterator<Item = E> + Send,
    S: Sink + ?Sized,
{
    tag_all(recognizer, events, |p| match p {
        Processed::Document(doc, tagged, ()) => {
            let view = EntityView::new(recognizer.gazetteer(), &tagged.provisional);
            sink.tagged(&doc, &tagged, view);
        }
        Processed::Note(e) => sink.note(&e),
    });
}

/// Tags and counts a corpus. Documents go to [`Sink::counted`] and other input events to
/// [`Sink::note`], in input order; provisional entities are renumbered to the corpus's
/// ([`CooccurrenceCounts::provisional`]) before either sees them.
pub fn count<E, I, S>(
    recognizer: &Recognizer,
    events: I,
    options: &CountOptions,
    sink: &mut S,
) -> CooccurrenceCounts
where
    E: Into<RawEvent>,
    I: IntoIterator<Item = E> + Send,
    S: Sink + ?Sized,
{
    let window = options.window;
    let entities = EntityMap::new(recognizer.gazetteer(), options.demonyms);
    let mut counts = CooccurrenceCounts::new(window, options.evidence);
    counts.period = options.period;
    counts.range = options.range;
    counts.max_window_entities = options.max_window_entities;
    if options.keep_documents {
        counts.keep_documents();
    }
    // Documents outside the date range are not tagged, only counted.
    let range = options.range;
    let mut excluded = 0u64;
    tag_admitted(
        recognizer,
        events,
        &|d| range.is_open() || range.admits(d.date()),
        |doc, tagged| {
            entities.apply(&mut tagged.mentions);
            windows(window, &doc.text, &tagged.mentions)
        },
        |done| match done {
            Done::Document(doc, mut tagged, mut w) => {
                counts.intern_provisional(
                    &doc.id,
                    recognizer.gazetteer().len(),
                    &mut tagged,
                    &mut w,
                );
                let capped_before = counts.capped_windows;
                counts.add(&doc, &tagged.mentions, &w);
                sink.counted(&CountedDocument {
                    capped_windows: counts.capped_windows - capped_before,
                    document: &doc,
                    mentions: &tagged.mentions,
                    windows: &w,
                    entities: EntityView::new(recognizer.gazetteer(), &counts.provisional),
                });
            }
            Done::Excluded => excluded += 1,
            Done::Note(e) => sink.note(&e),
        },
    );
    counts.excluded_documents = excluded;
    counts
}

/// Tags and counts a corpus ([`count`]), then builds its weighted, pruned and analysed graph
/// ([`crate::graph::build`]).
pub fn build_graph<E, I, S>(
    recognizer: &Recognizer,
    events: I,
    options: &GraphOptions,
    sink: &mut S,
) -> (CooccurrenceCounts, EntityGraph)
where
    E: Into<RawEvent>,
    I: IntoIterator<Item = E> + Send,
    S: Sink + ?Sized,
{
    let counts = count(recognizer, events, &options.count, sink);
    let graph = crate::graph::build(
        &counts,
        recognizer.gazetteer(),
        options.weighting,
        &options.filters,
    );
    (counts, graph)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::GazetteerBuilder;
    use crate::tagger::Tagger;

    fn recognizer() -> Recognizer {
        let mut b = GazetteerBuilder::new();
        b.add_str("g.tsv", "type\tname\taliases\nPERSON\tAda Lovelace\tAda\n");
        Recognizer::new(Tagger::new(b.build().unwrap()).unwrap(), None)
    }

    /// Enough events for several batches (BATCH_DOCS each), with notes between documents.
    fn events(n: usize) -> Vec<InputEvent> {
        let mut out = Vec::new();
        for i in 0..n {
            if i % 97 == 0 {
                out.push(InputEvent::Skipped {
                    source: format!("s{i}"),
                    reason: "test".into(),
                });
            }
            let text = if i % 3 == 0 { "Ada wrote." } else { "Nobody." };
            out.push(InputEvent::Document(Document::new(format!("d{i}"), text)));
        }
        out
    }

    #[test]
    fn results_come_in_input_order_over_many_batches() {
        let r = recognizer();
        let n = 3 * BATCH_DOCS + 7;
        let mut seen = Vec::new();
        tag_all(&r, events(n), |p| match p {
            Processed::Document(d, t, ()) => seen.push(format!("{}:{}", d.id, t.mentions.len())),
            Processed::Note(InputEvent::Skipped { source, .. }) => seen.push(source),
            Processed::Note(_) => unreachable!(),
        });
        let expected: Vec<String> = events(n)
            .into_iter()
            .map(|e| match e {
                InputEvent::Document(d) => {
                    format!("{}:{}", d.id, usize::from(d.text.starts_with("Ada")))
                }
                InputEvent::Skipped { source, .. } => source,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_panic_on_the_pool_or_in_the_sink_reaches_the_caller_and_nothing_hangs() {
        let r = recognizer();
        let n = 4 * BATCH_DOCS;
        let on_pool = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            tag_all_with(
                &r,
                events(n),
                |d, _| assert_ne!(d.id, "d700", "boom on the pool"),
                |_| {},
            )
        }));
        assert!(on_pool.is_err());
        let mut handed = 0;
        let in_sink = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            tag_all(&r, events(n), |_| {
                handed += 1;
                assert!(handed < 600, "boom in the sink");
            })
        }));
        assert!(in_sink.is_err());
        assert_eq!(handed, 600);
    }
}
