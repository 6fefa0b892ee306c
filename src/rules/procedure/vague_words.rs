use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::document::Document;
use crate::lang::en;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

use super::step_source;

declare_rule! {
    /// ## What it does
    /// Checks English steps for vague words that leave the reader to decide what to do:
    /// "as appropriate", "if necessary", "if needed", "as needed", "etc.", "and so on",
    /// "as soon as possible", "ASAP", "in a timely manner", "where possible",
    /// "periodically", "regularly", "approximately" and similar.
    ///
    /// Not reported where the context makes them clear: "etc." ending examples of a named
    /// kind ("resources (users, roles, etc.)", "including …, etc."), standing alone as the
    /// last item of a list, or ending a bullet item that names things without an
    /// instruction ("- Written approval from the owner, the manager, etc."); step headings; "as needed" and "as necessary" choosing among named things
    /// ("update the title and the summary as needed"); and anything in an aside in
    /// parentheses or in an explanation after the instruction.
    ///
    /// ## Why is this bad?
    /// A procedure exists so that everyone does the same thing. "Escalate if necessary"
    /// leaves the decision to each reader, "as soon as possible" sets no deadline anyone
    /// can be held to, and "etc." hides the items nobody wrote down. Auditors flag these.
    ///
    /// ## Example
    /// ```markdown
    /// 1. Escalate to the supervisor if necessary.
    /// 2. Call the customer back as soon as possible.
    /// 3. Attach the receipts, invoices, etc.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 1. If the refund is above 200 EUR, escalate to the supervisor.
    /// 2. Call the customer back within 2 hours.
    /// 3. Attach the receipts, the invoices and the delivery note.
    /// ```
    pub(crate) VagueWords {
        code: "P007",
        name: "vague-words",
        severity: Warning,
        summary: "Step uses a vague word or phrase",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

/// What a vague phrase leaves open, which decides the help line.
#[derive(Clone, Copy)]
enum Vague {
    Condition,
    Deadline,
    Frequency,
    List,
    Quantity,
}

const PHRASES: &[(&str, Vague)] = &[
    ("as appropriate", Vague::Condition),
    ("where appropriate", Vague::Condition),
    ("when appropriate", Vague::Condition),
    ("if appropriate", Vague::Condition),
    ("if necessary", Vague::Condition),
    ("as necessary", Vague::Condition),
    ("when necessary", Vague::Condition),
    ("where necessary", Vague::Condition),
    ("if needed", Vague::Condition),
    ("as needed", Vague::Condition),
    ("when needed", Vague::Condition),
    ("where needed", Vague::Condition),
    ("if possible", Vague::Condition),
    ("where possible", Vague::Condition),
    ("wherever possible", Vague::Condition),
    ("when possible", Vague::Condition),
    ("as applicable", Vague::Condition),
    ("if applicable", Vague::Condition),
    ("as soon as possible", Vague::Deadline),
    ("asap", Vague::Deadline),
    ("in a timely manner", Vague::Deadline),
    ("in due course", Vague::Deadline),
    ("promptly", Vague::Deadline),
    ("periodically", Vague::Frequency),
    ("regularly", Vague::Frequency),
    ("from time to time", Vague::Frequency),
    ("etc.", Vague::List),
    ("etc", Vague::List),
    ("et cetera", Vague::List),
    ("and so on", Vague::List),
    ("and so forth", Vague::List),
    ("approximately", Vague::Quantity),
    ("roughly", Vague::Quantity),
];

/// One automaton for every phrase, built once.
static MATCHER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(PHRASES.iter().map(|(p, _)| p))
        .expect("vague phrases build an automaton")
});

impl Rule for VagueWords {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        if !doc.is_english() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for step in doc.all_steps() {
            if step.heading {
                // A step heading is a title, not the instruction.
                continue;
            }
            let text = step.text.as_str();
            for m in MATCHER.find_iter(text) {
                if !at_word_boundaries(text, m.start(), m.end()) {
                    continue;
                }
                let (_, kind) = PHRASES[m.pattern().as_usize()];
                let written = &text[m.range()];
                if clear_in_context(text, m.start(), kind, written)
                    || (matches!(kind, Vague::List)
                        && !step.ordered
                        && !en::opens_with_imperative(text.trim()))
                {
                    continue;
                }
                out.push(
                    Finding::new(
                        step_source(step, m.range()),
                        format!("\"{written}\" is vague: the reader cannot tell what to do"),
                    )
                    .help(help(kind, written)),
                );
            }
        }
        out
    }
}

