//! Heading and table-column alias tables (DESIGN §2), extensible from configuration.

use std::collections::{HashMap, HashSet};
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
    Prerequisites,
    Procedure,
    Escalation,
    References,
    RevisionHistory,
}

impl SectionKind {
    pub const ALL: [SectionKind; 9] = [
        Self::Purpose,
        Self::Scope,
        Self::Roles,
        Self::Definitions,
        Self::Prerequisites,
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
            Self::Prerequisites => "prerequisites",
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
            Self::Prerequisites => "Prerequisites",
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

/// (kind, language, heading aliases). Aliases are written as they would appear in a heading;
/// matching normalises both sides (see [`Aliases::section`]).
const SECTION_ALIASES: &[(SectionKind, &str, &[&str])] = &[
    (
        SectionKind::Purpose,
        "en",
        &[
            "purpose",
            "objective",
            "objectives",
            "goal",
            "goals",
            "aim",
            "introduction",
            "overview",
        ],
    ),
    (SectionKind::Purpose, "ms", &["tujuan", "objektif"]),
    (SectionKind::Purpose, "id", &["tujuan", "maksud"]),
    (SectionKind::Purpose, "hr", &["svrha", "cilj"]),
    (
        SectionKind::Purpose,
        "fi",
        &["tarkoitus", "tavoite", "tietoja tästä vaihekuvauksesta"],
    ),
    (
        SectionKind::Scope,
        "en",
        &["scope", "applicability", "out of scope", "in scope"],
    ),
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
            "incident roles",
            "ownership",
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
        &["definitions", "glossary", "terms", "terminology"],
    ),
    (SectionKind::Definitions, "ms", &["definisi", "istilah"]),
    (SectionKind::Definitions, "id", &["definisi", "istilah"]),
    (SectionKind::Definitions, "hr", &["definicije", "pojmovi"]),
    (
        SectionKind::Definitions,
        "fi",
        &["määritelmät", "käsitteet", "sanasto"],
    ),
    (
        SectionKind::Prerequisites,
        "en",
        &[
            "prerequisites",
            "pre-requisites",
            "prereqs",
            "prereq",
            "requirements",
            "before you begin",
            "before you start",
            "preparation",
            "equipment required",
            "materials",
            "equipment",
        ],
    ),
    (
        SectionKind::Prerequisites,
        "ms",
        &["prasyarat", "keperluan"],
    ),
    (
        SectionKind::Prerequisites,
        "id",
        &["prasyarat", "persyaratan", "persiapan"],
    ),
    (
        SectionKind::Prerequisites,
        "hr",
        &["preduvjeti", "zahtjevi"],
    ),
    (
        SectionKind::Prerequisites,
        "fi",
        &["vaatimukset", "edellytykset", "esivaatimukset"],
    ),
    (
        SectionKind::Procedure,
        "en",
        &[
            "procedure",
            "procedures",
            "steps",
            "instructions",
            "resolution",
            "resolution steps",
            "rollback",
            "remediation",
            "mitigation",
        ],
    ),
    (
        SectionKind::Procedure,
        "ms",
        &[
            "prosedur",
            "langkah-langkah",
            "langkah",
            "langkah pelaksanaan",
        ],
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
            "escalations",
            "escalation path",
            "escalation chain",
            "escalation matrix",
            "getting help",
            "get help",
            "contact",
            "contacts",
            "contact information",
            "contact details",
            "on-call",
            "on call",
        ],
    ),
    (
        SectionKind::Escalation,
        "ms",
        &["eskalasi", "laluan eskalasi", "hubungi", "dapatkan bantuan"],
    ),
    (
        SectionKind::Escalation,
        "id",
        &[
            "eskalasi",
            "jalur eskalasi",
            "kontak",
            "mendapatkan bantuan",
        ],
    ),
    (
        SectionKind::Escalation,
        "hr",
        &["eskalacija", "kontakti", "dobivanje pomoći"],
    ),
    (
        SectionKind::Escalation,
        "fi",
        &["eskalointi", "eskalaatio", "yhteystiedot", "avun saaminen"],
    ),
    (
        SectionKind::References,
        "en",
        &[
            "references",
            "reference",
            "related documents",
            "see also",
            "further reading",
            "more information",
            "links",
            "reference links",
            "resources",
        ],
    ),
    (
        SectionKind::References,
        "ms",
        &["rujukan", "lihat juga", "maklumat lanjut"],
    ),
    (
        SectionKind::References,
        "id",
        &[
            "referensi",
            "rujukan",
            "lihat juga",
            "informasi lebih lanjut",
        ],
    ),
    (
        SectionKind::References,
        "hr",
        &[
            "reference",
            "literatura",
            "vidi također",
            "dodatne informacije",
        ],
    ),
    (
        SectionKind::References,
        "fi",
        &["viitteet", "lähteet", "katso myös", "lisätietoja"],
    ),
    (
        SectionKind::RevisionHistory,
        "en",
        &[
            "revision history",
            "revisions",
            "change log",
            "changelog",
            "change history",
            "document history",
            "document control",
            "version history",
        ],
    ),
    (
        SectionKind::RevisionHistory,
        "ms",
        &["sejarah semakan", "sejarah versi"],
    ),
    (
        SectionKind::RevisionHistory,
        "id",
        &["riwayat revisi", "riwayat perubahan", "riwayat versi"],
    ),
    (
        SectionKind::RevisionHistory,
        "hr",
        &["povijest izmjena", "povijest revizija", "povijest verzija"],
    ),
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

/// One heading alias in force.
#[derive(Debug, Clone)]
struct Entry {
    kind: SectionKind,
    lang: &'static str,
    /// Set for aliases from the configuration (`sections.aliases`).
    configured: bool,
    /// The normalised words of the alias.
    words: Vec<String>,
}

/// How a heading matched an alias, strongest first (see [`Aliases::section`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    /// The heading is the alias, ignoring case and surrounding space.
    Exact,
    /// The heading is the alias after normalising (numbering, punctuation, `&`/"and").
    Normalised,
    /// The alias is a whole-word part of the heading; the other words qualify it.
    Part,
}

