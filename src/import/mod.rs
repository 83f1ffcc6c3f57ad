//! Turning other entity lists into entgraph gazetteers: GeoNames dumps and users' own CSV or
//! TSV spreadsheets (`entgraph gazetteer import`).
//!
//! Both importers stream: rows are read, checked and written one at a time, in input order, so
//! the output is deterministic and a 1.5 GB `allCountries.txt` needs no more memory than one
//! line. Every value written obeys the loader's rules ([`crate::gazetteer::GazetteerBuilder`]):
//! no tab, line break or control character, aliases of 2+ characters unless all-capitals,
//! upper-case type labels, one type per id. A row that cannot be made to obey them is skipped
//! and reported; a value that had to be changed is reported too.
//!
//! The header (and the comment line before it) is written with the first usable row, so an
//! input with no usable row writes nothing at all.

//! `geonames` reads GeoNames dumps, `csv` reads spreadsheets, and `write` writes the
//! gazetteer TSV; this module holds what they share: messages, the summary, errors and the
//! loader's rules for types, names and aliases.

mod csv;
mod geonames;
mod write;

use std::io;

use crate::gazetteer::{AliasFault, alias_faults};

pub use csv::{CsvOptions, TypeSource, import_csv};
pub use geonames::{GeonamesOptions, import_geonames};
pub use write::clean_value;

/// Something to tell the user about one input line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// 1-based line of the input where the row starts.
    pub line: usize,
    /// The row was skipped (as opposed to written with a changed value).
    pub skipped: bool,
    pub text: String,
}

/// What an import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Data rows read (blank lines and blank rows not counted).
    pub read: usize,
    /// Entities written.
    pub written: usize,
    /// Well-formed rows left out by a filter (`--min-population`).
    pub filtered: usize,
    /// Rows skipped because they were malformed or could not be loaded.
    pub skipped: usize,
    /// Rows written with a changed or dropped value.
    pub changed: usize,
}

impl Summary {
    /// Whether any row was well-formed (written or filtered out).
    pub fn usable(&self) -> bool {
        self.written + self.filtered > 0
    }
}

/// Errors that stop an import before any row: bad options or an unreadable header.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error(transparent)]
    Csv(#[from] ::csv::Error),
}

/// Normalizes a type label: trimmed, upper-cased, spaces and hyphens as `_`. `None` when
/// the result is not a label the loader accepts (`A-Z`, `0-9`, `_`).
pub fn normalize_type(s: &str) -> Option<String> {
    let t: String = s
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    (!t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
    .then_some(t)
}

/// Why the loader would reject `text` as an alias (written after its `~`/`=` marker; `exact`
/// when marked `=`), or why it cannot be written in the aliases column.
pub fn alias_problem(text: &str, exact: bool) -> Option<&'static str> {
    let faults = alias_faults(text, exact);
    if faults.contains(&AliasFault::ControlChar) {
        Some("contains a control character")
    } else if text.contains('|') {
        Some("contains `|`, the alias separator")
    } else if text.trim() != text || text.is_empty() {
        Some("has leading or trailing whitespace")
    } else {
        match faults.first() {
            Some(AliasFault::TooShort) => Some("is shorter than 2 characters"),
            Some(AliasFault::NoLetters) => Some("has no letters or digits"),
            _ => None,
        }
    }
}

/// Why the loader would reject `text` as a name, if it would.
pub(super) fn name_problem(text: &str) -> Option<&'static str> {
    match alias_problem(&text.replace('|', "/"), false) {
        Some("is shorter than 2 characters") => {
            Some("is shorter than 2 characters and not in capitals")
        }
        p => p,
    }
}

#[cfg(test)]
mod tests {
    use super::geonames::{is_latin, looks_like_code};
    use super::*;
    use crate::gazetteer::GazetteerBuilder;

    /// Loads an importer's output, which must load without error.
    pub(super) fn load(tsv: &str) -> crate::Gazetteer {
        let mut b = GazetteerBuilder::new();
        b.add_str("out.tsv", tsv);
        b.build().unwrap_or_else(|e| panic!("{e}\n{tsv}"))
    }

    #[test]
    fn helpers() {
        assert_eq!(normalize_type(" person "), Some("PERSON".to_string()));
        assert_eq!(
            normalize_type("geo-political entity"),
            Some("GEO_POLITICAL_ENTITY".to_string())
        );
        assert_eq!(normalize_type("Ünïcode"), None);
        assert_eq!(clean_value(" a\tb\n\nc  d "), ("a b c d".to_string(), true));
        assert_eq!(clean_value(" a  b "), ("a b".to_string(), false));
        assert!(is_latin("Zürich") && is_latin("Łódź") && is_latin("St. John's"));
        assert!(!is_latin("Москва") && !is_latin("123") && !is_latin("北京 Beijing"));
        assert!(looks_like_code("LON") && looks_like_code("K2") && !looks_like_code("L.A."));
        assert_eq!(
            alias_problem("a", false),
            Some("is shorter than 2 characters")
        );
        assert_eq!(alias_problem("A", false), None);
        assert_eq!(alias_problem("--", false), Some("has no letters or digits"));
    }
}
