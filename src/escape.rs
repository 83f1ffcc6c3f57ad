//! Untrusted text (document text, ids, file names, gazetteer values) made safe for outputs that
//! are read line by line or shown on a terminal.
//!
//! Two treatments: [`terminal`] for text shown to a person (escape sequences could retitle the
//! window, clear the screen or recolour it; bidirectional overrides could make text read in
//! another order), and [`one_line`] for a value that must stay on its line of a line-based
//! format (a `# doc: ID` header, a CoNLL token line), reversibly.

use std::borrow::Cow;

/// Whether `c` changes the direction text is shown in (U+202A–U+202E embeddings and
/// overrides, U+2066–U+2069 isolates, U+200E/U+200F/U+061C marks): invisible characters that
/// can make a line read differently from what it holds ("Trojan Source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Whether a terminal could take `c` for something other than a character to show: a control
/// character (C0, DEL, C1: ESC starts escape sequences, CSI is U+009B) or a bidi control.
fn unsafe_on_terminal(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// `s` with every control character (line breaks and tabs included) and bidi control replaced
/// by U+FFFD: for one-line text on a terminal (a warning, a context line). Borrowed when
/// nothing needed replacing.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unsafe_on_terminal) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if unsafe_on_terminal(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// `s` as [`terminal`] does it, but keeping line breaks (`\n`, and `\r` right before `\n`) and
/// tabs: for multi-line text shown as it is written (`tag -f text`).
pub fn terminal_lines(s: &str) -> Cow<'_, str> {
    let keep = |c: char, next: Option<char>| match c {
        '\n' | '\t' => true,
        '\r' => next == Some('\n'),
        c => !unsafe_on_terminal(c),
    };
    let mut chars = s.chars().peekable();
    let mut clean = true;
    while let Some(c) = chars.next() {
        if !keep(c, chars.peek().copied()) {
            clean = false;
            break;
        }
    }
    if clean {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(if keep(c, chars.peek().copied()) {
            c
        } else {
            '\u{FFFD}'
        });
    }
    Cow::Owned(out)
}

/// `s` on one line, reversibly: `\` becomes `\\`, `\n` `\r` `\t` their escapes, and any other
/// control character, bidi control or Unicode line/paragraph separator (U+2028, U+2029)
/// `\u{HEX}`. For ids and file names in line-based outputs, where a line break would start a
/// forged line. Borrowed when nothing needed escaping.
pub fn one_line(s: &str) -> Cow<'_, str> {
    let special =
        |c: char| c == '\\' || unsafe_on_terminal(c) || matches!(c, '\u{2028}' | '\u{2029}');
    if !s.chars().any(special) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if special(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_neutralises_escapes_and_bidi() {
        assert_eq!(terminal("plain Nicolás"), "plain Nicolás");
        assert!(matches!(terminal("plain"), Cow::Borrowed(_)));
        assert_eq!(
            terminal("a\x1b]0;x\x07b\u{9b}c"),
            "a\u{FFFD}]0;x\u{FFFD}b\u{FFFD}c"
        );
        assert_eq!(terminal("a\u{202E}b\nc"), "a\u{FFFD}b\u{FFFD}c");
    }

    #[test]
    fn terminal_lines_keeps_line_structure() {
        assert_eq!(terminal_lines("a\r\nb\tc\n"), "a\r\nb\tc\n");
        assert_eq!(terminal_lines("a\rb\x1b[2J"), "a\u{FFFD}b\u{FFFD}[2J");
    }

    #[test]
    fn one_line_escapes_reversibly() {
        assert_eq!(one_line("doc-1.txt"), "doc-1.txt");
        assert_eq!(one_line("a\n# doc: b"), "a\\n# doc: b");
        assert_eq!(
            one_line("c:\\x\t\u{2028}\x1b"),
            "c:\\\\x\\t\\u{2028}\\u{1b}"
        );
        assert!(!one_line("x\ny\rz\u{85}").contains(['\n', '\r', '\u{85}']));
    }
}
