//! Builds the graph of the bundled example articles through the library and prints the
//! strongest pairs: `cargo run --example library`.
//!
//! The same steps as `entgraph build examples/news`: recognize (gazetteer + discovery), count
//! sentence co-occurrences, weight and analyse the graph. The integration tests run
//! [`strongest_pairs`] and check what it prints.

use std::io::Write;
use std::path::Path;

use entgraph::{Documents, GraphOptions, Recognizer, Sink, build_graph};

/// Counts the documents that could not be read, as a caller of the library would.
#[derive(Default)]
struct Skipped(usize);

impl Sink for Skipped {
    fn note(&mut self, event: &entgraph::InputEvent) {
        if let entgraph::InputEvent::Skipped { .. } = event {
            self.0 += 1;
        }
    }
}

/// Writes the `top` strongest pairs of the graph of the files in `dir`, one per line:
/// `count  A — B`, strongest first (ties by the entities' ids).
pub fn strongest_pairs(dir: &Path, top: usize, out: &mut dyn Write) -> anyhow::Result<()> {
    let recognizer = Recognizer::default_embedded()?;
    let inputs = [dir.display().to_string()];
    let mut skipped = Skipped::default();
    let (counts, graph) = build_graph(
        &recognizer,
        Documents::new(&inputs),
        &GraphOptions::default(),
        &mut skipped,
    );
    anyhow::ensure!(skipped.0 == 0, "{} inputs could not be read", skipped.0);
    let g = &graph.graph;
    let mut edges: Vec<_> = g
        .edge_indices()
        .map(|e| {
            let (a, b) = g.edge_endpoints(e).expect("an edge of the graph");
            (g[e].count, &g[a], &g[b])
        })
        .collect();
    edges.sort_by(|x, y| {
        y.0.cmp(&x.0)
            .then((&x.1.id, &x.2.id).cmp(&(&y.1.id, &y.2.id)))
    });
    writeln!(
        out,
        "{} documents, {} entities, {} pairs",
        counts.documents,
        g.node_count(),
        g.edge_count()
    )?;
    for (count, a, b) in edges.into_iter().take(top) {
        writeln!(out, "{count:>3}  {} — {}", a.label, b.label)?;
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/news");
    strongest_pairs(&dir, 10, &mut std::io::stdout().lock())
}
