//! Text folding that keeps exact byte offsets into the original text.
//!
//! The tagger never matches on the original text. It matches on a *folded* copy in which
//! case, diacritics, apostrophe variants, dashes and whitespace runs no longer matter, and it
//! maps every match back to the original with an [`OffsetMap`]. Aliases are folded with the
//! very same function ([`fold_str`]), so "same folded bytes" is the one notion of equality.
//!
//! The folding, applied char by char:
//! - ASCII letters are lower-cased, except the first letter of each word, which is
//!   upper-cased: word starts are marked in the folded text itself, so no alias (folded the
//!   same way) can begin inside a word, and the automaton idles through word interiors
//!   instead of reporting every alias that occurs inside longer words; other ASCII bytes are
//!   kept, except that
//! - every whitespace character (including NBSP and line breaks) and every dash or hyphen
//!   (`- ‐ ‑ ‒ – — ― −`) becomes the separator [`SEP`] (a space), and a run of such characters
//!   becomes **one** separator. An alias written `Lee Jae-myung` therefore matches
//!   `Lee Jae Myung`, `LEE JAE‑MYUNG` and `Lee  Jae\nmyung`;
//! - `’ ‘ ʼ ′ ＇` become `'`;
//! - soft hyphens and zero-width characters disappear;
//! - any other character is NFKD-decomposed, its combining marks dropped, and full Unicode
//!   case folding applied (`Nicolás` → `nicolas`, `Straße` → `strasse`, `ﬁ` → `fi`).
//!
//! No folding step looks across characters, so the map from folded to original offsets is
//! monotone, and every folded byte belongs to exactly one original character.

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The longest document the tagger takes, in bytes: 372 MiB (390,451,572 bytes). Offsets are
/// stored as `u32`, and folding makes a text at most 11 times longer (U+FDFA, one 3-byte
/// character, folds to 33 bytes), so every folded offset stays below 4 GiB. The input
/// reader ([`crate::input::Limits`]) refuses longer documents.
pub const MAX_DOCUMENT_BYTES: usize = u32::MAX as usize / MAX_FOLD_GROWTH;

/// The most bytes folding makes of one byte of text (checked over every `char` by a test).
const MAX_FOLD_GROWTH: usize = 11;

/// The byte that stands for any run of whitespace and dashes in folded text.
pub const SEP: u8 = b' ';

/// A piece of the map from folded offsets to original offsets.
///
/// A *linear* segment (`orig_len == LINEAR`) maps folded byte `folded + k` to original byte
/// `orig + k`. An *atomic* segment maps all its folded bytes to one original range
/// `orig..orig + orig_len` (a character that changed length when folded, or a separator run).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    folded: u32,
    orig: u32,
    orig_len: u32,
}

const LINEAR: u32 = u32::MAX;

/// Maps offsets in a folded text back to the original text.
///
/// Only places where folding changed the length are stored, so ASCII text with single spaces
/// needs one entry in all.
#[derive(Clone, Debug, Default)]
pub struct OffsetMap {
    segments: Vec<Segment>,
}

impl OffsetMap {
    fn clear(&mut self) {
        self.segments.clear();
        self.segments.push(Segment {
            folded: 0,
            orig: 0,
            orig_len: LINEAR,
        });
    }

    fn segment_at(&self, folded: usize) -> &Segment {
        // The last segment starting at or before `folded`. Segment 0 starts at 0.
        let i = self
            .segments
            .partition_point(|s| s.folded as usize <= folded);
        &self.segments[i.saturating_sub(1)]
    }

    /// The original offset where the folded byte at `folded` comes from: the start of its
    /// original character. Always a char boundary of the original text.
    pub fn start(&self, folded: usize) -> usize {
        let s = self.segment_at(folded);
        if s.orig_len == LINEAR {
            s.orig as usize + (folded - s.folded as usize)
        } else {
            s.orig as usize
        }
    }

    /// The original offset just past the character that produced folded byte `folded_end - 1`.
    /// For `folded_end == 0` this is 0. Always a char boundary of the original text.
    pub fn end(&self, folded_end: usize) -> usize {
        if folded_end == 0 {
            return 0;
        }
        let s = self.segment_at(folded_end - 1);
        if s.orig_len == LINEAR {
            s.orig as usize + (folded_end - s.folded as usize)
        } else {
            (s.orig + s.orig_len) as usize
        }
    }
}

