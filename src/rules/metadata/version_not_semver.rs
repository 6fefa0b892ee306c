use super::support::{present, written};
use crate::document::{keys, Document};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that the front matter `version` is a semantic version: `MAJOR.MINOR.PATCH`, such
    /// as `1.2.0`. A leading `v` (`v1.2.0`), a common convention, is accepted; bundles read it as
    /// the same version.
    ///
    /// ## Why is this bad?
    /// Bundles compare versions to tell a rewritten procedure (major) from an added step (minor)
    /// or a corrected typo (patch). `1.2`, `v2`, `v1.0` or `rev B` cannot be compared, so nobody can tell
    /// which copy is newer.
    ///
    /// ## Example
    /// ```yaml
    /// version: 1.2
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// version: 1.2.0
    /// ```
    pub(crate) VersionNotSemver {
        code: "M003",
        name: "version-not-semver",
        severity: Error,
        summary: "The version is not a semantic version (MAJOR.MINOR.PATCH)",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for VersionNotSemver {
    fn check(&self, doc: &Document, ctx: &Context<'_>) -> Vec<Finding> {
        let Some(field) = present(doc, &ctx.settings.metadata, keys::VERSION) else {
            return Vec::new();
        };
        let span = field.span.range();
        let Some(text) = written(doc, field) else {
            return vec![
                Finding::new(span, "`version` must be a single value such as `1.2.0`")
                    .help("write one version, MAJOR.MINOR.PATCH, e.g. `version: 1.2.0`"),
            ];
        };
        if crate::document::parse_document_version(&text).is_ok() {
            return Vec::new();
        }
        let help = match suggestion(&text) {
            Some(s) => format!("write `version: {s}` (MAJOR.MINOR.PATCH)"),
            None => "use MAJOR.MINOR.PATCH, e.g. `1.0.0`; raise MAJOR for a rewrite, MINOR for new or changed steps, PATCH for corrections".to_string(),
        };
        vec![Finding::new(
            span,
            format!(
                "version `{}` is not a semantic version (MAJOR.MINOR.PATCH)",
                text.trim()
            ),
        )
        .help(help)]
    }
}

/// The semver a near miss most likely meant: "v1.2.0" → "1.2.0", "1.2" → "1.2.0", "2" → "2.0.0".
fn suggestion(text: &str) -> Option<String> {
    let t = text.trim();
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t).trim();
    let parts: Vec<&str> = t.split('.').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut numbers: Vec<String> = parts
        .iter()
        .map(|p| p.parse::<u64>().map(|n| n.to_string()))
        .collect::<Result<_, _>>()
        .ok()?;
    numbers.resize(3, "0".to_string());
    let candidate = numbers.join(".");
    semver::Version::parse(&candidate).ok()?;
    Some(candidate)
}

#[cfg(test)]
mod tests {
    use super::suggestion;

    #[test]
    fn near_misses_get_a_suggestion() {
        assert_eq!(suggestion("1.2").as_deref(), Some("1.2.0"));
        assert_eq!(suggestion("v1.2.0").as_deref(), Some("1.2.0"));
        assert_eq!(suggestion("2").as_deref(), Some("2.0.0"));
        assert_eq!(suggestion("01.02.03").as_deref(), Some("1.2.3"));
        assert_eq!(suggestion("rev B"), None);
        assert_eq!(suggestion("1..2"), None);
        assert_eq!(suggestion("1.2.3.4"), None);
    }
}
