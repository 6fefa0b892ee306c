//! S: document structure.

use super::{entry, RuleEntry};

mod empty_section;
mod missing_section;
mod section_order;
mod support;
mod title_mismatch;

pub(crate) static RULES: &[RuleEntry] = &[
    entry!(missing_section::MissingSection),
    entry!(section_order::SectionOrder),
    entry!(empty_section::EmptySection),
    entry!(title_mismatch::TitleMismatch),
];
