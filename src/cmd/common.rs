//! What every command that reads documents shares: input and gazetteer options, loading the
//! tagger, reporting input problems, and the exit status.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use std::path::PathBuf;

use entgraph::cache::{Cache, compile};
use entgraph::cooccur::CooccurrenceCounts;
use entgraph::discover::{Cues, Discoverer};
use entgraph::entity::EntityView;
use entgraph::export::dot::{ColorBy, Layout, RenderFormat};
use entgraph::gazetteer::Source;
use entgraph::input::{Document, Documents, InputEvent, Limits};
use entgraph::pipeline::{CountedDocument, Sink};
use entgraph::recognize::LoadError;
use entgraph::recognize::Recognizer;
use entgraph::tagger::Tagged;
use entgraph::tagger::Tagger;

/// Inputs and gazetteers, shared by every command that reads documents.
#[derive(Args, Clone)]
pub struct InputArgs {
    /// Files, directories (walked for *.txt, *.md, *.jsonl and .gz versions) or `-` for stdin.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Gazetteer TSV file or directory of *.tsv files (repeatable). Default: the embedded one.
    #[arg(short = 'g', long = "gazetteer", value_name = "PATH")]
    pub gazetteers: Vec<PathBuf>,
    /// Worker threads (default: all cores). Output does not depend on it.
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Find only the gazetteer's entities: no discovery of unlisted names.
    #[arg(long)]
    pub no_discover: bool,
    /// Cue lists for discovery: a directory of *.tsv cue files (or one file) that replaces
    /// the embedded ones.
    #[arg(long, value_name = "DIR")]
    pub cues: Option<PathBuf>,
    /// Longest document (a file, standard input, or one JSONL line) in bytes, K, M or G
    /// (default 64M, at most the tagger's 372M); longer ones are skipped.
    #[arg(long, value_name = "SIZE", value_parser = parse_document_size)]
    pub max_document_bytes: Option<usize>,
    /// Most bytes one compressed input may inflate to (default 8G); past it the input is
    /// skipped.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_decompressed_bytes: Option<u64>,
    /// Compile the gazetteer afresh, without reading or writing the cache of compiled
    /// gazetteers ($ENTGRAPH_CACHE_DIR, else $XDG_CACHE_HOME/entgraph or ~/.cache/entgraph).
    #[arg(long)]
    pub no_cache: bool,
}

/// Most worker threads `-j` takes; more are lowered to this with a warning (each thread
/// holds its own buffers, and the operating system refuses a few thousand).
pub const MAX_THREADS: usize = 256;

fn parse_size(s: &str) -> Result<u64, String> {
    entgraph::input::parse_size(s)
}

fn parse_document_size(s: &str) -> Result<usize, String> {
    let n = parse_size(s)?;
    let max = entgraph::fold::MAX_DOCUMENT_BYTES;
    if n > max as u64 {
        return Err(format!(
            "{s}: more than the tagger supports ({max} bytes, 372M)"
        ));
    }
    if n == 0 {
        return Err("must be at least 1".to_string());
    }
    Ok(n as usize)
}

impl InputArgs {
    /// The input limits the flags ask for.
    pub fn limits(&self) -> Limits {
        let d = Limits::default();
        Limits {
            max_document_bytes: self.max_document_bytes.unwrap_or(d.max_document_bytes),
            max_decompressed_bytes: self
                .max_decompressed_bytes
                .unwrap_or(d.max_decompressed_bytes),
        }
    }

    /// The documents of the inputs, within [`InputArgs::limits`].
    pub fn documents(&self) -> Documents {
        Documents::with_limits(&self.inputs, self.limits())
    }
}

/// An error that must end the run with status 2 (usage, gazetteer).
#[derive(Debug)]
pub struct Fatal(pub String);

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Fatal {}

