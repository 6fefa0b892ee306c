use crate::document::Document;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Checks that every role of the escalation chain is listed under Roles (or *Peranan*,
    /// *Peran*, *Uloge*, *Roolit*…). Names are compared ignoring case, hyphens, a plural "s"
    /// and a remark in parentheses. Documents without a Roles section (or with an empty one)
    /// are not checked.
    ///
    /// ## Why is this bad?
    /// The Roles section says what each role may decide. A chain that hands the case to a
    /// role nobody defined leaves its authority unclear, and often hides a renamed role.
    ///
    /// ## Example
    /// ```markdown
    /// ## Roles
    /// - **Service agent**: first contact.
    /// - **Shift supervisor**: approves refunds up to 200 EUR.
    ///
    /// ## Escalation
    /// 1. **Service agent**, when the customer is unhappy, within 15 min: #cs-floor
    /// 2. **Team lead**, if a refund is asked for, within 1 h: lead@example.com
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## Escalation
    /// 1. **Service agent**, when the customer is unhappy, within 15 min: #cs-floor
    /// 2. **Shift supervisor**, if a refund is asked for, within 1 h: sup@example.com
    /// ```
    pub(crate) UnknownRole {
        code: "E006",
        name: "unknown-role",
        severity: Warning,
        summary: "An escalation role is not listed under Roles",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

/// How many known roles a help line lists before it stops.
const LISTED: usize = 6;

impl Rule for UnknownRole {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let Some(chain) = &doc.escalation else {
            return Vec::new();
        };
        let known: Vec<(String, &str)> = doc
            .roles
            .iter()
            .map(|r| (super::role_key(&r.name), r.name.as_str()))
            .filter(|(k, _)| !k.is_empty())
            .collect();
        if known.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for level in &chain.levels {
            let Some(role) = &level.role else {
                continue;
            };
            let key = super::role_key(&role.value);
            if key.is_empty() || known.iter().any(|(k, _)| *k == key) {
                continue;
            }
            let help = match did_you_mean(&role.value, known.iter().map(|(_, name)| *name)) {
                Some(close) => format!(
                    "did you mean \"{close}\"? Otherwise add \"{}\" under Roles",
                    role.value
                ),
                None => {
                    let mut names: Vec<String> = known
                        .iter()
                        .take(LISTED)
                        .map(|(_, n)| format!("\"{n}\""))
                        .collect();
                    if known.len() > LISTED {
                        names.push(format!("and {} more", known.len() - LISTED));
                    }
                    format!(
                        "add \"{}\" under Roles with what it may decide, or use a listed role: {}",
                        role.value,
                        names.join(", ")
                    )
                }
            };
            out.push(
                Finding::new(
                    role.span.range(),
                    format!(
                        "the escalation role \"{}\" is not listed under Roles",
                        role.value
                    ),
                )
                .help(help),
            );
        }
        out
    }
}
