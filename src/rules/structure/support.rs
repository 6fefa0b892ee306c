//! Helpers shared by the structure rules.

use std::ops::Range;

use crate::document::Document;

/// Where to report something about the whole document: the H1's text, else the first
/// non-blank line after the front matter, else the first line.
pub(super) fn document_anchor(doc: &Document) -> Range<usize> {
    if let Some(title) = &doc.title {
        if title.span.end > title.span.start {
            return title.span.range();
        }
    }
    let body_start = doc.front_matter.as_ref().map_or(0, |fm| fm.span.end);
    let mut pos = body_start.min(doc.source.len());
    for line in doc.source.get(pos..).unwrap_or("").split_inclusive('\n') {
        let content = line.trim_end();
        if !content.trim().is_empty() {
            let lead = content.len() - content.trim_start().len();
            return pos + lead..pos + content.len();
        }
        pos += line.len();
    }
    let first = doc.source.find('\n').unwrap_or(doc.source.len());
    0..doc.source[..first].trim_end().len()
}
