//! The validated settings a lint run uses (built from defaults, configuration and flags).

use time::Date;

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
}
