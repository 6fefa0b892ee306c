//! Markdown → [`Document`]: one pass over pulldown-cmark's events with byte offsets.
//!
//! The parts: `walker` reads the events into sections, blocks, links and list items;
//! `headings` records headings of every form (Markdown, bold, HTML); `lists` keeps the list
//! items and sends each top-level list to where it belongs; `roles` reads roles and
//! escalation levels from lists, `tables` roles, escalation levels and revisions from tables;
//! `assemble` reads the lists and numbered headings as steps once the language is known.

use pulldown_cmark::Options;

use super::{
    front_matter, make_span, Aliases, BlockKind, Document, LineIndex, Section, Spanned, TextBlock,
    TitleSource, DOCUMENT_SCHEMA,
};

mod assemble;
mod headings;
mod lists;
mod nesting;
mod roles;
mod tables;
mod walker;

use assemble::{parents, Assembler};
use headings::is_template;
use walker::Walker;

pub(crate) use nesting::{any_line_could_nest_beyond, nested_beyond};

/// Lists nested deeper than this are folded into their ancestor: the step tree stays shallow
/// enough to drop and serialise without deep recursion, whatever the input.
pub(super) const MAX_TREE_DEPTH: usize = 32;

/// What the parser needs to know beyond the text.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    pub aliases: Aliases,
    /// The language when the front matter has no `lang`.
    pub default_lang: Option<String>,
}

/// Markdown extensions in use, listed explicitly so that behaviour never changes by accident.
pub(super) fn markdown_options() -> Options {
    let mut o = Options::empty();
    o.insert(Options::ENABLE_TABLES);
    o.insert(Options::ENABLE_STRIKETHROUGH);
    o.insert(Options::ENABLE_TASKLISTS);
    o
}

/// Parses one SOP file. Never fails: problems are recorded in the model for rules to report.
pub fn parse(path: &str, source: String, opts: &ParseOptions) -> Document {
    let line_index = LineIndex::new(&source);
    let (front_matter, body_start) = match front_matter::parse(&source, &line_index) {
        Some((fm, end)) => (Some(fm), end),
        None => (None, usize::from(source.starts_with('\u{feff}')) * 3),
    };
    let mut walker = Walker::new(&source, &line_index, &opts.aliases);
    walker.walk(body_start);
    let content_starts = std::mem::take(&mut walker.content_starts);
    let heading_langs = std::mem::take(&mut walker.heading_langs);
    let pending = std::mem::take(&mut walker.pending);
    let heading_plain = std::mem::take(&mut walker.heading_plain);
    let next_list = walker.list_counter + 1;
    let mut doc = Document {
        schema: DOCUMENT_SCHEMA.to_string(),
        path: path.replace('\\', "/"),
        lang: String::new(),
        front_matter,
        title: walker.title,
        title_source: None,
        sections: walker.sections,
        steps: Vec::new(),
        step_lists: Vec::new(),
        roles: walker.roles,
        escalation: walker.escalation,
        revisions: walker.revisions,
        links: walker.links,
        blocks: walker.blocks,
        comments: walker.comments,
        source: String::new(),
        line_index,
    };
    finish_sections(
        &mut doc.sections,
        &content_starts,
        source.len(),
        &source,
        &doc.line_index,
    );
    doc.lang = doc
        .field_str("lang")
        .filter(|l| !l.trim().is_empty())
        .or_else(|| opts.default_lang.clone())
        .unwrap_or_else(|| detect_lang(&heading_langs, &doc.blocks));
    set_title(&mut doc);
    let assembler = Assembler {
        source: &source,
        index: &doc.line_index,
        aliases: &opts.aliases,
        lang: &doc.lang,
        sections: &doc.sections,
        heading_plain: &heading_plain,
        next_list,
        parents: parents(&doc.sections),
    };
    let (steps, step_lists) = assembler.assemble(pending);
    doc.steps = steps;
    doc.step_lists = step_lists;
    doc.source = source;
    doc
}

/// The title: the first H1, unless it is a template or missing; then the front matter `title`.
fn set_title(doc: &mut Document) {
    let fm_title = doc
        .front_matter
        .as_ref()
        .filter(|fm| fm.error.is_none())
        .and_then(|fm| fm.fields.get(super::keys::TITLE))
        .and_then(|f| {
            let text = f.as_text()?.trim().to_string();
            (!text.is_empty()).then_some(Spanned {
                value: text,
                span: f.span,
            })
        });
    match doc.title.take() {
        Some(h1) if is_template(&h1.value) => {
            doc.title_source = Some(TitleSource::Template);
            doc.title = Some(match fm_title {
                Some(t) => Spanned {
                    value: t.value,
                    span: h1.span,
                },
                None => h1,
            });
        }
        Some(h1) => {
            doc.title_source = Some(TitleSource::Heading);
            doc.title = Some(h1);
        }
        None => {
            doc.title_source = fm_title.as_ref().map(|_| TitleSource::FrontMatter);
            doc.title = fm_title;
        }
    }
}

/// Sets each section's body (to the next heading of the same or a higher level) and whether it
/// has content.
fn finish_sections(
    sections: &mut [Section],
    content_starts: &[usize],
    len: usize,
    source: &str,
    index: &LineIndex,
) {
    for i in 0..sections.len() {
        let level = sections[i].level;
        let start = sections[i].span.end;
        let end = sections[i + 1..]
            .iter()
            .find(|s| s.level <= level)
            .map_or(len, |s| s.span.start);
        let first = content_starts.partition_point(|&c| c < start);
        sections[i].has_content = content_starts.get(first).is_some_and(|&c| c < end);
        sections[i].body = make_span(source, index, start..end.max(start));
    }
}

/// The language of a document without `lang`: the language of the headings' aliases when they
/// agree on one other than English, else English when the prose reads as English.
fn detect_lang(heading_langs: &[&'static str], blocks: &[TextBlock]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for lang in heading_langs {
        match counts.iter_mut().find(|(l, _)| l == lang) {
            Some((_, n)) => *n += 1,
            None => counts.push((lang, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if let Some((lang, _)) = counts.first() {
        if *lang != "en" && *lang != "*" {
            return (*lang).to_string();
        }
    }
    let mut sample = String::new();
    for b in blocks.iter().filter(|b| b.kind == BlockKind::Paragraph) {
        sample.push_str(b.text.as_str());
        sample.push(' ');
        if sample.len() > 1500 {
            break;
        }
    }
    // Too little prose to judge: English, the default of the rule set.
    // Counting stops at the twelfth word: only "fewer than 12" matters.
    let words = sample.split_whitespace().take(12).count();
    if words < 12 || crate::lang::en::looks_english(&sample) {
        "en".to_string()
    } else {
        crate::lang::detect_seed_language(&sample)
            .unwrap_or("und")
            .to_string()
    }
}

#[cfg(test)]
mod tests;
