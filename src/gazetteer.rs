//! Gazetteers: the people, places and organizations to find, read from TSV files.
//!
//! # Format
//! UTF-8, tab-separated, one entity per row, with a header row. Blank lines and lines
//! starting with `#` are ignored. Columns:
//!
//! | column     | required | meaning |
//! |------------|----------|---------|
//! | `type`     | yes      | upper-case label: `PERSON`, `ORG`, `LOC`, … |
//! | `name`     | yes      | canonical name, itself an alias |
//! | `id`       | no       | stable id; default [`slug`] of `name` |
//! | `aliases`  | no       | `\|`-separated; `~Lee` is weak, `=US` exact-case |
//! | `priority` | no       | number (default 0) that settles ambiguous aliases |
//! | `case`     | no       | `proper` (default), `insensitive` or `exact` |
//! | any other  | no       | a string attribute carried to every export |
//!
//! Rows with the same `id` (in one file or across files) merge: their aliases and attributes
//! are united and the first row's `name` stays canonical. The same `id` with two types is an
//! error. Every problem is reported as a [`Diagnostic`] (`path:line: message`, with a stable
//! [`Diagnostic::code`]), all of them at once, and no gazetteer is returned if there is any.
//!
//! The loader also notes what loads but is likely a slip (stray whitespace, invisible
//! characters, an id repeated within one file, a misspelt column): these *warnings* never stop
//! a load; [`GazetteerBuilder::build_with_warnings`] returns them. A loaded gazetteer keeps
//! where every entity row and alias came from ([`Origin`]), for `entgraph gazetteer check`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::fold::{fold_str, fold_str_keep_case};

/// Index of an entity in a [`Gazetteer`]; stable for the life of the gazetteer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityId(pub u32);

/// Index of an alias in a [`Gazetteer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AliasId(pub u32);

impl AliasId {
    /// No alias: the mention of a provisional entity found by discovery.
    pub const NONE: AliasId = AliasId(u32::MAX);
}

/// How the letter case of a match is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseRule {
    /// Any case, but a match whose text has lower-case letters and no upper-case letter is
    /// rejected (`china` the porcelain, `turkey`, `us` in "let us").
    Proper,
    /// Any case at all.
    Insensitive,
    /// The same letters in the same case as the alias (`US`, `APEC`, `=X`).
    Exact,
}

/// An entity's case policy, from the `case` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CasePolicy {
    /// Aliases in all capitals are exact-case, the others [`CaseRule::Proper`].
    #[default]
    Proper,
    /// Every alias is [`CaseRule::Insensitive`] unless marked `=`.
    Insensitive,
    /// Every alias is [`CaseRule::Exact`].
    Exact,
}

/// Where a row or an alias was read: a file of [`Gazetteer::files`] and a 1-based line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// Index into [`Gazetteer::files`].
    pub file: u32,
    pub line: u32,
}

/// One surface form of an entity.
#[derive(Clone, Debug)]
pub struct Alias {
    /// The alias as written, without its `~`/`=` marker.
    pub text: String,
    pub entity: EntityId,
    /// Weak aliases count only in a document that also names the entity by a strong alias.
    pub weak: bool,
    pub case: CaseRule,
    /// Marked `=` in the file (then [`CaseRule::Exact`] whatever the entity's policy).
    pub marked_exact: bool,
    /// The `name` of the row it was read from (a name is always a strong alias).
    pub is_name: bool,
    /// The row that first gave it.
    pub origin: Origin,
}

impl Alias {
    /// As written in the file: `~Lee`, `=US`, `China`.
    pub fn written(&self) -> String {
        let marker = if self.weak {
            "~"
        } else if self.marked_exact {
            "="
        } else {
            ""
        };
        format!("{marker}{}", self.text)
    }
}

/// A row that defined or extended an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntityRow {
    pub origin: Origin,
    /// The row has no `id` value: the id is the [`slug`] of its name.
    pub id_from_name: bool,
}

