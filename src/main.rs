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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Tag(args) => cmd::tag::run(args),
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
