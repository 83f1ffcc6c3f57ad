//! `entgraph gazetteer`: check, describe or import gazetteers.
//!
//! - `check`: lint (see [`entgraph::lint`]); exit status 1 if any error-level finding.
//! - `stats`: entities per type, aliases, automaton size and build time.
//! - `import geonames` / `import csv`: convert other lists (see [`entgraph::import`]); exit
//!   status 1 if some input line was skipped, 2 if none was usable (nothing is written then).

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

use entgraph::discover::check::check_cues;
use entgraph::gazetteer::{CaseRule, Gazetteer};
use entgraph::import::{
    self, CsvOptions, GeonamesOptions, ImportError, Message, Summary, TypeSource,
};
use entgraph::lint;
use entgraph::output::write_atomic;
use entgraph::tagger::Tagger;

use super::common::{Fatal, output_error, terminal};

#[derive(Args)]
pub struct GazetteerArgs {
    #[command(subcommand)]
    command: GazetteerCommand,
}

#[derive(Subcommand)]
enum GazetteerCommand {
    /// Lint gazetteers: load errors, duplicate ids, ambiguous, shadowed, short and common-word
    /// aliases, stray whitespace. Exit status 1 if any error.
    Check(CheckArgs),
    /// Entities per type, aliases, distinct patterns, load and automaton build time, memory.
    Stats(StatsArgs),
    /// Convert a GeoNames dump or a CSV/TSV spreadsheet into a gazetteer TSV.
    Import(ImportArgs),
}

#[derive(Args)]
struct CheckArgs {
    /// Gazetteer TSV file or directory of *.tsv files (repeatable). Default: the embedded one.
    #[arg(short = 'g', long = "gazetteer", value_name = "PATH")]
    gazetteers: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
    /// Cue lists for discovery to check with them (default: the embedded gazetteers/cues/).
    #[arg(long, value_name = "DIR")]
    cues: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    /// `path:line: level[code]: message` lines and a summary line.
    Text,
    /// One JSON object: findings and counts.
    Json,
}

#[derive(Args)]
struct StatsArgs {
    /// Gazetteer TSV file or directory of *.tsv files (repeatable). Default: the embedded one.
    #[arg(short = 'g', long = "gazetteer", value_name = "PATH")]
    gazetteers: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = StatsFormat::Table)]
    format: StatsFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum StatsFormat {
    Table,
    Json,
}

#[derive(Args)]
struct ImportArgs {
    #[command(subcommand)]
    source: ImportSource,
}

#[derive(Subcommand)]
enum ImportSource {
    /// A GeoNames dump (allCountries.txt, cities15000.txt, …, or a .gz of one; `-` for stdin).
    Geonames(GeonamesArgs),
    /// A CSV or TSV spreadsheet with a header row (`-` for stdin).
    Csv(Box<CsvArgs>),
}

#[derive(Args)]
struct GeonamesArgs {
    /// The dump: 19 tab-separated columns per line, as GeoNames publishes them.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Leave out places with a smaller population.
    #[arg(long, value_name = "N", default_value_t = 0)]
    min_population: u64,
    /// Type label of every place.
    #[arg(long = "type", value_name = "TYPE", default_value = "LOC")]
    kind: String,
    /// Keep every alternate name (other scripts, codes), not only Latin-script names.
    #[arg(long)]
    all_names: bool,
    /// Write to OUT.tsv (atomically; a regular file only) instead of standard output (`-`).
    #[arg(short, long, value_name = "OUT.tsv")]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct CsvArgs {
    /// The spreadsheet; `.tsv` and `.tab` files are read tab-separated, others comma-separated.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Column holding the entity's name.
    #[arg(long, value_name = "NAME")]
    name_column: String,
    /// Type label of every row (PERSON, ORG, LOC, …).
    #[arg(
        long = "type",
        value_name = "TYPE",
        required_unless_present = "type_column",
        conflicts_with = "type_column"
    )]
    kind: Option<String>,
    /// Column holding each row's type (upper-cased).
    #[arg(long, value_name = "C")]
    type_column: Option<String>,
    /// Column holding ids (default: the slug of the name).
    #[arg(long, value_name = "C")]
    id_column: Option<String>,
    /// Column holding aliases, split on --alias-separator (and on `|` and line breaks).
    #[arg(long, value_name = "C")]
    aliases_column: Option<String>,
    /// What separates aliases in the aliases column.
    #[arg(long, value_name = "SEP", default_value = ";")]
    alias_separator: String,
    /// Columns copied as attributes (comma-separated or repeated).
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    keep_columns: Vec<String>,
    /// Field delimiter: one character, or `tab`. Default: from the file extension.
    #[arg(long, value_name = "D")]
    delimiter: Option<String>,
    /// Write to OUT.tsv (atomically; a regular file only) instead of standard output (`-`).
    #[arg(short, long, value_name = "OUT.tsv")]
    output: Option<PathBuf>,
}

