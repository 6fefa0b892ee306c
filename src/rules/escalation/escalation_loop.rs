use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::document::Document;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that no role appears twice in the escalation chain. Names are compared
    /// ignoring case, hyphens and a remark in parentheses. A level that says it repeats an
    /// earlier one *with a limit* ("repeat at most 2 times", "ulang 2 kali") is allowed; one
    /// that repeats without a limit is reported.
    ///
    /// ## Why is this bad?
    /// Escalating back to a role that already had the case is a loop: the case bounces between
    /// the same people and never reaches someone who can decide.
    ///
    /// ## Example
    /// ```markdown
    /// 1. **Service desk agent**, when a user reports an outage, within 15 min: #it-desk
    /// 2. **On-call engineer**, if the fix fails, within 1 h: +1 555 0142
    /// 3. **Service desk agent**, if the user calls again, within 2 h: #it-desk
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 1. **Service desk agent**, when a user reports an outage, within 15 min: #it-desk
    /// 2. **On-call engineer**, if the fix fails, within 1 h: +1 555 0142
    /// 3. **IT operations manager**, if the outage lasts beyond 2 h, within 2 h: ops-mgr@example.com
    /// ```
    pub(crate) EscalationLoop {
        code: "E005",
        name: "escalation-loop",
        severity: Error,
        summary: "A role appears twice in the escalation chain",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

/// A level that says it repeats an earlier one.
static REPEAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:repeats?|repeated|repeating|retry|retries|again|ulang\w*|ponov\w*|uudelleen|toista\w*)\b")
        .expect("repeat regex")
});

/// A limit on the repeats: "twice", "2 times", "up to 3", "2 kali", "2 puta", "2 kertaa".
static BOUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:once|twice|\d+\s*(?:x|times?|kali|puta|put|kertaa|kerran)\b",
        r"|(?:up to|at most|max(?:imum)?|no more than|paling banyak|maksimum|najviše|enintään)\s+\d+)"
    ))
    .expect("bound regex")
});

impl Rule for EscalationLoop {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let Some(chain) = &doc.escalation else {
            return Vec::new();
        };
        let mut first: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::new();
        for (i, level) in chain.levels.iter().enumerate() {
            let Some(role) = &level.role else {
                continue;
            };
            let key = super::role_key(&role.value);
            if key.is_empty() {
                continue;
            }
            let Some(&j) = first.get(&key) else {
                first.insert(key, i);
                continue;
            };
            let row = doc.source.get(level.span.range()).unwrap_or("");
            let repeats = REPEAT.is_match(row);
            if repeats && BOUND.is_match(row) {
                continue;
            }
            let earlier = super::level_label(&chain.levels[j], j);
            let this = super::level_label(level, i);
            let (message, help) = if repeats {
                (
                    format!("{this} repeats \"{}\" of {earlier} without a limit", role.value),
                    "say how many times the level repeats (\"repeat at most 2 times\"), then hand over to a higher role",
                )
            } else {
                (
                    format!(
                        "\"{}\" already handles {earlier}: escalating back to it makes a loop",
                        role.value
                    ),
                    "escalate to a role with more authority; if the level really repeats, say so with a limit (\"repeat at most 2 times\")",
                )
            };
            out.push(Finding::new(role.span.range(), message).help(help));
        }
        out
    }
}
