//! Policy bundles (DESIGN §7): reproducible, hashed, signed archives of approved SOPs, and the
//! tools to verify, inspect and compare them.

mod archive;
pub(crate) mod build;
pub(crate) mod diff;
pub(crate) mod error;
pub(crate) mod manifest;
pub(crate) mod sign;
pub(crate) mod verify;

/// A document's `version` as semver, accepting the common leading `v` (`v1.2.0` is `1.2.0`).
pub(crate) fn parse_document_version(text: &str) -> Result<semver::Version, semver::Error> {
    let t = text.trim();
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
    semver::Version::parse(t)
}

/// The bundle's own rule, X004, registered with the others: `sopkit rules` lists it and
/// `sopkit explain` explains it; `bundle build --previous` checks it.
pub(crate) use crate::rules::repository::VersionNotBumped;
