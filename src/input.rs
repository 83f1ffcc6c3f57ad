//! Documents from files, directories, JSONL and standard input.
//!
//! An input argument is a file, a directory (walked recursively in sorted order, keeping
//! `*.txt`, `*.md`, `*.jsonl` and their `.gz` versions), or `-` for standard input. A
//! `.jsonl` line is `{"id": ..., "text": ..., ...}`: the other fields are the document's
//! metadata, and a line without `id` gets `PATH:LINE`. Other files are one document each,
//! whose id is the path as given (or as found under the directory given).
//!
//! Reading is lazy: [`Documents`] yields one document at a time, so memory stays bounded by
//! what the caller keeps. Problems never stop the stream: an unreadable file or a bad JSONL
//! line is reported as an [`InputEvent::Skipped`] and the next input is read; text that is not
//! valid UTF-8 is decoded with U+FFFD replacements and reported as [`InputEvent::Lossy`].

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use serde_json::{Map, Value};

use crate::date::Date;

/// One text to tag.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// The document's id: the path as given or as found under the directory given (`-` for
    /// standard input), or for a JSONL line its `id` (a number as written) or `PATH:LINE`.
    pub id: String,
    /// The whole text, invalid UTF-8 replaced by U+FFFD; every byte offset in the later
    /// stages (mentions, windows, evidence) indexes this string.
    pub text: String,
    /// JSONL fields other than `id` and `text`, in file order.
    pub meta: Map<String, Value>,
}

impl Document {
    /// The document's date: its JSONL `date` field parsed by [`Date::parse`] (the ISO 8601
    /// subset of [`crate::date`]); `None` when there is none or it does not parse (reading
    /// reported the latter as [`InputEvent::BadDate`]), and the document counts as undated.
    pub fn date(&self) -> Option<Date> {
        match self.meta.get("date")? {
            Value::String(s) => Date::parse(s).ok(),
            _ => None,
        }
    }

    /// The document's title: its JSONL `title` field when that is a non-empty string.
    pub fn title(&self) -> Option<&str> {
        self.meta
            .get("title")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
    }

    /// A document with no metadata.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document {
            id: id.into(),
            text: text.into(),
            meta: Map::new(),
        }
    }
}

/// What reading inputs produced, in input order.
#[derive(Debug)]
pub enum InputEvent {
    /// The next document, in input order.
    Document(Document),
    /// A document that was read with invalid UTF-8 replaced by U+FFFD; it follows as
    /// [`InputEvent::Document`] too.
    Lossy {
        /// The document's file (`-` for standard input), or `PATH:LINE` for a JSONL line.
        source: String,
    },
    /// A JSONL document whose `date` is not a date ([`Document::date`]: neither a string nor
    /// one of the ISO 8601 forms of [`crate::date`]); the document follows as
    /// [`InputEvent::Document`] and counts as undated.
    BadDate {
        /// `PATH:LINE` of the JSONL line.
        source: String,
        /// The document's id.
        id: String,
        /// The `date` as written: the string, or the JSON text of another value.
        value: String,
    },
    /// Something that could not be read at all; nothing of it is in the output.
    Skipped {
        /// What was skipped: the path as given or found (`-` for standard input), or
        /// `PATH:LINE` for a JSONL line.
        source: String,
        /// Why, for people: the I/O error, or what is wrong with the JSONL line.
        reason: String,
    },
}

enum Source {
    Stdin,
    File { path: PathBuf, label: String },
}

const EXTENSIONS: &[&str] = &["txt", "md", "jsonl"];

fn is_jsonl(label: &str) -> bool {
    label.ends_with(".jsonl") || label.ends_with(".jsonl.gz")
}

fn is_gzip(label: &str) -> bool {
    label.ends_with(".gz")
}

/// Whether a file found while walking a directory is a document source.
fn wanted(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let name = name.strip_suffix(".gz").unwrap_or(name);
    EXTENSIONS
        .iter()
        .any(|ext| name.len() > ext.len() + 1 && name.ends_with(&format!(".{ext}")))
}

/// A lazy stream of documents from the inputs, in order.
pub struct Documents {
    pending: VecDeque<String>,
    sources: VecDeque<Source>,
    events: VecDeque<InputEvent>,
    jsonl: Option<JsonlReader>,
}

struct JsonlReader {
    label: String,
    reader: Box<dyn BufRead + Send>,
    line: usize,
    buf: Vec<u8>,
}

impl Documents {
    /// Documents from the given inputs; an empty list means standard input.
    pub fn new<S: AsRef<str>>(inputs: &[S]) -> Documents {
        let mut pending: VecDeque<String> = inputs.iter().map(|s| s.as_ref().to_string()).collect();
        if pending.is_empty() {
            pending.push_back("-".to_string());
        }
        Documents {
            pending,
            sources: VecDeque::new(),
            events: VecDeque::new(),
            jsonl: None,
        }
    }

