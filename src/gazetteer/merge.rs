//! Merging rows by id into entities: one entity per id, the union of the rows' aliases and
//! attributes, repeated aliases set aside, and each alias's final case rule; what comes out is
//! a [`Loaded`] gazetteer with its errors and warnings.

use std::collections::BTreeMap;

use super::tsv::is_all_caps;
use super::*;
use crate::fold::fold_str_keep_case;

/// How the loader tells repeated aliases of an entity apart: folded text (case kept), weak,
/// marked exact.
type AliasKey = (String, bool, bool);

/// What [`GazetteerBuilder::build_lenient`] returns.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The entities of every row that loaded; complete only when `errors` is empty.
    pub gazetteer: Gazetteer,
    /// The problems that make [`GazetteerBuilder::build`] fail.
    pub errors: Vec<Diagnostic>,
    /// Likely slips that do not stop a load.
    pub warnings: Vec<Diagnostic>,
}

impl GazetteerBuilder {
    /// Merges the rows and returns the gazetteer, or every problem found.
    pub fn build(self) -> Result<Gazetteer, GazetteerError> {
        self.build_with_warnings().0
    }

    /// [`build`](Self::build), and the warnings: what loads but is likely a slip (unless the
    /// builder was made by [`with_warnings`](Self::with_warnings), only the notice that a
    /// file's byte-order mark was skipped).
    pub fn build_with_warnings(self) -> (Result<Gazetteer, GazetteerError>, Vec<Diagnostic>) {
        let l = self.build_lenient();
        let g = if l.errors.is_empty() {
            Ok(l.gazetteer)
        } else {
            Err(GazetteerError(l.errors))
        };
        (g, l.warnings)
    }

