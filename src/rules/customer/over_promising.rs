use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use crate::document::{lang_matches, Document, SectionKind, TextBlock};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags over-promising words in customer-facing prose: "guarantee", "always", "never",
    /// "100%", "immediately", "instantly", "no matter what", "without fail", "at all times",
    /// "we promise"… and suggests a realistic phrase for each. Documents in Malay, Indonesian,
    /// Croatian and Finnish are checked with their own words ("dijamin", "serta-merta",
    /// "selalu", "jamčimo", "odmah", "takaamme", "välittömästi", "ei koskaan"…); the English
    /// list applies to English documents only.
    ///
    /// The rule reads headings, paragraphs, list items and table cells. It does **not** read
    /// procedure steps as promises: a step instructs staff ("Never share the customer's
    /// password", "Always check the ID"), which is not a promise to anyone, so in steps only
    /// the words staff are told to *say* (text in quotation marks) are checked. For the same
    /// reason "always", "never" and "immediately" opening a sentence ("Never leave a sample
    /// unattended.") or following "must", "should" or "please" are read as instructions. The
    /// revision history and references are not read.
    ///
    /// ## Why is this bad?
    /// Customers hold you to every word. A promise the process cannot keep turns a delay into
    /// a broken promise, and a complaint into an escalation. Realistic expectations ("within
    /// 2 working days", "in most cases") are kept, and trusted.
    ///
    /// ## Example
    /// ```markdown
    /// We guarantee a refund and always reply immediately.
    ///
    /// 1. Tell the customer: "Your parcel will never be late again."
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// We aim to refund eligible orders within 5 working days and reply within 2 hours.
    ///
    /// 1. Tell the customer: "We have flagged your address for priority delivery."
    /// ```
    pub(crate) OverPromising {
        code: "C001",
        name: "over-promising",
        severity: Warning,
        summary: "Customer-facing text promises more than the process can keep",
        options: NoOptions,
        fixable: false,
    }
}

/// What kind of promise a word makes; picks the help line and whether it may be an
/// instruction to staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Guarantee,
    Always,
    Never,
    Percent,
    Instant,
    Unconditional,
    Promise,
}

impl Class {
    fn help(self) -> &'static str {
        match self {
            Self::Guarantee => "promise only what the process controls: \"we aim to …\" or \"in most cases …\"",
            Self::Always => "say when it holds: \"in most cases\", or name the condition (\"when the order is in stock\")",
            Self::Never => "say what is unlikely and when: \"rarely\", or \"we do not … unless …\"",
            Self::Percent => "give a realistic figure, or say what happens in the exceptions",
            Self::Instant => "give a time the team can keep: \"within N minutes\" or \"within 1 working day\"",
            Self::Unconditional => "state the condition: \"during opening hours\", \"when … \"",
            Self::Promise => "say what you aim for and by when: \"we aim to … within N days\"",
        }
    }

    /// Words that, opening a sentence or after "must"/"should", instruct staff.
    fn may_instruct(self) -> bool {
        matches!(self, Self::Always | Self::Never | Self::Instant)
    }
}

use Class::*;

