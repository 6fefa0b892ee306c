use serde::{Deserialize, Serialize};

use super::support::{closing_fence, is_empty_value};
use crate::document::{Document, Field};
use crate::rule::{declare_rule, Context, Edit, Finding, Fix, Rule};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub(crate) struct Options {
    /// Fields every SOP must fill in. `a|b` means either field will do.
    pub required: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            required: crate::settings::SOPKIT_REQUIRED
                .iter()
                .map(|f| (*f).to_string())
                .collect(),
        }
    }
}

declare_rule! {
    /// ## What it does
    /// Checks that the front matter fills in every required field: by default `id`, `title`,
    /// `version`, `status`, `owner`, `approvers`, `effective`, and `review_by` or
    /// `review_interval`. A field that is present but empty counts as missing. The option
    /// `required` sets the list; write `a|b` when either field will do. Fields are looked up
    /// under the keys `fields:` maps them to (`owner: owner_slack`), and with a `preset:` the
    /// default list is the preset's (`sopkit sections` lists them).
    ///
    /// The fix (unsafe) adds the missing fields with a `TODO` placeholder (`[TODO]` for
    /// `approvers`, `12 months` for `review_interval`) for you to fill in, and puts `TODO`
    /// into empty ones.
    ///
    /// ## Why is this bad?
    /// Without an owner nobody keeps the procedure current; without approvers nobody signed it
    /// off; without a version and dates nobody can tell which copy is in force or when it must be
    /// reviewed.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// id: CS-001
    /// title: Handle a customer complaint
    /// version: 1.2.0
    /// status: approved
    /// owner:
    /// ---
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ---
    /// id: CS-001
    /// title: Handle a customer complaint
    /// version: 1.2.0
    /// status: approved
    /// owner: Customer Service Lead
    /// approvers: [Head of Operations]
    /// effective: 2026-01-15
    /// review_by: 2027-01-15
    /// ---
    /// ```
    pub(crate) MissingField {
        code: "M002",
        name: "missing-field",
        severity: Error,
        summary: "A required front matter field is missing or empty",
        options: Options,
        fixable: true,
        since: "0.1.0",
    }
}

/// The placeholder line the fix writes for a missing field.
fn placeholder(key: &str) -> &'static str {
    match key {
        "approvers" | "tags" => "[TODO]",
        "review_interval" => "12 months",
        _ => "TODO",
    }
}

impl Rule for MissingField {
    fn check(&self, doc: &Document, ctx: &Context<'_>) -> Vec<Finding> {
        // No front matter or broken YAML is M001's finding; don't pile a list on top of it.
        let Some(fm) = doc.front_matter.as_ref().filter(|fm| fm.error.is_none()) else {
            return Vec::new();
        };
        let Some(fence) = closing_fence(doc) else {
            return Vec::new();
        };
        let newline = if doc.source.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let meta = &ctx.settings.metadata;
        // Under a preset the default list is the preset's; a list set in the configuration
        // is used as written (a list equal to the default counts as not set).
        let required = match &meta.required {
            Some(preset) if self.options.required == Options::default().required => preset,
            _ => &self.options.required,
        };
        let mut out = Vec::new();
        let mut absent = Vec::new();
        for spec in required {
            // (sopkit's field, the file's key for it)
            let alternatives: Vec<(&str, &str)> = spec
                .split('|')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(|k| (k, meta.key(k)))
                .collect();
            let Some(&first) = alternatives.first() else {
                continue;
            };
            let fields: Vec<(&str, &str, &Field)> = alternatives
                .iter()
                .filter_map(|(name, k)| fm.fields.get(*k).map(|f| (*name, *k, f)))
                .collect();
            if fields.iter().any(|(_, _, f)| !is_empty_value(&f.value)) {
                continue;
            }
            let keys: Vec<&str> = alternatives.iter().map(|(_, k)| *k).collect();
            let named = describe(&keys);
            if let Some((name, key, field)) = fields.first() {
                let mut finding = Finding::new(
                    field.key_span.range(),
                    format!("the required field `{key}` is empty"),
                )
                .help(format!("fill it in, e.g. `{key}: {}`", example(name)));
                if let Some(edit) = fill_empty(doc, name, field) {
                    finding = finding.with_fix(Fix::unsafe_(vec![edit]));
                }
                out.push(finding);
            } else {
                // For `review_by|review_interval` the interval is the one a fix can fill honestly.
                let (name, key) = alternatives.last().copied().unwrap_or(first);
                absent.push((name, key));
                out.push(
                    Finding::new(
                        fence.clone(),
                        format!("the front matter has no {named} field"),
                    )
                    .help(format!(
                        "add `{key}: {}` (with the real value) before the closing `---`",
                        example(name)
                    )),
                );
            }
        }
        // One edit adds every absent field, shared by their findings: separate insertions at
        // the same point would be applied one per fix pass.
        if !absent.is_empty() {
            let lines: String = absent
                .iter()
                .map(|(name, key)| format!("{key}: {}{newline}", placeholder(name)))
                .collect();
            let fix = Fix::unsafe_(vec![Edit {
                range: fence.start..fence.start,
                replacement: lines,
            }]);
            for finding in out.iter_mut().filter(|f| f.span == fence) {
                finding.fix = Some(fix.clone());
            }
        }
        out
    }
}

