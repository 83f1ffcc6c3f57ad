//! A set of output files (`graph.dot`, `graph.json`, …) published into one directory as one
//! unit, with a manifest written last that names the set and each file's SHA-256.
//!
//! How: [`FileSet::stage`] writes every file, concurrently, into a fresh staging directory
//! `.entgraph-<PID>-<RANDOM>.d` inside the output directory; nothing the directory's readers
//! see has changed yet. [`Staged::publish`] then takes an exclusive lock on
//! `DIR/.entgraph.lock` (so concurrent runs publish one after the other: the last one's set
//! wins whole) and, within a section a signal waits for ([`super::temp::critical`]):
//!
//! 1. moves the old manifest aside (from here until step 4 the directory has no manifest:
//!    a reader that checks it knows a set is being replaced);
//! 2. moves aside the files the old manifest named that the new set does not have (a
//!    `graph.html` from an earlier `-f dot,json,html` run would otherwise sit beside a
//!    newer `graph.dot`); files no manifest named are never touched;
//! 3. renames each staged file over its target (each rename is atomic: a reader of
//!    `graph.json` sees the old file or the new one, whole);
//! 4. writes the new manifest ([`MANIFEST`]).
//!
//! A failure at any step undoes the steps before it (moved files go back, the old files
//! are restored from hard links taken before each rename), so the directory holds the old
//! set or the new one. What is not covered: a reader that opens `graph.dot` and `graph.json`
//! during step 3 (a few renames, microseconds) may get one of each; it can tell by checking
//! both against the manifest's hashes (and retrying). A power cut or SIGKILL within step 3
//! can leave such a mix, without a manifest (so it is detectable); the staging directory it
//! leaves behind is swept by a later run ([`super::temp::sweep_stale`]).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::temp::{self, Registration};

/// The manifest's file name in the output directory.
pub const MANIFEST: &str = "graph.manifest.json";

/// The lock file that serialises publishing into a directory.
pub const LOCK: &str = ".entgraph.lock";

/// A file's writer: gets a buffered writer on the staged file.
type Writer<'a> = Box<dyn FnOnce(&mut dyn Write) -> io::Result<()> + Send + 'a>;

/// Files to write into one directory as one unit. Adding an output format is adding one
/// [`FileSet::add`].
pub struct FileSet<'a> {
    dir: PathBuf,
    files: Vec<(String, Writer<'a>)>,
}

/// One file of a published set, as the manifest records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The file's name in the directory.
    pub name: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
}

/// `graph.manifest.json`: the files of the set last published, in the order they were added,
/// and `set`, the SHA-256 of the lines `NAME<TAB>SHA256\n` of those files (one id for the
/// whole set). Written last; byte-identical for the same files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// SHA-256 over the names and hashes of `files`.
    pub set: String,
    /// The files of the set.
    pub files: Vec<FileEntry>,
}

impl Manifest {
    fn new(files: Vec<FileEntry>) -> Manifest {
        let mut h = Sha256::new();
        for f in &files {
            h.update(f.name.as_bytes());
            h.update(b"\t");
            h.update(f.sha256.as_bytes());
            h.update(b"\n");
        }
        Manifest {
            set: hex(&h.finalize()),
            files,
        }
    }

    /// Reads `dir`'s manifest: `None` when there is none or it does not parse (a damaged
    /// manifest names nothing, so nothing is removed on its word).
    pub fn read(dir: &Path) -> Option<Manifest> {
        let text = std::fs::read(dir.join(MANIFEST)).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Whether every file of the manifest is in `dir` with the recorded bytes: what a reader
    /// checks to know it read one set.
    pub fn verify(&self, dir: &Path) -> bool {
        self.files.iter().all(|f| f.matches(dir))
    }
}

impl FileEntry {
    /// Whether `dir` holds this file with these bytes.
    pub fn matches(&self, dir: &Path) -> bool {
        std::fs::read(dir.join(&self.name))
            .is_ok_and(|b| b.len() as u64 == self.bytes && hex(&Sha256::digest(&b)) == self.sha256)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `what: error`, keeping the error's kind.
fn context(e: io::Error, what: impl std::fmt::Display) -> io::Error {
    io::Error::new(e.kind(), format!("{what}: {e}"))
}

/// Counts and hashes what goes through it.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<'a> FileSet<'a> {
    /// An empty set of files for `dir`.
    pub fn new(dir: &Path) -> FileSet<'a> {
        FileSet {
            dir: dir.to_path_buf(),
            files: Vec::new(),
        }
    }

