//! A proptest fuzz suite over the parsers and writers that take untrusted text (issue 11):
//! the gazetteer parser, folding and its offset map (also in `src/fold.rs`), the tagger, the
//! input reader (JSONL, text, gzip, any bytes), and the DOT and CoNLL writers. Each asserts
//! no panic and the invariants the rest of the program relies on.
//!
//! cargo-fuzz would be the tool of choice, but it needs a nightly toolchain and
//! `cargo install cargo-fuzz`, and CI runs stable `cargo test` only; these run there, in a
//! few seconds (a fixed, small number of cases each).

use std::io::Write;

use entgraph::entity::EntityView;
use entgraph::gazetteer::{Gazetteer, GazetteerBuilder};
use entgraph::input::{Documents, InputEvent, Limits};
use entgraph::tagformat::{self, TagFormat};
use entgraph::tagger::Tagger;
use petgraph::graph::UnGraph;
use proptest::prelude::*;

use crate::util::{edge, entity_graph, gc_counts, meta, node, tempdir};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text with the characters that stress folding, word boundaries and escaping.
const HOSTILE: &str = "[a-zA-Z0-9 .,;:'\"\\-–—’\u{00A0}\u{00AD}\u{200B}\u{FEFF}\u{301}ßﬁİ\u{FDFA}北\n\r\t\u{0}\u{1b}<>&|=~#{}\\\\]{0,60}";

fn seed_gazetteer() -> Gazetteer {
    let mut b = GazetteerBuilder::new();
    b.add_str(
        "fuzz.tsv",
        "id\ttype\tname\taliases\tcase\n\
         \tLOC\tSeoul\t\t\n\
         \tLOC\tUnited States\tU.S.|=US|the States\t\n\
         \tPERSON\tLee Jae-myung\t~Lee|Lee Jae Myung\t\n\
         \tORG\tX\t=X\texact\n\
         \tORG\tStraße AG\tStrasse AG\t\n\
         beijing\tLOC\t北京\t\t\n",
    );
    b.build().unwrap()
}

