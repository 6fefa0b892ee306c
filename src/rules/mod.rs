//! The registry of built-in rules: one line per rule, in each family's `mod.rs`.

use crate::rule::{Rule, RuleMeta};

pub(crate) mod customer;
pub(crate) mod escalation;
mod literal;
pub(crate) mod metadata;
pub(crate) mod procedure;
pub(crate) mod repository;
pub(crate) mod structure;
pub(crate) mod suppression;

/// The preview group, as ruff has one: rules that are off by default because, on real
/// procedure repositories, too many of their findings were not problems a careful editor would
/// fix (the precision audit of `tests/real/audit.tsv`: under 80 %). Turn them on with
/// `rules: { preview: true }` or `--preview`, or select one by its exact code or name.
/// (code, why it is in preview).
pub const PREVIEW: &[(&str, &str)] = &[
    (
        "EN003",
        "real findings in the audits of tests/real: 1 of 9, then 1 of 8 after narrowing",
    ),
    (
        "EN004",
        "real findings in the audits of tests/real: 4 of 22, then 0 of 12 after narrowing",
    ),
    (
        "P001",
        "real findings in the audits of tests/real: 3 of 14, then 3 of 9 after narrowing",
    ),
    (
        "P002",
        "real findings in the audits of tests/real: 10 of 30, then 14 of 35 after narrowing",
    ),
    (
        "P003",
        "real findings in the audits of tests/real: 3 of 23, then 8 of 19 after narrowing",
    ),
    (
        "P007",
        "real findings in the audits of tests/real: 2 of 8, then 2 of 8 after narrowing",
    ),
    (
        "S004",
        "real findings in the audits of tests/real: 9 of 22, then 6 of 9 after narrowing",
    ),
];

impl RuleMeta {
    /// Whether the rule is in the preview group: off unless `preview` is on or the rule is
    /// selected by its exact code or name (see [`PREVIEW`]). Defined here, beside the group,
    /// so that `rule` does not depend on the registry.
    pub fn is_preview(&self) -> bool {
        PREVIEW.iter().any(|(code, _)| *code == self.code)
    }
}

/// Builds a rule from its configured options (`None`: defaults); the error says what is wrong.
pub type BuildRule = fn(Option<&serde_yaml::Value>) -> Result<Box<dyn Rule>, String>;

/// A built-in rule: its metadata and how to build it from configured options.
pub struct RuleEntry {
    pub meta: &'static RuleMeta,
    pub build: BuildRule,
}

/// `entry!(Type)` → the registry line of a rule declared with `declare_rule!`.
macro_rules! entry {
    ($ty:ty) => {
        $crate::rules::RuleEntry {
            meta: &<$ty>::META,
            build: <$ty>::build,
        }
    };
}
pub(crate) use entry;

/// Every built-in rule, family by family.
pub fn builtin() -> impl Iterator<Item = &'static RuleEntry> {
    [
        metadata::RULES,
        structure::RULES,
        procedure::RULES,
        escalation::RULES,
        customer::RULES,
        repository::RULES,
        suppression::RULES,
    ]
    .into_iter()
    .flatten()
}