pub fn run(args: GazetteerArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        GazetteerCommand::Check(a) => check(a),
        GazetteerCommand::Stats(a) => stats(a),
        GazetteerCommand::Import(a) => match a.source {
            ImportSource::Geonames(g) => import_geonames(g),
            ImportSource::Csv(c) => import_csv(*c),
        },
    }
}

/// Writes to standard output (a closed pipe, `| head`, is handled in `main`).
fn to_stdout(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    f(&mut w)
        .and_then(|_| w.flush())
        .context("writing standard output")
}

fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let mut report = if args.gazetteers.is_empty() {
        lint::check_default()
    } else {
        lint::check_paths(&args.gazetteers)
    };
    let gazetteer = if args.gazetteers.is_empty() {
        Gazetteer::default_embedded().ok()
    } else {
        Gazetteer::from_paths(&args.gazetteers).ok()
    };
    report.add(check_cues(args.cues.as_deref(), gazetteer.as_ref()));
    to_stdout(|w| match args.format {
        CheckFormat::Text => {
            for f in &report.findings {
                writeln!(w, "{f}")?;
            }
            writeln!(w, "{}", report.summary())
        }
        CheckFormat::Json => {
            let v = json!({
                "findings": report.findings,
                "errors": report.count(lint::Level::Error),
                "warnings": report.count(lint::Level::Warning),
                "notes": report.count(lint::Level::Note),
            });
            serde_json::to_writer_pretty(&mut *w, &v)?;
            writeln!(w)
        }
    })?;
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Default, Clone, Copy)]
struct TypeCounts {
    entities: usize,
    aliases: usize,
    weak: usize,
    exact: usize,
}