proptest! {
    #![proptest_config(config())]

    /// Any TSV loads or fails with diagnostics; what loads compiles and tags.
    #[test]
    fn gazetteer_parser_never_panics(
        header in "(id\t)?(type\tname|name\ttype)(\taliases)?(\tcase)?(\tpriority)?",
        rows in proptest::collection::vec(HOSTILE, 0..6),
    ) {
        let tsv = format!("{header}\n{}", rows.join("\n"));
        let mut b = GazetteerBuilder::with_warnings();
        b.add_str("fuzz.tsv", &tsv);
        let (g, warnings) = b.build_with_warnings();
        for w in &warnings {
            prop_assert!(w.to_string().starts_with("fuzz.tsv"), "{w}");
        }
        match g {
            Ok(g) => {
                let t = Tagger::new(g).unwrap();
                let _ = t.tag("Seoul . , U.S.");
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    /// Mentions are within the text, on char boundaries, sorted and disjoint; the CoNLL
    /// output has one tab per token line and tags that follow BIO.
    #[test]
    fn tagger_and_conll_writer_keep_their_invariants(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("Seoul".to_string()), Just("U.S.".to_string()), Just("US".to_string()),
                Just("Lee".to_string()), Just("Lee Jae-myung".to_string()), Just("X-ray".to_string()),
                Just("the States".to_string()), Just("STRASSE ag".to_string()), Just("北京".to_string()),
                HOSTILE.prop_map(|s| s),
            ],
            0..12,
        ),
    ) {
        let text = parts.join(" ");
        let tagger = Tagger::new(seed_gazetteer()).unwrap();
        let tagged = tagger.tag(&text);
        let mut prev_end = 0;
        for m in &tagged.mentions {
            prop_assert!(m.start < m.end && m.end <= text.len());
            prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            prop_assert!(m.start >= prev_end, "overlap at {}", m.start);
            prev_end = m.end;
        }
        let doc = entgraph::input::Document::new("doc", text.clone());
        let view = EntityView::new(tagger.gazetteer(), &tagged.provisional);
        let mut out = Vec::new();
        tagformat::write(&mut out, TagFormat::Conll, view, &doc, &tagged).unwrap();
        let out = String::from_utf8(out).unwrap();
        let mut last = "O".to_string();
        for line in out.lines().skip(1) {
            if line.is_empty() {
                last = "O".into();
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            prop_assert_eq!(fields.len(), 2, "{:?}", line);
            let tag = fields[1];
            prop_assert!(tag == "O" || tag.starts_with("B-") || tag.starts_with("I-"), "{}", tag);
            if let Some(kind) = tag.strip_prefix("I-") {
                prop_assert!(last.ends_with(kind), "{} after {}", tag, last);
            }
            last = tag.to_string();
        }
        let mut jsonl = Vec::new();
        tagformat::write(&mut jsonl, TagFormat::Jsonl, view, &doc, &tagged).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&jsonl).unwrap();
        prop_assert_eq!(v["mentions"].as_array().unwrap().len(), tagged.mentions.len());
    }

    /// Any bytes, as a text file, a JSONL file, gzip of either or standard-input-like
    /// content: the reader yields documents and notes, never panics, and every document is
    /// within the limit.
    #[test]
    fn input_reader_never_panics(
        bytes in proptest::collection::vec(
            prop_oneof![
                4 => any::<u8>(),
                2 => Just(b'\n'),
                1 => Just(0u8),
                2 => Just(b'{'),
                2 => Just(b'"'),
            ],
            0..200,
        ),
        prefix in prop_oneof![
            Just(Vec::new()), Just(vec![0xEF, 0xBB, 0xBF]), Just(vec![0xFF, 0xFE]),
            Just(vec![0xFE, 0xFF]), Just(vec![0xFF, 0xFE, 0, 0]),
            Just(b"{\"id\": \"a\", \"text\": \"Seoul\"}\n".to_vec()),
        ],
        gz in any::<bool>(),
    ) {
        let dir = tempdir();
        let mut content = prefix.clone();
        content.extend_from_slice(&bytes);
        if gz {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(&content).unwrap();
            content = e.finish().unwrap();
        }
        let ext = if gz { ".gz" } else { "" };
        let mut paths = Vec::new();
        for name in ["a.txt", "b.jsonl"] {
            let p = dir.path().join(format!("{name}{ext}"));
            std::fs::write(&p, &content).unwrap();
            paths.push(p.display().to_string());
        }
        let limits = Limits { max_document_bytes: 64, max_decompressed_bytes: 4096 };
        for e in Documents::with_limits(&paths, limits) {
            if let InputEvent::Document(d) = e {
                prop_assert!(d.text.len() <= 64 * 4, "{} bytes", d.text.len());
                for k in 0..=d.text.len() {
                    if d.text.is_char_boundary(k) {
                        let _ = d.source_offset(k);
                    }
                }
            }
        }
    }

    /// The DOT writer escapes whatever the labels and ids hold: Graphviz reads back exactly
    /// the graph's nodes and edges.
    #[test]
    fn dot_writer_output_is_well_formed(
        labels in proptest::collection::vec(HOSTILE, 1..5),
    ) {
        let mut g = UnGraph::new_undirected();
        let ids: Vec<_> = labels
            .iter()
            .enumerate()
            .map(|(k, l)| g.add_node(node(&format!("{k}{l}"), l, "PERSON", 1 + k as u64)))
            .collect();
        for w in ids.windows(2) {
            g.add_edge(w[0], w[1], edge(1, 1.0));
        }
        let graph = entity_graph(g, meta());
        let dot = entgraph::export::dot::to_dot(&graph);
        let dir = tempdir();
        let f = dir.path().join("g.dot");
        std::fs::write(&f, dot).unwrap();
        prop_assert_eq!(gc_counts(&f), (labels.len(), labels.len() - 1));
    }
}
