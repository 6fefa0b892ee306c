//! Markdown → [`Document`]: one pass over pulldown-cmark's events with byte offsets.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::aliases::{column, Column, RevisionColumns};
use super::escalation::{
    find_contact, find_time, find_trigger, has_level_marker, is_condition_label, is_priority_label,
    names_escalation, parse_minutes,
};
use super::steps::{self, FoundBy};
use super::{
    front_matter, make_span, Aliases, BlockKind, ChainForm, Document, EscalationChain, HeadingForm,
    Level, LineIndex, Link, PlainText, Revision, Role, Section, SectionKind, Span, Spanned, Step,
    StepField, StepList, TextBlock, TitleSource, Within, DOCUMENT_SCHEMA,
};

/// Lists nested deeper than this are folded into their ancestor: the step tree stays shallow
/// enough to drop and serialise without deep recursion, whatever the input.
const MAX_TREE_DEPTH: usize = 32;

/// What the parser needs to know beyond the text.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    pub aliases: Aliases,
    /// The language when the front matter has no `lang`.
    pub default_lang: Option<String>,
}

/// Markdown extensions in use, listed explicitly so that behaviour never changes by accident.
fn markdown_options() -> Options {
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

/// Whether a heading's text is a template expression (ERB, Liquid, Handlebars).
fn is_template(text: &str) -> bool {
    text.contains("<%") || text.contains("{{") || text.contains("{%")
}

/// The title: the first H1, unless it is a template or missing; then the front matter `title`.
fn set_title(doc: &mut Document) {
    let fm_title = doc
        .front_matter
        .as_ref()
        .filter(|fm| fm.error.is_none())
        .and_then(|fm| fm.fields.get("title"))
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
    let words = sample.split_whitespace().count();
    if words < 12 || crate::lang::en::looks_english(&sample) {
        "en".to_string()
    } else {
        crate::lang::detect_seed_language(&sample)
            .unwrap_or("und")
            .to_string()
    }
}

/// A list item being read.
struct ItemFrame {
    range: Range<usize>,
    number: Option<String>,
    ordered: bool,
    depth: usize,
    list: usize,
    text: Option<PlainText>,
    /// Text offsets of the line breaks in `text`.
    breaks: Vec<usize>,
    strong: Option<(String, Range<usize>)>,
    /// (text, target) of a link at the start of the first paragraph, for telling link lists.
    link: Option<(String, String)>,
    children: Vec<Item>,
}

/// A finished list item, before it is read as a step, a role or a level.
struct Item {
    range: Range<usize>,
    number: Option<String>,
    ordered: bool,
    depth: usize,
    list: usize,
    text: PlainText,
    breaks: Vec<usize>,
    strong: Option<(String, Range<usize>)>,
    link: Option<(String, String)>,
    children: Vec<Item>,
}

/// A top-level list waiting for the document's language before it is read as steps or not.
struct Pending {
    id: usize,
    items: Vec<Item>,
    ordered: bool,
    /// Indices of the enclosing sections, outermost first.
    chain: Vec<usize>,
    /// Found in a Procedure section.
    in_procedure: bool,
    /// The paragraph just before the list.
    intro: Option<String>,
}

/// The last top-level ordered list, to join a list that goes on after a note, an image, a table
/// or a code block.
struct LastList {
    id: usize,
    last_number: u64,
    sections: usize,
}

struct ListFrame {
    ordered: bool,
    id: usize,
    /// Items finished at this level (top-level lists only keep them here).
    items: Vec<Item>,
}

#[derive(Default)]
struct TableState {
    rows: Vec<(Range<usize>, Vec<PlainText>)>,
    row: Vec<PlainText>,
    row_range: Range<usize>,
}

struct Walker<'a> {
    source: &'a str,
    index: &'a LineIndex,
    aliases: &'a Aliases,
    sections: Vec<Section>,
    /// (heading level, kind, section index) of the enclosing headings.
    heading_stack: Vec<(u8, Option<SectionKind>, usize)>,
    /// The plain text of every section's heading.
    heading_plain: Vec<PlainText>,
    heading_anchor: Option<String>,
    pending: Vec<Pending>,
    /// The last paragraph and the number of sections when it was read.
    intro: Option<(String, usize)>,
    last_list: Option<LastList>,
    in_quote: usize,
    heading_langs: Vec<&'static str>,
    roles: Vec<Role>,
    escalation: Option<EscalationChain>,
    revisions: Vec<Revision>,
    links: Vec<Link>,
    blocks: Vec<TextBlock>,
    comments: Vec<Spanned<String>>,
    title: Option<Spanned<String>>,
    content_starts: Vec<usize>,
    // Inline capture.
    buffer: Option<(BlockKind, PlainText)>,
    strong_start: Option<usize>,
    link_start: Option<(String, usize, Range<usize>)>,
    in_code_block: usize,
    in_image: usize,
    /// Text offsets of line breaks in the buffer.
    buffer_breaks: Vec<usize>,
    lists: Vec<ListFrame>,
    items: Vec<ItemFrame>,
    list_counter: usize,
    table: Option<TableState>,
}

