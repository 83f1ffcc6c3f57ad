//! Checks of single aliases: common English words, short aliases, aliases that repeat another
//! of their row, and leading articles.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::{Al, Code, Ent, Finding, Level, finding};
use crate::fold::{SEP, fold_str, is_dash, is_unspaced, is_word_char, leading_article};
use crate::gazetteer::CaseRule;

/// The common English words, one per line after a `#` header: see the file for its source
/// and licence.
static COMMON_WORDS_TXT: &str = include_str!("../common_words.txt");

/// Whether `word` (compared in lower case) is in the embedded list of common English words.
pub fn is_common_word(word: &str) -> bool {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            COMMON_WORDS_TXT
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .collect()
        })
        .contains(lower_case(word, &mut [0; 64]).as_ref())
}

/// `word` in lower case: in `buf` when it is short ASCII (no allocation), else a new string.
fn lower_case<'a>(word: &'a str, buf: &'a mut [u8; 64]) -> std::borrow::Cow<'a, str> {
    if word.len() <= buf.len() && word.is_ascii() {
        let b = &mut buf[..word.len()];
        b.copy_from_slice(word.as_bytes());
        b.make_ascii_lowercase();
        std::borrow::Cow::Borrowed(std::str::from_utf8(b).expect("ASCII stays UTF-8"))
    } else {
        std::borrow::Cow::Owned(word.to_lowercase())
    }
}

/// Per-alias checks: common words, short aliases, redundant aliases, leading articles.
pub(super) fn check_aliases(ents: &[Ent], out: &mut Vec<Finding>) {
    for e in ents {
        let keeps_article = leading_article(&fold_str(e.name)) > 0;
        for (k, a) in e.aliases.iter().enumerate() {
            if leading_article(&a.fold) > 0 {
                out.push(leading_article_note(e, a, keeps_article));
            }
            let letters = a.text.chars().filter(|&c| is_word_char(c)).count();
            let unspaced = a.text.chars().any(is_unspaced);
            if a.rule != CaseRule::Exact && letters <= 2 && !unspaced {
                if a.weak {
                    out.push(finding(
                        a.path,
                        a.line,
                        Level::Note,
                        Code::ShortAlias,
                        format!(
                            "weak alias {:?} of {} has only {letters} letters: it counts only in documents that also name {} by a strong alias",
                            a.written(),
                            e.id,
                            e.id
                        ),
                    ));
                } else {
                    out.push(finding(
                        a.path,
                        a.line,
                        Level::Warning,
                        Code::ShortAlias,
                        format!(
                            "{} {:?} of {} has only {letters} letters and is not exact-case: any capitalized {:?} in a text is tagged as {}; {}",
                            if a.is_name { "name" } else { "strong alias" },
                            a.text,
                            e.id,
                            a.text,
                            e.id,
                            remedy(a)
                        ),
                    ));
                }
            }
            if !a.weak
                && a.rule != CaseRule::Exact
                && single_word(&a.fold)
                && is_common_word(&a.fold)
            {
                let word = a.fold.to_lowercase();
                let mut msg = format!(
                    "{} {:?} of {} is the common word {word:?}: capitalized at the start of a sentence or in a title it is tagged as {}",
                    if a.is_name { "name" } else { "alias" },
                    a.text,
                    e.id,
                    e.id
                );
                if a.rule == CaseRule::Insensitive {
                    msg.push_str(&format!(", and with case `insensitive` every {word:?} is"));
                }
                msg.push_str("; ");
                msg.push_str(&remedy(a));
                out.push(finding(
                    a.path,
                    a.line,
                    Level::Warning,
                    Code::CommonWord,
                    msg,
                ));
            }
            if let Some(b) = e.aliases[..k].iter().find(|b| {
                b.fold == a.fold
                    && b.weak == a.weak
                    && b.line == a.line
                    && b.path == a.path
                    && a.rule != CaseRule::Exact
                    && b.rule != CaseRule::Exact
            }) {
                out.push(redundant(e, a, b));
            }
        }
        for (a, kept) in &e.dropped {
            out.push(redundant(e, a, &e.aliases[*kept]));
        }
    }
}

/// Alias `a` of `e` starts with an article: what the tagger does with it.
fn leading_article_note(e: &Ent, a: &Al, keeps_article: bool) -> Finding {
    let text = a.text.trim();
    let (article, rest) = text
        .split_once(|c: char| c.is_whitespace() || is_dash(c))
        .unwrap_or((text, ""));
    let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || is_dash(c));
    let message = if keeps_article {
        format!(
            "alias {:?} of {} starts with the article {article:?}, as does the name {:?}: the article is part of the name and stays in mention spans",
            a.written(),
            e.id,
            e.name
        )
    } else {
        format!(
            "alias {:?} of {} starts with the article {article:?}: the text must have it, but it is matched as context and left out of mention spans ({rest:?}); {rest:?} alone matches only as an alias of its own",
            a.written(),
            e.id
        )
    };
    finding(a.path, a.line, Level::Note, Code::LeadingArticle, message)
}

/// Alias `a` of `e` matches the same text as `b`, on the same row.
fn redundant(e: &Ent, a: &Al, b: &Al) -> Finding {
    finding(
        a.path,
        a.line,
        Level::Note,
        Code::RedundantAlias,
        format!(
            "alias {:?} of {} matches the same text as {:?} on this row: folding ignores case, accents, hyphens and spacing, so it adds nothing",
            a.written(),
            e.id,
            b.written(),
        ),
    )
}

/// How to make a risky strong alias safe.
fn remedy(a: &Al) -> String {
    if a.is_name {
        "a name is always a strong alias: set the entity's `case` to `exact`, or give it a longer name and keep this one as a weak alias".to_string()
    } else {
        format!("mark it weak (~{t}) or exact-case (={t})", t = a.text)
    }
}

/// Whether a folded alias is a single word: letters only, no separator.
fn single_word(fold: &str) -> bool {
    !fold.is_empty() && !fold.contains(SEP as char) && fold.chars().all(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_are_embedded() {
        for w in [
            "march", "Most", "nice", "reading", "mobile", "split", "police", "bath", "of",
            "orange", "deal", "hope", "chad",
        ] {
            assert!(is_common_word(w), "{w}");
        }
        for w in ["china", "turkey", "beijing", "xiaomi", "lee", "#", ""] {
            assert!(!is_common_word(w), "{w}");
        }
        let n = COMMON_WORDS_TXT
            .lines()
            .filter(|l| !l.starts_with('#'))
            .count();
        assert!((10_000..=20_000).contains(&n), "{n} words");
        assert!(single_word("Nice") && !single_word("New York"));
    }
}
