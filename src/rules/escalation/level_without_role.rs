use crate::document::Document;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that every level of the escalation chain names a role: the Role cell of a table
    /// row, or the bold name (or the text before the first comma) of a list item.
    ///
    /// ## Why is this bad?
    /// A level without a role tells staff *when* to escalate but not *to whom*, so the case
    /// stalls exactly when it needs someone with more authority.
    ///
    /// ## Example
    /// ```markdown
    /// | Level | Role | When | Within | Contact |
    /// |---|---|---|---|---|
    /// | 2 |  | Refund above 200 EUR | 1 h | sup@example.com |
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// | Level | Role | When | Within | Contact |
    /// |---|---|---|---|---|
    /// | 2 | Shift supervisor | Refund above 200 EUR | 1 h | sup@example.com |
    /// ```
    pub(crate) LevelWithoutRole {
        code: "E002",
        name: "level-without-role",
        severity: Error,
        summary: "An escalation level names no role",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for LevelWithoutRole {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        super::levels(doc)
            .filter(|(_, level)| level.role.as_ref().is_none_or(|r| r.value.trim().is_empty()))
            .map(|(i, level)| {
                Finding::new(
                    doc.first_line(level.span.range()),
                    format!("{} of the escalation chain names no role", super::level_label(level, i)),
                )
                .help("name the role that takes over at this level, as listed under Roles (e.g. \"Shift supervisor\")")
            })
            .collect()
    }
}
