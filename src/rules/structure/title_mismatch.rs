use super::support::{document_anchor, heading_range};
use crate::document::{Document, TitleSource};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that the SOP has exactly one level-1 heading and that its text is the front
    /// matter `title` (compared after trimming, case-sensitive).
    ///
    /// Sites that render the front matter `title` as the page heading are accepted as they are:
    /// a document without a level-1 heading is fine when its front matter has a `title`, and a
    /// level-1 heading that is a template expression (`# <%= current_page.data.title %>`,
    /// `# {{ page.title }}`) is never compared with anything.
    ///
    /// ## Why is this bad?
    /// The title in the front matter is what indexes, bundles and search results show; the H1
    /// is what a reader sees. When they differ, people cannot find the procedure they were told
    /// to follow, or follow a different one. A second H1 usually means two documents were
    /// pasted into one.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// title: Handle a customer complaint
    /// ---
    /// # Customer complaints
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ---
    /// title: Handle a customer complaint
    /// ---
    /// # Handle a customer complaint
    /// ```
    pub(crate) TitleMismatch {
        code: "S004",
        name: "title-mismatch",
        severity: Warning,
        summary: "The document does not have one H1 matching its title",
        options: NoOptions,
        fixable: false,
    }
}

impl Rule for TitleMismatch {
    fn meta(&self) -> &RuleMeta {
        &Self::META
    }

    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let title_field = doc
            .front_matter
            .as_ref()
            .filter(|fm| fm.error.is_none())
            .and_then(|fm| fm.fields.get("title"))
            .and_then(|f| f.as_text())
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        let h1s: Vec<_> = doc.sections.iter().filter(|s| s.level == 1).collect();
        let mut out = Vec::new();
        let Some(title) = &doc.title else {
            let help = match &title_field {
                Some(t) => format!("start the body with `# {t}`"),
                None => "start the body with `# <the procedure's title>`".to_string(),
            };
            out.push(
                Finding::new(
                    document_anchor(doc),
                    "the document has no level-1 heading (`# Title`)",
                )
                .help(help),
            );
            return out;
        };
        // The title comes from the front matter (no H1), or a template writes it: nothing to
        // compare.
        let compare = !matches!(
            doc.title_source,
            Some(TitleSource::FrontMatter | TitleSource::Template)
        );
        if let Some(want) = title_field.as_ref().filter(|_| compare) {
            let have = title.value.trim();
            if have != want {
                let help = if have.to_lowercase() == want.to_lowercase() {
                    format!(
                        "they differ only in capitalisation; write `# {want}` or change `title`"
                    )
                } else {
                    format!("write `# {want}`, or change `title` in the front matter to match")
                };
                let range = if title.span.end > title.span.start {
                    title.span.range()
                } else {
                    document_anchor(doc)
                };
                out.push(
                    Finding::new(
                        range,
                        format!(
                            "the heading “{have}” differs from the front matter title “{want}”"
                        ),
                    )
                    .help(help),
                );
            }
        }
        for extra in h1s.iter().skip(1) {
            out.push(
                Finding::new(
                    heading_range(doc, extra),
                    format!(
                        "a second level-1 heading “{}”: an SOP has one title",
                        extra.heading
                    ),
                )
                .help("make it a section (`## …`), or move it into its own SOP file"),
            );
        }
        out
    }
}
