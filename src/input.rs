//! Documents from files, directories, JSONL and standard input.
//!
//! An input argument is a file, a directory (walked recursively in sorted order, keeping
//! `*.txt`, `*.md`, `*.jsonl` and their `.gz` versions), or `-` for standard input. A
//! `.jsonl` line is `{"id": ..., "text": ..., ...}`: of the other fields, `date` and `title`
//! are read and the rest skipped unread, and a line without `id` gets `PATH:LINE`. Other
//! files are one document each, whose id is the path as given (or as found under the
//! directory given).
//!
//! Reading is lazy: [`Documents`] yields one document at a time, so memory stays bounded by
//! what the caller keeps. Problems never stop the stream: an unreadable file or a bad JSONL
//! line is reported as an [`InputEvent::Skipped`] and the next input is read; text that is not
//! valid UTF-8 is decoded with U+FFFD replacements and reported as [`InputEvent::Lossy`].
//!
//! [`Documents::raw`] is the same stream with JSONL lines left undecoded ([`RawLine`]), so
//! that a caller with threads (the pipeline) decodes and parses them in parallel: reading
//! then does little more than find line ends.
//!
//! What a source holds is read from its bytes, not its name ([`sniff`]): gzip by its magic
//! bytes (a `.gz` name without them is an error), UTF-16 and UTF-32 by their byte-order mark
//! (decoded to UTF-8), and text that looks like UTF-16/UTF-32 without a byte-order mark, or
//! like a binary file, is refused with a message saying so. A UTF-8 byte-order mark is skipped
//! in JSONL and kept (it folds to nothing) in text, so text offsets stay those of the file.
//!
//! Work is bounded while reading ([`Limits`]): a document (a text file, or a JSONL line)
//! longer than [`Limits::max_document_bytes`], or a compressed file that inflates past
//! [`Limits::max_decompressed_bytes`], is skipped as soon as the limit is crossed, so a gzip
//! bomb or `/dev/zero` costs at most the limit in memory. FIFOs and devices are read like
//! files, within the same limits.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flate2::read::MultiGzDecoder;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

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
    /// The JSONL `date` field as written, when there is one and it is not `null` (see
    /// [`Document::date`]).
    pub date_field: Option<Value>,
    /// The JSONL `title` field, when it is a string (see [`Document::title`]).
    pub title_field: Option<String>,
    /// For a document decoded lossily from a file or standard input (not a JSONL line, whose
    /// text is JSON), where the offsets of `text` sit in the bytes as read: `None` when they
    /// are the same (valid UTF-8) or unknown.
    pub source_offsets: Option<Arc<SourceOffsets>>,
}

/// The map from byte offsets of a lossily decoded text to byte offsets of the bytes it was
/// decoded from: each invalid sequence became one U+FFFD (3 bytes) in the text, so offsets
/// after it differ from the file's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceOffsets {
    /// `(text offset, source offset)` after each replacement, increasing.
    points: Vec<(usize, usize)>,
}

impl SourceOffsets {
    /// The offset in the source bytes of text offset `at` (a char boundary of the text).
    /// Inside a replacement character it gives the start of the bytes replaced.
    pub fn source(&self, at: usize) -> usize {
        let i = self.points.partition_point(|&(t, _)| t <= at);
        match i.checked_sub(1) {
            None => at,
            Some(k) => {
                let (t, s) = self.points[k];
                s + (at - t)
            }
        }
    }
}

impl Document {
    /// The document's date: its JSONL `date` field parsed by [`Date::parse`] (the ISO 8601
    /// subset of [`crate::date`]); `None` when there is none or it does not parse (reading
    /// reported the latter as [`InputEvent::BadDate`]), and the document counts as undated.
    pub fn date(&self) -> Option<Date> {
        match self.date_field.as_ref()? {
            Value::String(s) => Date::parse(s).ok(),
            _ => None,
        }
    }

    /// The document's title: its JSONL `title` field when that is a non-empty string.
    pub fn title(&self) -> Option<&str> {
        self.title_field.as_deref().filter(|t| !t.is_empty())
    }

