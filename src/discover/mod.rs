//! Discovery: names the gazetteer does not list, found from cues and in-document name chains.
//!
//! This is the second half of what GATE's ANNIE does with gazetteers: lists of *cues*
//! ([`Cues`]) plus rules, and in-document name matching (its OrthoMatcher). It runs on one
//! document after the tagger and adds *provisional* entities to its [`Tagged`] result.
//!
//! # Rules
//! 1. **Candidates** are maximal runs of capitalized words joined by spaces (initials `J.`,
//!    hyphens and apostrophes inside words, `connector` particles such as `bin`, `al`, `de`,
//!    `von` between capitalized words) that no gazetteer mention covers. A possessive `’s`
//!    ends a run. Leading `stop` words are dropped (`The`, `However`, `Monday`), and so is a
//!    sentence-initial common English word that begins a run with no cue. Words on a
//!    headline line (title case or capitals) and words in capitals start no candidate.
//! 2. **Types** come from cues. An `org` or `loc` keyword in the run makes it an ORG or LOC
//!    (the last keyword decides); then `joiner` words (`of`, `and`, `the`) may join the run,
//!    and so may gazetteer places and demonyms inside it (`Central Bank of Nigeria`, `South
//!    African Reserve Bank`): the gazetteer mentions they cover give way to the longer name,
//!    except a leading code of three letters or fewer (`US Federal Reserve` keeps `US`).
//!    Otherwise a `title` before the name (`Finance Minister Wale Edun`, `analyst Varun
//!    Mishra`, `his wife, Cilia Flores`), a `title` heading an appositive after it (`Peter
//!    Navarro, Trump's trade adviser`), a `suffix` after it (`Jr.`) or a `given` name first
//!    (with at least two words) make a PERSON. A given name followed by one gazetteer city
//!    (`Kirsty Coventry`) is a PERSON too, and then the city's other mentions in the document
//!    (`Coventry, 41, …`) are the person. An acronym in parentheses after a name (`Tropical
//!    Forest Forever Facility (TFFF)`) becomes its alias, and types an untyped name as ORG.
//! 3. **Chains.** Within a document, a later or earlier shorter form joins a name: the same
//!    words, a person's last words (`Flores`, `Ms. Flores` → `Cilia Flores`), an
//!    organization's first words (`Counterpoint` → `Counterpoint Research`), or its acronym.
//!    A short form that fits several names joins none. A chain takes the type of its best-cued
//!    member (keyword over title over given name); an untyped candidate that joins no typed
//!    chain is dropped.
//!
//! Gazetteer mentions keep precedence: discovery never splits or shortens one, and only
//! places and demonyms give way, as above. Weak and ambiguous aliases resolve exactly as
//! without discovery, and a candidate whose words are a gazetteer alias is dropped.
//!
//! # Provisional entities
//! Each chain becomes a [`Tagged::provisional`] entity with id `new:` + the slug of its full
//! name ([`provisional_id`]): `new:cilia-flores`. Gazetteer ids cannot start with `new:`, so
//! the two never collide, and the same full name gets the same id in every document.

pub mod cues;
mod tokens;

use std::collections::{BTreeMap, HashMap};

pub use cues::{CueKind, CueKinds, CueRow, Cues};
use tokens::{ALL_CAPS, CAP, Gap, HEADLINE, LETTER, POSSESSIVE, SENTENCE_START, Token};

use crate::fold::fold_str;
use crate::gazetteer::{AliasId, EntityId, Gazetteer};
use crate::lint::is_common_word;
use crate::tagger::{Mention, Tagged, Tagger};

/// The prefix of every provisional entity id.
pub const PROVISIONAL_PREFIX: &str = "new:";

