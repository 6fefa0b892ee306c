//! M: front matter and metadata.

use super::{entry, RuleEntry};

mod front_matter_invalid;

pub(crate) static RULES: &[RuleEntry] = &[entry!(front_matter_invalid::FrontMatterInvalid)];
