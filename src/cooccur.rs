//! Counting co-occurrences: per entity and per pair of entities, with provenance.
//!
//! What the counts keep does not depend on the order documents are added in, only on the set
//! of documents: evidence keeps, per pair, the K windows that come first by (document id,
//! window start), and a provisional entity's name and cue are those of the document with the
//! smallest id that mentions it. That is what lets counts of a corpus split into parts be
//! merged into exactly the counts of the whole ([`crate::part`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::date::{Date, DateRange, DateSpan, Period};
use crate::discover::ProvisionalEntity;
use crate::gazetteer::{EntityId, Gazetteer};
use crate::input::Document;
use crate::tagger::{Mention, Tagged};
use crate::window::{DocumentWindows, WindowKind};

/// What becomes of each entity's mentions before counting.
///
/// Demonyms (type `NORP`: `Chinese`, `South Korean`) are not nodes of their own: they are
/// dropped, or, with [`EntityMap::new`]`(g, true)`, counted as a mention of the entity named by
/// their `country` attribute (`Chinese` → `china`).
#[derive(Clone, Debug)]
pub struct EntityMap {
    /// Per entity: `Some(target)` to count as `target` (often itself), `None` to drop.
    target: Vec<Option<EntityId>>,
}

impl EntityMap {
    /// The map for `g`: every entity counts as itself except demonyms (type `NORP`), which are
    /// dropped, or with `fold_demonyms` counted as the entity whose id is their `country`
    /// attribute (still dropped if the attribute is missing or names no entity of `g`).
    pub fn new(g: &Gazetteer, fold_demonyms: bool) -> Self {
        let target = g
            .entities()
            .iter()
            .enumerate()
            .map(|(i, e)| {
                if e.kind != "NORP" {
                    Some(EntityId(i as u32))
                } else if fold_demonyms {
                    e.attributes.get("country").and_then(|c| g.lookup(c))
                } else {
                    None
                }
            })
            .collect();
        EntityMap { target }
    }

    /// Drops or re-targets mentions in place; order is kept. Provisional entities (ids past
    /// the gazetteer's) are kept as they are.
    pub fn apply(&self, mentions: &mut Vec<Mention>) {
        mentions.retain_mut(|m| match self.target.get(m.entity.0 as usize) {
            Some(Some(t)) => {
                m.entity = *t;
                true
            }
            Some(None) => false,
            None => true,
        });
    }
}

/// Per-entity counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntityCounts {
    /// Mentions of the entity, over all documents counted.
    pub mentions: u64,
    /// Documents with at least one mention of the entity.
    pub documents: u64,
    /// Windows holding at least one mention of the entity.
    pub windows: u64,
    /// Surface forms and how often each was seen.
    pub surfaces: BTreeMap<String, u64>,
    /// Dates of the dated documents that mention the entity, and its windows per period
    /// (summing to the windows of dated documents); empty if only undated ones do.
    pub span: DateSpan,
    pub(crate) last_document: Option<u64>,
}

/// One window in which a pair appeared: where to read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// Index into [`CooccurrenceCounts::documents`].
    pub document: usize,
    /// Byte range of the window in the document.
    pub start: usize,
    /// End of the window's byte range (exclusive); the window may extend past `text`.
    pub end: usize,
    /// The window's text, cut to at most [`EVIDENCE_TEXT_MAX`] bytes at a char boundary;
    /// shared by every pair that keeps the window as evidence (a window with n entities may
    /// be evidence for n(n-1)/2 pairs).
    pub text: Arc<str>,
    /// The mentions of the pair's two entities in the window, as byte ranges in the document
    /// (like `start`/`end`), in text order: `spans[0]` of the pair's first entity (the smaller
    /// id of the key), `spans[1]` of the second. Only mentions lying wholly inside `text` are
    /// listed (a mention past the cut is dropped), so `text[s - start..e - start]` is always
    /// the mention's surface form.
    pub spans: [Vec<(usize, usize)>; 2],
}

/// The most text kept per evidence window.
pub const EVIDENCE_TEXT_MAX: usize = 600;

/// Per-pair counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PairCounts {
    /// Windows in which both entities appear.
    pub count: u64,
    /// Documents in which both appear in one window.
    pub documents: u64,
    /// At most the evidence limit of the pair's windows: those that come first by (document
    /// id, window start), in that order (on equal ids, the document added first).
    pub evidence: Vec<Evidence>,
    /// Dates of the dated documents in which the pair shares a window, and its windows per
    /// period (summing to `count` over dated documents).
    pub span: DateSpan,
    pub(crate) last_document: Option<u64>,
}

