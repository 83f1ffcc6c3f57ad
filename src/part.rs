//! Partial counts: the counting stage of a corpus saved to a file (a *part*), merged with
//! others, and turned back into [`CooccurrenceCounts`] for the graph.
//!
//! Counting is a sum, so a corpus can be cut into shards counted anywhere (other processes,
//! other machines, Spark executors) and the parts merged: [`Part::merge`] is associative and
//! commutative, and the merge of the parts of any split of a corpus is byte for byte the part
//! of the whole ([`Part::from_counts`]). That holds because a part is *canonical*: it depends
//! only on the set of documents counted and the [`Settings`], never on input order —
//!
//! - documents are listed by id;
//! - provisional (`new:`) entities are numbered by id, after the gazetteer's entities; each
//!   is named as in the document with the smallest id that mentions it;
//! - entities by number, pairs by (smaller number, larger number);
//! - each pair keeps as evidence the K windows that come first by (document id, window
//!   start), which is the rule [`CooccurrenceCounts`] follows when counting a whole corpus.
//!
//! Document ids must be unique within a part, and parts that share a document id are not
//! merged ([`MergeError::SharedDocument`]): a document is never counted twice.
//!
//! The file format (`docs/part-format.md`): the magic `entgraph-part\n`, the format version
//! ([`FORMAT`], 4 bytes little-endian), then one gzip member holding the part in postcard's
//! serde encoding; nothing may follow the gzip member. gzip's CRC-32 catches corruption and
//! truncation; [`Part::read`] then checks that every index is in range and every list in
//! order before anything is trusted, so a damaged or hand-made part is an error, never a
//! panic later on.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Read, Write};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::cooccur::{CooccurrenceCounts, EVIDENCE_TEXT_MAX, EntityCounts, Evidence, PairCounts};
use crate::date::{Date, DateRange, DateSpan, Period};
use crate::discover::{DISCOVERED_TYPES, ProvisionalEntity};
use crate::gazetteer::EntityId;
use crate::pipeline::CountOptions;
use crate::recognize::Recognizer;
use crate::window::WindowKind;

/// Version of the part format; parts of other versions are refused.
pub const FORMAT: u32 = 1;

/// The first bytes of every part.
pub const MAGIC: &[u8; 14] = b"entgraph-part\n";

/// What shaped the counts of a part: parts merge only when these are equal, and a part is
/// built into a graph only with the same options and the same gazetteer and cue lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The window kind (`sentence`, `paragraph`, `document`, `tokens:N`).
    pub window: String,
    /// Evidence windows kept per pair.
    pub evidence: u64,
    /// Demonyms counted as their country.
    pub demonyms: bool,
    /// The period of per-period counts (`day`, `week`, `month`, `year`).
    pub period: String,
    /// `--since`, if given.
    pub since: Option<Date>,
    /// `--until`, if given.
    pub until: Option<Date>,
    /// Most distinct entities of a window whose pairs are counted.
    pub max_window_entities: u64,
    /// Entities in the gazetteer (provisional entities are numbered after them).
    pub gazetteer_entities: u64,
    /// [`crate::gazetteer::Gazetteer::fingerprint`] of the gazetteer.
    pub gazetteer: [u8; 32],
    /// [`crate::discover::Cues::fingerprint`] of the cue lists; `None` without discovery.
    pub cues: Option<[u8; 32]>,
}

impl Settings {
    /// The settings of counting with `recognizer` and `options`.
    pub fn new(recognizer: &Recognizer, options: &CountOptions) -> Settings {
        Settings {
            window: options.window.to_string(),
            evidence: options.evidence as u64,
            demonyms: options.demonyms,
            period: options.period.as_str().to_string(),
            since: options.range.since,
            until: options.range.until,
            max_window_entities: options.max_window_entities as u64,
            gazetteer_entities: recognizer.gazetteer().len() as u64,
            gazetteer: recognizer.gazetteer().fingerprint(),
            cues: recognizer.discoverer().map(|d| d.cues().fingerprint()),
        }
    }

