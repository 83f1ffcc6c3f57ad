//! Text segmentation: paragraphs, sentences and word tokens as byte ranges.
//!
//! Entity co-occurrence is counted per window (sentence, paragraph or N tokens), so every
//! function here returns byte ranges into the caller's `&str` instead of copies: the tagger
//! already holds match offsets into the same text, and comparing ranges is cheaper than
//! re-searching substrings. All ranges
//!
//! * are byte offsets into the input, with both ends on `char` boundaries, so `&text[r]` never
//!   panics;
//! * come in text order and never overlap;
//! * are non-empty and trimmed: they start and end on non-whitespace (`char::is_whitespace`,
//!   i.e. Unicode `White_Space`, so NBSP and ideographic space count as whitespace), which keeps
//!   windows from depending on how much indentation or how many trailing blanks a source uses.
//!
//! Line endings: only `\n` ends a line; a `\r` before it is whitespace and is trimmed off, so
//! `\r\n` text behaves exactly like `\n` text. A lone `\r`, U+2028 and U+2029 are treated as
//! ordinary whitespace inside a line, not as line breaks.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// Sentence spans, in order, non-overlapping, covering only non-whitespace-trimmed sentence text
/// (leading/trailing whitespace excluded).
///
/// Whitespace inside a sentence, including the `\n` of a hard-wrapped line, is kept as is.
/// Every sentence lies inside exactly one paragraph of [`paragraphs`]: the text is first cut into
/// paragraphs, because in news a line break after a headline, byline or photo caption ends that
/// line's "sentence" even though it carries no full stop. Each paragraph is then split by
/// `sentencex` (English rules: abbreviations such as `Mr.`, `U.S.`, `Jan.`, `p.m.`, quotes and
/// parentheses do not end a sentence); a paragraph that `sentencex` provably keeps whole (no
/// terminator, no list marker) is taken as one sentence without the call. Every non-whitespace
/// character of a paragraph belongs to exactly one sentence: nothing is dropped.
///
/// One documented correction is applied on top of `sentencex` 0.1.33: a sentence is never allowed
/// to end on a personal title (`Ms.`, `Mr.`, `Dr.`, ... see `HONORIFICS`). `sentencex` reads
/// `Ms.` as the degree marker `MS` and splits `He met Ms. Park.` after `Ms.`, which would cut a
/// person's name out of its sentence window; a title always precedes a name, so the span is merged
/// with the next sentence of the same paragraph.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    // News averages roughly one sentence per 120 bytes; reserving avoids most regrowth.
    let mut out: Vec<Range<usize>> = Vec::with_capacity(text.len() / 128 + 1);
    for para in paragraph_spans(text) {
        if sentencex_keeps_whole(&text[para.clone()]) {
            // What `split_paragraph` would find, without the call: one sentence, the
            // paragraph, which is already trimmed and non-empty.
            out.push(para);
        } else {
            split_paragraph(text, para, &mut out);
        }
    }
    out
}

/// Appends the sentences `sentencex` finds in the paragraph `text[para]`, trimmed, with the
/// title correction of [`sentences`].
fn split_paragraph(text: &str, para: Range<usize>, out: &mut Vec<Range<usize>>) {
    let para_text = &text[para.clone()];
    // The sentence just pushed ends on a title, so the next span continues it.
    let mut continue_last = false;
    // `is_paragraph_break` separators cannot occur here (a paragraph never contains a blank
    // line), but skipping them keeps us correct should `sentencex` ever flag other runs.
    for b in sentencex::get_sentence_boundaries("en", para_text)
        .iter()
        .filter(|b| !b.is_paragraph_break)
    {
        // `b.text` is `para_text[b.start_byte..b.end_byte]` and usually carries the
        // whitespace that follows the sentence; trim it without allocating.
        let Some(local) = trim_range(para_text, b.start_byte..b.end_byte) else {
            continue; // whitespace-only boundary
        };
        let span = para.start + local.start..para.start + local.end;
        match out.last_mut() {
            Some(last) if continue_last => last.end = span.end,
            _ => out.push(span),
        }
        continue_last = ends_with_honorific(&para_text[local]);
    }
}

