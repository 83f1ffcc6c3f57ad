//! Explaining an entity: where it is mentioned (keyword in context) and where it appears
//! with another entity.

use crate::cooccur::CooccurrenceCounts;
use crate::date::Date;
use crate::discover::{PROVISIONAL_PREFIX, provisional_id};
use crate::entity::EntityView;
use crate::fold::fold_str;
use crate::gazetteer::{EntityId, Gazetteer};
use crate::input::{InputEvent, RawEvent};
use crate::pipeline::{CountOptions, CountedDocument, Sink, count};
use crate::recognize::Recognizer;
use crate::tagger::Mention;

/// Why a name did not resolve to one entity.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// No entity has this id, canonical name or alias.
    #[error("no entity is called {query:?}{}", suggest(.suggestions))]
    Unknown {
        /// The name as given.
        query: String,
        /// Up to three entities as `Name (id)` whose name, id or an alias is closest to the
        /// query (Jaro-Winkler similarity ≥ 0.75, ignoring case), closest first; may be empty.
        suggestions: Vec<String>,
    },
    /// Several entities have this canonical name (or id), or, if none does, this alias.
    #[error("{query:?} could be any of: {}; name one by id", .candidates.join(", "))]
    Ambiguous {
        /// The name as given.
        query: String,
        /// The ids of every entity it fits (two or more), in gazetteer order.
        candidates: Vec<String>,
    },
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", s.join(", "))
    }
}

/// Finds an entity by id, canonical name or alias (case, diacritics and dashes ignored).
///
/// An exact id wins; otherwise canonical names, then aliases. Several entities sharing the
/// name give [`LookupError::Ambiguous`]; none gives up to three "did you mean" suggestions.
pub fn find_entity(g: &Gazetteer, query: &str) -> Result<EntityId, LookupError> {
    if let Some(e) = g.lookup(query) {
        return Ok(e);
    }
    let q = fold_str(query);
    let by = |names: &dyn Fn(usize) -> Vec<String>| -> Vec<EntityId> {
        (0..g.len())
            .filter(|&i| names(i).iter().any(|n| fold_str(n) == q))
            .map(|i| EntityId(i as u32))
            .collect()
    };
    for found in [
        by(&|i| vec![g.entities()[i].id.clone(), g.entities()[i].name.clone()]),
        by(&|i| {
            g.entities()[i]
                .aliases
                .iter()
                .map(|&a| g.alias(a).text.clone())
                .collect()
        }),
    ] {
        match found.len() {
            0 => continue,
            1 => return Ok(found[0]),
            _ => {
                return Err(LookupError::Ambiguous {
                    query: query.to_string(),
                    candidates: found.iter().map(|&e| g.entity(e).id.clone()).collect(),
                });
            }
        }
    }
    // Suggestions: the closest names and ids by Jaro-Winkler similarity.
    let ql = query.to_lowercase();
    let mut scored: Vec<(f64, String)> = g
        .entities()
        .iter()
        .map(|e| {
            let score = std::iter::once(e.name.as_str())
                .chain(std::iter::once(e.id.as_str()))
                .chain(e.aliases.iter().map(|&a| g.alias(a).text.as_str()))
                .map(|n| strsim::jaro_winkler(&ql, &n.to_lowercase()))
                .fold(0.0, f64::max);
            (score, format!("{} ({})", e.name, e.id))
        })
        .filter(|(s, _)| *s >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Err(LookupError::Unknown {
        query: query.to_string(),
        suggestions: scored.into_iter().take(3).map(|(_, s)| s).collect(),
    })
}

/// A mention in context, on one line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Kwic {
    /// The document's id.
    pub doc: String,
    /// Byte offset of the mention in the original text (on a char boundary).
    pub start: usize,
    /// Byte offset just past the mention (exclusive, on a char boundary).
    pub end: usize,
    /// The context before the mention: up to `width` characters of the original text (fewer
    /// at its start), then every whitespace run shown as one space; not trimmed.
    pub left: String,
    /// The mention's text, whitespace runs shown as one space.
    pub hit: String,
    /// The context after the mention, as `left`: up to `width` characters (fewer at the end).
    pub right: String,
    /// The document's date, when it has one and the caller looked ([`explain`] does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// The document's title, when it has one and the caller looked ([`explain`] does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// Whitespace runs (line breaks included) shown as one space, nothing trimmed.
fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !c.is_whitespace() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

/// The mention `m` of `text` with up to `width` characters of context on each side.
pub fn kwic(doc: &str, text: &str, span: std::ops::Range<usize>, width: usize) -> Kwic {
    let (start, end) = (span.start, span.end);
    let left_start = text[..start]
        .char_indices()
        .rev()
        .nth(width.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let right_end = text[end..]
        .char_indices()
        .nth(width)
        .map_or(text.len(), |(i, _)| end + i);
    Kwic {
        doc: doc.to_string(),
        start,
        end,
        left: squash(&text[left_start..start]),
        hit: squash(&text[start..end]),
        right: squash(&text[end..right_end]),
        date: None,
        title: None,
    }
}

/// A piece of a window's text, marked if it is a mention of one of the entities explained.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Piece {
    /// The piece's text, whitespace runs (line breaks included) shown as one space.
    pub text: String,
    /// The entity id when the piece is one of its mentions.
    pub entity: Option<String>,
}

/// Cuts `text[start..end]` into pieces, marking the mentions of `entities`.
pub fn highlight(
    g: EntityView,
    text: &str,
    start: usize,
    end: usize,
    mentions: &[Mention],
    entities: &[EntityId],
) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut at = start;
    for m in mentions
        .iter()
        .filter(|m| m.start >= start && m.end <= end && entities.contains(&m.entity))
    {
        if m.start > at {
            out.push(Piece {
                text: squash(&text[at..m.start]),
                entity: None,
            });
        }
        out.push(Piece {
            text: squash(&text[m.start..m.end]),
            entity: Some(g.get(m.entity).id().to_string()),
        });
        at = m.end;
    }
    if at < end {
        out.push(Piece {
            text: squash(&text[at..end]),
            entity: None,
        });
    }
    out
}

