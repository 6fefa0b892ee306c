//! E: escalation chain.

use super::RuleEntry;

pub(crate) static RULES: &[RuleEntry] = &[];
