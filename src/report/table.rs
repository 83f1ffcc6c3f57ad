//! The report as a terminal table (comfy-table), coloured by type when asked.

use std::fmt::Write as _;

use comfy_table::{Cell, Color, ContentArrangement, Row, Table, presets};

use super::{PROVISIONAL_HEADER, PROVISIONAL_NOTE, Report, members_text, number, partners_text};

/// Terminal colours closest to the pictures' palette, from [`crate::export::TYPE_STYLES`].
fn type_color(kind: &str) -> Color {
    crate::export::type_style(kind).terminal
}

/// How a terminal table looks.
#[derive(Clone, Copy, Debug, Default)]
pub struct TableLook {
    /// ANSI colours (only on a terminal, never with `NO_COLOR`: the caller decides).
    pub color: bool,
    /// Fit the table to this many columns, cutting long cells with `…`.
    pub width: Option<u16>,
}

fn new_table(look: TableLook) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    if look.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    if let Some(w) = look.width {
        t.set_width(w);
        t.set_content_arrangement(ContentArrangement::Dynamic);
        t.set_truncation_indicator("…");
    } else {
        t.set_content_arrangement(ContentArrangement::Disabled);
    }
    t
}

fn right_align(t: &mut Table, columns: &[usize]) {
    for &c in columns {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
}

fn one_line(cells: Vec<Cell>, look: TableLook) -> Row {
    let mut r = Row::from(cells);
    if look.width.is_some() {
        r.max_height(1);
    }
    r
}

/// The report as terminal tables: entities, then pairs.
pub fn to_table(r: &Report, look: TableLook) -> String {
    let mut t = new_table(look);
    let mut header = vec!["#", "entity", "type"];
    if r.has_provisional {
        header.push(PROVISIONAL_HEADER);
    }
    header.extend([
        "mentions",
        "docs",
        "w.degree",
        "PageRank",
        "community",
        "strongest partners",
    ]);
    t.set_header(header);
    for e in &r.entities {
        let mut kind = Cell::new(terminal_text(&e.kind));
        if look.color {
            kind = kind.fg(type_color(&e.kind));
        }
        let mut cells = vec![Cell::new(e.rank), Cell::new(terminal_text(&e.name)), kind];
        if r.has_provisional {
            cells.push(Cell::new(terminal_text(e.cue.as_deref().unwrap_or(""))));
        }
        cells.extend([
            Cell::new(e.mentions),
            Cell::new(e.documents),
            Cell::new(number(e.weighted_degree)),
            Cell::new(format!("{:.4}", e.pagerank)),
            Cell::new(e.community),
            Cell::new(terminal_text(&partners_text(&e.partners))),
        ]);
        t.add_row(one_line(cells, look));
    }
    let shift = usize::from(r.has_provisional);
    right_align(
        &mut t,
        &[0, 3 + shift, 4 + shift, 5 + shift, 6 + shift, 7 + shift],
    );
    let mut out = format!("Top entities\n{t}\n");
    if r.has_provisional {
        let _ = writeln!(out, "{PROVISIONAL_NOTE}");
    }
    let mut p = new_table(look);
    p.set_header(vec!["#", "pair", "weight", "count", "docs"]);
    for x in &r.pairs {
        p.add_row(one_line(
            vec![
                Cell::new(x.rank),
                Cell::new(terminal_text(&format!(
                    "{} — {}",
                    x.source_name, x.target_name
                ))),
                Cell::new(number(x.weight)),
                Cell::new(x.count),
                Cell::new(x.documents),
            ],
            look,
        ));
    }
    right_align(&mut p, &[0, 2, 3, 4]);
    let _ = write!(out, "\nStrongest pairs\n{p}\n");
    let mut c = new_table(look);
    c.set_header(vec![
        "community",
        "nodes",
        "edges",
        "weight",
        "first entities",
    ]);
    for x in &r.communities {
        c.add_row(one_line(
            vec![
                Cell::new(x.community),
                Cell::new(x.nodes),
                Cell::new(x.edges),
                Cell::new(number(x.weight)),
                Cell::new(terminal_text(&members_text(&x.members))),
            ],
            look,
        ));
    }
    right_align(&mut c, &[0, 1, 2, 3]);
    let _ = write!(out, "\nLargest communities\n{c}\n");
    out
}

/// A cell for the terminal: control characters (which could move the cursor or recolour
/// the terminal) and bidi controls become U+FFFD, line breaks and tabs a space.
fn terminal_text(s: &str) -> String {
    crate::escape::terminal(&s.replace(['\n', '\r', '\t'], " ")).into_owned()
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample;
    use super::super::*;
    use super::*;

    #[test]
    fn tables_fit_the_terminal() {
        let mut g = sample();
        g.nodes[0].label = "A very long name that will not fit in a narrow terminal at all".into();
        let r = report(&g, &ReportOptions::default());
        let t = to_table(
            &r,
            TableLook {
                color: false,
                width: Some(60),
            },
        );
        assert!(t.contains('…'), "{t}");
        assert!(t.lines().all(|l| l.chars().count() <= 60), "{t}");
        assert!(!t.contains('\u{1b}'), "no colour asked");
        let wide = to_table(
            &r,
            TableLook {
                color: false,
                width: None,
            },
        );
        assert!(wide.contains("A very long name that will not fit in a narrow terminal at all"));
        let coloured = to_table(
            &r,
            TableLook {
                color: true,
                width: None,
            },
        );
        assert!(coloured.contains('\u{1b}'));
    }
}
