//! `entgraph explain`: an entity's mentions in context and its partners, or the windows
//! two entities share.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use entgraph::entity::EntityView;
use entgraph::explain::{ExplainOptions, SharedWindow, explain};
use entgraph::gazetteer::EntityId;

use super::build::GraphArgs;
use super::common::{
    Fatal, InputArgs, InputReport, dates_summary, load_recognizer, terminal, use_color,
};

/// ` (DATE; TITLE)` for a document with a date or a title (the title made safe for the
/// terminal), "" otherwise.
fn about(date: Option<entgraph::date::Date>, title: Option<&str>) -> String {
    let parts: Vec<String> = date
        .map(|d| d.to_string())
        .into_iter()
        .chain(title.map(terminal))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

#[derive(Args)]
pub struct ExplainArgs {
    /// The entity: id, canonical name or alias (case-insensitive).
    #[arg(value_name = "ENTITY")]
    pub entity: String,
    /// A second entity: show the windows where both appear.
    #[arg(long, value_name = "ENTITY")]
    pub with: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub graph_args: GraphArgs,
    /// Characters of context on each side of a mention.
    #[arg(long, default_value_t = 60, value_name = "N")]
    pub context: usize,
    /// Most mentions or windows listed.
    #[arg(long, default_value_t = 25, value_name = "N")]
    pub limit: usize,
}

struct Style {
    color: bool,
}

impl Style {
    fn mark(&self, s: &str, second: bool) -> String {
        if self.color {
            let code = if second { "1;35" } else { "1;36" };
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            format!("[{s}]")
        }
    }
}

pub fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    args.graph_args.check_dates()?;
    let recognizer = load_recognizer(&args.input)?;
    let g = recognizer.gazetteer();
    let window = args.graph_args.counting.window;
    let options = ExplainOptions {
        count: args.graph_args.count_options(0),
        limit: args.limit,
        context: args.context,
    };
    let mut report = InputReport::default();
    let explained = explain(
        recognizer,
        args.input.documents().raw(),
        &args.entity,
        args.with.as_deref(),
        &options,
        &mut report,
    )
    .map_err(|e| Fatal(format!("entgraph: {e}")))?;
    let counts = &explained.counts;
    let (a, b) = (explained.entity, explained.with);
    let (a_mentions, contexts) = (explained.mentions, &explained.contexts);
    let (shared_windows, shared) = (explained.shared_windows, &explained.shared);
    let view = EntityView::new(g, &counts.provisional);
    let style = Style { color: use_color() };
    // Everything printed from documents or gazetteers goes through `terminal`: a document's
    // text, id or title, or an entity's name, could hold escape sequences.
    let name = |e: EntityId| {
        let x = view.get(e);
        terminal(&format!("{} ({}, {})", x.name(), x.kind(), x.id()))
    };
    let stats = counts.entities.get(&a).cloned().unwrap_or_default();
    let mut out = String::new();
    out.push_str(&format!(
        "{}: {} mentions in {} documents\n",
        name(a),
        stats.mentions,
        stats.documents
    ));
    match b {
        None => {
            out.push_str(&format!(
                "\nMentions ({} of {a_mentions}):\n",
                contexts.len()
            ));
            for k in contexts {
                out.push_str(&format!(
                    "  {}:{}{}  {}{}{}\n",
                    terminal(&k.doc),
                    k.start,
                    about(k.date, k.title.as_deref()),
                    terminal(&k.left),
                    style.mark(&terminal(&k.hit), false),
                    terminal(&k.right)
                ));
            }
            let partners = explained.partners(view);
            out.push_str(&format!(
                "\nPartners ({window} windows shared, documents):\n"
            ));
            for (e, c, d) in partners.iter().take(args.limit) {
                out.push_str(&format!("  {:<40} {c:>5} {d:>5}\n", name(*e)));
            }
            if partners.is_empty() {
                out.push_str("  (none)\n");
            }
        }
        Some(b) => {
            let docs = explained.shared_documents();
            out.push_str(&format!(
                "{} and {} share {shared_windows} {window} windows in {docs} documents",
                terminal(view.get(a).name()),
                terminal(view.get(b).name())
            ));
            out.push_str(&format!(" ({} shown):\n", shared.len()));
            for SharedWindow {
                doc,
                start,
                end,
                pieces,
                date,
                title,
            } in shared
            {
                let about = about(*date, title.as_deref());
                let doc = terminal(doc);
                out.push_str(&format!("\n  {doc}:{start}-{end}{about}\n    "));
                for p in pieces {
                    let text = terminal(&p.text);
                    match &p.entity {
                        Some(id) => out.push_str(&style.mark(&text, view.lookup(id) == Some(b))),
                        None => out.push_str(&text),
                    }
                }
                out.push('\n');
            }
        }
    }
    let dates = dates_summary(counts, &report);
    if !dates.is_empty() {
        eprintln!("entgraph explain: {}", &dates[2..]);
    }
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .context("writing standard output")?;
    Ok(report.exit_code())
}
