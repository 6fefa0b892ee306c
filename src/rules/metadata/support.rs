//! Helpers shared by the metadata rules: empty values, dates, review intervals.

use std::ops::Range;

use time::Date;

use crate::document::{keys, Document, Field};
use crate::settings::Metadata;

#[cfg(test)]
use crate::document::Unit;
pub(super) use crate::document::{is_empty_value, Interval};

/// sopkit's field `field`, under the file's key for it (`fields:` / `preset:`), when it holds
/// something (empty fields are M002's business).
pub(super) fn present<'a>(doc: &'a Document, meta: &Metadata, field: &str) -> Option<&'a Field> {
    doc.metadata_field(meta, field)
}

/// A scalar field's text as the author wrote it (numbers from the source).
pub(super) fn written(doc: &Document, field: &Field) -> Option<String> {
    doc.written(field)
}

/// sopkit's field `field` read as a date the way the repository writes dates, with the field.
pub(super) fn date_field<'a>(
    doc: &'a Document,
    meta: &Metadata,
    field: &str,
) -> Option<(Date, &'a Field)> {
    doc.date_field(meta, field)
}

/// The date a review interval counts from: the last review (`reviewed`), else `effective`;
/// with the sopkit field it came from.
pub(super) fn interval_start(doc: &Document, meta: &Metadata) -> Option<(Date, &'static str)> {
    doc.review_interval_start(meta)
}

/// Whether a front matter key holds a date: `effective`, `review_by`, `reviewed`, `date`,
/// any `*_date`, and the keys `fields:` maps those date fields to (`ms.date`).
pub(super) fn is_date_key(meta: &Metadata, key: &str) -> bool {
    let field = meta.field_of(key).unwrap_or(key);
    [keys::EFFECTIVE, keys::REVIEW_BY, keys::REVIEWED, "date"].contains(&field)
        || key.ends_with("_date")
}

/// The source range of the closing `---` (or `...`) of the front matter, without line ending.
pub(super) fn closing_fence(doc: &Document) -> Option<Range<usize>> {
    let fm = doc.front_matter.as_ref()?;
    let block = doc.source.get(fm.span.range())?;
    let trimmed = block.trim_end_matches(['\n', '\r']);
    let line_start = trimmed.rfind('\n').map_or(0, |i| i + 1);
    let start = fm.span.start + line_start;
    Some(start..fm.span.start + trimmed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        crate::settings::parse_iso_date(s).unwrap()
    }

    #[test]
    fn intervals_parse_in_every_form() {
        let cases = [
            ("12 months", 12, Unit::Month),
            ("1 year", 1, Unit::Year),
            ("6 Months", 6, Unit::Month),
            ("90 days", 90, Unit::Day),
            ("2 weeks", 2, Unit::Week),
            ("6mo", 6, Unit::Month),
            ("P1Y", 1, Unit::Year),
            ("p2w", 2, Unit::Week),
            ("12 bulan", 12, Unit::Month),
            ("1 godina", 1, Unit::Year),
            ("6 kuukautta", 6, Unit::Month),
        ];
        for (text, count, unit) in cases {
            assert_eq!(
                Interval::parse(text),
                Some(Interval { count, unit }),
                "{text}"
            );
        }
    }

    #[test]
    fn bad_intervals_are_rejected() {
        for text in [
            "",
            "12",
            "months",
            "0 months",
            "twelve months",
            "12 fortnights",
            "P",
            "P1X",
            "-3 days",
            "1.5 years",
            "12 mönths",
            "99999999999 days",
        ] {
            assert_eq!(Interval::parse(text), None, "{text}");
        }
    }

    #[test]
    fn adding_months_clamps_to_month_end() {
        let one_month = Interval {
            count: 1,
            unit: Unit::Month,
        };
        assert_eq!(one_month.after(d("2026-01-31")), Some(d("2026-02-28")));
        assert_eq!(one_month.after(d("2028-01-31")), Some(d("2028-02-29")));
        assert_eq!(one_month.after(d("2026-12-15")), Some(d("2027-01-15")));
        let year = Interval {
            count: 1,
            unit: Unit::Year,
        };
        assert_eq!(year.after(d("2024-02-29")), Some(d("2025-02-28")));
        let months = Interval {
            count: 14,
            unit: Unit::Month,
        };
        assert_eq!(months.after(d("2025-11-30")), Some(d("2027-01-30")));
    }

    #[test]
    fn adding_days_and_weeks() {
        assert_eq!(
            Interval {
                count: 90,
                unit: Unit::Day
            }
            .after(d("2026-01-01")),
            Some(d("2026-04-01"))
        );
        assert_eq!(
            Interval {
                count: 2,
                unit: Unit::Week
            }
            .after(d("2026-12-25")),
            Some(d("2027-01-08"))
        );
    }

    #[test]
    fn huge_intervals_do_not_overflow() {
        let huge = Interval {
            count: u32::MAX,
            unit: Unit::Year,
        };
        assert_eq!(huge.after(d("2026-01-01")), None);
        let days = Interval {
            count: u32::MAX,
            unit: Unit::Day,
        };
        assert_eq!(days.after(d("2026-01-01")), None);
    }

    #[test]
    fn empty_values() {
        use serde_json::json;
        assert!(is_empty_value(&json!(null)));
        assert!(is_empty_value(&json!("  ")));
        assert!(is_empty_value(&json!([])));
        assert!(is_empty_value(&json!([""])));
        assert!(!is_empty_value(&json!(["Head of Ops"])));
        assert!(!is_empty_value(&json!(0)));
    }
}
