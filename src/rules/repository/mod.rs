//! X: repository-wide consistency.

use super::RuleEntry;

pub(crate) static RULES: &[RuleEntry] = &[];
