//! Names the gazetteer missed: the most frequent capitalized word sequences that no mention
//! covers, with a ready-to-paste gazetteer row. The quickest way to grow a gazetteer for a
//! corpus.
//!
//! A candidate is a run of capitalized words (or words in capitals) separated only by
//! spaces, hyphens or apostrophes, possibly joined by a lower-case connector (`Bank of
//! England`, `Abu Bakr al Baghdadi`). The first word of a sentence is skipped (it is capitalized
//! anyway), as are month and weekday names, titles (`President`, `Premier`) and `I`.

use std::collections::{BTreeMap, HashMap};

use crate::explain::{Kwic, kwic};
use crate::gazetteer::slug;
use crate::segment;
use crate::tagger::{Mention, Tagged};

const CONNECTORS: &[&str] = &[
    "of", "de", "del", "der", "des", "da", "di", "du", "la", "le", "van", "von", "al", "el", "bin",
    "ibn", "and", "the", "y",
];

const SKIP: &[&str] = &[
    "I",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "President",
    "Premier",
    "Prime",
    "Minister",
    "Chancellor",
    "Secretary",
    "Senator",
    "Governor",
    "General",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Pope",
    "Sir",
    "Lord",
    "Lady",
    "Chairman",
    "Chief",
    "Vice",
    "Deputy",
    "Mayor",
];

const ORG_WORDS: &[&str] = &[
    "Inc",
    "Corp",
    "Corporation",
    "Ltd",
    "Group",
    "Bank",
    "Party",
    "Ministry",
    "Council",
    "Agency",
    "University",
    "Association",
    "Company",
    "Committee",
    "Commission",
    "Department",
    "Institute",
    "Foundation",
    "Organization",
    "Organisation",
    "Union",
    "Fund",
    "Court",
    "Army",
    "Police",
    "Office",
    "Center",
    "Centre",
    "Assembly",
    "Parliament",
    "Times",
    "News",
    "Post",
    "Airlines",
    "Motors",
    "Electronics",
    "Holdings",
    "Network",
    "Service",
    "Services",
    "Board",
];

const LOC_WORDS: &[&str] = &[
    "Street",
    "River",
    "Mountain",
    "Mountains",
    "City",
    "Province",
    "Sea",
    "Ocean",
    "Island",
    "Islands",
    "Lake",
    "Valley",
    "County",
    "State",
    "Bay",
    "Gulf",
    "Peninsula",
    "Strait",
    "Square",
    "Airport",
    "Hall",
    "Palace",
    "Park",
    "Bridge",
    "Road",
    "Avenue",
    "District",
    "Region",
];

#[derive(Default)]
struct Tally {
    count: u64,
    documents: u64,
    last_document: Option<u64>,
}

/// Counts unmatched capitalized sequences over documents added in order.
#[derive(Default)]
pub struct Unmatched {
    phrases: HashMap<String, Tally>,
    documents: u64,
}

/// One candidate name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct UnmatchedRow {
    /// The capitalized sequence as written, whitespace runs shown as one space; rows are
    /// aggregated by this exact text (case and diacritics count).
    pub phrase: String,
    /// Occurrences over every document added (a sentence's first word never starts one).
    pub count: u64,
    /// Documents with at least one occurrence.
    pub documents: u64,
    /// A guess from the words (`Bank` → ORG, `River` → LOC, two or three names → PERSON):
    /// review it before pasting.
    pub guessed_type: String,
    /// `id<TAB>type<TAB>name<TAB>aliases`, for a gazetteer with those columns.
    pub tsv: String,
}

