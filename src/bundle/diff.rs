//! What changed between two bundles, read from their `docs/<id>.md` and `docs/<id>.json`, and
//! the version bump those changes call for.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::manifest::{DocumentEntry, Manifest};
use super::verify::Contents;
use crate::document::matching::{
    match_texts, numbered_steps, section_keys, Matched, REWORD_SIMILARITY,
};
use crate::document::{keys, Document};
use crate::output::escape_control;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }

    /// `version` raised by this bump (pre-release and build metadata dropped).
    pub(crate) fn apply(self, version: &semver::Version) -> semver::Version {
        let (major, minor, patch) = (version.major, version.minor, version.patch);
        match self {
            Self::Major => semver::Version::new(major + 1, 0, 0),
            Self::Minor => semver::Version::new(major, minor + 1, 0),
            Self::Patch | Self::None => semver::Version::new(major, minor, patch + 1),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct BundleRef {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DocRef {
    pub id: String,
    pub title: String,
    pub version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Change {
    Added,
    Removed,
    Changed,
    Reworded,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SectionChange {
    pub heading: String,
    pub change: Change,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StepRef {
    /// The step's number path as written ("2.1"), or its position for bullets.
    pub number: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StepChange {
    pub change: Change,
    pub old: Option<StepRef>,
    pub new: Option<StepRef>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DocChange {
    pub id: String,
    pub title: String,
    pub old_version: String,
    pub new_version: String,
    /// Whether anything below the front matter changed.
    pub content_changed: bool,
    /// Front matter fields whose values changed.
    pub metadata: Vec<String>,
    pub sections: Vec<SectionChange>,
    pub steps: Vec<StepChange>,
    /// Where the new document's `version` is written: (path in the bundle, line, column).
    #[serde(skip)]
    pub version_at: (String, usize, usize),
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct BundleDiff {
    pub old: BundleRef,
    pub new: BundleRef,
    pub added: Vec<DocRef>,
    pub removed: Vec<DocRef>,
    pub changed: Vec<DocChange>,
    pub bump: Bump,
    pub bump_reason: String,
}

/// One side of a comparison: a manifest and its files.
pub(crate) struct Side<'a> {
    pub manifest: &'a Manifest,
    pub files: &'a BTreeMap<String, Vec<u8>>,
}

impl<'a> Side<'a> {
    pub(crate) fn of(contents: &'a Contents) -> Option<Self> {
        Some(Self {
            manifest: contents.manifest.as_ref()?,
            files: &contents.files,
        })
    }

    fn doc(&self, entry: &DocumentEntry) -> Option<(String, Document)> {
        let md = self.files.get(&entry.md.path)?;
        let json = self.files.get(&entry.json.path)?;
        let md = String::from_utf8_lossy(md).into_owned();
        let doc: Document = serde_json::from_slice(json).ok()?;
        Some((md, doc))
    }
}

fn doc_ref(d: &DocumentEntry) -> DocRef {
    DocRef {
        id: d.id.clone(),
        title: d.title.clone(),
        version: d.version.clone(),
    }
}

pub(crate) fn diff(old: &Side<'_>, new: &Side<'_>) -> BundleDiff {
    let old_docs: BTreeMap<&str, &DocumentEntry> = old
        .manifest
        .documents
        .iter()
        .map(|d| (d.id.as_str(), d))
        .collect();
    let new_docs: BTreeMap<&str, &DocumentEntry> = new
        .manifest
        .documents
        .iter()
        .map(|d| (d.id.as_str(), d))
        .collect();
    let added: Vec<DocRef> = new_docs
        .iter()
        .filter(|(id, _)| !old_docs.contains_key(*id))
        .map(|(_, d)| doc_ref(d))
        .collect();
    let removed: Vec<DocRef> = old_docs
        .iter()
        .filter(|(id, _)| !new_docs.contains_key(*id))
        .map(|(_, d)| doc_ref(d))
        .collect();
    let mut changed = Vec::new();
    for (id, new_entry) in &new_docs {
        let Some(old_entry) = old_docs.get(id) else {
            continue;
        };
        if old_entry.md.sha256 == new_entry.md.sha256
            && old_entry.json.sha256 == new_entry.json.sha256
        {
            continue;
        }
        if let (Some(o), Some(n)) = (old.doc(old_entry), new.doc(new_entry)) {
            changed.push(compare(old_entry, new_entry, &o, &n));
        }
    }
    let (bump, bump_reason) = bump_for(&added, &removed, &changed);
    BundleDiff {
        old: BundleRef {
            name: old.manifest.name.clone(),
            version: old.manifest.version.clone(),
        },
        new: BundleRef {
            name: new.manifest.name.clone(),
            version: new.manifest.version.clone(),
        },
        added,
        removed,
        changed,
        bump,
        bump_reason,
    }
}

fn bump_for(added: &[DocRef], removed: &[DocRef], changed: &[DocChange]) -> (Bump, String) {
    if let Some(d) = removed.first() {
        return (Bump::Major, format!("document {} was removed", d.id));
    }
    for c in changed {
        if let Some(s) = c.steps.iter().find(|s| s.change == Change::Removed) {
            let n = s.old.as_ref().map_or("", |s| s.number.as_str());
            return (Bump::Major, format!("step {n} of {} was removed", c.id));
        }
    }
    if let Some(d) = added.first() {
        return (Bump::Minor, format!("document {} was added", d.id));
    }
    if let Some(c) = changed.iter().find(|c| c.content_changed) {
        return (Bump::Minor, format!("document {} changed", c.id));
    }
    if let Some(c) = changed.first() {
        return (
            Bump::Patch,
            format!("only the metadata of {} changed", c.id),
        );
    }
    (Bump::None, "nothing changed".into())
}

/// The text below the front matter.
fn body<'s>(md: &'s str, doc: &Document) -> &'s str {
    let start = doc.front_matter.as_ref().map_or(0, |fm| fm.span.end);
    md.get(start..).unwrap_or(md)
}

fn compare(
    old_entry: &DocumentEntry,
    new_entry: &DocumentEntry,
    (old_md, old): &(String, Document),
    (new_md, new): &(String, Document),
) -> DocChange {
    let mut metadata = Vec::new();
    let empty = BTreeMap::new();
    let old_fields = old.front_matter.as_ref().map_or(&empty, |f| &f.fields);
    let new_fields = new.front_matter.as_ref().map_or(&empty, |f| &f.fields);
    let keys: std::collections::BTreeSet<&String> =
        old_fields.keys().chain(new_fields.keys()).collect();
    for key in keys {
        if old_fields.get(key).map(|f| &f.value) != new_fields.get(key).map(|f| &f.value) {
            metadata.push(key.clone());
        }
    }
    let version_at = new
        .field(keys::VERSION)
        .map_or((new.path.clone(), 1, 1), |f| {
            (new.path.clone(), f.span.line, f.span.column)
        });
    DocChange {
        id: new_entry.id.clone(),
        title: new_entry.title.clone(),
        old_version: old_entry.version.clone(),
        new_version: new_entry.version.clone(),
        content_changed: body(old_md, old) != body(new_md, new),
        metadata,
        sections: section_changes(old_md, old, new_md, new),
        steps: step_changes(old, new),
        version_at,
    }
}

/// Sections keyed by kind (or heading) and occurrence, with their own text: the body up to the
/// first sub-heading, so that a change is reported once, in the innermost section.
fn sections(md: &str, doc: &Document) -> Vec<(String, String, String)> {
    doc.sections
        .iter()
        .zip(section_keys(doc))
        .enumerate()
        .map(|(i, (s, key))| {
            let own_end = doc
                .sections
                .get(i + 1)
                .map_or(s.body.end, |next| next.span.start.min(s.body.end))
                .max(s.body.start);
            let text = md
                .get(s.body.start..own_end)
                .unwrap_or("")
                .trim()
                .to_string();
            (key, s.heading.clone(), text)
        })
        .collect()
}

fn section_changes(
    old_md: &str,
    old: &Document,
    new_md: &str,
    new: &Document,
) -> Vec<SectionChange> {
    let old_s = sections(old_md, old);
    let new_s = sections(new_md, new);
    let old_by: BTreeMap<&str, &(String, String, String)> =
        old_s.iter().map(|s| (s.0.as_str(), s)).collect();
    let new_keys: std::collections::BTreeSet<&str> = new_s.iter().map(|s| s.0.as_str()).collect();
    let mut out = Vec::new();
    for (key, heading, text) in &new_s {
        match old_by.get(key.as_str()) {
            None => out.push(SectionChange {
                heading: heading.clone(),
                change: Change::Added,
            }),
            Some(o) if o.2 != *text || o.1 != *heading => out.push(SectionChange {
                heading: heading.clone(),
                change: Change::Changed,
            }),
            Some(_) => {}
        }
    }
    for (key, heading, _) in &old_s {
        if !new_keys.contains(key.as_str()) {
            out.push(SectionChange {
                heading: heading.clone(),
                change: Change::Removed,
            });
        }
    }
    out
}

/// Steps depth first, with number paths such as "2.1".
fn flat_steps(doc: &Document) -> Vec<StepRef> {
    numbered_steps(doc)
        .into_iter()
        .map(|(number, step)| StepRef {
            number,
            text: step.text.clone(),
        })
        .collect()
}

/// Steps matched by text, then by position and similarity (see [`match_texts`]): the steps
/// that are not the same in both.
fn step_changes(old: &Document, new: &Document) -> Vec<StepChange> {
    let old_steps = flat_steps(old);
    let new_steps = flat_steps(new);
    let old_texts: Vec<&str> = old_steps.iter().map(|s| s.text.as_str()).collect();
    let new_texts: Vec<&str> = new_steps.iter().map(|s| s.text.as_str()).collect();
    match_texts(&old_texts, &new_texts, REWORD_SIMILARITY)
        .into_iter()
        .filter_map(|m| {
            let (change, old, new) = match m {
                Matched::Same { .. } => return None,
                Matched::Reworded { old, new, .. } => (Change::Reworded, Some(old), Some(new)),
                Matched::Removed { old } => (Change::Removed, Some(old), None),
                Matched::Added { new } => (Change::Added, None, Some(new)),
            };
            Some(StepChange {
                change,
                old: old.map(|i| old_steps[i].clone()),
                new: new.map(|j| new_steps[j].clone()),
            })
        })
        .collect()
}

impl BundleDiff {
    pub(crate) fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    pub(crate) fn human(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} {} → {} {}",
            self.old.name, self.old.version, self.new.name, self.new.version
        );
        if self.is_empty() {
            s.push_str("no document changed\n");
        }
        // Ids and versions are checked when a bundle is read; headings and numbers come from
        // its files, so every line is escaped (titles and step texts are quoted, escaped too).
        for d in &self.added {
            let line = format!("+ {} {:?} {} (added)", d.id, d.title, d.version);
            let _ = writeln!(s, "{}", escape_control(&line));
        }
        for d in &self.removed {
            let line = format!("- {} {:?} {} (removed)", d.id, d.title, d.version);
            let _ = writeln!(s, "{}", escape_control(&line));
        }
        for c in &self.changed {
            let line = format!("~ {} {:?} {}", c.id, c.title, version_change(c));
            let _ = writeln!(s, "{}", escape_control(&line));
            for line in c.detail_lines() {
                let _ = writeln!(s, "    {}", escape_control(&line));
            }
        }
        let line = format!("bump: {} ({})", self.bump.as_str(), self.bump_reason);
        let _ = writeln!(s, "{}", escape_control(&line));
        s
    }

    pub(crate) fn markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "### Policy bundle `{}` {} → {}\n",
            self.new.name, self.old.version, self.new.version
        );
        let _ = writeln!(
            s,
            "**Version bump: {}** ({}).\n",
            self.bump.as_str(),
            md_cell(&self.bump_reason)
        );
        if self.is_empty() {
            s.push_str("No document changed.\n");
            return s;
        }
        s.push_str("| Change | Document | Version | Details |\n|---|---|---|---|\n");
        for d in &self.added {
            let _ = writeln!(
                s,
                "| added | {} {} | {} | |",
                d.id,
                md_cell(&d.title),
                d.version
            );
        }
        for d in &self.removed {
            let _ = writeln!(
                s,
                "| removed | {} {} | {} | |",
                d.id,
                md_cell(&d.title),
                d.version
            );
        }
        for c in &self.changed {
            let _ = writeln!(
                s,
                "| changed | {} {} | {} | {} |",
                c.id,
                md_cell(&c.title),
                version_change(c),
                md_cell(&c.summary())
            );
        }
        for c in &self.changed {
            let lines = c.detail_lines();
            if lines.is_empty() {
                continue;
            }
            let _ = writeln!(
                s,
                "\n<details><summary>{} {}</summary>\n",
                c.id,
                html_escape(&c.title)
            );
            for line in lines {
                let _ = writeln!(s, "- {}", md_inline(&line));
            }
            s.push_str("\n</details>\n");
        }
        s
    }
}

fn version_change(c: &DocChange) -> String {
    if c.old_version == c.new_version {
        c.old_version.clone()
    } else {
        format!("{} → {}", c.old_version, c.new_version)
    }
}

impl DocChange {
    fn count(&self, change: Change) -> usize {
        self.steps.iter().filter(|s| s.change == change).count()
    }

    fn summary(&self) -> String {
        let mut parts = Vec::new();
        if !self.sections.is_empty() {
            parts.push(crate::output::plural(self.sections.len(), "section"));
        }
        for (change, word) in [
            (Change::Added, "added"),
            (Change::Removed, "removed"),
            (Change::Reworded, "reworded"),
        ] {
            let n = self.count(change);
            if n > 0 {
                parts.push(format!("{} {word}", crate::output::plural(n, "step")));
            }
        }
        if !self.content_changed {
            parts.push("metadata only".into());
        }
        parts.join(", ")
    }

    fn detail_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (change, word) in [
            (Change::Changed, "changed"),
            (Change::Added, "added"),
            (Change::Removed, "removed"),
        ] {
            let names: Vec<&str> = self
                .sections
                .iter()
                .filter(|s| s.change == change)
                .map(|s| s.heading.as_str())
                .collect();
            if !names.is_empty() {
                lines.push(format!("sections {word}: {}", names.join(", ")));
            }
        }
        for step in &self.steps {
            lines.push(match (&step.old, &step.new) {
                (Some(o), Some(n)) => format!(
                    "step {} reworded: {:?} → {:?}",
                    if o.number == n.number {
                        o.number.clone()
                    } else {
                        format!("{} → {}", o.number, n.number)
                    },
                    o.text,
                    n.text
                ),
                (Some(o), None) => format!("step {} removed: {:?}", o.number, o.text),
                (None, Some(n)) => format!("step {} added: {:?}", n.number, n.text),
                (None, None) => continue,
            });
        }
        if !self.metadata.is_empty() {
            lines.push(format!("metadata changed: {}", self.metadata.join(", ")));
        }
        lines
    }
}

fn md_cell(s: &str) -> String {
    md_inline(s).replace('|', "\\|")
}

/// Keeps user text from opening Markdown or HTML constructs in a pull-request comment.
fn md_inline(s: &str) -> String {
    html_escape(&s.replace('\n', " "))
}

/// `&`, `<` and `>` as entities, and control characters escaped (`\u{1b}`): the comment may
/// be read on a terminal first.
fn html_escape(s: &str) -> String {
    escape_control(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps_raise_the_right_part() {
        let v = semver::Version::parse("1.2.3-rc.1").unwrap();
        assert_eq!(Bump::Major.apply(&v).to_string(), "2.0.0");
        assert_eq!(Bump::Minor.apply(&v).to_string(), "1.3.0");
        assert_eq!(Bump::Patch.apply(&v).to_string(), "1.2.4");
    }

    fn doc(steps: &str) -> Document {
        let src = format!("---\nid: A\nversion: 1.0.0\n---\n# A\n## Procedure\n{steps}");
        crate::document::parse("a.md", src, &crate::document::ParseOptions::default())
    }

    #[test]
    fn steps_are_matched_by_text_then_position() {
        let old = doc("1. Greet the customer.\n2. Listen to the complaint.\n3. Log the complaint.\n4. Close the call.\n");
        let new = doc("1. Greet the customer.\n2. Listen to the whole complaint.\n3. Close the call.\n4. Send a survey.\n");
        let changes = step_changes(&old, &new);
        let got: Vec<(Change, Option<&str>, Option<&str>)> = changes
            .iter()
            .map(|c| {
                (
                    c.change,
                    c.old.as_ref().map(|s| s.number.as_str()),
                    c.new.as_ref().map(|s| s.number.as_str()),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Change::Reworded, Some("2"), Some("2")),
                (Change::Removed, Some("3"), None),
                (Change::Added, None, Some("4")),
            ]
        );
    }

    #[test]
    fn markdown_escapes_user_text() {
        assert_eq!(md_cell("a|b <script>"), "a\\|b &lt;script&gt;");
    }
}
