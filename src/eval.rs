//! Scoring mentions against gold annotations: strict span + type precision, recall and F1,
//! per type and micro-averaged over all types (as conlleval does).

use std::collections::{BTreeMap, HashSet};

/// A typed span, in byte offsets.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: String,
}

/// True positives, false positives and false negatives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// 0/0 counts as 1: nothing to find and nothing found is perfect.
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Scores accumulated over documents.
#[derive(Clone, Debug, Default)]
pub struct Scores {
    pub by_type: BTreeMap<String, Counts>,
}

impl Scores {
    /// Adds one document. Spans of types not in `types` are ignored (all types if empty).
    pub fn add(&mut self, gold: &[Span], predicted: &[Span], types: &[String]) {
        let keep = |s: &&Span| types.is_empty() || types.contains(&s.kind);
        let gold: HashSet<&Span> = gold.iter().filter(keep).collect();
        let predicted: HashSet<&Span> = predicted.iter().filter(keep).collect();
        for s in &predicted {
            let c = self.by_type.entry(s.kind.clone()).or_default();
            if gold.contains(s) {
                c.tp += 1;
            } else {
                c.fp += 1;
            }
        }
        for s in gold.difference(&predicted) {
            self.by_type.entry(s.kind.clone()).or_default().fn_ += 1;
        }
    }

    /// Micro-averaged counts over all types.
    pub fn overall(&self) -> Counts {
        let mut all = Counts::default();
        for c in self.by_type.values() {
            all.add(*c);
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, kind: &str) -> Span {
        Span {
            start,
            end,
            kind: kind.into(),
        }
    }

    #[test]
    fn strict_span_and_type() {
        let gold = [span(0, 3, "PERSON"), span(5, 9, "LOC"), span(10, 12, "ORG")];
        // One exact hit, one wrong type, one wrong span, one spurious.
        let pred = [
            span(0, 3, "PERSON"),
            span(5, 9, "ORG"),
            span(10, 11, "ORG"),
            span(20, 22, "LOC"),
        ];
        let mut s = Scores::default();
        s.add(&gold, &pred, &[]);
        assert_eq!(
            s.by_type["PERSON"],
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(
            s.by_type["LOC"],
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(
            s.by_type["ORG"],
            Counts {
                tp: 0,
                fp: 2,
                fn_: 1
            }
        );
        let all = s.overall();
        assert_eq!(
            all,
            Counts {
                tp: 1,
                fp: 3,
                fn_: 2
            }
        );
        assert!((all.precision() - 0.25).abs() < 1e-12);
        assert!((all.recall() - 1.0 / 3.0).abs() < 1e-12);
        assert!((all.f1() - 2.0 / 7.0).abs() < 1e-12);
        let mut only = Scores::default();
        only.add(&gold, &pred, &["PERSON".to_string()]);
        assert_eq!(
            only.overall(),
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
    }
}
