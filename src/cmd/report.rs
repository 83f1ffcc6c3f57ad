//! `entgraph report`: the top entities and pairs, or the names the gazetteer missed.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};

use entgraph::pipeline::{Processed, tag_all};
use entgraph::recognize::Recognizer;
use entgraph::report::{
    CsvSection, ReportGraph, ReportOptions, SortKey, TableLook, csv_text, md_escape, report,
    to_csv, to_markdown, to_table,
};
use entgraph::unmatched::{Discovered, DiscoveredRow, Unmatched};

use super::build::{GraphArgs, build_graph};
use super::common::{
    Fatal, InputArgs, InputReport, choice, choice_with_help, dates_summary, load_recognizer,
    terminal, use_color,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Markdown,
    Csv,
    Json,
}

#[derive(Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub graph_args: GraphArgs,
    /// Read a graph built by `entgraph build` instead of tagging INPUTs.
    #[arg(long, value_name = "FILE", conflicts_with = "unmatched")]
    pub graph: Option<PathBuf>,
    /// Report on partial counts (`entgraph count`, `entgraph merge`) instead of INPUTs: the
    /// parts are merged, and must have been counted with these options.
    #[arg(long, value_name = "PART", conflicts_with_all = ["inputs", "graph", "unmatched"])]
    pub from_counts: Vec<PathBuf>,
    /// How many entities and pairs to list.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
    /// Only entities of this type (pairs: at least one end of it).
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// Rank entities by this.
    #[arg(long, value_name = "SORT", default_value = "mentions", value_parser = choice_with_help(&SortKey::ALL, SortKey::as_str, sort_help))]
    pub sort: SortKey,
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Which table `--format csv` writes.
    #[arg(long, value_name = "CSV_SECTION", default_value = "entities", value_parser = choice(&CsvSection::ALL, CsvSection::as_str))]
    pub csv_section: CsvSection,
    /// The names the gazetteer does not list, with gazetteer rows to paste: the provisional
    /// entities discovery found (with `--no-discover`: the most frequent capitalized word
    /// sequences no alias matched).
    #[arg(long)]
    pub unmatched: bool,
}

/// Colour and width for terminal tables: colour only on a terminal and never with NO_COLOR.
fn table_look() -> TableLook {
    let tty = std::io::stdout().is_terminal();
    TableLook {
        color: use_color(),
        width: if tty {
            terminal_size::terminal_size().map(|(w, _)| w.0)
        } else {
            None
        },
    }
}

pub fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    if args.unmatched {
        return run_unmatched(args);
    }
    let mut input_report = InputReport::default();
    let graph = match &args.graph {
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            let v: serde_json::Value = serde_json::from_slice(&bytes)
                .map_err(|e| Fatal(format!("entgraph: {}: not JSON: {e}", path.display())))?;
            ReportGraph::from_json(&v)
                .map_err(|e| Fatal(format!("entgraph: {}: {e}", path.display())))?
        }
        None => {
            let (_, counts, g) = build_graph(
                &args.input,
                &args.graph_args,
                &args.from_counts,
                &mut input_report,
            )?;
            let dates = dates_summary(&counts, &input_report);
            if !dates.is_empty() {
                eprintln!("entgraph report: {}", &dates[2..]);
            }
            ReportGraph::from_graph(&g)
        }
    };
    let r = report(
        &graph,
        &ReportOptions {
            top: args.top,
            kind: args.kind.clone(),
            sort: args.sort,
            partners: 3,
        },
    );
    let out = match args.format {
        ReportFormat::Table => to_table(&r, table_look()),
        ReportFormat::Markdown => to_markdown(&r),
        ReportFormat::Csv => to_csv(&r, args.csv_section),
        ReportFormat::Json => serde_json::to_string_pretty(&r)? + "\n",
    };
    print(&out)?;
    Ok(input_report.exit_code())
}

fn print(s: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(s.as_bytes())
        .and_then(|_| stdout.flush())
        .context("writing standard output")
}

fn run_unmatched(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let tagger = load_recognizer(&args.input)?;
    if tagger.discoverer().is_some() {
        return run_discovered(args, tagger);
    }
    let mut input_report = InputReport::default();
    let mut unmatched = Unmatched::new();
    tag_all(tagger, args.input.documents().raw(), |p| match p {
        Processed::Document(doc, tagged, ()) => {
            input_report.document(doc.text.len(), tagged.mentions.len());
            unmatched.add(&doc.text, &tagged.mentions);
        }
        Processed::Note(e) => input_report.note(&e),
    });
    let rows = unmatched.top(args.top);
    let out = match args.format {
        ReportFormat::Json => serde_json::to_string_pretty(&rows)? + "\n",
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["name", "count", "documents", "guessed_type", "tsv"])?;
            for r in &rows {
                w.write_record([
                    csv_text(&r.phrase),
                    r.count.to_string(),
                    r.documents.to_string(),
                    r.guessed_type.clone(),
                    csv_text(&r.tsv),
                ])?;
            }
            String::from_utf8(w.into_inner()?)?
        }
        ReportFormat::Markdown => {
            let mut s =
                String::from("| name | count | docs | guessed type |\n|---|---:|---:|---|\n");
            for r in &rows {
                s.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    r.phrase.replace('|', "\\|"),
                    r.count,
                    r.documents,
                    r.guessed_type
                ));
            }
            s
        }
        ReportFormat::Table => {
            let look = table_look();
            let mut t = comfy_table::Table::new();
            t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
            if !look.color {
                t.force_no_tty();
            }
            t.set_header(vec!["#", "unmatched name", "count", "docs", "guess"]);
            for (i, r) in rows.iter().enumerate() {
                t.add_row(vec![
                    (i + 1).to_string(),
                    r.phrase.clone(),
                    r.count.to_string(),
                    r.documents.to_string(),
                    r.guessed_type.clone(),
                ]);
            }
            let mut s = format!(
                "Names no alias matched\n{t}\n\nGazetteer rows to review and paste (columns id, type, name, aliases):\n"
            );
            for r in &rows {
                s.push_str(&r.tsv);
                s.push('\n');
            }
            s
        }
    };
    print(&out)?;
    Ok(input_report.exit_code())
}

