use std::collections::HashMap;
use std::ops::Range;

use crate::document::matching::{match_texts, Matched, REWORD_SIMILARITY};
use crate::document::{parse_document_version, DocSummary, Document, Place, Shape};
use crate::rule::{declare_rule, Context, Finding, Rule};
use crate::rules::escalation::role_key;

declare_rule! {
    /// ## What it does
    /// Compares each branch variant with its base in the same run. A variant is an SOP whose
    /// front matter says `variant_of: <id of the base>` (and, optionally, `branch: <name>`). It
    /// reports, at the variant's line and naming the base's line:
    ///
    /// - a section of the base missing from the variant (sections match by kind, else by
    ///   heading);
    /// - a step of the base missing from the variant, a step reworded so that fewer of its words
    ///   are alike than `min-similarity` (from 0 to 1, default 0.8), or a step the base does not
    ///   have. Steps are matched as `sopkit bundle diff` matches them: same text first, then the
    ///   steps at the same place of a changed run whose words are at least half alike;
    /// - escalation levels whose roles differ in order or name (contacts and response times
    ///   may differ by branch; with `strict-times: true` times must match too);
    /// - a variant whose `version` major is behind the base's: a copy of an older base;
    /// - a `variant_of` that names no document of the run (unless the run is that one file, as
    ///   in an editor: lint the base with it), or a malformed marker.
    ///
    /// A deliberate local difference is marked in the variant with a comment that gives the
    /// reason, `<!-- sopkit-variant: local "reason" -->`, on the step (inside its item or on the
    /// line before it), on the escalation level, or on the section (on, just before or just
    /// after its heading, or anywhere in the section's own text): a marked section covers
    /// everything in it, and a marked step covers the base step it replaces. Marked differences
    /// are not reported; `sopkit variants` lists them as local.
    ///
    /// ## Why is this bad?
    /// Customers should get the same treatment at every branch. When each branch keeps its own
    /// copy of an SOP, copies drift: a step dropped here, an escalation role renamed there, an
    /// old version still in force. Checking every copy against its base, and writing down why
    /// a branch differs, keeps the process uniform and the differences deliberate.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- refunds.md -->
    /// ---
    /// id: CS-010
    /// ---
    /// 1. Check the receipt.
    /// 2. Log the refund in the ledger.
    /// 3. Return the money to the customer's card.
    /// <!-- refunds-penang.md -->
    /// ---
    /// variant_of: CS-010
    /// branch: Penang
    /// ---
    /// 1. Check the receipt.
    /// 2. Return the money to the customer's card.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// <!-- refunds.md -->
    /// ---
    /// id: CS-010
    /// ---
    /// 1. Check the receipt.
    /// 2. Log the refund in the ledger.
    /// 3. Return the money to the customer's card.
    /// <!-- refunds-penang.md -->
    /// ---
    /// variant_of: CS-010
    /// branch: Penang
    /// ---
    /// 1. Check the receipt.
    /// 2. Log the refund in the ledger.
    /// 3. Return the money to the customer's card.
    /// 4. Print a receipt. <!-- sopkit-variant: local "the Penang mall requires receipts" -->
    /// ```
    pub(crate) VariantDrift {
        code: "X006",
        name: "variant-drift",
        severity: Warning,
        summary: "A branch variant differs from its base SOP without a marked reason",
        options: Options,
        fixable: false,
        since: "0.1.0",
    }
}

/// Options of X006.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub(crate) struct Options {
    /// A step matched to a base step is reworded when its words are less alike than this
    /// (0 to 1: 1 reports any change of wording).
    pub min_similarity: f32,
    /// Escalation levels must keep the base's response times too.
    pub strict_times: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            min_similarity: 0.8,
            strict_times: false,
        }
    }
}

