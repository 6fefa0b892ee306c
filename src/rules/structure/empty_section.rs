use crate::document::Document;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that every recognised section (Purpose, Scope, Roles, Procedure, Escalation, …, in
    /// any supported language) has content: text, a list or a table, not just its heading.
    /// Comments and blank lines do not count as content.
    ///
    /// ## Why is this bad?
    /// An empty heading promises an answer that is not there. A reader who jumps to "Escalation"
    /// in an emergency and finds nothing has lost time they did not have.
    ///
    /// ## Example
    /// ```markdown
    /// ## Scope
    /// ## Roles
    /// - **Service agent**: first contact for the customer.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## Scope
    /// Complaints received by phone, e-mail and chat.
    /// ## Roles
    /// - **Service agent**: first contact for the customer.
    /// ```
    pub(crate) EmptySection {
        code: "S003",
        name: "empty-section",
        severity: Warning,
        summary: "A section has a heading but no content",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for EmptySection {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        doc.sections
            .iter()
            .filter(|s| s.kind.is_some() && !s.has_content)
            .map(|s| {
                Finding::new(doc.first_line(s.span.range()), format!("the section “{}” is empty", s.heading))
                    .help("write what belongs under this heading, or remove the heading if the SOP does not need it")
            })
            .collect()
    }
}