/// What [`explain`] shows: how much context, and how many items at most.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExplainOptions {
    /// How the corpus is counted (evidence is not needed and may be 0).
    pub count: CountOptions,
    /// Most mentions (or shared windows) kept.
    pub limit: usize,
    /// Characters of context on each side of a mention.
    pub context: usize,
}

/// Why [`explain`] could not explain.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExplainError {
    /// The name fits no gazetteer entity, or several (discovery off).
    #[error(transparent)]
    Lookup(#[from] LookupError),
    /// The name fits no gazetteer entity, and discovery found no provisional entity of that
    /// id in the input.
    #[error("{lookup}, and discovery found no {id} in the input")]
    NotFound {
        /// Why the name fits no gazetteer entity ([`LookupError::Unknown`] or `Ambiguous`).
        lookup: LookupError,
        /// The provisional id looked for: the query if it starts with `new:`, else `new:`
        /// and the slug of the name.
        id: String,
    },
    /// `entity` and `with` name the same entity: there is no pair to explain.
    #[error(
        "{entity:?} and --with {with:?} are the same entity ({id}): --with needs a second, \
         different entity"
    )]
    SameEntity {
        /// The first name as given.
        entity: String,
        /// The second name as given.
        with: String,
        /// The id both resolve to.
        id: String,
    },
}

/// A window two entities share, its text cut into pieces with their mentions marked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedWindow {
    /// The document's id.
    pub doc: String,
    /// Byte range of the window in the document.
    pub start: usize,
    /// End of that byte range (exclusive, on a char boundary).
    pub end: usize,
    /// `text[start..end]` in order: unmarked text between the mentions of the two entities,
    /// each mention a piece of its own with its entity's id.
    pub pieces: Vec<Piece>,
    /// The document's date, when it has one.
    pub date: Option<Date>,
    /// The document's title, when it has one.
    pub title: Option<String>,
}

/// An entity's mentions in context and its partners, or the windows it shares with a second
/// entity.
#[derive(Clone, Debug)]
pub struct Explanation {
    /// The corpus's counts (with its provisional entities).
    pub counts: CooccurrenceCounts,
    /// The entity explained, resolved by [`Explanation::counts`]'s ids (a provisional entity
    /// has the corpus's id).
    pub entity: EntityId,
    /// The second entity, when one was asked for.
    pub with: Option<EntityId>,
    /// Mentions of `entity` in the corpus, and the first [`ExplainOptions::limit`] in context.
    pub mentions: u64,
    /// The first [`ExplainOptions::limit`] mentions of `entity`, in input order.
    pub contexts: Vec<Kwic>,
    /// Windows holding both (with `with` only), and the first `limit` of them.
    pub shared_windows: u64,
    /// The first [`ExplainOptions::limit`] windows holding both, in input order (empty
    /// without `with`).
    pub shared: Vec<SharedWindow>,
}

