//! The view of the site: what every page shows, computed once from the loaded documents and
//! handed to the templates as serialisable data. Every list here is sorted.

use std::collections::BTreeMap;

use serde::Serialize;
use time::Date;

use super::input::{Entry, Loaded};
use crate::bundle::diff::BundleDiff;
use crate::document::{normalize_role, Document};

/// Review due within this many days is marked "due soon".
pub(crate) const DUE_SOON_DAYS: i64 = 30;

/// One SOP as the index, the calendar and its page show it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Sop {
    pub id: String,
    pub title: String,
    pub status: String,
    pub version: String,
    pub owner: String,
    pub lang: String,
    pub effective: String,
    pub review_by: String,
    /// `overdue`, `due-soon`, `ok` or `none`.
    pub review_state: &'static str,
    /// The state in words: "overdue by 12 days", "due in 9 days".
    pub review_note: String,
    pub tags: Vec<String>,
    pub approvers: Vec<String>,
    /// The page, relative to the site's root: `sop/<slug>.html`.
    pub page: String,
    /// The raw Markdown, relative to the site's root: `raw/<slug>.md`.
    pub raw: String,
    pub source: String,
    pub sha256: Option<String>,
    /// Approvals recorded next to the bundle, "Name, time".
    pub approvals: Vec<String>,
    pub findings: usize,
    /// For a branch variant (front matter `variant_of`): its base and its drift.
    pub variant: Option<VariantView>,
}

/// A branch variant's base, and how far the variant has drifted from it (X006).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct VariantView {
    /// The base's id, as `variant_of` names it.
    pub base_id: String,
    /// The base's title and page, when the site holds the base.
    pub base_title: Option<String>,
    pub base_page: Option<String>,
    pub branch: Option<String>,
    /// The X006 findings: "line 27: step 3 of the base … is missing".
    pub drift: Vec<String>,
}

/// A role and where it appears.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RoleView {
    pub name: String,
    pub uses: Vec<RoleUse>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RoleUse {
    pub id: String,
    pub title: String,
    pub page: String,
    /// "Roles section" or "escalation level 2".
    pub place: String,
    /// The role's description, or the level's trigger and time limit.
    pub detail: String,
}

/// A named group of SOPs (a tag, an owner, a review month).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Group {
    pub name: String,
    /// Indexes into [`Site::sops`].
    pub sops: Vec<usize>,
}

/// The whole site.
#[derive(Debug, Serialize)]
pub(crate) struct Site {
    pub origin: String,
    pub today: String,
    pub due_soon_days: i64,
    pub sops: Vec<Sop>,
    pub by_tag: Vec<Group>,
    pub by_owner: Vec<Group>,
    /// Overdue first, then by month, then the SOPs without a review date.
    pub calendar: Vec<Group>,
    pub roles: Vec<RoleView>,
    pub changes: Option<BundleDiff>,
    pub overdue: usize,
    pub due_soon: usize,
}

fn text_or_dash(value: Option<String>) -> String {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "-".into())
}

/// A file name from an id: letters, digits, `.`, `_` and `-`; other characters become `-`.
fn slug(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches(['-', '.']).to_string();
    if s.is_empty() {
        "sop".into()
    } else {
        s
    }
}

fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name).to_string()
}

fn review_state(due: Option<Date>, today: Date) -> (&'static str, String) {
    let Some(due) = due else {
        return ("none", "no review date".into());
    };
    let days = (due - today).whole_days();
    let plural = |n: i64| if n == 1 { "day" } else { "days" };
    if days < 0 {
        ("overdue", format!("overdue by {} {}", -days, plural(-days)))
    } else if days == 0 {
        ("due-soon", "due today".into())
    } else if days <= DUE_SOON_DAYS {
        ("due-soon", format!("due in {days} {}", plural(days)))
    } else {
        ("ok", format!("due in {days} days"))
    }
}