/// One difference of a variant from its base.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Difference {
    /// Where, in the variant.
    pub span: Range<usize>,
    pub line: usize,
    pub message: String,
    pub help: &'static str,
    /// The reason of the `sopkit-variant: local` marker that covers it: a local difference,
    /// not drift.
    pub local: Option<String>,
}

/// A variant (an index into the run's summaries), its base when the run has it, and how they
/// differ.
#[derive(Debug, Clone)]
pub(crate) struct Pairing {
    pub variant: usize,
    pub base: Option<usize>,
    pub differences: Vec<Difference>,
}

const MARK: &str =
    "keep the base's text, or mark a deliberate difference: <!-- sopkit-variant: local \"reason\" -->";

/// Every variant of the run with its differences from its base, in path order.
pub(crate) fn pairings(docs: &[DocSummary], options: &Options) -> Vec<Pairing> {
    // The first document in path order keeps an id (as X001 does).
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (i, doc) in docs.iter().enumerate() {
        if let Some(id) = &doc.id {
            let key = id.text.trim().to_lowercase();
            if !key.is_empty() {
                by_id.entry(key).or_insert(i);
            }
        }
    }
    let mut out = Vec::new();
    for (v, variant) in docs.iter().enumerate() {
        let Some(of) = &variant.variant_of else {
            continue;
        };
        let wanted = of.text.trim();
        let unknown = |message: String, help: &'static str| {
            let mut differences = vec![Difference {
                span: of.span.clone(),
                line: variant
                    .shape
                    .as_ref()
                    .and_then(|s| s.variant_of.as_ref())
                    .map_or(1, |p| p.line),
                message,
                help,
                local: None,
            }];
            differences.extend(variant.shape.iter().flat_map(|s| bad_markers(s)));
            Pairing {
                variant: v,
                base: None,
                differences,
            }
        };
        match by_id.get(&wanted.to_lowercase()) {
            // A run of one file (an editor, `lint FILE`) cannot hold the base: nothing to say
            // but the markers.
            None if docs.len() == 1 => out.push(Pairing {
                variant: v,
                base: None,
                differences: variant.shape.iter().flat_map(|s| bad_markers(s)).collect(),
            }),
            None => out.push(unknown(
                format!("`variant_of` names \"{wanted}\", but no document of this run has that id"),
                "lint the base together with its variants, or correct the id",
            )),
            Some(&b) if b == v => out.push(unknown(
                format!("`variant_of` names this document's own id \"{wanted}\""),
                "name the id of the base SOP this one was copied from",
            )),
            Some(&b) => out.push(Pairing {
                variant: v,
                base: Some(b),
                differences: compare(&docs[b], variant, options),
            }),
        }
    }
    out
}

/// The differences of `variant` from `base`, in the variant's order of places.
fn compare(base: &DocSummary, variant: &DocSummary, options: &Options) -> Vec<Difference> {
    let (Some(b), Some(v)) = (base.shape.as_deref(), variant.shape.as_deref()) else {
        return Vec::new();
    };
    let fallback = v.variant_of.clone().unwrap_or(Place {
        line: 1,
        span: 0..0,
    });
    let c = Comparison {
        base,
        b,
        v,
        fallback,
    };
    let mut out = bad_markers(v);
    c.version(base, variant, &mut out);
    c.sections(&mut out);
    c.steps(options, &mut out);
    c.levels(options, &mut out);
    out
}

/// The malformed `sopkit-variant` markers of a variant, as differences.
fn bad_markers(shape: &Shape) -> Vec<Difference> {
    shape
        .bad_markers
        .iter()
        .map(|(place, problem)| Difference {
            span: place.span.clone(),
            line: place.line,
            message: problem.clone(),
            help:
                "a marker says why this branch differs: <!-- sopkit-variant: local \"reason\" -->",
            local: None,
        })
        .collect()
}

struct Comparison<'a> {
    base: &'a DocSummary,
    b: &'a Shape,
    v: &'a Shape,
    /// Where a difference goes that has no better place: the `variant_of` value.
    fallback: Place,
}

