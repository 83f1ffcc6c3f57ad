//! What the benchmarks share: the corpora of `../shared` beside the checkout.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// `../shared` beside the checkout.
pub const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared");

/// The BBC news corpus (2,225 articles), JSONL, gzipped.
pub fn bbc_path() -> PathBuf {
    Path::new(SHARED).join("corpora/news/bbc-news-2225.jsonl.gz")
}

/// The texts of the BBC news corpus (2,225 articles), or `None` when `../shared` is missing.
#[allow(dead_code)] // each bench compiles this module; not all of them read the texts
pub fn bbc_texts() -> Option<Vec<String>> {
    let f = std::fs::File::open(bbc_path()).ok()?;
    let r = BufReader::new(flate2::read::GzDecoder::new(f));
    Some(
        r.lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(&l.unwrap()).unwrap();
                v["text"].as_str().unwrap().to_string()
            })
            .collect(),
    )
}