/// Non-ASCII punctuation common in news that `sentencex` 0.1.33 neither ends a sentence on
/// nor takes for a list marker (so [`sentencex_keeps_whole`] may let it through): quotes,
/// dashes, currency and a few other signs. The test
/// `characters_the_fast_path_lets_through_split_nothing` checks each against `sentencex`.
const INERT_PUNCTUATION: &[char] = &[
    '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2013}', '\u{2014}', '\u{AB}', '\u{BB}',
    '\u{A3}', '\u{20AC}', '\u{A5}', '\u{A2}', '\u{B0}', '\u{A7}', '\u{A9}', '\u{AE}', '\u{2122}',
    '\u{D7}', '\u{B1}', '\u{B7}', '\u{2032}', '\u{2033}',
];

/// True only when `sentencex` 0.1.33 (English) provably returns `paragraph` whole, as one
/// sentence, so [`sentences`] may skip the call; false says nothing. `paragraph` must be
/// non-empty and hold no paragraph break of `sentencex` (`\n`, any `\r`s, `\n`), as every
/// paragraph of [`paragraph_spans`] is.
///
/// `sentencex` splits a paragraph in two ways only (`collect_sentence_breaks` in its
/// `languages/language.rs`): after a match of its terminator regex (`.`, `!`, `?`, the Unicode
/// STerm and ATerm characters of `GLOBAL_SENTENCE_TERMINATORS`, runs with `…`), and before
/// each item of a list that `detect_list_items` (`languages/list_markers.rs`) accepts, unless
/// the item starts at offset 0. A list marker needs `.` (`1.`, `a.`, `ii.`), `)` (`1)`, `a)`,
/// `ii)`, `(1)`), a Unicode bullet (`•`, `◦`, `▪`, ...) or, at the start of a line, `*`, `+`
/// or `-`.
///
/// So this holds when the paragraph has no `.`, `!`, `?` or `)`, no line after the first
/// that starts (after spaces and tabs, as `sentencex` strips) with `*`, `+` or `-`, and no
/// non-ASCII character but letters, digits (`char::is_alphanumeric`: no terminator or bullet
/// is one), whitespace and [`INERT_PUNCTUATION`]. Quotes, parentheses and e-mail addresses
/// only ever suppress a terminator's break, and there is none.
fn sentencex_keeps_whole(paragraph: &str) -> bool {
    let bytes = paragraph.as_bytes();
    // Most paragraphs hold a full stop, mostly early: `contains` finds it with core's
    // word-at-a-time `memchr`, before the byte loop below.
    if bytes.contains(&b'.') {
        return false;
    }
    let mut i = 0;
    loop {
        let Some(skip) = bytes[i..]
            .iter()
            .position(|&b| KEEPS_WHOLE_SCAN[b as usize] != 0)
        else {
            return true;
        };
        i += skip;
        match KEEPS_WHOLE_SCAN[bytes[i] as usize] {
            SPLITS => return false,
            LINE_BREAK => {
                let line_start = bytes[i + 1..].iter().find(|&&n| n != b' ' && n != b'\t');
                if matches!(line_start, Some(b'*' | b'+' | b'-')) {
                    return false;
                }
                i += 1;
            }
            _ => {
                let c = paragraph[i..]
                    .chars()
                    .next()
                    .expect("non-ASCII bytes are skipped a whole char at a time");
                if !(c.is_alphanumeric() || c.is_whitespace() || INERT_PUNCTUATION.contains(&c)) {
                    return false;
                }
                i += c.len_utf8();
            }
        }
    }
}

/// [`KEEPS_WHOLE_SCAN`]: an ASCII byte that may split a paragraph (`.`, `!`, `?`, `)`).
const SPLITS: u8 = 1;
/// [`KEEPS_WHOLE_SCAN`]: `\n`, after which a line may start with a list bullet.
const LINE_BREAK: u8 = 2;
/// [`KEEPS_WHOLE_SCAN`]: a byte of a non-ASCII char, which is decoded and looked at.
const NON_ASCII: u8 = 3;

