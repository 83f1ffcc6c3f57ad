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
/// parentheses do not end a sentence). Every non-whitespace character of a paragraph belongs to
/// exactly one sentence: nothing is dropped.
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
    out
}

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
    }
}