    /// Expands the next input argument into sources (a directory into its files).
    fn expand_next(&mut self) -> bool {
        let Some(arg) = self.pending.pop_front() else {
            return false;
        };
        if arg == "-" {
            self.sources.push_back(Source::Stdin);
            return true;
        }
        let path = PathBuf::from(&arg);
        if path.is_dir() {
            let walk = walkdir::WalkDir::new(&path)
                .follow_links(true)
                .sort_by_file_name();
            let mut any = false;
            for entry in walk {
                match entry {
                    Ok(e) if e.file_type().is_file() && wanted(e.path()) => {
                        any = true;
                        self.sources.push_back(Source::File {
                            label: e.path().display().to_string(),
                            path: e.into_path(),
                        });
                    }
                    Ok(_) => {}
                    Err(err) => self.events.push_back(InputEvent::Skipped {
                        source: err.path().map_or(arg.clone(), |p| p.display().to_string()),
                        reason: err.to_string(),
                    }),
                }
            }
            if !any {
                self.events.push_back(InputEvent::Skipped {
                    source: arg,
                    reason: "directory holds no *.txt, *.md or *.jsonl files (or .gz versions)"
                        .to_string(),
                });
            }
        } else {
            self.sources.push_back(Source::File { path, label: arg });
        }
        true
    }

    fn open(&mut self, source: Source) {
        let (label, reader): (String, io::Result<Box<dyn Read + Send>>) = match source {
            Source::Stdin => ("-".to_string(), Ok(Box::new(io::stdin()))),
            Source::File { path, label } => {
                let r = File::open(&path).map(|f| -> Box<dyn Read + Send> {
                    if is_gzip(&label) {
                        Box::new(MultiGzDecoder::new(f))
                    } else {
                        Box::new(f)
                    }
                });
                (label, r)
            }
        };
        let mut reader = match reader {
            Ok(r) => r,
            Err(e) => {
                self.skip(&label, e);
                return;
            }
        };
        if is_jsonl(&label) {
            self.jsonl = Some(JsonlReader {
                label,
                reader: Box::new(BufReader::with_capacity(1 << 16, reader)),
                line: 0,
                buf: Vec::new(),
            });
            return;
        }
        let mut bytes = Vec::new();
        if let Err(e) = reader.read_to_end(&mut bytes) {
            self.skip(&label, e);
            return;
        }
        // Standard input may carry JSONL too: recognise it by its first line.
        if label == "-" && looks_like_jsonl(&bytes) {
            self.jsonl = Some(JsonlReader {
                label,
                reader: Box::new(io::Cursor::new(bytes)),
                line: 0,
                buf: Vec::new(),
            });
            return;
        }
        let text = self.decode(&label, bytes);
        self.events.push_back(InputEvent::Document(Document {
            id: label,
            text,
            meta: Map::new(),
        }));
    }

    fn skip(&mut self, label: &str, e: io::Error) {
        self.events.push_back(InputEvent::Skipped {
            source: label.to_string(),
            reason: e.to_string(),
        });
    }

    fn decode(&mut self, label: &str, bytes: Vec<u8>) -> String {
        match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => {
                self.events.push_back(InputEvent::Lossy {
                    source: label.to_string(),
                });
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        }
    }

    /// Reads JSONL lines until one yields an event or the file ends.
    fn read_jsonl(&mut self) {
        let Some(mut j) = self.jsonl.take() else {
            return;
        };
        loop {
            j.buf.clear();
            match j.reader.read_until(b'\n', &mut j.buf) {
                Ok(0) => return,
                Err(e) => {
                    let reason = format!("read error after line {}: {e}", j.line);
                    self.events.push_back(InputEvent::Skipped {
                        source: j.label,
                        reason,
                    });
                    return;
                }
                Ok(_) => {}
            }
            j.line += 1;
            if j.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let at = format!("{}:{}", j.label, j.line);
            let line = std::mem::take(&mut j.buf);
            let line = self.decode(&at, line);
            match parse_jsonl_line(&line, &at) {
                Ok(doc) => {
                    if let Some(value) = bad_date(&doc) {
                        self.events.push_back(InputEvent::BadDate {
                            source: at,
                            id: doc.id.clone(),
                            value,
                        });
                    }
                    self.events.push_back(InputEvent::Document(doc));
                }
                Err(reason) => self
                    .events
                    .push_back(InputEvent::Skipped { source: at, reason }),
            }
            self.jsonl = Some(j);
            return;
        }
    }
}

/// The `date` of `doc` as written, when it is present (and not `null`) but not a date.
fn bad_date(doc: &Document) -> Option<String> {
    match doc.meta.get("date")? {
        Value::Null => None,
        Value::String(s) => Date::parse(s).is_err().then(|| s.clone()),
        other => Some(other.to_string()),
    }
}

fn looks_like_jsonl(bytes: &[u8]) -> bool {
    let first_line = bytes
        .split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace));
    first_line.is_some_and(|l| {
        serde_json::from_slice::<Map<String, Value>>(l).is_ok_and(|m| m.contains_key("text"))
    })
}