impl Comparison<'_> {
    /// "refunds.md:12", for messages.
    fn at(&self, place: &Place) -> String {
        format!("{}:{}", self.base.path, place.line)
    }

    /// The key a section is found by in the other document: the title is the title, however
    /// it is worded.
    fn key(shape: &Shape, i: usize) -> &str {
        let s = &shape.sections[i];
        if s.level == 1 {
            "title"
        } else {
            &s.key
        }
    }

    /// The variant's section matching base section `i`.
    fn variant_section(&self, base_section: Option<usize>) -> Option<usize> {
        let key = Self::key(self.b, base_section?);
        (0..self.v.sections.len()).find(|&j| Self::key(self.v, j) == key)
    }

    fn version(&self, base: &DocSummary, variant: &DocSummary, out: &mut Vec<Difference>) {
        let (Some(bv), Some(vv), Some(place)) = (&base.version, &variant.version, &self.v.version)
        else {
            return;
        };
        let (Ok(bs), Ok(vs)) = (parse_document_version(bv), parse_document_version(vv)) else {
            return;
        };
        if vs.major < bs.major {
            let base_at = self
                .b
                .version
                .as_ref()
                .map_or(String::new(), |p| format!(" ({})", self.at(p)));
            out.push(Difference {
                span: place.span.clone(),
                line: place.line,
                message: format!(
                    "version {} is behind the base's major version {}{base_at}: a copy of an older base",
                    vv.trim(),
                    bv.trim()
                ),
                help: "bring the variant up to the base's current version, then raise its version",
                local: None,
            });
        }
    }

    fn sections(&self, out: &mut Vec<Difference>) {
        let present = |i: usize| self.variant_section(Some(i)).is_some();
        for (i, s) in self.b.sections.iter().enumerate() {
            if s.level == 1 || present(i) {
                continue;
            }
            // Reported once, at the outermost missing section.
            if s.parent
                .is_some_and(|p| self.b.sections[p].level > 1 && !present(p))
            {
                continue;
            }
            // Where it would be: the next base section the variant has, else its parent.
            let place = (i + 1..self.b.sections.len())
                .find_map(|k| self.variant_section(Some(k)))
                .or_else(|| self.variant_section(s.parent))
                .map_or(&self.fallback, |j| &self.v.sections[j].at);
            let local = self
                .variant_section(s.parent)
                .and_then(|j| self.v.sections[j].local.clone());
            out.push(Difference {
                span: place.span.clone(),
                line: place.line,
                message: format!(
                    "the base's section \"{}\" ({}) is missing",
                    s.heading,
                    self.at(&s.at)
                ),
                help: MARK,
                local,
            });
        }
    }

    /// Whether base section `i` (or a section it is in) is missing from the variant.
    fn section_missing(&self, mut i: Option<usize>) -> bool {
        while let Some(k) = i {
            if self.b.sections[k].level > 1 && self.variant_section(Some(k)).is_none() {
                return true;
            }
            i = self.b.sections[k].parent;
        }
        false
    }

    fn steps(&self, options: &Options, out: &mut Vec<Difference>) {
        let (b, v) = (&self.b.steps, &self.v.steps);
        let bt: Vec<&str> = b.iter().map(|s| s.text.as_str()).collect();
        let vt: Vec<&str> = v.iter().map(|s| s.text.as_str()).collect();
        let matched = match_texts(&bt, &vt, REWORD_SIMILARITY);
        let new_of = |m: &Matched| match *m {
            Matched::Same { new, .. } | Matched::Reworded { new, .. } | Matched::Added { new } => {
                Some(new)
            }
            Matched::Removed { .. } => None,
        };
        for (k, m) in matched.iter().enumerate() {
            match *m {
                Matched::Same { .. } => {}
                Matched::Reworded {
                    old,
                    new,
                    similarity,
                } => {
                    // A marked step differs deliberately however little; unmarked, only
                    // beyond the threshold.
                    if similarity >= options.min_similarity && v[new].local.is_none() {
                        continue;
                    }
                    out.push(Difference {
                        span: v[new].at.span.clone(),
                        line: v[new].at.line,
                        message: format!(
                            "step {} is reworded from step {} of the base ({}): \"{}\"",
                            v[new].number,
                            b[old].number,
                            self.at(&b[old].at),
                            b[old].text
                        ),
                        help: MARK,
                        local: v[new].local.clone(),
                    });
                }
                Matched::Added { new } => out.push(Difference {
                    span: v[new].at.span.clone(),
                    line: v[new].at.line,
                    message: format!(
                        "step {} is not in the base ({})",
                        v[new].number, self.base.path
                    ),
                    help: MARK,
                    local: v[new].local.clone(),
                }),
                Matched::Removed { old } => {
                    if self.section_missing(b[old].section) {
                        continue;
                    }
                    // Where it would be: the variant's next step, else its previous one.
                    let after = matched[k + 1..].iter().find(|m| new_of(m).is_some());
                    let next = after.and_then(new_of);
                    let anchor = next.or_else(|| matched[..k].iter().rev().find_map(new_of));
                    let section = self.variant_section(b[old].section);
                    let place = anchor
                        .map(|j| &v[j].at)
                        .or_else(|| section.map(|j| &self.v.sections[j].at))
                        .unwrap_or(&self.fallback);
                    // A marked step added in its place stands in for it.
                    let stand_in = match after {
                        Some(Matched::Added { new }) => Some(*new),
                        _ => None,
                    };
                    let local = section
                        .and_then(|j| self.v.sections[j].local.clone())
                        .or_else(|| stand_in.and_then(|j| v[j].local.clone()));
                    out.push(Difference {
                        span: place.span.clone(),
                        line: place.line,
                        message: format!(
                            "step {} of the base ({}) is missing: \"{}\"",
                            b[old].number,
                            self.at(&b[old].at),
                            b[old].text
                        ),
                        help: MARK,
                        local,
                    });
                }
            }
        }
    }

    fn levels(&self, options: &Options, out: &mut Vec<Difference>) {
        let (b, v) = (&self.b.levels, &self.v.levels);
        let name = |r: &Option<String>| r.clone().unwrap_or_else(|| "no role".into());
        for i in 0..b.len().max(v.len()) {
            match (b.get(i), v.get(i)) {
                (Some(bl), Some(vl)) => {
                    let key = |r: &Option<String>| r.as_deref().map(role_key);
                    let mut push = |message: String| {
                        out.push(Difference {
                            span: vl.at.span.clone(),
                            line: vl.at.line,
                            message,
                            help: "keep the base's escalation roles and their order (contacts may differ), or mark the level local",
                            local: vl.local.clone(),
                        });
                    };
                    if key(&bl.role) != key(&vl.role) {
                        push(format!(
                            "escalation level {}'s role is \"{}\", the base's ({}) is \"{}\"",
                            i + 1,
                            name(&vl.role),
                            self.at(&bl.at),
                            name(&bl.role)
                        ));
                    } else if options.strict_times && !same_time(&bl.within, &vl.within) {
                        let time = |w: &Option<(String, Option<u64>)>| {
                            w.as_ref().map_or("no time".into(), |(t, _)| t.clone())
                        };
                        push(format!(
                            "escalation level {} answers within \"{}\", the base's ({}) within \"{}\"",
                            i + 1,
                            time(&vl.within),
                            self.at(&bl.at),
                            time(&bl.within)
                        ));
                    }
                }
                (Some(bl), None) => {
                    let section = self.variant_section(bl.section);
                    let place = v
                        .last()
                        .map(|l| &l.at)
                        .or_else(|| section.map(|j| &self.v.sections[j].at))
                        .unwrap_or(&self.fallback);
                    out.push(Difference {
                        span: place.span.clone(),
                        line: place.line,
                        message: format!(
                            "escalation level {} of the base ({}), \"{}\", is missing",
                            i + 1,
                            self.at(&bl.at),
                            name(&bl.role)
                        ),
                        help: "keep every level of the base's escalation chain, or mark the section local",
                        local: section.and_then(|j| self.v.sections[j].local.clone()),
                    });
                }
                (None, Some(vl)) => out.push(Difference {
                    span: vl.at.span.clone(),
                    line: vl.at.line,
                    message: format!(
                        "escalation level {} (\"{}\") is not in the base's chain ({})",
                        i + 1,
                        name(&vl.role),
                        self.base.path
                    ),
                    help: "keep the base's escalation chain, or mark the level local",
                    local: vl.local.clone(),
                }),
                (None, None) => {}
            }
        }
    }
}

