use crate::document::Document;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

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
        since: "0.1.0",
    }
}

impl Rule for FrontMatterInvalid {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        match &doc.front_matter {
            None => {
                let end = doc.source.find('\n').unwrap_or(doc.source.len());
                vec![Finding::new(0..end, "the file has no YAML front matter")
                    .help("start the file with a `---` line, the fields (id, title, version, status, owner, approvers, effective, review_by), and a closing `---` line")]
            }
            Some(fm) => match &fm.error {
                Some(err) => vec![Finding::new(
                    error_line(&doc.source, err.span.start),
                    format!("front matter is not valid YAML: {}", err.message),
                )
                .help("fix the YAML syntax; quote values that contain `:` or start with `[`, `{`, `*` or `&`")],
                None => Vec::new(),
            },
        }
    }
}

/// The whole line holding `at`: YAML parsers often notice an error a few characters after the
/// mistake (an unclosed `[` is reported where the next key starts), so the line, from its first
/// column, is the honest place to point at.
fn error_line(source: &str, at: usize) -> std::ops::Range<usize> {
    let mut at = at.min(source.len());
    while !source.is_char_boundary(at) {
        at -= 1;
    }
    let before = source.get(..at).unwrap_or("");
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let rest = source.get(start..).unwrap_or("");
    let line = rest.split('\n').next().unwrap_or("");
    start..start + line.trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::error_line;

    #[test]
    fn errors_point_at_their_whole_line() {
        let src = "---\nid: A\ntitle: [oops\r\nowner: x\n---\n";
        let at = src.find("x\n").unwrap();
        assert_eq!(&src[error_line(src, at)], "owner: x");
        let at = src.find("oops").unwrap();
        assert_eq!(&src[error_line(src, at)], "title: [oops");
        assert_eq!(error_line(src, src.len()), src.len()..src.len());
        assert_eq!(error_line("", 5), 0..0);
        // Inside a multi-byte character: still that character's line.
        let fi = "a\nkäyttäjä: [x\n";
        assert_eq!(&fi[error_line(fi, 4)], "käyttäjä: [x");
    }
}
