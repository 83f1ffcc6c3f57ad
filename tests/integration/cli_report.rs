//! End-to-end tests of `entgraph report` and `entgraph explain`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{entgraph, gazetteers, seeds, tempdir, write};

/// A small corpus with counts worked out by hand (PageRank values agree with networkx's
/// `pagerank`, checked against it in cli_build.rs): sentence windows
/// {A,B} {A,B} {A,C} {=Eq} → AB 2, AC 1; mentions A 3, B 2, C 1, =Eq 1.
fn corpus(dir: &Path) -> (PathBuf, PathBuf) {
    let text = write(
        dir,
        "a.txt",
        "Alpha met Beta. Beta and Alpha agreed.\nAlpha called Gamma Corp. The =Eq Fund spoke.",
    );
    let g = write(dir, "g.tsv", gazetteers::WITH_ORGS);
    (text, g)
}

fn report(format: &str, extra: &[&str]) -> String {
    let dir = tempdir();
    let (text, g) = corpus(dir.path());
    let out = entgraph()
        .env("NO_COLOR", "1")
        .args(["report", "--format", format, "-g"])
        .arg(&g)
        .args(extra)
        .arg(&text)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn markdown_report() {
    assert_eq!(
        report("markdown", &[]),
        "## Top entities\n\n\
         | # | entity | type | mentions | docs | weighted degree | PageRank | community | strongest partners |\n\
         |---:|---|---|---:|---:|---:|---:|---:|---|\n\
         | 1 | Alpha | PERSON | 3 | 1 | 3 | 0.4633 | 0 | Beta (2), Gamma Corp (1) |\n\
         | 2 | Beta | PERSON | 2 | 1 | 2 | 0.3102 | 0 | Alpha (2) |\n\
         | 3 | =Eq Fund | ORG | 1 | 1 | 0 | 0.0476 | 1 |  |\n\
         | 4 | Gamma Corp | ORG | 1 | 1 | 1 | 0.1789 | 0 | Alpha (1) |\n\
         \n## Strongest pairs\n\n\
         | # | pair | weight | count | docs |\n|---:|---|---:|---:|---:|\n\
         | 1 | Alpha — Beta | 2 | 2 | 1 |\n\
         | 2 | Alpha — Gamma Corp | 1 | 1 | 1 |\n\
         \n## Largest communities\n\n\
         | community | nodes | edges | weight | first entities |\n|---:|---:|---:|---:|---|\n\
         | 0 | 3 | 2 | 3 | Alpha, Beta, Gamma Corp |\n\
         | 1 | 1 | 0 | 0 | =Eq Fund |\n"
    );
}

#[test]
fn csv_report_escapes_formulas() {
    assert_eq!(
        report("csv", &[]),
        "rank,id,name,type,mentions,documents,weighted_degree,pagerank,community,partners\n\
         1,alpha,Alpha,PERSON,3,1,3,0.463320,0,\"Beta (2), Gamma Corp (1)\"\n\
         2,beta,Beta,PERSON,2,1,2,0.310167,0,Alpha (2)\n\
         3,eq-fund,'=Eq Fund,ORG,1,1,0,0.047619,1,\n\
         4,gamma-corp,Gamma Corp,ORG,1,1,1,0.178893,0,Alpha (1)\n"
    );
    assert_eq!(
        report("csv", &["--csv-section", "pairs"])
            .lines()
            .nth(1)
            .unwrap(),
        "1,alpha,Alpha,beta,Beta,2,2,1"
    );
}

#[test]
fn json_and_table_reports() {
    let v: Value =
        serde_json::from_str(&report("json", &["--sort", "pagerank", "--top", "2"])).unwrap();
    assert_eq!(v["entities"].as_array().unwrap().len(), 2);
    assert_eq!(v["entities"][0]["id"], "alpha");
    assert_eq!(v["entities"][0]["partners"][0]["id"], "beta");
    assert_eq!(v["pairs"][0]["weight"], 2.0);
    let table = report("table", &["--type", "ORG"]);
    let top = table.split("Strongest pairs").next().unwrap();
    assert!(
        top.contains("Gamma Corp") && !top.contains("PERSON"),
        "{table}"
    );
    // Not a terminal and NO_COLOR: no escape codes, nothing cut.
    assert!(!table.contains('\u{1b}') && !table.contains('…'));
}

#[test]
fn report_reads_a_built_graph() {
    let dir = tempdir();
    let (text, g) = corpus(dir.path());
    for style in ["node-link", "edges", "cytoscape"] {
        entgraph()
            .args(["build", "--format", "json", "--json-style", style, "-g"])
            .arg(&g)
            .arg("-o")
            .arg(dir.path())
            .arg(&text)
            .assert()
            .success();
        let out = entgraph()
            .args(["report", "--format", "markdown", "--graph"])
            .arg(dir.path().join("graph.json"))
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            report("markdown", &[]),
            "{style}"
        );
    }
}

#[test]
fn unmatched_proposes_the_missing_names() {
    // A gazetteer that deliberately leaves out Xiaomi, Gyeongju and Maduro.
    let dir = tempdir();
    let g = dir.path().join("g.tsv");
    std::fs::write(
        &g,
        "type\tname\taliases\nPERSON\tLee Jae-myung\t~Lee\nPERSON\tXi Jinping\t~Xi\nLOC\tSouth Korea\tS Korea\nLOC\tChina\t\nLOC\tBeijing\t\n",
    )
    .unwrap();
    let out = entgraph()
        .args([
            "report",
            "--unmatched",
            "--no-discover",
            "--format",
            "json",
            "--top",
            "40",
            "-g",
        ])
        .arg(&g)
        .arg(seeds())
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["phrase"].as_str().unwrap())
        .collect();
    for missing in ["Xiaomi", "Gyeongju", "Nicolas Maduro"] {
        assert!(
            names.contains(&missing),
            "{missing} not proposed: {names:?}"
        );
    }
    // Names the gazetteer has are not proposed.
    assert!(!names.contains(&"Xi Jinping") && !names.contains(&"Beijing"));
    let xiaomi = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["phrase"] == "Xiaomi")
        .unwrap();
    assert_eq!(
        xiaomi["tsv"],
        format!(
            "xiaomi\t{}\tXiaomi\t",
            xiaomi["guessed_type"].as_str().unwrap()
        )
    );
}

#[test]
fn explain_a_pair_shows_the_selfie_sentence() {
    let out = entgraph()
        .env("NO_COLOR", "1")
        .args(["explain", "Lee Jae-myung", "--with", "xi", "--limit", "100"])
        .arg(seeds())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Lee Jae-myung (PERSON, lee-jae-myung): 59 mentions in 5 documents\n")
    );
    assert!(text.contains("Lee Jae-myung and Xi Jinping share 42 sentence windows in 5 documents"));
    // A shown window with both marked that speaks of the selfie.
    assert!(
        text.lines()
            .any(|l| l.contains("selfie") && l.contains("[Lee") && l.contains("[Xi")),
        "{text}"
    );
}

#[test]
fn explain_one_entity_and_unknown_names() {
    let out = entgraph()
        .args(["explain", "XIAOMI"])
        .arg(seeds())
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Mentions (25 of 26):"), "{text}");
    assert!(text.contains("[Xiaomi]"));
    assert!(text.contains(
        "Partners (sentence windows shared, documents):\n  Xi Jinping (PERSON, xi-jinping)"
    ));
    entgraph()
        .args(["explain", "Xi Jinpin"])
        .arg(seeds())
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with(
            "entgraph: no entity is called \"Xi Jinpin\"; did you mean Xi Jinping (xi-jinping)",
        ));
}
