//! Scoring mentions against gold annotations: strict span + type precision, recall and F1,
//! per type and micro-averaged over all types (as conlleval does), and reading gold
//! annotations (JSONL or CoNLL).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

/// A typed span, in byte offsets.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// Byte offset of the first byte, on a char boundary of the document's text.
    pub start: usize,
    /// Byte offset just past the last byte (exclusive), on a char boundary; `start < end`
    /// for spans read from gold.
    pub end: usize,
    /// The type label, compared exactly (gold labels go through [`normalize_type`]).
    pub kind: String,
}

/// True positives, false positives and false negatives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predicted spans that are in the gold with the same start, end and type.
    pub tp: usize,
    /// Predicted spans that are not in the gold (wrong span or wrong type).
    pub fp: usize,
    /// Gold spans that were not predicted exactly (`fn` is a keyword).
    pub fn_: usize,
}

impl Counts {
    /// tp / (tp + fp), in [0, 1]; 0 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// tp / (tp + fn), in [0, 1]; 0 when the gold has no span.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// The harmonic mean of precision and recall, in [0, 1]; 0 when both are 0.
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

/// 0/0 counts as 0, as in conlleval: a type with nothing found has precision 0.
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Scores accumulated over documents.
#[derive(Clone, Debug, Default)]
pub struct Scores {
    /// Type label → counts, sorted by label; a type is present once a kept gold or predicted
    /// span had it.
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

/// One gold document: its text and its typed spans (byte offsets), with gold entity ids when
/// the gold has them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GoldDocument {
    /// The document's id: JSONL `id` (a non-string id as its JSON text; the 1-based line
    /// number without one), or CoNLL's `# doc: ID` line (else `NAME:N`, N counting from 1).
    pub id: String,
    /// The text the spans index (for CoNLL, the tokens joined by spaces, one sentence a line).
    pub text: String,
    /// The gold spans in the order the file gives them, each with its gold entity id (JSONL
    /// `id`; always `None` from CoNLL).
    pub spans: Vec<(Span, Option<String>)>,
}

/// Maps the type labels of common gold sets to entgraph's: `PER`/`person` → `PERSON`,
/// `ORG`/`organization`/`corporation`/`company` → `ORG`, `LOC`/`location`/`GPE`/`geo-loc` → `LOC`;
/// anything else is upper-cased.
pub fn normalize_type(t: &str) -> String {
    match t.to_ascii_lowercase().as_str() {
        "per" | "person" | "pers" => "PERSON".into(),
        "org" | "organization" | "organisation" | "corporation" | "company" => "ORG".into(),
        "loc" | "location" | "gpe" | "geo-loc" | "place" => "LOC".into(),
        _ => t.to_ascii_uppercase(),
    }
}

/// Byte offset of the `n`-th code point of `s` (`s.len()` at the end). `None` past the end.
fn byte_of_char(s: &str, n: usize) -> Option<usize> {
    s.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .nth(n)
}

/// A gold JSONL line that could not be read: `line N: problem`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct GoldError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong: the JSON parser's message, a missing or invalid field or offset, or
    /// the error `text_of` returned.
    pub problem: String,
}

