//! The report as Markdown tables.

use std::fmt::Write as _;

use super::{PROVISIONAL_HEADER, PROVISIONAL_NOTE, Report, members_text, number, partners_text};

/// Markdown table cell text that renders as the text it holds: `&`, `<` and `>` as HTML
/// entities (raw HTML such as `<script>` is live in CommonMark renderers, and `<http://…>` an
/// autolink), the characters that start inline Markdown (`\\` `` ` `` `*` `_` `[` `]` `~`) and
/// the cell separator `|` backslash-escaped, line breaks and tabs as spaces, other control and
/// bidi characters as U+FFFD.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    crate::escape::terminal(&out).into_owned()
}

/// The report as two GitHub-flavoured Markdown tables.
pub fn to_markdown(r: &Report) -> String {
    let mut out = if r.has_provisional {
        format!(
            "## Top entities\n\n| # | entity | type | {PROVISIONAL_HEADER} | mentions | docs | weighted degree | PageRank | community | strongest partners |\n|---:|---|---|---|---:|---:|---:|---:|---:|---|\n",
        )
    } else {
        String::from(
            "## Top entities\n\n| # | entity | type | mentions | docs | weighted degree | PageRank | community | strongest partners |\n|---:|---|---|---:|---:|---:|---:|---:|---|\n",
        )
    };
    for e in &r.entities {
        let provisional = if r.has_provisional {
            format!(" {} |", md_escape(e.cue.as_deref().unwrap_or("")))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} |{provisional} {} | {} | {} | {:.4} | {} | {} |",
            e.rank,
            md_escape(&e.name),
            md_escape(&e.kind),
            e.mentions,
            e.documents,
            number(e.weighted_degree),
            e.pagerank,
            e.community,
            md_escape(&partners_text(&e.partners))
        );
    }
    if r.has_provisional {
        // Our own text, with `code` meant as code.
        let _ = writeln!(out, "\n{PROVISIONAL_NOTE}");
    }
    out.push_str(
        "\n## Strongest pairs\n\n| # | pair | weight | count | docs |\n|---:|---|---:|---:|---:|\n",
    );
    for p in &r.pairs {
        let _ = writeln!(
            out,
            "| {} | {} — {} | {} | {} | {} |",
            p.rank,
            md_escape(&p.source_name),
            md_escape(&p.target_name),
            number(p.weight),
            p.count,
            p.documents
        );
    }
    out.push_str(
        "\n## Largest communities\n\n| community | nodes | edges | weight | first entities |\n|---:|---:|---:|---:|---|\n",
    );
    for c in &r.communities {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            c.community,
            c.nodes,
            c.edges,
            number(c.weight),
            md_escape(&members_text(&c.members))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample;
    use super::super::*;
    use super::*;

    #[test]
    fn markdown_cells_are_inert() {
        assert_eq!(
            md_escape("<script>x</script> *a* _b_ [l](u) `c` ~d~ a&b\x1b"),
            "&lt;script&gt;x&lt;/script&gt; \\*a\\* \\_b\\_ \\[l\\](u) \\`c\\` \\~d\\~ a&amp;b\u{FFFD}"
        );
    }

    #[test]
    fn markdown_escapes_pipes() {
        let mut g = sample();
        g.nodes[0].label = "A|B".into();
        let md = to_markdown(&report(&g, &ReportOptions::default()));
        assert!(md.contains("A\\|B"));
        assert!(md.starts_with("## Top entities"));
    }
}
