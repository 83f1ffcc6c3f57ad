//! Finding gazetteer aliases in text.
//!
//! One Aho-Corasick automaton (daachorse's double array, which can be saved and loaded: see
//! [`crate::cache`]) holds every folded alias. A document is folded
//! ([`crate::fold`]) and searched **once**, with overlapping matches, so that every alias
//! occurrence is seen. Each occurrence is then checked for whole-word boundaries and for the
//! alias' case rule, and only then does leftmost-longest selection run over the valid ones.
//! Filtering after a leftmost-longest search would be wrong: with aliases `Lee Ann` and
//! `Ann Smith`, the text `KLee Ann Smith` yields the invalid `Lee Ann` first and hides the
//! valid `Ann Smith`.
//!
//! Finally, document-level resolution decides what weak and ambiguous aliases mean (see
//! [`Tagger::tag`]).
//!
//! **Leading articles.** An alias written with a leading English `the` (`the Netherlands`,
//! `The Washington Post`, any case; see [`crate::fold::leading_article`]) needs the article in
//! the text, exactly as written, but the article is context, not part of the name: the
//! mention's span starts after it and after the whitespace or dashes that follow it
//! (`the [Netherlands]`, `THE [NETHERLANDS]`), as CoNLL and OntoNotes annotate and as this
//! project's gold files do. Selection still runs on the whole match, article included, so the
//! article changes nothing but the reported span; and the `proper` case rule judges the name
//! without the article, whose capital at a sentence start says nothing (`The commons` is not
//! `the Commons`). The exception is an entity whose canonical name itself starts with the
//! article (`The Hague`, `The Gambia`, `The Economist`): there the article is part of the
//! official name, and every one of its aliases keeps it in the span (an ambiguous occurrence
//! keeps it when one of its candidates' names does). An alias is never
//! shortened to the bare name: `Netherlands` alone matches only if it is an alias itself.

use daachorse::DoubleArrayAhoCorasick;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use crate::fold::{
    Folded, fold_str, fold_str_keep_case, fold_str_keep_case_into, is_dash, is_word_char,
    is_word_end, is_word_start, leading_article,
};
use crate::gazetteer::{AliasId, CaseRule, EntityId, Gazetteer};

/// An occurrence of an entity in a text.
///
/// `start..end` are byte offsets into the original text, on char boundaries; `text[start..end]`
/// is the surface form. A possessive `’s` is never part of the span, nor is the leading article
/// of an alias (`the Netherlands` → `Netherlands`) unless the entity's name starts with it
/// (`The Hague`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mention {
    /// Byte offset of the first byte of the surface form in the original text.
    pub start: usize,
    /// Byte offset just past the surface form (exclusive).
    pub end: usize,
    /// The entity: a gazetteer index, or above it a provisional one (see [`Tagged`]).
    pub entity: EntityId,
    /// The alias that matched (the first strong one, if several aliases fold alike).
    pub alias: AliasId,
}

/// An alias occurrence that could not be assigned to one entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmbiguousMention {
    /// Byte offset of the occurrence in the original text, on a char boundary (after a
    /// leading article, unless a candidate's canonical name starts with it).
    pub start: usize,
    /// Byte offset just past the occurrence (exclusive, on a char boundary).
    pub end: usize,
    /// The entities it could refer to, in gazetteer order.
    pub candidates: Vec<EntityId>,
}

/// The result of tagging one text: mentions sorted by `start`, non-overlapping.
///
/// A mention whose `entity` is at or above the gazetteer's size names a provisional entity
/// found by discovery ([`crate::discover`]): `EntityId(gazetteer.len() + k)` is
/// `provisional[k]`, and its `alias` is [`AliasId::NONE`]. Without discovery `provisional` is
/// empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tagged {
    /// The mentions, sorted by `start` and non-overlapping.
    pub mentions: Vec<Mention>,
    /// Occurrences left unresolved, sorted by `start`; they overlap neither each other nor
    /// the tagger's mentions, and are counted for no entity.
    pub ambiguous: Vec<AmbiguousMention>,
    /// The document's provisional entities: `provisional[k]` is
    /// `EntityId(gazetteer.len() + k)` (ids local to this document).
    pub provisional: Vec<crate::discover::ProvisionalEntity>,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub(crate) struct Candidate {
    entity: EntityId,
    alias: AliasId,
    weak: bool,
    case: CaseRule,
}

