//! Gazetteer linting: `entgraph gazetteer check`.
//!
//! A gazetteer that loads can still tag badly: two entities share an alias, a longer alias
//! hides a shorter one, an alias is an ordinary English word that is capitalized at every
//! sentence start. [`Linter`] loads the files with [`GazetteerBuilder::build_lenient`]: the
//! loader's errors become error-level findings and its warnings (whitespace, invisible
//! characters, repeated ids, misspelt columns) findings of their level, each with the
//! loader's [`Diagnostic::code`] and `path:line`. The other checks look at the gazetteer of
//! every row that loaded, located by the provenance it keeps ([`crate::gazetteer::Origin`]).
//!
//! Every [`Finding`] has a level, a stable code, a location and a message:
//!
//! | code | level | what |
//! |---|---|---|
//! | `unreadable`, `invalid-utf8`, `bad-header`, `invalid-row`, `type-conflict`, `control-char`, `short-alias` | error | the file does not load ([`GazetteerBuilder`]'s diagnostics) |
//! | `control-char` | error | a control character in an `id` (a loader warning: the row loads) |
//! | `duplicate-id` | warning / note | the same id on two rows of one file (warning) or of two files (note: rows merge by design) |
//! | `ambiguous-alias` | warning | one alias (compared folded, as the tagger does) on several entities |
//! | `common-word` | warning | a one-word strong alias that is a common English word and not exact-case |
//! | `short-alias` | warning / note | an alias of two letters that is not exact-case (note when weak) |
//! | `whitespace` | warning | leading, trailing, doubled or unusual whitespace in an id, name or alias |
//! | `invisible-char` | warning | zero-width, bidi or byte-order-mark characters in an id, name, alias or header |
//! | `shadowed-alias` | note | an alias that lies inside a longer alias of another entity (see below) |
//! | `redundant-alias` | note | two aliases of one entity that match the same text |
//! | `unknown-column` | note | a column that is kept as an attribute but looks like a misspelt built-in column |
//! | `leading-article` | note | an alias with a leading `the`: matched as context and left out of mention spans, unless the entity's name starts with it ([`crate::tagger`]) |
//!
//! **Shadowing.** Alias A of entity X is *shadowed* by alias B of entity Y (Y ≠ X) when the
//! folded form of A occurs inside the folded form of B, strictly shorter, starting at a word
//! start and ending at a word end as the tagger judges them, and A's case rule accepts the
//! text of B at that place. Wherever B matches, leftmost-longest selection gives the whole
//! span to B, so X gets no mention there (`China` inside `South China Sea`). That is usually
//! intended, hence a note. When B is weak the note says so: a weak alias takes part in the
//! selection before it is dropped for lack of a strong mention of Y, so in a document that
//! does not name Y in full the text yields no mention at all (`Rochester` inside
//! `~Blunt Rochester`). Not reported when Y itself has an alias folding like A (then A is an
//! ambiguous alias, reported as such).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;

use crate::fold::{
    Folded, SEP, fold_str, fold_str_keep_case, is_dash, is_unspaced, is_word_char, is_word_end,
    is_word_start, leading_article,
};
use crate::gazetteer::{
    Alias, CaseRule, DEFAULT_FILES, Diagnostic, Gazetteer, GazetteerBuilder, join_and,
};

/// The common English words, one per line after a `#` header: see the file for its source
/// and licence.
static COMMON_WORDS_TXT: &str = include_str!("common_words.txt");

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

/// How serious a finding is. Ordered from the most serious.
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

/// One problem found in a gazetteer, printed as `path:line: level[code]: message`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub path: String,
    /// 1-based line; 0 when the finding concerns the whole file.
    pub line: usize,
    pub level: Level,
    /// A stable identifier of the kind of finding (`ambiguous-alias`, …).
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: ", self.path)?;
        } else {
            write!(f, "{}:{}: ", self.path, self.line)?;
        }
        write!(f, "{}[{}]: {}", self.level, self.code, self.message)
    }
}

