//! What the benchmarks share: the corpora of `../shared` beside the checkout.

use std::io::{BufRead, BufReader};
use std::path::Path;

/// `../shared` beside the checkout.
pub const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared");

/// The texts of the BBC news corpus (2,225 articles), or `None` when `../shared` is missing.
pub fn bbc_texts() -> Option<Vec<String>> {
    let p = Path::new(SHARED).join("corpora/news/bbc-news-2225.jsonl.gz");
    let f = std::fs::File::open(p).ok()?;
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