/// Loads the gazetteers (or the embedded default) and builds the tagger.
pub fn load_tagger(args: &InputArgs) -> anyhow::Result<Tagger> {
    if let Some(mut n) = args.threads {
        if n > MAX_THREADS {
            eprintln!(
                "entgraph: warning: -j {n}: using {MAX_THREADS} threads, the most entgraph starts"
            );
            n = MAX_THREADS;
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("setting up worker threads")?;
    }
    let sources = if args.gazetteers.is_empty() {
        Some(Source::default_embedded())
    } else {
        Source::read_paths(&args.gazetteers)
    };
    if let Some(sources) = sources {
        let cache = if args.no_cache { None } else { cache_dir() };
        return match compile(&sources, cache.as_ref()) {
            Ok(c) => {
                for w in c.warnings {
                    eprintln!("entgraph: {w}");
                }
                for n in c.notes {
                    eprintln!("entgraph: note: {}", terminal(&n));
                }
                Ok(c.tagger)
            }
            Err(LoadError::Gazetteer(e)) => {
                Err(Fatal(format!("entgraph: gazetteer errors, nothing written:\n{e}")).into())
            }
            Err(e) => Err(Fatal(format!("entgraph: {e}, nothing written")).into()),
        };
    }
    // A path that cannot be read: the builder reports it (and every other problem).
    let g = {
        let mut b = entgraph::gazetteer::GazetteerBuilder::new();
        for p in &args.gazetteers {
            b.add_path(p);
        }
        // Without `with_warnings`, the only warnings are skipped byte-order marks.
        let (g, warnings) = b.build_with_warnings();
        for w in warnings {
            eprintln!("entgraph: {w}");
        }
        g
    };
    let g = g.map_err(|e| Fatal(format!("entgraph: gazetteer errors, nothing written:\n{e}")))?;
    Tagger::new(g).map_err(|e| Fatal(format!("entgraph: {e}, nothing written")).into())
}

/// The cache of compiled gazetteers: `$ENTGRAPH_CACHE_DIR` if set and not empty, else the
/// user's cache directory ([`Cache::user_default`]); `None` without a home directory.
fn cache_dir() -> Option<Cache> {
    match std::env::var_os("ENTGRAPH_CACHE_DIR") {
        Some(d) if !d.is_empty() => Some(Cache::new(d)),
        _ => Cache::user_default(),
    }
}

/// Loads the tagger and, unless `--no-discover`, the cue lists (`--cues` or the embedded ones)
/// for discovery.
///
/// Leaked on purpose: a command uses it until the process ends, and freeing a large
/// gazetteer's hundreds of thousands of strings at exit took tens of milliseconds.
pub fn load_recognizer(args: &InputArgs) -> anyhow::Result<&'static Recognizer> {
    let tagger = load_tagger(args)?;
    let discoverer = if args.no_discover {
        None
    } else {
        let cues = match &args.cues {
            Some(dir) => Cues::from_path(dir),
            None => Cues::default_embedded(),
        };
        let cues =
            cues.map_err(|e| Fatal(format!("entgraph: cue list errors, nothing written:\n{e}")))?;
        Some(Discoverer::new(cues))
    };
    Ok(Box::leak(Box::new(Recognizer::new(tagger, discoverer))))
}

/// Checks `--types`: every type must be one the gazetteer has, or (unless `--no-discover`)
/// one discovery gives its entities; otherwise an error (status 2) naming the value and the
/// known types.
pub fn check_types(recognizer: &Recognizer, types: &[String]) -> Result<(), Fatal> {
    let mut known: std::collections::BTreeSet<&str> = recognizer
        .gazetteer()
        .entities()
        .iter()
        .map(|e| e.kind.as_str())
        .collect();
    if recognizer.discoverer().is_some() {
        known.extend(entgraph::discover::DISCOVERED_TYPES);
    }
    let unknown: Vec<&str> = types
        .iter()
        .map(String::as_str)
        .filter(|t| !known.contains(t))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    let known: Vec<&str> = known.into_iter().collect();
    Err(Fatal(format!(
        "entgraph: --types {}: no such entity type (known types: {}), nothing written",
        unknown.join(","),
        known.join(", ")
    )))
}

/// Counts what happened to the inputs, reports problems on stderr as they come, and shows
/// progress (documents, megabytes, speed) on stderr when it is a terminal.
pub struct InputReport {
    pub documents: usize,
    pub bytes: usize,
    pub mentions: usize,
    pub skipped: usize,
    pub lossy: usize,
    /// Documents whose `date` did not parse (counted as undated).
    pub bad_dates: usize,
    /// Documents with windows over `--max-window-entities`.
    pub capped_documents: usize,
    progress: Option<indicatif::ProgressBar>,
    started: Instant,
}