/// Whether the phrase at `at` leaves the reader in no doubt: it stands in an explanation (a
/// sentence after the first that does not instruct, or an aside in parentheses), "etc." ends
/// examples of a named kind ("resources (users, roles, etc.)", "including …, etc."), or "as
/// needed" / "as necessary" chooses among named things ("update the title and the summary as
/// needed"), not whether to act at all.
fn clear_in_context(text: &str, at: usize, kind: Vague, written: &str) -> bool {
    let before = &text[..at];
    // A list item that is only "etc." closes a list of examples.
    if before.matches('(').count() > before.matches(')').count()
        || text
            .trim()
            .trim_end_matches(['.', ',', ';'])
            .eq_ignore_ascii_case(written.trim_end_matches('.'))
    {
        return true;
    }
    // The sentence the phrase stands in.
    let start = before
        .char_indices()
        .filter(|&(i, c)| {
            matches!(c, '.' | '!' | '?') && text[i + 1..].starts_with(char::is_whitespace)
        })
        .map(|(i, _)| i + 1)
        .next_back()
        .unwrap_or(0);
    let sentence = &before[start..];
    if start > 0 && !en::opens_with_imperative(sentence.trim()) {
        return true;
    }
    let lower = sentence.to_lowercase();
    match kind {
        Vague::List => ["including", "such as", "e.g.", "for example", "like "]
            .iter()
            .any(|w| lower.contains(w)),
        // "Update `Title`, `Summary` as needed", "use the MySQL or Postgres client as
        // necessary": a choice among named things. "Offer a refund as appropriate" still
        // leaves the decision open.
        Vague::Condition => {
            matches!(
                written.to_lowercase().as_str(),
                "as needed" | "as necessary"
            ) && (lower.contains(',') || lower.contains(" or ") || lower.contains(" and "))
        }
        _ => false,
    }
}

/// A match counts only as whole words: "etc" not in "fetch", "asap" not in "wasapi".
fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    // Part of a path or a name: "/etc/chef", "etc/hosts", "$ETC".
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '/' | '$' | '\\');
    // "etc." ends in punctuation: what follows it does not matter.
    let ends_in_word = text[..end].chars().next_back().is_some_and(is_word);
    let joined_before = before.is_some_and(is_word);
    let joined_after = ends_in_word && after.is_some_and(is_word);
    !joined_before && !joined_after
}

fn help(kind: Vague, phrase: &str) -> String {
    match kind {
        Vague::Condition => format!(
            "replace \"{phrase}\" with the condition: \"If the refund is above 200 EUR, escalate to the supervisor.\""
        ),
        Vague::Deadline => format!("replace \"{phrase}\" with a time limit: \"within 15 minutes\", \"by 17:00 the same day\""),
        Vague::Frequency => format!("replace \"{phrase}\" with an interval: \"every Monday\", \"every 4 hours\""),
        Vague::List => format!("replace \"{phrase}\" with the complete list of items"),
        Vague::Quantity => format!("replace \"{phrase}\" with a value and a tolerance: \"5 ml ± 0.5 ml\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::procedure::test_support::{run, sop, underlined};

    #[test]
    fn whole_words_only() {
        let body =
            "1. Fetch the etcd backup, etc.\n2. Run wasapi checks ASAP.\n3. Call, if needed.\n4. Remove /etc/chef/client.pem and etc/hosts.\n";
        let (doc, f) = run(&VagueWords::default(), &sop("en", body));
        assert_eq!(underlined(&doc, &f), ["etc.", "ASAP", "if needed"]);
        assert!(f[1].help.as_deref().unwrap().contains("\"ASAP\""));
    }

    #[test]
    fn examples_extents_and_explanations_are_clear() {
        assert!(run(
            &VagueWords::default(),
            &sop("en", "- Delete the users.\n- Delete the roles.\n- etc.\n")
        )
        .1
        .is_empty());
        let body = "1. Remove the new resources (users, roles, instances, etc.) that the actor created.\n2. Record the lessons learned, including the attack vector, the misconfiguration, etc.\n3. Update the title and the summary as needed.\n4. Use the MySQL or Postgres client as necessary.\n5. Send the update. The template is only a start: the reader wants the impact, the fix, etc.\n6. If needed, check the job logs.\n";
        let (doc, f) = run(&VagueWords::default(), &sop("en", body));
        assert_eq!(underlined(&doc, &f), ["If needed"]);
    }

    #[test]
    fn english_only_and_unicode_safe() {
        let body = "1. Tarkista näyte etc. ☃ if necessary.\n";
        assert!(run(&VagueWords::default(), &sop("fi", body)).1.is_empty());
        let (doc, f) = run(
            &VagueWords::default(),
            &sop("en", "1. Ålesund etc☃ if neededé.\n"),
        );
        assert_eq!(underlined(&doc, &f), ["etc"]);
    }
}
