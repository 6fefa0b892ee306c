use super::support::{present, written};
use crate::document::{keys, Document, SectionKind};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that the revision history table has a row for the version in the front matter.
    /// It is silent when the document has no `version` or no revision history rows.
    ///
    /// ## Why is this bad?
    /// The revision history is how readers and auditors learn what changed and who changed it.
    /// A version bump without a row leaves the current change unexplained.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// version: 1.3.0
    /// ---
    /// ## Revision history
    /// | Version | Date | Author | Change |
    /// |---|---|---|---|
    /// | 1.2.0 | 2026-01-10 | A. Writer | Added refund threshold |
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## Revision history
    /// | Version | Date | Author | Change |
    /// |---|---|---|---|
    /// | 1.3.0 | 2026-11-20 | A. Writer | New escalation contact |
    /// | 1.2.0 | 2026-01-10 | A. Writer | Added refund threshold |
    /// ```
    pub(crate) RevisionMissingVersion {
        code: "M008",
        name: "revision-missing-version",
        severity: Warning,
        summary: "The revision history has no row for the current version",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for RevisionMissingVersion {
    fn check(&self, doc: &Document, ctx: &Context<'_>) -> Vec<Finding> {
        let Some(version) =
            present(doc, &ctx.settings.metadata, keys::VERSION).and_then(|f| written(doc, f))
        else {
            return Vec::new();
        };
        let version = version.trim();
        let Some(heading) = doc.sections_of(SectionKind::RevisionHistory).next() else {
            return Vec::new();
        };
        if doc.revisions.is_empty()
            || doc
                .revisions
                .iter()
                .any(|r| same_version(&r.version, version))
        {
            return Vec::new();
        }
        let listed: Vec<&str> = doc
            .revisions
            .iter()
            .map(|r| r.version.trim())
            .filter(|v| !v.is_empty())
            .collect();
        let latest = match listed.as_slice() {
            [] => String::new(),
            [one] => format!("; the table lists only {one}"),
            many => format!("; the table lists {}", many.join(", ")),
        };
        let range = heading.span.start..heading_end(doc, heading.span.range());
        vec![Finding::new(
            range,
            format!("the revision history has no row for the current version {version}{latest}"),
        )
        .help(format!(
            "add a row `| {version} | YYYY-MM-DD | <author> | <what changed> |`, or correct `version` in the front matter"
        ))]
    }
}

/// Versions compare as semver when both parse ("v1.2.0" and "1.2.0" are the same), else as text.
fn same_version(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        let s = s.trim();
        s.strip_prefix(['v', 'V']).unwrap_or(s).to_string()
    };
    let (a, b) = (strip(a), strip(b));
    match (semver::Version::parse(&a), semver::Version::parse(&b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// The end of a heading's first line, so the underline does not run into the next line.
fn heading_end(doc: &Document, range: std::ops::Range<usize>) -> usize {
    let text = doc.source.get(range.clone()).unwrap_or("");
    let line = text.split('\n').next().unwrap_or("");
    range.start + line.trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::same_version;

    #[test]
    fn versions_compare_as_semver() {
        assert!(same_version("1.2.0", "1.2.0"));
        assert!(same_version("v1.2.0", "1.2.0"));
        assert!(same_version(" 1.2.0 ", "1.2.0"));
        assert!(!same_version("1.2", "1.2.0"));
        assert!(!same_version("1.2.1", "1.2.0"));
        assert!(same_version("rev B", "rev B"));
    }
}
