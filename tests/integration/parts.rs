//! Partial counts (issue 13): `entgraph count`, `merge`, `count --update`, and
//! `build`/`report --from-counts`, against a build over the whole corpus; a proptest over
//! splits, orders and groupings through the library; and every kind of bad part refused.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use entgraph::export::json::{JsonStyle, write_json};
use entgraph::graph::{Filters, Weighting};
use entgraph::input::{Document, InputEvent};
use entgraph::part::{Part, Settings};
use entgraph::pipeline::{self, CountOptions};
use entgraph::recognize::Recognizer;
use entgraph::window::WindowKind;
use proptest::prelude::*;

use crate::util::{entgraph, file_names, seed_files, stderr, tempdir, write};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `entgraph count FILES -o PART` (extra arguments first), asserting success.
fn count(files: &[PathBuf], part: &Path, extra: &[&str]) {
    let mut c = entgraph();
    c.arg("count").args(extra).args(files).arg("-o").arg(part);
    let out = c.output().unwrap();
    assert!(out.status.success(), "count failed: {}", stderr(&out));
}

/// `entgraph merge PARTS -o OUT`, asserting success.
fn merge(parts: &[&Path], out: &Path) {
    let o = entgraph()
        .arg("merge")
        .args(parts)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "merge failed: {}", stderr(&o));
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn seeds_counted_one_per_part_merge_into_the_whole_and_build_the_same_graph() {
    let dir = tempdir();
    let d = dir.path();
    let seeds = seed_files();
    let parts: Vec<PathBuf> = (0..seeds.len())
        .map(|i| d.join(format!("p{i}.part")))
        .collect();
    for (seed, part) in seeds.iter().zip(&parts) {
        count(std::slice::from_ref(seed), part, &[]);
    }
    let whole = d.join("whole.part");
    count(&seeds, &whole, &[]);
    // Flat, in another order; and as a tree of two-way merges.
    let flat = d.join("flat.part");
    merge(
        &[&parts[4], &parts[2], &parts[0], &parts[3], &parts[1]],
        &flat,
    );
    let (ab, cde, tree) = (d.join("ab.part"), d.join("cde.part"), d.join("tree.part"));
    merge(&[&parts[1], &parts[0]], &ab);
    merge(&[&parts[2], &parts[4], &parts[3]], &cde);
    merge(&[&cde, &ab], &tree);
    assert_eq!(
        read(&flat),
        read(&whole),
        "flat merge differs from the whole"
    );
    assert_eq!(
        read(&tree),
        read(&whole),
        "tree merge differs from the whole"
    );

    let built = d.join("built");
    let o = entgraph()
        .arg("build")
        .args(&seeds)
        .arg("-o")
        .arg(&built)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let from = d.join("from");
    let o = entgraph()
        .args(["build", "--from-counts", s(&tree), "-o", s(&from)])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    for f in ["graph.json", "graph.dot"] {
        assert_eq!(read(&built.join(f)), read(&from.join(f)), "{f} differs");
    }
    // The seed story's pair is there, with its evidence.
    let g: serde_json::Value = serde_json::from_slice(&read(&from.join("graph.json"))).unwrap();
    let links = g["links"].as_array().unwrap();
    assert!(links.iter().any(|l| {
        let ends = [l["source"].as_str().unwrap(), l["target"].as_str().unwrap()];
        ends.contains(&"lee-jae-myung")
            && ends.contains(&"xi-jinping")
            && !l["evidence"].as_array().unwrap().is_empty()
    }));

    // report --from-counts says what report over the documents says.
    let report = |args: &[&str]| {
        let o = entgraph()
            .arg("report")
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        o.stdout
    };
    let seeds_args: Vec<&str> = seeds.iter().map(|p| s(p)).collect();
    assert_eq!(report(&seeds_args), report(&["--from-counts", s(&whole)]));
}

