//! `entgraph build`: corpus → co-occurrence graph → DOT / JSON files (and an image).
//! Also the graph options shared with `report` and `explain`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Args, ValueEnum};

use entgraph::cooccur::CooccurrenceCounts;
use entgraph::date::{Date, DateRange, Period};
use entgraph::export::dot::{
    self, ColorBy, DEFAULT_TIMEOUT, DotOptions, Layout, RenderError, RenderFormat,
};
use entgraph::export::html::{HtmlDocument, write_html};
use entgraph::export::json::{JsonStyle, write_json};
use entgraph::graph::{EntityGraph, Filters, Weighting};
use entgraph::input::InputEvent;
use entgraph::output::write_atomic;
use entgraph::pipeline::{self, CountOptions, CountedDocument, GraphOptions, Sink};
use entgraph::recognize::Recognizer;
use entgraph::window::WindowKind;

use super::common::{
    Fatal, InputArgs, InputReport, check_types, choice, choice_with_help, color_by, dates_summary,
    layouts, load_recognizer, render_formats,
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
    /// Most distinct entities in one window for its pairs to be counted; windows with more
    /// count their entities only, with a warning (their pairs grow with the square).
    #[arg(long, default_value_t = entgraph::window::MAX_WINDOW_ENTITIES, value_name = "N", value_parser = at_least_one)]
    pub max_window_entities: usize,
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
    /// Drop discovered (new:) entities with fewer mentions in the whole corpus (1 keeps all).
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub min_provisional: u64,
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
    /// Prune to a readable picture: --max-nodes 150 --top-edges 3 --largest-component
    /// (an explicit --max-nodes or --top-edges wins).
    #[arg(long)]
    pub picture: bool,
    /// Count only documents dated DATE or later (ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD or a
    /// date-time; a partial date stands for its first day); undated documents are then
    /// excluded too.
    #[arg(long, value_name = "DATE")]
    pub since: Option<Date>,
    /// Count only documents dated DATE or earlier (inclusive: a partial date stands for its
    /// last day, so 2025-10 takes in all of October); undated documents are then excluded too.
    #[arg(long, value_name = "DATE", value_parser = Date::parse_last_day)]
    pub until: Option<Date>,
    /// Per-period counts of nodes and edges (in graph.json) by day, week (ISO), month or year.
    #[arg(long, value_name = "PERIOD", default_value = "month", value_parser = choice(&Period::ALL, Period::as_str))]
    pub period: Period,
}

/// `--picture`: the most mentioned entities kept.
pub const PICTURE_MAX_NODES: usize = 150;
/// `--picture`: each entity's strongest edges kept.
pub const PICTURE_TOP_EDGES: usize = 3;

impl GraphArgs {
    pub fn filters(&self) -> Filters {
        Filters {
            min_count: self.min_count,
            min_weight: self.min_weight,
            min_mentions: self.min_mentions,
            min_provisional: Some(self.min_provisional),
            types: self.types.iter().map(|t| t.trim().to_uppercase()).collect(),
            top_edges: self.top_edges.or(self.picture.then_some(PICTURE_TOP_EDGES)),
            max_nodes: self.max_nodes.or(self.picture.then_some(PICTURE_MAX_NODES)),
            largest_component: self.largest_component || self.picture,
        }
    }

    /// The filters of `--picture` on top of these flags.
    pub fn picture_filters(&self) -> Filters {
        GraphArgs {
            picture: true,
            ..self.clone()
        }
        .filters()
    }
}

impl GraphArgs {
    /// The counting options for these flags, keeping `evidence` windows per pair.
    pub fn count_options(&self, evidence: usize) -> CountOptions {
        CountOptions {
            window: self.window,
            evidence,
            demonyms: self.demonyms,
            period: self.period,
            max_window_entities: self.max_window_entities,
            range: DateRange {
                since: self.since,
                until: self.until,
            },
        }
    }

    /// `--since` after `--until` is a usage error: no document could be counted.
    pub fn check_dates(&self) -> Result<(), Fatal> {
        match (self.since, self.until) {
            (Some(s), Some(u)) if s > u => Err(Fatal(format!(
                "entgraph: --since {s} is after --until {u}: no document could be counted, \
                 nothing written"
            ))),
            _ => Ok(()),
        }
    }

