//! Policy bundles (DESIGN §7): reproducible, hashed, signed archives of approved SOPs, and the
//! tools to verify, inspect and compare them.

mod archive;
pub(crate) mod build;
pub(crate) mod diff;
pub(crate) mod manifest;
pub(crate) mod sign;
pub(crate) mod verify;
