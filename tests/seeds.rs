//! The tagger on the five real seed articles in `../shared/seeds` (not in this repository),
//! against the team's hand annotation in `tests/fixtures/seeds.gold.jsonl` (ids and offsets
//! only). These tests need `../shared` beside the checkout, as CI has it; they fail, rather
//! than pass vacuously, when it is missing.

use std::path::{Path, PathBuf};

use entgraph::eval::{Scores, Span};
use entgraph::gazetteer::Gazetteer;
use entgraph::tagger::Tagger;
use serde_json::Value;

fn seeds_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    assert!(
        d.is_dir(),
        "{} is missing: put shared/ beside the checkout",
        d.display()
    );
    d
}

fn gold() -> Vec<(String, Vec<(Span, String)>)> {
    let gold = include_str!("fixtures/seeds.gold.jsonl");
    gold.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["offsets"], "bytes");
            let ents = v["entities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        Span {
                            start: e["start"].as_u64().unwrap() as usize,
                            end: e["end"].as_u64().unwrap() as usize,
                            kind: e["type"].as_str().unwrap().to_string(),
                        },
                        e["id"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            (v["id"].as_str().unwrap().to_string(), ents)
        })
        .collect()
}

#[test]
fn default_gazetteer_reaches_f1_095_on_the_seeds() {
    let tagger = Tagger::new(Gazetteer::default_embedded().unwrap());
    let g = tagger.gazetteer();
    let gold = gold();
    assert_eq!(gold.len(), 5);
    let mut scores = Scores::default();
    let types = ["PERSON", "ORG", "LOC"].map(String::from);
    let (mut linked, mut total) = (0, 0);
    for (file, gold_spans) in &gold {
        let text = std::fs::read_to_string(seeds_dir().join(file)).unwrap();
        let tagged = tagger.tag(&text);
        let predicted: Vec<Span> = tagged
            .mentions
            .iter()
            .map(|m| Span {
                start: m.start,
                end: m.end,
                kind: g.entity(m.entity).kind.clone(),
            })
            .collect();
        let spans: Vec<Span> = gold_spans.iter().map(|(s, _)| s.clone()).collect();
        // The gold annotates people, organizations and places; demonyms (NORP) are not scored.
        scores.add(&spans, &predicted, &types);
        for (s, id) in gold_spans {
            total += 1;
            linked += tagged
                .mentions
                .iter()
                .any(|m| m.start == s.start && m.end == s.end && g.entity(m.entity).id == *id)
                as usize;
        }
    }
    for (kind, c) in &scores.by_type {
        eprintln!(
            "{kind:8} P {:.3} R {:.3} F1 {:.3} ({c:?})",
            c.precision(),
            c.recall(),
            c.f1()
        );
    }
    let all = scores.overall();
    eprintln!(
        "overall  P {:.3} R {:.3} F1 {:.3}; ids right {linked}/{total}",
        all.precision(),
        all.recall(),
        all.f1()
    );
    assert!(all.f1() >= 0.95, "seed F1 {:.3} < 0.95", all.f1());
    assert!(
        linked as f64 >= 0.95 * total as f64,
        "ids right only {linked}/{total}"
    );
}
