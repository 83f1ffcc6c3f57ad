//! Ambiguity: one alias, compared folded as the tagger does, on several entities.

use std::collections::BTreeMap;

use super::{Al, Code, Ent, Finding, Level, finding};
use crate::fold::fold_str_keep_case;
use crate::gazetteer::{CaseRule, join_and};

/// Whether two aliases that fold alike can match the same text, given their case rules.
fn can_overlap(a: &Al, b: &Al) -> bool {
    // Text equal to an exact alias's own spelling: does a proper alias accept it?
    let proper_accepts = |exact: &Al| {
        exact.text.chars().any(char::is_uppercase) || !exact.text.chars().any(char::is_lowercase)
    };
    match (a.rule, b.rule) {
        (CaseRule::Exact, CaseRule::Exact) => {
            fold_str_keep_case(a.text) == fold_str_keep_case(b.text)
        }
        (CaseRule::Exact, CaseRule::Proper) => proper_accepts(a),
        (CaseRule::Proper, CaseRule::Exact) => proper_accepts(b),
        _ => true,
    }
}

/// Aliases that fold alike on several entities, one finding per folded form.
pub(super) fn check_ambiguous(ents: &[Ent], out: &mut Vec<Finding>) {
    let mut groups: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for (ei, e) in ents.iter().enumerate() {
        for (ai, a) in e.aliases.iter().enumerate() {
            groups.entry(a.fold.as_str()).or_default().push((ei, ai));
        }
    }
    for members in groups.values() {
        // Entities with an alias in this group that can match the same text as an alias of
        // another entity; the first such alias of each.
        let mut involved: Vec<(usize, usize)> = Vec::new();
        for (x, &(ei, ai)) in members.iter().enumerate() {
            let a = &ents[ei].aliases[ai];
            let clash = members
                .iter()
                .enumerate()
                .any(|(y, &(ej, aj))| x != y && ej != ei && can_overlap(a, &ents[ej].aliases[aj]));
            if clash && !involved.iter().any(|&(e, _)| e == ei) {
                involved.push((ei, ai));
            }
        }
        if involved.len() < 2 {
            continue;
        }
        let list: Vec<String> = involved
            .iter()
            .map(|&(ei, ai)| {
                let a = &ents[ei].aliases[ai];
                let mut tags = vec![a.at()];
                if a.weak {
                    tags.push("weak".to_string());
                }
                if a.rule == CaseRule::Exact {
                    tags.push(format!("exact-case {:?}", a.text));
                }
                format!("{} ({})", ents[ei].id, tags.join(", "))
            })
            .collect();
        let best = involved
            .iter()
            .map(|&(ei, _)| ents[ei].priority)
            .fold(f64::NEG_INFINITY, f64::max);
        let top: Vec<&str> = involved
            .iter()
            .filter(|&&(ei, _)| ents[ei].priority == best)
            .map(|&(ei, _)| ents[ei].id)
            .collect();
        let outcome = if top.len() == 1 {
            format!("settled by priority {best} for {}", top[0])
        } else if top.len() == involved.len() {
            format!("stays ambiguous (priority {best} for all)")
        } else {
            format!(
                "stays ambiguous between {} (priority {best})",
                join_and(&top.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            )
        };
        let (ei, ai) = involved[1];
        let first = &ents[involved[0].0].aliases[involved[0].1];
        let at = &ents[ei].aliases[ai];
        out.push(finding(
            at.path,
            at.line,
            Level::Warning,
            Code::AmbiguousAlias,
            format!(
                "ambiguous alias {:?}: {}; {outcome} when a document does not settle it",
                first.text,
                list.join(", ")
            ),
        ));
    }
}