/// A folded text and the map back to the text it was folded from.
///
/// Reuse one `Folded` across documents ([`Folded::fold`]) to avoid allocating per document.
#[derive(Clone, Debug, Default)]
pub struct Folded {
    text: String,
    map: OffsetMap,
}

impl Folded {
    /// Folds `original`, replacing what this value held before.
    ///
    /// # Panics
    /// If `original` is longer than [`MAX_DOCUMENT_BYTES`] (offsets are stored as `u32`).
    pub fn fold(&mut self, original: &str) {
        assert!(
            original.len() <= MAX_DOCUMENT_BYTES,
            "documents must be at most MAX_DOCUMENT_BYTES long"
        );
        self.text.clear();
        self.text.reserve(original.len());
        self.map.clear();
        fold_into(original, false, &mut self.text, Some(&mut self.map));
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The map from folded offsets back to the original text.
    pub fn map(&self) -> &OffsetMap {
        &self.map
    }
}

/// Folds a string (typically an alias) exactly as document text is folded, and trims
/// leading and trailing separators.
pub fn fold_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, false, &mut out, None);
    out.trim_matches(SEP as char).to_string()
}

/// Like [`fold_str`] but keeps letter case: used to compare a match against an exact-case
/// alias (`US` must not match `Us`, but `U.S.` in the text still equals `U.S.`).
pub fn fold_str_keep_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, true, &mut out, None);
    out.trim_matches(SEP as char).to_string()
}

/// Letters and digits make words (combining marks are gone after folding).
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

/// Scripts written without spaces between words: each character is its own word, so a
/// boundary lies between any two of them (as in UAX #29 for ideographs).
pub fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF // Thai, Lao
        | 0x1000..=0x109F // Myanmar
        | 0x1780..=0x17FF // Khmer
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F // Han
    )
}

/// Whether two adjacent characters belong to the same word.
pub fn joins(a: char, b: char) -> bool {
    is_word_char(a) && is_word_char(b) && !is_unspaced(a) && !is_unspaced(b)
}

/// Whether a match may start at byte offset `at` of folded text `f` (a char boundary): at the
/// start of the text, or where the character before does not [`joins`] the first one. An
/// apostrophe between two joining characters does not make a start either: `O'Brien` holds no
/// word `Brien`.
///
/// The tagger accepts a match only between a word start and a [`is_word_end`]; `gazetteer
/// check` judges shadowed aliases by the same rule.
pub fn is_word_start(f: &str, at: usize) -> bool {
    let Some(first) = f[at..].chars().next() else {
        return true;
    };
    let mut before = f[..at].chars().rev();
    match before.next() {
        None => true,
        // `O'Brien` holds no word `Brien`.
        Some('\'') => !before.next().is_some_and(|c| joins(c, first)),
        Some(prev) => !joins(prev, first),
    }
}

/// Whether a match may end at byte offset `at` of folded text `f` (a char boundary): at the
/// end of the text, or where the next character does not [`joins`] the last one. A possessive
/// `'s` (or a bare `'`) ends the word, but `Sana'a` does not end at `Sana`.
pub fn is_word_end(f: &str, at: usize) -> bool {
    let Some(last) = f[..at].chars().next_back() else {
        return true;
    };
    let mut after = f[at..].chars();
    match after.next() {
        None => true,
        // A possessive `'s` (or a bare `'`) ends the word; `Sana'a` does not end at `Sana`.
        Some('\'') => match after.next() {
            Some('s' | 'S') => !after.next().is_some_and(is_word_char),
            Some(c) => !joins(last, c),
            None => true,
        },
        Some(next) => !joins(last, next),
    }
}

/// The length in bytes of the leading article of a folded alias, with the separator after it
/// (`The Netherlands` → 4), or 0 when there is none.
///
/// The article is English `the` in any case (`the`, `The`, `THE` all fold to `The`), followed
/// by a separator (a space or dash run in the alias) and a word character: an alias that is
/// only `the`, or where `the` begins a longer word (`Thebes`), has none. The tagger matches the
/// article as context but leaves it out of mention spans; `gazetteer check` notes such aliases.
pub fn leading_article(folded: &str) -> usize {
    const ARTICLE: &str = "The ";
    match folded.strip_prefix(ARTICLE) {
        Some(rest) if rest.chars().next().is_some_and(is_word_char) => ARTICLE.len(),
        _ => 0,
    }
}

