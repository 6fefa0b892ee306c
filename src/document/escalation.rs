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
    ("minuutissa", 1),
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
    ("tunnissa", 60),
    ("days", 1440),
    ("day", 1440),
    ("d", 1440),
    ("hari", 1440),
    ("dana", 1440),
    ("dan", 1440),
    ("päivää", 1440),
    ("päivä", 1440),
    ("päivän", 1440),
    ("päivässä", 1440),
    ("arkipäivää", 1440),
    ("arkipäivän", 1440),
    ("arkipäivässä", 1440),
    ("työpäivää", 1440),
    ("työpäivän", 1440),
    ("pv", 1440),
    ("vrk", 1440),
    ("radna dana", 1440),
    ("radnih dana", 1440),
    ("radni dan", 1440),
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
    ("viikossa", 10080),
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

/// A phone number ("+1 555 0100", "01/555-0100", with or without "ext. 12" after it) or an
/// internal extension on its own, after the word for one in the seed languages ("ext. 4410",
/// "sambungan 2301", "samb. 2301", "ekstensi 2101", "lokal 214", "kućni 4410", "sisäinen 4410",
/// "alanumero 4100"). The one phone pattern of contacts in text, contact cells and E008.
const PHONE: &str = concat!(
    r"(?:\+?\d[\d ()./-]{5,}\d(?:\s*(?:ext\.?|x)\s*\d+)?",
    r"|\b(?:ext|extension|x|sambungan|samb|ekstensi|pesawat|psw|lokal|kućni|interni|sisäinen",
    r"|alanumero)\.?\s*\d{2,6}\b)",
);

static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+)|(?:https?://\S+)|{PHONE}{}",
        concat!(
            r"|(?:(?:^|\s)[#@][\w][\w.-]*)",
            r"|(?:\{\{[^}]*\}\})|(?:\bTODO\b)|(?:\bTBD\b)|(?:\[[^\]]{1,40}\])",
        )
    ))
    .expect("contact regex")
});

static TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:when|if|after|once|unless|bila|apabila|jika|kalau|sekiranya|kapan|ketika",
        r"|selepas|setelah|kada|kad|ako|ukoliko|nakon|kun|jos|mikäli|kunnes)\b[^,;.]*"
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

/// "escalat" or "eskal" in any case, as `(?i)escalat|eskal` matches them: ASCII case folding
/// plus the two letters Unicode case folding adds, KELVIN SIGN for `k` and LONG S for `s`
/// (`names_escalation_is_the_regex` checks it). What every escalation word contains, so also
/// E001's pre-filter.
pub(crate) const ESCALATION_STEMS: [&str; 6] = [
    "escalat",
    "e\u{17f}calat",
    "eskal",
    "e\u{17f}kal",
    "es\u{212a}al",
    "e\u{17f}\u{212a}al",
];

/// [`ESCALATION_STEMS`] as an automaton, which is cheap to build (the regex is not).
static NAMES_ESCALATION: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(ESCALATION_STEMS)
        .expect("escalation words build an automaton")
});

static PRIORITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:p|sev|severity|priority|prioritet|prioritas)\s*-?\s*\d\b")
        .expect("priority regex")
});

static LEVEL_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:level|tier|line|tahap|peringkat|tingkat|razina|stupanj|taso|porras)\s*\d",
        r"|\bL\d\b|\b\d\.\s*(?:razina|stupanj|taso|porras)\b",
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

/// Whether `text` holds a phone number or an internal extension anywhere (see [`PHONE`]).
pub(crate) fn has_phone(text: &str) -> bool {
    static PHONE_IN_TEXT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!("(?i){PHONE}")).expect("phone regex"));
    PHONE_IN_TEXT.is_match(text)
}

