//! Candidates: runs of capitalized words, and the cues that type them (rules 1 and 2 of
//! [`super`]).

use super::cues::CueKind;
use super::tokens::{ALL_CAPS, CAP, Gap, HEADLINE, POSSESSIVE, SENTENCE_START};
use super::{Candidate, Context, FREE, GIVEN, KEYWORD, Kind, TITLE};
use crate::lint::is_common_word;

impl Context<'_> {
    /// Finds candidates, typed where a cue says so.
    pub(super) fn candidates(&self, key: &mut String, out: &mut Vec<Candidate>) {
        let n = self.tokens.len();
        let mut i = 0;
        while i < n {
            let t = self.tokens[i];
            // The token's own flags first: most tokens are lower-case words.
            let starts = t.is(CAP)
                && !t.is(HEADLINE)
                && (self.is_free_cap(i) || self.absorbable(i).is_some());
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
}
