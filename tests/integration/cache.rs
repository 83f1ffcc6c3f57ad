//! The cache of compiled gazetteers, end to end: `entgraph tag` gives the same output with a
//! cold cache, a warm one and `--no-cache`; the cache is rebuilt when the gazetteer changes,
//! when its file is corrupt or from another entgraph version, and a cache that cannot be
//! written does not fail the run.

use std::path::{Path, PathBuf};

use crate::util::{entgraph, seed_files, tempdir, write};

/// Runs `entgraph tag [-g GAZETTEER] INPUTS` with its cache in `cache` (`None`:
/// `--no-cache`); returns (stdout, stderr without the closing `entgraph tag:` summary),
/// asserting success.
fn tag(cache: Option<&Path>, gazetteer: Option<&Path>, args: &[&Path]) -> (String, String) {
    let mut c = entgraph();
    c.arg("tag");
    if let Some(g) = gazetteer {
        c.arg("-g").arg(g);
    }
    match cache {
        Some(dir) => c.env("ENTGRAPH_CACHE_DIR", dir),
        None => c.arg("--no-cache"),
    };
    let out = c.args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let stderr: String = stderr
        .lines()
        .filter(|l| !l.starts_with("entgraph tag: "))
        .map(|l| format!("{l}\n"))
        .collect();
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

/// The files in the cache directory, sorted.
fn cached(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

const GAZETTEER: &str = "id\ttype\tname\taliases\n\
    paris\tLOC\tParis\tParis, France\n\
    xi\tPERSON\tXi Jinping\t~Xi\n";

const TEXT: &str = "Xi Jinping flew from Paris to Lyon. Xi spoke.\n";

#[test]
fn the_default_gazetteer_tags_alike_cold_warm_and_uncached() {
    let dir = tempdir();
    let cache = dir.path().join("cache");
    let files = seed_files();
    let args: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let (uncached, _) = tag(None, None, &args);
    assert!(uncached.contains("\"mentions\""));
    assert!(cached(&cache).is_empty(), "--no-cache writes nothing");
    let (cold, stderr) = tag(Some(&cache), None, &args);
    assert_eq!(cached(&cache).len(), 1);
    let written = std::fs::read(&cached(&cache)[0]).unwrap();
    let (warm, stderr2) = tag(Some(&cache), None, &args);
    assert_eq!(cold, uncached);
    assert_eq!(warm, uncached);
    assert_eq!((stderr.as_str(), stderr2.as_str()), ("", ""));
    assert_eq!(std::fs::read(&cached(&cache)[0]).unwrap(), written);
}

#[test]
fn a_changed_gazetteer_is_compiled_again() {
    let dir = tempdir();
    let cache = dir.path().join("cache");
    let g = write(dir.path(), "g.tsv", GAZETTEER);
    let text = write(dir.path(), "t.txt", TEXT);
    let (before, _) = tag(Some(&cache), Some(&g), &[&text]);
    assert!(before.contains("\"paris\"") && !before.contains("\"lyon\""));
    assert_eq!(cached(&cache).len(), 1);
    write(
        dir.path(),
        "g.tsv",
        format!("{GAZETTEER}lyon\tLOC\tLyon\t\n"),
    );
    let (after, stderr) = tag(Some(&cache), Some(&g), &[&text]);
    assert_eq!(stderr, "");
    assert!(after.contains("\"lyon\""), "{after}");
    assert_eq!(after, tag(None, Some(&g), &[&text]).0);
    assert_eq!(cached(&cache).len(), 2, "one file per gazetteer content");
    // A directory of gazetteers is keyed by its files too.
    let gdir = dir.path().join("gaz");
    std::fs::create_dir(&gdir).unwrap();
    write(&gdir, "a.tsv", GAZETTEER);
    tag(Some(&cache), Some(&gdir), &[&text]);
    write(&gdir, "b.tsv", "type\tname\nLOC\tLyon\n");
    let (with_b, _) = tag(Some(&cache), Some(&gdir), &[&text]);
    assert!(with_b.contains("\"lyon\""), "{with_b}");
    assert_eq!(cached(&cache).len(), 4);
}

#[test]
fn a_corrupt_or_foreign_cache_file_is_rebuilt_with_a_note() {
    let dir = tempdir();
    let cache = dir.path().join("cache");
    let g = write(dir.path(), "g.tsv", GAZETTEER);
    let text = write(dir.path(), "t.txt", TEXT);
    let (want, _) = tag(None, Some(&g), &[&text]);
    tag(Some(&cache), Some(&g), &[&text]);
    let file = cached(&cache).pop().unwrap();
    let good = std::fs::read(&file).unwrap();
    let mut flipped = good.clone();
    let middle = good.len() / 2;
    flipped[middle] ^= 0x20;
    // The version text starts after the magic (16 bytes), format (4) and its length (1).
    let mut other_version = good.clone();
    other_version[21] = b'9';
    for (bytes, why) in [
        (flipped, "corrupt"),
        (good[..good.len() / 3].to_vec(), "truncated"),
        (b"not a cache".repeat(20), "not a compiled gazetteer"),
        (other_version, "written by entgraph 9"),
    ] {
        std::fs::write(&file, bytes).unwrap();
        let (got, stderr) = tag(Some(&cache), Some(&g), &[&text]);
        assert_eq!(got, want, "{why}");
        assert!(
            stderr.starts_with("entgraph: note: compiled gazetteer ")
                && stderr.contains(why)
                && stderr.trim_end().ends_with("compiled again")
                && stderr.lines().count() == 1,
            "{why}: {stderr}"
        );
        assert_eq!(std::fs::read(&file).unwrap(), good, "{why}: rewritten");
        let (again, stderr) = tag(Some(&cache), Some(&g), &[&text]);
        assert_eq!((again.as_str(), stderr.as_str()), (want.as_str(), ""));
    }
}

#[test]
fn a_cache_that_cannot_be_written_does_not_fail_the_run() {
    let dir = tempdir();
    let blocker = write(dir.path(), "file", "");
    let g = write(dir.path(), "g.tsv", GAZETTEER);
    let text = write(dir.path(), "t.txt", TEXT);
    let (got, stderr) = tag(Some(&blocker.join("cache")), Some(&g), &[&text]);
    assert_eq!(got, tag(None, Some(&g), &[&text]).0);
    assert!(
        stderr.starts_with("entgraph: note: cannot save the compiled gazetteer to "),
        "{stderr}"
    );
}

#[test]
fn gazetteer_errors_are_reported_as_without_a_cache() {
    let dir = tempdir();
    let cache = dir.path().join("cache");
    let g = write(dir.path(), "g.tsv", "type\tname\nperson\tX\n");
    let text = write(dir.path(), "t.txt", TEXT);
    for cached_run in [true, false] {
        let mut c = entgraph();
        c.env("ENTGRAPH_CACHE_DIR", &cache).arg("tag");
        if !cached_run {
            c.arg("--no-cache");
        }
        let out = c.arg("-g").arg(&g).arg(&text).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("gazetteer errors, nothing written") && stderr.contains("g.tsv:2:"),
            "{stderr}"
        );
    }
    assert!(cached(&cache).is_empty());
}