/// The time units escalation levels are read with, and their length in minutes.
pub(crate) fn time_units() -> &'static [(&'static str, u64)] {
    UNITS
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
        static PHONE_CELL: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(&format!(r"(?i)^(?:tel:)?{PHONE}$")).expect("re"));
        static URL: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"^https?://[^\s]+$").expect("re"));
        static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\{\{.*\}\}|\bTODO\b|\bTBD\b|\bTBC\b|\bFIXME\b|^\[.*\]$|^<.*>$|^x{3,}$|\bxxx\b|^\?+$|^n/?a$|^-+$")
                .expect("re")
        });
        let t = text.trim();
        if t.is_empty() || PLACEHOLDER.is_match(t) {
            Self::Placeholder
        } else if is_email(t) {
            Self::Email
        // The pattern needs its first characters: the cheap test first, so that a run compiles
        // it only when its documents need it.
        } else if t.starts_with("http") && URL.is_match(t) {
            Self::Url
        } else if is_channel(t) {
            Self::Channel
        } else if PHONE_CELL.is_match(t) {
            Self::Phone
        } else {
            Self::Other
        }
    }
}

/// `^(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+$`, with `\w` the regex crate's Unicode word
/// character, written out: that pattern's three Unicode classes cost milliseconds to compile,
/// more than a one-file run takes otherwise (`email_and_channel_are_the_regexes` checks it).
fn is_email(t: &str) -> bool {
    let word = |c: char| regex_syntax::is_word_character(c);
    // "mailto:" cannot be part of the name (':' is not allowed there), so it is the prefix.
    let t = t.strip_prefix("mailto:").unwrap_or(t);
    let Some((name, domain)) = t.split_once('@') else {
        return false;
    };
    let label = |l: &str| !l.is_empty() && l.chars().all(|c| word(c) || c == '-');
    !name.is_empty()
        && name
            .chars()
            .all(|c| word(c) || matches!(c, '.' | '+' | '-'))
        && domain.contains('.')
        && domain.split('.').all(label)
}