/// The heading alias table in force for a run: the built-in one plus configured extras.
#[derive(Debug, Clone)]
pub struct Aliases {
    entries: Vec<Entry>,
    /// Lower-cased alias as written → entry.
    exact: HashMap<String, usize>,
    /// Normalised alias → entry.
    normal: HashMap<String, usize>,
    /// First normalised word → entries, for part matches.
    by_first: HashMap<String, Vec<usize>>,
    /// Every word of every alias.
    alias_words: HashSet<String>,
}

/// The order of part matches: configured first, more words, earlier, then by kind.
type PartKey = (bool, std::cmp::Reverse<usize>, usize, SectionKind);

impl Default for Aliases {
    fn default() -> Self {
        let mut a = Self {
            entries: Vec::new(),
            exact: HashMap::new(),
            normal: HashMap::new(),
            by_first: HashMap::new(),
            alias_words: HashSet::new(),
        };
        for (kind, lang, names) in SECTION_ALIASES {
            for name in *names {
                a.add(*kind, lang, false, name);
            }
        }
        a
    }
}

impl Aliases {
    fn add(&mut self, kind: SectionKind, lang: &'static str, configured: bool, name: &str) {
        let normal = normalize_heading(name);
        if normal.is_empty() {
            return;
        }
        let words: Vec<String> = normal.split(' ').map(str::to_string).collect();
        self.alias_words.extend(words.iter().cloned());
        let i = self.entries.len();
        self.entries.push(Entry {
            kind,
            lang,
            configured,
            words,
        });
        let exact = fold(name);
        // Built-in: the first language to list an alias keeps it. Configured: the newest wins.
        if configured {
            self.exact.insert(exact, i);
            self.normal.insert(normal.clone(), i);
        } else {
            self.exact.entry(exact).or_insert(i);
            self.normal.entry(normal.clone()).or_insert(i);
        }
        let first = normal.split(' ').next().unwrap_or_default().to_string();
        self.by_first.entry(first).or_default().push(i);
    }

