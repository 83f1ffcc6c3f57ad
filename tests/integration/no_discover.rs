//! With `--no-discover`, every output is byte-identical to what entgraph wrote before
//! discovery existed: `build -f dot,json,html`, `tag` (jsonl, text, conll), `report` (table,
//! markdown, csv, json) and `report --unmatched`, on `examples/news` and on the seed articles.
//!
//! The golden outputs in `tests/fixtures/no-discover/` were written by the binary of commit
//! 5108858 (the last commit before discovery) with `regenerate.sh`, never by hand:
//! `news/` holds the files for `examples/news`; `seeds.sha256` only the SHA-256 sums of the
//! seed articles' outputs, which quote the articles (not ours to commit). The runs are listed
//! in `runs.txt`, which the script reads too.
//!
//! Changed since, by design, and compared with that change undone: graph.json's evidence
//! objects gained `spans` ([`without_evidence_spans`] removes them before comparing), and
//! graph.html's viewer reads the type styles from the page data instead of its own constants
//! ([`with_the_old_viewer`] puts the old script, its CSP hash and the old style keys back;
//! also the old stylesheet, changed since by the viewer's community and document-title styles);
//! graph.dot's legend became the graph's HTML-like label instead of a cluster of nodes
//! ([`with_the_old_legend`] writes the old cluster back from the new table); communities
//! were added: every node's `community` and the graph's `modularity` in graph.json and
//! graph.html, and a community column and a "Largest communities" table in every report
//! format ([`without_communities`] removes them); gazetteer attributes the default gazetteer
//! declares typed (`lat:float`, `population:int`, …) became numbers and booleans in graph.json
//! and graph.html ([`with_string_attributes`] writes the gazetteer's text back).

use std::collections::BTreeMap;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::util::{entgraph, fixture, root, seeds, tempdir};

fn fixtures() -> PathBuf {
    fixture("no-discover")
}

/// `(name, arguments)` of every run in `runs.txt`.
fn runs() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(fixtures().join("runs.txt")).unwrap();
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, args) = l.split_once('\t').expect("NAME<TAB>arguments");
            (name.to_string(), args.to_string())
        })
        .collect()
}

/// Every output of `runs.txt` on `input` (relative to the repository root, as the goldens
/// were made), with `--no-discover`: file name → bytes.
fn outputs(input: &str) -> BTreeMap<String, Vec<u8>> {
    let out_dir = tempdir();
    let out = out_dir.path().join("build");
    let mut files = BTreeMap::new();
    for (name, args) in runs() {
        let args: Vec<String> = args
            .split_whitespace()
            .map(|a| {
                a.replace("INPUT", input)
                    .replace("OUT", out.to_str().unwrap())
            })
            .collect();
        let result = entgraph()
            .current_dir(root())
            .args(&args)
            .arg("--no-discover")
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        assert!(
            result.status.success(),
            "entgraph {args:?} --no-discover failed: {}",
            String::from_utf8_lossy(&result.stderr)
        );
        if name == "build" {
            for f in ["graph.dot", "graph.json", "graph.html"] {
                let bytes = std::fs::read(out.join(f)).unwrap();
                let bytes = without_communities(f, &bytes);
                let bytes = with_string_attributes(f, &bytes);
                let bytes = match f {
                    "graph.json" => without_evidence_spans(&bytes),
                    "graph.html" => with_the_old_viewer(&bytes),
                    "graph.dot" => with_the_old_legend(&bytes),
                    _ => bytes,
                };
                files.insert(f.to_string(), bytes);
            }
        } else {
            let bytes = without_communities(&name, &result.stdout);
            files.insert(name, bytes);
        }
    }
    files
}

