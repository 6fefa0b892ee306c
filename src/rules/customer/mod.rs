//! C: customer-facing promises.

use super::{entry, RuleEntry};

mod over_promising;

pub(crate) static RULES: &[RuleEntry] = &[entry!(over_promising::OverPromising)];