    /// Merges the rows that passed their checks, whatever the errors: the gazetteer of
    /// everything that loads, with every error and warning.
    pub fn build_lenient(self) -> Loaded {
        let mut errors = self.diagnostics;
        let mut warnings = self.warnings;
        let warn = self.warn;
        let files = self.files;
        let same_place = |a: Origin, b: Origin| {
            a.line == b.line
                && (a.file == b.file || files[a.file as usize] == files[b.file as usize])
        };
        let mut g = Gazetteer::default();
        // Per entity, the aliases already added (folded text, weak, marked exact) to merge
        // duplicates.
        let mut seen_alias: Vec<Vec<(AliasKey, AliasId)>> = Vec::new();
        for row in self.rows {
            let at = EntityRow {
                origin: row.origin,
                id_from_name: row.id_from_name,
            };
            let path = &files[row.origin.file as usize];
            let eid = match g.by_id.get(&row.id) {
                Some(&eid) => {
                    let e = &mut g.entities[eid.0 as usize];
                    let first = e.rows[0].origin;
                    if e.kind != row.kind {
                        errors.push(Diagnostic::error(
                            path.clone(),
                            row.origin.line as usize,
                            Code::TypeConflict,
                            format!(
                                "id {:?} has type {} here but {} at {}:{}",
                                row.id, row.kind, e.kind, files[first.file as usize], first.line
                            ),
                        ));
                        continue;
                    }
                    if warn
                        && let Some(same) = e
                            .rows
                            .iter()
                            .find(|r| files[r.origin.file as usize] == *path)
                    {
                        let how = if row.id_from_name {
                            " (the slug of the name)"
                        } else {
                            ""
                        };
                        warnings.push(Diagnostic::new(
                            path.clone(),
                            row.origin.line as usize,
                            Level::Warning,
                            Code::DuplicateId,
                            format!(
                                "id {:?}{how} is also defined at line {}: the rows merge, and the name {:?} of line {} stays canonical",
                                row.id, same.origin.line, e.name, first.line
                            ),
                        ));
                    }
                    e.rows.push(at);
                    eid
                }
                None => {
                    let eid = EntityId(g.entities.len() as u32);
                    g.entities.push(Entity {
                        id: row.id.clone(),
                        kind: row.kind.clone(),
                        name: row.name.clone(),
                        aliases: Vec::new(),
                        attributes: BTreeMap::new(),
                        priority: 0.0,
                        case: CasePolicy::Proper,
                        rows: vec![at],
                    });
                    g.by_id.insert(row.id.clone(), eid);
                    seen_alias.push(Vec::new());
                    eid
                }
            };
            let e = &mut g.entities[eid.0 as usize];
            if let Some(p) = row.priority {
                e.priority = p;
            }
            if let Some(c) = row.case {
                e.case = c;
            }
            for (name, value) in &row.attributes {
                if let Some(&(ty, at_file, at_line)) = self.attribute_types.get(name)
                    && let Err(why) = ty.parse(value)
                {
                    errors.push(Diagnostic::error(
                        path.clone(),
                        row.origin.line as usize,
                        Code::InvalidRow,
                        format!(
                            "{name} {why} (declared `{name}:{ty}` at {}:{at_line})",
                            files[at_file as usize]
                        ),
                    ));
                }
            }
            e.attributes.extend(row.attributes);
            for (k, (text, weak, exact)) in row.aliases.into_iter().enumerate() {
                let key = (fold_str_keep_case(&text), weak, exact);
                let seen = &mut seen_alias[eid.0 as usize];
                if let Some(&(_, kept)) = seen.iter().find(|(s, _)| *s == key) {
                    // Rows that merge repeat aliases by design; within a row it is redundant.
                    if same_place(g.aliases[kept.0 as usize].origin, row.origin) {
                        g.repeated.push(RepeatedAlias {
                            text,
                            weak,
                            marked_exact: exact,
                            origin: row.origin,
                            kept,
                        });
                    }
                    continue;
                }
                let aid = AliasId(g.aliases.len() as u32);
                seen.push((key, aid));
                g.aliases.push(Alias {
                    text,
                    entity: eid,
                    weak,
                    // Settled below, once the entity's case policy is final.
                    case: CaseRule::Proper,
                    marked_exact: exact,
                    is_name: k == 0,
                    origin: row.origin,
                });
                e.aliases.push(aid);
            }
        }
        for a in &mut g.aliases {
            a.case = match g.entities[a.entity.0 as usize].case {
                _ if a.marked_exact => CaseRule::Exact,
                // The loader admits an alias shorter than 2 characters only as exact-case (`=`,
                // in capitals, or on a `case=exact` row): it stays so even if a later row of
                // the entity sets another policy.
                _ if a.text.chars().nth(1).is_none() => CaseRule::Exact,
                CasePolicy::Exact => CaseRule::Exact,
                CasePolicy::Insensitive => CaseRule::Insensitive,
                CasePolicy::Proper if is_all_caps(&a.text) => CaseRule::Exact,
                CasePolicy::Proper => CaseRule::Proper,
            };
        }
        g.files = files;
        g.attribute_types = self
            .attribute_types
            .into_iter()
            .map(|(name, (ty, _, _))| (name, ty))
            .collect();
        Loaded {
            gazetteer: g,
            errors,
            warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::errors;
    use super::super::*;

    #[test]
    fn merges_rows_with_the_same_id() {
        let mut b = GazetteerBuilder::new();
        b.add_str(
            "a.tsv",
            "id\ttype\tname\taliases\nxi\tPERSON\tXi Jinping\t~Xi\n",
        );
        b.add_str(
            "b.tsv",
            "id\ttype\tname\taliases\tcountry\nxi\tPERSON\tXi Jinping\tXI JINPING|~Xi\tchina\n",
        );
        let g = b.build().unwrap();
        assert_eq!(g.len(), 1);
        let xi = g.entity(EntityId(0));
        assert_eq!(xi.aliases.len(), 3);
        assert_eq!(xi.attributes.get("country").unwrap(), "china");
    }

    #[test]
    fn keeps_where_rows_and_aliases_come_from() {
        let mut b = GazetteerBuilder::new();
        b.add_str(
            "a.tsv",
            "type\tname\taliases\nLOC\tParis\t=PAR|Paris|~Lutetia\n",
        );
        b.add_str(
            "b.tsv",
            "id\ttype\tname\taliases\nparis\tLOC\tParis, France\tParis\n",
        );
        let g = b.build().unwrap();
        assert_eq!(g.files(), ["a.tsv", "b.tsv"]);
        let paris = g.entity(g.lookup("paris").unwrap());
        let rows: Vec<_> = paris
            .rows
            .iter()
            .map(|r| (g.path(r.origin), r.origin.line, r.id_from_name))
            .collect();
        assert_eq!(rows, [("a.tsv", 2, true), ("b.tsv", 2, false)]);
        let aliases: Vec<_> = paris
            .aliases
            .iter()
            .map(|&a| {
                let a = g.alias(a);
                (a.written(), a.is_name, g.path(a.origin), a.origin.line)
            })
            .collect();
        assert_eq!(
            aliases,
            [
                ("Paris".to_string(), true, "a.tsv", 2),
                ("=PAR".to_string(), false, "a.tsv", 2),
                ("~Lutetia".to_string(), false, "a.tsv", 2),
                ("Paris, France".to_string(), true, "b.tsv", 2),
            ]
        );
        // `Paris` repeats the name on its own row; on row b.tsv:2 it merges silently.
        let repeated: Vec<_> = g
            .repeated_aliases()
            .iter()
            .map(|r| (r.text.as_str(), g.path(r.origin), r.kept))
            .collect();
        assert_eq!(repeated, [("Paris", "a.tsv", paris.aliases[0])]);
    }

    #[test]
    fn case_exact_row_makes_short_aliases_legal() {
        let mut b = GazetteerBuilder::new();
        b.add_str(
            "test.tsv",
            "id\ttype\tname\taliases\tcase\nthree\tORG\t3\tk\texact\n",
        );
        let g = b.build().unwrap();
        let e = g.entity(EntityId(0));
        let rules: Vec<_> = e.aliases.iter().map(|&a| g.alias(a).case).collect();
        assert_eq!(rules, [CaseRule::Exact, CaseRule::Exact]);
        // Not marked `=`: written as in the file.
        assert_eq!(g.alias(e.aliases[0]).written(), "3");
        // `proper` (or no `case`) still refuses them.
        for case in ["proper", ""] {
            assert_eq!(
                errors(&format!("id\ttype\tname\tcase\nthree\tORG\t3\t{case}\n")),
                [
                    "test.tsv:2: alias \"3\" is shorter than 2 characters: mark it exact-case (`=3`) or remove it"
                ]
            );
        }
        assert_eq!(
            errors("id\ttype\tname\tcase\nthree\tORG\t3\tinsensitive\n").len(),
            1
        );
        // A later row with another policy does not make a one-character alias case-blind.
        let mut b = GazetteerBuilder::new();
        b.add_str(
            "test.tsv",
            "id\ttype\tname\taliases\tcase\nthree\tORG\t3\tk\texact\nthree\tORG\tThree\t\tinsensitive\n",
        );
        let g = b.build().unwrap();
        let e = g.entity(EntityId(0));
        let rules: Vec<_> = e.aliases.iter().map(|&a| g.alias(a).case).collect();
        assert_eq!(
            rules,
            [CaseRule::Exact, CaseRule::Exact, CaseRule::Insensitive]
        );
    }
}
