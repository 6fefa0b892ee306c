//! Reading escalation levels: response times, triggers and contacts in free text.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Units of time in the seed languages, with their length in minutes.
const UNITS: &[(&str, u64)] = &[
    ("minutes", 1),
    ("minute", 1),
    ("mins", 1),
    ("min", 1),
    ("m", 1),
    ("minit", 1),
    ("menit", 1),
    ("minuta", 1),
    ("minute", 1),
    ("minuuttia", 1),
    ("minuutti", 1),
    ("minuutin", 1),
    ("hours", 60),
    ("hour", 60),
    ("hrs", 60),
    ("hr", 60),
    ("h", 60),
    ("jam", 60),
    ("sati", 60),
    ("sat", 60),
    ("sata", 60),
    ("tuntia", 60),
    ("tunti", 60),
    ("tunnin", 60),
    ("days", 1440),
    ("day", 1440),
    ("d", 1440),
    ("hari", 1440),
    ("dana", 1440),
    ("dan", 1440),
    ("päivää", 1440),
    ("päivä", 1440),
    ("päivän", 1440),
    ("business days", 1440),
    ("working days", 1440),
    ("weeks", 10080),
    ("week", 10080),
    ("minggu", 10080),
    ("tjedna", 10080),
    ("tjedan", 10080),
    ("tjedana", 10080),
    ("viikkoa", 10080),
    ("viikko", 10080),
    ("viikon", 10080),
];

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    let mut units: Vec<&str> = UNITS.iter().map(|(u, _)| *u).collect();
    units.sort_by_key(|u| std::cmp::Reverse(u.len()));
    let alt = units
        .iter()
        .map(|u| regex::escape(u))
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&format!(r"(?i)(\d+(?:[.,]\d+)?)\s*({alt})\b")).expect("time regex")
});

static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+)",
        r"|(?:https?://\S+)",
        r"|(?:\+?\d[\d ()./-]{5,}\d)",
        r"|(?:(?:^|\s)[#@][\w][\w.-]*)",
        r"|(?:\{\{[^}]*\}\})|(?:\bTODO\b)|(?:\bTBD\b)|(?:\[[^\]]{1,40}\])",
    ))
    .expect("contact regex")
});

static TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:when|if|after|once|unless|bila|apabila|jika|kalau|kapan|ketika|selepas|setelah",
        r"|kada|ako|nakon|kun|jos|kunnes)\b[^,;.]*"
    ))
    .expect("trigger regex")
});

/// The time in minutes of the first "<number> <unit>" in `text`.
pub(crate) fn parse_minutes(text: &str) -> Option<u64> {
    let caps = TIME.captures(text)?;
    let number: f64 = caps[1].replace(',', ".").parse().ok()?;
    let unit = caps[2].to_lowercase();
    let per = UNITS.iter().find(|(u, _)| *u == unit).map(|(_, m)| *m)?;
    Some((number * per as f64).round() as u64)
}

/// The byte range of the first time expression ("within 30 min" → "30 min").
pub(crate) fn find_time(text: &str) -> Option<Range<usize>> {
    TIME.find(text).map(|m| m.range())
}

/// The byte range of a condition ("when the customer …", "jika …").
pub(crate) fn find_trigger(text: &str) -> Option<Range<usize>> {
    TRIGGER.find(text).map(|m| m.range())
}

static NAMES_ESCALATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)escalat|eskal").expect("escalation heading regex"));

static PRIORITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:p|sev|severity|priority|prioritet|prioritas)\s*-?\s*\d\b")
        .expect("priority regex")
});

static LEVEL_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:level|tier|line|tahap|tingkat|razina|taso)\s*\d|\bL\d\b",
        r"|\b\d\s*(?:st|nd|rd|th)[ -](?:line|level|tier)\b",
        r"|\b(?:first|second|third)[ -](?:line|level|tier)\b"
    ))
    .expect("level marker regex")
});

/// Whether a heading names escalation itself ("Escalation path", "Eskalasi"), rather than
/// contacts, help or on-call, which share its section kind.
pub(crate) fn names_escalation(heading: &str) -> bool {
    NAMES_ESCALATION.is_match(heading)
}

/// Whether `text` is a priority or severity label ("P1", "P2 (minimum)", "SEV-2"): what a
/// trigger-to-priority table maps to, not a role that takes over.
pub(crate) fn is_priority_label(text: &str) -> bool {
    PRIORITY.is_match(text)
}

