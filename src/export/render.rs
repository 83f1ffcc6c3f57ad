//! Rendering a DOT file to SVG, PNG or PDF by running Graphviz's `dot` program (found on
//! `PATH` by graphviz-rust's `exec_dot`) with the chosen layout engine, and classifying what
//! can go wrong ([`RenderError`]). Re-exported from [`crate::export::dot`].

use std::io;
use std::path::Path;

use graphviz_rust::cmd::{self, CommandArg, Format};

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

    fn graphviz(self) -> Format {
        match self {
            RenderFormat::Svg => Format::Svg,
            RenderFormat::Png => Format::Png,
            RenderFormat::Pdf => Format::Pdf,
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

    fn graphviz(self) -> cmd::Layout {
        match self {
            Layout::Sfdp => cmd::Layout::Sfdp,
            Layout::Neato => cmd::Layout::Neato,
            Layout::Fdp => cmd::Layout::Fdp,
            Layout::Dot => cmd::Layout::Dot,
            Layout::Circo => cmd::Layout::Circo,
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
    /// Reading the DOT file, running the program or writing the output failed; the string
    /// says what was being done.
    #[error("{0}")]
    Io(String, #[source] io::Error),
}

/// Renders the DOT file `dot_file` to `out` in `format` with the `layout` engine, by running
/// Graphviz's `dot` program with `-T<format> -K<layout>`.
///
/// `out` is written atomically (a temporary file renamed over it), so a failed run leaves any
/// previous file in place. Graphviz must be installed ([`RenderError::GraphvizMissing`]
/// otherwise). SVG and PDF keep text as text; PNG rasterises it with the fonts installed, so
/// names in CJK scripts need a CJK font (e.g. `fonts-noto-cjk`) or they show as boxes.
pub fn render(
    dot_file: &Path,
    out: &Path,
    format: RenderFormat,
    layout: Layout,
) -> Result<(), RenderError> {
    let dot = std::fs::read_to_string(dot_file)
        .map_err(|e| RenderError::Io(format!("cannot read {}", dot_file.display()), e))?;
    // graphviz-rust writes the text to a temporary file and runs
    // `dot -T<format> -K<layout> <tmp>`, returning stdout; we keep the bytes and write `out`
    // ourselves rather than passing `-o`, so the output is atomic.
    let args = vec![
        CommandArg::Format(format.graphviz()),
        CommandArg::Layout(layout.graphviz()),
    ];
    let bytes = graphviz_rust::exec_dot(dot, args)
        .map_err(|e| exec_error(e, format, layout, std::env::temp_dir().is_dir()))?;
    if bytes.is_empty() {
        return Err(RenderError::Failed {
            format: format.extension(),
            layout: layout.as_str(),
            message: "Graphviz produced no output".to_string(),
        });
    }
    crate::output::write_atomic(out, |w| w.write_all(&bytes))
        .map_err(|e| RenderError::Io(format!("cannot write {}", out.display()), e))
}

/// Classifies an error from graphviz-rust's `exec`. It returns the spawn error as is (so a
/// missing `dot` is `NotFound`) and a non-zero exit as `ErrorKind::Other` carrying stderr.
/// `NotFound` can also mean the temporary directory is missing (the DOT text is copied
/// there first), hence `temp_dir_exists`.
fn exec_error(
    err: io::Error,
    format: RenderFormat,
    layout: Layout,
    temp_dir_exists: bool,
) -> RenderError {
    match err.kind() {
        io::ErrorKind::NotFound if temp_dir_exists => RenderError::GraphvizMissing { source: err },
        io::ErrorKind::NotFound => RenderError::Io(
            format!(
                "cannot create a temporary file in {}",
                std::env::temp_dir().display()
            ),
            err,
        ),
        io::ErrorKind::Other => RenderError::Failed {
            format: format.extension(),
            layout: layout.as_str(),
            message: match err.to_string().trim() {
                "" => "it exited with an error and no message".to_string(),
                m => m.to_string(),
            },
        },
        _ => RenderError::Io("cannot run Graphviz's `dot` program".to_string(), err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_errors_are_classified() {
        let missing = io::Error::new(io::ErrorKind::NotFound, "No such file or directory");
        let e = exec_error(missing, RenderFormat::Svg, Layout::Sfdp, true);
        assert!(matches!(e, RenderError::GraphvizMissing { .. }));
        let msg = e.to_string();
        assert!(msg.contains("Graphviz is not installed"), "{msg}");
        assert!(msg.contains("apt-get install graphviz"), "{msg}");
        assert!(msg.contains("brew install graphviz"), "{msg}");
        assert!(msg.contains("https://graphviz.org/download/"), "{msg}");

        let no_tmp = io::Error::new(io::ErrorKind::NotFound, "gone");
        let e = exec_error(no_tmp, RenderFormat::Svg, Layout::Sfdp, false);
        assert!(matches!(e, RenderError::Io(..)), "{e:?}");

        let failed = io::Error::other("Error: syntax error in line 1 near '}'\n");
        let e = exec_error(failed, RenderFormat::Png, Layout::Dot, true);
        assert_eq!(
            e.to_string(),
            "Graphviz failed to render png with the dot layout: Error: syntax error in line 1 near '}'"
        );

        let denied = io::Error::new(io::ErrorKind::PermissionDenied, "denied");
        let e = exec_error(denied, RenderFormat::Pdf, Layout::Neato, true);
        assert!(matches!(e, RenderError::Io(..)), "{e:?}");
    }

    #[test]
    fn layout_and_format_names() {
        assert_eq!(Layout::default(), Layout::Sfdp);
        for l in [
            Layout::Sfdp,
            Layout::Neato,
            Layout::Fdp,
            Layout::Dot,
            Layout::Circo,
        ] {
            // graphviz-rust derives `-K` from the Debug name; ours must agree.
            assert_eq!(format!("{:?}", l.graphviz()).to_lowercase(), l.as_str());
        }
        assert_eq!(RenderFormat::Png.extension(), "png");
    }
}
