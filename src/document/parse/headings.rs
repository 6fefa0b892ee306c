//! Headings of every form: Markdown, a bold paragraph naming a section, and raw HTML.

use std::ops::Range;

use crate::document::{BlockKind, HeadingForm, PlainText, Section, Span, Spanned, TextBlock};

use super::walker::Walker;

impl Walker<'_> {
    pub(super) fn end_heading(&mut self, level: u8, range: Range<usize>) {
        let text = match self.buffer.take() {
            Some((_, text)) => text,
            None => PlainText::default(),
        };
        self.buffer_breaks.clear();
        let anchor = self.heading_anchor.take();
        self.push_section(level, text, range, HeadingForm::Markdown, anchor);
    }

    /// Records a heading of any form: its text without a kramdown `{#id}` / `{: .class}`
    /// suffix, its anchor, its kind through the alias table, and the title.
    fn push_section(
        &mut self,
        level: u8,
        text: PlainText,
        range: Range<usize>,
        form: HeadingForm,
        mut anchor: Option<String>,
    ) {
        let (text, kramdown_id) = strip_attributes(text);
        if anchor.is_none() {
            anchor = kramdown_id;
        }
        self.intro = None;
        // A template expression (`<%= key %>`) is not prose for the lexical rules.
        if !text.is_empty() && !is_template(text.as_str()) {
            self.blocks.push(TextBlock {
                kind: BlockKind::Heading,
                section: Some(self.sections.len()),
                in_list: false,
                text: text.clone(),
            });
        }
        let heading = text.as_str().trim().to_string();
        let span = self.span(range.clone());
        if level == 1 && self.title.is_none() {
            self.title = Some(Spanned {
                value: heading.clone(),
                span: self.span(text.source_range()),
            });
        }
        let found = (level > 1)
            .then(|| self.aliases.section(&heading))
            .flatten();
        if let Some((_, lang)) = found {
            self.heading_langs.push(lang);
        }
        let kind = found.map(|(k, _)| k);
        while self
            .heading_stack
            .last()
            .is_some_and(|(l, _, _)| *l >= level)
        {
            self.heading_stack.pop();
        }
        self.heading_stack.push((level, kind, self.sections.len()));
        self.heading_plain.push(text);
        self.sections.push(Section {
            kind,
            heading,
            level,
            anchor,
            form,
            span,
            body: Span::default(),
            has_content: false,
        });
    }

    /// A paragraph that is only bold text naming a known section ("**Procedure**",
    /// "**Steps:**") acts as a heading one level below the enclosing one. Returns whether the
    /// paragraph was taken as one.
    pub(super) fn bold_heading(&mut self, range: Range<usize>) -> bool {
        if !self.items.is_empty() || self.in_quote > 0 || self.table.is_some() {
            return false;
        }
        let raw = self.source.get(range.clone()).unwrap_or("").trim();
        let inner = raw.strip_suffix(':').unwrap_or(raw).trim_end();
        let inner = match inner
            .strip_prefix("**")
            .and_then(|r| r.strip_suffix("**"))
            .or_else(|| inner.strip_prefix("__").and_then(|r| r.strip_suffix("__")))
        {
            Some(i) => i,
            None => return false,
        };
        if inner.contains("**") || inner.contains("__") || inner.contains('\n') {
            return false;
        }
        let Some((BlockKind::Paragraph, text)) = self.buffer.as_ref() else {
            return false;
        };
        let words = text.as_str().split_whitespace().count();
        if words == 0 || words > 6 || self.aliases.section(text.as_str()).is_none() {
            return false;
        }
        let Some((_, text)) = self.buffer.take() else {
            return false;
        };
        self.buffer_breaks.clear();
        self.strong_start = None;
        let level = self
            .heading_stack
            .last()
            .map_or(2, |(l, _, _)| (*l + 1).min(6));
        let text = trim_trailing_colon(text);
        self.push_section(level, text, range, HeadingForm::Bold, None);
        true
    }

    /// Raw HTML headings (`<h2 id="x">Title</h2>`) in an HTML block.
    pub(super) fn html_headings(&mut self, range: Range<usize>) {
        let raw = &self.source[range.clone()];
        let lower = raw.to_ascii_lowercase();
        let mut from = 0;
        while let Some(open) = lower[from..].find("<h") {
            let at = from + open;
            let level = lower.as_bytes().get(at + 2).copied().unwrap_or(0);
            if !(b'1'..=b'6').contains(&level)
                || !matches!(
                    lower.as_bytes().get(at + 3),
                    Some(b'>' | b' ' | b'\t' | b'\n' | b'\r')
                )
            {
                from = at + 2;
                continue;
            }
            let Some(tag_end) = lower[at..].find('>').map(|e| at + e + 1) else {
                break;
            };
            let close_tag = format!("</h{}", level as char);
            let Some(close) = lower[tag_end..].find(&close_tag).map(|c| tag_end + c) else {
                break;
            };
            let after = lower[close..]
                .find('>')
                .map_or(lower.len(), |e| close + e + 1);
            let attrs = &raw[at + 3..tag_end - 1];
            let anchor = html_attr(attrs, "id");
            let inner = &raw[tag_end..close];
            let text = strip_tags(inner);
            let mut plain = PlainText::default();
            let lead = inner.len() - inner.trim_start().len();
            let inner_trim = inner.trim();
            let src_start = range.start + tag_end + lead;
            plain.push(&text, src_start..src_start + inner_trim.len());
            self.push_section(
                level - b'0',
                plain,
                range.start + at..range.start + after,
                HeadingForm::Html,
                anchor,
            );
            from = after;
        }
    }
}

