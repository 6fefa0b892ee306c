//! Review dates: when a document is due for review, from its metadata fields.

use time::{Date, Duration, Month};

use super::keys::{EFFECTIVE, REVIEWED, REVIEW_BY, REVIEW_INTERVAL};
use super::{Document, Field};

/// How a repository names and writes its metadata: the key it keeps each of sopkit's fields
/// under (`fields:` / `preset:`) and how it writes dates (`dates:`). The settings implement it.
pub trait FieldConventions {
    /// The file's key for sopkit's field `field`.
    fn key<'a>(&'a self, field: &'a str) -> &'a str;
    /// A date as the repository writes dates.
    fn parse_date(&self, text: &str) -> Option<Date>;
}

/// Whether a front matter value says nothing: null, blank text, or a list/map of nothing.
pub(crate) fn is_empty_value(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Null => true,
        serde_json::Value::String(s) => s.trim().is_empty(),
        serde_json::Value::Array(items) => items.iter().all(is_empty_value),
        serde_json::Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

impl Document {
    /// sopkit's field `field`, under the file's key for it (`fields:` / `preset:`), when it holds
    /// something (empty fields are M002's business).
    pub(crate) fn metadata_field(
        &self,
        meta: &dyn FieldConventions,
        field: &str,
    ) -> Option<&Field> {
        let fm = self.front_matter.as_ref()?;
        if fm.error.is_some() {
            return None;
        }
        fm.fields
            .get(meta.key(field))
            .filter(|f| !is_empty_value(&f.value))
    }

    /// A scalar field's text as the author wrote it: YAML reads `1.10` as the number 1.1, so numbers
    /// are taken from the source; strings are their decoded value. `None` for lists and maps.
    pub(crate) fn written(&self, field: &Field) -> Option<String> {
        if field.value.is_number() {
            if let Some(src) = self.source.get(field.span.range()) {
                return Some(src.trim().to_string());
            }
        }
        field.as_text()
    }

    /// sopkit's field `field` read as a date the way the repository writes dates (ISO 8601, the
    /// configured `dates` order, "Dec 12, 2019"), with the field; `None` when absent or not a date.
    pub(crate) fn date_field(
        &self,
        meta: &dyn FieldConventions,
        field: &str,
    ) -> Option<(Date, &Field)> {
        let f = self.metadata_field(meta, field)?;
        let date = meta.parse_date(&self.written(f)?)?;
        Some((date, f))
    }

    /// When the document is due for review: its `review_by`, else `reviewed` (the last
    /// review) or else `effective`, plus `review_interval`, the fields looked up and dates read
    /// by `meta` (a repository's `fields:` and `dates:`). `None` when neither gives a valid date.
    pub fn review_due(&self, meta: &dyn FieldConventions) -> Option<Date> {
        if let Some((date, _)) = self.date_field(meta, REVIEW_BY) {
            return Some(date);
        }
        let interval = self
            .metadata_field(meta, REVIEW_INTERVAL)
            .and_then(|f| self.written(f))
            .and_then(|text| Interval::parse(&text))?;
        let (start, _) = self.review_interval_start(meta)?;
        interval.after(start)
    }

    /// The date a review interval counts from: the last review (`reviewed`), else
    /// `effective`; with the sopkit field it came from.
    pub(crate) fn review_interval_start(
        &self,
        meta: &dyn FieldConventions,
    ) -> Option<(Date, &'static str)> {
        self.date_field(meta, REVIEWED)
            .map(|(d, _)| (d, REVIEWED))
            .or_else(|| {
                self.date_field(meta, EFFECTIVE)
                    .map(|(d, _)| (d, EFFECTIVE))
            })
    }
}

/// The unit of a review interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// A review interval such as "12 months".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Interval {
    pub count: u32,
    pub unit: Unit,
}

impl Interval {
    /// Parses "12 months", "1 year", "90 days", "2 weeks", "6mo", ISO 8601 "P1Y", and the seed
    /// languages' units ("12 bulan", "1 godina", "6 kuukautta").
    pub(crate) fn parse(text: &str) -> Option<Self> {
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
    pub(crate) fn after(self, date: Date) -> Option<Date> {
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
