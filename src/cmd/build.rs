//! `entgraph build`: corpus → co-occurrence graph → DOT / JSON files (and an image).
//! Also the graph options shared with `report` and `explain`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Args, ValueEnum};

use entgraph::cooccur::CooccurrenceCounts;
use entgraph::date::{Date, DateRange, Period};
use entgraph::export::csv::{CsvStyle, write_edges_csv, write_nodes_csv};
use entgraph::export::dot::{
    self, ColorBy, DEFAULT_TIMEOUT, DotOptions, Layout, RenderError, RenderFormat,
};
use entgraph::export::geojson::write_geojson;
use entgraph::export::gexf::write_gexf;
use entgraph::export::graphml::write_graphml;
use entgraph::export::html::{HtmlDocument, write_html};
use entgraph::export::json::{JsonStyle, write_json};
use entgraph::graph::{EntityGraph, Filters, Weighting};
use entgraph::input::InputEvent;
use entgraph::output::set::FileSet;
use entgraph::pipeline::{self, CountOptions, CountedDocument, GraphOptions, Sink};
use entgraph::recognize::Recognizer;
use entgraph::window::WindowKind;

use super::common::{
    Fatal, InputArgs, InputReport, check_types, choice, choice_with_help, color_by, dates_summary,
    layouts, load_recognizer, render_formats,
};

