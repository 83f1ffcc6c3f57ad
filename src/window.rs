//! Co-occurrence windows: which mentions of a document count as appearing together.

use std::fmt;
use std::str::FromStr;

use crate::gazetteer::EntityId;
use crate::segment;
use crate::tagger::Mention;

/// The default most distinct entities one window may hold for its pairs to be counted
/// ([`crate::pipeline::CountOptions::max_window_entities`]): 200 entities make 19,900
/// pairs. A window with more (a list of 10,000 names in one sentence) still counts its
/// entities' mentions and windows, but none of its pairs.
pub const MAX_WINDOW_ENTITIES: usize = 200;

/// The widest `tokens:N` window: 1,000 word tokens. Wider ones are refused when parsed: each
/// mention's window would take in every mention of whole chapters.
pub const MAX_TOKEN_SPAN: usize = 1000;

/// How a document is cut into windows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowKind {
    /// Each sentence ([`segment::sentences`]).
    Sentence,
    /// Each paragraph ([`segment::paragraphs`]): blank lines or single line breaks.
    Paragraph,
    /// The whole document.
    Document,
    /// One window per mention, holding it and every mention that starts at most N word
    /// tokens after it ends: two mentions are linked when at most N tokens separate their
    /// starts' token positions. (The "Network of Thrones" method uses N = 15.)
    Tokens(usize),
}

/// A window name [`WindowKind::from_str`] does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown window {0:?}: expected sentence, paragraph, document or tokens:N (1 ≤ N ≤ 1000)")]
pub struct UnknownWindow(pub String);

impl FromStr for WindowKind {
    type Err = UnknownWindow;
    fn from_str(s: &str) -> Result<Self, UnknownWindow> {
        match s {
            "sentence" => Ok(WindowKind::Sentence),
            "paragraph" => Ok(WindowKind::Paragraph),
            "document" => Ok(WindowKind::Document),
            _ => match s.strip_prefix("tokens:").map(str::parse::<usize>) {
                Some(Ok(n)) if (1..=MAX_TOKEN_SPAN).contains(&n) => Ok(WindowKind::Tokens(n)),
                _ => Err(UnknownWindow(s.to_string())),
            },
        }
    }
}

impl fmt::Display for WindowKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WindowKind::Sentence => f.write_str("sentence"),
            WindowKind::Paragraph => f.write_str("paragraph"),
            WindowKind::Document => f.write_str("document"),
            WindowKind::Tokens(n) => write!(f, "tokens:{n}"),
        }
    }
}

/// A window that holds at least one mention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// Byte range of the window in the document text.
    pub start: usize,
    /// End of that byte range (exclusive, on a char boundary): the sentence's, paragraph's
    /// or text's end, or for `tokens:N` the end of the last mention the window takes in.
    pub end: usize,
    /// The distinct entities mentioned in it, sorted.
    pub entities: Vec<EntityId>,
}

/// The windows of one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentWindows {
    /// Windows holding at least one mention, in text order.
    pub windows: Vec<Window>,
    /// Number of windows in the document, including those without mentions (the
    /// denominator of window probabilities).
    pub total: u64,
}

/// Cuts a document into windows and assigns its mentions (sorted by start, as the tagger
/// returns them). A mention belongs to the window that contains its start.
pub fn windows(kind: WindowKind, text: &str, mentions: &[Mention]) -> DocumentWindows {
    match kind {
        WindowKind::Sentence => by_ranges(segment::sentences(text), mentions),
        WindowKind::Paragraph => by_ranges(segment::paragraphs(text), mentions),
        WindowKind::Document => {
            let total = u64::from(!text.trim().is_empty());
            by_ranges((0..total).map(|_| 0..text.len()).collect(), mentions)
        }
        WindowKind::Tokens(n) => by_tokens(n, text, mentions),
    }
}

fn by_ranges(ranges: Vec<std::ops::Range<usize>>, mentions: &[Mention]) -> DocumentWindows {
    let mut out = DocumentWindows {
        windows: Vec::new(),
        total: ranges.len() as u64,
    };
    let mut r = 0;
    for m in mentions {
        // The window containing the mention's start; a mention in the gap between two
        // windows (only possible in whitespace-trimmed gaps) joins the next one.
        while r < ranges.len() && ranges[r].end <= m.start {
            r += 1;
        }
        if r == ranges.len() {
            break;
        }
        let range = &ranges[r];
        match out.windows.last_mut() {
            Some(w) if w.start == range.start => w.entities.push(m.entity),
            _ => out.windows.push(Window {
                start: range.start,
                end: range.end,
                entities: vec![m.entity],
            }),
        }
    }
    for w in &mut out.windows {
        w.entities.sort_unstable();
        w.entities.dedup();
    }
    out
}

