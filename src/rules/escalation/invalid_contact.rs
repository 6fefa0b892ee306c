use std::sync::LazyLock;

use regex::Regex;

use crate::document::{
    column, has_phone, ChainForm, Column, ContactKind, Document, EscalationChain,
};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that every escalation level has a contact someone can actually use: an e-mail
    /// address, a phone number (an internal extension counts: "ext. 4410", "sambungan 4410",
    /// "samb. 2301", "ekstensi 2101", "lokal 214", "kućni 4410", "interni 4410",
    /// "sisäinen 4410", "alanumero 4100"), a chat channel (`#name` or `@name`) or a URL. A cell
    /// may hold more than one ("#ops or +1 555 0100") and a label ("Phone: +1 555 0100").
    /// Placeholders ("TODO", "TBD", "{{PHONE}}", "[timeframe]", "<email>") are reported, and so
    /// is a level without any contact when the table has a Contact column (or, in a list, when
    /// other levels have one).
    ///
    /// ## Why is this bad?
    /// The point of an escalation chain is to reach the next person fast. A placeholder or a
    /// vague "ask the supervisor" costs minutes exactly when they matter.
    ///
    /// ## Example
    /// ```markdown
    /// | Level | Role | When | Within | Contact |
    /// |---|---|---|---|---|
    /// | 1 | Service agent | Customer unhappy | 15 min | TODO |
    /// | 2 | Shift supervisor | Refund above 200 EUR | 1 h | ask at the front desk |
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// | Level | Role | When | Within | Contact |
    /// |---|---|---|---|---|
    /// | 1 | Service agent | Customer unhappy | 15 min | #cs-floor |
    /// | 2 | Shift supervisor | Refund above 200 EUR | 1 h | supervisor@example.com |
    /// ```
    pub(crate) InvalidContact {
        code: "E008",
        name: "invalid-contact",
        severity: Error,
        summary: "An escalation contact is missing, a placeholder, or not reachable",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

const HELP: &str =
    "write a contact someone can use at once: an e-mail address, a phone number, a chat channel (#name or @name) or a URL";

#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Reachable,
    Placeholder,
    Unreachable,
}

/// A bracketed blank left for the writer: "[name]", "<email>".
static BLANK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[[^\]]{1,40}\]|<[^>]{1,40}>").expect("blank regex"));

fn judge(text: &str) -> Verdict {
    match ContactKind::of(text) {
        ContactKind::Placeholder => return Verdict::Placeholder,
        ContactKind::Email | ContactKind::Phone | ContactKind::Channel | ContactKind::Url => {
            return Verdict::Reachable
        }
        ContactKind::Other => {}
    }
    if BLANK.is_match(text) {
        return Verdict::Placeholder;
    }
    let token_reachable = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';'))
        .map(|t| t.trim_matches(|c: char| matches!(c, '(' | ')' | '.' | ':' | '*' | '`')))
        .filter(|t| !t.is_empty())
        .any(|t| {
            matches!(
                ContactKind::of(t),
                ContactKind::Email | ContactKind::Channel | ContactKind::Url
            )
        });
    if token_reachable || has_phone(text) {
        Verdict::Reachable
    } else {
        Verdict::Unreachable
    }
}

/// Whether the chain is a table whose header names a contact column.
fn has_contact_column(doc: &Document, chain: &EscalationChain) -> bool {
    if chain.form != ChainForm::Table {
        return false;
    }
    let header = doc
        .source
        .get(chain.span.range())
        .and_then(|t| t.lines().next())
        .unwrap_or("");
    header
        .split('|')
        .any(|cell| column(cell) == Some(Column::Contact))
}

impl Rule for InvalidContact {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let Some(chain) = &doc.escalation else {
            return Vec::new();
        };
        let expect_contact = has_contact_column(doc, chain)
            || (chain.form == ChainForm::List && chain.levels.iter().any(|l| l.contact.is_some()));
        let mut out = Vec::new();
        for (i, level) in chain.levels.iter().enumerate() {
            let label = super::level_label(level, i);
            let Some(contact) = &level.contact else {
                if expect_contact {
                    out.push(
                        Finding::new(
                            doc.first_line(level.span.range()),
                            format!("{label} has no contact: nobody knows how to reach this role"),
                        )
                        .help(HELP),
                    );
                }
                continue;
            };
            let message = match judge(&contact.value) {
                Verdict::Reachable => continue,
                Verdict::Placeholder => format!(
                    "the contact of {label} is a placeholder: \"{}\"",
                    contact.value
                ),
                Verdict::Unreachable => format!(
                    "the contact \"{}\" of {label} is not an e-mail address, phone number, chat channel or URL",
                    contact.value
                ),
            };
            out.push(Finding::new(contact.span.range(), message).help(HELP));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_contacts() {
        for ok in [
            "ops@example.com",
            "+385 1 555 0100",
            "#cs-floor",
            "@oncall-db",
            "https://pager.example.com/it",
            "Phone: +1 555 0100",
            "#ops or +1 555 0100",
            "duty phone ext. 4410",
            "sisäinen 4410",
            "sambungan 4410",
            "samb. 2301",
            "ekstensi 2101",
            "lokal 4410",
            "kućni 4410",
            "interni 4410",
            "alanumero 4100",
            "päivystäjä, sisäinen 4410",
            "Slack #lab-bench, lab@example.org",
        ] {
            assert_eq!(judge(ok), Verdict::Reachable, "{ok}");
        }
        for placeholder in [
            "TODO",
            "TBD",
            "{{PHONE}}",
            "[timeframe]",
            "call [name]",
            "<email>",
            "tbd later",
        ] {
            assert_eq!(judge(placeholder), Verdict::Placeholder, "{placeholder}");
        }
        for bad in ["ask Bob", "the supervisor", "Ruang 12", "päivystäjä"] {
            assert_eq!(judge(bad), Verdict::Unreachable, "{bad}");
        }
    }
}
