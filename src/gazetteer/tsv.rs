//! Reading gazetteer TSV: files and directories, the header and its columns, the checks of
//! every row and alias, and the [`slug`] that gives a row without `id` its id.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::GazetteerBuilder;
use super::diagnostic::{Code, Diagnostic, Level, Warnings, char_name, is_plain_row, shown};
use super::model::{CasePolicy, Origin};
use crate::attribute::split_declaration;
use crate::fold::fold_str;

/// The slug used as a default id: lower-case ASCII after diacritic folding, runs of any other
/// characters turned into one `-`, no leading or trailing `-`.
///
/// `Nicolás Maduro` → `nicolas-maduro`, `Asia-Pacific Economic Cooperation` →
/// `asia-pacific-economic-cooperation`.
pub fn slug(name: &str) -> String {
    let folded = fold_str(name).to_ascii_lowercase();
    let mut out = String::with_capacity(folded.len());
    let mut dash = false;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// A row that passed the row checks, waiting to be merged.
pub(super) struct Row {
    pub(super) origin: Origin,
    pub(super) kind: String,
    pub(super) name: String,
    pub(super) id: String,
    pub(super) id_from_name: bool,
    /// (text, weak, marked exact); the name first.
    pub(super) aliases: Vec<(String, bool, bool)>,
    pub(super) attributes: Vec<(String, String)>,
    pub(super) priority: Option<f64>,
    pub(super) case: Option<CasePolicy>,
}

const RESERVED: &[&str] = &["id", "type", "name", "aliases", "priority", "case"];

/// Whether `s` is a type label the loader accepts: not empty, and only ASCII capitals, digits
/// and `_` (`PERSON`, `ORG`, `LOC`, `GEO_2`). The one rule for type labels, used by the loader
/// and by the importers ([`crate::import::normalize_type`]).
pub fn is_type_label(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Why an alias cannot be loaded ([`alias_faults`]: the first three), or cannot be written as
/// one piece of a gazetteer's `aliases` column (also the last two, which the loader cannot
/// meet: it splits the column at `|` and trims every piece).
///
/// [`Display`](std::fmt::Display) gives the fault as a phrase after "it": `contains a control
/// character`, `is shorter than 2 characters`, ….
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AliasFault {
    /// It contains a control character.
    ControlChar,
    /// It has fewer than 2 characters and is neither exact-case (marked `=` or on a row whose
    /// `case` is `exact`) nor in capitals.
    TooShort,
    /// It has no letters or digits to match (nothing left after folding).
    NoLetters,
    /// It contains `|`, the alias separator.
    Separator,
    /// It is empty or has leading or trailing whitespace.
    Untrimmed,
}

impl AliasFault {
    /// The code of the loader's error for this fault.
    pub fn code(self) -> Code {
        match self {
            AliasFault::ControlChar => Code::ControlChar,
            AliasFault::TooShort => Code::ShortAlias,
            AliasFault::NoLetters | AliasFault::Separator | AliasFault::Untrimmed => {
                Code::InvalidRow
            }
        }
    }

    /// The loader's message for alias `text` with this fault.
    pub fn message(self, text: &str) -> String {
        match self {
            AliasFault::TooShort => format!(
                "alias {} is shorter than 2 characters: mark it exact-case (`={text}`) or remove it",
                shown(text)
            ),
            AliasFault::NoLetters => {
                format!("alias {} has no letters or digits to match", shown(text))
            }
            f => format!("alias {} {f}", shown(text)),
        }
    }
}

impl std::fmt::Display for AliasFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AliasFault::ControlChar => "contains a control character",
            AliasFault::TooShort => "is shorter than 2 characters",
            AliasFault::NoLetters => "has no letters or digits",
            AliasFault::Separator => "contains `|`, the alias separator",
            AliasFault::Untrimmed => "has leading or trailing whitespace",
        })
    }
}