fn stats(args: StatsArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let g = if args.gazetteers.is_empty() {
        Gazetteer::default_embedded()
    } else {
        Gazetteer::from_paths(&args.gazetteers)
    }
    .map_err(|e| Fatal(format!("entgraph: gazetteer errors:\n{e}")))?;
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    let sources: Vec<String> = if args.gazetteers.is_empty() {
        entgraph::gazetteer::DEFAULT_FILES
            .iter()
            .map(|(name, _)| format!("gazetteers/{name} (embedded)"))
            .collect()
    } else {
        args.gazetteers
            .iter()
            .map(|p| p.display().to_string())
            .collect()
    };
    let mut types: BTreeMap<String, TypeCounts> = BTreeMap::new();
    for e in g.entities() {
        let t = types.entry(e.kind.clone()).or_default();
        t.entities += 1;
        for &a in &e.aliases {
            let a = g.alias(a);
            t.aliases += 1;
            t.weak += a.weak as usize;
            t.exact += (a.case == CaseRule::Exact) as usize;
        }
    }
    let total = types
        .values()
        .fold(TypeCounts::default(), |s, t| TypeCounts {
            entities: s.entities + t.entities,
            aliases: s.aliases + t.aliases,
            weak: s.weak + t.weak,
            exact: s.exact + t.exact,
        });
    let started = Instant::now();
    let tagger = Tagger::new(g)?;
    let build_ms = started.elapsed().as_secs_f64() * 1e3;
    let patterns = tagger.pattern_count();
    let memory = tagger.automaton_memory();
    to_stdout(|w| match args.format {
        StatsFormat::Json => {
            let per_type: serde_json::Map<String, serde_json::Value> = types
                .iter()
                .map(|(k, t)| {
                    (
                        k.clone(),
                        json!({"entities": t.entities, "aliases": t.aliases, "weak": t.weak, "exact_case": t.exact}),
                    )
                })
                .collect();
            let v = json!({
                "sources": sources,
                "entities": total.entities,
                "types": per_type,
                "aliases": {"total": total.aliases, "weak": total.weak, "exact_case": total.exact},
                "patterns": patterns,
                "load_ms": round3(load_ms),
                "automaton_build_ms": round3(build_ms),
                "automaton_memory_bytes": memory,
            });
            serde_json::to_writer_pretty(&mut *w, &v)?;
            writeln!(w)
        }
        StatsFormat::Table => {
            use comfy_table::{CellAlignment, Table, presets};
            let right = |t: &mut Table, from: usize| {
                for i in from..t.column_count() {
                    if let Some(c) = t.column_mut(i) {
                        c.set_cell_alignment(CellAlignment::Right);
                    }
                }
            };
            writeln!(w, "Gazetteer: {}", sources.join(", "))?;
            let mut t = Table::new();
            t.load_style(presets::UTF8_FULL_CONDENSED);
            t.set_header(vec!["type", "entities", "aliases", "weak", "exact-case"]);
            for (k, c) in types
                .iter()
                .chain(std::iter::once((&"total".to_string(), &total)))
            {
                t.add_row(vec![
                    k.clone(),
                    c.entities.to_string(),
                    c.aliases.to_string(),
                    c.weak.to_string(),
                    c.exact.to_string(),
                ]);
            }
            right(&mut t, 1);
            writeln!(w, "{t}")?;
            let mut t = Table::new();
            t.load_style(presets::UTF8_FULL_CONDENSED);
            t.set_header(vec!["automaton", "value"]);
            t.add_row(vec![
                "distinct folded patterns".to_string(),
                patterns.to_string(),
            ]);
            t.add_row(vec!["memory".to_string(), human_bytes(memory)]);
            t.add_row(vec![
                "gazetteer load".to_string(),
                format!("{load_ms:.1} ms"),
            ]);
            t.add_row(vec![
                "automaton build".to_string(),
                format!("{build_ms:.1} ms"),
            ]);
            right(&mut t, 1);
            writeln!(w, "{t}")
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

fn round3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}

fn human_bytes(n: usize) -> String {
    if n < 1 << 10 {
        format!("{n} B")
    } else if n < 1 << 20 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0))
    }
}

/// Opens FILE (`-` for standard input), decompressing `.gz`.
fn open_input(file: &Path) -> anyhow::Result<Box<dyn BufRead>> {
    if file == Path::new("-") {
        return Ok(Box::new(BufReader::new(io::stdin())));
    }
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if ext == "zip" {
        return Err(Fatal(format!(
            "entgraph: {}: unzip it first (GeoNames zips hold one .txt file)",
            file.display()
        ))
        .into());
    }
    let f = std::fs::File::open(file)
        .map_err(|e| Fatal(format!("entgraph: cannot read {}: {e}", file.display())))?;
    if ext == "gz" {
        Ok(Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(
            f,
        ))))
    } else {
        Ok(Box::new(BufReader::new(f)))
    }
}

/// The name of the input for the comment line of the output.
fn source_name(file: &Path) -> String {
    if file == Path::new("-") {
        "standard input".to_string()
    } else {
        file.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.display().to_string())
    }
}

