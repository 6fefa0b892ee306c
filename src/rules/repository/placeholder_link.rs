use crate::document::Document;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

use super::broken_link::is_placeholder;

declare_rule! {
    /// ## What it does
    /// Flags links whose target is a placeholder: `[the form](#)`, `[runbook](#TODO)`,
    /// `[link]()`. It reports each file once, at the first placeholder, with the number of
    /// placeholders in the file.
    ///
    /// ## Why is this bad?
    /// A placeholder link looks like a reference but leads nowhere: the reader who needs the
    /// form or the runbook in the middle of a procedure has to go looking for it. It is a
    /// to-do left in the document, not a broken link after a rename, so it is a warning, once
    /// per file.
    ///
    /// ## Example
    /// ```markdown
    /// 1. Fill in [the access request form](#TODO).
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 1. Fill in [the access request form](https://forms.example.com/access).
    /// ```
    pub(crate) PlaceholderLink {
        code: "X005",
        name: "placeholder-link",
        severity: Warning,
        summary: "A link points to a placeholder such as `#` or `#TODO`",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for PlaceholderLink {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let placeholders: Vec<_> = doc
            .links
            .iter()
            .filter(|l| is_placeholder(&l.target))
            .collect();
        let Some(first) = placeholders.first() else {
            return Vec::new();
        };
        let message = match placeholders.len() {
            1 => format!("the link \"{}\" has a placeholder target", first.text),
            n => format!(
                "{n} links have placeholder targets, the first is \"{}\"",
                first.text
            ),
        };
        vec![Finding::new(first.span.range(), message)
            .help("link to the real page, or write the text without a link until it exists")]
    }
}