    /// A document with no metadata.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document {
            id: id.into(),
            text: text.into(),
            date_field: None,
            title_field: None,
            source_offsets: None,
        }
    }

    /// The offset in the bytes as read of byte offset `at` of [`Document::text`]: `at` itself
    /// unless the document was decoded lossily ([`Document::source_offsets`]).
    pub fn source_offset(&self, at: usize) -> usize {
        self.source_offsets.as_ref().map_or(at, |m| m.source(at))
    }
}

/// How much one input may make the reader hold or inflate; crossing a limit skips the
/// document or file ([`InputEvent::Skipped`]) as soon as it is crossed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes in one document: a text file (after decompression), standard input read
    /// as text, or one JSONL line. At most [`crate::fold::MAX_DOCUMENT_BYTES`], what the
    /// tagger supports. Default [`Limits::DEFAULT_MAX_DOCUMENT_BYTES`].
    pub max_document_bytes: usize,
    /// Most bytes one compressed file (or compressed standard input) may inflate to.
    /// Default [`Limits::DEFAULT_MAX_DECOMPRESSED_BYTES`].
    pub max_decompressed_bytes: u64,
}

impl Limits {
    /// 64 MiB: a long novel is under 5 MB.
    pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 64 << 20;
    /// 8 GiB per compressed file.
    pub const DEFAULT_MAX_DECOMPRESSED_BYTES: u64 = 8 << 30;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_document_bytes: Limits::DEFAULT_MAX_DOCUMENT_BYTES,
            max_decompressed_bytes: Limits::DEFAULT_MAX_DECOMPRESSED_BYTES,
        }
    }
}

/// Parses a byte size for the command line: a whole number with an optional binary suffix
/// `K`, `M`, `G`, `T` (also written `KiB`, `MB`, …; all mean powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, suffix) = t.split_at(digits);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a size (a number of bytes, or with K, M, G or T)"))?;
    let shift = match suffix.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => return Err(format!("{s:?}: unknown size suffix (use K, M, G or T)")),
    };
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("{s:?} is too large"))
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

/// Whether a name (without a `.gz`) is JSONL's, in any letter case.
fn is_jsonl(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    l.ends_with(".jsonl") || l.ends_with(".jsonl.gz")
}

fn has_gz_name(label: &str) -> bool {
    label.to_ascii_lowercase().ends_with(".gz")
}

/// Whether a file found while walking a directory is a document source: `*.txt`, `*.md`,
/// `*.jsonl` or a `.gz` of one, in any letter case (`A.TXT`, `b.Md`).
fn wanted(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let name = name.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    EXTENSIONS
        .iter()
        .any(|ext| name.len() > ext.len() + 1 && name.ends_with(&format!(".{ext}")))
}

/// A lazy stream of documents from the inputs, in order.
pub struct Documents {
    pending: VecDeque<String>,
    sources: VecDeque<Source>,
    events: VecDeque<RawEvent>,
    jsonl: Option<JsonlReader>,
    limits: Limits,
}

struct JsonlReader {
    label: Arc<str>,
    reader: Box<dyn BufRead + Send>,
    line: usize,
}

/// An input event of [`Documents::raw`]: a JSONL line still to be decoded and parsed, or
/// any other event, complete.
#[derive(Debug)]
pub enum RawEvent {
    /// A JSONL line (not blank), as read; [`RawLine::parse`] makes its events.
    Line(RawLine),
    /// An event that needs no more work: a text file's document, a skipped source.
    Event(InputEvent),
}

impl From<InputEvent> for RawEvent {
    fn from(e: InputEvent) -> Self {
        RawEvent::Event(e)
    }
}

/// One JSONL line as read, not yet decoded or parsed.
#[derive(Debug)]
pub struct RawLine {
    label: Arc<str>,
    line: usize,
    bytes: Vec<u8>,
}

/// What one JSONL line makes ([`RawLine::parse`]): notes that come before its document in
/// the stream ([`InputEvent::Lossy`], [`InputEvent::BadDate`]) or instead of it
/// ([`InputEvent::Skipped`]), and the document.
#[derive(Debug)]
pub struct ParsedLine {
    /// Notes, in stream order, all before [`ParsedLine::document`].
    pub notes: Vec<InputEvent>,
    /// The document, unless the line was skipped.
    pub document: Option<Document>,
}

