//! The validated settings a lint run uses (built from defaults, configuration and flags).

use std::collections::BTreeMap;

use time::{Date, Month};

use crate::document::{ParseOptions, SectionKind};

/// Settings for linting one file.
#[derive(Debug, Clone)]
pub struct Settings {
    /// "Today", for review dates: the clock, or `SOPKIT_TODAY=YYYY-MM-DD`.
    pub today: Date,
    /// Sections every SOP must have.
    pub required_sections: Vec<SectionKind>,
    /// The order sections must appear in (kinds not listed may appear anywhere).
    pub section_order: Vec<SectionKind>,
    pub parse: ParseOptions,
    /// Where the front matter keeps sopkit's fields, and how it writes dates.
    pub metadata: Metadata,
}

/// The default required sections, in their expected order.
pub const DEFAULT_REQUIRED: [SectionKind; 6] = [
    SectionKind::Purpose,
    SectionKind::Scope,
    SectionKind::Roles,
    SectionKind::Procedure,
    SectionKind::Escalation,
    SectionKind::RevisionHistory,
];

impl Default for Settings {
    fn default() -> Self {
        Self {
            today: today(),
            required_sections: DEFAULT_REQUIRED.to_vec(),
            section_order: vec![
                SectionKind::Purpose,
                SectionKind::Scope,
                SectionKind::Definitions,
                SectionKind::Roles,
                SectionKind::Procedure,
                SectionKind::Escalation,
                SectionKind::References,
                SectionKind::RevisionHistory,
            ],
            parse: ParseOptions::default(),
            metadata: Metadata::default(),
        }
    }
}

/// Today's date in UTC, unless `SOPKIT_TODAY` holds an ISO date.
pub fn today() -> Date {
    if let Ok(s) = std::env::var("SOPKIT_TODAY") {
        if let Some(d) = parse_iso_date(&s) {
            return d;
        }
    }
    time::OffsetDateTime::now_utc().date()
}

/// Parses `YYYY-MM-DD` (ISO 8601 calendar date).
pub fn parse_iso_date(s: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &format).ok()
}

// ---------------------------------------------------------------------------------------------
// Metadata conventions: field names, date formats and presets.

/// sopkit's metadata fields and what each holds; `fields:` in the configuration maps them to
/// the keys a repository uses.
pub const FIELDS: &[(&str, &str)] = &[
    ("id", "the procedure's identifier"),
    ("title", "its title"),
    ("version", "its version"),
    ("status", "draft, review, approved or retired"),
    ("owner", "who keeps it current"),
    ("approvers", "who signed it off"),
    ("effective", "the date it came into force"),
    ("review_by", "the date it must be reviewed by"),
    (
        "review_interval",
        "how often it is reviewed (\"6 months\", \"1 year\"), counted from `reviewed`, else `effective`",
    ),
    ("reviewed", "the date of its last review"),
    (
        "variant_of",
        "the id of the base SOP this one is a branch variant of (checked by X006)",
    ),
    ("branch", "the branch or site a variant is for"),
];

/// How numeric dates other than ISO 8601 (`YYYY-MM-DD`) are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    /// Only ISO 8601 numeric dates.
    #[default]
    Iso,
    /// Month first: `03/09/2021` is the 9th of March (DocFX `ms.date`).
    Mdy,
    /// Day first: `09/03/2021` and `09.03.2021` are the 9th of March.
    Dmy,
}

impl DateOrder {
    pub const NAMES: [&'static str; 3] = ["iso", "mdy", "dmy"];

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "iso" | "ymd" => Some(Self::Iso),
            "mdy" => Some(Self::Mdy),
            "dmy" => Some(Self::Dmy),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Iso => "iso",
            Self::Mdy => "mdy",
            Self::Dmy => "dmy",
        }
    }
}

/// A known front matter convention, adopted with `preset: NAME`.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub name: &'static str,
    /// Where the convention comes from.
    pub summary: &'static str,
    /// sopkit field → the convention's key.
    pub fields: &'static [(&'static str, &'static str)],
    pub dates: DateOrder,
    /// The fields M002 requires by default under this convention (sopkit's names).
    pub required: &'static [&'static str],
}

/// The fields sopkit's own convention requires (M002's default); `a|b` means either will do.
pub const SOPKIT_REQUIRED: &[&str] = &[
    "id",
    "title",
    "version",
    "status",
    "owner",
    "approvers",
    "effective",
    "review_by|review_interval",
];