    /// The first setting in which `self` and `other` differ, as `(what, self's, other's)`
    /// written as on the command line; `None` if they are equal.
    pub fn difference(&self, other: &Settings) -> Option<(&'static str, String, String)> {
        let opt = |d: Option<Date>| d.map_or_else(|| "none".to_string(), |d| d.to_string());
        let hex = |h: &[u8; 32]| {
            h[..6]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        let cues = |c: &Option<[u8; 32]>| {
            c.as_ref()
                .map_or_else(|| "none (--no-discover)".into(), hex)
        };
        let checks: [(&'static str, String, String); 10] = [
            ("--window", self.window.clone(), other.window.clone()),
            (
                "--evidence",
                self.evidence.to_string(),
                other.evidence.to_string(),
            ),
            (
                "--demonyms",
                self.demonyms.to_string(),
                other.demonyms.to_string(),
            ),
            ("--period", self.period.clone(), other.period.clone()),
            ("--since", opt(self.since), opt(other.since)),
            ("--until", opt(self.until), opt(other.until)),
            (
                "--max-window-entities",
                self.max_window_entities.to_string(),
                other.max_window_entities.to_string(),
            ),
            (
                "gazetteer (entities)",
                self.gazetteer_entities.to_string(),
                other.gazetteer_entities.to_string(),
            ),
            (
                "gazetteer (fingerprint)",
                hex(&self.gazetteer),
                hex(&other.gazetteer),
            ),
            (
                "cue lists (fingerprint)",
                cues(&self.cues),
                cues(&other.cues),
            ),
        ];
        checks.into_iter().find(|(_, a, b)| a != b)
    }

    /// The counting options these settings stand for.
    pub fn count_options(&self) -> CountOptions {
        CountOptions {
            window: self.window.parse().unwrap_or(WindowKind::Sentence),
            evidence: self.evidence as usize,
            demonyms: self.demonyms,
            period: period(&self.period).unwrap_or_default(),
            range: DateRange {
                since: self.since,
                until: self.until,
            },
            max_window_entities: self.max_window_entities as usize,
        }
    }
}

fn period(s: &str) -> Option<Period> {
    Period::ALL.into_iter().find(|p| p.as_str() == s)
}

/// One document counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct PartDocument {
    id: String,
    date: Option<Date>,
    title: Option<String>,
}

/// Corpus totals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Totals {
    dated_documents: u64,
    undated_documents: u64,
    excluded_documents: u64,
    #[serde(with = "span_serde")]
    span: DateSpan,
    bytes: u64,
    windows: u64,
    mentions: u64,
    capped_windows: u64,
}

/// A provisional entity: `EntityId(gazetteer_entities + k)` is the part's `provisional[k]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct PartProvisional {
    id: String,
    name: String,
    cue: String,
    /// The document (index into the part's documents) the name and cue are from.
    first: u64,
    /// Mentions per type label, by label.
    votes: Vec<(String, u64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct PartEntity {
    entity: u32,
    mentions: u64,
    documents: u64,
    windows: u64,
    surfaces: Vec<(String, u64)>,
    #[serde(with = "span_serde")]
    span: DateSpan,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct PartEvidence {
    document: u64,
    start: u64,
    end: u64,
    text: String,
    spans: [Vec<(u64, u64)>; 2],
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct PartPair {
    a: u32,
    b: u32,
    count: u64,
    documents: u64,
    #[serde(with = "span_serde")]
    span: DateSpan,
    evidence: Vec<PartEvidence>,
}

/// Partial counts of a set of documents, in canonical form (see the module's doc).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    settings: Settings,
    documents: Vec<PartDocument>,
    totals: Totals,
    provisional: Vec<PartProvisional>,
    entities: Vec<PartEntity>,
    pairs: Vec<PartPair>,
}

/// Why a part could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The bytes do not start with [`MAGIC`].
    NotAPart,
    /// A part of another format version.
    Version {
        /// The version the file says.
        found: u32,
    },
    /// The gzip member is cut short or damaged (the decoder's message).
    Compressed(String),
    /// Bytes follow the gzip member.
    TrailingBytes(usize),
    /// The payload does not decode, or decodes to something inconsistent (what is wrong).
    Corrupt(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotAPart => f.write_str("not an entgraph part (no entgraph-part header)"),
            ReadError::Version { found } => write!(
                f,
                "a part of format version {found}; this entgraph reads version {FORMAT}: count \
                 its documents again with this entgraph"
            ),
            ReadError::Compressed(e) => write!(
                f,
                "not a complete entgraph part (gzip: {e}); is it truncated?"
            ),
            ReadError::TrailingBytes(n) => write!(
                f,
                "{n} bytes after the end of the part: it is damaged, or two files were joined"
            ),
            ReadError::Corrupt(what) => write!(f, "a damaged entgraph part ({what})"),
        }
    }
}

