//! Heading and table-column alias tables (DESIGN §2), extensible from configuration.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The sections sopkit knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    Purpose,
    Scope,
    Roles,
    Definitions,
    Procedure,
    Escalation,
    References,
    RevisionHistory,
}

impl SectionKind {
    pub const ALL: [SectionKind; 8] = [
        Self::Purpose,
        Self::Scope,
        Self::Roles,
        Self::Definitions,
        Self::Procedure,
        Self::Escalation,
        Self::References,
        Self::RevisionHistory,
    ];

    /// The kebab-case key used in configuration and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Self::Purpose => "purpose",
            Self::Scope => "scope",
            Self::Roles => "roles",
            Self::Definitions => "definitions",
            Self::Procedure => "procedure",
            Self::Escalation => "escalation",
            Self::References => "references",
            Self::RevisionHistory => "revision-history",
        }
    }

    /// The English heading, as written in new documents and messages.
    pub fn title(self) -> &'static str {
        match self {
            Self::Purpose => "Purpose",
            Self::Scope => "Scope",
            Self::Roles => "Roles",
            Self::Definitions => "Definitions",
            Self::Procedure => "Procedure",
            Self::Escalation => "Escalation",
            Self::References => "References",
            Self::RevisionHistory => "Revision history",
        }
    }

    /// The heading to suggest for this kind in a document of language `lang`: the English
    /// title, or the first alias of that language (capitalised) for the seed languages.
    pub(crate) fn heading_in(self, lang: &str) -> String {
        let primary = lang
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let alias = SECTION_ALIASES
            .iter()
            .find(|(k, l, _)| *k == self && *l != "en" && *l == primary)
            .and_then(|(_, _, names)| names.first());
        match alias {
            Some(name) => {
                let mut chars = name.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
            None => self.title().to_string(),
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        let key = key.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

impl fmt::Display for SectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// (kind, language, heading aliases).
const SECTION_ALIASES: &[(SectionKind, &str, &[&str])] = &[
    (
        SectionKind::Purpose,
        "en",
        &["purpose", "objective", "objectives", "goal"],
    ),
    (SectionKind::Purpose, "ms", &["tujuan", "objektif"]),
    (SectionKind::Purpose, "id", &["tujuan", "maksud"]),
    (SectionKind::Purpose, "hr", &["svrha", "cilj"]),
    (SectionKind::Purpose, "fi", &["tarkoitus", "tavoite"]),
    (SectionKind::Scope, "en", &["scope", "applicability"]),
    (SectionKind::Scope, "ms", &["skop"]),
    (SectionKind::Scope, "id", &["ruang lingkup", "cakupan"]),
    (SectionKind::Scope, "hr", &["opseg", "područje primjene"]),
    (SectionKind::Scope, "fi", &["soveltamisala", "laajuus"]),
    (
        SectionKind::Roles,
        "en",
        &[
            "roles",
            "responsibilities",
            "roles and responsibilities",
            "roles & responsibilities",
        ],
    ),
    (
        SectionKind::Roles,
        "ms",
        &["peranan", "tanggungjawab", "peranan dan tanggungjawab"],
    ),
    (
        SectionKind::Roles,
        "id",
        &[
            "peran",
            "tanggung jawab",
            "peran dan tanggung jawab",
            "pihak yang terlibat",
        ],
    ),
    (
        SectionKind::Roles,
        "hr",
        &["uloge", "odgovornosti", "uloge i odgovornosti"],
    ),
    (
        SectionKind::Roles,
        "fi",
        &["roolit", "vastuut", "roolit ja vastuut"],
    ),
    (
        SectionKind::Definitions,
        "en",
        &["definitions", "glossary", "terms"],
    ),
    (SectionKind::Definitions, "ms", &["definisi"]),
    (SectionKind::Definitions, "id", &["definisi", "istilah"]),
    (SectionKind::Definitions, "hr", &["definicije", "pojmovi"]),
    (
        SectionKind::Definitions,
        "fi",
        &["määritelmät", "käsitteet"],
    ),
    (
        SectionKind::Procedure,
        "en",
        &["procedure", "procedures", "steps", "instructions"],
    ),
    (
        SectionKind::Procedure,
        "ms",
        &["prosedur", "langkah-langkah", "langkah"],
    ),
    (
        SectionKind::Procedure,
        "id",
        &["prosedur", "langkah-langkah", "langkah", "tahapan kerja"],
    ),
    (SectionKind::Procedure, "hr", &["postupak", "koraci"]),
    (
        SectionKind::Procedure,
        "fi",
        &["menettely", "askeleet", "vaiheet", "toimintaohje"],
    ),
    (
        SectionKind::Escalation,
        "en",
        &[
            "escalation",
            "escalation path",
            "escalation chain",
            "escalation matrix",
        ],
    ),
    (
        SectionKind::Escalation,
        "ms",
        &["eskalasi", "laluan eskalasi"],
    ),
    (
        SectionKind::Escalation,
        "id",
        &["eskalasi", "jalur eskalasi"],
    ),
    (SectionKind::Escalation, "hr", &["eskalacija"]),
    (SectionKind::Escalation, "fi", &["eskalointi", "eskalaatio"]),
    (
        SectionKind::References,
        "en",
        &["references", "related documents", "see also"],
    ),
    (SectionKind::References, "ms", &["rujukan"]),
    (SectionKind::References, "id", &["referensi", "rujukan"]),
    (SectionKind::References, "hr", &["reference", "literatura"]),
    (SectionKind::References, "fi", &["viitteet", "lähteet"]),
    (
        SectionKind::RevisionHistory,
        "en",
        &[
            "revision history",
            "change log",
            "changelog",
            "document history",
            "version history",
        ],
    ),
    (SectionKind::RevisionHistory, "ms", &["sejarah semakan"]),
    (SectionKind::RevisionHistory, "id", &["riwayat revisi"]),
    (SectionKind::RevisionHistory, "hr", &["povijest izmjena"]),
    (
        SectionKind::RevisionHistory,
        "fi",
        &["muutoshistoria", "versiohistoria"],
    ),
];

/// Columns of escalation and revision tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Level,
    Role,
    Trigger,
    Time,
    Contact,
    Version,
    Date,
    Author,
    Change,
    Description,
}

const COLUMN_ALIASES: &[(Column, &[&str])] = &[
    (
        Column::Level,
        &[
            "level", "tier", "step", "tahap", "tingkat", "razina", "taso",
        ],
    ),
    (
        Column::Role,
        &[
            "role",
            "owner",
            "who",
            "escalate to",
            "peranan",
            "peran",
            "siapa",
            "uloga",
            "tko",
            "rooli",
            "kuka",
            "name",
        ],
    ),
    (
        Column::Trigger,
        &[
            "when",
            "trigger",
            "condition",
            "bila",
            "kapan",
            "pemicu",
            "kada",
            "milloin",
            "syarat",
            "uvjet",
            "ehto",
        ],
    ),
    (
        Column::Time,
        &[
            "within",
            "time",
            "response time",
            "sla",
            "dalam masa",
            "waktu",
            "rok",
            "aikaraja",
            "vasteaika",
        ],
    ),
    (
        Column::Contact,
        &[
            "contact",
            "channel",
            "hubungi",
            "kontak",
            "kontakt",
            "yhteystieto",
            "yhteystiedot",
        ],
    ),
    (
        Column::Version,
        &["version", "versi", "verzija", "versio", "ver"],
    ),
    (
        Column::Date,
        &["date", "tarikh", "tanggal", "datum", "päivämäärä", "pvm"],
    ),
    (
        Column::Author,
        &[
            "author",
            "by",
            "editor",
            "pengarang",
            "penulis",
            "autor",
            "tekijä",
            "laatija",
        ],
    ),
    (
        Column::Change,
        &[
            "change",
            "changes",
            "summary",
            "perubahan",
            "izmjena",
            "izmjene",
            "muutos",
            "muutokset",
        ],
    ),
    (
        Column::Description,
        &[
            "description",
            "responsibility",
            "responsibilities",
            "keterangan",
            "penerangan",
            "tanggungjawab",
            "tanggung jawab",
            "opis",
            "odgovornost",
            "kuvaus",
            "vastuu",
        ],
    ),
];

/// The heading alias table in force for a run: the built-in one plus configured extras.
#[derive(Debug, Clone)]
pub struct Aliases {
    headings: HashMap<String, (SectionKind, &'static str)>,
}

impl Default for Aliases {
    fn default() -> Self {
        let mut headings = HashMap::new();
        for (kind, lang, names) in SECTION_ALIASES {
            for name in *names {
                headings
                    .entry((*name).to_string())
                    .or_insert((*kind, *lang));
            }
        }
        Self { headings }
    }
}

impl Aliases {
    /// Adds configured aliases: they win over built-in ones.
    pub fn extend<'a>(&mut self, kind: SectionKind, names: impl IntoIterator<Item = &'a str>) {
        for name in names {
            self.headings.insert(normalize_heading(name), (kind, "*"));
        }
    }

    /// The section kind a heading names, and the language of the alias that matched.
    pub fn section(&self, heading: &str) -> Option<(SectionKind, &'static str)> {
        self.headings.get(&normalize_heading(heading)).copied()
    }
}

/// The column a table header names.
pub(crate) fn column(header: &str) -> Option<Column> {
    let h = normalize_heading(header);
    COLUMN_ALIASES
        .iter()
        .find(|(_, names)| names.contains(&h.as_str()))
        .map(|(c, _)| *c)
}

/// Lower-cases and strips numbering ("2.", "3)", "IV."), surrounding punctuation and a trailing
/// colon, so "2. Procedure:" and "PROCEDURE" compare equal.
pub(crate) fn normalize_heading(text: &str) -> String {
    let t = text.trim();
    let t = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')' || c == '§');
    let t = t.trim_matches(|c: char| !c.is_alphanumeric());
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_match_through_aliases_in_all_languages() {
        let a = Aliases::default();
        assert_eq!(
            a.section("2. Procedure:").unwrap().0,
            SectionKind::Procedure
        );
        assert_eq!(a.section("ESKALASI").unwrap().0, SectionKind::Escalation);
        assert_eq!(
            a.section("Područje primjene").unwrap().0,
            SectionKind::Scope
        );
        assert_eq!(
            a.section("Muutoshistoria").unwrap().0,
            SectionKind::RevisionHistory
        );
        assert_eq!(
            a.section("Tahapan Kerja").unwrap().0,
            SectionKind::Procedure
        );
        assert!(a.section("Background").is_none());
    }

    #[test]
    fn configured_aliases_extend_the_table() {
        let mut a = Aliases::default();
        a.extend(SectionKind::Procedure, ["Mitigation"]);
        assert_eq!(a.section("mitigation").unwrap().0, SectionKind::Procedure);
    }

    #[test]
    fn columns() {
        assert_eq!(column("Within"), Some(Column::Time));
        assert_eq!(column("Dalam masa"), Some(Column::Time));
        assert_eq!(column("Kontakt"), Some(Column::Contact));
    }
}