#[test]
fn a_paragraph_window_changes_the_counts_and_is_checked() {
    // The window setting shapes the part: counting with paragraphs gives another part, and
    // the same options must be given to build it.
    let dir = tempdir();
    let d = dir.path();
    let seeds = seed_files();
    let (sentence, paragraph) = (d.join("s.part"), d.join("p.part"));
    count(&seeds, &sentence, &[]);
    count(&seeds, &paragraph, &["--window", "paragraph"]);
    assert_ne!(read(&sentence), read(&paragraph));
    let (built, from) = (d.join("built"), d.join("from"));
    let o = entgraph()
        .arg("build")
        .args(["--window", "paragraph"])
        .args(&seeds)
        .arg("-o")
        .arg(&built)
        .output()
        .unwrap();
    assert!(o.status.success());
    let o = entgraph()
        .args([
            "build",
            "--window",
            "paragraph",
            "--from-counts",
            s(&paragraph),
            "-o",
            s(&from),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    for f in ["graph.json", "graph.dot"] {
        assert_eq!(read(&built.join(f)), read(&from.join(f)), "{f} differs");
    }
}

#[test]
fn update_adds_new_documents_and_never_counts_one_twice() {
    let dir = tempdir();
    let d = dir.path();
    let seeds = seed_files();
    let whole = d.join("whole.part");
    count(&seeds, &whole, &[]);
    let part = d.join("archive.part");
    count(&seeds[..2], &part, &["--update"]);
    // The first two again, with the rest: they are skipped with a warning.
    let o = entgraph()
        .args(["count", "--update", "-o", s(&part)])
        .args(&seeds)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.matches("is already counted").count(), 2, "{err}");
    assert!(err.contains(&*seeds[0].to_string_lossy()), "{err}");
    assert_eq!(read(&part), read(&whole));
    // Nothing new: the part is left as it was.
    let before = read(&part);
    let o = entgraph()
        .args(["count", "--update", "-o", s(&part)])
        .arg(&seeds[3])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("no new document"), "{}", stderr(&o));
    assert_eq!(read(&part), before);
    // A repeated id within one run is counted once.
    let twice = d.join("twice.part");
    let o = entgraph()
        .args(["count", "-o", s(&twice)])
        .args(&seeds)
        .arg(&seeds[1])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read(&twice), read(&whole));
    // --update with other options is refused, naming the part and the option.
    let o = entgraph()
        .args(["count", "--update", "--window", "document", "-o", s(&part)])
        .arg(&seeds[0])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--window sentence"), "{}", stderr(&o));
    assert_eq!(read(&part), before);
}

/// A command that must be refused with status 2, an error naming `named`, and no file
/// written into `dir` (which holds `before`).
fn refused(args: &[&str], named: &Path, dir: &Path, why: &str) -> String {
    let before = file_names(dir);
    let o = entgraph().args(args).output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{why}: {err}");
    assert!(
        err.contains(s(named)),
        "{why}: the error does not name the file: {err}"
    );
    assert!(err.contains("nothing written"), "{why}: {err}");
    assert_eq!(file_names(dir), before, "{why}: files left behind");
    err
}

/// `build --from-counts bad` and `merge good bad` are both refused (see [`refused`]), with an
/// error that says `says`.
fn refused_by_build_and_merge(bad: &Path, good: &Path, dir: &Path, why: &str, says: &str) {
    let (out, merged) = (dir.join("out"), dir.join("merged.part"));
    let builds = ["build", "--from-counts", s(bad), "-o", s(&out)];
    let merges = ["merge", s(good), s(bad), "-o", s(&merged)];
    for args in [&builds[..], &merges[..]] {
        let err = refused(args, bad, dir, why);
        assert!(err.contains(says), "{why}: {args:?}: {err}");
    }
}

