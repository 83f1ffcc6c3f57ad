//! Writing the gazetteer TSV: the header only once there is a row, and values made safe for
//! a cell.

use std::io::{self, Write};

/// Writes a gazetteer TSV, header first, only once there is a row.
pub(super) struct TsvWriter<'w> {
    out: &'w mut dyn Write,
    comment: String,
    columns: Vec<String>,
    started: bool,
}

impl<'w> TsvWriter<'w> {
    pub(super) fn new(out: &'w mut dyn Write, comment: String, columns: Vec<String>) -> Self {
        TsvWriter {
            out,
            comment,
            columns,
            started: false,
        }
    }

    pub(super) fn row(&mut self, fields: &[&str]) -> io::Result<()> {
        debug_assert_eq!(fields.len(), self.columns.len());
        debug_assert!(
            fields
                .iter()
                .all(|f| !f.contains(['\t', '\n', '\r']) && f.trim() == *f)
        );
        if !self.started {
            self.started = true;
            writeln!(self.out, "# {}", self.comment)?;
            writeln!(self.out, "{}", self.columns.join("\t"))?;
        }
        writeln!(self.out, "{}", fields.join("\t"))
    }
}

/// A value made safe for a TSV cell: tabs, line breaks and other control characters become
/// spaces, whitespace runs one space, trimmed. Also says whether a control character was
/// replaced (trimming and collapsing spaces are not worth reporting).
pub fn clean_value(s: &str) -> (String, bool) {
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut space = false;
    for c in s.chars() {
        let c = if c.is_control() {
            changed = true;
            ' '
        } else {
            c
        };
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    (out, changed)
}