/// Reads gold JSONL: one document per line, `{"id", "text", "entities": [{"start", "end",
/// "type", "id"?}]}`, offsets in Unicode code points unless the line says
/// `"offsets": "bytes"`. A line without `text` gets it from `text_of(id)` (for gold kept apart
/// from texts it may not redistribute).
pub fn read_gold_jsonl(
    content: &str,
    mut text_of: impl FnMut(&str) -> Result<String, String>,
) -> Result<Vec<GoldDocument>, GoldError> {
    let mut docs = Vec::new();
    for (n, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = |problem: String| GoldError {
            line: n + 1,
            problem,
        };
        let v: Value = serde_json::from_str(line).map_err(|e| at(e.to_string()))?;
        let id = match &v["id"] {
            Value::String(s) => s.clone(),
            Value::Null => format!("{}", n + 1),
            other => other.to_string(),
        };
        let text = match v["text"].as_str() {
            Some(t) => t.to_string(),
            None => text_of(&id).map_err(at)?,
        };
        let bytes = v["offsets"].as_str() == Some("bytes");
        let mut spans = Vec::new();
        for e in v["entities"]
            .as_array()
            .ok_or_else(|| at("no `entities` array".into()))?
        {
            let off = |k: &str| -> Result<usize, GoldError> {
                let x = e[k]
                    .as_u64()
                    .ok_or_else(|| at(format!("entity without `{k}`")))?
                    as usize;
                let b = if bytes {
                    Some(x)
                } else {
                    byte_of_char(&text, x)
                };
                b.filter(|&b| b <= text.len() && text.is_char_boundary(b))
                    .ok_or_else(|| at(format!("`{k}` {x} is not a valid offset into the text")))
            };
            let (start, end) = (off("start")?, off("end")?);
            if start >= end {
                return Err(at(format!("empty or reversed span {start}..{end}")));
            }
            let kind = normalize_type(
                e["type"]
                    .as_str()
                    .ok_or_else(|| at("entity without `type`".into()))?,
            );
            spans.push((
                Span { start, end, kind },
                e["id"].as_str().map(str::to_string),
            ));
        }
        docs.push(GoldDocument { id, text, spans });
    }
    Ok(docs)
}

/// Reads CoNLL-style gold: one token per line, the tag in the last column (BIO or IOB1:
/// `B-PER`, `I-PER`, `O`), a blank line between sentences, `-DOCSTART-` between documents,
/// `#` comment lines ignored. The text of a document is its tokens joined by spaces, one
/// sentence per line.
pub fn read_gold_conll(content: &str, name: &str) -> Vec<GoldDocument> {
    let mut docs = Vec::new();
    let mut doc = GoldDocument::default();
    // The open entity: (type, start).
    let mut open: Option<(String, usize)> = None;
    let mut prev_end = 0;
    fn close(doc: &mut GoldDocument, open: &mut Option<(String, usize)>, end: usize) {
        if let Some((kind, start)) = open.take() {
            doc.spans.push((Span { start, end, kind }, None));
        }
    }
    let finish = |doc: &mut GoldDocument, docs: &mut Vec<GoldDocument>| {
        if !doc.text.is_empty() {
            if doc.id.is_empty() {
                doc.id = format!("{name}:{}", docs.len() + 1);
            }
            docs.push(std::mem::take(doc));
        }
    };
    for line in content.lines().chain(std::iter::once("")) {
        let line = line.trim_end();
        if let Some(id) = line.strip_prefix("# doc: ") {
            close(&mut doc, &mut open, prev_end);
            finish(&mut doc, &mut docs);
            doc.id = id.to_string();
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.starts_with("-DOCSTART-") {
            close(&mut doc, &mut open, prev_end);
            finish(&mut doc, &mut docs);
            continue;
        }
        if line.trim().is_empty() {
            close(&mut doc, &mut open, prev_end);
            if !doc.text.is_empty() && !doc.text.ends_with('\n') {
                doc.text.push('\n');
            }
            continue;
        }
        let cols: Vec<&str> = line.split(['\t', ' ']).filter(|c| !c.is_empty()).collect();
        let (token, tag) = (cols[0], *cols.last().unwrap_or(&"O"));
        if !doc.text.is_empty() && !doc.text.ends_with('\n') {
            doc.text.push(' ');
        }
        let start = doc.text.len();
        doc.text.push_str(token);
        let end = doc.text.len();
        let (bio, kind) = match tag.split_once('-') {
            Some((b, k)) => (b, normalize_type(k)),
            None => ("O", String::new()),
        };
        let continues = bio == "I" && open.as_ref().is_some_and(|(k, _)| *k == kind);
        if !continues {
            close(&mut doc, &mut open, prev_end);
            if bio == "B" || bio == "I" {
                open = Some((kind, start));
            }
        }
        prev_end = end;
    }
    finish(&mut doc, &mut docs);
    docs
}

/// Gold entities (by gold id) whose matched mentions all got one predicted id.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Linking {
    /// Gold ids with at least one mention found at the exact gold span.
    pub entities: usize,
    /// Of those, the ones whose found mentions all carry the same predicted id.
    pub consistent: usize,
}

