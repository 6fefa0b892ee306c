//! SUP: inline suppression comments. The engine (the `suppress` module) emits these findings.

use super::{entry, RuleEntry};

mod unused_suppression;

pub(crate) use unused_suppression::UnusedSuppression;

pub(crate) static RULES: &[RuleEntry] = &[entry!(unused_suppression::UnusedSuppression)];