impl RawLine {
    /// The line's length in bytes, as read.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the line holds no bytes (never, for a line [`Documents::raw`] yields).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Decodes the line (invalid UTF-8 replaced, and noted as [`InputEvent::Lossy`]) and
    /// parses it into its document, exactly as [`Documents`] does in its own stream.
    pub fn parse(self) -> ParsedLine {
        let at = format!("{}:{}", self.label, self.line);
        let mut notes = Vec::new();
        let line = match String::from_utf8(self.bytes) {
            Ok(s) => s,
            Err(e) => {
                notes.push(InputEvent::Lossy { source: at.clone() });
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        let document = match parse_jsonl_line(&line, &at) {
            Ok(doc) => {
                if let Some(value) = bad_date(&doc) {
                    notes.push(InputEvent::BadDate {
                        source: at,
                        id: doc.id.clone(),
                        value,
                    });
                }
                Some(doc)
            }
            Err(reason) => {
                notes.push(InputEvent::Skipped { source: at, reason });
                None
            }
        };
        ParsedLine { notes, document }
    }
}

/// [`Documents`] with JSONL lines left to the caller to decode and parse
/// ([`Documents::raw`]).
pub struct RawDocuments(Documents);

impl Iterator for RawDocuments {
    type Item = RawEvent;

    fn next(&mut self) -> Option<RawEvent> {
        self.0.next_raw()
    }
}

/// A reader that fails once more than `left` bytes came through: the decompressed-size
/// limit, checked while inflating.
struct Capped<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(io::Error::other(format!(
                "decompresses to more than {} (--max-decompressed-bytes)",
                size_text(self.limit)
            )));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// `64 MiB` for a whole number of MiB, else bytes.
pub fn size_text(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

/// Reads up to `n` bytes (fewer only at the end of the stream).
fn read_head(r: &mut dyn Read, n: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n);
    r.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

type Reader = Box<dyn Read + Send>;

/// What the first bytes of a (decompressed) source say it is.
#[derive(Debug, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16 { big_endian: bool },
    Utf32 { big_endian: bool },
}

/// Recognises a byte-order mark at the start of `head`.
fn bom(head: &[u8]) -> Encoding {
    match head {
        [0xEF, 0xBB, 0xBF, ..] => Encoding::Utf8Bom,
        [0xFF, 0xFE, 0, 0, ..] => Encoding::Utf32 { big_endian: false },
        [0, 0, 0xFE, 0xFF, ..] => Encoding::Utf32 { big_endian: true },
        [0xFF, 0xFE, ..] => Encoding::Utf16 { big_endian: false },
        [0xFE, 0xFF, ..] => Encoding::Utf16 { big_endian: true },
        _ => Encoding::Utf8,
    }
}

/// Why text without a byte-order mark is not read as text, judged on its first bytes: NUL
/// bytes in the pattern of UTF-16 or UTF-32, other NUL bytes, or mostly bytes that are
/// neither UTF-8 nor text controls (a binary file). `None` for text (possibly with some
/// invalid UTF-8, which is then decoded lossily).
pub fn sniff(head: &[u8]) -> Option<String> {
    let head = &head[..head.len().min(SNIFF_BYTES)];
    if head.contains(&0) {
        let at = |phase: usize, period: usize| {
            let total = head.len() / period;
            let zeros = head
                .iter()
                .skip(phase)
                .step_by(period)
                .filter(|&&b| b == 0)
                .count();
            total > 0 && zeros * 10 >= total * 9
        };
        let guess = if at(1, 4) && at(2, 4) && at(3, 4) {
            Some("UTF-32LE")
        } else if at(0, 4) && at(1, 4) && at(2, 4) {
            Some("UTF-32BE")
        } else if at(1, 2) {
            Some("UTF-16LE")
        } else if at(0, 2) {
            Some("UTF-16BE")
        } else {
            None
        };
        return Some(match guess {
            Some(enc) => format!(
                "looks like {enc} without a byte-order mark; convert it to UTF-8 \
                 (iconv -f {enc} -t UTF-8) or add the mark"
            ),
            None => "binary data (NUL bytes), not text".to_string(),
        });
    }
    // Bytes that no text holds: C0 controls other than tab, line feed, vertical tab, form
    // feed, carriage return and escape, and bytes of invalid UTF-8. Latin-1 text has a few
    // percent of the latter; executables and images have far more.
    let mut odd = 0usize;
    let mut rest = head;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                odd += s.bytes().filter(|&b| is_odd_control(b)).count();
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                odd += good.iter().filter(|&&b| is_odd_control(b)).count();
                match e.error_len() {
                    Some(n) => {
                        odd += n;
                        rest = &bad[n..];
                    }
                    // A sequence cut at the end of the head.
                    None => break,
                }
            }
        }
    }
    (odd * 100 > head.len() * BINARY_PERCENT).then(|| {
        format!(
            "binary data ({}% of the first {} bytes are neither text nor UTF-8), not text",
            odd * 100 / head.len().max(1),
            head.len()
        )
    })
}

