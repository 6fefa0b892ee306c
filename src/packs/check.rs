//! What a loaded pack rule checks, and the checks of every kind but `acronym`.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::format::{Examples, Kind, Metric, Scope};
use super::matcher::Matcher;
use super::scope::{units, Unit};
use super::PackRule;
use crate::document::{lang_matches, word_count, Document};
use crate::rule::{Context, Edit, Finding, Fix, HasMeta, Rule, RuleMeta};

/// A loaded rule: what every kind has, and its [`Check`].
pub(super) struct Spec {
    pub(super) lang: String,
    pub(super) scope: Scope,
    pub(super) message: Option<String>,
    pub(super) help: Option<String>,
    pub(super) examples: Examples,
    pub(super) check: Check,
}

/// What a rule checks: one variant per [`Kind`], holding only what that kind reads.
pub(super) enum Check {
    Existence {
        matcher: Matcher,
        filter: Filter,
    },
    Substitution {
        matcher: Matcher,
        /// The replacements of each token, by token index.
        swaps: Vec<Vec<String>>,
    },
    Occurrence {
        matcher: Matcher,
        filter: Filter,
        /// The most matches allowed in one scope unit.
        max: usize,
    },
    Metric {
        metric: Metric,
        /// The largest value allowed.
        max: usize,
    },
    Acronym {
        /// Acronyms that need no definition.
        allow: BTreeSet<String>,
        /// What some acronyms stand for, for the help text.
        expansions: BTreeMap<String, String>,
    },
}

impl Check {
    pub(super) fn kind(&self) -> Kind {
        match self {
            Self::Existence { .. } => Kind::Existence,
            Self::Substitution { .. } => Kind::Substitution,
            Self::Occurrence { .. } => Kind::Occurrence,
            Self::Metric { .. } => Kind::Metric,
            Self::Acronym { .. } => Kind::Acronym,
        }
    }
}

/// Which matches of an existence or occurrence rule count, by the sentence around them.
#[derive(Default)]
pub(super) struct Filter {
    /// Skip a match when one of these words comes before it in the same sentence.
    pub(super) skip_after: Vec<String>,
    /// Report nothing in a unit that gives a command in one of its sentences.
    pub(super) unless_command: bool,
    /// Report a match only in a sentence that opens as a command.
    pub(super) only_in_command: bool,
    /// The words that give a command in the pack's language (English uses its grammar).
    pub(super) command_words: Vec<String>,
}

impl Filter {
    /// The matches of `matcher` in `text` that this filter keeps.
    fn matches(&self, matcher: &Matcher, lang: &str, text: &str) -> Vec<Match> {
        let mut found = matcher.find(text);
        if !self.skip_after.is_empty() {
            found.retain(|m| !self.after_skip_word(text, m.range.start));
        }
        if self.only_in_command && !found.is_empty() {
            let sentences = sentences(text);
            found.retain(|m| {
                sentences
                    .iter()
                    .find(|s| s.start <= m.range.start && m.range.start < s.end)
                    .is_some_and(|s| self.is_command(lang, &text[s.clone()]))
            });
        }
        found
    }

    /// Whether one of the sentences of `text` gives a command.
    fn gives_command(&self, lang: &str, text: &str) -> bool {
        sentences(text)
            .into_iter()
            .any(|s| self.is_command(lang, &text[s]))
    }

    /// Whether `sentence` gives a command: for English, its main clause opens with an
    /// imperative; otherwise one of the pack's `command-words` stands in it as a whole word.
    fn is_command(&self, lang: &str, sentence: &str) -> bool {
        let words = &self.command_words;
        if words.is_empty() {
            return lang_matches("en", lang) && crate::lang::en::opens_with_imperative(sentence);
        }
        sentence
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| words.iter().any(|c| c.to_lowercase() == w.to_lowercase()))
    }

    /// Whether a `skip-after` word comes before `at` in the same sentence.
    fn after_skip_word(&self, text: &str, at: usize) -> bool {
        let before = &text[..at];
        let sentence = before
            .rfind(['.', '!', '?', ';'])
            .map_or(before, |i| &before[i + 1..]);
        sentence
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| self.skip_after.iter().any(|s| s.eq_ignore_ascii_case(w)))
    }
}

impl HasMeta for PackRule {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }
}

impl Rule for PackRule {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let spec = &self.spec;
        if !lang_matches(&doc.lang, &spec.lang) {
            return Vec::new();
        }
        if let Check::Acronym { allow, expansions } = &spec.check {
            return self.check_acronyms(doc, allow, expansions);
        }
        let mut out = Vec::new();
        // A unit that gives a command reports nothing under `unless-command`: asked only of a
        // unit with matches, since most have none.
        let skipped = |filter: &Filter, unit: &Unit<'_>| {
            filter.unless_command && filter.gives_command(&spec.lang, unit.whole())
        };
        for unit in units(doc, &spec.scope) {
            match &spec.check {
                Check::Existence { matcher, filter } => {
                    let found = filter.matches(matcher, &spec.lang, unit.text());
                    if found.is_empty() || skipped(filter, &unit) {
                        continue;
                    }
                    for m in found {
                        let found = &unit.text()[m.range.clone()];
                        out.push(self.finding(unit.to_source(m.range), found, &[]));
                    }
                }
                Check::Substitution { matcher, swaps } => {
                    for m in matcher.find(unit.text()) {
                        out.push(self.substitution(doc, &unit, m, swaps));
                    }
                }
                Check::Occurrence {
                    matcher,
                    filter,
                    max,
                } => {
                    let found = filter.matches(matcher, &spec.lang, unit.text());
                    if found.len() <= *max || skipped(filter, &unit) {
                        continue;
                    }
                    if let Some(m) = found.get(*max) {
                        let text = &unit.text()[m.range.clone()];
                        let count = found.len().to_string();
                        let max = max.to_string();
                        let mut f = self.finding(
                            unit.to_source(m.range.clone()),
                            text,
                            &[("count", &count), ("max", &max)],
                        );
                        if spec.message.is_none() {
                            f.message = format!("{count} matches here, more than {max}: '{text}'.");
                        }
                        out.push(f);
                    }
                }
                Check::Metric { metric, max } => out.extend(self.metric(&unit, *metric, *max)),
                Check::Acronym { .. } => {}
            }
        }
        out
    }
}