/// (language, words). Words are matched case-insensitively (ASCII) as whole words.
const WORDS: &[(&str, &[(&str, Class)])] = &[
    (
        "en",
        &[
            ("guarantee", Guarantee),
            ("guarantees", Guarantee),
            ("guaranteed", Guarantee),
            ("guaranteeing", Guarantee),
            ("always", Always),
            ("never", Never),
            ("100%", Percent),
            ("100 %", Percent),
            ("100 percent", Percent),
            ("100 per cent", Percent),
            ("immediately", Instant),
            ("instantly", Instant),
            ("right away", Instant),
            ("straight away", Instant),
            ("in no time", Instant),
            ("no matter what", Unconditional),
            ("without fail", Unconditional),
            ("at all times", Unconditional),
            ("without exception", Unconditional),
            ("under all circumstances", Unconditional),
            ("we promise", Promise),
            ("i promise", Promise),
            ("promised", Promise),
        ],
    ),
    (
        "ms",
        &[
            ("dijamin", Guarantee),
            ("menjamin", Guarantee),
            ("pasti", Guarantee),
            ("sentiasa", Always),
            ("selalu", Always),
            ("tidak pernah", Never),
            ("tidak akan sekali-kali", Never),
            ("100%", Percent),
            ("100 %", Percent),
            ("100 peratus", Percent),
            ("serta-merta", Instant),
            ("serta merta", Instant),
            ("dengan segera", Instant),
            ("segera", Instant),
            ("walau apa pun", Unconditional),
            ("kami berjanji", Promise),
        ],
    ),
    (
        "id",
        &[
            ("dijamin", Guarantee),
            ("menjamin", Guarantee),
            ("pasti", Guarantee),
            ("selalu", Always),
            ("senantiasa", Always),
            ("tidak pernah", Never),
            ("100%", Percent),
            ("100 %", Percent),
            ("100 persen", Percent),
            ("segera", Instant),
            ("saat itu juga", Instant),
            ("seketika", Instant),
            ("apa pun yang terjadi", Unconditional),
            ("kami berjanji", Promise),
        ],
    ),
    (
        "hr",
        &[
            ("jamčimo", Guarantee),
            ("zajamčeno", Guarantee),
            ("zajamčen", Guarantee),
            ("zajamčena", Guarantee),
            ("garantiramo", Guarantee),
            ("uvijek", Always),
            ("nikada", Never),
            ("nikad", Never),
            ("100%", Percent),
            ("100 %", Percent),
            ("100 posto", Percent),
            ("odmah", Instant),
            ("bez iznimke", Unconditional),
            ("obećavamo", Promise),
        ],
    ),
    (
        "fi",
        &[
            ("takaamme", Guarantee),
            ("taatusti", Guarantee),
            ("taattu", Guarantee),
            ("aina", Always),
            ("ei koskaan", Never),
            ("emme koskaan", Never),
            ("100%", Percent),
            ("100 %", Percent),
            ("100 prosenttia", Percent),
            ("heti", Instant),
            ("välittömästi", Instant),
            ("kaikissa tilanteissa", Unconditional),
            ("lupaamme", Promise),
        ],
    ),
];

struct Lexicon {
    lang: &'static str,
    matcher: AhoCorasick,
    classes: Vec<Class>,
}

/// One automaton per language, built once.
static LEXICONS: LazyLock<Vec<Lexicon>> = LazyLock::new(|| {
    WORDS
        .iter()
        .map(|(lang, words)| Lexicon {
            lang,
            matcher: AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(words.iter().map(|(w, _)| *w))
                .expect("over-promising word list"),
            classes: words.iter().map(|(_, c)| *c).collect(),
        })
        .collect()
});

/// Quoted speech: what a step tells staff to say.
static QUOTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""[^"]+"|“[^”“]+[”“]|„[^“”]+[“”]|«[^»]+»|”[^”]+”"#).expect("quote regex")
});

/// Words after which "always"/"never" instruct staff rather than promise.
const MODALS: &[&str] = &["must", "should", "shall", "please", "mustn't", "shouldn't"];

/// A word found in a block: text range and class.
struct Hit {
    range: Range<usize>,
    class: Class,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether `range` of `text` stands as a word: no letter or digit glued on either side.
fn whole_word(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    let last = text[range.clone()].chars().next_back();
    let glued_before = before.is_some_and(is_word_char);
    let glued_after = last.is_some_and(is_word_char) && after.is_some_and(is_word_char);
    !glued_before && !glued_after
}

/// Whether the word at `start` opens a sentence or follows a modal: an instruction.
fn reads_as_instruction(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '*' | '_' | '"' | '“' | '„' | '(' | '«')
    });
    if before.is_empty() || before.ends_with(['.', '!', '?', ':', ';']) {
        return true;
    }
    let prev = before
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .to_lowercase();
    MODALS.contains(&prev.as_str())
}

fn hits(text: &str, window: Range<usize>, lexicons: &[&Lexicon], out: &mut Vec<Hit>) {
    let Some(slice) = text.get(window.clone()) else {
        return;
    };
    for lex in lexicons {
        for m in lex.matcher.find_overlapping_iter(slice) {
            let range = window.start + m.start()..window.start + m.end();
            let class = lex.classes[m.pattern().as_usize()];
            if !text.is_char_boundary(range.start) || !text.is_char_boundary(range.end) {
                continue;
            }
            if !whole_word(text, &range) {
                continue;
            }
            if class.may_instruct() && reads_as_instruction(text, range.start) {
                continue;
            }
            out.push(Hit { range, class });
        }
    }
}

