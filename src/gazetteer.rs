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
//! error. Every problem is reported as a [`Diagnostic`] (`path:line: message`), all of them at
//! once, and no gazetteer is returned if there is any.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::fold::{fold_str, fold_str_keep_case};

/// Index of an entity in a [`Gazetteer`]; stable for the life of the gazetteer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityId(pub u32);

/// Index of an alias in a [`Gazetteer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AliasId(pub u32);

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

/// One surface form of an entity.
#[derive(Clone, Debug)]
pub struct Alias {
    /// The alias as written, without its `~`/`=` marker.
    pub text: String,
    pub entity: EntityId,
    /// Weak aliases count only in a document that also names the entity by a strong alias.
    pub weak: bool,
    pub case: CaseRule,
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
}

/// A problem in a gazetteer file, reported as `path:line: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    /// 1-based line number; 0 when the problem concerns the whole file.
    pub line: usize,
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

struct Row {
    path: String,
    line: usize,
    kind: String,
    name: String,
    id: String,
    aliases: Vec<(String, bool, bool)>,
    attributes: Vec<(String, String)>,
    priority: Option<f64>,
    case: Option<CasePolicy>,
}

/// Collects gazetteer rows from several sources, then checks and merges them.
#[derive(Default)]
pub struct GazetteerBuilder {
    rows: Vec<Row>,
    diagnostics: Vec<Diagnostic>,
}

const RESERVED: &[&str] = &["id", "type", "name", "aliases", "priority", "case"];