    /// Adds the file `name` (a plain file name, not [`MANIFEST`]), whose bytes `write`
    /// produces. A name added twice keeps its first writer.
    pub fn add(
        &mut self,
        name: &str,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()> + Send + 'a,
    ) {
        if name != MANIFEST && !self.files.iter().any(|(n, _)| n == name) {
            self.files.push((name.to_string(), Box::new(write)));
        }
    }

    /// Writes every file into a fresh staging directory inside the output directory (created
    /// if missing, and swept of stale temporaries first), each file on a thread of its own.
    /// Refuses, before writing anything, a target that is not a regular file. On error the
    /// staging directory is removed and the output directory is as it was.
    pub fn stage(self) -> io::Result<Staged> {
        let dir = self.dir;
        std::fs::create_dir_all(&dir).map_err(|e| context(e, dir.display()))?;
        temp::sweep_stale(&dir);
        for name in self.files.iter().map(|(n, _)| n.as_str()).chain([MANIFEST]) {
            super::check_replaceable(&dir.join(name))?;
        }
        let prefix = temp::own_prefix();
        let (stage, registration) = temp::create_registered(
            || {
                tempfile::Builder::new()
                    .prefix(&prefix)
                    .suffix(".d")
                    .tempdir_in(&dir)
            },
            |d| d.path(),
        )
        .map_err(|e| {
            context(
                e,
                format!("creating a staging directory in {}", dir.display()),
            )
        })?;
        // Every file is created before any thread starts, so that a signal handler removing
        // the staging directory never races with a creation inside it.
        let mut jobs = Vec::with_capacity(self.files.len());
        for (name, write) in self.files {
            let path = stage.path().join(&name);
            let file = File::create(&path).map_err(|e| context(e, path.display()))?;
            jobs.push((name, file, write));
        }
        let results: Vec<io::Result<FileEntry>> = std::thread::scope(|s| {
            let handles: Vec<_> = jobs
                .into_iter()
                .map(|(name, file, write)| {
                    let target = dir.join(&name);
                    s.spawn(move || {
                        write_one(name, file, write).map_err(|e| context(e, target.display()))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(io::Error::other("a writer thread panicked")))
                })
                .collect()
        });
        let files = results.into_iter().collect::<io::Result<Vec<_>>>()?;
        Ok(Staged {
            dir,
            stage,
            _registration: registration,
            files,
        })
    }
}

fn write_one(name: String, file: File, write: Writer) -> io::Result<FileEntry> {
    // The hash is fed behind the buffer, a 64 KiB block at a time, not each small write
    // of a serializer.
    let mut w = BufWriter::with_capacity(
        1 << 16,
        Hashing {
            inner: file,
            hash: Sha256::new(),
            bytes: 0,
        },
    );
    write(&mut w)?;
    w.flush()?;
    let hashed = w.into_inner().map_err(|e| e.into_error())?;
    hashed.inner.sync_all()?;
    Ok(FileEntry {
        name,
        bytes: hashed.bytes,
        sha256: hex(&hashed.hash.finalize()),
    })
}

/// A set written into its staging directory, not yet visible. Dropping it without
/// publishing removes the staging directory.
pub struct Staged {
    dir: PathBuf,
    stage: tempfile::TempDir,
    _registration: Registration,
    files: Vec<FileEntry>,
}

/// One step of a publish, as it is undone.
enum Undo {
    /// Move `from` back to `to`.
    Back { from: PathBuf, to: PathBuf },
    /// Remove `path` (a new file where there was none).
    Remove(PathBuf),
}

impl Staged {
    /// Where the staged file `name` is (to read it, e.g. to render the staged DOT file, or
    /// to write a file for [`Staged::adopt`]).
    pub fn path(&self, name: &str) -> PathBuf {
        self.stage.path().join(name)
    }

