//! Policy bundles (DESIGN §7): reproducible, hashed, signed archives of approved SOPs, and the
//! tools to verify, inspect and compare them.

pub(crate) mod approval;
mod archive;
pub(crate) mod build;
pub(crate) mod diff;
pub(crate) mod error;
pub(crate) mod manifest;
pub(crate) mod sign;
pub(crate) mod verify;

pub(crate) use crate::document::parse_document_version;

/// The bundle's own rule, X004, registered with the others: `sopkit rules` lists it and
/// `sopkit explain` explains it; `bundle build --previous` checks it.
pub(crate) use crate::rules::repository::VersionNotBumped;