/// The id of a provisional entity named `name`: `new:` and the name's folded, lower-case
/// letters and digits, other runs turned into one `-` (`Cilia Flores` → `new:cilia-flores`,
/// `Olayemi Cardoso` → `new:olayemi-cardoso`). Letters outside ASCII are kept (after
/// removing diacritics), so names in other scripts get distinct ids too.
pub fn provisional_id(name: &str) -> String {
    let folded = fold_str(name);
    let mut out = String::with_capacity(PROVISIONAL_PREFIX.len() + folded.len());
    out.push_str(PROVISIONAL_PREFIX);
    let mut dash = false;
    for c in folded.chars() {
        if c.is_alphanumeric() {
            if dash && out.len() > PROVISIONAL_PREFIX.len() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// A provisional entity found in one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvisionalEntity {
    /// `new:` + slug of the name.
    pub id: String,
    /// The full name as first written (spaces collapsed).
    pub name: String,
    /// `PERSON`, `ORG` or `LOC`.
    pub kind: &'static str,
    /// The cue that typed it, as `kind:cue` (`title:analyst`, `org:Research`, `given:Cilia`,
    /// `acronym:TFFF`).
    pub cue: String,
}

/// Finds provisional entities. Cheap to share between threads.
#[derive(Clone, Debug)]
pub struct Discoverer {
    cues: Cues,
}

/// Buffers reused across documents.
#[derive(Default)]
pub struct DiscoverScratch {
    tokens: Vec<Token>,
    /// Per token: index of the gazetteer mention covering it, or `COVERED_OTHER`/`FREE`.
    covered: Vec<u32>,
    key: String,
    candidates: Vec<Candidate>,
}

const FREE: u32 = u32::MAX;
const COVERED_OTHER: u32 = u32::MAX - 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Person,
    Org,
    Loc,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Person => "PERSON",
            Kind::Org => "ORG",
            Kind::Loc => "LOC",
        }
    }
}

/// How strongly a cue types a name.
const KEYWORD: u32 = 3;
const TITLE: u32 = 2;
const GIVEN: u32 = 1;

/// A name found in the text, before chains are made.
#[derive(Clone, Debug)]
struct Candidate {
    /// Token range.
    first: usize,
    last: usize,
    kind: Option<(Kind, u32)>,
    cue: String,
    /// Gazetteer mentions (indices) this name replaces.
    absorbs: Vec<usize>,
    /// An acronym in parentheses right after it: its token index.
    acronym: Option<usize>,
    /// The absorbed gazetteer city that ends a personal name (`Kirsty Coventry`).
    surname_entity: Option<EntityId>,
}

impl Discoverer {
    pub fn new(cues: Cues) -> Self {
        Discoverer { cues }
    }

    /// The cue lists in use.
    pub fn cues(&self) -> &Cues {
        &self.cues
    }

    /// Adds the provisional entities of `text` to `tagged` (the tagger's result for it).
    ///
    /// Afterwards `tagged.mentions` is still sorted and non-overlapping; a mention of
    /// provisional entity `k` has `entity == EntityId(gazetteer.len() + k)` and
    /// `alias == AliasId::NONE`, and `tagged.provisional[k]` describes it. Every span lies on
    /// char boundaries and overlaps no gazetteer mention that remains.
    pub fn discover(
        &self,
        text: &str,
        tagger: &Tagger,
        tagged: &mut Tagged,
        scratch: &mut DiscoverScratch,
    ) {
        tagged.provisional.clear();
        if text.len() >= u32::MAX as usize {
            return;
        }
        let DiscoverScratch {
            tokens,
            covered,
            key,
            candidates,
        } = scratch;
        let cues = &self.cues;
        tokens::tokenize(
            text,
            |w| {
                let k = cues::cue_key(w);
                let kinds = cues.word(&k);
                kinds.has(CueKind::Title) || kinds.has(CueKind::Org) || kinds.has(CueKind::Suffix)
            },
            tokens,
        );
        if !tokens.iter().any(|t| t.is(CAP)) {
            return;
        }
        // Which gazetteer mention covers each token.
        covered.clear();
        covered.resize(tokens.len(), FREE);
        {
            let mut m = 0;
            let ms = &tagged.mentions;
            for (i, t) in tokens.iter().enumerate() {
                while m < ms.len() && ms[m].end <= t.start as usize {
                    m += 1;
                }
                if m < ms.len() && (ms[m].start as u32) < t.end {
                    covered[i] = m as u32;
                }
            }
            let amb = &tagged.ambiguous;
            let mut a = 0;
            for (i, t) in tokens.iter().enumerate() {
                while a < amb.len() && amb[a].end <= t.start as usize {
                    a += 1;
                }
                if a < amb.len() && (amb[a].start as u32) < t.end {
                    covered[i] = COVERED_OTHER;
                }
            }
        }
        let gazetteer = tagger.gazetteer();
        let ctx = Context {
            text,
            tagger,
            gazetteer,
            cues,
            tokens,
            covered,
            mentions: &tagged.mentions,
        };
        candidates.clear();
        ctx.candidates(key, candidates);
        if candidates.is_empty() {
            return;
        }
        let (new_mentions, provisional, absorbed) = ctx.chains(candidates, key);
        if provisional.is_empty() {
            return;
        }
        let base = gazetteer.len() as u32;
        let mut merged = Vec::with_capacity(tagged.mentions.len() + new_mentions.len());
        let mut kept = tagged
            .mentions
            .iter()
            .enumerate()
            .filter(|(i, _)| absorbed.binary_search(i).is_err())
            .map(|(_, m)| *m)
            .peekable();
        let mut new = new_mentions
            .into_iter()
            .map(|(start, end, k)| Mention {
                start,
                end,
                entity: EntityId(base + k as u32),
                alias: AliasId::NONE,
            })
            .peekable();
        loop {
            let take_new = match (kept.peek(), new.peek()) {
                (Some(a), Some(b)) => b.start < a.start,
                (None, Some(_)) => true,
                (_, None) => false,
            };
            let next = if take_new { new.next() } else { kept.next() };
            match next {
                Some(m) => merged.push(m),
                None => break,
            }
        }
        tagged.mentions = merged;
        tagged.provisional = provisional;
    }
}

