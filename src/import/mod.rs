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

use crate::gazetteer::{AliasFault, alias_faults, is_type_label};

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
    /// What happened, in one line (a [`RowError`]'s text for a skipped row); it may quote input.
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
    /// Options that cannot work together or name no column of the header; the text says why.
    #[error("{0}")]
    Usage(String),
    /// Reading the input or writing the gazetteer failed.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The spreadsheet reader failed before the first row (an unreadable header).
    #[error(transparent)]
    Csv(#[from] ::csv::Error),
}

/// Why an input row is skipped: the text of its [`Message`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RowError {
    /// A spreadsheet row with more fields than the header.
    #[error("{fields} fields, but the header has {columns} columns")]
    TooManyFields {
        /// Fields in the row.
        fields: usize,
        /// Columns in the header.
        columns: usize,
    },
    /// A GeoNames line without its 19 columns.
    #[error(
        "{0} tab-separated columns, but a GeoNames dump line has {n}",
        n = geonames::GEONAMES_COLUMNS
    )]
    GeonamesColumns(usize),
    /// A line that is not UTF-8.
    #[error("not valid UTF-8")]
    NotUtf8,
    /// A spreadsheet cell, of this column, that is not UTF-8.
    #[error("column {0:?} is not valid UTF-8")]
    CellNotUtf8(String),
    /// An empty name; the spreadsheet column, when there is one.
    #[error("empty name{}", .0.as_ref().map(|c| format!(" (column {c:?})")).unwrap_or_default())]
    EmptyName(Option<String>),
    /// A name with control characters (GeoNames).
    #[error("name {0:?} has control characters")]
    NameControlChars(String),
    /// A name the loader would reject.
    #[error("name {name:?} {}", name_phrase(*.fault))]
    BadName {
        /// The name as read.
        name: String,
        /// What the loader would object to.
        fault: AliasFault,
    },
    /// A type cell that is not a type label once normalized.
    #[error("type {0:?} is not a label such as PERSON (letters, digits, _)")]
    BadType(String),
    /// A name whose slug is empty, and no id.
    #[error("name {0:?} gives an empty id: add an id column (--id-column)")]
    EmptyId(String),
    /// An id that would make the row a comment.
    #[error("id {0:?} starts with `#`, which would make the row a comment")]
    CommentId(String),
    /// An id already written with another type.
    #[error(
        "id {id:?} has type {kind} here but {other} on line {line}: the rows would not load together"
    )]
    TypeConflict {
        /// The id both rows have.
        id: String,
        /// This row's type.
        kind: String,
        /// The type the id was first written with.
        other: String,
        /// 1-based input line of the row that first wrote the id.
        line: usize,
    },
    /// A GeoNames id that is not a number.
    #[error("geonameid {0:?} is not a number")]
    BadGeonameId(String),
    /// A latitude or longitude that is not a number in range.
    #[error("{what} {value:?} is not a number in ±{max}")]
    BadCoordinate {
        /// `latitude` or `longitude`.
        what: &'static str,
        /// The value as read.
        value: String,
        /// The largest magnitude allowed (90 or 180).
        max: f64,
    },
    /// A population that is not a whole number.
    #[error("population {0:?} is not a whole number")]
    BadPopulation(String),
}

/// Normalizes a type label: trimmed, upper-cased, spaces and hyphens as `_`. `None` when
/// the result is not a label the loader accepts ([`is_type_label`]: `A-Z`, `0-9`, `_`).
pub fn normalize_type(s: &str) -> Option<String> {
    let t: String = s
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    is_type_label(&t).then_some(t)
}

/// Why the loader would reject `text` as an alias (written after its `~`/`=` marker; `exact`
/// when marked `=`), or why it cannot be written in the aliases column: the first of
/// [`AliasFault::ControlChar`], [`AliasFault::Separator`], [`AliasFault::Untrimmed`],
/// [`AliasFault::TooShort`] and [`AliasFault::NoLetters`] that applies. Its `Display` is the
/// phrase to report (`is shorter than 2 characters`).
pub fn alias_problem(text: &str, exact: bool) -> Option<AliasFault> {
    let faults = alias_faults(text, exact);
    if faults.contains(&AliasFault::ControlChar) {
        Some(AliasFault::ControlChar)
    } else if text.contains('|') {
        Some(AliasFault::Separator)
    } else if text.trim() != text || text.is_empty() {
        Some(AliasFault::Untrimmed)
    } else {
        faults.first().copied()
    }
}

/// Why the loader would reject `text` as a name, if it would; see [`name_phrase`].
pub(super) fn name_problem(text: &str) -> Option<AliasFault> {
    alias_problem(&text.replace('|', "/"), false)
}

/// How a name's fault is reported, after `name "…"`.
fn name_phrase(fault: AliasFault) -> String {
    match fault {
        AliasFault::TooShort => "is shorter than 2 characters and not in capitals".to_string(),
        f => f.to_string(),
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
        assert_eq!(alias_problem("a", false), Some(AliasFault::TooShort));
        assert_eq!(
            AliasFault::TooShort.to_string(),
            "is shorter than 2 characters"
        );
        assert_eq!(alias_problem("A", false), None);
        assert_eq!(alias_problem("--", false), Some(AliasFault::NoLetters));
        assert_eq!(alias_problem("a|b", false), Some(AliasFault::Separator));
        assert_eq!(alias_problem(" ab", false), Some(AliasFault::Untrimmed));
        assert_eq!(alias_problem("", false), Some(AliasFault::Untrimmed));
        assert_eq!(
            alias_problem("a\u{1}", false),
            Some(AliasFault::ControlChar)
        );
        assert_eq!(name_problem("a|b"), None);
        assert_eq!(
            name_phrase(name_problem("a").unwrap()),
            "is shorter than 2 characters and not in capitals"
        );
        assert_eq!(
            name_phrase(name_problem("--").unwrap()),
            "has no letters or digits"
        );
    }
}