    /// Adds configured aliases: they win over built-in ones.
    pub fn extend<'a>(&mut self, kind: SectionKind, names: impl IntoIterator<Item = &'a str>) {
        for name in names {
            self.add(kind, "*", true, name);
        }
    }

    /// The section kind a heading names, and the language of the alias that matched.
    pub fn section(&self, heading: &str) -> Option<(SectionKind, &'static str)> {
        self.section_match(heading).map(|(k, l, _)| (k, l))
    }

    /// The section kind a heading names, the language of the alias and how it matched.
    ///
    /// Precedence: an exact alias, then a normalised one (numbering such as `1.3`, `IV.`,
    /// `Part 3 —` or `Step 2:` removed; case, punctuation and `&`/"and" ignored), then an
    /// alias that is a whole-word part of the heading when every other word qualifies it
    /// (a word such as "procedure", "and", "of", or another alias's word, as in "Escalation
    /// Procedure" or "Communication & Escalation"), or when the heading starts with the alias
    /// and goes on with a preposition ("Getting help from AWS"). Among part matches a
    /// configured alias wins, then the alias of most words, then the one that comes first in the
    /// heading, then the kind listed first in `sopkit sections`.
    pub fn section_match(&self, heading: &str) -> Option<(SectionKind, &'static str, Match)> {
        let hit = |i: &usize, how| {
            let e = &self.entries[*i];
            (e.kind, e.lang, how)
        };
        if let Some(i) = self.exact.get(&fold(heading)) {
            return Some(hit(i, Match::Exact));
        }
        let normal = normalize_heading(heading);
        if normal.is_empty() {
            return None;
        }
        if let Some(i) = self.normal.get(&normal) {
            return Some(hit(i, Match::Normalised));
        }
        let words: Vec<&str> = normal.split(' ').collect();
        if words.len() > MAX_PART_WORDS {
            return None;
        }
        // (not configured, longer first, position, kind), entry
        let mut best: Option<(PartKey, usize)> = None;
        for (pos, w) in words.iter().enumerate() {
            let Some(candidates) = self.by_first.get(*w) else {
                continue;
            };
            for &i in candidates {
                let e = &self.entries[i];
                let n = e.words.len();
                if pos + n > words.len() || words[pos..pos + n] != e.words[..] || n == words.len() {
                    continue;
                }
                if !self.qualified(&words, pos, n) {
                    continue;
                }
                let key = (!e.configured, std::cmp::Reverse(n), pos, e.kind);
                if best.as_ref().map_or(true, |(k, _)| key < *k) {
                    best = Some((key, i));
                }
            }
        }
        best.map(|(_, i)| hit(&i, Match::Part))
    }

    /// Whether the words around `words[pos..pos + n]` only qualify it.
    fn qualified(&self, words: &[&str], pos: usize, n: usize) -> bool {
        let others = words[..pos].iter().chain(&words[pos + n..]);
        let qualifies = |w: &&str| QUALIFIERS.contains(w) || self.alias_words.contains(*w);
        if others.clone().all(qualifies) {
            return true;
        }
        // "Getting help from AWS", "Scope of this runbook": the alias opens the heading and a
        // preposition follows it.
        pos == 0 && words.get(n).is_some_and(|w| PREPOSITIONS.contains(w))
    }

    /// Every alias of the built-in table, by kind and language, for `sopkit sections`.
    pub fn builtin_table() -> &'static [(SectionKind, &'static str, &'static [&'static str])] {
        SECTION_ALIASES
    }

    /// The words that may stand next to an alias in a part match.
    pub fn qualifiers() -> &'static [&'static str] {
        QUALIFIERS
    }

    /// The words after which a heading that opens with an alias goes on with a complement.
    pub fn prepositions() -> &'static [&'static str] {
        PREPOSITIONS
    }

    /// How a heading is matched, in order, for `sopkit sections` and `docs/sections.md`.
    pub const MATCHING: &'static [&'static str] = &[
        "**Exact**: the heading is an alias, ignoring case, surrounding space and a trailing colon (`Revision History`, `Prasyarat:`).",
        "**Normalised**: the heading is an alias once numbering is removed (`2.`, `1.3`, `3)`, `IV.`, `A.`, `§ 4`, and labels with a number such as `Part 3 —`, `Step 2:`, `Phase 1 -`, `Appendix C —`, `Osa 2`, `Langkah 1:`), with a kramdown `{#id}` attribute, punctuation (`/`, `:`, quotes; a hyphen inside a word stays) and the difference between `&` and \"and\" (\"dan\", \"i\", \"ja\") ignored (`2. Roles & Responsibilities`, `Appendix C — Reference Links`).",
        "**Part**: an alias is a run of whole words of a heading of at most 6 words, and every other word qualifies it: a qualifier listed below or a word of another alias (`1.3 Communication & Escalation`, `Escalation Procedure`, `Support / escalation`); or the heading opens with the alias and goes on with a preposition listed below (`Getting help from AWS`, `Steps to check`).",
    ];

    /// How ties are broken, for `sopkit sections` and `docs/sections.md`.
    pub const TIES: &'static [&'static str] = &[
        "Configured aliases (`sections.aliases`) win over built-in ones at each step.",
        "Among part matches a configured alias wins, then the alias of most words, then the one that comes first in the heading (`Escalation Procedure` is escalation, `Purpose and scope` is purpose), then the section listed first in the table.",
        "Only headings of level 2 and below name sections; the first level-1 heading is the title.",
    ];
}

