use std::sync::LazyLock;

use regex::Regex;

use crate::document::{
    is_priority_label, names_escalation, Document, SectionKind, ESCALATION_STEMS,
};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};
use crate::rules::literal::AsciiWords;

declare_rule! {
    /// ## What it does
    /// Checks that the document has an escalation chain: a table or a numbered list of levels
    /// under an Escalation heading (or an alias such as *Escalation path*, *Eskalasi*,
    /// *Eskalacija*, *Eskalointi*). It says so in particular when the text talks about
    /// escalating ("escalate", "eskalasi", "eskalacija", "eskaloi…") but never says to whom.
    ///
    /// Escalation in a technical sense ("privilege escalation", "escalate privileges",
    /// "escalated permissions") is not a mention. When the configuration does not require an
    /// escalation section (`sections.required`), a document without one is fine; an
    /// escalation section without a chain is still reported.
    ///
    /// Only a heading that names escalation (*Escalation path*, *Eskalasi*) promises a chain. A
    /// *Contacts*, *Getting help* or *On-call* section counts as the section (no finding) but is
    /// not read as a chain unless it really orders levels (level numbers or times), and is never
    /// reported for lacking one: contact routes in prose are fine. An escalation section that
    /// gives its path as arrows in prose (`Detection → IR Lead → P1/P2: CIRT engaged`) or as a
    /// table of triggers and the priority each raises to is not reported either.
    ///
    /// The finding points at the escalation heading when there is one, else at the title.
    ///
    /// ## Why is this bad?
    /// When a step goes wrong, staff need to know who takes over, when, and how to reach them.
    /// "Escalate if needed" without a chain leaves them guessing at the worst moment.
    ///
    /// ## Example
    /// ```markdown
    /// ## Procedure
    /// 1. Escalate the ticket if the customer is still unhappy.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## Escalation
    /// | Level | Role | When | Within | Contact |
    /// |---|---|---|---|---|
    /// | 1 | Service agent | The customer is unhappy after step 3 | 15 min | #cs-floor |
    /// | 2 | Shift supervisor | A refund above 200 EUR is asked for | 1 h | sup@example.com |
    /// ```
    pub(crate) EscalationMissing {
        code: "E001",
        name: "escalation-missing",
        severity: Error,
        summary: "The document has no escalation chain",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

/// Words that talk about escalating, in the seed languages. "De-escalate" (calming a customer
/// down) is not escalation, so a hyphen before the word rules it out.
static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:^|[^\w-])(escalat\w*|\w*eskalasi\w*|eskalacij\w*|eskalir\w*|eskaloi\w*",
        r"|eskalaatio\w*|eskalointi\w*)"
    ))
    .expect("mention regex")
});

/// What every match of [`MENTION`] contains: "escalat" or "eskal" in any case, with the
/// Unicode case folds the regex also makes ("ſ" for "s", the Kelvin sign for "k"). A block
/// without any (nearly all prose) is passed over without running [`MENTION`] over it.
static MENTION_LITERAL: LazyLock<AsciiWords> = LazyLock::new(|| AsciiWords::new(ESCALATION_STEMS));

/// Words near "escalation" that make it a technical term, not handing a problem over:
/// "privilege escalation", "escalate privileges", "escalated permissions", "escalated access".
const TECHNICAL: &[&str] = &[
    "privilege",
    "privileges",
    "privileged",
    "permission",
    "permissions",
    "access",
    "rights",
    "root",
    "sudo",
    "admin",
    "administrator",
    "role",
    "roles",
    "ovlasti",
    "hak",
    "akses",
    "oikeudet",
    "oikeuksien",
];

/// Whether the mention at `range` is escalation in a technical sense ("privilege escalation").
fn technical(text: &str, range: std::ops::Range<usize>) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    // Within the clause: "After privilege escalation, escalate to …" is a mention.
    let stops = [',', '.', ';', ':', '|', '(', ')'];
    let head = &text[..range.start];
    let head = head.rfind(stops).map_or(head, |i| &head[i + 1..]);
    let tail = &text[range.end..];
    let tail = tail.find(stops).map_or(tail, |i| &tail[..i]);
    let before = words(head);
    let after = words(tail);
    before
        .iter()
        .rev()
        .take(3)
        .chain(after.iter().take(3))
        .any(|w| TECHNICAL.contains(&w.as_str()))
}

/// Whether an escalation section without a chain of levels still says how a case moves up: a
/// path written in prose with arrows ("Detection → IR Lead notified → P1/P2: CIRT engaged"), or
/// a table that maps triggers to priorities ("Root account access | P1"), which raises the
/// priority rather than handing over to a person.
fn gives_path_otherwise(body: &str) -> bool {
    let arrows = body.matches('→').count() + body.matches("->").count();
    if arrows >= 2 {
        return true;
    }
    body.lines()
        .map(str::trim)
        .filter(|l| l.starts_with('|'))
        .any(|l| {
            l.split('|')
                .any(|cell| is_priority_label(cell) && cell.trim().len() <= 16)
        })
}

/// The first word of the prose that talks about escalating.
fn mention(doc: &Document) -> Option<String> {
    mention_of(doc.blocks.iter().map(|b| b.text.as_str())).map(str::to_string)
}

/// The first word of `texts` that talks about escalating: [`first_mention`] of the first text
/// that has one, with one literal search for all of them.
fn mention_of<'t>(texts: impl Iterator<Item = &'t str> + Clone) -> Option<&'t str> {
    texts
        .clone()
        .zip(MENTION_LITERAL.matching(texts))
        .filter(|(_, literal)| *literal)
        .find_map(|(text, _)| first_mention(text))
}

