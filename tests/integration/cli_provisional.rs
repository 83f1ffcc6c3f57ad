//! Provisional entities (found by discovery, not in the gazetteer) are marked in every
//! output: tag JSONL, graph JSON, DOT, HTML, report, and listed by `report --unmatched`.
//!
//! The text names Xiaomi and India, which the default gazetteer lists, and an analyst it does
//! not: discovery types "Varun Mishra" as PERSON by the title cue `analyst` and chains the
//! later "Mishra" to it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

use crate::util::{read_json, tempdir, write};

const TEXT: &str = "Counterpoint analyst Varun Mishra said the Xiaomi phone sold well. \
                    Mishra added that demand in India was strong.\n";
const ID: &str = "new:varun-mishra";

fn entgraph() -> Command {
    let mut c = crate::util::entgraph();
    c.env("NO_COLOR", "1");
    c
}

fn corpus(dir: &Path) -> PathBuf {
    write(dir, "mishra.txt", TEXT)
}

fn stdout(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn tag_marks_provisional_mentions() {
    let dir = tempdir();
    let text = corpus(dir.path());
    let line: Value = serde_json::from_str(&stdout(entgraph().arg("tag").arg(&text))).unwrap();
    let mentions = line["mentions"].as_array().unwrap();
    let mishra: Vec<&Value> = mentions.iter().filter(|m| m["id"] == ID).collect();
    assert_eq!(mishra.len(), 2, "{mentions:?}");
    for m in &mishra {
        assert_eq!(m["provisional"], true);
        assert_eq!(m["cue"], "title:analyst");
        assert_eq!(m["type"], "PERSON");
        assert!(m.get("alias").is_none());
    }
    let xiaomi = mentions.iter().find(|m| m["id"] == "xiaomi").unwrap();
    assert!(xiaomi.get("provisional").is_none() && xiaomi.get("cue").is_none());
}

#[test]
fn build_marks_provisional_nodes_in_json_dot_and_html() {
    let dir = tempdir();
    let text = corpus(dir.path());
    let out = dir.path().join("out");
    for style in ["node-link", "cytoscape"] {
        stdout(
            entgraph()
                .args(["build", "-f", "dot,json,html", "--json-style", style, "-o"])
                .arg(&out)
                .arg(&text),
        );
        let v: Value = read_json(&out.join("graph.json"));
        let nodes: Vec<&Value> = match style {
            "cytoscape" => v["elements"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| &n["data"])
                .collect(),
            _ => v["nodes"].as_array().unwrap().iter().collect(),
        };
        let node = nodes
            .iter()
            .find(|n| n["id"] == ID)
            .expect("provisional node");
        assert_eq!(node["provisional"], true, "{style}");
        assert_eq!(node["cue"], "title:analyst", "{style}");
        let xiaomi = nodes.iter().find(|n| n["id"] == "xiaomi").unwrap();
        assert!(xiaomi.get("provisional").is_none() && xiaomi.get("cue").is_none());
    }

    let dot = std::fs::read_to_string(out.join("graph.dot")).unwrap();
    let line = dot
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("\"{ID}\"")))
        .expect("provisional node in DOT");
    assert!(line.contains("style=\"filled,dashed\""), "{line}");
    assert!(dot.contains("dashed outline: provisional, found by discovery"));
    let xiaomi = dot
        .lines()
        .find(|l| l.trim_start().starts_with("\"xiaomi\""))
        .unwrap();
    assert!(!xiaomi.contains("dashed"), "{xiaomi}");

    let html = std::fs::read_to_string(out.join("graph.html")).unwrap();
    assert!(
        html.contains(r#""provisional":true,"cue":"title:analyst""#),
        "no provisional data in graph.html"
    );
    assert!(
        html.contains("provisional-filter"),
        "no provisional filter in the viewer"
    );
}

