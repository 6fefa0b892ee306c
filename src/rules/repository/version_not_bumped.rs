use crate::document::Document;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Compares every document with the same `id` in the previous bundle (`bundle build --previous`).
    /// A document whose content below the front matter changed must have a higher `version`; no
    /// document's `version` may go down. Changes to the front matter alone need no new version.
    ///
    /// ## Why is this bad?
    /// Readers, auditors and other systems refer to a procedure by its id and version. Two different
    /// texts under one version make it impossible to tell which one a team followed, and a version that
    /// goes down breaks every "at least version X" check.
    ///
    /// ## Example
    /// ```markdown
    /// version: 1.2.0     # same as in the previous bundle, but step 4 was reworded
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// version: 1.2.1     # and a revision history row for 1.2.1
    /// ```
    pub(crate) VersionNotBumped {
        code: "X004",
        name: "version-not-bumped",
        severity: Error,
        summary: "A document changed since the previous bundle but its version did not rise",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
        bundle_only: true,
    }
}

impl Rule for VersionNotBumped {
    /// It needs the previous release: `bundle build` checks it, `lint` does not run it.
    fn check(&self, _doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        Vec::new()
    }
}