fn parse_jsonl_line(line: &str, at: &str) -> Result<Document, String> {
    let mut obj: Map<String, Value> =
        serde_json::from_str(line).map_err(|e| format!("not a JSON object: {e}"))?;
    let text = match obj.remove("text") {
        Some(Value::String(s)) => s,
        Some(_) => return Err("`text` is not a string".to_string()),
        None => return Err("no `text` field".to_string()),
    };
    let id = match obj.remove("id") {
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Null) | None => at.to_string(),
        Some(_) => return Err("`id` is neither a string nor a number".to_string()),
    };
    Ok(Document {
        id,
        text,
        meta: obj,
    })
}

impl Iterator for Documents {
    type Item = InputEvent;

    fn next(&mut self) -> Option<InputEvent> {
        loop {
            if let Some(e) = self.events.pop_front() {
                return Some(e);
            }
            if self.jsonl.is_some() {
                self.read_jsonl();
                continue;
            }
            if let Some(s) = self.sources.pop_front() {
                self.open(s);
                continue;
            }
            if !self.expand_next() {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn collect(inputs: &[String]) -> (Vec<Document>, Vec<String>) {
        let mut docs = Vec::new();
        let mut notes = Vec::new();
        for e in Documents::new(inputs) {
            match e {
                InputEvent::Document(d) => docs.push(d),
                InputEvent::Lossy { source } => notes.push(format!("lossy {source}")),
                InputEvent::Skipped { source, .. } => notes.push(format!("skipped {source}")),
                InputEvent::BadDate { source, id, value } => {
                    notes.push(format!("bad date {source} {id} {value}"))
                }
            }
        }
        (docs, notes)
    }

    #[test]
    fn walks_directories_in_order_and_reads_every_kind() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::write(d.join("b.txt"), "Bee").unwrap();
        std::fs::write(d.join("a.md"), "Ay").unwrap();
        std::fs::write(d.join("ignored.csv"), "no").unwrap();
        std::fs::write(
            d.join("sub/c.jsonl"),
            "{\"id\": \"c1\", \"text\": \"Sea\", \"lang\": \"en\"}\n\n{\"text\": \"no id\"}\nnot json\n{\"id\": 7, \"text\": \"seven\"}\n",
        )
        .unwrap();
        let mut gz = flate2::write::GzEncoder::new(
            File::create(d.join("sub/d.txt.gz")).unwrap(),
            flate2::Compression::default(),
        );
        gz.write_all(b"Dee").unwrap();
        gz.finish().unwrap();
        std::fs::write(d.join("sub/e.txt"), b"caf\xe9").unwrap();
        let root = d.display().to_string();
        let (docs, notes) = collect(&[root.clone(), format!("{root}/missing.txt")]);
        let ids: Vec<String> = docs.iter().map(|d| d.id.replace(&root, "")).collect();
        assert_eq!(
            ids,
            [
                "/a.md",
                "/b.txt",
                "c1",
                "/sub/c.jsonl:3",
                "7",
                "/sub/d.txt.gz",
                "/sub/e.txt"
            ]
        );
        assert_eq!(docs[2].meta.get("lang").unwrap(), "en");
        assert_eq!(docs[5].text, "Dee");
        assert_eq!(docs[6].text, "caf\u{FFFD}");
        let notes: Vec<_> = notes.iter().map(|n| n.replace(&root, "")).collect();
        assert_eq!(
            notes,
            [
                "skipped /sub/c.jsonl:4",
                "lossy /sub/e.txt",
                "skipped /missing.txt"
            ]
        );
    }

    #[test]
    fn dates_and_titles_are_read_and_bad_dates_reported_before_their_document() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("d.jsonl");
        std::fs::write(
            &f,
            concat!(
                "{\"id\": \"a\", \"text\": \"x\", \"date\": \"2025-10-28T23:30-05:00\", \"title\": \"T\"}\n",
                "{\"id\": \"b\", \"text\": \"x\", \"date\": \"28/10/2025\"}\n",
                "{\"id\": \"c\", \"text\": \"x\", \"date\": 2025, \"title\": \"\"}\n",
                "{\"id\": \"d\", \"text\": \"x\", \"date\": null}\n",
            ),
        )
        .unwrap();
        let path = f.display().to_string();
        let events: Vec<String> = Documents::new(std::slice::from_ref(&path))
            .map(|e| match e {
                InputEvent::Document(d) => format!(
                    "doc {} {:?} {:?}",
                    d.id,
                    d.date().map(|x| x.to_string()),
                    d.title()
                ),
                InputEvent::BadDate { source, id, value } => {
                    format!("bad {} {id} {value}", source.replace(&path, "F"))
                }
                _ => "other".into(),
            })
            .collect();
        assert_eq!(
            events,
            [
                "doc a Some(\"2025-10-28\") Some(\"T\")",
                "bad F:2 b 28/10/2025",
                "doc b None None",
                "bad F:3 c 2025",
                "doc c None None",
                "doc d None None",
            ]
        );
    }
}
