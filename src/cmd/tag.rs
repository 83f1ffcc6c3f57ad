//! `entgraph tag`: find gazetteer entities in text and print the mentions.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, ValueEnum};

use entgraph::entity::EntityView;
use entgraph::output::Destination;
use entgraph::pipeline::{Processed, tag_all};
use entgraph::tagformat::{self, TagFormat};

use super::common::{InputArgs, InputReport, load_recognizer, output_error};

#[derive(Args)]
pub struct TagArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = TagFormatArg::Jsonl)]
    format: TagFormatArg,
    /// Write to FILE (atomically; a regular file only) instead of standard output (`-`).
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

pub fn run(args: TagArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let recognizer = load_recognizer(&args.input)?;
    let format = match args.format {
        TagFormatArg::Jsonl => TagFormat::Jsonl,
        TagFormatArg::Text => TagFormat::Text,
        TagFormatArg::Conll => TagFormat::Conll,
    };
    let mut report = InputReport::default();
    let mut run = |w: &mut dyn Write| -> io::Result<()> {
        let mut result = Ok(());
        tag_all(recognizer, args.input.documents().raw(), |p| match p {
            Processed::Note(e) => report.note(&e),
            Processed::Document(doc, tagged, ()) => {
                report.document(doc.text.len(), tagged.mentions.len());
                if result.is_ok() {
                    let view = EntityView::new(recognizer.gazetteer(), &tagged.provisional);
                    result = tagformat::write(w, format, view, &doc, &tagged);
                }
            }
        });
        result
    };
    let destination = args
        .output
        .as_deref()
        .map_or(Destination::Stdout, Destination::from_arg);
    destination
        .write(&mut run)
        .map_err(output_error)
        .with_context(|| format!("writing {}", destination.describe()))?;
    eprintln!("entgraph tag: {}", report.summary(started, ""));
    Ok(report.exit_code())
}
