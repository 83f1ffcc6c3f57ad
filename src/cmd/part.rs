//! `entgraph count` and `entgraph merge`: partial counts (parts, [`entgraph::part`]) of
//! shards of a corpus, merged into the part of the whole; and the reading and checking of
//! parts that `build --from-counts` and `report --from-counts` share.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use entgraph::cooccur::CooccurrenceCounts;
use entgraph::input::InputEvent;
use entgraph::output::write_atomic;
use entgraph::part::{MergeError, Part, Settings};
use entgraph::pipeline::{self, CountOptions};
use entgraph::recognize::Recognizer;

use super::build::{CountingArgs, EXIT_NOTHING_COUNTED};
use super::common::{Fatal, InputArgs, InputReport, load_recognizer, terminal};

#[derive(Args)]
pub struct CountArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub counting: CountingArgs,
    /// The part to write (replaced atomically; with --update, added to).
    #[arg(short, long, value_name = "PART")]
    pub out: PathBuf,
    /// Add the documents to the part PART already holds (created if missing): documents whose
    /// id it has counted are skipped, and the options must be those it was counted with.
    #[arg(long)]
    pub update: bool,
    /// Write a part with no document when none was counted (by default such a run writes
    /// nothing and exits with 3).
    #[arg(long)]
    pub allow_empty: bool,
}

#[derive(Args)]
pub struct MergeArgs {
    /// The parts to merge (at least one), in any order.
    #[arg(value_name = "PART", required = true)]
    pub parts: Vec<PathBuf>,
    /// The merged part to write (replaced atomically; may be one of the inputs).
    #[arg(short, long, value_name = "PART")]
    pub out: PathBuf,
}

/// Repeated document ids listed one by one at most; the summary counts them all.
const REPEATS_LISTED: usize = 10;

pub fn count(args: CountArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let options = CountOptions {
        keep_documents: true,
        ..args.counting.count_options()
    };
    args.counting.check_dates()?;
    let recognizer = load_recognizer(&args.input)?;
    let settings = Settings::new(recognizer, &options);
    let existing = if args.update && args.out.exists() {
        let part = read_part(&args.out)?;
        check_settings(&args.out, part.settings(), &settings, "this command has")?;
        Some(part)
    } else {
        if args.update {
            eprintln!(
                "entgraph: note: {} does not exist yet: it is created",
                terminal(&args.out.display().to_string())
            );
        }
        None
    };
    let in_part: HashSet<&str> = existing.iter().flat_map(|p| p.document_ids()).collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut repeats = 0usize;
    let mut report = InputReport::default();
    let shown_out = terminal(&args.out.display().to_string());
    let events = args.input.documents().filter(|e| match e {
        InputEvent::Document(d) => {
            let (counted, where_) = if in_part.contains(d.id.as_str()) {
                (true, format!("in {shown_out}"))
            } else {
                (
                    !seen.insert(d.id.clone()),
                    "earlier in this run".to_string(),
                )
            };
            if !counted {
                return true;
            }
            repeats += 1;
            if repeats <= REPEATS_LISTED {
                eprintln!(
                    "entgraph: warning: document {} is already counted ({where_}); skipped: a \
                     document is never counted twice",
                    terminal(&d.id),
                );
            }
            false
        }
        _ => true,
    });
    let counts = pipeline::count(recognizer, events, &options, &mut report);
    report.finish();
    if repeats > REPEATS_LISTED {
        eprintln!("entgraph: warning: {repeats} documents already counted were skipped in all");
    }
    if report.documents == 0 && !args.allow_empty && existing.is_none() {
        let _ = report.exit_code();
        eprintln!(
            "entgraph count: no document was counted; {} left as it was (--allow-empty writes \
             a part with none)",
            terminal(&args.out.display().to_string())
        );
        return Ok(ExitCode::from(EXIT_NOTHING_COUNTED));
    }
    if existing.is_some() && report.documents == 0 {
        eprintln!(
            "entgraph count: no new document; {} left as it was",
            terminal(&args.out.display().to_string())
        );
        return Ok(report.exit_code());
    }
    let part = Part::from_counts(&counts, settings)
        .map_err(|e| Fatal(format!("entgraph: {e}; nothing written")))?;
    let part = match existing {
        Some(old) => Part::merge(vec![old, part])
            .map_err(|e| Fatal(format!("entgraph: {e}; nothing written")))?,
        None => part,
    };
    write_part(&args.out, &part)?;
    eprintln!(
        "entgraph: wrote {} ({} documents in all)",
        terminal(&args.out.display().to_string()),
        part.documents()
    );
    eprintln!("entgraph count: {}", report.summary(started, ""));
    Ok(report.exit_code())
}

