//! What the cross-document rules read of each document: a small summary built while the
//! document is whole, so that a run over thousands of files keeps summaries, not documents.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::matching::{numbered_steps, section_keys};
use super::{keys, Document};

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
    /// The front matter `variant_of`: the id of the base this document is a branch variant of.
    pub variant_of: Option<Mention>,
    /// The front matter `branch`.
    pub branch: Option<String>,
    /// What X006 compares between a variant and its base; only for documents with an `id` or a
    /// `variant_of` (any of them may be a base).
    pub shape: Option<Box<Shape>>,
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
        // Each pattern needs its '<' or '{': most documents have neither, and then neither
        // pattern is compiled or run.
        let html = doc
            .source
            .contains('<')
            .then(|| HTML_ANCHOR.captures_iter(&doc.source));
        let kramdown = doc
            .source
            .contains('{')
            .then(|| KRAMDOWN_ANCHOR.captures_iter(&doc.source));
        let anchor_ids = html
            .into_iter()
            .flatten()
            .chain(kramdown.into_iter().flatten())
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
            variant_of: doc.field(keys::VARIANT_OF).and_then(|f| {
                f.as_text().map(|text| Mention {
                    text,
                    span: f.span.range(),
                })
            }),
            branch: doc.field_str(keys::BRANCH),
            shape: (doc.field(keys::ID).is_some() || doc.field(keys::VARIANT_OF).is_some())
                .then(|| Box::new(Shape::of(doc))),
        }
    }
}

/// A place in a document: its span (first line only) and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub span: Range<usize>,
    pub line: usize,
}

/// A section as X006 compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeSection {
    /// Its key across versions: kind (or heading) and occurrence ([`section_keys`]).
    pub key: String,
    pub heading: String,
    pub level: u8,
    /// The heading line.
    pub at: Place,
    /// The enclosing section (index into [`Shape::sections`]).
    pub parent: Option<usize>,
    /// The reason of a `sopkit-variant: local` marker on it or on an enclosing section.
    pub local: Option<String>,
}

/// A step as X006 compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeStep {
    /// The number path as written ("2.1"; "•3" for a bullet).
    pub number: String,
    pub text: String,
    pub at: Place,
    /// The innermost section it is in.
    pub section: Option<usize>,
    /// The reason of a marker on the step or on a section it is in.
    pub local: Option<String>,
}

/// A level of the escalation chain as X006 compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeLevel {
    pub role: Option<String>,
    /// The response time as written, and in minutes when it has a known unit.
    pub within: Option<(String, Option<u64>)>,
    pub at: Place,
    pub section: Option<usize>,
    /// The reason of a marker on the level or on a section it is in.
    pub local: Option<String>,
}

/// What a branch variant is compared on with its base (X006, `sopkit variants`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shape {
    /// The front matter `version` and `variant_of` fields.
    pub version: Option<Place>,
    pub variant_of: Option<Place>,
    pub sections: Vec<ShapeSection>,
    pub steps: Vec<ShapeStep>,
    pub levels: Vec<ShapeLevel>,
    /// `sopkit-variant` comments that mark nothing, and what is wrong with them.
    pub bad_markers: Vec<(Place, String)>,
}

/// What a `sopkit-variant` comment says: `Ok(reason)` for `local "reason"`, `Err(problem)`
/// for a malformed one, `None` for any other comment.
fn marker(comment: &str) -> Option<Result<String, String>> {
    let rest = comment.trim().strip_prefix("sopkit-variant")?;
    if !(rest.is_empty() || rest.starts_with([':', ' '])) {
        return None;
    }
    let rest = rest.trim_start_matches(':').trim();
    let Some(reason) = rest.strip_prefix("local") else {
        return Some(Err(format!(
            "unknown sopkit-variant marker \"{rest}\": write `sopkit-variant: local \"reason\"`"
        )));
    };
    let reason = reason
        .trim()
        .trim_start_matches(['"', '\u{201c}'])
        .trim_end_matches(['"', '\u{201d}'])
        .trim();
    if reason.is_empty() {
        return Some(Err(
            "a local difference needs a reason: `sopkit-variant: local \"reason\"`".into(),
        ));
    }
    Some(Ok(reason.to_string()))
}