/// A match of a rule's tokens: where, and which token (for swaps).
pub(super) struct Match {
    pub(super) range: Range<usize>,
    pub(super) token: usize,
}

impl PackRule {
    /// A finding with the message template filled in: `{match}` and the given variables.
    pub(super) fn finding(
        &self,
        span: Range<usize>,
        found: &str,
        vars: &[(&str, &str)],
    ) -> Finding {
        let fill = |t: &str| {
            let mut s = t.replace("{match}", found);
            for (k, v) in vars {
                s = s.replace(&format!("{{{k}}}"), v);
            }
            s
        };
        let message = self
            .spec
            .message
            .as_deref()
            .map(fill)
            .unwrap_or_else(|| format!("{}: '{found}'", self.meta.summary));
        let mut f = Finding::new(span, message);
        if let Some(help) = &self.spec.help {
            f = f.help(fill(help));
        }
        f
    }

    fn substitution(
        &self,
        doc: &Document,
        unit: &Unit<'_>,
        m: Match,
        swaps: &[Vec<String>],
    ) -> Finding {
        let found = &unit.text()[m.range.clone()];
        let span = unit.to_source(m.range.clone());
        let swaps = swaps.get(m.token).map_or(&[][..], Vec::as_slice);
        let replacement = swaps.first().map(|r| match_case(found, r));
        let quoted: Vec<String> = swaps
            .iter()
            .map(|r| format!("'{}'", match_case(found, r)))
            .collect();
        let alternatives = quoted.join(" or ");
        let mut f = self.finding(
            span.clone(),
            found,
            &[("replacement", replacement.as_deref().unwrap_or(""))],
        );
        if self.spec.message.is_none() {
            f.message = format!("Use {alternatives} instead of '{found}'.");
        }
        // A safe fix only when there is one replacement and the source says exactly what the
        // text says (no markup or escapes inside the match).
        if let (1, Some(replacement)) = (swaps.len(), replacement) {
            if doc.source.get(span.clone()) == Some(found) {
                f = f.with_fix(Fix::safe(vec![Edit {
                    range: span,
                    replacement,
                }]));
            }
        }
        f
    }

    fn metric(&self, unit: &Unit<'_>, metric: Metric, max: usize) -> Vec<Finding> {
        let text = unit.text();
        let measured: Vec<(Range<usize>, usize)> = match metric {
            Metric::WordsPerSentence => sentences(text)
                .into_iter()
                .map(|r| {
                    let n = word_count(&text[r.clone()]);
                    (r, n)
                })
                .collect(),
            Metric::Words => vec![(trimmed(text), word_count(text))],
            Metric::Sentences => vec![(trimmed(text), sentences(text).len())],
        };
        measured
            .into_iter()
            .filter(|(_, n)| *n > max)
            .map(|(r, n)| {
                let value = n.to_string();
                let max = max.to_string();
                let found = text[r.clone()].to_string();
                let mut f = self.finding(
                    unit.to_source(r),
                    &found,
                    &[("value", &value), ("max", &max)],
                );
                if self.spec.message.is_none() {
                    let what = match metric {
                        Metric::WordsPerSentence => "This sentence has",
                        Metric::Words | Metric::Sentences => "This text has",
                    };
                    let unit = if metric == Metric::Sentences {
                        "sentences"
                    } else {
                        "words"
                    };
                    f.message = format!("{what} {value} {unit}, more than {max}.");
                }
                f
            })
            .collect()
    }
}

/// `replacement` with the capitalisation of the first letter of `found`.
pub(super) fn match_case(found: &str, replacement: &str) -> String {
    let upper = found.chars().next().is_some_and(char::is_uppercase);
    let mut chars = replacement.chars();
    match chars.next() {
        Some(first) if upper => first.to_uppercase().chain(chars).collect(),
        _ => replacement.to_string(),
    }
}

pub(super) fn trimmed(text: &str) -> Range<usize> {
    let start = text.len() - text.trim_start().len();
    start..text.trim_end().len().max(start)
}

/// Sentence ranges: text up to `.`, `!` or `?` followed by whitespace or the end, trimmed.
pub(super) fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for r in crate::document::sentence_ranges(text, false) {
        push_sentence(text, r, &mut out);
    }
    out
}

fn push_sentence(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let t = trimmed(&text[r.clone()]);
    // Has a word (`word_count` > 0) exactly when it has a letter or digit.
    if text[r.start + t.start..r.start + t.end]
        .chars()
        .any(char::is_alphanumeric)
    {
        out.push(r.start + t.start..r.start + t.end);
    }
}