/// The findings of a check, sorted by path, then line, then level, code and message.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Level::Error) > 0
    }

    /// `N errors, N warnings, N notes`.
    pub fn summary(&self) -> String {
        let n = |level, word: &str| {
            let c = self.count(level);
            format!("{c} {word}{}", if c == 1 { "" } else { "s" })
        };
        format!(
            "{}, {}, {}",
            n(Level::Error, "error"),
            n(Level::Warning, "warning"),
            n(Level::Note, "note")
        )
    }

    /// Adds findings (from other checks, such as cue lists), keeping the report sorted.
    pub fn add(&mut self, findings: Vec<Finding>) {
        self.findings.extend(findings);
        self.findings.sort_by(|a, b| {
            (&a.path, a.line, a.level, a.code, &a.message)
                .cmp(&(&b.path, b.line, b.level, b.code, &b.message))
        });
        self.findings.dedup();
    }

    /// The findings with one code.
    pub fn with_code<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.code == code)
    }
}

/// Checks the embedded default gazetteer.
pub fn check_default() -> Report {
    let mut l = Linter::new();
    for (name, content) in DEFAULT_FILES {
        l.add_str(&format!("gazetteers/{name}"), content);
    }
    l.finish()
}

/// Checks gazetteer files and directories (every `*.tsv` inside, sorted), as `-g` loads them.
pub fn check_paths<P: AsRef<Path>>(paths: &[P]) -> Report {
    let mut l = Linter::new();
    for p in paths {
        l.add_path(p.as_ref());
    }
    l.finish()
}

/// Collects gazetteer sources, then lints them together (ambiguity and shadowing are found
/// across files).
pub struct Linter {
    builder: GazetteerBuilder,
}

impl Default for Linter {
    fn default() -> Self {
        Self {
            builder: GazetteerBuilder::with_warnings(),
        }
    }
}

impl Linter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds TSV content; `path` is the label used in findings.
    pub fn add_str(&mut self, path: &str, content: &str) {
        self.builder.add_str(path, content);
    }

    /// Adds a file, or every `*.tsv` file of a directory (sorted by name), like `-g`.
    pub fn add_path(&mut self, path: &Path) {
        self.builder.add_path(path);
    }

    /// Runs every check.
    pub fn finish(self) -> Report {
        // Rows the loader rejects are reported once, by its error, and are not in the
        // gazetteer the other checks look at.
        let loaded = self.builder.build_lenient();
        let mut findings: Vec<Finding> = loaded
            .errors
            .into_iter()
            .map(|d| load_finding(d, Level::Error))
            .collect();
        for d in loaded.warnings {
            let level = match d.code {
                // An id with a control character loads, but cannot be written back safely.
                "control-char" => Level::Error,
                "unknown-column" => Level::Note,
                _ => Level::Warning,
            };
            findings.push(load_finding(d, level));
        }
        let g = &loaded.gazetteer;
        check_duplicate_ids(g, &mut findings);
        let entities = view(g);
        check_aliases(&entities, &mut findings);
        check_ambiguous(&entities, &mut findings);
        check_shadowed(&entities, &mut findings);
        findings.sort_by(|a, b| {
            (&a.path, a.line, a.level, a.code, &a.message)
                .cmp(&(&b.path, b.line, b.level, b.code, &b.message))
        });
        findings.dedup();
        Report { findings }
    }
}

/// A loader error or warning as a finding, with the loader's code.
fn load_finding(d: Diagnostic, level: Level) -> Finding {
    Finding {
        path: d.path,
        line: d.line,
        level,
        code: d.code,
        message: d.message,
    }
}

fn finding(path: &str, line: usize, level: Level, code: &'static str, message: String) -> Finding {
    Finding {
        path: path.to_string(),
        line,
        level,
        code,
        message,
    }
}

