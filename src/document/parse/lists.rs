//! List items, and where each top-level list goes: steps, roles or an escalation chain.

use std::ops::Range;

use crate::document::{ChainForm, EscalationChain, PlainText, SectionKind};

use super::roles::orders_levels;
use super::walker::Walker;

/// A list item being read.
pub(super) struct ItemFrame {
    pub(super) range: Range<usize>,
    pub(super) number: Option<String>,
    pub(super) ordered: bool,
    pub(super) depth: usize,
    pub(super) list: usize,
    pub(super) text: Option<PlainText>,
    /// Text offsets of the line breaks in `text`.
    pub(super) breaks: Vec<usize>,
    pub(super) strong: Option<(String, Range<usize>)>,
    /// (text, target) of a link at the start of the first paragraph, for telling link lists.
    pub(super) link: Option<(String, String)>,
    pub(super) children: Vec<Item>,
}

/// A finished list item, before it is read as a step, a role or a level.
pub(super) struct Item {
    pub(super) range: Range<usize>,
    pub(super) number: Option<String>,
    pub(super) ordered: bool,
    pub(super) depth: usize,
    pub(super) list: usize,
    pub(super) text: PlainText,
    pub(super) breaks: Vec<usize>,
    pub(super) strong: Option<(String, Range<usize>)>,
    pub(super) link: Option<(String, String)>,
    pub(super) children: Vec<Item>,
}

/// A top-level list waiting for the document's language before it is read as steps or not.
pub(super) struct Pending {
    pub(super) id: usize,
    pub(super) items: Vec<Item>,
    pub(super) ordered: bool,
    /// Indices of the enclosing sections, outermost first.
    pub(super) chain: Vec<usize>,
    /// Found in a Procedure section.
    pub(super) in_procedure: bool,
    /// The paragraph just before the list.
    pub(super) intro: Option<String>,
}

/// The last top-level ordered list, to join a list that goes on after a note, an image, a table
/// or a code block.
pub(super) struct LastList {
    pub(super) id: usize,
    pub(super) last_number: u64,
    pub(super) sections: usize,
}

pub(super) struct ListFrame {
    pub(super) ordered: bool,
    pub(super) id: usize,
    /// Items finished at this level (top-level lists only keep them here).
    pub(super) items: Vec<Item>,
}

impl Walker<'_> {
    pub(super) fn top_level_list(&mut self, items: Vec<Item>, id: usize, ordered: bool) {
        let intro = self
            .intro
            .take()
            .filter(|(_, n)| *n == self.sections.len())
            .and_then(|(b, _)| self.blocks.get(b))
            .map(|b| b.text.as_str().trim().to_string());
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
}

/// The number of an ordered list item as written: "12" for "12. Do it".
pub(super) fn written_number(item_source: &str) -> Option<String> {
    let t = item_source.trim_start();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}
