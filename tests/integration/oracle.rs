//! The tagger against a brute-force oracle: random alias sets and texts over a small
//! alphabet that hits every rule (case, diacritics, apostrophes, dashes, NBSP, dots,
//! possessive `s`), checked mention for mention.
//!
//! The oracle shares no code with the library: it folds char by char, tries every alias at
//! every position, applies the boundary and case rules as the README states them, and picks
//! leftmost-longest greedily.
//!
//! Past failures are replayed first from `oracle.proptest-regressions` beside this file.
//! proptest's default (`SourceParallel`) would look in `tests/proptest-regressions/oracle.txt`
//! instead, since this directory holds a `main.rs`, so the file is named explicitly.

use entgraph::gazetteer::GazetteerBuilder;
use entgraph::tagger::Tagger;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// (folded char, original byte range)
fn oracle_fold(text: &str) -> Vec<(char, usize, usize)> {
    let mut out: Vec<(char, usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        let f = match c {
            ' ' | '-' | '\u{00A0}' | '\u{2014}' => ' ',
            '\u{2019}' => '\'',
            'é' | 'É' => 'e',
            c => c.to_ascii_lowercase(),
        };
        if let Some(last) = out.last_mut().filter(|l| f == ' ' && l.0 == ' ') {
            last.2 = end;
            continue;
        }
        out.push((f, i, end));
    }
    out
}

fn fold_alias(a: &str) -> Vec<char> {
    let f: String = oracle_fold(a).iter().map(|x| x.0).collect();
    f.trim().chars().collect()
}

fn word(c: char) -> bool {
    c.is_alphanumeric()
}

fn valid_start(f: &[(char, usize, usize)], i: usize) -> bool {
    if !word(f[i].0) || i == 0 {
        return true;
    }
    match f[i - 1].0 {
        '\'' => !(i >= 2 && word(f[i - 2].0)),
        p => !word(p),
    }
}

fn valid_end(f: &[(char, usize, usize)], j: usize) -> bool {
    if !word(f[j - 1].0) || j == f.len() {
        return true;
    }
    match f[j].0 {
        '\'' => match f.get(j + 1).map(|x| x.0) {
            None => true,
            Some('s') => !f.get(j + 2).is_some_and(|x| word(x.0)),
            Some(c) => !word(c),
        },
        n => !word(n),
    }
}

fn case_ok(span: &str, alias: &str, insensitive: bool) -> bool {
    let all_caps =
        alias.chars().any(|c| c.is_uppercase()) && !alias.chars().any(|c| c.is_lowercase());
    if insensitive {
        true
    } else if all_caps {
        // Exact: same letters in the same case, diacritics and separators folded.
        let keep = |s: &str| -> String {
            let mut out = String::new();
            for c in s.chars() {
                let c = match c {
                    ' ' | '-' | '\u{00A0}' | '\u{2014}' => ' ',
                    '\u{2019}' => '\'',
                    'é' => 'e',
                    'É' => 'E',
                    c => c,
                };
                if !(c == ' ' && out.ends_with(' ')) {
                    out.push(c);
                }
            }
            out.trim().to_string()
        };
        keep(span) == keep(alias)
    } else {
        span.chars().any(|c| c.is_uppercase()) || !span.chars().any(|c| c.is_lowercase())
    }
}

/// (start, end, alias index) chosen by the oracle.
fn oracle(text: &str, aliases: &[(String, bool)]) -> Vec<(usize, usize, usize)> {
    let f = oracle_fold(text);
    let folded_aliases: Vec<Vec<char>> = aliases.iter().map(|(a, _)| fold_alias(a)).collect();
    let mut valid = Vec::new();
    for i in 0..f.len() {
        for (k, fa) in folded_aliases.iter().enumerate() {
            let j = i + fa.len();
            if fa.is_empty() || j > f.len() || f[i..j].iter().map(|x| x.0).ne(fa.iter().copied()) {
                continue;
            }
            if !valid_start(&f, i) || !valid_end(&f, j) {
                continue;
            }
            let (s, e) = (f[i].1, f[j - 1].2);
            if case_ok(&text[s..e], &aliases[k].0, aliases[k].1) {
                valid.push((i, j, k));
            }
        }
    }
    valid.sort_by_key(|&(i, j, _)| (i, std::cmp::Reverse(j)));
    let mut out = Vec::new();
    let mut free = 0;
    for (i, j, k) in valid {
        if i >= free {
            out.push((f[i].1, f[j - 1].2, k));
            free = j;
        }
    }
    out
}

