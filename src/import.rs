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

use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead, Read, Write};

use crate::fold::{fold_str, fold_str_keep_case};
use crate::gazetteer::{AliasFault, alias_faults, slug};

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
    Csv(#[from] csv::Error),
}

/// Writes a gazetteer TSV, header first, only once there is a row.
struct TsvWriter<'w> {
    out: &'w mut dyn Write,
    comment: String,
    columns: Vec<String>,
    started: bool,
}

impl<'w> TsvWriter<'w> {
    fn new(out: &'w mut dyn Write, comment: String, columns: Vec<String>) -> Self {
        TsvWriter {
            out,
            comment,
            columns,
            started: false,
        }
    }

    fn row(&mut self, fields: &[&str]) -> io::Result<()> {
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
fn name_problem(text: &str) -> Option<&'static str> {
    match alias_problem(&text.replace('|', "/"), false) {
        Some("is shorter than 2 characters") => {
            Some("is shorter than 2 characters and not in capitals")
        }
        p => p,
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

// ---------------------------------------------------------------------------------------------
// GeoNames

/// Options of [`import_geonames`].
#[derive(Clone, Debug)]
pub struct GeonamesOptions {
    /// The type written for every place (`LOC`).
    pub kind: String,
    /// Places with a smaller population are left out.
    pub min_population: u64,
    /// Keep every alternate name the loader accepts, not only the useful ones.
    pub all_names: bool,
    /// Named in the comment line of the output (the input's file name).
    pub source: String,
}

/// The columns of a GeoNames dump (`allCountries.txt`, `cities15000.txt`, …).
const GEONAMES_COLUMNS: usize = 19;

/// Letters of the Latin script (basic, Latin-1, Extended-A to -E, IPA, Additional, fullwidth).
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c as u32,
            0xAA | 0xBA | 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F | 0x250..=0x2AF
            | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xAB30..=0xAB6F
            | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A)
}

/// Written in the Latin script: at least one letter, and every letter Latin.
fn is_latin(s: &str) -> bool {
    let mut any = false;
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        if !is_latin_letter(c) {
            return false;
        }
        any = true;
    }
    any
}

/// A code rather than a name: it has a digit (postal codes, `K2`-style ids), or is only ASCII
/// capitals (IATA/ICAO/FAA codes such as `LON`, `EGLL`).
fn looks_like_code(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit()) || s.chars().all(|c| c.is_ascii_uppercase())
}

/// Converts a GeoNames dump to a gazetteer (see the README: `gazetteer import geonames`).
///
/// Each place becomes `id` = `geonames-<geonameid>`, `type`, `name`, `aliases` (the ASCII name
/// and the alternate names, filtered, see below) and the attributes `lat`, `lon`,
/// `country_code` (ISO 3166 alpha-2, as given: `country` holds a country's entity id in the
/// default gazetteer), `population`, `geonames` (the geonameid) and `feature`
/// (`class.code`, e.g. `P.PPLC`). Rows are written in input order.
///
/// Aliases: the ASCII name and each alternate name, trimmed, kept unless it folds like the name
/// or like an alias already kept; without `all_names` only names in the Latin script, of 2+
/// characters, that do not look like codes (a digit, or ASCII capitals only). Names the loader
/// would reject (control characters, `|`, a `~`/`=` at the start, one lower-case letter) are
/// always dropped.
pub fn import_geonames(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    opts: &GeonamesOptions,
    report: &mut dyn FnMut(Message),
) -> io::Result<Summary> {
    let columns = [
        "id",
        "type",
        "name",
        "aliases",
        "lat",
        "lon",
        "country_code",
        "population",
        "geonames",
        "feature",
    ];
    let mut w = TsvWriter::new(
        out,
        format!(
            "GeoNames data (geonames.org), licence CC BY 4.0; converted from {} by `entgraph gazetteer import geonames`",
            opts.source
        ),
        columns.iter().map(|c| c.to_string()).collect(),
    );
    let mut sum = Summary::default();
    let mut buf = Vec::new();
    let mut line = 0;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        line += 1;
        let bytes = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        sum.read += 1;
        let mut skip = |text: String| {
            report(Message {
                line,
                skipped: true,
                text,
            })
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            skip("not valid UTF-8".to_string());
            sum.skipped += 1;
            continue;
        };
        let f: Vec<&str> = text.split('\t').collect();
        match parse_place(&f, opts) {
            Err(problem) => {
                skip(problem);
                sum.skipped += 1;
            }
            Ok(None) => sum.filtered += 1,
            Ok(Some(p)) => {
                w.row(&[
                    &p.id,
                    &opts.kind,
                    &p.name,
                    &p.aliases.join("|"),
                    f[4].trim(),
                    f[5].trim(),
                    &p.country,
                    &p.population,
                    f[0].trim(),
                    &p.feature,
                ])?;
                sum.written += 1;
            }
        }
    }
    Ok(sum)
}