fn capitalized(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

impl Unmatched {
    /// An empty tally: no documents, no candidates.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a document and its mentions (sorted by start).
    pub fn add(&mut self, text: &str, mentions: &[Mention]) {
        let doc = self.documents;
        self.documents += 1;
        let covered = |s: usize, e: usize| {
            let i = mentions.partition_point(|m| m.end <= s);
            mentions.get(i).is_some_and(|m| m.start < e)
        };
        for sentence in segment::sentences(text) {
            let words: Vec<std::ops::Range<usize>> = segment::word_tokens(&text[sentence.clone()])
                .map(|r| r.start + sentence.start..r.end + sentence.start)
                .collect();
            let mut k = 1; // the first word of a sentence is capitalized anyway
            while k < words.len() {
                let w = &text[words[k].clone()];
                if !capitalized(w) || covered(words[k].start, words[k].end) || SKIP.contains(&w) {
                    k += 1;
                    continue;
                }
                // Extend the run.
                let (start, mut end, mut j) = (words[k].start, words[k].end, k + 1);
                while j < words.len() {
                    let gap = &text[end..words[j].start];
                    if !gap
                        .chars()
                        .all(|c| c == ' ' || c == '-' || c == '\u{a0}' || c == '\'' || c == '’')
                        || gap.len() > 3
                    {
                        break;
                    }
                    let next = &text[words[j].clone()];
                    if capitalized(next)
                        && !covered(words[j].start, words[j].end)
                        && !SKIP.contains(&next)
                    {
                        end = words[j].end;
                        j += 1;
                    } else if CONNECTORS.contains(&next)
                        && words.get(j + 1).is_some_and(|n| {
                            capitalized(&text[n.clone()])
                                && !covered(n.start, n.end)
                                && text[words[j].end..n.start].chars().all(|c| c == ' ')
                        })
                    {
                        end = words[j + 1].end;
                        j += 2;
                    } else {
                        break;
                    }
                }
                let phrase = text[start..end]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let t = self.phrases.entry(phrase).or_default();
                t.count += 1;
                if t.last_document != Some(doc) {
                    t.last_document = Some(doc);
                    t.documents += 1;
                }
                k = j.max(k + 1);
            }
        }
    }

    /// The `n` most frequent candidates (ties: more documents, then alphabetical).
    pub fn top(&self, n: usize) -> Vec<UnmatchedRow> {
        let mut rows: Vec<(&String, &Tally)> = self.phrases.iter().collect();
        rows.sort_by(|a, b| {
            b.1.count
                .cmp(&a.1.count)
                .then(b.1.documents.cmp(&a.1.documents))
                .then(a.0.cmp(b.0))
        });
        rows.into_iter()
            .take(n)
            .map(|(phrase, t)| {
                let guessed = guess_type(phrase);
                UnmatchedRow {
                    phrase: phrase.clone(),
                    count: t.count,
                    documents: t.documents,
                    guessed_type: guessed.to_string(),
                    tsv: format!("{}\t{guessed}\t{phrase}\t", slug(phrase)),
                }
            })
            .collect()
    }
}

/// Characters of context on each side of a [`DiscoveredRow::example`].
pub const EXAMPLE_CONTEXT: usize = 40;

/// What is known of one provisional entity over the corpus.
struct Found {
    name: String,
    kind: &'static str,
    cue: String,
    mentions: u64,
    documents: u64,
    last_document: Option<u64>,
    surfaces: BTreeMap<String, u64>,
    example: Kwic,
}

/// The review list of discovery: the provisional entities found in a corpus (documents added
/// in order), aggregated by id over documents.
#[derive(Default)]
pub struct Discovered {
    found: HashMap<String, Found>,
    documents: u64,
}

/// One provisional entity to review.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DiscoveredRow {
    /// `new:<slug>`.
    pub id: String,
    /// The full name as first written (in the first document that has it).
    pub name: String,
    /// `PERSON`, `ORG` or `LOC`, as typed in the first document that has it (serialized as
    /// `type`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Mentions of it over every document added.
    pub mentions: u64,
    /// Documents with at least one mention of it.
    pub documents: u64,
    /// The cue that typed it (`title:analyst`), in the first document that has it.
    pub cue: String,
    /// The surface forms seen, with counts.
    pub aliases: BTreeMap<String, u64>,
    /// Its first mention in the corpus, with [`EXAMPLE_CONTEXT`] characters each side.
    pub example: Kwic,
    /// `id<TAB>type<TAB>name<TAB>aliases` for a gazetteer with those columns: the id is the
    /// slug of the name (without `new:`), the aliases the other surface forms seen, a one-word
    /// one of a person weak (`~Mishra`, as the default gazetteer writes bare surnames).
    pub tsv: String,
}

