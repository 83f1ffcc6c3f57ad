//! Cue lists: the words and phrases that make a capitalized sequence a name, and tell its type.
//!
//! # Format
//! UTF-8 TSV files (`gazetteers/cues/*.tsv`, embedded; `--cues DIR` replaces them). Blank lines
//! and lines starting with `#` are ignored; the first other line is the header, which must
//! have the columns `cue` and `kind` (any others, such as `note`, are free text). One cue per
//! row; a cue may be several words (`Prime Minister`). Cues are compared after folding (case,
//! diacritics), and a full stop at the end of a cue is optional in the text (`Mr.` matches `Mr`).
//!
//! | kind | meaning |
//! |---|---|
//! | `given` | a given name: a name of two words or more that starts with it is a PERSON |
//! | `title` | a title or role before a name (`President`, `analyst`, `his wife,`) or heading an appositive after it (`X, an economist`): PERSON |
//! | `org` | a word of organization names (`Inc`, `Party`, `University`, `Bank`): ORG |
//! | `loc` | a word of place names (`Airport`, `County`, `River`, `Base`): LOC |
//! | `stop` | a capitalized word that never starts a name (`The`, `However`, `Monday`) |
//! | `connector` | a lower-case particle inside personal names (`bin`, `al`, `de`, `von`) |
//! | `joiner` | a lower-case word inside organization and place names only (`of`, `and`, `for`) |
//! | `suffix` | a suffix after a personal name (`Jr.`, `III`): PERSON |
//! | `other` | the last word of names that are none of these (`Cup`, `Prize`, `War`, `Act`): such a name is not discovered |
//!
//! Problems are [`Diagnostic`]s (`path:line: message`) as for gazetteers: a missing column, an
//! unknown kind, an empty cue, or the same cue twice in one kind are errors.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::path::Path;

use crate::fold::fold_str;
use crate::gazetteer::{Code, Diagnostic, GazetteerError};

// `DEFAULT_CUE_FILES: &[(&str, &str)]`: every `gazetteers/cues/*.tsv`, sorted, from build.rs.
include!(concat!(env!("OUT_DIR"), "/default_cues.rs"));

/// What a cue says about a name. A cue may have several kinds (`Bank` could be `org` and a
/// given name), so kinds are bits of a [`CueKinds`] set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CueKind {
    /// `given`: a given name; a name of two words or more that starts with it is a PERSON.
    Given,
    /// `title`: a title or role before a name (`President`, `analyst`) or heading an
    /// appositive after it (`X, an economist`): PERSON.
    Title,
    /// `org`: a word of organization names (`Inc`, `Party`, `Bank`): ORG.
    Org,
    /// `loc`: a word of place names (`Airport`, `County`, `River`): LOC.
    Loc,
    /// `stop`: a capitalized word that never starts a name (`The`, `However`, `Monday`).
    Stop,
    /// `connector`: a lower-case particle inside personal names (`bin`, `al`, `de`, `von`).
    Connector,
    /// `joiner`: a lower-case word inside organization and place names only (`of`, `and`);
    /// the only kind whose cue may have no letter or digit.
    Joiner,
    /// `suffix`: a suffix after a personal name (`Jr.`, `III`): PERSON.
    Suffix,
    /// `other`: the last word of names that are none of the types (`Cup`, `Prize`, `Act`);
    /// such a name is not discovered.
    Other,
}

impl CueKind {
    /// Every kind, in the order of their bits.
    pub const ALL: [CueKind; 9] = [
        CueKind::Given,
        CueKind::Title,
        CueKind::Org,
        CueKind::Loc,
        CueKind::Stop,
        CueKind::Connector,
        CueKind::Joiner,
        CueKind::Suffix,
        CueKind::Other,
    ];

