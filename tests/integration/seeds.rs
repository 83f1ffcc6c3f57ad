//! The tagger on the five real seed articles in `../shared/seeds` (not in this repository),
//! against the team's hand annotation in `tests/fixtures/seeds.gold.jsonl` (ids and offsets
//! only). These tests need `../shared` beside the checkout, as CI has it; they fail, rather
//! than pass vacuously, when it is missing.

use entgraph::eval::{Scores, Span};
use entgraph::gazetteer::Gazetteer;
use entgraph::tagger::Tagger;
use serde_json::Value;

use crate::util::seeds;

fn gold() -> Vec<(String, Vec<(Span, String)>)> {
    let gold = include_str!("../fixtures/seeds.gold.jsonl");
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
    let tagger = Tagger::new(Gazetteer::default_embedded().unwrap()).unwrap();
    let g = tagger.gazetteer();
    let gold = gold();
    assert_eq!(gold.len(), 5);
    let mut scores = Scores::default();
    let types = ["PERSON", "ORG", "LOC"].map(String::from);
    let (mut linked, mut total) = (0, 0);
    for (file, gold_spans) in &gold {
        let text = std::fs::read_to_string(seeds().join(file)).unwrap();
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

/// The segmenter's contract on the seed articles (moved here from a unit test in
/// `src/segment.rs` that skipped when `../shared` was missing; this one fails instead):
/// paragraphs, sentences and word tokens are non-empty, ordered, non-overlapping, in bounds,
/// on char boundaries; paragraphs and sentences are trimmed and cover every non-whitespace
/// character; each sentence lies inside one paragraph; there are at least as many sentences as
/// paragraphs, and no sentence ends on a personal title. Predicates only: no article text here.
#[test]
fn seed_articles_segment_by_the_contract() {
    use entgraph::segment::{paragraphs, sentences, word_tokens};
    for path in crate::util::seed_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).expect("seed is UTF-8");
        let paras = paragraphs(&text);
        let sents = sentences(&text);
        let words: Vec<_> = word_tokens(&text).collect();
        segment::check_spans(&text, &paras, "paragraphs");
        segment::check_spans(&text, &sents, "sentences");
        segment::check_spans(&text, &words, "word_tokens");
        segment::check_trimmed(&text, &paras, "paragraphs");
        segment::check_trimmed(&text, &sents, "sentences");
        segment::check_covers_non_whitespace(&text, &paras, "paragraphs");
        segment::check_covers_non_whitespace(&text, &sents, "sentences");
        segment::check_nested(&sents, &paras);
        eprintln!(
            "{name}: {} paragraphs, {} sentences",
            paras.len(),
            sents.len()
        );
        assert!(!paras.is_empty() && sents.len() >= paras.len(), "{name}");
        for r in &sents {
            assert!(
                !segment::ends_with_honorific(&text[r.clone()]),
                "{name}: {r:?} ends on a title"
            );
        }
    }
}

/// The checks of `src/segment.rs`'s tests, on the public API. Messages give offsets, not
/// text, since the texts are the seed articles.
mod segment {
    use std::ops::Range;

    /// Non-empty, ordered, non-overlapping, in bounds, on char boundaries.
    pub fn check_spans(text: &str, spans: &[Range<usize>], what: &str) {
        let mut prev_end = 0;
        for r in spans {
            assert!(r.start < r.end, "{what}: empty span {r:?}");
            assert!(prev_end <= r.start, "{what}: overlap/order at {r:?}");
            assert!(r.end <= text.len(), "{what}: out of bounds {r:?}");
            assert!(
                text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
                "{what}: not on char boundary {r:?}"
            );
            prev_end = r.end;
        }
    }

    pub fn check_trimmed(text: &str, spans: &[Range<usize>], what: &str) {
        for r in spans {
            let s = &text[r.clone()];
            assert_eq!(s.len(), s.trim().len(), "{what}: untrimmed span {r:?}");
        }
    }

    /// Every non-whitespace char of `text` lies in some span: nothing is silently dropped.
    pub fn check_covers_non_whitespace(text: &str, spans: &[Range<usize>], what: &str) {
        let mut it = spans.iter().peekable();
        for (i, c) in text.char_indices() {
            while it.peek().is_some_and(|r| r.end <= i) {
                it.next();
            }
            if !c.is_whitespace() {
                assert!(
                    it.peek().is_some_and(|r| r.start <= i),
                    "{what}: char at {i} not covered"
                );
            }
        }
    }

    /// Each sentence lies inside one paragraph (both lists are sorted: walk them together).
    pub fn check_nested(sents: &[Range<usize>], paras: &[Range<usize>]) {
        let mut p = paras.iter().peekable();
        for s in sents {
            while p.peek().is_some_and(|r| r.end <= s.start) {
                p.next();
            }
            let para = p
                .peek()
                .unwrap_or_else(|| panic!("sentence {s:?} after last paragraph"));
            assert!(
                para.start <= s.start && s.end <= para.end,
                "sentence {s:?} not inside paragraph {para:?}"
            );
        }
    }

    /// The titles `entgraph::segment` never lets a sentence end on (its `HONORIFICS`).
    const HONORIFICS: &[&str] = &[
        "Mr", "Mrs", "Ms", "Mx", "Messrs", "Mses", "Mmes", "Dr", "Prof",
    ];

    /// True when `sentence` ends with a title and its period (as `src/segment.rs` decides).
    pub fn ends_with_honorific(sentence: &str) -> bool {
        let Some(head) = sentence.strip_suffix('.') else {
            return false;
        };
        let word = head
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or(head)
            .trim_start_matches(|c: char| !c.is_alphanumeric());
        HONORIFICS.contains(&word)
    }
}
