//! X: repository-wide consistency.

use super::{entry, RuleEntry};

mod broken_link;
mod duplicate_id;
mod placeholder_link;
mod role_spelling;
pub(crate) mod variant_drift;
mod version_not_bumped;

pub(crate) use version_not_bumped::VersionNotBumped;

pub(crate) static RULES: &[RuleEntry] = &[
    entry!(duplicate_id::DuplicateId),
    entry!(broken_link::BrokenLink),
    entry!(role_spelling::RoleSpelling),
    entry!(placeholder_link::PlaceholderLink),
    entry!(variant_drift::VariantDrift),
    // Checked by `bundle build --previous`, not by `lint`.
    entry!(version_not_bumped::VersionNotBumped),
];