/// The same id on rows of several files: a note (rows merge by design). The loader warns of
/// the same id twice in one file.
fn check_duplicate_ids(g: &Gazetteer, out: &mut Vec<Finding>) {
    for e in g.entities() {
        let first = e.rows[0].origin;
        for (k, r) in e.rows.iter().enumerate().skip(1) {
            let path = g.path(r.origin);
            if e.rows[..k].iter().any(|p| g.path(p.origin) == path) {
                continue;
            }
            let how = if r.id_from_name {
                " (the slug of the name)"
            } else {
                ""
            };
            out.push(finding(
                path,
                r.origin.line as usize,
                Level::Note,
                "duplicate-id",
                format!(
                    "id {:?}{how} is also defined at {}:{}: rows with the same id merge across files",
                    e.id,
                    g.path(first),
                    first.line
                ),
            ));
        }
    }
}

/// An alias of a loaded entity, with its folded form and location.
struct Al<'g> {
    text: &'g str,
    weak: bool,
    /// Marked `=` in the file.
    marked_exact: bool,
    /// The name of its row (always a strong alias).
    is_name: bool,
    rule: CaseRule,
    fold: String,
    path: &'g str,
    line: usize,
}

impl Al<'_> {
    /// As written in the file: `~Lee`, `=US`, `China`.
    fn written(&self) -> String {
        let marker = if self.weak {
            "~"
        } else if self.marked_exact {
            "="
        } else {
            ""
        };
        format!("{marker}{}", self.text)
    }

    fn at(&self) -> String {
        format!("{}:{}", self.path, self.line)
    }
}

/// A loaded entity as the checks see it.
struct Ent<'g> {
    id: &'g str,
    /// The canonical name.
    name: &'g str,
    priority: f64,
    aliases: Vec<Al<'g>>,
    /// Aliases the loader left out as repeats within their row
    /// ([`Gazetteer::repeated_aliases`]), with the index in `aliases` of the one kept.
    dropped: Vec<(Al<'g>, usize)>,
}

/// The entities of `g`, with their aliases folded and located.
fn view(g: &Gazetteer) -> Vec<Ent<'_>> {
    fn al<'g>(g: &'g Gazetteer, a: &'g Alias) -> Al<'g> {
        Al {
            text: &a.text,
            weak: a.weak,
            marked_exact: a.marked_exact,
            is_name: a.is_name,
            rule: a.case,
            fold: fold_str(&a.text),
            path: g.path(a.origin),
            line: a.origin.line as usize,
        }
    }
    let mut ents: Vec<Ent> = g
        .entities()
        .iter()
        .map(|e| Ent {
            id: &e.id,
            name: &e.name,
            priority: e.priority,
            aliases: e.aliases.iter().map(|&a| al(g, g.alias(a))).collect(),
            dropped: Vec::new(),
        })
        .collect();
    for r in g.repeated_aliases() {
        let e = g.alias(r.kept).entity;
        let kept = g.entity(e).aliases.iter().position(|&a| a == r.kept);
        let dropped = Al {
            text: &r.text,
            weak: r.weak,
            marked_exact: r.marked_exact,
            is_name: false,
            rule: CaseRule::Proper,
            fold: String::new(),
            path: g.path(r.origin),
            line: r.origin.line as usize,
        };
        ents[e.0 as usize]
            .dropped
            .push((dropped, kept.unwrap_or(0)));
    }
    ents
}

/// Whether two aliases that fold alike can match the same text, given their case rules.
fn can_overlap(a: &Al, b: &Al) -> bool {
    // Text equal to an exact alias's own spelling: does a proper alias accept it?
    let proper_accepts = |exact: &Al| {
        exact.text.chars().any(char::is_uppercase) || !exact.text.chars().any(char::is_lowercase)
    };
    match (a.rule, b.rule) {
        (CaseRule::Exact, CaseRule::Exact) => {
            fold_str_keep_case(a.text) == fold_str_keep_case(b.text)
        }
        (CaseRule::Exact, CaseRule::Proper) => proper_accepts(a),
        (CaseRule::Proper, CaseRule::Exact) => proper_accepts(b),
        _ => true,
    }
}

