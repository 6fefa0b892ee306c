//! YAML rule packs (DESIGN §4): shipped packs embedded in the binary, plus user packs.

use crate::rule::Rule;

/// The rules of the packs shipped in the binary.
pub fn shipped_rules() -> Vec<Box<dyn Rule>> {
    Vec::new()
}
