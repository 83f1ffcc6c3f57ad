//! What the community step costs: Leiden (`graph::algo::communities`, seed 42, resolution 1)
//! on the BBC news graph built with default options, as `build` runs it in `analyse`.
//!
//! The corpus comes from `../shared` beside the checkout; without it the benchmark is skipped
//! with a note.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use entgraph::graph::algo::communities::{DEFAULT_SEED, communities};
use entgraph::{Documents, GraphOptions, InputEvent, Recognizer, Sink, build_graph};

mod common;

use common::bbc_path;

/// Ignores input events: the corpus is known to be readable.
struct Quiet;

impl Sink for Quiet {
    fn note(&mut self, _: &InputEvent) {}
}

fn benches(c: &mut Criterion) {
    let bbc = bbc_path();
    if !bbc.is_file() {
        eprintln!("note: ../shared/corpora/news missing; community benchmark skipped");
        return;
    }
    let recognizer = Recognizer::default_embedded().unwrap();
    let inputs = [bbc.display().to_string()];
    let (_, graph) = build_graph(
        &recognizer,
        Documents::new(&inputs),
        &GraphOptions::default(),
        &mut Quiet,
    );
    let g = &graph.graph;
    eprintln!(
        "BBC graph: {} nodes, {} edges, modularity {:.4}",
        g.node_count(),
        g.edge_count(),
        graph.meta.modularity
    );
    let mut group = c.benchmark_group("communities");
    group.sample_size(10);
    group.bench_function("bbc/leiden", |b| {
        b.iter(|| communities(black_box(g), |e| e.weight().weight, DEFAULT_SEED, 1.0))
    });
    group.finish();
}

criterion_group!(all, benches);
criterion_main!(all);
