//! The SOP document model (DESIGN §3): what the parser produces and every rule reads.

mod aliases;
mod escalation;
mod front_matter;
mod line_index;
pub(crate) mod matching;
mod parse;
mod review;
mod steps;
mod summary;
mod text;
mod version;

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

pub(crate) use aliases::{column, Column};
pub use aliases::{Aliases, SectionKind};
pub(crate) use escalation::{
    has_phone, is_priority_label, names_escalation, time_units, ContactKind, ESCALATION_STEMS,
};
pub use front_matter::{Field, FrontMatter, FrontMatterError};
pub use line_index::LineIndex;
pub(crate) use parse::{any_line_could_nest_beyond, nested_beyond};
pub use parse::{parse, ParseOptions};
pub use review::FieldConventions;
#[cfg(test)]
pub(crate) use review::Unit;
pub(crate) use review::{is_empty_value, Interval};
pub use steps::FoundBy;
pub use summary::{
    DocSummary, LinkSummary, Mention, Place, Shape, ShapeLevel, ShapeSection, ShapeStep,
};
pub use text::PlainText;
pub(crate) use text::{sentence_ranges, word_count};
pub(crate) use version::parse_document_version;

/// Version tag of the JSON form of [`Document`].
pub const DOCUMENT_SCHEMA: &str = "sopkit.document/v1";

/// sopkit's names of the front matter fields it reads. A repository's `fields:` (or `preset:`)
/// may keep a field under another key: the metadata rules look keys up through that mapping,
/// [`Document`]'s accessors (`doc.status()`, …) under these names.
pub mod keys {
    pub const ID: &str = "id";
    pub const TITLE: &str = "title";
    pub const VERSION: &str = "version";
    pub const STATUS: &str = "status";
    pub const OWNER: &str = "owner";
    pub const EFFECTIVE: &str = "effective";
    pub const REVIEW_BY: &str = "review_by";
    pub const REVIEWED: &str = "reviewed";
    pub const REVIEW_INTERVAL: &str = "review_interval";
    /// The id of the base SOP a branch variant was copied from (X006).
    pub const VARIANT_OF: &str = "variant_of";
    /// The branch or site a variant is for.
    pub const BRANCH: &str = "branch";
}

/// Where a document is in its life: front matter `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Being written.
    Draft,
    /// Waiting for approval.
    Review,
    /// In force: the only status `bundle build` takes without `--include-drafts`.
    Approved,
    /// No longer used: not due for review.
    Retired,
    /// Any other text, as written.
    Unknown(String),
}