impl Sop {
    fn of(entry: &Entry, today: Date, slug: String) -> Self {
        let doc = &entry.document;
        let id = text_or_dash(doc.field_str("id"));
        let id = if id == "-" {
            file_stem(&entry.shown)
        } else {
            id
        };
        let title = doc
            .field_str("title")
            .or_else(|| doc.title.as_ref().map(|t| t.value.clone()))
            .unwrap_or_else(|| id.clone());
        let due = doc.review_due(&crate::settings::Metadata::default());
        let (review_state, review_note) = review_state(due, today);
        let list = |key: &str| doc.field(key).map(|f| f.as_list()).unwrap_or_default();
        let mut tags = list("tags");
        tags.sort();
        tags.dedup();
        Self {
            id,
            title,
            status: text_or_dash(doc.field_str("status")),
            version: text_or_dash(doc.field_str("version")),
            owner: text_or_dash(doc.field_str("owner")),
            lang: doc.lang.clone(),
            effective: text_or_dash(doc.field_str("effective")),
            review_by: due.map(super::iso).unwrap_or_else(|| "-".into()),
            review_state,
            review_note,
            tags,
            approvers: list("approvers"),
            page: format!("sop/{slug}.html"),
            raw: format!("raw/{slug}.md"),
            source: entry.shown.clone(),
            sha256: entry.sha256.clone(),
            approvals: entry.approvals.clone(),
            findings: entry.diagnostics.len(),
            variant: None,
        }
    }
}

impl Site {
    pub(crate) fn new(loaded: &Loaded, today: Date, changes: Option<BundleDiff>) -> Self {
        let mut used = BTreeMap::new();
        let mut sops: Vec<Sop> = Vec::new();
        for entry in &loaded.entries {
            let base = match entry.document.field_str("id") {
                Some(id) if !id.trim().is_empty() => slug(&id),
                _ => slug(&file_stem(&entry.shown)),
            };
            // Two documents with one id (X001 reports it) still get a page each.
            let n = used.entry(base.to_lowercase()).or_insert(0usize);
            *n += 1;
            let name = if *n == 1 { base } else { format!("{base}-{n}") };
            sops.push(Sop::of(entry, today, name));
        }
        variants(loaded, &mut sops);
        let group = |key: &dyn Fn(&Sop) -> Vec<String>| {
            let mut map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, s) in sops.iter().enumerate() {
                for k in key(s) {
                    map.entry(k).or_default().push(i);
                }
            }
            map.into_iter()
                .map(|(name, sops)| Group { name, sops })
                .collect::<Vec<_>>()
        };
        let by_tag = group(&|s| s.tags.clone());
        let by_owner = group(&|s| vec![s.owner.clone()]);
        let mut calendar = Vec::new();
        let overdue: Vec<usize> = (0..sops.len())
            .filter(|&i| sops[i].review_state == "overdue")
            .collect();
        let due_soon = sops.iter().filter(|s| s.review_state == "due-soon").count();
        let overdue_count = overdue.len();
        if !overdue.is_empty() {
            let mut overdue = overdue;
            overdue.sort_by(|&a, &b| sops[a].review_by.cmp(&sops[b].review_by));
            calendar.push(Group {
                name: "Overdue".into(),
                sops: overdue,
            });
        }
        let mut months = group(&|s| match s.review_state {
            "overdue" | "none" => Vec::new(),
            _ => vec![s.review_by.get(..7).unwrap_or(&s.review_by).to_string()],
        });
        for m in &mut months {
            m.sops
                .sort_by(|&a, &b| sops[a].review_by.cmp(&sops[b].review_by));
        }
        calendar.extend(months);
        let none: Vec<usize> = (0..sops.len())
            .filter(|&i| sops[i].review_state == "none")
            .collect();
        if !none.is_empty() {
            calendar.push(Group {
                name: "No review date".into(),
                sops: none,
            });
        }
        let roles = roles(loaded, &sops);
        Self {
            origin: loaded.origin.clone(),
            today: super::iso(today),
            due_soon_days: DUE_SOON_DAYS,
            by_tag,
            by_owner,
            calendar,
            roles,
            changes,
            overdue: overdue_count,
            due_soon,
            sops,
        }
    }
}

