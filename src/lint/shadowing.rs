//! Shadowing: aliases that lie inside a longer alias of another entity, so that
//! leftmost-longest selection gives the text to the other entity (see the module docs of
//! [`crate::lint`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};

use super::{Al, Code, Ent, Finding, Level, finding};
use crate::fold::{Folded, fold_str_keep_case, is_word_end, is_word_start};
use crate::gazetteer::{CaseRule, join_and};

/// Whether alias `a`'s case rule accepts `span` (text of another alias).
fn case_accepts(a: &Al, span: &str) -> bool {
    match a.rule {
        CaseRule::Insensitive => true,
        CaseRule::Proper => {
            span.chars().any(char::is_uppercase) || !span.chars().any(char::is_lowercase)
        }
        CaseRule::Exact => fold_str_keep_case(span) == fold_str_keep_case(a.text),
    }
}

/// How many shadowing aliases a finding lists before "and N more".
const LIST_MAX: usize = 5;

/// Aliases inside longer aliases of other entities (see the module docs).
pub(super) fn check_shadowed(ents: &[Ent], out: &mut Vec<Finding>) {
    let mut pattern_of: HashMap<&str, usize> = HashMap::new();
    let mut patterns: Vec<&str> = Vec::new();
    let mut by_pattern: Vec<Vec<(usize, usize)>> = Vec::new();
    for (ei, e) in ents.iter().enumerate() {
        for (ai, a) in e.aliases.iter().enumerate() {
            if a.fold.is_empty() {
                continue;
            }
            let p = *pattern_of.entry(a.fold.as_str()).or_insert_with(|| {
                patterns.push(a.fold.as_str());
                by_pattern.push(Vec::new());
                patterns.len() - 1
            });
            by_pattern[p].push((ei, ai));
        }
    }
    if patterns.is_empty() {
        return;
    }
    let Ok(ac) = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(&patterns)
    else {
        return;
    };
    // Per shadowed alias (entity, alias): the aliases (entity, alias) that hide it.
    let mut hidden_by: BTreeMap<(usize, usize), Vec<(usize, usize)>> = BTreeMap::new();
    let mut folded = Folded::default();
    for (ej, e) in ents.iter().enumerate() {
        let own: HashSet<&str> = e.aliases.iter().map(|a| a.fold.as_str()).collect();
        for (bj, b) in e.aliases.iter().enumerate() {
            folded.fold(b.text);
            let f = folded.as_str();
            for m in ac.find_overlapping_iter(f) {
                let p = m.pattern().as_usize();
                if patterns[p] == b.fold || own.contains(patterns[p]) {
                    continue;
                }
                if !is_word_start(f, m.start()) || !is_word_end(f, m.end()) {
                    continue;
                }
                let span = &b.text[folded.map().start(m.start())..folded.map().end(m.end())];
                for &(ei, ai) in &by_pattern[p] {
                    if ei != ej && case_accepts(&ents[ei].aliases[ai], span) {
                        let v = hidden_by.entry((ei, ai)).or_default();
                        if !v.contains(&(ej, bj)) {
                            v.push((ej, bj));
                        }
                    }
                }
            }
        }
    }
    for ((ei, ai), by) in hidden_by {
        let a = &ents[ei].aliases[ai];
        let x = &ents[ei].id;
        let (weak, strong): (Vec<_>, Vec<_>) = by
            .into_iter()
            .partition(|&(ej, bj)| ents[ej].aliases[bj].weak);
        let describe = |list: &[(usize, usize)]| {
            let mut items: Vec<String> = list
                .iter()
                .take(LIST_MAX)
                .map(|&(ej, bj)| {
                    let b = &ents[ej].aliases[bj];
                    format!("{:?} ({}, {})", b.written(), ents[ej].id, b.at())
                })
                .collect();
            if list.len() > LIST_MAX {
                items.push(format!("{} more", list.len() - LIST_MAX));
            }
            join_and(&items)
        };
        let mut note = |message| {
            out.push(finding(
                a.path,
                a.line,
                Level::Note,
                Code::ShadowedAlias,
                message,
            ))
        };
        if !strong.is_empty() {
            let (one, they) = if strong.len() == 1 {
                ("a longer alias", "it matches")
            } else {
                ("longer aliases", "they match")
            };
            note(format!(
                "alias {:?} of {x} lies inside {one} of another entity: {}; where {they}, {x} gets no mention",
                a.written(),
                describe(&strong)
            ));
        }
        if !weak.is_empty() {
            let (one, they) = if weak.len() == 1 {
                ("the weak alias", "that weak alias does")
            } else {
                ("the weak aliases", "those weak aliases do")
            };
            note(format!(
                "alias {:?} of {x} lies inside {one} {}: the longer match wins before weak aliases are resolved, so where {they} not count the text gets no mention at all",
                a.written(),
                describe(&weak)
            ));
        }
    }
}