/// Most alias matches ending at one place that the tagger weighs. Real
/// gazetteers nest a handful (`Bank`, `World Bank`, `The World Bank`); a hostile one nests
/// a thousand (`Aa`, `Aa Aa`, …), and every word of `Aa Aa Aa …` would end that many
/// matches, each kept and case-checked over its whole span: 200,000 words made 200 million
/// candidates, 30 s and 5.5 GB (issue 11, finding 4). The automaton reports the longest
/// match at a place first, so the longest 32 are the ones weighed; the rest cost only the
/// automaton's report of them.
pub const MAX_NESTED_MATCHES: usize = 32;

/// Buffers reused across documents, so tagging allocates nothing per mention.
#[derive(Default)]
pub struct Scratch {
    folded: Folded,
    found: Vec<Found>,
    accepted: Vec<u32>,
    anchors: Vec<EntityId>,
    kept: Vec<(EntityId, AliasId)>,
    exact: String,
}

/// A valid alias occurrence before selection: folded and original spans, and the range of
/// `Scratch::accepted` listing the candidates whose case rule accepted it. Selection uses the
/// whole match; `name_start` is where it starts without the alias' leading article (`start`
/// when there is none).
#[derive(Clone, Copy, Debug)]
struct Found {
    folded_start: u32,
    folded_end: u32,
    start: u32,
    name_start: u32,
    end: u32,
    accepted: (u32, u32),
}

/// Why a gazetteer could not be compiled into a tagger.
#[derive(Debug, thiserror::Error)]
#[error("the gazetteer's {patterns} distinct aliases are too many for one automaton ({reason})")]
pub struct TaggerError {
    /// Distinct folded aliases.
    pub patterns: usize,
    /// The automaton builder's error message (its error type is not a `std` error).
    pub reason: String,
}

/// A compiled gazetteer.
pub struct Tagger {
    gazetteer: Gazetteer,
    /// Overlapping matches of every folded alias; a match's value is its pattern index.
    automaton: DoubleArrayAhoCorasick<u32>,
    tables: Tables,
}

/// What a [`Tagger`] keeps beside its gazetteer and automaton, indexed by pattern, alias or
/// entity; saved as it is by [`crate::cache`].
#[derive(Serialize, Deserialize)]
pub(crate) struct Tables {
    /// Candidates of pattern `p` are `candidates[pattern_start[p]..pattern_start[p + 1]]`,
    /// sorted by entity, strong aliases first.
    pattern_start: Vec<u32>,
    candidates: Vec<Candidate>,
    /// Folded length of pattern `p`'s leading article and the separator after it, or 0.
    article: Vec<u8>,
    /// Per entity: its canonical name starts with an article (`The Hague`), which its mentions
    /// keep.
    keeps_article: Vec<bool>,
    /// Case-keeping folded form of each alias, for exact-case comparison (empty otherwise).
    exact_forms: Vec<Box<str>>,
}

impl Tagger {
    /// Compiles the gazetteer's aliases into one automaton.
    ///
    /// # Errors
    /// [`TaggerError`] if the automaton cannot be built (its size would pass what the
    /// automaton's state identifiers can address: hundreds of millions of alias bytes).
    pub fn new(gazetteer: Gazetteer) -> Result<Tagger, TaggerError> {
        let mut pattern_of: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut by_pattern: Vec<Vec<Candidate>> = Vec::new();
        let mut exact_forms = Vec::with_capacity(gazetteer.aliases().len());
        for (i, alias) in gazetteer.aliases().iter().enumerate() {
            let folded = fold_str(&alias.text);
            exact_forms.push(if alias.case == CaseRule::Exact {
                fold_str_keep_case(&alias.text).into_boxed_str()
            } else {
                Box::from("")
            });
            let p = *pattern_of.entry(folded.clone()).or_insert_with(|| {
                patterns.push(folded);
                by_pattern.push(Vec::new());
                patterns.len() - 1
            });
            by_pattern[p].push(Candidate {
                entity: alias.entity,
                alias: AliasId(i as u32),
                weak: alias.weak,
                case: alias.case,
            });
        }
        let mut pattern_start = Vec::with_capacity(patterns.len() + 1);
        let mut candidates = Vec::with_capacity(gazetteer.aliases().len());
        for mut cands in by_pattern {
            cands.sort_by_key(|c| (c.entity, c.weak, c.alias));
            pattern_start.push(candidates.len() as u32);
            candidates.extend(cands);
        }
        pattern_start.push(candidates.len() as u32);
        let article = patterns.iter().map(|p| leading_article(p) as u8).collect();
        let keeps_article = gazetteer
            .entities()
            .iter()
            .map(|e| leading_article(&fold_str(&e.name)) > 0)
            .collect();
        // Standard matching (the default) is the one that reports overlapping matches; at one
        // end the longest first. Pattern `p` gets value `p` (input order).
        let automaton = DoubleArrayAhoCorasick::new(&patterns).map_err(|e| TaggerError {
            patterns: patterns.len(),
            reason: e.to_string(),
        })?;
        Ok(Tagger {
            gazetteer,
            automaton,
            tables: Tables {
                pattern_start,
                candidates,
                article,
                keeps_article,
                exact_forms,
            },
        })
    }

