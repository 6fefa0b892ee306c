use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use crate::document::{lang_matches, Document, SectionKind, TextBlock};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};
use crate::rules::literal::AsciiWords;

use super::promise_words::{Cues, CUES, WORDS};

declare_rule! {
    /// ## What it does
    /// Flags over-promising words in customer-facing prose: "guarantee", "always", "never",
    /// "100%", "immediately", "instantly", "no matter what", "without fail", "at all times",
    /// "we promise"… and suggests a realistic phrase for each. Documents in Malay, Indonesian,
    /// Croatian and Finnish are checked with their own words ("dijamin", "serta-merta",
    /// "selalu", "jamčimo", "odmah", "takaamme", "välittömästi", "ei koskaan"…); the English
    /// list applies to English documents only.
    ///
    /// A word counts only where it is a promise made to people, not where it describes a
    /// system ("100% CPU", "100% chloroform", "the pods restart immediately", Finnish "aina
    /// vuoteen 2021 saakka", "up until 2021"):
    /// - in a sentence that tells someone what they will get: a speech verb ("tell", "assure",
    ///   "inform", "confirm"…), a person ("the customer", "users") and a reported clause ("Tell
    ///   the customer the refund is guaranteed within 24 hours"), not negated ("Do not tell
    ///   the customer …");
    /// - in quoted speech in a block that talks to or about customers;
    /// - in a sentence that makes a firm promise ("guarantee", "no matter what", "we
    ///   promise"…) and names who promises or what is promised ("we", "refunds",
    ///   "deliveries"), or says what "we" do for customers ("We always reply within the
    ///   hour"), unless a modal makes it a rule for the team ("we should process it
    ///   immediately");
    /// - anywhere under a heading that states commitments ("Customer commitments", "Our
    ///   promise").
    ///
    /// "Always", "never" and "immediately" opening a sentence ("Never leave a sample
    /// unattended.") or following "must", "should" or "please" are read as instructions to
    /// staff, and "not guaranteed" is no promise. The revision history and references are not
    /// read.
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
        since: "0.1.0",
    }
}

/// What kind of promise a word makes; picks the help line and whether it may be an
/// instruction to staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
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

struct Lexicon {
    lang: &'static str,
    words: &'static [(&'static str, Class)],
    /// Built the first time a document in this language needs it.
    matcher: OnceLock<AhoCorasick>,
    /// The same words for a fast first test: most blocks hold none.
    quick: OnceLock<AsciiWords>,
}

impl Lexicon {
    fn quick(&self) -> &AsciiWords {
        self.quick
            .get_or_init(|| AsciiWords::new(self.words.iter().map(|(w, _)| *w)))
    }

    fn matcher(&self) -> &AhoCorasick {
        self.matcher.get_or_init(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(self.words.iter().map(|(w, _)| *w))
                .expect("over-promising word list")
        })
    }
}

