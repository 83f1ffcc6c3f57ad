//! Reporting: every problem, of the loader, the linter or the cue checker, is a [`Diagnostic`]
//! (`path:line`, a [`Level`], a stable [`Code`] and a message), and the per-line checks that
//! find likely slips (stray whitespace, invisible characters) as warnings.

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

/// How serious a diagnostic is. Ordered from the most serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The gazetteer does not load, or will tag wrongly.
    Error,
    /// Probably a mistake.
    Warning,
    /// Worth knowing; often intended.
    Note,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        })
    }
}

/// Declares [`Code`] with the kebab-case string of every variant.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// The kind of a [`Diagnostic`]: stable, written as its kebab-case string
        /// ([`Code::as_str`]) in `gazetteer check` output, text and JSON alike.
        ///
        /// Ordered (and sorted in reports) by that string.
        #[non_exhaustive]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written in output: `short-alias`, `ambiguous-alias`, ….
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

/// Most characters of a value quoted in a message; longer values are cut there.
pub const SHOWN_CHARS: usize = 60;

/// A value quoted for a message: Rust's `{:?}` quoting of its first [`SHOWN_CHARS`]
/// characters, and for a longer value `…` and its length, so a 1,000-NUL header does not
/// fill the terminal.
pub fn shown(value: &str) -> String {
    let n = value.chars().count();
    if n <= SHOWN_CHARS {
        return format!("{value:?}");
    }
    let head: String = value.chars().take(SHOWN_CHARS).collect();
    format!("{head:?}… ({n} characters)")
}

codes! {
    /// A file or directory that cannot be read (loader, cue lists).
    Unreadable = "unreadable",
    /// A file that is not UTF-8 (loader, cue lists).
    InvalidUtf8 = "invalid-utf8",
    /// A header that is not tab-separated, lacks a required column, repeats one… (loader, cue
    /// lists).
    BadHeader = "bad-header",
    /// A row that cannot be loaded: empty name, bad type, priority or case… (loader, cue lists).
    InvalidRow = "invalid-row",
    /// The same id with two types (loader).
    TypeConflict = "type-conflict",
    /// A control character in an alias (loader error) or an id (loader warning, error level).
    ControlChar = "control-char",
    /// An alias too short to load (loader) or risky (linter).
    ShortAlias = "short-alias",
    /// Leading, trailing, doubled or unusual whitespace (loader warning).
    Whitespace = "whitespace",
    /// Zero-width, bidi or byte-order-mark characters (loader warning).
    InvisibleChar = "invisible-char",
    /// The same id on two rows (loader warning within a file, linter note across files).
    DuplicateId = "duplicate-id",
    /// A column that looks like a misspelt built-in column (loader note).
    UnknownColumn = "unknown-column",
    /// One alias on several entities (linter).
    AmbiguousAlias = "ambiguous-alias",
    /// A strong alias that is a common English word (linter).
    CommonWord = "common-word",
    /// An alias inside a longer alias of another entity (linter).
    ShadowedAlias = "shadowed-alias",
    /// Two aliases of one row that match the same text (linter).
    RedundantAlias = "redundant-alias",
    /// An alias with a leading `the` (linter).
    LeadingArticle = "leading-article",
    /// The same cue twice in one kind (cue lists).
    DuplicateCue = "duplicate-cue",
    /// A cue list with no rows (cue checker).
    EmptyCueList = "empty-cue-list",
    /// A cue that can never match (cue checker).
    CueNeverMatches = "cue-never-matches",
    /// A `stop` word that is also a name cue (cue checker).
    CueConflict = "cue-conflict",
    /// A given-name cue that is a gazetteer alias (cue checker).
    CueShadowed = "cue-shadowed",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Code {
    /// By [`Code::as_str`], so reports sort as they did when codes were strings.
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// A problem in a gazetteer or cue file: printed as `path:line: level[code]: message` (the
/// form of `gazetteer check`); [`Diagnostic::plain`] gives `path:line: message`, the form of
/// load errors ([`GazetteerError`]). Serialized (JSON of `gazetteer check`) as
/// `{path, line, level, code, message}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file's path (label), as given to the loader or checker.
    pub path: String,
    /// 1-based line number; 0 when the problem concerns the whole file.
    pub line: usize,
    /// The loader's errors are [`Level::Error`]; its warnings are [`Level::Warning`], but for
    /// a control character in an id ([`Level::Error`]: the row loads but cannot be written
    /// back safely) and a misspelt-looking column ([`Level::Note`]).
    pub level: Level,
    /// The stable code of the kind of problem.
    pub code: Code,
    /// What is wrong, in one line, without the `path:line:` prefix; it may quote file content.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic with these fields, `path` as given.
    pub fn new(
        path: impl Into<String>,
        line: usize,
        level: Level,
        code: Code,
        message: String,
    ) -> Diagnostic {
        Diagnostic {
            path: path.into(),
            line,
            level,
            code,
            message,
        }
    }

    /// An error-level diagnostic.
    pub fn error(path: impl Into<String>, line: usize, code: Code, message: String) -> Diagnostic {
        Diagnostic::new(path, line, Level::Error, code, message)
    }

    /// `path:line: message` (`path: message` when `line` is 0), without level and code: how
    /// load errors are reported.
    pub fn plain(&self) -> impl fmt::Display + '_ {
        Plain(self)
    }

    /// The key reports sort by: path, line, level, code, message.
    pub(crate) fn sort_key(&self) -> (&str, usize, Level, Code, &str) {
        (&self.path, self.line, self.level, self.code, &self.message)
    }
}

