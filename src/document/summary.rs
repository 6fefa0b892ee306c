//! What the cross-document rules read of each document: a small summary built while the
//! document is whole, so that a run over thousands of files keeps summaries, not documents.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::Document;

/// How many characters after a link [`LinkSummary::after`] keeps.
const AFTER_LINK: usize = 40;

/// `id="…"` on any HTML element, and `name="…"` (on `<a>`).
static HTML_ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<[a-z][a-z0-9]*\s[^>]*?\b(?:id|name)\s*=\s*["']([^"']+)["']"#)
        .expect("anchor regex")
});

/// kramdown attribute lists: `{#id}`, `{: #id .class}`.
static KRAMDOWN_ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{:?\s*(?:[.\w-]+\s+)*#([\w-]+)[^}\n]*\}").expect("kramdown anchor regex")
});

/// A name written somewhere in a document, with its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub text: String,
    pub span: Range<usize>,
}

/// A link of a document, as the cross-document rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSummary {
    /// The target as written.
    pub target: String,
    /// The whole link.
    pub span: Range<usize>,
    /// The target (trimmed) within the link when it can be found in the source, else the link.
    pub target_span: Range<usize>,
    /// Up to 40 characters of the source right after the link ("(Coming Soon)").
    pub after: String,
}

/// One document of a run, reduced to what the cross-document rules compare: its id, roles,
/// headings, anchors and links. Spans are byte ranges of the document's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocSummary {
    pub path: String,
    /// The front matter `id`, as text, at the value's span.
    pub id: Option<Mention>,
    /// The title (first level-1 heading or front matter `title`).
    pub title: Option<String>,
    /// The front matter `version`, as text.
    pub version: Option<String>,
    /// The roles of the Roles section(s), in document order.
    pub roles: Vec<Mention>,
    /// The roles of the escalation chain's levels, in level order.
    pub escalation_roles: Vec<Mention>,
    /// Every heading: (level, text as written), in document order.
    pub headings: Vec<(u8, String)>,
    /// Anchors the source names itself: HTML `id="…"` / `<a name="…">` and kramdown `{#id}`,
    /// as written, in source order (HTML first).
    pub anchor_ids: Vec<String>,
    pub links: Vec<LinkSummary>,
}

impl DocSummary {
    /// The summary of a parsed document.
    pub fn of(doc: &Document) -> Self {
        let id = doc.field("id").and_then(|f| {
            f.as_text().map(|text| Mention {
                text,
                span: f.span.range(),
            })
        });
        let roles = doc
            .roles
            .iter()
            .map(|r| Mention {
                text: r.name.clone(),
                span: r.span.range(),
            })
            .collect();
        let escalation_roles = doc
            .escalation
            .iter()
            .flat_map(|c| &c.levels)
            .filter_map(|l| l.role.as_ref())
            .map(|r| Mention {
                text: r.value.clone(),
                span: r.span.range(),
            })
            .collect();
        let anchor_ids = HTML_ANCHOR
            .captures_iter(&doc.source)
            .chain(KRAMDOWN_ANCHOR.captures_iter(&doc.source))
            .map(|caps| caps[1].to_string())
            .collect();
        let links = doc
            .links
            .iter()
            .map(|link| {
                let span = link.span.range();
                let rest = doc.source.get(span.end..).unwrap_or("");
                let end = rest
                    .char_indices()
                    .nth(AFTER_LINK)
                    .map_or(rest.len(), |(i, _)| i);
                LinkSummary {
                    target: link.target.clone(),
                    target_span: target_span(doc, span.clone(), link.target.trim()),
                    span,
                    after: rest[..end].to_string(),
                }
            })
            .collect();
        Self {
            path: doc.path.clone(),
            id,
            title: doc.title.as_ref().map(|t| t.value.clone()),
            version: doc.field("version").and_then(|f| f.as_text()),
            roles,
            escalation_roles,
            headings: doc
                .sections
                .iter()
                .map(|s| (s.level, s.heading.clone()))
                .collect(),
            anchor_ids,
            links,
        }
    }
}

/// The link's target underlined when it can be found in the source, else the whole link.
fn target_span(doc: &Document, link: Range<usize>, target: &str) -> Range<usize> {
    match doc.source.get(link.clone()).and_then(|s| s.rfind(target)) {
        Some(i) if !target.is_empty() => link.start + i..link.start + i + target.len(),
        _ => link,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarises_what_cross_document_rules_compare() {
        let src = "---\nid: CS-001\nversion: 1.2.0\n---\n# Refunds\n\n## Roles\n\n- **Agent**: answers.\n\n## Links {#links}\n\nSee [other](other.md#x) (Coming Soon) and <a name=\"top\"></a>.\n";
        let doc = crate::document::parse("a.md", src.to_string(), &Default::default());
        let s = DocSummary::of(&doc);
        assert_eq!(s.path, "a.md");
        assert_eq!(s.id.as_ref().map(|m| m.text.as_str()), Some("CS-001"));
        assert_eq!(&src[s.id.unwrap().span], "CS-001");
        assert_eq!(s.version.as_deref(), Some("1.2.0"));
        assert_eq!(s.title.as_deref(), Some("Refunds"));
        assert_eq!(s.roles.len(), 1);
        assert!(s.headings.iter().any(|(l, h)| *l == 2 && h == "Roles"));
        assert_eq!(s.anchor_ids, ["top", "links"]);
        let link = &s.links[0];
        assert_eq!(&src[link.target_span.clone()], "other.md#x");
        assert!(link.after.starts_with(" (Coming Soon)"), "{}", link.after);
    }
}