impl Explanation {
    /// The entities that share a window with `entity`: (entity, windows, documents), most
    /// windows first, then most documents, then by id.
    pub fn partners(&self, entities: EntityView) -> Vec<(EntityId, u64, u64)> {
        let a = self.entity;
        let mut partners: Vec<(EntityId, u64, u64)> = self
            .counts
            .pairs
            .iter()
            .filter_map(|(&(x, y), p)| {
                let other = if x == a {
                    y
                } else if y == a {
                    x
                } else {
                    return None;
                };
                Some((other, p.count, p.documents))
            })
            .collect();
        partners.sort_by(|x, y| {
            y.1.cmp(&x.1)
                .then(y.2.cmp(&x.2))
                .then(entities.get(x.0).id().cmp(entities.get(y.0).id()))
        });
        partners
    }

    /// Documents in which `entity` and `with` share a window (0 without `with`).
    pub fn shared_documents(&self) -> u64 {
        let Some(b) = self.with else { return 0 };
        let a = self.entity;
        self.counts
            .pairs
            .get(&(a.min(b), a.max(b)))
            .map_or(0, |p| p.documents)
    }
}

/// The entity asked about: a gazetteer entity, or a provisional one known by its id once
/// discovery has seen it.
enum Target {
    Listed(EntityId),
    Provisional { id: String, lookup: LookupError },
}

impl Target {
    fn find(g: &Gazetteer, query: &str, discovering: bool) -> Result<Target, LookupError> {
        match find_entity(g, query) {
            Ok(e) => Ok(Target::Listed(e)),
            Err(lookup) if discovering => {
                let id = if query.starts_with(PROVISIONAL_PREFIX) {
                    query.to_string()
                } else {
                    provisional_id(query)
                };
                Ok(Target::Provisional { id, lookup })
            }
            Err(e) => Err(e),
        }
    }

    /// Fills `slot` once the entity is known.
    fn resolve(&self, slot: &mut Option<EntityId>, view: EntityView) {
        match self {
            Target::Listed(e) => *slot = Some(*e),
            Target::Provisional { id, .. } => {
                if slot.is_none() {
                    *slot = view.lookup(id);
                }
            }
        }
    }

    fn unseen(self) -> ExplainError {
        match self {
            Target::Provisional { id, lookup } => ExplainError::NotFound { lookup, id },
            Target::Listed(_) => unreachable!("a listed entity is always resolved"),
        }
    }
}