/// graph.json and graph.html as entgraph wrote them before attributes were typed: every
/// typed attribute value (a number or boolean, of an attribute the default gazetteer declares
/// `lat:float` and the like) put back as the gazetteer's text, as text, so that every other
/// byte is compared as written. Checks its own work: every value of a typed attribute is
/// replaced, and nothing else is a number or boolean in the attributes.
fn with_string_attributes(name: &str, bytes: &[u8]) -> Vec<u8> {
    let g = entgraph::gazetteer::Gazetteer::default_embedded().unwrap();
    let typed: Vec<&str> = g
        .attribute_types()
        .iter()
        .filter(|(_, t)| **t != entgraph::attribute::AttrType::String)
        .map(|(k, _)| k.as_str())
        .collect();
    assert!(typed.contains(&"lat"), "the default gazetteer types no lat");
    // The text the gazetteer gives entity `id`'s attribute `key`, as a JSON string.
    let raw = |id: &str, key: &str| -> String {
        let e = g.entity(g.lookup(id).unwrap_or_else(|| panic!("no entity {id}")));
        serde_json::to_string(&e.attributes[key]).unwrap()
    };
    let text = std::str::from_utf8(bytes).unwrap();
    let mut out = String::with_capacity(text.len());
    let mut replaced = 0;
    match name {
        "graph.json" => {
            // Node members are on lines of their own, indented by 6 spaces, after the "id".
            let mut id = String::new();
            for line in text.split_inclusive('\n') {
                if let Some(v) = line.strip_prefix("      \"id\": ") {
                    id = serde_json::from_str(v.trim_end().trim_end_matches(',')).unwrap();
                }
                let key = typed.iter().find(|k| {
                    line.strip_prefix("      \"")
                        .and_then(|r| r.strip_prefix(**k))
                        .is_some_and(|r| r.starts_with("\": "))
                });
                match key {
                    Some(k) => {
                        let comma = if line.trim_end().ends_with(',') {
                            ","
                        } else {
                            ""
                        };
                        out.push_str(&format!("      \"{k}\": {}{comma}\n", raw(&id, k)));
                        replaced += 1;
                    }
                    None => out.push_str(line),
                }
            }
        }
        "graph.html" => {
            // Page data: nodes are `{"id":"…",…,"attributes":[["key",value],…],…}`.
            let mut done = 0;
            loop {
                let next = typed
                    .iter()
                    .filter_map(|k| {
                        let at = text[done..].find(&format!("[\"{k}\","))?;
                        Some((done + at, *k))
                    })
                    .min();
                let Some((at, k)) = next else { break };
                let start = at + k.len() + 4;
                let end = start + text[start..].find(']').unwrap();
                // The node's id: a slug in the default gazetteer, so no escaped quote in it.
                let quote = text[..at].rfind("{\"id\":\"").expect("a node before it") + 6;
                let close = quote + 1 + text[quote + 1..].find('"').unwrap();
                let id: String = serde_json::from_str(&text[quote..=close]).unwrap();
                out.push_str(&text[done..start]);
                out.push_str(&raw(&id, k));
                done = end;
                replaced += 1;
            }
            out.push_str(&text[done..]);
        }
        _ => return bytes.to_vec(),
    }
    let typed_values = typed
        .iter()
        .map(|k| text.matches(&format!("\"{k}\"")).count())
        .sum::<usize>();
    assert!(
        replaced > 0 && replaced == typed_values,
        "{name}: {replaced} typed attribute values put back as text, {typed_values} seen"
    );
    out.into_bytes()
}