    /// Adds the file `name` that the caller wrote at [`Staged::path`] to the set.
    pub fn adopt(&mut self, name: &str) -> io::Result<()> {
        let path = self.path(name);
        let bytes = std::fs::read(&path).map_err(|e| context(e, path.display()))?;
        self.files.retain(|f| f.name != name);
        self.files.push(FileEntry {
            name: name.to_string(),
            bytes: bytes.len() as u64,
            sha256: hex(&Sha256::digest(&bytes)),
        });
        Ok(())
    }

    /// The staged files, in the order they were added.
    pub fn files(&self) -> &[FileEntry] {
        &self.files
    }

    /// Publishes the set (see the module doc) and returns its manifest. On error the
    /// directory holds the old set, as it was.
    pub fn publish(self) -> io::Result<Manifest> {
        self.publish_with(|_| Ok(()))
    }

    /// [`Staged::publish`] with `fail` called before each rename of a staged file over its
    /// target (with the file name): an error from it is treated as that rename failing. For
    /// tests of the roll-back.
    #[doc(hidden)]
    pub fn publish_with(
        self,
        mut fail: impl FnMut(&str) -> io::Result<()>,
    ) -> io::Result<Manifest> {
        let lock_path = self.dir.join(LOCK);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| context(e, lock_path.display()))?;
        lock.lock().map_err(|e| context(e, lock_path.display()))?;
        let manifest = Manifest::new(self.files.clone());
        let result = temp::critical(|| {
            let mut undo = Vec::new();
            let r = self.swap_in(&manifest, &mut fail, &mut undo);
            if r.is_err() {
                for step in undo.into_iter().rev() {
                    match step {
                        Undo::Back { from, to } => {
                            let _ = std::fs::rename(from, to);
                        }
                        Undo::Remove(p) => {
                            let _ = std::fs::remove_file(p);
                        }
                    }
                }
            }
            r
        });
        drop(lock);
        result.map(|()| manifest)
    }

