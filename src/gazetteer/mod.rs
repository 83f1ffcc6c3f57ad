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
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityId(pub u32);

/// Index of an alias in a [`Gazetteer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AliasId(pub u32);

impl AliasId {
    /// No alias: the mention of a provisional entity found by discovery.
    pub const NONE: AliasId = AliasId(u32::MAX);
}

/// A set of entities and their aliases, ready to build a tagger from.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    entities: Vec<Entity>,
    aliases: Vec<Alias>,
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