impl Status {
    /// The known statuses, as written in the front matter.
    pub const NAMES: [&'static str; 4] = ["draft", "review", "approved", "retired"];

    /// A status as written; surrounding white space is ignored, case is not.
    pub fn parse(text: &str) -> Self {
        match text.trim() {
            "draft" => Self::Draft,
            "review" => Self::Review,
            "approved" => Self::Approved,
            "retired" => Self::Retired,
            _ => Self::Unknown(text.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Draft => "draft",
            Self::Review => "review",
            Self::Approved => "approved",
            Self::Retired => "retired",
            Self::Unknown(text) => text,
        }
    }
}

/// A byte range into the file (front matter included), with the 1-based line and character
/// column of its start for readers of the JSON form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

impl Span {
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// One parsed SOP file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub schema: String,
    /// The path as given on the command line (forward slashes).
    pub path: String,
    /// BCP 47 language: front matter `lang`, else the configured default, else detected.
    pub lang: String,
    pub front_matter: Option<FrontMatter>,
    /// The title: the text of the first level-1 heading; for a template heading
    /// (`# <%= current_page.data.title %>`, `{{ page.title }}`) or no level-1 heading at all,
    /// the front matter `title` (spanned at its value) when there is one.
    pub title: Option<Spanned<String>>,
    /// Where `title` came from.
    #[serde(default)]
    pub title_source: Option<TitleSource>,
    pub sections: Vec<Section>,
    /// The step tree of the procedure section(s), numbers as written.
    pub steps: Vec<Step>,
    /// Every list (or run of step headings) read as steps: where and why.
    #[serde(default)]
    pub step_lists: Vec<StepList>,
    pub roles: Vec<Role>,
    pub escalation: Option<EscalationChain>,
    pub revisions: Vec<Revision>,
    pub links: Vec<Link>,
    /// Leaf text blocks (headings, paragraphs, table cells) for lexical rules.
    #[serde(skip)]
    pub blocks: Vec<TextBlock>,
    /// HTML comments, for inline suppressions.
    #[serde(skip)]
    pub comments: Vec<Spanned<String>>,
    #[serde(skip)]
    pub source: String,
    #[serde(skip)]
    pub line_index: LineIndex,
}

/// A heading and the text under it, up to the next heading of the same or a higher level.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    /// The recognised kind, through the alias table; `None` for other headings.
    pub kind: Option<SectionKind>,
    pub heading: String,
    pub level: u8,
    /// The heading's anchor: the `id` of an HTML heading, the `name` or `id` of an `<a>` inside
    /// it, or a kramdown `{#id}` suffix.
    #[serde(default)]
    pub anchor: Option<String>,
    /// How the heading was written: a Markdown heading, a raw HTML `<hN>`, or a paragraph that
    /// is only bold text (a pseudo-heading, one level below the enclosing heading).
    #[serde(default)]
    pub form: HeadingForm,
    /// The heading line.
    pub span: Span,
    /// From the end of the heading to the start of the next heading of the same or higher level.
    pub body: Span,
    /// Whether the body holds anything besides whitespace, comments and sub-headings.
    pub has_content: bool,
}

/// One list item of the procedure.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    /// The number as written ("3" for "3." or "3)"); `None` for bullet items.
    pub number: Option<String>,
    pub ordered: bool,
    /// 1 for top-level steps.
    pub depth: usize,
    /// Which list of the procedure this step belongs to (lists restart numbering).
    pub list: usize,
    /// The first paragraph of the item as plain text.
    pub text: String,
    /// The whole item.
    pub span: Span,
    /// Where `text` was written.
    #[serde(skip)]
    pub plain: PlainText,
    /// Field lines of the step ("Responsible: shift lead"): attributes, not steps.
    #[serde(default)]
    pub fields: Vec<StepField>,
    /// Whether the step is a step heading ("## Step 2: Verify") rather than a list item.
    #[serde(default)]
    pub heading: bool,
    pub children: Vec<Step>,
}

/// An attribute line of a step: a short label, a colon and a value.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepField {
    pub label: String,
    pub value: String,
    /// The whole line or item.
    pub span: Span,
}

/// A list (or a run of step headings) that the parser read as steps, and why (see the rules in
/// the `steps` module).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepList {
    /// The [`Step::list`] of its top-level steps.
    pub list: usize,
    pub span: Span,
    /// The heading of the section it is in.
    pub section: Option<String>,
    pub found_by: FoundBy,
    pub reason: String,
}

/// Where the title was taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TitleSource {
    /// The first level-1 heading (Markdown or HTML).
    Heading,
    /// A level-1 heading that is a template expression; the value is the front matter title
    /// when there is one, else the expression.
    Template,
    /// The front matter `title`: the document has no level-1 heading.
    FrontMatter,
}

/// How a heading was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum HeadingForm {
    #[default]
    Markdown,
    Html,
    Bold,
}

/// A role named under the Roles section.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Role {
    pub name: String,
    pub description: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChainForm {
    Table,
    List,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EscalationChain {
    pub form: ChainForm,
    pub span: Span,
    pub levels: Vec<Level>,
}

/// One level of an escalation chain.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Level {
    pub number: Option<String>,
    pub role: Option<Spanned<String>>,
    pub trigger: Option<Spanned<String>>,
    pub within: Option<Within>,
    pub contact: Option<Spanned<String>>,
    pub span: Span,
}

/// A response time such as "within 30 min".
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Within {
    pub text: String,
    /// The time in minutes, when it has a number and a known unit.
    pub minutes: Option<u64>,
    pub span: Span,
}

/// A row of the revision history table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Revision {
    pub version: String,
    pub date: String,
    pub author: String,
    pub change: String,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Link {
    pub target: String,
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Heading,
    Paragraph,
    TableCell,
}

/// A leaf block of prose with its mapping back to the source.
#[derive(Debug, Clone)]
pub struct TextBlock {
    pub kind: BlockKind,
    /// Index into [`Document::sections`] of the innermost enclosing section.
    pub section: Option<usize>,
    /// Whether the block is inside a list item.
    pub in_list: bool,
    pub text: PlainText,
}

impl Document {
    /// A [`Span`] for a byte range of this document.
    pub fn span(&self, range: Range<usize>) -> Span {
        make_span(&self.source, &self.line_index, range)
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.line_index.line_col(&self.source, offset)
    }

