use crate::document::Document;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that the file starts with a YAML front matter block (between `---` lines) that
    /// parses as a mapping of fields.
    ///
    /// ## Why is this bad?
    /// The front matter carries the SOP's identity, owner, status and review dates. Without it,
    /// nobody can tell whether the procedure is approved or still current, and bundles cannot
    /// include it.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// id: CS-001
    /// title: [Handle a complaint
    /// ---
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ---
    /// id: CS-001
    /// title: Handle a complaint
    /// ---
    /// ```
    pub(crate) FrontMatterInvalid {
        code: "M001",
        name: "front-matter-invalid",
        severity: Error,
        summary: "Front matter is missing or is not valid YAML",
        options: NoOptions,
        fixable: false,
    }
}

impl Rule for FrontMatterInvalid {
    fn meta(&self) -> &RuleMeta {
        &Self::META
    }

    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        match &doc.front_matter {
            None => {
                let end = doc.source.find('\n').unwrap_or(doc.source.len());
                vec![Finding::new(0..end, "the file has no YAML front matter")
                    .help("start the file with a `---` line, the fields (id, title, version, status, owner, approvers, effective, review_by), and a closing `---` line")]
            }
            Some(fm) => match &fm.error {
                Some(err) => vec![Finding::new(
                    err.span.range(),
                    format!("front matter is not valid YAML: {}", err.message),
                )
                .help("fix the YAML syntax; quote values that contain `:` or start with `[`, `{`, `*` or `&`")],
                None => Vec::new(),
            },
        }
    }
}