/// Headings longer than this are sentences, not section names: no part matches.
const MAX_PART_WORDS: usize = 6;

/// Words that may stand next to an alias in a heading without changing what it names.
pub(crate) const QUALIFIERS: &[&str] = &[
    "&",
    "the",
    "a",
    "an",
    "of",
    "for",
    "to",
    "or",
    "this",
    "our",
    "your",
    "procedure",
    "procedures",
    "process",
    "processes",
    "plan",
    "policy",
    "path",
    "paths",
    "criteria",
    "triggers",
    "trigger",
    "levels",
    "level",
    "matrix",
    "table",
    "list",
    "summary",
    "details",
    "information",
    "info",
    "notes",
    "communication",
    "communications",
    "incident",
    "general",
    "support",
    "key",
    "main",
    "additional",
    "further",
    "related",
    "useful",
    "possible",
    "potential",
    "recommended",
    "required",
    "document",
    "documents",
    "section",
    "team",
    "teams",
    "prosedur",
    "proses",
    "atau",
    "untuk",
    "postupak",
    "ili",
    "menettely",
    "tai",
];

/// Words after which the rest of a heading that opens with an alias is a complement.
pub(crate) const PREPOSITIONS: &[&str] = &[
    "from", "for", "with", "in", "on", "at", "of", "to", "via", "during", "untuk", "dari", "dalam",
    "za", "od", "u", "kanssa",
];

/// Lower-cased, with surrounding space and one trailing colon removed.
fn fold(text: &str) -> String {
    let t = text.trim();
    let t = t.strip_suffix(':').unwrap_or(t).trim_end();
    t.to_lowercase()
}

/// The column a table header names.
pub(crate) fn column(header: &str) -> Option<Column> {
    let h = normalize_heading(header);
    COLUMN_ALIASES
        .iter()
        .find(|(_, names)| names.contains(&h.as_str()))
        .map(|(c, _)| *c)
}

