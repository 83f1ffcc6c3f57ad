//! What discovery costs: one thread, BBC news with the default gazetteer, tagging alone
//! against tagging plus discovery (`Recognizer`), and a whole-corpus count with and without it;
//! then what `entgraph build` does on BBC + Reuters (all threads: read, count, graph, JSON and
//! DOT, as the command's defaults) with and without discovery, the 30 % budget.
//!
//! The corpus comes from `../shared` beside the checkout; without it the benchmarks are skipped
//! with a note.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use entgraph::cooccur::{CooccurrenceCounts, EntityMap};
use entgraph::discover::{Cues, Discoverer};
use entgraph::export::dot::to_dot;
use entgraph::export::json::{JsonStyle, write_json};
use entgraph::gazetteer::Gazetteer;
use entgraph::recognize::{RecognizeScratch, Recognizer};
use entgraph::tagger::Tagger;
use entgraph::window::{WindowKind, windows};
use entgraph::{Documents, GraphOptions, Sink, pipeline};

mod common;

use common::{SHARED, bbc_texts};

/// Ignores the input stage's reports: the corpora are clean.
struct Quiet;
impl Sink for Quiet {}

fn recognizer(discover: bool) -> Recognizer {
    let tagger = Tagger::new(Gazetteer::default_embedded().unwrap()).unwrap();
    let d = discover.then(|| Discoverer::new(Cues::default_embedded().unwrap()));
    Recognizer::new(tagger, d)
}

fn benches(c: &mut Criterion) {
    let Some(bbc) = bbc_texts() else {
        eprintln!("note: ../shared/corpora/news missing; discovery benchmarks skipped");
        return;
    };
    let bytes: usize = bbc.iter().map(String::len).sum();
    let mut group = c.benchmark_group("discover");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    for (name, on) in [("bbc/tag-only", false), ("bbc/tag+discover", true)] {
        let r = recognizer(on);
        let mut scratch = RecognizeScratch::default();
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0;
                for t in &bbc {
                    n += r.recognize_with(black_box(t), &mut scratch).mentions.len();
                }
                n
            })
        });
    }
    // Tagging, windows and counting, as `build` does before the graph.
    for (name, on) in [("bbc/count", false), ("bbc/count+discover", true)] {
        let r = recognizer(on);
        let map = EntityMap::new(r.gazetteer(), false);
        let mut scratch = RecognizeScratch::default();
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut counts = CooccurrenceCounts::new(WindowKind::Sentence, 3);
                for (i, t) in bbc.iter().enumerate() {
                    let mut tagged = r.recognize_with(black_box(t), &mut scratch);
                    map.apply(&mut tagged.mentions);
                    let mut w = windows(WindowKind::Sentence, t, &tagged.mentions);
                    let id = i.to_string();
                    counts.intern_provisional(&id, r.gazetteer().len(), &mut tagged, &mut w);
                    counts.add_document(&id, t, &tagged.mentions, &w);
                }
                counts.pairs.len()
            })
        });
    }
    group.finish();

    // `entgraph build` on BBC + Reuters, as the command runs it: its default filters, which
    // include `--min-provisional 2` with discovery.
    let news = std::path::Path::new(SHARED).join("corpora/news");
    let inputs = ["bbc-news-2225.jsonl.gz", "reuters21578.jsonl.gz"]
        .map(|f| news.join(f).to_string_lossy().into_owned());
    let bytes: u64 = inputs
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let mut group = c.benchmark_group("build");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    for (name, on) in [
        ("bbc+reuters/no-discover", false),
        ("bbc+reuters/discover", true),
    ] {
        let r = recognizer(on);
        let mut options = GraphOptions::default();
        options.filters.min_provisional = on.then_some(2);
        group.bench_function(name, |b| {
            b.iter(|| {
                let (_counts, graph) =
                    pipeline::build_graph(&r, Documents::new(&inputs), &options, &mut Quiet);
                let mut json = Vec::new();
                write_json(&graph, JsonStyle::NodeLink, &mut json).unwrap();
                json.len() + to_dot(&graph).len()
            })
        });
    }
    group.finish();
}

criterion_group!(discover, benches);
criterion_main!(discover);