/// How many leading bytes [`sniff`] judges.
const SNIFF_BYTES: usize = 8192;
/// The share of odd bytes (percent) above which a text is taken for binary data.
const BINARY_PERCENT: usize = 20;

fn is_odd_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | 0x1B)) || b == 0x7F
}

/// Decodes UTF-16 or UTF-32 (after its byte-order mark); `true` when something was
/// replaced by U+FFFD.
fn decode_wide(bytes: &[u8], enc: &Encoding) -> (String, bool) {
    let mut lossy = false;
    let mut out = String::with_capacity(bytes.len());
    match *enc {
        Encoding::Utf16 { big_endian } => {
            let units = bytes[2..].chunks(2).map(|c| match (c, big_endian) {
                ([a, b], false) => u16::from_le_bytes([*a, *b]),
                ([a, b], true) => u16::from_be_bytes([*a, *b]),
                _ => 0xFFFD,
            });
            lossy |= !(bytes.len() - 2).is_multiple_of(2);
            for c in char::decode_utf16(units) {
                out.push(c.unwrap_or_else(|_| {
                    lossy = true;
                    char::REPLACEMENT_CHARACTER
                }));
            }
        }
        Encoding::Utf32 { big_endian } => {
            for c in bytes[4..].chunks(4) {
                let u = match (c, big_endian) {
                    ([a, b, c, d], false) => Some(u32::from_le_bytes([*a, *b, *c, *d])),
                    ([a, b, c, d], true) => Some(u32::from_be_bytes([*a, *b, *c, *d])),
                    _ => None,
                };
                out.push(u.and_then(char::from_u32).unwrap_or_else(|| {
                    lossy = true;
                    char::REPLACEMENT_CHARACTER
                }));
            }
        }
        Encoding::Utf8 | Encoding::Utf8Bom => unreachable!("only wide encodings are decoded"),
    }
    (out, lossy)
}

/// How a bounded line read ended.
enum Line {
    Eof,
    Read,
    TooLong,
}

/// Reads one line (with its `\n`) into `buf`, holding at most `max` bytes of it: a longer
/// line is consumed to its end and reported as [`Line::TooLong`] without being kept.
fn read_line_capped(r: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    buf.clear();
    let mut too_long = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(match (too_long, buf.is_empty()) {
                (true, _) => Line::TooLong,
                (false, true) => Line::Eof,
                (false, false) => Line::Read,
            });
        }
        let (take, done) = match avail.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (avail.len(), false),
        };
        if !too_long {
            let body = if done { take - 1 } else { take };
            if buf.len() + body > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&avail[..take]);
            }
        }
        r.consume(take);
        if done {
            return Ok(if too_long { Line::TooLong } else { Line::Read });
        }
    }
}

impl Documents {
    /// Documents from the given inputs, within the default [`Limits`]; an empty list means
    /// standard input.
    pub fn new<S: AsRef<str>>(inputs: &[S]) -> Documents {
        Documents::with_limits(inputs, Limits::default())
    }

