//! Markdown → [`Document`]: one pass over pulldown-cmark's events with byte offsets.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::aliases::{column, Column};
use super::escalation::{find_contact, find_time, find_trigger, parse_minutes};
use super::{
    front_matter, make_span, Aliases, BlockKind, ChainForm, Document, EscalationChain, Level,
    LineIndex, Link, PlainText, Revision, Role, Section, SectionKind, Span, Spanned, Step,
    TextBlock, Within, DOCUMENT_SCHEMA,
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
    let mut doc = Document {
        schema: DOCUMENT_SCHEMA.to_string(),
        path: path.replace('\\', "/"),
        lang: String::new(),
        front_matter,
        title: walker.title,
        sections: walker.sections,
        steps: walker.steps,
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
    doc.source = source;
    doc
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
    strong: Option<(String, Range<usize>)>,
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
    strong: Option<(String, Range<usize>)>,
    children: Vec<Item>,
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
    /// (heading level, kind) of the enclosing headings.
    heading_stack: Vec<(u8, Option<SectionKind>)>,
    heading_langs: Vec<&'static str>,
    steps: Vec<Step>,
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
            heading_langs: Vec::new(),
            steps: Vec::new(),
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
        self.heading_stack.iter().rev().find_map(|(_, k)| *k)
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
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => self.comments_in(range),
            Event::Rule => self.flush(),
            _ => {}
        }
    }

    /// The inline buffer; tight list items have text without a paragraph around it.
    fn ensure_buffer(&mut self, at: usize) -> &mut PlainText {
        if self.buffer.is_none() {
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
        if text.is_empty() {
            return;
        }
        let in_list = !self.items.is_empty();
        if kind == BlockKind::Paragraph {
            if let Some(item) = self.items.last_mut() {
                if item.text.is_none() {
                    item.text = Some(text.clone());
                }
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
                self.buffer = Some((BlockKind::Heading, PlainText::default()));
            }
            Tag::Paragraph => {
                self.flush();
                self.content_starts.push(range.start);
                self.buffer = Some((BlockKind::Paragraph, PlainText::default()));
            }
            Tag::List(first) => {
                self.flush();
                self.content_starts.push(range.start);
                if let Some(item) = self.items.last_mut() {
                    item.text.get_or_insert_with(PlainText::default);
                }
                let id = if self.lists.is_empty() {
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
                    strong: None,
                    children: Vec::new(),
                });
            }
            Tag::CodeBlock(kind) => {
                self.flush();
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
                self.content_starts.push(range.start);
            }
            Tag::Table(_) => {
                self.flush();
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
            TagEnd::Paragraph => self.flush(),
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
                    strong: frame.strong,
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
                    self.top_level_list(list.items);
                } else if let Some(parent) = self.items.last_mut() {
                    // Items of a list nested deeper than the tree keeps.
                    parent.children.extend(list.items);
                }
            }
            TagEnd::CodeBlock => self.in_code_block = self.in_code_block.saturating_sub(1),
            TagEnd::HtmlBlock => self.comments_in(range),
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
        if !text.is_empty() {
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
        while self.heading_stack.last().is_some_and(|(l, _)| *l >= level) {
            self.heading_stack.pop();
        }
        self.heading_stack.push((level, kind));
        self.sections.push(Section {
            kind,
            heading,
            level,
            span,
            body: Span::default(),
            has_content: false,
        });
    }

    fn top_level_list(&mut self, items: Vec<Item>) {
        match self.current_kind() {
            Some(SectionKind::Procedure) => {
                let steps: Vec<Step> = items.into_iter().map(|i| self.step(i)).collect();
                self.steps.extend(steps);
            }
            Some(SectionKind::Roles) => {
                for item in items {
                    if let Some(role) = self.role_from_item(&item) {
                        self.roles.push(role);
                    }
                }
            }
            Some(SectionKind::Escalation) if self.escalation.is_none() && !items.is_empty() => {
                let start = items.first().map_or(0, |i| i.range.start);
                let end = items.last().map_or(0, |i| i.range.end);
                let levels = items.iter().map(|i| self.level_from_item(i)).collect();
                self.escalation = Some(EscalationChain {
                    form: ChainForm::List,
                    span: self.span(start..end),
                    levels,
                });
            }
            _ => {}
        }
    }

    fn step(&self, item: Item) -> Step {
        let children = item.children.into_iter().map(|c| self.step(c)).collect();
        Step {
            number: item.number,
            ordered: item.ordered,
            depth: item.depth,
            list: item.list,
            text: item.text.as_str().trim().to_string(),
            span: self.span(item.range),
            plain: item.text,
            children,
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
        let trigger = find_trigger(text).map(&spanned);
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
                let pick = |c: Column, fallback: usize| col(c).or(Some(fallback));
                for (row_range, row) in rows {
                    let get = |i| cell_text(row, i).map(|(t, _)| t).unwrap_or_default();
                    self.revisions.push(Revision {
                        version: get(pick(Column::Version, 0)),
                        date: get(pick(Column::Date, 1)),
                        author: get(pick(Column::Author, 2)),
                        change: get(col(Column::Change).or(col(Column::Description)).or(Some(3))),
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

#[cfg(test)]
mod tests;