/// graph.dot as entgraph wrote it before the legend became the graph label: the label
/// attributes removed from the graph attribute line and the old `cluster_legend` subgraph
/// rebuilt from the table's rows (type, count; the metadata text), with the old styles and
/// invisible chain. Checks its own work: every row of the table is used.
fn with_the_old_legend(dot: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(dot).unwrap();
    const START: &str = " labelloc=b labeljust=l label=<<TABLE";
    let start = text.find(START).expect("legend label");
    let end = text[start..].find("</TABLE>>").unwrap() + start + "</TABLE>>".len();
    let table = &text[start..end];
    let mut out = String::new();
    out.push_str(&text[..start]);
    let rest = &text[end..];
    let close = rest.rfind("}\n").unwrap();
    out.push_str(&rest[..close]);
    out.push_str(
        "  subgraph cluster_legend {\n    graph[label=\"Legend\" labeljust=l fontsize=12 \
        style=\"rounded,filled\" fillcolor=\"#F7F7F7\" color=\"#BBBBBB\" margin=10]\n",
    );
    let mut ids = Vec::new();
    let cells: Vec<&str> = table
        .split("<TD ALIGN=\"LEFT\">")
        .skip(1)
        .map(|c| &c[..c.find("</TD>").unwrap()])
        .collect();
    for cell in &cells {
        let (kind, count) = cell.split_once(" (").unwrap();
        let count = count.split(": ").nth(1).unwrap();
        let style = entgraph::export::type_style(kind);
        let _ = std::fmt::Write::write_fmt(
            &mut out,
            format_args!(
                "    \"entgraph:legend:{kind}\"[label=\"{kind}\" shape={} style=\"{}\" \
                 fillcolor=\"{}\" fontsize=10 width=0.6 height=0.3 tooltip=\"{kind}: {count}\"]\n",
                style.dot_shape, style.dot_style, style.color
            ),
        );
        ids.push(format!("entgraph:legend:{kind}"));
    }
    let meta_start =
        table.find("<FONT POINT-SIZE=\"9\">").unwrap() + "<FONT POINT-SIZE=\"9\">".len();
    let meta = &table[meta_start..table[meta_start..].find("</FONT>").unwrap() + meta_start];
    let _ = std::fmt::Write::write_fmt(
        &mut out,
        format_args!(
            "    \"entgraph:legend:meta\"[label=\"{}\" shape=plaintext style=\"\" fontsize=9 \
             tooltip=\"entgraph {}\"]\n",
            meta.replace("<BR ALIGN=\"LEFT\"/>", "\\n"),
            env!("CARGO_PKG_VERSION")
        ),
    );
    ids.push("entgraph:legend:meta".into());
    for pair in ids.windows(2) {
        let _ = std::fmt::Write::write_fmt(
            &mut out,
            format_args!("    \"{}\" -- \"{}\" [style=invis]\n", pair[0], pair[1]),
        );
    }
    out.push_str("  }\n}\n");
    assert_eq!(
        table.matches("<TR>").count(),
        cells.len() + 2,
        "a title, the type rows and the metadata: {table}"
    );
    out.into_bytes()
}

/// An output as entgraph wrote it before communities: graph.json and report.json without the
/// `community` members of nodes and entities, the graph's `modularity` and the report's
/// `communities`; graph.html without the same members in its compact data; the report
/// table, Markdown and CSV without the community column and the community table. Text
/// edits, so every other byte is compared as written; each checks that it removed something.
fn without_communities(name: &str, bytes: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).unwrap();
    let out = match name {
        "graph.json" => without_json_communities(text, "nodes", "/graph", "    ", "modularity"),
        "report.json" => without_json_communities(text, "entities", "", "  ", "communities"),
        "graph.html" => {
            let n = text.matches(r#","community":"#).count();
            assert!(n > 0, "no community in graph.html");
            let mut out = String::with_capacity(text.len());
            let mut rest = text;
            // The meta (with modularity) comes before the nodes.
            for key in std::iter::once(r#","modularity":"#)
                .chain(std::iter::repeat_n(r#","community":"#, n))
            {
                let at = rest.find(key).unwrap_or_else(|| panic!("no {key}"));
                out.push_str(&rest[..at]);
                rest = rest[at + key.len()..].trim_start_matches(|c: char| {
                    c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E' | '+')
                });
            }
            out.push_str(rest);
            out
        }
        "report.txt" => without_table_column(text, "community", "\nLargest communities\n"),
        "report.md" => {
            let (entities, communities) = text
                .split_once("\n## Largest communities\n")
                .expect("a community table");
            assert!(communities.contains("| community | nodes |"));
            let mut out = String::new();
            let mut column = None;
            let mut pairs = false;
            for line in entities.split_inclusive('\n') {
                pairs = pairs || line.starts_with("## Strongest pairs");
                if pairs || !line.starts_with('|') {
                    out.push_str(line);
                    continue;
                }
                // Cells split on unescaped pipes.
                let mut cells: Vec<String> = vec![String::new()];
                let mut chars = line.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            let last = cells.last_mut().unwrap();
                            last.push(c);
                            last.extend(chars.next());
                        }
                        '|' => cells.push(String::new()),
                        c => cells.last_mut().unwrap().push(c),
                    }
                }
                let i = *column.get_or_insert_with(|| {
                    cells
                        .iter()
                        .position(|c| c == " community ")
                        .expect("community column")
                });
                cells.remove(i);
                out.push_str(&cells.join("|"));
            }
            out
        }
        "report.csv" => {
            let mut r = csv::Reader::from_reader(text.as_bytes());
            let header = r.headers().unwrap().clone();
            let i = header.iter().position(|h| h == "community").unwrap();
            let mut w = csv::Writer::from_writer(Vec::new());
            let drop = |rec: &csv::StringRecord| -> Vec<String> {
                rec.iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, s)| s.to_string())
                    .collect()
            };
            w.write_record(drop(&header)).unwrap();
            for rec in r.records() {
                let rec = rec.unwrap();
                assert!(rec[i].parse::<usize>().is_ok(), "{rec:?}");
                w.write_record(drop(&rec)).unwrap();
            }
            String::from_utf8(w.into_inner().unwrap()).unwrap()
        }
        _ => return bytes.to_vec(),
    };
    out.into_bytes()
}