struct Place {
    id: String,
    name: String,
    aliases: Vec<String>,
    country: String,
    population: String,
    feature: String,
}

/// One dump line: a place, `None` when filtered out, or what is wrong with it.
fn parse_place(f: &[&str], opts: &GeonamesOptions) -> Result<Option<Place>, String> {
    if f.len() != GEONAMES_COLUMNS {
        return Err(format!(
            "{} tab-separated columns, but a GeoNames dump line has {GEONAMES_COLUMNS}",
            f.len()
        ));
    }
    let geonameid = f[0].trim();
    if geonameid.is_empty() || !geonameid.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("geonameid {geonameid:?} is not a number"));
    }
    let (name, changed) = clean_value(f[1]);
    if changed {
        return Err(format!("name {:?} has control characters", f[1]));
    }
    if name.is_empty() {
        return Err("empty name".to_string());
    }
    if let Some(p) = name_problem(&name) {
        return Err(format!("name {name:?} {p}"));
    }
    for (i, what, max) in [(4, "latitude", 90.0), (5, "longitude", 180.0)] {
        match f[i].trim().parse::<f64>() {
            Ok(x) if x.is_finite() && x.abs() <= max => {}
            _ => return Err(format!("{what} {:?} is not a number in ±{max}", f[i])),
        }
    }
    let population = match f[14].trim() {
        "" => 0,
        s => s
            .parse::<u64>()
            .map_err(|_| format!("population {s:?} is not a whole number"))?,
    };
    if population < opts.min_population {
        return Ok(None);
    }
    let mut seen: HashSet<String> = HashSet::from([fold_str(&name)]);
    let mut aliases = Vec::new();
    let candidates = std::iter::once(f[2]).chain(f[3].split(','));
    for a in candidates {
        let a = a.trim();
        if a.is_empty() || a.starts_with(['~', '=']) || alias_problem(a, false).is_some() {
            continue;
        }
        if !opts.all_names && (!is_latin(a) || looks_like_code(a) || a.chars().count() < 2) {
            continue;
        }
        if seen.insert(fold_str(a)) {
            aliases.push(a.to_string());
        }
    }
    let (class, code) = (f[6].trim(), f[7].trim());
    let feature = match (class, code) {
        ("", c) | (c, "") => c.to_string(),
        (a, b) => format!("{a}.{b}"),
    };
    Ok(Some(Place {
        id: format!("geonames-{geonameid}"),
        name,
        aliases,
        country: clean_value(f[8]).0,
        population: population.to_string(),
        feature: clean_value(&feature).0,
    }))
}

// ---------------------------------------------------------------------------------------------
// CSV / TSV

/// Where the type of each row comes from.
#[derive(Clone, Debug)]
pub enum TypeSource {
    /// The same type for every row (`--type`).
    Fixed(String),
    /// A column of the sheet (`--type-column`); values are upper-cased.
    Column(String),
}

/// Options of [`import_csv`].
#[derive(Clone, Debug)]
pub struct CsvOptions {
    pub name_column: String,
    pub kind: TypeSource,
    /// Else the id is the slug of the name.
    pub id_column: Option<String>,
    pub aliases_column: Option<String>,
    /// Splits the aliases column (`;` by default); `|` and line breaks split it too.
    pub alias_separator: String,
    /// Columns copied as attributes, named in lower case.
    pub keep_columns: Vec<String>,
    /// Field delimiter (`,` or `\t`).
    pub delimiter: u8,
    /// Named in the comment line of the output.
    pub source: String,
}