/// Lower-cases a heading and strips what does not name it: numbering ("2.", "1.3", "3)",
/// "IV.", "A.", "§ 4"), a numbered label ("Part 3 —", "Step 2:", "Phase 1 -", "Osa 2"), a
/// kramdown `{#id}` attribute, punctuation (`/`, `:`, quotes; a hyphen inside a word stays)
/// and the difference between `&` and "and" (also "dan", "i", "ja"). So "2. Procedure:",
/// "PROCEDURE" and "1.3 Communication & Escalation" compare by their words.
pub(crate) fn normalize_heading(text: &str) -> String {
    static NUMBERING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?ix)^\s*
            (?:
              (?:part|step|section|phase|stage|chapter|appendix|annex|osa|vaihe|bagian|bahagian|langkah|tahap|dio|korak|faza)\s+
              (?:[0-9]+(?:\.[0-9]+)*|[ivxlc]+|[a-z])\b\.?
            | §\s*[0-9]+(?:\.[0-9]+)*\.?
            | [0-9]+(?:\.[0-9]+)*[.)]?
            | (?:[ivxlc]+|[a-z])[.)]
            )
            \s*(?:[—–:-]+\s*|\s)",
        )
        .expect("numbering regex")
    });
    static ATTRIBUTE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\s*\{[#:.][^}]*\}\s*$").expect("attribute regex")
    });
    let t = ATTRIBUTE.replace(text.trim(), "");
    let padded = format!("{t} ");
    let rest = match NUMBERING.find(&padded) {
        Some(m) if !padded[m.end()..].trim().is_empty() => &padded[m.end()..],
        _ => padded.as_str(),
    };
    let lower = rest.to_lowercase();
    let mut words: Vec<String> = Vec::new();
    for raw in lower.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '&' || c == '\'')) {
        let w = raw.trim_matches(|c: char| c == '-' || c == '\'');
        if w.is_empty() {
            continue;
        }
        let w = match w {
            "and" | "dan" | "i" | "ja" | "sekä" => "&",
            other => other,
        };
        words.push(w.to_string());
    }
    words.join(" ")
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
    fn numbering_punctuation_and_ampersands_are_normalised() {
        for (heading, want) in [
            (
                "1.3 Communication & Escalation",
                "communication & escalation",
            ),
            ("Part 3 — Contain", "contain"),
            ("Part 4 — Eradicate & Recover", "eradicate & recover"),
            ("Step 2: Notify customers", "notify customers"),
            ("4. Notify customers", "notify customers"),
            ("IV. Scope", "scope"),
            ("A) Roles and responsibilities", "roles & responsibilities"),
            ("Support / escalation", "support escalation"),
            ("Procedure {#procedure}", "procedure"),
            ("§ 4 Revision history", "revision history"),
            ("On-call", "on-call"),
            ("2FA setup", "2fa setup"),
            ("Steps to check", "steps to check"),
            ("5", "5"),
        ] {
            assert_eq!(normalize_heading(heading), want, "{heading}");
        }
    }

    #[test]
    fn real_headings_match_with_a_precedence() {
        let a = Aliases::default();
        let kind = |h: &str| a.section_match(h).map(|(k, _, m)| (k, m));
        use Match::*;
        use SectionKind::*;
        assert_eq!(kind("Escalation"), Some((Escalation, Exact)));
        assert_eq!(
            kind("1.3 Communication & Escalation"),
            Some((Escalation, Part))
        );
        assert_eq!(kind("Escalation Procedure"), Some((Escalation, Part)));
        assert_eq!(kind("Support / escalation"), Some((Escalation, Part)));
        assert_eq!(kind("Getting help"), Some((Escalation, Exact)));
        assert_eq!(kind("2.4 Getting Help from AWS"), Some((Escalation, Part)));
        assert_eq!(kind("Contacts"), Some((Escalation, Exact)));
        assert_eq!(kind("On call"), Some((Escalation, Exact)));
        assert_eq!(kind("Prerequisites"), Some((Prerequisites, Exact)));
        assert_eq!(kind("Pre-requisites:"), Some((Prerequisites, Exact)));
        assert_eq!(kind("Prasyarat"), Some((Prerequisites, Exact)));
        assert_eq!(kind("Preduvjeti"), Some((Prerequisites, Exact)));
        assert_eq!(kind("Steps"), Some((Procedure, Exact)));
        assert_eq!(kind("Steps to check"), Some((Procedure, Part)));
        assert_eq!(kind("Resolution"), Some((Procedure, Exact)));
        assert_eq!(kind("Rollback"), Some((Procedure, Exact)));
        assert_eq!(kind("Langkah pelaksanaan:"), Some((Procedure, Exact)));
        assert_eq!(kind("Revision History"), Some((RevisionHistory, Exact)));
        assert_eq!(kind("Katso myös  "), Some((References, Exact)));
        assert_eq!(
            kind("Appendix C — Reference Links"),
            Some((References, Normalised))
        );
        assert_eq!(
            kind("2. Roles & Responsibilities"),
            Some((Roles, Normalised))
        );
        // The longest alias wins, then the earliest: "roles and responsibilities" is one.
        assert_eq!(kind("Purpose and scope"), Some((Purpose, Part)));
        assert_eq!(kind("Scope and purpose"), Some((Scope, Part)));
        // Instructions that mention a section word are not that section.
        assert_eq!(kind("Contact the customer"), None);
        assert_eq!(kind("Step 2: Escalate to on-call"), None);
        assert_eq!(kind("Assign roles"), None);
        assert_eq!(kind("De-escalation criteria"), None);
        assert_eq!(kind("Requesting out-of-hours support"), None);
        assert_eq!(kind("Support for older versions"), None);
        assert_eq!(
            kind("Check whether the escalation policy in PagerDuty is still right"),
            None
        );
    }

    #[test]
    fn no_alias_names_two_kinds() {
        let mut seen: HashMap<String, SectionKind> = HashMap::new();
        for (kind, lang, names) in SECTION_ALIASES {
            for name in *names {
                let n = normalize_heading(name);
                assert!(!n.is_empty(), "{lang}: {name}");
                if let Some(k) = seen.insert(n.clone(), *kind) {
                    assert_eq!(k, *kind, "`{name}` ({lang}) names {k} and {kind}");
                }
            }
        }
    }

    #[test]
    fn configured_aliases_win_part_matches() {
        let mut a = Aliases::default();
        a.extend(SectionKind::Definitions, ["Severity levels"]);
        assert_eq!(
            a.section_match("Severity levels").map(|m| (m.0, m.2)),
            Some((SectionKind::Definitions, Match::Exact))
        );
        a.extend(SectionKind::Procedure, ["Mitigation"]);
        assert_eq!(
            a.section("Mitigation and escalation").unwrap().0,
            SectionKind::Procedure
        );
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