    /// Documents from the given inputs, within `limits` (`max_document_bytes` is lowered to
    /// [`crate::fold::MAX_DOCUMENT_BYTES`] if it is above); an empty list means standard
    /// input.
    pub fn with_limits<S: AsRef<str>>(inputs: &[S], mut limits: Limits) -> Documents {
        limits.max_document_bytes = limits
            .max_document_bytes
            .min(crate::fold::MAX_DOCUMENT_BYTES);
        let mut pending: VecDeque<String> = inputs.iter().map(|s| s.as_ref().to_string()).collect();
        if pending.is_empty() {
            pending.push_back("-".to_string());
        }
        Documents {
            pending,
            sources: VecDeque::new(),
            events: VecDeque::new(),
            jsonl: None,
            limits,
        }
    }

    /// Expands the next input argument into sources (a directory into its files).
    ///
    /// Symbolic links under a directory are followed only when they lead to a place inside
    /// it: one that leads out (`up -> ..`, `/etc/passwd.txt`) is skipped with a warning.
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
            let root = path.canonicalize().unwrap_or_else(|_| path.clone());
            let outside = RefCell::new(Vec::new());
            let walk = walkdir::WalkDir::new(&path)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    if !e.path_is_symlink() {
                        return true;
                    }
                    match e.path().canonicalize() {
                        Ok(target) if target.starts_with(&root) => true,
                        Ok(target) => {
                            outside.borrow_mut().push(InputEvent::Skipped {
                                source: e.path().display().to_string(),
                                reason: format!(
                                    "symbolic link out of {arg} (to {}); not followed",
                                    target.display()
                                ),
                            });
                            false
                        }
                        // A dangling link: let the walk report it.
                        Err(_) => true,
                    }
                });
            let mut any = false;
            for entry in walk {
                self.events
                    .extend(outside.borrow_mut().drain(..).map(RawEvent::Event));
                match entry {
                    Ok(e) if e.file_type().is_file() && wanted(e.path()) => {
                        any = true;
                        self.sources.push_back(Source::File {
                            label: e.path().display().to_string(),
                            path: e.into_path(),
                        });
                    }
                    Ok(_) => {}
                    Err(err) => self.note(InputEvent::Skipped {
                        source: err.path().map_or(arg.clone(), |p| p.display().to_string()),
                        reason: err.to_string(),
                    }),
                }
            }
            self.events
                .extend(outside.borrow_mut().drain(..).map(RawEvent::Event));
            if !any {
                self.note(InputEvent::Skipped {
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
        let (label, reader): (String, io::Result<Reader>) = match source {
            Source::Stdin => ("-".to_string(), Ok(Box::new(io::stdin()))),
            Source::File { path, label } => {
                let r = File::open(&path).map(|f| -> Reader { Box::new(f) });
                (label, r)
            }
        };
        if let Err(reason) = reader
            .map_err(|e| e.to_string())
            .and_then(|r| self.read_source(&label, r))
        {
            self.note(InputEvent::Skipped {
                source: label,
                reason,
            });
        }
    }

    /// Sniffs and reads one source: queues its document, or sets up its JSONL reader.
    fn read_source(&mut self, label: &str, mut reader: Reader) -> Result<(), String> {
        let limits = self.limits;
        let head = read_head(&mut reader, 4).map_err(|e| e.to_string())?;
        let mut reader: Reader = Box::new(io::Cursor::new(head.clone()).chain(reader));
        if head.starts_with(&[0x1F, 0x8B]) {
            let limit = limits.max_decompressed_bytes;
            reader = Box::new(Capped {
                inner: MultiGzDecoder::new(reader),
                left: limit,
                limit,
            });
        } else if has_gz_name(label) {
            return Err("not gzip data (no gzip magic bytes at the start)".to_string());
        }
        let head = read_head(&mut reader, 4).map_err(|e| e.to_string())?;
        let encoding = bom(&head);
        let mut reader: Reader = Box::new(io::Cursor::new(head).chain(reader));
        let max = limits.max_document_bytes;
        let too_big = || {
            format!(
                "larger than {} (--max-document-bytes; the tagger's limit is {} bytes)",
                size_text(max as u64),
                crate::fold::MAX_DOCUMENT_BYTES
            )
        };
        let jsonl = is_jsonl(label);
        if jsonl || label == "-" {
            if let Encoding::Utf16 { .. } | Encoding::Utf32 { .. } = encoding {
                if jsonl {
                    return Err(format!(
                        "JSONL must be UTF-8; this starts with a {} byte-order mark",
                        wide_name(&encoding)
                    ));
                }
            } else {
                if encoding == Encoding::Utf8Bom {
                    read_head(&mut reader, 3).map_err(|e| e.to_string())?;
                }
                let mut buffered = BufReader::with_capacity(1 << 16, reader);
                if jsonl {
                    self.jsonl = Some(JsonlReader {
                        label: label.into(),
                        reader: Box::new(buffered),
                        line: 0,
                    });
                    return Ok(());
                }
                // Standard input may carry JSONL too: recognise it by its first line.
                let mut first = Vec::new();
                let mut blank = Vec::new();
                loop {
                    match read_line_capped(&mut buffered, &mut first, max) {
                        Err(e) => return Err(e.to_string()),
                        Ok(Line::TooLong) => return Err(too_big()),
                        Ok(Line::Eof) => break,
                        Ok(Line::Read) if first.iter().all(u8::is_ascii_whitespace) => {
                            blank.append(&mut first);
                        }
                        Ok(Line::Read) => break,
                    }
                }
                if looks_like_jsonl(&first) {
                    let mut rest = blank;
                    rest.extend_from_slice(&first);
                    self.jsonl = Some(JsonlReader {
                        label: label.into(),
                        reader: Box::new(io::Cursor::new(rest).chain(buffered)),
                        line: 0,
                    });
                    return Ok(());
                }
                let mut bytes = Vec::new();
                if encoding == Encoding::Utf8Bom {
                    // Text keeps its mark (it folds to nothing), so offsets are the file's.
                    bytes.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
                }
                bytes.append(&mut blank);
                bytes.append(&mut first);
                return self.read_text(label, Box::new(io::Cursor::new(bytes).chain(buffered)));
            }
        }
        self.read_text(label, reader)
    }

    /// Reads a whole source as one text document, within the document limit.
    fn read_text(&mut self, label: &str, reader: Reader) -> Result<(), String> {
        let max = self.limits.max_document_bytes;
        let mut bytes = Vec::new();
        reader
            .take(max as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| e.to_string())?;
        if bytes.len() > max {
            return Err(format!(
                "larger than {} (--max-document-bytes; the tagger's limit is {} bytes)",
                size_text(max as u64),
                crate::fold::MAX_DOCUMENT_BYTES
            ));
        }
        let encoding = bom(&bytes);
        let (text, source_offsets) = match encoding {
            Encoding::Utf16 { .. } | Encoding::Utf32 { .. } => {
                let (text, lossy) = decode_wide(&bytes, &encoding);
                if lossy {
                    self.note(InputEvent::Lossy {
                        source: label.to_string(),
                    });
                }
                (text, None)
            }
            Encoding::Utf8 | Encoding::Utf8Bom => match String::from_utf8(bytes) {
                Ok(s) => (s, None),
                Err(e) => {
                    if let Some(reason) = sniff(e.as_bytes()) {
                        return Err(reason);
                    }
                    self.note(InputEvent::Lossy {
                        source: label.to_string(),
                    });
                    let (text, offsets) = decode_lossy(e.as_bytes());
                    (text, Some(Arc::new(offsets)))
                }
            },
        };
        if source_offsets.is_none()
            && matches!(encoding, Encoding::Utf8 | Encoding::Utf8Bom)
            && let Some(reason) = sniff(text.as_bytes())
        {
            return Err(reason);
        }
        if text.len() > crate::fold::MAX_DOCUMENT_BYTES {
            return Err(format!(
                "larger than the tagger's limit of {} bytes once decoded",
                crate::fold::MAX_DOCUMENT_BYTES
            ));
        }
        self.events
            .push_back(RawEvent::Event(InputEvent::Document(Document {
                id: label.to_string(),
                text,
                date_field: None,
                title_field: None,
                source_offsets,
            })));
        Ok(())
    }

    fn note(&mut self, event: InputEvent) {
        self.events.push_back(RawEvent::Event(event));
    }

    /// Reads the next JSONL line that is not blank into the queue as a [`RawLine`] (or a
    /// note when it cannot be read), or ends the file.
    fn read_jsonl(&mut self) {
        let Some(mut j) = self.jsonl.take() else {
            return;
        };
        let max = self.limits.max_document_bytes;
        // Sized for a typical news article, so most lines are read without regrowing.
        let mut buf = Vec::with_capacity(4096);
        loop {
            match read_line_capped(&mut j.reader, &mut buf, max) {
                Ok(Line::Eof) => return,
                Err(e) => {
                    let reason = format!("read error after line {}: {e}", j.line);
                    self.note(InputEvent::Skipped {
                        source: j.label.to_string(),
                        reason,
                    });
                    return;
                }
                Ok(Line::TooLong) => {
                    j.line += 1;
                    self.note(InputEvent::Skipped {
                        source: format!("{}:{}", j.label, j.line),
                        reason: format!(
                            "line longer than {} (--max-document-bytes)",
                            size_text(max as u64)
                        ),
                    });
                    self.jsonl = Some(j);
                    return;
                }
                Ok(Line::Read) => {}
            }
            j.line += 1;
            if buf.iter().all(u8::is_ascii_whitespace) {
                buf.clear();
                continue;
            }
            self.events.push_back(RawEvent::Line(RawLine {
                label: Arc::clone(&j.label),
                line: j.line,
                bytes: buf,
            }));
            self.jsonl = Some(j);
            return;
        }
    }

    /// The same stream with JSONL lines left undecoded and unparsed, for a caller that
    /// parses them itself ([`RawLine::parse`]), on other threads and in any order, and then
    /// restores stream order.
    pub fn raw(self) -> RawDocuments {
        RawDocuments(self)
    }

    /// The next event, with JSONL lines undecoded.
    fn next_raw(&mut self) -> Option<RawEvent> {
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

fn wide_name(e: &Encoding) -> &'static str {
    match e {
        Encoding::Utf16 { big_endian: false } => "UTF-16LE",
        Encoding::Utf16 { big_endian: true } => "UTF-16BE",
        Encoding::Utf32 { big_endian: false } => "UTF-32LE",
        Encoding::Utf32 { big_endian: true } => "UTF-32BE",
        _ => "UTF-8",
    }
}

/// Decodes `bytes` with one U+FFFD per invalid sequence (as `String::from_utf8_lossy`
/// does) and records where the text's offsets part from the bytes'.
fn decode_lossy(bytes: &[u8]) -> (String, SourceOffsets) {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut points = Vec::new();
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            text.push(char::REPLACEMENT_CHARACTER);
            at += chunk.invalid().len();
            points.push((text.len(), at));
        }
    }
    (text, SourceOffsets { points })
}

