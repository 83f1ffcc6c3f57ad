//! Entities as the stages after tagging see them: the gazetteer's, then the provisional ones
//! that discovery found.

use std::collections::BTreeMap;

use crate::discover::ProvisionalEntity;
use crate::gazetteer::{Entity, EntityId, Gazetteer};

/// One entity, listed in the gazetteer or provisional.
#[derive(Clone, Copy, Debug)]
pub enum EntityRef<'a> {
    /// An entity of the gazetteer (its id is below `gazetteer.len()`).
    Listed(&'a Entity),
    /// An entity found by discovery (id `new:<slug>`), local to the enclosing document or
    /// corpus.
    Provisional(&'a ProvisionalEntity),
}

impl<'a> EntityRef<'a> {
    /// The string id: the gazetteer's `id` column, or `new:<slug>` for a provisional entity.
    pub fn id(self) -> &'a str {
        match self {
            EntityRef::Listed(e) => &e.id,
            EntityRef::Provisional(p) => &p.id,
        }
    }

    /// The type label (`PERSON`, `ORG`, `LOC`, …).
    pub fn kind(self) -> &'a str {
        match self {
            EntityRef::Listed(e) => &e.kind,
            EntityRef::Provisional(p) => p.kind,
        }
    }

    /// The canonical name (a provisional entity's full name as first written).
    pub fn name(self) -> &'a str {
        match self {
            EntityRef::Listed(e) => &e.name,
            EntityRef::Provisional(p) => &p.name,
        }
    }

    /// The gazetteer's attributes (none for a provisional entity).
    pub fn attributes(self) -> Option<&'a BTreeMap<String, String>> {
        match self {
            EntityRef::Listed(e) => Some(&e.attributes),
            EntityRef::Provisional(_) => None,
        }
    }

    /// The provisional entity, if this is one.
    pub fn provisional(self) -> Option<&'a ProvisionalEntity> {
        match self {
            EntityRef::Listed(_) => None,
            EntityRef::Provisional(p) => Some(p),
        }
    }

    /// Whether this is a [`EntityRef::Provisional`] entity.
    pub fn is_provisional(self) -> bool {
        matches!(self, EntityRef::Provisional(_))
    }
}

/// The gazetteer's entities followed by provisional ones: `EntityId(i)` for `i <
/// gazetteer.len()` is the gazetteer's, and `EntityId(gazetteer.len() + k)` is
/// `provisional[k]` (of one document's [`crate::tagger::Tagged`], or of a corpus's counts).
#[derive(Clone, Copy, Debug)]
pub struct EntityView<'a> {
    gazetteer: &'a Gazetteer,
    provisional: &'a [ProvisionalEntity],
}

impl<'a> EntityView<'a> {
    /// The view of `gazetteer` followed by `provisional`, which must be the provisional
    /// entities of the scope whose ids are looked up (document or corpus).
    pub fn new(gazetteer: &'a Gazetteer, provisional: &'a [ProvisionalEntity]) -> Self {
        EntityView {
            gazetteer,
            provisional,
        }
    }

    /// The gazetteer's entities only.
    pub fn listed(gazetteer: &'a Gazetteer) -> Self {
        EntityView::new(gazetteer, &[])
    }

    /// The gazetteer whose entities are the ids below `gazetteer.len()`.
    pub fn gazetteer(&self) -> &'a Gazetteer {
        self.gazetteer
    }

    /// The provisional entities: `provisional()[k]` is `EntityId(gazetteer.len() + k)`.
    pub fn provisional(&self) -> &'a [ProvisionalEntity] {
        self.provisional
    }

    /// The entity `e` names.
    ///
    /// # Panics
    /// If `e` is neither a gazetteer entity nor one of the provisional ones.
    pub fn get(&self, e: EntityId) -> EntityRef<'a> {
        let n = self.gazetteer.len();
        let i = e.0 as usize;
        if i < n {
            EntityRef::Listed(self.gazetteer.entity(e))
        } else {
            EntityRef::Provisional(&self.provisional[i - n])
        }
    }

    /// Whether `e` is past the gazetteer's ids, so provisional (it is not checked against
    /// the provisional list: [`EntityView::get`] panics on an id beyond it).
    pub fn is_provisional(&self, e: EntityId) -> bool {
        e.0 as usize >= self.gazetteer.len()
    }

    /// The entity with this id, listed or provisional.
    pub fn lookup(&self, id: &str) -> Option<EntityId> {
        self.gazetteer.lookup(id).or_else(|| {
            self.provisional
                .iter()
                .position(|p| p.id == id)
                .map(|k| EntityId((self.gazetteer.len() + k) as u32))
        })
    }

    /// Every entity id, listed first.
    pub fn ids(&self) -> impl Iterator<Item = EntityId> + '_ {
        (0..(self.gazetteer.len() + self.provisional.len()) as u32).map(EntityId)
    }
}
