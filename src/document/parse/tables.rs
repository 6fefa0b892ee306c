//! Tables: an escalation chain, the roles, the revision history.

use std::ops::Range;

use crate::document::aliases::{column, Column, RevisionColumns};
use crate::document::escalation::{is_priority_label, parse_minutes};
use crate::document::{
    ChainForm, EscalationChain, Level, PlainText, Revision, Role, SectionKind, Spanned, Within,
};

use super::walker::Walker;

#[derive(Default)]
pub(super) struct TableState {
    pub(super) rows: Vec<(Range<usize>, Vec<PlainText>)>,
    pub(super) row: Vec<PlainText>,
    pub(super) row_range: Range<usize>,
}

impl Walker<'_> {
    pub(super) fn finish_table(&mut self, table: TableState, range: Range<usize>) {
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
