//! `entgraph render`: a DOT file to an image with Graphviz.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use entgraph::export::dot::{self, Layout, RenderError, RenderFormat};

use super::common::{layouts, render_formats};

#[derive(Args)]
pub struct RenderArgs {
    /// The DOT file (e.g. output/graph.dot).
    #[arg(value_name = "FILE.dot")]
    pub file: PathBuf,
    /// Output image (default: FILE with the format's extension).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Image format (default: from OUT's extension, else svg).
    #[arg(short = 'T', long, value_parser = render_formats())]
    pub format: Option<RenderFormat>,
    /// Graphviz layout engine.
    #[arg(long, value_name = "LAYOUT", default_value = "sfdp", value_parser = layouts())]
    pub layout: Layout,
}

pub fn run(args: RenderArgs) -> anyhow::Result<ExitCode> {
    let from_ext = args
        .output
        .as_ref()
        .and_then(|o| o.extension())
        .and_then(|e| RenderFormat::from_extension(&e.to_string_lossy()));
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