/// Accumulates [`Linking`] over documents.
#[derive(Default)]
pub struct LinkingCounter {
    seen: HashMap<String, HashSet<String>>,
}

impl LinkingCounter {
    /// `gold`: spans with gold ids; `predicted`: (span, predicted id).
    pub fn add(&mut self, gold: &[(Span, Option<String>)], predicted: &[(Span, String)]) {
        let by_span: HashMap<(usize, usize), &str> = predicted
            .iter()
            .map(|(s, id)| ((s.start, s.end), id.as_str()))
            .collect();
        for (span, id) in gold {
            if let (Some(gid), Some(pid)) = (id, by_span.get(&(span.start, span.end))) {
                self.seen
                    .entry(gid.clone())
                    .or_default()
                    .insert(pid.to_string());
            }
        }
    }

    /// The [`Linking`] counts over every document added so far.
    pub fn result(&self) -> Linking {
        Linking {
            entities: self.seen.len(),
            consistent: self.seen.values().filter(|ids| ids.len() == 1).count(),
        }
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
    fn reads_jsonl_in_chars_and_bytes() {
        let chars = r#"{"id": "a", "text": "Nicolás met Xi.", "entities": [{"start": 12, "end": 14, "type": "PER", "id": "xi"}]}"#;
        let docs = read_gold_jsonl(chars, |_| Err("no".into())).unwrap();
        let (s, id) = &docs[0].spans[0];
        assert_eq!(&docs[0].text[s.start..s.end], "Xi");
        assert_eq!((s.kind.as_str(), id.as_deref()), ("PERSON", Some("xi")));
        let bytes = r#"{"id": "b", "offsets": "bytes", "entities": [{"start": 16, "end": 18, "type": "LOC"}]}"#;
        let docs = read_gold_jsonl(bytes, |id| Ok(format!("{id}: Nicolás met Xi."))).unwrap();
        assert_eq!(&docs[0].text[16..18], "Xi");
        let bad = r#"{"id": "c", "text": "é", "offsets": "bytes", "entities": [{"start": 1, "end": 2, "type": "LOC"}]}"#;
        let err = read_gold_jsonl(bad, |_| Err("".into())).unwrap_err();
        assert_eq!(err.line, 1);
        assert!(
            err.to_string()
                .starts_with("line 1: `start` 1 is not a valid offset")
        );
    }

    #[test]
    fn reads_conll_bio_and_iob1() {
        let conll = "-DOCSTART- O\n\nKim\tB-PER\nJong\tI-PER\nUn\tI-PER\nmet\tO\nXi\tB-PER\n.\tO\n\n\
                     In\tO\nNew\tI-LOC\nYork\tI-LOC\nand\tO\nParis\tB-LOC\nLondon\tB-LOC\n-DOCSTART- O\nUN\tI-ORG\n";
        let docs = read_gold_conll(conll, "g");
        assert_eq!(docs.len(), 2);
        let d = &docs[0];
        assert_eq!(d.text, "Kim Jong Un met Xi .\nIn New York and Paris London");
        let got: Vec<(&str, &str)> = d
            .spans
            .iter()
            .map(|(s, _)| (&d.text[s.start..s.end], s.kind.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Kim Jong Un", "PERSON"),
                ("Xi", "PERSON"),
                ("New York", "LOC"),
                ("Paris", "LOC"),
                ("London", "LOC")
            ]
        );
        assert_eq!(docs[1].spans[0].0.kind, "ORG");
    }

    #[test]
    fn linking_consistency() {
        let g = |s, e, id: &str| (span(s, e, "PERSON"), Some(id.to_string()));
        let p = |s, e, id: &str| (span(s, e, "PERSON"), id.to_string());
        let mut l = LinkingCounter::default();
        l.add(
            &[g(0, 2, "a"), g(5, 7, "a"), g(9, 11, "b"), g(20, 22, "c")],
            &[p(0, 2, "x"), p(5, 7, "x"), p(9, 11, "y")],
        );
        l.add(&[g(0, 2, "b")], &[p(0, 2, "z")]);
        // a → {x}: consistent; b → {y, z}: not; c never found.
        assert_eq!(
            l.result(),
            Linking {
                entities: 2,
                consistent: 1
            }
        );
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