impl<'a> Walker<'a> {
    fn new(source: &'a str, index: &'a LineIndex, aliases: &'a Aliases) -> Self {
        Self {
            source,
            index,
            aliases,
            sections: Vec::new(),
            heading_stack: Vec::new(),
            heading_plain: Vec::new(),
            heading_anchor: None,
            pending: Vec::new(),
            intro: None,
            last_list: None,
            in_quote: 0,
            heading_langs: Vec::new(),
            roles: Vec::new(),
            escalation: None,
            revisions: Vec::new(),
            links: Vec::new(),
            blocks: Vec::new(),
            comments: Vec::new(),
            title: None,
            content_starts: Vec::new(),
            buffer: None,
            strong_start: None,
            link_start: None,
            in_code_block: 0,
            in_image: 0,
            buffer_breaks: Vec::new(),
            lists: Vec::new(),
            items: Vec::new(),
            list_counter: 0,
            table: None,
        }
    }

    fn span(&self, range: Range<usize>) -> Span {
        make_span(self.source, self.index, range)
    }

    fn current_kind(&self) -> Option<SectionKind> {
        self.heading_stack.iter().rev().find_map(|(_, k, _)| *k)
    }

    /// Whether an enclosing Escalation heading names escalation itself ("Escalation path"),
    /// rather than contacts, help or on-call, which share the section kind but hold ordinary
    /// lists (hours, eligibility, ways to ask for help) as often as a chain.
    fn under_escalation_heading(&self) -> bool {
        self.heading_stack.iter().any(|(_, k, i)| {
            *k == Some(SectionKind::Escalation)
                && self
                    .sections
                    .get(*i)
                    .is_some_and(|s| names_escalation(&s.heading))
        })
    }