/// One automaton per language, built once, when first used.
static LEXICONS: LazyLock<Vec<Lexicon>> = LazyLock::new(|| {
    WORDS
        .iter()
        .map(|(lang, words)| Lexicon {
            lang,
            words,
            matcher: OnceLock::new(),
            quick: OnceLock::new(),
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
    // An aside in parentheses opens a clause of its own: "(always do this when possible)".
    if text[..start]
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_'))
        .ends_with('(')
    {
        return true;
    }
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
        for m in lex.matcher().find_overlapping_iter(slice) {
            let range = window.start + m.start()..window.start + m.end();
            let class = lex.words[m.pattern().as_usize()].1;
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

/// The kinds of the section holding block `i` and of the sections around it, with their
/// headings.
fn enclosing(
    doc: &Document,
    parents: &[Option<usize>],
    block: &TextBlock,
) -> (Vec<SectionKind>, Vec<String>) {
    let mut kinds = Vec::new();
    let mut headings = Vec::new();
    let mut at = block.section.filter(|&i| i < doc.sections.len());
    while let Some(i) = at {
        crate::work::add(1);
        let s = &doc.sections[i];
        kinds.extend(s.kind);
        headings.push(s.heading.to_lowercase());
        at = parents.get(i).copied().flatten();
    }
    (kinds, headings)
}

/// The enclosing section of every section: the nearest section before it with a lower level.
/// One pass with a stack, so that finding a block's headings costs its depth, not the number
/// of sections before it.
fn section_parents(doc: &Document) -> Vec<Option<usize>> {
    let mut stack: Vec<usize> = Vec::new();
    doc.sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            crate::work::add(1);
            while stack
                .last()
                .is_some_and(|&j| doc.sections[j].level >= s.level)
            {
                stack.pop();
            }
            let parent = stack.last().copied();
            stack.push(i);
            parent
        })
        .collect()
}

/// Lower-cased words of `text`, with a space at each end so that `" phrase "` finds whole
/// words and phrases.
fn padded(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push(' ');
    for c in text.chars() {
        if c.is_alphanumeric() || c == '\'' || c == '’' || c == '-' {
            s.extend(c.to_lowercase().map(|c| if c == '’' { '\'' } else { c }));
        } else {
            s.push(' ');
        }
    }
    s.push(' ');
    s
}

fn has(padded: &str, words: &[&str]) -> bool {
    words.iter().any(|w| find_word(padded, w).is_some())
}

/// Byte position in `padded` of the first of `words`, if any.
fn first_of(padded: &str, words: &[&str]) -> Option<usize> {
    words.iter().filter_map(|w| find_word(padded, w)).min()
}

/// `padded.find(&format!(" {word} "))` without building the pattern: the first `word` with a
/// space on each side, at the position of the space before it.
fn find_word(padded: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return padded.find("  ");
    }
    let bytes = padded.as_bytes();
    let mut from = 0;
    while let Some(i) = padded.get(from..)?.find(word) {
        let at = from + i;
        if at > 0 && bytes[at - 1] == b' ' && bytes.get(at + word.len()) == Some(&b' ') {
            return Some(at - 1);
        }
        // Matches may overlap ("a a" in " a a a "): go on from the next character.
        from = at + padded[at..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Sentence ranges of `text`: up to `.`, `!`, `?` or a line break followed by a space or the end.
fn sentences(text: &str) -> Vec<Range<usize>> {
    crate::document::sentence_ranges(text, true)
}

/// Whether the sentence makes a promise to a person: it tells someone what they will get
/// ("Tell the customer the refund is guaranteed"), or it is the team's or the business's own
/// word ("We guarantee a refund", "Refunds are guaranteed").
fn promises(cues: &Cues, sentence: &str, classes: &[Class]) -> bool {
    let p = padded(sentence);
    if let Some(verb) = first_of(&p, cues.speech) {
        let before = &p[..verb + 1];
        let after = &p[verb..];
        if !has(before, cues.negation)
            && (has(after, cues.people) || has(after, cues.reported))
            && has(after, cues.clause)
            && (!has(after, cues.cannot)
                || (cues.negated_promises
                    && classes.iter().any(|c| matches!(c, Never | Unconditional))))
        {
            return true;
        }
    }
    let strong = classes
        .iter()
        .any(|c| matches!(c, Guarantee | Promise | Unconditional));
    let we = has(&p, cues.we);
    let deals = has(&p, cues.deals);
    // "We always reply within the hour" is a promise; "we should process it immediately"
    // is a rule for the team.
    let serves = we_serve(cues, &p) && !has(&p, cues.modals);
    (strong && (we || deals)) || (we && deals) || serves
}

/// Whether "we" (the subject, not "our") is followed within four words by what the team does
/// for customers: "we will always reply", "kami sentiasa membalas".
fn we_serve(cues: &Cues, padded: &str) -> bool {
    let words: Vec<&str> = padded.split_whitespace().collect();
    let subject = cues.we.first().copied().unwrap_or("we");
    // Croatian and Finnish verbs carry "we" themselves: "odgovaramo", "vastaamme".
    if words
        .iter()
        .any(|w| cues.service.contains(w) && cues.we.contains(w))
    {
        return true;
    }
    words.iter().enumerate().any(|(i, w)| {
        (*w == subject || (subject == "we" && *w == "we'll"))
            && words[i + 1..]
                .iter()
                .take(4)
                .any(|n| cues.service.contains(n))
    })
}

/// Whether a heading names the team's commitments ("Customer commitments", "Our promise").
fn promise_heading(cues: &Cues, headings: &[String]) -> bool {
    headings.iter().any(|h| has(&padded(h), cues.headings))
}

/// Whether the word at `range` follows a word that makes it something else ("not
/// guaranteed", "mengenal pasti").
fn excluded(cues: &Cues, text: &str, range: &Range<usize>, class: Class) -> bool {
    let word = text[range.clone()].to_lowercase();
    let prev = text[..range.start]
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .next()
        .unwrap_or("")
        .to_lowercase();
    if matches!(class, Guarantee | Promise) {
        let window: Vec<String> = text[..range.start]
            .split_whitespace()
            .rev()
            .take(3)
            .map(str::to_lowercase)
            .collect();
        if window.iter().any(|w| has(&padded(w), cues.cannot)) {
            return true;
        }
    }
    cues.not_after.iter().any(|(w, p)| *w == word && *p == prev)
}

impl Rule for OverPromising {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let lang_of = |lang: &str| {
            if lang == "en" {
                doc.is_english()
            } else {
                lang_matches(&doc.lang, lang)
            }
        };
        let lexicons: Vec<&Lexicon> = LEXICONS.iter().filter(|l| lang_of(l.lang)).collect();
        let Some(cues) = CUES.iter().find(|(l, _)| lang_of(l)).map(|(_, c)| c) else {
            return Vec::new();
        };
        if lexicons.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        let parents = std::cell::OnceCell::new();
        // Which blocks hold a word of each lexicon: the matcher finds a word exactly where the
        // quick test does, and most blocks hold none.
        let quick: Vec<Vec<bool>> = lexicons
            .iter()
            .map(|l| {
                l.quick()
                    .matching(doc.blocks.iter().map(|b| b.text.as_str()))
            })
            .collect();
        let mut here: Vec<&Lexicon> = Vec::with_capacity(lexicons.len());
        for (i, block) in doc.blocks.iter().enumerate() {
            here.clear();
            here.extend(
                lexicons
                    .iter()
                    .zip(&quick)
                    .filter(|(_, q)| q.get(i).copied().unwrap_or(true))
                    .map(|(l, _)| *l),
            );
            if here.is_empty() {
                continue;
            }
            let text = block.text.as_str();
            // Most blocks hold no promise word: find those first, read the context only then.
            let mut found = Vec::new();
            hits(text, 0..text.len(), &here, &mut found);
            found.retain(|h| !excluded(cues, text, &h.range, h.class));
            if found.is_empty() {
                continue;
            }
            let parents = parents.get_or_init(|| section_parents(doc));
            let (kinds, headings) = enclosing(doc, parents, block);
            if kinds
                .iter()
                .any(|k| matches!(k, SectionKind::RevisionHistory | SectionKind::References))
            {
                continue;
            }
            let committed = promise_heading(cues, &headings);
            // Quoted speech that the text tells someone to say.
            let speech = {
                let p = padded(text);
                has(&p, cues.speech) || has(&p, cues.people)
            };
            let quotes: Vec<Range<usize>> = QUOTED.find_iter(text).map(|q| q.range()).collect();
            // Longest first at each start; drop words inside a longer one ("100 %" in "100 %").
            found.sort_by_key(|h| (h.range.start, std::cmp::Reverse(h.range.end)));
            found.dedup_by_key(|h| h.range.start);
            let spans = sentences(text);
            let mut last_end = 0;
            for hit in &found {
                if hit.range.start < last_end {
                    continue;
                }
                let quoted = quotes
                    .iter()
                    .any(|q| q.start < hit.range.start && hit.range.end < q.end);
                let sentence = spans
                    .iter()
                    .find(|s| s.start <= hit.range.start && hit.range.start < s.end)
                    .cloned()
                    .unwrap_or(0..text.len());
                let classes: Vec<Class> = found
                    .iter()
                    .filter(|h| sentence.start <= h.range.start && h.range.start < sentence.end)
                    .map(|h| h.class)
                    .collect();
                let promise = committed
                    || (quoted && speech)
                    || promises(cues, &text[sentence.clone()], &classes);
                if !promise {
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

    proptest::proptest! {
        /// The quick test passes over a block only when the matcher finds no word in it.
        #[test]
        fn quick_test_agrees_with_the_matcher(
            text in "(guarantee|GUARANTEED|Always|alway|NEVER|100|100 %|100%|per cent|percent|right away|in no time|We Promise|promise|ei koskaan|EI KOSKAAN|zajamčite|ZAJAMČITE|välittömästi|VÄLITTÖMÄSTI|serta-merta|č|Ä| |x|\\.)*",
        ) {
            for lex in LEXICONS.iter() {
                let found = lex.matcher().find_overlapping_iter(text.as_str()).next().is_some();
                proptest::prop_assert_eq!(lex.quick().is_match(&text), found, "{}", lex.lang);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn find_word_is_find_of_the_padded_word(
            text in "( |a|b|ab|a b|é|we|we'll|call you back)*",
            word in "(a|b|ab|a a|a b|é a|we|call you back|)",
        ) {
            proptest::prop_assert_eq!(find_word(&text, &word), text.find(&format!(" {word} ")));
        }
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
    fn promises_are_made_to_people() {
        let check = |text: &str| {
            let doc = crate::document::parse(
                "t.md",
                format!("---\nlang: en\n---\n# T\n\n{text}\n"),
                &crate::document::ParseOptions::default(),
            );
            let settings = crate::settings::Settings::default();
            OverPromising::default()
                .check(
                    &doc,
                    &Context {
                        settings: &settings,
                        files: &crate::rule::NoFiles,
                    },
                )
                .len()
        };
        assert_eq!(check("We will always reply within one hour."), 1);
        assert_eq!(
            check("Don't worry if you cannot answer immediately: we have two."),
            0
        );
        assert_eq!(
            check("We should process jobs from this queue immediately."),
            0
        );
        assert_eq!(
            check("Add 100% chloroform and sonicate at 100% amplitude."),
            0
        );
        assert_eq!(check("Ordering is not guaranteed."), 0);
        assert_eq!(
            check("Tell the customer the refund is guaranteed within 24 hours."),
            1
        );
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

    #[test]
    fn enclosing_headings_cost_their_depth() {
        // Walking back over every section per block made 100k headings take seconds.
        crate::work::assert_linear(
            "C001 over many sections",
            2_000,
            |n| {
                let body: String = (0..n)
                    .map(|i| format!("## Part {i}\n\nWe guarantee a reply in every case.\n\n"))
                    .collect();
                crate::document::parse(
                    "t.md",
                    format!("---\nlang: en\n---\n# T\n\n{body}"),
                    &crate::document::ParseOptions::default(),
                )
            },
            |doc| {
                let settings = crate::settings::Settings::default();
                let ctx = Context {
                    settings: &settings,
                    files: &crate::rule::NoFiles,
                };
                assert!(!OverPromising::default().check(doc, &ctx).is_empty());
            },
        );
    }
}