#[test]
fn bad_parts_are_refused_naming_the_file_and_nothing_is_written() {
    let dir = tempdir();
    let d = dir.path();
    let seeds = seed_files();
    let good = d.join("good.part");
    count(&seeds[..3], &good, &[]);
    let bytes = read(&good);
    let rest = d.join("rest.part");
    count(&seeds[3..], &rest, &[]);

    let mut cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated",
            bytes[..bytes.len() * 2 / 3].to_vec(),
            "truncated",
        ),
        ("empty", Vec::new(), "not an entgraph part"),
        (
            "not a part",
            b"{\"nodes\": []}\n".to_vec(),
            "not an entgraph part",
        ),
        (
            "trailing bytes",
            [&bytes[..], b"\x1f\x8b junk"].concat(),
            "after the end",
        ),
    ];
    let mut corrupt = bytes.clone();
    let mid = corrupt.len() / 2;
    corrupt[mid] ^= 0x55;
    cases.push(("corrupt", corrupt, "gzip"));
    let mut version = bytes.clone();
    version[14..18].copy_from_slice(&99u32.to_le_bytes());
    cases.push(("other version", version, "format version 99"));
    for (why, content, says) in &cases {
        let bad = write(d, "bad.part", content);
        refused_by_build_and_merge(&bad, &rest, d, why, says);
        std::fs::remove_file(&bad).unwrap();
    }

    // Parts of another gazetteer, another cue set, no discovery, another window.
    let gazetteer = write(
        d,
        "people.tsv",
        "type\tname\nPERSON\tXi Jinping\nPERSON\tLee Jae-myung\n",
    );
    let cues = d.join("cues");
    std::fs::create_dir(&cues).unwrap();
    write(&cues, "titles.tsv", "kind\tcue\ntitle\tpresident\n");
    let other: [(&str, Vec<&str>, &str); 4] = [
        ("other gazetteer", vec!["-g", s(&gazetteer)], "gazetteer"),
        ("other cues", vec!["--cues", s(&cues)], "cue lists"),
        ("no discovery", vec!["--no-discover"], "cue lists"),
        (
            "other window",
            vec!["--window", "paragraph"],
            "--window paragraph",
        ),
    ];
    for (why, args, says) in &other {
        let part = d.join("other.part");
        count(&seeds[3..], &part, args);
        refused_by_build_and_merge(&part, &good, d, why, says);
        std::fs::remove_file(&part).unwrap();
    }
    // Parts that share a document: refused, naming both.
    let overlap = d.join("overlap.part");
    count(&seeds[2..], &overlap, &[]);
    let merged = d.join("merged.part");
    let err = refused(
        &["merge", s(&good), s(&overlap), "-o", s(&merged)],
        &overlap,
        d,
        "shared",
    );
    assert!(
        err.contains(s(&good)) && err.contains("counted in two parts"),
        "{err}"
    );
    // A merge that fails leaves an existing output as it was.
    merge(&[&good], &merged);
    let kept = read(&merged);
    refused(
        &["merge", s(&good), s(&overlap), "-o", s(&merged)],
        &overlap,
        d,
        "shared again",
    );
    assert_eq!(read(&merged), kept);
}

// ---- The proptest, through the library ----

/// The default recognizer (world gazetteer and cue lists), loaded once.
fn recognizer() -> &'static Recognizer {
    static R: OnceLock<Recognizer> = OnceLock::new();
    R.get_or_init(|| Recognizer::default_embedded().expect("the embedded gazetteer loads"))
}

/// The seed articles cut into paragraphs, each a document (`seedI-pJ`): dozens of small
/// documents sharing entities, provisional ones among them.
fn corpus() -> &'static [(String, String)] {
    static C: OnceLock<Vec<(String, String)>> = OnceLock::new();
    C.get_or_init(|| {
        let mut docs = Vec::new();
        for (i, f) in seed_files().iter().enumerate() {
            let text = std::fs::read_to_string(f).unwrap();
            for (j, para) in text
                .split("\n\n")
                .filter(|p| !p.trim().is_empty())
                .enumerate()
            {
                docs.push((format!("seed{i}-p{j:02}"), para.to_string()));
            }
        }
        assert!(
            docs.len() >= 20,
            "expected the seeds to have many paragraphs"
        );
        docs
    })
}

