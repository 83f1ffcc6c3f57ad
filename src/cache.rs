//! The compiled-gazetteer cache: a [`Tagger`] saved to disk, so that a large gazetteer is not
//! parsed, folded and compiled into its automaton again on every run.
//!
//! A cache file holds the loaded [`Gazetteer`], the tagger's tables and its automaton
//! (daachorse's double array, saved as it is in memory), under a header:
//!
//! | bytes | what |
//! |---|---|
//! | 16 | magic `entgraph-tagger\n` |
//! | 4 | format version ([`FORMAT`], little-endian) |
//! | 1 + n | length and text of the entgraph version that wrote it |
//! | 32 | the key: SHA-256 of the format version and every source (label and bytes) |
//! | 8 + 8 | lengths of the two parts of the payload (tables, automaton), little-endian |
//! | 32 | SHA-256 of the payload |
//! | … | payload: gazetteer and tables (postcard), then the automaton |
//!
//! The file is named by its key (`gazetteer-<key>.bin`), so a changed gazetteer (any byte of
//! any file, or a file renamed, added or reordered) is another file, built afresh. Nothing of a
//! file is trusted before every check passed: magic, format, version (a file from another
//! entgraph version is rebuilt), key, lengths, the payload's SHA-256, then the decoded
//! gazetteer's and tables' consistency (every index in range). Any failure means the tagger is
//! compiled from the sources and the file written again; the caller gets a note to show, never
//! an error. A file is written atomically ([`crate::output::write_atomic`]: a temporary file
//! renamed into place), so a reader never sees half of one, and a failed write (a read-only
//! directory) is a note too.
//!
//! Saved bytes depend only on the sources and the entgraph version: the gazetteer's id index
//! (a hash map) is not saved but rebuilt on load.

use std::io::Write;
use std::path::{Path, PathBuf};

use daachorse::DoubleArrayAhoCorasick;
use sha2::{Digest, Sha256};

use crate::gazetteer::{Diagnostic, Gazetteer, GazetteerBuilder, Source};
use crate::recognize::LoadError;
use crate::tagger::{Tables, Tagger};

/// Version of the file layout and of what the payload holds; bumped whenever either changes
/// shape (a field added to an entity or to the tagger's tables), which gives every file a new
/// key. Files of other entgraph versions are rebuilt whatever their format says.
pub const FORMAT: u32 = 1;

const MAGIC: &[u8; 16] = b"entgraph-tagger\n";
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A directory of compiled gazetteers.
#[derive(Clone, Debug)]
pub struct Cache {
    dir: PathBuf,
}

/// A tagger compiled by [`compile`].
pub struct Compiled {
    /// The tagger of the sources.
    pub tagger: Tagger,
    /// The loader's warnings (with [`GazetteerBuilder::new`]: skipped byte-order marks).
    pub warnings: Vec<Diagnostic>,
    /// What went wrong with the cache, one line each, for stderr: a file that was corrupt or
    /// from another entgraph version (and was rebuilt), a file that could not be written.
    /// Empty when the file was used, or was missing and has been written.
    pub notes: Vec<String>,
    /// Whether the tagger was read from the cache.
    pub from_cache: bool,
}

impl Cache {
    /// The cache in `dir` (created when first written).
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// `entgraph` in the user's cache directory: `$XDG_CACHE_HOME/entgraph`, else
    /// `~/.cache/entgraph` on Linux (the platform's cache directory elsewhere); `None` when
    /// there is no home directory.
    pub fn user_default() -> Option<Cache> {
        dirs::cache_dir().map(|d| Cache::new(d.join("entgraph")))
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file that holds (or will hold) the tagger compiled from `sources`.
    pub fn path_for(&self, sources: &[Source]) -> PathBuf {
        let key = key(sources);
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("gazetteer-{hex}.bin"))
    }
}

/// The key of `sources`: SHA-256 over the format version and every source's label and bytes,
/// each prefixed by its length.
fn key(sources: &[Source]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(FORMAT.to_le_bytes());
    h.update((sources.len() as u64).to_le_bytes());
    for s in sources {
        h.update((s.label.len() as u64).to_le_bytes());
        h.update(s.label.as_bytes());
        h.update((s.bytes.len() as u64).to_le_bytes());
        h.update(&s.bytes);
    }
    h.finalize().into()
}