    /// The name used in the `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            CueKind::Given => "given",
            CueKind::Title => "title",
            CueKind::Org => "org",
            CueKind::Loc => "loc",
            CueKind::Stop => "stop",
            CueKind::Connector => "connector",
            CueKind::Joiner => "joiner",
            CueKind::Suffix => "suffix",
            CueKind::Other => "other",
        }
    }

    fn parse(s: &str) -> Option<CueKind> {
        CueKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of [`CueKind`]s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CueKinds(u16);

impl CueKinds {
    /// Not a set of kinds: a marker for "not looked up yet" in caches.
    pub const UNSET: CueKinds = CueKinds(u16::MAX);

    /// Whether `kind` is in the set.
    pub fn has(self, kind: CueKind) -> bool {
        self.0 & kind.bit() != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// One row of a cue file, kept for `entgraph gazetteer check`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CueRow {
    /// The file, as given (an embedded file is `gazetteers/cues/NAME`).
    pub path: String,
    /// 1-based line number.
    pub line: usize,
    /// The `cue` column as written, trimmed (not folded; a final full stop kept).
    pub cue: String,
    /// The `kind` column. A cue listed under several kinds has one row per kind.
    pub kind: CueKind,
}

/// Loaded cue lists: folded cue text → kinds.
#[derive(Clone, Debug, Default)]
pub struct Cues {
    /// One-word cues, folded, without a final full stop. (FxHash: looked up for many words of
    /// every document; the table's keys come from the cue lists, not from documents, so
    /// documents cannot fill it with colliding keys.)
    words: FxHashMap<String, CueKinds>,
    /// Cues of several words, folded, words joined by one space, without a final full stop.
    phrases: FxHashMap<String, CueKinds>,
    /// Most words in a phrase cue.
    longest: usize,
    /// One-word cues written with a final full stop (`Mr.`, `Inc.`): abbreviations, whose full
    /// stop in a text belongs to the word and ends no sentence. (FxHash, as `words`: looked
    /// up for every word before a full stop, with keys from the cue lists.)
    abbreviations: rustc_hash::FxHashSet<String>,
    rows: Vec<CueRow>,
}

impl Cues {
    /// The cue lists shipped in `gazetteers/cues/`, embedded at compile time.
    pub fn default_embedded() -> Result<Cues, GazetteerError> {
        let mut b = CuesBuilder::default();
        for (name, content) in DEFAULT_CUE_FILES {
            b.add_str(&format!("gazetteers/cues/{name}"), content);
        }
        b.build()
    }

    /// SHA-256 of the loaded cues (every folded cue with its kinds), independent of the paths
    /// the lists were read from and of hash order: recorded by partial counts
    /// ([`crate::part`]) so that counts made with different cue lists are never merged.
    pub fn fingerprint(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for (tag, table) in [(b'w', &self.words), (b'p', &self.phrases)] {
            let mut entries: Vec<(&String, &CueKinds)> = table.iter().collect();
            entries.sort_unstable_by_key(|e| e.0);
            for (cue, kinds) in entries {
                h.update([tag]);
                h.update((cue.len() as u64).to_le_bytes());
                h.update(cue.as_bytes());
                h.update(kinds.0.to_le_bytes());
            }
        }
        let mut abbreviations: Vec<&String> = self.abbreviations.iter().collect();
        abbreviations.sort_unstable();
        for a in abbreviations {
            h.update([b'a']);
            h.update((a.len() as u64).to_le_bytes());
            h.update(a.as_bytes());
        }
        h.update((self.longest as u64).to_le_bytes());
        h.finalize().into()
    }

    /// Loads every `*.tsv` file of a directory (sorted by name), or one file.
    pub fn from_path(path: &Path) -> Result<Cues, GazetteerError> {
        let mut b = CuesBuilder::default();
        b.add_path(path);
        b.build()
    }

    /// Like [`Cues::default_embedded`] or [`Cues::from_path`] (`None` for the embedded
    /// lists), but returns the rows that loaded along with every error, and the files read
    /// with their number of rows: for `entgraph gazetteer check`.
    pub fn load_lenient(path: Option<&Path>) -> (Cues, Vec<Diagnostic>, Vec<(String, usize)>) {
        let mut b = CuesBuilder::default();
        match path {
            Some(p) => b.add_path(p),
            None => {
                for (name, content) in DEFAULT_CUE_FILES {
                    b.add_str(&format!("gazetteers/cues/{name}"), content);
                }
            }
        }
        (b.cues, b.errors, b.files)
    }

    /// The kinds of the one-word cue `folded` (folded text, no final full stop).
    pub fn word(&self, folded: &str) -> CueKinds {
        self.words.get(folded).copied().unwrap_or_default()
    }

    /// The kinds of the phrase `folded` (the folded words of several tokens joined by one
    /// space), or of the one-word cue if no phrase has that text.
    pub fn phrase(&self, folded: &str) -> CueKinds {
        match self.phrases.get(folded) {
            Some(k) => *k,
            None => self.word(folded),
        }
    }

    /// Whether the one-word cue `folded` is an abbreviation (written `Mr.` in its list).
    pub fn is_abbreviation(&self, folded: &str) -> bool {
        self.abbreviations.contains(folded)
    }

    /// Most words in one cue (1 when every cue is one word).
    pub fn longest(&self) -> usize {
        self.longest.max(1)
    }

    /// Every row loaded, in file order.
    pub fn rows(&self) -> &[CueRow] {
        &self.rows
    }

    /// Number of rows loaded.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no cue was loaded.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Folds a cue or a word of text for lookup: [`fold_str`] in lower case, then a final `.`
/// removed.
pub fn cue_key(s: &str) -> String {
    let mut k = String::new();
    cue_key_into(s, &mut k);
    k
}

/// [`cue_key`] into a reused buffer.
pub fn cue_key_into(s: &str, out: &mut String) {
    out.clear();
    if s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'\'')
    {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        out.push_str(&fold_str(s).to_lowercase());
    }
    while out.ends_with('.') {
        out.pop();
    }
}

/// Collects cue files, then checks them.
#[derive(Default)]
struct CuesBuilder {
    cues: Cues,
    errors: Vec<Diagnostic>,
    /// (kind, folded cue) → line of its first row, for duplicates.
    seen: HashMap<(CueKind, String), (String, usize)>,
    /// Files read and the rows each gave.
    files: Vec<(String, usize)>,
}

impl CuesBuilder {
    fn add_path(&mut self, path: &Path) {
        if path.is_dir() {
            let mut files: Vec<_> = match std::fs::read_dir(path) {
                Ok(rd) => rd
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
                    .collect(),
                Err(e) => {
                    self.error(
                        &path.display().to_string(),
                        0,
                        Code::Unreadable,
                        e.to_string(),
                    );
                    return;
                }
            };
            files.sort();
            if files.is_empty() {
                self.error(
                    &path.display().to_string(),
                    0,
                    Code::Unreadable,
                    "no *.tsv cue files in this directory".to_string(),
                );
            }
            for f in files {
                self.add_file(&f);
            }
        } else {
            self.add_file(path);
        }
    }

    fn add_file(&mut self, path: &Path) {
        let label = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(s) => self.add_str(&label, &s),
                Err(e) => self.error(
                    &label,
                    0,
                    Code::InvalidUtf8,
                    format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
                ),
            },
            Err(e) => self.error(&label, 0, Code::Unreadable, e.to_string()),
        }
    }

    fn add_str(&mut self, path: &str, content: &str) {
        let before = self.cues.rows.len();
        self.add_rows(path, content);
        self.files
            .push((path.to_string(), self.cues.rows.len() - before));
    }

    fn add_rows(&mut self, path: &str, content: &str) {
        let content = content.strip_prefix('\u{FEFF}').unwrap_or(content);
        let mut header: Option<(usize, usize)> = None;
        for (i, raw) in content.lines().enumerate() {
            let line = i + 1;
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            if raw.trim().is_empty() || raw.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = raw.split('\t').collect();
            let Some((cue_col, kind_col)) = header else {
                let col = |name: &str| fields.iter().position(|f| f.trim() == name);
                match (col("cue"), col("kind")) {
                    (Some(c), Some(k)) => header = Some((c, k)),
                    _ => {
                        self.error(
                            path,
                            line,
                            Code::BadHeader,
                            format!(
                                "the header must have the columns `cue` and `kind` (found {})",
                                shorten(&fields.join(", "), 80)
                            ),
                        );
                        return;
                    }
                }
                continue;
            };
            let cue = fields.get(cue_col).map_or("", |s| s.trim());
            let kind_text = fields.get(kind_col).map_or("", |s| s.trim());
            let Some(kind) = CueKind::parse(kind_text) else {
                self.error(
                    path,
                    line,
                    Code::InvalidRow,
                    format!(
                        "unknown cue kind {:?}: expected one of {}",
                        shorten(kind_text, 40),
                        CueKind::ALL.map(CueKind::as_str).join(", ")
                    ),
                );
                continue;
            };
            let key = cue_key(cue);
            if !key.chars().any(|c| c.is_alphanumeric()) && kind != CueKind::Joiner {
                self.error(
                    path,
                    line,
                    Code::InvalidRow,
                    format!("cue {:?} has no letter or digit", shorten(cue, 40)),
                );
                continue;
            }
            if key.is_empty() {
                self.error(path, line, Code::InvalidRow, "empty cue".to_string());
                continue;
            }
            if let Some((p, l)) = self.seen.get(&(kind, key.clone())) {
                let msg = format!(
                    "cue {:?} is already a `{}` cue at {p}:{l}",
                    shorten(cue, 40),
                    kind.as_str()
                );
                self.error(path, line, Code::DuplicateCue, msg);
                continue;
            }
            self.seen
                .insert((kind, key.clone()), (path.to_string(), line));
            // Words as written: a hyphenated cue (`Co-operative`) is one word of the text.
            let words = cue.split_whitespace().count();
            self.cues.longest = self.cues.longest.max(words);
            let map = if words > 1 {
                &mut self.cues.phrases
            } else {
                &mut self.cues.words
            };
            if words == 1 && cue.ends_with('.') {
                self.cues.abbreviations.insert(key.clone());
            }
            map.entry(key).or_default().0 |= kind.bit();
            self.cues.rows.push(CueRow {
                path: path.to_string(),
                line,
                cue: cue.to_string(),
                kind,
            });
        }
        if header.is_none() {
            self.error(path, 0, Code::BadHeader, "no header row".to_string());
        }
    }

    fn error(&mut self, path: &str, line: usize, code: Code, message: String) {
        self.errors
            .push(Diagnostic::error(path, line, code, message));
    }

    fn build(self) -> Result<Cues, GazetteerError> {
        if self.errors.is_empty() {
            Ok(self.cues)
        } else {
            Err(GazetteerError(self.errors))
        }
    }
}

