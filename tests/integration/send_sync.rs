//! The types the pipeline shares between threads are `Send + Sync`, so a field that is not
//! (an `Rc`, a `RefCell`, a raw pointer) fails to compile here, at the type, rather than in
//! whatever caller first moves it across threads.
//!
//! `entgraph::pipeline::tag_all_with` shares the `Recognizer` (its `Tagger`, `Gazetteer`,
//! `Discoverer` and `Cues`) and the per-document closure's captures (an `EntityMap`) across
//! rayon's workers, hands each worker `InputEvent`s/`Document`s and its own
//! `RecognizeScratch`, and sends `Tagged` results and `DocumentWindows` back; the counts and
//! the graph are built from them and may be handed to other threads by callers.

use entgraph::cooccur::{CooccurrenceCounts, EntityMap};
use entgraph::discover::{Cues, DiscoverScratch, Discoverer, ProvisionalEntity};
use entgraph::gazetteer::Gazetteer;
use entgraph::graph::{Edge, EntityGraph, Node};
use entgraph::input::{Document, InputEvent};
use entgraph::pipeline::Processed;
use entgraph::recognize::{RecognizeScratch, Recognizer};
use entgraph::tagger::{Mention, Scratch, Tagged, Tagger};
use entgraph::window::{DocumentWindows, WindowKind};

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn shared_types_are_send_and_sync() {
    // Shared by reference across the workers.
    assert_send_sync::<Tagger>();
    assert_send_sync::<Gazetteer>();
    assert_send_sync::<Recognizer>();
    assert_send_sync::<Discoverer>();
    assert_send_sync::<Cues>();
    assert_send_sync::<EntityMap>();
    assert_send_sync::<WindowKind>();
    // Handed to the workers and back.
    assert_send_sync::<InputEvent>();
    assert_send_sync::<Document>();
    assert_send_sync::<RecognizeScratch>();
    assert_send_sync::<Scratch>();
    assert_send_sync::<DiscoverScratch>();
    assert_send_sync::<Tagged>();
    assert_send_sync::<Mention>();
    assert_send_sync::<ProvisionalEntity>();
    assert_send_sync::<DocumentWindows>();
    assert_send_sync::<Processed<DocumentWindows>>();
    // Built from the results.
    assert_send_sync::<CooccurrenceCounts>();
    assert_send_sync::<EntityGraph>();
    assert_send_sync::<Node>();
    assert_send_sync::<Edge>();
}