struct Context<'a> {
    text: &'a str,
    tagger: &'a Tagger,
    gazetteer: &'a Gazetteer,
    cues: &'a Cues,
    tokens: &'a [Token],
    covered: &'a [u32],
    mentions: &'a [Mention],
}

impl Context<'_> {
    fn surface(&self, i: usize) -> &str {
        &self.text[self.tokens[i].range()]
    }

    /// The folded lookup key of token `i`, in `key`.
    fn key_of<'k>(&self, i: usize, key: &'k mut String) -> &'k str {
        cues::cue_key_into(self.surface(i), key);
        key
    }

    fn kinds(&self, i: usize, key: &mut String) -> CueKinds {
        let k = self.key_of(i, key);
        self.cues.word(k)
    }

    fn is_free_cap(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        self.covered[i] == FREE && t.is(CAP) && t.is(LETTER)
    }

    /// The gazetteer mention covering token `i` if it is a place or demonym that a longer
    /// name may take in.
    fn absorbable(&self, i: usize) -> Option<usize> {
        let m = self.covered[i];
        if m >= COVERED_OTHER {
            return None;
        }
        let kind = &self.gazetteer.entity(self.mentions[m as usize].entity).kind;
        (kind == "LOC" || kind == "NORP").then_some(m as usize)
    }

    /// Token index just after gazetteer mention `m`, starting from token `i` inside it.
    fn after_mention(&self, mut i: usize, m: usize) -> usize {
        while i < self.tokens.len() && self.covered[i] == m as u32 {
            i += 1;
        }
        i
    }

    /// Finds candidates, typed where a cue says so.
    fn candidates(&self, key: &mut String, out: &mut Vec<Candidate>) {
        let n = self.tokens.len();
        let mut i = 0;
        while i < n {
            let t = self.tokens[i];
            let starts = (self.is_free_cap(i) || self.absorbable(i).is_some())
                && !t.is(HEADLINE)
                && t.is(CAP);
            if !starts {
                i += 1;
                continue;
            }
            // The run: units joined by spaces, with particles between capitalized words.
            let mut last;
            let mut j = i;
            loop {
                if let Some(m) = self.absorbable(j) {
                    j = self.after_mention(j, m) - 1;
                    last = j;
                } else {
                    last = j;
                }
                let tj = self.tokens[j];
                if tj.gap != Gap::Space || tj.is(POSSESSIVE) {
                    break;
                }
                // Next capitalized unit, possibly after one or two particles.
                let mut k = j + 1;
                let mut particles = 0;
                while k < n
                    && particles < 2
                    && !self.tokens[k].is(CAP)
                    && self.covered[k] == FREE
                    && self.tokens[k - 1].gap == Gap::Space
                {
                    let kinds = self.kinds(k, key);
                    if kinds.has(CueKind::Connector) || kinds.has(CueKind::Joiner) {
                        particles += 1;
                        k += 1;
                    } else {
                        break;
                    }
                }
                if k >= n
                    || self.tokens[k - 1].gap != Gap::Space
                    || !(self.is_free_cap(k) || self.absorbable(k).is_some())
                    || (self.tokens[k].is(HEADLINE) && !t.is(HEADLINE))
                {
                    break;
                }
                j = k;
            }
            self.split_run(i, last, key, out);
            i = last + 1;
        }
    }

    /// Turns the run `first..=last` into candidates.
    fn split_run(&self, first: usize, last: usize, key: &mut String, out: &mut Vec<Candidate>) {
        // Keywords decide ORG and LOC; the last one wins.
        let mut keyword: Option<(usize, Kind)> = None;
        for i in first..=last {
            if self.covered[i] != FREE || !self.tokens[i].is(CAP) {
                continue;
            }
            let kinds = self.kinds(i, key);
            if kinds.has(CueKind::Org) {
                keyword = Some((i, Kind::Org));
            } else if kinds.has(CueKind::Loc) {
                keyword = Some((i, Kind::Loc));
            }
        }
        if let Some((kw, kind)) = keyword
            && let Some(c) = self.keyword_candidate(first, last, kw, kind, key)
        {
            out.push(c);
            return;
        }
        // No keyword: split at gazetteer mentions and joiners; each free segment is a name.
        let mut i = first;
        while i <= last {
            if self.covered[i] != FREE {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < last && self.covered[j + 1] == FREE {
                let kinds = self.kinds(j + 1, key);
                if !self.tokens[j + 1].is(CAP)
                    && kinds.has(CueKind::Joiner)
                    && !kinds.has(CueKind::Connector)
                {
                    break;
                }
                j += 1;
            }
            // A given name followed by one gazetteer city ending the run: `Kirsty Coventry`.
            let mut surname = None;
            if j < last
                && j + 1 == last
                && let Some(m) = self.absorbable(last)
            {
                let e = self.mentions[m].entity;
                let ent = self.gazetteer.entity(e);
                let one_word = self.after_mention(last, m) == last + 1
                    && self.mentions[m].start == self.tokens[last].start as usize;
                let first_given = self.kinds(i, key).has(CueKind::Given);
                if one_word
                    && first_given
                    && ent.kind == "LOC"
                    && ent.attributes.get("kind").is_none_or(|k| k != "country")
                {
                    surname = Some((m, e));
                }
            }
            let seg_last = if surname.is_some() { last } else { j };
            if let Some(mut c) = self.plain_candidate(i, seg_last, key) {
                if let Some((m, e)) = surname {
                    if c.kind.is_some_and(|(k, _)| k == Kind::Person) {
                        c.absorbs.push(m);
                        c.surname_entity = Some(e);
                    } else if c.last == last {
                        // Not a person after all: leave the city alone.
                        c.last = j;
                        if c.last < c.first {
                            i = seg_last + 1;
                            continue;
                        }
                    }
                }
                out.push(c);
            }
            i = seg_last + 1;
        }
    }

    /// A candidate typed by keyword `kw`, if the run around it makes a name.
    fn keyword_candidate(
        &self,
        first: usize,
        last: usize,
        kw: usize,
        kind: Kind,
        key: &mut String,
    ) -> Option<Candidate> {
        let mut first = first;
        // Leading stop words and a leading short code (`US Federal Reserve`).
        loop {
            if first >= kw {
                break;
            }
            if self.covered[first] == FREE {
                if self.kinds(first, key).has(CueKind::Stop) {
                    first += 1;
                    continue;
                }
                break;
            }
            let m = self.covered[first] as usize;
            let surface = &self.text[self.mentions[m].start..self.mentions[m].end];
            if surface.chars().count() <= 3 {
                first = self.after_mention(first, m);
                continue;
            }
            break;
        }
        // After the last keyword, only `of`-style joiners continue the name, not `and`.
        let mut end = kw;
        let mut i = kw + 1;
        while i <= last {
            let k = self.key_of(i, key).to_string();
            if k == "and" || k == "&" {
                break;
            }
            end = i;
            i += 1;
        }
        // Never end on a particle.
        while end > kw && !self.tokens[end].is(CAP) {
            end -= 1;
        }
        if kw == first && end == kw {
            // A keyword alone (`Bank`, `Airport`) is no name.
            return None;
        }
        // Titles do not start organization names, but `Queen Elizabeth Hospital` is one.
        let absorbs: Vec<usize> = (first..=end)
            .filter_map(|i| (self.covered[i] != FREE).then_some(self.covered[i] as usize))
            .filter(|&m| m < self.mentions.len())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let cue = format!(
            "{}:{}",
            if kind == Kind::Org { "org" } else { "loc" },
            self.surface(kw).trim_end_matches('.')
        );
        let acronym = self.acronym_after(end);
        Some(Candidate {
            first,
            last: end,
            kind: Some((kind, KEYWORD)),
            cue,
            absorbs,
            acronym,
            surname_entity: None,
        })
    }

    /// A candidate of free tokens `first..=last` (no keyword): strip stop words and titles,
    /// then type it from the context.
    fn plain_candidate(&self, first: usize, last: usize, key: &mut String) -> Option<Candidate> {
        let mut first = first;
        while first <= last && self.kinds(first, key).has(CueKind::Stop) {
            first += 1;
        }
        if first > last {
            return None;
        }
        // Capitals and headlines start no name here (chains may still take them).
        let mut kind = None;
        let mut cue = String::new();
        // A title inside the run: `Finance Minister Wale Edun`, `Osaka Governor Hirofumi X`.
        let mut name_first = first;
        for i in first..last {
            let kinds = self.kinds(i, key);
            if kinds.has(CueKind::Title) {
                name_first = i + 1;
                kind = Some((Kind::Person, TITLE));
                cue = format!("title:{}", self.surface(i).trim_end_matches('.'));
            }
        }
        // A multi-word title inside the run (`Prime Minister`), longest first.
        if kind.is_none() {
            for i in first..last {
                if let Some(len) = self.title_phrase_at(i, last, key) {
                    name_first = i + len;
                    kind = Some((Kind::Person, TITLE));
                    let words: Vec<&str> = (i..i + len).map(|t| self.surface(t)).collect();
                    cue = format!("title:{}", words.join(" "));
                }
            }
        }
        let first = name_first;
        if first > last {
            return None;
        }
        let t0 = self.tokens[first];
        let words = (first..=last).filter(|&i| self.tokens[i].is(CAP)).count();
        let k0 = self.kinds(first, key);
        // A sentence-initial common word with no cue starts no name.
        if kind.is_none()
            && t0.is(SENTENCE_START)
            && k0.is_empty()
            && is_common_word(self.surface(first))
        {
            if words == 1 {
                return None;
            }
            return self.plain_candidate(first + 1, last, key);
        }
        if kind.is_none()
            && let Some(c) = self.title_before(first, key)
        {
            kind = Some((Kind::Person, TITLE));
            cue = c;
        }
        if kind.is_none() && last + 1 < self.tokens.len() {
            let next = last + 1;
            if self.tokens[last].gap == Gap::Space
                && self.covered[next] == FREE
                && self.kinds(next, key).has(CueKind::Suffix)
            {
                kind = Some((Kind::Person, TITLE));
                cue = format!("suffix:{}", self.surface(next).trim_end_matches('.'));
            }
        }
        if kind.is_none()
            && let Some(c) = self.appositive_after(last, key)
        {
            kind = Some((Kind::Person, TITLE));
            cue = c;
        }
        if kind.is_none() && words >= 2 && k0.has(CueKind::Given) && !t0.is(ALL_CAPS) {
            kind = Some((Kind::Person, GIVEN));
            cue = format!("given:{}", self.surface(first));
        }
        let acronym = self.acronym_after(last);
        if let Some(a) = acronym
            && kind.is_none()
            && words >= 2
        {
            kind = Some((Kind::Org, GIVEN));
            cue = format!("acronym:{}", self.surface(a));
        }
        Some(Candidate {
            first,
            last,
            kind,
            cue,
            absorbs: Vec::new(),
            acronym,
            surname_entity: None,
        })
    }

    /// Length of the longest multi-word title cue starting at token `i` and ending before `last`.
    fn title_phrase_at(&self, i: usize, last: usize, key: &mut String) -> Option<usize> {
        let mut best = None;
        let mut phrase = String::new();
        for len in 2..=self.cues.longest() {
            let end = i + len - 1;
            if end >= last {
                break;
            }
            phrase.clear();
            for t in i..=end {
                if t > i {
                    phrase.push(' ');
                }
                phrase.push_str(self.key_of(t, key));
            }
            if self.cues.phrase(&phrase).has(CueKind::Title) {
                best = Some(len);
            }
        }
        best
    }

    /// A title cue ending right before token `first` (`analyst Varun Mishra`, `his wife, Cilia
    /// Flores`, `Lula's environment minister, Marina Silva`).
    fn title_before(&self, first: usize, key: &mut String) -> Option<String> {
        if first == 0 {
            return None;
        }
        let prev = first - 1;
        let gap = self.tokens[prev].gap;
        let possessive_ok = false;
        if !(gap == Gap::Space || gap == Gap::Comma)
            || self.tokens[prev].is(POSSESSIVE) != possessive_ok
        {
            return None;
        }
        let mut phrase = String::new();
        let mut found = None;
        for len in 1..=self.cues.longest().min(prev + 1) {
            let start = prev + 1 - len;
            if start < prev && self.tokens[start].gap != Gap::Space {
                break;
            }
            if self.covered[start] != FREE {
                break;
            }
            phrase.clear();
            for t in start..=prev {
                if t > start {
                    phrase.push(' ');
                }
                phrase.push_str(self.key_of(t, key));
            }
            if self.cues.phrase(&phrase).has(CueKind::Title) {
                let words: Vec<&str> = (start..=prev).map(|t| self.surface(t)).collect();
                found = Some(format!("title:{}", words.join(" ")));
            }
        }
        found
    }

    /// A title heading an appositive after token `last`: `X, the party's veteran leader`,
    /// `X, an economist at`, `X, Union Pacific's chief executive`.
    fn appositive_after(&self, last: usize, key: &mut String) -> Option<String> {
        if self.tokens[last].gap != Gap::Comma {
            return None;
        }
        let n = self.tokens.len();
        let start = last + 1;
        if start >= n {
            return None;
        }
        let first_key = self.key_of(start, key).to_string();
        let mut ok = matches!(first_key.as_str(), "the" | "a" | "an" | "former");
        let mut i = start;
        let mut scanned = 0;
        while i < n && scanned < 6 {
            let t = self.tokens[i];
            if !ok && t.is(POSSESSIVE) && scanned < 3 {
                ok = true;
                i += 1;
                scanned += 1;
                continue;
            }
            let kinds = self.kinds(i, key);
            if kinds.has(CueKind::Title) && (ok || scanned == 0) && self.covered[i] == FREE {
                // The title ends the appositive's head: the next word may not extend it into a
                // name (`the President Xi`).
                return Some(format!("title:{}", self.surface(i).trim_end_matches('.')));
            }
            if !(t.gap == Gap::Space || t.is(POSSESSIVE)) {
                break;
            }
            i += 1;
            scanned += 1;
        }
        None
    }

    /// `Name (ABC)`: the index of the acronym token.
    fn acronym_after(&self, last: usize) -> Option<usize> {
        if self.tokens[last].gap != Gap::Paren {
            return None;
        }
        let a = last + 1;
        let t = self.tokens.get(a)?;
        let after = &self.text[t.end as usize..];
        (t.is(ALL_CAPS) && self.covered[a] == FREE && after.trim_start().starts_with(')'))
            .then_some(a)
    }

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
    fn chains(
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

/// Runs of whitespace turned into one space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}