/// What [`sentencex_keeps_whole`] does with each byte value; 0 for the bytes it passes over.
static KEEPS_WHOLE_SCAN: [u8; 256] = {
    let mut table = [0; 256];
    table[b'.' as usize] = SPLITS;
    table[b'!' as usize] = SPLITS;
    table[b'?' as usize] = SPLITS;
    table[b')' as usize] = SPLITS;
    table[b'\n' as usize] = LINE_BREAK;
    let mut b = 0x80;
    while b < 0x100 {
        table[b] = NON_ASCII;
        b += 1;
    }
    table
};

/// Paragraph spans, in order, non-overlapping, covering only non-whitespace-trimmed paragraph
/// text (leading/trailing whitespace excluded).
///
/// What counts as a break:
/// * a blank line (a line holding only whitespace), as in most web and wire text;
/// * a single line break, because headlines, datelines, bylines and captions are one line each
///   and usually lack final punctuation: only the line break tells them apart from the body;
/// * except when the next line's first non-whitespace character is a lower-case letter
///   (`char::is_lowercase`): that line continues a hard-wrapped paragraph (Reuters-style text
///   wrapped at a fixed column), since a new paragraph or headline does not begin in lower case.
///
/// So a wrapped line starting with a capital, a digit or a quote mark (`...early\nJanuary and`)
/// still starts a new paragraph; this is the price of the rule, accepted because over-splitting
/// such a line costs less than gluing a headline onto the first body sentence.
pub fn paragraphs(text: &str) -> Vec<Range<usize>> {
    paragraph_spans(text).collect()
}

/// Word tokens (UAX#29 words via `unicode_segmentation::UnicodeSegmentation::unicode_word_indices`),
/// as byte ranges, in order, non-overlapping.
///
/// These are the units of an N-token window. UAX#29 keeps `Nicolás`, `President's`, `3.50` and
/// `b.com` whole, splits `co-op` into `co` and `op`, gives `U.S` (without its final period) and
/// yields each Han character of `北京` separately; punctuation and whitespace are not tokens.
pub fn word_tokens(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    text.unicode_word_indices()
        .map(|(start, word)| start..start + word.len())
}

/// Titles that always precede a name, so a sentence can never end on one (see [`sentences`]).
/// Matched case-sensitively against the last word of a sentence, without its period: `MS.`
/// (Microsoft, multiple sclerosis) and `Dr.` in all caps are left alone. `St.`, `No.` and
/// military ranks stay out because they also end sentences (`Downing St.`) or `sentencex`
/// already handles them.
const HONORIFICS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Mx", "Messrs", "Mses", "Mmes", "Dr", "Prof",
];

/// True when `sentence` (already trimmed) ends with a title from [`HONORIFICS`] and its period.
fn ends_with_honorific(sentence: &str) -> bool {
    let Some(head) = sentence.strip_suffix('.') else {
        return false;
    };
    // The title is the last whitespace-separated word, minus any opening bracket or quote
    // (`(Ms.`, `“Dr.`) directly before it.
    let word = head
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or(head)
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    HONORIFICS.contains(&word)
}

/// `range` within `s` shrunk to exclude leading and trailing whitespace, or `None` if nothing
/// else is left. Slicing at `trim` results keeps both ends on char boundaries.
fn trim_range(s: &str, range: Range<usize>) -> Option<Range<usize>> {
    let slice = &s[range.clone()];
    let start_trimmed = slice.trim_start();
    let trimmed = start_trimmed.trim_end();
    if trimmed.is_empty() {
        return None;
    }
    let start = range.start + (slice.len() - start_trimmed.len());
    Some(start..start + trimmed.len())
}