fn options() -> CountOptions {
    CountOptions {
        window: WindowKind::Sentence,
        evidence: 2,
        keep_documents: true,
        ..CountOptions::default()
    }
}

/// The part of the documents `ids` (indexes into [`corpus`]), counted in that order.
fn part_of(ids: &[usize]) -> Part {
    let docs = corpus();
    let events = ids
        .iter()
        .map(|&i| InputEvent::Document(Document::new(docs[i].0.clone(), docs[i].1.clone())));
    let counts = pipeline::count(recognizer(), events, &options(), &mut ());
    Part::from_counts(&counts, Settings::new(recognizer(), &options())).unwrap()
}

/// Merges `parts` as a random tree: `picks` chooses which two neighbours merge next.
fn merge_as_tree(mut parts: Vec<Part>, picks: &[usize]) -> Part {
    let mut k = 0;
    while parts.len() > 1 {
        let i = picks.get(k).copied().unwrap_or(0) % (parts.len() - 1);
        k += 1;
        let b = parts.remove(i + 1);
        let a = parts.remove(i);
        // Either way round.
        let pair = if k % 2 == 0 { vec![a, b] } else { vec![b, a] };
        parts.insert(i, Part::merge(pair).unwrap());
    }
    parts.pop().unwrap()
}

fn graph_json(part: &Part) -> Vec<u8> {
    json_of(&part.to_counts())
}

/// graph.json of `counts` (default weights and filters).
fn json_of(counts: &entgraph::CooccurrenceCounts) -> Vec<u8> {
    let g = entgraph::graph::build(
        counts,
        recognizer().gazetteer(),
        Weighting::Count,
        &Filters::default(),
    );
    let mut out = Vec::new();
    write_json(&g, JsonStyle::NodeLink, &mut out).unwrap();
    out
}

fn whole() -> &'static (Vec<u8>, Vec<u8>) {
    static W: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    W.get_or_init(|| {
        let ids: Vec<usize> = (0..corpus().len()).collect();
        let part = part_of(&ids);
        // The graph of the counts as counted, not through a part.
        let events = corpus()
            .iter()
            .map(|(id, t)| InputEvent::Document(Document::new(id.clone(), t.clone())));
        let counts = pipeline::count(recognizer(), events, &options(), &mut ());
        let json = json_of(&counts);
        assert_eq!(
            graph_json(&part),
            json,
            "the part's graph differs from the counts'"
        );
        (part.to_bytes(), json)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any split into shards, each counted in any order, merged in any order and grouping:
    /// the part of the whole, byte for byte, and the same graph.
    #[test]
    fn any_split_merged_any_way_is_the_whole(
        shard_of in prop::collection::vec(0usize..6, 20..200),
        keys in prop::collection::vec(any::<u32>(), corpus().len()),
        picks in prop::collection::vec(0usize..8, 8),
    ) {
        let n = corpus().len();
        // Input order: the documents sorted by a random key each.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| (keys[i], i));
        let mut shards: Vec<Vec<usize>> = vec![Vec::new(); 6];
        for (k, &doc) in order.iter().enumerate() {
            shards[shard_of[k % shard_of.len()]].push(doc);
        }
        shards.retain(|s| !s.is_empty());
        prop_assert_eq!(shards.iter().map(Vec::len).sum::<usize>(), n);
        let parts: Vec<Part> = shards.iter().map(|s| part_of(s)).collect();
        let merged = merge_as_tree(parts, &picks);
        let (bytes, json) = whole();
        prop_assert!(merged.to_bytes() == *bytes, "merged part differs from the whole's");
        prop_assert!(graph_json(&merged) == *json, "merged graph differs");
        // Through the file format and back.
        let read = Part::read(&merged.to_bytes()).unwrap();
        prop_assert!(read == merged);
    }
}
