//! The file format of a rule pack, as serde reads it.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

use crate::rule::Severity;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPack {
    pub(super) pack: String,
    pub(super) lang: String,
    #[serde(default)]
    pub(super) description: Option<String>,
    pub(super) rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawRule {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) kind: Kind,
    #[serde(default)]
    pub(super) scope: Scope,
    #[serde(default = "default_severity")]
    pub(super) severity: Severity,
    /// One line for `sopkit rules`; defaults to the first sentence of the description.
    #[serde(default)]
    pub(super) summary: Option<String>,
    #[serde(default, alias = "docs")]
    pub(super) description: Option<String>,
    /// Why the flagged text is a problem, for the docs.
    #[serde(default)]
    pub(super) why: Option<String>,
    #[serde(default)]
    pub(super) tokens: Vec<String>,
    /// Tokens are regular expressions (compiled together into one).
    #[serde(default)]
    pub(super) regex: bool,
    /// substitution: token → replacement (or a list of replacements).
    #[serde(default)]
    pub(super) swap: Option<serde_yaml::Mapping>,
    #[serde(default)]
    pub(super) message: Option<String>,
    #[serde(default)]
    pub(super) help: Option<String>,
    /// occurrence: more than `max` matches per scope; metric: the largest value allowed.
    #[serde(default)]
    pub(super) max: Option<usize>,
    #[serde(default)]
    pub(super) metric: Option<Metric>,
    /// acronym: acronyms that need no definition.
    #[serde(default)]
    pub(super) allow: Vec<String>,
    /// acronym: what some acronyms stand for, for the help text.
    #[serde(default)]
    pub(super) expansions: BTreeMap<String, String>,
    /// existence, occurrence: skip a match when one of these words comes before it in the same
    /// sentence ("Check *that* the tube is sealed" states a condition, not a passive step).
    #[serde(default)]
    pub(super) skip_after: Vec<String>,
    /// existence, occurrence: report nothing in a step (or paragraph) that gives a command in
    /// one of its sentences: the marker then describes a result, a condition or what the
    /// system does ("Select **OK** and the dialog will show the list."), not the instruction.
    #[serde(default)]
    pub(super) unless_command: bool,
    /// existence, occurrence: report a match only in a sentence that opens as a command
    /// ("Wait a few minutes"), not in a description around it.
    #[serde(default)]
    pub(super) only_in_command: bool,
    /// The words that give a command in the pack's language (imperatives such as "pilih",
    /// "odaberite"), for `unless-command` and `only-in-command`; English packs use the
    /// built-in grammar when this is empty.
    #[serde(default)]
    pub(super) command_words: Vec<String>,
    #[serde(default)]
    pub(super) examples: Examples,
}

fn default_severity() -> Severity {
    Severity::Warning
}

/// What a pack rule checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Any token found is a finding.
    Existence,
    /// A token found is replaced by its swap (a safe fix when there is one replacement).
    Substitution,
    /// More than `max` tokens in one scope unit (one step, one paragraph…).
    Occurrence,
    /// A measure of each scope unit (or sentence) above `max`.
    Metric,
    /// An all-caps word of 2–6 letters not defined earlier as "Full Name (ACR)" or under
    /// Definitions, and not in `allow`. Built in because it needs the whole document.
    Acronym,
}

impl Kind {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::Existence => "existence",
            Self::Substitution => "substitution",
            Self::Occurrence => "occurrence",
            Self::Metric => "metric",
            Self::Acronym => "acronym",
        }
    }
}

/// What `kind: metric` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// Words in each sentence.
    WordsPerSentence,
    /// Words in each scope unit.
    Words,
    /// Sentences in each scope unit.
    Sentences,
}

impl Metric {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::WordsPerSentence => "words-per-sentence",
            Self::Words => "words",
            Self::Sentences => "sentences",
        }
    }
}

/// Which text of a document a pack rule reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    /// Procedure steps.
    Step,
    /// The first sentence of each procedure step: the instruction itself, not the
    /// explanation after it ("Select **OK**. A message will confirm the import.").
    Instruction,
    Heading,
    /// Paragraphs that are not procedure steps.
    Paragraph,
    /// The escalation section (or the chain's role, trigger and contact texts).
    Escalation,
    TableCell,
    /// The value of one front matter field.
    FrontMatter(String),
    /// Every heading, paragraph and table cell.
    #[default]
    Any,
}

static SCOPES: [&str; 8] = [
    "step",
    "instruction",
    "heading",
    "paragraph",
    "escalation",
    "table-cell",
    "front-matter:<field>",
    "any",
];

impl Scope {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "step" => Self::Step,
            "instruction" => Self::Instruction,
            "heading" => Self::Heading,
            "paragraph" => Self::Paragraph,
            "escalation" => Self::Escalation,
            "table-cell" => Self::TableCell,
            "any" => Self::Any,
            _ => {
                let field = s.strip_prefix("front-matter:")?.trim();
                if field.is_empty() {
                    return None;
                }
                Self::FrontMatter(field.to_string())
            }
        })
    }

    pub(super) fn describe(&self) -> String {
        match self {
            Self::Step => "step".into(),
            Self::Instruction => "instruction".into(),
            Self::Heading => "heading".into(),
            Self::Paragraph => "paragraph".into(),
            Self::Escalation => "escalation".into(),
            Self::TableCell => "table-cell".into(),
            Self::FrontMatter(f) => format!("front-matter:{f}"),
            Self::Any => "any".into(),
        }
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        // An unknown variant keeps its kind, so the did-you-mean applies as to `kind`.
        Scope::parse(s.trim()).ok_or_else(|| serde::de::Error::unknown_variant(s.trim(), &SCOPES))
    }
}

/// Examples that `sopkit rules test` checks: every bad one fires, no good one does.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub bad: Vec<String>,
    #[serde(default)]
    pub good: Vec<String>,
}
