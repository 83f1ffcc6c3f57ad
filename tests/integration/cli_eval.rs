//! `entgraph eval` on hand-made gold whose scores are worked out by hand.

use crate::util::{entgraph, examples, gazetteers, tempdir, write};

/// Gazetteer: Alpha PERSON, Beta ORG, Gamma LOC.
/// Text: "Élan: Alpha met Beta in Gamma. Delta saw Alpha."
/// Gold: Alpha PERSON ×2 (gold id `a`), Delta PERSON (not in the gazetteer: a miss), Beta ORG,
/// Gamma ORG (entgraph says LOC: one miss and one spurious).
/// PERSON: gold 3, found 2, correct 2 → P 1, R 2/3, F1 0.8.
/// ORG: gold 2, found 1, correct 1 → P 1, R 0.5, F1 2/3.
/// LOC: gold 0, found 1, correct 0 → P 0, R 0, F1 0.
/// overall: gold 5, found 4, correct 3 → P 0.75, R 0.6, F1 2/3.
const EXPECTED: &str = "\
type         gold  found correct precision  recall      F1
PERSON          3      2       2    1.0000  0.6667  0.8000
ORG             2      1       1    1.0000  0.5000  0.6667
LOC             0      1       0    0.0000  0.0000  0.0000
overall         5      4       3    0.7500  0.6000  0.6667
";

fn gazetteer(dir: &std::path::Path) -> std::path::PathBuf {
    write(dir, "g.tsv", gazetteers::ONE_OF_EACH_TYPE)
}

fn eval(gold_name: &str, gold: &str, extra: &[&str]) -> String {
    let dir = tempdir();
    let g = gazetteer(dir.path());
    let gold_path = dir.path().join(gold_name);
    std::fs::write(&gold_path, gold).unwrap();
    let out = entgraph()
        .args(["eval", "-g"])
        .arg(&g)
        .arg("--gold")
        .arg(&gold_path)
        .args(extra)
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
fn jsonl_gold_in_code_points() {
    // Offsets in code points: `É` is one code point but two bytes.
    let gold =
        r#"{"id": "d1", "text": "Élan: Alpha met Beta in Gamma. Delta saw Alpha.", "entities": [
        {"start": 6, "end": 11, "type": "PER", "id": "a"}, {"start": 16, "end": 20, "type": "ORG"},
        {"start": 24, "end": 29, "type": "ORG"}, {"start": 31, "end": 36, "type": "PER", "id": "d"},
        {"start": 41, "end": 46, "type": "PER", "id": "a"}]}"#
            .replace("\n        ", " ");
    let out = eval("gold.jsonl", &gold, &[]);
    assert!(
        out.ends_with(&format!(
            "{EXPECTED}linking: 1 of 1 gold entities found map to one entgraph id\n"
        )),
        "{out}"
    );
    assert!(
        out.starts_with("1 documents, 5 gold mentions (PERSON, ORG, LOC), strict span + type\n")
    );
}

#[test]
fn conll_gold_and_errors() {
    let gold = "-DOCSTART- O\n\nÉlan\tO\n:\tO\nAlpha\tB-PER\nmet\tO\nBeta\tB-ORG\nin\tO\nGamma\tB-ORG\n.\tO\n\n\
                Delta\tB-PER\nsaw\tO\nAlpha\tI-PER\n.\tO\n";
    let out = eval("gold.conll", gold, &["--errors"]);
    assert!(out.contains(EXPECTED), "{out}");
    let errors: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("MISS") || l.starts_with("SPURIOUS"))
        .collect();
    assert_eq!(errors.len(), 3, "{out}");
    assert!(
        errors
            .iter()
            .any(|l| l.starts_with("MISS      PERSON") && l.contains("[Delta]"))
    );
    assert!(
        errors
            .iter()
            .any(|l| l.starts_with("MISS      ORG") && l.contains("[Gamma]"))
    );
    assert!(errors.iter().any(|l| l.starts_with("SPURIOUS  LOC")
        && l.contains("[Gamma]")
        && l.ends_with("(gamma)")));
}

#[test]
fn bad_gold_is_reported() {
    let dir = tempdir();
    let gold = dir.path().join("gold.jsonl");
    std::fs::write(&gold, "{\"id\": \"x\", \"entities\": []}\n").unwrap();
    entgraph()
        .args(["eval", "--gold"])
        .arg(&gold)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "line 1: document \"x\" has no `text`: give --text-dir",
        ));
}

/// `entgraph eval` reads back what `entgraph tag --format conll` writes: the tagger agrees with
/// itself, except where joining tokens with spaces changes the text (`U.S.` → `U.S .`).
#[test]
fn conll_output_reads_back() {
    let dir = tempdir();
    let conll = dir.path().join("tagged.conll");
    entgraph()
        .args(["tag", "--format", "conll", "-o"])
        .arg(&conll)
        .arg(examples("news"))
        .args((1..=10).map(|i| {
            let dir = examples("world");
            std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| {
                    p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with(&format!("{i:02}-"))
                })
                .unwrap()
        }))
        .assert()
        .success();
    let out = entgraph()
        .args(["eval", "--gold"])
        .arg(&conll)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("14 documents,"), "{text}");
    let overall: Vec<f64> = text
        .lines()
        .find(|l| l.starts_with("overall"))
        .unwrap()
        .split_whitespace()
        .skip(4)
        .map(|x| x.parse().unwrap())
        .collect();
    assert!(overall[0] > 0.99 && overall[1] > 0.95, "{text}");
}