pub fn merge(args: MergeArgs) -> anyhow::Result<ExitCode> {
    let parts = read_parts(&args.parts)?;
    let merged = merge_named(&args.parts, parts)?;
    write_part(&args.out, &merged)?;
    eprintln!(
        "entgraph: wrote {} ({} parts, {} documents)",
        terminal(&args.out.display().to_string()),
        args.parts.len(),
        merged.documents()
    );
    Ok(ExitCode::SUCCESS)
}

/// Reads `paths`, every one checked; the first that fails is the error (naming it).
pub fn read_parts(paths: &[PathBuf]) -> anyhow::Result<Vec<Part>> {
    paths.iter().map(|p| read_part(p)).collect()
}

/// Merges parts read from `paths`, naming the file at fault in an error.
pub fn merge_named(paths: &[PathBuf], parts: Vec<Part>) -> anyhow::Result<Part> {
    let shown = |i: usize| terminal(&paths[i].display().to_string());
    Part::merge(parts).map_err(|e| {
        let msg = match &e {
            MergeError::Settings { part, .. } => {
                format!("entgraph: {}: {e}; nothing written", shown(*part))
            }
            MergeError::SharedDocument { parts: (a, b), .. } => format!(
                "entgraph: {} and {}: {e}; nothing written",
                shown(*a),
                shown(*b)
            ),
            MergeError::Nothing | MergeError::DocumentsNotKept => {
                format!("entgraph: {e}; nothing written")
            }
        };
        Fatal(msg).into()
    })
}

/// Reads and checks one part; an error names the file.
pub fn read_part(path: &Path) -> anyhow::Result<Part> {
    let shown = terminal(&path.display().to_string());
    let bytes = std::fs::read(path)
        .map_err(|e| Fatal(format!("entgraph: {shown}: {e}; nothing written")))?;
    Part::read(&bytes).map_err(|e| Fatal(format!("entgraph: {shown}: {e}; nothing written")).into())
}

/// Refuses a part counted with other settings than `ours` (`ours_are` says whose they are).
pub fn check_settings(
    path: &Path,
    part: &Settings,
    ours: &Settings,
    ours_are: &str,
) -> Result<(), Fatal> {
    match part.difference(ours) {
        None => Ok(()),
        Some((what, theirs, mine)) => Err(Fatal(format!(
            "entgraph: {}: counted with {what} {theirs}, and {ours_are} {mine}: give the same \
             options (and gazetteer and cue lists) as for counting; nothing written",
            terminal(&path.display().to_string())
        ))),
    }
}

/// Writes `part` to `path` atomically.
fn write_part(path: &Path, part: &Part) -> anyhow::Result<()> {
    write_atomic(path, |w| part.write_to(w))
        .with_context(|| format!("writing {} (nothing was replaced)", path.display()))
}

/// The counts of the parts at `paths`, merged, checked against the options `options` and the
/// loaded gazetteer and cue lists of `recognizer`: for `build --from-counts` and
/// `report --from-counts`.
pub fn counts_from_parts(
    paths: &[PathBuf],
    recognizer: &Recognizer,
    options: &CountOptions,
) -> anyhow::Result<CooccurrenceCounts> {
    let parts = read_parts(paths)?;
    let ours = Settings::new(recognizer, options);
    for (path, part) in paths.iter().zip(&parts) {
        check_settings(path, part.settings(), &ours, "this command has")?;
    }
    let part = merge_named(paths, parts)?;
    Ok(part.to_counts())
}
