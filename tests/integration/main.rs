//! The one integration-test binary (as ripgrep does it): every module below used to be a
//! binary of its own under `tests/`; they now share `util` and one link step.
//!
//! Run one module with `cargo test --test integration cli_build::`, one test with its path
//! (`cargo test --test integration export_dot::to_dot_matches_the_committed_golden_file`).
//! The tests need `../shared` beside the checkout, Graphviz, Python with networkx and
//! jsonschema, Chromium, and PySpark's `spark-submit` with Java (`.ci/run` installs them);
//! they fail, never skip, without them. The one opt-out: `ENTGRAPH_SKIP_SPARK=1` skips the
//! Spark job's test (`spark`), which says so on stderr.

mod util;

mod browser;
mod cache;
mod cli_broken_pipe;
mod cli_build;
mod cli_eval;
mod cli_gazetteer;
mod cli_provisional;
mod cli_report;
mod cli_tag;
mod communities;
mod export_dot;
mod export_json;
mod formats;
mod fuzz;
mod gazetteer_sources;
mod hostile;
mod library_example;
mod no_discover;
mod oracle;
mod parts;
mod readme;
mod seeds;
mod send_sync;
mod spark;
mod tagger_table;
mod time;
