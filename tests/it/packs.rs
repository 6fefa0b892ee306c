//! Integration tests: packs.