/// Loads `sources` (in order, like [`GazetteerBuilder::add_bytes`] for each) and compiles them
/// into a [`Tagger`], through `cache` when given: read from it if it holds them, else compiled
/// and written to it. The tagger is the same either way.
///
/// Sources with problems are never cached: a gazetteer with errors fails as without a cache,
/// and one that starts with a byte-order mark (whose warning a cached load could not repeat)
/// is compiled every time.
///
/// # Errors
/// [`LoadError::Gazetteer`] with every problem of the sources, or [`LoadError::Tagger`] if
/// the automaton cannot be built.
pub fn compile(sources: &[Source], cache: Option<&Cache>) -> Result<Compiled, LoadError> {
    let bom = sources.iter().any(|s| s.bytes.starts_with(b"\xEF\xBB\xBF"));
    let cache = cache.filter(|_| !bom);
    let mut notes = Vec::new();
    let path = cache.map(|c| c.path_for(sources));
    if let Some(path) = &path {
        match read(path, &key(sources)) {
            Ok(tagger) => {
                return Ok(Compiled {
                    tagger,
                    warnings: Vec::new(),
                    notes,
                    from_cache: true,
                });
            }
            Err(Miss::Missing) => {}
            Err(Miss::Invalid(why)) => notes.push(format!(
                "compiled gazetteer {}: {why}; compiled again",
                path.display()
            )),
        }
    }
    let mut b = GazetteerBuilder::new();
    for s in sources {
        b.add_bytes(&s.label, &s.bytes);
    }
    let (g, warnings) = b.build_with_warnings();
    let tagger = Tagger::new(g.map_err(LoadError::Gazetteer)?)?;
    if let Some(path) = &path
        && let Err(e) = write(path, &key(sources), &tagger)
    {
        notes.push(format!(
            "cannot save the compiled gazetteer to {}: {e}",
            path.display()
        ));
    }
    Ok(Compiled {
        tagger,
        warnings,
        notes,
        from_cache: false,
    })
}

/// Why a cache file was not used.
enum Miss {
    /// There is none (a new gazetteer, or a first run).
    Missing,
    /// It exists but is not to be trusted: why.
    Invalid(String),
}

/// The header of a cache file up to (not including) the payload.
fn header(key: &[u8; 32], tables: usize, automaton: usize, digest: &[u8]) -> Vec<u8> {
    let mut h = Vec::with_capacity(128);
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&FORMAT.to_le_bytes());
    h.push(VERSION.len() as u8);
    h.extend_from_slice(VERSION.as_bytes());
    h.extend_from_slice(key);
    h.extend_from_slice(&(tables as u64).to_le_bytes());
    h.extend_from_slice(&(automaton as u64).to_le_bytes());
    h.extend_from_slice(digest);
    h
}

fn write(path: &Path, key: &[u8; 32], tagger: &Tagger) -> std::io::Result<()> {
    let (gazetteer, automaton, tables) = tagger.parts();
    let tables = postcard::to_stdvec(&(gazetteer, tables)).map_err(std::io::Error::other)?;
    let automaton = automaton.serialize();
    let mut h = Sha256::new();
    h.update(&tables);
    h.update(&automaton);
    let head = header(key, tables.len(), automaton.len(), &h.finalize());
    crate::output::write_atomic(path, |w: &mut dyn Write| {
        w.write_all(&head)?;
        w.write_all(&tables)?;
        w.write_all(&automaton)
    })
}

/// Takes `n` bytes off the front of `rest`.
fn take<'a>(rest: &mut &'a [u8], n: usize) -> Result<&'a [u8], Miss> {
    if rest.len() < n {
        return Err(Miss::Invalid("truncated".to_string()));
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Ok(head)
}

