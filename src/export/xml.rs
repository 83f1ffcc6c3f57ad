//! What the XML formats (GraphML, GEXF) share: text made fit for XML 1.0, values written as
//! text, and the writer. quick-xml escapes markup (`<`, `&`, quotes, and line breaks and tabs
//! in attribute values); what it cannot escape is a character XML 1.0 forbids outright.

use std::borrow::Cow;
use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};

use crate::attribute::AttrValue;

/// `s` with every character XML 1.0 does not allow (C0 controls other than tab, line feed and
/// carriage return; U+FFFE, U+FFFF) replaced by U+FFFD, so that untrusted document and
/// gazetteer text never makes the file unreadable. Borrowed when nothing needs replacing.
pub fn xml_chars(s: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if s.chars().any(bad) {
        Cow::Owned(
            s.chars()
                .map(|c| if bad(c) { '\u{FFFD}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// A value as XML text: text fit for XML ([`xml_chars`]), numbers in Rust's shortest
/// round-trip form (never an exponent), booleans `true`/`false`.
pub fn value_text(v: &AttrValue) -> Cow<'_, str> {
    match v {
        AttrValue::String(s) => xml_chars(s),
        other => Cow::Owned(other.to_string()),
    }
}

/// A writer indenting by 2 spaces, after the XML declaration (UTF-8).
pub fn writer<W: Write>(out: W) -> io::Result<Writer<W>> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_replaced() {
        assert_eq!(
            xml_chars("a\u{0}b\u{c}c\td\ne\r"),
            "a\u{FFFD}b\u{FFFD}c\td\ne\r"
        );
        assert_eq!(xml_chars("\u{FFFF}"), "\u{FFFD}");
        assert!(matches!(xml_chars("plain <&>"), Cow::Borrowed(_)));
    }
}