    fn swap_in(
        &self,
        manifest: &Manifest,
        fail: &mut impl FnMut(&str) -> io::Result<()>,
        undo: &mut Vec<Undo>,
    ) -> io::Result<()> {
        let old_dir = self.stage.path().join(".old");
        std::fs::create_dir(&old_dir)?;
        let aside = |name: &str, undo: &mut Vec<Undo>| -> io::Result<()> {
            let (to, from) = (self.dir.join(name), old_dir.join(name));
            std::fs::rename(&to, &from).map_err(|e| context(e, to.display()))?;
            undo.push(Undo::Back { from, to });
            Ok(())
        };
        for name in self.files.iter().map(|f| f.name.as_str()).chain([MANIFEST]) {
            super::check_replaceable(&self.dir.join(name))?;
        }
        // 1. The old manifest, and 2. the old set's files the new one lacks (only if they
        //    still hold what the manifest says: a file changed since is someone else's).
        let old = Manifest::read(&self.dir);
        if self.dir.join(MANIFEST).exists() {
            aside(MANIFEST, undo)?;
        }
        for f in old.iter().flat_map(|m| &m.files) {
            if !self.files.iter().any(|n| n.name == f.name) && f.matches(&self.dir) {
                aside(&f.name, undo)?;
            }
        }
        // 3. The new files, each old one kept as a hard link (a copy where links are not
        //    supported) to restore it on failure.
        for f in &self.files {
            let target = self.dir.join(&f.name);
            let backup = old_dir.join(&f.name);
            let had_old = match std::fs::symlink_metadata(&target) {
                Ok(_) => {
                    std::fs::hard_link(&target, &backup)
                        .or_else(|_| std::fs::copy(&target, &backup).map(|_| ()))
                        .map_err(|e| context(e, format!("keeping {}", target.display())))?;
                    true
                }
                Err(_) => false,
            };
            fail(&f.name)
                .and_then(|()| std::fs::rename(self.path(&f.name), &target))
                .map_err(|e| context(e, target.display()))?;
            undo.push(if had_old {
                Undo::Back {
                    from: backup,
                    to: target,
                }
            } else {
                Undo::Remove(target)
            });
        }
        // 4. The manifest, last.
        let staged = self.path(MANIFEST);
        let mut text = serde_json::to_vec_pretty(manifest).map_err(io::Error::other)?;
        text.push(b'\n');
        std::fs::write(&staged, &text)
            .and_then(|()| File::open(&staged)?.sync_all())
            .and_then(|()| std::fs::rename(&staged, self.dir.join(MANIFEST)))
            .map_err(|e| context(e, self.dir.join(MANIFEST).display()))?;
        // The renames are durable once the directory is.
        #[cfg(unix)]
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set<'a>(dir: &Path, dot: &'a str, json: &'a str) -> FileSet<'a> {
        let mut s = FileSet::new(dir);
        s.add("graph.dot", move |w| w.write_all(dot.as_bytes()));
        s.add("graph.json", move |w| w.write_all(json.as_bytes()));
        s
    }

    fn publish(dir: &Path, dot: &str, json: &str) -> Manifest {
        set(dir, dot, json).stage().unwrap().publish().unwrap()
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn publishes_the_set_and_its_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let m = publish(dir.path(), "dot1", "json1");
        assert_eq!(
            listing(dir.path()),
            [".entgraph.lock", "graph.dot", "graph.json", MANIFEST]
        );
        assert_eq!(Manifest::read(dir.path()), Some(m.clone()));
        assert!(m.verify(dir.path()));
        assert_eq!(m.files[0].bytes, 4);
        std::fs::write(dir.path().join("graph.json"), "other").unwrap();
        assert!(!m.verify(dir.path()));
    }

    #[test]
    fn a_failed_rename_restores_the_old_set() {
        let dir = tempfile::tempdir().unwrap();
        let old = publish(dir.path(), "dot1", "json1");
        let err = set(dir.path(), "dot2", "json2")
            .stage()
            .unwrap()
            .publish_with(|name| match name {
                "graph.json" => Err(io::Error::other("disk full")),
                _ => Ok(()),
            })
            .unwrap_err();
        assert!(err.to_string().contains("disk full"), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("graph.dot")).unwrap(),
            "dot1"
        );
        assert_eq!(Manifest::read(dir.path()), Some(old.clone()));
        assert!(old.verify(dir.path()));
        assert_eq!(
            listing(dir.path()),
            [".entgraph.lock", "graph.dot", "graph.json", MANIFEST]
        );
    }

    #[test]
    fn files_of_the_old_set_not_in_the_new_one_go() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = set(dir.path(), "dot1", "json1");
        s.add("graph.html", |w| w.write_all(b"html1"));
        s.stage().unwrap().publish().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        publish(dir.path(), "dot2", "json2");
        assert_eq!(
            listing(dir.path()),
            [
                ".entgraph.lock",
                "graph.dot",
                "graph.json",
                MANIFEST,
                "notes.txt"
            ]
        );
    }

    #[test]
    fn a_failed_writer_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        publish(dir.path(), "dot1", "json1");
        let mut s = FileSet::new(dir.path());
        s.add("graph.dot", |w| w.write_all(b"dot2"));
        s.add("graph.json", |w| {
            w.write_all(b"js")?;
            Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"))
        });
        let err = s.stage().err().expect("the writer failed");
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("graph.dot")).unwrap(),
            "dot1"
        );
        assert_eq!(
            listing(dir.path()),
            [".entgraph.lock", "graph.dot", "graph.json", MANIFEST]
        );
    }
}