struct Plain<'a>(&'a Diagnostic);

impl fmt::Display for Plain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d.line == 0 {
            write!(f, "{}: {}", d.path, d.message)
        } else {
            write!(f, "{}:{}: {}", d.path, d.line, d.message)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: ", self.path)?;
        } else {
            write!(f, "{}:{}: ", self.path, self.line)?;
        }
        write!(f, "{}[{}]: {}", self.level, self.code, self.message)
    }
}

/// All the problems found while loading gazetteers (or cue lists), each shown as
/// [`Diagnostic::plain`], one a line.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{}", .0.iter().map(|d| d.plain().to_string()).collect::<Vec<_>>().join("\n"))]
pub struct GazetteerError(pub Vec<Diagnostic>);

/// Whether no id, name or alias of the row `text` can have a whitespace, invisible-character
/// or control-character warning, judged in one pass over its bytes: only single spaces, each
/// between two characters that are not a tab, `|`, `~` or `=`, and no control, invisible or
/// non-ASCII whitespace character. Conservative: `false` sends the row to the per-field checks.
pub(super) fn is_plain_row(text: &str) -> bool {
    /// Bytes worth a closer look: ASCII controls but tab, space, and the lead bytes of the
    /// non-ASCII whitespace and invisible characters.
    const LOOK: [bool; 256] = {
        let mut t = [false; 256];
        let mut i = 0;
        while i <= 0x20 {
            t[i] = i != b'\t' as usize;
            i += 1;
        }
        t[0x7F] = true;
        t[0xC2] = true;
        t[0xE1] = true;
        t[0xE2] = true;
        t[0xE3] = true;
        t[0xEF] = true;
        t
    };
    let b = text.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if !LOOK[c as usize] {
            continue;
        }
        let next = &b[i + 1..];
        let odd = match c {
            b' ' => {
                i == 0
                    || matches!(b[i - 1], b' ' | b'\t' | b'|' | b'~' | b'=')
                    || matches!(next.first(), None | Some(b'\t' | b'|'))
            }
            // U+0080–U+00A0 (C1 controls, NEL, no-break space), U+00AD (soft hyphen).
            0xC2 => matches!(next.first(), Some(0x80..=0xA0 | 0xAD)),
            // U+1680 (ogham space mark), U+180E (Mongolian vowel separator).
            0xE1 => matches!(next.get(..2), Some([0x9A, 0x80] | [0xA0, 0x8E])),
            // U+2000–U+200F, U+2028–U+202F, U+205F–U+206F: spaces, zero-width, bidi.
            0xE2 => matches!(
                next.get(..2),
                Some([0x80, 0x80..=0x8F | 0xA8..=0xAF] | [0x81, 0x9F..=0xAF])
            ),
            // U+3000 (ideographic space), U+FEFF (byte-order mark).
            0xE3 => next.get(..2) == Some(&[0x80, 0x80]),
            0xEF => next.get(..2) == Some(&[0xBB, 0xBF]),
            _ => true, // ASCII control characters
        };
        if odd {
            return false;
        }
    }
    true
}

