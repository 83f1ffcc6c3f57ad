//! The `entgraph` command line: a thin layer over the library, one module per command.
//!
//! Exit status: 0 success; 1 some input was skipped (or a renderer is missing) but
//! everything else was processed and written; 2 usage or gazetteer error, nothing written.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

use cmd::common::Fatal;

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
    Tag(cmd::tag::TagArgs),
    /// Build the co-occurrence graph and write it as DOT and JSON (and an image).
    Build(Box<cmd::build::BuildArgs>),
    /// Count documents into a part (partial counts) to merge or build a graph from later.
    Count(Box<cmd::part::CountArgs>),
    /// Merge parts (from `count` or `merge`, in any order) into one.
    Merge(cmd::part::MergeArgs),
    /// Render a DOT file to SVG, PNG or PDF with Graphviz.
    Render(cmd::render::RenderArgs),
    /// Top entities and pairs as a table, Markdown, CSV or JSON; or names no alias matched.
    Report(Box<cmd::report::ReportArgs>),
    /// An entity's mentions in context and its partners, or the windows two entities share.
    Explain(Box<cmd::explain::ExplainArgs>),
    /// Score tagging against gold annotations (JSONL or CoNLL): P/R/F1 per type.
    Eval(Box<cmd::eval::EvalArgs>),
    /// Check, describe or import gazetteers.
    Gazetteer(cmd::gazetteer::GazetteerArgs),
}

/// On SIGINT or SIGTERM: removes the temporary files and staging directories of outputs being
/// written (waiting for a set being published to finish, so the directory holds the old set or
/// the new one), then ends the process by the signal's default action, so the caller sees
/// "killed by SIGINT" as before. Runs on a thread of its own (signal-hook's iterator), where
/// taking a lock and removing files are allowed.
#[cfg(unix)]
fn clean_up_on_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        // Without handlers the signals keep their default action: temporaries are left for
        // the next run's sweep.
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _held = entgraph::output::temp::remove_all_and_hold();
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    });
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    #[cfg(unix)]
    clean_up_on_signals();
    let result = match cli.command {
        Command::Tag(args) => cmd::tag::run(args),
        Command::Build(args) => cmd::build::run(*args),
        Command::Count(args) => cmd::part::count(*args),
        Command::Merge(args) => cmd::part::merge(args),
        Command::Render(args) => cmd::render::run(args),
        Command::Report(args) => cmd::report::run(*args),
        Command::Explain(args) => cmd::explain::run(*args),
        Command::Gazetteer(args) => cmd::gazetteer::run(args),
        Command::Eval(args) => cmd::eval::run(*args),
    };
    match result {
        Ok(code) => code,
        // The reader left early (`entgraph tag … | head`): not an error, nothing to say.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
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

/// True when writing to a closed pipe caused `e`: some error in its chain is an `io::Error` of
/// kind `BrokenPipe` (the commands return it with context, as for any other write error).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