/// An alias the loader left out because an earlier alias of the same row matches the same
/// text (the same folded text in the same case, weakness and marker).
#[derive(Clone, Debug)]
pub struct RepeatedAlias {
    /// As written, without its marker.
    pub text: String,
    pub weak: bool,
    pub marked_exact: bool,
    pub origin: Origin,
    /// The alias kept in its place.
    pub kept: AliasId,
}

/// A person, place, organization or anything else a gazetteer row describes.
#[derive(Clone, Debug)]
pub struct Entity {
    pub id: String,
    /// The type label (`PERSON`, `ORG`, `LOC`, …).
    pub kind: String,
    pub name: String,
    pub aliases: Vec<AliasId>,
    /// Extra columns, in column-name order. Empty values are not stored.
    pub attributes: BTreeMap<String, String>,
    pub priority: f64,
    pub case: CasePolicy,
    /// The rows that defined it, in load order; the first one gave the name.
    pub rows: Vec<EntityRow>,
}

/// A problem in a gazetteer file, reported as `path:line: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    /// 1-based line number; 0 when the problem concerns the whole file.
    pub line: usize,
    /// A stable identifier of the kind of problem. Errors: `unreadable`, `invalid-utf8`,
    /// `bad-header`, `invalid-row`, `type-conflict`, `control-char`, `short-alias`. Warnings:
    /// `whitespace`, `invisible-char`, `control-char` (in an id), `duplicate-id`,
    /// `unknown-column`.
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path, self.message)
        } else {
            write!(f, "{}:{}: {}", self.path, self.line, self.message)
        }
    }
}

/// All the problems found while loading gazetteers.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{}", .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct GazetteerError(pub Vec<Diagnostic>);

/// A set of entities and their aliases, ready to build a tagger from.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    entities: Vec<Entity>,
    aliases: Vec<Alias>,
    by_id: HashMap<String, EntityId>,
    /// The path (label) of every file added, indexed by [`Origin::file`].
    files: Vec<String>,
    repeated: Vec<RepeatedAlias>,
}

impl Gazetteer {
    /// The default gazetteer shipped in `gazetteers/`, embedded at compile time.
    pub fn default_embedded() -> Result<Gazetteer, GazetteerError> {
        let mut b = GazetteerBuilder::new();
        for (name, content) in DEFAULT_FILES {
            b.add_str(&format!("gazetteers/{name}"), content);
        }
        b.build()
    }

    /// Loads files and directories (every `*.tsv` inside, sorted by name), in order.
    pub fn from_paths<P: AsRef<Path>>(paths: &[P]) -> Result<Gazetteer, GazetteerError> {
        let mut b = GazetteerBuilder::new();
        for p in paths {
            b.add_path(p.as_ref());
        }
        b.build()
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.0 as usize]
    }

    pub fn aliases(&self) -> &[Alias] {
        &self.aliases
    }

    pub fn alias(&self, id: AliasId) -> &Alias {
        &self.aliases[id.0 as usize]
    }

    /// The paths (labels) of the files loaded, in load order; see [`Origin`].
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// The path of the file `origin` lies in.
    pub fn path(&self, origin: Origin) -> &str {
        &self.files[origin.file as usize]
    }

    /// Aliases left out because they repeat an earlier alias of their row.
    pub fn repeated_aliases(&self) -> &[RepeatedAlias] {
        &self.repeated
    }

    /// Finds an entity by its id string.
    pub fn lookup(&self, id: &str) -> Option<EntityId> {
        self.by_id.get(id).copied()
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }
}

