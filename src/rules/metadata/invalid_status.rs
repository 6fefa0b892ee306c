use super::support::{present, written};
use crate::document::{keys, Document, Status};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Checks that `status` is one of `draft`, `review`, `approved` or `retired` (lower case).
    ///
    /// ## Why is this bad?
    /// Bundles ship only `approved` procedures, and readers trust a procedure by its status. A
    /// status such as `final`, `ok` or `Approved ✔` is neither recognised by tools nor clear to
    /// people, so the SOP may be left out of a bundle or followed while it is still a draft.
    ///
    /// ## Example
    /// ```yaml
    /// status: aproved
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// status: approved
    /// ```
    pub(crate) InvalidStatus {
        code: "M005",
        name: "invalid-status",
        severity: Error,
        summary: "The status is not one of draft, review, approved, retired",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for InvalidStatus {
    fn check(&self, doc: &Document, ctx: &Context<'_>) -> Vec<Finding> {
        let Some(field) = present(doc, &ctx.settings.metadata, keys::STATUS) else {
            return Vec::new();
        };
        let text = written(doc, field).unwrap_or_default();
        let value = text.trim();
        if !matches!(Status::parse(value), Status::Unknown(_)) {
            return Vec::new();
        }
        let help = if let Some(s) = Status::NAMES.iter().find(|s| s.eq_ignore_ascii_case(value)) {
            format!("write it in lower case: `status: {s}`")
        } else if let Some(s) = did_you_mean(value, Status::NAMES) {
            format!("did you mean `{s}`? The statuses are draft, review, approved and retired")
        } else {
            "use draft (being written), review (waiting for approval), approved (in force) or retired (no longer used)".to_string()
        };
        let message = if value.is_empty() {
            "`status` must be one word: draft, review, approved or retired".to_string()
        } else {
            format!("status `{value}` is not one of draft, review, approved, retired")
        };
        vec![Finding::new(field.span.range(), message).help(help)]
    }
}
