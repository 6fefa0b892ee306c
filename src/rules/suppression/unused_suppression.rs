use crate::document::Document;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Reports a `sopkit-disable…` comment that suppresses nothing: no finding of the rules it
    /// names falls in its range, the rule is not enabled, or the code is unknown. Also reports a
    /// `sopkit-enable` comment that closes no `sopkit-disable`.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next real problem at that place, and it tells readers that
    /// something is wrong where nothing is.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- sopkit-disable-next-line step-length -->
    /// 1. Open the ticket.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 1. Open the ticket.
    /// ```
    pub(crate) UnusedSuppression {
        code: "SUP001",
        name: "unused-suppression",
        severity: Info,
        summary: "Suppression comment suppresses nothing",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for UnusedSuppression {
    /// The findings need every other rule's findings first: the `suppress` module computes them.
    fn check(&self, _doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        Vec::new()
    }
}
