//! Heading and table-column aliases (DESIGN §2), extensible from configuration. The tables
//! themselves are in `tables.rs`.

use std::fmt;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::{Deserialize, Serialize};

mod tables;

use tables::{COLUMN_ALIASES, PREPOSITIONS, QUALIFIERS, SECTION_ALIASES};

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

impl Column {
    /// The columns in the order `sopkit sections` lists them.
    pub const ALL: [Column; 10] = [
        Self::Level,
        Self::Role,
        Self::Trigger,
        Self::Time,
        Self::Contact,
        Self::Version,
        Self::Date,
        Self::Author,
        Self::Change,
        Self::Description,
    ];

    /// The lower-case name used in `sopkit sections`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Level => "level",
            Self::Role => "role",
            Self::Trigger => "trigger",
            Self::Time => "time",
            Self::Contact => "contact",
            Self::Version => "version",
            Self::Date => "date",
            Self::Author => "author",
            Self::Change => "change",
            Self::Description => "description",
        }
    }

    /// Every header alias of the built-in table, by column and language, for `sopkit sections`.
    pub fn builtin_table() -> &'static [(Column, &'static str, &'static [&'static str])] {
        COLUMN_ALIASES
    }
}

/// Which cell of a revision-history row holds each field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RevisionColumns {
    pub(crate) version: Option<usize>,
    pub(crate) date: Option<usize>,
    pub(crate) author: Option<usize>,
    pub(crate) change: Option<usize>,
}

impl RevisionColumns {
    /// The columns of a revision table with these header columns (from [`column`]): the
    /// column a header names (the change, else the description), else the column at the usual
    /// place (version, date, author, change) when no header names it, else the first column no
    /// header names and no other field took. So "| Verzija | Datum | Opis | Autor |" gives
    /// the change from "Opis" and the author from "Autor", not the change from "Autor".
    pub(crate) fn of(columns: &[Option<Column>]) -> Self {
        let named = |c: Column| columns.iter().position(|x| *x == Some(c));
        let found = [
            named(Column::Version),
            named(Column::Date),
            named(Column::Author),
            named(Column::Change).or(named(Column::Description)),
        ];
        let mut taken: Vec<usize> = found.iter().flatten().copied().collect();
        let mut pick = |found: Option<usize>, usual: usize| {
            if found.is_some() {
                return found;
            }
            let free = |i: usize| !taken.contains(&i) && columns.get(i).is_none_or(Option::is_none);
            let at = if free(usual) {
                usual
            } else {
                (0..columns.len()).find(|i| free(*i))?
            };
            taken.push(at);
            Some(at)
        };
        Self {
            version: pick(found[0], 0),
            date: pick(found[1], 1),
            author: pick(found[2], 2),
            change: pick(found[3], 3),
        }
    }
}

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
            exact: HashMap::default(),
            normal: HashMap::default(),
            by_first: HashMap::default(),
            alias_words: HashSet::default(),
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
                if !self.qualified(&words, pos, n, e.lang) {
                    continue;
                }
                let key = (!e.configured, std::cmp::Reverse(n), pos, e.kind);
                if best.as_ref().is_none_or(|(k, _)| key < *k) {
                    best = Some((key, i));
                }
            }
        }
        best.map(|(_, i)| hit(&i, Match::Part))
    }

    /// Whether the words around `words[pos..pos + n]`, an alias of language `lang`, only
    /// qualify it.
    fn qualified(&self, words: &[&str], pos: usize, n: usize, lang: &str) -> bool {
        let others = words[..pos].iter().chain(&words[pos + n..]);
        let qualifies = |w: &&str| QUALIFIERS.contains(w) || self.alias_words.contains(*w);
        if others.clone().all(qualifies) {
            return true;
        }
        // "Getting help from AWS", "Scope of this runbook": the alias opens the heading and a
        // preposition follows it. Finnish says "of" with the elative case: "Yleiskuva
        // vakuutussopimuksista" (overview of insurance policies).
        pos == 0
            && words.get(n).is_some_and(|w| {
                PREPOSITIONS.contains(w) || (lang == "fi" && words.len() == n + 1 && is_elative(w))
            })
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
        "**Part**: an alias is a run of whole words of a heading of at most 6 words, and every other word qualifies it: a qualifier listed below or a word of another alias (`1.3 Communication & Escalation`, `Escalation Procedure`, `Support / escalation`); or the heading opens with the alias and goes on with a preposition listed below (`Getting help from AWS`, `Steps to check`), or, in Finnish, with one word in the elative case (`Yleiskuva vakuutussopimuksista`, overview of insurance policies).",
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

/// Whether a Finnish word is in the elative case ("sopimuksista", "tästä"): "of", "about".
fn is_elative(word: &str) -> bool {
    word.chars().count() > 4 && (word.ends_with("sta") || word.ends_with("stä"))
}

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
        .find(|(_, _, names)| names.contains(&h.as_str()))
        .map(|(c, _, _)| *c)
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
    // The attribute needs a `{`: most headings have none, and skip the search.
    let t = if text.contains('{') {
        ATTRIBUTE.replace(text.trim(), "")
    } else {
        std::borrow::Cow::Borrowed(text.trim())
    };
    let padded = format!("{t} ");
    let rest = match NUMBERING.find(&padded) {
        Some(m) if !padded[m.end()..].trim().is_empty() => &padded[m.end()..],
        _ => padded.as_str(),
    };
    let lower = rest.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for raw in lower.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '&' || c == '\'')) {
        let w = raw.trim_matches(|c: char| c == '-' || c == '\'');
        if w.is_empty() {
            continue;
        }
        let w = match w {
            "and" | "dan" | "i" | "ja" | "sekä" => "&",
            other => other,
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests;