impl std::error::Error for ReadError {}

/// Why parts could not be merged.
#[derive(Debug, PartialEq, Eq)]
pub enum MergeError {
    /// Two parts were counted with different settings.
    Settings {
        /// The index of the part that differs from the first.
        part: usize,
        /// The setting, the first part's value and this part's.
        what: (&'static str, String, String),
    },
    /// Two parts (or one part twice) hold the same document id.
    SharedDocument {
        /// The document id.
        id: String,
        /// The indexes of the two parts.
        parts: (usize, usize),
    },
    /// No part was given.
    Nothing,
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::Settings { what, .. } => write!(
                f,
                "counted with {} {}, and the parts before it with {}: parts merge only when \
                 counted with the same settings",
                what.0, what.2, what.1
            ),
            MergeError::SharedDocument { id, .. } => write!(
                f,
                "document {id:?} is counted in two parts: a document is never counted twice"
            ),
            MergeError::Nothing => f.write_str("no part to merge"),
        }
    }
}

impl std::error::Error for MergeError {}

impl Part {
    /// The part of `counts`, which were counted with `settings` (by [`crate::pipeline::count`]
    /// or [`CooccurrenceCounts`] directly).
    ///
    /// # Errors
    /// [`MergeError::SharedDocument`] if two documents of `counts` have the same id.
    pub fn from_counts(
        counts: &CooccurrenceCounts,
        settings: Settings,
    ) -> Result<Part, MergeError> {
        let documents = counts
            .documents
            .iter()
            .zip(&counts.dates)
            .zip(&counts.titles)
            .map(|((id, date), title)| PartDocument {
                id: id.clone(),
                date: *date,
                title: title.clone(),
            })
            .collect();
        let provisional = counts
            .provisional
            .iter()
            .enumerate()
            .map(|(k, p)| PartProvisional {
                id: p.id.clone(),
                name: p.name.clone(),
                cue: p.cue.clone(),
                first: counts.provisional_first.get(k).copied().unwrap_or(0) as u64,
                votes: counts
                    .provisional_votes
                    .get(k)
                    .into_iter()
                    .flatten()
                    .map(|(l, c)| (l.to_string(), *c))
                    .collect(),
            })
            .collect();
        let entities = counts
            .entities
            .iter()
            .map(|(e, c)| PartEntity {
                entity: e.0,
                mentions: c.mentions,
                documents: c.documents,
                windows: c.windows,
                surfaces: c.surfaces.iter().map(|(s, k)| (s.clone(), *k)).collect(),
                span: c.span.clone(),
            })
            .collect();
        let pairs = counts
            .pairs
            .iter()
            .map(|((a, b), p)| PartPair {
                a: a.0,
                b: b.0,
                count: p.count,
                documents: p.documents,
                span: p.span.clone(),
                evidence: p
                    .evidence
                    .iter()
                    .map(|ev| PartEvidence {
                        document: ev.document as u64,
                        start: ev.start as u64,
                        end: ev.end as u64,
                        text: ev.text.to_string(),
                        spans: ev
                            .spans
                            .clone()
                            .map(|s| s.into_iter().map(|(s, e)| (s as u64, e as u64)).collect()),
                    })
                    .collect(),
            })
            .collect();
        let raw = Part {
            settings,
            documents,
            totals: Totals {
                dated_documents: counts.dated_documents,
                undated_documents: counts.undated_documents,
                excluded_documents: counts.excluded_documents,
                span: counts.span.clone(),
                bytes: counts.bytes,
                windows: counts.windows,
                mentions: counts.mentions,
                capped_windows: counts.capped_windows,
            },
            provisional,
            entities,
            pairs,
        };
        canonical(vec![raw])
    }

    /// The settings the part was counted with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Documents counted.
    pub fn documents(&self) -> usize {
        self.documents.len()
    }

    /// The ids of the documents counted, in order.
    pub fn document_ids(&self) -> impl Iterator<Item = &str> {
        self.documents.iter().map(|d| d.id.as_str())
    }