fn by_tokens(n: usize, text: &str, mentions: &[Mention]) -> DocumentWindows {
    // Token position of each mention: the first word token ending after its start, and the
    // last token starting before its end.
    let tokens: Vec<std::ops::Range<usize>> = segment::word_tokens(text).collect();
    let positions: Vec<(usize, usize)> = mentions
        .iter()
        .map(|m| {
            let first = tokens.partition_point(|t| t.end <= m.start);
            let last = tokens
                .partition_point(|t| t.start < m.end)
                .saturating_sub(1);
            (first, last.max(first))
        })
        .collect();
    let mut out = DocumentWindows {
        windows: Vec::with_capacity(mentions.len()),
        total: mentions.len() as u64,
    };
    // Each window's mentions are gathered here and only its distinct entities kept, in a
    // vector of their size: a wide window over dense mentions (tokens:1000, 600,000
    // mentions) would otherwise keep every mention's entity, a gigabyte in all.
    let mut gathered: Vec<EntityId> = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        let (_, last) = positions[i];
        let mut end = m.end;
        gathered.clear();
        gathered.push(m.entity);
        for (j, other) in mentions.iter().enumerate().skip(i + 1) {
            if positions[j].0 > last + n {
                break;
            }
            gathered.push(other.entity);
            end = other.end;
        }
        gathered.sort_unstable();
        gathered.dedup();
        out.windows.push(Window {
            start: m.start,
            end,
            entities: gathered.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::AliasId;

    /// Mentions of entity k at each occurrence of the k-th needle.
    fn mentions(text: &str, needles: &[&str]) -> Vec<Mention> {
        let mut out = Vec::new();
        for (k, needle) in needles.iter().enumerate() {
            for (start, _) in text.match_indices(needle) {
                out.push(Mention {
                    start,
                    end: start + needle.len(),
                    entity: EntityId(k as u32),
                    alias: AliasId(0),
                });
            }
        }
        out.sort();
        out
    }

    fn sets(w: &DocumentWindows) -> Vec<Vec<u32>> {
        w.windows
            .iter()
            .map(|w| w.entities.iter().map(|e| e.0).collect())
            .collect()
    }

    const TEXT: &str =
        "Alpha met Beta. Gamma stayed home.\nAlpha and Gamma and Alpha spoke.\n\nDelta ended it.";

    #[test]
    fn sentence_paragraph_document() {
        let m = mentions(TEXT, &["Alpha", "Beta", "Gamma", "Delta"]);
        let s = windows(WindowKind::Sentence, TEXT, &m);
        assert_eq!(s.total, 4);
        assert_eq!(sets(&s), [vec![0, 1], vec![2], vec![0, 2], vec![3]]);
        assert_eq!(
            &TEXT[s.windows[0].start..s.windows[0].end],
            "Alpha met Beta."
        );
        let p = windows(WindowKind::Paragraph, TEXT, &m);
        assert_eq!(p.total, 3);
        assert_eq!(sets(&p), [vec![0, 1, 2], vec![0, 2], vec![3]]);
        let d = windows(WindowKind::Document, TEXT, &m);
        assert_eq!(d.total, 1);
        assert_eq!(sets(&d), [vec![0, 1, 2, 3]]);
        assert_eq!(windows(WindowKind::Document, " \n", &[]).total, 0);
    }

    #[test]
    fn token_windows() {
        // Tokens: A(0) x(1) x(2) B(3) x(4) x(5) x(6) C(7) D E(8, 9)
        let text = "Aa x x Bb x x x Cc Dd Ee";
        let m = mentions(text, &["Aa", "Bb", "Cc", "Dd Ee"]);
        let w = windows(WindowKind::Tokens(3), text, &m);
        assert_eq!(w.total, 4);
        assert_eq!(sets(&w), [vec![0, 1], vec![1], vec![2, 3], vec![3]]);
        let w = windows(WindowKind::Tokens(4), text, &m);
        assert_eq!(sets(&w), [vec![0, 1], vec![1, 2], vec![2, 3], vec![3]]);
        assert_eq!(&text[w.windows[1].start..w.windows[1].end], "Bb x x x Cc");
    }

    #[test]
    fn parses_kinds() {
        for s in ["sentence", "paragraph", "document", "tokens:15"] {
            assert_eq!(s.parse::<WindowKind>().unwrap().to_string(), s);
        }
        assert!("tokens:0".parse::<WindowKind>().is_err());
        assert!("tokens:1000".parse::<WindowKind>().is_ok());
        assert!("tokens:1001".parse::<WindowKind>().is_err());
        assert!("line".parse::<WindowKind>().is_err());
    }
}
