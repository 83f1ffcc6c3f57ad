//! Gazetteers: the people, places and organizations to find, read from TSV files.
//!
//! # Format
//! UTF-8, tab-separated, one entity per row, with a header row. Blank lines and lines
//! starting with `#` are ignored. Columns:
//!
//! | column     | required | meaning |
//! |------------|----------|---------|
//! | `type`     | yes      | upper-case label ([`is_type_label`]): `PERSON`, `ORG`, `LOC`, … |
//! | `name`     | yes      | canonical name, itself an alias |
//! | `id`       | no       | stable id; default [`slug`] of `name` |
//! | `aliases`  | no       | `\|`-separated; `~Lee` is weak, `=US` exact-case |
//! | `priority` | no       | number (default 0) that settles ambiguous aliases |
//! | `case`     | no       | `proper` (default), `insensitive` or `exact` |
//! | any other  | no       | a string attribute carried to every export |
//!
//! Rows with the same `id` (in one file or across files) merge: their aliases and attributes
//! are united and the first row's `name` stays canonical. The same `id` with two types is an
//! error. Every problem is reported as a [`Diagnostic`] (`path:line: message`, with a
//! [`Level`] and a stable [`Code`]), all of them at once, and no gazetteer is returned if there
//! is any. The linter ([`crate::lint`]) and the cue-list checker report with the same type.
//!
//! The loader also notes what loads but is likely a slip (stray whitespace, invisible
//! characters, an id repeated within one file, a misspelt column): these *warnings* never stop
//! a load; [`GazetteerBuilder::build_with_warnings`] returns them. A loaded gazetteer keeps
//! where every entity row and alias came from ([`Origin`]), for `entgraph gazetteer check`.

//! The module is split along the loader's steps: `model` holds what a gazetteer is made of,
//! `tsv` reads and checks rows, `merge` merges them by id into entities, and
//! `diagnostic` reports problems and warnings.

mod diagnostic;
mod merge;
mod model;
mod tsv;

use crate::attribute::{AttrType, AttrValue};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub(crate) use diagnostic::join_and;
pub use diagnostic::{Code, Diagnostic, GazetteerError, Level};
pub use merge::Loaded;
pub(crate) use model::written as written_alias;
pub use model::{Alias, CasePolicy, CaseRule, Entity, EntityRow, Origin, RepeatedAlias};
use tsv::Row;
pub use tsv::{AliasFault, alias_faults, clean_value, is_all_caps, is_type_label, slug};

/// Index of an entity in a [`Gazetteer`]; stable for the life of the gazetteer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EntityId(pub u32);

/// Index of an alias in a [`Gazetteer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AliasId(pub u32);

impl AliasId {
    /// No alias: the mention of a provisional entity found by discovery.
    pub const NONE: AliasId = AliasId(u32::MAX);
}

/// A set of entities and their aliases, ready to build a tagger from.
///
/// Serialized by the compiled-gazetteer cache ([`crate::cache`]) without its id index, which
/// `Gazetteer::from_saved` rebuilds (so the saved bytes do not depend on hash order).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Gazetteer {
    entities: Vec<Entity>,
    aliases: Vec<Alias>,
    #[serde(skip)]
    by_id: HashMap<String, EntityId>,
    /// The path (label) of every file added, indexed by [`Origin::file`].
    files: Vec<String>,
    repeated: Vec<RepeatedAlias>,
    /// The attribute types declared in the headers (`lat:float`), by attribute name.
    attribute_types: BTreeMap<String, AttrType>,
}

impl Gazetteer {
    /// The default gazetteer shipped in `gazetteers/`, embedded at compile time.
    pub fn default_embedded() -> Result<Gazetteer, GazetteerError> {
        let mut b = GazetteerBuilder::new();
        for s in Source::default_embedded() {
            b.add_bytes(&s.label, &s.bytes);
        }
        b.build()
    }

    /// A deserialized gazetteer made whole: its id index rebuilt, and checked for consistency
    /// (every entity's aliases name it, every origin's file exists, ids are unique); `None` if
    /// it is not consistent.
    pub(crate) fn from_saved(mut g: Gazetteer) -> Option<Gazetteer> {
        let files = g.files.len();
        let ok_origin = |o: &Origin| (o.file as usize) < files;
        let consistent = g.entities.iter().enumerate().all(|(i, e)| {
            !e.rows.is_empty()
                && e.rows.iter().all(|r| ok_origin(&r.origin))
                && e.aliases.iter().all(|a| {
                    g.aliases
                        .get(a.0 as usize)
                        .is_some_and(|a| a.entity.0 as usize == i)
                })
        }) && g
            .aliases
            .iter()
            .all(|a| (a.entity.0 as usize) < g.entities.len() && ok_origin(&a.origin))
            && g.repeated
                .iter()
                .all(|r| (r.kept.0 as usize) < g.aliases.len() && ok_origin(&r.origin));
        if !consistent {
            return None;
        }
        g.by_id = HashMap::with_capacity(g.entities.len());
        for (i, e) in g.entities.iter().enumerate() {
            if g.by_id.insert(e.id.clone(), EntityId(i as u32)).is_some() {
                return None;
            }
        }
        Some(g)
    }

    /// Loads files and directories (every `*.tsv` inside, sorted by name), in order.
    pub fn from_paths<P: AsRef<Path>>(paths: &[P]) -> Result<Gazetteer, GazetteerError> {
        let mut b = GazetteerBuilder::new();
        for p in paths {
            b.add_path(p.as_ref());
        }
        b.build()
    }

