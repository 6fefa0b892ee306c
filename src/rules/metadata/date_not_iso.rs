use super::support::{is_date_key, is_empty_value, written};
use crate::document::Document;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};
use crate::settings::parse_iso_date;

declare_rule! {
    /// ## What it does
    /// Checks that dates are ISO 8601 calendar dates, `YYYY-MM-DD`: the front matter fields
    /// `effective`, `review_by`, `reviewed`, `date` and any `*_date` (under the keys `fields:`
    /// maps them to), and the Date column of the revision history table. A repository whose
    /// convention is another numeric order declares it with `dates: mdy` (MM/DD/YYYY, as
    /// DocFX's `ms.date`) or `dates: dmy`, and dates in that order are accepted.
    ///
    /// ## Why is this bad?
    /// `03/04/2026` is the 3rd of April in Kuala Lumpur and Zagreb but the 4th of March in New
    /// York. Review reminders, bundle dates and "is this still current?" all depend on reading
    /// the date one way only.
    ///
    /// ## Example
    /// ```yaml
    /// effective: 15.01.2026
    /// review_by: 01/15/2027
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// effective: 2026-01-15
    /// review_by: 2027-01-15
    /// ```
    pub(crate) DateNotIso {
        code: "M004",
        name: "date-not-iso",
        severity: Error,
        summary: "A date is not an ISO 8601 date (YYYY-MM-DD)",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for DateNotIso {
    fn check(&self, doc: &Document, ctx: &Context<'_>) -> Vec<Finding> {
        let meta = &ctx.settings.metadata;
        let mut out = Vec::new();
        if let Some(fm) = doc.front_matter.as_ref().filter(|fm| fm.error.is_none()) {
            for (key, field) in &fm.fields {
                if !is_date_key(meta, key) || is_empty_value(&field.value) {
                    continue;
                }
                let Some(text) = written(doc, field) else {
                    out.push(
                        Finding::new(field.span.range(), format!("`{key}` must be one date"))
                            .help(format!("write `{key}: 2026-01-15` (YYYY-MM-DD)")),
                    );
                    continue;
                };
                if !meta.accepts(&text) {
                    // "effective date `…`", but "approval_date `…`", not "approval_date date".
                    let subject = if key.ends_with("date") {
                        key.clone()
                    } else {
                        format!("{key} date")
                    };
                    out.push(
                        Finding::new(
                            field.span.range(),
                            format!("{subject} {}", problem_in(meta, &text)),
                        )
                        .help(help(&text)),
                    );
                }
            }
        }
        for row in &doc.revisions {
            let date = row.date.trim();
            if date.is_empty() || meta.accepts(date) {
                continue;
            }
            // The row without its line ending.
            let row_text = doc.source.get(row.span.range()).unwrap_or("");
            let end = row.span.start + row_text.trim_end().len();
            out.push(
                Finding::new(
                    row.span.start..end,
                    format!("the revision history date {}", problem_in(meta, date)),
                )
                .help(help(date)),
            );
        }
        out
    }
}

/// What is wrong with a date, after the subject: "`31.02.2026` is not …".
fn problem(text: &str) -> String {
    let text = text.trim();
    match reorder(text) {
        // Written in ISO form but not a real day, such as 2026-02-30.
        Some(iso) if iso == text => format!("`{text}` is not a day of the calendar"),
        _ => format!("`{text}` is not an ISO 8601 date (YYYY-MM-DD)"),
    }
}

/// [`problem`], naming the configured order too when there is one.
fn problem_in(meta: &crate::settings::Metadata, text: &str) -> String {
    match meta.dates {
        crate::settings::DateOrder::Iso => problem(text),
        order => format!(
            "`{}` is neither an ISO 8601 date (YYYY-MM-DD) nor a {} date",
            text.trim(),
            if order == crate::settings::DateOrder::Mdy {
                "MM/DD/YYYY"
            } else {
                "DD/MM/YYYY"
            }
        ),
    }
}

fn help(text: &str) -> String {
    match reorder(text.trim()) {
        Some(iso) if iso != text.trim() && parse_iso_date(&iso).is_some() => {
            format!("write `{iso}` (year-month-day)")
        }
        // A date with the month's name ("Dec 12, 2019") is unambiguous: give its ISO form.
        _ => match crate::settings::parse_date(text, crate::settings::DateOrder::Iso) {
            Some(d) => format!("write `{d}` (year-month-day)"),
            None => {
                "write the date as year-month-day with zero padding, e.g. `2026-01-15`".to_string()
            }
        },
    }
}

/// Rewrites a date whose reading is unambiguous into `YYYY-MM-DD`: ISO with missing zeros,
/// `DD.MM.YYYY` (the dotted form is day-first wherever it is used), and `DD/MM/YYYY` or
/// `MM/DD/YYYY` only when one part is above 12. `None` when it cannot tell.
fn reorder(text: &str) -> Option<String> {
    let sep = ['-', '.', '/'].into_iter().find(|c| text.contains(*c))?;
    let parts: Vec<&str> = text.split(sep).map(str::trim).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (x, y, z) = (num(a)?, num(b)?, num(c)?);
    let (year, month, day) = if a.len() == 4 {
        (x, y, z)
    } else if c.len() == 4 {
        match sep {
            '.' | '-' => (z, y, x),
            _ if x > 12 && y <= 12 => (z, y, x),
            _ if y > 12 && x <= 12 => (z, x, y),
            _ => return None,
        }
    } else {
        return None;
    };
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unambiguous_dates_are_reordered() {
        assert_eq!(reorder("2026-1-5").as_deref(), Some("2026-01-05"));
        assert_eq!(reorder("15.01.2026").as_deref(), Some("2026-01-15"));
        assert_eq!(reorder("15/01/2026").as_deref(), Some("2026-01-15"));
        assert_eq!(reorder("01/15/2026").as_deref(), Some("2026-01-15"));
        assert_eq!(reorder("03/04/2026"), None);
        assert_eq!(reorder("January 15, 2026"), None);
        assert_eq!(reorder("2026"), None);
    }

    #[test]
    fn messages_tell_impossible_days_from_wrong_formats() {
        assert_eq!(
            problem("2026-02-30"),
            "`2026-02-30` is not a day of the calendar"
        );
        assert!(problem("15.01.2026").contains("not an ISO 8601 date"));
        assert_eq!(help("15.01.2026"), "write `2026-01-15` (year-month-day)");
        assert!(help("03/04/2026").contains("e.g. `2026-01-15`"));
        // A reordering that is itself impossible is not suggested.
        assert!(help("31.02.2026").contains("e.g."));
        assert_eq!(help("Sept 25, 2019"), "write `2019-09-25` (year-month-day)");
    }
}
