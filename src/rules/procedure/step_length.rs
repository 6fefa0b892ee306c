use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::document::{word_count, Document};
use crate::lang::en;
use crate::rule::{declare_rule, Context, Finding, Rule};

use super::step_text_source;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "RawOptions", rename_all = "kebab-case")]
pub(crate) struct Options {
    /// The most words a step may have.
    pub max_words: usize,
    /// The limit for documents in these languages (BCP 47 prefixes), instead of `max-words`.
    pub languages: BTreeMap<String, usize>,
}

impl Default for Options {
    fn default() -> Self {
        // ASD-STE100 rule 5.1: procedural sentences have no more than 20 words. Multi-word
        // terms make Malay and Indonesian sentences longer, Croatian clitics (je, se, li, mu,
        // ste) too; Finnish compounds make them shorter.
        let languages = [("fi", 18), ("hr", 25), ("id", 25), ("ms", 25)]
            .into_iter()
            .map(|(lang, max)| (lang.to_string(), max))
            .collect();
        Self {
            max_words: 20,
            languages,
        }
    }
}

/// The options as written: `max-words` alone applies to every language.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOptions {
    max_words: Option<usize>,
    languages: Option<BTreeMap<String, usize>>,
}

impl From<RawOptions> for Options {
    fn from(raw: RawOptions) -> Self {
        let default = Options::default();
        match (raw.max_words, raw.languages) {
            (None, None) => default,
            (Some(max_words), None) => Options {
                max_words,
                languages: BTreeMap::new(),
            },
            (max_words, Some(languages)) => Options {
                max_words: max_words.unwrap_or(default.max_words),
                languages,
            },
        }
    }
}