impl Shape {
    /// The shape of a parsed document, markers attached.
    pub fn of(doc: &Document) -> Self {
        let place = |range: Range<usize>| Place {
            line: doc.line_col(range.start).0,
            span: doc.first_line(range),
        };
        let contains = |r: &Range<usize>, at: usize| r.start <= at && at < r.end.max(r.start + 1);
        let ranges: Vec<Range<usize>> = doc
            .sections
            .iter()
            .map(|s| s.span.start..s.body.end.max(s.span.end))
            .collect();
        // The innermost section holding an offset: the last one that starts before it.
        let section_at = |at: usize| ranges.iter().rposition(|r| contains(r, at));
        let mut sections: Vec<ShapeSection> = doc
            .sections
            .iter()
            .zip(section_keys(doc))
            .enumerate()
            .map(|(i, (s, key))| ShapeSection {
                key,
                heading: s.heading.clone(),
                level: s.level,
                at: place(s.span.range()),
                parent: (0..i).rev().find(|&j| {
                    doc.sections[j].level < s.level && contains(&ranges[j], s.span.start)
                }),
                local: None,
            })
            .collect();
        let step_list = numbered_steps(doc);
        let mut steps: Vec<ShapeStep> = step_list
            .iter()
            .map(|(number, step)| ShapeStep {
                number: number.clone(),
                text: step.text.clone(),
                at: place(step.span.range()),
                section: section_at(step.span.start),
                local: None,
            })
            .collect();
        let chain_levels: Vec<_> = doc.escalation.iter().flat_map(|c| &c.levels).collect();
        let mut levels: Vec<ShapeLevel> = chain_levels
            .iter()
            .map(|l| ShapeLevel {
                role: l.role.as_ref().map(|r| r.value.clone()),
                within: l.within.as_ref().map(|w| (w.text.clone(), w.minutes)),
                at: place(l.span.range()),
                section: section_at(l.span.start),
                local: None,
            })
            .collect();
        let mut bad_markers = Vec::new();
        for comment in &doc.comments {
            let Some(found) = marker(&comment.value) else {
                continue;
            };
            let span = comment.span.range();
            let reason = match found {
                Ok(reason) => reason,
                Err(problem) => {
                    bad_markers.push((place(span), problem));
                    continue;
                }
            };
            let (start, next_line) = (span.start, doc.line_col(span.end).0 + 1);
            let line = comment.span.line;
            // On (or inside) a step, then a level; then on the line before one; then on a
            // heading's line, the line before it or the line after it; else the section it is in.
            if let Some(i) = step_list
                .iter()
                .rposition(|(_, s)| contains(&s.span.range(), start))
            {
                steps[i].local = Some(reason);
            } else if let Some(i) = chain_levels
                .iter()
                .position(|l| contains(&l.span.range(), start))
            {
                levels[i].local = Some(reason);
            } else if let Some(s) = steps.iter_mut().find(|s| s.at.line == next_line) {
                s.local = Some(reason);
            } else if let Some(l) = levels.iter_mut().find(|l| l.at.line == next_line) {
                l.local = Some(reason);
            } else if let Some(s) = sections
                .iter_mut()
                .find(|s| s.at.line == line || s.at.line == next_line || s.at.line + 1 == line)
            {
                s.local = Some(reason);
            } else if let Some(i) = section_at(start) {
                sections[i].local = Some(reason);
            } else {
                bad_markers.push((
                    place(span),
                    "this marker is on no step or section: put it on the step or section that differs"
                        .into(),
                ));
            }
        }
        // A marked section covers what it holds: sub-sections, steps and levels.
        for i in 0..sections.len() {
            if sections[i].local.is_none() {
                let inherited = sections[i].parent.and_then(|p| sections[p].local.clone());
                sections[i].local = inherited;
            }
        }
        for s in &mut steps {
            if s.local.is_none() {
                s.local = s.section.and_then(|i| sections[i].local.clone());
            }
        }
        for l in &mut levels {
            if l.local.is_none() {
                l.local = l.section.and_then(|i| sections[i].local.clone());
            }
        }
        Self {
            version: doc.field(keys::VERSION).map(|f| place(f.span.range())),
            variant_of: doc.field(keys::VARIANT_OF).map(|f| place(f.span.range())),
            sections,
            steps,
            levels,
            bad_markers,
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