/// Explains `entity` (an id, name or alias; with discovery on, also a provisional entity's
/// name or `new:` id) over a corpus: its mentions in context, or with `with` the windows both
/// share. Documents and input events also go to `sink`.
pub fn explain<E, I, S>(
    recognizer: &Recognizer,
    events: I,
    entity: &str,
    with: Option<&str>,
    options: &ExplainOptions,
    sink: &mut S,
) -> Result<Explanation, ExplainError>
where
    E: Into<RawEvent>,
    I: IntoIterator<Item = E> + Send,
    S: Sink + ?Sized,
{
    let g = recognizer.gazetteer();
    let discovering = recognizer.discoverer().is_some();
    let ta = Target::find(g, entity, discovering)?;
    let tb = with.map(|w| Target::find(g, w, discovering)).transpose()?;
    let same = |id: &str| ExplainError::SameEntity {
        entity: entity.to_string(),
        with: with.unwrap_or_default().to_string(),
        id: id.to_string(),
    };
    // Known before reading anything when both are gazetteer entities.
    if let (Target::Listed(x), Some(Target::Listed(y))) = (&ta, &tb)
        && x == y
    {
        return Err(same(&g.entity(*x).id));
    }
    struct Collect<'a, S: ?Sized> {
        sink: &'a mut S,
        options: &'a ExplainOptions,
        ta: &'a Target,
        tb: Option<&'a Target>,
        a: Option<EntityId>,
        b: Option<EntityId>,
        mentions: u64,
        contexts: Vec<Kwic>,
        shared_windows: u64,
        shared: Vec<SharedWindow>,
    }
    impl<S: Sink + ?Sized> Sink for Collect<'_, S> {
        fn note(&mut self, event: &InputEvent) {
            self.sink.note(event);
        }

        fn counted(&mut self, d: &CountedDocument) {
            self.sink.counted(d);
            self.ta.resolve(&mut self.a, d.entities);
            if let Some(tb) = self.tb {
                tb.resolve(&mut self.b, d.entities);
            }
            let Some(a) = self.a else { return };
            let (doc, text) = (&d.document.id, &d.document.text);
            let (date, title) = (d.document.date(), d.document.title());
            for m in d.mentions.iter().filter(|m| m.entity == a) {
                self.mentions += 1;
                if self.contexts.len() < self.options.limit {
                    self.contexts.push(Kwic {
                        date,
                        title: title.map(str::to_string),
                        ..kwic(doc, text, m.start..m.end, self.options.context)
                    });
                }
            }
            let Some(b) = self.b else { return };
            let both = |x: &&crate::window::Window| {
                x.entities.binary_search(&a).is_ok() && x.entities.binary_search(&b).is_ok()
            };
            for win in d.windows.windows.iter().filter(both) {
                self.shared_windows += 1;
                if self.shared.len() < self.options.limit {
                    let pieces =
                        highlight(d.entities, text, win.start, win.end, d.mentions, &[a, b]);
                    self.shared.push(SharedWindow {
                        doc: doc.clone(),
                        start: win.start,
                        end: win.end,
                        pieces,
                        date,
                        title: title.map(str::to_string),
                    });
                }
            }
        }
    }
    let mut collect = Collect {
        sink,
        options,
        ta: &ta,
        tb: tb.as_ref(),
        a: None,
        b: None,
        mentions: 0,
        contexts: Vec::new(),
        shared_windows: 0,
        shared: Vec::new(),
    };
    let counts = count(recognizer, events, &options.count, &mut collect);
    let Collect {
        a,
        b,
        mentions,
        contexts,
        shared_windows,
        shared,
        ..
    } = collect;
    let a = match (a, &ta) {
        (Some(a), _) => a,
        (None, Target::Listed(e)) => *e,
        (None, _) => return Err(ta.unseen()),
    };
    let b = match (b, tb) {
        (Some(b), _) => Some(b),
        (None, Some(Target::Listed(e))) => Some(e),
        (None, Some(tb)) => return Err(tb.unseen()),
        (None, None) => None,
    };
    if b == Some(a) {
        return Err(same(EntityView::new(g, &counts.provisional).get(a).id()));
    }
    Ok(Explanation {
        counts,
        entity: a,
        with: b,
        mentions,
        contexts,
        shared_windows,
        shared,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::GazetteerBuilder;
    use crate::tagger::Tagger;

    fn tagger() -> Tagger {
        let mut b = GazetteerBuilder::new();
        b.add_str(
            "g.tsv",
            "id\ttype\tname\taliases\nlee-jae-myung\tPERSON\tLee Jae-myung\t~Lee\nxi-jinping\tPERSON\tXi Jinping\t~Xi\ngeorgia-state\tLOC\tGeorgia\t\ngeorgia-country\tLOC\tGeorgia\t\n",
        );
        Tagger::new(b.build().unwrap()).unwrap()
    }

    #[test]
    fn finds_entities_by_id_name_alias() {
        let t = tagger();
        let g = t.gazetteer();
        let id = |q: &str| find_entity(g, q).map(|e| g.entity(e).id.clone());
        assert_eq!(id("xi-jinping").unwrap(), "xi-jinping");
        assert_eq!(id("XI JINPING").unwrap(), "xi-jinping");
        assert_eq!(id("lee jae myung").unwrap(), "lee-jae-myung");
        assert_eq!(id("lee").unwrap(), "lee-jae-myung");
        assert_eq!(
            id("Georgia").unwrap_err().to_string(),
            "\"Georgia\" could be any of: georgia-state, georgia-country; name one by id"
        );
        let err = id("Xi Jinpin").unwrap_err().to_string();
        assert_eq!(
            err,
            "no entity is called \"Xi Jinpin\"; did you mean Xi Jinping (xi-jinping)?"
        );
    }

    #[test]
    fn keyword_in_context() {
        let t = tagger();
        let text = "In Seoul,\nLee Jae-myung met Xi Jinping at the summit.";
        let tagged = t.tag(text);
        let m = &tagged.mentions[0];
        let k = kwic("d", text, m.start..m.end, 10);
        assert_eq!(
            (k.left.as_str(), k.hit.as_str(), k.right.as_str()),
            ("In Seoul, ", "Lee Jae-myung", " met Xi Ji")
        );
        let pieces = highlight(
            EntityView::listed(t.gazetteer()),
            text,
            10,
            text.len(),
            &tagged.mentions,
            &[tagged.mentions[0].entity, tagged.mentions[1].entity],
        );
        let joined: String = pieces
            .iter()
            .map(|p| match &p.entity {
                Some(_) => format!("[{}]", p.text),
                None => p.text.clone(),
            })
            .collect();
        assert_eq!(joined, "[Lee Jae-myung] met [Xi Jinping] at the summit.");
    }
}
