//! The registry of built-in rules: one line per rule, in each family's `mod.rs`.

use crate::rule::{Rule, RuleMeta};

pub(crate) mod customer;
pub(crate) mod escalation;
pub(crate) mod metadata;
pub(crate) mod procedure;
pub(crate) mod repository;
pub(crate) mod structure;
pub(crate) mod suppression;

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