/// Per-alias checks: common words, short aliases, redundant aliases, leading articles.
fn check_aliases(ents: &[Ent], out: &mut Vec<Finding>) {
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
                        "short-alias",
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
                        "short-alias",
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
                out.push(finding(a.path, a.line, Level::Warning, "common-word", msg));
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
    finding(a.path, a.line, Level::Note, "leading-article", message)
}

/// Alias `a` of `e` matches the same text as `b`, on the same row.
fn redundant(e: &Ent, a: &Al, b: &Al) -> Finding {
    finding(
        a.path,
        a.line,
        Level::Note,
        "redundant-alias",
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

/// Aliases that fold alike on several entities, one finding per folded form.
fn check_ambiguous(ents: &[Ent], out: &mut Vec<Finding>) {
    let mut groups: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for (ei, e) in ents.iter().enumerate() {
        for (ai, a) in e.aliases.iter().enumerate() {
            groups.entry(a.fold.as_str()).or_default().push((ei, ai));
        }
    }
    for members in groups.values() {
        // Entities with an alias in this group that can match the same text as an alias of
        // another entity; the first such alias of each.
        let mut involved: Vec<(usize, usize)> = Vec::new();
        for (x, &(ei, ai)) in members.iter().enumerate() {
            let a = &ents[ei].aliases[ai];
            let clash = members
                .iter()
                .enumerate()
                .any(|(y, &(ej, aj))| x != y && ej != ei && can_overlap(a, &ents[ej].aliases[aj]));
            if clash && !involved.iter().any(|&(e, _)| e == ei) {
                involved.push((ei, ai));
            }
        }
        if involved.len() < 2 {
            continue;
        }
        let list: Vec<String> = involved
            .iter()
            .map(|&(ei, ai)| {
                let a = &ents[ei].aliases[ai];
                let mut tags = vec![a.at()];
                if a.weak {
                    tags.push("weak".to_string());
                }
                if a.rule == CaseRule::Exact {
                    tags.push(format!("exact-case {:?}", a.text));
                }
                format!("{} ({})", ents[ei].id, tags.join(", "))
            })
            .collect();
        let best = involved
            .iter()
            .map(|&(ei, _)| ents[ei].priority)
            .fold(f64::NEG_INFINITY, f64::max);
        let top: Vec<&str> = involved
            .iter()
            .filter(|&&(ei, _)| ents[ei].priority == best)
            .map(|&(ei, _)| ents[ei].id)
            .collect();
        let outcome = if top.len() == 1 {
            format!("settled by priority {best} for {}", top[0])
        } else if top.len() == involved.len() {
            format!("stays ambiguous (priority {best} for all)")
        } else {
            format!(
                "stays ambiguous between {} (priority {best})",
                join_and(&top.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            )
        };
        let (ei, ai) = involved[1];
        let first = &ents[involved[0].0].aliases[involved[0].1];
        let at = &ents[ei].aliases[ai];
        out.push(finding(
            at.path,
            at.line,
            Level::Warning,
            "ambiguous-alias",
            format!(
                "ambiguous alias {:?}: {}; {outcome} when a document does not settle it",
                first.text,
                list.join(", ")
            ),
        ));
    }
}

/// Whether alias `a`'s case rule accepts `span` (text of another alias).
fn case_accepts(a: &Al, span: &str) -> bool {
    match a.rule {
        CaseRule::Insensitive => true,
        CaseRule::Proper => {
            span.chars().any(char::is_uppercase) || !span.chars().any(char::is_lowercase)
        }
        CaseRule::Exact => fold_str_keep_case(span) == fold_str_keep_case(a.text),
    }
}

/// How many shadowing aliases a finding lists before "and N more".
const LIST_MAX: usize = 5;

/// Aliases inside longer aliases of other entities (see the module docs).
fn check_shadowed(ents: &[Ent], out: &mut Vec<Finding>) {
    let mut pattern_of: HashMap<&str, usize> = HashMap::new();
    let mut patterns: Vec<&str> = Vec::new();
    let mut by_pattern: Vec<Vec<(usize, usize)>> = Vec::new();
    for (ei, e) in ents.iter().enumerate() {
        for (ai, a) in e.aliases.iter().enumerate() {
            if a.fold.is_empty() {
                continue;
            }
            let p = *pattern_of.entry(a.fold.as_str()).or_insert_with(|| {
                patterns.push(a.fold.as_str());
                by_pattern.push(Vec::new());
                patterns.len() - 1
            });
            by_pattern[p].push((ei, ai));
        }
    }
    if patterns.is_empty() {
        return;
    }
    let Ok(ac) = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(&patterns)
    else {
        return;
    };
    // Per shadowed alias (entity, alias): the aliases (entity, alias) that hide it.
    let mut hidden_by: BTreeMap<(usize, usize), Vec<(usize, usize)>> = BTreeMap::new();
    let mut folded = Folded::default();
    for (ej, e) in ents.iter().enumerate() {
        let own: HashSet<&str> = e.aliases.iter().map(|a| a.fold.as_str()).collect();
        for (bj, b) in e.aliases.iter().enumerate() {
            folded.fold(b.text);
            let f = folded.as_str();
            for m in ac.find_overlapping_iter(f) {
                let p = m.pattern().as_usize();
                if patterns[p] == b.fold || own.contains(patterns[p]) {
                    continue;
                }
                if !is_word_start(f, m.start()) || !is_word_end(f, m.end()) {
                    continue;
                }
                let span = &b.text[folded.map().start(m.start())..folded.map().end(m.end())];
                for &(ei, ai) in &by_pattern[p] {
                    if ei != ej && case_accepts(&ents[ei].aliases[ai], span) {
                        let v = hidden_by.entry((ei, ai)).or_default();
                        if !v.contains(&(ej, bj)) {
                            v.push((ej, bj));
                        }
                    }
                }
            }
        }
    }
    for ((ei, ai), by) in hidden_by {
        let a = &ents[ei].aliases[ai];
        let x = &ents[ei].id;
        let (weak, strong): (Vec<_>, Vec<_>) = by
            .into_iter()
            .partition(|&(ej, bj)| ents[ej].aliases[bj].weak);
        let describe = |list: &[(usize, usize)]| {
            let mut items: Vec<String> = list
                .iter()
                .take(LIST_MAX)
                .map(|&(ej, bj)| {
                    let b = &ents[ej].aliases[bj];
                    format!("{:?} ({}, {})", b.written(), ents[ej].id, b.at())
                })
                .collect();
            if list.len() > LIST_MAX {
                items.push(format!("{} more", list.len() - LIST_MAX));
            }
            join_and(&items)
        };
        if !strong.is_empty() {
            let (one, they) = if strong.len() == 1 {
                ("a longer alias", "it matches")
            } else {
                ("longer aliases", "they match")
            };
            out.push(finding(
                a.path,
                a.line,
                Level::Note,
                "shadowed-alias",
                format!(
                    "alias {:?} of {x} lies inside {one} of another entity: {}; where {they}, {x} gets no mention",
                    a.written(),
                    describe(&strong)
                ),
            ));
        }
        if !weak.is_empty() {
            let (one, they) = if weak.len() == 1 {
                ("the weak alias", "that weak alias does")
            } else {
                ("the weak aliases", "those weak aliases do")
            };
            out.push(finding(
                a.path,
                a.line,
                Level::Note,
                "shadowed-alias",
                format!(
                    "alias {:?} of {x} lies inside {one} {}: the longer match wins before weak aliases are resolved, so where {they} not count the text gets no mention at all",
                    a.written(),
                    describe(&weak)
                ),
            ));
        }
    }
}

/// Whether a folded alias is a single word: letters only, no separator.
fn single_word(fold: &str) -> bool {
    !fold.is_empty() && !fold.contains(SEP as char) && fold.chars().all(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(content: &str) -> Vec<String> {
        let mut l = Linter::new();
        l.add_str("t.tsv", content);
        l.finish().findings.iter().map(|f| f.to_string()).collect()
    }

    fn codes(content: &str) -> Vec<(usize, Level, &'static str)> {
        let mut l = Linter::new();
        l.add_str("t.tsv", content);
        l.finish()
            .findings
            .iter()
            .map(|f| (f.line, f.level, f.code))
            .collect()
    }

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

    #[test]
    fn clean_gazetteer_has_no_findings() {
        assert_eq!(
            check("id\ttype\tname\taliases\nlee\tPERSON\tLee Jae-myung\tLee Jaemyung|~Lee\n"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn loader_errors_keep_their_location_and_get_codes() {
        assert_eq!(
            check(
                "id\ttype\tname\taliases\ng\tLOC\tGeorgia\t\ng\tPERSON\tGeorgia\t\nx\tLOC\tX\ta\n"
            ),
            [
                "t.tsv:3: error[type-conflict]: id \"g\" has type PERSON here but LOC at t.tsv:2",
                "t.tsv:4: error[short-alias]: alias \"a\" is shorter than 2 characters: mark it exact-case (`=a`) or remove it",
            ]
        );
        assert_eq!(
            codes("type name\nLOC Paris\n"),
            [(1, Level::Error, "bad-header")]
        );
        assert_eq!(
            codes("type\tname\nLOC\tPar\u{7}is\n"),
            [(2, Level::Error, "control-char")]
        );
        assert_eq!(
            codes("type\tname\nLOC\t\n"),
            [(2, Level::Error, "invalid-row")]
        );
    }

    #[test]
    fn duplicate_ids_warn_in_a_file_and_note_across_files() {
        let mut l = Linter::new();
        l.add_str(
            "a.tsv",
            "id\ttype\tname\nxi\tPERSON\tXi Jinping\nxi\tPERSON\tXi\n",
        );
        l.add_str("b.tsv", "type\tname\nPERSON\tXi Jinping\n");
        let r = l.finish();
        let got: Vec<String> = r.with_code("duplicate-id").map(|f| f.to_string()).collect();
        assert_eq!(
            got,
            [
                "a.tsv:3: warning[duplicate-id]: id \"xi\" is also defined at line 2: the rows merge, and the name \"Xi Jinping\" of line 2 stays canonical",
            ]
        );
        let mut l = Linter::new();
        l.add_str("a.tsv", "id\ttype\tname\nxi-jinping\tPERSON\tXi Jinping\n");
        l.add_str("b.tsv", "type\tname\nPERSON\tXi Jinping\n");
        let got: Vec<String> = l.finish().findings.iter().map(|f| f.to_string()).collect();
        assert_eq!(
            got,
            [
                "b.tsv:2: note[duplicate-id]: id \"xi-jinping\" (the slug of the name) is also defined at a.tsv:2: rows with the same id merge across files"
            ]
        );
    }

    #[test]
    fn ambiguity_lists_every_entity_and_the_outcome() {
        let got = check(
            "id\ttype\tname\taliases\tpriority\n\
             georgia\tLOC\tGeorgia\t\t1\n\
             georgia-us\tLOC\tGeorgia (U.S. state)\tGEORGIA|Georgia\t\n\
             lee-a\tPERSON\tLee Ann\t~Lee\t\n\
             lee-b\tPERSON\tLee Bo\t~LEE|~Lee\t\n",
        );
        assert_eq!(
            got,
            [
                "t.tsv:3: warning[ambiguous-alias]: ambiguous alias \"Georgia\": georgia (t.tsv:2), georgia-us (t.tsv:3, exact-case \"GEORGIA\"); settled by priority 1 for georgia when a document does not settle it",
                "t.tsv:5: warning[ambiguous-alias]: ambiguous alias \"Lee\": lee-a (t.tsv:4, weak), lee-b (t.tsv:5, weak, exact-case \"LEE\"); stays ambiguous (priority 0 for all) when a document does not settle it",
            ]
        );
        // Two exact-case aliases with different capitals never match the same text.
        assert_eq!(
            check("type\tname\taliases\nLOC\tUnited States\t=US\nORG\tUs Weekly\t=Us\n"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn shadowing_follows_the_tagger() {
        let got = check(
            "id\ttype\tname\taliases\n\
             china\tLOC\tChina\t\n\
             scs\tLOC\tSouth China Sea\t\n\
             korea\tLOC\tKorea\t\n\
             kt\tORG\tKorea Times\t~Korea Herald\n\
             cd\tORG\tCHINA DAILY\t\n\
             chinas\tLOC\tChinastown\t\n",
        );
        assert_eq!(
            got,
            [
                "t.tsv:2: note[shadowed-alias]: alias \"China\" of china lies inside longer aliases of another entity: \"South China Sea\" (scs, t.tsv:3) and \"CHINA DAILY\" (cd, t.tsv:6); where they match, china gets no mention",
                "t.tsv:4: note[shadowed-alias]: alias \"Korea\" of korea lies inside a longer alias of another entity: \"Korea Times\" (kt, t.tsv:5); where it matches, korea gets no mention",
                "t.tsv:4: note[shadowed-alias]: alias \"Korea\" of korea lies inside the weak alias \"~Korea Herald\" (kt, t.tsv:5): the longer match wins before weak aliases are resolved, so where that weak alias does not count the text gets no mention at all",
            ]
        );
        // An exact-case short alias is not hidden by a longer one in other capitals.
        assert_eq!(
            check("type\tname\taliases\nORG\tAFP\t\nORG\tAfp Group\t\n"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn common_short_whitespace_and_redundant() {
        let got = check(
            "id\ttype\tname\taliases\tcase\n\
             nice\tLOC\tNice\t\t\n\
             reading\tLOC\tReading, Berkshire\tReading|~Most\t\n\
             orange\tORG\tOrange S.A.\tOrange\tinsensitive\n\
             ma\tPERSON\tMa Ying-jeou\tMa|~Ma Ying|~Xi\t\n\
             mob\tLOC\tMobile\t\texact\n\
             ws\tLOC\t Lee  Town \t ~Leetown |Lee\u{a0}Town\t\n\
             nic\tPERSON\tNicolás Maduro\tNicolas Maduro|Nicolás MADURO\t\n",
        );
        assert_eq!(
            got,
            [
                "t.tsv:2: warning[common-word]: name \"Nice\" of nice is the common word \"nice\": capitalized at the start of a sentence or in a title it is tagged as nice; a name is always a strong alias: set the entity's `case` to `exact`, or give it a longer name and keep this one as a weak alias",
                "t.tsv:3: warning[common-word]: alias \"Reading\" of reading is the common word \"reading\": capitalized at the start of a sentence or in a title it is tagged as reading; mark it weak (~Reading) or exact-case (=Reading)",
                "t.tsv:4: warning[common-word]: alias \"Orange\" of orange is the common word \"orange\": capitalized at the start of a sentence or in a title it is tagged as orange, and with case `insensitive` every \"orange\" is; mark it weak (~Orange) or exact-case (=Orange)",
                "t.tsv:5: warning[short-alias]: strong alias \"Ma\" of ma has only 2 letters and is not exact-case: any capitalized \"Ma\" in a text is tagged as ma; mark it weak (~Ma) or exact-case (=Ma)",
                "t.tsv:5: note[short-alias]: weak alias \"~Xi\" of ma has only 2 letters: it counts only in documents that also name ma by a strong alias",
                "t.tsv:7: warning[whitespace]: alias \"Lee\\u{a0}Town\" has the whitespace character U+00A0 (no-break space): matching is not affected, but it is likely a slip",
                "t.tsv:7: warning[whitespace]: alias \"~Leetown\" has leading whitespace and trailing whitespace: matching is not affected, but it is likely a slip",
                "t.tsv:7: warning[whitespace]: name \"Lee  Town\" has leading whitespace, trailing whitespace and a run of several whitespace characters: matching is not affected, but it is likely a slip",
                "t.tsv:7: note[redundant-alias]: alias \"Lee\\u{a0}Town\" of ws matches the same text as \"Lee  Town\" on this row: folding ignores case, accents, hyphens and spacing, so it adds nothing",
                "t.tsv:8: note[redundant-alias]: alias \"Nicolas Maduro\" of nic matches the same text as \"Nicolás Maduro\" on this row: folding ignores case, accents, hyphens and spacing, so it adds nothing",
                "t.tsv:8: note[redundant-alias]: alias \"Nicolás MADURO\" of nic matches the same text as \"Nicolás Maduro\" on this row: folding ignores case, accents, hyphens and spacing, so it adds nothing",
            ]
        );
    }

    #[test]
    fn case_exact_rows_allow_short_and_common_aliases() {
        // `case=exact` makes every alias of the row exact-case: no error for a one-character
        // name, no short-alias or common-word finding; the `proper` row beside it is judged as
        // before.
        assert_eq!(
            codes(
                "id\ttype\tname\taliases\tcase\n\
                 three\tORG\t3\tk|Go|Police\texact\n\
                 ma\tPERSON\tMa Ying-jeou\tMa|Reading\tproper\n\
                 four\tORG\t4\t\tproper\n"
            ),
            [
                (3, Level::Warning, "common-word"),
                (3, Level::Warning, "short-alias"),
                (4, Level::Error, "short-alias"),
            ]
        );
    }

    #[test]
    fn leading_articles_are_noted() {
        assert_eq!(
            check(
                "id\ttype\tname\taliases\tcase\n\
                 nl\tLOC\tNetherlands\tthe Netherlands|Holland\t\n\
                 wapo\tORG\tWashington Post\t~THE  WASHINGTON POST\t\n\
                 hague\tLOC\tThe Hague\tDen Haag\t\n\
                 thebes\tLOC\tThebes\tThebai\t\n"
            ),
            [
                "t.tsv:2: note[leading-article]: alias \"the Netherlands\" of nl starts with the article \"the\": the text must have it, but it is matched as context and left out of mention spans (\"Netherlands\"); \"Netherlands\" alone matches only as an alias of its own",
                "t.tsv:3: warning[whitespace]: alias \"~THE  WASHINGTON POST\" has a run of several whitespace characters: matching is not affected, but it is likely a slip",
                "t.tsv:3: note[leading-article]: alias \"~THE  WASHINGTON POST\" of wapo starts with the article \"THE\": the text must have it, but it is matched as context and left out of mention spans (\"WASHINGTON POST\"); \"WASHINGTON POST\" alone matches only as an alias of its own",
                "t.tsv:4: note[leading-article]: alias \"The Hague\" of hague starts with the article \"The\", as does the name \"The Hague\": the article is part of the name and stays in mention spans",
            ]
        );
    }

    #[test]
    fn ids_with_control_or_invisible_characters() {
        assert_eq!(
            check(
                "id\ttype\tname\nchina\u{200b}\tLOC\tChina\nbad\u{1}\tLOC\tBad Place\n\u{feff}x\tLOC\tXanadu\n"
            ),
            [
                "t.tsv:2: warning[invisible-char]: id \"china\\u{200b}\" contains the invisible character U+200B (zero-width space)",
                "t.tsv:3: error[control-char]: id \"bad\\u{1}\" contains the control character U+0001",
                "t.tsv:4: warning[invisible-char]: id \"\\u{feff}x\" contains the invisible character U+FEFF (byte-order mark)",
            ]
        );
        assert_eq!(
            codes("\u{feff}id\ttype\tname\nchina\tLOC\tChina\n"),
            [(1, Level::Warning, "invisible-char")]
        );
        assert_eq!(
            codes("id\ttype\tname\talias\nchina\tLOC\tChina\tPRC\n"),
            [(1, Level::Note, "unknown-column")]
        );
    }

    #[test]
    fn default_gazetteer_has_no_errors() {
        let r = check_default();
        assert!(!r.has_errors(), "{:#?}", r.findings);
    }
}