fn alias_strategy() -> impl Strategy<Value = String> {
    (
        prop::collection::vec("[abé]{1,3}", 1..=3),
        prop::sample::select(vec![' ', '-']),
        0..3u8,
    )
        .prop_map(|(words, sep, case)| {
            let s = words.join(&sep.to_string());
            match case {
                0 => s,
                1 => s.to_uppercase(),
                _ => s
                    .split(sep)
                    .map(|w| {
                        let mut c = w.chars();
                        c.next()
                            .map(|f| f.to_uppercase().chain(c).collect::<String>())
                            .unwrap_or_default()
                    })
                    .collect::<Vec<_>>()
                    .join(&sep.to_string()),
            }
        })
        .prop_filter("aliases are at least 2 chars", |s| s.chars().count() >= 2)
}

/// Aliases (some of them word-prefixes of others, so nesting is common) and a text made of
/// alias occurrences in random case, glued with random characters.
fn case_strategy() -> impl Strategy<Value = (Vec<(String, bool)>, String)> {
    prop::collection::vec((alias_strategy(), any::<bool>()), 1..6)
        .prop_map(|mut aliases| {
            let prefixes: Vec<(String, bool)> = aliases
                .iter()
                .filter_map(|(a, ins)| {
                    let cut = a.rfind([' ', '-'])?;
                    Some((a[..cut].to_string(), !ins))
                })
                .filter(|(a, _)| a.chars().count() >= 2)
                .collect();
            aliases.extend(prefixes);
            aliases
        })
        .prop_flat_map(|aliases| {
            let n = aliases.len();
            let piece = prop_oneof![
                "[abéABÉs '’\u{00A0}\u{2014}.-]{0,4}",
                (0..n, 0..3u8).prop_map({
                    let aliases = aliases.clone();
                    move |(k, case)| {
                        let a = &aliases[k].0;
                        match case {
                            0 => a.clone(),
                            1 => a.to_uppercase(),
                            _ => a.to_lowercase(),
                        }
                    }
                }),
            ];
            (
                Just(aliases),
                prop::collection::vec(piece, 0..10).prop_map(|p| p.concat()),
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::with_cases(3000)
    })]
    #[test]
    fn tagger_agrees_with_brute_force((aliases, text) in case_strategy()) {
        // One entity per distinct folded alias, so nothing is ambiguous.
        let mut seen = std::collections::HashSet::new();
        let aliases: Vec<(String, bool)> = aliases
            .into_iter()
            .filter(|(a, _)| seen.insert(fold_alias(a)))
            .collect();
        let mut tsv = String::from("id\ttype\tname\tcase\n");
        for (k, (a, insensitive)) in aliases.iter().enumerate() {
            let case = if *insensitive { "insensitive" } else { "" };
            tsv.push_str(&format!("e{k}\tX\t{a}\t{case}\n"));
        }
        let mut b = GazetteerBuilder::new();
        b.add_str("oracle.tsv", &tsv);
        let tagger = Tagger::new(b.build().unwrap()).unwrap();
        let got: Vec<(usize, usize, usize)> = tagger
            .tag(&text)
            .mentions
            .iter()
            .map(|m| (m.start, m.end, m.entity.0 as usize))
            .collect();
        let want = oracle(&text, &aliases);
        prop_assert_eq!(&got, &want, "aliases {:?}", aliases);
        // Spans are valid, sorted and non-overlapping.
        let mut end = 0;
        for &(s, e, _) in &got {
            prop_assert!(s >= end && s < e && text.is_char_boundary(s) && text.is_char_boundary(e));
            end = e;
        }
    }
}
