//! `entgraph build`: corpus → co-occurrence graph → DOT / JSON files (and an image).
//! Also the graph options shared with `report` and `explain`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, ValueEnum};

use entgraph::cooccur::CooccurrenceCounts;
use entgraph::export::dot::{self, Layout, RenderError, RenderFormat};
use entgraph::export::html::{HtmlDocument, write_html};
use entgraph::export::json::{JsonStyle, write_json};
use entgraph::graph::{EntityGraph, Filters, Weighting};
use entgraph::input::{Documents, InputEvent};
use entgraph::output::write_atomic;
use entgraph::pipeline::{self, CountOptions, CountedDocument, GraphOptions, Sink};
use entgraph::recognize::Recognizer;
use entgraph::window::WindowKind;

use super::common::{
    InputArgs, InputReport, choice_with_help, layouts, load_recognizer, render_formats,
};

/// How documents become a graph: windows, weights, evidence, pruning.
#[derive(Args, Clone)]
pub struct GraphArgs {
    /// Co-occurrence window: sentence, paragraph, document or tokens:N.
    #[arg(long, default_value = "sentence", value_name = "WINDOW")]
    pub window: WindowKind,
    /// Edge weight: count, documents, pmi, npmi, dice or jaccard.
    #[arg(long, default_value = "count", value_name = "WEIGHT")]
    pub weight: Weighting,
    /// Evidence windows kept per edge.
    #[arg(long, default_value_t = 3, value_name = "K")]
    pub evidence: usize,
    /// Drop edges seen in fewer windows.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub min_count: u64,
    /// Drop edges with a lower weight.
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    pub min_weight: Option<f64>,
    /// Drop entities with fewer mentions.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub min_mentions: u64,
    /// Keep only entities of these types (comma-separated, e.g. PERSON,ORG).
    #[arg(long, value_delimiter = ',', value_name = "TYPES")]
    pub types: Vec<String>,
    /// Keep each entity's K strongest edges.
    #[arg(long, value_name = "K")]
    pub top_edges: Option<usize>,
    /// Keep the N most mentioned entities.
    #[arg(long, value_name = "N")]
    pub max_nodes: Option<usize>,
    /// Keep only the largest connected component.
    #[arg(long)]
    pub largest_component: bool,
    /// Count demonyms (NORP: "Chinese") as their country instead of dropping them.
    #[arg(long)]
    pub demonyms: bool,
}

impl GraphArgs {
    pub fn filters(&self) -> Filters {
        Filters {
            min_count: self.min_count,
            min_weight: self.min_weight,
            min_mentions: self.min_mentions,
            types: self.types.iter().map(|t| t.trim().to_uppercase()).collect(),
            top_edges: self.top_edges,
            max_nodes: self.max_nodes,
            largest_component: self.largest_component,
        }
    }
}

impl GraphArgs {
    /// The library's options for these flags.
    pub fn options(&self) -> GraphOptions {
        GraphOptions {
            count: CountOptions {
                window: self.window,
                evidence: self.evidence,
                demonyms: self.demonyms,
            },
            weighting: self.weight,
            filters: self.filters(),
        }
    }
}

/// Tags, counts and builds the graph of the inputs, reporting into `report`.
pub fn build_graph(
    input: &InputArgs,
    graph: &GraphArgs,
    report: &mut InputReport,
) -> anyhow::Result<(Recognizer, CooccurrenceCounts, EntityGraph)> {
    let recognizer = load_recognizer(input)?;
    let (counts, g) = pipeline::build_graph(
        &recognizer,
        Documents::new(&input.inputs),
        &graph.options(),
        report,
    );
    report.finish();
    Ok((recognizer, counts, g))
}

/// What `build` keeps per document: the input report, and the documents of graph.html's
/// reading view.
struct BuildSink<'a> {
    report: &'a mut InputReport,
    html: Option<(Vec<HtmlDocument>, usize, usize)>,
}

