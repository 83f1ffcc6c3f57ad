//! What a loaded gazetteer is made of: entities, their aliases and case rules, and where each
//! row and alias came from.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{AliasId, EntityId};

/// How the letter case of a match is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CasePolicy {
    /// Aliases in all capitals are exact-case, the others [`CaseRule::Proper`].
    #[default]
    Proper,
    /// Every alias is [`CaseRule::Insensitive`] unless marked `=`.
    Insensitive,
    /// Every alias is [`CaseRule::Exact`].
    Exact,
}

/// Where a row or an alias was read: a file of [`Gazetteer::files`](super::Gazetteer::files)
/// and a 1-based line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Origin {
    /// Index into [`Gazetteer::files`](super::Gazetteer::files).
    pub file: u32,
    /// 1-based line in that file.
    pub line: u32,
}

/// One surface form of an entity.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Alias {
    /// The alias as written, without its `~`/`=` marker.
    pub text: String,
    /// The entity it names.
    pub entity: EntityId,
    /// Weak aliases count only in a document that also names the entity by a strong alias.
    pub weak: bool,
    /// How the case of a match is judged, settled from the entity's final [`CasePolicy`] (an
    /// alias marked `=` or shorter than 2 characters is always [`CaseRule::Exact`]).
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
        written(&self.text, self.weak, self.marked_exact)
    }
}

/// An alias as written in a file: `text` after its marker, `~` when weak, `=` when marked
/// exact-case.
pub(crate) fn written(text: &str, weak: bool, marked_exact: bool) -> String {
    let marker = if weak {
        "~"
    } else if marked_exact {
        "="
    } else {
        ""
    };
    format!("{marker}{text}")
}

/// A row that defined or extended an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRow {
    /// Where the row was read.
    pub origin: Origin,
    /// The row has no `id` value: the id is the [`slug`](super::slug) of its name.
    pub id_from_name: bool,
}

/// An alias the loader left out because an earlier alias of the same row matches the same
/// text (the same folded text in the same case, weakness and marker).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RepeatedAlias {
    /// As written, without its marker.
    pub text: String,
    /// Marked `~` in the file.
    pub weak: bool,
    /// Marked `=` in the file.
    pub marked_exact: bool,
    /// Where the row giving the repeat was read.
    pub origin: Origin,
    /// The alias kept in its place.
    pub kept: AliasId,
}

/// A person, place, organization or anything else a gazetteer row describes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entity {
    /// The stable id string: the `id` column, or the [`slug`](super::slug) of the row's name.
    pub id: String,
    /// The type label (`PERSON`, `ORG`, `LOC`, …).
    pub kind: String,
    /// The canonical name: the `name` of the first row that defined the entity.
    pub name: String,
    /// Its aliases, the name first, in load order, without repeats.
    pub aliases: Vec<AliasId>,
    /// Extra columns, in column-name order. Empty values are not stored.
    pub attributes: BTreeMap<String, String>,
    /// Settles ambiguous aliases: the higher wins. From the last row that gave one; default 0.
    pub priority: f64,
    /// From the `case` column of the last row that gave one; default [`CasePolicy::Proper`].
    pub case: CasePolicy,
    /// The rows that defined it, in load order; the first one gave the name.
    pub rows: Vec<EntityRow>,
}