/// The `date` of `doc` as written, when it is present (and not `null`) but not a date.
fn bad_date(doc: &Document) -> Option<String> {
    match doc.date_field.as_ref()? {
        Value::Null => None,
        Value::String(s) => Date::parse(s).is_err().then(|| s.clone()),
        other => Some(other.to_string()),
    }
}

fn looks_like_jsonl(bytes: &[u8]) -> bool {
    let first_line = bytes
        .split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace));
    first_line.is_some_and(|l| serde_json::from_slice::<Record>(l).is_ok_and(|r| r.text.is_some()))
}

/// The fields of a JSONL line that entgraph reads; the others are skipped unread (but
/// still checked to be JSON). A field given twice counts as its last value, as in a JSON
/// object read into a map.
#[derive(Default)]
struct Record {
    text: Option<Value>,
    id: Option<Value>,
    date: Option<Value>,
    title: Option<Value>,
}

/// A key of a JSONL object, read without allocating.
enum Key {
    Text,
    Id,
    Date,
    Title,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, k: &str) -> Result<Key, E> {
                Ok(match k {
                    "text" => Key::Text,
                    "id" => Key::Id,
                    "date" => Key::Date,
                    "title" => Key::Title,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Record, D::Error> {
        struct RecordVisitor;
        impl<'de> Visitor<'de> for RecordVisitor {
            type Value = Record;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
                let mut r = Record::default();
                while let Some(key) = map.next_key::<Key>()? {
                    let slot = match key {
                        Key::Text => &mut r.text,
                        Key::Id => &mut r.id,
                        Key::Date => &mut r.date,
                        Key::Title => &mut r.title,
                        Key::Other => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    *slot = Some(map.next_value()?);
                }
                Ok(r)
            }
        }
        d.deserialize_map(RecordVisitor)
    }
}

fn parse_jsonl_line(line: &str, at: &str) -> Result<Document, String> {
    let r: Record = serde_json::from_str(line).map_err(|e| format!("not a JSON object: {e}"))?;
    let text = match r.text {
        Some(Value::String(s)) => s,
        Some(_) => return Err("`text` is not a string".to_string()),
        None => return Err("no `text` field".to_string()),
    };
    let id = match r.id {
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Null) | None => at.to_string(),
        Some(_) => return Err("`id` is neither a string nor a number".to_string()),
    };
    Ok(Document {
        id,
        text,
        date_field: r.date.filter(|d| !d.is_null()),
        title_field: match r.title {
            Some(Value::String(t)) => Some(t),
            _ => None,
        },
        source_offsets: None,
    })
}

impl Iterator for Documents {
    type Item = InputEvent;

    fn next(&mut self) -> Option<InputEvent> {
        loop {
            match self.next_raw()? {
                RawEvent::Event(e) => return Some(e),
                RawEvent::Line(line) => {
                    let parsed = line.parse();
                    // Queued in front, in order, ahead of what was read after the line.
                    if let Some(doc) = parsed.document {
                        self.events
                            .push_front(RawEvent::Event(InputEvent::Document(doc)));
                    }
                    for note in parsed.notes.into_iter().rev() {
                        self.events.push_front(RawEvent::Event(note));
                    }
                }
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

    #[test]
    fn raw_lines_parse_into_the_same_events_as_the_stream() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Ay").unwrap();
        std::fs::write(
            dir.path().join("b.jsonl"),
            b"{\"id\": 1, \"text\": \"one\", \"date\": \"soon\", \"x\": [1, {\"y\": null}]}\n\
              \n{\"text\": \"caf\xe9\", \"title\": \"T\", \"title\": \"U\"}\nnot json\n\
              {\"id\": [], \"text\": \"x\"}\n{\"text\": 3}\n{\"id\": \"z\", \"text\": \"zed\", \"date\": \"2025-10\"}",
        )
        .unwrap();
        let inputs = [dir.path().display().to_string()];
        let shown = |e: &InputEvent| match e {
            InputEvent::Document(d) => format!(
                "doc {} {} {:?} {:?}",
                d.id.rsplit('/').next().unwrap(),
                d.text,
                d.date().map(|x| x.to_string()),
                d.title()
            ),
            other => {
                let s = format!("{other:?}");
                s.replace(&inputs[0], "")
            }
        };
        let stream: Vec<String> = Documents::new(&inputs).map(|e| shown(&e)).collect();
        let mut raw = Vec::new();
        for e in Documents::new(&inputs).raw() {
            match e {
                RawEvent::Event(e) => raw.push(shown(&e)),
                RawEvent::Line(line) => {
                    let p = line.parse();
                    raw.extend(p.notes.iter().map(shown));
                    raw.extend(
                        p.document
                            .iter()
                            .map(|d| shown(&InputEvent::Document(d.clone()))),
                    );
                }
            }
        }
        assert_eq!(stream, raw);
        assert_eq!(stream.len(), 9, "{stream:#?}");
        assert_eq!(stream[2], "doc 1 one None None");
        assert_eq!(stream[4], "doc b.jsonl:3 caf\u{FFFD} None Some(\"U\")");
        assert_eq!(stream[8], "doc z zed Some(\"2025-10-01\") None");
    }
}
