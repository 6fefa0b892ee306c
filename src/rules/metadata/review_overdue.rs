use time::Date;

use super::support::{date_field, interval_start, present, written, Interval};
use crate::document::{keys, Document, Status};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that the SOP's review is not overdue: `review_by` is today or later, or, when the
    /// front matter gives a `review_interval` ("12 months", "1 year", "90 days", "2 weeks")
    /// instead, that the last review (`reviewed`), else `effective`, plus the interval is today
    /// or later. Retired SOPs are not checked. A `review_interval` that is not a number and a
    /// unit is reported too. The fields are read under the keys `fields:` or `preset:` map them
    /// to (GOV.UK's `last_reviewed_on` + `review_in: 6 months`), with dates as `dates:` says.
    ///
    /// "Today" is the clock's date in UTC; set `SOPKIT_TODAY=YYYY-MM-DD` to pin it.
    ///
    /// ## Why is this bad?
    /// Procedures drift from practice: systems, contacts and thresholds change. A procedure past
    /// its review date may send staff to a phone number that no longer answers.
    ///
    /// ## Example
    /// ```yaml
    /// effective: 2024-01-15
    /// review_by: 2025-01-15
    /// ```
    ///
    /// ## Use instead
    /// Review the procedure with its owner, then record it:
    /// ```yaml
    /// version: 1.2.1
    /// effective: 2026-11-20
    /// review_by: 2027-11-20
    /// ```
    pub(crate) ReviewOverdue {
        code: "M006",
        name: "review-overdue",
        severity: Warning,
        summary: "The review date has passed",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for ReviewOverdue {
    fn check(&self, doc: &Document, ctx: &Context<'_>) -> Vec<Finding> {
        let today = ctx.settings.today;
        let meta = &ctx.settings.metadata;
        let mut out = Vec::new();
        let interval = present(doc, meta, keys::REVIEW_INTERVAL).map(|field| {
            let text = written(doc, field).unwrap_or_default();
            (Interval::parse(&text), text, field)
        });
        if let Some((None, text, field)) = &interval {
            let message = if text.trim().is_empty() {
                "`review_interval` must be a number and a unit, such as `12 months`".to_string()
            } else {
                format!(
                    "review interval `{}` is not a number and a unit",
                    text.trim()
                )
            };
            out.push(
                Finding::new(field.span.range(), message).help(
                    "write it like `12 months`, `1 year`, `6 months`, `90 days` or `2 weeks`",
                ),
            );
        }
        let retired = present(doc, meta, keys::STATUS)
            .and_then(|f| f.as_text())
            .is_some_and(|s| Status::parse(&s) == Status::Retired);
        if retired {
            return out;
        }
        if let Some((due, field)) = date_field(doc, meta, keys::REVIEW_BY) {
            if due < today {
                out.push(
                    Finding::new(
                        field.span.range(),
                        format!("the review was due on {due} ({} ago)", ago(due, today)),
                    )
                    .help("review the procedure with its owner, then set a new `review_by` (and `effective`, if it changed), or set `status: retired`"),
                );
            }
        } else if present(doc, meta, keys::REVIEW_BY).is_none() {
            if let Some((Some(every), text, field)) = &interval {
                let due = interval_start(doc, meta)
                    .and_then(|(start, from)| every.after(start).map(|d| (start, from, d)));
                if let Some((start, from, due)) = due {
                    if due < today {
                        let since = if from == keys::REVIEWED {
                            "the last review on"
                        } else {
                            "the effective date"
                        };
                        out.push(
                            Finding::new(
                                field.span.range(),
                                format!(
                                    "the review was due on {due}, {} after {since} {start} ({} ago)",
                                    text.trim(),
                                    ago(due, today)
                                ),
                            )
                            .help(format!(
                                "review the procedure with its owner, then set a new `{}` date, or set `{}: retired`",
                                meta.key(from),
                                meta.key(keys::STATUS)
                            )),
                        );
                    }
                }
            }
        }
        out
    }
}

/// "3 days", "1 day", "2 months", "1 year": how long ago `then` was, roughly.
fn ago(then: Date, today: Date) -> String {
    let days = (today - then).whole_days();
    let (n, unit) = if days < 60 {
        (days, "day")
    } else if days < 730 {
        (days / 30, "month")
    } else {
        (days / 365, "year")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{parse, ParseOptions};
    use crate::settings::{parse_iso_date, Settings};

    /// The values of the findings on a document with these front matter lines, today 2026-11-25.
    fn flagged(fields: &str) -> Vec<String> {
        let settings = Settings {
            today: parse_iso_date("2026-11-25").unwrap(),
            ..Settings::default()
        };
        let src = format!("---\n{fields}\n---\n# T\n");
        let doc = parse("t.md", src.clone(), &ParseOptions::default());
        ReviewOverdue::default()
            .check(
                &doc,
                &Context {
                    settings: &settings,
                    files: &crate::rule::NoFiles,
                },
            )
            .into_iter()
            .map(|f| src[f.span].to_string())
            .collect()
    }

    #[test]
    fn review_by_is_due_on_the_day_itself() {
        assert!(flagged("review_by: 2026-11-25").is_empty());
        assert_eq!(flagged("review_by: 2026-11-24"), ["2026-11-24"]);
        assert!(flagged("review_by: 2027-01-01").is_empty());
    }

    #[test]
    fn interval_counts_from_the_effective_date() {
        // 2025-11-25 + 12 months = today: not yet overdue.
        assert!(flagged("effective: 2025-11-25\nreview_interval: 12 months").is_empty());
        assert_eq!(
            flagged("effective: 2025-11-24\nreview_interval: 1 year"),
            ["1 year"]
        );
        assert_eq!(
            flagged("effective: 2026-08-01\nreview_interval: 90 days"),
            ["90 days"]
        );
        assert!(flagged("effective: 2026-11-12\nreview_interval: 2 weeks").is_empty());
        // No effective date (or a broken one): nothing to count from.
        assert!(flagged("review_interval: 1 year").is_empty());
        assert!(flagged("effective: 15.01.2020\nreview_interval: 1 year").is_empty());
    }

    #[test]
    fn review_by_wins_over_the_interval() {
        let both = "effective: 2020-01-01\nreview_by: 2027-01-01\nreview_interval: 1 year";
        assert!(flagged(both).is_empty());
        // A broken review_by is M004's finding; the interval is not used in its place.
        assert!(
            flagged("effective: 2020-01-01\nreview_by: soon\nreview_interval: 1 year").is_empty()
        );
    }

    #[test]
    fn invalid_intervals_are_reported_at_their_value() {
        assert_eq!(flagged("review_interval: yearly"), ["yearly"]);
        assert_eq!(
            flagged("review_by: 2027-01-01\nreview_interval: 12"),
            ["12"]
        );
    }

    #[test]
    fn retired_sops_are_not_due() {
        assert!(flagged("status: retired\nreview_by: 2020-01-01").is_empty());
        assert_eq!(
            flagged("status: draft\nreview_by: 2020-01-01"),
            ["2020-01-01"]
        );
    }

    #[test]
    fn ago_rounds_down_to_a_readable_unit() {
        let d = |s| parse_iso_date(s).unwrap();
        assert_eq!(ago(d("2026-11-24"), d("2026-11-25")), "1 day");
        assert_eq!(ago(d("2026-10-01"), d("2026-11-25")), "55 days");
        assert_eq!(ago(d("2026-01-15"), d("2026-11-25")), "10 months");
        assert_eq!(ago(d("2023-11-25"), d("2026-11-25")), "3 years");
    }
}