/// The first word of `text` that talks about escalating.
#[cfg(test)]
fn mention_in(text: &str) -> Option<&str> {
    mention_of([text].into_iter())
}

/// The first word of `text` that talks about escalating, without the literal test.
fn first_mention(text: &str) -> Option<&str> {
    MENTION
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .find(|m| !technical(text, m.range()))
        .map(|m| m.as_str())
}

impl Rule for EscalationMissing {
    fn check(&self, doc: &Document, ctx: &Context<'_>) -> Vec<Finding> {
        if doc.escalation.is_some() {
            return Vec::new();
        }
        let help = "add an Escalation section with a table (Level | Role | When | Within | Contact) \
                    or a numbered list: who takes over, when, within how long, and how to reach them";
        // A Contacts, Getting help or On-call section (same kind, other aliases) that gives
        // routes in prose or a plain list is not a missing chain; a heading that promises an
        // escalation path and does not give one is.
        if let Some(section) = doc
            .sections_of(SectionKind::Escalation)
            .find(|s| names_escalation(&s.heading))
        {
            let span = doc.first_line(section.span.range());
            let message = format!(
                "the \"{}\" section has no escalation chain (a table or a numbered list of levels)",
                section.heading
            );
            let body = doc.source.get(section.body.range()).unwrap_or("");
            if gives_path_otherwise(body) {
                return Vec::new();
            }
            let has_table = body.lines().any(|l| l.trim_start().starts_with('|'));
            let help = if has_table {
                "the table needs a Role column (Role, Peranan, Peran, Uloga, Rooli, Kuka) for sopkit to read it as the chain"
            } else {
                help
            };
            return vec![Finding::new(span, message).help(help)];
        }
        let span = match &doc.title {
            Some(title) => title.span.range(),
            None => 0..doc.source.find('\n').unwrap_or(doc.source.len()),
        };
        if doc.sections_of(SectionKind::Escalation).next().is_some() {
            return Vec::new();
        }
        let required = ctx
            .settings
            .required_sections
            .contains(&SectionKind::Escalation);
        // A configuration that does not require an escalation section accepts a document
        // without one.
        if !required {
            return Vec::new();
        }
        let message = match mention(doc) {
            Some(word) => {
                format!("the document mentions escalation (\"{word}\") but has no escalation chain")
            }
            // S001 already reports a required section that is missing: say it once.
            None => return Vec::new(),
        };
        vec![Finding::new(span, message).help(help)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Option<String> {
        MENTION
            .captures(text)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string())
    }

    #[test]
    fn finds_mentions_in_the_seed_languages() {
        assert_eq!(word("Escalate the ticket."), Some("Escalate".into()));
        assert_eq!(
            word("Buat eskalasi kepada penyelia."),
            Some("eskalasi".into())
        );
        assert_eq!(
            word("Tiket mengeskalasikan."),
            Some("mengeskalasikan".into())
        );
        assert_eq!(word("Pokrenite eskalaciju."), Some("eskalaciju".into()));
        assert_eq!(
            word("Eskaloi tapaus vuoropäällikölle."),
            Some("Eskaloi".into())
        );
        assert_eq!(word("De-escalate the caller calmly."), None);
        assert_eq!(word("No mention here."), None);
    }

    proptest::proptest! {
        /// The literal test only passes over text the regex finds nothing in, whatever the
        /// case, the Unicode case folding ("ſ", the Kelvin sign) or the words around it.
        #[test]
        fn literal_test_keeps_every_mention(
            text in "(escalat|eskal|ESKAL|Eſcalat|es\u{212a}al|eska|escala|ion|asi|ointi|de-| |-|x|é|, |privilege|root)*",
        ) {
            proptest::prop_assert_eq!(mention_in(&text), first_mention(&text));
        }

        #[test]
        fn literal_test_over_many_blocks(
            texts in proptest::collection::vec("(escalat|eskal|ESCALATE|esc|alat|es|kal|privilege|root|, | |x)*", 0..6),
        ) {
            proptest::prop_assert_eq!(
                mention_of(texts.iter().map(String::as_str)),
                texts.iter().find_map(|t| first_mention(t))
            );
        }

        #[test]
        fn literal_test_on_any_text(text in "[escalatkoSKEſ\u{212a}i -]{0,14}") {
            proptest::prop_assert_eq!(mention_in(&text), first_mention(&text));
            if MENTION.is_match(&text) {
                proptest::prop_assert!(MENTION_LITERAL.is_match(&text));
            }
        }
    }

    #[test]
    fn unicode_case_folds_are_mentions() {
        assert_eq!(mention_in("Eſcalate now."), Some("Eſcalate"));
        assert_eq!(
            mention_in("Pokrenite es\u{212a}alaciju."),
            Some("es\u{212a}alaciju")
        );
        assert_eq!(mention_in("Nothing to see."), None);
    }

    #[test]
    fn technical_senses_are_not_mentions() {
        let first = |text: &str| {
            MENTION
                .captures_iter(text)
                .filter_map(|c| c.get(1))
                .find(|m| !technical(text, m.range()))
                .map(|m| m.as_str().to_string())
        };
        assert_eq!(first("| T1068 | Privilege escalation | Exploit |"), None);
        assert_eq!(first("Attackers escalate privileges with sudo."), None);
        assert_eq!(first("Request escalated permissions in Entitle."), None);
        assert_eq!(first("Escalation of privilege via a role."), None);
        assert_eq!(
            first("After privilege escalation, escalate to the duty manager."),
            Some("escalate".into())
        );
    }
}