/// `report --unmatched` with discovery on: the provisional entities found, for review.
fn run_discovered(args: ReportArgs, recognizer: &Recognizer) -> anyhow::Result<ExitCode> {
    let mut input_report = InputReport::default();
    let mut found = Discovered::new();
    let listed = recognizer.gazetteer().len();
    tag_all(recognizer, args.input.documents().raw(), |p| match p {
        Processed::Document(doc, tagged, ()) => {
            input_report.document(doc.text.len(), tagged.mentions.len());
            found.add(&doc.id, &doc.text, &tagged, listed);
        }
        Processed::Note(e) => input_report.note(&e),
    });
    let rows = found.top(args.top);
    let out = match args.format {
        ReportFormat::Json => serde_json::to_string_pretty(&rows)? + "\n",
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record([
                "id",
                "name",
                "type",
                "mentions",
                "documents",
                "cue",
                "example_doc",
                "example",
                "tsv",
            ])?;
            for r in &rows {
                w.write_record([
                    csv_text(&r.id),
                    csv_text(&r.name),
                    r.kind.clone(),
                    r.mentions.to_string(),
                    r.documents.to_string(),
                    csv_text(&r.cue),
                    csv_text(&r.example.doc),
                    csv_text(&example_text(r)),
                    csv_text(&r.tsv),
                ])?;
            }
            String::from_utf8(w.into_inner()?)?
        }
        ReportFormat::Markdown => {
            let md = md_escape;
            let mut s = String::from(
                "| # | id | name | type | mentions | docs | cue | example |\n|---:|---|---|---|---:|---:|---|---|\n",
            );
            for (i, r) in rows.iter().enumerate() {
                s.push_str(&format!(
                    "| {} | {} | {} | {} | {} | {} | {} | {}: {} |\n",
                    i + 1,
                    md(&r.id),
                    md(&r.name),
                    md(&r.kind),
                    r.mentions,
                    r.documents,
                    md(&r.cue),
                    md(&r.example.doc),
                    md(&example_text(r)),
                ));
            }
            if !rows.is_empty() {
                // A fence longer than any run of backticks in the rows.
                let longest = rows
                    .iter()
                    .flat_map(|r| r.tsv.split(|c| c != '`'))
                    .map(str::len)
                    .max()
                    .unwrap_or(0);
                let fence = "`".repeat(longest.max(2) + 1);
                s.push_str(&format!(
                    "\nGazetteer rows to review and paste (columns id, type, name, aliases):\n\n{fence}tsv\n"
                ));
                for r in &rows {
                    s.push_str(&r.tsv);
                    s.push('\n');
                }
                s.push_str(&fence);
                s.push('\n');
            }
            s
        }
        ReportFormat::Table => {
            let look = table_look();
            let mut t = comfy_table::Table::new();
            t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
            if !look.color {
                t.force_no_tty();
            }
            t.set_header(vec![
                "#", "id", "name", "type", "mentions", "docs", "cue", "example",
            ]);
            for (i, r) in rows.iter().enumerate() {
                t.add_row(vec![
                    (i + 1).to_string(),
                    terminal(&r.id),
                    terminal(&r.name),
                    r.kind.clone(),
                    r.mentions.to_string(),
                    r.documents.to_string(),
                    terminal(&r.cue),
                    terminal(&format!("{}: {}", r.example.doc, example_text(r))),
                ]);
            }
            let mut s = format!(
                "Provisional entities found by discovery (not in the gazetteer)\n{t}\n\nGazetteer rows to review and paste (columns id, type, name, aliases):\n"
            );
            for r in &rows {
                s.push_str(
                    &r.tsv
                        .split('\t')
                        .map(terminal)
                        .collect::<Vec<_>>()
                        .join("\t"),
                );
                s.push('\n');
            }
            s
        }
    };
    print(&out)?;
    Ok(input_report.exit_code())
}

/// The example mention in its context, the mention in `[…]`.
fn example_text(r: &DiscoveredRow) -> String {
    let k = &r.example;
    format!("{}[{}]{}", k.left, k.hit, k.right)
}

/// `--sort` values explained in `--help`.
fn sort_help(k: SortKey) -> &'static str {
    match k {
        SortKey::Degree => "Weighted degree",
        SortKey::Betweenness => "Betweenness centrality: the brokers between groups",
        _ => "",
    }
}