/// Appends the case-keeping folding of `s` to `out` (no trimming): the allocation-free form of
/// [`fold_str_keep_case`] for text without leading or trailing separators.
pub fn fold_str_keep_case_into(s: &str, out: &mut String) {
    fold_into(s, true, out, None);
}

/// Hyphens and dashes (ASCII `-` included), which fold to the separator.
pub fn is_dash(c: char) -> bool {
    c == '-'
        || matches!(
            c,
            '\u{2010}'
                ..='\u{2015}'
                    | '\u{2212}'
                    | '\u{2E3A}'
                    | '\u{2E3B}'
                    | '\u{FE58}'
                    | '\u{FE63}'
                    | '\u{FF0D}'
        )
}

fn is_separator(c: char) -> bool {
    c == '-' || c.is_whitespace() || is_dash(c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' | '\u{FF07}'
    )
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// The core loop shared by document and alias folding.
///
/// `map`, when given, receives a segment wherever the folded length of a character differs
/// from its original length (and wherever a run of separators was merged into one).
fn fold_into(s: &str, keep_case: bool, out: &mut String, mut map: Option<&mut OffsetMap>) {
    let bytes = s.as_bytes();
    let mut i = 0;
    // True when the last segment pushed was atomic, so the next identity byte must start a
    // new linear segment.
    let mut after_atomic = false;
    // Whether the last folded char is a word char that joins the next one into a word.
    let mut in_word = false;

    while i < bytes.len() {
        if starts_ascii_run(bytes, i) {
            // ASCII fast path: bytes that fold one to one (no separator but single spaces),
            // cased as they are copied.
            if after_atomic {
                push_linear(&mut map, out.len(), i);
                after_atomic = false;
            }
            i = fold_ascii_run(bytes, i, keep_case, &mut in_word, out);
            continue;
        }
        i = fold_step(
            s,
            i,
            keep_case,
            &mut in_word,
            &mut after_atomic,
            out,
            &mut map,
        );
    }
}

/// One step of [`fold_into`] at a byte `i` that its ASCII fast path does not take (a
/// separator or a non-ASCII char): folds it into `out`, records its segment in `map`, and
/// returns the index after it.
#[inline]
fn fold_step(
    s: &str,
    i: usize,
    keep_case: bool,
    in_word: &mut bool,
    after_atomic: &mut bool,
    out: &mut String,
    map: &mut Option<&mut OffsetMap>,
) -> usize {
    let c = s[i..].chars().next().expect("index is on a char boundary");
    let clen = c.len_utf8();
    if is_separator(c) {
        // A whole run of whitespace and dashes becomes one separator.
        let run_end = separator_run_end(s, i);
        if run_end - i == 1 {
            if *after_atomic {
                push_linear(map, out.len(), i);
                *after_atomic = false;
            }
        } else {
            push_atomic(map, out.len(), i, run_end - i);
            *after_atomic = true;
        }
        out.push(SEP as char);
        *in_word = false;
        return run_end;
    }
    let before = out.len();
    if is_apostrophe(c) {
        out.push('\'');
        *in_word = false;
    } else if !is_invisible(c) {
        push_folded_char(c, keep_case, in_word, out);
    }
    let produced = &out[before..];
    let one_char_same_len = produced.len() == clen && produced.chars().nth(1).is_none();
    if one_char_same_len {
        // Same length and one char (e.g. `Ä` → `ä`, `北` → `北`): positions map linearly,
        // which keeps unchanged scripts cheap.
        if *after_atomic || !linear_continues(map, before, i) {
            push_linear(map, before, i);
            *after_atomic = false;
        }
    } else {
        push_atomic(map, before, i, clen);
        *after_atomic = true;
    }
    i + clen
}

/// [`ASCII_CLASS`] bit: an ASCII byte that folds to itself up to case, with no map entry (any
/// ASCII byte but `-` and ASCII whitespace).
const PLAIN: u8 = 1;
/// [`ASCII_CLASS`] bit: an ASCII letter or digit, after which a letter is inside a word.
const ALNUM: u8 = 2;

/// The class bits of every byte value for [`fold_ascii_run`]: one table load per byte instead
/// of a chain of comparisons. Bytes from 0x80 up have no bits (they start or continue a
/// non-ASCII char, which [`fold_step`] takes).
static ASCII_CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 0x80 {
        let byte = b as u8;
        if byte != b'-' && !byte.is_ascii_whitespace() {
            table[b] |= PLAIN;
        }
        if byte.is_ascii_alphanumeric() {
            table[b] |= ALNUM;
        }
        b += 1;
    }
    table
};