impl Sink for BuildSink<'_> {
    fn note(&mut self, event: &InputEvent) {
        self.report.note(event);
    }

    fn counted(&mut self, d: &CountedDocument) {
        self.report.counted(d);
        if let Some((documents, kept_bytes, max)) = &mut self.html {
            let text = &d.document.text;
            if documents.len() < *max && *kept_bytes + text.len() <= HTML_MAX_TEXT {
                *kept_bytes += text.len();
                documents.push(HtmlDocument::from_mentions(
                    &d.document.id,
                    text,
                    d.mentions,
                    d.entities,
                ));
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// graph.dot for Graphviz.
    Dot,
    /// graph.json (node-link; see --json-style).
    Json,
    /// graph.html: an interactive view that opens offline in a browser.
    Html,
}

#[derive(Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Output directory (created if missing).
    #[arg(short, long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Files to write (comma-separated).
    #[arg(
        short,
        long,
        value_delimiter = ',',
        default_value = "dot,json",
        value_name = "FORMATS"
    )]
    pub format: Vec<OutputFormat>,
    /// Shape of graph.json: node-link (networkx/D3 `links`), edges (networkx ≥ 3.6) or cytoscape.
    #[arg(long, value_name = "JSON_STYLE", default_value = "node-link", value_parser = choice_with_help(&JsonStyle::ALL, JsonStyle::as_str, json_style_help))]
    pub json_style: JsonStyle,
    /// Also render the DOT file to an image with Graphviz.
    #[arg(long, value_name = "FORMAT", value_parser = render_formats())]
    pub render: Option<RenderFormat>,
    /// Graphviz layout engine for --render.
    #[arg(long, value_name = "LAYOUT", default_value = "sfdp", value_parser = layouts())]
    pub layout: Layout,
    /// Most documents kept for the reading view of graph.html (their text is embedded).
    #[arg(long, default_value_t = 500, value_name = "N")]
    pub html_max_documents: usize,
}

/// Text kept for graph.html's reading view at most, whatever --html-max-documents says.
const HTML_MAX_TEXT: usize = 20 << 20;

pub fn run(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut report = InputReport::default();
    let want_html = args.format.contains(&OutputFormat::Html);
    let recognizer = load_recognizer(&args.input)?;
    let mut sink = BuildSink {
        report: &mut report,
        html: want_html.then_some((Vec::new(), 0, args.html_max_documents)),
    };
    let (counts, graph) = pipeline::build_graph(
        &recognizer,
        Documents::new(&args.input.inputs),
        &args.graph.options(),
        &mut sink,
    );
    let documents = sink.html.map(|(d, _, _)| d).unwrap_or_default();
    report.finish();
    let mut formats = args.format.clone();
    if args.render.is_some() && !formats.contains(&OutputFormat::Dot) {
        formats.push(OutputFormat::Dot);
    }
    formats.dedup();
    let dot_path = args.out.join("graph.dot");
    for f in &formats {
        match f {
            OutputFormat::Dot => {
                let text = dot::to_dot(&graph);
                write_file(&dot_path, text.as_bytes())?;
            }
            OutputFormat::Json => {
                let path = args.out.join("graph.json");
                write_atomic(&path, |w| write_json(&graph, args.json_style, w))
                    .with_context(|| format!("writing {}", path.display()))?;
                eprintln!("entgraph: wrote {}", path.display());
            }
            OutputFormat::Html => {
                let path = args.out.join("graph.html");
                write_atomic(&path, |w| {
                    write_html(&graph, &documents, counts.documents.len(), w)
                })
                .with_context(|| format!("writing {}", path.display()))?;
                eprintln!("entgraph: wrote {}", path.display());
            }
        }
    }
    let mut code = report.exit_code();
    if let Some(format) = args.render {
        let image = dot_path.with_extension(format.extension());
        match dot::render(&dot_path, &image, format, args.layout) {
            Ok(()) => eprintln!("entgraph: wrote {}", image.display()),
            Err(e @ RenderError::GraphvizMissing { .. }) => {
                eprintln!("entgraph: {e}");
                eprintln!(
                    "entgraph: the DOT and JSON files were written; only the image is missing"
                );
                code = ExitCode::from(1);
            }
            Err(e) => return Err(e).context("rendering the graph"),
        }
    }
    let extra = format!(
        ", {} entities, {} edges",
        graph.graph.node_count(),
        graph.graph.edge_count()
    );
    eprintln!("entgraph build: {}", report.summary(started, &extra));
    Ok(code)
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_atomic(path, |w| w.write_all(bytes))
        .with_context(|| format!("writing {}", path.display()))?;
    eprintln!("entgraph: wrote {}", path.display());
    Ok(())
}

/// `--json-style` values explained in `--help`.
fn json_style_help(s: JsonStyle) -> &'static str {
    match s {
        JsonStyle::NodeLink => {
            "D3 / networkx node-link: `{\"directed\", \"multigraph\", \"graph\", \"nodes\", \"links\"}`"
        }
        JsonStyle::Edges => "Node-link with `edges` instead of `links` (networkx ≥ 3.6 default)",
        JsonStyle::Cytoscape => {
            "Cytoscape.js: `{\"elements\": {\"nodes\": [{\"data\"}], \"edges\": [{\"data\"}]}, \"data\"}`"
        }
    }
}