/// The loader's rules for an alias (`text` after its `~`/`=` marker; `exact` when marked `=` or
/// on a row whose `case` is `exact`):
/// every rule it breaks, in the order of [`AliasFault`]: `ControlChar`, then `TooShort` or
/// `NoLetters` (never both). `NoLetters` holds whatever the case rule: an alias of
/// punctuation only (`=.`, `&&`) would match every such mark in the text.
pub fn alias_faults(text: &str, exact: bool) -> Vec<AliasFault> {
    let mut out = Vec::new();
    if text.chars().any(char::is_control) {
        out.push(AliasFault::ControlChar);
    }
    if text.chars().count() < 2 && !(exact || is_all_caps(text)) {
        out.push(AliasFault::TooShort);
    } else if !fold_str(text).chars().any(crate::fold::is_word_char) {
        out.push(AliasFault::NoLetters);
    }
    out
}

/// The `*.tsv` files directly in directory `dir`, sorted by path: what
/// [`GazetteerBuilder::add_path`] loads from a directory.
pub(crate) fn tsv_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv") && p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

impl GazetteerBuilder {
    /// Adds a file, or every `*.tsv` file in a directory (sorted by file name).
    pub fn add_path(&mut self, path: &Path) {
        if path.is_dir() {
            let files = match tsv_files(path) {
                Ok(files) => files,
                Err(e) => {
                    self.file_problem(path, format!("cannot read directory: {e}"));
                    return;
                }
            };
            if files.is_empty() {
                self.file_problem(path, "directory holds no *.tsv gazetteer".to_string());
            }
            for f in files {
                self.add_file(&f);
            }
        } else {
            self.add_file(path);
        }
    }

    fn file_problem(&mut self, path: &Path, message: String) {
        self.diagnostics.push(Diagnostic::error(
            path.display().to_string(),
            0,
            Code::Unreadable,
            message,
        ));
    }

    /// Adds one TSV file.
    pub fn add_file(&mut self, path: &Path) {
        match std::fs::read(path) {
            Err(e) => self.file_problem(path, format!("cannot read gazetteer: {e}")),
            Ok(bytes) => self.add_bytes(&path.display().to_string(), &bytes),
        }
    }

    /// Adds the bytes of one TSV file, which must be UTF-8 (else an error naming the line of
    /// the first invalid byte); `path` is only used in diagnostics and
    /// [`Gazetteer::files`](super::Gazetteer::files).
    pub fn add_bytes(&mut self, path: &str, bytes: &[u8]) {
        match std::str::from_utf8(bytes) {
            Ok(s) => self.add_str(path, s),
            Err(e) => {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                self.diagnostics.push(Diagnostic::error(
                    path,
                    line,
                    Code::InvalidUtf8,
                    "invalid UTF-8".to_string(),
                ));
            }
        }
    }

