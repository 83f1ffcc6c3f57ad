//! What loading a gazetteer costs, step by step: parsing and merging the TSV, compiling the
//! tagger (folding every alias, building the automaton), the whole compile without a cache,
//! and loading the compiled form from a warm cache ([`entgraph::cache`]); for the 204k-alias
//! GeoNames gazetteer and for the embedded default. Then the two automaton builders on the
//! large gazetteer's folded aliases: daachorse (what the tagger uses, since it can be saved)
//! against aho-corasick's default (a contiguous NFA for this many patterns).
//!
//! The large gazetteer comes from `../shared/peers` beside the checkout; without it its
//! benchmarks are skipped with a note.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use entgraph::cache::{Cache, compile};
use entgraph::fold::fold_str;
use entgraph::gazetteer::{Gazetteer, GazetteerBuilder, Source};
use entgraph::tagger::Tagger;

mod common;

use common::SHARED;

/// The steps for one gazetteer, named `NAME/STEP`.
fn steps(c: &mut Criterion, name: &str, sources: &[Source]) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    let parse = || {
        let mut b = GazetteerBuilder::new();
        for s in sources {
            b.add_bytes(&s.label, &s.bytes);
        }
        b.build().unwrap()
    };
    group.bench_function(format!("{name}/parse+merge"), |b| b.iter(parse));
    let g = parse();
    group.bench_function(format!("{name}/fold+automaton"), |b| {
        b.iter(|| Tagger::new(black_box(g.clone())).unwrap())
    });
    group.bench_function(format!("{name}/compile-uncached"), |b| {
        b.iter(|| compile(sources, None).unwrap())
    });
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path());
    assert!(!compile(sources, Some(&cache)).unwrap().from_cache);
    group.bench_function(format!("{name}/compile-cached"), |b| {
        b.iter(|| {
            let c = compile(sources, Some(&cache)).unwrap();
            assert!(c.from_cache);
            c
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    steps(c, "default", &Source::default_embedded());
    let large = Path::new(SHARED).join("peers/large_gazetteer.tsv");
    let Some(sources) = Source::read_paths(&[&large]) else {
        eprintln!("note: ../shared/peers/large_gazetteer.tsv missing; its benchmarks skipped");
        return;
    };
    steps(c, "large-204k", &sources);

    let g = Gazetteer::from_paths(&[&large]).unwrap();
    let mut patterns: Vec<String> = g.aliases().iter().map(|a| fold_str(&a.text)).collect();
    patterns.sort_unstable();
    patterns.dedup();
    let mut group = c.benchmark_group("automaton");
    group.sample_size(10);
    group.bench_function("large-204k/daachorse", |b| {
        b.iter(|| daachorse::DoubleArrayAhoCorasick::<u32>::new(black_box(&patterns)).unwrap())
    });
    group.bench_function("large-204k/aho-corasick", |b| {
        b.iter(|| aho_corasick::AhoCorasick::new(black_box(&patterns)).unwrap())
    });
    group.finish();
}

criterion_group!(load, benches);
criterion_main!(load);