    /// A tagger from the parts [`Tagger::parts`] gave, checked for consistency (every table
    /// index in range); `None` if they do not fit. The automaton is not walked (that costs
    /// as much as the rest of a cached load): a pattern index out of range is skipped when
    /// tagging, and the cache checks its bytes' SHA-256 before this.
    pub(crate) fn from_parts(
        gazetteer: Gazetteer,
        automaton: DoubleArrayAhoCorasick<u32>,
        tables: Tables,
    ) -> Option<Tagger> {
        let t = &tables;
        let patterns = t.article.len();
        let fits = t.pattern_start.len() == patterns + 1
            && t.pattern_start.first() == Some(&0)
            && t.pattern_start.windows(2).all(|w| w[0] < w[1])
            && t.pattern_start.last().map(|&n| n as usize) == Some(t.candidates.len())
            && t.candidates.iter().all(|c| {
                (c.entity.0 as usize) < gazetteer.len()
                    && (c.alias.0 as usize) < gazetteer.aliases().len()
            })
            && t.exact_forms.len() == gazetteer.aliases().len()
            && t.keeps_article.len() == gazetteer.len()
            && automaton.num_states() > 0;
        fits.then_some(Tagger {
            gazetteer,
            automaton,
            tables,
        })
    }

    /// The parts [`Tagger::from_parts`] takes back.
    pub(crate) fn parts(&self) -> (&Gazetteer, &DoubleArrayAhoCorasick<u32>, &Tables) {
        (&self.gazetteer, &self.automaton, &self.tables)
    }

    /// Whether `text`, folded, is the folded form of some alias (whatever its case rule).
    pub fn is_alias(&self, text: &str) -> bool {
        let folded = fold_str(text);
        self.automaton
            .find_overlapping_iter(&folded)
            .any(|m| m.start() == 0 && m.end() == folded.len())
    }

    /// The gazetteer compiled in, whose [`EntityId`]s and [`AliasId`]s the mentions use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Number of distinct folded patterns in the automaton.
    pub fn pattern_count(&self) -> usize {
        self.tables.pattern_start.len() - 1
    }

    /// Heap memory used by the automaton, in bytes.
    pub fn automaton_memory(&self) -> usize {
        self.automaton.heap_bytes()
    }

    /// Tags one text. Convenience for [`Tagger::tag_with`] with fresh buffers.
    pub fn tag(&self, text: &str) -> Tagged {
        self.tag_with(text, &mut Scratch::default())
    }

