//! Language-specific analysis.
pub(crate) mod en;
