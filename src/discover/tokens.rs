//! Words of a text as discovery sees them: byte spans, capitalization, and what separates each
//! word from the next.

use crate::fold::{is_dash, is_word_char};

/// What lies between a word and the next one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    /// Spaces or tabs only: the two words may belong to one name.
    Space,
    /// A comma (and spaces).
    Comma,
    /// An opening parenthesis (and spaces): `Name (ABC)`.
    Paren,
    /// A sentence end (`.`, `!`, `?`, `:`, `;`) or a line break.
    Boundary,
    /// Anything else (quotes, dashes, brackets, possessive `’s`), or the end of the text.
    Other,
}

/// A word: `text[start..end]`, including the full stop of an initial or abbreviation
/// (`J.`, `Mr.`) but never a possessive `’s`.
#[derive(Clone, Copy, Debug)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    /// What follows the word.
    pub gap: Gap,
    pub flags: u8,
}

/// First letter upper-case (or a lower-case particle joined to a capitalized word: `al-Hussein`).
pub const CAP: u8 = 1;
/// Two letters or more, none lower-case: `NATO`, `SHARM`.
pub const ALL_CAPS: u8 = 2;
/// Followed by a possessive `’s` or `'`.
pub const POSSESSIVE: u8 = 4;
/// The first word of a sentence (or of a line).
pub const SENTENCE_START: u8 = 8;
/// On a line written in title case or capitals (a headline): starts no new name.
pub const HEADLINE: u8 = 16;
/// Holds a letter (not only digits).
pub const LETTER: u8 = 32;

