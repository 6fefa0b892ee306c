//! M: front matter and metadata.

use super::{entry, RuleEntry};

mod date_not_iso;
mod effective_after_review;
mod front_matter_invalid;
mod invalid_status;
mod missing_field;
mod review_overdue;
mod revision_missing_version;
mod support;

mod version_not_semver;

pub(crate) static RULES: &[RuleEntry] = &[
    entry!(front_matter_invalid::FrontMatterInvalid),
    entry!(missing_field::MissingField),
    entry!(version_not_semver::VersionNotSemver),
    entry!(date_not_iso::DateNotIso),
    entry!(invalid_status::InvalidStatus),
    entry!(review_overdue::ReviewOverdue),
    entry!(effective_after_review::EffectiveAfterReview),
    entry!(revision_missing_version::RevisionMissingVersion),
];
