//! The `entgraph` command line: a thin layer over the library.
//!
//! Exit status: 0 success; 1 some input was skipped (or a renderer is missing) but
//! everything else was processed and written; 2 usage or gazetteer error, nothing written.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};

use entgraph::gazetteer::Gazetteer;
use entgraph::input::{Documents, InputEvent};
use entgraph::output::write_atomic;
use entgraph::pipeline::{Processed, tag_all};
use entgraph::tagformat::{self, TagFormat};
use entgraph::tagger::Tagger;

#[derive(Parser)]
#[command(
    name = "entgraph",
    version,
    about = "From a pile of text to a graph of who and what appears together"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Find gazetteer entities in text and print the mentions.
    Tag(TagArgs),
}

/// Inputs and gazetteers, shared by every command that reads documents.
#[derive(Args, Clone)]
struct InputArgs {
    /// Files, directories (walked for *.txt, *.md, *.jsonl and .gz versions) or `-` for stdin.
    #[arg(value_name = "INPUT")]
    inputs: Vec<String>,
    /// Gazetteer TSV file or directory of *.tsv files (repeatable). Default: the embedded one.
    #[arg(short = 'g', long = "gazetteer", value_name = "PATH")]
    gazetteers: Vec<PathBuf>,
    /// Worker threads (default: all cores). Output does not depend on it.
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,
}

#[derive(Args)]
struct TagArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = TagFormatArg::Jsonl)]
    format: TagFormatArg,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum TagFormatArg {
    /// One JSON line per document with byte offsets.
    Jsonl,
    /// The text with inline marks `[Lee](PERSON lee-jae-myung)`.
    Text,
    /// One token per line with BIO tags, blank line between sentences.
    Conll,
}

/// An error that must end the run with status 2 (usage, gazetteer).
#[derive(Debug)]
struct Fatal(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Tag(args) => run_tag(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if let Some(Fatal(msg)) = e.downcast_ref::<Fatal>() {
                eprintln!("{msg}");
            } else {
                eprintln!("entgraph: error: {e:#}");
            }
            ExitCode::from(2)
        }
    }
}

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Fatal {}

/// Loads the gazetteers (or the embedded default) and builds the tagger.
fn load_tagger(args: &InputArgs) -> anyhow::Result<Tagger> {
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("setting up worker threads")?;
    }
    let g = if args.gazetteers.is_empty() {
        Gazetteer::default_embedded()
    } else {
        Gazetteer::from_paths(&args.gazetteers)
    };
    let g = g.map_err(|e| Fatal(format!("entgraph: gazetteer errors, nothing written:\n{e}")))?;
    Ok(Tagger::new(g))
}

/// Counts what happened to the inputs and reports problems on stderr as they come.
#[derive(Default)]
struct InputReport {
    documents: usize,
    bytes: usize,
    mentions: usize,
    skipped: usize,
    lossy: usize,
}

impl InputReport {
    fn note(&mut self, e: &InputEvent) {
        match e {
            InputEvent::Skipped { source, reason } => {
                self.skipped += 1;
                eprintln!("entgraph: warning: skipped {source}: {reason}");
            }
            InputEvent::Lossy { source } => {
                self.lossy += 1;
                eprintln!(
                    "entgraph: warning: {source}: not valid UTF-8; invalid bytes replaced by U+FFFD"
                );
            }
            InputEvent::Document(_) => {}
        }
    }

    fn exit_code(&self) -> ExitCode {
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

    fn summary(&self, started: Instant, extra: &str) -> String {
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

fn run_tag(args: TagArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let tagger = load_tagger(&args.input)?;
    let format = match args.format {
        TagFormatArg::Jsonl => TagFormat::Jsonl,
        TagFormatArg::Text => TagFormat::Text,
        TagFormatArg::Conll => TagFormat::Conll,
    };
    let mut report = InputReport::default();
    let mut run = |w: &mut dyn Write| -> io::Result<()> {
        let mut result = Ok(());
        tag_all(&tagger, Documents::new(&args.input.inputs), |p| match p {
            Processed::Note(e) => report.note(&e),
            Processed::Document(doc, tagged) => {
                report.documents += 1;
                report.bytes += doc.text.len();
                report.mentions += tagged.mentions.len();
                if result.is_ok() {
                    result = tagformat::write(w, format, tagger.gazetteer(), &doc, &tagged);
                }
            }
        });
        result
    };
    match &args.output {
        Some(path) => {
            write_atomic(path, &mut run).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            let stdout = io::stdout();
            let mut w = io::BufWriter::new(stdout.lock());
            match run(&mut w).and_then(|_| w.flush()) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
                r => r.context("writing standard output")?,
            }
        }
    }
    eprintln!("entgraph tag: {}", report.summary(started, ""));
    Ok(report.exit_code())
}
