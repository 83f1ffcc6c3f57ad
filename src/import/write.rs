//! Writing the gazetteer TSV: the header only once there is a row, and values made safe for
//! a cell.

use std::io::{self, Write};

pub use crate::gazetteer::clean_value;

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
