//! Rendering a DOT file to SVG, PNG or PDF by running Graphviz's `dot` program (found on
//! `PATH`) with the chosen layout engine, within a time limit, and classifying what can go
//! wrong ([`RenderError`]). Re-exported from [`crate::export::dot`].
//!
//! The program is run directly (not through graphviz-rust's `exec`, which can neither bound
//! the time nor stop Graphviz): in a process group of its own on Unix, so that a timeout
//! kills it and anything it started, its output streamed into an atomically written file.

use std::io::{self, Read as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// Output format of [`render`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderFormat {
    /// SVG (scalable, text kept as text; what the README embeds).
    Svg,
    /// PNG (a raster image at Graphviz's default resolution; labels need installed fonts).
    Png,
    /// PDF (vector, text kept as text; for printing).
    Pdf,
}

impl RenderFormat {
    /// Every format, in the order the command line lists them.
    pub const ALL: [RenderFormat; 3] = [RenderFormat::Svg, RenderFormat::Png, RenderFormat::Pdf];

    /// The format whose [`RenderFormat::extension`] is `ext` (any case).
    pub fn from_extension(ext: &str) -> Option<RenderFormat> {
        RenderFormat::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(ext))
    }

    /// The usual file extension, also the Graphviz `-T` name.
    pub fn extension(self) -> &'static str {
        match self {
            RenderFormat::Svg => "svg",
            RenderFormat::Png => "png",
            RenderFormat::Pdf => "pdf",
        }
    }
}

/// Graphviz layout engine used by [`render`]. sfdp (the default) scales to large graphs;
/// neato and fdp suit small ones; dot draws hierarchies; circo circles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// `sfdp`, the default: multiscale force-directed placement, for large graphs.
    #[default]
    Sfdp,
    /// `neato`: spring model (stress majorization), for small graphs.
    Neato,
    /// `fdp`: force-directed placement without multiscale, for small graphs.
    Fdp,
    /// `dot`: layered drawing, for hierarchies.
    Dot,
    /// `circo`: circular layout.
    Circo,
}

impl Layout {
    /// Every engine, in the order the command line lists them.
    pub const ALL: [Layout; 5] = [
        Layout::Sfdp,
        Layout::Neato,
        Layout::Fdp,
        Layout::Dot,
        Layout::Circo,
    ];

    /// The Graphviz name of the engine (as in `-K<name>`).
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Sfdp => "sfdp",
            Layout::Neato => "neato",
            Layout::Fdp => "fdp",
            Layout::Dot => "dot",
            Layout::Circo => "circo",
        }
    }
}

/// Why [`render`] failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The `dot` program could not be started because it is not on `PATH`.
    #[error(
        "Graphviz is not installed (the `dot` program was not found): install it with \
         `apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) or see \
         https://graphviz.org/download/"
    )]
    GraphvizMissing {
        /// The spawn error (`ErrorKind::NotFound`).
        #[source]
        source: io::Error,
    },
    /// Graphviz ran and reported an error (bad DOT, unknown layout or format, crash).
    #[error("Graphviz failed to render {format} with the {layout} layout: {message}")]
    Failed {
        /// The output format asked for, as its [`RenderFormat::extension`] (`svg`).
        format: &'static str,
        /// The layout engine asked for, as its [`Layout::as_str`] name (`sfdp`).
        layout: &'static str,
        /// What Graphviz wrote on stderr (or the reason it stopped).
        message: String,
    },
    /// Graphviz ran longer than the timeout and was killed (with every process it started);
    /// no image was written.
    #[error(
        "Graphviz's {layout} layout did not finish within {} s and was stopped; no image was \
         written",
        timeout.as_secs_f64()
    )]
    TimedOut {
        /// The layout engine, as its [`Layout::as_str`] name.
        layout: &'static str,
        /// The time it was given.
        timeout: Duration,
    },
    /// Reading the DOT file, running the program or writing the output failed; the string
    /// says what was being done.
    #[error("{0}")]
    Io(String, #[source] io::Error),
}

