//! End-to-end tests of `entgraph gazetteer check | stats | import`.

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use serde_json::Value;

use crate::util::{self, entgraph, stderr, stdout, tempdir};

fn fixture(name: &str) -> PathBuf {
    util::fixture("gazetteer").join(name)
}

/// A hand-made gazetteer with one of every finding, in `dir` as `a.tsv`, `b.tsv`, `c.tsv`.
fn write_every_finding(dir: &Path) {
    std::fs::write(
        dir.join("a.tsv"),
        "# Hand-made gazetteer with one of every finding.\n\
         id\ttype\tname\taliases\tpriority\tprio\n\
         georgia\tLOC\tGeorgia\tSakartvelo\t1\t\n\
         georgia-us\tLOC\tGeorgia (U.S. state)\tGeorgia|~Peach State\t\t\n\
         nice\tLOC\tNice\tNizza\t\t\n\
         ma\tPERSON\tMa Ying-jeou\tMa|~Ma Ying\t\t\n\
         korea\tLOC\tKorea\t\t\t\n\
         korea-times\tORG\tKorea Times\t~Korea Herald\t\t\n\
         lee-town\tLOC\t Lee  Town \tLee\u{200b}town\t\t\n\
         nicolas-maduro\tPERSON\tNicolás Maduro\tNicolas Maduro\t\t\n\
         nice\tLOC\tNice, France\t\t\t\n\
         bad\tLOC\tBad\u{7}Place\t\t\t\n\
         tiny\tLOC\tTiny\tx\t\t\n\
         georgia\tPERSON\tGeorgia O'Keeffe\t\t\t\n\
         \tLOC\t\t\t\t\n\
         xi-jinping\tPERSON\tXi Jinping\t~Xi\t\t\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b.tsv"),
        "id\ttype\tname\nxi-jinping\tPERSON\tXi Jinping\n",
    )
    .unwrap();
    std::fs::write(dir.join("c.tsv"), b"type\tname\nLOC\tCaf\xe9\n").unwrap();
}

const EVERY_FINDING: &[&str] = &[
    "a.tsv:2: note[unknown-column]: column \"prio\" is not a built-in column, so it is kept as an attribute: did you mean `priority`?",
    "a.tsv:4: warning[ambiguous-alias]: ambiguous alias \"Georgia\": georgia (a.tsv:3), georgia-us (a.tsv:4); settled by priority 1 for georgia when a document does not settle it",
    "a.tsv:5: warning[common-word]: name \"Nice\" of nice is the common word \"nice\": capitalized at the start of a sentence or in a title it is tagged as nice; a name is always a strong alias: set the entity's `case` to `exact`, or give it a longer name and keep this one as a weak alias",
    "a.tsv:6: warning[short-alias]: strong alias \"Ma\" of ma has only 2 letters and is not exact-case: any capitalized \"Ma\" in a text is tagged as ma; mark it weak (~Ma) or exact-case (=Ma)",
    "a.tsv:7: note[shadowed-alias]: alias \"Korea\" of korea lies inside a longer alias of another entity: \"Korea Times\" (korea-times, a.tsv:8); where it matches, korea gets no mention",
    "a.tsv:7: note[shadowed-alias]: alias \"Korea\" of korea lies inside the weak alias \"~Korea Herald\" (korea-times, a.tsv:8): the longer match wins before weak aliases are resolved, so where that weak alias does not count the text gets no mention at all",
    "a.tsv:9: warning[invisible-char]: alias \"Lee\\u{200b}town\" contains the invisible character U+200B (zero-width space)",
    "a.tsv:9: warning[whitespace]: name \"Lee  Town\" has leading whitespace, trailing whitespace and a run of several whitespace characters: matching is not affected, but it is likely a slip",
    "a.tsv:10: note[redundant-alias]: alias \"Nicolas Maduro\" of nicolas-maduro matches the same text as \"Nicolás Maduro\" on this row: folding ignores case, accents, hyphens and spacing, so it adds nothing",
    "a.tsv:11: warning[duplicate-id]: id \"nice\" is also defined at line 5: the rows merge, and the name \"Nice\" of line 5 stays canonical",
    "a.tsv:12: error[control-char]: alias \"Bad\\u{7}Place\" contains a control character",
    "a.tsv:13: error[short-alias]: alias \"x\" is shorter than 2 characters: mark it exact-case (`=x`) or remove it",
    "a.tsv:14: error[type-conflict]: id \"georgia\" has type PERSON here but LOC at a.tsv:3",
    "a.tsv:15: error[invalid-row]: empty name",
    "a.tsv:16: note[short-alias]: weak alias \"~Xi\" of xi-jinping has only 2 letters: it counts only in documents that also name xi-jinping by a strong alias",
    "b.tsv:2: note[duplicate-id]: id \"xi-jinping\" is also defined at a.tsv:16: rows with the same id merge across files",
    "c.tsv:2: error[invalid-utf8]: invalid UTF-8",
    "5 errors, 6 warnings, 6 notes",
];

