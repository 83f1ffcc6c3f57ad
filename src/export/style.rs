//! How each entity type is drawn, in one table: the DOT export, the HTML viewer (through the
//! page's embedded data) and the report's terminal table all read [`TYPE_STYLES`].
//!
//! Colours are the Okabe–Ito palette, which stays distinct for colour-blind readers; shapes
//! differ too, so types stay distinguishable in greyscale prints.

use comfy_table::Color;

/// How one entity type is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeStyle {
    /// The type label (`PERSON`); empty for [`OTHER_STYLE`].
    pub kind: &'static str,
    /// What the viewer's legend calls the type (`People`).
    pub name: &'static str,
    /// Fill colour in every picture (DOT and HTML).
    pub color: &'static str,
    /// Graphviz node shape.
    pub dot_shape: &'static str,
    /// Graphviz `style` flags (`filled` always, `rounded` for boxes).
    pub dot_style: &'static str,
    /// Terminal colour of the report's type column, the closest to `color`.
    pub terminal: Color,
}

/// The types with a style of their own, in legend order (other types follow alphabetically).
pub const TYPE_STYLES: &[TypeStyle] = &[
    TypeStyle {
        kind: "PERSON",
        name: "People",
        color: "#E69F00", // orange
        dot_shape: "ellipse",
        dot_style: "filled",
        terminal: Color::DarkYellow,
    },
    TypeStyle {
        kind: "ORG",
        name: "Organizations",
        color: "#56B4E9", // sky blue
        dot_shape: "box",
        dot_style: "filled,rounded",
        terminal: Color::Cyan,
    },
    TypeStyle {
        kind: "LOC",
        name: "Places",
        color: "#009E73", // bluish green
        dot_shape: "hexagon",
        dot_style: "filled",
        terminal: Color::Green,
    },
    TypeStyle {
        kind: "NORP",
        name: "Groups, nationalities",
        color: "#CC79A7", // reddish purple
        dot_shape: "octagon",
        dot_style: "filled",
        terminal: Color::Magenta,
    },
];

/// The style of any other type.
pub const OTHER_STYLE: TypeStyle = TypeStyle {
    kind: "",
    name: "",
    color: "#BBBBBB",
    dot_shape: "note",
    dot_style: "filled",
    terminal: Color::Grey,
};

/// The style of an entity type.
pub fn type_style(kind: &str) -> &'static TypeStyle {
    TYPE_STYLES
        .iter()
        .find(|s| s.kind == kind)
        .unwrap_or(&OTHER_STYLE)
}

/// Fill colours of communities (`--color-by community`), Paul Tol's "light" scheme: distinct
/// for colour-blind readers and light enough for black labels. Community `c` takes colour
/// `c % 9`, so the 9 largest communities have colours of their own and smaller ones reuse
/// them in turn.
pub const COMMUNITY_COLORS: [&str; 9] = [
    "#77AADD", // light blue
    "#EE8866", // orange
    "#EEDD88", // light yellow
    "#FFAABB", // pink
    "#99DDFF", // light cyan
    "#44BB99", // mint
    "#BBCC33", // pear
    "#AAAA00", // olive
    "#DDDDDD", // pale grey
];

/// The fill colour of community `c`: [`COMMUNITY_COLORS`], cycling.
pub fn community_color(c: usize) -> &'static str {
    COMMUNITY_COLORS[c % COMMUNITY_COLORS.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_style_per_type_and_a_fallback() {
        let kinds: Vec<&str> = TYPE_STYLES.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, ["PERSON", "ORG", "LOC", "NORP"]);
        assert_eq!(type_style("ORG").dot_shape, "box");
        assert_eq!(type_style("EVENT"), &OTHER_STYLE);
        assert_eq!(type_style(""), &OTHER_STYLE);
        let mut colors: Vec<&str> = TYPE_STYLES.iter().map(|s| s.color).collect();
        colors.push(OTHER_STYLE.color);
        colors.sort_unstable();
        colors.dedup();
        assert_eq!(colors.len(), TYPE_STYLES.len() + 1, "colours are distinct");
    }
}
