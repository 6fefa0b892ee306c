//! E: escalation chain.

use super::{entry, RuleEntry};
use crate::document::{normalize_role, Document, Level};

mod escalation_loop;
mod escalation_missing;
mod invalid_contact;
mod level_without_role;
mod level_without_trigger;
mod time_decreases;
mod too_few_levels;
mod unknown_role;

pub(crate) static RULES: &[RuleEntry] = &[
    entry!(escalation_missing::EscalationMissing),
    entry!(level_without_role::LevelWithoutRole),
    entry!(level_without_trigger::LevelWithoutTrigger),
    entry!(time_decreases::TimeDecreases),
    entry!(escalation_loop::EscalationLoop),
    entry!(unknown_role::UnknownRole),
    entry!(too_few_levels::TooFewLevels),
    entry!(invalid_contact::InvalidContact),
];

/// How a level is named in messages: "level 2" for the number as written, else its position.
fn level_label(level: &Level, index: usize) -> String {
    match level.number.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => format!("level {n}"),
        Some(n) if !n.is_empty() => format!("level \"{n}\""),
        _ => format!("level {}", index + 1),
    }
}

/// The levels of the document's escalation chain with their index; none without a chain.
fn levels(doc: &Document) -> impl Iterator<Item = (usize, &Level)> {
    doc.escalation
        .iter()
        .flat_map(|chain| chain.levels.iter().enumerate())
}

/// The key under which role names are compared: `normalize_role`, hyphens read as spaces,
/// a parenthesised remark and a plural "s" dropped ("Shift-supervisors (on duty)" →
/// "shift supervisor").
pub(crate) fn role_key(name: &str) -> String {
    let head = match name.find('(') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    };
    let mut key = normalize_role(&head.replace(['-', '_', '/'], " "));
    let last = key.rsplit(' ').next().unwrap_or("");
    if last.chars().count() > 3 && last.ends_with('s') && !last.ends_with("ss") {
        key.pop();
    }
    key
}

#[cfg(test)]
mod tests {
    use super::role_key;

    #[test]
    fn role_keys_ignore_case_hyphens_remarks_and_plurals() {
        assert_eq!(role_key("Shift-Supervisor"), "shift supervisor");
        assert_eq!(role_key("Shift supervisors (on duty)"), "shift supervisor");
        assert_eq!(role_key("Head of Operations"), "head of operation");
        assert_eq!(role_key("Boss"), "boss");
        assert_eq!(role_key("Penyelia syif"), "penyelia syif");
        assert_eq!(role_key("(x)"), "x");
    }
}
