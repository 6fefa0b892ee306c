//! The walk over pulldown-cmark's events: sections, text blocks, links, comments and list items.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use crate::document::{
    make_span, Aliases, BlockKind, EscalationChain, LineIndex, Link, PlainText, Revision, Role,
    Section, SectionKind, Span, Spanned, TextBlock,
};

use super::headings::html_attr;
use super::lists::{written_number, Item, ItemFrame, LastList, ListFrame, Pending};
use super::tables::TableState;
use super::{markdown_options, MAX_TREE_DEPTH};

pub(super) struct Walker<'a> {
    pub(super) source: &'a str,
    pub(super) index: &'a LineIndex,
    pub(super) aliases: &'a Aliases,
    pub(super) sections: Vec<Section>,
    /// (heading level, kind, section index) of the enclosing headings.
    pub(super) heading_stack: Vec<(u8, Option<SectionKind>, usize)>,
    /// The plain text of every section's heading.
    pub(super) heading_plain: Vec<PlainText>,
    pub(super) heading_anchor: Option<String>,
    pub(super) pending: Vec<Pending>,
    /// The last paragraph (its index in `blocks`, read only when a list follows) and the
    /// number of sections when it was read.
    pub(super) intro: Option<(usize, usize)>,
    pub(super) last_list: Option<LastList>,
    pub(super) in_quote: usize,
    pub(super) heading_langs: Vec<&'static str>,
    pub(super) roles: Vec<Role>,
    pub(super) escalation: Option<EscalationChain>,
    pub(super) revisions: Vec<Revision>,
    pub(super) links: Vec<Link>,
    pub(super) blocks: Vec<TextBlock>,
    pub(super) comments: Vec<Spanned<String>>,
    /// The start of every comment kept: one lookup, not a scan of all of them, per comment.
    comment_starts: std::collections::HashSet<usize>,
    pub(super) title: Option<Spanned<String>>,
    pub(super) content_starts: Vec<usize>,
    // Inline capture.
    pub(super) buffer: Option<(BlockKind, PlainText)>,
    pub(super) strong_start: Option<usize>,
    pub(super) link_start: Option<(String, usize, Range<usize>)>,
    pub(super) in_code_block: usize,
    pub(super) in_image: usize,
    /// Text offsets of line breaks in the buffer.
    pub(super) buffer_breaks: Vec<usize>,
    pub(super) lists: Vec<ListFrame>,
    pub(super) items: Vec<ItemFrame>,
    pub(super) list_counter: usize,
    pub(super) table: Option<TableState>,
}

impl<'a> Walker<'a> {
    pub(super) fn new(source: &'a str, index: &'a LineIndex, aliases: &'a Aliases) -> Self {
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
            comment_starts: Default::default(),
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

    pub(super) fn span(&self, range: Range<usize>) -> Span {
        make_span(self.source, self.index, range)
    }

    pub(super) fn current_kind(&self) -> Option<SectionKind> {
        self.heading_stack.iter().rev().find_map(|(_, k, _)| *k)
    }

    pub(super) fn walk(&mut self, body_start: usize) {
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
                // `memmem` finds what `str::find` finds (the first match; a UTF-8 needle only
                // matches at character boundaries) without building a two-way searcher.
                let inner = memchr::memmem::find(raw.as_bytes(), code.as_bytes())
                    .map_or(range.clone(), |i| {
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
                self.intro = Some((self.blocks.len(), self.sections.len()));
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
            if self.comment_starts.insert(span.start) {
                self.comments.push(Spanned { value: inner, span });
            }
            from = e;
        }
    }

    pub(super) fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
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

    pub(super) fn end(&mut self, tag: TagEnd, range: Range<usize>) {
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
}
