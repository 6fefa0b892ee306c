//! Roles and escalation levels read from list items.

use std::ops::Range;

use crate::document::escalation::{
    find_contact, find_time, find_trigger, has_level_marker, is_condition_label, names_escalation,
    parse_minutes,
};
use crate::document::{Level, Role, SectionKind, Spanned, Within};

use super::lists::Item;
use super::walker::Walker;

impl Walker<'_> {
    /// Whether an enclosing Escalation heading names escalation itself ("Escalation path"),
    /// rather than contacts, help or on-call, which share the section kind but hold ordinary
    /// lists (hours, eligibility, ways to ask for help) as often as a chain.
    pub(super) fn under_escalation_heading(&self) -> bool {
        self.heading_stack.iter().any(|(_, k, i)| {
            *k == Some(SectionKind::Escalation)
                && self
                    .sections
                    .get(*i)
                    .is_some_and(|s| names_escalation(&s.heading))
        })
    }

    pub(super) fn role_from_item(&self, item: &Item) -> Option<Role> {
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

    pub(super) fn level_from_item(&self, item: &Item) -> Level {
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
}

/// Whether a list under a Contacts, Getting help or On-call heading orders escalation levels:
/// at least two of its items number a level ("Level 2", "2nd line") or give a time with a unit.
pub(super) fn orders_levels(items: &[Item]) -> bool {
    items
        .iter()
        .filter(|i| {
            let t = i.text.as_str();
            has_level_marker(t) || find_time(t).is_some_and(|r| parse_minutes(&t[r]).is_some())
        })
        .count()
        >= 2
}