    /// Tags one text, reusing `scratch` between calls.
    ///
    /// Contract:
    /// - mentions are whole words (Unicode letters and digits are word characters; a
    ///   possessive `’s` after a match is allowed and left out of the span);
    /// - an alias' leading article (`the Netherlands`) must be in the text but is left out of
    ///   the span, with the whitespace or dashes after it, unless the entity's canonical name
    ///   starts with it (`The Hague`); selection runs on the whole match (module docs);
    /// - among valid occurrences, the leftmost wins, and at one start the longest;
    /// - a weak alias (`~Lee`) yields a mention only if the text also has a strong, unambiguous
    ///   mention of the same entity;
    /// - an occurrence that fits several entities goes to the one with a strong unambiguous
    ///   mention in the text, else to the one with the highest `priority`; if that still leaves
    ///   a tie it is reported in [`Tagged::ambiguous`] and assigned to nobody.
    pub fn tag_with(&self, text: &str, scratch: &mut Scratch) -> Tagged {
        let Scratch {
            folded,
            found,
            accepted,
            anchors,
            kept,
            exact,
        } = scratch;
        folded.fold(text);
        found.clear();
        accepted.clear();
        anchors.clear();
        let ftext = folded.as_str();
        // Matches ending at one place, counted to stop at MAX_NESTED_MATCHES.
        let (mut end_at, mut ending_here) = (usize::MAX, 0);
        for m in self.automaton.find_overlapping_iter(ftext) {
            let (fs, fe) = (m.start(), m.end());
            // Counted before any other check, so a skipped match costs only its report.
            if fe == end_at {
                ending_here += 1;
                if ending_here > MAX_NESTED_MATCHES {
                    continue;
                }
            } else {
                (end_at, ending_here) = (fe, 1);
            }
            if !is_word_start(ftext, fs) || !is_word_end(ftext, fe) {
                continue;
            }
            let (start, end) = (folded.map().start(fs), folded.map().end(fe));
            // A one-letter alias (`=X`) is not a word of its own in a hyphenated compound:
            // `X-ray`, `T-shirt`, `U-turn`.
            if ftext[fs..fe].chars().nth(1).is_none() && hyphen_joined(text, start, end) {
                continue;
            }
            let p = m.value() as usize;
            // Only a loaded automaton that does not fit its tables could: skipped, never a panic.
            if p >= self.tables.article.len() {
                continue;
            }
            let article = self.tables.article[p] as usize;
            // The article is context: the name starts at the first character after it and the
            // separator run that follows (folded to one byte).
            let name_start = if article > 0 {
                folded.map().start(fs + article)
            } else {
                start
            };
            let span = &text[start..end];
            let name = &text[name_start..end];
            let cands =
                self.tables.pattern_start[p] as usize..self.tables.pattern_start[p + 1] as usize;
            let first = accepted.len() as u32;
            let mut letter_case = None;
            for ci in cands {
                let c = &self.tables.candidates[ci];
                let ok = match c.case {
                    CaseRule::Insensitive => true,
                    CaseRule::Proper => {
                        let (lower, upper) = *letter_case.get_or_insert_with(|| letter_cases(name));
                        upper || !lower
                    }
                    CaseRule::Exact => {
                        exact.clear();
                        fold_str_keep_case_into(span, exact);
                        *exact == *self.tables.exact_forms[c.alias.0 as usize]
                    }
                };
                if ok {
                    accepted.push(ci as u32);
                }
            }
            if accepted.len() as u32 > first {
                found.push(Found {
                    folded_start: fs as u32,
                    folded_end: fe as u32,
                    start: start as u32,
                    name_start: name_start as u32,
                    end: end as u32,
                    accepted: (first, accepted.len() as u32),
                });
            }
        }

        // Leftmost-longest over the valid occurrences.
        found.sort_unstable_by_key(|f| (f.folded_start, std::cmp::Reverse(f.folded_end)));
        let mut next_free = 0;
        found.retain(|f| {
            if f.folded_start >= next_free {
                next_free = f.folded_end;
                true
            } else {
                false
            }
        });

        // Entities named by a strong alias that fits no other entity.
        for f in found.iter() {
            let cands = &accepted[f.accepted.0 as usize..f.accepted.1 as usize];
            let e0 = self.tables.candidates[cands[0] as usize].entity;
            if cands
                .iter()
                .all(|&c| self.tables.candidates[c as usize].entity == e0)
                && cands
                    .iter()
                    .any(|&c| !self.tables.candidates[c as usize].weak)
            {
                anchors.push(e0);
            }
        }
        anchors.sort_unstable();
        anchors.dedup();

        let mut out = Tagged::default();
        out.mentions.reserve(found.len());
        for f in found.iter() {
            let cands = &accepted[f.accepted.0 as usize..f.accepted.1 as usize];
            kept.clear();
            // Candidates are grouped by entity, strong ones first within a group.
            let mut i = 0;
            while i < cands.len() {
                let c = self.tables.candidates[cands[i] as usize];
                let mut j = i + 1;
                while j < cands.len()
                    && self.tables.candidates[cands[j] as usize].entity == c.entity
                {
                    j += 1;
                }
                if !c.weak || anchors.binary_search(&c.entity).is_ok() {
                    kept.push((c.entity, c.alias));
                }
                i = j;
            }
            let end = f.end as usize;
            // Without the article, unless the entity's name has it (for an ambiguous
            // occurrence: unless one candidate's name has it).
            let start = |keep: bool| (if keep { f.start } else { f.name_start }) as usize;
            let keeps = |e: EntityId| self.tables.keeps_article[e.0 as usize];
            match self.resolve(kept, anchors) {
                Resolution::None => {}
                Resolution::One(entity, alias) => out.mentions.push(Mention {
                    start: start(keeps(entity)),
                    end,
                    entity,
                    alias,
                }),
                Resolution::Ambiguous => out.ambiguous.push(AmbiguousMention {
                    start: start(kept.iter().any(|&(e, _)| keeps(e))),
                    end,
                    candidates: kept.iter().map(|&(e, _)| e).collect(),
                }),
            }
        }
        out
    }

