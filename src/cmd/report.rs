//! `entgraph report`: the top entities and pairs, or the names the gazetteer missed.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};

use entgraph::input::Documents;
use entgraph::pipeline::{Processed, tag_all};
use entgraph::report::{
    CsvSection, ReportGraph, ReportOptions, SortKey, TableLook, csv_text, report, to_csv,
    to_markdown, to_table,
};
use entgraph::unmatched::Unmatched;

use super::build::{GraphArgs, build_graph};
use super::common::{Fatal, InputArgs, InputReport, load_recognizer, use_color};

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
    /// How many entities and pairs to list.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
    /// Only entities of this type (pairs: at least one end of it).
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// Rank entities by this.
    #[arg(long, value_enum, default_value_t = SortKey::Mentions)]
    pub sort: SortKey,
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Which table `--format csv` writes.
    #[arg(long, value_enum, default_value_t = CsvSection::Entities)]
    pub csv_section: CsvSection,
    /// List the most frequent capitalized word sequences no alias matched, with gazetteer rows.
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
            let (_, _, g) = build_graph(&args.input, &args.graph_args, &mut input_report)?;
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
    match stdout.write_all(s.as_bytes()).and_then(|_| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("writing standard output"),
    }
}

fn run_unmatched(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let tagger = load_recognizer(&args.input)?;
    let mut input_report = InputReport::default();
    let mut unmatched = Unmatched::new();
    tag_all(&tagger, Documents::new(&args.input.inputs), |p| match p {
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
