//! Chains: the candidates of one document that name the same entity, and the provisional
//! entities they become (rule 3 of [`super`]).

use std::collections::{BTreeMap, HashMap};

use super::tokens::{ALL_CAPS, CAP, HEADLINE};
use super::{Candidate, Context, FREE, Kind, ProvisionalEntity, cues, provisional_id};
use crate::gazetteer::EntityId;
use crate::lint::is_common_word;

impl Context<'_> {
    /// Folded key of tokens `first..=last`, words joined by one space.
    fn span_key(&self, first: usize, last: usize, key: &mut String) -> String {
        let mut out = String::new();
        for t in first..=last {
            if t > first {
                out.push(' ');
            }
            out.push_str(self.key_of(t, key));
        }
        out
    }

    /// Builds chains from candidates and returns (mentions as (start, end, provisional
    /// index), the provisional entities, the absorbed gazetteer mentions sorted).
    #[allow(clippy::type_complexity)]
    pub(super) fn chains(
        &self,
        candidates: &[Candidate],
        key: &mut String,
    ) -> (
        Vec<(usize, usize, usize)>,
        Vec<ProvisionalEntity>,
        Vec<usize>,
    ) {
        let mut chains: Vec<Chain> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        // Candidate index → chain.
        let mut member_of: Vec<Option<usize>> = vec![None; candidates.len()];
        let words_of = |c: &Candidate, key: &mut String| -> Vec<String> {
            (c.first..=c.last)
                .filter(|&i| self.tokens[i].is(CAP) || self.covered[i] != FREE)
                .map(|i| self.key_of(i, key).to_string())
                .collect()
        };
        // 1. Typed names of two words or more, then typed single words, make chains.
        let mut order: Vec<usize> = (0..candidates.len())
            .filter(|&i| candidates[i].kind.is_some())
            .collect();
        order.sort_by_key(|&i| {
            let c = &candidates[i];
            (std::cmp::Reverse(c.last - c.first), c.first)
        });
        for &ci in &order {
            let c = &candidates[ci];
            let k = self.span_key(c.first, c.last, key);
            let (kind, strength) = c.kind.expect("typed");
            let words = words_of(c, key);
            let existing = by_key.get(&k).copied().or_else(|| {
                if words.len() == 1 {
                    unique_short_form(&chains, &words)
                } else {
                    None
                }
            });
            let idx = match existing {
                Some(idx) => idx,
                None => {
                    let name = collapse(
                        &self.text
                            [self.tokens[c.first].start as usize..self.tokens[c.last].end as usize],
                    );
                    chains.push(Chain {
                        words: words.clone(),
                        kind_score: BTreeMap::new(),
                        best: (0, String::new()),
                        name,
                        acronym: None,
                        surname_entity: None,
                        members: Vec::new(),
                    });
                    by_key.insert(k, chains.len() - 1);
                    chains.len() - 1
                }
            };
            let ch = &mut chains[idx];
            *ch.kind_score.entry(kind).or_default() += strength;
            if strength > ch.best.0 {
                ch.best = (strength, c.cue.clone());
            }
            if let Some(a) = c.acronym {
                ch.acronym = Some(self.key_of(a, key).to_string());
            }
            if c.surname_entity.is_some() {
                ch.surname_entity = c.surname_entity;
            }
            ch.members.push(ci);
            member_of[ci] = Some(idx);
        }
        // 2. Untyped candidates join a chain by full words, short form or acronym.
        for (ci, c) in candidates.iter().enumerate() {
            if member_of[ci].is_some() {
                continue;
            }
            let k = self.span_key(c.first, c.last, key);
            let words = words_of(c, key);
            let idx = by_key
                .get(&k)
                .copied()
                .or_else(|| unique_short_form(&chains, &words));
            if let Some(idx) = idx {
                chains[idx].members.push(ci);
                member_of[ci] = Some(idx);
                continue;
            }
            // The full name of a person known so far by surname only (`Cilia Flores` and `Ms.
            // Flores`): the chain takes the longer name, unless the words before the surname
            // hold a common word (`Euro-Sceptic Kilroy-Silk`) or come from a headline.
            let plain_prefix = (c.first..c.last).all(|i| {
                let t = self.tokens[i];
                !t.is(HEADLINE)
                    && !t.is(ALL_CAPS)
                    && self
                        .surface(i)
                        .split(['-', '\u{2010}', '\u{2011}'])
                        .all(|part| part.is_empty() || !is_common_word(part))
            });
            if words.len() >= 2 && plain_prefix {
                let surname = std::slice::from_ref(words.last().expect("two words"));
                let mut fits = chains.iter().enumerate().filter(|(_, ch)| {
                    ch.kind() == Some(Kind::Person) && ch.words.as_slice() == surname
                });
                if let (Some((idx, _)), None) = (fits.next(), fits.next()) {
                    let ch = &mut chains[idx];
                    ch.words = words;
                    ch.name = collapse(
                        &self.text
                            [self.tokens[c.first].start as usize..self.tokens[c.last].end as usize],
                    );
                    ch.members.push(ci);
                    member_of[ci] = Some(idx);
                    by_key.insert(k, idx);
                }
            }
        }
        // 3. Acronyms anywhere in the text, and the cities that are a person's surname.
        let mut extra: Vec<(usize, usize, usize)> = Vec::new();
        let mut absorbed: Vec<usize> = Vec::new();
        let acronyms: HashMap<String, usize> = chains
            .iter()
            .enumerate()
            .filter_map(|(i, ch)| ch.acronym.clone().map(|a| (a, i)))
            .collect();
        let taken: std::collections::HashSet<(u32, u32)> = candidates
            .iter()
            .enumerate()
            .filter(|(ci, _)| member_of[*ci].is_some())
            .map(|(_, c)| (self.tokens[c.first].start, self.tokens[c.last].end))
            .collect();
        let in_candidate = |i: usize| {
            candidates
                .iter()
                .enumerate()
                .any(|(ci, c)| member_of[ci].is_some() && c.first <= i && i <= c.last)
        };
        if !acronyms.is_empty() {
            for i in 0..self.tokens.len() {
                let t = self.tokens[i];
                if !t.is(ALL_CAPS) || self.covered[i] != FREE {
                    continue;
                }
                let k = self.key_of(i, key).to_string();
                if let Some(&idx) = acronyms.get(&k)
                    && !taken.contains(&(t.start, t.end))
                    && !in_candidate(i)
                {
                    extra.push((t.start as usize, t.end as usize, idx));
                }
            }
        }
        for (idx, ch) in chains.iter().enumerate() {
            let Some(e) = ch.surname_entity else { continue };
            let surname = ch.words.last().cloned().unwrap_or_default();
            for (m, men) in self.mentions.iter().enumerate() {
                if men.entity == e
                    && cues::cue_key(&self.text[men.start..men.end]) == surname
                    && !candidates
                        .iter()
                        .enumerate()
                        .any(|(ci, c)| member_of[ci].is_some() && c.absorbs.contains(&m))
                {
                    absorbed.push(m);
                    extra.push((men.start, men.end, idx));
                }
            }
        }
        // 4. Typed chains become provisional entities; untyped ones are dropped.
        let mut out_index: Vec<Option<usize>> = vec![None; chains.len()];
        let mut provisional = Vec::new();
        for (idx, ch) in chains.iter().enumerate() {
            let Some(kind) = ch.kind() else {
                continue;
            };
            out_index[idx] = Some(provisional.len());
            provisional.push(ProvisionalEntity {
                id: provisional_id(&ch.name),
                name: ch.name.clone(),
                kind: kind.label(),
                cue: ch.best.1.clone(),
            });
        }
        let mut mentions: Vec<(usize, usize, usize)> = Vec::new();
        for (ci, c) in candidates.iter().enumerate() {
            let Some(idx) = member_of[ci] else { continue };
            let Some(k) = out_index[idx] else { continue };
            let (s, e) = (
                self.tokens[c.first].start as usize,
                self.tokens[c.last].end as usize,
            );
            // A name that is a gazetteer alias (a weak one left unresolved) is not new.
            if self.is_gazetteer_alias(&self.text[s..e]) {
                continue;
            }
            absorbed.extend(c.absorbs.iter().copied());
            mentions.push((s, e, k));
            if let Some(a) = c.acronym {
                let t = self.tokens[a];
                mentions.push((t.start as usize, t.end as usize, k));
            }
        }
        for (s, e, idx) in extra {
            if let Some(k) = out_index[idx] {
                mentions.push((s, e, k));
            }
        }
        mentions.sort_unstable();
        mentions.dedup_by(|b, a| b.0 < a.1);
        absorbed.sort_unstable();
        absorbed.dedup();
        // Drop provisional entities left without a mention, renumbering the others.
        let mut used = vec![false; provisional.len()];
        for m in &mentions {
            used[m.2] = true;
        }
        let mut renumber = vec![usize::MAX; provisional.len()];
        let mut kept = Vec::new();
        for (i, p) in provisional.into_iter().enumerate() {
            if used[i] {
                renumber[i] = kept.len();
                kept.push(p);
            }
        }
        for m in &mut mentions {
            m.2 = renumber[m.2];
        }
        // Two chains of one document may share a full name's id (`Smith` alone and `John
        // Smith` are different chains only if they did not join): merge them by id.
        let mut by_id: HashMap<String, usize> = HashMap::new();
        let mut remap = vec![0; kept.len()];
        let mut unique = Vec::new();
        for (i, p) in kept.into_iter().enumerate() {
            match by_id.get(&p.id) {
                Some(&j) => remap[i] = j,
                None => {
                    by_id.insert(p.id.clone(), unique.len());
                    remap[i] = unique.len();
                    unique.push(p);
                }
            }
        }
        for m in &mut mentions {
            m.2 = remap[m.2];
        }
        (mentions, unique, absorbed)
    }

    fn is_gazetteer_alias(&self, s: &str) -> bool {
        self.tagger.is_alias(s)
    }
}

