//! `entgraph render`: a DOT file to an image with Graphviz.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use entgraph::export::dot::{self, Layout, RenderError, RenderFormat};

#[derive(Args)]
pub struct RenderArgs {
    /// The DOT file (e.g. output/graph.dot).
    #[arg(value_name = "FILE.dot")]
    pub file: PathBuf,
    /// Output image (default: FILE with the format's extension).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Image format (default: from OUT's extension, else svg).
    #[arg(short = 'T', long, value_enum)]
    pub format: Option<RenderFormat>,
    /// Graphviz layout engine.
    #[arg(long, value_enum, default_value_t = Layout::Sfdp)]
    pub layout: Layout,
}

pub fn run(args: RenderArgs) -> anyhow::Result<ExitCode> {
    let from_ext = args
        .output
        .as_ref()
        .and_then(|o| o.extension())
        .and_then(|e| <RenderFormat as clap::ValueEnum>::from_str(&e.to_string_lossy(), true).ok());
    let format = args.format.or(from_ext).unwrap_or(RenderFormat::Svg);
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| args.file.with_extension(format.extension()));
    match dot::render(&args.file, &out, format, args.layout) {
        Ok(()) => {
            eprintln!("entgraph: wrote {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ RenderError::GraphvizMissing { .. }) => {
            eprintln!("entgraph: {e}");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.into()),
    }
}