// `DEFAULT_FILES: &[(&str, &str)]`: every `gazetteers/*.tsv`, sorted, generated by build.rs.
include!(concat!(env!("OUT_DIR"), "/default_gazetteer.rs"));

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
struct Row {
    origin: Origin,
    kind: String,
    name: String,
    id: String,
    id_from_name: bool,
    /// (text, weak, marked exact); the name first.
    aliases: Vec<(String, bool, bool)>,
    attributes: Vec<(String, String)>,
    priority: Option<f64>,
    case: Option<CasePolicy>,
}

/// How the loader tells repeated aliases of an entity apart: folded text (case kept), weak,
/// marked exact.
type AliasKey = (String, bool, bool);

/// What [`GazetteerBuilder::build_lenient`] returns.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The entities of every row that loaded; complete only when `errors` is empty.
    pub gazetteer: Gazetteer,
    /// The problems that make [`GazetteerBuilder::build`] fail.
    pub errors: Vec<Diagnostic>,
    /// Likely slips that do not stop a load.
    pub warnings: Vec<Diagnostic>,
}

/// Collects gazetteer rows from several sources, then checks and merges them.
#[derive(Default)]
pub struct GazetteerBuilder {
    rows: Vec<Row>,
    diagnostics: Vec<Diagnostic>,
    /// Whether to look for warnings (made by [`GazetteerBuilder::with_warnings`]).
    warn: bool,
    warnings: Vec<Diagnostic>,
    files: Vec<String>,
}

const RESERVED: &[&str] = &["id", "type", "name", "aliases", "priority", "case"];

/// Why the loader rejects an alias.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AliasFault {
    /// It contains a control character.
    ControlChar,
    /// It has fewer than 2 characters and is neither exact-case (marked `=` or on a row whose
    /// `case` is `exact`) nor in capitals.
    TooShort,
    /// It has no letters or digits to match (nothing left after folding).
    NoLetters,
}

/// The loader's rules for an alias (`text` after its `~`/`=` marker; `exact` when marked `=` or
/// on a row whose `case` is `exact`):
/// every rule it breaks, in the order of [`AliasFault`]. `TooShort` and `NoLetters` are never
/// both given.
pub fn alias_faults(text: &str, exact: bool) -> Vec<AliasFault> {
    let mut out = Vec::new();
    if text.chars().any(char::is_control) {
        out.push(AliasFault::ControlChar);
    }
    if text.chars().count() < 2 && !(exact || is_all_caps(text)) {
        out.push(AliasFault::TooShort);
    } else if fold_str(text).is_empty() {
        out.push(AliasFault::NoLetters);
    }
    out
}

impl GazetteerBuilder {
    /// A builder that reports errors only: [`build_with_warnings`](Self::build_with_warnings)
    /// returns no warnings. The fastest load, for tagging.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder that also collects warnings (what loads but is likely a slip), for
    /// [`build_with_warnings`](Self::build_with_warnings) and
    /// [`build_lenient`](Self::build_lenient). Their checks cost about a tenth of the load
    /// time of a large gazetteer, hence not done by [`new`](Self::new).
    pub fn with_warnings() -> Self {
        Self {
            warn: true,
            ..Self::default()
        }
    }