/// The built-in presets.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "sopkit",
        summary: "sopkit's own fields (the default)",
        fields: &[],
        dates: DateOrder::Iso,
        required: SOPKIT_REQUIRED,
    },
    Preset {
        name: "govuk-tech-docs",
        summary:
            "GOV.UK Tech Docs Template (Middleman): `owner_slack`, `last_reviewed_on` + `review_in`",
        fields: &[
            ("owner", "owner_slack"),
            ("reviewed", "last_reviewed_on"),
            ("review_interval", "review_in"),
        ],
        dates: DateOrder::Iso,
        // The template makes `owner_slack` optional: sections of one site use it and others
        // do not (the fresh audit judged 15 of 15 "no owner_slack" findings in such sections
        // false). A repository that wants an owner everywhere lists it in M002's `required`.
        required: &["title"],
    },
    Preset {
        name: "docfx",
        summary: "DocFX / Microsoft Learn: `ms.author`, `ms.date` (MM/DD/YYYY)",
        fields: &[("owner", "ms.author"), ("effective", "ms.date")],
        dates: DateOrder::Mdy,
        required: &["title", "owner", "effective"],
    },
    Preset {
        name: "jekyll",
        summary: "Jekyll pages and posts: `author`, `date`, `last_modified_at`",
        fields: &[
            ("owner", "author"),
            ("effective", "date"),
            ("reviewed", "last_modified_at"),
        ],
        dates: DateOrder::Iso,
        required: &["title"],
    },
    Preset {
        name: "hugo",
        summary: "Hugo content: `author`, `date`, `lastmod`, `expiryDate`",
        fields: &[
            ("owner", "author"),
            ("effective", "date"),
            ("reviewed", "lastmod"),
            ("review_by", "expiryDate"),
        ],
        dates: DateOrder::Iso,
        required: &["title"],
    },
];

/// The preset called `name`.
pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name.trim())
}

/// Where the front matter keeps sopkit's fields and how it writes dates.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    /// sopkit field → the file's key (literal: `ms.date` is the key `ms.date`).
    pub fields: BTreeMap<String, String>,
    pub dates: DateOrder,
    /// The preset's required fields, when a preset is in force (M002's default).
    pub required: Option<Vec<String>>,
}

impl crate::document::FieldConventions for Metadata {
    fn key<'a>(&'a self, field: &'a str) -> &'a str {
        Metadata::key(self, field)
    }

    fn parse_date(&self, text: &str) -> Option<Date> {
        Metadata::parse_date(self, text)
    }
}

impl Metadata {
    /// The conventions of a preset.
    pub fn of_preset(p: &Preset) -> Self {
        Self {
            fields: p
                .fields
                .iter()
                .map(|(f, k)| ((*f).to_string(), (*k).to_string()))
                .collect(),
            dates: p.dates,
            required: Some(p.required.iter().map(|r| (*r).to_string()).collect()),
        }
    }

    /// The file's key for sopkit's field `field` (the field's own name when not mapped).
    pub fn key<'a>(&'a self, field: &'a str) -> &'a str {
        self.fields.get(field).map_or(field, String::as_str)
    }

    /// The sopkit field a file key holds, when the mapping names it.
    pub fn field_of(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(_, k)| k.as_str() == key)
            .map(|(f, _)| f.as_str())
    }

    /// A date as the repository writes it: ISO 8601, the configured numeric order, or a
    /// date with the month's English name ("Dec 12, 2019", "12 December 2019").
    pub fn parse_date(&self, s: &str) -> Option<Date> {
        parse_date(s, self.dates)
    }

    /// Whether a date is written in a numeric form the configuration accepts: ISO 8601, or
    /// the configured `dates` order.
    pub fn accepts(&self, s: &str) -> bool {
        parse_iso_date(s).is_some()
            || (self.dates != DateOrder::Iso && parse_numeric(s, self.dates).is_some())
    }
}

/// Parses a date: ISO 8601 always, `order`'s numeric form, and named-month forms always
/// ("Dec 12, 2019", "Sept 25, 2019", "December 12 2019", "12 December 2019", "12 Dec 2019").
pub fn parse_date(s: &str, order: DateOrder) -> Option<Date> {
    let s = s.trim();
    parse_iso_date(s)
        .or_else(|| parse_numeric(s, order))
        .or_else(|| parse_named(s))
}