impl Token {
    pub fn is(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Cuts `text` into words, replacing the contents of `out`.
///
/// `keeps_dot(word)` says whether a full stop right after `word` belongs to it (an
/// abbreviation such as `Mr` or `Inc`); a single capital letter always keeps it (`J.`).
pub fn tokenize(text: &str, keeps_dot: impl FnMut(&str) -> bool, out: &mut Vec<Token>) {
    tokenize_with(text, keeps_dot, out, true);
}

/// [`tokenize`], with or without the shortcuts for the commonest words (`shortcuts` is off
/// only in tests, which check that both give the same tokens).
fn tokenize_with(
    text: &str,
    mut keeps_dot: impl FnMut(&str) -> bool,
    out: &mut Vec<Token>,
    shortcuts: bool,
) {
    out.clear();
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    let mut sentence_start = true;
    while i < n {
        // Skip to the next word character (ASCII a byte at a time).
        let b = bytes[i];
        // Shortcut: most words of prose are ASCII letters, at most the first one a capital,
        // followed by one space and another word. Such a word has no possessive, keeps no
        // full stop and is followed by a `Space` gap, so the general path below would make
        // exactly this token.
        if shortcuts && b.is_ascii_alphabetic() {
            let mut j = i + 1;
            while j < n && (bytes[j].is_ascii_lowercase() || bytes[j].is_ascii_digit()) {
                j += 1;
            }
            if j + 1 < n && bytes[j] == b' ' && bytes[j + 1].is_ascii_alphanumeric() {
                let mut flags = LETTER;
                if b.is_ascii_uppercase() {
                    flags |= CAP;
                }
                if sentence_start {
                    flags |= SENTENCE_START;
                }
                out.push(Token {
                    start: i as u32,
                    end: j as u32,
                    gap: Gap::Space,
                    flags,
                });
                sentence_start = false;
                i = j + 1;
                continue;
            }
        }
        if b < 0x80 && !b.is_ascii_alphanumeric() {
            if matches!(b, b'.' | b'!' | b'?' | b':' | b';' | b'\n') {
                sentence_start = true;
            }
            i += 1;
            continue;
        }
        let (c, len) = char_at(text, i);
        if !is_word_char(c) {
            if matches!(c, '.' | '!' | '?' | ':' | ';' | '\n') {
                sentence_start = true;
            }
            i += len;
            continue;
        }
        let start = i;
        let mut end = i;
        let mut j = i;
        let mut flags = 0;
        let mut upper = 0usize;
        let mut lower = 0usize;
        let mut letters = 0usize;
        let mut first = true;
        let mut first_upper = false;
        let mut first_part_lower = false;
        let mut part_start = true;
        let mut cap_after_dash = false;
        while j < bytes.len() {
            // ASCII letters and digits, the bulk of most texts.
            let b = bytes[j];
            if b.is_ascii_alphanumeric() {
                if b.is_ascii_alphabetic() {
                    letters += 1;
                    if b.is_ascii_uppercase() {
                        upper += 1;
                    } else {
                        lower += 1;
                    }
                }
                if first {
                    first_upper = b.is_ascii_uppercase();
                    first_part_lower = b.is_ascii_lowercase();
                    first = false;
                } else if part_start && b.is_ascii_uppercase() && first_part_lower {
                    cap_after_dash = true;
                }
                part_start = false;
                j += 1;
                end = j;
                continue;
            }
            let (c, len) = char_at(text, j);
            if is_word_char(c) {
                if c.is_alphabetic() {
                    letters += 1;
                    if c.is_uppercase() {
                        upper += 1;
                    } else if c.is_lowercase() {
                        lower += 1;
                    }
                }
                if first {
                    first_upper = c.is_uppercase();
                    first_part_lower = c.is_lowercase();
                    first = false;
                } else if part_start && c.is_uppercase() && first_part_lower {
                    cap_after_dash = true;
                }
                part_start = false;
                j += len;
                end = j;
                continue;
            }
            // Inside a word: an apostrophe or a hyphen between word characters.
            let (next, next_len) = if j + len < bytes.len() {
                char_at(text, j + len)
            } else {
                (' ', 0)
            };
            if matches!(c, '\'' | '\u{2019}') && is_word_char(next) {
                // A possessive `’s` ends the word.
                let after = j + len + next_len;
                let s_ends = matches!(next, 's' | 'S')
                    && (after >= bytes.len() || !is_word_char(char_at(text, after).0));
                if s_ends {
                    break;
                }
                j += len;
                continue;
            }
            if is_dash(c) && is_word_char(next) && next_len > 0 {
                j += len;
                part_start = true;
                continue;
            }
            break;
        }
        if first_upper || cap_after_dash {
            flags |= CAP;
        }
        if letters > 0 {
            flags |= LETTER;
        }
        if upper >= 2 && lower == 0 {
            flags |= ALL_CAPS;
        }
        if sentence_start {
            flags |= SENTENCE_START;
        }
        // What follows: a possessive, a full stop kept by an abbreviation, then the gap.
        let mut k = end;
        let rest = &text[k..];
        let mut gap = None;
        for p in ["'s", "\u{2019}s", "'S", "\u{2019}S"] {
            if rest.starts_with(p) {
                flags |= POSSESSIVE;
                k += p.len();
                gap = Some(Gap::Other);
                break;
            }
        }
        if gap.is_none() && (rest.starts_with('\'') || rest.starts_with('\u{2019}')) {
            // `the Koreas' talks`
            flags |= POSSESSIVE;
            gap = Some(Gap::Other);
        }
        if gap.is_none() && rest.starts_with('.') {
            let word = &text[start..end];
            let initial = word.chars().count() == 1 && first_upper;
            if initial || keeps_dot(word) {
                end += 1;
                k = end;
            }
        }
        let gap = gap.unwrap_or_else(|| classify_gap(text, k));
        sentence_start = gap == Gap::Boundary;
        out.push(Token {
            start: start as u32,
            end: end as u32,
            gap,
            flags,
        });
        i = k.max(end);
    }
    mark_headlines(text, out, shortcuts);
}

/// The gap that starts at `at`, up to the next word character.
fn classify_gap(text: &str, at: usize) -> Gap {
    let mut gap = Gap::Space;
    let mut seen_comma = false;
    let mut seen_paren = false;
    for c in text[at..].chars() {
        if is_word_char(c) {
            break;
        }
        match c {
            ' ' | '\t' | '\u{a0}' => {}
            ',' if !seen_comma && !seen_paren => seen_comma = true,
            '(' if !seen_paren && !seen_comma => seen_paren = true,
            '.' | '!' | '?' | ':' | ';' | '\n' | '\r' => return Gap::Boundary,
            _ => gap = Gap::Other,
        }
    }
    if gap == Gap::Other {
        // A closing quote or dash before a sentence end was handled above; anything else
        // separates names.
        return Gap::Other;
    }
    match (seen_comma, seen_paren) {
        (true, _) => Gap::Comma,
        (_, true) => Gap::Paren,
        _ => Gap::Space,
    }
}

/// Marks the words of lines that look like headlines: at most 25 words, not ending with a
/// sentence end, three or more words of four letters or more, at least three quarters of them
/// capitalized; or two or more words, all in capitals.
///
/// With `shortcuts`, only the gaps that can hold a line break are searched for one: a line
/// break makes a `Boundary` gap, unless a possessive came first.
fn mark_headlines(text: &str, tokens: &mut [Token], shortcuts: bool) {
    let bytes = text.as_bytes();
    let mut line_first = 0;
    let mut i = 0;
    while i <= tokens.len() {
        let line_ends = i == tokens.len()
            || (i > line_first && {
                let prev = &tokens[i - 1];
                (!shortcuts || prev.gap == Gap::Boundary || prev.is(POSSESSIVE))
                    && bytes[prev.end as usize..tokens[i].start as usize].contains(&b'\n')
            });
        if line_ends {
            let line = &mut tokens[line_first..i];
            let (mut long, mut long_cap, mut words, mut caps) = (0, 0, 0, 0);
            for t in line.iter() {
                if !t.is(LETTER) {
                    continue;
                }
                words += 1;
                if t.is(ALL_CAPS) {
                    caps += 1;
                }
                if (t.end - t.start) >= 4 {
                    long += 1;
                    if t.is(CAP) {
                        long_cap += 1;
                    }
                }
            }
            // A headline is short and ends without a full stop; a sentence listing names
            // (`… Karl Langdon, Glen Jakovich and Brad Hardie.`) is not one.
            let last_end = line.last().map_or(0, |t| t.end as usize);
            let rest = &text[last_end..];
            let ends_sentence = rest
                .trim_start_matches([' ', '\t', '"', '\'', '\u{201d}', ')'])
                .starts_with(['.', '!', '?', ';', ':']);
            let title_case = long >= 3 && long_cap * 4 >= long * 3 && words <= 25 && !ends_sentence;
            let shouting = words >= 2 && caps == words;
            if title_case || shouting {
                for t in line.iter_mut() {
                    t.flags |= HEADLINE;
                }
            }
            line_first = i;
        }
        i += 1;
    }
}

/// The char at byte `i` (a char boundary) and its UTF-8 length, with an ASCII fast path.
#[inline]
fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (b as char, 1);
    }
    let c = text[i..].chars().next().expect("i is a char boundary");
    (c, c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(&str, Gap, u8)> {
        let mut out = Vec::new();
        tokenize(text, |w| w == "Mr" || w == "Inc", &mut out);
        out.iter()
            .map(|t| (&text[t.range()], t.gap, t.flags))
            .collect()
    }

    #[test]
    fn words_gaps_and_flags() {
        let w = words("Mr. J. Smith's al-Hussein, (UCI) Jae-myung. said O'Brien");
        let surfaces: Vec<_> = w.iter().map(|x| x.0).collect();
        assert_eq!(
            surfaces,
            [
                "Mr.",
                "J.",
                "Smith",
                "al-Hussein",
                "UCI",
                "Jae-myung",
                "said",
                "O'Brien"
            ]
        );
        assert_eq!(words("Ann (ABC)")[0].1, Gap::Paren);
        assert_eq!(w[0].1, Gap::Space);
        assert_eq!(w[2].1, Gap::Other);
        assert!(w[2].2 & POSSESSIVE != 0);
        assert!(w[3].2 & CAP != 0, "al-Hussein counts as capitalized");
        assert_eq!(w[3].1, Gap::Other, "a comma then a parenthesis");
        assert_eq!(words("Ann, Bo")[0].1, Gap::Comma);
        assert!(w[4].2 & ALL_CAPS != 0);
        assert_eq!(w[5].1, Gap::Boundary);
        assert!(w[6].2 & SENTENCE_START != 0);
        assert!(w[0].2 & SENTENCE_START != 0);
        assert!(w[1].2 & SENTENCE_START == 0, "Mr. keeps its full stop");
    }

    proptest::proptest! {
        /// The shortcuts change nothing: the same tokens as the general path alone, on text
        /// made of the characters the shortcuts look at and the ones that end them.
        #[test]
        fn shortcuts_give_the_same_tokens(
            text in "([A-Za-z0-9]{1,6}|[ ]{1,2}|[.,;:'’(\n\t-]|é|É|ß|\u{a0}|\u{2019}s|'s|Mr|Inc|J){0,40}"
        ) {
            let keeps = |w: &str| w == "Mr" || w == "Inc";
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            tokenize_with(&text, keeps, &mut fast, true);
            tokenize_with(&text, keeps, &mut slow, false);
            let key = |t: &Token| (t.start, t.end, t.gap, t.flags);
            proptest::prop_assert_eq!(
                fast.iter().map(key).collect::<Vec<_>>(),
                slow.iter().map(key).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn headlines() {
        let w = words("Union Pacific Agrees Deal For Norfolk\nThe deal was agreed on Monday.");
        assert!(w[0].2 & HEADLINE != 0);
        assert!(w[6].2 & HEADLINE == 0);
        let w = words(
            "SHARM EL-SHEIKH, Egypt — Leaders of several countries gathered here for talks about the war.",
        );
        assert!(w[0].2 & HEADLINE == 0, "a dateline before a sentence");
        let w = words("WORLD NEWS TODAY\nok");
        assert!(w[0].2 & HEADLINE != 0);
    }
}