/// Counts over a corpus, for one window kind.
#[derive(Clone, Debug)]
pub struct CooccurrenceCounts {
    /// The window kind every document was cut into.
    pub window: WindowKind,
    /// Document ids, in input order.
    pub documents: Vec<String>,
    /// Per document (as [`CooccurrenceCounts::documents`]): its date, if it has one.
    pub dates: Vec<Option<Date>>,
    /// Per document: its title, if it has one.
    pub titles: Vec<Option<String>>,
    /// How per-period counts are cut (default: months); set before adding documents.
    pub period: Period,
    /// Documents counted that have a date.
    pub dated_documents: u64,
    /// Documents counted without a date (none, or one that did not parse).
    pub undated_documents: u64,
    /// Documents left out by a date range (`--since`/`--until`), dated or not; not in
    /// `documents`. Set by [`crate::pipeline::count`].
    pub excluded_documents: u64,
    /// The date range documents were selected by (open: all). Set by
    /// [`crate::pipeline::count`].
    pub range: DateRange,
    /// The corpus's dates: first, last, and dated documents per period.
    pub span: DateSpan,
    /// Total bytes of text counted.
    pub bytes: u64,
    /// Windows in the corpus, with or without mentions.
    pub windows: u64,
    /// Mentions counted: the total of those passed to
    /// [`add_document`](Self::add_document), over all documents.
    pub mentions: u64,
    /// Counts per entity with at least one mention; entities never mentioned are absent.
    /// (FxHash, here and for `pairs`: both are updated for every mention and pair of every
    /// window, and their keys are small integers; nothing reads them in iteration order.)
    pub entities: FxHashMap<EntityId, EntityCounts>,
    /// Keyed by (smaller id, larger id).
    pub pairs: FxHashMap<(EntityId, EntityId), PairCounts>,
    /// Provisional entities of the corpus: `EntityId(gazetteer.len() + k)` is `provisional[k]`
    /// (see [`crate::entity::EntityView`]). Numbered in order of first appearance; one per id,
    /// whose name and cue are those of the document with the smallest id that mentions it (on
    /// equal ids, the one added first), and whose type is the one most of its mentions had (on
    /// a tie, the first label in alphabetical order).
    pub provisional: Vec<ProvisionalEntity>,
    pub(crate) provisional_index: FxHashMap<String, u32>,
    /// Per provisional entity: mentions per type label.
    pub(crate) provisional_votes: Vec<BTreeMap<&'static str, u64>>,
    /// Per provisional entity: the index (in `documents`) of the document its name and cue
    /// come from.
    pub(crate) provisional_first: Vec<usize>,
    pub(crate) evidence_limit: usize,
    /// Windows with more distinct entities than this count their entities but none of their
    /// pairs (default [`crate::window::MAX_WINDOW_ENTITIES`]); set before adding documents.
    pub max_window_entities: usize,
    /// Windows whose pairs were not counted because they held more than
    /// `max_window_entities` distinct entities.
    pub capped_windows: u64,
    /// Scratch for [`CooccurrenceCounts::add_document`]: the current window's mentions as
    /// `(entity, start, end)`, sorted, so each entity's mentions are one run. Reused across
    /// windows and documents.
    window_mentions: Vec<(EntityId, usize, usize)>,
}

impl CooccurrenceCounts {
    /// Empty counts keeping up to `evidence_limit` evidence windows per pair.
    pub fn new(window: WindowKind, evidence_limit: usize) -> Self {
        CooccurrenceCounts {
            window,
            documents: Vec::new(),
            dates: Vec::new(),
            titles: Vec::new(),
            period: Period::default(),
            dated_documents: 0,
            undated_documents: 0,
            excluded_documents: 0,
            range: DateRange::default(),
            span: DateSpan::default(),
            bytes: 0,
            windows: 0,
            mentions: 0,
            entities: FxHashMap::default(),
            pairs: FxHashMap::default(),
            provisional: Vec::new(),
            provisional_index: FxHashMap::default(),
            provisional_votes: Vec::new(),
            provisional_first: Vec::new(),
            evidence_limit,
            max_window_entities: crate::window::MAX_WINDOW_ENTITIES,
            capped_windows: 0,
            window_mentions: Vec::new(),
        }
    }