#[test]
fn check_reports_every_finding_with_its_location() {
    let dir = tempdir();
    write_every_finding(dir.path());
    let out = entgraph()
        .current_dir(dir.path())
        .args([
            "gazetteer",
            "check",
            "-g",
            "a.tsv",
            "-g",
            "b.tsv",
            "-g",
            "c.tsv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let got = stdout(&out);
    let got: Vec<&str> = got.lines().collect();
    assert_eq!(got, EVERY_FINDING);

    // The same as JSON.
    let out = entgraph()
        .current_dir(dir.path())
        .args(["gazetteer", "check", "-g", ".", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"], 5);
    assert_eq!(v["warnings"], 6);
    assert_eq!(v["notes"], 6);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 17);
    let first = &findings[0];
    assert_eq!(first["path"], "./a.tsv");
    assert_eq!(first["line"], 2);
    assert_eq!(first["level"], "note");
    assert_eq!(first["code"], "unknown-column");
}

#[test]
fn check_without_errors_exits_0() {
    let dir = tempdir();
    let p = dir.path().join("ok.tsv");
    std::fs::write(
        &p,
        "type\tname\taliases\nLOC\tNice\t\nPERSON\tLee Jae-myung\t~Lee\n",
    )
    .unwrap();
    entgraph()
        .args(["gazetteer", "check", "-g"])
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::ends_with("0 errors, 1 warning, 0 notes\n"));
}

#[test]
fn default_gazetteer_has_no_errors() {
    let out = entgraph()
        .current_dir(std::env::temp_dir())
        .args(["gazetteer", "check"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains(": error["), "{text}");
    let ambiguous = text
        .lines()
        .filter(|l| l.contains("[ambiguous-alias]"))
        .count();
    eprintln!(
        "default gazetteer: {ambiguous} ambiguous aliases; {}",
        text.lines().last().unwrap()
    );
    assert!(text.lines().last().unwrap().starts_with("0 errors, "));
}

#[test]
fn stats_on_a_small_gazetteer() {
    let dir = tempdir();
    let p = dir.path().join("small.tsv");
    std::fs::write(
        &p,
        "type\tname\taliases\tcase\n\
         PERSON\tLee Jae-myung\tLee Jae Myung|~Lee\t\n\
         PERSON\tXi Jinping\t~Xi\t\n\
         LOC\tUnited States\tUS|U.S.\t\n\
         ORG\tX\t=X\texact\n",
    )
    .unwrap();
    let out = entgraph()
        .args(["gazetteer", "stats", "--format", "json", "-g"])
        .arg(&p)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["entities"], 4);
    assert_eq!(
        v["types"]["PERSON"],
        serde_json::json!({"entities": 2, "aliases": 5, "weak": 2, "exact_case": 0})
    );
    assert_eq!(v["types"]["LOC"]["exact_case"], 2);
    assert_eq!(v["types"]["ORG"]["exact_case"], 2);
    assert_eq!(
        v["aliases"],
        serde_json::json!({"total": 10, "weak": 2, "exact_case": 4})
    );
    // `Lee Jae-myung` and `Lee Jae Myung` fold to one pattern.
    assert_eq!(v["patterns"], 8);
    assert!(v["load_ms"].as_f64().unwrap() >= 0.0);
    assert!(v["automaton_build_ms"].as_f64().unwrap() >= 0.0);
    assert!(v["automaton_memory_bytes"].as_u64().unwrap() > 0);
    assert_eq!(v["sources"][0], p.display().to_string());

    entgraph()
        .args(["gazetteer", "stats", "-g"])
        .arg(&p)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("PERSON")
                .and(predicate::str::contains("distinct folded patterns"))
                .and(predicate::str::contains("automaton build"))
                .and(predicate::str::is_match(r"│ total\s+┆\s+4 ┆\s+10 ┆\s+2 ┆\s+4 │").unwrap()),
        );
    // A gazetteer that does not load is a usage error.
    std::fs::write(&p, "type\tname\nLOC\t\n").unwrap();
    entgraph()
        .args(["gazetteer", "stats", "-g"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("small.tsv:2: empty name"));
}

const GEONAMES_OUT: &str = "\
# GeoNames data (geonames.org), licence CC BY 4.0; converted from geonames-sample.txt by `entgraph gazetteer import geonames`
id\ttype\tname\taliases\tlat:float\tlon:float\tcountry_code\tpopulation:int\tgeonames\tfeature
geonames-9000001\tLOC\tBrindlemoor\tBrindlemoore|Brindle Moor\t51.25\t-1.5\tZZ\t120000\t9000001\tP.PPLA
geonames-9000002\tLOC\tSankt Äbelheim\tSt. Abelheim|Äbelheim\t47.75\t9.125\tZZ\t45000\t9000002\tP.PPL
geonames-9000003\tLOC\tQuillon-sur-Mer\tQuillon\t43.5\t3.25\tZZ\t8000\t9000003\tP.PPL
geonames-9000004\tLOC\tPort Verity\t\t-12.5\t130.75\tYY\t250000\t9000004\tP.PPLC
geonames-9000007\tLOC\tLake Ombrel\tOmbrel\t-3.5\t29.25\tYY\t0\t9000007\tH.LK
";

#[test]
fn import_geonames_sample() {
    let sample = fixture("geonames-sample.txt");
    let dir = tempdir();
    let out_tsv = dir.path().join("places.tsv");
    let out = entgraph()
        .args(["gazetteer", "import", "geonames"])
        .arg(&sample)
        .arg("-o")
        .arg(&out_tsv)
        .output()
        .unwrap();
    // Two malformed lines: reported, the rest written, exit status 1.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let s = sample.display();
    assert!(
        err.contains(&format!(
            "{s}:5: skipped: latitude \"north\" is not a number in ±90\n"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{s}:6: skipped: 5 tab-separated columns, but a GeoNames dump line has 19\n"
        )),
        "{err}"
    );
    assert!(err.contains("7 rows read, 5 entities written"), "{err}");
    assert_eq!(std::fs::read_to_string(&out_tsv).unwrap(), GEONAMES_OUT);

    // The output loads cleanly and tags.
    entgraph()
        .args(["gazetteer", "check", "-g"])
        .arg(&out_tsv)
        .assert()
        .success();
    let tagged = entgraph()
        .args(["tag", "-f", "text", "-g"])
        .arg(&out_tsv)
        .arg("-")
        .write_stdin("From St. Abelheim to Brindle Moor via Port Verity.")
        .output()
        .unwrap();
    assert!(tagged.status.success());
    assert!(
        stdout(&tagged).contains(
            "[St. Abelheim](LOC geonames-9000002) to [Brindle Moor](LOC geonames-9000001) via [Port Verity](LOC geonames-9000004)"
        ),
        "{}",
        stdout(&tagged)
    );

    // --min-population, --type, --all-names; to standard output.
    let out = entgraph()
        .args([
            "gazetteer",
            "import",
            "geonames",
            "--min-population",
            "50000",
            "--type",
            "GPE",
            "--all-names",
        ])
        .arg(&sample)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let ids: Vec<&str> = text
        .lines()
        .skip(2)
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(ids, ["geonames-9000001", "geonames-9000004"]);
    assert!(
        text.contains("\tGPE\tBrindlemoor\tBrindlemoore|Brindle Moor|Бриндлмур|BRM|9000\t"),
        "{text}"
    );
    assert!(stderr(&out).contains("3 filtered out"));
}

#[test]
fn import_geonames_with_nothing_usable_writes_nothing() {
    let dir = tempdir();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "1\tOnly\tthree\n\n").unwrap();
    let out_tsv = dir.path().join("out.tsv");
    entgraph()
        .args(["gazetteer", "import", "geonames"])
        .arg(&bad)
        .arg("-o")
        .arg(&out_tsv)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("bad.txt:1: skipped: 3 tab-separated columns").and(
                predicate::str::contains("no usable row in 1 read; nothing written"),
            ),
        );
    assert!(!out_tsv.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A missing file is a usage error too.
    entgraph()
        .args(["gazetteer", "import", "geonames"])
        .arg(dir.path().join("missing.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
}

const PEOPLE_OUT: &str = "\
# Converted from people.csv by `entgraph gazetteer import csv`
id\ttype\tname\taliases\twikidata\tnotes
hopper-grace\tPERSON\tHopper, Grace\tGrace Hopper|Amazing Grace|~Hopper\tQ11641\tRear admiral and computer scientist
ada-lovelace\tPERSON\tAda Lovelace\tAugusta Ada King|~Lovelace\tQ7259\t
bletchley-park\tPLACE\tBletchley Park\tStation X|B.P.\t\t
acme-rocket-works\tORG\tAcme \"Rocket\" Works\tACME|Acme\t\t
";

#[test]
fn import_csv_with_quotes_tabs_newlines_and_aliases() {
    let csv = fixture("people.csv");
    let dir = tempdir();
    let out_tsv = dir.path().join("people.tsv");
    let out = entgraph()
        .args(["gazetteer", "import", "csv"])
        .arg(&csv)
        .args([
            "--name-column",
            "Name",
            "--type-column",
            "kind",
            "--aliases-column",
            "Also known as",
            "--keep-columns",
            "Wikidata,Notes",
            "-o",
        ])
        .arg(&out_tsv)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let c = csv.display();
    assert_eq!(
        stderr(&out),
        format!(
            "{c}:2: changed: column \"Notes\": tabs, line breaks or control characters replaced by spaces\n\
             {c}:4: changed: column \"Name\": tabs, line breaks or control characters replaced by spaces\n\
             {c}:5: changed: aliases split at line breaks\n\
             entgraph gazetteer import: 4 rows read, 4 entities written to {}, 3 with changed values\n",
            out_tsv.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&out_tsv).unwrap(), PEOPLE_OUT);
    entgraph()
        .args(["gazetteer", "check", "-g"])
        .arg(&out_tsv)
        .assert()
        .success()
        .stdout("0 errors, 0 warnings, 0 notes\n");
    let tagged = entgraph()
        .args(["tag", "-f", "text", "-g"])
        .arg(&out_tsv)
        .arg("-")
        .write_stdin("Grace Hopper met Ada Lovelace at Bletchley Park. Hopper smiled.")
        .output()
        .unwrap();
    // Only the marked-up line: the framing around it belongs to `tag`.
    assert!(
        stdout(&tagged).contains(
            "[Grace Hopper](PERSON hopper-grace) met [Ada Lovelace](PERSON ada-lovelace) at [Bletchley Park](PLACE bletchley-park). [Hopper](PERSON hopper-grace) smiled."
        ),
        "{}",
        stdout(&tagged)
    );
}

#[test]
fn import_tsv_by_extension_with_a_fixed_type() {
    let dir = tempdir();
    let sheet = dir.path().join("orgs.tsv");
    std::fs::write(
        &sheet,
        "label\tshort\nAcme Corp.\tAcme\n\"Globex\tInc\"\tGlobex|=GX\n",
    )
    .unwrap();
    let out = entgraph()
        .args(["gazetteer", "import", "csv"])
        .arg(&sheet)
        .args([
            "--name-column",
            "label",
            "--type",
            "ORG",
            "--aliases-column",
            "short",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "# Converted from orgs.tsv by `entgraph gazetteer import csv`\n\
         id\ttype\tname\taliases\n\
         acme-corp\tORG\tAcme Corp.\tAcme\n\
         globex-inc\tORG\tGlobex Inc\tGlobex|=GX\n"
    );
    // Usage errors: no type, an unknown column.
    entgraph()
        .args(["gazetteer", "import", "csv"])
        .arg(&sheet)
        .args(["--name-column", "label"])
        .assert()
        .code(2);
    entgraph()
        .args(["gazetteer", "import", "csv"])
        .arg(&sheet)
        .args(["--name-column", "title", "--type", "ORG"])
        .assert()
        .code(2)
        .stderr("entgraph: --name-column \"title\": no such column; the header has \"label\", \"short\"\n");
}