/// How long [`render`] lets Graphviz run before it is stopped: 60 seconds. A picture that
/// takes longer is not worth waiting for (a pruned graph of a few hundred nodes renders in a
/// few seconds); [`render_within`] takes another bound.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Renders the DOT file `dot_file` to `out` in `format` with the `layout` engine, by running
/// Graphviz's `dot` program with `-T<format> -K<layout>`, stopped after [`DEFAULT_TIMEOUT`].
/// See [`render_within`].
pub fn render(
    dot_file: &Path,
    out: &Path,
    format: RenderFormat,
    layout: Layout,
) -> Result<(), RenderError> {
    render_within(dot_file, out, format, layout, DEFAULT_TIMEOUT)
}

/// [`render`] with Graphviz stopped after `timeout`.
///
/// `out` is written atomically (Graphviz's output goes to a temporary file in `out`'s
/// directory, renamed over `out` only once Graphviz has exited successfully), so a failed,
/// stopped or empty run leaves any previous file in place and no partial image. Graphviz
/// must be installed ([`RenderError::GraphvizMissing`] otherwise). When it runs longer than
/// `timeout` it is killed, with every process it started (on Unix it runs in a process group
/// of its own, and the whole group gets `SIGKILL`), and the result is
/// [`RenderError::TimedOut`]. SVG and PDF keep text as text; PNG rasterises it with the fonts
/// installed, so names in CJK scripts need a CJK font (e.g. `fonts-noto-cjk`) or they show
/// as boxes.
pub fn render_within(
    dot_file: &Path,
    out: &Path,
    format: RenderFormat,
    layout: Layout,
    timeout: Duration,
) -> Result<(), RenderError> {
    std::fs::File::open(dot_file)
        .map_err(|e| RenderError::Io(format!("cannot read {}", dot_file.display()), e))?;
    let mut command = Command::new("dot");
    command
        .arg(format!("-T{}", format.extension()))
        .arg(format!("-K{}", layout.as_str()))
        .arg(dot_file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command.spawn().map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => RenderError::GraphvizMissing { source: e },
        _ => RenderError::Io("cannot run Graphviz's `dot` program".to_string(), e),
    })?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let child = Arc::new(Mutex::new(child));
    let (done, stop) = mpsc::channel::<()>();
    let watchdog = {
        let child = Arc::clone(&child);
        std::thread::spawn(move || {
            // Nothing received within `timeout` (neither "done" nor a hang-up): stop it.
            match stop.recv_timeout(timeout) {
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    kill(&mut child.lock().unwrap_or_else(|p| p.into_inner()));
                    true
                }
                _ => false,
            }
        })
    };

    // Copy Graphviz's output into the atomic writer; whatever goes wrong, the closure
    // returns an error so the temporary file is removed and `out` is left untouched.
    let mut outcome: Option<RenderError> = None;
    let written = crate::output::write_atomic(out, |w| {
        let copied = io::copy(&mut stdout, w);
        let status = wait(&child);
        let _ = done.send(());
        let timed_out = watchdog.join().unwrap_or(false);
        let message = errors.join().unwrap_or_default();
        let failed = |message: String| RenderError::Failed {
            format: format.extension(),
            layout: layout.as_str(),
            message,
        };
        let error = if timed_out {
            Some(RenderError::TimedOut {
                layout: layout.as_str(),
                timeout,
            })
        } else {
            match (status, copied) {
                (Err(e), _) => Some(RenderError::Io("waiting for Graphviz".to_string(), e)),
                (Ok(s), _) if !s.success() => Some(failed(match message.trim() {
                    "" => format!("it exited with {s} and no message"),
                    m => m.to_string(),
                })),
                (Ok(_), Err(e)) => {
                    Some(RenderError::Io("reading Graphviz's output".to_string(), e))
                }
                (Ok(_), Ok(0)) => Some(failed("Graphviz produced no output".to_string())),
                (Ok(_), Ok(_)) => None,
            }
        };
        match error {
            Some(e) => {
                outcome = Some(e);
                Err(io::Error::other("Graphviz did not render"))
            }
            None => Ok(()),
        }
    });
    match (outcome, written) {
        (Some(e), _) => Err(e),
        (None, Err(e)) => Err(RenderError::Io(
            format!("cannot write {}", out.display()),
            e,
        )),
        (None, Ok(())) => Ok(()),
    }
}