    fn walk(&mut self, body_start: usize) {
        let body = &self.source[body_start..];
        let parser = Parser::new_ext(body, markdown_options()).into_offset_iter();
        for (event, range) in parser {
            let range = range.start + body_start..range.end + body_start;
            self.event(event, range);
        }
        self.flush();
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) => {
                if self.in_code_block > 0 || self.in_image > 0 {
                    return;
                }
                let buf = self.ensure_buffer(range.start);
                buf.push(&text, range);
            }
            Event::Code(code) => {
                if self.in_image > 0 {
                    return;
                }
                let raw = &self.source[range.clone()];
                let inner = raw.find(code.as_ref()).map_or(range.clone(), |i| {
                    range.start + i..range.start + i + code.len()
                });
                let buf = self.ensure_buffer(range.start);
                buf.push(&code, inner);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, buf)) = self.buffer.as_mut() {
                    buf.push_sep(" ", range.start);
                    self.buffer_breaks.push(buf.as_str().len());
                }
            }
            Event::InlineHtml(html) => {
                if matches!(self.buffer, Some((BlockKind::Heading, _)))
                    && self.heading_anchor.is_none()
                {
                    self.heading_anchor =
                        html_attr(&html, "name").or_else(|| html_attr(&html, "id"));
                }
                self.comments_in(range);
            }
            Event::Html(_) => self.comments_in(range),
            Event::Rule => self.flush(),
            _ => {}
        }
    }

    /// The inline buffer; tight list items have text without a paragraph around it.
    fn ensure_buffer(&mut self, at: usize) -> &mut PlainText {
        if self.buffer.is_none() {
            self.buffer_breaks.clear();
            self.content_starts.push(at);
            self.buffer = Some((BlockKind::Paragraph, PlainText::default()));
        }
        &mut self.buffer.as_mut().expect("buffer was just set").1
    }

    /// Ends the current inline block: records it, and gives a list item its text.
    fn flush(&mut self) {
        let Some((kind, text)) = self.buffer.take() else {
            return;
        };
        self.strong_start = None;
        let breaks = std::mem::take(&mut self.buffer_breaks);
        if text.is_empty() {
            return;
        }
        let in_list = !self.items.is_empty();
        if kind == BlockKind::Paragraph {
            if let Some(item) = self.items.last_mut() {
                if item.text.is_none() {
                    item.text = Some(text.clone());
                    item.breaks = breaks;
                }
            } else if self.in_quote == 0 && self.table.is_none() {
                self.intro = Some((text.as_str().trim().to_string(), self.sections.len()));
            }
        }
        self.blocks.push(TextBlock {
            kind,
            section: self.sections.len().checked_sub(1),
            in_list,
            text,
        });
    }

    fn comments_in(&mut self, range: Range<usize>) {
        let raw = &self.source[range.clone()];
        let mut from = 0;
        while let Some(open) = raw[from..].find("<!--") {
            let s = from + open;
            let Some(close) = raw[s + 4..].find("-->") else {
                break;
            };
            let e = s + 4 + close + 3;
            let inner = raw[s + 4..e - 3].trim().to_string();
            let span = self.span(range.start + s..range.start + e);
            // Html events of one block overlap their block's Start range: keep each comment once.
            if !self.comments.iter().any(|c| c.span.start == span.start) {
                self.comments.push(Spanned { value: inner, span });
            }
            from = e;
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Heading { .. } => {
                self.flush();
                self.heading_anchor = None;
                self.buffer_breaks.clear();
                self.buffer = Some((BlockKind::Heading, PlainText::default()));
            }
            Tag::Paragraph => {
                self.flush();
                self.content_starts.push(range.start);
                self.buffer_breaks.clear();
                self.buffer = Some((BlockKind::Paragraph, PlainText::default()));
            }
            Tag::List(first) => {
                self.flush();
                self.content_starts.push(range.start);
                if let Some(item) = self.items.last_mut() {
                    item.text.get_or_insert_with(PlainText::default);
                }
                let goes_on = match (&self.last_list, first) {
                    (Some(last), Some(n)) => {
                        self.lists.is_empty()
                            && n > 1
                            && last.last_number.checked_add(1) == Some(n)
                            && last.sections == self.sections.len()
                    }
                    _ => false,
                };
                let id = if goes_on {
                    // The numbering goes on after a note, an image, a table or a code block:
                    // the same list.
                    self.last_list.as_ref().map_or(0, |l| l.id)
                } else if self.lists.is_empty() {
                    self.list_counter += 1;
                    self.list_counter
                } else {
                    self.lists.last().map_or(0, |l| l.id)
                };
                self.lists.push(ListFrame {
                    ordered: first.is_some(),
                    id,
                    items: Vec::new(),
                });
            }
            Tag::Item => {
                self.flush();
                let depth = self.lists.len();
                if depth > MAX_TREE_DEPTH {
                    return;
                }
                let (ordered, list) = self.lists.last().map_or((false, 0), |l| (l.ordered, l.id));
                let number = ordered
                    .then(|| written_number(&self.source[range.clone()]))
                    .flatten();
                self.items.push(ItemFrame {
                    range,
                    number,
                    ordered,
                    depth,
                    list,
                    text: None,
                    breaks: Vec::new(),
                    strong: None,
                    link: None,
                    children: Vec::new(),
                });
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                if self.items.is_empty() {
                    self.intro = None;
                }
                self.content_starts.push(range.start);
                if let Some(item) = self.items.last_mut() {
                    if matches!(kind, CodeBlockKind::Indented | CodeBlockKind::Fenced(_)) {
                        item.text.get_or_insert_with(PlainText::default);
                    }
                }
                self.in_code_block += 1;
            }
            Tag::HtmlBlock => {
                self.flush();
                let raw = self.source[range.clone()].trim();
                if !(raw.starts_with("<!--") && raw.ends_with("-->")) {
                    self.content_starts.push(range.start);
                }
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.in_quote += 1;
                self.content_starts.push(range.start);
            }
            Tag::Table(_) => {
                self.flush();
                if self.items.is_empty() {
                    self.intro = None;
                }
                self.content_starts.push(range.start);
                self.table = Some(TableState::default());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.row.clear();
                    t.row_range = range;
                }
            }
            Tag::TableCell => {
                self.flush();
                self.buffer = Some((BlockKind::TableCell, PlainText::default()));
            }
            Tag::Strong => {
                if self.in_image > 0 {
                    return;
                }
                // A tight list item has no paragraph: its buffer starts here when it opens bold.
                let buf = self.ensure_buffer(range.start);
                self.strong_start = Some(buf.as_str().len());
            }
            Tag::Link { dest_url, .. } => {
                let at = self.buffer.as_ref().map_or(0, |(_, b)| b.as_str().len());
                self.link_start = Some((dest_url.to_string(), at, range));
            }
            Tag::Image { .. } => self.in_image += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::Heading(level) => self.end_heading(level as u8, range),
            TagEnd::Paragraph if self.bold_heading(range.clone()) => {}
            TagEnd::Paragraph => self.flush(),
            TagEnd::BlockQuote(_) => self.in_quote = self.in_quote.saturating_sub(1),
            TagEnd::Item => {
                self.flush();
                if self.lists.len() > MAX_TREE_DEPTH {
                    return;
                }
                let Some(frame) = self.items.pop() else {
                    return;
                };
                let item = Item {
                    range: frame.range,
                    number: frame.number,
                    ordered: frame.ordered,
                    depth: frame.depth,
                    list: frame.list,
                    text: frame.text.unwrap_or_default(),
                    breaks: frame.breaks,
                    strong: frame.strong,
                    link: frame.link,
                    children: frame.children,
                };
                match self.items.last_mut() {
                    Some(parent) if parent.depth < item.depth => parent.children.push(item),
                    _ => {
                        if let Some(list) = self.lists.last_mut() {
                            list.items.push(item);
                        }
                    }
                }
            }
            TagEnd::List(_) => {
                self.flush();
                let Some(list) = self.lists.pop() else {
                    return;
                };
                if self.items.is_empty() || self.lists.is_empty() {
                    self.last_list = match (list.ordered, list.items.last()) {
                        (true, Some(last)) => Some(LastList {
                            id: list.id,
                            last_number: last
                                .number
                                .as_deref()
                                .and_then(|n| n.parse().ok())
                                .unwrap_or(u64::MAX),
                            sections: self.sections.len(),
                        }),
                        _ => None,
                    };
                    self.top_level_list(list.items, list.id, list.ordered);
                } else if let Some(parent) = self.items.last_mut() {
                    // Items of a list nested deeper than the tree keeps.
                    parent.children.extend(list.items);
                }
            }
            TagEnd::CodeBlock => self.in_code_block = self.in_code_block.saturating_sub(1),
            TagEnd::HtmlBlock => {
                self.comments_in(range.clone());
                if self.items.is_empty() && self.in_quote == 0 {
                    self.html_headings(range);
                }
            }
            TagEnd::TableCell => {
                let cell = match self.buffer.take() {
                    Some((kind, text)) => {
                        if !text.is_empty() {
                            self.blocks.push(TextBlock {
                                kind,
                                section: self.sections.len().checked_sub(1),
                                in_list: !self.items.is_empty(),
                                text: text.clone(),
                            });
                        }
                        text
                    }
                    None => PlainText::default(),
                };
                if let Some(t) = self.table.as_mut() {
                    t.row.push(cell);
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push((t.row_range.clone(), row));
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.finish_table(t, range);
                }
            }
            TagEnd::Strong => {
                if let (Some(start), Some((_, buf))) =
                    (self.strong_start.take(), self.buffer.as_ref())
                {
                    let end = buf.as_str().len();
                    let text = buf.as_str()[start..end].trim().to_string();
                    let src = buf.to_source(start..end);
                    if let Some(item) = self.items.last_mut() {
                        if item.strong.is_none() && !text.is_empty() && item.text.is_none() {
                            item.strong = Some((text, src));
                        }
                    }
                }
            }
            TagEnd::Link => {
                if let Some((target, at, range)) = self.link_start.take() {
                    let text = self
                        .buffer
                        .as_ref()
                        .map(|(_, b)| b.as_str().get(at..).unwrap_or("").to_string())
                        .unwrap_or_default();
                    let first = self.buffer.as_ref().is_some_and(|(_, b)| {
                        !b.as_str()
                            .get(..at)
                            .unwrap_or("")
                            .chars()
                            .any(char::is_alphanumeric)
                    });
                    if first {
                        if let Some(item) = self.items.last_mut() {
                            if item.text.is_none() && item.link.is_none() {
                                item.link = Some((text.clone(), target.clone()));
                            }
                        }
                    }
                    let span = self.span(range);
                    self.links.push(Link { target, text, span });
                }
            }
            TagEnd::Image => self.in_image = self.in_image.saturating_sub(1),
            _ => {}
        }
    }

    fn end_heading(&mut self, level: u8, range: Range<usize>) {
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
    fn bold_heading(&mut self, range: Range<usize>) -> bool {
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
    fn html_headings(&mut self, range: Range<usize>) {
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

    fn top_level_list(&mut self, items: Vec<Item>, id: usize, ordered: bool) {
        let intro = self
            .intro
            .take()
            .filter(|(_, n)| *n == self.sections.len())
            .map(|(t, _)| t);
        let chain: Vec<usize> = self.heading_stack.iter().map(|(_, _, i)| *i).collect();
        match self.current_kind() {
            Some(SectionKind::Procedure) => self.pending.push(Pending {
                id,
                items,
                ordered,
                chain,
                in_procedure: true,
                intro,
            }),
            Some(SectionKind::Roles) => {
                for item in items {
                    if let Some(role) = self.role_from_item(&item) {
                        self.roles.push(role);
                    }
                }
            }
            Some(SectionKind::Escalation)
                if self.escalation.is_none()
                    && !items.is_empty()
                    && (self.under_escalation_heading() || orders_levels(&items)) =>
            {
                let start = items.first().map_or(0, |i| i.range.start);
                let end = items.last().map_or(0, |i| i.range.end);
                let levels = items.iter().map(|i| self.level_from_item(i)).collect();
                self.escalation = Some(EscalationChain {
                    form: ChainForm::List,
                    span: self.span(start..end),
                    levels,
                });
            }
            Some(
                SectionKind::Escalation
                | SectionKind::References
                | SectionKind::RevisionHistory
                | SectionKind::Definitions,
            ) => {}
            _ => self.pending.push(Pending {
                id,
                items,
                ordered,
                chain,
                in_procedure: false,
                intro,
            }),
        }
    }

    fn role_from_item(&self, item: &Item) -> Option<Role> {
        let text = item.text.as_str();
        let (name, name_src) = match &item.strong {
            Some((name, src)) => (name.trim_end_matches(':').trim().to_string(), src.clone()),
            None => {
                let end = ['—', '–', ':']
                    .iter()
                    .filter_map(|c| text.find(*c))
                    .chain(text.find(" - "))
                    .min()?;
                let name = text[..end].trim();
                let lead = text.len() - text.trim_start().len();
                (
                    name.to_string(),
                    item.text.to_source(lead..lead + name.len()),
                )
            }
        };
        if name.is_empty() || name.split_whitespace().count() > 6 {
            return None;
        }
        let description = text
            .split_once(name.as_str())
            .map(|(_, rest)| {
                rest.trim_start_matches([':', '—', '–', '-', ' ', '*'])
                    .trim()
            })
            .unwrap_or("")
            .to_string();
        Some(Role {
            name,
            description,
            span: self.span(name_src),
        })
    }

    fn level_from_item(&self, item: &Item) -> Level {
        let text = item.text.as_str();
        let spanned = |r: Range<usize>| Spanned {
            value: text[r.clone()].trim().to_string(),
            span: self.span(item.text.to_source(r)),
        };
        let role = match &item.strong {
            Some((name, src)) => Some(Spanned {
                value: name.trim_end_matches(':').trim().to_string(),
                span: self.span(src.clone()),
            }),
            None => {
                let end = [',', ':', '—', '–', '(']
                    .iter()
                    .filter_map(|c| text.find(*c))
                    .min()
                    .unwrap_or(text.len());
                let lead = text.len() - text.trim_start().len();
                (end > lead).then(|| spanned(lead..end))
            }
        };
        // A bold lead-in that is a condition ("**P1/P2:** Legal is engaged") is the trigger,
        // and so is a condition in a sub-list ("Severity-based escalation:" then "P1/P2: …").
        let label_trigger = item
            .strong
            .as_ref()
            .filter(|(name, _)| is_condition_label(name))
            .map(|(name, src)| Spanned {
                value: name.trim_end_matches(':').trim().to_string(),
                span: self.span(src.clone()),
            });
        let child_trigger = || {
            item.children.iter().find_map(|c| {
                let label = c.strong.as_ref().filter(|(n, _)| is_condition_label(n));
                let t = c.text.as_str();
                let r = label
                    .map(|(_, src)| src.clone())
                    .or_else(|| find_trigger(t).map(|r| c.text.to_source(r)))?;
                Some(Spanned {
                    value: self.source.get(r.clone()).unwrap_or("").trim().to_string(),
                    span: self.span(r),
                })
            })
        };
        let trigger = find_trigger(text)
            .map(&spanned)
            .or(label_trigger)
            .or_else(child_trigger);
        let within = find_time(text).map(|r| Within {
            text: text[r.clone()].to_string(),
            minutes: parse_minutes(&text[r.clone()]),
            span: self.span(item.text.to_source(r)),
        });
        let contact = find_contact(text).map(&spanned);
        Level {
            number: item.number.clone(),
            role,
            trigger,
            within,
            contact,
            span: self.span(item.range.clone()),
        }
    }

    fn finish_table(&mut self, table: TableState, range: Range<usize>) {
        let Some(((_, header), rows)) = table.rows.split_first() else {
            return;
        };
        let columns: Vec<Option<Column>> = header.iter().map(|h| column(h.as_str())).collect();
        let col = |c: Column| columns.iter().position(|x| *x == Some(c));
        let cell_text = |row: &[PlainText], i: Option<usize>| -> Option<(String, Range<usize>)> {
            let cell = row.get(i?)?;
            let t = cell.as_str().trim();
            let lead = cell.as_str().len() - cell.as_str().trim_start().len();
            (!t.is_empty()).then(|| (t.to_string(), cell.to_source(lead..lead + t.len())))
        };
        match self.current_kind() {
            Some(SectionKind::Escalation) if self.escalation.is_none() => {
                let Some(role_col) = col(Column::Role) else {
                    return;
                };
                // A Role | Responsibility table under "Communication & Escalation" lists who
                // does what, not who takes over when: a chain has a level, trigger, time or
                // contact column too.
                let chain_cols = [
                    Column::Level,
                    Column::Trigger,
                    Column::Time,
                    Column::Contact,
                ];
                if !chain_cols.into_iter().any(|c| col(c).is_some()) {
                    return;
                }
                // Under a Contacts, Getting help or On-call heading a table of roles and
                // contacts is a directory; it orders levels only with a level, trigger or time
                // column.
                if !self.under_escalation_heading()
                    && ![Column::Level, Column::Trigger, Column::Time]
                        .into_iter()
                        .any(|c| col(c).is_some())
                {
                    return;
                }
                // A trigger-to-priority table ("Escalate to: P1") maps conditions to
                // priorities, not to roles that take over.
                let priorities = rows
                    .iter()
                    .filter(|(_, row)| {
                        cell_text(row, Some(role_col)).is_some_and(|(t, _)| is_priority_label(&t))
                    })
                    .count();
                if priorities * 2 > rows.len() {
                    return;
                }
                let spanned = |v: Option<(String, Range<usize>)>| {
                    v.filter(|(t, _)| !is_blank_cell(t))
                        .map(|(value, r)| Spanned {
                            value,
                            span: self.span(r),
                        })
                };
                let levels = rows
                    .iter()
                    .map(|(row_range, row)| {
                        let time = cell_text(row, col(Column::Time))
                            .filter(|(t, _)| !is_blank_cell(t))
                            .map(|(text, r)| Within {
                                minutes: parse_minutes(&text),
                                text,
                                span: self.span(r),
                            });
                        Level {
                            number: cell_text(row, col(Column::Level)).map(|(t, _)| t),
                            role: spanned(cell_text(row, Some(role_col))),
                            trigger: spanned(cell_text(row, col(Column::Trigger))),
                            within: time,
                            contact: spanned(cell_text(row, col(Column::Contact))),
                            span: self.span(row_range.clone()),
                        }
                    })
                    .collect();
                self.escalation = Some(EscalationChain {
                    form: ChainForm::Table,
                    span: self.span(range),
                    levels,
                });
            }
            Some(SectionKind::Roles) => {
                let name_col = col(Column::Role).unwrap_or(0);
                let desc_col =
                    col(Column::Description).or(if name_col == 0 { Some(1) } else { Some(0) });
                for (_, row) in rows {
                    if let Some((name, r)) = cell_text(row, Some(name_col)) {
                        self.roles.push(Role {
                            name,
                            description: cell_text(row, desc_col)
                                .map(|(t, _)| t)
                                .unwrap_or_default(),
                            span: self.span(r),
                        });
                    }
                }
            }
            Some(SectionKind::RevisionHistory) => {
                let at = RevisionColumns::of(&columns);
                for (row_range, row) in rows {
                    let get = |i| cell_text(row, i).map(|(t, _)| t).unwrap_or_default();
                    self.revisions.push(Revision {
                        version: get(at.version),
                        date: get(at.date),
                        author: get(at.author),
                        change: get(at.change),
                        span: self.span(row_range.clone()),
                    });
                }
            }
            _ => {}
        }
    }
}

fn is_blank_cell(text: &str) -> bool {
    matches!(text.trim(), "" | "-" | "—" | "–" | "n/a" | "N/A")
}

/// The number of an ordered list item as written: "12" for "12. Do it".
fn written_number(item_source: &str) -> Option<String> {
    let t = item_source.trim_start();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

/// The value of attribute `name` in an HTML tag's text.
fn html_attr(html: &str, name: &str) -> Option<String> {
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

/// A run of step headings: its list id, its headings (section indices) and why.
type Run = (usize, Vec<usize>, String);

/// Bare-numbered headings under one (parent, level): (section index, number, prefix length).
type BareGroup = ((Option<usize>, u8), Vec<(usize, u64, usize)>);

/// What a heading is for the step rules.
#[derive(Debug, Clone)]
enum HeadingRole {
    /// A step heading: its number and the byte length of its prefix ("Step 2: ").
    Step {
        number: String,
        prefix: usize,
    },
    Phase,
}

/// Reads the pending lists and the numbered headings as steps, once the language is known.
struct Assembler<'a> {
    source: &'a str,
    index: &'a LineIndex,
    aliases: &'a Aliases,
    lang: &'a str,
    sections: &'a [Section],
    heading_plain: &'a [PlainText],
    next_list: usize,
    /// The parent of every section: the nearest earlier one with a lower level.
    parents: Vec<Option<usize>>,
}

/// The parent of every section, in one pass with a stack.
fn parents(sections: &[Section]) -> Vec<Option<usize>> {
    let mut stack: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(sections.len());
    for (i, s) in sections.iter().enumerate() {
        while stack.last().is_some_and(|&k| sections[k].level >= s.level) {
            stack.pop();
        }
        out.push(stack.last().copied());
        stack.push(i);
    }
    out
}

impl Assembler<'_> {
    fn span(&self, range: Range<usize>) -> Span {
        make_span(self.source, self.index, range)
    }

    fn instruction(&self, text: &str) -> bool {
        steps::opens_with_instruction(text, self.lang)
    }

    /// The nearest earlier section with a lower level.
    fn parent_of(&self, i: usize) -> Option<usize> {
        self.parents.get(i).copied().flatten()
    }

    fn heading_text(&self, i: usize) -> &str {
        self.heading_plain.get(i).map_or("", PlainText::as_str)
    }

    /// Step and phase headings, and the runs of step headings with their reasons.
    fn heading_roles(&mut self) -> (Vec<Option<HeadingRole>>, Vec<Run>) {
        let n = self.sections.len();
        let mut roles: Vec<Option<HeadingRole>> = vec![None; n];
        let mut runs: Vec<Run> = Vec::new();
        // (parent, level) -> (index in `runs`, last number) of the run of keyword step headings.
        let mut keyword_runs: HashMap<(Option<usize>, u8), (usize, u64)> = HashMap::new();
        // (parent, level) -> bare-numbered candidates in order (groups in order of first use).
        let mut bare_at: HashMap<(Option<usize>, u8), usize> = HashMap::new();
        let mut bare: Vec<BareGroup> = Vec::new();
        for (i, section) in self.sections.iter().enumerate() {
            if section.level < 2 || section.form == HeadingForm::Bold {
                continue;
            }
            let Some(hn) = steps::heading_number(self.heading_text(i)) else {
                continue;
            };
            let key = (self.parent_of(i), section.level);
            if hn.phase {
                roles[i] = Some(HeadingRole::Phase);
            } else if hn.keyword.is_some() {
                let num: u64 = hn.number.parse().unwrap_or(0);
                // Numbering that starts again ("Step 1" after "Step 3") starts a new run.
                let at = match keyword_runs.get(&key) {
                    Some(&(at, last)) if num > last => {
                        keyword_runs.insert(key, (at, num));
                        at
                    }
                    _ => {
                        let r = self.next_list;
                        self.next_list += 1;
                        keyword_runs.insert(key, (runs.len(), num));
                        let first = hn.keyword.clone().unwrap_or_default();
                        runs.push((
                            r,
                            Vec::new(),
                            format!("headings numbered as steps (“{first} {}”)", hn.number),
                        ));
                        runs.len() - 1
                    }
                };
                if let Some(entry) = runs.get_mut(at) {
                    entry.1.push(i);
                }
                roles[i] = Some(HeadingRole::Step {
                    number: hn.number,
                    prefix: hn.prefix,
                });
            } else if let Ok(num) = hn.number.parse::<u64>() {
                match bare_at.get(&key) {
                    Some(&at) => bare[at].1.push((i, num, hn.prefix)),
                    None => {
                        bare_at.insert(key, bare.len());
                        bare.push((key, vec![(i, num, hn.prefix)]));
                    }
                }
            }
        }
        for ((parent, _), candidates) in bare {
            let parent_heading = parent.map_or("", |p| self.sections[p].heading.as_str());
            if parent.is_some() && steps::vetoes(parent_heading) {
                continue;
            }
            // The title says little ("… runbook"): only a section heading counts as the parent.
            let parent_procedure = parent.is_some_and(|p| {
                self.sections[p].level > 1
                    && (self.sections[p].kind == Some(SectionKind::Procedure)
                        || steps::heading_cue(parent_heading).is_some())
            });
            let mut k = 0;
            while k < candidates.len() {
                let mut end = k + 1;
                while end < candidates.len()
                    && candidates[end - 1].1.checked_add(1) == Some(candidates[end].1)
                {
                    end += 1;
                }
                let run = &candidates[k..end];
                k = end;
                if run.len() < 2 {
                    continue;
                }
                let rests: Vec<&str> = run
                    .iter()
                    .map(|(i, _, prefix)| self.heading_text(*i).get(*prefix..).unwrap_or(""))
                    .collect();
                if rests.iter().any(|r| self.aliases.section(r).is_some()) {
                    continue;
                }
                let instructions = rests.iter().filter(|r| self.instruction(r)).count();
                let reason = if parent_procedure {
                    format!(
                        "headings numbered {} to {} under “{parent_heading}”",
                        run[0].1,
                        run[run.len() - 1].1
                    )
                } else if instructions * 2 > run.len() {
                    format!(
                        "headings numbered {} to {} in sequence; {instructions} of {} open with an instruction",
                        run[0].1,
                        run[run.len() - 1].1,
                        run.len()
                    )
                } else {
                    continue;
                };
                let id = self.next_list;
                self.next_list += 1;
                for (i, num, prefix) in run {
                    roles[*i] = Some(HeadingRole::Step {
                        number: num.to_string(),
                        prefix: *prefix,
                    });
                }
                runs.push((id, run.iter().map(|(i, _, _)| *i).collect(), reason));
            }
        }
        (roles, runs)
    }

    fn assemble(mut self, pending: Vec<Pending>) -> (Vec<Step>, Vec<StepList>) {
        let (roles, runs) = self.heading_roles();
        // Top-level steps with their source position; sub-steps of step headings by section.
        let mut top: Vec<(usize, Step)> = Vec::new();
        let mut under: HashMap<usize, Vec<Step>> = HashMap::new();
        let mut lists: Vec<StepList> = Vec::new();
        // Lists that go on after a note share an id: read them together.
        let mut groups: Vec<Vec<Pending>> = Vec::new();
        for p in pending {
            match groups.last_mut() {
                Some(g) if g.first().is_some_and(|f| f.id == p.id) => g.push(p),
                _ => groups.push(vec![p]),
            }
        }
        for group in groups {
            let Some(first) = group.first() else {
                continue;
            };
            let id = first.id;
            let chain = first.chain.clone();
            let in_procedure = first.in_procedure;
            let ordered = first.ordered;
            let intro = first.intro.clone();
            let items: Vec<Item> = group.into_iter().flat_map(|p| p.items).collect();
            let step_heading = chain
                .iter()
                .rev()
                .find(|&&i| matches!(roles.get(i), Some(Some(HeadingRole::Step { .. }))))
                .copied();
            let phase = chain
                .iter()
                .rev()
                .find(|&&i| matches!(roles.get(i), Some(Some(HeadingRole::Phase))))
                .copied();
            let innermost = chain.last().copied();
            let heading = innermost.map(|i| self.sections[i].heading.clone());
            let quote = |i: usize| format!("“{}”", self.sections[i].heading);
            let questions = items
                .iter()
                .filter(|i| steps::is_question(i.text.as_str()))
                .count();
            let found: Option<(FoundBy, String)> = if in_procedure {
                let at = chain
                    .iter()
                    .rev()
                    .find(|&&i| self.sections[i].kind == Some(SectionKind::Procedure))
                    .copied();
                Some((
                    FoundBy::Section,
                    match at {
                        Some(i) => format!("in {}, a procedure section", quote(i)),
                        None => "in a procedure section".to_string(),
                    },
                ))
            } else if !ordered || questions * 2 >= items.len() {
                // Bullets outside a procedure section, and lists of questions, are not steps.
                None
            } else if let Some(i) = step_heading {
                Some((
                    FoundBy::StepHeading,
                    format!("under the step heading {}", quote(i)),
                ))
            } else if let Some(i) = phase {
                Some((
                    FoundBy::PhaseHeading,
                    format!("under the phase heading {}", quote(i)),
                ))
            } else {
                self.classify(&items, heading.as_deref(), intro.as_deref())
            };
            let Some((found_by, reason)) = found else {
                continue;
            };
            let start = items.first().map_or(0, |i| i.range.start);
            let end = items.last().map_or(0, |i| i.range.end);
            lists.push(StepList {
                list: id,
                span: self.span(start..end),
                section: heading,
                found_by,
                reason,
            });
            match step_heading {
                Some(h) => {
                    let steps: Vec<Step> = items.into_iter().map(|i| self.step(i, 1)).collect();
                    under.entry(h).or_default().extend(steps);
                }
                None => {
                    for item in items {
                        let at = item.range.start;
                        top.push((at, self.step(item, 0)));
                    }
                }
            }
        }
        for (run, members, reason) in &runs {
            let (Some(first), Some(last)) = (members.first(), members.last()) else {
                continue;
            };
            let parent = self
                .parent_of(*first)
                .map(|p| self.sections[p].heading.clone());
            lists.push(StepList {
                list: *run,
                span: self.span(self.sections[*first].span.start..self.sections[*last].span.end),
                section: parent,
                found_by: FoundBy::StepHeading,
                reason: reason.clone(),
            });
            for &i in members {
                let Some(Some(HeadingRole::Step { number, prefix, .. })) = roles.get(i) else {
                    continue;
                };
                let plain = self.heading_plain.get(i).cloned().unwrap_or_default();
                let rest = plain.slice(*prefix..plain.as_str().len());
                let children = under.remove(&i).unwrap_or_default();
                let section = &self.sections[i];
                top.push((
                    section.span.start,
                    Step {
                        number: Some(number.clone()),
                        ordered: true,
                        depth: 1,
                        list: *run,
                        text: rest.as_str().trim().to_string(),
                        span: section.span,
                        plain: rest,
                        fields: Vec::new(),
                        heading: true,
                        children,
                    },
                ));
            }
        }
        top.sort_by_key(|(at, _)| *at);
        lists.sort_by_key(|l| l.span.start);
        (top.into_iter().map(|(_, s)| s).collect(), lists)
    }

    /// An ordered list outside the procedure sections: steps or not, and why.
    fn classify(
        &self,
        items: &[Item],
        heading: Option<&str>,
        intro: Option<&str>,
    ) -> Option<(FoundBy, String)> {
        if items.is_empty() || heading.is_some_and(steps::vetoes) {
            return None;
        }
        // A list of links is a table of contents, an index or a reading list, unless the links
        // are instructions that point to another site for the how ("[Set up
        // Terraform](https://…)").
        let links = items
            .iter()
            .filter(|i| {
                let link = i.link.as_ref();
                steps::is_link_or_citation(i.text.as_str(), link.map(|(t, _)| t.as_str()))
                    && !link.is_some_and(|(t, target)| {
                        target.starts_with("http") && self.instruction(t)
                    })
            })
            .count();
        if links * 2 >= items.len() {
            return None;
        }
        let instructions = items
            .iter()
            .filter(|i| self.instruction(i.text.as_str()))
            .count();
        let share = format!(
            "{instructions} of {} items open with an instruction",
            items.len()
        );
        if instructions > 0 {
            if let Some(cue) = heading.and_then(steps::heading_cue) {
                let h = heading.unwrap_or("");
                return Some((
                    FoundBy::Cue,
                    format!("the heading “{h}” says “{cue}”; {share}"),
                ));
            }
            if let Some(cue) = intro.and_then(steps::intro_cue) {
                return Some((
                    FoundBy::Cue,
                    format!("the sentence before it announces steps (“{cue}”); {share}"),
                ));
            }
        }
        (instructions * 2 >= items.len() && instructions > 0)
            .then(|| (FoundBy::Content, format!("{share} ({})", self.lang)))
    }

    /// A list item as a step, `shift` levels deeper than written; field lines become fields.
    fn step(&self, item: Item, shift: usize) -> Step {
        let mut fields = Vec::new();
        let mut children = Vec::new();
        for child in item.children {
            if child.children.is_empty() && !child.text.as_str().trim().is_empty() {
                if let Some((label, value, _)) =
                    steps::field_line(child.text.as_str().trim(), self.lang)
                {
                    fields.push(StepField {
                        label,
                        value,
                        span: self.span(child.range.clone()),
                    });
                    continue;
                }
            }
            children.push(self.step(child, shift));
        }
        let mut plain = item.text;
        if !item.breaks.is_empty() {
            let text = plain.as_str().to_string();
            let mut cut = None;
            for (k, &b) in item.breaks.iter().enumerate() {
                let end = item
                    .breaks
                    .get(k + 1)
                    .copied()
                    .unwrap_or(text.len())
                    .min(text.len());
                let Some(line) = text.get(b..end) else {
                    continue;
                };
                if let Some((label, value, _)) = steps::field_line(line.trim(), self.lang) {
                    cut.get_or_insert(b);
                    let lead = line.len() - line.trim_start().len();
                    let r = plain.to_source(b + lead..b + line.trim_end().len());
                    fields.push(StepField {
                        label,
                        value,
                        span: self.span(r),
                    });
                }
            }
            if let Some(c) = cut {
                plain = plain.slice(0..c);
            }
        }
        fields.sort_by_key(|f| f.span.start);
        Step {
            number: item.number,
            ordered: item.ordered,
            depth: item.depth + shift,
            list: item.list,
            text: plain.as_str().trim().to_string(),
            span: self.span(item.range),
            plain,
            fields,
            heading: false,
            children,
        }
    }
}

/// Whether a list under a Contacts, Getting help or On-call heading orders escalation levels:
/// at least two of its items number a level ("Level 2", "2nd line") or give a time with a unit.
fn orders_levels(items: &[Item]) -> bool {
    items
        .iter()
        .filter(|i| {
            let t = i.text.as_str();
            has_level_marker(t) || find_time(t).is_some_and(|r| parse_minutes(&t[r]).is_some())
        })
        .count()
        >= 2
}

#[cfg(test)]
mod tests;