/// A name and the candidates that refer to it, within one document.
struct Chain {
    /// Folded words of the full name.
    words: Vec<String>,
    kind_score: BTreeMap<Kind, u32>,
    /// The strongest cue: (strength, `kind:cue`).
    best: (u32, String),
    /// The full name as first written.
    name: String,
    acronym: Option<String>,
    /// The gazetteer city that is the person's surname (`Kirsty Coventry`).
    surname_entity: Option<EntityId>,
    members: Vec<usize>,
}

impl Chain {
    /// The type with the highest score (on a tie, PERSON before ORG before LOC).
    fn kind(&self) -> Option<Kind> {
        self.kind_score
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(&k, _)| k)
    }
}

/// The one chain whose last words (a person) or first words (an organization or place) are
/// `words`, or whose acronym is the single word; `None` if no chain or several fit.
fn unique_short_form(chains: &[Chain], words: &[String]) -> Option<usize> {
    if words.is_empty() {
        return None;
    }
    let mut found = None;
    for (i, ch) in chains.iter().enumerate() {
        let by_acronym = words.len() == 1 && ch.acronym.as_deref() == Some(words[0].as_str());
        let by_words = ch.words.len() > words.len()
            && match ch.kind() {
                Some(Kind::Person) => ch.words.ends_with(words),
                Some(_) => ch.words.starts_with(words) && !is_common_word(&words[0]),
                None => false,
            };
        if by_acronym || by_words {
            if found.is_some() {
                return None;
            }
            found = Some(i);
        }
    }
    found
}

/// Runs of whitespace turned into one space, trimmed (as gazetteer cells are written).
fn collapse(s: &str) -> String {
    crate::gazetteer::clean_value(s).0
}