/// The warnings of one line.
pub(super) struct Warnings<'a> {
    pub(super) path: &'a str,
    pub(super) line: usize,
    pub(super) out: &'a mut Vec<Diagnostic>,
}

impl Warnings<'_> {
    pub(super) fn push(&mut self, level: Level, code: Code, message: String) {
        self.out
            .push(Diagnostic::new(self.path, self.line, level, code, message));
    }

    /// Whitespace and invisible characters in a raw (untrimmed) id, name or alias, shown in
    /// messages as `shown`.
    pub(super) fn check_text(&mut self, what: &str, shown: &str, raw: &str) {
        let trimmed = raw.trim();
        if trimmed.is_empty() || is_plain_row(raw) {
            return;
        }
        let mut issues = Vec::new();
        if raw.starts_with(char::is_whitespace) {
            issues.push("leading whitespace".to_string());
        }
        if raw.ends_with(char::is_whitespace) {
            issues.push("trailing whitespace".to_string());
        }
        let mut run = 0;
        let mut doubled = false;
        for c in trimmed.chars() {
            run = if c.is_whitespace() { run + 1 } else { 0 };
            doubled |= run == 2;
        }
        if doubled {
            issues.push("a run of several whitespace characters".to_string());
        }
        let mut odd: Vec<char> = trimmed
            .chars()
            .filter(|&c| c.is_whitespace() && c != ' ' && !c.is_control())
            .collect();
        odd.sort_unstable();
        odd.dedup();
        for c in odd {
            issues.push(format!("the whitespace character {}", char_name(c)));
        }
        if !issues.is_empty() {
            self.push(
                Level::Warning,
                Code::Whitespace,
                format!(
                    "{what} {shown:?} has {}: matching is not affected, but it is likely a slip",
                    join_and(&issues)
                ),
            );
        }
        let mut hidden: Vec<char> = raw.chars().filter(|&c| is_invisible(c)).collect();
        hidden.sort_unstable();
        hidden.dedup();
        if !hidden.is_empty() {
            let list: Vec<String> = hidden.into_iter().map(char_name).collect();
            self.push(
                Level::Warning,
                Code::InvisibleChar,
                format!(
                    "{what} {shown:?} contains the invisible character{} {}",
                    if list.len() == 1 { "" } else { "s" },
                    join_and(&list)
                ),
            );
        }
    }
}

