use super::support::document_anchor;
use crate::document::Document;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that the SOP has every required section. By default: Purpose, Scope, Roles,
    /// Procedure, Escalation and Revision history (configure with `sections.required`).
    /// Headings are recognised through the alias table in every supported language, so
    /// `## Postupak` counts as Procedure in a Croatian SOP and `## Langkah-langkah` in a Malay one.
    ///
    /// ## Why is this bad?
    /// Readers look for the same parts in every procedure: why it exists, when it applies, who
    /// does what, the steps, and whom to call when it goes wrong. A missing Escalation section
    /// leaves staff alone with the hardest cases.
    ///
    /// ## Example
    /// ```markdown
    /// # Handle a customer complaint
    /// ## Purpose
    /// ## Procedure
    /// 1. Greet the customer.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// # Handle a customer complaint
    /// ## Purpose
    /// ## Scope
    /// ## Roles
    /// ## Procedure
    /// 1. Greet the customer.
    /// ## Escalation
    /// ## Revision history
    /// ```
    pub(crate) MissingSection {
        code: "S001",
        name: "missing-section",
        severity: Error,
        summary: "A required section is missing",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for MissingSection {
    fn check(&self, doc: &Document, ctx: &Context<'_>) -> Vec<Finding> {
        let anchor = document_anchor(doc);
        let mut out = Vec::new();
        for &kind in &ctx.settings.required_sections {
            if doc.sections_of(kind).next().is_some() {
                continue;
            }
            let heading = kind.heading_in(&doc.lang);
            let message = if heading == kind.title() {
                format!("the required section “{heading}” is missing")
            } else {
                format!(
                    "the required section “{heading}” ({}) is missing",
                    kind.title()
                )
            };
            out.push(Finding::new(anchor.clone(), message).help(format!(
                "add a `## {heading}` section{}",
                placement(doc, ctx, kind)
            )));
        }
        out
    }
}

/// " after “Roles”" — where the section belongs, given the configured order and the sections
/// the document has.
fn placement(doc: &Document, ctx: &Context<'_>, kind: crate::document::SectionKind) -> String {
    let order = &ctx.settings.section_order;
    let Some(rank) = order.iter().position(|k| *k == kind) else {
        return String::new();
    };
    let before = order[..rank]
        .iter()
        .rev()
        .find_map(|k| doc.sections_of(*k).next());
    if let Some(s) = before {
        return format!(" after “{}”", s.heading);
    }
    let after = order[rank + 1..]
        .iter()
        .find_map(|k| doc.sections_of(*k).next());
    after.map_or_else(String::new, |s| format!(" before “{}”", s.heading))
}