    /// Renumbers the provisional entities of one document (`id`; `tagged.provisional`, ids
    /// from `base`, the gazetteer's size) to the corpus's, in its mentions and windows; call
    /// it just before adding the document ([`CooccurrenceCounts::add_document`]).
    pub fn intern_provisional(
        &mut self,
        id: &str,
        base: usize,
        tagged: &mut Tagged,
        windows: &mut DocumentWindows,
    ) {
        if tagged.provisional.is_empty() {
            return;
        }
        let base = base as u32;
        // The index the document is about to get.
        let doc = self.documents.len();
        let mut to_corpus = Vec::with_capacity(tagged.provisional.len());
        for p in &tagged.provisional {
            let k = match self.provisional_index.get(&p.id) {
                Some(&k) => {
                    let first = &mut self.provisional_first[k as usize];
                    if id < self.documents[*first].as_str() {
                        // Named as in the smallest document id, whatever the input order.
                        let kept = &mut self.provisional[k as usize];
                        kept.name.clone_from(&p.name);
                        kept.cue.clone_from(&p.cue);
                        *first = doc;
                    }
                    k
                }
                None => {
                    let k = self.provisional.len() as u32;
                    self.provisional.push(p.clone());
                    self.provisional_votes.push(BTreeMap::new());
                    self.provisional_first.push(doc);
                    self.provisional_index.insert(p.id.clone(), k);
                    k
                }
            };
            to_corpus.push(EntityId(base + k));
        }
        let remap = |e: &mut EntityId| {
            if e.0 >= base {
                *e = to_corpus[(e.0 - base) as usize];
            }
        };
        for m in &mut tagged.mentions {
            if m.entity.0 >= base {
                let local = (m.entity.0 - base) as usize;
                let k = (to_corpus[local].0 - base) as usize;
                *self.provisional_votes[k]
                    .entry(tagged.provisional[local].kind)
                    .or_default() += 1;
            }
            remap(&mut m.entity);
        }
        for w in &mut windows.windows {
            w.entities.iter_mut().for_each(remap);
            w.entities.sort_unstable();
            w.entities.dedup();
        }
        for &e in &to_corpus {
            let k = (e.0 - base) as usize;
            let votes = &self.provisional_votes[k];
            let best = votes.values().copied().max().unwrap_or(0);
            if let Some((&kind, _)) = votes.iter().find(|(_, n)| **n == best) {
                self.provisional[k].kind = kind;
            }
        }
    }

    /// Adds one undated, untitled document: its mentions and its windows (from
    /// [`crate::window::windows`]).
    ///
    /// In each window every unordered pair of distinct entities counts once, however many
    /// times either is mentioned there.
    pub fn add_document(
        &mut self,
        id: &str,
        text: &str,
        mentions: &[Mention],
        windows: &DocumentWindows,
    ) {
        self.add_dated(id, text, None, None, mentions, windows);
    }

    /// Adds `document` as [`CooccurrenceCounts::add_document`] does, with its date
    /// ([`Document::date`]) and title ([`Document::title`]).
    pub fn add(&mut self, document: &Document, mentions: &[Mention], windows: &DocumentWindows) {
        let (id, text) = (&document.id, &document.text);
        self.add_dated(
            id,
            text,
            document.date(),
            document.title(),
            mentions,
            windows,
        );
    }