/// Pretty-printed JSON without the `community` of every item of the array `list` and without
/// the member `key` (written at `indent`) of the object at the JSON pointer `at`, as text;
/// checked against the same removals from the parsed document.
fn without_json_communities(text: &str, list: &str, at: &str, indent: &str, key: &str) -> String {
    let t = without_members(text, "      ", "community");
    let out = without_members(&t, indent, key);
    let mut want: serde_json::Value = serde_json::from_str(text).unwrap();
    let object = want.pointer_mut(at).unwrap().as_object_mut().unwrap();
    object.remove(key).unwrap();
    for n in want[list].as_array_mut().unwrap() {
        n.as_object_mut().unwrap().remove("community").unwrap();
    }
    let got: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(got, want, "removing communities changed something else");
    out
}

/// Pretty-printed JSON without the members `"key": …` written at `indent` (a value may span
/// lines, up to its closing bracket at the same indent); a member that was last takes the
/// comma off the one before it.
fn without_members(text: &str, indent: &str, key: &str) -> String {
    let open = format!("{indent}\"{key}\": ");
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split_inclusive('\n');
    let mut removed = 0;
    while let Some(line) = lines.next() {
        let Some(value) = line.strip_prefix(&open) else {
            out.push_str(line);
            continue;
        };
        removed += 1;
        let mut last = value.trim_end().to_string();
        if last == "[" || last == "{" {
            let close = if last == "[" { ']' } else { '}' };
            let end = lines
                .find(|l| l.strip_prefix(indent).is_some_and(|r| r.starts_with(close)))
                .expect("unterminated value");
            last = end.trim_end().to_string();
        }
        if !last.ends_with(',') {
            assert!(out.ends_with(",\n"), "no member before {key}");
            out.truncate(out.len() - 2);
            out.push('\n');
        }
    }
    assert!(removed > 0, "no {key} at indent {}", indent.len());
    out
}

