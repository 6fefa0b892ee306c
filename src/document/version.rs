//! A document's `version` read as semver, as the metadata rules and bundles compare it.

/// A document's `version` as semver, accepting the common leading `v` (`v1.2.0` is `1.2.0`).
pub(crate) fn parse_document_version(text: &str) -> Result<semver::Version, semver::Error> {
    let t = text.trim();
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
    semver::Version::parse(t)
}