impl Default for InputReport {
    fn default() -> Self {
        use std::io::IsTerminal;
        let progress = std::io::stderr().is_terminal().then(|| {
            let p = indicatif::ProgressBar::new_spinner();
            p.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                    .expect("a valid template"),
            );
            p.enable_steady_tick(std::time::Duration::from_millis(120));
            p
        });
        InputReport {
            documents: 0,
            bytes: 0,
            mentions: 0,
            skipped: 0,
            lossy: 0,
            bad_dates: 0,
            capped_documents: 0,
            progress,
            started: Instant::now(),
        }
    }
}

impl InputReport {
    /// Counts one processed document.
    pub fn document(&mut self, bytes: usize, mentions: usize) {
        self.documents += 1;
        self.bytes += bytes;
        self.mentions += mentions;
        if let Some(p) = &self.progress {
            let secs = self.started.elapsed().as_secs_f64().max(1e-3);
            p.set_message(format!(
                "{} documents, {:.1} MB, {:.1} MB/s",
                self.documents,
                self.bytes as f64 / 1e6,
                self.bytes as f64 / 1e6 / secs
            ));
        }
    }

    /// Prints a line on stderr without garbling the progress line.
    fn warn(&self, line: String) {
        match &self.progress {
            Some(p) => p.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    pub fn note(&mut self, e: &InputEvent) {
        match e {
            InputEvent::Skipped { source, reason } => {
                self.skipped += 1;
                self.warn(format!(
                    "entgraph: warning: skipped {}: {}",
                    terminal(source),
                    terminal(reason)
                ));
            }
            InputEvent::Lossy { source } => {
                self.lossy += 1;
                self.warn(format!(
                    "entgraph: warning: {}: not valid UTF-8; invalid bytes replaced by U+FFFD",
                    terminal(source)
                ));
            }
            InputEvent::BadDate { source, id, value } => {
                self.bad_dates += 1;
                if self.bad_dates <= BAD_DATES_LISTED {
                    self.warn(format!(
                        "entgraph: warning: {}: document {}: unparsable date {value:?}; counted as undated",
                        terminal(source),
                        terminal(id)
                    ));
                } else if self.bad_dates == BAD_DATES_LISTED + 1 {
                    self.warn(format!(
                        "entgraph: warning: more unparsable dates; only the first {BAD_DATES_LISTED} \
                         are listed, the summary counts them all"
                    ));
                }
            }
            InputEvent::Document(_) => {}
        }
    }

    /// Removes the progress line (before the final summary).
    pub fn finish(&self) {
        if let Some(p) = &self.progress {
            p.finish_and_clear();
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        self.finish();
        if self.skipped > 0 {
            eprintln!(
                "entgraph: {} input(s) skipped; see the warnings above",
                self.skipped
            );
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }

    pub fn summary(&self, started: Instant, extra: &str) -> String {
        self.finish();
        let secs = started.elapsed().as_secs_f64();
        let mut s = format!(
            "{} documents, {} bytes, {} mentions{extra}, {:.2} s, {:.1} MB/s",
            self.documents,
            self.bytes,
            self.mentions,
            secs,
            self.bytes as f64 / 1e6 / secs.max(1e-9)
        );
        if self.lossy > 0 {
            s.push_str(&format!(", {} decoded lossily", self.lossy));
        }
        s
    }
}

/// Unparsable dates listed one by one on stderr; the rest are only counted (a corpus dated
/// in another format would otherwise print one line per document).
pub const BAD_DATES_LISTED: usize = 20;

/// What the run summary says about dates: "" for a corpus without dates (and no date range
/// asked for or bad date seen), else `, N dated FIRST..LAST, M undated`, with
/// `--since`/`--until` how many documents the range excluded, and how many documents had a
/// `date` that did not parse.
pub fn dates_summary(counts: &CooccurrenceCounts, report: &InputReport) -> String {
    let range = &counts.range;
    if counts.dated_documents == 0 && report.bad_dates == 0 && range.is_open() {
        return String::new();
    }
    let mut s = format!(", {} dated", counts.dated_documents);
    if let (Some(f), Some(l)) = (counts.span.first, counts.span.last) {
        s.push_str(&format!(" {f}..{l}"));
    }
    s.push_str(&format!(", {} undated", counts.undated_documents));
    if !range.is_open() {
        let mut bounds = String::new();
        if let Some(d) = range.since {
            bounds.push_str(&format!(" --since {d}"));
        }
        if let Some(d) = range.until {
            bounds.push_str(&format!(" --until {d}"));
        }
        s.push_str(&format!(
            ", {} excluded by{bounds} (undated documents are excluded)",
            counts.excluded_documents,
        ));
    }
    if report.bad_dates > 0 {
        s.push_str(&format!(
            ", {} with an unparsable date (treated as undated)",
            report.bad_dates
        ));
    }
    s
}

/// An output error, with a hint when the target was refused for not being a regular file:
/// `-o -` writes to standard output.
pub fn output_error(e: std::io::Error) -> std::io::Error {
    if e.kind() == std::io::ErrorKind::InvalidInput {
        std::io::Error::new(e.kind(), format!("{e} (-o - writes to standard output)"))
    } else {
        e
    }
}

/// Text for the terminal: control characters (escape sequences could move the cursor or
/// recolour the terminal) and bidi controls become U+FFFD ([`entgraph::escape::terminal`]).
pub fn terminal(s: &str) -> String {
    entgraph::escape::terminal(s).into_owned()
}

/// Whether standard output gets ANSI colours: only on a terminal, and never when
/// `NO_COLOR` is set to a non-empty value (no-color.org).
pub fn use_color() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Reports input problems and progress as a corpus is counted.
impl Sink for InputReport {
    fn note(&mut self, event: &InputEvent) {
        self.note(event);
    }

    fn tagged(&mut self, document: &Document, tagged: &Tagged, _: EntityView) {
        self.document(document.text.len(), tagged.mentions.len());
    }

    fn counted(&mut self, d: &CountedDocument) {
        self.document(d.document.text.len(), d.mentions.len());
        if d.capped_windows > 0 {
            self.capped_documents += 1;
            if self.capped_documents <= BAD_DATES_LISTED {
                self.warn(format!(
                    "entgraph: warning: {}: {} window(s) hold more distinct entities than \
                     --max-window-entities; their pairs are not counted (graph metadata: \
                     capped_windows)",
                    terminal(&d.document.id),
                    d.capped_windows
                ));
            } else if self.capped_documents == BAD_DATES_LISTED + 1 {
                self.warn(format!(
                    "entgraph: warning: more documents with over-full windows; only the first \
                     {BAD_DATES_LISTED} are listed"
                ));
            }
        }
    }
}

/// A clap parser for a library enum: its names as the possible values, mapped back to the
/// value. The library's types stay free of clap; the command line maps flags to them here.
pub fn choice<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    name: fn(T) -> &'static str,
) -> impl clap::builder::TypedValueParser<Value = T> {
    choice_with_help(all, name, |_| "")
}

/// [`choice`] with a line of help per value (`help` returns "" for none).
pub fn choice_with_help<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    name: fn(T) -> &'static str,
    help: fn(T) -> &'static str,
) -> impl clap::builder::TypedValueParser<Value = T> {
    use clap::builder::{PossibleValue, TypedValueParser};
    let values = all.iter().map(move |&v| match help(v) {
        "" => PossibleValue::new(name(v)),
        h => PossibleValue::new(name(v)).help(h),
    });
    clap::builder::PossibleValuesParser::new(values).map(move |s| {
        *all.iter()
            .find(|&&v| name(v) == s)
            .expect("clap accepted only listed names")
    })
}

/// `--render`/`-T`: svg, png, pdf.
pub fn render_formats() -> impl clap::builder::TypedValueParser<Value = RenderFormat> {
    choice(&RenderFormat::ALL, RenderFormat::extension)
}

/// `--layout`: sfdp, neato, fdp, dot, circo.
pub fn layouts() -> impl clap::builder::TypedValueParser<Value = Layout> {
    choice(&Layout::ALL, Layout::as_str)
}

/// `--color-by`: type, community.
pub fn color_by() -> impl clap::builder::TypedValueParser<Value = ColorBy> {
    choice(&ColorBy::ALL, ColorBy::as_str)
}
