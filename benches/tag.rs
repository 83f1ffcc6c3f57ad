//! Tagging throughput (one thread) and automaton build time.
//!
//! Corpora come from `../shared` beside the checkout: the BBC news corpus, the five seed
//! articles, the seed-story gazetteer and the 204k-alias GeoNames gazetteer. Benchmarks whose
//! inputs are missing are skipped with a note.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use entgraph::gazetteer::Gazetteer;
use entgraph::tagger::{Scratch, Tagger};

mod common;

use common::{SHARED, bbc_texts};

fn seed_texts() -> Option<Vec<String>> {
    let mut files: Vec<_> = std::fs::read_dir(Path::new(SHARED).join("seeds"))
        .ok()?
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    Some(
        files
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect(),
    )
}

fn gazetteer(name: &str) -> Option<Gazetteer> {
    let p = Path::new(SHARED).join("peers").join(name);
    p.exists().then(|| Gazetteer::from_paths(&[p]).unwrap())
}

fn tag_corpus(c: &mut Criterion, name: &str, tagger: &Tagger, texts: &[String]) {
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("tag");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    let mut scratch = Scratch::default();
    group.bench_function(name, |b| {
        b.iter(|| {
            let mut n = 0;
            for t in texts {
                n += tagger.tag_with(black_box(t), &mut scratch).mentions.len();
            }
            n
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let default = Tagger::new(Gazetteer::default_embedded().unwrap()).unwrap();
    if let Some(seeds) = seed_texts() {
        tag_corpus(c, "seeds/default-gazetteer", &default, &seeds);
    }
    let Some(bbc) = bbc_texts() else {
        eprintln!("note: ../shared/corpora/news missing; BBC benchmarks skipped");
        return;
    };
    tag_corpus(c, "bbc/default-gazetteer", &default, &bbc);
    if let Some(g) = gazetteer("seed_gazetteer.tsv") {
        tag_corpus(c, "bbc/seed-gazetteer", &Tagger::new(g).unwrap(), &bbc);
    }
    if let Some(g) = gazetteer("large_gazetteer.tsv") {
        let t = Tagger::new(g).unwrap();
        eprintln!(
            "large gazetteer: {} aliases, {} patterns, automaton {} MB",
            t.gazetteer().aliases().len(),
            t.pattern_count(),
            t.automaton_memory() / 1_000_000
        );
        tag_corpus(c, "bbc/large-gazetteer-204k", &t, &bbc);
    }

    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.bench_function("default-gazetteer", |b| {
        b.iter(|| Tagger::new(Gazetteer::default_embedded().unwrap()).unwrap())
    });
    let large = Path::new(SHARED).join("peers/large_gazetteer.tsv");
    if large.exists() {
        group.bench_function("large-gazetteer-204k", |b| {
            b.iter(|| Tagger::new(Gazetteer::from_paths(&[&large]).unwrap()).unwrap())
        });
    }
    group.finish();
}

criterion_group!(tag, benches);
criterion_main!(tag);