/// Whether a heading's text is a template expression (ERB, Liquid, Handlebars).
pub(super) fn is_template(text: &str) -> bool {
    // One pass for "<%", "{{" and "{%": most headings hold neither `<` nor `{`.
    let b = text.as_bytes();
    memchr::memchr2_iter(b'<', b'{', b).any(|i| {
        matches!(
            (b[i], b.get(i + 1)),
            (b'<', Some(b'%')) | (b'{', Some(b'{' | b'%'))
        )
    })
}

/// The value of attribute `name` in an HTML tag's text.
pub(super) fn html_attr(html: &str, name: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_at = html.len() - rest.len() + 1;
        let value = html[value_at..].trim_start();
        let (quote, body) = match value.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &value[1..]),
            _ => (None, value),
        };
        let end = match quote {
            Some(q) => body.find(q)?,
            None => body
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(body.len()),
        };
        let v = body[..end].trim();
        return (!v.is_empty()).then(|| v.to_string());
    }
    None
}

/// Inner HTML to text: tags dropped, a few entities decoded, whitespace collapsed.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' if !in_tag => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    // An ERB or Liquid expression is text, not a tag: keep it as written.
    if html.contains("<%") {
        out = html.to_string();
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&quot;", "\"");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Drops a kramdown attribute suffix (`{#id}`, `{: .class}`, `{: #id .class}`) from a heading's
/// text; returns the text and the `#id` it held.
fn strip_attributes(text: PlainText) -> (PlainText, Option<String>) {
    let s = text.as_str();
    let trimmed = s.trim_end();
    if !trimmed.ends_with('}') {
        return (text, None);
    }
    let Some(open) = trimmed.rfind('{') else {
        return (text, None);
    };
    let inner = &trimmed[open + 1..trimmed.len() - 1];
    let inner = inner.strip_prefix(':').unwrap_or(inner).trim();
    if inner.is_empty()
        || !inner
            .split_whitespace()
            .all(|t| t.starts_with('#') || t.starts_with('.') || t.contains('='))
    {
        return (text, None);
    }
    let id = inner
        .split_whitespace()
        .find_map(|t| t.strip_prefix('#'))
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    let keep = s[..open].trim_end().len();
    (text.slice(0..keep), id)
}

/// "Steps:" → "Steps".
fn trim_trailing_colon(text: PlainText) -> PlainText {
    let s = text.as_str().trim_end();
    match s.strip_suffix(':') {
        Some(rest) => text.slice(0..rest.trim_end().len()),
        None => text,
    }
}