    /// Merges `parts` (any number, in any order): the part of all their documents.
    ///
    /// # Errors
    /// [`MergeError::Settings`] if the parts were counted with different settings,
    /// [`MergeError::SharedDocument`] if two of them counted the same document id.
    pub fn merge(parts: Vec<Part>) -> Result<Part, MergeError> {
        if let Some(first) = parts.first() {
            for (i, p) in parts.iter().enumerate().skip(1) {
                if let Some(what) = first.settings.difference(&p.settings) {
                    return Err(MergeError::Settings { part: i, what });
                }
            }
        }
        canonical(parts)
    }

    /// The counts, as [`crate::pipeline::count`] would have made them of the same documents
    /// (up to the numbering of provisional entities, which is by id here), ready for
    /// [`crate::graph::build`].
    pub fn to_counts(&self) -> CooccurrenceCounts {
        let o = self.settings.count_options();
        let mut c = CooccurrenceCounts::new(o.window, o.evidence);
        c.period = o.period;
        c.range = o.range;
        c.max_window_entities = o.max_window_entities;
        for d in &self.documents {
            c.documents.push(d.id.clone());
            c.dates.push(d.date);
            c.titles.push(d.title.clone());
        }
        let t = &self.totals;
        c.dated_documents = t.dated_documents;
        c.undated_documents = t.undated_documents;
        c.excluded_documents = t.excluded_documents;
        c.span = t.span.clone();
        c.bytes = t.bytes;
        c.windows = t.windows;
        c.mentions = t.mentions;
        c.capped_windows = t.capped_windows;
        for (k, p) in self.provisional.iter().enumerate() {
            let votes: BTreeMap<&'static str, u64> = p
                .votes
                .iter()
                .filter_map(|(l, v)| Some((label(l)?, *v)))
                .collect();
            let best = votes.values().copied().max().unwrap_or(0);
            let kind = votes
                .iter()
                .find(|(_, v)| **v == best)
                .map_or(DISCOVERED_TYPES[0], |(l, _)| *l);
            c.provisional.push(ProvisionalEntity {
                id: p.id.clone(),
                name: p.name.clone(),
                kind,
                cue: p.cue.clone(),
            });
            c.provisional_index.insert(p.id.clone(), k as u32);
            c.provisional_votes.push(votes);
            c.provisional_first.push(p.first as usize);
        }
        c.entities = self
            .entities
            .iter()
            .map(|e| {
                let counts = EntityCounts {
                    mentions: e.mentions,
                    documents: e.documents,
                    windows: e.windows,
                    surfaces: e.surfaces.iter().cloned().collect(),
                    span: e.span.clone(),
                    last_document: None,
                };
                (EntityId(e.entity), counts)
            })
            .collect::<FxHashMap<_, _>>();
        c.pairs = self
            .pairs
            .iter()
            .map(|p| {
                let evidence = p
                    .evidence
                    .iter()
                    .map(|ev| Evidence {
                        document: ev.document as usize,
                        start: ev.start as usize,
                        end: ev.end as usize,
                        text: Arc::from(ev.text.as_str()),
                        spans: ev.spans.clone().map(|s| {
                            s.into_iter()
                                .map(|(s, e)| (s as usize, e as usize))
                                .collect()
                        }),
                    })
                    .collect();
                let counts = PairCounts {
                    count: p.count,
                    documents: p.documents,
                    evidence,
                    span: p.span.clone(),
                    last_document: None,
                };
                ((EntityId(p.a), EntityId(p.b)), counts)
            })
            .collect::<FxHashMap<_, _>>();
        c
    }

    /// Writes the part: header, then the gzip-compressed payload.
    pub fn write_to(&self, mut w: impl Write) -> std::io::Result<()> {
        w.write_all(MAGIC)?;
        w.write_all(&FORMAT.to_le_bytes())?;
        let payload = postcard::to_stdvec(self).map_err(std::io::Error::other)?;
        let mut gz = flate2::write::GzEncoder::new(w, flate2::Compression::fast());
        gz.write_all(&payload)?;
        gz.finish()?.flush()
    }