/// A report table (`report.txt`) without the first table's column headed `header` (its
/// characters cut from every line of that table, borders included, after checking each cell
/// is a number) and without the section from `section` to the end.
fn without_table_column(text: &str, header: &str, section: &str) -> String {
    let (tables, rest) = text.split_once(section).expect("a community table");
    assert!(
        rest.contains("community") && rest.contains("nodes"),
        "{rest}"
    );
    let lines: Vec<&str> = tables.split_inclusive('\n').collect();
    let head = lines
        .iter()
        .position(|l| l.contains(&format!(" {header} ")))
        .expect("column header");
    let chars: Vec<char> = lines[head].chars().collect();
    let start = lines[head]
        .split(&format!(" {header} "))
        .next()
        .unwrap()
        .chars()
        .count()
        - 1; // the separator before the column
    let width = header.chars().count() + 3; // separator and two spaces
    assert_eq!(chars[start], '┆');
    let mut out = String::new();
    let mut in_table = false;
    for (i, line) in lines.iter().enumerate() {
        in_table = in_table || i + 1 == head;
        if !in_table {
            out.push_str(line);
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        let cell: String = chars[start + 1..start + width].iter().collect();
        if !(i == head || cell.trim().is_empty() || cell.chars().all(|c| "─═".contains(c))) {
            assert!(cell.trim().parse::<usize>().is_ok(), "{cell:?} in {line}");
        }
        out.extend(&chars[..start]);
        out.extend(&chars[start + width..]);
        in_table = !line.starts_with('└');
    }
    out
}

/// graph.json as entgraph wrote it before evidence spans existed: the `spans` member (always
/// last) removed from every evidence object, as text, so every other byte is compared as
/// written. (Parsing and re-serializing would not do: serde_json's default float parsing is
/// not exact in the last digit.) Checks its own work: every evidence object had spans, and
/// the result parses to the original value minus the spans.
fn without_evidence_spans(json: &[u8]) -> Vec<u8> {
    const INDENT: &str = "          "; // evidence members in node-link links
    let text = std::str::from_utf8(json).unwrap();
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split_inclusive('\n');
    let mut removed = 0;
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix(INDENT) else {
            out.push_str(line);
            continue;
        };
        if !rest.starts_with("\"spans\": {") {
            out.push_str(line);
            continue;
        }
        // The member before it loses its comma; the object runs to its closing brace.
        assert!(out.ends_with(",\n"), "spans is not the last member");
        out.truncate(out.len() - 2);
        out.push('\n');
        if rest != "\"spans\": {}\n" {
            let close = format!("{INDENT}}}\n");
            assert!(lines.any(|l| l == close), "unterminated spans");
        }
        removed += 1;
    }
    let mut want: serde_json::Value = serde_json::from_str(text).unwrap();
    let mut evidence = 0;
    for link in want["links"].as_array_mut().expect("node-link graph.json") {
        for ev in link["evidence"].as_array_mut().unwrap() {
            let spans = ev.as_object_mut().unwrap().remove("spans");
            assert!(
                spans.is_some_and(|s| s.is_object()),
                "evidence without spans"
            );
            evidence += 1;
        }
    }
    assert!(
        evidence > 0 && removed == evidence,
        "{removed} spans removed, {evidence} evidence"
    );
    let got: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(got, want, "removing the spans changed something else");
    out.into_bytes()
}