    fn resolve(&self, kept: &[(EntityId, AliasId)], anchors: &[EntityId]) -> Resolution {
        match kept.len() {
            0 => return Resolution::None,
            1 => return Resolution::One(kept[0].0, kept[0].1),
            _ => {}
        }
        let anchored: Vec<_> = kept
            .iter()
            .copied()
            .filter(|(e, _)| anchors.binary_search(e).is_ok())
            .collect();
        let pool: &[(EntityId, AliasId)] = if anchored.is_empty() { kept } else { &anchored };
        if pool.len() == 1 {
            return Resolution::One(pool[0].0, pool[0].1);
        }
        let priority = |e: EntityId| self.gazetteer.entity(e).priority;
        let best = pool
            .iter()
            .map(|&(e, _)| priority(e))
            .fold(f64::NEG_INFINITY, f64::max);
        let mut top = pool.iter().filter(|&&(e, _)| priority(e) == best);
        match (top.next(), top.next()) {
            (Some(&(e, a)), None) => Resolution::One(e, a),
            _ => Resolution::Ambiguous,
        }
    }
}

enum Resolution {
    None,
    One(EntityId, AliasId),
    Ambiguous,
}

/// Whether `text[start..end]` is joined to a word by a hyphen on either side.
fn hyphen_joined(text: &str, start: usize, end: usize) -> bool {
    let mut after = text[end..].chars();
    let mut before = text[..start].chars().rev();
    let joined = |first: Option<char>, second: Option<char>| {
        first.is_some_and(is_dash) && second.is_some_and(is_word_char)
    };
    joined(after.next(), after.next()) || joined(before.next(), before.next())
}

