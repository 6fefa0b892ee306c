//! SUP: inline suppression comments. The engine (`crate::suppress`) emits these findings.

use super::{entry, RuleEntry};

mod unused_suppression;

pub(crate) use unused_suppression::UnusedSuppression;

pub(crate) static RULES: &[RuleEntry] = &[entry!(unused_suppression::UnusedSuppression)];