/// The kinds of the section holding block `i` and of the sections around it.
fn enclosing_kinds(doc: &Document, block: &TextBlock) -> Vec<SectionKind> {
    let Some(mut idx) = block.section else {
        return Vec::new();
    };
    let mut kinds = Vec::new();
    let Some(mut level) = doc.sections.get(idx).map(|s| s.level) else {
        return kinds;
    };
    kinds.extend(doc.sections[idx].kind);
    while idx > 0 {
        idx -= 1;
        let s = &doc.sections[idx];
        if s.level < level {
            kinds.extend(s.kind);
            level = s.level;
        }
    }
    kinds
}

impl Rule for OverPromising {
    fn meta(&self) -> &RuleMeta {
        &Self::META
    }

    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let lexicons: Vec<&Lexicon> = LEXICONS
            .iter()
            .filter(|l| {
                if l.lang == "en" {
                    doc.is_english()
                } else {
                    lang_matches(&doc.lang, l.lang)
                }
            })
            .collect();
        if lexicons.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for block in &doc.blocks {
            let kinds = enclosing_kinds(doc, block);
            if kinds
                .iter()
                .any(|k| matches!(k, SectionKind::RevisionHistory | SectionKind::References))
            {
                continue;
            }
            let text = block.text.as_str();
            let mut found = Vec::new();
            if block.in_list && kinds.contains(&SectionKind::Procedure) {
                for q in QUOTED.find_iter(text) {
                    // Inside the quotation marks, so that a quote opening a sentence still counts.
                    let open = q.as_str().chars().next().map_or(0, char::len_utf8);
                    let close = q.as_str().chars().next_back().map_or(0, char::len_utf8);
                    hits(
                        text,
                        q.start() + open..q.end() - close,
                        &lexicons,
                        &mut found,
                    );
                }
            } else {
                hits(text, 0..text.len(), &lexicons, &mut found);
            }
            // Longest first at each start; drop words inside a longer one ("100 %" in "100 %").
            found.sort_by_key(|h| (h.range.start, std::cmp::Reverse(h.range.end)));
            let mut last_end = 0;
            for hit in found {
                if hit.range.start < last_end {
                    continue;
                }
                last_end = hit.range.end;
                let word = &text[hit.range.clone()];
                out.push(
                    Finding::new(
                        block.text.to_source(hit.range.clone()),
                        format!("\"{word}\" over-promises: customers will hold you to it"),
                    )
                    .help(hit.class.help()),
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str, lang: &str) -> Vec<String> {
        let lexicons: Vec<&Lexicon> = LEXICONS.iter().filter(|l| l.lang == lang).collect();
        let mut out = Vec::new();
        hits(text, 0..text.len(), &lexicons, &mut out);
        out.iter()
            .map(|h| text[h.range.clone()].to_string())
            .collect()
    }

    #[test]
    fn finds_promises_but_not_instructions() {
        assert_eq!(
            words("We guarantee a reply and always answer.", "en"),
            ["guarantee", "always"]
        );
        assert_eq!(
            words("Never share the password.", "en"),
            Vec::<String>::new()
        );
        assert_eq!(
            words("Staff must never share it. We never lose parcels.", "en"),
            ["never"]
        );
        assert_eq!(
            words("Refunds are 100% safe; 1100% is no word.", "en"),
            ["100%"]
        );
        assert_eq!(
            words("Use instant messaging; the always-on line.", "en"),
            ["always"]
        );
        assert!(words("Nothing to see: alwaysy neverland", "en").is_empty());
    }

    #[test]
    fn seed_languages() {
        assert_eq!(
            words("Bayaran balik dijamin serta-merta.", "ms"),
            ["dijamin", "serta-merta"]
        );
        assert_eq!(words("Kami selalu membalas.", "id"), ["selalu"]);
        assert_eq!(
            words("Jamčimo povrat, odgovaramo uvijek.", "hr"),
            ["Jamčimo", "uvijek"]
        );
        assert_eq!(
            words("Nikada ne dijelite lozinku. Zauvijek.", "hr"),
            Vec::<String>::new()
        );
        assert_eq!(words("Vastaamme aina, ainakin yritämme.", "fi"), ["aina"]);
        assert_eq!(words("Palautus ei koskaan viivästy.", "fi"), ["ei koskaan"]);
    }
}