    /// The first line of `range`, without trailing whitespace: headings, table rows and list
    /// items are underlined on their first line only, so reports stay one line tall.
    pub fn first_line(&self, range: Range<usize>) -> Range<usize> {
        let Some(text) = self.source.get(range.clone()) else {
            return range;
        };
        let line = text.split('\n').next().unwrap_or("");
        range.start..range.start + line.trim_end().len()
    }

    /// The front matter field `key`, if the front matter parsed and has it.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.front_matter.as_ref()?.fields.get(key)
    }

    /// The string value of field `key` (numbers and booleans are rendered as text).
    pub fn field_str(&self, key: &str) -> Option<String> {
        self.field(key).and_then(Field::as_text)
    }

    /// `status`, when the front matter has one that is text.
    pub fn status(&self) -> Option<Status> {
        self.field_str(keys::STATUS).map(|s| Status::parse(&s))
    }

    /// `id` as text.
    pub fn id(&self) -> Option<String> {
        self.field_str(keys::ID)
    }

    /// `version` as text (YAML's number `1.2` as `1.2`).
    pub fn version(&self) -> Option<String> {
        self.field_str(keys::VERSION)
    }

    /// `owner` as text.
    pub fn owner(&self) -> Option<String> {
        self.field_str(keys::OWNER)
    }

    /// `effective` as text, as written.
    pub fn effective(&self) -> Option<String> {
        self.field_str(keys::EFFECTIVE)
    }

    /// `review_by` as text, as written.
    pub fn review_by(&self) -> Option<String> {
        self.field_str(keys::REVIEW_BY)
    }

    /// The front matter's `title` as text (the H1 is [`Document::title`]).
    pub fn title_field(&self) -> Option<String> {
        self.field_str(keys::TITLE)
    }

    /// Sections of the given kind, in document order.
    pub fn sections_of(&self, kind: SectionKind) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(move |s| s.kind == Some(kind))
    }

    /// All steps, depth first, in document order.
    pub fn all_steps(&self) -> Vec<&Step> {
        let mut out = Vec::new();
        let mut stack: Vec<&Step> = self.steps.iter().rev().collect();
        while let Some(step) = stack.pop() {
            out.push(step);
            stack.extend(step.children.iter().rev());
        }
        out
    }

    /// Whether the document's language is English (or any English variant).
    pub fn is_english(&self) -> bool {
        lang_matches(&self.lang, "en")
    }

    /// Roles by lower-cased name, for lookups.
    pub fn role_names(&self) -> BTreeMap<String, &Role> {
        self.roles
            .iter()
            .map(|r| (normalize_role(&r.name), r))
            .collect()
    }
}

/// Whether BCP 47 tag `lang` belongs to language `want` ("en-GB" matches "en"; "*" matches all).
pub fn lang_matches(lang: &str, want: &str) -> bool {
    if want == "*" {
        return true;
    }
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    primary.eq_ignore_ascii_case(want) || lang.eq_ignore_ascii_case(want)
}

/// Lower-case, collapse whitespace, drop surrounding punctuation: how role names are compared.
pub fn normalize_role(name: &str) -> String {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    words.join(" ")
}

pub(crate) fn make_span(source: &str, index: &LineIndex, range: Range<usize>) -> Span {
    let (line, column) = index.line_col(source, range.start);
    Span {
        start: range.start,
        end: range.end,
        line,
        column,
    }
}

#[cfg(test)]
mod tests {
    use super::{parse, ParseOptions, Status};

    #[test]
    fn status_and_fields_by_sopkits_keys() {
        let src = "---\nid: CS-1\nversion: 1.10\nstatus: \" approved\"\nowner: Lead\n---\n# T\n";
        let doc = parse("t.md", src.to_string(), &ParseOptions::default());
        assert_eq!(doc.status(), Some(Status::Approved));
        assert_eq!(doc.id().as_deref(), Some("CS-1"));
        assert_eq!(doc.version().as_deref(), Some("1.1"));
        assert_eq!(doc.owner().as_deref(), Some("Lead"));
        assert_eq!(doc.review_by(), None);
        assert_eq!(
            Status::parse("Approved"),
            Status::Unknown("Approved".into())
        );
        assert_eq!(Status::parse("Approved").as_str(), "Approved");
        for name in Status::NAMES {
            assert_eq!(Status::parse(name).as_str(), name);
        }
    }
}
