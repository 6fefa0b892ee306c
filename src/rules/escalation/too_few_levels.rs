use crate::document::Document;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that the escalation chain has at least two levels.
    ///
    /// ## Why is this bad?
    /// A chain of one level is not a chain: when that person is away or cannot decide, nobody
    /// else is named, and the case stops there.
    ///
    /// ## Example
    /// ```markdown
    /// ## Escalation
    /// 1. **Finance officer**, when an invoice does not match the order, within 1 day: ap@example.com
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## Escalation
    /// 1. **Finance officer**, when an invoice does not match the order, within 1 day: ap@example.com
    /// 2. **Finance manager**, if the supplier disputes the amount, within 3 days: fin-mgr@example.com
    /// ```
    pub(crate) TooFewLevels {
        code: "E007",
        name: "too-few-levels",
        severity: Warning,
        summary: "The escalation chain has fewer than two levels",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for TooFewLevels {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let Some(chain) = &doc.escalation else {
            return Vec::new();
        };
        let (span, message) = match chain.levels.as_slice() {
            [] => (
                doc.first_line(chain.span.range()),
                "the escalation chain has no levels".to_string(),
            ),
            [only] => (
                doc.first_line(only.span.range()),
                "the escalation chain has only one level: nobody is named if it fails".to_string(),
            ),
            _ => return Vec::new(),
        };
        vec![Finding::new(span, message)
            .help("add a level above it: the role with more authority who takes over, when, and how to reach them")]
    }
}
