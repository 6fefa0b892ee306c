//! S: document structure.

use super::RuleEntry;

pub(crate) static RULES: &[RuleEntry] = &[];