    /// The part's bytes, as [`Part::write_to`] writes them.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing to a Vec does not fail.
        let _ = self.write_to(&mut out);
        out
    }

    /// Reads a part from its bytes, checking everything (see the module's doc).
    ///
    /// # Errors
    /// A [`ReadError`] saying what is wrong; nothing of a part that fails a check is used.
    pub fn read(bytes: &[u8]) -> Result<Part, ReadError> {
        let rest = bytes.strip_prefix(MAGIC).ok_or(ReadError::NotAPart)?;
        let (version, rest) = rest
            .split_first_chunk::<4>()
            .ok_or_else(|| ReadError::Compressed("no payload".into()))?;
        let found = u32::from_le_bytes(*version);
        if found != FORMAT {
            return Err(ReadError::Version { found });
        }
        let mut gz = flate2::bufread::GzDecoder::new(rest);
        let mut payload = Vec::new();
        gz.read_to_end(&mut payload)
            .map_err(|e| ReadError::Compressed(e.to_string()))?;
        let trailing = gz.into_inner().len();
        if trailing > 0 {
            return Err(ReadError::TrailingBytes(trailing));
        }
        let part: Part = postcard::from_bytes(&payload)
            .map_err(|e| ReadError::Corrupt(format!("payload does not decode: {e}")))?;
        part.check().map_err(ReadError::Corrupt)?;
        Ok(part)
    }

    /// Checks the invariants of a canonical part: every list in order, every index in range,
    /// every span inside its evidence text on character boundaries.
    fn check(&self) -> Result<(), String> {
        let s = &self.settings;
        if s.window.parse::<WindowKind>().is_err() || period(&s.period).is_none() {
            return Err(format!(
                "unknown window {:?} or period {:?}",
                s.window, s.period
            ));
        }
        let strictly = |ok: bool, what: &str| {
            if ok {
                Ok(())
            } else {
                Err(format!("{what} out of order"))
            }
        };
        strictly(
            self.documents.windows(2).all(|w| w[0].id < w[1].id),
            "documents",
        )?;
        strictly(
            self.provisional.windows(2).all(|w| w[0].id < w[1].id),
            "provisional entities",
        )?;
        let docs = self.documents.len() as u64;
        let total = s.gazetteer_entities + self.provisional.len() as u64;
        for p in &self.provisional {
            if p.first >= docs
                || p.votes.is_empty()
                || p.votes.iter().any(|(l, _)| label(l).is_none())
            {
                return Err(format!("provisional entity {:?} is inconsistent", p.id));
            }
        }
        strictly(
            self.entities.windows(2).all(|w| w[0].entity < w[1].entity),
            "entities",
        )?;
        if self
            .entities
            .last()
            .is_some_and(|e| u64::from(e.entity) >= total)
        {
            return Err("an entity number out of range".into());
        }
        let known = |e: u32| self.entities.binary_search_by_key(&e, |x| x.entity).is_ok();
        strictly(
            self.pairs
                .windows(2)
                .all(|w| (w[0].a, w[0].b) < (w[1].a, w[1].b)),
            "pairs",
        )?;
        for p in &self.pairs {
            if p.a >= p.b || !known(p.a) || !known(p.b) {
                return Err(format!("pair ({}, {}) names no counted entity", p.a, p.b));
            }
            if p.evidence.len() as u64 > s.evidence {
                return Err("more evidence than the settings keep".into());
            }
            strictly(
                p.evidence
                    .windows(2)
                    .all(|w| (w[0].document, w[0].start) < (w[1].document, w[1].start)),
                "evidence",
            )?;
            for ev in &p.evidence {
                let inside = |(a, b): (u64, u64)| {
                    a >= ev.start
                        && a <= b
                        && b - ev.start <= ev.text.len() as u64
                        && ev.text.is_char_boundary((a - ev.start) as usize)
                        && ev.text.is_char_boundary((b - ev.start) as usize)
                };
                if ev.document >= docs
                    || ev.start > ev.end
                    || ev.text.len() > EVIDENCE_TEXT_MAX
                    || !ev.spans.iter().flatten().all(|&r| inside(r))
                {
                    return Err(format!(
                        "evidence of pair ({}, {}) is inconsistent",
                        p.a, p.b
                    ));
                }
            }
        }
        Ok(())
    }
}

/// [`DateSpan`] in postcard, which is not self-describing: every field written, always
/// (`DateSpan`'s own serde skips empty fields, for JSON).
mod span_serde {
    use crate::date::{Date, DateSpan, PeriodKey};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    type Fields = (Option<Date>, Option<Date>, Vec<(PeriodKey, u64)>);