    /// Adds one document with its date and title: every window of a dated document counts
    /// once in the period holding the date, for each entity in it and each pair.
    pub fn add_dated(
        &mut self,
        id: &str,
        text: &str,
        date: Option<Date>,
        title: Option<&str>,
        mentions: &[Mention],
        windows: &DocumentWindows,
    ) {
        let doc = self.documents.len() as u64;
        self.documents.push(id.to_string());
        self.dates.push(date);
        self.titles.push(title.map(str::to_string));
        // One period per document: found once here, not per mention.
        let dated = date.map(|d| (d, self.period.of(d)));
        match dated {
            Some((d, key)) => {
                self.dated_documents += 1;
                self.span.add_at(d, key, 1);
            }
            None => self.undated_documents += 1,
        }
        self.bytes += text.len() as u64;
        self.windows += windows.total;
        self.mentions += mentions.len() as u64;
        for m in mentions {
            let e = self.entities.entry(m.entity).or_default();
            e.mentions += 1;
            if e.last_document != Some(doc) {
                e.last_document = Some(doc);
                e.documents += 1;
            }
            let surface = &text[m.start..m.end];
            match e.surfaces.get_mut(surface) {
                Some(n) => *n += 1,
                None => {
                    e.surfaces.insert(surface.to_string(), 1);
                }
            }
        }
        // Mentions are sorted by start (as the tagger returns them); a window's mentions are
        // those starting inside it.
        let scratch = &mut self.window_mentions;
        for w in &windows.windows {
            for &a in &w.entities {
                let e = self.entities.entry(a).or_default();
                e.windows += 1;
                if let Some((d, key)) = dated {
                    e.span.add_at(d, key, 1);
                }
            }
            if w.entities.len() > self.max_window_entities {
                // Its pairs grow with the square of its entities: not counted, but counted.
                self.capped_windows += 1;
                continue;
            }
            let text_end = w.start + cut(&text[w.start..w.end], EVIDENCE_TEXT_MAX).len();
            // Filled on the first pair of the window that keeps evidence, then shared.
            let mut indexed = false;
            let mut shared_text: Option<Arc<str>> = None;
            for (i, &a) in w.entities.iter().enumerate() {
                for &b in &w.entities[i + 1..] {
                    let p = self.pairs.entry((a, b)).or_default();
                    p.count += 1;
                    if let Some((d, key)) = dated {
                        p.span.add_at(d, key, 1);
                    }
                    if p.last_document != Some(doc) {
                        p.last_document = Some(doc);
                        p.documents += 1;
                    }
                    // Keep the window if it is among the pair's first by (document id,
                    // start): the ids of a corpus usually rise in input order, so once the
                    // list is full this is one comparison with its last entry.
                    let keep = match p.evidence.last() {
                        _ if p.evidence.len() < self.evidence_limit => true,
                        Some(last) => {
                            (id, w.start) < (self.documents[last.document].as_str(), last.start)
                        }
                        None => false,
                    };
                    if keep {
                        if !indexed {
                            index_window(scratch, mentions, w.start, text_end);
                            indexed = true;
                        }
                        let text = shared_text
                            .get_or_insert_with(|| Arc::from(&text[w.start..text_end]))
                            .clone();
                        let documents = &self.documents;
                        let at = p.evidence.partition_point(|e| {
                            (documents[e.document].as_str(), e.start) <= (id, w.start)
                        });
                        p.evidence.insert(
                            at,
                            Evidence {
                                document: doc as usize,
                                start: w.start,
                                end: w.end,
                                text,
                                spans: [spans_of(scratch, a), spans_of(scratch, b)],
                            },
                        );
                        p.evidence.truncate(self.evidence_limit);
                    }
                }
            }
        }
    }
}

/// Fills `out` with the mentions that start in `start..end` and end by `end`, as
/// `(entity, start, end)` sorted by entity then start.
fn index_window(
    out: &mut Vec<(EntityId, usize, usize)>,
    mentions: &[Mention],
    start: usize,
    end: usize,
) {
    out.clear();
    let first = mentions.partition_point(|m| m.start < start);
    out.extend(
        mentions[first..]
            .iter()
            .take_while(|m| m.start < end)
            .filter(|m| m.end <= end)
            .map(|m| (m.entity, m.start, m.end)),
    );
    out.sort_unstable();
}