/// What shapes the counts: windows, evidence, demonyms, dates. Shared by `build`, `report`,
/// `explain` and `count`, and recorded in a part (`entgraph count`), whose options must match
/// when it is built into a graph.
#[derive(Args, Clone)]
pub struct CountingArgs {
    /// Co-occurrence window: sentence, paragraph, document or tokens:N.
    #[arg(long, default_value = "sentence", value_name = "WINDOW")]
    pub window: WindowKind,
    /// Most distinct entities in one window for its pairs to be counted; windows with more
    /// count their entities only, with a warning (their pairs grow with the square).
    #[arg(long, default_value_t = entgraph::window::MAX_WINDOW_ENTITIES, value_name = "N", value_parser = at_least_one)]
    pub max_window_entities: usize,
    /// Evidence windows kept per edge.
    #[arg(long, default_value_t = 3, value_name = "K")]
    pub evidence: usize,
    /// Count demonyms (NORP: "Chinese") as their country instead of dropping them.
    #[arg(long)]
    pub demonyms: bool,
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

/// How documents become a graph: windows, weights, evidence, pruning.
#[derive(Args, Clone)]
pub struct GraphArgs {
    #[command(flatten)]
    pub counting: CountingArgs,
    /// Edge weight: count, documents, pmi, npmi, dice or jaccard.
    #[arg(long, default_value = "count", value_name = "WEIGHT")]
    pub weight: Weighting,
    /// Drop edges seen in fewer windows.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub min_count: u64,
    /// Drop edges with a lower weight (a finite number; negative for PMI/NPMI).
    #[arg(long, value_name = "X", allow_negative_numbers = true, value_parser = finite_number)]
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
    /// Prune to a readable picture: --max-nodes 150 --top-edges 3 --largest-component
    /// (an explicit --max-nodes or --top-edges wins).
    #[arg(long)]
    pub picture: bool,
}

/// A finite number: `inf` would drop every edge and `NaN` compares false with every weight,
/// so both are refused (status 2) rather than silently giving an empty or unfiltered graph.
fn finite_number(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number"))?;
    if x.is_finite() {
        Ok(x)
    } else {
        Err(format!(
            "{s:?} is not a finite number (the weights are finite: give a number such as 0.5)"
        ))
    }
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

impl CountingArgs {
    /// The counting options for these flags.
    pub fn count_options(&self) -> CountOptions {
        CountOptions {
            window: self.window,
            evidence: self.evidence,
            demonyms: self.demonyms,
            period: self.period,
            max_window_entities: self.max_window_entities,
            range: DateRange {
                since: self.since,
                until: self.until,
            },
            keep_documents: false,
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
}

impl GraphArgs {
    /// The counting options for these flags, keeping `evidence` windows per pair.
    pub fn count_options(&self, evidence: usize) -> CountOptions {
        CountOptions {
            evidence,
            ..self.counting.count_options()
        }
    }

    /// `--since` after `--until` is a usage error: no document could be counted.
    pub fn check_dates(&self) -> Result<(), Fatal> {
        self.counting.check_dates()
    }

    /// The library's options for these flags.
    pub fn options(&self) -> GraphOptions {
        GraphOptions {
            count: self.count_options(self.counting.evidence),
            weighting: self.weight,
            filters: self.filters(),
        }
    }
}

/// Tags, counts and builds the graph of the inputs (or, when `from_counts` names parts, of
/// their merged counts), reporting into `report`.
pub fn build_graph(
    input: &InputArgs,
    graph: &GraphArgs,
    from_counts: &[PathBuf],
    report: &mut InputReport,
) -> anyhow::Result<(&'static Recognizer, CooccurrenceCounts, EntityGraph)> {
    graph.check_dates()?;
    let recognizer = load_recognizer(input)?;
    check_types(recognizer, &graph.filters().types)?;
    let options = graph.options();
    if !from_counts.is_empty() {
        let (counts, g) = graph_from_counts(from_counts, recognizer, &options, report)?;
        return Ok((recognizer, counts, g));
    }
    let (counts, g) = pipeline::build_graph(recognizer, input.documents().raw(), &options, report);
    report.finish();
    Ok((recognizer, counts, g))
}

/// The counts of the parts at `paths` (merged and checked against `options` and
/// `recognizer`'s gazetteer and cue lists) and their graph; `report` takes their totals.
fn graph_from_counts(
    paths: &[PathBuf],
    recognizer: &Recognizer,
    options: &GraphOptions,
    report: &mut InputReport,
) -> anyhow::Result<(CooccurrenceCounts, EntityGraph)> {
    let counts = super::part::counts_from_parts(paths, recognizer, &options.count)?;
    report.documents = counts.documents as usize;
    report.bytes = counts.bytes as usize;
    report.mentions = counts.mentions as usize;
    let g = entgraph::graph::build(
        &counts,
        recognizer.gazetteer(),
        options.weighting,
        &options.filters,
    );
    Ok((counts, g))
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
    /// graph.gexf: GEXF 1.3 for Gephi (typed attributes; time when documents are dated).
    Gexf,
    /// graph.graphml: GraphML with typed keys (networkx, igraph, Gephi, Cytoscape, yEd).
    Graphml,
    /// nodes.csv and edges.csv: Gephi's spreadsheet import (Id,Label / Source,Target,Weight).
    Csv,
    /// neo4j-nodes.csv and neo4j-relationships.csv: neo4j-admin import headers.
    Neo4j,
    /// places.geojson: the places with coordinates, as GeoJSON points.
    Geojson,
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
    /// Replace the outputs with an empty graph when no document was counted (by default such
    /// a run, e.g. with a mistyped input path, leaves them as they were and exits with 3).
    #[arg(long)]
    pub allow_empty: bool,
    /// Build from partial counts (`entgraph count`, `entgraph merge`) instead of INPUTs: the
    /// parts are merged, and must have been counted with these options, gazetteers and cue
    /// lists. The outputs are those of a build over their documents (graph.html has no
    /// reading view: parts keep no texts).
    #[arg(long, value_name = "PART", conflicts_with = "inputs")]
    pub from_counts: Vec<PathBuf>,
}

/// The exit status of a build that counted no document and so wrote nothing.
pub const EXIT_NOTHING_COUNTED: u8 = 3;

/// The DOT file's name in the output directory (`--render` draws it).
const DOT_FILE: &str = "graph.dot";
/// The Neo4j import files (`-f neo4j`), beside the others: a set is one flat directory.
const NEO4J_NODES_FILE: &str = "neo4j-nodes.csv";
const NEO4J_RELATIONSHIPS_FILE: &str = "neo4j-relationships.csv";
/// `-f geojson`.
const GEOJSON_FILE: &str = "places.geojson";

/// Text kept for graph.html's reading view at most, whatever --html-max-documents says.
const HTML_MAX_TEXT: usize = 20 << 20;

pub fn run(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut report = InputReport::default();
    let want_html = args.format.contains(&OutputFormat::Html);
    args.graph.check_dates()?;
    let recognizer = load_recognizer(&args.input)?;
    check_types(recognizer, &args.graph.filters().types)?;
    let mut sink = BuildSink {
        report: &mut report,
        html: want_html.then_some((Vec::new(), 0, args.html_max_documents)),
    };
    let (counts, graph, documents) = if args.from_counts.is_empty() {
        let (counts, graph) = pipeline::build_graph(
            recognizer,
            args.input.documents().raw(),
            &args.graph.options(),
            &mut sink,
        );
        let documents = sink.html.map(|(d, _, _)| d).unwrap_or_default();
        (counts, graph, documents)
    } else {
        let (counts, graph) = graph_from_counts(
            &args.from_counts,
            recognizer,
            &args.graph.options(),
            &mut report,
        )?;
        (counts, graph, Vec::new())
    };
    report.finish();
    if report.documents == 0 && !args.allow_empty {
        let _ = report.exit_code();
        eprintln!(
            "entgraph build: no document was counted; {} left as it was (--allow-empty writes \
             an empty graph)",
            args.out.display()
        );
        return Ok(ExitCode::from(EXIT_NOTHING_COUNTED));
    }
    let mut formats = args.format.clone();
    if args.render.is_some() && !formats.contains(&OutputFormat::Dot) {
        formats.push(OutputFormat::Dot);
    }
    formats.dedup();
    // The set of files, written concurrently into a staging directory and published as one
    // unit (output::set): a new format is one more entry here.
    let dot_options = DotOptions {
        color_by: args.color_by,
    };
    let (graph_ref, documents_ref, dot_options) = (&graph, &documents, &dot_options);
    let total_documents = counts.documents as usize;
    let geojson_summary = &std::sync::OnceLock::new();
    let mut set = FileSet::new(&args.out);
    for f in &formats {
        match f {
            OutputFormat::Dot => set.add(DOT_FILE, move |w| {
                w.write_all(dot::to_dot_with(graph_ref, dot_options).as_bytes())
            }),
            OutputFormat::Json => set.add("graph.json", move |w| {
                write_json(graph_ref, args.json_style, w)
            }),
            OutputFormat::Html => set.add("graph.html", move |w| {
                write_html(graph_ref, documents_ref, total_documents, w)
            }),
            OutputFormat::Gexf => set.add("graph.gexf", move |w| write_gexf(graph_ref, w)),
            OutputFormat::Graphml => set.add("graph.graphml", move |w| write_graphml(graph_ref, w)),
            OutputFormat::Csv => {
                set.add("nodes.csv", move |w| {
                    write_nodes_csv(graph_ref, CsvStyle::Gephi, w)
                });
                set.add("edges.csv", move |w| {
                    write_edges_csv(graph_ref, CsvStyle::Gephi, w)
                });
            }
            OutputFormat::Neo4j => {
                set.add(NEO4J_NODES_FILE, move |w| {
                    write_nodes_csv(graph_ref, CsvStyle::Neo4j, w)
                });
                set.add(NEO4J_RELATIONSHIPS_FILE, move |w| {
                    write_edges_csv(graph_ref, CsvStyle::Neo4j, w)
                });
            }
            OutputFormat::Geojson => set.add(GEOJSON_FILE, move |w| {
                let summary = write_geojson(graph_ref, w)?;
                // Set once: the set calls each writer once.
                let _ = geojson_summary.set(summary);
                Ok(())
            }),
        }
    }
    // The too-large warning's figures (a pruned graph built from the counts) are worked out
    // on a thread of their own while the files are written, not after.
    let wants_dot = formats.contains(&OutputFormat::Dot);
    let (counts_ref, graph_args) = (&counts, &args.graph);
    let (staged, too_large) = std::thread::scope(|s| {
        let too_large = s.spawn(move || {
            wants_dot
                .then(|| too_large_warning(graph_ref, counts_ref, recognizer, graph_args))
                .flatten()
        });
        let staged = set.stage();
        let too_large = too_large
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (staged, too_large)
    });
    let mut staged = staged
        .with_context(|| format!("writing into {} (nothing was replaced)", args.out.display()))?;
    let mut code = report.exit_code();
    let mut render_failure = None;
    if let Some(format) = args.render {
        let name = format!("graph.{}", format.extension());
        let timeout = Duration::from_secs(args.timeout);
        let (dot_path, image) = (staged.path(DOT_FILE), staged.path(&name));
        match dot::render_within(&dot_path, &image, format, args.layout, timeout) {
            Ok(()) => staged
                .adopt(&name)
                .with_context(|| format!("writing {}", args.out.join(&name).display()))?,
            Err(e @ RenderError::TimedOut { .. }) => {
                render_failure = Some(format!("{e}\nentgraph: {}", timeout_hint(&graph)));
                code = ExitCode::from(1);
            }
            Err(e @ RenderError::GraphvizMissing { .. }) => {
                render_failure = Some(e.to_string());
                code = ExitCode::from(1);
            }
            Err(e) => return Err(e).context("rendering the graph (nothing was replaced)"),
        }
    }
    let manifest = staged.publish().with_context(|| {
        format!(
            "publishing into {} (nothing was replaced)",
            args.out.display()
        )
    })?;
    for file in &manifest.files {
        match geojson_summary.get().filter(|_| file.name == GEOJSON_FILE) {
            Some(s) => eprintln!(
                "entgraph: wrote {} ({} places with coordinates; {} other entities left out)",
                args.out.join(&file.name).display(),
                s.features,
                s.without_coordinates
            ),
            None => eprintln!("entgraph: wrote {}", args.out.join(&file.name).display()),
        }
        if let Some(line) = too_large.as_ref().filter(|_| file.name == DOT_FILE) {
            eprintln!("{line}");
        }
    }
    if let Some(failure) = render_failure {
        eprintln!("entgraph: {failure}");
        eprintln!("entgraph: the DOT and JSON files were written; only the image is missing");
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

/// The warning for a `graph` too large for a readable picture, with what `--picture` would
/// keep of this corpus (built from the same counts, so the numbers are exact); `None` when it
/// is small enough.
fn too_large_warning(
    graph: &EntityGraph,
    counts: &CooccurrenceCounts,
    recognizer: &Recognizer,
    args: &GraphArgs,
) -> Option<String> {
    let (nodes, edges) = (graph.graph.node_count(), graph.graph.edge_count());
    if !dot::too_large_for_picture(nodes, edges) {
        return None;
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
    Some(line)
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