/// The nodes and edges of a DOT text (in subgraphs too), as a DOT reader counts them, or
/// `None` if it does not parse. Nodes are distinct node ids, declared or only named in edges;
/// an edge chain `a -- b -- c` counts 2.
pub fn dot_size(text: &str) -> Option<(usize, usize)> {
    use graphviz_rust::dot_structures::{EdgeTy, Graph, Stmt, Vertex};
    fn walk<'a>(
        stmts: &'a [Stmt],
        nodes: &mut std::collections::HashSet<&'a str>,
        edges: &mut usize,
    ) {
        let vertex = |v: &'a Vertex,
                      nodes: &mut std::collections::HashSet<&'a str>,
                      edges: &mut usize| match v {
            Vertex::N(id) => {
                nodes.insert(id_str(&id.0));
            }
            Vertex::S(s) => walk(&s.stmts, nodes, edges),
        };
        for s in stmts {
            match s {
                Stmt::Node(n) => {
                    nodes.insert(id_str(&n.id.0));
                }
                Stmt::Subgraph(g) => walk(&g.stmts, nodes, edges),
                Stmt::Edge(e) => match &e.ty {
                    EdgeTy::Pair(a, b) => {
                        vertex(a, nodes, edges);
                        vertex(b, nodes, edges);
                        *edges += 1;
                    }
                    EdgeTy::Chain(vs) => {
                        for v in vs {
                            vertex(v, nodes, edges);
                        }
                        *edges += vs.len().saturating_sub(1);
                    }
                },
                _ => {}
            }
        }
    }
    fn id_str(id: &graphviz_rust::dot_structures::Id) -> &str {
        use graphviz_rust::dot_structures::Id;
        match id {
            Id::Html(s) | Id::Escaped(s) | Id::Plain(s) => s,
            Id::Anonymous(s) => s,
        }
    }
    let graph = graphviz_rust::parse(text).ok()?;
    let stmts = match &graph {
        Graph::Graph { stmts, .. } | Graph::DiGraph { stmts, .. } => stmts,
    };
    let mut nodes = std::collections::HashSet::new();
    let mut edges = 0;
    walk(stmts, &mut nodes, &mut edges);
    Some((nodes.len(), edges))
}

/// Waits for the child without holding the lock the watchdog needs to kill it.
fn wait(child: &Mutex<Child>) -> io::Result<std::process::ExitStatus> {
    loop {
        if let Some(status) = child.lock().unwrap_or_else(|p| p.into_inner()).try_wait()? {
            return Ok(status);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Kills Graphviz and everything it started: its process group on Unix, the process
/// elsewhere.
fn kill(child: &mut Child) {
    #[cfg(unix)]
    {
        let group = rustix::process::Pid::from_child(child);
        let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
    }
    let _ = child.kill();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_happened() {
        let missing = RenderError::GraphvizMissing {
            source: io::Error::new(io::ErrorKind::NotFound, "No such file or directory"),
        };
        let msg = missing.to_string();
        assert!(msg.contains("Graphviz is not installed"), "{msg}");
        assert!(msg.contains("apt-get install graphviz"), "{msg}");
        assert!(msg.contains("brew install graphviz"), "{msg}");
        assert!(msg.contains("https://graphviz.org/download/"), "{msg}");
        let slow = RenderError::TimedOut {
            layout: "sfdp",
            timeout: Duration::from_millis(1500),
        };
        assert_eq!(
            slow.to_string(),
            "Graphviz's sfdp layout did not finish within 1.5 s and was stopped; no image was \
             written"
        );
    }

    #[test]
    fn dot_size_counts_like_a_dot_reader() {
        let text = "graph g { label=<<B>x</B>>; a; \"b c\"[label=x]; a -- \"b c\"; \
                    subgraph s { d -- e -- a } }";
        assert_eq!(dot_size(text), Some((4, 3)));
        assert_eq!(dot_size("graph { a -- }"), None);
    }

    #[test]
    fn layout_and_format_names() {
        assert_eq!(Layout::default(), Layout::Sfdp);
        let names: Vec<&str> = Layout::ALL.iter().map(|l| l.as_str()).collect();
        assert_eq!(names, ["sfdp", "neato", "fdp", "dot", "circo"]);
        assert_eq!(RenderFormat::Png.extension(), "png");
        assert_eq!(RenderFormat::from_extension("SVG"), Some(RenderFormat::Svg));
    }
}