/// The parts of a graph.html: (the page up to the CSP hash, the hash, the page from the hash
/// to the stylesheet, the stylesheet, the page from it to the data's `"meta"`, the data before
/// it, the rest up to the viewer script, the script, the end).
fn page_parts(html: &str) -> [&str; 9] {
    let cut = |s: &str, at: &str| -> usize { s.find(at).unwrap_or_else(|| panic!("no {at:?}")) };
    let hash_at = cut(html, "'sha256-") + "'sha256-".len();
    let hash_end = hash_at + cut(&html[hash_at..], "'");
    let style_at = cut(html, "<style>\n") + "<style>\n".len();
    let style_end = style_at + cut(&html[style_at..], "</style>");
    let data_open = r#"<script type="application/json" id="entgraph-data">"#;
    let data_at = cut(html, data_open) + data_open.len();
    let meta_at = data_at + cut(&html[data_at..], r#""meta":"#);
    let script_at = cut(html, "</script>\n<script>") + "</script>\n<script>".len();
    let script_end = script_at + cut(&html[script_at..], "</script>\n</body>");
    [
        &html[..hash_at],
        &html[hash_at..hash_end],
        &html[hash_end..style_at],
        &html[style_at..style_end],
        &html[style_end..data_at],
        &html[data_at..meta_at],
        &html[meta_at..script_at],
        &html[script_at..script_end],
        &html[script_end..],
    ]
}

/// graph.html as entgraph wrote it before the type styles moved into the page data: the new
/// page with the golden page's viewer script, stylesheet and CSP hash (the same for every page
/// without provisional entities) and the golden page's style keys at the head of the data (old
/// `{"format", "palette", "other_color"`, new `{"format", "types", "other_color"`). Checks
/// that both hashes are their scripts' and that the new style table holds the old palette in
/// the same order; everything else is compared as written.
fn with_the_old_viewer(html: &[u8]) -> Vec<u8> {
    use base64::Engine as _;
    let golden = std::fs::read_to_string(fixtures().join("news/graph.html")).unwrap();
    let old = page_parts(&golden);
    let html = std::str::from_utf8(html).unwrap();
    let new = page_parts(html);
    let hash = |script: &str| {
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()))
    };
    assert_eq!(hash(old[7]), old[1]);
    assert_eq!(hash(new[7]), new[1]);
    let head = |data: &str| -> serde_json::Value {
        serde_json::from_str(&format!("{}}}", data.trim_end_matches(','))).unwrap()
    };
    let (old_head, new_head) = (head(old[5]), head(new[5]));
    let palette: Vec<serde_json::Value> = new_head["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| serde_json::json!([t["type"], t["color"]]))
        .collect();
    assert_eq!(old_head["palette"], serde_json::Value::Array(palette));
    assert_eq!(old_head["other_color"], new_head["other_color"]);
    assert_eq!(old_head["format"], new_head["format"]);
    [
        new[0], old[1], new[2], old[3], new[4], old[5], new[6], old[7], new[8],
    ]
    .concat()
    .into_bytes()
}

#[test]
fn examples_news_outputs_are_as_before_discovery() {
    let got = outputs("examples/news");
    let dir = fixtures().join("news");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        got.keys().cloned().collect::<Vec<_>>(),
        "the goldens and runs.txt disagree: run regenerate.sh"
    );
    for (name, bytes) in &got {
        let want = std::fs::read(dir.join(name)).unwrap();
        if *bytes != want {
            let (a, b) = (
                String::from_utf8_lossy(&want),
                String::from_utf8_lossy(bytes),
            );
            let line = a
                .lines()
                .zip(b.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(a.lines().count().min(b.lines().count()));
            panic!(
                "{name} with --no-discover differs from the pre-discovery output, first at line {}:\n  before: {:?}\n  now:    {:?}",
                line + 1,
                a.lines().nth(line),
                b.lines().nth(line)
            );
        }
    }
}

#[test]
fn seed_outputs_are_as_before_discovery() {
    seeds();
    let want: BTreeMap<String, String> = std::fs::read_to_string(fixtures().join("seeds.sha256"))
        .unwrap()
        .lines()
        .map(|l| {
            let (sum, name) = l.split_once("  ").expect("sha256sum line");
            (name.to_string(), sum.to_string())
        })
        .collect();
    let got: BTreeMap<String, String> = outputs("../shared/seeds")
        .into_iter()
        .map(|(name, bytes)| {
            let sum: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            (name, sum)
        })
        .collect();
    assert_eq!(
        got, want,
        "seed outputs with --no-discover differ from before discovery"
    );
}

/// The comparison can fail: with discovery on, the outputs of examples/news do change.
#[test]
fn discovery_on_changes_the_outputs() {
    let result = entgraph()
        .current_dir(root())
        .args(["tag", "examples/news"])
        .output()
        .unwrap();
    let want = std::fs::read(fixtures().join("news/tag.jsonl")).unwrap();
    assert_ne!(result.stdout, want);
    assert!(String::from_utf8_lossy(&result.stdout).contains("\"provisional\":true"));
}
