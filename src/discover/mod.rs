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

pub mod check;
pub mod cues;
mod tokens;

use std::cell::Cell;
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
    /// Per token: its cue kinds once looked up ([`CueKinds::UNSET`] before).
    kinds: Vec<Cell<CueKinds>>,
    pair: String,
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
            kinds,
            pair,
        } = scratch;
        let cues = &self.cues;
        tokens::tokenize(text, |w| cues.is_abbreviation(&cues::cue_key(w)), tokens);
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
        kinds.clear();
        kinds.resize(tokens.len(), Cell::new(CueKinds::UNSET));
        let ctx = Context {
            text,
            tagger,
            gazetteer,
            cues,
            tokens,
            covered,
            mentions: &tagged.mentions,
            kinds,
            pair: std::cell::RefCell::new(std::mem::take(pair)),
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
    kinds: &'a [Cell<CueKinds>],
    /// A buffer for two-word cue lookups.
    pair: std::cell::RefCell<String>,
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

    /// The kinds of token `i`, or of the two-word cue made of tokens `i - 1` and `i` when
    /// there is one (`Air Force`, `Grand Prix`) and `i - 1 >= first`.
    fn kinds_ending_at(&self, first: usize, i: usize, key: &mut String) -> CueKinds {
        if i > first && self.tokens[i - 1].gap == Gap::Space && self.cues.longest() > 1 {
            let mut pair = self.pair.borrow_mut();
            pair.clear();
            pair.push_str(self.key_of(i - 1, key));
            pair.push(' ');
            pair.push_str(self.key_of(i, key));
            let k = self.cues.phrase(&pair);
            if !k.is_empty() {
                return k;
            }
        }
        self.kinds(i, key)
    }

    /// The cue kinds of token `i` (looked up once per token and document).
    fn kinds(&self, i: usize, key: &mut String) -> CueKinds {
        let cached = self.kinds[i].get();
        if cached != CueKinds::UNSET {
            return cached;
        }
        let k = self.cues.word(self.key_of(i, key));
        self.kinds[i].set(k);
        k
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
                    || (self.covered[k] == FREE && self.kinds(k, key).has(CueKind::Stop))
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
        // A run ending in an `other` keyword (`Stanley Cup`, `Nobel Prize`) names no entity.
        if let Some(end) = (first..=last)
            .rev()
            .find(|&i| self.covered[i] == FREE && self.tokens[i].is(CAP))
            && end == last
            && self.kinds_ending_at(first, end, key).has(CueKind::Other)
        {
            return;
        }
        // `and` between two complete names (`… Association and the American College`): two
        // runs.
        for a in first + 1..last {
            let k = self.key_of(a, key);
            if self.covered[a] == FREE && (k == "and" || k == "&") {
                let named_before = (first..a).any(|i| {
                    self.covered[i] == FREE && {
                        let kinds = self.kinds(i, key);
                        kinds.has(CueKind::Org) || kinds.has(CueKind::Loc)
                    }
                });
                if named_before {
                    self.split_run(first, a - 1, key, out);
                    let mut next = a + 1;
                    while next <= last && !self.tokens[next].is(CAP) {
                        next += 1;
                    }
                    if next <= last {
                        self.split_run(next, last, key, out);
                    }
                    return;
                }
            }
        }
        // Keywords decide ORG and LOC; the last one wins.
        let mut keyword: Option<(usize, Kind)> = None;
        for i in first..=last {
            if self.covered[i] != FREE || !self.tokens[i].is(CAP) {
                continue;
            }
            let kinds = self.kinds_ending_at(first, i, key);
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
        // An acronym after the whole run, joiners included, names it: `Office for National
        // Statistics (ONS)`.
        if let Some(a) = self.acronym_after(last)
            && (first..=last).all(|i| self.covered[i] == FREE)
            && (first..last).any(|i| !self.tokens[i].is(CAP))
        {
            let mut f = first;
            while f < last && self.kinds(f, key).has(CueKind::Stop) {
                f += 1;
            }
            if self.initials_match(f, last, a) {
                out.push(Candidate {
                    first: f,
                    last,
                    kind: Some((Kind::Org, GIVEN)),
                    cue: format!("acronym:{}", self.surface(a)),
                    absorbs: Vec::new(),
                    acronym: Some(a),
                    surname_entity: None,
                });
                return;
            }
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
        // A title and `of` do not start the name: `Secretary of the X Department`.
        if first < kw
            && self.covered[first] == FREE
            && self.kinds(first, key).has(CueKind::Title)
            && !self.tokens[first + 1].is(CAP)
        {
            first += 1;
            while first < kw && !self.tokens[first].is(CAP) {
                first += 1;
            }
        }
        // After the last keyword, only `of`-style joiners continue the name (`Bank of Ghana`,
        // `Museum of the Second World War`), not `and`, `for` or `on`.
        let mut end = kw;
        let mut i = kw + 1;
        while i <= last {
            if !self.tokens[i].is(CAP) && self.covered[i] == FREE {
                let k = self.key_of(i, key);
                if !matches!(k, "of" | "the" | "de" | "du" | "des" | "di" | "da" | "do") {
                    break;
                }
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
        // Titles alone are no name (`Mr` before a gazetteer mention).
        if (first..=last).all(|i| !self.tokens[i].is(CAP) || self.kinds(i, key).has(CueKind::Title))
        {
            return None;
        }
        // Words in capitals are acronyms or shouting: never a person by title or given name.
        let shouting =
            (first..=last).all(|i| !self.tokens[i].is(CAP) || self.tokens[i].is(ALL_CAPS));
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
            && !shouting
            && let Some(c) = self.title_before(first, key)
        {
            kind = Some((Kind::Person, TITLE));
            cue = c;
        }
        if kind.is_none() && words >= 2 && self.kinds(last, key).has(CueKind::Suffix) {
            kind = Some((Kind::Person, TITLE));
            cue = format!("suffix:{}", self.surface(last).trim_end_matches('.'));
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
            && !shouting
            && let Some(c) = self.appositive_after(last, key)
        {
            kind = Some((Kind::Person, TITLE));
            cue = c;
        }
        if kind.is_none() && words >= 2 && k0.has(CueKind::Given) && !t0.is(ALL_CAPS) {
            kind = Some((Kind::Person, GIVEN));
            cue = format!("given:{}", self.surface(first));
        }
        let acronym = self
            .acronym_after(last)
            .filter(|&a| self.initials_match(first, last, a));
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

    /// Whether the letters of acronym token `a` are the initials of the capitalized words
    /// `first..=last`, or another subsequence of their capitals that starts with the first
    /// initial (`Tropical Forest Forever Facility` → `TFFF`, `PricewaterhouseCoopers` → `PwC`
    /// does not count, `Dave Matthews Band` → `DMB`).
    fn initials_match(&self, first: usize, last: usize, a: usize) -> bool {
        let capitals: Vec<char> = (first..=last)
            .filter(|&i| self.tokens[i].is(CAP))
            .flat_map(|i| self.surface(i).chars().filter(|c| c.is_uppercase()))
            .collect();
        let letters: Vec<char> = self
            .surface(a)
            .chars()
            .filter(|c| c.is_alphabetic())
            .collect();
        if letters.len() < 2 || capitals.first() != letters.first() {
            return false;
        }
        let mut it = capitals.iter();
        letters.iter().all(|l| it.any(|c| c == l))
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
                continue;
            }
            // The full name of a person known so far by surname only (`Cilia Flores` and `Ms.
            // Flores`): the chain takes the longer name.
            if words.len() >= 2 {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::GazetteerBuilder;
    use crate::recognize::Recognizer;
    use proptest::prelude::*;

    /// A small gazetteer: places, a demonym, a person with a weak alias, an organization.
    const GAZ: &str = "id\ttype\tname\taliases\tkind\n\
        nigeria\tLOC\tNigeria\t\tcountry\n\
        ghana\tLOC\tGhana\t\tcountry\n\
        coventry\tLOC\tCoventry\t\tcity\n\
        lagos\tLOC\tLagos\t\tcity\n\
        south-african\tNORP\tSouth African\t\t\n\
        xi\tPERSON\tXi Jinping\t~Xi\t\n\
        xiaomi\tORG\tXiaomi\t\t\n\
        us\tLOC\tUnited States\t=US\tcountry\n";

    fn recognizer() -> Recognizer {
        let mut b = GazetteerBuilder::new();
        b.add_str("g.tsv", GAZ);
        let tagger = crate::tagger::Tagger::new(b.build().unwrap());
        Recognizer::new(
            tagger,
            Some(Discoverer::new(Cues::default_embedded().unwrap())),
        )
    }

    /// (surface, id, type) of every mention, provisional or not.
    fn found(r: &Recognizer, text: &str) -> Vec<(String, String, String)> {
        let t = r.recognize(text);
        let view = crate::entity::EntityView::new(r.gazetteer(), &t.provisional);
        t.mentions
            .iter()
            .map(|m| {
                let e = view.get(m.entity);
                (
                    text[m.start..m.end].to_string(),
                    e.id().to_string(),
                    e.kind().to_string(),
                )
            })
            .collect()
    }

    /// (rule, text, expected provisional mentions as (surface, id, type)).
    /// A provisional mention: (surface, id, type).
    type Found = (&'static str, &'static str, &'static str);

    const CASES: &[(&str, &str, &[Found])] = &[
        (
            "title before",
            "He met analyst Varun Mishra on Monday.",
            &[("Varun Mishra", "new:varun-mishra", "PERSON")],
        ),
        (
            "capitalized title inside the run",
            "Finance Minister Wale Edun spoke.",
            &[("Wale Edun", "new:wale-edun", "PERSON")],
        ),
        (
            "title, comma, name",
            "Officials said his wife, Cilia Flores, was there.",
            &[("Cilia Flores", "new:cilia-flores", "PERSON")],
        ),
        (
            "appositive after",
            "They quoted Peter Navarro, the trade adviser, at length.",
            &[("Peter Navarro", "new:peter-navarro", "PERSON")],
        ),
        (
            "given name first",
            "Yesterday Maria Silva arrived.",
            &[("Maria Silva", "new:maria-silva", "PERSON")],
        ),
        (
            "suffix after",
            "They thanked Clay Tice Jr. for the work.",
            &[("Clay Tice Jr.", "new:clay-tice-jr", "PERSON")],
        ),
        (
            "org keyword",
            "A report by Counterpoint Research came out.",
            &[("Counterpoint Research", "new:counterpoint-research", "ORG")],
        ),
        (
            "loc keyword",
            "The jets flew from Ramey Base every day.",
            &[("Ramey Base", "new:ramey-base", "LOC")],
        ),
        (
            "org keyword takes in a place after of",
            "Rates were cut by the Central Bank of Nigeria today.",
            &[(
                "Central Bank of Nigeria",
                "new:central-bank-of-nigeria",
                "ORG",
            )],
        ),
        (
            "org keyword takes in a demonym",
            "They watched the South African Reserve Bank closely.",
            &[(
                "South African Reserve Bank",
                "new:south-african-reserve-bank",
                "ORG",
            )],
        ),
        (
            "a leading short code stays a place",
            "Investors watched the US Trade Commission closely.",
            &[("Trade Commission", "new:trade-commission", "ORG")],
        ),
        (
            "and splits two complete names",
            "Both the Medical Association and the Nursing Council agreed.",
            &[
                ("Medical Association", "new:medical-association", "ORG"),
                ("Nursing Council", "new:nursing-council", "ORG"),
            ],
        ),
        (
            "acronym in parentheses",
            "They launched the Blue Horizon Initiative (BHI) there. The BHI grew.",
            &[
                (
                    "Blue Horizon Initiative",
                    "new:blue-horizon-initiative",
                    "ORG",
                ),
                ("BHI", "new:blue-horizon-initiative", "ORG"),
                ("BHI", "new:blue-horizon-initiative", "ORG"),
            ],
        ),
        (
            "acronym over joiners",
            "Data came from the Office for National Statistics (ONS) on Monday.",
            &[
                (
                    "Office for National Statistics",
                    "new:office-for-national-statistics",
                    "ORG",
                ),
                ("ONS", "new:office-for-national-statistics", "ORG"),
            ],
        ),
        (
            "chain: surname",
            "Governor Olayemi Cardoso spoke. Later Cardoso left.",
            &[
                ("Olayemi Cardoso", "new:olayemi-cardoso", "PERSON"),
                ("Cardoso", "new:olayemi-cardoso", "PERSON"),
            ],
        ),
        (
            "chain: title and surname",
            "It was Cilia Flores who spoke. Then Ms. Flores left.",
            &[
                ("Cilia Flores", "new:cilia-flores", "PERSON"),
                ("Flores", "new:cilia-flores", "PERSON"),
            ],
        ),
        (
            "chain: surname before the full name",
            "Mishra said so. The firm's analyst Varun Mishra added more.",
            &[
                ("Mishra", "new:varun-mishra", "PERSON"),
                ("Varun Mishra", "new:varun-mishra", "PERSON"),
            ],
        ),
        (
            "chain: first words of an organization",
            "Counterpoint Research says so. A Counterpoint survey agreed.",
            &[
                ("Counterpoint Research", "new:counterpoint-research", "ORG"),
                ("Counterpoint", "new:counterpoint-research", "ORG"),
            ],
        ),
        (
            "chain: possessive",
            "It was Maria Flores who spoke. Flores’s office agreed.",
            &[
                ("Maria Flores", "new:maria-flores", "PERSON"),
                ("Flores", "new:maria-flores", "PERSON"),
            ],
        ),
        (
            "chain: ambiguous short form joins none",
            "Analyst Ann Smith and economist Bob Smith met. Smith left.",
            &[
                ("Ann Smith", "new:ann-smith", "PERSON"),
                ("Bob Smith", "new:bob-smith", "PERSON"),
            ],
        ),
        (
            "given name and a gazetteer city",
            "Kirsty Coventry won. Coventry, 41, a swimmer, smiled.",
            &[
                ("Kirsty Coventry", "new:kirsty-coventry", "PERSON"),
                ("Coventry", "new:kirsty-coventry", "PERSON"),
            ],
        ),
        (
            "untyped candidate dropped",
            "The deal with Acme Widgets was big.",
            &[],
        ),
        (
            "sentence-initial common word",
            "Figures from the survey were out.",
            &[],
        ),
        (
            "stop word does not start a name",
            "However Maria Silva disagreed.",
            &[("Maria Silva", "new:maria-silva", "PERSON")],
        ),
        (
            "months do not join names",
            "The Lagos Stock Exchange on May 5 reopened.",
            &[("Lagos Stock Exchange", "new:lagos-stock-exchange", "ORG")],
        ),
        (
            "headline line starts no name",
            "Analyst Varun Mishra Says Phone Sales Rise Again\nSales rose.",
            &[],
        ),
        (
            "other keyword: not an entity",
            "The team lifted the Stanley Cup in May.",
            &[],
        ),
        (
            "a title alone is no name",
            "It was Mr Xi Jinping who spoke.",
            &[],
        ),
        ("capitals are not a person", "The UKIP leader spoke.", &[]),
        (
            "an unresolved weak alias is not new",
            "President Xi spoke.",
            &[],
        ),
        (
            "gazetteer matches keep precedence",
            "Analyst Xi Jinping spoke.",
            &[],
        ),
    ];

    #[test]
    fn rules() {
        let r = recognizer();
        for &(rule, text, want) in CASES {
            let got: Vec<_> = found(&r, text)
                .into_iter()
                .filter(|(_, id, _)| id.starts_with(PROVISIONAL_PREFIX))
                .collect();
            let want: Vec<_> = want
                .iter()
                .map(|&(s, i, k)| (s.to_string(), i.to_string(), k.to_string()))
                .collect();
            assert_eq!(got, want, "rule {rule:?} on {text:?}");
        }
    }

    #[test]
    fn gazetteer_mentions_given_way_to_longer_names() {
        let r = recognizer();
        let ids: Vec<_> = found(
            &r,
            "Rates were cut by the Central Bank of Nigeria in Nigeria.",
        )
        .into_iter()
        .map(|(s, i, _)| format!("{s}={i}"))
        .collect();
        assert_eq!(
            ids,
            [
                "Central Bank of Nigeria=new:central-bank-of-nigeria",
                "Nigeria=nigeria"
            ]
        );
    }

    #[test]
    fn provisional_ids() {
        assert_eq!(provisional_id("Cilia Flores"), "new:cilia-flores");
        assert_eq!(
            provisional_id("André Corrêa do Lago"),
            "new:andre-correa-do-lago"
        );
        assert_eq!(provisional_id("Владимир  Путин"), "new:владимир-путин");
        assert_eq!(provisional_id("O'Driscoll"), "new:o-driscoll");
    }

    fn word() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "Nigeria", "Bank", "of", "the", "Central", "Varun", "Mishra", "analyst", "said", ",",
            ".", "(", ")", "TFFF", "Mr.", "Coventry", "Kirsty", "Xi", "Jinping", "\n", "Ça", "é",
            "Łódź", "and", "Group", "Base", "Cup", "’s", "-", "al", "Hussein", "Ms.",
        ])
        .prop_map(str::to_string)
    }

    proptest! {
        #[test]
        fn spans_never_overlap_and_lie_on_char_boundaries(words in prop::collection::vec(word(), 0..40), seps in prop::collection::vec(prop::sample::select(vec![" ", "", "  ", " \n"]), 40)) {
            let mut text = String::new();
            for (w, s) in words.iter().zip(seps.iter()) {
                text.push_str(w);
                text.push_str(s);
            }
            let r = recognizer();
            let gazetteer_only = r.tagger().tag(&text);
            let t = r.recognize(&text);
            let n = r.gazetteer().len() as u32;
            let mut last_end = 0;
            for m in &t.mentions {
                prop_assert!(m.start < m.end && m.start >= last_end, "sorted, non-overlapping: {:?}", t.mentions);
                prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
                last_end = m.end;
                if m.entity.0 >= n {
                    prop_assert!(((m.entity.0 - n) as usize) < t.provisional.len());
                    // A discovered span overlaps no gazetteer mention that remains.
                    for g in t.mentions.iter().filter(|g| g.entity.0 < n) {
                        prop_assert!(g.end <= m.start || g.start >= m.end);
                    }
                }
            }
            // Gazetteer mentions are kept, or taken in whole by a longer provisional name.
            for g in &gazetteer_only.mentions {
                let kept = t.mentions.contains(g);
                let taken = t.mentions.iter().any(|m| m.entity.0 >= n && m.start <= g.start && g.end <= m.end);
                prop_assert!(kept || taken, "gazetteer mention {:?} lost in {:?}", g, text);
            }
        }
    }
}