    /// The library's options for these flags.
    pub fn options(&self) -> GraphOptions {
        GraphOptions {
            count: self.count_options(self.evidence),
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
    graph.check_dates()?;
    let recognizer = load_recognizer(input)?;
    check_types(&recognizer, &graph.filters().types)?;
    let (counts, g) =
        pipeline::build_graph(&recognizer, input.documents(), &graph.options(), report);
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
    /// Stop Graphviz (--render) after SECS seconds.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// What colours the nodes of graph.dot.
    #[arg(long, value_name = "BY", default_value = "type", value_parser = color_by())]
    pub color_by: ColorBy,
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
    args.graph.check_dates()?;
    let recognizer = load_recognizer(&args.input)?;
    check_types(&recognizer, &args.graph.filters().types)?;
    let mut sink = BuildSink {
        report: &mut report,
        html: want_html.then_some((Vec::new(), 0, args.html_max_documents)),
    };
    let (counts, graph) = pipeline::build_graph(
        &recognizer,
        args.input.documents(),
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
                let options = DotOptions {
                    color_by: args.color_by,
                };
                let text = dot::to_dot_with(&graph, &options);
                write_file(&dot_path, text.as_bytes())?;
                warn_if_too_large(&graph, &counts, &recognizer, &args.graph);
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
        let timeout = Duration::from_secs(args.timeout);
        match dot::render_within(&dot_path, &image, format, args.layout, timeout) {
            Ok(()) => eprintln!("entgraph: wrote {}", image.display()),
            Err(e @ RenderError::TimedOut { .. }) => {
                eprintln!("entgraph: {e}");
                eprintln!("entgraph: {}", timeout_hint(&graph));
                eprintln!(
                    "entgraph: the DOT and JSON files were written; only the image is missing"
                );
                code = ExitCode::from(1);
            }
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
        ", {} entities, {} edges{}",
        graph.graph.node_count(),
        graph.graph.edge_count(),
        dates_summary(&counts, &report)
    );
    eprintln!("entgraph build: {}", report.summary(started, &extra));
    // The process ends next: freeing the counts and the graph, hundreds of thousands of small
    // allocations on a real corpus (about 0.1 s on BBC + Reuters with discovery), would only
    // delay the exit. Everything is written and flushed by now.
    std::mem::forget((counts, graph, recognizer, documents));
    Ok(code)
}

/// Warns when `graph` is too large for a readable picture, with what `--picture` would keep
/// of this corpus (built from the same counts, so the numbers are exact).
fn warn_if_too_large(
    graph: &EntityGraph,
    counts: &CooccurrenceCounts,
    recognizer: &Recognizer,
    args: &GraphArgs,
) {
    let (nodes, edges) = (graph.graph.node_count(), graph.graph.edge_count());
    if !dot::too_large_for_picture(nodes, edges) {
        return;
    }
    let mut line = format!(
        "entgraph: warning: graph.dot has {nodes} nodes and {edges} edges, too many for a \
         readable picture (more than {} nodes or {} edges)",
        dot::READABLE_MAX_NODES,
        dot::READABLE_MAX_EDGES
    );
    if !args.picture {
        let filters = args.picture_filters();
        let pruned = entgraph::graph::build(counts, recognizer.gazetteer(), args.weight, &filters);
        line.push_str(&format!(
            "; --picture keeps the {} most mentioned entities, each one's {} strongest edges and \
             the largest component: {} nodes and {} edges here",
            filters.max_nodes.unwrap_or(PICTURE_MAX_NODES),
            filters.top_edges.unwrap_or(PICTURE_TOP_EDGES),
            pruned.graph.node_count(),
            pruned.graph.edge_count()
        ));
    } else {
        line.push_str("; lower --max-nodes or --top-edges");
    }
    eprintln!("{line}");
}

/// What to do when Graphviz timed out on `graph`.
fn timeout_hint(graph: &EntityGraph) -> String {
    format!(
        "the graph has {} nodes and {} edges: prune it with --picture, or with --max-nodes N \
         --top-edges K --largest-component, or allow more time with --timeout SECS",
        graph.graph.node_count(),
        graph.graph.edge_count()
    )
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

/// `--max-window-entities`: a whole number of at least 1.
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("{s:?}: expected a whole number of at least 1")),
    }
}