impl GazetteerBuilder {
    pub fn new() -> Self {
        Self::default()
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
                        message: "invalid UTF-8".to_string(),
                    });
                }
            },
        }
    }

    /// Adds TSV content; `path` is only used in diagnostics.
    pub fn add_str(&mut self, path: &str, content: &str) {
        let mut header: Option<Vec<String>> = None;
        for (n, raw) in content.lines().enumerate() {
            let line = n + 1;
            let text = raw.strip_suffix('\r').unwrap_or(raw);
            if text.trim().is_empty() || text.starts_with('#') {
                continue;
            }
            let mut problem = |message: String| {
                self.diagnostics.push(Diagnostic {
                    path: path.to_string(),
                    line,
                    message,
                })
            };
            let fields: Vec<&str> = text.split('\t').collect();
            let Some(cols) = &header else {
                let cols: Vec<String> = fields.iter().map(|f| f.trim().to_lowercase()).collect();
                if cols.len() < 2 {
                    problem(format!(
                        "header is not tab-separated: expected columns such as `type<TAB>name`, found {text:?}"
                    ));
                    return;
                }
                let mut bad = false;
                for req in ["type", "name"] {
                    if !cols.iter().any(|c| c == req) {
                        problem(format!("header has no `{req}` column"));
                        bad = true;
                    }
                }
                let mut seen = std::collections::HashSet::new();
                for c in &cols {
                    if c.is_empty() {
                        problem("header has an empty column name".to_string());
                        bad = true;
                    } else if !seen.insert(c) {
                        problem(format!("header repeats the column `{c}`"));
                        bad = true;
                    }
                }
                if bad {
                    return;
                }
                header = Some(cols);
                continue;
            };
            if fields.len() > cols.len() {
                problem(format!(
                    "row has {} fields but the header has {} columns",
                    fields.len(),
                    cols.len()
                ));
                continue;
            }
            let get = |name: &str| -> &str {
                cols.iter()
                    .position(|c| c == name)
                    .and_then(|i| fields.get(i))
                    .map(|s| s.trim())
                    .unwrap_or("")
            };
            let kind = get("type").to_string();
            let name = get("name").to_string();
            let mut ok = true;
            if kind.is_empty() {
                problem("empty type".to_string());
                ok = false;
            } else if !kind
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                problem(format!(
                    "type {kind:?} must be an upper-case label such as PERSON, ORG or LOC"
                ));
                ok = false;
            }
            if name.is_empty() {
                problem("empty name".to_string());
                ok = false;
            }
            let id = match get("id") {
                "" => slug(&name),
                s => s.to_string(),
            };
            if ok && id.is_empty() {
                problem(format!(
                    "name {name:?} gives an empty id: add an `id` column value"
                ));
                ok = false;
            }
            let priority = match get("priority") {
                "" => None,
                s => match s.parse::<f64>() {
                    Ok(p) if p.is_finite() => Some(p),
                    _ => {
                        problem(format!("priority {s:?} is not a number"));
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
                    problem(format!(
                        "case {s:?} must be `proper`, `insensitive` or `exact`"
                    ));
                    ok = false;
                    None
                }
            };
            let mut aliases = Vec::new();
            if !name.is_empty() {
                aliases.push((name.clone(), false, false));
            }
            for a in get("aliases").split('|') {
                let a = a.trim();
                if a.is_empty() {
                    continue;
                }
                let (text, weak, exact) = if let Some(r) = a.strip_prefix('~') {
                    (r.trim(), true, false)
                } else if let Some(r) = a.strip_prefix('=') {
                    (r.trim(), false, true)
                } else {
                    (a, false, false)
                };
                aliases.push((text.to_string(), weak, exact));
            }
            for (text, _, exact) in &aliases {
                if text.chars().any(|c| c.is_control()) {
                    problem(format!("alias {text:?} contains a control character"));
                    ok = false;
                }
                let all_caps = is_all_caps(text);
                if text.chars().count() < 2 && !(*exact || all_caps) {
                    problem(format!(
                        "alias {text:?} is shorter than 2 characters: mark it exact-case (`={text}`) or remove it"
                    ));
                    ok = false;
                } else if fold_str(text).is_empty() {
                    problem(format!("alias {text:?} has no letters or digits to match"));
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
                    path: path.to_string(),
                    line,
                    kind,
                    name,
                    id,
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
                message: "no header row (expected columns such as `type<TAB>name`)".to_string(),
            });
        }
    }

    /// Merges the rows and returns the gazetteer, or every problem found.
    pub fn build(self) -> Result<Gazetteer, GazetteerError> {
        let mut diagnostics = self.diagnostics;
        let mut g = Gazetteer::default();
        // Where each entity was first defined, for type-conflict messages.
        let mut origin: Vec<(String, usize)> = Vec::new();
        // Per entity, the aliases already added (folded text, weak, case) to merge duplicates.
        let mut seen_alias: Vec<Vec<(String, bool, bool)>> = Vec::new();
        for row in self.rows {
            let eid = match g.by_id.get(&row.id) {
                Some(&eid) => {
                    let e = &mut g.entities[eid.0 as usize];
                    if e.kind != row.kind {
                        let (p, l) = &origin[eid.0 as usize];
                        diagnostics.push(Diagnostic {
                            path: row.path.clone(),
                            line: row.line,
                            message: format!(
                                "id {:?} has type {} here but {} at {p}:{l}",
                                row.id, row.kind, e.kind
                            ),
                        });
                        continue;
                    }
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
                    });
                    g.by_id.insert(row.id.clone(), eid);
                    origin.push((row.path.clone(), row.line));
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
            for (text, weak, exact) in row.aliases {
                let key = (fold_str_keep_case(&text), weak, exact);
                if seen_alias[eid.0 as usize].contains(&key) {
                    continue;
                }
                seen_alias[eid.0 as usize].push(key);
                let aid = AliasId(g.aliases.len() as u32);
                g.aliases.push(Alias {
                    text,
                    entity: eid,
                    weak,
                    // Settled below, once the entity's case policy is final.
                    case: if exact {
                        CaseRule::Exact
                    } else {
                        CaseRule::Proper
                    },
                });
                e.aliases.push(aid);
            }
        }
        for a in &mut g.aliases {
            if a.case == CaseRule::Exact {
                continue;
            }
            a.case = match g.entities[a.entity.0 as usize].case {
                CasePolicy::Exact => CaseRule::Exact,
                CasePolicy::Insensitive => CaseRule::Insensitive,
                CasePolicy::Proper if is_all_caps(&a.text) => CaseRule::Exact,
                CasePolicy::Proper => CaseRule::Proper,
            };
        }
        if diagnostics.is_empty() {
            Ok(g)
        } else {
            Err(GazetteerError(diagnostics))
        }
    }
}

/// An alias written entirely in capitals: at least one cased letter, none lower-case.
fn is_all_caps(s: &str) -> bool {
    s.chars().any(|c| c.is_uppercase()) && !s.chars().any(|c| c.is_lowercase())
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
    fn default_gazetteer_loads() {
        let g = Gazetteer::default_embedded().unwrap();
        assert!(!g.is_empty());
    }
}