/// `U+00A0`, with the character's common name where it helps.
pub(super) fn char_name(c: char) -> String {
    let name = match c {
        '\u{00A0}' => " (no-break space)",
        '\u{00AD}' => " (soft hyphen)",
        '\u{200B}' => " (zero-width space)",
        '\u{200C}' => " (zero-width non-joiner)",
        '\u{200D}' => " (zero-width joiner)",
        '\u{200E}' => " (left-to-right mark)",
        '\u{200F}' => " (right-to-left mark)",
        '\u{2060}' => " (word joiner)",
        '\u{FEFF}' => " (byte-order mark)",
        '\u{0009}' => " (tab)",
        '\u{000B}' => " (vertical tab)",
        '\u{0000}' => " (NUL)",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

/// Characters that do not show: zero-width, bidi controls, soft hyphen, byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::load;
    use super::super::*;
    use super::*;

    #[test]
    fn diagnostics_have_codes() {
        let codes = |content: &str| -> Vec<&'static str> {
            load(content)
                .unwrap_err()
                .0
                .iter()
                .map(|d| {
                    assert_eq!(d.level, Level::Error, "{d}");
                    d.code.as_str()
                })
                .collect()
        };
        assert_eq!(codes("type name\n"), ["bad-header"]);
        assert_eq!(codes("# nothing\n"), ["bad-header"]);
        assert_eq!(
            codes("type\tname\taliases\nLOC\t\t\nloc\tX Y\t\nLOC\tA\u{7}b\ta\nLOC\tPop\t--\n"),
            [
                "invalid-row",
                "invalid-row",
                "control-char",
                "short-alias",
                "invalid-row"
            ]
        );
        assert_eq!(
            codes("id\ttype\tname\ng\tLOC\tGeorgia\ng\tPERSON\tGeorgia\n"),
            ["type-conflict"]
        );
        let dir = tempfile::tempdir().unwrap();
        let err = Gazetteer::from_paths(&[dir.path()]).unwrap_err();
        assert_eq!(err.0[0].code, Code::Unreadable);
    }

    #[test]
    fn codes_are_kebab_case_strings() {
        let mut seen = std::collections::HashSet::new();
        for &c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{s}"
            );
            assert_eq!(serde_json::to_value(c).unwrap(), s);
            assert_eq!(c.to_string(), s);
        }
        let d = Diagnostic::new("a.tsv", 3, Level::Warning, Code::ShortAlias, "m".into());
        assert_eq!(d.to_string(), "a.tsv:3: warning[short-alias]: m");
        assert_eq!(d.plain().to_string(), "a.tsv:3: m");
        let d = Diagnostic::error("a.tsv", 0, Code::BadHeader, "m".into());
        assert_eq!(d.to_string(), "a.tsv: error[bad-header]: m");
        assert_eq!(d.plain().to_string(), "a.tsv: m");
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"{"path":"a.tsv","line":0,"level":"error","code":"bad-header","message":"m"}"#
        );
    }

    #[test]
    fn warnings_do_not_stop_a_load() {
        let mut b = GazetteerBuilder::with_warnings();
        b.add_str(
            "w.tsv",
            "\u{feff}id\ttype\tname\talias\nx\tLOC\t Xanadu\t\nx\tLOC\tXan\u{200b}adu\t\n",
        );
        let (g, warnings) = b.build_with_warnings();
        assert_eq!(g.unwrap().len(), 1);
        let got: Vec<_> = warnings.iter().map(|d| (d.line, d.code.as_str())).collect();
        assert_eq!(
            got,
            [
                (1, "invisible-char"),
                (1, "unknown-column"),
                (2, "whitespace"),
                (3, "invisible-char"),
                (3, "duplicate-id"),
            ]
        );
        // `new` looks for none.
        let mut b = GazetteerBuilder::new();
        b.add_str("w.tsv", "type\tname\nLOC\t Xanadu\n");
        let (g, warnings) = b.build_with_warnings();
        assert_eq!(g.unwrap().len(), 1);
        assert!(warnings.is_empty());
    }

    proptest::proptest! {
        /// The one-pass row check never hides a warning the per-field checks would give.
        #[test]
        fn plain_rows_have_no_text_warnings(
            cells in proptest::collection::vec(
                "[a ~=|\u{a0}\u{ad}\u{85}\u{1}\u{200b}\u{2019}\u{2028}\u{205f}\u{3000}\u{feff}é]{0,6}",
                4,
            )
        ) {
            let line = format!("{}\t{}\tLOC\t{}{}", cells[0], cells[1], cells[2], cells[3]);
            if is_plain_row(&line) {
                let mut b = GazetteerBuilder::with_warnings();
                b.add_str("p.tsv", &format!("id\tname\ttype\taliases\n{line}\n"));
                let (_, warnings) = b.build_with_warnings();
                let text: Vec<_> = warnings.iter().filter(|d| d.code != Code::DuplicateId).collect();
                proptest::prop_assert!(text.is_empty(), "{line:?}: {text:?}");
            }
        }
    }

    #[test]
    fn plain_rows() {
        assert!(is_plain_row("x\tLOC\tSana’a\tSanaa|~Sana"));
        for line in [
            " x\tLOC",
            "x \tLOC",
            "x\t LOC",
            "x\tLOC ",
            "a  b",
            "a| b",
            "~ b",
            "a\u{a0}b",
            "a\u{200b}b",
            "a\u{1}b",
            "\u{feff}a",
            "a\u{3000}b",
            "a\u{2060}b",
        ] {
            assert!(!is_plain_row(line), "{line:?}");
        }
    }
}
