//! `manifest.json`: what a bundle holds, with the size and sha256 of every file.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Version tag of the manifest format.
pub(crate) const MANIFEST_SCHEMA: &str = "sopkit.bundle/v1";
pub(crate) const MANIFEST_PATH: &str = "manifest.json";
pub(crate) const SIGNATURE_PATH: &str = "manifest.json.minisig";

/// The manifest of a bundle. Unknown fields are rejected so that a verifier never ignores
/// something a producer meant to say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
    pub schema: String,
    pub name: String,
    pub version: String,
    /// RFC 3339 UTC time, also the mtime of every entry.
    pub created: String,
    pub generator: Generator,
    /// Codes of the rules the documents were linted with.
    pub rules: Vec<String>,
    pub lint: LintSummary,
    pub documents: Vec<DocumentEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Generator {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LintSummary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DocumentEntry {
    pub id: String,
    pub title: String,
    pub version: String,
    pub status: String,
    pub lang: String,
    pub effective: Option<String>,
    pub review_by: Option<String>,
    pub owner: Option<String>,
    /// The source path, relative to the directory it was found in.
    pub path: String,
    pub md: FileEntry,
    pub json: FileEntry,
}

/// A file inside the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileEntry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

impl FileEntry {
    pub(crate) fn of(path: String, bytes: &[u8]) -> Self {
        Self {
            path,
            size: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }
}

impl Manifest {
    /// The exact bytes stored (and signed): pretty JSON with a final newline.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Whether `s` can name a file inside a bundle: ids and bundle names become file names, so
/// only a portable, separator-free alphabet is allowed.
pub(crate) fn is_safe_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && !s.starts_with('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// `docs/<id>.md` and `docs/<id>.json`.
pub(crate) fn doc_paths(id: &str) -> (String, String) {
    (format!("docs/{id}.md"), format!("docs/{id}.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_empty_input() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn safe_names() {
        assert!(is_safe_name("CS-001"));
        assert!(is_safe_name("policy_v1.2"));
        assert!(!is_safe_name("../evil"));
        assert!(!is_safe_name("a/b"));
        assert!(!is_safe_name(".hidden"));
        assert!(!is_safe_name(""));
        assert!(!is_safe_name("žaba"));
        assert!(!is_safe_name("a b"));
    }
}