/// "`owner`" or "`review_by` or `review_interval`".
fn describe(alternatives: &[&str]) -> String {
    alternatives
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// A realistic value for the help line.
fn example(key: &str) -> &'static str {
    match key {
        "id" => "CS-001",
        "title" => "Handle a customer complaint",
        "version" => "1.0.0",
        "status" => "draft",
        "owner" => "Customer Service Lead",
        "approvers" => "[Head of Operations]",
        "effective" => "2026-01-15",
        "review_by" => "2027-01-15",
        "review_interval" => "12 months",
        _ => "…",
    }
}

/// Puts the placeholder for sopkit's field `name` into an empty field written inline
/// (`owner:`, `owner: ""`, `approvers: []`); block values are left to the author.
fn fill_empty(doc: &Document, name: &str, field: &Field) -> Option<Edit> {
    let value = placeholder(name).to_string();
    if field.span != field.key_span {
        return Some(Edit {
            range: field.span.range(),
            replacement: value,
        });
    }
    if !field.value.is_null() {
        return None;
    }
    // `key:` with nothing after it on the line (a comment may follow).
    let colon = field.key_span.end;
    let rest = doc.source.get(colon..)?;
    if !rest.starts_with(':') {
        return None;
    }
    let line_end = rest.find('\n').map_or(rest.len(), |i| i);
    let after = rest[1..line_end].trim();
    if !(after.is_empty() || after.starts_with('#')) {
        return None;
    }
    Some(Edit {
        range: colon + 1..colon + 1,
        replacement: format!(" {value}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{parse, ParseOptions};
    use crate::settings::Settings;

    fn check(src: &str) -> Vec<Finding> {
        let settings = Settings::default();
        let doc = parse("t.md", src.to_string(), &ParseOptions::default());
        MissingField::default().check(
            &doc,
            &Context {
                settings: &settings,
                files: &crate::rule::NoFiles,
            },
        )
    }

    /// Applies every fix (the shared insertion once) the way `--fix-unsafe` does.
    fn fixed(src: &str) -> String {
        let findings = check(src);
        let fixes: Vec<&Fix> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
        crate::fix::apply(src, &fixes).0
    }

    #[test]
    fn the_fix_fills_every_field_in_one_pass() {
        let src =
            "---\nid: CS-001\ntitle: T\nstatus:\napprovers: []\nowner: \"\"  # who\n---\n# T\n";
        let out = fixed(src);
        assert_eq!(
            out,
            "---\nid: CS-001\ntitle: T\nstatus: TODO\napprovers: [TODO]\nowner: TODO  # who\n\
             version: TODO\neffective: TODO\nreview_interval: 12 months\n---\n# T\n"
        );
        assert!(check(&out).is_empty(), "{:?}", check(&out));
    }

    #[test]
    fn the_fix_keeps_crlf_line_endings() {
        let src = "---\r\nid: A\r\n---\r\n# T\r\n";
        let out = fixed(src);
        assert!(
            out.contains("id: A\r\ntitle: TODO\r\nversion: TODO\r\n"),
            "{out:?}"
        );
        assert!(
            out.ends_with("review_interval: 12 months\r\n---\r\n# T\r\n"),
            "{out:?}"
        );
        assert!(check(&out).is_empty());
    }

    #[test]
    fn either_alternative_satisfies_a_group() {
        let base = "---\nid: A\ntitle: T\nversion: 1.0.0\nstatus: draft\nowner: O\napprovers: [B]\neffective: 2026-01-01\n";
        assert!(check(&format!("{base}review_by: 2027-01-01\n---\n")).is_empty());
        assert!(check(&format!("{base}review_interval: 1 year\n---\n")).is_empty());
        let missing = check(&format!("{base}review_by:\n---\n"));
        assert_eq!(missing.len(), 1);
        assert_eq!(
            missing[0].message,
            "the required field `review_by` is empty"
        );
    }

    #[test]
    fn configured_fields_and_block_values() {
        let rule = MissingField {
            options: Options {
                required: vec!["owner".into(), "tags".into()],
            },
        };
        let settings = Settings::default();
        // An empty block list gets no fix: writing after the colon would break the YAML.
        let src = "---\nowner: O\ntags:\n  -\n---\n";
        let doc = parse("t.md", src.to_string(), &ParseOptions::default());
        let found = rule.check(
            &doc,
            &Context {
                settings: &settings,
                files: &crate::rule::NoFiles,
            },
        );
        assert_eq!(found.len(), 1);
        assert_eq!(&src[found[0].span.clone()], "tags");
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn broken_or_absent_front_matter_is_left_to_m001() {
        assert!(check("# T\n").is_empty());
        assert!(check("---\nid: [x\n---\n# T\n").is_empty());
    }
}