/// (has a lower-case letter, has an upper-case letter)
fn letter_cases(s: &str) -> (bool, bool) {
    if s.is_ascii() {
        let b = s.as_bytes();
        (
            b.iter().any(u8::is_ascii_lowercase),
            b.iter().any(u8::is_ascii_uppercase),
        )
    } else {
        (
            s.chars().any(char::is_lowercase),
            s.chars().any(char::is_uppercase),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::GazetteerBuilder;

    fn tagger(tsv: &str) -> Tagger {
        let mut b = GazetteerBuilder::new();
        b.add_str("test.tsv", tsv);
        Tagger::new(b.build().unwrap()).unwrap()
    }

    /// Mentions as (surface, entity id), for table-driven tests.
    fn tag<'t>(t: &Tagger, text: &'t str) -> Vec<(&'t str, String)> {
        t.tag(text)
            .mentions
            .iter()
            .map(|m| {
                (
                    &text[m.start..m.end],
                    t.gazetteer().entity(m.entity).id.clone(),
                )
            })
            .collect()
    }

    const SEED: &str = "id\ttype\tname\taliases\tpriority\n\
        lee\tPERSON\tLee Jae-myung\tLee Jae Myung|~Lee\t\n\
        xi\tPERSON\tXi Jinping\t~Xi\t\n\
        maduro\tPERSON\tNicolás Maduro\t~Maduro\t\n\
        xiaomi\tORG\tXiaomi\t\t\n\
        apec\tORG\tAsia-Pacific Economic Cooperation\tAPEC\t\n\
        asia\tLOC\tAsia\t\t\n\
        china\tLOC\tChina\t\t\n\
        scs\tLOC\tSouth China Sea\t\t\n\
        korea\tLOC\tKorea\t\t\n\
        nk\tLOC\tNorth Korea\t\t\n\
        sk\tLOC\tSouth Korea\tS Korea\t\n\
        us\tLOC\tUnited States\tU.S.|US\t\n\
        sanaa\tLOC\tSana'a\t\t\n\
        beijing\tLOC\tBeijing\t\t\n\
        turkey\tLOC\tTurkey\t\t\n\
        x\tORG\tX\t\t\n\
        brand\tORG\tiPhone\t\t\n\
        leeds\tLOC\tLeeds\t\t\n";

    /// (text, expected (surface, id) mentions)
    const CASES: &[(&str, &[(&str, &str)])] = &[
        // 2.1 whole words
        ("Xiaomi", &[("Xiaomi", "xiaomi")]),
        (
            "Xi Jinping's Xiaomi",
            &[("Xi Jinping", "xi"), ("Xiaomi", "xiaomi")],
        ),
        ("Leeds and Xiaomi2 and AXiaomi", &[("Leeds", "leeds")]),
        ("Chinas", &[]),
        ("China2025", &[]),
        // 2.2 leftmost-longest
        ("the South China Sea", &[("South China Sea", "scs")]),
        (
            "North Korea and Korea",
            &[("North Korea", "nk"), ("Korea", "korea")],
        ),
        (
            "Asia-Pacific Economic Cooperation in Asia",
            &[
                ("Asia-Pacific Economic Cooperation", "apec"),
                ("Asia", "asia"),
            ],
        ),
        // 2.3 folding
        ("LEE JAE‑MYUNG met", &[("LEE JAE‑MYUNG", "lee")]),
        ("Lee Jae Myung", &[("Lee Jae Myung", "lee")]),
        ("Lee  Jae\nmyung", &[("Lee  Jae\nmyung", "lee")]),
        ("Nicolas Maduro", &[("Nicolas Maduro", "maduro")]),
        ("NICOLÁS MADURO", &[("NICOLÁS MADURO", "maduro")]),
        ("in Sana’a today", &[("Sana’a", "sanaa")]),
        ("in Sana'a today", &[("Sana'a", "sanaa")]),
        ("S Korea", &[("S Korea", "sk")]),
        ("S\u{00A0}Korea", &[("S\u{00A0}Korea", "sk")]),
        // 2.4 possessives
        ("Lee Jae-myung’s office", &[("Lee Jae-myung", "lee")]),
        ("China's economy", &[("China", "china")]),
        ("the Koreas' talks", &[]),
        // 2.5 case policy
        ("china and turkey", &[]),
        ("BEIJING, Jan 6", &[("BEIJING", "beijing")]),
        ("SOUTH KOREA", &[("SOUTH KOREA", "sk")]),
        ("let us go to the US", &[("US", "us")]),
        ("Us and U.S. and u.s.", &[("U.S.", "us")]),
        ("on X today, x marks", &[("X", "x")]),
        ("an X-ray, an X‑Box, a T-X merger", &[]),
        ("posted on X - then left", &[("X", "x")]),
        ("an iPhone", &[("iPhone", "brand")]),
        ("an iphone", &[]),
        ("apec", &[]),
        ("Apec", &[]),
        // 2.6 weak aliases
        ("Lee met Xi.", &[]),
        ("Lee met Xi Jinping.", &[("Xi Jinping", "xi")]),
        (
            "South Korea’s Lee snaps Xi selfie. Lee Jae Myung met Xi Jinping.",
            &[
                ("South Korea", "sk"),
                ("Lee", "lee"),
                ("Xi", "xi"),
                ("Lee Jae Myung", "lee"),
                ("Xi Jinping", "xi"),
            ],
        ),
        (
            "Lee’s office; Xi’s gift; Xi Jinping; Lee Jae-myung",
            &[
                ("Lee", "lee"),
                ("Xi", "xi"),
                ("Xi Jinping", "xi"),
                ("Lee Jae-myung", "lee"),
            ],
        ),
    ];

    #[test]
    fn matching_semantics() {
        let t = tagger(SEED);
        for &(text, want) in CASES {
            let got = tag(&t, text);
            let want: Vec<(&str, String)> = want.iter().map(|&(s, i)| (s, i.to_string())).collect();
            assert_eq!(got, want, "tagging {text:?}");
        }
    }

    const ARTICLES: &str = "id\ttype\tname\taliases\tcase\n\
        netherlands\tLOC\tKingdom of the Netherlands\tthe Netherlands\t\n\
        philippines\tLOC\tRepublic of the Philippines\tThe Philippines\t\n\
        pacific\tLOC\tPacific Ocean\tthe Pacific\t\n\
        commons\tORG\tHouse of Commons\tthe Commons\t\n\
        wapo\tORG\tWashington Post\tThe Washington Post\t\n\
        washington\tLOC\tWashington\t\t\n\
        hague\tLOC\tThe Hague\tDen Haag\t\n\
        economist\tORG\tThe Economist\t\texact\n\
        thebes\tLOC\tThebes\t\t\n";

    /// (text, expected (surface, id) mentions): a leading article is matched as context and
    /// left out of the span, unless the entity's name starts with it.
    const ARTICLE_CASES: &[(&str, &[(&str, &str)])] = &[
        (
            "in the Netherlands today",
            &[("Netherlands", "netherlands")],
        ),
        ("The Philippines said.", &[("Philippines", "philippines")]),
        ("THE NETHERLANDS — The", &[("NETHERLANDS", "netherlands")]),
        ("the Netherlands' team", &[("Netherlands", "netherlands")]),
        ("The Philippines’s coast", &[("Philippines", "philippines")]),
        ("the \n Netherlands", &[("Netherlands", "netherlands")]),
        ("the\u{a0}Netherlands", &[("Netherlands", "netherlands")]),
        ("the-Netherlands", &[("Netherlands", "netherlands")]),
        // The article is required: an alias is never shortened to the bare name.
        ("Netherlands and Pacific", &[]),
        ("across the Pacific", &[("Pacific", "pacific")]),
        // Only a leading article counts.
        (
            "the Kingdom of the Netherlands",
            &[("Kingdom of the Netherlands", "netherlands")],
        ),
        // Selection runs on the whole match: `Washington` does not take the name.
        ("by The Washington Post", &[("Washington Post", "wapo")]),
        ("in Washington", &[("Washington", "washington")]),
        // The case rule judges the name, not the capital of the article at a sentence start.
        ("The commons were grazed", &[]),
        ("the commons", &[]),
        ("The Commons voted", &[("Commons", "commons")]),
        // The article is part of the name: kept.
        ("to The Hague", &[("The Hague", "hague")]),
        ("in Den Haag", &[("Den Haag", "hague")]),
        ("read The Economist", &[("The Economist", "economist")]),
        ("the Economist", &[]),
        // Not an article.
        ("Thebes", &[("Thebes", "thebes")]),
        ("Theology in Thebes", &[("Thebes", "thebes")]),
    ];

    #[test]
    fn leading_articles_are_context() {
        let t = tagger(ARTICLES);
        for &(text, want) in ARTICLE_CASES {
            let got = tag(&t, text);
            let want: Vec<(&str, String)> = want.iter().map(|&(s, i)| (s, i.to_string())).collect();
            assert_eq!(got, want, "tagging {text:?}");
        }
        // Offsets: past the article and the whole separator run, on char boundaries.
        let offsets = |text: &str| -> Vec<(usize, usize)> {
            t.tag(text)
                .mentions
                .iter()
                .map(|m| (m.start, m.end))
                .collect()
        };
        assert_eq!(offsets("the Netherlands"), [(4, 15)]);
        assert_eq!(offsets("x the \u{a0}\u{2014} Netherlands"), [(12, 23)]);
        assert_eq!(offsets("Thé Netherlands"), [(5, 16)]);
        assert_eq!(offsets("to The Hague"), [(3, 12)]);
    }

    #[test]
    fn an_ambiguous_occurrence_keeps_the_article_if_a_candidate_name_has_it() {
        let t = tagger(
            "id\ttype\tname\taliases\tcase\n\
             ocean\tLOC\tAtlantic Ocean\tthe Atlantic\t\n\
             magazine\tORG\tThe Atlantic\t\texact\n",
        );
        // Settled for the ocean by its unambiguous mention: no article in either span.
        let r = t.tag("In the Atlantic. The Atlantic wrote.");
        assert_eq!(
            r.mentions
                .iter()
                .map(|m| (m.start, m.end))
                .collect::<Vec<_>>(),
            [(7, 15), (21, 29)]
        );
        // Unsettled: reported with the article, which the magazine's name has.
        let r = t.tag("The Atlantic wrote.");
        assert!(r.mentions.is_empty());
        assert_eq!(r.ambiguous.len(), 1);
        assert_eq!((r.ambiguous[0].start, r.ambiguous[0].end), (0, 12));
    }

    #[test]
    fn filtering_does_not_drop_later_matches() {
        let t = tagger("type\tname\nPERSON\tLee Ann\nPERSON\tAnn Smith\n");
        assert_eq!(
            tag(&t, "KLee Ann Smith"),
            [("Ann Smith", "ann-smith".to_string())]
        );
        assert_eq!(
            tag(&t, "Lee Ann Smith"),
            [("Lee Ann", "lee-ann".to_string())]
        );
    }

    #[test]
    fn a_rejected_longer_match_leaves_the_shorter_one() {
        // `China Daily` fails its exact-case rule, so `China` must still be found.
        let t = tagger("type\tname\taliases\nORG\tCHINA DAILY\t\nLOC\tChina\t\n");
        assert_eq!(tag(&t, "China Daily"), [("China", "china".to_string())]);
        // `Lee Ann` is not a whole word in `Lee Anne`, so `Lee` is the match.
        let t = tagger("type\tname\nPERSON\tLee Ann\nPERSON\tLee\n");
        assert_eq!(tag(&t, "Lee Anne"), [("Lee", "lee".to_string())]);
    }

    #[test]
    fn case_exact_row_tags_one_character_aliases_exactly() {
        let t = tagger("id\ttype\tname\taliases\tcase\nthree\tORG\t3\tk\texact\n");
        let three = || ("3", "three".to_string());
        assert_eq!(tag(&t, "3 said"), [three()]);
        assert_eq!(tag(&t, "the 3, then 31 and 13 and 3a"), [three()]);
        assert_eq!(tag(&t, "a 3-1 win"), []);
        assert_eq!(tag(&t, "k or K"), [("k", "three".to_string())]);
        assert_eq!(tag(&t, "K"), []);
    }

    #[test]
    fn unspaced_scripts_have_boundaries_between_characters() {
        let t = tagger("id\ttype\tname\nbeijing\tLOC\t北京\n");
        assert_eq!(tag(&t, "我在北京工作"), [("北京", "beijing".to_string())]);
    }

    const AMBIGUOUS: &str = "id\ttype\tname\taliases\tpriority\n\
        georgia-country\tLOC\tGeorgia\tRepublic of Georgia|Tbilisi\t\n\
        georgia-state\tLOC\tGeorgia\tState of Georgia|Atlanta\t\n\
        paris-france\tLOC\tParis\t\t1\n\
        paris-texas\tLOC\tParis\tParis, Texas\t\n\
        lee-a\tPERSON\tLee Alpha\t~Lee\t\n\
        lee-b\tPERSON\tLee Beta\t~Lee\t\n";

    #[test]
    fn ambiguous_aliases() {
        let t = tagger(AMBIGUOUS);
        let id = |e: EntityId| t.gazetteer().entity(e).id.as_str();
        // A non-ambiguous mention in the document settles it.
        let text = "Georgia is far from Atlanta.";
        let r = t.tag(text);
        assert_eq!(id(r.mentions[0].entity), "georgia-state");
        assert!(r.ambiguous.is_empty());
        let r = t.tag("Tbilisi, Georgia");
        assert_eq!(id(r.mentions[1].entity), "georgia-country");
        // Otherwise priority.
        let r = t.tag("Paris in spring");
        assert_eq!(id(r.mentions[0].entity), "paris-france");
        // Otherwise it is reported, not guessed.
        let r = t.tag("Georgia on my mind");
        assert!(r.mentions.is_empty());
        assert_eq!(r.ambiguous.len(), 1);
        let ids: Vec<_> = r.ambiguous[0].candidates.iter().map(|&e| id(e)).collect();
        assert_eq!(ids, ["georgia-country", "georgia-state"]);
        // Weak and ambiguous: the entity named in full wins, the other is never counted.
        let r = t.tag("Lee Beta arrived. Lee spoke.");
        let got: Vec<_> = r.mentions.iter().map(|m| id(m.entity)).collect();
        assert_eq!(got, ["lee-b", "lee-b"]);
        // Both named in full: the bare surname stays ambiguous.
        let r = t.tag("Lee Alpha and Lee Beta met. Lee spoke.");
        assert_eq!(r.mentions.len(), 2);
        assert_eq!(r.ambiguous.len(), 1);
    }
}