fn take_u64(rest: &mut &[u8]) -> Result<usize, Miss> {
    let b = take(rest, 8)?;
    usize::try_from(u64::from_le_bytes(b.try_into().expect("8 bytes")))
        .map_err(|_| Miss::Invalid("truncated".to_string()))
}

fn read(path: &Path, key: &[u8; 32]) -> Result<Tagger, Miss> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        // No file, or no directory (a file stands where it should be: writing will say so).
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Err(Miss::Missing);
        }
        Err(e) => return Err(Miss::Invalid(format!("cannot be read ({e})"))),
    };
    let invalid = |why: &str| Miss::Invalid(why.to_string());
    let mut rest = &bytes[..];
    if take(&mut rest, MAGIC.len())? != MAGIC {
        return Err(invalid("not a compiled gazetteer"));
    }
    let format = u32::from_le_bytes(take(&mut rest, 4)?.try_into().expect("4 bytes"));
    let version_len = take(&mut rest, 1)?[0] as usize;
    let version = take(&mut rest, version_len)?;
    if format != FORMAT || version != VERSION.as_bytes() {
        return Err(Miss::Invalid(format!(
            "written by entgraph {} (format {format}), not by this one ({VERSION}, format {FORMAT})",
            crate::escape::terminal(&String::from_utf8_lossy(version))
        )));
    }
    if take(&mut rest, 32)? != key {
        return Err(invalid("made from other gazetteer files"));
    }
    let tables_len = take_u64(&mut rest)?;
    let automaton_len = take_u64(&mut rest)?;
    let digest = take(&mut rest, 32)?;
    if tables_len.checked_add(automaton_len) != Some(rest.len()) {
        return Err(invalid("truncated or padded"));
    }
    let (tables, automaton) = rest.split_at(tables_len);
    // The checksum, the tables and the automaton are three independent pieces of work, done
    // at once on the pool (a third of the load time with two threads). Decoding bytes not yet
    // checked is safe: both decoders are safe code that checks every length against the
    // input. Nothing decoded is used unless the checksum matched.
    let (checked, (decoded, automaton)) = rayon::join(
        || Sha256::digest(rest)[..] == *digest,
        || {
            rayon::join(
                || {
                    postcard::from_bytes::<(Gazetteer, Tables)>(tables)
                        .ok()
                        .map(|(g, t)| (Gazetteer::from_saved(g), t))
                },
                || DoubleArrayAhoCorasick::<u32>::deserialize(automaton),
            )
        },
    );
    if !checked {
        return Err(invalid("corrupt (checksum mismatch)"));
    }
    let (gazetteer, tables) = decoded.ok_or_else(|| invalid("corrupt (undecodable)"))?;
    let (automaton, left) = automaton.map_err(|_| invalid("corrupt (undecodable automaton)"))?;
    if !left.is_empty() {
        return Err(invalid("corrupt (undecodable automaton)"));
    }
    let gazetteer = gazetteer.ok_or_else(|| invalid("inconsistent"))?;
    Tagger::from_parts(gazetteer, automaton, tables).ok_or_else(|| invalid("inconsistent"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn sources(tsv: &str) -> Vec<Source<'_>> {
        vec![Source {
            label: "test.tsv".to_string(),
            bytes: Cow::Borrowed(tsv.as_bytes()),
        }]
    }

    const TSV: &str = "id\ttype\tname\taliases\tcase\tcountry\n\
        xi\tPERSON\tXi Jinping\t~Xi|XI JINPING\t\tchina\n\
        hague\tLOC\tThe Hague\tDen Haag\t\tnl\n\
        us\tLOC\tUnited States\tU.S.|=US\t\t\n\
        three\tORG\t3\tk\texact\t\n";

    const TEXT: &str = "Xi Jinping and Xi flew from The Hague to the US; 3 k and Den Haag.";

    #[test]
    fn a_cached_tagger_tags_as_the_compiled_one() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("c"));
        let s = sources(TSV);
        let fresh = compile(&s, None).unwrap();
        let first = compile(&s, Some(&cache)).unwrap();
        assert!(!first.from_cache && first.notes.is_empty());
        let file = cache.path_for(&s);
        let written = std::fs::read(&file).unwrap();
        let second = compile(&s, Some(&cache)).unwrap();
        assert!(second.from_cache, "{:?}", second.notes);
        for t in [&first.tagger, &second.tagger] {
            assert_eq!(t.tag(TEXT), fresh.tagger.tag(TEXT));
            assert!(t.is_alias("den haag") && !t.is_alias("den"));
            assert_eq!(t.gazetteer().lookup("hague"), Some(crate::EntityId(1)));
            assert_eq!(t.pattern_count(), fresh.tagger.pattern_count());
        }
        assert!(!fresh.tagger.tag(TEXT).mentions.is_empty());
        // Written again from a fresh compile, the file is the same bytes.
        std::fs::remove_file(&file).unwrap();
        compile(&s, Some(&cache)).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), written);
    }

    #[test]
    fn another_gazetteer_is_another_file() {
        let cache = Cache::new("unused");
        let a = sources(TSV);
        let changed = TSV.replace("Den Haag", "Den Haag|s-Gravenhage");
        let mut relabelled = sources(TSV);
        relabelled[0].label = "other.tsv".to_string();
        assert_ne!(cache.path_for(&a), cache.path_for(&sources(&changed)));
        assert_ne!(cache.path_for(&a), cache.path_for(&relabelled));
        assert_eq!(cache.path_for(&a), cache.path_for(&sources(TSV)));
    }

    #[test]
    fn every_damaged_file_is_rebuilt_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let s = sources(TSV);
        compile(&s, Some(&cache)).unwrap();
        let file = cache.path_for(&s);
        let good = std::fs::read(&file).unwrap();
        let version_at = MAGIC.len() + 5;
        let mut other_version = good.clone();
        other_version[version_at] ^= 1;
        let mut other_format = good.clone();
        other_format[MAGIC.len()] ^= 1;
        let damaged: Vec<(Vec<u8>, &str)> = vec![
            (Vec::new(), "truncated"),
            (b"hello".to_vec(), "truncated"),
            (vec![b'x'; 200], "not a compiled gazetteer"),
            (good[..good.len() - 1].to_vec(), "truncated or padded"),
            ([&good[..], b"x"].concat(), "truncated or padded"),
            (
                {
                    let mut b = good.clone();
                    let n = b.len();
                    b[n - 10] ^= 0x40;
                    b
                },
                "checksum",
            ),
            (
                {
                    let mut b = good.clone();
                    b[good.len() / 2] ^= 1;
                    b
                },
                "checksum",
            ),
            (other_version, "written by entgraph"),
            (other_format, "format"),
        ];
        for (bytes, why) in damaged {
            std::fs::write(&file, &bytes).unwrap();
            let c = compile(&s, Some(&cache)).unwrap();
            assert!(!c.from_cache, "{why}");
            assert_eq!(c.notes.len(), 1, "{why}");
            assert!(c.notes[0].contains(why), "{why}: {}", c.notes[0]);
            assert_eq!(std::fs::read(&file).unwrap(), good, "{why}: rewritten");
            assert!(compile(&s, Some(&cache)).unwrap().from_cache);
        }
    }

    #[test]
    fn a_file_that_cannot_be_written_is_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "").unwrap();
        let cache = Cache::new(blocker.join("sub"));
        let c = compile(&sources(TSV), Some(&cache)).unwrap();
        assert!(!c.from_cache);
        assert_eq!(c.notes.len(), 1);
        assert!(c.notes[0].starts_with("cannot save"), "{}", c.notes[0]);
        assert!(!c.tagger.tag(TEXT).mentions.is_empty());
    }

    #[test]
    fn problems_are_never_cached() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let bad = sources("type\tname\nperson\tX\n");
        assert!(matches!(
            compile(&bad, Some(&cache)),
            Err(LoadError::Gazetteer(_))
        ));
        let bom = format!("\u{FEFF}{TSV}");
        let bom = sources(&bom);
        for _ in 0..2 {
            let c = compile(&bom, Some(&cache)).unwrap();
            assert!(!c.from_cache && c.warnings.len() == 1);
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
