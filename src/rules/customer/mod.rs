//! C: customer-facing promises.

use super::RuleEntry;

pub(crate) static RULES: &[RuleEntry] = &[];
