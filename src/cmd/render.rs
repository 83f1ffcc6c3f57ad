//! `entgraph render`: a DOT file to an image with Graphviz.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use entgraph::export::dot::{self, DEFAULT_TIMEOUT, Layout, RenderError, RenderFormat};

use super::build::{PICTURE_MAX_NODES, PICTURE_TOP_EDGES};
use entgraph::output::{check_replaceable, temp};

use super::common::{layouts, output_error, render_formats};

#[derive(Args)]
pub struct RenderArgs {
    /// The DOT file (e.g. output/graph.dot).
    #[arg(value_name = "FILE.dot")]
    pub file: PathBuf,
    /// Output image (default: FILE with the format's extension; `-` for standard output).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Image format (default: from OUT's extension, else svg).
    #[arg(short = 'T', long, value_parser = render_formats())]
    pub format: Option<RenderFormat>,
    /// Graphviz layout engine.
    #[arg(long, value_name = "LAYOUT", default_value = "sfdp", value_parser = layouts())]
    pub layout: Layout,
    /// Stop Graphviz after SECS seconds (no image is written then).
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
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
    let to_stdout = out == Path::new("-");
    // Standard output gets the image only once Graphviz has succeeded: it is rendered into a
    // private temporary directory first (registered, so a signal removes it too).
    let scratch = if to_stdout {
        let (dir, registration) = temp::create_registered(
            || {
                tempfile::Builder::new()
                    .prefix(&temp::own_prefix())
                    .tempdir()
            },
            |d| d.path(),
        )
        .context("creating a temporary directory for the image")?;
        Some((dir, registration))
    } else {
        check_replaceable(&out)
            .map_err(output_error)
            .with_context(|| format!("writing {}", out.display()))?;
        None
    };
    let out = match &scratch {
        Some((dir, _)) => dir.path().join(format!("image.{}", format.extension())),
        None => out,
    };
    let size = std::fs::read_to_string(&args.file)
        .ok()
        .and_then(|text| dot::dot_size(&text));
    if let Some((nodes, edges)) = size.filter(|&(n, e)| dot::too_large_for_picture(n, e)) {
        eprintln!(
            "entgraph: warning: {} has {nodes} nodes and {edges} edges, too many for a readable \
             picture (more than {} nodes or {} edges); rebuild it with `entgraph build --picture` \
             (the {PICTURE_MAX_NODES} most mentioned entities, each one's {PICTURE_TOP_EDGES} \
             strongest edges, the largest component) or --max-nodes N --top-edges K",
            args.file.display(),
            dot::READABLE_MAX_NODES,
            dot::READABLE_MAX_EDGES
        );
    }
    let timeout = Duration::from_secs(args.timeout);
    match dot::render_within(&args.file, &out, format, args.layout, timeout) {
        Ok(()) if to_stdout => {
            let image = std::fs::read(&out).context("reading the rendered image")?;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&image)
                .and_then(|()| stdout.flush())
                .context("writing standard output")?;
            Ok(ExitCode::SUCCESS)
        }
        Ok(()) => {
            eprintln!("entgraph: wrote {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ RenderError::TimedOut { .. }) => {
            eprintln!("entgraph: {e}");
            let size = size
                .map(|(n, e)| format!("{} has {n} nodes and {e} edges: ", args.file.display()))
                .unwrap_or_default();
            eprintln!(
                "entgraph: {size}rebuild it smaller with `entgraph build --picture` (or \
                 --max-nodes N --top-edges K --largest-component), or allow more time with \
                 --timeout SECS"
            );
            Ok(ExitCode::from(1))
        }
        Err(e @ RenderError::GraphvizMissing { .. }) => {
            eprintln!("entgraph: {e}");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.into()),
    }
}
