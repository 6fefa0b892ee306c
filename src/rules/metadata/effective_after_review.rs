use super::support::date_field;
use crate::document::{keys, Document};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that the `effective` date is not later than the `review_by` date.
    ///
    /// ## Why is this bad?
    /// A procedure cannot be due for review before it comes into force. One of the two dates is
    /// a typo (often the year), and until it is fixed review reminders fire at the wrong time or
    /// never.
    ///
    /// ## Example
    /// ```yaml
    /// effective: 2027-01-15
    /// review_by: 2026-01-15
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// effective: 2026-01-15
    /// review_by: 2027-01-15
    /// ```
    pub(crate) EffectiveAfterReview {
        code: "M007",
        name: "effective-after-review",
        severity: Error,
        summary: "The effective date is later than the review date",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for EffectiveAfterReview {
    fn check(&self, doc: &Document, ctx: &Context<'_>) -> Vec<Finding> {
        let (Some((effective, field)), Some((review_by, review_field))) = (
            date_field(doc, &ctx.settings.metadata, keys::EFFECTIVE),
            date_field(doc, &ctx.settings.metadata, keys::REVIEW_BY),
        ) else {
            return Vec::new();
        };
        if effective <= review_by {
            return Vec::new();
        }
        vec![Finding::new(
            field.span.range(),
            format!(
                "the effective date {effective} is after the review date {review_by} (line {})",
                review_field.span.line
            ),
        )
        .help("check both years: the procedure must come into force before it is due for review")]
    }
}