/// `s` cut to at most `max` characters, with `…` where it was cut.
fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(tsv: &str) -> Result<Cues, GazetteerError> {
        let mut b = CuesBuilder::default();
        b.add_str("c.tsv", tsv);
        b.build()
    }

    #[test]
    fn kinds_words_and_phrases() {
        let c = load("# comment\ncue\tkind\tnote\nMr.\ttitle\t\nPrime Minister\ttitle\t\nBank\torg\t\nBank\tgiven\t\nJosé\tgiven\t\n").unwrap();
        assert!(c.word("mr").has(CueKind::Title));
        assert!(c.phrase("prime minister").has(CueKind::Title));
        assert!(c.word("bank").has(CueKind::Org) && c.word("bank").has(CueKind::Given));
        assert!(c.word("jose").has(CueKind::Given));
        assert!(c.word("minister").is_empty());
        assert_eq!(c.longest(), 2);
        assert_eq!(c.len(), 5);
    }

    #[test]
    fn errors_name_file_and_line() {
        let cases: &[(&str, &str)] = &[
            (
                "name\tkind\nX\tgiven\n",
                "c.tsv:1: the header must have the columns `cue` and `kind`",
            ),
            (
                "cue\tkind\nX\tgivne\n",
                "c.tsv:2: unknown cue kind \"givne\"",
            ),
            (
                "cue\tkind\n\tgiven\n",
                "c.tsv:2: cue \"\" has no letter or digit",
            ),
            (
                "cue\tkind\nAnn\tgiven\nANN\tgiven\n",
                "c.tsv:3: cue \"ANN\" is already a `given` cue at c.tsv:2",
            ),
            ("# only a comment\n", "c.tsv: no header row"),
        ];
        for (tsv, want) in cases {
            let err = load(tsv).unwrap_err().to_string();
            assert!(err.starts_with(want), "{tsv:?}: {err}");
        }
    }

    #[test]
    fn embedded_cues_load() {
        let c = Cues::default_embedded().unwrap();
        assert!(!c.is_empty());
    }
}
