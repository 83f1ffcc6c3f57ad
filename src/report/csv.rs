//! The report as CSV, one section (entities or pairs) at a time, safe for spreadsheets.

use super::{Report, members_text, number, partners_text};

/// A text cell made safe for spreadsheets: a leading `= + - @` (or tab / carriage return)
/// would be read as a formula, so it gets a leading `'` (OWASP's advice).
pub fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Which table a CSV report holds (CSV has room for one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CsvSection {
    /// The ranked entities.
    #[default]
    Entities,
    /// The strongest pairs.
    Pairs,
    /// The community table.
    Communities,
}

impl CsvSection {
    /// Both sections, in the order the command line lists them.
    pub const ALL: [CsvSection; 3] = [
        CsvSection::Entities,
        CsvSection::Pairs,
        CsvSection::Communities,
    ];

    /// The name used on the command line (`--csv-section pairs`).
    pub fn as_str(self) -> &'static str {
        match self {
            CsvSection::Entities => "entities",
            CsvSection::Pairs => "pairs",
            CsvSection::Communities => "communities",
        }
    }
}

/// One CSV table with a header row; text cells escaped with [`csv_text`].
pub fn to_csv(r: &Report, section: CsvSection) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let res: csv::Result<()> = (|| {
        match section {
            CsvSection::Entities => {
                let mut header = vec![
                    "rank",
                    "id",
                    "name",
                    "type",
                    "mentions",
                    "documents",
                    "weighted_degree",
                    "pagerank",
                    "community",
                    "partners",
                ];
                if r.has_provisional {
                    header.extend(["provisional", "cue"]);
                }
                w.write_record(header)?;
                for e in &r.entities {
                    let mut record = vec![
                        e.rank.to_string(),
                        csv_text(&e.id),
                        csv_text(&e.name),
                        csv_text(&e.kind),
                        e.mentions.to_string(),
                        e.documents.to_string(),
                        number(e.weighted_degree),
                        format!("{:.6}", e.pagerank),
                        e.community.to_string(),
                        csv_text(&partners_text(&e.partners)),
                    ];
                    if r.has_provisional {
                        record.push(e.cue.is_some().to_string());
                        record.push(csv_text(e.cue.as_deref().unwrap_or("")));
                    }
                    w.write_record(record)?;
                }
            }
            CsvSection::Pairs => {
                w.write_record([
                    "rank",
                    "source",
                    "source_name",
                    "target",
                    "target_name",
                    "weight",
                    "count",
                    "documents",
                ])?;
                for p in &r.pairs {
                    w.write_record([
                        p.rank.to_string(),
                        csv_text(&p.source),
                        csv_text(&p.source_name),
                        csv_text(&p.target),
                        csv_text(&p.target_name),
                        number(p.weight),
                        p.count.to_string(),
                        p.documents.to_string(),
                    ])?;
                }
            }
            CsvSection::Communities => {
                w.write_record(["community", "nodes", "edges", "weight", "members"])?;
                for c in &r.communities {
                    w.write_record([
                        c.community.to_string(),
                        c.nodes.to_string(),
                        c.edges.to_string(),
                        number(c.weight),
                        csv_text(&members_text(&c.members)),
                    ])?;
                }
            }
        }
        Ok(())
    })();
    res.expect("writing CSV to memory cannot fail");
    String::from_utf8(w.into_inner().expect("in-memory writer")).expect("CSV of UTF-8 is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample;
    use super::super::*;
    use super::*;

    #[test]
    fn csv_is_safe_for_spreadsheets() {
        let r = report(&sample(), &ReportOptions::default());
        let csv = to_csv(&r, CsvSection::Entities);
        let mut rows = ::csv::Reader::from_reader(csv.as_bytes());
        let names: Vec<String> = rows.records().map(|r| r.unwrap()[1].to_string()).collect();
        assert_eq!(names, ["lee", "xi", "seoul", "'=cmd"]);
        for (s, want) in [
            ("=1+1", "'=1+1"),
            ("+x", "'+x"),
            ("-x", "'-x"),
            ("@x", "'@x"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(csv_text(s), want);
        }
    }
}
