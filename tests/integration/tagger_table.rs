//! Named table rows, one or more per matching rule of the README, run through both
//! `Tagger::tag` (fresh buffers) and `Tagger::tag_with` with ONE `Scratch` reused across every
//! row, in order and then in reverse, and across the different gazetteers: whatever an
//! earlier text left in the buffers must not change a later result. Public API only.

use std::collections::BTreeMap;

use entgraph::gazetteer::GazetteerBuilder;
use entgraph::tagger::{Scratch, Tagged, Tagger};

/// The people, places and organizations of the rule examples.
const NEWS: &str = "id\ttype\tname\taliases\tpriority\n\
    lee\tPERSON\tLee Jae-myung\tLee Jae Myung|~Lee\t\n\
    xi\tPERSON\tXi Jinping\t~Xi\t\n\
    maduro\tPERSON\tNicolás Maduro\t~Maduro\t\n\
    xiaomi\tORG\tXiaomi\t\t\n\
    apec\tORG\tAsia-Pacific Economic Cooperation\tAPEC\t\n\
    asia\tLOC\tAsia\t\t\n\
    china\tLOC\tChina\t\t\n\
    scs\tLOC\tSouth China Sea\t\t\n\
    korea\tLOC\tKorea\t\t\n\
    nk\tLOC\tNorth Korea\t\t\n\
    sk\tLOC\tSouth Korea\tS Korea\t\n\
    us\tLOC\tUnited States\tU.S.|US\t\n\
    sanaa\tLOC\tSana'a\t\t\n\
    beijing\tLOC\tBeijing\t\t\n\
    beijing-zh\tLOC\t北京\t\t\n\
    turkey\tLOC\tTurkey\t\t\n\
    x\tORG\tX\t\t\n\
    brand\tORG\tiPhone\t\t\n\
    leeds\tLOC\tLeeds\t\t\n";

/// Aliases with leading articles, and names that start with one.
const ARTICLES: &str = "id\ttype\tname\taliases\tcase\n\
    netherlands\tLOC\tKingdom of the Netherlands\tthe Netherlands\t\n\
    pacific\tLOC\tPacific Ocean\tthe Pacific\t\n\
    commons\tORG\tHouse of Commons\tthe Commons\t\n\
    wapo\tORG\tWashington Post\tThe Washington Post\t\n\
    washington\tLOC\tWashington\t\t\n\
    hague\tLOC\tThe Hague\tDen Haag\t\n\
    economist\tORG\tThe Economist\t\texact\n";

/// Overlapping names, where a rejected longer match must not hide a shorter one.
const OVERLAPS: &str = "type\tname\taliases\n\
    PERSON\tLee Ann\t\n\
    PERSON\tAnn Smith\t\n\
    ORG\tCHINA DAILY\t\n\
    LOC\tChina\t\n";

/// One alias, two entities, no priority: settled only by the document.
const AMBIGUOUS: &str = "id\ttype\tname\taliases\tcase\n\
    ocean\tLOC\tAtlantic Ocean\tthe Atlantic\t\n\
    magazine\tORG\tThe Atlantic\t\texact\n";

struct Case {
    name: &'static str,
    gazetteer: &'static str,
    text: &'static str,
    /// (surface, entity id) of every mention, in order.
    want: &'static [(&'static str, &'static str)],
    /// Occurrences reported as ambiguous.
    ambiguous: usize,
}

const fn case(
    name: &'static str,
    gazetteer: &'static str,
    text: &'static str,
    want: &'static [(&'static str, &'static str)],
) -> Case {
    Case {
        name,
        gazetteer,
        text,
        want,
        ambiguous: 0,
    }
}