/// Finds a column by its exact header, else by a unique case-insensitive match.
fn find_column(headers: &[String], name: &str, option: &str) -> Result<usize, ImportError> {
    if let Some(i) = headers.iter().position(|h| h == name) {
        return Ok(i);
    }
    let want = name.trim().to_lowercase();
    let found: Vec<usize> = (0..headers.len())
        .filter(|&i| headers[i].trim().to_lowercase() == want)
        .collect();
    match found[..] {
        [i] => Ok(i),
        _ => Err(ImportError::Usage(format!(
            "{option} {name:?}: no such column; the header has {}",
            headers
                .iter()
                .map(|h| format!("{h:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Converts a spreadsheet (CSV, or TSV with `delimiter` `\t`) with a header row to a
/// gazetteer: `id`, `type`, `name`, `aliases` and the kept columns as attributes, in input
/// order (see the README: `gazetteer import csv`).
///
/// Values: tabs, line breaks and control characters become spaces (reported), whitespace is
/// trimmed. Aliases are split on the separator, on `|` and on line breaks; a leading `~` or `=`
/// keeps its gazetteer meaning; aliases the loader would reject are dropped (reported);
/// duplicates and the name itself are left out silently. A row with no usable name or type, or
/// whose id already has another type, is skipped (reported). A blank row is ignored.
pub fn import_csv(
    input: &mut dyn Read,
    out: &mut dyn Write,
    opts: &CsvOptions,
    report: &mut dyn FnMut(Message),
) -> Result<Summary, ImportError> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(opts.delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(input);
    let headers: Vec<String> = rdr
        .byte_headers()?
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = String::from_utf8_lossy(h);
            let h = if i == 0 {
                h.trim_start_matches('\u{FEFF}')
            } else {
                &h
            };
            h.to_string()
        })
        .collect();
    let name_col = find_column(&headers, &opts.name_column, "--name-column")?;
    let kind = match &opts.kind {
        TypeSource::Fixed(t) => Kind::Fixed(normalize_type(t).ok_or_else(|| {
            ImportError::Usage(format!(
                "--type {t:?} is not a type label such as PERSON, ORG or LOC"
            ))
        })?),
        TypeSource::Column(c) => Kind::Column(find_column(&headers, c, "--type-column")?),
    };
    let id_col = match &opts.id_column {
        Some(c) => Some(find_column(&headers, c, "--id-column")?),
        None => None,
    };
    let aliases_col = match &opts.aliases_column {
        Some(c) => Some(find_column(&headers, c, "--aliases-column")?),
        None => None,
    };
    if opts.alias_separator.is_empty() {
        return Err(ImportError::Usage(
            "--alias-separator must not be empty".to_string(),
        ));
    }
    let mut keep: Vec<(usize, String)> = Vec::new();
    for c in &opts.keep_columns {
        let i = find_column(&headers, c, "--keep-columns")?;
        let attr = clean_value(&headers[i]).0.to_lowercase();
        if attr.is_empty() || ["id", "type", "name", "aliases"].contains(&attr.as_str()) {
            return Err(ImportError::Usage(format!(
                "--keep-columns {c:?}: an attribute cannot be named {attr:?}"
            )));
        }
        if keep.iter().any(|(_, a)| *a == attr) {
            return Err(ImportError::Usage(format!(
                "--keep-columns: {attr:?} is given twice"
            )));
        }
        keep.push((i, attr));
    }
    let mut columns: Vec<String> = ["id", "type", "name", "aliases"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    columns.extend(keep.iter().map(|(_, a)| a.clone()));
    let mut w = TsvWriter::new(
        out,
        format!(
            "Converted from {} by `entgraph gazetteer import csv`",
            opts.source
        ),
        columns,
    );
    let mut sum = Summary::default();
    // Type and line of every id written, to keep one type per id.
    let mut types: HashMap<String, (String, usize)> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    loop {
        let more = match rdr.read_byte_record(&mut record) {
            Ok(more) => more,
            Err(e) if e.is_io_error() => return Err(e.into()),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                report(Message {
                    line,
                    skipped: true,
                    text: e.to_string(),
                });
                sum.read += 1;
                sum.skipped += 1;
                continue;
            }
        };
        if !more {
            break;
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        sum.read += 1;
        let mut changes: Vec<String> = Vec::new();
        let row = csv_row(
            &record,
            &headers,
            name_col,
            &kind,
            id_col,
            aliases_col,
            &keep,
            opts,
            &mut changes,
        );
        let row = row.and_then(|r| match types.get(&r.id) {
            Some((t, l)) if *t != r.kind => Err(format!(
                "id {:?} has type {} here but {t} on line {l}: the rows would not load together",
                r.id, r.kind
            )),
            _ => Ok(r),
        });
        match row {
            Err(problem) => {
                report(Message {
                    line,
                    skipped: true,
                    text: problem,
                });
                sum.skipped += 1;
            }
            Ok(r) => {
                if !changes.is_empty() {
                    sum.changed += 1;
                }
                for text in changes {
                    report(Message {
                        line,
                        skipped: false,
                        text,
                    });
                }
                types
                    .entry(r.id.clone())
                    .or_insert_with(|| (r.kind.clone(), line));
                let mut fields: Vec<&str> = vec![&r.id, &r.kind, &r.name];
                let aliases = r.aliases.join("|");
                fields.push(&aliases);
                fields.extend(r.attributes.iter().map(String::as_str));
                w.row(&fields)?;
                sum.written += 1;
            }
        }
    }
    Ok(sum)
}

/// [`TypeSource`] resolved against the header.
enum Kind {
    Fixed(String),
    Column(usize),
}

struct CsvRow {
    id: String,
    kind: String,
    name: String,
    aliases: Vec<String>,
    attributes: Vec<String>,
}

/// One record as a gazetteer row, noting changed values in `changes`, or why it is skipped.
#[allow(clippy::too_many_arguments)]
fn csv_row(
    record: &csv::ByteRecord,
    headers: &[String],
    name_col: usize,
    kind: &Kind,
    id_col: Option<usize>,
    aliases_col: Option<usize>,
    keep: &[(usize, String)],
    opts: &CsvOptions,
    changes: &mut Vec<String>,
) -> Result<CsvRow, String> {
    if record.len() > headers.len() {
        return Err(format!(
            "{} fields, but the header has {} columns",
            record.len(),
            headers.len()
        ));
    }
    let mut cells = Vec::with_capacity(record.len());
    for (i, f) in record.iter().enumerate() {
        match std::str::from_utf8(f) {
            Ok(s) => cells.push(s),
            Err(_) => return Err(format!("column {:?} is not valid UTF-8", headers[i])),
        }
    }
    let cell = |i: usize| cells.get(i).copied().unwrap_or("");
    let clean = |i: usize, changes: &mut Vec<String>| {
        let (v, changed) = clean_value(cell(i));
        if changed {
            changes.push(format!(
                "column {:?}: tabs, line breaks or control characters replaced by spaces",
                headers[i]
            ));
        }
        v
    };
    let name = clean(name_col, changes);
    if name.is_empty() {
        return Err(format!("empty name (column {:?})", headers[name_col]));
    }
    if let Some(p) = name_problem(&name) {
        return Err(format!("name {name:?} {p}"));
    }
    let kind = match kind {
        Kind::Fixed(fixed) => fixed.clone(),
        Kind::Column(i) => {
            let raw = clean(*i, changes);
            normalize_type(&raw).ok_or_else(|| {
                format!("type {raw:?} is not a label such as PERSON (letters, digits, _)")
            })?
        }
    };
    let id = match id_col {
        Some(i) => match clean(i, changes) {
            s if s.is_empty() => {
                let s = slug(&name);
                changes.push(format!("empty id: using {s:?}, the slug of the name"));
                s
            }
            s => s,
        },
        None => slug(&name),
    };
    if id.is_empty() {
        return Err(format!(
            "name {name:?} gives an empty id: add an id column (--id-column)"
        ));
    }
    if id.starts_with('#') {
        return Err(format!(
            "id {id:?} starts with `#`, which would make the row a comment"
        ));
    }
    let mut aliases = Vec::new();
    if let Some(i) = aliases_col {
        let raw = cell(i);
        if raw.contains(['\n', '\r']) {
            changes.push("aliases split at line breaks".to_string());
        }
        let mut seen: HashSet<(String, char)> = HashSet::from([(fold_str_keep_case(&name), ' ')]);
        for piece in raw
            .split(opts.alias_separator.as_str())
            .flat_map(|p| p.split(['\n', '\r']))
        {
            if piece.contains('|') {
                changes.push(format!(
                    "alias {:?} split at `|`, the gazetteer's alias separator",
                    piece.trim()
                ));
            }
            for a in piece.split('|') {
                let (a, changed) = clean_value(a);
                if changed {
                    changes.push(format!(
                        "alias {a:?}: tabs or control characters replaced by spaces"
                    ));
                }
                if a.is_empty() {
                    continue;
                }
                let (marker, text) = match a.chars().next() {
                    Some(m @ ('~' | '=')) => (m, a[1..].trim()),
                    _ => (' ', a.as_str()),
                };
                if let Some(p) = alias_problem(text, marker == '=') {
                    changes.push(format!("alias {a:?} dropped: it {p}"));
                    continue;
                }
                if seen.insert((fold_str_keep_case(text), marker)) {
                    aliases.push(if marker == ' ' {
                        text.to_string()
                    } else {
                        format!("{marker}{text}")
                    });
                }
            }
        }
    }
    let mut attributes = Vec::with_capacity(keep.len());
    for (i, attr) in keep {
        let mut v = clean(*i, changes);
        match attr.as_str() {
            "priority" if !v.is_empty() && !v.parse::<f64>().is_ok_and(f64::is_finite) => {
                changes.push(format!("priority {v:?} dropped: not a number"));
                v.clear();
            }
            "case" if !v.is_empty() => {
                let l = v.to_lowercase();
                if ["proper", "insensitive", "exact"].contains(&l.as_str()) {
                    v = l;
                } else {
                    changes.push(format!(
                        "case {v:?} dropped: not proper, insensitive or exact"
                    ));
                    v.clear();
                }
            }
            _ => {}
        }
        attributes.push(v);
    }
    Ok(CsvRow {
        id,
        kind,
        name,
        aliases,
        attributes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{CaseRule, GazetteerBuilder};

    fn load(tsv: &str) -> crate::Gazetteer {
        let mut b = GazetteerBuilder::new();
        b.add_str("out.tsv", tsv);
        b.build().unwrap_or_else(|e| panic!("{e}\n{tsv}"))
    }

    fn geonames(
        input: &str,
        min_population: u64,
        all_names: bool,
    ) -> (String, Summary, Vec<String>) {
        let opts = GeonamesOptions {
            kind: "LOC".to_string(),
            min_population,
            all_names,
            source: "sample.txt".to_string(),
        };
        let mut out = Vec::new();
        let mut msgs = Vec::new();
        let sum = import_geonames(&mut input.as_bytes(), &mut out, &opts, &mut |m| {
            msgs.push(format!("{}: {}", m.line, m.text))
        })
        .unwrap();
        (String::from_utf8(out).unwrap(), sum, msgs)
    }

    /// Made-up places in the GeoNames dump layout (19 columns).
    fn line(id: &str, name: &str, ascii: &str, alt: &str, pop: &str) -> String {
        [
            id,
            name,
            ascii,
            alt,
            "12.5",
            "-3.25",
            "P",
            "PPL",
            "ZZ",
            "",
            "01",
            "",
            "",
            "",
            pop,
            "",
            "40",
            "Etc/UTC",
            "2024-01-01",
        ]
        .join("\t")
    }

    #[test]
    fn geonames_rows_and_alias_filtering() {
        let input = [
            line(
                "101",
                "Mörkholm",
                "Morkholm",
                "Mørkholm,Моркхольм,MKH,Morkholm,Mork Holm,1234,M,~Odd,Mork|holm,L.M.",
                "52000",
            ),
            line("102", "Tiny", "Tiny", "", "10"),
            "103\tBroken".to_string(),
            line("104", "Quellby", "Quellby", "QB1", ""),
        ]
        .join("\n");
        let (out, sum, msgs) = geonames(&input, 0, false);
        assert_eq!(
            out,
            "# GeoNames data (geonames.org), licence CC BY 4.0; converted from sample.txt by `entgraph gazetteer import geonames`\n\
             id\ttype\tname\taliases\tlat\tlon\tcountry_code\tpopulation\tgeonames\tfeature\n\
             geonames-101\tLOC\tMörkholm\tMørkholm|Mork Holm|L.M.\t12.5\t-3.25\tZZ\t52000\t101\tP.PPL\n\
             geonames-102\tLOC\tTiny\t\t12.5\t-3.25\tZZ\t10\t102\tP.PPL\n\
             geonames-104\tLOC\tQuellby\t\t12.5\t-3.25\tZZ\t0\t104\tP.PPL\n"
        );
        assert_eq!(
            msgs,
            ["3: 2 tab-separated columns, but a GeoNames dump line has 19"]
        );
        assert_eq!(
            sum,
            Summary {
                read: 4,
                written: 3,
                filtered: 0,
                skipped: 1,
                changed: 0
            }
        );
        let g = load(&out);
        assert_eq!(g.len(), 3);
        assert_eq!(
            g.entity(g.lookup("geonames-101").unwrap())
                .attributes
                .get("feature")
                .unwrap(),
            "P.PPL"
        );

        let (out, sum, _) = geonames(&input, 1000, true);
        assert_eq!(sum.filtered, 2);
        assert!(
            out.contains("\tMørkholm|Моркхольм|MKH|Mork Holm|1234|M|L.M.\t"),
            "{out}"
        );
        load(&out);
    }

    #[test]
    fn geonames_reports_bad_values_and_writes_nothing_without_a_usable_row() {
        let bad = [
            line("x1", "A", "A", "", "1"),
            line("2", "", "", "", "1"),
            line("3", "Ok", "Ok", "", "many"),
            line("4", "Ok", "Ok", "", "1").replace("12.5", "north"),
        ]
        .join("\r\n");
        let (out, sum, msgs) = geonames(&bad, 0, false);
        assert_eq!(out, "");
        assert!(!sum.usable());
        assert_eq!(
            msgs,
            [
                "1: geonameid \"x1\" is not a number",
                "2: empty name",
                "3: population \"many\" is not a whole number",
                "4: latitude \"north\" is not a number in ±90",
            ]
        );
    }

    fn csv_import(input: &str, opts: &CsvOptions) -> (String, Summary, Vec<String>) {
        let mut out = Vec::new();
        let mut msgs = Vec::new();
        let sum = import_csv(&mut input.as_bytes(), &mut out, opts, &mut |m| {
            msgs.push(format!(
                "{}: {}{}",
                m.line,
                if m.skipped { "skipped: " } else { "" },
                m.text
            ))
        })
        .unwrap();
        (String::from_utf8(out).unwrap(), sum, msgs)
    }

    fn opts() -> CsvOptions {
        CsvOptions {
            name_column: "Name".to_string(),
            kind: TypeSource::Column("kind".to_string()),
            id_column: Some("ID".to_string()),
            aliases_column: Some("Also known as".to_string()),
            alias_separator: ";".to_string(),
            keep_columns: vec!["Wikidata".to_string(), "Priority".to_string()],
            delimiter: b',',
            source: "people.csv".to_string(),
        }
    }

    #[test]
    fn csv_quoting_tabs_newlines_and_aliases() {
        let input = "\u{feff}ID,Name,Kind,Also known as,Wikidata,Priority,Notes\n\
            ada,\"Lovelace, Ada\",person,\"Ada Lovelace; ~Ada ;Augusta\tAda King\",Q7259,2,x\n\
            ,\"Grace\nHopper\",Person,\"Amazing Grace\nGrace M. Hopper|=GMH;a\",Q11641,high,\n\
            ,,,,,,\n\
            bad,Thing,per son!,,,,\n\
            ada,Ada,ORG,,,,\n\
            ,北京,LOC,,,,\n\
            x,Ex,LOC,,,,,extra\n";
        let (out, sum, msgs) = csv_import(input, &opts());
        assert_eq!(
            out,
            "# Converted from people.csv by `entgraph gazetteer import csv`\n\
             id\ttype\tname\taliases\twikidata\tpriority\n\
             ada\tPERSON\tLovelace, Ada\tAda Lovelace|~Ada|Augusta Ada King\tQ7259\t2\n\
             grace-hopper\tPERSON\tGrace Hopper\tAmazing Grace|Grace M. Hopper|=GMH\tQ11641\t\n"
        );
        assert_eq!(
            msgs,
            [
                "2: alias \"Augusta Ada King\": tabs or control characters replaced by spaces",
                "3: column \"Name\": tabs, line breaks or control characters replaced by spaces",
                "3: empty id: using \"grace-hopper\", the slug of the name",
                "3: aliases split at line breaks",
                "3: alias \"Grace M. Hopper|=GMH\" split at `|`, the gazetteer's alias separator",
                "3: alias \"a\" dropped: it is shorter than 2 characters",
                "3: priority \"high\" dropped: not a number",
                "7: skipped: type \"per son!\" is not a label such as PERSON (letters, digits, _)",
                "8: skipped: id \"ada\" has type ORG here but PERSON on line 2: the rows would not load together",
                "9: skipped: name \"北京\" gives an empty id: add an id column (--id-column)",
                "10: skipped: 8 fields, but the header has 7 columns",
            ]
        );
        assert_eq!(
            sum,
            Summary {
                read: 6,
                written: 2,
                filtered: 0,
                skipped: 4,
                changed: 2
            }
        );
        let g = load(&out);
        let ada = g.entity(g.lookup("ada").unwrap());
        assert_eq!(ada.priority, 2.0);
        let gmh = g
            .aliases()
            .iter()
            .find(|a| a.text == "GMH")
            .expect("exact alias kept");
        assert_eq!(gmh.case, CaseRule::Exact);
    }

    #[test]
    fn csv_tsv_fixed_type_and_slug_ids() {
        let opts = CsvOptions {
            name_column: "name".to_string(),
            kind: TypeSource::Fixed("org".to_string()),
            id_column: None,
            aliases_column: None,
            alias_separator: ";".to_string(),
            keep_columns: vec![],
            delimiter: b'\t',
            source: "orgs.tsv".to_string(),
        };
        let (out, sum, msgs) = csv_import("name\tx\nAcme Corp.\t1\n\"Quoted\tName\"\t2\n", &opts);
        assert_eq!(
            out,
            "# Converted from orgs.tsv by `entgraph gazetteer import csv`\n\
             id\ttype\tname\taliases\n\
             acme-corp\tORG\tAcme Corp.\t\n\
             quoted-name\tORG\tQuoted Name\t\n"
        );
        assert_eq!(sum.written, 2);
        assert_eq!(
            msgs,
            ["3: column \"name\": tabs, line breaks or control characters replaced by spaces"]
        );
        load(&out);
    }

    #[test]
    fn csv_option_errors() {
        let mut o = opts();
        o.name_column = "Label".to_string();
        let err = import_csv(
            &mut "ID,Name\n".as_bytes(),
            &mut Vec::new(),
            &o,
            &mut |_| {},
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "--name-column \"Label\": no such column; the header has \"ID\", \"Name\""
        );
        let mut o = opts();
        o.kind = TypeSource::Fixed("lo c!".to_string());
        o.id_column = None;
        o.aliases_column = None;
        o.keep_columns = vec![];
        let err =
            import_csv(&mut "name\n".as_bytes(), &mut Vec::new(), &o, &mut |_| {}).unwrap_err();
        assert!(err.to_string().starts_with("--type \"lo c!\""), "{err}");
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