/// Lazy single pass over the lines of `text` implementing the paragraph rule of [`paragraphs`].
/// [`sentences`] consumes it directly so that no intermediate `Vec` of paragraphs is built.
fn paragraph_spans(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut lines = text.split_inclusive('\n');
    let mut line_start = 0;
    // The paragraph being grown, waiting for a line that does not continue it.
    let mut open: Option<Range<usize>> = None;
    std::iter::from_fn(move || {
        for line in lines.by_ref() {
            let start = line_start;
            line_start += line.len();
            // `trim` also removes the line's own `\r\n` / `\n`.
            let content_from = line.trim_start();
            let content = content_from.trim_end();
            if content.is_empty() {
                // Blank line: always a break.
                if let Some(done) = open.take() {
                    return Some(done);
                }
                continue;
            }
            let content_start = start + (line.len() - content_from.len());
            let span = content_start..content_start + content.len();
            match open.as_mut() {
                Some(para) if content.starts_with(char::is_lowercase) => para.end = span.end,
                _ => {
                    if let Some(done) = open.replace(span) {
                        return Some(done);
                    }
                }
            }
        }
        open.take()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// (input, expected sentences). Each expected string is compared with `&input[range]`, which
    /// checks the byte offsets as well as the split points.
    const SENTENCE_CASES: &[(&str, &[&str])] = &[
        ("", &[]),
        ("  \n\t \r\n ", &[]),
        ("No final stop", &["No final stop"]),
        (
            "The U.S. President met Mr. Lee on Jan. 6 in Washington. They talked.",
            &[
                "The U.S. President met Mr. Lee on Jan. 6 in Washington.",
                "They talked.",
            ],
        ),
        (
            "Dr. Smith arrived at 5 p.m. yesterday. He left.",
            &["Dr. Smith arrived at 5 p.m. yesterday.", "He left."],
        ),
        (
            "“I will go,” he said. Then he went.",
            &["“I will go,” he said.", "Then he went."],
        ),
        (
            "\"I will go,\" he said. Then he went.",
            &["\"I will go,\" he said.", "Then he went."],
        ),
        (
            "“Is it?” he asked. “Yes.”",
            &["“Is it?” he asked.", "“Yes.”"],
        ),
        (
            "SEOUL, Feb 3 — The visiting premier met President Lee on Monday. They took a selfie.",
            &[
                "SEOUL, Feb 3 — The visiting premier met President Lee on Monday.",
                "They took a selfie.",
            ],
        ),
        (
            "He said — after a pause — that it was over. Nicolás agreed.",
            &[
                "He said — after a pause — that it was over.",
                "Nicolás agreed.",
            ],
        ),
        (
            "Officials in 北京 said it’s done. “We’re happy,” said Mr. Wang.",
            &[
                "Officials in 北京 said it’s done.",
                "“We’re happy,” said Mr. Wang.",
            ],
        ),
        // Headline, blank line, body: the headline is its own sentence.
        (
            "Leaders swap gifts in Seoul\n\nThe two leaders met on Monday. They spoke for an hour.",
            &[
                "Leaders swap gifts in Seoul",
                "The two leaders met on Monday.",
                "They spoke for an hour.",
            ],
        ),
        // A single line break after a headline or dateline also ends it, with CRLF too.
        (
            "Leaders swap gifts\r\nBy Jane Doe\r\n  The two leaders met. They spoke.\r\n",
            &[
                "Leaders swap gifts",
                "By Jane Doe",
                "The two leaders met.",
                "They spoke.",
            ],
        ),
        // Hard wrap before a lower-case word keeps the sentence whole (span includes the `\n`).
        (
            "Showers continued in\nthe cocoa zone, traders said.\n    Prices rose.",
            &[
                "Showers continued in\nthe cocoa zone, traders said.",
                "Prices rose.",
            ],
        ),
        // Post-rule: sentencex 0.1.33 splits after `Ms.`; a title never ends a sentence.
        (
            "Ms. Park left. Ms. Kim stayed. He met Ms. Ünal.",
            &["Ms. Park left.", "Ms. Kim stayed.", "He met Ms. Ünal."],
        ),
        (
            "Mr. Lee met Mrs. Kim and Ms. Park. St. Louis is far.",
            &["Mr. Lee met Mrs. Kim and Ms. Park.", "St. Louis is far."],
        ),
        (
            "It was in the U.S. The talks ended.",
            &["It was in the U.S.", "The talks ended."],
        ),
        (
            "Samsung Electronics Co. Ltd. said profit rose 3.5%. Shares fell.",
            &[
                "Samsung Electronics Co. Ltd. said profit rose 3.5%.",
                "Shares fell.",
            ],
        ),
    ];

    #[test]
    fn sentence_table() {
        for (input, expected) in SENTENCE_CASES {
            let got: Vec<&str> = sentences(input).into_iter().map(|r| &input[r]).collect();
            assert_eq!(&got, expected, "input: {input:?}");
        }
    }

    /// (input, expected paragraphs).
    const PARAGRAPH_CASES: &[(&str, &[&str])] = &[
        ("", &[]),
        ("\n\n \n", &[]),
        ("One line", &["One line"]),
        ("  padded  \n", &["padded"]),
        (
            "Headline\nBody starts here.",
            &["Headline", "Body starts here."],
        ),
        ("A para.\n\n\nB para.", &["A para.", "B para."]),
        ("A para.\n \t \nB para.", &["A para.", "B para."]),
        ("A para.\r\n\r\nB para.\r\n", &["A para.", "B para."]),
        (
            "wrapped at\nthe column\nand\r\nagain",
            &["wrapped at\nthe column\nand\r\nagain"],
        ),
        // Lower-case continuation only joins to a non-blank previous line.
        ("First.\n\nlower start", &["First.", "lower start"]),
        ("lower first\nline", &["lower first\nline"]),
        // Unicode lower case (é) counts; a digit or quote does not.
        ("Wrapped\nétait là", &["Wrapped\nétait là"]),
        ("Rose to\n5.93 mln", &["Rose to", "5.93 mln"]),
        (
            "Headline\n“Quote,” he said.",
            &["Headline", "“Quote,” he said."],
        ),
        ("\u{a0}北京\u{3000}\nNicolás", &["北京", "Nicolás"]),
    ];

    #[test]
    fn paragraph_table() {
        for (input, expected) in PARAGRAPH_CASES {
            let got: Vec<&str> = paragraphs(input).into_iter().map(|r| &input[r]).collect();
            assert_eq!(&got, expected, "input: {input:?}");
        }
    }

    #[test]
    fn word_tokens_are_uax29_words() {
        let text = "Nicolás met the U.S. envoy in 北京 — it’s a co-op.";
        let got: Vec<&str> = word_tokens(text).map(|r| &text[r]).collect();
        assert_eq!(
            got,
            [
                "Nicolás", "met", "the", "U.S", "envoy", "in", "北", "京", "it’s", "a", "co", "op"
            ]
        );
    }

    #[test]
    fn honorific_detection() {
        assert!(ends_with_honorific("He met Ms."));
        assert!(ends_with_honorific("(Dr."));
        assert!(ends_with_honorific("Mr."));
        assert!(!ends_with_honorific("He has MS."));
        assert!(!ends_with_honorific("He lives on Downing St."));
        assert!(!ends_with_honorific("Mr"));
        assert!(!ends_with_honorific("Hmr."));
    }

    /// `sentencex` chunks inputs over 10 KB at blank lines and rebases offsets; a paragraph never
    /// holds a blank line, but check long single- and multi-paragraph input all the same.
    #[test]
    fn long_text_offsets() {
        let unit = "Nicolás met Mr. Lee in 北京 on Jan. 6. “It’s done,” he said — twice.";
        let one_para = [unit; 300].join(" ");
        let many_paras = [one_para.as_str(); 3].join("\n\n");
        assert!(one_para.len() > 10 * 1024);
        for text in [&one_para, &many_paras] {
            check_all(text);
            let got = sentences(text);
            assert_eq!(got.len(), 600 * text.matches(unit).count() / 300);
            for (i, r) in got.iter().enumerate() {
                let want = if i % 2 == 0 {
                    "Nicolás met Mr. Lee in 北京 on Jan. 6."
                } else {
                    "“It’s done,” he said — twice."
                };
                assert_eq!(&text[r.clone()], want);
            }
        }
    }

    /// Checks the shared contract: non-empty, ordered, non-overlapping, in bounds, on char
    /// boundaries.
    fn check_spans(text: &str, spans: &[Range<usize>], what: &str) {
        let mut prev_end = 0;
        for r in spans {
            assert!(r.start < r.end, "{what}: empty span {r:?} in {text:?}");
            assert!(
                prev_end <= r.start,
                "{what}: overlap/order at {r:?} in {text:?}"
            );
            assert!(
                r.end <= text.len(),
                "{what}: out of bounds {r:?} in {text:?}"
            );
            assert!(
                text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
                "{what}: not on char boundary {r:?} in {text:?}"
            );
            prev_end = r.end;
        }
    }

    fn check_trimmed(text: &str, spans: &[Range<usize>], what: &str) {
        for r in spans {
            let s = &text[r.clone()];
            assert_eq!(s, s.trim(), "{what}: untrimmed span {r:?} in {text:?}");
        }
    }

    /// Every non-whitespace char of `text` lies in some span: nothing is silently dropped.
    fn check_covers_non_whitespace(text: &str, spans: &[Range<usize>], what: &str) {
        let mut it = spans.iter().peekable();
        for (i, c) in text.char_indices() {
            while it.peek().is_some_and(|r| r.end <= i) {
                it.next();
            }
            if !c.is_whitespace() {
                assert!(
                    it.peek().is_some_and(|r| r.start <= i),
                    "{what}: char {c:?} at {i} not covered in {text:?}"
                );
            }
        }
    }

    fn check_all(text: &str) {
        let paras = paragraphs(text);
        let sents = sentences(text);
        let words: Vec<_> = word_tokens(text).collect();
        check_spans(text, &paras, "paragraphs");
        check_spans(text, &sents, "sentences");
        check_spans(text, &words, "word_tokens");
        check_trimmed(text, &paras, "paragraphs");
        check_trimmed(text, &sents, "sentences");
        check_covers_non_whitespace(text, &paras, "paragraphs");
        check_covers_non_whitespace(text, &sents, "sentences");
        // Each sentence lies inside one paragraph (both lists are sorted: walk them together).
        let mut p = paras.iter().peekable();
        for s in &sents {
            while p.peek().is_some_and(|r| r.end <= s.start) {
                p.next();
            }
            let para = p
                .peek()
                .unwrap_or_else(|| panic!("sentence {s:?} after last paragraph"));
            assert!(
                para.start <= s.start && s.end <= para.end,
                "sentence {s:?} not inside paragraph {para:?} in {text:?}"
            );
        }
    }

    /// News-like fragments, so generated text reaches the abbreviation, quote and wrap logic
    /// and not only random code points.
    const FRAGMENTS: &[&str] = &[
        "Mr.", "Ms.", "Dr.", "U.S.", "Jan.", "p.m.", "Co.", "Lee", "said", "the", "he", "北京",
        "Nicolás", "it’s", "“", "”", "\"", "'", "—", "(", ")", ".", "...", "…", "!", "?", ",", " ",
        " ", " ", "\n", "\n\n", "\r\n", "\n  ", "\t", "\u{a0}", "\u{3000}", "\r", "3.5", "e.g.",
        "é", "A.", "J. R.", "[1]", "1.", "- ", "* ", "a@b.com",
    ];

    fn newsish() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80).prop_map(|v| v.concat())
    }

    /// [`sentences`] as it was before the fast path: every paragraph through `sentencex`
    /// ([`split_paragraph`]). The oracle for [`sentencex_keeps_whole`].
    fn sentences_reference(text: &str) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::with_capacity(text.len() / 128 + 1);
        for para in paragraph_spans(text) {
            split_paragraph(text, para, &mut out);
        }
        out
    }

    /// Checks `sentences` against the reference, and that every paragraph the fast path
    /// takes is one sentence to `sentencex` itself.
    fn check_fast_path(text: &str) -> Result<(), TestCaseError> {
        prop_assert_eq!(
            sentences(text),
            sentences_reference(text),
            "text: {:?}",
            text
        );
        for para in paragraph_spans(text) {
            let p = &text[para];
            if sentencex_keeps_whole(p) {
                let whole: Vec<(usize, usize)> = sentencex::get_sentence_boundaries("en", p)
                    .iter()
                    .map(|b| (b.start_byte, b.end_byte))
                    .collect();
                prop_assert_eq!(whole, vec![(0, p.len())], "paragraph: {:?}", p);
            }
        }
        Ok(())
    }

    #[test]
    fn fast_path_takes_plain_lines_only() {
        for p in [
            "Leaders swap gifts in Seoul",
            "By Jane Doe, Seoul",
            "Nicolás Maduro’s “new” era — in 北京",
            "Profit up 5% to £3bn\nand more",
            "- a lone leading bullet",
        ] {
            assert!(sentencex_keeps_whole(p), "{p:?}");
        }
        for p in [
            "One. Two",
            "Wow! Yes",
            "Why? Because",
            "It rose (sharply)",
            "• first • Second",
            "first\n- second",
            "first\n \t* second",
            "Wait… what",
            "終わり。次",
            "क्या। हाँ",
        ] {
            assert!(!sentencex_keeps_whole(p), "{p:?}");
        }
    }

    /// [`sentencex_keeps_whole`] is argued from the source of `sentencex` 0.1.33: another
    /// version must be read again (list markers, terminators) before this test is moved on.
    #[test]
    fn fast_path_was_checked_against_this_sentencex() {
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"))
            .expect("Cargo.lock");
        assert!(
            lock.contains("name = \"sentencex\"\nversion = \"0.1.33\"\n"),
            "sentencex is no longer 0.1.33: re-check sentencex_keeps_whole"
        );
    }

    /// Every character that [`sentencex_keeps_whole`] lets through, in two probes that would
    /// split if it were a terminator (`Xx{c} Yy`) or a list bullet (`{c} Aa {c} Bb`), stays one
    /// sentence in `sentencex`: a check that `INERT_PUNCTUATION` and `char::is_alphanumeric` /
    /// `char::is_whitespace` still keep out everything `sentencex` splits on (say after an
    /// upgrade). The probes are sentencex paragraphs of their own (blank lines between), one
    /// call in all.
    #[test]
    fn characters_the_fast_path_lets_through_split_nothing() {
        let through: Vec<char> = (0..=char::MAX as u32)
            .filter_map(char::from_u32)
            .filter(|&c| !matches!(c, '\n' | '\r'))
            .filter(|&c| sentencex_keeps_whole(&format!("x{c}x")))
            .collect();
        assert!(through.len() > 100_000, "{} characters", through.len());
        for probe in [
            |c: char| format!("Xx{c} Yy"),
            |c: char| format!("{c} Aa {c} Bb"),
        ] {
            // Where each probe starts: `sentencex` drops the blank line between the 10 KB
            // chunks it cuts long text into, so boundaries are checked against these.
            let mut starts = std::collections::HashSet::new();
            let mut text = String::new();
            for &c in &through {
                starts.insert(text.len());
                text += &probe(c);
                text += "\n\n";
            }
            let split: Vec<&str> = sentencex::get_sentence_boundaries("en", &text)
                .iter()
                .filter(|b| !b.is_paragraph_break && !starts.contains(&b.start_byte))
                .map(|b| b.text)
                .collect();
            assert!(
                split.is_empty(),
                "split: {:?}",
                &split[..split.len().min(20)]
            );
        }
    }

    /// New and old [`sentences`] agree on every document of the BBC and Reuters corpora
    /// in `../shared` (which CI provides beside the checkout: a missing file fails the test,
    /// as everywhere in this repository); prints how much of the text the fast path takes.
    #[test]
    fn fast_path_matches_reference_on_news_corpora() {
        use std::io::BufRead;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/news");
        let files = ["bbc-news-2225.jsonl.gz", "reuters21578.jsonl.gz"].map(|f| dir.join(f));
        if let Some(missing) = files.iter().find(|f| !f.exists()) {
            panic!(
                "{} missing: CI provides ../shared beside the checkout",
                missing.display()
            );
        }
        let (mut docs, mut paras, mut fast_paras, mut para_bytes, mut fast_bytes) = (0, 0, 0, 0, 0);
        for file in &files {
            let gz = flate2::read::GzDecoder::new(std::fs::File::open(file).unwrap());
            for line in std::io::BufReader::new(gz).lines() {
                let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
                let text = v["text"].as_str().unwrap();
                assert_eq!(
                    sentences(text),
                    sentences_reference(text),
                    "{}",
                    file.display()
                );
                docs += 1;
                for para in paragraph_spans(text) {
                    paras += 1;
                    para_bytes += para.len();
                    if sentencex_keeps_whole(&text[para.clone()]) {
                        fast_paras += 1;
                        fast_bytes += para.len();
                    }
                }
            }
        }
        println!(
            "fast path: {fast_paras} of {paras} paragraphs ({:.1}%), {fast_bytes} of {para_bytes} \
             paragraph bytes ({:.2}%), {docs} documents",
            100.0 * fast_paras as f64 / paras as f64,
            100.0 * fast_bytes as f64 / para_bytes as f64,
        );
    }

    /// Text where the fast path's conditions are met often and broken in every way:
    /// terminators of several scripts, list markers, quotes, parentheses, line breaks.
    const FAST_PATH_FRAGMENTS: &[&str] = &[
        "the", "said", "Lee", "Seoul", "he", "and", "北京", "Nicolás", "it’s", "42", "3", ",", ";",
        ":", " ", " ", " ", "  ", "\t", "\u{a0}", "\n", "\n", "\n\n", "\r\n", "\n  ", "\na",
        "\nthe ", "“", "”", "\"", "'", "‘", "’", "«", "»", "(", ")", "[", "]", "—", "–", "-", "£",
        ".", "!", "?", "…", "。", "।", "؟", "！", "？", "‼", "܁", "1.", "2.", "1)", "2)", "a)",
        "b)", "ii)", "(1)", "(a)", "a.", "- ", "* ", "+ ", "• ", "◦ ", "▪ ", "\n- ", "\n* ",
        "\n+ ", "\n • ", "\n1) ", "\na) ", "\n(b) ", "\n- x", "Mr.", "Ms.", "U.S.", "e.g.",
        "a@b.com",
    ];

    fn fast_path_text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(FAST_PATH_FRAGMENTS), 0..60)
            .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn contract_on_arbitrary_strings(text in any::<String>()) {
            check_all(&text);
        }

        #[test]
        fn contract_on_punctuated_unicode(
            text in "[a-zA-Z0-9 .!?,;:'\"()\\[\\]\n\r\t\u{a0}\u{2019}\u{201c}\u{201d}\u{2014}\u{2026}北京éÁ\u{2028}\u{3000}-]{0,300}"
        ) {
            check_all(&text);
        }

        #[test]
        fn contract_on_news_like_text(text in newsish()) {
            check_all(&text);
        }

        #[test]
        fn fast_path_matches_reference(text in fast_path_text()) {
            check_fast_path(&text)?;
        }

        /// The predicate alone, on any text without a `sentencex` paragraph break (not only
        /// this module's paragraphs, whose later lines start in lower case).
        #[test]
        fn fast_path_predicate_holds_on_raw_text(text in fast_path_text()) {
            for piece in text.split("\n\n").flat_map(|p| p.split("\n\r")) {
                if !piece.is_empty() && sentencex_keeps_whole(piece) {
                    let whole: Vec<(usize, usize)> = sentencex::get_sentence_boundaries("en", piece)
                        .iter()
                        .map(|b| (b.start_byte, b.end_byte))
                        .collect();
                    prop_assert_eq!(whole, vec![(0, piece.len())], "text: {:?}", piece);
                }
            }
        }

        #[test]
        fn fast_path_matches_reference_on_news_like_text(text in newsish()) {
            check_fast_path(&text)?;
        }

        #[test]
        fn fast_path_matches_reference_on_punctuated_unicode(
            text in "[a-zA-Z0-9 .!?,;:'\"()\\[\\]\n\r\t\u{a0}\u{2019}\u{201c}\u{201d}\u{2014}\u{2026}\u{2022}\u{3002}\u{964}北京éÁ*+-]{0,200}"
        ) {
            check_fast_path(&text)?;
        }
    }
}