#[test]
fn report_has_a_provisional_column_and_reads_it_back_from_graph_json() {
    let dir = tempdir();
    let text = corpus(dir.path());
    let table = stdout(entgraph().arg("report").arg(&text));
    let row = table
        .lines()
        .find(|l| l.contains("Varun Mishra ┆"))
        .unwrap();
    assert!(row.contains("title:analyst"), "{table}");
    assert!(table.contains("provisional (cue)"));
    let md = stdout(entgraph().args(["report", "-f", "markdown"]).arg(&text));
    assert!(
        md.contains("| Varun Mishra | PERSON | title:analyst |"),
        "{md}"
    );
    let csv = stdout(entgraph().args(["report", "-f", "csv"]).arg(&text));
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().ends_with(",provisional,cue"), "{csv}");
    assert!(csv.contains(&format!("{ID},Varun Mishra,PERSON,")));
    assert!(
        csv.lines()
            .any(|l| l.starts_with("1,new:varun-mishra,") && l.ends_with(",true,title:analyst")),
        "{csv}"
    );

    let json: Value = serde_json::from_str(&stdout(
        entgraph().args(["report", "-f", "json"]).arg(&text),
    ))
    .unwrap();
    let rows = json["entities"].as_array().unwrap();
    let mishra = rows.iter().find(|r| r["id"] == ID).unwrap();
    assert_eq!(mishra["provisional"], true);
    assert_eq!(mishra["cue"], "title:analyst");
    let xiaomi = rows.iter().find(|r| r["id"] == "xiaomi").unwrap();
    assert_eq!(xiaomi["provisional"], false);

    // From a built graph.json, the same report.
    let out = dir.path().join("out");
    stdout(
        entgraph()
            .args(["build", "-f", "json", "-o"])
            .arg(&out)
            .arg(&text),
    );
    let from_graph = stdout(
        entgraph()
            .args(["report", "-f", "json", "--graph"])
            .arg(out.join("graph.json")),
    );
    assert_eq!(
        serde_json::from_str::<Value>(&from_graph).unwrap(),
        json,
        "report --graph reads the marks back"
    );

    // Switched off: no column at all.
    let plain = stdout(entgraph().args(["report", "--no-discover"]).arg(&text));
    assert!(
        !plain.contains("provisional") && !plain.contains("Mishra"),
        "{plain}"
    );
}

#[test]
fn unmatched_lists_discovered_entities_for_review() {
    let dir = tempdir();
    let text = corpus(dir.path());
    let json: Value = serde_json::from_str(&stdout(
        entgraph()
            .args(["report", "--unmatched", "-f", "json"])
            .arg(&text),
    ))
    .unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    let r = &rows[0];
    assert_eq!(r["id"], ID);
    assert_eq!(r["name"], "Varun Mishra");
    assert_eq!(r["type"], "PERSON");
    assert_eq!(
        (r["mentions"].as_u64(), r["documents"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(r["cue"], "title:analyst");
    assert_eq!(r["example"]["hit"], "Varun Mishra");
    assert_eq!(r["example"]["left"], "Counterpoint analyst ");
    assert_eq!(r["tsv"], "varun-mishra\tPERSON\tVarun Mishra\t~Mishra");

    let table = stdout(entgraph().args(["report", "--unmatched"]).arg(&text));
    assert!(
        table.contains(ID) && table.contains("title:analyst"),
        "{table}"
    );
    assert!(table.contains("analyst [Varun Mishra] said"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l == "varun-mishra\tPERSON\tVarun Mishra\t~Mishra")
    );

    let csv = stdout(
        entgraph()
            .args(["report", "--unmatched", "-f", "csv"])
            .arg(&text),
    );
    assert!(csv.starts_with("id,name,type,mentions,documents,cue,example_doc,example,tsv\n"));
    assert!(csv.contains("new:varun-mishra,Varun Mishra,PERSON,2,1,title:analyst,"));
    let md = stdout(
        entgraph()
            .args(["report", "--unmatched", "-f", "markdown"])
            .arg(&text),
    );
    assert!(
        md.contains("| 1 | new:varun-mishra | Varun Mishra | PERSON | 2 | 1 | title:analyst |"),
        "{md}"
    );
    assert!(md.contains("varun-mishra\tPERSON\tVarun Mishra\t~Mishra\n"));

    // Switched off: the capitalized sequences no alias matched, as before discovery.
    let old = stdout(
        entgraph()
            .args(["report", "--unmatched", "--no-discover"])
            .arg(&text),
    );
    assert!(old.starts_with("Names no alias matched\n"), "{old}");
    assert!(old.contains("Varun Mishra") && !old.contains(ID));
}

/// Untrusted text in the review list stays inert: CSV cells cannot start a formula,
/// Markdown cannot open a tag or break the table, the terminal gets no escape sequences.
#[test]
fn unmatched_review_list_escapes_untrusted_text() {
    let dir = tempdir();
    let p = dir.path().join("odd.jsonl");
    std::fs::write(
        &p,
        r#"{"id": "=1+1", "text": "=SUM(A1) analyst Varun Mishra said <img src=x onerror=alert(1)> | `x` \u001b[31m the Xiaomi phone sold."}"#,
    )
    .unwrap();
    let table = stdout(entgraph().args(["report", "--unmatched"]).arg(&p));
    assert!(table.contains(ID), "{table}");
    assert!(!table.contains('\u{1b}'), "{table:?}");
    let md = stdout(
        entgraph()
            .args(["report", "--unmatched", "-f", "markdown"])
            .arg(&p),
    );
    assert!(
        md.contains("said &lt;img src=x onerror=alert(1)&gt; \\| \\`x\\`"),
        "{md}"
    );
    assert!(!md.contains("<img"), "{md}");
    let csv = stdout(
        entgraph()
            .args(["report", "--unmatched", "-f", "csv"])
            .arg(&p),
    );
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 1, "{csv}");
    assert_eq!(&rows[0][6], "'=1+1");
    assert!(
        rows[0][7].starts_with("'=SUM(A1) analyst [Varun Mishra] said"),
        "{csv}"
    );
}
