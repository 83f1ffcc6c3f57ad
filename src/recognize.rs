//! Finding every entity mention of one document: the gazetteer's tagger, then discovery of the
//! names it does not list.

use crate::discover::{Cues, DiscoverScratch, Discoverer};
use crate::gazetteer::{Gazetteer, GazetteerError};
use crate::tagger::{Scratch, Tagged, Tagger, TaggerError};

/// A [`Tagger`] and, unless switched off, a [`Discoverer`] run after it.
pub struct Recognizer {
    tagger: Tagger,
    discoverer: Option<Discoverer>,
}

/// Buffers reused across documents by [`Recognizer::recognize_with`].
#[derive(Default)]
pub struct RecognizeScratch {
    tag: Scratch,
    discover: DiscoverScratch,
}

/// Why the embedded gazetteer or cue lists could not be made into a [`Recognizer`].
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The embedded gazetteer has errors (every diagnostic, one a line).
    #[error("gazetteer errors:\n{0}")]
    Gazetteer(#[source] GazetteerError),
    /// The embedded cue lists have errors (every diagnostic, one a line).
    #[error("cue list errors:\n{0}")]
    Cues(#[source] GazetteerError),
    /// The gazetteer loaded but its aliases could not be compiled into one automaton.
    #[error(transparent)]
    Tagger(#[from] TaggerError),
}

impl Recognizer {
    /// `discoverer: None` tags gazetteer entities only.
    pub fn new(tagger: Tagger, discoverer: Option<Discoverer>) -> Self {
        Recognizer { tagger, discoverer }
    }

    /// The embedded default gazetteer and cue lists, with discovery on: what the command line
    /// uses without `-g`, `--cues` or `--no-discover`.
    pub fn default_embedded() -> Result<Recognizer, LoadError> {
        let gazetteer = Gazetteer::default_embedded().map_err(LoadError::Gazetteer)?;
        let cues = Cues::default_embedded().map_err(LoadError::Cues)?;
        Ok(Recognizer::new(
            Tagger::new(gazetteer)?,
            Some(Discoverer::new(cues)),
        ))
    }

    /// The gazetteer's tagger, run first on every document.
    pub fn tagger(&self) -> &Tagger {
        &self.tagger
    }

    /// The tagger's gazetteer: ids below its `len()` are its entities, ids above are
    /// provisional.
    pub fn gazetteer(&self) -> &Gazetteer {
        self.tagger.gazetteer()
    }

    /// The discoverer, or `None` when discovery is off (`--no-discover`): then no document
    /// gets provisional entities.
    pub fn discoverer(&self) -> Option<&Discoverer> {
        self.discoverer.as_ref()
    }

    /// [`Recognizer::recognize_with`] with fresh buffers.
    pub fn recognize(&self, text: &str) -> Tagged {
        self.recognize_with(text, &mut RecognizeScratch::default())
    }

    /// Tags `text` ([`Tagger::tag_with`]), then adds provisional entities
    /// ([`Discoverer::discover`]) when discovery is on.
    pub fn recognize_with(&self, text: &str, scratch: &mut RecognizeScratch) -> Tagged {
        let mut tagged = self.tagger.tag_with(text, &mut scratch.tag);
        if let Some(d) = &self.discoverer {
            d.discover(text, &self.tagger, &mut tagged, &mut scratch.discover);
        }
        tagged
    }
}
