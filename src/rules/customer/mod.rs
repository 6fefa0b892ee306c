//! C: customer-facing promises.

use super::{entry, RuleEntry};

mod over_promising;
mod promise_words;

pub(crate) static RULES: &[RuleEntry] = &[entry!(over_promising::OverPromising)];
