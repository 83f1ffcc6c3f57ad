//! Importing GeoNames dumps (`allCountries.txt`, `cities15000.txt`, …): one place a line,
//! with its Latin-script names as aliases.

use std::collections::HashSet;
use std::io::{self, BufRead, Write};

use super::write::{TsvWriter, clean_value};
use super::{Message, RowError, Summary, alias_problem, name_problem};
use crate::fold::fold_str;

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
pub(super) const GEONAMES_COLUMNS: usize = 19;

/// Letters of the Latin script (basic, Latin-1, Extended-A to -E, IPA, Additional, fullwidth).
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c as u32,
            0xAA | 0xBA | 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F | 0x250..=0x2AF
            | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xAB30..=0xAB6F
            | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A)
}

/// Written in the Latin script: at least one letter, and every letter Latin.
pub(super) fn is_latin(s: &str) -> bool {
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
pub(super) fn looks_like_code(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit()) || s.chars().all(|c| c.is_ascii_uppercase())
}

/// Converts a GeoNames dump to a gazetteer (see the README: `gazetteer import geonames`).
///
/// Each place becomes `id` = `geonames-<geonameid>`, `type`, `name`, `aliases` (the ASCII name
/// and the alternate names, filtered, see below) and the attributes `lat`, `lon` (declared
/// `lat:float`, `lon:float` in the header),
/// `country_code` (ISO 3166 alpha-2, as given: `country` holds a country's entity id in the
/// default gazetteer), `population` (`population:int`), `geonames` (the geonameid) and `feature`
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
        // Typed, so that they are numbers in every export (see crate::attribute).
        "lat:float",
        "lon:float",
        "country_code",
        "population:int",
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
        let mut skip = |problem: RowError| {
            report(Message {
                line,
                skipped: true,
                text: problem.to_string(),
            })
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            skip(RowError::NotUtf8);
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
fn parse_place(f: &[&str], opts: &GeonamesOptions) -> Result<Option<Place>, RowError> {
    if f.len() != GEONAMES_COLUMNS {
        return Err(RowError::GeonamesColumns(f.len()));
    }
    let geonameid = f[0].trim();
    if geonameid.is_empty() || !geonameid.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RowError::BadGeonameId(geonameid.to_string()));
    }
    let (name, changed) = clean_value(f[1]);
    if changed {
        return Err(RowError::NameControlChars(f[1].to_string()));
    }
    if name.is_empty() {
        return Err(RowError::EmptyName(None));
    }
    if let Some(fault) = name_problem(&name) {
        return Err(RowError::BadName { name, fault });
    }
    for (i, what, max) in [(4, "latitude", 90.0), (5, "longitude", 180.0)] {
        match f[i].trim().parse::<f64>() {
            Ok(x) if x.is_finite() && x.abs() <= max => {}
            _ => {
                return Err(RowError::BadCoordinate {
                    what,
                    value: f[i].to_string(),
                    max,
                });
            }
        }
    }
    let population = match f[14].trim() {
        "" => 0,
        s => s
            .parse::<u64>()
            .map_err(|_| RowError::BadPopulation(s.to_string()))?,
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

#[cfg(test)]
mod tests {
    use super::super::tests::load;
    use super::*;

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
             id\ttype\tname\taliases\tlat:float\tlon:float\tcountry_code\tpopulation:int\tgeonames\tfeature\n\
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
}