    /// Adds a file, or every `*.tsv` file in a directory (sorted by file name).
    pub fn add_path(&mut self, path: &Path) {
        if path.is_dir() {
            let mut files: Vec<PathBuf> = match std::fs::read_dir(path) {
                Ok(rd) => rd
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "tsv") && p.is_file())
                    .collect(),
                Err(e) => {
                    self.file_problem(path, format!("cannot read directory: {e}"));
                    return;
                }
            };
            files.sort();
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
        self.diagnostics.push(Diagnostic {
            path: path.display().to_string(),
            line: 0,
            code: "unreadable",
            message,
        });
    }

    /// Adds one TSV file.
    pub fn add_file(&mut self, path: &Path) {
        let label = path.display().to_string();
        match std::fs::read(path) {
            Err(e) => self.file_problem(path, format!("cannot read gazetteer: {e}")),
            Ok(bytes) => match std::str::from_utf8(&bytes) {
                Ok(s) => self.add_str(&label, s),
                Err(e) => {
                    let line = bytes[..e.valid_up_to()]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count()
                        + 1;
                    self.diagnostics.push(Diagnostic {
                        path: label,
                        line,
                        code: "invalid-utf8",
                        message: "invalid UTF-8".to_string(),
                    });
                }
            },
        }
    }

    /// Adds TSV content; `path` is only used in diagnostics and [`Gazetteer::files`].
    pub fn add_str(&mut self, path: &str, content: &str) {
        let file = self.files.len() as u32;
        self.files.push(path.to_string());
        let warn = self.warn;
        let mut header: Option<Vec<String>> = None;
        for (n, raw) in content.lines().enumerate() {
            let line = n + 1;
            let text = raw.strip_suffix('\r').unwrap_or(raw);
            if text.trim().is_empty() || text.starts_with('#') {
                continue;
            }
            let mut problem = |code: &'static str, message: String| {
                self.diagnostics.push(Diagnostic {
                    path: path.to_string(),
                    line,
                    code,
                    message,
                })
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
                        "invisible-char",
                        format!(
                            "the header starts with a byte-order mark (U+FEFF), so its first column is not {:?} but an attribute: save the file as UTF-8 without BOM",
                            fields[0].trim_start_matches('\u{FEFF}').trim()
                        ),
                    );
                }
                let cols: Vec<String> = fields.iter().map(|f| f.trim().to_lowercase()).collect();
                if cols.len() < 2 {
                    problem(
                        "bad-header",
                        format!(
                            "header is not tab-separated: expected columns such as `type<TAB>name`, found {text:?}"
                        ),
                    );
                    return;
                }
                let mut bad = false;
                for req in ["type", "name"] {
                    if !cols.iter().any(|c| c == req) {
                        problem("bad-header", format!("header has no `{req}` column"));
                        bad = true;
                    }
                }
                let mut seen = HashSet::new();
                for c in &cols {
                    if c.is_empty() {
                        problem("bad-header", "header has an empty column name".to_string());
                        bad = true;
                    } else if !seen.insert(c) {
                        problem("bad-header", format!("header repeats the column `{c}`"));
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
                                "unknown-column",
                                format!(
                                    "column {c:?} is not a built-in column, so it is kept as an attribute: did you mean `{r}`?"
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
                    "invalid-row",
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
                problem("invalid-row", "empty type".to_string());
                ok = false;
            } else if !kind
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                problem(
                    "invalid-row",
                    format!("type {kind:?} must be an upper-case label such as PERSON, ORG or LOC"),
                );
                ok = false;
            }
            if name.is_empty() {
                problem("invalid-row", "empty name".to_string());
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
                    warnings.push(
                        "control-char",
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
                    "invalid-row",
                    format!("name {name:?} gives an empty id: add an `id` column value"),
                );
                ok = false;
            }
            if ok && id.starts_with(crate::discover::PROVISIONAL_PREFIX) {
                problem(
                    "invalid-row",
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
                        problem("invalid-row", format!("priority {s:?} is not a number"));
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
                        "invalid-row",
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
                    let (code, message) = match fault {
                        AliasFault::ControlChar => (
                            "control-char",
                            format!("alias {text:?} contains a control character"),
                        ),
                        AliasFault::TooShort => (
                            "short-alias",
                            format!(
                                "alias {text:?} is shorter than 2 characters: mark it exact-case (`={text}`) or remove it"
                            ),
                        ),
                        AliasFault::NoLetters => (
                            "invalid-row",
                            format!("alias {text:?} has no letters or digits to match"),
                        ),
                    };
                    problem(code, message);
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
            self.diagnostics.push(Diagnostic {
                path: path.to_string(),
                line: 0,
                code: "bad-header",
                message: "no header row (expected columns such as `type<TAB>name`)".to_string(),
            });
        }
    }

    /// Merges the rows and returns the gazetteer, or every problem found.
    pub fn build(self) -> Result<Gazetteer, GazetteerError> {
        self.build_with_warnings().0
    }

    /// [`build`](Self::build), and the warnings: what loads but is likely a slip (none unless
    /// the builder was made by [`with_warnings`](Self::with_warnings)).
    pub fn build_with_warnings(self) -> (Result<Gazetteer, GazetteerError>, Vec<Diagnostic>) {
        let l = self.build_lenient();
        let g = if l.errors.is_empty() {
            Ok(l.gazetteer)
        } else {
            Err(GazetteerError(l.errors))
        };
        (g, l.warnings)
    }

    /// Merges the rows that passed their checks, whatever the errors: the gazetteer of
    /// everything that loads, with every error and warning.
    pub fn build_lenient(self) -> Loaded {
        let mut errors = self.diagnostics;
        let mut warnings = self.warnings;
        let warn = self.warn;
        let files = self.files;
        let same_place = |a: Origin, b: Origin| {
            a.line == b.line
                && (a.file == b.file || files[a.file as usize] == files[b.file as usize])
        };
        let mut g = Gazetteer::default();
        // Per entity, the aliases already added (folded text, weak, marked exact) to merge
        // duplicates.
        let mut seen_alias: Vec<Vec<(AliasKey, AliasId)>> = Vec::new();
        for row in self.rows {
            let at = EntityRow {
                origin: row.origin,
                id_from_name: row.id_from_name,
            };
            let path = &files[row.origin.file as usize];
            let eid = match g.by_id.get(&row.id) {
                Some(&eid) => {
                    let e = &mut g.entities[eid.0 as usize];
                    let first = e.rows[0].origin;
                    if e.kind != row.kind {
                        errors.push(Diagnostic {
                            path: path.clone(),
                            line: row.origin.line as usize,
                            code: "type-conflict",
                            message: format!(
                                "id {:?} has type {} here but {} at {}:{}",
                                row.id, row.kind, e.kind, files[first.file as usize], first.line
                            ),
                        });
                        continue;
                    }
                    if warn
                        && let Some(same) = e
                            .rows
                            .iter()
                            .find(|r| files[r.origin.file as usize] == *path)
                    {
                        let how = if row.id_from_name {
                            " (the slug of the name)"
                        } else {
                            ""
                        };
                        warnings.push(Diagnostic {
                            path: path.clone(),
                            line: row.origin.line as usize,
                            code: "duplicate-id",
                            message: format!(
                                "id {:?}{how} is also defined at line {}: the rows merge, and the name {:?} of line {} stays canonical",
                                row.id, same.origin.line, e.name, first.line
                            ),
                        });
                    }
                    e.rows.push(at);
                    eid
                }
                None => {
                    let eid = EntityId(g.entities.len() as u32);
                    g.entities.push(Entity {
                        id: row.id.clone(),
                        kind: row.kind.clone(),
                        name: row.name.clone(),
                        aliases: Vec::new(),
                        attributes: BTreeMap::new(),
                        priority: 0.0,
                        case: CasePolicy::Proper,
                        rows: vec![at],
                    });
                    g.by_id.insert(row.id.clone(), eid);
                    seen_alias.push(Vec::new());
                    eid
                }
            };
            let e = &mut g.entities[eid.0 as usize];
            if let Some(p) = row.priority {
                e.priority = p;
            }
            if let Some(c) = row.case {
                e.case = c;
            }
            e.attributes.extend(row.attributes);
            for (k, (text, weak, exact)) in row.aliases.into_iter().enumerate() {
                let key = (fold_str_keep_case(&text), weak, exact);
                let seen = &mut seen_alias[eid.0 as usize];
                if let Some(&(_, kept)) = seen.iter().find(|(s, _)| *s == key) {
                    // Rows that merge repeat aliases by design; within a row it is redundant.
                    if same_place(g.aliases[kept.0 as usize].origin, row.origin) {
                        g.repeated.push(RepeatedAlias {
                            text,
                            weak,
                            marked_exact: exact,
                            origin: row.origin,
                            kept,
                        });
                    }
                    continue;
                }
                let aid = AliasId(g.aliases.len() as u32);
                seen.push((key, aid));
                g.aliases.push(Alias {
                    text,
                    entity: eid,
                    weak,
                    // Settled below, once the entity's case policy is final.
                    case: CaseRule::Proper,
                    marked_exact: exact,
                    is_name: k == 0,
                    origin: row.origin,
                });
                e.aliases.push(aid);
            }
        }
        for a in &mut g.aliases {
            a.case = match g.entities[a.entity.0 as usize].case {
                _ if a.marked_exact => CaseRule::Exact,
                // The loader admits an alias shorter than 2 characters only as exact-case (`=`,
                // in capitals, or on a `case=exact` row): it stays so even if a later row of
                // the entity sets another policy.
                _ if a.text.chars().nth(1).is_none() => CaseRule::Exact,
                CasePolicy::Exact => CaseRule::Exact,
                CasePolicy::Insensitive => CaseRule::Insensitive,
                CasePolicy::Proper if is_all_caps(&a.text) => CaseRule::Exact,
                CasePolicy::Proper => CaseRule::Proper,
            };
        }
        g.files = files;
        Loaded {
            gazetteer: g,
            errors,
            warnings,
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

/// Whether no id, name or alias of the row `text` can have a whitespace, invisible-character
/// or control-character warning, judged in one pass over its bytes: only single spaces, each
/// between two characters that are not a tab, `|`, `~` or `=`, and no control, invisible or
/// non-ASCII whitespace character. Conservative: `false` sends the row to the per-field checks.
fn is_plain_row(text: &str) -> bool {
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
struct Warnings<'a> {
    path: &'a str,
    line: usize,
    out: &'a mut Vec<Diagnostic>,
}

impl Warnings<'_> {
    fn push(&mut self, code: &'static str, message: String) {
        self.out.push(Diagnostic {
            path: self.path.to_string(),
            line: self.line,
            code,
            message,
        });
    }

    /// Whitespace and invisible characters in a raw (untrimmed) id, name or alias, shown in
    /// messages as `shown`.
    fn check_text(&mut self, what: &str, shown: &str, raw: &str) {
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
                "whitespace",
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
                "invisible-char",
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
fn char_name(c: char) -> String {
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
    use super::*;

    fn load(content: &str) -> Result<Gazetteer, GazetteerError> {
        let mut b = GazetteerBuilder::new();
        b.add_str("test.tsv", content);
        b.build()
    }

    fn errors(content: &str) -> Vec<String> {
        load(content)
            .unwrap_err()
            .0
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

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
    fn merges_rows_with_the_same_id() {
        let mut b = GazetteerBuilder::new();
        b.add_str(
            "a.tsv",
            "id\ttype\tname\taliases\nxi\tPERSON\tXi Jinping\t~Xi\n",
        );
        b.add_str(
            "b.tsv",
            "id\ttype\tname\taliases\tcountry\nxi\tPERSON\tXi Jinping\tXI JINPING|~Xi\tchina\n",
        );
        let g = b.build().unwrap();
        assert_eq!(g.len(), 1);
        let xi = g.entity(EntityId(0));
        assert_eq!(xi.aliases.len(), 3);
        assert_eq!(xi.attributes.get("country").unwrap(), "china");
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
    fn diagnostics_have_codes() {
        let codes = |content: &str| -> Vec<&'static str> {
            load(content)
                .unwrap_err()
                .0
                .iter()
                .map(|d| d.code)
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
        assert_eq!(err.0[0].code, "unreadable");
    }

    #[test]
    fn keeps_where_rows_and_aliases_come_from() {
        let mut b = GazetteerBuilder::new();
        b.add_str(
            "a.tsv",
            "type\tname\taliases\nLOC\tParis\t=PAR|Paris|~Lutetia\n",
        );
        b.add_str(
            "b.tsv",
            "id\ttype\tname\taliases\nparis\tLOC\tParis, France\tParis\n",
        );
        let g = b.build().unwrap();
        assert_eq!(g.files(), ["a.tsv", "b.tsv"]);
        let paris = g.entity(g.lookup("paris").unwrap());
        let rows: Vec<_> = paris
            .rows
            .iter()
            .map(|r| (g.path(r.origin), r.origin.line, r.id_from_name))
            .collect();
        assert_eq!(rows, [("a.tsv", 2, true), ("b.tsv", 2, false)]);
        let aliases: Vec<_> = paris
            .aliases
            .iter()
            .map(|&a| {
                let a = g.alias(a);
                (a.written(), a.is_name, g.path(a.origin), a.origin.line)
            })
            .collect();
        assert_eq!(
            aliases,
            [
                ("Paris".to_string(), true, "a.tsv", 2),
                ("=PAR".to_string(), false, "a.tsv", 2),
                ("~Lutetia".to_string(), false, "a.tsv", 2),
                ("Paris, France".to_string(), true, "b.tsv", 2),
            ]
        );
        // `Paris` repeats the name on its own row; on row b.tsv:2 it merges silently.
        let repeated: Vec<_> = g
            .repeated_aliases()
            .iter()
            .map(|r| (r.text.as_str(), g.path(r.origin), r.kept))
            .collect();
        assert_eq!(repeated, [("Paris", "a.tsv", paris.aliases[0])]);
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
        let got: Vec<_> = warnings.iter().map(|d| (d.line, d.code)).collect();
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
                let text: Vec<_> = warnings.iter().filter(|d| d.code != "duplicate-id").collect();
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

    #[test]
    fn case_exact_row_makes_short_aliases_legal() {
        let mut b = GazetteerBuilder::new();
        b.add_str(
            "test.tsv",
            "id\ttype\tname\taliases\tcase\nthree\tORG\t3\tk\texact\n",
        );
        let g = b.build().unwrap();
        let e = g.entity(EntityId(0));
        let rules: Vec<_> = e.aliases.iter().map(|&a| g.alias(a).case).collect();
        assert_eq!(rules, [CaseRule::Exact, CaseRule::Exact]);
        // Not marked `=`: written as in the file.
        assert_eq!(g.alias(e.aliases[0]).written(), "3");
        // `proper` (or no `case`) still refuses them.
        for case in ["proper", ""] {
            assert_eq!(
                errors(&format!("id\ttype\tname\tcase\nthree\tORG\t3\t{case}\n")),
                [
                    "test.tsv:2: alias \"3\" is shorter than 2 characters: mark it exact-case (`=3`) or remove it"
                ]
            );
        }
        assert_eq!(
            errors("id\ttype\tname\tcase\nthree\tORG\t3\tinsensitive\n").len(),
            1
        );
        // A later row with another policy does not make a one-character alias case-blind.
        let mut b = GazetteerBuilder::new();
        b.add_str(
            "test.tsv",
            "id\ttype\tname\taliases\tcase\nthree\tORG\t3\tk\texact\nthree\tORG\tThree\t\tinsensitive\n",
        );
        let g = b.build().unwrap();
        let e = g.entity(EntityId(0));
        let rules: Vec<_> = e.aliases.iter().map(|&a| g.alias(a).case).collect();
        assert_eq!(
            rules,
            [CaseRule::Exact, CaseRule::Exact, CaseRule::Insensitive]
        );
    }

    #[test]
    fn default_gazetteer_loads() {
        let g = Gazetteer::default_embedded().unwrap();
        assert!(!g.is_empty());
    }
}
