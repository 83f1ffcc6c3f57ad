//! Importing users' own CSV or TSV spreadsheets: chosen columns for name, aliases, id and type,
//! every other column an attribute.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};

use super::write::{TsvWriter, clean_value};
use super::{ImportError, Message, RowError, Summary, alias_problem, name_problem, normalize_type};
use crate::fold::fold_str_keep_case;
use crate::gazetteer::slug;

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
    /// The column holding each row's canonical name (exact header, else a unique
    /// case-insensitive match).
    pub name_column: String,
    /// Where each row's type comes from.
    pub kind: TypeSource,
    /// Else the id is the slug of the name.
    pub id_column: Option<String>,
    /// The column of extra aliases, split by `alias_separator`; none if `None`.
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
            Some((t, l)) if *t != r.kind => Err(RowError::TypeConflict {
                id: r.id,
                kind: r.kind,
                other: t.clone(),
                line: *l,
            }),
            _ => Ok(r),
        });
        match row {
            Err(problem) => {
                report(Message {
                    line,
                    skipped: true,
                    text: problem.to_string(),
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
) -> Result<CsvRow, RowError> {
    if record.len() > headers.len() {
        return Err(RowError::TooManyFields {
            fields: record.len(),
            columns: headers.len(),
        });
    }
    let mut cells = Vec::with_capacity(record.len());
    for (i, f) in record.iter().enumerate() {
        match std::str::from_utf8(f) {
            Ok(s) => cells.push(s),
            Err(_) => return Err(RowError::CellNotUtf8(headers[i].clone())),
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
        return Err(RowError::EmptyName(Some(headers[name_col].clone())));
    }
    if let Some(fault) = name_problem(&name) {
        return Err(RowError::BadName { name, fault });
    }
    let kind = match kind {
        Kind::Fixed(fixed) => fixed.clone(),
        Kind::Column(i) => {
            let raw = clean(*i, changes);
            normalize_type(&raw).ok_or(RowError::BadType(raw))?
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
        return Err(RowError::EmptyId(name));
    }
    if id.starts_with('#') {
        return Err(RowError::CommentId(id));
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
    use super::super::tests::load;
    use super::*;
    use crate::gazetteer::CaseRule;

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
}