    /// SHA-256 of what the gazetteer says (its entities, aliases and declared attribute
    /// types), independent of the paths its files were read from: two loads of the same
    /// content have the same fingerprint. Partial counts ([`crate::part`]) record it so that
    /// counts made with different gazetteers are never merged.
    pub fn fingerprint(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        // Infallible for these types (postcard fails only on unsized sequences or writers).
        let bytes = postcard::to_stdvec(&(&self.entities, &self.aliases, &self.attribute_types))
            .unwrap_or_default();
        Sha256::digest(bytes).into()
    }

    /// All entities, indexed by [`EntityId`], in the order their ids first appear in load order.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// The entity `id` names; panics if `id` is not of this gazetteer (a provisional id is not:
    /// resolve those through [`crate::entity::EntityView`]).
    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.0 as usize]
    }

    /// All aliases, indexed by [`AliasId`], in load order (rows in order, each row's aliases
    /// in its order, the name first); a repeat of an entity's earlier alias is not stored.
    pub fn aliases(&self) -> &[Alias] {
        &self.aliases
    }

    /// The alias `id` names; panics if `id` is not of this gazetteer (for instance
    /// [`AliasId::NONE`]).
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

    /// The declared type of every typed attribute (`lat:float` in a header gives `lat` →
    /// [`AttrType::Float`]); an attribute not listed is text. Every value of a listed
    /// attribute parses as its type: the loader reports those that do not.
    pub fn attribute_types(&self) -> &BTreeMap<String, AttrType> {
        &self.attribute_types
    }

    /// The typed value of attribute `name` as an entity holds it (`value`): parsed by its
    /// declared type, or text (also if it does not parse, which a loaded gazetteer rules out).
    pub fn attribute_value(&self, name: &str, value: &str) -> AttrValue {
        match self.attribute_types.get(name) {
            Some(t) => t
                .parse(value)
                .unwrap_or_else(|_| AttrValue::String(value.to_string())),
            None => AttrValue::String(value.to_string()),
        }
    }

    /// Finds an entity by its id string.
    pub fn lookup(&self, id: &str) -> Option<EntityId> {
        self.by_id.get(id).copied()
    }

    /// Number of entities; [`EntityId`]s of the gazetteer are `0..len()`, and ids from `len()` up
    /// are provisional.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether the gazetteer has no entity.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }
}

/// One gazetteer file to load: its label (its path, as diagnostics and [`Gazetteer::files`]
/// show it) and its bytes. What the compiled-gazetteer cache ([`crate::cache`]) hashes.
#[derive(Clone, Debug)]
pub struct Source<'a> {
    /// The path as given (an embedded file is `gazetteers/hand/people.tsv`, …).
    pub label: String,
    /// The file's content (checked for UTF-8 when loaded).
    pub bytes: Cow<'a, [u8]>,
}

impl Source<'static> {
    /// The files of the embedded default gazetteer, in load order.
    pub fn default_embedded() -> Vec<Source<'static>> {
        DEFAULT_FILES
            .iter()
            .map(|(name, content)| Source {
                label: format!("gazetteers/{name}"),
                bytes: Cow::Borrowed(content.as_bytes()),
            })
            .collect()
    }

    /// Reads files and directories (every `*.tsv` inside, sorted by name) in the order
    /// [`GazetteerBuilder::add_path`] loads them, labelled as it labels them; `None` if a path
    /// cannot be read or a directory holds no `*.tsv` (the builder reports those).
    pub fn read_paths<P: AsRef<Path>>(paths: &[P]) -> Option<Vec<Source<'static>>> {
        let mut out = Vec::new();
        for p in paths {
            let p = p.as_ref();
            let files = if p.is_dir() {
                let files = tsv::tsv_files(p).ok()?;
                if files.is_empty() {
                    return None;
                }
                files
            } else {
                vec![p.to_path_buf()]
            };
            for f in files {
                out.push(Source {
                    label: f.display().to_string(),
                    bytes: Cow::Owned(std::fs::read(&f).ok()?),
                });
            }
        }
        Some(out)
    }
}

// `DEFAULT_FILES: &[(&str, &str)]`: every `gazetteers/*.tsv`, sorted, generated by build.rs.
include!(concat!(env!("OUT_DIR"), "/default_gazetteer.rs"));

/// Collects gazetteer rows from several sources, then checks and merges them.
#[derive(Default)]
pub struct GazetteerBuilder {
    rows: Vec<Row>,
    diagnostics: Vec<Diagnostic>,
    /// Whether to look for warnings (made by [`GazetteerBuilder::with_warnings`]).
    warn: bool,
    warnings: Vec<Diagnostic>,
    files: Vec<String>,
    /// Declared attribute types: name → (type, file, header line of the first declaration).
    attribute_types: BTreeMap<String, (AttrType, u32, u32)>,
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads one file's content with a plain builder.
    pub(super) fn load(content: &str) -> Result<Gazetteer, GazetteerError> {
        let mut b = GazetteerBuilder::new();
        b.add_str("test.tsv", content);
        b.build()
    }

    /// The messages of every problem found in one file's content.
    pub(super) fn errors(content: &str) -> Vec<String> {
        load(content)
            .unwrap_err()
            .0
            .iter()
            .map(|d| d.plain().to_string())
            .collect()
    }

    #[test]
    fn default_gazetteer_loads() {
        let g = Gazetteer::default_embedded().unwrap();
        assert!(!g.is_empty());
    }
}
