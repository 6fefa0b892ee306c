//! P: procedure steps.

use super::RuleEntry;

pub(crate) static RULES: &[RuleEntry] = &[];
