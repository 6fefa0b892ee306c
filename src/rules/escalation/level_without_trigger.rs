use crate::document::Document;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that every level after the first says when to escalate to it: a condition
    /// ("when a refund above 200 EUR is asked for") or a time with a unit ("30 min", "2 jam",
    /// "1 dan"). A time without a unit ("soon", "ASAP", "2") does not count.
    ///
    /// ## Why is this bad?
    /// Without a trigger, nobody knows when the case should move up: some escalate everything,
    /// others nothing.
    ///
    /// ## Example
    /// ```markdown
    /// | Level | Role | When | Within | Contact |
    /// |---|---|---|---|---|
    /// | 1 | Service desk agent | Any outage | 15 min | #it-desk |
    /// | 2 | On-call engineer |  | soon | +1 555 0142 |
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// | Level | Role | When | Within | Contact |
    /// |---|---|---|---|---|
    /// | 1 | Service desk agent | Any outage | 15 min | #it-desk |
    /// | 2 | On-call engineer | No fix after 30 min | 1 h | +1 555 0142 |
    /// ```
    pub(crate) LevelWithoutTrigger {
        code: "E003",
        name: "level-without-trigger",
        severity: Error,
        summary: "An escalation level after the first has no trigger or time",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for LevelWithoutTrigger {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        for (i, level) in super::levels(doc).skip(1) {
            let has_trigger = level
                .trigger
                .as_ref()
                .is_some_and(|t| !t.value.trim().is_empty());
            let has_time = level.within.as_ref().is_some_and(|w| w.minutes.is_some());
            if has_trigger || has_time {
                continue;
            }
            let label = super::level_label(level, i);
            let finding = match &level.within {
                Some(w) => Finding::new(
                    w.span.range(),
                    format!(
                        "{label} has no trigger, and its time \"{}\" has no number with a unit",
                        w.text.trim()
                    ),
                ),
                None => Finding::new(
                    doc.first_line(level.span.range()),
                    format!("{label} has no trigger: nothing says when to escalate to it"),
                ),
            };
            out.push(finding.help(
                "add a condition (\"when the fix fails\") or a time with a unit (\"30 min\", \"2 h\", \"1 day\")",
            ));
        }
        out
    }
}