/// `M/D/YYYY` (mdy) or `D/M/YYYY`, `D.M.YYYY` (dmy), with or without zero padding.
fn parse_numeric(s: &str, order: DateOrder) -> Option<Date> {
    let seps: &[char] = match order {
        DateOrder::Iso => return None,
        DateOrder::Mdy => &['/'],
        DateOrder::Dmy => &['/', '.'],
    };
    let sep = seps.iter().find(|c| s.contains(**c))?;
    let parts: Vec<&str> = s.trim().split(*sep).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let num = |t: &str| -> Option<u32> {
        (!t.is_empty() && t.len() <= 4 && t.bytes().all(|c| c.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (a, b) = (num(a)?, num(b)?);
    if y.len() != 4 {
        return None;
    }
    let year = i32::try_from(num(y)?).ok()?;
    let (month, day) = match order {
        DateOrder::Mdy => (a, b),
        _ => (b, a),
    };
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

/// The month an English name or abbreviation stands for ("Dec", "Sept", "December").
fn month_named(word: &str) -> Option<Month> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let i = NAMES.iter().position(|n| n.starts_with(&w))?;
    Month::try_from(u8::try_from(i + 1).ok()?).ok()
}

/// "Dec 12, 2019", "December 12 2019", "12 December 2019", "12 Dec, 2019".
fn parse_named(s: &str) -> Option<Date> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let [a, b, y] = words.as_slice() else {
        return None;
    };
    let day_of = |t: &str| -> Option<u8> {
        let t = t.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
        (!t.is_empty() && t.len() <= 2 && t.bytes().all(|c| c.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (month, day) = match (month_named(a), month_named(b)) {
        (Some(m), None) => (m, day_of(b)?),
        (None, Some(m)) => (m, day_of(a)?),
        _ => return None,
    };
    if y.len() != 4 || !y.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Date::from_calendar_date(y.parse().ok()?, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert!(parse_iso_date("2026-01-15").is_some());
        assert!(parse_iso_date("2026-02-30").is_none());
        assert!(parse_iso_date("15.01.2026").is_none());
        assert!(parse_iso_date("2026-1-5").is_none());
    }

    #[test]
    fn dates_as_real_files_write_them() {
        let d = |s: &str| parse_iso_date(s).unwrap();
        for (text, want) in [
            ("Dec 12, 2019", "2019-12-12"),
            ("Sept 25, 2019", "2019-09-25"),
            ("May 18, 2018", "2018-05-18"),
            ("12 December 2019", "2019-12-12"),
            ("December 12 2019", "2019-12-12"),
            ("1st March 2020", "2020-03-01"),
            ("2019-12-12", "2019-12-12"),
        ] {
            assert_eq!(parse_date(text, DateOrder::Iso), Some(d(want)), "{text}");
        }
        assert_eq!(
            parse_date("03/09/2021", DateOrder::Mdy),
            Some(d("2021-03-09"))
        );
        assert_eq!(
            parse_date("3/9/2021", DateOrder::Mdy),
            Some(d("2021-03-09"))
        );
        assert_eq!(
            parse_date("03/09/2021", DateOrder::Dmy),
            Some(d("2021-09-03"))
        );
        assert_eq!(
            parse_date("03.09.2021", DateOrder::Dmy),
            Some(d("2021-09-03"))
        );
        // Numeric forms other than ISO only when configured; nothing impossible.
        for (text, order) in [
            ("03/09/2021", DateOrder::Iso),
            ("13/09/2021", DateOrder::Mdy),
            ("03.09.2021", DateOrder::Mdy),
            ("Dec 32, 2019", DateOrder::Iso),
            ("Feb 30, 2019", DateOrder::Iso),
            ("Ma 3, 2019", DateOrder::Iso),
            ("12 2019", DateOrder::Iso),
            ("soon", DateOrder::Mdy),
            ("03/09/21", DateOrder::Mdy),
        ] {
            assert_eq!(parse_date(text, order), None, "{text}");
        }
    }

    #[test]
    fn presets_map_known_fields() {
        for p in PRESETS {
            for (field, _) in p.fields {
                assert!(
                    FIELDS.iter().any(|(f, _)| f == field),
                    "{}: {field}",
                    p.name
                );
            }
            for spec in p.required {
                for field in spec.split('|') {
                    assert!(
                        FIELDS.iter().any(|(f, _)| *f == field),
                        "{}: {field}",
                        p.name
                    );
                }
            }
        }
        let m = Metadata::of_preset(preset("docfx").unwrap());
        assert_eq!(m.key("effective"), "ms.date");
        assert_eq!(m.key("status"), "status");
        assert_eq!(m.field_of("ms.author"), Some("owner"));
        assert!(m.accepts("10/01/2020"));
        assert!(!Metadata::default().accepts("10/01/2020"));
    }
}