/// `^[#@][\w][\w.-]*$`, written out for the same reason as [`is_email`].
fn is_channel(t: &str) -> bool {
    let word = |c: char| regex_syntax::is_word_character(c);
    let mut chars = t.chars();
    matches!(chars.next(), Some('#' | '@'))
        && chars.next().is_some_and(word)
        && chars.all(|c| word(c) || matches!(c, '.' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn email_and_channel_are_the_regexes(t in "(mailto:)?[a\u{e9}_\u{301}#@.+:\u{17f} -]{0,8}(@[a.\u{e9}-]{0,6})?") {
            let email = Regex::new(r"^(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+$").unwrap();
            let channel = Regex::new(r"^[#@][\w][\w.-]*$").unwrap();
            proptest::prop_assert_eq!(is_email(&t), email.is_match(&t), "{:?}", t);
            proptest::prop_assert_eq!(is_channel(&t), channel.is_match(&t), "{:?}", t);
        }

        #[test]
        fn names_escalation_is_the_regex(t in "[eEsSkKcCaAlLtT\u{17f}\u{212a}\u{130} ]{0,9}") {
            let re = Regex::new(r"(?i)escalat|eskal").unwrap();
            proptest::prop_assert_eq!(names_escalation(&t), re.is_match(&t), "{:?}", t);
        }
    }

    #[test]
    fn emails_and_channels() {
        assert!(is_email("finance-ops@example.com"));
        assert!(is_email("mailto:a.b+c@x-y.example.org"));
        assert!(!is_email("a@b"));
        assert!(!is_email("a@b..c"));
        assert!(!is_email("@b.c"));
        assert!(!is_email("a@b@c.d"));
        assert!(is_channel("#refunds"));
        assert!(is_channel("@on-call.team"));
        assert!(!is_channel("#-x"));
        assert!(!is_channel("#"));
    }

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
        assert!(has_level_marker("Peringkat 2: penyelia syif"));
        assert!(has_level_marker("2. razina: voditelj smjene"));
        assert!(has_level_marker("2. taso: vuoroesihenkilö"));
        assert!(!has_level_marker("2. korak"));
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
        assert_eq!(parse_minutes("2 tunnissa"), Some(120));
        assert_eq!(parse_minutes("30 minuutissa"), Some(30));
        assert_eq!(parse_minutes("2 arkipäivää"), Some(2880));
        assert_eq!(parse_minutes("2 radna dana"), Some(2880));
        assert_eq!(parse_minutes("1 vrk"), Some(1440));
    }

    /// DESIGN §2: "Time units: min, minute(s), minit, menit, minuta, minuuttia; h, hour(s), jam,
    /// sat(i), tunti(a); day(s), hari, dan(a), päivä(ä); week(s), minggu, tjedan, viikko."
    #[test]
    fn every_time_unit_of_the_design_is_read() {
        for (text, minutes) in [
            ("2 min", 2),
            ("2 minute", 2),
            ("2 minutes", 2),
            ("2 minit", 2),
            ("2 menit", 2),
            ("2 minuta", 2),
            ("2 minuuttia", 2),
            ("2 h", 120),
            ("2 hour", 120),
            ("2 hours", 120),
            ("2 jam", 120),
            ("2 sat", 120),
            ("2 sati", 120),
            ("2 tunti", 120),
            ("2 tuntia", 120),
            ("2 day", 2880),
            ("2 days", 2880),
            ("2 hari", 2880),
            ("2 dan", 2880),
            ("2 dana", 2880),
            ("2 päivä", 2880),
            ("2 päivää", 2880),
            ("2 week", 20160),
            ("2 weeks", 20160),
            ("2 minggu", 20160),
            ("2 tjedan", 20160),
            ("2 viikko", 20160),
        ] {
            assert_eq!(parse_minutes(text), Some(minutes), "{text}");
        }
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
        assert_eq!(ContactKind::of("tel:+1 555 0100"), ContactKind::Phone);
        assert_eq!(ContactKind::of("+1 555 0100 ext. 12"), ContactKind::Phone);
    }

    #[test]
    fn internal_extensions_are_phone_contacts() {
        for ext in [
            "ext. 4410",
            "Ext 4410",
            "extension 4410",
            "x4410",
            "sambungan 4410",
            "samb. 2301",
            "ekstensi 2101",
            "pesawat 210",
            "lokal 214",
            "kućni 4410",
            "interni 4410",
            "sisäinen 4410",
            "alanumero 4100",
        ] {
            assert_eq!(ContactKind::of(ext), ContactKind::Phone, "{ext}");
            assert!(has_phone(&format!("Duty phone, {ext}")), "{ext}");
            let t = format!("**Shift supervisor** when the customer asks, {ext}");
            assert_eq!(&t[find_contact(&t).unwrap()], ext, "{ext}");
        }
        // A word for an extension without a number, or a short number, is no contact.
        for not in [
            "lokal",
            "sisäinen puhelin",
            "samb. 1",
            "12 345",
            "room 4410",
        ] {
            assert_eq!(ContactKind::of(not), ContactKind::Other, "{not}");
        }
    }

    #[test]
    fn triggers_and_contacts_in_text() {
        let t = "Shift supervisor, when a refund above 200 EUR is requested, within 1 h: sup@example.com";
        assert_eq!(
            &t[find_trigger(t).unwrap()],
            "when a refund above 200 EUR is requested"
        );
        assert_eq!(&t[find_time(t).unwrap()], "1 h");
        for (t, want) in [
            (
                "Penyelia syif, sekiranya pelanggan meminta bayaran balik",
                "sekiranya pelanggan meminta bayaran balik",
            ),
            (
                "Voditelj smjene, ukoliko korisnik traži povrat",
                "ukoliko korisnik traži povrat",
            ),
            (
                "Voditelj smjene, kad korisnik prijeti",
                "kad korisnik prijeti",
            ),
            (
                "Vuoroesihenkilö, mikäli asiakas ei hyväksy",
                "mikäli asiakas ei hyväksy",
            ),
        ] {
            assert_eq!(find_trigger(t).map(|r| &t[r]), Some(want), "{t}");
        }
        assert_eq!(&t[find_contact(t).unwrap()], "sup@example.com");
    }
}
