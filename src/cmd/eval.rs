//! `entgraph eval`: tagging scored against gold annotations.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};

use entgraph::entity::EntityView;
use entgraph::eval::{
    GoldDocument, LinkingCounter, Scores, Span, read_gold_conll, read_gold_jsonl,
};
use entgraph::explain::kwic;
use entgraph::recognize::RecognizeScratch;

use super::common::{Fatal, InputArgs, load_recognizer, terminal};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GoldFormat {
    /// From the extension: .conll/.bio/.iob/.txt (and .gz versions) are CoNLL, else JSONL.
    Auto,
    Jsonl,
    Conll,
}

#[derive(Args)]
pub struct EvalArgs {
    /// Gold annotations: JSONL `{"id", "text", "entities": [{"start", "end", "type", "id"}]}`
    /// (code-point offsets, or bytes with `"offsets": "bytes"`) or CoNLL BIO/IOB1.
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    #[arg(long, value_enum, default_value_t = GoldFormat::Auto)]
    pub gold_format: GoldFormat,
    /// Where to read the text of JSONL lines that have none: DIR/ID.
    #[arg(long, value_name = "DIR")]
    pub text_dir: Option<PathBuf>,
    /// Types scored (comma-separated).
    #[arg(long, value_delimiter = ',', default_value = "PERSON,ORG,LOC")]
    pub types: Vec<String>,
    /// List every miss and spurious mention in context.
    #[arg(long)]
    pub errors: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

fn read_gold(args: &EvalArgs) -> anyhow::Result<Vec<GoldDocument>> {
    let path = &args.gold;
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&bytes[..]), &mut out)
            .with_context(|| format!("decompressing {}", path.display()))?;
        out
    } else {
        bytes
    };
    let content = String::from_utf8(bytes)
        .map_err(|_| Fatal(format!("entgraph: {}: not valid UTF-8", path.display())))?;
    let name = path.display().to_string();
    let stem = name.strip_suffix(".gz").unwrap_or(&name);
    let conll = match args.gold_format {
        GoldFormat::Conll => true,
        GoldFormat::Jsonl => false,
        GoldFormat::Auto => [".conll", ".bio", ".iob", ".txt"]
            .iter()
            .any(|e| stem.ends_with(e)),
    };
    if conll {
        return Ok(read_gold_conll(&content, &name));
    }
    read_gold_jsonl(&content, |id| match &args.text_dir {
        Some(dir) => std::fs::read_to_string(dir.join(id))
            .map_err(|e| format!("text of {id:?}: {}: {e}", dir.join(id).display())),
        None => Err(format!("document {id:?} has no `text`: give --text-dir")),
    })
    .map_err(|e| Fatal(format!("entgraph: {name}: {e}")).into())
}

pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let tagger = load_recognizer(&args.input)?;
    let g = tagger.gazetteer();
    let gold = read_gold(&args)?;
    let types: Vec<String> = args.types.iter().map(|t| t.trim().to_uppercase()).collect();
    let mut scores = Scores::default();
    let mut linking = LinkingCounter::default();
    let mut errors = String::new();
    let mut scratch = RecognizeScratch::default();
    for doc in &gold {
        let tagged = tagger.recognize_with(&doc.text, &mut scratch);
        let view = EntityView::new(g, &tagged.provisional);
        let predicted: Vec<(Span, String)> = tagged
            .mentions
            .iter()
            .map(|m| {
                let e = view.get(m.entity);
                (
                    Span {
                        start: m.start,
                        end: m.end,
                        kind: e.kind().to_string(),
                    },
                    e.id().to_string(),
                )
            })
            .filter(|(s, _)| types.contains(&s.kind))
            .collect();
        let gold_spans: Vec<Span> = doc
            .spans
            .iter()
            .map(|(s, _)| s.clone())
            .filter(|s| types.contains(&s.kind))
            .collect();
        let pred_spans: Vec<Span> = predicted.iter().map(|(s, _)| s.clone()).collect();
        scores.add(&gold_spans, &pred_spans, &types);
        linking.add(&doc.spans, &predicted);
        if args.errors {
            let context = |s: &Span| {
                let k = kwic(&doc.id, &doc.text, s.start..s.end, 40);
                // Gold files and their documents are untrusted: no escape sequences.
                terminal(&format!(
                    "{}:{}  {}[{}]{}",
                    k.doc, k.start, k.left, k.hit, k.right
                ))
            };
            for s in gold_spans.iter().filter(|s| !pred_spans.contains(s)) {
                errors.push_str(&format!(
                    "MISS      {:6} {}\n",
                    terminal(&s.kind),
                    context(s)
                ));
            }
            for (s, id) in predicted.iter().filter(|(s, _)| !gold_spans.contains(s)) {
                errors.push_str(&format!(
                    "SPURIOUS  {:6} {}  ({})\n",
                    terminal(&s.kind),
                    context(s),
                    terminal(id)
                ));
            }
        }
    }
    let mut out = String::new();
    if args.errors && !errors.is_empty() {
        out.push_str(&errors);
        out.push('\n');
    }
    out.push_str(&format!(
        "{} documents, {} gold mentions ({}), strict span + type\n",
        gold.len(),
        scores.by_type.values().map(|c| c.tp + c.fn_).sum::<usize>(),
        types.join(", ")
    ));
    out.push_str(&format!(
        "{:<10} {:>6} {:>6} {:>7} {:>9} {:>7} {:>7}\n",
        "type", "gold", "found", "correct", "precision", "recall", "F1"
    ));
    let line = |name: &str, c: &entgraph::eval::Counts| {
        format!(
            "{:<10} {:>6} {:>6} {:>7} {:>9.4} {:>7.4} {:>7.4}\n",
            name,
            c.tp + c.fn_,
            c.tp + c.fp,
            c.tp,
            c.precision(),
            c.recall(),
            c.f1()
        )
    };
    for t in &types {
        out.push_str(&line(
            t,
            &scores.by_type.get(t).copied().unwrap_or_default(),
        ));
    }
    out.push_str(&line("overall", &scores.overall()));
    let l = linking.result();
    if l.entities > 0 {
        out.push_str(&format!(
            "linking: {} of {} gold entities found map to one entgraph id\n",
            l.consistent, l.entities
        ));
    }
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .context("writing standard output")?;
    Ok(ExitCode::SUCCESS)
}