/// A byte as [`fold_ascii_run`] writes it: `CASED[0]` at a word start (upper-cased),
/// `CASED[1]` inside a word (lower-cased); bytes other than ASCII letters unchanged.
static CASED: [[u8; 256]; 2] = {
    let mut table = [[0; 256]; 2];
    let mut b = 0;
    while b < 256 {
        table[0][b] = (b as u8).to_ascii_uppercase();
        table[1][b] = (b as u8).to_ascii_lowercase();
        b += 1;
    }
    table
};

fn is_plain(b: u8) -> bool {
    ASCII_CLASS[b as usize] & PLAIN != 0
}

/// Whether a run of [`fold_ascii_run`] starts at `i`: a plain byte, or a single space before
/// one.
fn starts_ascii_run(bytes: &[u8], i: usize) -> bool {
    let b = bytes[i];
    is_plain(b) || (b == b' ' && bytes.get(i + 1).is_some_and(|&n| is_plain(n)))
}

/// Folds the run of ASCII bytes from `i` that fold one to one without a map entry, in one
/// pass, appending it to `out`, and returns the run's end. The run holds plain bytes (any
/// ASCII byte but `-` and whitespace) and single spaces followed by a plain byte (a space
/// before another separator, or before a non-ASCII character that may be one, starts a
/// separator run, which [`fold_step`] merges). Unless `keep_case`, letters are lower-cased,
/// but upper-cased at a word start (`in_word` false); `in_word` is left as after the run's
/// last byte.
#[inline]
fn fold_ascii_run(
    bytes: &[u8],
    mut i: usize,
    keep_case: bool,
    in_word: &mut bool,
    out: &mut String,
) -> usize {
    let mut word = *in_word;
    // SAFETY: `as_mut_vec` requires the bytes to stay UTF-8. Only ASCII bytes are pushed
    // below (plain bytes are below 0x80, their ASCII case change stays below 0x80, and the
    // space), and ASCII appended to UTF-8 is UTF-8; nothing else reads `out` meanwhile.
    // (`String::push` would re-derive each char's UTF-8 length: the fold stage measured 101
    // against 90 ms on the BBC + Reuters bench.)
    let out = unsafe { out.as_mut_vec() };
    // Eight bytes at a time while a whole chunk is in the run: every byte plain or a space,
    // no two spaces together and no space last (so each space is followed by a plain byte,
    // as the byte loop below requires). Casing is a table lookup per byte, into a buffer
    // appended once: the branches and the capacity check of a push per byte were most of
    // this stage's time.
    while let Some(chunk) = bytes.get(i..i + 8) {
        let chunk: &[u8; 8] = chunk.try_into().expect("8 bytes");
        let (mut plain, mut spaces) = (0u32, 0u32);
        for (k, &b) in chunk.iter().enumerate() {
            plain |= u32::from(ASCII_CLASS[b as usize] & PLAIN != 0) << k;
            spaces |= u32::from(b == b' ') << k;
        }
        if plain | spaces != 0xFF || spaces & (spaces >> 1) != 0 || spaces & 0x80 != 0 {
            break;
        }
        if keep_case {
            out.extend_from_slice(chunk);
            word = ASCII_CLASS[chunk[7] as usize] & ALNUM != 0;
        } else {
            let mut cased = [0u8; 8];
            for (c, &b) in cased.iter_mut().zip(chunk) {
                *c = CASED[usize::from(word)][b as usize];
                word = ASCII_CLASS[b as usize] & ALNUM != 0;
            }
            out.extend_from_slice(&cased);
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        let class = ASCII_CLASS[b as usize];
        if class & PLAIN != 0 {
            out.push(if keep_case {
                b
            } else if word {
                b.to_ascii_lowercase()
            } else {
                b.to_ascii_uppercase()
            });
            word = class & ALNUM != 0;
        } else if b == b' ' && bytes.get(i + 1).is_some_and(|&n| is_plain(n)) {
            out.push(b' ');
            word = false;
        } else {
            break;
        }
        i += 1;
    }
    *in_word = word;
    i
}

/// Whether the current linear segment already maps `folded` to `orig`.
fn linear_continues(map: &Option<&mut OffsetMap>, folded: usize, orig: usize) -> bool {
    match map {
        None => true,
        Some(m) => {
            let s = m.segments.last().expect("map starts with one segment");
            s.orig_len == LINEAR && s.orig as usize + (folded - s.folded as usize) == orig
        }
    }
}

fn push_linear(map: &mut Option<&mut OffsetMap>, folded: usize, orig: usize) {
    if let Some(m) = map {
        m.segments.push(Segment {
            folded: folded as u32,
            orig: orig as u32,
            orig_len: LINEAR,
        });
    }
}

fn push_atomic(map: &mut Option<&mut OffsetMap>, folded: usize, orig: usize, orig_len: usize) {
    if let Some(m) = map {
        m.segments.push(Segment {
            folded: folded as u32,
            orig: orig as u32,
            orig_len: orig_len as u32,
        });
    }
}

/// The end of the run of separator characters starting at `i`.
fn separator_run_end(s: &str, mut i: usize) -> usize {
    let bytes = s.as_bytes();
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b == b'-' || b.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            break;
        }
        let c = s[i..].chars().next().expect("char boundary");
        if is_separator(c) {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

/// Folds one non-ASCII, non-separator character: NFKD, combining marks dropped, then full
/// case folding (unless `keep_case`). Separators or apostrophes produced by the
/// decomposition are normalized like their originals.
fn push_folded_char(c: char, keep_case: bool, in_word: &mut bool, out: &mut String) {
    let decomposed = std::iter::once(c).nfkd().filter(|&d| !is_combining_mark(d));
    let mut push = |d: char| {
        if is_separator(d) {
            out.push(SEP as char);
            *in_word = false;
        } else if is_apostrophe(d) {
            out.push('\'');
            *in_word = false;
        } else {
            out.push(if !keep_case && !*in_word {
                d.to_ascii_uppercase()
            } else {
                d
            });
            *in_word = is_word_char(d) && !is_unspaced(d);
        }
    };
    if keep_case {
        decomposed.for_each(&mut push);
    } else {
        decomposed.default_case_fold().for_each(&mut push);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(s: &str) -> Folded {
        let mut f = Folded::default();
        f.fold(s);
        f
    }

    /// [`MAX_DOCUMENT_BYTES`] rests on this bound: no character folds to more than
    /// [`MAX_FOLD_GROWTH`] bytes per byte of its own (in a word or at its start).
    #[test]
    fn no_character_folds_to_more_than_max_fold_growth_bytes_per_byte() {
        let mut most = (0, 'a');
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for before in ["", "a"] {
                let text = format!("{before}{c}");
                let grown = fold(&text).as_str().len() - before.len();
                if grown * 100 / c.len_utf8() > most.0 {
                    most = (grown * 100 / c.len_utf8(), c);
                }
                assert!(
                    grown <= MAX_FOLD_GROWTH * c.len_utf8(),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
        assert_eq!(most, (1100, '\u{FDFA}'), "the bound is tight");
    }

    #[test]
    fn leading_articles() {
        for (alias, len) in [
            ("the Netherlands", 4),
            ("THE  NETHERLANDS", 4),
            ("The-Hague", 4),
            ("the Ålands", 4),
            ("The", 0),
            ("Thebes", 0),
            ("Theo Walcott", 0),
            ("the 's", 0),
            ("Kingdom of the Netherlands", 0),
        ] {
            assert_eq!(leading_article(&fold_str(alias)), len, "{alias:?}");
        }
    }

    #[test]
    fn word_boundaries() {
        let f = "o'brien met sana'a in beijing's 北京市";
        let at = |s: &str| f.find(s).unwrap();
        assert!(is_word_start(f, 0) && is_word_end(f, f.len()));
        assert!(!is_word_start(f, at("brien")));
        assert!(is_word_start(f, at("met")) && is_word_end(f, at(" met")));
        assert!(!is_word_end(f, at("'a")));
        assert!(is_word_end(f, at("'s")));
        assert!(!is_word_start(f, at("eijing")) && !is_word_end(f, at("jing")));
        // Each ideograph is its own word.
        assert!(is_word_start(f, at("京")) && is_word_end(f, at("市")));
    }

    /// (original, folded)
    const FOLDS: &[(&str, &str)] = &[
        ("Lee Jae-myung", "Lee Jae Myung"),
        ("LEE JAE\u{2011}MYUNG", "Lee Jae Myung"),
        ("Lee  Jae\n\tmyung", "Lee Jae Myung"),
        ("Lee \u{2014} Jae", "Lee Jae"),
        ("Nicolás", "Nicolas"),
        ("Nicola\u{301}s", "Nicolas"),
        ("Sana’a", "Sana'A"),
        ("Sana\u{2018}a", "Sana'A"),
        ("Straße", "Strasse"),
        ("ﬁnance", "Finance"),
        ("İstanbul", "Istanbul"),
        ("北京", "北京"),
        ("a\u{00A0}b", "A B"),
        ("co\u{00AD}op", "Coop"),
        ("U.S.", "U.S."),
        ("", ""),
    ];

    #[test]
    fn folds() {
        for &(orig, want) in FOLDS {
            assert_eq!(fold(orig).as_str(), want, "folding {orig:?}");
            assert_eq!(fold_str(orig), want.trim(), "fold_str {orig:?}");
        }
    }

    #[test]
    fn keep_case_folds_everything_but_case() {
        assert_eq!(fold_str_keep_case("U.S."), "U.S.");
        assert_eq!(fold_str_keep_case("Nicolás  MADURO"), "Nicolas MADURO");
        assert_eq!(fold_str_keep_case("LEE JAE‑MYUNG"), "LEE JAE MYUNG");
    }

    /// Every folded substring that corresponds to whole folded characters maps back to the
    /// original text that produced it.
    #[test]
    fn maps_back_to_original() {
        let text = "BEIJING — Nicolás’s ﬁrst  visit to 北京, Straße";
        let f = fold(text);
        let folded = f.as_str();
        for (needle, surface) in [
            ("Beijing", "BEIJING"),
            ("Nicolas", "Nicolás"),
            ("Nicolas'S", "Nicolás’s"),
            ("First", "ﬁrst"),
            ("Visit To 北京", "visit to 北京"),
            ("Strasse", "Straße"),
            ("Beijing Nicolas", "BEIJING — Nicolás"),
        ] {
            let s = folded.find(needle).unwrap();
            let e = s + needle.len();
            let (os, oe) = (f.map().start(s), f.map().end(e));
            assert_eq!(&text[os..oe], surface, "mapping back {needle:?}");
        }
    }

    #[test]
    fn ascii_text_needs_one_segment() {
        let f = fold("The U.S. President met Mr. Lee on Jan. 6 in Washington.\nThey talked.");
        assert_eq!(f.map.segments.len(), 1);
    }

    /// The fold as it was before ASCII runs were copied whole (one byte in, one byte out):
    /// the oracle for the fast path in [`fold_into`]. Only the ASCII handling is its own;
    /// every other byte takes the shared [`fold_step`], which the fast path does not touch.
    fn fold_into_reference(
        s: &str,
        keep_case: bool,
        out: &mut String,
        mut map: Option<&mut OffsetMap>,
    ) {
        let bytes = s.as_bytes();
        let mut i = 0;
        // True when the last segment pushed was atomic, so the next identity byte must start a
        // new linear segment.
        let mut after_atomic = false;
        // Whether the last folded char is a word char that joins the next one into a word.
        let mut in_word = false;

        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 && !(b == b'-' || b.is_ascii_whitespace()) {
                // ASCII fast path: one byte in, one byte out.
                if after_atomic {
                    push_linear(&mut map, out.len(), i);
                    after_atomic = false;
                }
                out.push(if keep_case {
                    b as char
                } else if in_word {
                    b.to_ascii_lowercase() as char
                } else {
                    b.to_ascii_uppercase() as char
                });
                in_word = b.is_ascii_alphanumeric();
                i += 1;
                continue;
            }
            i = fold_step(
                s,
                i,
                keep_case,
                &mut in_word,
                &mut after_atomic,
                out,
                &mut map,
            );
        }
    }

    /// Pieces of ASCII-heavy text for [`ascii_heavy_text_folds_as_reference`]: words in
    /// every case, digits, single and double spaces, hyphens, apostrophes, other ASCII
    /// punctuation and control bytes, and non-ASCII characters that fold to a separator,
    /// change length, or stay as they are.
    const ASCII_HEAVY_PIECES: &[&str] = &[
        "a", "Z", "word", "Word", "WORD", "mIxEd", "x1", "42", "3.5", "0", " ", " ", "  ", "   ",
        "-", "--", " - ", "'", "'s", "O'", ".", ",", "(", ")", "\"", "U.S.", "\n", "\t", "\r\n",
        "\u{b}", "\u{c}", "\u{0}", "\u{7f}", "é", "É", "’", "–", "—", "\u{a0}", "\u{ad}",
        "\u{301}", "ß", "ﬁ", "İ", "北京", "\u{200b}", "\u{3000}",
    ];

    fn ascii_heavy() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(proptest::sample::select(ASCII_HEAVY_PIECES), 0..80)
            .prop_map(|pieces| pieces.concat())
    }

    /// `fold_into` gives the text and the offset map `fold_into_reference` gives.
    fn folds_as_reference(
        text: &str,
        keep_case: bool,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let (mut fast, mut fast_map) = (String::new(), OffsetMap::default());
        let (mut slow, mut slow_map) = (String::new(), OffsetMap::default());
        fast_map.clear();
        slow_map.clear();
        fold_into(text, keep_case, &mut fast, Some(&mut fast_map));
        fold_into_reference(text, keep_case, &mut slow, Some(&mut slow_map));
        proptest::prop_assert_eq!(fast, slow);
        proptest::prop_assert_eq!(fast_map.segments, slow_map.segments);
        Ok(())
    }

    proptest::proptest! {
        /// The one-pass ASCII runs fold and map exactly as one byte at a time did, on text
        /// made mostly of the runs and the places where they start and stop.
        #[test]
        fn ascii_heavy_text_folds_as_reference(text in ascii_heavy(), keep_case: bool) {
            folds_as_reference(&text, keep_case)?;
            // Without a map, the same text.
            let mut unmapped = String::new();
            fold_into(&text, keep_case, &mut unmapped, None);
            let mut folded = String::new();
            fold_into_reference(&text, keep_case, &mut folded, None);
            proptest::prop_assert_eq!(unmapped, folded);
        }
    }

    proptest::proptest! {
        #[test]
        fn map_is_monotone_and_on_char_boundaries(text in "\\PC{0,40}|[a-zA-Z \\-–—’'\u{00A0}\u{301}ßﬁİ北\n]{0,40}") {
            let f = fold(&text);
            let folded = f.as_str();
            let (mut prev_start, mut prev) = (0, 0);
            for k in (0..=folded.len()).filter(|&k| folded.is_char_boundary(k)) {
                if k < folded.len() {
                    let s = f.map().start(k);
                    proptest::prop_assert!(text.is_char_boundary(s), "start({k}) = {s}");
                    proptest::prop_assert!(s >= prev_start, "start map not monotone");
                    prev_start = s;
                }
                let e = f.map().end(k);
                proptest::prop_assert!(text.is_char_boundary(e), "end({k}) = {e}");
                proptest::prop_assert!(e >= prev, "end map not monotone");
                prev = e;
            }
            // Alias folding and document folding agree.
            proptest::prop_assert_eq!(fold_str(&text), folded.trim_matches(' '));
        }

        /// The ASCII fast path folds and maps exactly as one byte at a time did.
        #[test]
        fn ascii_runs_fold_as_byte_at_a_time(
            text in "[a-zA-Z0-9 .,'\\-\n\t\u{00A0}\u{E9}\u{2013}]{0,60}|\\PC{0,30}",
            keep_case: bool,
        ) {
            folds_as_reference(&text, keep_case)?;
        }
    }
}
