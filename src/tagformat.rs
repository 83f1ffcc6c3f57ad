//! Writing tagged documents: JSON lines, inline-marked text, CoNLL BIO.

use std::io::{self, Write};

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use crate::entity::EntityView;
use crate::escape;
use crate::input::Document;
use crate::segment;
use crate::tagger::Tagged;

/// The output formats of `entgraph tag`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagFormat {
    /// `{"doc", "mentions": [{start, end, text, id, type, name, alias}], "ambiguous": [...]}`,
    /// one line per document, byte offsets. The offsets are those of the bytes as read
    /// ([`Document::source_offset`]): of the file for a lossily decoded one, where `text`
    /// (with U+FFFD) is no longer `text[start..end]` of the file.
    Jsonl,
    /// The text with inline marks `[Lee](PERSON lee-jae-myung)`, each document after a
    /// `==> ID <==` line; ids escaped onto one line ([`escape::one_line`]), control characters
    /// of the text other than line breaks and tabs shown as U+FFFD.
    Text,
    /// One token per line, `TOKEN<TAB>TAG` with `B-TYPE`/`I-TYPE`/`O`, a blank line after each
    /// sentence, each document after a `# doc: ID` line (the id escaped onto one line by
    /// [`escape::one_line`]); control characters in tokens shown as U+FFFD.
    Conll,
}

#[derive(Serialize)]
struct JsonMention<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    name: &'a str,
    /// The gazetteer alias that matched; none for a provisional entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    alias: Option<&'a str>,
    /// Present (and true) only for provisional entities found by discovery.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    provisional: bool,
    /// The cue that typed a provisional entity (`title:analyst`).
    #[serde(skip_serializing_if = "Option::is_none")]
    cue: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonAmbiguous<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    candidates: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    doc: &'a str,
    mentions: Vec<JsonMention<'a>>,
    ambiguous: Vec<JsonAmbiguous<'a>>,
}

/// Writes one tagged document in `format`.
pub fn write(
    w: &mut dyn Write,
    format: TagFormat,
    g: EntityView,
    doc: &Document,
    tagged: &Tagged,
) -> io::Result<()> {
    match format {
        TagFormat::Jsonl => write_jsonl(w, g, doc, tagged),
        TagFormat::Text => write_text(w, g, doc, tagged),
        TagFormat::Conll => write_conll(w, g, doc, tagged),
    }
}

fn write_jsonl(w: &mut dyn Write, g: EntityView, doc: &Document, t: &Tagged) -> io::Result<()> {
    let text = &doc.text;
    let line = JsonDoc {
        doc: &doc.id,
        mentions: t
            .mentions
            .iter()
            .map(|m| {
                let e = g.get(m.entity);
                let p = e.provisional();
                JsonMention {
                    start: doc.source_offset(m.start),
                    end: doc.source_offset(m.end),
                    text: &text[m.start..m.end],
                    id: e.id(),
                    kind: e.kind(),
                    name: e.name(),
                    alias: p
                        .is_none()
                        .then(|| g.gazetteer().alias(m.alias).text.as_str()),
                    provisional: p.is_some(),
                    cue: p.map(|p| p.cue.as_str()),
                }
            })
            .collect(),
        ambiguous: t
            .ambiguous
            .iter()
            .map(|a| JsonAmbiguous {
                start: doc.source_offset(a.start),
                end: doc.source_offset(a.end),
                text: &text[a.start..a.end],
                candidates: a.candidates.iter().map(|&e| g.get(e).id()).collect(),
            })
            .collect(),
    };
    serde_json::to_writer(&mut *w, &line)?;
    w.write_all(b"\n")
}

fn write_text(w: &mut dyn Write, g: EntityView, doc: &Document, t: &Tagged) -> io::Result<()> {
    // The id (a file name or a JSONL `id`) stays on its header line; the text keeps its lines
    // but loses escape sequences and other control characters.
    writeln!(w, "==> {} <==", escape::one_line(&doc.id))?;
    let text = &doc.text;
    // Mentions and ambiguous mentions never overlap each other: merge them by start.
    let mut marks: Vec<(usize, usize, String)> = t
        .mentions
        .iter()
        .map(|m| {
            let e = g.get(m.entity);
            let (kind, id) = (escape::one_line(e.kind()), escape::one_line(e.id()));
            (m.start, m.end, format!("{kind} {id}"))
        })
        .chain(t.ambiguous.iter().map(|a| {
            let ids: Vec<_> = a
                .candidates
                .iter()
                .map(|&e| escape::one_line(g.get(e).id()))
                .collect();
            (a.start, a.end, format!("AMBIGUOUS {}", ids.join("|")))
        }))
        .collect();
    marks.sort_by_key(|m| m.0);
    let mut at = 0;
    for (s, e, label) in marks {
        w.write_all(escape::terminal_lines(&text[at..s]).as_bytes())?;
        write!(w, "[{}]({label})", escape::terminal_lines(&text[s..e]))?;
        at = e;
    }
    w.write_all(escape::terminal_lines(&text[at..]).as_bytes())?;
    if !text.ends_with('\n') {
        w.write_all(b"\n")?;
    }
    w.write_all(b"\n")
}

fn write_conll(w: &mut dyn Write, g: EntityView, doc: &Document, t: &Tagged) -> io::Result<()> {
    // A line break in the id would start a forged line: escaped (see `escape::one_line`).
    writeln!(w, "# doc: {}", escape::one_line(&doc.id))?;
    let text = &doc.text;
    let ms = &t.mentions;
    // Index of the first mention that may still overlap the current token.
    let mut first = 0;
    for sentence in segment::sentences(text) {
        let mut wrote = false;
        for (off, token) in text[sentence.clone()].split_word_bound_indices() {
            if token.trim().is_empty() {
                continue;
            }
            let (start, end) = (sentence.start + off, sentence.start + off + token.len());
            while first < ms.len() && ms[first].end <= start {
                first += 1;
            }
            // A token is cut where a mention starts or ends inside it (`Lee’s` → `Lee` `’s`).
            let mut at = start;
            while at < end {
                // Mentions are sorted and do not overlap, so the first one not over before
                // `at` is the only one that can cover it: looking no further keeps the
                // output linear in the document (finding 3 of issue 11).
                while first < ms.len() && ms[first].end <= at {
                    first += 1;
                }
                let m = ms.get(first).filter(|m| m.start < end);
                let (piece_end, tag) = match m {
                    Some(m) if m.start <= at => {
                        let kind = escape::one_line(g.get(m.entity).kind());
                        let bio = if at == m.start { "B" } else { "I" };
                        (m.end.min(end), format!("{bio}-{kind}"))
                    }
                    Some(m) => (m.start, "O".to_string()),
                    None => (end, "O".to_string()),
                };
                // A UAX #29 token may start with a tab or line break followed by format
                // characters (`\t\u{FEFF}`): that whitespace would break the line's fields.
                // Other control characters become U+FFFD.
                let piece = text[at..piece_end].trim();
                if !piece.is_empty() {
                    if piece.contains(['\t', '\n', '\r']) {
                        let piece = piece.replace(['\t', '\n', '\r'], " ");
                        writeln!(w, "{}\t{tag}", escape::terminal(&piece))?;
                    } else {
                        writeln!(w, "{}\t{tag}", escape::terminal(piece))?;
                    }
                }
                at = piece_end;
            }
            wrote = true;
        }
        if wrote {
            w.write_all(b"\n")?;
        }
    }
    Ok(())
}