declare_rule! {
    /// ## What it does
    /// Checks that no sentence of a step has more than `max-words` words (default 20, the
    /// ASD-STE100 limit for procedural sentences). A step that gives the instruction in one
    /// short sentence and explains it in another ("Select **Save**. The record is locked
    /// until you close it.") is fine. Only the step's first paragraph counts; notes and
    /// sub-steps below it do not. A UI label or field name in bold, a code span and a link
    /// count as one word, an aside in parentheses as none. A sentence after the first counts
    /// only when it instructs (in English; in other languages only the first sentence
    /// counts). Works in every language. The option `languages` sets the limit for documents
    /// in a language instead: by default 25 words in Malay and Indonesian (multi-word terms
    /// such as "kata laluan", "ibu bapa" make their sentences longer than English ones) and in
    /// Croatian (clitics such as "je", "se", "li", "mu" are words of their own), and 18 in
    /// Finnish (long compound words say in one word what English says in three). Setting
    /// `max-words` alone applies it to every language.
    ///
    /// ## Why is this bad?
    /// Long steps hide actions and conditions in the middle of a sentence, where a reader
    /// following the procedure under pressure skips them. Short steps are easier to follow,
    /// to check off and to translate.
    ///
    /// ## Example
    /// ```markdown
    /// 1. Open the refund form in the billing system, enter the order number and the amount
    ///    that the customer asked for, attach the receipt and submit the form to the supervisor.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 1. Open the refund form in the billing system.
    /// 2. Enter the order number and the requested amount.
    /// 3. Attach the receipt.
    /// 4. Submit the form to the supervisor.
    /// ```
    pub(crate) StepLength {
        code: "P002",
        name: "step-length",
        severity: Warning,
        summary: "Step has more words than the limit",
        options: Options,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for StepLength {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let max = self.max_words(&doc.lang);
        let english = doc.is_english();
        doc.all_steps()
            .into_iter()
            .filter_map(|step| {
                let written = doc
                    .source
                    .get(step_text_source(step))
                    .unwrap_or(step.text.as_str());
                let counted = counted_text(written);
                let sentences = sentences(&counted);
                let count = sentences
                    .iter()
                    .enumerate()
                    .filter(|(i, s)| instruction(english, *i, s))
                    .map(|(_, s)| word_count(s))
                    .max()
                    .unwrap_or(0);
                (count > max).then(|| {
                    let message = if sentences.len() > 1 {
                        format!("a sentence of the step has {count} words; the limit is {max}")
                    } else {
                        format!("step has {count} words; the limit is {max}")
                    };
                    Finding::new(step_text_source(step), message)
                    .help("split the step into shorter steps, one action each, or move background information into a note")
                })
            })
            .collect()
    }
}

impl StepLength {
    /// The limit for a document's language: the longest matching `languages` entry, else
    /// `max-words`.
    fn max_words(&self, lang: &str) -> usize {
        self.options
            .languages
            .iter()
            .filter(|(prefix, _)| crate::document::lang_matches(lang, prefix))
            .max_by_key(|(prefix, _)| prefix.len())
            .map_or(self.options.max_words, |(_, max)| *max)
    }
}

/// Names, code and references: a UI label or field name in bold (`**Posting date**`), a code
/// span or a link is one word however long, an aside in parentheses or a bare address none.
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        `[^`\n]*`                       # code span
        | \*\*[^*\n]+\*\* | __[^_\n]+__   # bold label
        | !?\[[^\]\n]*\]\([^)\n]*\)       # link or image
        | \[[^\]\n]*\]\[[^\]\n]*\]        # reference link
        | \\?<[^>\n]*>                   # autolink, HTML or a <placeholder>
        | https?://\S+",
    )
    .expect("named pattern is valid")
});

/// An HTML entity inside a quantity ("5&micro;L"): a number with its unit is one word.
static JOINED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\w)&[a-zA-Z]+;(\w)").expect("joined pattern is valid"));

/// The step's source as it reads for length: each name, code span or link one word
/// ("name"), asides in parentheses dropped.
fn counted_text(written: &str) -> String {
    let named = NAMED.replace_all(written, "name");
    let named = JOINED.replace_all(&named, "${1}_${2}");
    let mut out = String::with_capacity(named.len());
    let mut depth = 0usize;
    for c in named.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether a sentence is the instruction whose length matters: the first sentence, and in
/// English a later one that opens as an instruction. A sentence that informs ("This adds the
/// pod to the pool, which …") is read once, not followed; in other languages the analysis
/// cannot tell the two apart, so only the first sentence counts.
fn instruction(english: bool, index: usize, sentence: &str) -> bool {
    index == 0 || (english && en::opens_with_imperative(sentence.trim()))
}

/// The sentences of a step: text up to `.`, `!` or `?` followed by a space.
fn sentences(text: &str) -> Vec<&str> {
    crate::document::sentence_ranges(text, false)
        .into_iter()
        .map(|r| &text[r])
        .filter(|s| !s.trim().is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::procedure::test_support::{run, sop};

    fn words(n: usize) -> String {
        vec!["word"; n].join(" ")
    }

    #[test]
    fn the_limit_is_per_sentence() {
        let short = words(12);
        let src = sop(
            "en",
            &format!("1. {short}. {short}.\n2. {short}. {}.\n", words(21)),
        );
        let (_, f) = run(&StepLength::default(), &src);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "a sentence of the step has 21 words; the limit is 20"
        );
    }

    #[test]
    fn names_code_links_and_asides_are_short() {
        let body = "1. In the **Vendor Ledger Entries** window, select the **Applies-to ID** field of the line and then choose **Post Application** (or press `Ctrl+F9` in the Windows client) to apply.\n2. Run `kubectl get pods --namespace apps --selector app=frontend --output wide --sort-by .metadata.creationTimestamp` in the shell.\n3. Open the form. This form is the one that the finance team keeps for the yearly audit of every invoice that the company has paid.\n";
        let (_, f) = run(&StepLength::default(), &sop("en", body));
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(word_count(&counted_text("Add 5&micro;L of the mix")), 5);
        let body = format!("1. Open the form. Then {}.\n", words(21));
        let (_, f) = run(&StepLength::default(), &sop("en", &body));
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn other_languages_count_the_first_sentence() {
        let body = format!("1. Pilih daftar harga. {}.\n2. {}.\n", words(28), words(26));
        let (_, f) = run(&StepLength::default(), &sop("id", &body));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].message, "step has 26 words; the limit is 25");
    }

    #[test]
    fn the_default_limit_follows_the_language() {
        let body = format!("1. {}.\n2. {}.\n", words(19), words(25));
        let count = |lang: &str| run(&StepLength::default(), &sop(lang, &body)).1.len();
        assert_eq!(
            [
                count("ms"),
                count("id"),
                count("hr"),
                count("fi"),
                count("en")
            ],
            [0, 0, 0, 2, 1]
        );
        let opts: serde_yaml::Value = serde_yaml::from_str("max-words: 30").unwrap();
        let rule = StepLength::build(Some(&opts)).unwrap();
        assert!(run(rule.as_ref(), &sop("fi", &body)).1.is_empty());
        // `max-words` alone is the limit everywhere, 20 included.
        let opts: serde_yaml::Value = serde_yaml::from_str("max-words: 20").unwrap();
        let rule = StepLength::build(Some(&opts)).unwrap();
        assert_eq!(run(rule.as_ref(), &sop("ms", &body)).1.len(), 1);
        // `languages` keeps `max-words` for the others.
        let opts: serde_yaml::Value =
            serde_yaml::from_str("max-words: 24\nlanguages: {fi: 30}").unwrap();
        let rule = StepLength::build(Some(&opts)).unwrap();
        assert!(run(rule.as_ref(), &sop("fi", &body)).1.is_empty());
        assert_eq!(run(rule.as_ref(), &sop("hr", &body)).1.len(), 1);
    }

    #[test]
    fn limit_is_inclusive_and_configurable() {
        let src = sop("en", &format!("1. {}\n2. {}\n", words(20), words(21)));
        let (doc, f) = run(&StepLength::default(), &src);
        assert_eq!(f.len(), 1);
        assert_eq!(doc.line_col(f[0].span.start), (10, 4));
        assert_eq!(f[0].message, "step has 21 words; the limit is 20");

        let opts: serde_yaml::Value = serde_yaml::from_str("max-words: 25").unwrap();
        let rule = StepLength::build(Some(&opts)).unwrap();
        assert!(run(rule.as_ref(), &src).1.is_empty());
        let bad: serde_yaml::Value = serde_yaml::from_str("max-word: 25").unwrap();
        assert!(StepLength::build(Some(&bad)).is_err());
    }
}