    pub fn serialize<S: Serializer>(span: &DateSpan, s: S) -> Result<S::Ok, S::Error> {
        let periods: Vec<(PeriodKey, u64)> = span.periods.iter().map(|(k, n)| (*k, *n)).collect();
        (span.first, span.last, periods).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateSpan, D::Error> {
        let (first, last, periods) = Fields::deserialize(d)?;
        Ok(DateSpan {
            first,
            last,
            periods: periods.into_iter().collect(),
        })
    }
}

/// The `&'static` type label of a provisional entity's vote.
fn label(l: &str) -> Option<&'static str> {
    DISCOVERED_TYPES.into_iter().find(|t| *t == l)
}

/// The canonical part of the union of `parts` (all counted with the first one's settings).
/// One code path for [`Part::from_counts`] (one part, in input order) and [`Part::merge`].
fn canonical(parts: Vec<Part>) -> Result<Part, MergeError> {
    let Some(settings) = parts.first().map(|p| p.settings.clone()) else {
        return Err(MergeError::Nothing);
    };
    let n = settings.gazetteer_entities as u32;
    let limit = settings.evidence as usize;

    // Documents by id; each part's old index → the new one.
    let mut all: Vec<(&str, usize, usize)> = parts
        .iter()
        .enumerate()
        .flat_map(|(p, part)| {
            part.documents
                .iter()
                .enumerate()
                .map(move |(i, d)| (d.id.as_str(), p, i))
        })
        .collect();
    all.sort_unstable();
    if let Some(w) = all.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(MergeError::SharedDocument {
            id: w[0].0.to_string(),
            parts: (w[0].1, w[1].1),
        });
    }
    let mut doc_map: Vec<Vec<u64>> = parts.iter().map(|p| vec![0; p.documents.len()]).collect();
    for (new, &(_, p, i)) in all.iter().enumerate() {
        doc_map[p][i] = new as u64;
    }
    let documents: Vec<PartDocument> = all
        .iter()
        .map(|&(_, p, i)| parts[p].documents[i].clone())
        .collect();
    drop(all);

    // Provisional entities by id, named from the smallest document id.
    let mut provisional: BTreeMap<&str, (PartProvisional, BTreeMap<&str, u64>)> = BTreeMap::new();
    for (p, part) in parts.iter().enumerate() {
        for e in &part.provisional {
            let first = doc_map[p].get(e.first as usize).copied().unwrap_or(0);
            let (kept, votes) = provisional.entry(e.id.as_str()).or_insert_with(|| {
                let mut kept = e.clone();
                kept.first = first;
                (kept, BTreeMap::new())
            });
            if first < kept.first {
                kept.name.clone_from(&e.name);
                kept.cue.clone_from(&e.cue);
                kept.first = first;
            }
            for (l, v) in &e.votes {
                *votes.entry(l.as_str()).or_default() += v;
            }
        }
    }
    let rank: BTreeMap<&str, u32> = provisional
        .keys()
        .enumerate()
        .map(|(k, id)| (*id, n + k as u32))
        .collect();
    let entity_map: Vec<Vec<u32>> = parts
        .iter()
        .map(|part| {
            part.provisional
                .iter()
                .map(|e| rank[e.id.as_str()])
                .collect()
        })
        .collect();
    let renumber = |p: usize, e: u32| -> u32 {
        if e < n {
            e
        } else {
            entity_map[p].get((e - n) as usize).copied().unwrap_or(e)
        }
    };

    let mut totals = Totals::default();
    let mut entities: BTreeMap<u32, PartEntity> = BTreeMap::new();
    let mut pairs: BTreeMap<(u32, u32), PartPair> = BTreeMap::new();
    for (p, part) in parts.iter().enumerate() {
        let t = &part.totals;
        totals.dated_documents += t.dated_documents;
        totals.undated_documents += t.undated_documents;
        totals.excluded_documents += t.excluded_documents;
        totals.span.merge(&t.span);
        totals.bytes += t.bytes;
        totals.windows += t.windows;
        totals.mentions += t.mentions;
        totals.capped_windows += t.capped_windows;
        for e in &part.entities {
            let id = renumber(p, e.entity);
            let into = entities.entry(id).or_insert_with(|| PartEntity {
                entity: id,
                mentions: 0,
                documents: 0,
                windows: 0,
                surfaces: Vec::new(),
                span: DateSpan::default(),
            });
            into.mentions += e.mentions;
            into.documents += e.documents;
            into.windows += e.windows;
            into.surfaces.extend(e.surfaces.iter().cloned());
            into.span.merge(&e.span);
        }
        for pair in &part.pairs {
            let (a, b) = (renumber(p, pair.a), renumber(p, pair.b));
            let swapped = a > b;
            let key = (a.min(b), a.max(b));
            let into = pairs.entry(key).or_insert_with(|| PartPair {
                a: key.0,
                b: key.1,
                count: 0,
                documents: 0,
                span: DateSpan::default(),
                evidence: Vec::new(),
            });
            into.count += pair.count;
            into.documents += pair.documents;
            into.span.merge(&pair.span);
            into.evidence.extend(pair.evidence.iter().map(|ev| {
                let mut ev = PartEvidence {
                    document: doc_map[p].get(ev.document as usize).copied().unwrap_or(0),
                    ..ev.clone()
                };
                if swapped {
                    ev.spans.swap(0, 1);
                }
                ev
            }));
        }
    }
    for e in entities.values_mut() {
        // Sum the counts of each surface form, in order.
        let mut merged: BTreeMap<String, u64> = BTreeMap::new();
        for (s, k) in e.surfaces.drain(..) {
            *merged.entry(s).or_default() += k;
        }
        e.surfaces = merged.into_iter().collect();
    }
    for p in pairs.values_mut() {
        p.evidence.sort_by_key(|ev| (ev.document, ev.start));
        p.evidence.dedup_by_key(|ev| (ev.document, ev.start));
        p.evidence.truncate(limit);
    }
    let provisional = provisional
        .into_values()
        .map(|(mut e, votes)| {
            e.votes = votes.into_iter().map(|(l, v)| (l.to_string(), v)).collect();
            e
        })
        .collect();
    Ok(Part {
        settings,
        documents,
        totals,
        provisional,
        entities: entities.into_values().collect(),
        pairs: pairs.into_values().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::AliasId;
    use crate::tagger::{Mention, Tagged};
    use crate::window::{DocumentWindows, WindowKind, windows};

    /// Settings for a gazetteer of `n` entities, keeping `evidence` windows per pair.
    fn settings(evidence: u64) -> Settings {
        Settings {
            window: "sentence".into(),
            evidence,
            demonyms: false,
            period: "month".into(),
            since: None,
            until: None,
            max_window_entities: 100,
            gazetteer_entities: 2,
            gazetteer: [7; 32],
            cues: Some([9; 32]),
        }
    }

    /// One document: "Aa Nn." — gazetteer entity 0 (`Aa`) and a provisional entity written
    /// `name` (id `new:n`), in one sentence.
    fn add(c: &mut CooccurrenceCounts, id: &str, name: &str) {
        let text = format!("Aa {name}.");
        let mentions = vec![
            Mention {
                start: 0,
                end: 2,
                entity: EntityId(0),
                alias: AliasId(0),
            },
            Mention {
                start: 3,
                end: 3 + name.len(),
                entity: EntityId(2),
                alias: AliasId::NONE,
            },
        ];
        let mut tagged = Tagged {
            mentions,
            ambiguous: Vec::new(),
            provisional: vec![ProvisionalEntity {
                id: "new:n".into(),
                name: name.into(),
                kind: if name.starts_with('N') {
                    "PERSON"
                } else {
                    "ORG"
                },
                cue: format!("title:{id}"),
            }],
        };
        let mut w: DocumentWindows = windows(WindowKind::Sentence, &text, &tagged.mentions);
        c.intern_provisional(id, 2, &mut tagged, &mut w);
        c.add_document(id, &text, &tagged.mentions, &w);
    }

    fn counts_of(docs: &[(&str, &str)]) -> CooccurrenceCounts {
        let mut c = CooccurrenceCounts::new(WindowKind::Sentence, 2);
        for (id, name) in docs {
            add(&mut c, id, name);
        }
        c
    }

    const DOCS: [(&str, &str); 4] = [("d3", "Nn"), ("d1", "NN"), ("d4", "Nn"), ("d2", "Nq")];

    #[test]
    fn names_and_evidence_do_not_depend_on_input_order() {
        let forward = counts_of(&DOCS);
        let mut reversed = DOCS;
        reversed.reverse();
        let backward = counts_of(&reversed);
        for c in [&forward, &backward] {
            // Named as in d1, the smallest id, wherever it came in the input.
            assert_eq!(c.provisional[0].name, "NN");
            assert_eq!(c.provisional[0].cue, "title:d1");
            // Evidence: the two first windows by document id (d1, d2).
            let ev = &c.pairs[&(EntityId(0), EntityId(2))].evidence;
            let ids: Vec<&str> = ev
                .iter()
                .map(|e| c.documents[e.document].as_str())
                .collect();
            assert_eq!(ids, ["d1", "d2"]);
        }
        let (a, b) = (
            Part::from_counts(&forward, settings(2)).unwrap(),
            Part::from_counts(&backward, settings(2)).unwrap(),
        );
        assert_eq!(a.to_bytes(), b.to_bytes());
    }

    #[test]
    fn merging_is_associative_and_commutative_and_names_from_the_smallest_id() {
        let whole = Part::from_counts(&counts_of(&DOCS), settings(2)).unwrap();
        let one = |i: usize| Part::from_counts(&counts_of(&DOCS[i..=i]), settings(2)).unwrap();
        let left = Part::merge(vec![
            Part::merge(vec![one(0), one(1)]).unwrap(),
            Part::merge(vec![one(2), one(3)]).unwrap(),
        ])
        .unwrap();
        let right = Part::merge(vec![
            one(3),
            Part::merge(vec![one(1), one(2), one(0)]).unwrap(),
        ])
        .unwrap();
        assert_eq!(left.to_bytes(), whole.to_bytes());
        assert_eq!(right.to_bytes(), whole.to_bytes());
        let c = whole.to_counts();
        assert_eq!(c.provisional[0].name, "NN");
        // Three of four mentions were PERSON.
        assert_eq!(c.provisional[0].kind, "PERSON");
        assert_eq!(c.pairs[&(EntityId(0), EntityId(2))].count, 4);
    }

    #[test]
    fn merge_refuses_other_settings_and_shared_documents() {
        let a = Part::from_counts(&counts_of(&DOCS[..2]), settings(2)).unwrap();
        let b = Part::from_counts(&counts_of(&DOCS[2..]), settings(3)).unwrap();
        match Part::merge(vec![a.clone(), b]) {
            Err(MergeError::Settings { part: 1, what }) => {
                assert_eq!(what, ("--evidence", "2".into(), "3".into()))
            }
            other => panic!("{other:?}"),
        }
        let c = Part::from_counts(&counts_of(&DOCS[1..]), settings(2)).unwrap();
        assert_eq!(
            Part::merge(vec![a, c]),
            Err(MergeError::SharedDocument {
                id: "d1".into(),
                parts: (0, 1)
            })
        );
        assert_eq!(Part::merge(Vec::new()), Err(MergeError::Nothing));
    }

    /// The payload of `part` changed by `f`, as a file: postcard inside gzip under the header.
    fn tampered(part: &Part, f: impl FnOnce(&mut Part)) -> Vec<u8> {
        let mut p = part.clone();
        f(&mut p);
        p.to_bytes()
    }

    #[test]
    fn read_checks_what_a_well_formed_payload_says() {
        let part = Part::from_counts(&counts_of(&DOCS), settings(2)).unwrap();
        assert_eq!(Part::read(&part.to_bytes()).unwrap(), part);
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("documents", tampered(&part, |p| p.documents.swap(0, 1))),
            ("pair", tampered(&part, |p| p.pairs[0].b = 99)),
            (
                "evidence",
                tampered(&part, |p| p.pairs[0].evidence[0].document = 99),
            ),
            (
                "evidence",
                tampered(&part, |p| p.pairs[0].evidence[0].spans[0] = vec![(0, 999)]),
            ),
            (
                "evidence",
                tampered(&part, |p| p.pairs[0].evidence.reverse()),
            ),
            (
                "more evidence",
                tampered(&part, |p| p.settings.evidence = 1),
            ),
            (
                "provisional",
                tampered(&part, |p| p.provisional[0].votes[0].0 = "ALIEN".into()),
            ),
            (
                "entity number",
                tampered(&part, |p| p.entities.last_mut().unwrap().entity = 50),
            ),
            (
                "unknown window",
                tampered(&part, |p| p.settings.window = "lines".into()),
            ),
        ];
        for (says, bytes) in cases {
            match Part::read(&bytes) {
                Err(ReadError::Corrupt(what)) => assert!(what.contains(says), "{says}: {what}"),
                other => panic!("{says}: {other:?}"),
            }
        }
    }
}
