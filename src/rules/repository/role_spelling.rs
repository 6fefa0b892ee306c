use std::collections::HashMap;
use std::ops::Range;

use crate::document::{DocSummary, Document};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};
use crate::rules::escalation::role_key;

declare_rule! {
    /// ## What it does
    /// Checks that each role is spelled one way across all the files of a run: in the Roles
    /// sections and in the escalation chains. Spellings that differ only in case, hyphens,
    /// spacing or a plural "s" ("Shift supervisor", "Shift Supervisor", "Shift-supervisor")
    /// name the same role; the less common spelling is reported, with the most common one
    /// (the first seen, on a tie) as the fix. A remark in parentheses ("(on call)") is ignored.
    ///
    /// ## Why is this bad?
    /// Readers and tools (search, the Roles check of the escalation chain, training records)
    /// treat different spellings as different roles. One spelling keeps responsibilities easy
    /// to find and to audit.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- complaints.md -->
    /// - **Shift supervisor**: approves refunds up to 200 EUR.
    /// <!-- refunds.md -->
    /// - **Shift-Supervisor**: approves refunds up to 200 EUR.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// <!-- refunds.md -->
    /// - **Shift supervisor**: approves refunds up to 200 EUR.
    /// ```
    pub(crate) RoleSpelling {
        code: "X003",
        name: "role-spelling",
        severity: Warning,
        summary: "A role is spelled differently across documents",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

/// A role name as written somewhere in the run.
struct Mention {
    doc: usize,
    spelling: String,
    span: Range<usize>,
}

/// The spelling compared between mentions: the name without a remark in parentheses, with
/// spaces collapsed.
fn spelling(name: &str) -> String {
    let head = match name.find('(') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    };
    head.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Rule for RoleSpelling {
    fn check(&self, _doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        Vec::new()
    }

    fn check_all(&self, docs: &[DocSummary], _ctx: &Context<'_>) -> Vec<(usize, Finding)> {
        // Role key → mentions in document order.
        let mut groups: Vec<(String, Vec<Mention>)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, doc) in docs.iter().enumerate() {
            let names = doc
                .roles
                .iter()
                .chain(&doc.escalation_roles)
                .map(|r| (r.text.as_str(), r.span.clone()));
            for (name, span) in names {
                let key = role_key(name);
                if key.is_empty() {
                    continue;
                }
                let g = *index.entry(key.clone()).or_insert_with(|| {
                    groups.push((key, Vec::new()));
                    groups.len() - 1
                });
                groups[g].1.push(Mention {
                    doc: i,
                    spelling: spelling(name),
                    span,
                });
            }
        }
        let mut out = Vec::new();
        for (_, mentions) in &groups {
            // (spelling, count), in order of first appearance so that ties go to the first.
            let mut counts: Vec<(&str, usize)> = Vec::new();
            for m in mentions {
                match counts.iter_mut().find(|(s, _)| *s == m.spelling) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((&m.spelling, 1)),
                }
            }
            if counts.len() < 2 {
                continue;
            }
            let Some(&(majority, n)) = counts.iter().reduce(|a, b| if b.1 > a.1 { b } else { a })
            else {
                continue;
            };
            let Some(example) = mentions.iter().find(|m| m.spelling == majority) else {
                continue;
            };
            let places = if n == 1 {
                "1 place".to_string()
            } else {
                format!("{n} places")
            };
            for m in mentions.iter().filter(|m| m.spelling != majority) {
                out.push((
                    m.doc,
                    Finding::new(
                        m.span.clone(),
                        format!(
                            "the role \"{}\" is spelled \"{majority}\" in {places}",
                            m.spelling
                        ),
                    )
                    .help(format!(
                        "use one spelling everywhere: \"{majority}\" (as in {})",
                        docs[example.doc].path
                    )),
                ));
            }
        }
        out
    }
}
