//! Policy bundles (DESIGN §7): reproducible, hashed, signed archives of approved SOPs, and the
//! tools to verify, inspect and compare them.

mod archive;
pub(crate) mod build;
pub(crate) mod diff;
pub(crate) mod manifest;
pub(crate) mod sign;
pub(crate) mod verify;

use std::borrow::Cow;

use crate::rule::{RuleMeta, Severity};

/// A document's `version` as semver, accepting the common leading `v` (`v1.2.0` is `1.2.0`).
pub(crate) fn parse_document_version(text: &str) -> Result<semver::Version, semver::Error> {
    let t = text.trim();
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
    semver::Version::parse(t)
}

/// The bundle's own rule: listed by `sopkit rules`, explained by `sopkit explain`, and checked
/// by `sopkit bundle build --previous` (it needs the previous release to compare with).
pub static VERSION_NOT_BUMPED: RuleMeta = RuleMeta {
    code: "X004",
    name: "version-not-bumped",
    severity: Severity::Error,
    summary: Cow::Borrowed(
        "A document changed since the previous bundle but its version did not rise",
    ),
    docs: Cow::Borrowed(
        "## What it does
Compares every document with the same `id` in the previous bundle (`bundle build --previous`).
A document whose content below the front matter changed must have a higher `version`; no
document's `version` may go down. Changes to the front matter alone need no new version.

## Why is this bad?
Readers, auditors and other systems refer to a procedure by its id and version. Two different
texts under one version make it impossible to tell which one a team followed, and a version that
goes down breaks every \"at least version X\" check.

## Example
```markdown
version: 1.2.0     # same as in the previous bundle, but step 4 was reworded
```

## Use instead
```markdown
version: 1.2.1     # and a revision history row for 1.2.1
```
",
    ),
    options: String::new,
    fixable: false,
    pack: None,
    bundle_only: true,
};