const CASES: &[Case] = &[
    // 1. Whole words.
    case("whole-word-alone", NEWS, "Xiaomi", &[("Xiaomi", "xiaomi")]),
    case(
        "whole-word-not-inside-words",
        NEWS,
        "Leeds and Xiaomi2 and AXiaomi",
        &[("Leeds", "leeds")],
    ),
    case("whole-word-not-before-digits", NEWS, "China2025", &[]),
    case(
        "whole-word-one-letter-not-in-compounds",
        NEWS,
        "an X-ray, an X‑Box, a T-X merger",
        &[],
    ),
    case(
        "whole-word-unspaced-script",
        NEWS,
        "我在北京工作",
        &[("北京", "beijing-zh")],
    ),
    // 2. Leftmost-longest, rules applied before choosing.
    case(
        "longest-nested",
        NEWS,
        "the South China Sea",
        &[("South China Sea", "scs")],
    ),
    case(
        "longest-then-shorter",
        NEWS,
        "North Korea and Korea",
        &[("North Korea", "nk"), ("Korea", "korea")],
    ),
    case(
        "longest-hyphenated-name",
        NEWS,
        "Asia-Pacific Economic Cooperation in Asia",
        &[
            ("Asia-Pacific Economic Cooperation", "apec"),
            ("Asia", "asia"),
        ],
    ),
    case(
        "longest-rejected-keeps-later",
        OVERLAPS,
        "KLee Ann Smith",
        &[("Ann Smith", "ann-smith")],
    ),
    case(
        "longest-rejected-case-keeps-shorter",
        OVERLAPS,
        "China Daily",
        &[("China", "china")],
    ),
    // 3. Folding that keeps offsets.
    case(
        "fold-case-and-nonbreaking-hyphen",
        NEWS,
        "LEE JAE‑MYUNG met",
        &[("LEE JAE‑MYUNG", "lee")],
    ),
    case(
        "fold-whitespace-runs",
        NEWS,
        "Lee  Jae\nmyung",
        &[("Lee  Jae\nmyung", "lee")],
    ),
    case(
        "fold-diacritics",
        NEWS,
        "NICOLÁS MADURO",
        &[("NICOLÁS MADURO", "maduro")],
    ),
    case(
        "fold-without-diacritics",
        NEWS,
        "Nicolas Maduro",
        &[("Nicolas Maduro", "maduro")],
    ),
    case(
        "fold-curly-apostrophe",
        NEWS,
        "in Sana’a today",
        &[("Sana’a", "sanaa")],
    ),
    case(
        "fold-nbsp",
        NEWS,
        "S\u{00A0}Korea",
        &[("S\u{00A0}Korea", "sk")],
    ),
    // 4. Possessives.
    case(
        "possessive-curly",
        NEWS,
        "Lee Jae-myung’s office",
        &[("Lee Jae-myung", "lee")],
    ),
    case(
        "possessive-straight",
        NEWS,
        "China's economy",
        &[("China", "china")],
    ),
    case("possessive-plural-no-alias", NEWS, "the Koreas' talks", &[]),
    // 5. Leading articles.
    case(
        "article-is-context",
        ARTICLES,
        "in the Netherlands today",
        &[("Netherlands", "netherlands")],
    ),
    case(
        "article-all-caps",
        ARTICLES,
        "THE NETHERLANDS — The",
        &[("NETHERLANDS", "netherlands")],
    ),
    case("article-required", ARTICLES, "Netherlands and Pacific", &[]),
    case(
        "article-selection-on-whole-match",
        ARTICLES,
        "by The Washington Post",
        &[("Washington Post", "wapo")],
    ),
    case(
        "article-case-judges-the-name",
        ARTICLES,
        "The commons were grazed",
        &[],
    ),
    case(
        "article-kept-in-name",
        ARTICLES,
        "to The Hague",
        &[("The Hague", "hague")],
    ),
    case(
        "article-exact-name",
        ARTICLES,
        "read The Economist, not the Economist",
        &[("The Economist", "economist")],
    ),
    // 6. Case.
    case("case-lower-rejected", NEWS, "china and turkey", &[]),
    case(
        "case-all-caps-dateline",
        NEWS,
        "BEIJING, Jan 6",
        &[("BEIJING", "beijing")],
    ),
    case(
        "case-all-caps-alias-exact",
        NEWS,
        "Us and U.S. and u.s.",
        &[("U.S.", "us")],
    ),
    case("case-let-us", NEWS, "let us go to the US", &[("US", "us")]),
    case(
        "case-one-letter",
        NEWS,
        "on X today, x marks",
        &[("X", "x")],
    ),
    case(
        "case-inner-capital",
        NEWS,
        "an iPhone",
        &[("iPhone", "brand")],
    ),
    case("case-inner-capital-lower", NEWS, "an iphone", &[]),
    // 7. Weak aliases.
    case("weak-alone", NEWS, "Lee met Xi.", &[]),
    case(
        "weak-with-strong-later",
        NEWS,
        "South Korea’s Lee snaps Xi selfie. Lee Jae Myung met Xi Jinping.",
        &[
            ("South Korea", "sk"),
            ("Lee", "lee"),
            ("Xi", "xi"),
            ("Lee Jae Myung", "lee"),
            ("Xi Jinping", "xi"),
        ],
    ),
    // 8. Ambiguous aliases.
    case(
        "ambiguous-settled-by-document",
        AMBIGUOUS,
        "In the Atlantic. The Atlantic wrote.",
        &[("Atlantic", "ocean"), ("Atlantic", "ocean")],
    ),
    Case {
        ambiguous: 1,
        ..case("ambiguous-unsettled", AMBIGUOUS, "The Atlantic wrote.", &[])
    },
    // Nothing to find.
    case("empty-text", NEWS, "", &[]),
];

fn taggers() -> BTreeMap<&'static str, Tagger> {
    [NEWS, ARTICLES, OVERLAPS, AMBIGUOUS]
        .into_iter()
        .map(|tsv| {
            let mut b = GazetteerBuilder::new();
            b.add_str("table.tsv", tsv);
            (
                tsv,
                Tagger::new(b.build().expect("table gazetteer")).unwrap(),
            )
        })
        .collect()
}

fn surfaces(tagger: &Tagger, text: &str, tagged: &Tagged) -> Vec<(String, String)> {
    tagged
        .mentions
        .iter()
        .map(|m| {
            (
                text[m.start..m.end].to_string(),
                tagger.gazetteer().entity(m.entity).id.clone(),
            )
        })
        .collect()
}

#[test]
fn table_rows_agree_between_tag_and_tag_with_a_reused_scratch() {
    let taggers = taggers();
    let mut names = std::collections::HashSet::new();
    assert!(
        CASES.iter().all(|c| names.insert(c.name)),
        "case names are unique"
    );
    let mut scratch = Scratch::default();
    // In order, then in reverse: every row follows a different one the second time.
    for (pass, row) in CASES.iter().chain(CASES.iter().rev()).enumerate() {
        let tagger = &taggers[row.gazetteer];
        let fresh = tagger.tag(row.text);
        let reused = tagger.tag_with(row.text, &mut scratch);
        assert_eq!(
            reused, fresh,
            "{} (step {pass}): tag_with with a reused scratch differs from tag",
            row.name
        );
        let want: Vec<(String, String)> = row
            .want
            .iter()
            .map(|&(s, id)| (s.to_string(), id.to_string()))
            .collect();
        assert_eq!(
            surfaces(tagger, row.text, &fresh),
            want,
            "{}: tagging {:?}",
            row.name,
            row.text
        );
        assert_eq!(fresh.ambiguous.len(), row.ambiguous, "{}", row.name);
    }
}
