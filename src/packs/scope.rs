//! Scopes: the text of a document each scope reads, with its map back to the source.

use std::collections::BTreeSet;
use std::ops::Range;

use super::format::Scope;
use crate::document::{BlockKind, Document, PlainText, SectionKind};

/// A piece of text a rule reads, with its map back to the source.
pub(super) enum Unit<'a> {
    Plain(&'a PlainText),
    /// The start of a plain text, up to `end` (the first sentence of a step).
    Part {
        plain: &'a PlainText,
        end: usize,
    },
    /// Source text as written (front matter values).
    Raw {
        text: &'a str,
        start: usize,
    },
}

impl Unit<'_> {
    /// The whole text the unit is part of: the whole step for its instruction.
    pub(super) fn whole(&self) -> &str {
        match self {
            Self::Plain(p) | Self::Part { plain: p, .. } => p.as_str(),
            Self::Raw { text, .. } => text,
        }
    }

    pub(super) fn text(&self) -> &str {
        match self {
            Self::Plain(p) => p.as_str(),
            Self::Part { plain, end } => plain.as_str().get(..*end).unwrap_or(plain.as_str()),
            Self::Raw { text, .. } => text,
        }
    }

    pub(super) fn to_source(&self, range: Range<usize>) -> Range<usize> {
        match self {
            Self::Plain(p) | Self::Part { plain: p, .. } => p.to_source(range),
            Self::Raw { start, .. } => start + range.start..start + range.end,
        }
    }
}

pub(super) fn units<'a>(doc: &'a Document, scope: &Scope) -> Vec<Unit<'a>> {
    let blocks = |kind: Option<BlockKind>| -> Vec<Unit<'a>> {
        doc.blocks
            .iter()
            .filter(|b| kind.is_none_or(|k| b.kind == k))
            .map(|b| Unit::Plain(&b.text))
            .collect()
    };
    match scope {
        Scope::Step => doc
            .all_steps()
            .into_iter()
            .map(|s| Unit::Plain(&s.plain))
            .collect(),
        Scope::Instruction => doc
            .all_steps()
            .into_iter()
            .map(|s| Unit::Part {
                plain: &s.plain,
                end: first_sentence_end(s.plain.as_str()),
            })
            .collect(),
        Scope::Heading => blocks(Some(BlockKind::Heading)),
        Scope::TableCell => blocks(Some(BlockKind::TableCell)),
        Scope::Any => blocks(None),
        Scope::Paragraph => {
            let steps: BTreeSet<usize> = doc
                .all_steps()
                .iter()
                .map(|s| s.plain.source_range().start)
                .collect();
            doc.blocks
                .iter()
                .filter(|b| {
                    b.kind == BlockKind::Paragraph
                        && !(b.in_list && steps.contains(&b.text.source_range().start))
                })
                .map(|b| Unit::Plain(&b.text))
                .collect()
        }
        Scope::Escalation => {
            let sections: Vec<Range<usize>> = doc
                .sections_of(SectionKind::Escalation)
                .map(|s| s.body.start..s.body.end)
                .collect();
            if sections.is_empty() {
                // A chain found outside a recognised section: its level texts.
                return doc
                    .escalation
                    .iter()
                    .flat_map(|c| &c.levels)
                    .flat_map(|l| [&l.role, &l.trigger, &l.contact])
                    .flatten()
                    .filter_map(|s| raw(doc, s.span.range()))
                    .collect();
            }
            doc.blocks
                .iter()
                .filter(|b| {
                    let at = b.text.source_range().start;
                    sections.iter().any(|s| s.start <= at && at < s.end)
                })
                .map(|b| Unit::Plain(&b.text))
                .collect()
        }
        Scope::FrontMatter(field) => doc
            .field(field)
            .and_then(|f| raw(doc, f.span.range()))
            .into_iter()
            .collect(),
    }
}

/// Where the first sentence of `text` ends: after the first `.`, `!` or `?` that is followed
/// by a space and a capital letter (or the end), so that "e.g. the form" and "v1.2" do not
/// end it.
pub(super) fn first_sentence_end(text: &str) -> usize {
    for (i, c) in text.char_indices() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let rest = &text[i + c.len_utf8()..];
        let next = rest.trim_start().chars().next();
        let spaced = rest.starts_with(char::is_whitespace);
        if next.is_none() || (spaced && next.is_some_and(|n| n.is_uppercase())) {
            return i + c.len_utf8();
        }
    }
    text.len()
}

fn raw(doc: &Document, range: Range<usize>) -> Option<Unit<'_>> {
    let text = doc.source.get(range.clone())?;
    Some(Unit::Raw {
        text,
        start: range.start,
    })
}