/// Whether `text` numbers an escalation level ("Level 2", "Tier 1", "L3", "2nd line").
pub(crate) fn has_level_marker(text: &str) -> bool {
    LEVEL_MARKER.is_match(text)
}

/// Whether a bold lead-in label ("**P1/P2:**", "**Within 1 hour:**", "**If unresolved:**") says
/// when a level applies.
pub(crate) fn is_condition_label(label: &str) -> bool {
    is_priority_label(label) || find_time(label).is_some() || find_trigger(label).is_some()
}

/// The byte range of something that looks like a contact, or a placeholder for one.
pub(crate) fn find_contact(text: &str) -> Option<Range<usize>> {
    CONTACT.find(text).map(|m| {
        let s = &text[m.range()];
        let lead = s.len() - s.trim_start().len();
        m.start() + lead..m.end()
    })
}

/// What a contact cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContactKind {
    Email,
    Phone,
    Channel,
    Url,
    Placeholder,
    Other,
}

impl ContactKind {
    pub(crate) fn of(text: &str) -> Self {
        static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+$").expect("re")
        });
        static PHONE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^(?:tel:)?\+?\d[\d ()./-]{4,}\d(?:\s*(?:ext\.?|x)\s*\d+)?$").expect("re")
        });
        static CHANNEL: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"^[#@][\w][\w.-]*$").expect("re"));
        static URL: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"^https?://[^\s]+$").expect("re"));
        static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\{\{.*\}\}|\bTODO\b|\bTBD\b|\bTBC\b|\bFIXME\b|^\[.*\]$|^<.*>$|^x{3,}$|\bxxx\b|^\?+$|^n/?a$|^-+$")
                .expect("re")
        });
        let t = text.trim();
        if t.is_empty() || PLACEHOLDER.is_match(t) {
            Self::Placeholder
        } else if EMAIL.is_match(t) {
            Self::Email
        } else if URL.is_match(t) {
            Self::Url
        } else if CHANNEL.is_match(t) {
            Self::Channel
        } else if PHONE.is_match(t) {
            Self::Phone
        } else {
            Self::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escalation_words_and_labels() {
        assert!(names_escalation("Escalation path:"));
        assert!(names_escalation("Jalur eskalasi"));
        assert!(!names_escalation("Getting Help from AWS"));
        assert!(!names_escalation("On-Call Hours"));
        assert!(is_priority_label("P2 (minimum)"));
        assert!(is_priority_label("SEV-1"));
        assert!(!is_priority_label("Platform engineer"));
        assert!(has_level_marker("Level 2: shift supervisor"));
        assert!(has_level_marker("2nd line support"));
        assert!(!has_level_marker("Weekdays: 7AM-9AM"));
        assert!(is_condition_label("P1/P2:"));
        assert!(is_condition_label("Within 1 hour:"));
        assert!(!is_condition_label("Detection:"));
    }

    #[test]
    fn minutes_in_several_languages() {
        assert_eq!(parse_minutes("within 30 min"), Some(30));
        assert_eq!(parse_minutes("1 h"), Some(60));
        assert_eq!(parse_minutes("dalam masa 2 jam"), Some(120));
        assert_eq!(parse_minutes("1 dan"), Some(1440));
        assert_eq!(parse_minutes("2 tuntia"), Some(120));
        assert_eq!(parse_minutes("1,5 h"), Some(90));
        assert_eq!(parse_minutes("soon"), None);
    }

    #[test]
    fn contact_kinds() {
        assert_eq!(ContactKind::of("ops@example.com"), ContactKind::Email);
        assert_eq!(ContactKind::of("+1 555 0100"), ContactKind::Phone);
        assert_eq!(ContactKind::of("#cs-floor"), ContactKind::Channel);
        assert_eq!(ContactKind::of("https://x.example/pager"), ContactKind::Url);
        assert_eq!(ContactKind::of("{{PHONE}}"), ContactKind::Placeholder);
        assert_eq!(ContactKind::of("TODO"), ContactKind::Placeholder);
        assert_eq!(ContactKind::of("[timeframe]"), ContactKind::Placeholder);
        assert_eq!(ContactKind::of("ask Bob"), ContactKind::Other);
    }

    #[test]
    fn triggers_and_contacts_in_text() {
        let t = "Shift supervisor, when a refund above 200 EUR is requested, within 1 h: sup@example.com";
        assert_eq!(
            &t[find_trigger(t).unwrap()],
            "when a refund above 200 EUR is requested"
        );
        assert_eq!(&t[find_time(t).unwrap()], "1 h");
        assert_eq!(&t[find_contact(t).unwrap()], "sup@example.com");
    }
}
