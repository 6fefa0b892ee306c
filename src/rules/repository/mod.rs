//! X: repository-wide consistency.

use super::{entry, RuleEntry};

mod broken_link;
mod duplicate_id;
mod placeholder_link;
mod role_spelling;

pub(crate) static RULES: &[RuleEntry] = &[
    entry!(duplicate_id::DuplicateId),
    entry!(broken_link::BrokenLink),
    entry!(role_spelling::RoleSpelling),
    entry!(placeholder_link::PlaceholderLink),
];
