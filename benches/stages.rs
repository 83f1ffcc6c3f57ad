//! The pipeline stage by stage, one thread, on BBC + Reuters (21 MB of text in 22,004
//! articles) with the seed-story gazetteer the side-by-side comparison uses
//! (`benches/compare_peers.py`): read (JSONL into documents; `read/lines` only cuts the
//! lines, as the pipeline's reader thread does), fold, tag (fold and automaton),
//! discover (tagging plus discovery, default cue lists), windows (sentences), sentences
//! (the segmentation alone), count, graph (weights and measures), and export (graph JSON and
//! DOT).
//!
//! Each stage is timed alone on the previous stage's output, prepared once outside the timing,
//! so the groups add up to the whole pipeline on one core. The corpus comes from `../shared`
//! beside the checkout; without it the benchmarks are skipped with a note.

use std::hint::black_box;
use std::io::Write;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use entgraph::cooccur::{CooccurrenceCounts, EntityMap};
use entgraph::discover::{Cues, Discoverer};
use entgraph::export::dot::to_dot;
use entgraph::export::json::{JsonStyle, write_json};
use entgraph::fold::Folded;
use entgraph::gazetteer::Gazetteer;
use entgraph::graph::{Filters, Weighting};
use entgraph::recognize::{RecognizeScratch, Recognizer};
use entgraph::segment;
use entgraph::tagger::{Tagged, Tagger};
use entgraph::window::{DocumentWindows, WindowKind, windows};
use entgraph::{Document, Documents, InputEvent};

mod common;

use common::SHARED;

/// BBC + Reuters as one uncompressed JSONL file (as the measurements use), written
/// once to a temporary directory; `None` without `../shared`.
fn corpus_file(dir: &std::path::Path) -> Option<String> {
    let news = std::path::Path::new(SHARED).join("corpora/news");
    let path = dir.join("bbc+reuters.jsonl");
    let mut out = std::fs::File::create(&path).ok()?;
    for f in ["bbc-news-2225.jsonl.gz", "reuters21578.jsonl.gz"] {
        let gz = std::fs::File::open(news.join(f)).ok()?;
        std::io::copy(&mut flate2::read::GzDecoder::new(gz), &mut out).ok()?;
    }
    out.flush().ok()?;
    Some(path.to_string_lossy().into_owned())
}

fn read(path: &str) -> Vec<Document> {
    Documents::new(&[path])
        .filter_map(|e| match e {
            InputEvent::Document(d) => Some(d),
            _ => None,
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let Some(path) = corpus_file(dir.path()) else {
        eprintln!("note: ../shared/corpora/news missing; stage benchmarks skipped");
        return;
    };
    let gazetteer = std::path::Path::new(SHARED).join("peers/seed_gazetteer.tsv");
    let gazetteer = Gazetteer::from_paths(&[gazetteer]).unwrap();
    let bytes = std::fs::metadata(&path).unwrap().len();
    let docs = read(&path);
    let text_bytes: u64 = docs.iter().map(|d| d.text.len() as u64).sum();

    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("read", |b| b.iter(|| read(black_box(&path)).len()));
    // What the pipeline's reader thread does alone: JSONL lines cut, not parsed (the pool
    // parses them); `read` minus this is the parsing.
    group.bench_function("read/lines", |b| {
        b.iter(|| Documents::new(&[black_box(&path)]).raw().count())
    });

    group.throughput(Throughput::Bytes(text_bytes));
    let mut folded = Folded::default();
    group.bench_function("fold", |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &docs {
                folded.fold(black_box(&d.text));
                n += folded.as_str().len();
            }
            n
        })
    });

    let plain = Recognizer::new(Tagger::new(gazetteer.clone()).unwrap(), None);
    let discovering = Recognizer::new(
        Tagger::new(gazetteer).unwrap(),
        Some(Discoverer::new(Cues::default_embedded().unwrap())),
    );
    let mut scratch = RecognizeScratch::default();
    let mut recognize_all = |r: &Recognizer| -> Vec<Tagged> {
        docs.iter()
            .map(|d| r.recognize_with(black_box(&d.text), &mut scratch))
            .collect()
    };
    group.bench_function("tag", |b| b.iter(|| recognize_all(&plain).len()));
    group.bench_function("tag+discover", |b| {
        b.iter(|| recognize_all(&discovering).len())
    });

    // From here on, the gazetteer's mentions only (`--no-discover`), as the peers find.
    let map = EntityMap::new(plain.gazetteer(), false);
    let mut tagged = recognize_all(&plain);
    tagged.iter_mut().for_each(|t| map.apply(&mut t.mentions));
    let cut = |kind| -> Vec<DocumentWindows> {
        docs.iter()
            .zip(&tagged)
            .map(|(d, t)| windows(kind, black_box(&d.text), &t.mentions))
            .collect()
    };
    group.bench_function("windows/sentence", |b| {
        b.iter(|| cut(WindowKind::Sentence).len())
    });
    // Sentence segmentation alone, the larger part of the sentence windows.
    group.bench_function("sentences", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| segment::sentences(black_box(&d.text)).len())
                .sum::<usize>()
        })
    });
    let cut_windows = cut(WindowKind::Sentence);
    let count = || {
        let mut counts = CooccurrenceCounts::new(WindowKind::Sentence, 3);
        for ((d, t), w) in docs.iter().zip(&tagged).zip(&cut_windows) {
            counts.add(d, &t.mentions, w);
        }
        counts
    };
    group.bench_function("count", |b| b.iter(|| count().pairs.len()));

    let counts = count();
    let graph = |counts: &CooccurrenceCounts| {
        entgraph::graph::build(
            counts,
            plain.gazetteer(),
            Weighting::default(),
            &Filters::default(),
        )
    };
    group.bench_function("graph", |b| {
        b.iter_batched(|| (), |()| graph(&counts), BatchSize::PerIteration)
    });
    let g = graph(&counts);
    group.bench_function("export/json", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            write_json(&g, JsonStyle::NodeLink, &mut out).unwrap();
            out.len()
        })
    });
    group.bench_function("export/dot", |b| b.iter(|| to_dot(&g).len()));
    group.finish();
}

criterion_group!(stages, benches);
criterion_main!(stages);