/// Runs an import into `output` (atomically) or standard output, printing its messages as
/// `FILE:LINE: skipped|changed: message`, and turns its summary into the exit status.
fn run_import(
    file: &Path,
    output: Option<&Path>,
    import: impl FnOnce(&mut dyn Write, &mut dyn FnMut(Message)) -> Result<Summary, ImportError>,
) -> anyhow::Result<ExitCode> {
    let label = if file == Path::new("-") {
        "<stdin>".to_string()
    } else {
        file.display().to_string()
    };
    let mut on_message = |m: Message| {
        let what = if m.skipped { "skipped" } else { "changed" };
        // The message quotes cells of the input: no escape sequences on the terminal.
        eprintln!(
            "{}:{}: {what}: {}",
            terminal(&label),
            m.line,
            terminal(&m.text)
        );
    };
    let mut result: Option<Result<Summary, ImportError>> = None;
    let body = |w: &mut dyn Write| -> io::Result<()> {
        let r = import(w, &mut on_message);
        let ok = matches!(&r, Ok(s) if s.usable());
        result = Some(r);
        if ok {
            Ok(())
        } else {
            // Abort: an atomic write then leaves the target untouched.
            Err(io::Error::other("no usable row"))
        }
    };
    // `-o -` is standard output, as no -o.
    let output = output.filter(|p| *p != Path::new("-"));
    let written = match output {
        Some(path) => write_atomic(path, body).map_err(output_error),
        None => {
            let stdout = io::stdout();
            let mut w = io::BufWriter::new(stdout.lock());
            body(&mut w).and_then(|_| w.flush())
        }
    };
    let summary = match result {
        Some(Ok(s)) => s,
        Some(Err(ImportError::Usage(msg))) => {
            return Err(Fatal(format!("entgraph: {msg}")).into());
        }
        Some(Err(e)) => return Err(anyhow::Error::new(e).context(format!("reading {label}"))),
        None => {
            return Err(written.err().map_or_else(
                || anyhow::anyhow!("nothing was imported"),
                |e| anyhow::Error::new(e).context("writing the gazetteer"),
            ));
        }
    };
    if !summary.usable() {
        return Err(Fatal(format!(
            "entgraph: {label}: no usable row in {} read; nothing written",
            summary.read
        ))
        .into());
    }
    written.with_context(|| match output {
        Some(p) => format!("writing {}", p.display()),
        None => "writing standard output".to_string(),
    })?;
    let mut parts = vec![format!("{} entities written", summary.written)];
    if let Some(p) = output {
        parts[0].push_str(&format!(" to {}", p.display()));
    }
    if summary.filtered > 0 {
        parts.push(format!("{} filtered out", summary.filtered));
    }
    if summary.changed > 0 {
        parts.push(format!("{} with changed values", summary.changed));
    }
    if summary.skipped > 0 {
        parts.push(format!("{} line(s) skipped (see above)", summary.skipped));
    }
    eprintln!(
        "entgraph gazetteer import: {} rows read, {}",
        summary.read,
        parts.join(", ")
    );
    Ok(if summary.skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn import_geonames(args: GeonamesArgs) -> anyhow::Result<ExitCode> {
    let kind = import::normalize_type(&args.kind).ok_or_else(|| {
        Fatal(format!(
            "entgraph: --type {:?} is not a type label such as LOC",
            args.kind
        ))
    })?;
    let mut input = open_input(&args.file)?;
    let opts = GeonamesOptions {
        kind,
        min_population: args.min_population,
        all_names: args.all_names,
        source: source_name(&args.file),
    };
    run_import(&args.file, args.output.as_deref(), |w, report| {
        Ok(import::import_geonames(&mut input, w, &opts, report)?)
    })
}

fn import_csv(args: CsvArgs) -> anyhow::Result<ExitCode> {
    let delimiter = match args.delimiter.as_deref() {
        Some("tab" | "\\t" | "\t") => b'\t',
        Some(d) if d.len() == 1 && d.is_ascii() => d.as_bytes()[0],
        Some(d) => {
            return Err(Fatal(format!(
                "entgraph: --delimiter {d:?} must be one ASCII character or `tab`"
            ))
            .into());
        }
        None => {
            let name = args.file.to_string_lossy().to_lowercase();
            let name = name.strip_suffix(".gz").unwrap_or(&name);
            if name.ends_with(".tsv") || name.ends_with(".tab") {
                b'\t'
            } else {
                b','
            }
        }
    };
    let kind = match (args.kind, args.type_column) {
        (Some(t), _) => TypeSource::Fixed(t),
        (None, Some(c)) => TypeSource::Column(c),
        (None, None) => unreachable!("clap requires --type or --type-column"),
    };
    let mut input = open_input(&args.file)?;
    let opts = CsvOptions {
        name_column: args.name_column,
        kind,
        id_column: args.id_column,
        aliases_column: args.aliases_column,
        alias_separator: args.alias_separator,
        keep_columns: args.keep_columns,
        delimiter,
        source: source_name(&args.file),
    };
    run_import(&args.file, args.output.as_deref(), |w, report| {
        import::import_csv(&mut input, w, &opts, report)
    })
}