/// Whitespace runs as one space, so a surface form fits on a TSV row.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Discovered {
    /// An empty review list: no documents, no entities.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a document: its mentions of provisional entities (`entity.0 >= gazetteer_len`,
    /// indexing `tagged.provisional`).
    pub fn add(&mut self, doc_id: &str, text: &str, tagged: &Tagged, gazetteer_len: usize) {
        let doc = self.documents;
        self.documents += 1;
        for m in &tagged.mentions {
            let Some(p) = (m.entity.0 as usize)
                .checked_sub(gazetteer_len)
                .and_then(|k| tagged.provisional.get(k))
            else {
                continue;
            };
            let f = self.found.entry(p.id.clone()).or_insert_with(|| Found {
                name: p.name.clone(),
                kind: p.kind,
                cue: p.cue.clone(),
                mentions: 0,
                documents: 0,
                last_document: None,
                surfaces: BTreeMap::new(),
                example: kwic(doc_id, text, m.start..m.end, EXAMPLE_CONTEXT),
            });
            f.mentions += 1;
            if f.last_document != Some(doc) {
                f.last_document = Some(doc);
                f.documents += 1;
            }
            *f.surfaces
                .entry(one_line(&text[m.start..m.end]))
                .or_default() += 1;
        }
    }

    /// The `n` most mentioned provisional entities (ties: by id).
    pub fn top(&self, n: usize) -> Vec<DiscoveredRow> {
        let mut rows: Vec<(&String, &Found)> = self.found.iter().collect();
        rows.sort_by(|a, b| b.1.mentions.cmp(&a.1.mentions).then(a.0.cmp(b.0)));
        rows.into_iter()
            .take(n)
            .map(|(id, f)| DiscoveredRow {
                id: id.clone(),
                name: f.name.clone(),
                kind: f.kind.to_string(),
                mentions: f.mentions,
                documents: f.documents,
                cue: f.cue.clone(),
                aliases: f.surfaces.clone(),
                example: f.example.clone(),
                tsv: gazetteer_row(&f.name, f.kind, f.surfaces.keys()),
            })
            .collect()
    }
}

/// `slug<TAB>type<TAB>name<TAB>aliases`: the surface forms other than the name, `|`-separated
/// (a form holding `|` or a tab, or starting with `~` or `=`, is left out: it would not read
/// back as one alias); a one-word form of a multi-word PERSON name is weak (`~`).
fn gazetteer_row<'a>(name: &str, kind: &str, surfaces: impl Iterator<Item = &'a String>) -> String {
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let name = clean(name);
    let multi_word = name.split_whitespace().count() > 1;
    let aliases: Vec<String> = surfaces
        .filter(|s| s.as_str() != name && !s.contains(['|', '\t']) && !s.starts_with(['~', '=']))
        .map(|s| {
            if kind == "PERSON" && multi_word && !s.contains([' ', '-']) {
                format!("~{s}")
            } else {
                s.clone()
            }
        })
        .collect();
    format!("{}\t{kind}\t{name}\t{}", slug(&name), aliases.join("|"))
}

/// A type guess from the words of a name.
pub fn guess_type(phrase: &str) -> &'static str {
    let words: Vec<&str> = phrase.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    if words.iter().any(|w| ORG_WORDS.contains(w)) {
        "ORG"
    } else if words.iter().any(|w| LOC_WORDS.contains(w)) {
        "LOC"
    } else if words.len() == 1
        && phrase
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
    {
        "ORG" // an acronym
    } else if (2..=4).contains(&words.len()) {
        "PERSON"
    } else {
        "MISC"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{AliasId, EntityId};

    #[test]
    fn finds_uncovered_capitalized_runs() {
        let text = "Officials said Kim Jong Un met Xi Jinping in Beijing. \
                    The Bank of England and the NATO chief spoke on Monday.\n\
                    Later Kim Jong Un left.";
        // Xi Jinping and Beijing are known.
        let xi = text.find("Xi Jinping").unwrap();
        let bj = text.find("Beijing").unwrap();
        let mentions = [
            Mention {
                start: xi,
                end: xi + 10,
                entity: EntityId(0),
                alias: AliasId(0),
            },
            Mention {
                start: bj,
                end: bj + 7,
                entity: EntityId(1),
                alias: AliasId(1),
            },
        ];
        let mut u = Unmatched::new();
        u.add(text, &mentions);
        let rows = u.top(10);
        let got: Vec<(&str, u64, &str)> = rows
            .iter()
            .map(|r| (r.phrase.as_str(), r.count, r.guessed_type.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Kim Jong Un", 2, "PERSON"),
                ("Bank of England", 1, "ORG"),
                ("NATO", 1, "ORG")
            ]
        );
        assert_eq!(rows[0].tsv, "kim-jong-un\tPERSON\tKim Jong Un\t");
        // Titles are not names.
        let mut u = Unmatched::new();
        u.add(
            "They met Premier Li and said President Kim would come.",
            &[],
        );
        let got: Vec<String> = u.top(5).into_iter().map(|r| r.phrase).collect();
        assert_eq!(got, ["Kim", "Li"]);
    }
}