    /// Adds TSV content; `path` is only used in diagnostics and
    /// [`Gazetteer::files`](super::Gazetteer::files).
    pub fn add_str(&mut self, path: &str, content: &str) {
        let file = self.files.len() as u32;
        self.files.push(path.to_string());
        let warn = self.warn;
        let mut header: Option<Vec<String>> = None;
        // A byte-order mark would glue itself to the first column's name: drop it, and say so
        // (always, not only when looking for warnings: it changes what the file says).
        let content = match content.strip_prefix('\u{FEFF}') {
            Some(rest) => {
                self.warnings.push(Diagnostic::new(
                    path,
                    1,
                    Level::Warning,
                    Code::InvisibleChar,
                    "the file starts with a byte-order mark (U+FEFF); it was skipped, but \
                     save the file as UTF-8 without BOM"
                        .to_string(),
                ));
                rest
            }
            None => content,
        };
        for (n, raw) in content.lines().enumerate() {
            let line = n + 1;
            let text = raw.strip_suffix('\r').unwrap_or(raw);
            if text.trim().is_empty() || text.starts_with('#') {
                continue;
            }
            let mut problem = |code: Code, message: String| {
                self.diagnostics
                    .push(Diagnostic::error(path, line, code, message))
            };
            let mut warnings = Warnings {
                path,
                line,
                out: &mut self.warnings,
            };
            let fields: Vec<&str> = text.split('\t').collect();
            let Some(cols) = &header else {
                if warn && fields[0].starts_with('\u{FEFF}') {
                    warnings.push(
                        Level::Warning,
                        Code::InvisibleChar,
                        format!(
                            "the header starts with a byte-order mark (U+FEFF), so its first column is not {} but an attribute: save the file as UTF-8 without BOM",
                            shown(fields[0].trim_start_matches('\u{FEFF}').trim())
                        ),
                    );
                }
                let mut cols: Vec<String> =
                    fields.iter().map(|f| f.trim().to_lowercase()).collect();
                if cols.len() < 2 {
                    problem(
                        Code::BadHeader,
                        format!(
                            "header is not tab-separated: expected columns such as `type<TAB>name`, found {}",
                            shown(text)
                        ),
                    );
                    return;
                }
                let mut bad = false;
                for req in ["type", "name"] {
                    if !cols.iter().any(|c| c == req) {
                        problem(Code::BadHeader, format!("header has no `{req}` column"));
                        bad = true;
                    }
                }
                // `name:TYPE` declares an attribute's type; the column is `name` from here on.
                for c in &mut cols {
                    match split_declaration(c) {
                        Ok((_, None)) => {}
                        Ok((name, Some(ty))) => {
                            let name = name.to_string();
                            if RESERVED.contains(&name.as_str()) {
                                problem(
                                    Code::BadHeader,
                                    format!("built-in column `{name}` takes no type (`{c}`)"),
                                );
                                bad = true;
                            } else if let Some(&(had, at_file, at_line)) =
                                self.attribute_types.get(&name)
                                && had != ty
                            {
                                problem(
                                    Code::BadHeader,
                                    format!(
                                        "column `{name}` is declared {ty} here but {had} at {}:{at_line}",
                                        self.files[at_file as usize]
                                    ),
                                );
                                bad = true;
                            } else {
                                self.attribute_types.entry(name.clone()).or_insert((
                                    ty,
                                    file,
                                    line as u32,
                                ));
                            }
                            *c = name;
                        }
                        Err(why) => {
                            problem(Code::BadHeader, format!("column `{c}` {why}"));
                            bad = true;
                        }
                    }
                }
                let mut seen = HashSet::new();
                for c in &cols {
                    if c.is_empty() {
                        problem(
                            Code::BadHeader,
                            "header has an empty column name".to_string(),
                        );
                        bad = true;
                    } else if !seen.insert(c) {
                        problem(
                            Code::BadHeader,
                            format!("header repeats the column {}", shown(c)),
                        );
                        bad = true;
                    }
                }
                if bad {
                    return;
                }
                if warn {
                    for c in &cols {
                        if RESERVED.contains(&c.as_str()) {
                            continue;
                        }
                        if let Some(r) = RESERVED.iter().find(|r| looks_like(c, r)) {
                            warnings.push(
                                Level::Note,
                                Code::UnknownColumn,
                                format!(
                                    "column {} is not a built-in column, so it is kept as an attribute: did you mean `{r}`?",
                                    shown(c)
                                ),
                            );
                        }
                    }
                }
                header = Some(cols);
                continue;
            };
            if fields.len() > cols.len() {
                problem(
                    Code::InvalidRow,
                    format!(
                        "row has {} fields but the header has {} columns",
                        fields.len(),
                        cols.len()
                    ),
                );
                continue;
            }
            let raw = |name: &str| -> &str {
                cols.iter()
                    .position(|c| c == name)
                    .and_then(|i| fields.get(i))
                    .copied()
                    .unwrap_or("")
            };
            let get = |name: &str| raw(name).trim();
            let kind = get("type").to_string();
            let name = get("name").to_string();
            let mut ok = true;
            if kind.is_empty() {
                problem(Code::InvalidRow, "empty type".to_string());
                ok = false;
            } else if !is_type_label(&kind) {
                problem(
                    Code::InvalidRow,
                    format!(
                        "type {} must be an upper-case label such as PERSON, ORG or LOC",
                        shown(&kind)
                    ),
                );
                ok = false;
            }
            if name.is_empty() {
                problem(Code::InvalidRow, "empty name".to_string());
                ok = false;
            }
            let raw_id = raw("id");
            let (id, id_from_name) = match raw_id.trim() {
                "" => (slug(&name), true),
                s => (s.to_string(), false),
            };
            // Most rows have nothing to warn of: one pass over the line says so.
            let plain = !warn || is_plain_row(text);
            if !id_from_name && !plain {
                warnings.check_text("id", raw_id.trim(), raw_id);
                if let Some(c) = raw_id.chars().find(|c| c.is_control()) {
                    // The row loads, but its id cannot be written back safely.
                    warnings.push(
                        Level::Error,
                        Code::ControlChar,
                        format!(
                            "id {:?} contains the control character {}",
                            raw_id.trim(),
                            char_name(c)
                        ),
                    );
                }
            }
            if !plain {
                warnings.check_text("name", &name, raw("name"));
            }
            if ok && id.is_empty() {
                problem(
                    Code::InvalidRow,
                    format!(
                        "name {} gives an empty id: add an `id` column value",
                        shown(&name)
                    ),
                );
                ok = false;
            }
            if ok && id.starts_with(crate::discover::PROVISIONAL_PREFIX) {
                problem(
                    Code::InvalidRow,
                    format!(
                        "id {:?} starts with `{}`, which marks provisional entities found by discovery: choose another id",
                        id.chars().take(60).collect::<String>(),
                        crate::discover::PROVISIONAL_PREFIX
                    ),
                );
                ok = false;
            }
            let priority = match get("priority") {
                "" => None,
                s => match s.parse::<f64>() {
                    Ok(p) if p.is_finite() => Some(p),
                    _ => {
                        problem(Code::InvalidRow, format!("priority {s:?} is not a number"));
                        ok = false;
                        None
                    }
                },
            };
            let case = match get("case") {
                "" => None,
                "proper" => Some(CasePolicy::Proper),
                "insensitive" => Some(CasePolicy::Insensitive),
                "exact" => Some(CasePolicy::Exact),
                s => {
                    problem(
                        Code::InvalidRow,
                        format!("case {s:?} must be `proper`, `insensitive` or `exact`"),
                    );
                    ok = false;
                    None
                }
            };
            let mut aliases = Vec::new();
            if !name.is_empty() {
                aliases.push((name.clone(), false, false));
            }
            for piece in raw("aliases").split('|') {
                let a = piece.trim();
                if a.is_empty() {
                    continue;
                }
                let (t, weak, exact) = if let Some(r) = a.strip_prefix('~') {
                    (r, true, false)
                } else if let Some(r) = a.strip_prefix('=') {
                    (r, false, true)
                } else {
                    (a, false, false)
                };
                let text = t.trim();
                if !plain {
                    // Whitespace before the piece or after its marker counts as leading.
                    let lead = &piece[..piece.len() - piece.trim_start().len()];
                    let shown = format!("{}{text}", &a[..a.len() - t.len()]);
                    let trail = &piece[piece.trim_end().len()..];
                    warnings.check_text("alias", &shown, &format!("{lead}{t}{trail}"));
                }
                aliases.push((text.to_string(), weak, exact));
            }
            // A row whose `case` is `exact` makes every alias of the row exact-case, as `=`
            // does for one alias.
            let row_exact = case == Some(CasePolicy::Exact);
            for (text, _, exact) in &aliases {
                for fault in alias_faults(text, *exact || row_exact) {
                    problem(fault.code(), fault.message(text));
                    ok = false;
                }
            }
            let attributes = cols
                .iter()
                .zip(fields.iter())
                .filter(|(c, v)| !RESERVED.contains(&c.as_str()) && !v.trim().is_empty())
                .map(|(c, v)| (c.clone(), v.trim().to_string()))
                .collect();
            if ok {
                self.rows.push(Row {
                    origin: Origin {
                        file,
                        line: line as u32,
                    },
                    kind,
                    name,
                    id,
                    id_from_name,
                    aliases,
                    attributes,
                    priority,
                    case,
                });
            }
        }
        if header.is_none() && !self.diagnostics.iter().any(|d| d.path == path) {
            self.diagnostics.push(Diagnostic::error(
                path,
                0,
                Code::BadHeader,
                "no header row (expected columns such as `type<TAB>name`)".to_string(),
            ));
        }
    }
}

