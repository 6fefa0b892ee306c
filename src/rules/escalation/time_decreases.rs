use crate::document::Document;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that response times never decrease along the escalation chain: a level must not
    /// allow less time than a level before it. Levels without a time (or without a unit) are
    /// skipped.
    ///
    /// ## Why is this bad?
    /// A later level with a shorter time is almost always a typo ("15 min" for "15 h") or rows
    /// in the wrong order. Either way the deadline cannot be met: by the time the case reaches
    /// that level, its time has already run out.
    ///
    /// ## Example
    /// ```markdown
    /// | Level | Role | When | Within | Contact |
    /// |---|---|---|---|---|
    /// | 1 | Lab technician | Sample label unreadable | 2 h | #lab-bench |
    /// | 2 | Lab supervisor | Sample cannot be identified | 30 min | lab-sup@example.org |
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// | Level | Role | When | Within | Contact |
    /// |---|---|---|---|---|
    /// | 1 | Lab technician | Sample label unreadable | 30 min | #lab-bench |
    /// | 2 | Lab supervisor | Sample cannot be identified | 2 h | lab-sup@example.org |
    /// ```
    pub(crate) TimeDecreases {
        code: "E004",
        name: "time-decreases",
        severity: Warning,
        summary: "An escalation level allows less time than an earlier one",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for TimeDecreases {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        // The longest time so far: (minutes, its level's label, text as written).
        let mut longest: Option<(u64, String, &str)> = None;
        for (i, level) in super::levels(doc) {
            let Some(within) = &level.within else {
                continue;
            };
            let Some(minutes) = within.minutes else {
                continue;
            };
            match &longest {
                Some((max, earlier, text)) if minutes < *max => {
                    out.push(
                        Finding::new(
                            within.span.range(),
                            format!(
                                "{} allows {}, less than the {} of {earlier}",
                                super::level_label(level, i),
                                within.text.trim(),
                                text.trim()
                            ),
                        )
                        .help("give each level at least as much time as the level before it, or put the rows in order"),
                    );
                }
                Some((max, _, _)) if minutes <= *max => {}
                _ => longest = Some((minutes, super::level_label(level, i), &within.text)),
            }
        }
        out
    }
}