/// Links each branch variant to its base (the first SOP with that id, as X001 keeps it) and
/// lists its drift.
fn variants(loaded: &Loaded, sops: &mut [Sop]) {
    let code = &*crate::rules::repository::variant_drift::VariantDrift::META.code;
    for (i, entry) in loaded.entries.iter().enumerate() {
        let doc = &entry.document;
        let Some(base_id) = doc.field_str(crate::document::keys::VARIANT_OF) else {
            continue;
        };
        let base_id = base_id.trim().to_string();
        let base = (0..sops.len()).find(|&j| j != i && sops[j].id.eq_ignore_ascii_case(&base_id));
        let drift = entry
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| format!("line {}: {}", d.line, d.message))
            .collect();
        sops[i].variant = Some(VariantView {
            base_title: base.map(|j| sops[j].title.clone()),
            base_page: base.map(|j| sops[j].page.clone()),
            base_id,
            branch: doc.field_str(crate::document::keys::BRANCH),
            drift,
        });
    }
}

/// Every role named under Roles or in an escalation level, with where it appears; roles are
/// compared as `normalize_role` does, and shown with the first spelling met.
fn roles(loaded: &Loaded, sops: &[Sop]) -> Vec<RoleView> {
    let mut map: BTreeMap<String, RoleView> = BTreeMap::new();
    let mut add = |name: &str, use_: RoleUse| {
        let key = normalize_role(name);
        if key.is_empty() {
            return;
        }
        map.entry(key)
            .or_insert_with(|| RoleView {
                name: name.trim().to_string(),
                uses: Vec::new(),
            })
            .uses
            .push(use_);
    };
    for (entry, sop) in loaded.entries.iter().zip(sops) {
        let doc: &Document = &entry.document;
        let base = |place: String, detail: String| RoleUse {
            id: sop.id.clone(),
            title: sop.title.clone(),
            page: sop.page.clone(),
            place,
            detail,
        };
        for role in &doc.roles {
            add(
                &role.name,
                base("Roles section".into(), role.description.trim().to_string()),
            );
        }
        if let Some(chain) = &doc.escalation {
            for (i, level) in chain.levels.iter().enumerate() {
                let Some(role) = &level.role else { continue };
                let mut detail = Vec::new();
                if let Some(t) = &level.trigger {
                    let t = super::svg::without_when(t.value.trim());
                    detail.push(format!("when {t}"));
                }
                if let Some(w) = &level.within {
                    detail.push(format!("within {}", w.text.trim()));
                }
                let number = level.number.clone().unwrap_or_else(|| (i + 1).to_string());
                add(
                    &role.value,
                    base(format!("escalation level {number}"), detail.join(", ")),
                );
            }
        }
    }
    map.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn review_states_are_told_in_words() {
        let today = date!(2026 - 06 - 15);
        assert_eq!(
            review_state(Some(date!(2026 - 06 - 01)), today),
            ("overdue", "overdue by 14 days".into())
        );
        assert_eq!(
            review_state(Some(date!(2026 - 06 - 16)), today),
            ("due-soon", "due in 1 day".into())
        );
        assert_eq!(
            review_state(Some(date!(2026 - 07 - 15)), today),
            ("due-soon", "due in 30 days".into())
        );
        assert_eq!(review_state(Some(date!(2026 - 07 - 16)), today).0, "ok");
        assert_eq!(review_state(None, today).0, "none");
    }

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("CS-001"), "CS-001");
        assert_eq!(slug("../etc/passwd"), "etc-passwd");
        assert_eq!(slug("a b/c"), "a-b-c");
        assert_eq!(slug("///"), "sop");
    }
}
