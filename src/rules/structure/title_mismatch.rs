use super::support::document_anchor;
use crate::document::{keys, Document, TitleSource};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that the SOP has a level-1 heading, that its text names the front matter `title`,
    /// and that no stray second level-1 heading sits among its `##` sections.
    ///
    /// The heading names the title when it is the title, or the title with words added or
    /// taken away (`Manage price lists (Sales)`, `Set up tools to use the platform` for `Set up
    /// tools`) or other endings of the same words (`Creating readonly credentials` for `Create
    /// readonly credentials`, at least three words), ignoring punctuation and the spaces of a joined-up name (`AlertmanagerClusterDown`
    /// for `Alertmanager Cluster Down`); a heading with a document-type prefix (`How to: …`,
    /// `Toimintaohje: …`) is written apart from the title and is not compared. A difference only
    /// in capitalisation is reported. A document with exactly two level-1 headings is told of
    /// the second; one with three or more uses `#` for its top sections as a house style and is
    /// left alone. Front matter that does not parse (M001) may hold the title, so a missing H1
    /// is not reported then. A file without any heading (a partial, a "moved to …" stub) is not told to
    /// add one.
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
        since: "0.1.0",
    }
}

impl Rule for TitleMismatch {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let title_field = doc
            .front_matter
            .as_ref()
            .filter(|fm| fm.error.is_none())
            .and_then(|fm| fm.fields.get(keys::TITLE))
            .and_then(|f| f.as_text())
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        let h1s: Vec<_> = doc.sections.iter().filter(|s| s.level == 1).collect();
        let mut out = Vec::new();
        let Some(title) = &doc.title else {
            // A file with no heading at all (a partial, a "moved to …" stub, an empty file) is
            // not a structured document that lost its title.
            if !doc
                .sections
                .iter()
                .any(|s| s.form != crate::document::HeadingForm::Bold)
            {
                return out;
            }
            // Front matter that does not parse (M001 reports it) may well hold the title.
            if doc
                .front_matter
                .as_ref()
                .is_some_and(|fm| fm.error.is_some())
            {
                return out;
            }
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
            if have != want && !same_title(have, want) {
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
        // One stray H1 among `##` sections is a mistake; several are a house style (each top
        // section an H1), which readers and renderers handle fine.
        let stray = if h1s.len() == 2 { &h1s[1..] } else { &[][..] };
        for extra in stray {
            out.push(
                Finding::new(
                    doc.first_line(extra.span.range()),
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

/// Whether a heading that is not literally the title still names it: the same words after
/// ignoring punctuation (`Walkthrough – X` and `Walkthrough: X`), a heading with a document-type
/// prefix (`How to: X`, `Toimintaohje: X`, written apart from the site's SEO title), or one of the
/// two is the other with words added (`X (Sales)`, `X for GOV.UK developers`). A difference
/// only in capitalisation is still reported.
fn same_title(have: &str, want: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        let without_parens = strip_parenthesized(s);
        without_parens
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    // A display heading with its own type prefix is written apart from the (SEO) title, even
    // when the title carries the prefix too: wording differs freely between the two.
    if type_prefix(have).is_some_and(|(_, rest)| !rest.is_empty()) {
        return true;
    }
    let (h, w) = (words(have), words(want));
    if h.is_empty() || w.is_empty() {
        return false;
    }
    // An alert or class name as the heading, the title spelling it out:
    // `AlertmanagerClusterDown` for `Alertmanager Cluster Down`.
    if h.concat() == w.concat() {
        return true;
    }
    let case_only = h.len() == w.len()
        && h.iter()
            .zip(&w)
            .all(|(a, b)| a.to_lowercase() == b.to_lowercase())
        && h != w;
    if case_only {
        return false;
    }
    let lower = |v: &[String]| v.iter().map(|x| x.to_lowercase()).collect::<Vec<_>>();
    let (h, w) = (lower(&h), lower(&w));
    contains_run(&h, &w) || contains_run(&w, &h) || near_same(&h, &w)
}

/// Whether the shorter of two titles of three words or more is, word by word and in order,
/// in the longer, allowing another ending of the same word (`Creating` for `Create`,
/// `variables` for `variable`, Croatian `pokaznih` for `pokaznog`).
fn near_same(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() < 3 {
        return false;
    }
    let mut rest = long.iter();
    short.iter().all(|w| rest.by_ref().any(|l| same_stem(w, l)))
}

/// The same word with another ending: equal, or sharing a start of at least four letters
/// that leaves at most three letters of the shorter.
fn same_stem(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    common >= 4 && common + 3 >= shorter
}

/// `How to: X` → `X`: one or two words and a colon before the heading proper.
fn type_prefix(heading: &str) -> Option<(&str, &str)> {
    let (prefix, rest) = heading.split_once(": ")?;
    let n = prefix.split_whitespace().count();
    let wordy = prefix
        .chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == '-');
    ((1..=2).contains(&n) && wordy).then_some((prefix, rest.trim()))
}

fn strip_parenthesized(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether `needle` occurs as a run of whole words in `hay`.
fn contains_run(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::same_title;

    #[test]
    fn titles_that_name_the_same_thing() {
        assert!(same_title("How to: Reserve items", "Reserve items"));
        assert!(same_title(
            "Walkthrough: Plan deliveries",
            "Walkthrough – Plan deliveries"
        ));
        assert!(same_title(
            "Manage price lists (Sales)",
            "Manage price lists"
        ));
        assert!(same_title(
            "Set up tools to use the platform",
            "Set up tools"
        ));
        assert!(same_title(
            "AlertmanagerClusterDown",
            "Alertmanager Cluster Down"
        ));
        assert!(same_title(
            "Set or change an environment variable for your app",
            "Set environment variables for your app"
        ));
        assert!(same_title(
            "Creating readonly credentials for your database",
            "Create readonly credentials for your database"
        ));
        assert!(same_title(
            "Toimintaohje: Käytä OCR:ää laskuihin",
            "PDF-tiedostot laskuiksi OCR:n avulla"
        ));
        assert!(!same_title(
            "Access the EKS cluster",
            "Rotate the EKS credentials"
        ));
        assert!(!same_title(
            "Customer complaints",
            "Handle a customer complaint"
        ));
        assert!(!same_title(
            "Handle a Customer Complaint",
            "Handle a customer complaint"
        ));
        assert!(!same_title(
            "Getting started",
            "Convert instances to owner roles"
        ));
    }
}
