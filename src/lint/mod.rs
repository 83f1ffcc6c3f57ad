//! Gazetteer linting: `entgraph gazetteer check`.
//!
//! A gazetteer that loads can still tag badly: two entities share an alias, a longer alias
//! hides a shorter one, an alias is an ordinary English word that is capitalized at every
//! sentence start. [`Linter`] loads the files with [`GazetteerBuilder::build_lenient`]: the
//! loader's errors and warnings (whitespace, invisible characters, repeated ids, misspelt
//! columns) are findings as they come, with the loader's level, [`Code`] and `path:line`. The
//! other checks look at the gazetteer of every row that loaded, located by the provenance it
//! keeps ([`crate::gazetteer::Origin`]).
//!
//! A [`Finding`] is the loader's [`Diagnostic`]: a level, a stable [`Code`], a location and a
//! message:
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
//!
//! `gazetteer check` adds the findings of the cue lists, with the codes of the cue loader
//! (`unreadable`, `invalid-utf8`, `bad-header`, `invalid-row`, `duplicate-cue`) and of its
//! checks (`empty-cue-list`, `cue-never-matches`, `cue-conflict`, `cue-shadowed`). Every code
//! is a variant of [`Code`].
//!
//! The checks are split by family: `aliases` (common words, short, redundant and
//! leading-article aliases), `ambiguity` (aliases on several entities) and `shadowing` (aliases
//! inside longer ones); this module holds the report, the linter and the view of a loaded
//! gazetteer they share.

mod aliases;
mod ambiguity;
mod shadowing;

use std::path::Path;

use serde::Serialize;

use crate::fold::fold_str;
use crate::gazetteer::{Alias, CaseRule, DEFAULT_FILES, Gazetteer, GazetteerBuilder};
pub use crate::gazetteer::{Code, Diagnostic, Level};
pub use aliases::is_common_word;

/// One problem found in a gazetteer, printed as `path:line: level[code]: message`: the
/// loader's [`Diagnostic`].
pub type Finding = Diagnostic;

/// The findings of a check, sorted by path, then line, then level, code and message.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Every finding, in that order, without duplicates.
    pub findings: Vec<Finding>,
}

impl Report {
    /// The number of findings at `level`.
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// Whether any finding is an error (a gazetteer with errors does not load).
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
        self.findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.findings.dedup();
    }

    /// The findings with one code.
    pub fn with_code(&self, code: Code) -> impl Iterator<Item = &Finding> + '_ {
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
    /// A linter with no sources yet; the same as [`Linter::default`].
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
        // The loader's errors and warnings come with their levels (an id with a control
        // character is an error: it loads, but cannot be written back safely).
        let loaded = self.builder.build_lenient();
        let mut findings: Vec<Finding> = loaded.errors;
        findings.extend(loaded.warnings);
        let g = &loaded.gazetteer;
        check_duplicate_ids(g, &mut findings);
        let entities = view(g);
        aliases::check_aliases(&entities, &mut findings);
        ambiguity::check_ambiguous(&entities, &mut findings);
        shadowing::check_shadowed(&entities, &mut findings);
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        findings.dedup();
        Report { findings }
    }
}

/// A finding of one of the checks.
fn finding(path: &str, line: usize, level: Level, code: Code, message: String) -> Finding {
    Finding::new(path, line, level, code, message)
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
                Code::DuplicateId,
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
pub(super) struct Al<'g> {
    pub(super) text: &'g str,
    pub(super) weak: bool,
    /// Marked `=` in the file.
    pub(super) marked_exact: bool,
    /// The name of its row (always a strong alias).
    pub(super) is_name: bool,
    pub(super) rule: CaseRule,
    pub(super) fold: String,
    pub(super) path: &'g str,
    pub(super) line: usize,
}

impl Al<'_> {
    /// As written in the file: `~Lee`, `=US`, `China`.
    pub(super) fn written(&self) -> String {
        crate::gazetteer::written_alias(self.text, self.weak, self.marked_exact)
    }

    pub(super) fn at(&self) -> String {
        format!("{}:{}", self.path, self.line)
    }
}

/// A loaded entity as the checks see it.
pub(super) struct Ent<'g> {
    pub(super) id: &'g str,
    /// The canonical name.
    pub(super) name: &'g str,
    pub(super) priority: f64,
    pub(super) aliases: Vec<Al<'g>>,
    /// Aliases the loader left out as repeats within their row
    /// ([`Gazetteer::repeated_aliases`]), with the index in `aliases` of the one kept.
    pub(super) dropped: Vec<(Al<'g>, usize)>,
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
            .map(|f| (f.line, f.level, f.code.as_str()))
            .collect()
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
        let got: Vec<String> = r
            .with_code(Code::DuplicateId)
            .map(|f| f.to_string())
            .collect();
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
