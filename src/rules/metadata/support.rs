//! Helpers shared by the metadata rules: empty values, dates, review intervals.

use std::ops::Range;

use time::{Date, Duration, Month};

use crate::document::{Document, Field};
use crate::settings::Metadata;

/// Whether a front matter value says nothing: null, blank text, or a list/map of nothing.
pub(super) fn is_empty_value(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Null => true,
        serde_json::Value::String(s) => s.trim().is_empty(),
        serde_json::Value::Array(items) => items.iter().all(is_empty_value),
        serde_json::Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// sopkit's field `field`, under the file's key for it (`fields:` / `preset:`), when it holds
/// something (empty fields are M002's business).
pub(super) fn present<'a>(doc: &'a Document, meta: &Metadata, field: &str) -> Option<&'a Field> {
    let fm = doc.front_matter.as_ref()?;
    if fm.error.is_some() {
        return None;
    }
    fm.fields
        .get(meta.key(field))
        .filter(|f| !is_empty_value(&f.value))
}

/// A scalar field's text as the author wrote it: YAML reads `1.10` as the number 1.1, so numbers
/// are taken from the source; strings are their decoded value. `None` for lists and maps.
pub(super) fn written(doc: &Document, field: &Field) -> Option<String> {
    if field.value.is_number() {
        if let Some(src) = doc.source.get(field.span.range()) {
            return Some(src.trim().to_string());
        }
    }
    field.as_text()
}

/// sopkit's field `field` read as a date the way the repository writes dates (ISO 8601, the
/// configured `dates` order, "Dec 12, 2019"), with the field; `None` when absent or not a date.
pub(super) fn date_field<'a>(
    doc: &'a Document,
    meta: &Metadata,
    field: &str,
) -> Option<(Date, &'a Field)> {
    let f = present(doc, meta, field)?;
    let date = meta.parse_date(&written(doc, f)?)?;
    Some((date, f))
}

/// Whether a front matter key holds a date: `effective`, `review_by`, `reviewed`, `date`,
/// any `*_date`, and the keys `fields:` maps those date fields to (`ms.date`).
pub(super) fn is_date_key(meta: &Metadata, key: &str) -> bool {
    let field = meta.field_of(key).unwrap_or(key);
    matches!(field, "effective" | "review_by" | "reviewed" | "date") || key.ends_with("_date")
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

/// When a document is due for review, with sopkit's own field names.
pub(crate) fn review_due(doc: &Document) -> Option<Date> {
    review_due_in(doc, &Metadata::default())
}

/// When a document is due for review: its `review_by`, else `reviewed` (the last review) or
/// else `effective`, plus `review_interval`. `None` when neither gives a valid date.
pub(crate) fn review_due_in(doc: &Document, meta: &Metadata) -> Option<Date> {
    if let Some((date, _)) = date_field(doc, meta, "review_by") {
        return Some(date);
    }
    let interval = present(doc, meta, "review_interval")
        .and_then(|f| written(doc, f))
        .and_then(|text| Interval::parse(&text))?;
    let (start, _) = interval_start(doc, meta)?;
    interval.after(start)
}

/// The date a review interval counts from: the last review (`reviewed`), else `effective`;
/// with the sopkit field it came from.
pub(super) fn interval_start(doc: &Document, meta: &Metadata) -> Option<(Date, &'static str)> {
    date_field(doc, meta, "reviewed")
        .map(|(d, _)| (d, "reviewed"))
        .or_else(|| date_field(doc, meta, "effective").map(|(d, _)| (d, "effective")))
}

/// The unit of a review interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// A review interval such as "12 months".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Interval {
    pub count: u32,
    pub unit: Unit,
}

impl Interval {
    /// Parses "12 months", "1 year", "90 days", "2 weeks", "6mo", ISO 8601 "P1Y", and the seed
    /// languages' units ("12 bulan", "1 godina", "6 kuukautta").
    pub(super) fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_lowercase();
        if let Some(iso) = t.strip_prefix('p') {
            // ISO 8601 duration with a single component: P1Y, P12M, P2W, P90D.
            let digits: String = iso.chars().take_while(char::is_ascii_digit).collect();
            let rest = &iso[digits.len()..];
            let unit = match rest {
                "y" => Unit::Year,
                "m" => Unit::Month,
                "w" => Unit::Week,
                "d" => Unit::Day,
                _ => return None,
            };
            return Self::new(&digits, unit);
        }
        let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
        let unit = unit_of(t[digits.len()..].trim())?;
        Self::new(&digits, unit)
    }

    fn new(digits: &str, unit: Unit) -> Option<Self> {
        let count: u32 = digits.parse().ok()?;
        (count > 0).then_some(Self { count, unit })
    }

    /// `date` plus this interval; a month end is clamped (Jan 31 + 1 month = Feb 28/29).
    /// `None` past the calendar's range.
    pub(super) fn after(self, date: Date) -> Option<Date> {
        match self.unit {
            Unit::Day => date.checked_add(Duration::days(i64::from(self.count))),
            Unit::Week => date.checked_add(Duration::weeks(i64::from(self.count))),
            Unit::Month => add_months(date, self.count),
            Unit::Year => add_months(date, self.count.checked_mul(12)?),
        }
    }
}

fn unit_of(word: &str) -> Option<Unit> {
    let unit = match word {
        "d" | "day" | "days" | "hari" | "dan" | "dana" | "päivä" | "päivää" => Unit::Day,
        "w" | "wk" | "wks" | "week" | "weeks" | "minggu" | "tjedan" | "tjedna" | "tjedana"
        | "viikko" | "viikkoa" => Unit::Week,
        "mo" | "mos" | "month" | "months" | "bulan" | "mjesec" | "mjeseca" | "mjeseci"
        | "kuukausi" | "kuukautta" => Unit::Month,
        "y" | "yr" | "yrs" | "year" | "years" | "tahun" | "godina" | "godine" | "godinu"
        | "vuosi" | "vuotta" => Unit::Year,
        _ => return None,
    };
    Some(unit)
}

fn add_months(date: Date, months: u32) -> Option<Date> {
    let zero_based = i64::from(date.year()) * 12 + i64::from(u8::from(date.month()) - 1);
    let total = zero_based.checked_add(i64::from(months))?;
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(total.rem_euclid(12) + 1).ok()?).ok()?;
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).ok()
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