/// An alias written entirely in capitals: at least one cased letter, none lower-case.
pub fn is_all_caps(s: &str) -> bool {
    s.chars().any(|c| c.is_uppercase()) && !s.chars().any(|c| c.is_lowercase())
}

/// Whether column name `c` looks like a misspelling of the built-in column `r`: a prefix of
/// it (`alias`), it plus a short suffix (`names`, `ids`), or a typo in a long one (`priorty`).
fn looks_like(c: &str, r: &str) -> bool {
    c != r
        && ((r.starts_with(c) && c.len() >= 3)
            || (c.starts_with(r) && c.len() <= r.len() + 2)
            || (r.len() >= 7 && strsim::levenshtein(c, r) <= 2))
}

/// A value made safe for a TSV cell: tabs, line breaks and other control characters become
/// spaces, whitespace runs one space, trimmed. Also says whether a control character was
/// replaced (trimming and collapsing spaces are not worth reporting).
pub fn clean_value(s: &str) -> (String, bool) {
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut space = false;
    for c in s.chars() {
        let c = if c.is_control() {
            changed = true;
            ' '
        } else {
            c
        };
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    (out, changed)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{errors, load};
    use super::super::*;
    use super::*;
    use crate::attribute::{AttrType, AttrValue};

    #[test]
    fn slugs() {
        for (name, want) in [
            ("Nicolás Maduro", "nicolas-maduro"),
            (
                "Asia-Pacific Economic Cooperation",
                "asia-pacific-economic-cooperation",
            ),
            ("  U.S. ", "u-s"),
            ("Lee Jae-myung", "lee-jae-myung"),
            ("Sana’a", "sana-a"),
            ("北京", ""),
        ] {
            assert_eq!(slug(name), want, "slug of {name:?}");
        }
    }

    #[test]
    fn parses_columns_markers_and_attributes() {
        let g = load(
            "# comment\n\ntype\tname\taliases\twikidata\tcase\n\
             PERSON\tLee Jae-myung\tLee Jae Myung|~Lee\tQ1\t\n\
             LOC\tUnited States\tU.S.|=Us|USA\tQ30\t\n\
             ORG\tBrand\t\t\tinsensitive\n",
        )
        .unwrap();
        let lee = g.entity(g.lookup("lee-jae-myung").unwrap());
        assert_eq!(lee.kind, "PERSON");
        assert_eq!(lee.attributes.get("wikidata").unwrap(), "Q1");
        let texts: Vec<_> = lee
            .aliases
            .iter()
            .map(|&a| {
                let a = g.alias(a);
                (a.text.as_str(), a.weak, a.case)
            })
            .collect();
        assert_eq!(
            texts,
            [
                ("Lee Jae-myung", false, CaseRule::Proper),
                ("Lee Jae Myung", false, CaseRule::Proper),
                ("Lee", true, CaseRule::Proper),
            ]
        );
        let us = g.entity(g.lookup("united-states").unwrap());
        let cases: Vec<_> = us.aliases.iter().map(|&a| g.alias(a).case).collect();
        assert_eq!(
            cases,
            [
                CaseRule::Proper,
                CaseRule::Exact,
                CaseRule::Exact,
                CaseRule::Exact
            ]
        );
        let brand = g.entity(g.lookup("brand").unwrap());
        assert_eq!(g.alias(brand.aliases[0]).case, CaseRule::Insensitive);
    }

    #[test]
    fn declared_types_type_the_values_and_reject_what_does_not_parse() {
        let g = load(
            "type\tname\tlat:float\tpopulation:INT\tmember:bool\twikidata:string\tnote\n\
             LOC\tA Coruña\t43.37135\t250438\tyes\tQ1\t12\n\
             LOC\tNowhere\t\t\t\t\t\n",
        )
        .unwrap();
        let types: Vec<_> = g
            .attribute_types()
            .iter()
            .map(|(k, t)| (k.as_str(), *t))
            .collect();
        assert_eq!(
            types,
            [
                ("lat", AttrType::Float),
                ("member", AttrType::Bool),
                ("population", AttrType::Int),
                ("wikidata", AttrType::String)
            ]
        );
        let a = g.entity(g.lookup("a-coruna").unwrap());
        // The entity keeps the text; the graph types it.
        assert_eq!(a.attributes.get("lat").unwrap(), "43.37135");
        assert_eq!(
            g.attribute_value("lat", "43.37135"),
            AttrValue::Float(43.37135)
        );
        assert_eq!(
            g.attribute_value("population", "250438"),
            AttrValue::Int(250438)
        );
        assert_eq!(g.attribute_value("member", "yes"), AttrValue::Bool(true));
        // Undeclared columns stay text, even when every value is a number.
        assert_eq!(
            g.attribute_value("note", "12"),
            AttrValue::String("12".into())
        );
        assert!(g.entity(g.lookup("nowhere").unwrap()).attributes.is_empty());

        assert_eq!(
            errors("type\tname\tlat:float\tpopulation:int\nLOC\tX\tnorth\t\nLOC\tY\t1\t2.5\n"),
            [
                "test.tsv:2: lat \"north\" is not a float (declared `lat:float` at test.tsv:1)",
                "test.tsv:3: population \"2.5\" is not an int (declared `population:int` at test.tsv:1)"
            ]
        );
        assert_eq!(
            errors("type\tname\tlat:double\tpriority:float\nLOC\tX\t1\t2\n"),
            [
                "test.tsv:1: column `lat:double` declares the unknown type `double` (types: int, float, bool, string)",
                "test.tsv:1: built-in column `priority` takes no type (`priority:float`)"
            ]
        );
        assert_eq!(
            errors("type\tname\tlat\tlat:float\nLOC\tX\t1\t2\n"),
            ["test.tsv:1: header repeats the column \"lat\""]
        );
    }

    #[test]
    fn a_type_holds_across_files() {
        let mut b = GazetteerBuilder::new();
        b.add_str("a.tsv", "type\tname\tlat:float\nLOC\tX\t1.5\n");
        b.add_str("b.tsv", "type\tname\tlat\nLOC\tY\tnorth\n");
        b.add_str("c.tsv", "type\tname\tlat:int\nLOC\tZ\t1\n");
        let e: Vec<String> = b
            .build()
            .unwrap_err()
            .0
            .iter()
            .map(|d| d.plain().to_string())
            .collect();
        assert_eq!(
            e,
            [
                "c.tsv:1: column `lat` is declared int here but float at a.tsv:1",
                "b.tsv:2: lat \"north\" is not a float (declared `lat:float` at a.tsv:1)"
            ]
        );
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        assert_eq!(
            errors("type\tname\nPERSON\t\nperson\tAda\nPERSON\tX\tx\nORG\tAda\n"),
            [
                "test.tsv:2: empty name",
                "test.tsv:3: type \"person\" must be an upper-case label such as PERSON, ORG or LOC",
                "test.tsv:4: row has 3 fields but the header has 2 columns",
            ]
        );
        assert_eq!(
            errors("type\tname\taliases\nPERSON\tAda\ta\n"),
            [
                "test.tsv:2: alias \"a\" is shorter than 2 characters: mark it exact-case (`=a`) or remove it"
            ]
        );
        assert_eq!(
            errors("type name aliases\nPERSON Ada\n"),
            [
                "test.tsv:1: header is not tab-separated: expected columns such as `type<TAB>name`, found \"type name aliases\""
            ]
        );
        assert_eq!(
            errors("name\taliases\nAda\t\n"),
            ["test.tsv:1: header has no `type` column"]
        );
        assert_eq!(
            errors("type\tname\tpriority\tcase\nLOC\tGeorgia\thigh\tupper\n"),
            [
                "test.tsv:2: priority \"high\" is not a number",
                "test.tsv:2: case \"upper\" must be `proper`, `insensitive` or `exact`"
            ]
        );
        assert_eq!(
            errors("id\ttype\tname\ngeorgia\tLOC\tGeorgia\ngeorgia\tPERSON\tGeorgia\n"),
            ["test.tsv:3: id \"georgia\" has type PERSON here but LOC at test.tsv:2"]
        );
        assert_eq!(
            errors("# only a comment\n"),
            ["test.tsv: no header row (expected columns such as `type<TAB>name`)"]
        );
    }

    #[test]
    fn exact_single_letters_are_allowed() {
        let g = load("type\tname\taliases\nORG\tX Corp\t=X|=x\n").unwrap();
        assert_eq!(g.aliases().len(), 3);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.tsv");
        std::fs::write(&p, b"type\tname\nLOC\tOk\nLOC\tBad\xff\n").unwrap();
        let err = Gazetteer::from_paths(&[&p]).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].line, 3);
        assert_eq!(err.0[0].message, "invalid UTF-8");
    }

    #[test]
    fn provisional_prefix_is_refused_in_ids() {
        let mut b = GazetteerBuilder::new();
        b.add_str("p.tsv", "id\ttype\tname\nnew:x\tPERSON\tX Y\n");
        let err = b.build().unwrap_err().to_string();
        assert!(
            err.starts_with("p.tsv:2: id \"new:x\" starts with `new:`"),
            "{err}"
        );
    }
}