/// Two response times are the same in minutes when both have them, else as written.
fn same_time(a: &Option<(String, Option<u64>)>, b: &Option<(String, Option<u64>)>) -> bool {
    match (a, b) {
        (Some((_, Some(x))), Some((_, Some(y)))) => x == y,
        (Some((x, _)), Some((y, _))) => x.trim().eq_ignore_ascii_case(y.trim()),
        (None, None) => true,
        _ => false,
    }
}

impl Rule for VariantDrift {
    fn check(&self, _doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        Vec::new()
    }

    fn check_all(&self, docs: &[DocSummary], _ctx: &Context<'_>) -> Vec<(usize, Finding)> {
        pairings(docs, &self.options)
            .into_iter()
            .flat_map(|p| {
                let v = p.variant;
                p.differences
                    .into_iter()
                    .filter(|d| d.local.is_none())
                    .map(move |d| (v, Finding::new(d.span, d.message).help(d.help)))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(path: &str, src: &str) -> DocSummary {
        let doc = crate::document::parse(path, src.to_string(), &Default::default());
        DocSummary::of(&doc)
    }

    const BASE: &str = "---\nid: CS-010\nversion: 2.1.0\n---\n# Refunds\n\n## Procedure\n\n1. Greet the customer by name.\n2. Check the receipt and the item.\n3. Log the refund in the ledger.\n4. Hand the money back.\n\n## Escalation\n\n| Level | Role | Within | Contact |\n|---|---|---|---|\n| 1 | Shift lead | 10 min | ext. 10 |\n| 2 | Duty manager | 30 min | ext. 20 |\n";

    fn differences(variant: &str, options: &Options) -> Vec<(usize, String, bool)> {
        let docs = [summary("base.md", BASE), summary("var.md", variant)];
        let p = pairings(&docs, options);
        assert_eq!(p.len(), 1);
        p[0].differences
            .iter()
            .map(|d| (d.line, d.message.clone(), d.local.is_some()))
            .collect()
    }

    #[test]
    fn a_faithful_copy_has_no_difference() {
        let variant = BASE
            .replace(
                "id: CS-010",
                "id: CS-010-P\nvariant_of: CS-010\nbranch: Penang",
            )
            .replace("ext. 20", "ext. 99")
            .replace("30 min", "45 min");
        assert_eq!(differences(&variant, &Options::default()), []);
        let strict = Options {
            strict_times: true,
            ..Options::default()
        };
        let got = differences(&variant, &strict);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].1.contains("within \"45 min\""), "{got:?}");
    }

    #[test]
    fn drift_is_reported_at_the_variant_and_names_the_base_line() {
        let variant = BASE
            .replace("id: CS-010", "id: CS-010-K\nvariant_of: cs-010")
            .replace("version: 2.1.0", "version: 1.4.0")
            .replace(
                "2. Check the receipt and the item.\n3. Log the refund in the ledger.\n4. Hand the money back.",
                "2. Log the refund in the ledger.\n3. Hand the money back to the customer in cash.",
            )
            .replace("Duty manager", "Branch manager");
        let got = differences(&variant, &Options::default());
        let lines: Vec<(usize, &str)> = got.iter().map(|(l, m, _)| (*l, m.as_str())).collect();
        assert_eq!(
            lines,
            [
                (4, "version 1.4.0 is behind the base's major version 2.1.0 (base.md:3): a copy of an older base"),
                (11, "step 2 of the base (base.md:10) is missing: \"Check the receipt and the item.\""),
                (12, "step 3 is reworded from step 4 of the base (base.md:12): \"Hand the money back.\""),
                (19, "escalation level 2's role is \"Branch manager\", the base's (base.md:19) is \"Duty manager\""),
            ]
        );
    }

    #[test]
    fn marked_differences_are_local() {
        let variant = BASE
            .replace("id: CS-010", "id: CS-010-M\nvariant_of: CS-010")
            .replace(
                "4. Hand the money back.",
                "4. Hand the money back as store credit. <!-- sopkit-variant: local \"no cash at this branch\" -->",
            );
        let got = differences(&variant, &Options::default());
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].2, "{got:?}");
        // A marked step with nothing in common stands in for the base step it replaces.
        let variant = BASE
            .replace("id: CS-010", "id: CS-010-M\nvariant_of: CS-010")
            .replace(
                "4. Hand the money back.",
                "4. Issue store credit. <!-- sopkit-variant: local \"no cash at this branch\" -->",
            );
        let got = differences(&variant, &Options::default());
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().all(|d| d.2), "{got:?}");
        // A marked section covers its steps, even a removed one.
        let variant = BASE
            .replace("id: CS-010", "id: CS-010-M\nvariant_of: CS-010")
            .replace(
                "## Procedure\n",
                "## Procedure\n<!-- sopkit-variant: local \"short form\" -->\n",
            )
            .replace("3. Log the refund in the ledger.\n", "");
        let got = differences(&variant, &Options::default());
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].2, "{got:?}");
    }

    #[test]
    fn missing_sections_and_levels_are_reported_once() {
        let variant = BASE
            .replace("id: CS-010", "id: V\nvariant_of: CS-010")
            .replace("| 2 | Duty manager | 30 min | ext. 20 |\n", "");
        let variant = variant.replace("## Procedure\n\n1. Greet the customer by name.\n2. Check the receipt and the item.\n3. Log the refund in the ledger.\n4. Hand the money back.\n\n", "");
        let got = differences(&variant, &Options::default());
        let lines: Vec<(usize, &str)> = got.iter().map(|(l, m, _)| (*l, m.as_str())).collect();
        // The section's steps go with it: one finding, at the next section the variant has.
        assert_eq!(
            lines,
            [
                (8, "the base's section \"Procedure\" (base.md:7) is missing"),
                (
                    12,
                    "escalation level 2 of the base (base.md:19), \"Duty manager\", is missing"
                ),
            ]
        );
    }

    #[test]
    fn unknown_bases_and_bad_markers_are_findings() {
        let alone = [summary(
            "var.md",
            "---\nid: X\nvariant_of: NOPE\n---\n# X\n",
        )];
        let p = pairings(&alone, &Options::default());
        assert_eq!(p[0].base, None);
        assert_eq!(p[0].differences, [], "one file alone cannot hold its base");
        let docs = [alone[0].clone(), summary("base.md", BASE)];
        let p = pairings(&docs, &Options::default());
        assert_eq!(p[0].base, None);
        assert!(p[0].differences[0].message.contains("\"NOPE\""));
        let variant = BASE
            .replace("id: CS-010", "id: V\nvariant_of: CS-010")
            .replace(
                "## Escalation\n",
                "## Escalation\n<!-- sopkit-variant: local -->\n",
            );
        let got = differences(&variant, &Options::default());
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].1.contains("needs a reason"), "{got:?}");
    }
}