/// The byte ranges of `e`'s mentions in a window indexed by [`index_window`], in text order.
fn spans_of(window: &[(EntityId, usize, usize)], e: EntityId) -> Vec<(usize, usize)> {
    let first = window.partition_point(|m| m.0 < e);
    window[first..]
        .iter()
        .take_while(|m| m.0 == e)
        .map(|m| (m.1, m.2))
        .collect()
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::AliasId;
    use crate::window::{Window, windows};

    fn m(start: usize, end: usize, e: u32) -> Mention {
        Mention {
            start,
            end,
            entity: EntityId(e),
            alias: AliasId(0),
        }
    }

    #[test]
    fn pairs_count_once_per_window() {
        // "A A B. B C. A." with sentence windows, worked out by hand:
        // window 1 {A, B} (A twice), window 2 {B, C}, window 3 {A}.
        let text = "Aa Aa Bb. Bb Cc. Aa.";
        let ms = [
            m(0, 2, 0),
            m(3, 5, 0),
            m(6, 8, 1),
            m(10, 12, 1),
            m(13, 15, 2),
            m(17, 19, 0),
        ];
        let w = windows(WindowKind::Sentence, text, &ms);
        let mut c = CooccurrenceCounts::new(WindowKind::Sentence, 1);
        c.add_document("d1", text, &ms, &w);
        c.add_document("d2", text, &ms, &w);
        assert_eq!(c.windows, 6);
        assert_eq!(c.mentions, 12);
        let a = &c.entities[&EntityId(0)];
        assert_eq!((a.mentions, a.documents, a.windows), (6, 2, 4));
        assert_eq!(a.surfaces["Aa"], 6);
        let ab = &c.pairs[&(EntityId(0), EntityId(1))];
        assert_eq!((ab.count, ab.documents), (2, 2));
        assert_eq!(ab.evidence.len(), 1);
        assert_eq!(
            (
                ab.evidence[0].document,
                ab.evidence[0].start,
                ab.evidence[0].end
            ),
            (0, 0, 9)
        );
        assert_eq!(&*ab.evidence[0].text, "Aa Aa Bb.");
        assert_eq!(c.pairs[&(EntityId(1), EntityId(2))].count, 2);
        assert!(!c.pairs.contains_key(&(EntityId(0), EntityId(2))));
    }

    #[test]
    fn evidence_records_both_entities_spans_in_text_order() {
        // Window 1 {A, B, C}: A twice, B once; window 2 {A, B}.
        let text = "Aa Bb Cc Aa. Bb Aa.";
        let ms = [
            m(0, 2, 0),
            m(3, 5, 1),
            m(6, 8, 2),
            m(9, 11, 0),
            m(13, 15, 1),
            m(16, 18, 0),
        ];
        let w = windows(WindowKind::Sentence, text, &ms);
        let mut c = CooccurrenceCounts::new(WindowKind::Sentence, 5);
        c.add_document("d", text, &ms, &w);
        let ab = &c.pairs[&(EntityId(0), EntityId(1))].evidence;
        assert_eq!(ab[0].spans, [vec![(0, 2), (9, 11)], vec![(3, 5)]]);
        assert_eq!(ab[1].spans, [vec![(16, 18)], vec![(13, 15)]]);
        let bc = &c.pairs[&(EntityId(1), EntityId(2))].evidence;
        assert_eq!(bc[0].spans, [vec![(3, 5)], vec![(6, 8)]]);
        for ev in ab.iter().chain(bc) {
            for &(s, e) in ev.spans.iter().flatten() {
                assert!(ev.start <= s && e - ev.start <= ev.text.len());
            }
        }
    }

    #[test]
    fn spans_past_the_evidence_cut_are_dropped() {
        let pad = "x".repeat(EVIDENCE_TEXT_MAX);
        let text = format!("Aa Bb {pad} Aa Bb");
        let n = text.len();
        let ms = [m(0, 2, 0), m(3, 5, 1), m(n - 5, n - 3, 0), m(n - 2, n, 1)];
        let w = windows(WindowKind::Document, &text, &ms);
        let mut c = CooccurrenceCounts::new(WindowKind::Document, 3);
        c.add_document("d", &text, &ms, &w);
        let ev = &c.pairs[&(EntityId(0), EntityId(1))].evidence[0];
        assert_eq!((ev.end, ev.text.len()), (n, EVIDENCE_TEXT_MAX));
        assert_eq!(ev.spans, [vec![(0, 2)], vec![(3, 5)]]);
        // A mention cut in the middle is dropped too.
        let cut_at = EVIDENCE_TEXT_MAX;
        let ms = [m(0, 2, 0), m(cut_at - 1, cut_at + 1, 1)];
        let text = "y".repeat(cut_at + 10);
        let w = windows(WindowKind::Document, &text, &ms);
        let mut c = CooccurrenceCounts::new(WindowKind::Document, 3);
        c.add_document("d", &text, &ms, &w);
        let ev = &c.pairs[&(EntityId(0), EntityId(1))].evidence[0];
        assert_eq!(ev.spans, [vec![(0, 2)], vec![]]);
    }

    #[test]
    fn demonyms_are_dropped_or_folded() {
        let mut b = crate::gazetteer::GazetteerBuilder::new();
        b.add_str(
            "g.tsv",
            "id\ttype\tname\tcountry\nchina\tLOC\tChina\t\nchinese\tNORP\tChinese\tchina\nmartian\tNORP\tMartian\tmars\n",
        );
        let g = b.build().unwrap();
        let ms = vec![m(0, 5, 0), m(6, 13, 1), m(14, 21, 2)];
        let mut dropped = ms.clone();
        EntityMap::new(&g, false).apply(&mut dropped);
        assert_eq!(dropped, [m(0, 5, 0)]);
        let mut folded = ms;
        EntityMap::new(&g, true).apply(&mut folded);
        assert_eq!(folded, [m(0, 5, 0), m(6, 13, 0)]);
    }

    #[test]
    fn evidence_text_is_cut_on_char_boundaries() {
        let text = "é".repeat(EVIDENCE_TEXT_MAX);
        let w = DocumentWindows {
            windows: vec![Window {
                start: 0,
                end: text.len(),
                entities: vec![EntityId(0), EntityId(1)],
            }],
            total: 1,
        };
        let mut c = CooccurrenceCounts::new(WindowKind::Document, 3);
        c.add_document("d", &text, &[], &w);
        let ev = &c.pairs[&(EntityId(0), EntityId(1))].evidence[0];
        assert_eq!(ev.text.len(), EVIDENCE_TEXT_MAX);
    }
}
