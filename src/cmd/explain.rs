//! `entgraph explain`: an entity's mentions in context and its partners, or the windows
//! two entities share.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use entgraph::cooccur::EntityMap;
use entgraph::discover::{PROVISIONAL_PREFIX, provisional_id};
use entgraph::entity::EntityView;
use entgraph::explain::{Kwic, Piece, find_entity, highlight, kwic};
use entgraph::gazetteer::{EntityId, Gazetteer};
use entgraph::input::Documents;
use entgraph::pipeline::count_corpus_with;

use super::build::GraphArgs;
use super::common::{Fatal, InputArgs, InputReport, load_recognizer, use_color};

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

/// The entity asked about: a gazetteer entity, or a provisional one known by its id once
/// discovery has seen it.
enum Target {
    Listed(EntityId),
    /// The provisional id, and the error to give if the corpus never names it.
    Provisional(String, String),
}

impl Target {
    fn find(g: &Gazetteer, query: &str, discovering: bool) -> Result<Target, Fatal> {
        match find_entity(g, query) {
            Ok(e) => Ok(Target::Listed(e)),
            Err(e) if discovering => {
                let id = if query.starts_with(PROVISIONAL_PREFIX) {
                    query.to_string()
                } else {
                    provisional_id(query)
                };
                Ok(Target::Provisional(
                    id.clone(),
                    format!("entgraph: {e}, and discovery found no {id} in the input"),
                ))
            }
            Err(e) => Err(Fatal(format!("entgraph: {e}"))),
        }
    }

    fn listed(&self) -> Option<EntityId> {
        match self {
            Target::Listed(e) => Some(*e),
            Target::Provisional(..) => None,
        }
    }

    fn resolve(&self, slot: &mut Option<EntityId>, view: EntityView) {
        if slot.is_none()
            && let Target::Provisional(id, _) = self
        {
            *slot = view.lookup(id);
        }
    }

    fn unseen(&self) -> Fatal {
        match self {
            Target::Provisional(_, msg) => Fatal(msg.clone()),
            Target::Listed(_) => Fatal("entgraph: internal error: unresolved entity".into()),
        }
    }
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
    let tagger = load_recognizer(&args.input)?;
    let g = tagger.gazetteer();
    let discovering = tagger.discoverer().is_some();
    let find = |q: &str| Target::find(g, q, discovering);
    let ta = find(&args.entity)?;
    let tb = args.with.as_deref().map(find).transpose()?;
    // Provisional entities get their corpus ids while counting.
    let (mut a, mut b) = (ta.listed(), tb.as_ref().and_then(Target::listed));
    let window = args.graph_args.window;
    let entities = EntityMap::new(g, args.graph_args.demonyms);
    let mut report = InputReport::default();
    let mut contexts: Vec<Kwic> = Vec::new();
    let mut shared: Vec<(String, usize, usize, Vec<Piece>)> = Vec::new();
    let (mut a_mentions, mut shared_windows) = (0u64, 0u64);
    // Both callbacks update the report; they are never called at the same time.
    let report_cell = std::cell::RefCell::new(&mut report);
    let counts = count_corpus_with(
        &tagger,
        Documents::new(&args.input.inputs),
        window,
        0,
        &entities,
        |e| report_cell.borrow_mut().note(e),
        |doc, mentions, w, view| {
            report_cell
                .borrow_mut()
                .document(doc.text.len(), mentions.len());
            ta.resolve(&mut a, view);
            if let Some(tb) = &tb {
                tb.resolve(&mut b, view);
            }
            let Some(a) = a else { return };
            for m in mentions.iter().filter(|m| m.entity == a) {
                a_mentions += 1;
                if contexts.len() < args.limit {
                    contexts.push(kwic(&doc.id, &doc.text, m.start..m.end, args.context));
                }
            }
            let Some(b) = b else { return };
            let both = |x: &&entgraph::window::Window| {
                x.entities.binary_search(&a).is_ok() && x.entities.binary_search(&b).is_ok()
            };
            for win in w.windows.iter().filter(both) {
                shared_windows += 1;
                if shared.len() < args.limit {
                    let pieces = highlight(view, &doc.text, win.start, win.end, mentions, &[a, b]);
                    shared.push((doc.id.clone(), win.start, win.end, pieces));
                }
            }
        },
    );
    let Some(a) = a else {
        return Err(ta.unseen().into());
    };
    let b = match (&tb, b) {
        (Some(tb), None) => return Err(tb.unseen().into()),
        (_, b) => b,
    };
    let view = EntityView::new(g, &counts.provisional);
    let style = Style { color: use_color() };
    let name = |e: EntityId| {
        let x = view.get(e);
        format!("{} ({}, {})", x.name(), x.kind(), x.id())
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
            for k in &contexts {
                out.push_str(&format!(
                    "  {}:{}  {}{}{}\n",
                    k.doc,
                    k.start,
                    k.left,
                    style.mark(&k.hit, false),
                    k.right
                ));
            }
            let mut partners: Vec<(EntityId, u64, u64)> = counts
                .pairs
                .iter()
                .filter_map(|(&(x, y), p)| {
                    let other = if x == a {
                        y
                    } else if y == a {
                        x
                    } else {
                        return None;
                    };
                    Some((other, p.count, p.documents))
                })
                .collect();
            partners.sort_by(|x, y| {
                y.1.cmp(&x.1)
                    .then(y.2.cmp(&x.2))
                    .then(view.get(x.0).id().cmp(view.get(y.0).id()))
            });
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
            let docs = counts
                .pairs
                .get(&(a.min(b), a.max(b)))
                .map_or(0, |p| p.documents);
            out.push_str(&format!(
                "{} and {} share {shared_windows} {window} windows in {docs} documents",
                view.get(a).name(),
                view.get(b).name()
            ));
            out.push_str(&format!(" ({} shown):\n", shared.len()));
            for (doc, start, end, pieces) in &shared {
                out.push_str(&format!("\n  {doc}:{start}-{end}\n    "));
                for p in pieces {
                    match &p.entity {
                        Some(id) => out.push_str(&style.mark(&p.text, view.lookup(id) == Some(b))),
                        None => out.push_str(&p.text),
                    }
                }
                out.push('\n');
            }
        }
    }
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .context("writing standard output")?;
    Ok(report.exit_code())
}
