//! Checking cue lists for `entgraph gazetteer check`: the loader's errors, and cues that can
//! never take effect.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::cues::{CueKind, Cues, cue_key};
use crate::gazetteer::Gazetteer;
use crate::lint::{Code, Finding, Level};

/// Findings for the cue lists at `path` (a directory or file; `None` for the embedded ones).
/// `gazetteer`, when given, is the gazetteer they will be used with.
///
/// Errors are what stops them loading (`path:line`, as for gazetteers). Warnings:
/// `empty-cue-list` (a file with no rows matches nothing) and `cue-never-matches` (a cue of
/// more than two words where only titles may have more, or one without a letter). Notes:
/// `cue-conflict` (a word that is a `stop` word and a name cue: it never starts a name) and
/// `cue-shadowed` (a given name that is a gazetteer alias: the gazetteer tags it first).
pub fn check_cues(path: Option<&Path>, gazetteer: Option<&Gazetteer>) -> Vec<Finding> {
    let (cues, errors, files) = Cues::load_lenient(path);
    // The loader's errors, of level error.
    let mut out: Vec<Finding> = errors;
    for (file, rows) in files {
        if rows == 0 && !out.iter().any(|f| f.path == file) {
            out.push(Finding {
                path: file,
                line: 0,
                level: Level::Warning,
                code: Code::EmptyCueList,
                message: "this cue list has no rows, so it matches nothing".to_string(),
            });
        }
    }
    // Strong aliases of the gazetteer, folded as cues are.
    let aliases: HashSet<String> = gazetteer
        .map(|g| {
            g.aliases()
                .iter()
                .filter(|a| !a.weak)
                .map(|a| cue_key(&a.text))
                .collect()
        })
        .unwrap_or_default();
    let mut stops: HashMap<String, ()> = HashMap::new();
    for r in cues.rows() {
        if r.kind == CueKind::Stop {
            stops.insert(cue_key(&r.cue), ());
        }
    }
    for r in cues.rows() {
        let key = cue_key(&r.cue);
        let finding = |level, code, message| Finding {
            path: r.path.clone(),
            line: r.line,
            level,
            code,
            message,
        };
        let words = r.cue.split_whitespace().count();
        if words > 2 && r.kind != CueKind::Title {
            out.push(finding(
                Level::Warning,
                Code::CueNeverMatches,
                format!(
                    "`{}` cue {:?} has {words} words, but only `title` cues may have more than two: it never matches (list its last words alone if they are the keyword)",
                    r.kind.as_str(),
                    r.cue
                ),
            ));
            continue;
        }
        if !key.chars().any(char::is_alphabetic) && r.kind != CueKind::Joiner {
            out.push(finding(
                Level::Warning,
                Code::CueNeverMatches,
                format!(
                    "`{}` cue {:?} has no letter: names are made of capitalized words, so it never matches",
                    r.kind.as_str(),
                    r.cue
                ),
            ));
            continue;
        }
        let name_cue = matches!(r.kind, CueKind::Given | CueKind::Org | CueKind::Loc);
        if name_cue && stops.contains_key(&key) {
            out.push(finding(
                Level::Note,
                Code::CueConflict,
                format!(
                    "{:?} is a `stop` word and a `{}` cue: it never starts a name",
                    r.cue,
                    r.kind.as_str()
                ),
            ));
        }
        if r.kind == CueKind::Given && aliases.contains(&key) {
            out.push(finding(
                Level::Note,
                Code::CueShadowed,
                format!(
                    "given name {:?} is a gazetteer alias: where it is capitalized the gazetteer tags it first",
                    r.cue
                ),
            ));
        }
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_dir(files: &[(&str, &str)]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in files {
            std::fs::write(dir.path().join(name), content).unwrap();
        }
        let mut g = crate::gazetteer::GazetteerBuilder::new();
        g.add_str("g.tsv", "type\tname\nLOC\tJordan\n");
        let g = g.build().unwrap();
        check_cues(Some(dir.path()), Some(&g))
            .iter()
            .map(|f| {
                let s = f.to_string();
                // Paths are in a temporary directory: keep the file name.
                s.rsplit('/').next().unwrap().to_string()
            })
            .collect()
    }

    #[test]
    fn findings_per_rule() {
        let got = check_dir(&[
            ("a.tsv", "# nothing but a header\ncue\tkind\n"),
            (
                "b.tsv",
                "cue\tkind\nNew York City Hall\tloc\n&\torg\nThe\tstop\nThe\tgiven\nJordan\tgiven\nPrime Minister of State\ttitle\n42\torg\n",
            ),
            ("c.tsv", "cue\tkind\nX\tgivne\n"),
        ]);
        assert_eq!(
            got,
            [
                "a.tsv: warning[empty-cue-list]: this cue list has no rows, so it matches nothing",
                "b.tsv:2: warning[cue-never-matches]: `loc` cue \"New York City Hall\" has 4 words, but only `title` cues may have more than two: it never matches (list its last words alone if they are the keyword)",
                "b.tsv:3: error[invalid-row]: cue \"&\" has no letter or digit",
                "b.tsv:5: note[cue-conflict]: \"The\" is a `stop` word and a `given` cue: it never starts a name",
                "b.tsv:6: note[cue-shadowed]: given name \"Jordan\" is a gazetteer alias: where it is capitalized the gazetteer tags it first",
                "b.tsv:8: warning[cue-never-matches]: `org` cue \"42\" has no letter: names are made of capitalized words, so it never matches",
                "c.tsv:2: error[invalid-row]: unknown cue kind \"givne\": expected one of given, title, org, loc, stop, connector, joiner, suffix, other",
            ]
        );
    }

    #[test]
    fn embedded_cues_have_no_errors_or_warnings() {
        let g = Gazetteer::default_embedded().unwrap();
        let bad: Vec<String> = check_cues(None, Some(&g))
            .iter()
            .filter(|f| f.level != Level::Note)
            .map(|f| f.to_string())
            .collect();
        assert!(bad.is_empty(), "{bad:#?}");
    }
}
