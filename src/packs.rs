//! YAML rule packs (DESIGN §4): shipped packs embedded in the binary, plus user packs.
//!
//! A pack is a YAML file with a name, a language and a list of lexical rules. Each rule's token
//! list compiles into ONE matcher when the pack is loaded (aho-corasick, or one regex for
//! `regex: true` rules), so a document is scanned once per rule, never once per token.
//!
//! Rule metadata needs `&'static str`s (it sits beside the built-in rules' `const` metadata), so
//! the strings of a pack rule are leaked once when the pack is loaded. Packs load once per
//! process (the shipped ones through a `LazyLock`, user ones when the configuration is read), so
//! the leak is bounded by the size of the packs.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::{Deserialize, Deserializer};

use crate::document::{lang_matches, BlockKind, Document, PlainText, SectionKind};
use crate::rule::{Context, Edit, Finding, Fix, Rule, RuleMeta, Severity};

/// The packs shipped in the binary: (path as shown in errors, YAML).
const SHIPPED: &[(&str, &str)] = &[
    (
        "rules/en/plain-words.yaml",
        include_str!("../rules/en/plain-words.yaml"),
    ),
    (
        "rules/en/weasel.yaml",
        include_str!("../rules/en/weasel.yaml"),
    ),
    (
        "rules/en/passive.yaml",
        include_str!("../rules/en/passive.yaml"),
    ),
    (
        "rules/en/acronyms.yaml",
        include_str!("../rules/en/acronyms.yaml"),
    ),
    (
        "rules/ms/tense.yaml",
        include_str!("../rules/ms/tense.yaml"),
    ),
    (
        "rules/id/tense.yaml",
        include_str!("../rules/id/tense.yaml"),
    ),
    (
        "rules/hr/tense.yaml",
        include_str!("../rules/hr/tense.yaml"),
    ),
    (
        "rules/fi/tense.yaml",
        include_str!("../rules/fi/tense.yaml"),
    ),
];

/// Compiled once per process. The shipped packs are tested (`shipped_packs_load`), so a failure
/// here is a build defect, not bad input.
static SHIPPED_PACKS: LazyLock<Vec<Pack>> = LazyLock::new(|| {
    let mut seen = Seen::builtin();
    SHIPPED
        .iter()
        .map(|(path, yaml)| {
            parse_pack(path, yaml, &mut seen)
                .unwrap_or_else(|e| panic!("shipped rule pack {path} is invalid: {e}"))
        })
        .collect()
});

/// The rules of the packs shipped in the binary.
pub fn shipped_rules() -> Vec<Box<dyn Rule>> {
    rules_of(shipped_packs())
}

/// The packs shipped in the binary.
pub fn shipped_packs() -> &'static [Pack] {
    &SHIPPED_PACKS
}

/// Loads user packs: each path is a pack file or a directory searched (recursively, sorted) for
/// `*.yaml`/`*.yml`; relative paths are resolved against `base_dir` (the configuration file's
/// directory). Codes and names must be new: not built-in, not shipped, not in another pack.
pub fn load(paths: &[PathBuf], base_dir: &Path) -> Result<Vec<Box<dyn Rule>>, PackError> {
    Ok(rules_of(&load_packs(paths, base_dir)?))
}

/// Like [`load`], keeping the packs (for `sopkit rules test` and listings).
pub fn load_packs(paths: &[PathBuf], base_dir: &Path) -> Result<Vec<Pack>, PackError> {
    let mut seen = Seen::builtin();
    for pack in shipped_packs() {
        for rule in &pack.rules {
            seen.add(rule.meta.code, rule.meta.name);
        }
    }
    load_with(paths, base_dir, seen)
}

/// Like [`load_packs`], without checking codes against the shipped packs: `sopkit rules test`
/// of a pack file on its own (such as a shipped pack's source file).
pub fn load_packs_standalone(paths: &[PathBuf], base_dir: &Path) -> Result<Vec<Pack>, PackError> {
    load_with(paths, base_dir, Seen::builtin())
}

fn load_with(paths: &[PathBuf], base_dir: &Path, mut seen: Seen) -> Result<Vec<Pack>, PackError> {
    let mut packs = Vec::new();
    for path in pack_files(paths, base_dir)? {
        // Shown relative to the current directory when under it, as paths are on the CLI.
        let cwd = std::env::current_dir().unwrap_or_default();
        let shown = crate::lint::display_path(path.strip_prefix(&cwd).unwrap_or(&path));
        let yaml = std::fs::read_to_string(&path).map_err(|source| PackError::Read {
            path: shown.clone(),
            source,
        })?;
        packs.push(parse_pack(&shown, &yaml, &mut seen)?);
    }
    Ok(packs)
}

/// Metadata of every rule: built-in, shipped packs, then the given (configured) pack rules.
pub fn all_metas(user: &[Box<dyn Rule>]) -> Vec<RuleMeta> {
    crate::rules::builtin()
        .map(|e| e.meta.clone())
        .chain(
            shipped_packs()
                .iter()
                .flat_map(|p| p.rules.iter().map(|r| r.meta.clone())),
        )
        .chain(user.iter().map(|r| r.meta().clone()))
        .collect()
}

fn rules_of(packs: &[Pack]) -> Vec<Box<dyn Rule>> {
    packs
        .iter()
        .flat_map(|p| p.rules.iter().map(|r| Box::new(r.clone()) as Box<dyn Rule>))
        .collect()
}

/// The pack files named by `paths`, directories expanded.
fn pack_files(paths: &[PathBuf], base_dir: &Path) -> Result<Vec<PathBuf>, PackError> {
    let mut out = Vec::new();
    for path in paths {
        let path = if path.is_absolute() {
            path.clone()
        } else {
            base_dir.join(path)
        };
        if path.is_dir() {
            let mut found = Vec::new();
            collect_yaml(&path, &mut found).map_err(|source| PackError::Read {
                path: crate::lint::display_path(&path),
                source,
            })?;
            found.sort();
            out.extend(found);
        } else {
            out.push(path);
        }
    }
    Ok(out)
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_yaml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Why a rule pack could not be loaded.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum PackError {
    #[error("cannot read rule pack {path}: {source}")]
    #[diagnostic(code(sopkit::pack::read))]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The YAML does not parse, or does not have the shape of a pack. Boxed: it carries the
    /// pack's source for the report.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidPack>),
}

/// A located problem in a pack file.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("invalid rule pack {path}:{line}:{column}: {message}")]
#[diagnostic(code(sopkit::pack::invalid))]
pub struct InvalidPack {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("{label}")]
    span: SourceSpan,
    label: String,
    #[help]
    help: Option<String>,
}

impl PackError {
    fn invalid(
        path: &str,
        yaml: &str,
        at: Range<usize>,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> Self {
        let (line, column) = line_col(yaml, at.start);
        Self::Invalid(Box::new(InvalidPack {
            path: path.to_string(),
            line,
            column,
            message,
            src: NamedSource::new(path, yaml.to_string()),
            span: (at.start, at.len()).into(),
            label: label.to_string(),
            help,
        }))
    }

    /// 1-based line and column of the problem, when it has a place in the file.
    pub fn location(&self) -> Option<(usize, usize)> {
        match self {
            Self::Invalid(e) => Some((e.line, e.column)),
            Self::Read { .. } => None,
        }
    }
}

/// 1-based line and character column of a byte offset (pack errors are rare: no index kept).
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    crate::document::LineIndex::new(text).line_col(text, offset)
}

/// Byte offset of 1-based `line` and character `column`, clamped to the text.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = text[start..].split('\n').next().unwrap_or("");
    start
        + line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

// ---------------------------------------------------------------------------------------------
// The file format

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    pack: String,
    lang: String,
    #[serde(default)]
    description: Option<String>,
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRule {
    code: String,
    name: String,
    kind: Kind,
    #[serde(default)]
    scope: Scope,
    #[serde(default = "default_severity")]
    severity: Severity,
    /// One line for `sopkit rules`; defaults to the first sentence of the description.
    #[serde(default)]
    summary: Option<String>,
    #[serde(default, alias = "docs")]
    description: Option<String>,
    /// Why the flagged text is a problem, for the docs.
    #[serde(default)]
    why: Option<String>,
    #[serde(default)]
    tokens: Vec<String>,
    /// Tokens are regular expressions (compiled together into one).
    #[serde(default)]
    regex: bool,
    /// substitution: token → replacement (or a list of replacements).
    #[serde(default)]
    swap: Option<serde_yaml::Mapping>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    help: Option<String>,
    /// occurrence: more than `max` matches per scope; metric: the largest value allowed.
    #[serde(default)]
    max: Option<usize>,
    #[serde(default)]
    metric: Option<Metric>,
    /// acronym: acronyms that need no definition.
    #[serde(default)]
    allow: Vec<String>,
    /// acronym: what some acronyms stand for, for the help text.
    #[serde(default)]
    expansions: BTreeMap<String, String>,
    /// existence, occurrence: skip a match when one of these words comes before it in the same
    /// sentence ("Check *that* the tube is sealed" states a condition, not a passive step).
    #[serde(default)]
    skip_after: Vec<String>,
    /// existence, occurrence: report nothing in a step (or paragraph) that gives a command in
    /// one of its sentences: the marker then describes a result, a condition or what the
    /// system does ("Select **OK** and the dialog will show the list."), not the instruction.
    #[serde(default)]
    unless_command: bool,
    /// existence, occurrence: report a match only in a sentence that opens as a command
    /// ("Wait a few minutes"), not in a description around it.
    #[serde(default)]
    only_in_command: bool,
    /// The words that give a command in the pack's language (imperatives such as "pilih",
    /// "odaberite"), for `unless-command` and `only-in-command`; English packs use the
    /// built-in grammar when this is empty.
    #[serde(default)]
    command_words: Vec<String>,
    #[serde(default)]
    examples: Examples,
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
    fn as_str(self) -> &'static str {
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
    fn as_str(self) -> &'static str {
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

const SCOPES: [&str; 8] = [
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

    fn describe(&self) -> String {
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
        Scope::parse(s.trim()).ok_or_else(|| {
            // Same shape as serde's own unknown-variant message, so the did-you-mean applies.
            let expected: Vec<String> = SCOPES.iter().map(|s| format!("`{s}`")).collect();
            serde::de::Error::custom(format!(
                "unknown variant `{s}`, expected one of {}",
                expected.join(", ")
            ))
        })
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

// ---------------------------------------------------------------------------------------------
// Loaded packs and rules

/// A loaded pack.
#[derive(Debug)]
pub struct Pack {
    pub name: String,
    pub lang: String,
    /// Where it was read from (`rules/en/plain-words.yaml` for shipped packs).
    pub path: String,
    pub description: Option<String>,
    pub rules: Vec<PackRule>,
}

/// A rule of a pack, ready to check documents. Cheap to clone.
#[derive(Clone)]
pub struct PackRule {
    meta: RuleMeta,
    spec: Arc<Spec>,
    /// acronym: more acronyms allowed by the configuration (`options: {EN004: {allow: […]}}`).
    allow_more: Arc<BTreeSet<String>>,
}

/// Options of a shipped `kind: acronym` rule.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct AcronymOptions {
    /// Acronyms the readers know, added to the shipped allow-list.
    #[serde(default)]
    allow: Vec<String>,
}

/// A shipped pack rule built with options from the configuration; `None` when no shipped rule
/// has this code or the rule takes no options. Only `kind: acronym` rules take options: more
/// acronyms to allow.
pub(crate) fn build_with_options(
    code: &str,
    options: &serde_yaml::Value,
) -> Option<Result<Box<dyn Rule>, String>> {
    let rule = shipped_packs()
        .iter()
        .flat_map(|p| &p.rules)
        .find(|r| r.meta.code == code && r.spec.kind == Kind::Acronym)?;
    let parsed: Result<AcronymOptions, String> =
        serde_yaml::from_value(options.clone()).map_err(|e| e.to_string());
    Some(parsed.map(|o| {
        let mut rule = rule.clone();
        let allow = o
            .allow
            .iter()
            .map(|a| a.trim().trim_end_matches('s').to_string())
            .chain(o.allow.iter().map(|a| a.trim().to_string()));
        rule.allow_more = Arc::new(allow.collect());
        Box::new(rule) as Box<dyn Rule>
    }))
}

impl std::fmt::Debug for PackRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackRule")
            .field("code", &self.meta.code)
            .field("kind", &self.spec.kind)
            .field("scope", &self.spec.scope)
            .finish()
    }
}

struct Spec {
    lang: String,
    kind: Kind,
    scope: Scope,
    matcher: Option<Matcher>,
    /// substitution: the replacements of each token, by token index.
    swaps: Vec<Vec<String>>,
    message: Option<String>,
    help: Option<String>,
    max: usize,
    metric: Option<Metric>,
    allow: BTreeSet<String>,
    expansions: BTreeMap<String, String>,
    skip_after: Vec<String>,
    unless_command: bool,
    only_in_command: bool,
    command_words: Vec<String>,
    examples: Examples,
}

impl PackRule {
    pub fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    /// The language of documents the rule applies to (`*` for all).
    pub fn lang(&self) -> &str {
        &self.spec.lang
    }

    pub fn examples(&self) -> &Examples {
        &self.spec.examples
    }

    /// The Markdown of a one-unit document holding `example` in the rule's scope and language,
    /// as `sopkit rules test` lints it.
    pub fn example_document(&self, example: &str) -> String {
        let lang = if self.spec.lang == "*" {
            "en"
        } else {
            self.spec.lang.as_str()
        };
        let front = |extra: &str| format!("---\nlang: {lang}\n{extra}---\n\n");
        match &self.spec.scope {
            Scope::Step | Scope::Instruction => format!(
                "{}## {}\n\n1. {example}\n",
                front(""),
                SectionKind::Procedure.heading_in(lang)
            ),
            Scope::Heading => format!("{}# {example}\n", front("")),
            Scope::Escalation => format!(
                "{}## {}\n\n{example}\n",
                front(""),
                SectionKind::Escalation.heading_in(lang)
            ),
            Scope::TableCell => format!("{}| |\n|---|\n| {example} |\n", front("")),
            Scope::FrontMatter(field) => {
                let value = serde_json::to_string(example).unwrap_or_default();
                front(&format!("{field}: {value}\n"))
            }
            Scope::Paragraph | Scope::Any => format!("{}{example}\n", front("")),
        }
    }

    /// Checks the rule's examples: a list of failures (empty when all pass).
    pub fn test_examples(&self) -> Vec<String> {
        let settings = crate::settings::Settings::default();
        let ctx = Context {
            settings: &settings,
        };
        let mut failures = Vec::new();
        for (bad, list) in [
            (true, &self.spec.examples.bad),
            (false, &self.spec.examples.good),
        ] {
            for example in list {
                let source = self.example_document(example);
                let doc = crate::document::parse("example.md", source, &settings.parse);
                let findings = self.check(&doc, &ctx);
                if bad && findings.is_empty() {
                    failures.push(format!("bad example did not fire: {example:?}"));
                } else if !bad && !findings.is_empty() {
                    let found: Vec<&str> = findings
                        .iter()
                        .map(|f| doc.source.get(f.span.clone()).unwrap_or(""))
                        .collect();
                    failures.push(format!("good example fired on {found:?}: {example:?}"));
                }
            }
        }
        failures
    }
}

impl Rule for PackRule {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        if !lang_matches(&doc.lang, &self.spec.lang) {
            return Vec::new();
        }
        let spec = &self.spec;
        if spec.kind == Kind::Acronym {
            return self.check_acronyms(doc);
        }
        let mut out = Vec::new();
        for unit in units(doc, &spec.scope) {
            if spec.unless_command && self.gives_command(unit.whole()) {
                continue;
            }
            match spec.kind {
                Kind::Existence => {
                    for m in self.matches(unit.text()) {
                        let found = &unit.text()[m.range.clone()];
                        out.push(self.finding(unit.to_source(m.range), found, &[]));
                    }
                }
                Kind::Substitution => {
                    for m in self.matches(unit.text()) {
                        out.push(self.substitution(doc, &unit, m));
                    }
                }
                Kind::Occurrence => {
                    let found = self.matches(unit.text());
                    if let Some(m) = found.get(spec.max) {
                        let text = &unit.text()[m.range.clone()];
                        let count = found.len().to_string();
                        let max = spec.max.to_string();
                        let mut f = self.finding(
                            unit.to_source(m.range.clone()),
                            text,
                            &[("count", &count), ("max", &max)],
                        );
                        if spec.message.is_none() {
                            f.message = format!("{count} matches here, more than {max}: '{text}'.");
                        }
                        out.push(f);
                    }
                }
                Kind::Metric => out.extend(self.metric(&unit)),
                Kind::Acronym => {}
            }
        }
        out
    }
}

/// A match of a rule's tokens: where, and which token (for swaps).
struct Match {
    range: Range<usize>,
    token: usize,
}

impl PackRule {
    fn matches(&self, text: &str) -> Vec<Match> {
        let mut found = self
            .spec
            .matcher
            .as_ref()
            .map_or_else(Vec::new, |m| m.find(text));
        if !self.spec.skip_after.is_empty() {
            found.retain(|m| !self.after_skip_word(text, m.range.start));
        }
        if self.spec.only_in_command {
            let sentences = sentences(text);
            found.retain(|m| {
                sentences
                    .iter()
                    .find(|s| s.start <= m.range.start && m.range.start < s.end)
                    .is_some_and(|s| self.is_command(&text[s.clone()]))
            });
        }
        found
    }

    /// Whether one of the sentences of `text` gives a command.
    fn gives_command(&self, text: &str) -> bool {
        sentences(text)
            .into_iter()
            .any(|s| self.is_command(&text[s]))
    }

    /// Whether `sentence` gives a command: for English, its main clause opens with an
    /// imperative; otherwise one of the pack's `command-words` stands in it as a whole word.
    fn is_command(&self, sentence: &str) -> bool {
        let words = &self.spec.command_words;
        if words.is_empty() {
            return lang_matches("en", &self.spec.lang)
                && crate::lang::en::opens_with_imperative(sentence);
        }
        sentence
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| words.iter().any(|c| c.to_lowercase() == w.to_lowercase()))
    }

    /// Whether a `skip-after` word comes before `at` in the same sentence.
    fn after_skip_word(&self, text: &str, at: usize) -> bool {
        let before = &text[..at];
        let sentence = before
            .rfind(['.', '!', '?', ';'])
            .map_or(before, |i| &before[i + 1..]);
        sentence.split(|c: char| !c.is_alphanumeric()).any(|w| {
            self.spec
                .skip_after
                .iter()
                .any(|s| s.eq_ignore_ascii_case(w))
        })
    }

    /// A finding with the message template filled in: `{match}` and the given variables.
    fn finding(&self, span: Range<usize>, found: &str, vars: &[(&str, &str)]) -> Finding {
        let fill = |t: &str| {
            let mut s = t.replace("{match}", found);
            for (k, v) in vars {
                s = s.replace(&format!("{{{k}}}"), v);
            }
            s
        };
        let message = self
            .spec
            .message
            .as_deref()
            .map(fill)
            .unwrap_or_else(|| format!("{}: '{found}'", self.meta.summary));
        let mut f = Finding::new(span, message);
        if let Some(help) = &self.spec.help {
            f = f.help(fill(help));
        }
        f
    }

    fn substitution(&self, doc: &Document, unit: &Unit<'_>, m: Match) -> Finding {
        let found = &unit.text()[m.range.clone()];
        let span = unit.to_source(m.range.clone());
        let swaps = self.spec.swaps.get(m.token).map_or(&[][..], Vec::as_slice);
        let replacement = swaps.first().map(|r| match_case(found, r));
        let quoted: Vec<String> = swaps
            .iter()
            .map(|r| format!("'{}'", match_case(found, r)))
            .collect();
        let alternatives = quoted.join(" or ");
        let mut f = self.finding(
            span.clone(),
            found,
            &[("replacement", replacement.as_deref().unwrap_or(""))],
        );
        if self.spec.message.is_none() {
            f.message = format!("Use {alternatives} instead of '{found}'.");
        }
        // A safe fix only when there is one replacement and the source says exactly what the
        // text says (no markup or escapes inside the match).
        if let (1, Some(replacement)) = (swaps.len(), replacement) {
            if doc.source.get(span.clone()) == Some(found) {
                f = f.with_fix(Fix::safe(vec![Edit {
                    range: span,
                    replacement,
                }]));
            }
        }
        f
    }

    fn metric(&self, unit: &Unit<'_>) -> Vec<Finding> {
        let Some(metric) = self.spec.metric else {
            return Vec::new();
        };
        let max = self.spec.max;
        let text = unit.text();
        let measured: Vec<(Range<usize>, usize)> = match metric {
            Metric::WordsPerSentence => sentences(text)
                .into_iter()
                .map(|r| {
                    let n = word_count(&text[r.clone()]);
                    (r, n)
                })
                .collect(),
            Metric::Words => vec![(trimmed(text), word_count(text))],
            Metric::Sentences => vec![(trimmed(text), sentences(text).len())],
        };
        measured
            .into_iter()
            .filter(|(_, n)| *n > max)
            .map(|(r, n)| {
                let value = n.to_string();
                let max = max.to_string();
                let found = text[r.clone()].to_string();
                let mut f = self.finding(
                    unit.to_source(r),
                    &found,
                    &[("value", &value), ("max", &max)],
                );
                if self.spec.message.is_none() {
                    let what = match metric {
                        Metric::WordsPerSentence => "This sentence has",
                        Metric::Words | Metric::Sentences => "This text has",
                    };
                    let unit = if metric == Metric::Sentences {
                        "sentences"
                    } else {
                        "words"
                    };
                    f.message = format!("{what} {value} {unit}, more than {max}.");
                }
                f
            })
            .collect()
    }

    /// Undefined acronyms: the first use of each, in the rule's scope.
    fn check_acronyms(&self, doc: &Document) -> Vec<Finding> {
        let in_scope: BTreeSet<(usize, usize)> = units(doc, &self.spec.scope)
            .iter()
            .map(|u| {
                let r = u.to_source(0..u.text().len());
                (r.start, r.end)
            })
            .collect();
        let definitions: Vec<Range<usize>> = doc
            .sections_of(SectionKind::Definitions)
            .map(|s| s.span.start..s.body.end)
            .collect();
        // Words in capitals that are English words ("NOT", "MUST", "SELECT") are emphasis or
        // keywords, not acronyms.
        let english = doc.is_english();
        // What the whole document tells its reader: an acronym defined anywhere (even just
        // after its first use, or under a heading that names it), one used three times or
        // more (the page's own vocabulary, which its readers share), and one whose letters
        // are the initials of words the page writes out ("managed instance" for MI, GitHub
        // for GH).
        let mut defined: BTreeSet<String> = BTreeSet::new();
        let mut uses: BTreeMap<String, usize> = BTreeMap::new();
        let mut initials: BTreeSet<String> = BTreeSet::new();
        for block in &doc.blocks {
            let text = block.text.as_str();
            for (range, acronym) in acronyms(text) {
                *uses.entry(acronym.to_string()).or_default() += 1;
                if is_definition(text, &range) {
                    defined.insert(acronym.to_string());
                }
            }
            initials.extend(word_initials(text));
        }
        let mut reported: BTreeSet<String> = BTreeSet::new();
        let mut out = Vec::new();
        for block in &doc.blocks {
            let text = block.text.as_str();
            let src = block.text.source_range();
            let glossary = definitions
                .iter()
                .any(|d| d.start <= src.start && src.start < d.end);
            // A heading names a topic that its section explains, and a table cell is a value
            // in a grid (a regulation, a business unit): only prose and steps are checked.
            let checked = in_scope.contains(&(src.start, src.end))
                && block.kind == BlockKind::Paragraph
                && !shouting(text);
            for (range, acronym) in acronyms(text) {
                if glossary || is_definition(text, &range) {
                    defined.insert(acronym.to_string());
                    continue;
                }
                if !checked
                    || defined.contains(acronym)
                    || uses.get(acronym).is_some_and(|&n| n >= 3)
                    || initials.contains(acronym)
                    || self.spec.allow.contains(acronym)
                    || self.allow_more.contains(acronym)
                    || (english && crate::lang::en::is_capitalised_word(acronym))
                    || !reported.insert(acronym.to_string())
                {
                    continue;
                }
                let source = block.text.to_source(range.clone());
                if english && emphasis_run(text, &range) {
                    continue;
                }
                if in_code_span(&doc.source, source.start)
                    || doc.links.iter().any(|l| {
                        let span = l.span.range();
                        span.start <= source.start && source.end <= span.end
                    })
                {
                    // Code is not prose, and a link leads to what the acronym means.
                    continue;
                }
                let mut f = self.finding(source, acronym, &[]);
                if let Some(expansion) = self.spec.expansions.get(acronym) {
                    f.help = Some(format!(
                        "Write '{expansion} ({acronym})' at the first use, or list it under Definitions."
                    ));
                }
                out.push(f);
            }
        }
        out
    }
}

/// `replacement` with the capitalisation of the first letter of `found`.
fn match_case(found: &str, replacement: &str) -> String {
    let upper = found.chars().next().is_some_and(char::is_uppercase);
    let mut chars = replacement.chars();
    match chars.next() {
        Some(first) if upper => first.to_uppercase().chain(chars).collect(),
        _ => replacement.to_string(),
    }
}

fn trimmed(text: &str) -> Range<usize> {
    let start = text.len() - text.trim_start().len();
    start..text.trim_end().len().max(start)
}

fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Sentence ranges: text up to `.`, `!` or `?` followed by whitespace or the end, trimmed.
fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for r in crate::document::sentence_ranges(text, false) {
        push_sentence(text, r, &mut out);
    }
    out
}

fn push_sentence(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let t = trimmed(&text[r.clone()]);
    if word_count(&text[r.start + t.start..r.start + t.end]) > 0 {
        out.push(r.start + t.start..r.start + t.end);
    }
}

/// Candidate acronyms: words of 2–6 ASCII capitals (a plural `s` allowed), not part of an id
/// like `CS-001`, an e-mail address, a path or a channel name.
fn acronyms(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            continue;
        }
        let Some(s) = start.take() else { continue };
        let word = &text[s..i];
        let core = word.strip_suffix('s').unwrap_or(word);
        let caps =
            core.len() >= 2 && core.len() <= 6 && core.bytes().all(|b| b.is_ascii_uppercase());
        let before = text[..s].chars().next_back();
        let after: Vec<char> = text[i..].chars().take(2).collect();
        // Ids, paths, addresses, channels and template placeholders ("{{PHONE}}", "<NAME>").
        let glued = |c: Option<&char>| c.is_some_and(|c| "-_/@#\\{}<>[]$%=".contains(*c));
        // A list of codes written without spaces ("HQ,HMPPS,OPG") is a value, not prose.
        let listed = before == Some(',')
            || (after.first() == Some(&',') && after.get(1).is_some_and(|c| c.is_alphanumeric()));
        // "file.TXT", "HH:MM": part of a name or a format, not a word.
        let dotted = matches!(after.first(), Some('.' | ':'))
            && after.get(1).is_some_and(|c| c.is_alphanumeric());
        // Placeholders: "XXX", "NBXX".
        let placeholder = core.contains("XX");
        if caps
            && !glued(before.as_ref())
            && !glued(after.first())
            && before != Some('.')
            && before != Some(':')
            && !dotted
            && !placeholder
            && !listed
        {
            out.push((s..s + core.len(), core));
        }
    }
    out
}

/// Whether the word at `range` stands next to another word in capitals that is an English
/// word or too long for an acronym: "MAKE SURE", "NOTE ON HOOD PREPARATION" are emphasis.
fn emphasis_run(text: &str, range: &Range<usize>) -> bool {
    let word_at = |s: &str, from_end: bool| -> Option<String> {
        let s = if from_end {
            s.trim_end()
        } else {
            s.trim_start()
        };
        let w: String = if from_end {
            let rev: String = s
                .chars()
                .rev()
                .take_while(|c| c.is_alphanumeric())
                .collect();
            rev.chars().rev().collect()
        } else {
            s.chars().take_while(|c| c.is_alphanumeric()).collect()
        };
        (w.chars().count() >= 2).then_some(w)
    };
    let shouted = |w: &str| {
        w.chars().all(|c| c.is_uppercase())
            && (w.chars().count() > 6 || crate::lang::en::is_capitalised_word(w))
    };
    let before = &text[..range.start];
    let after = text[range.end..]
        .strip_prefix('s')
        .unwrap_or(&text[range.end..]);
    // Only a space between the words: "MAKE SURE", not "DNS: SURE".
    let prev = before
        .ends_with(' ')
        .then(|| word_at(before, true))
        .flatten();
    let next = after
        .starts_with(' ')
        .then(|| word_at(after, false))
        .flatten();
    prev.is_some_and(|w| shouted(&w)) || next.is_some_and(|w| shouted(&w))
}

/// Words that do not count for the initials of a name ("Prison *and* Probation Service").
const INITIALS_SKIP: [&str; 7] = ["of", "and", "the", "for", "to", "in", "on"];

/// The initials of every run of 2 to 6 written-out words of `text`, upper-cased, with and
/// without the small words of `INITIALS_SKIP`; a word in CamelCase gives one initial per part
/// ("GitHub" gives "GH"). Words in capitals are acronyms themselves and break a run.
fn word_initials(text: &str) -> BTreeSet<String> {
    let mut runs: Vec<Vec<(char, bool)>> = vec![Vec::new()];
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}')) {
        let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.is_empty() || !letters.iter().any(|c| c.is_lowercase()) {
            if !word.is_empty() {
                runs.push(Vec::new());
            }
            continue;
        }
        let small = INITIALS_SKIP.contains(&word.to_lowercase().as_str());
        if let Some(run) = runs.last_mut() {
            run.push((letters[0].to_ascii_uppercase(), small));
            // CamelCase: each capital after a lower-case letter starts a part.
            for pair in letters.windows(2) {
                if pair[0].is_lowercase() && pair[1].is_uppercase() {
                    run.push((pair[1], false));
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    for run in &runs {
        for start in 0..run.len() {
            let mut all = String::new();
            let mut content = String::new();
            for &(c, small) in &run[start..] {
                all.push(c);
                if !small {
                    content.push(c);
                }
                if (2..=6).contains(&all.len()) {
                    out.insert(all.clone());
                }
                if (3..=6).contains(&content.len()) && !run[start].1 {
                    out.insert(content.clone());
                }
                if all.len() > 12 {
                    break;
                }
            }
        }
    }
    out
}

/// Whether `at` lies inside a code span of its line (an odd number of backticks before it).
fn in_code_span(source: &str, at: usize) -> bool {
    let Some(before) = source.get(..at) else {
        return false;
    };
    let line = before.rsplit('\n').next().unwrap_or(before);
    line.matches('`').count() % 2 == 1
}

/// Whether the acronym at `range` is being defined: "Full Name (ACR)", or "ACR (Full Name)"
/// where the name starts with the acronym's first letter.
fn is_definition(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].trim_end_matches(' ');
    let after = text[range.end..]
        .strip_prefix('s')
        .unwrap_or(&text[range.end..]);
    if before.ends_with('(') && after.starts_with([')', ',', ';']) {
        return true;
    }
    let first = text[range.clone()].chars().next();
    after
        .trim_start()
        .strip_prefix('(')
        .and_then(|rest| rest.chars().next())
        .zip(first)
        .is_some_and(|(a, b)| a.eq_ignore_ascii_case(&b))
}

/// Text written in capitals (a warning banner) is not a list of acronyms.
fn shouting(text: &str) -> bool {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let caps = words
        .iter()
        .filter(|w| !w.chars().any(char::is_lowercase))
        .count();
    words.len() >= 3 && caps * 2 > words.len()
}

// ---------------------------------------------------------------------------------------------
// Scopes

/// A piece of text a rule reads, with its map back to the source.
enum Unit<'a> {
    Plain(&'a PlainText),
    /// The start of a plain text, up to `end` (the first sentence of a step).
    Part {
        plain: &'a PlainText,
        end: usize,
    },
    /// Source text as written (front matter values).
    Raw {
        text: &'a str,
        start: usize,
    },
}

impl Unit<'_> {
    /// The whole text the unit is part of: the whole step for its instruction.
    fn whole(&self) -> &str {
        match self {
            Self::Plain(p) | Self::Part { plain: p, .. } => p.as_str(),
            Self::Raw { text, .. } => text,
        }
    }

    fn text(&self) -> &str {
        match self {
            Self::Plain(p) => p.as_str(),
            Self::Part { plain, end } => plain.as_str().get(..*end).unwrap_or(plain.as_str()),
            Self::Raw { text, .. } => text,
        }
    }

    fn to_source(&self, range: Range<usize>) -> Range<usize> {
        match self {
            Self::Plain(p) | Self::Part { plain: p, .. } => p.to_source(range),
            Self::Raw { start, .. } => start + range.start..start + range.end,
        }
    }
}

fn units<'a>(doc: &'a Document, scope: &Scope) -> Vec<Unit<'a>> {
    let blocks = |kind: Option<BlockKind>| -> Vec<Unit<'a>> {
        doc.blocks
            .iter()
            .filter(|b| kind.map_or(true, |k| b.kind == k))
            .map(|b| Unit::Plain(&b.text))
            .collect()
    };
    match scope {
        Scope::Step => doc
            .all_steps()
            .into_iter()
            .map(|s| Unit::Plain(&s.plain))
            .collect(),
        Scope::Instruction => doc
            .all_steps()
            .into_iter()
            .map(|s| Unit::Part {
                plain: &s.plain,
                end: first_sentence_end(s.plain.as_str()),
            })
            .collect(),
        Scope::Heading => blocks(Some(BlockKind::Heading)),
        Scope::TableCell => blocks(Some(BlockKind::TableCell)),
        Scope::Any => blocks(None),
        Scope::Paragraph => {
            let steps: BTreeSet<usize> = doc
                .all_steps()
                .iter()
                .map(|s| s.plain.source_range().start)
                .collect();
            doc.blocks
                .iter()
                .filter(|b| {
                    b.kind == BlockKind::Paragraph
                        && !(b.in_list && steps.contains(&b.text.source_range().start))
                })
                .map(|b| Unit::Plain(&b.text))
                .collect()
        }
        Scope::Escalation => {
            let sections: Vec<Range<usize>> = doc
                .sections_of(SectionKind::Escalation)
                .map(|s| s.body.start..s.body.end)
                .collect();
            if sections.is_empty() {
                // A chain found outside a recognised section: its level texts.
                return doc
                    .escalation
                    .iter()
                    .flat_map(|c| &c.levels)
                    .flat_map(|l| [&l.role, &l.trigger, &l.contact])
                    .flatten()
                    .filter_map(|s| raw(doc, s.span.range()))
                    .collect();
            }
            doc.blocks
                .iter()
                .filter(|b| {
                    let at = b.text.source_range().start;
                    sections.iter().any(|s| s.start <= at && at < s.end)
                })
                .map(|b| Unit::Plain(&b.text))
                .collect()
        }
        Scope::FrontMatter(field) => doc
            .field(field)
            .and_then(|f| raw(doc, f.span.range()))
            .into_iter()
            .collect(),
    }
}

/// Where the first sentence of `text` ends: after the first `.`, `!` or `?` that is followed
/// by a space and a capital letter (or the end), so that "e.g. the form" and "v1.2" do not
/// end it.
fn first_sentence_end(text: &str) -> usize {
    for (i, c) in text.char_indices() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let rest = &text[i + c.len_utf8()..];
        let next = rest.trim_start().chars().next();
        let spaced = rest.starts_with(char::is_whitespace);
        if next.is_none() || (spaced && next.is_some_and(|n| n.is_uppercase())) {
            return i + c.len_utf8();
        }
    }
    text.len()
}

fn raw(doc: &Document, range: Range<usize>) -> Option<Unit<'_>> {
    let text = doc.source.get(range.clone())?;
    Some(Unit::Raw {
        text,
        start: range.start,
    })
}

// ---------------------------------------------------------------------------------------------
// Matching

/// One matcher per rule: all tokens at once.
enum Matcher {
    /// Literal tokens: ASCII case-insensitive, leftmost-longest, whole words only.
    Words {
        ac: AhoCorasick,
        /// Pattern index → token index (a token may have a capitalised variant).
        token_of: Vec<usize>,
    },
    /// `regex: true`: the tokens joined into one alternation; boundaries are the author's.
    Regex(regex::Regex),
}

impl Matcher {
    fn words(tokens: &[String]) -> Result<Self, String> {
        let mut patterns = Vec::new();
        let mut token_of = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            patterns.push(token.clone());
            token_of.push(i);
            // ASCII case folding misses "Ću" for "ću": add the capitalised form of a token
            // that starts with a non-ASCII letter.
            let mut chars = token.chars();
            if let Some(first) = chars.next().filter(|c| !c.is_ascii()) {
                let capital: String = first.to_uppercase().chain(chars).collect();
                if capital != *token {
                    patterns.push(capital);
                    token_of.push(i);
                }
            }
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        Ok(Self::Words { ac, token_of })
    }

    fn regex(tokens: &[String]) -> Result<Self, (usize, String)> {
        for (i, t) in tokens.iter().enumerate() {
            regex::Regex::new(t).map_err(|e| (i, e.to_string()))?;
        }
        let joined: Vec<String> = tokens.iter().map(|t| format!("(?:{t})")).collect();
        regex::RegexBuilder::new(&joined.join("|"))
            .case_insensitive(true)
            .build()
            .map(Self::Regex)
            .map_err(|e| (0, e.to_string()))
    }

    fn find(&self, text: &str) -> Vec<Match> {
        match self {
            Self::Words { ac, token_of } => ac
                .find_iter(text)
                .filter(|m| whole_word(text, m.range()))
                .map(|m| Match {
                    range: m.range(),
                    token: token_of.get(m.pattern().as_usize()).copied().unwrap_or(0),
                })
                .collect(),
            Self::Regex(re) => re
                .find_iter(text)
                .filter(|m| !m.is_empty())
                .map(|m| Match {
                    range: m.range(),
                    token: 0,
                })
                .collect(),
        }
    }
}

/// Whether a match is not part of a longer word (checked only where the token itself starts
/// or ends with a word character, so that tokens like "100%" still match).
fn whole_word(text: &str, r: Range<usize>) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let m = &text[r.clone()];
    let starts = m.chars().next().is_some_and(word);
    let ends = m.chars().next_back().is_some_and(word);
    let before = text[..r.start].chars().next_back().is_some_and(word);
    let after = text[r.end..].chars().next().is_some_and(word);
    !(starts && before || ends && after)
}

// ---------------------------------------------------------------------------------------------
// Parsing and validation

/// Codes and names taken so far.
struct Seen {
    codes: BTreeMap<String, String>,
    names: BTreeMap<String, String>,
}

impl Seen {
    fn builtin() -> Self {
        let mut seen = Self {
            codes: BTreeMap::new(),
            names: BTreeMap::new(),
        };
        for e in crate::rules::builtin() {
            seen.add(e.meta.code, e.meta.name);
        }
        seen
    }

    fn add(&mut self, code: &str, name: &str) {
        self.codes
            .insert(code.to_ascii_uppercase(), code.to_string());
        self.names.insert(name.to_string(), code.to_string());
    }
}

fn parse_pack(path: &str, yaml: &str, seen: &mut Seen) -> Result<Pack, PackError> {
    let raw: RawPack = serde_yaml::from_str(yaml).map_err(|e| yaml_error(path, yaml, &e))?;
    let err = |at: Range<usize>, message: String, label: &str, help: Option<String>| {
        PackError::invalid(path, yaml, at, message, label, help)
    };
    let lang = raw.lang.trim().to_string();
    if lang.is_empty() {
        return Err(err(
            find_key(yaml, 0, "lang"),
            "`lang` is empty".into(),
            "here",
            Some("write a language tag such as `en`, or `*` for every language".into()),
        ));
    }
    let pack_name: &'static str = Box::leak(raw.pack.clone().into_boxed_str());
    let mut rules = Vec::new();
    let mut from = 0;
    for rule in raw.rules {
        // Where this rule is written, for errors that serde cannot place.
        let at = find_value(yaml, from, "code", &rule.code);
        from = at.end;
        let rule_err = |message: String, help: &str| {
            err(at.clone(), message, "in this rule", Some(help.to_string()))
        };
        let code = rule.code.trim();
        if !is_code(code) {
            return Err(rule_err(
                format!("rule code `{code}` is not letters followed by digits"),
                "use a family prefix and a number, such as `EN001`",
            ));
        }
        if !is_kebab(&rule.name) {
            return Err(rule_err(
                format!("rule name `{}` is not kebab-case", rule.name),
                "use lower-case words joined by hyphens, such as `plain-words`",
            ));
        }
        if let Some(other) = seen.codes.get(&code.to_ascii_uppercase()) {
            return Err(rule_err(
                format!("rule code `{code}` is already used by rule `{other}`"),
                "codes are never reused: pick another number (`sopkit rules` lists every code)",
            ));
        }
        if let Some(other) = seen.names.get(&rule.name) {
            return Err(rule_err(
                format!(
                    "rule name `{}` is already used by rule `{other}`",
                    rule.name
                ),
                "pick another name (`sopkit rules` lists every name)",
            ));
        }
        seen.add(code, &rule.name);
        rules.push(compile(path, yaml, &lang, pack_name, rule, at.clone())?);
    }
    Ok(Pack {
        name: raw.pack,
        lang,
        path: path.to_string(),
        description: raw.description,
        rules,
    })
}

fn compile(
    path: &str,
    yaml: &str,
    lang: &str,
    pack: &'static str,
    rule: RawRule,
    at: Range<usize>,
) -> Result<PackRule, PackError> {
    let err = |at: Range<usize>, message: String, help: &str| {
        PackError::invalid(path, yaml, at, message, "here", Some(help.to_string()))
    };
    let code = rule.code.trim().to_string();
    let key = |k: &str| {
        let r = find_key(yaml, at.start, k);
        if r.is_empty() {
            at.clone()
        } else {
            r
        }
    };
    let misplaced = |k: &str, kinds: &str| {
        err(
            key(k),
            format!(
                "`{k}` is only for {kinds} rules, and `{code}` is `kind: {}`",
                rule.kind.as_str()
            ),
            &format!("remove `{k}`, or change the rule's kind"),
        )
    };
    let mut swaps = Vec::new();
    let mut tokens = rule.tokens.clone();
    match rule.kind {
        Kind::Substitution => {
            let Some(map) = &rule.swap else {
                return Err(err(
                    at.clone(),
                    format!("substitution rule `{code}` has no `swap`"),
                    "add `swap: { utilize: use }` (token: replacement)",
                ));
            };
            if !tokens.is_empty() {
                return Err(misplaced("tokens", "existence, occurrence"));
            }
            for (k, v) in map {
                let token = k
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| yaml_scalar(k));
                let replacements: Vec<String> = match v {
                    serde_yaml::Value::Sequence(items) => items.iter().map(yaml_scalar).collect(),
                    other => vec![yaml_scalar(other)],
                };
                if replacements.iter().any(|r| r.trim().is_empty()) || replacements.is_empty() {
                    return Err(err(
                        key("swap"),
                        format!("`{token}` in `{code}` has an empty replacement"),
                        "write the replacement after the colon: `utilize: use`",
                    ));
                }
                tokens.push(token);
                swaps.push(replacements);
            }
        }
        _ if rule.swap.is_some() => return Err(misplaced("swap", "substitution")),
        _ => {}
    }
    let needs_tokens = matches!(
        rule.kind,
        Kind::Existence | Kind::Substitution | Kind::Occurrence
    );
    if needs_tokens && tokens.is_empty() {
        return Err(err(
            key("tokens"),
            format!("rule `{code}` has no tokens"),
            "list the words or phrases to find: `tokens: [very, quite]`",
        ));
    }
    if !needs_tokens && !tokens.is_empty() {
        return Err(misplaced(
            "tokens",
            "existence, substitution and occurrence",
        ));
    }
    if tokens.iter().any(|t| t.trim().is_empty()) {
        return Err(err(
            key("tokens"),
            format!("rule `{code}` has an empty token"),
            "remove the empty entry: an empty token would match everywhere",
        ));
    }
    if rule.kind == Kind::Metric && rule.metric.is_none() {
        return Err(err(
            at.clone(),
            format!("metric rule `{code}` does not say what it measures"),
            "add `metric: words-per-sentence` (or `words`, `sentences`) and `max: N`",
        ));
    }
    if rule.kind != Kind::Metric && rule.metric.is_some() {
        return Err(misplaced("metric", "metric"));
    }
    if matches!(rule.kind, Kind::Metric | Kind::Occurrence) && rule.max.is_none() {
        return Err(err(
            at.clone(),
            format!("{} rule `{code}` has no `max`", rule.kind.as_str()),
            "add `max: N`: the rule fires above N",
        ));
    }
    if !matches!(rule.kind, Kind::Metric | Kind::Occurrence) && rule.max.is_some() {
        return Err(misplaced("max", "occurrence and metric"));
    }
    if rule.kind != Kind::Acronym && !rule.allow.is_empty() {
        return Err(misplaced("allow", "acronym"));
    }
    if rule.kind != Kind::Acronym && !rule.expansions.is_empty() {
        return Err(misplaced("expansions", "acronym"));
    }
    if !matches!(rule.kind, Kind::Existence | Kind::Occurrence) && !rule.skip_after.is_empty() {
        return Err(misplaced("skip-after", "existence and occurrence"));
    }
    if !matches!(rule.kind, Kind::Existence | Kind::Occurrence) && rule.unless_command {
        return Err(misplaced("unless-command", "existence and occurrence"));
    }
    if !matches!(rule.kind, Kind::Existence | Kind::Occurrence) && rule.only_in_command {
        return Err(misplaced("only-in-command", "existence and occurrence"));
    }
    if (rule.unless_command || rule.only_in_command)
        && rule.command_words.is_empty()
        && !lang.starts_with("en")
    {
        return Err(err(
            key("command-words"),
            format!("`{code}` needs `command-words`: sopkit has no grammar for `{lang}`"),
            "list the imperatives that open a command in this language (`command-words: [...]`)",
        ));
    }
    if rule.regex && rule.kind == Kind::Substitution {
        return Err(misplaced("regex", "existence and occurrence"));
    }
    let matcher = if tokens.is_empty() {
        None
    } else if rule.regex {
        Some(Matcher::regex(&tokens).map_err(|(i, e)| {
            let token = tokens.get(i).map_or("", String::as_str);
            let at = find_token(yaml, at.start, token).unwrap_or_else(|| key("tokens"));
            err(
                at,
                format!("token of `{code}` is not a valid regular expression: {e}"),
                "fix the pattern (Rust regex syntax), or remove `regex: true` to match it literally",
            )
        })?)
    } else {
        Some(Matcher::words(&tokens).map_err(|e| {
            err(
                key("tokens"),
                format!("cannot compile the tokens of `{code}`: {e}"),
                "shorten the list",
            )
        })?)
    };
    let summary = rule
        .summary
        .clone()
        .or_else(|| rule.description.as_deref().map(first_sentence))
        .unwrap_or_else(|| format!("{} ({})", rule.name, rule.kind.as_str()));
    let docs = pack_docs(&rule, lang, pack, &tokens, &swaps);
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let meta = RuleMeta {
        code: leak(code),
        name: leak(rule.name.clone()),
        severity: rule.severity,
        summary: leak(summary),
        docs: leak(docs),
        options: if rule.kind == Kind::Acronym {
            || "allow: []\n".to_string()
        } else {
            String::new
        },
        fixable: rule.kind == Kind::Substitution && swaps.iter().any(|s| s.len() == 1),
        pack: Some(pack),
        bundle_only: false,
    };
    Ok(PackRule {
        meta,
        spec: Arc::new(Spec {
            lang: lang.to_string(),
            kind: rule.kind,
            scope: rule.scope,
            matcher,
            swaps,
            message: rule.message,
            help: rule.help,
            max: rule.max.unwrap_or(0),
            metric: rule.metric,
            allow: rule.allow.into_iter().collect(),
            expansions: rule.expansions,
            skip_after: rule.skip_after,
            unless_command: rule.unless_command,
            only_in_command: rule.only_in_command,
            command_words: rule.command_words,
            examples: rule.examples,
        }),
        allow_more: Arc::default(),
    })
}

/// The rule's documentation, with the same headings as a built-in rule's doc comment.
fn pack_docs(
    rule: &RawRule,
    lang: &str,
    pack: &str,
    tokens: &[String],
    swaps: &[Vec<String>],
) -> String {
    let mut s = String::from("## What it does\n");
    if let Some(d) = &rule.description {
        s.push_str(d.trim());
        s.push_str("\n\n");
    }
    s.push_str(&format!(
        "Pack `{pack}` (language `{lang}`): kind `{}`, scope `{}`.\n",
        rule.kind.as_str(),
        rule.scope.describe()
    ));
    if let Some(metric) = rule.metric {
        s.push_str(&format!(
            "It measures {} and fires above {}.\n",
            metric.as_str(),
            rule.max.unwrap_or(0)
        ));
    } else if rule.kind == Kind::Occurrence {
        s.push_str(&format!(
            "It fires on more than {} matches in one unit.\n",
            rule.max.unwrap_or(0)
        ));
    }
    if !swaps.is_empty() {
        s.push_str("\n| write | instead of |\n|---|---|\n");
        for (token, replacements) in tokens.iter().zip(swaps) {
            s.push_str(&format!("| {} | {token} |\n", replacements.join(", ")));
        }
    } else if !tokens.is_empty() {
        let listed: Vec<String> = tokens
            .iter()
            .map(|t| format!("`{}`", t.replace('`', "'")))
            .collect();
        s.push_str(&format!(
            "\n{}: {}\n",
            if rule.regex { "Patterns" } else { "Tokens" },
            listed.join(", ")
        ));
    }
    if !rule.skip_after.is_empty() {
        s.push_str(&format!(
            "\nNot reported after these words in the same sentence: {}.\n",
            rule.skip_after.join(", ")
        ));
    }
    if rule.unless_command {
        s.push_str(
            "\nNot reported in a step that gives a command in one of its sentences: the match \
             then describes a result, a condition or what the system does.\n",
        );
    }
    if rule.only_in_command {
        s.push_str("\nReported only in a sentence that gives a command.\n");
    }
    if !rule.command_words.is_empty() {
        s.push_str(&format!(
            "\nWords that give a command: {}.\n",
            rule.command_words.join(", ")
        ));
    }
    if !rule.allow.is_empty() {
        let allowed: Vec<&str> = rule.allow.iter().map(String::as_str).collect();
        s.push_str(&format!(
            "\nAllowed without a definition: {}.\n",
            allowed.join(", ")
        ));
    }
    s.push_str("\n## Why is this bad?\n");
    let why = rule
        .why
        .as_deref()
        .or(rule.help.as_deref())
        .unwrap_or("See the message.");
    s.push_str(why.trim());
    s.push('\n');
    if let Some(m) = &rule.message {
        s.push_str(&format!("\nMessage: \"{}\"\n", m.trim()));
    }
    if let (Some(h), Some(_)) = (&rule.help, &rule.why) {
        s.push_str(&format!("\nHelp: \"{}\"\n", h.trim()));
    }
    for (heading, list) in [
        ("Example", &rule.examples.bad),
        ("Use instead", &rule.examples.good),
    ] {
        s.push_str(&format!("\n## {heading}\n"));
        if list.is_empty() {
            s.push_str("(none given)\n");
        }
        for e in list {
            s.push_str(&format!("- {e}\n"));
        }
    }
    s
}

fn first_sentence(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or("").trim();
    line.split_once(". ")
        .map_or(line, |(s, _)| s)
        .trim_end_matches('.')
        .to_string()
}

fn yaml_scalar(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

fn is_code(code: &str) -> bool {
    let letters = code.trim_end_matches(|c: char| c.is_ascii_digit());
    !letters.is_empty()
        && letters.len() < code.len()
        && letters.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_kebab(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A serde/YAML error as a located pack error, with a did-you-mean for unknown names.
fn yaml_error(path: &str, yaml: &str, e: &serde_yaml::Error) -> PackError {
    let full = e.to_string();
    let message = full
        .rfind(" at line ")
        .map_or(full.as_str(), |i| &full[..i])
        .to_string();
    let mut at = e
        .location()
        .map_or(0, |l| offset_of(yaml, l.line(), l.column()));
    // serde places some errors at the enclosing mapping: point at the unknown name itself.
    if let Some(wrong) = unknown_name(&message) {
        if let Some(r) = find_token(yaml, at, wrong) {
            at = r.start;
        }
    }
    let end = yaml[at..]
        .find([':', '\n', ',', ']', '}'])
        .map_or(yaml.len(), |i| at + i);
    let end = if end == at {
        yaml[at..].chars().next().map_or(at, |c| at + c.len_utf8())
    } else {
        end
    };
    let help = suggestion(&message)
        .or_else(|| Some("the rule pack format is described at the top of docs/rules.md".into()));
    PackError::invalid(path, yaml, at..end, message, "here", help)
}

/// The name in serde's "unknown field/variant `x`" message.
fn unknown_name(message: &str) -> Option<&str> {
    let rest = message
        .split_once("unknown field `")
        .or_else(|| message.split_once("unknown variant `"))?
        .1;
    Some(rest.split_once('`')?.0).filter(|w| !w.is_empty())
}

/// "did you mean" for serde's "unknown field/variant `x`, expected one of `a`, `b`".
fn suggestion(message: &str) -> Option<String> {
    let rest = message
        .split_once("unknown field `")
        .or_else(|| message.split_once("unknown variant `"))?
        .1;
    let (wrong, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let best = crate::suggest::did_you_mean(wrong, expected.iter().copied())?;
    Some(format!("did you mean `{best}`?"))
}

/// The range of `key:` at or after `from` (empty at `from` when absent).
fn find_key(yaml: &str, from: usize, key: &str) -> Range<usize> {
    let from = floor_char_boundary(yaml, from.min(yaml.len()));
    let mut pos = from;
    for line in yaml[from..].split_inclusive('\n') {
        let t = line.trim_start().trim_start_matches("- ").trim_start();
        if t.starts_with(key) && t[key.len()..].trim_start().starts_with(':') {
            let start = pos + (line.len() - t.len());
            return start..start + key.len();
        }
        pos += line.len();
    }
    from..from
}

/// The range of `key: value` (the value, quotes allowed) at or after `from`.
fn find_value(yaml: &str, from: usize, key: &str, value: &str) -> Range<usize> {
    let mut at = from;
    loop {
        let k = find_key(yaml, at, key);
        if k.is_empty() {
            return find_key(yaml, from, key);
        }
        let line_end = yaml[k.end..].find('\n').map_or(yaml.len(), |i| k.end + i);
        let rest = &yaml[k.end..line_end];
        if let Some(i) = rest.find(value.trim()) {
            return k.end + i..k.end + i + value.trim().len();
        }
        at = line_end;
    }
}

fn find_token(yaml: &str, from: usize, token: &str) -> Option<Range<usize>> {
    if token.is_empty() {
        return None;
    }
    let from = floor_char_boundary(yaml, from.min(yaml.len()));
    yaml[from..]
        .find(token)
        .map(|i| from + i..from + i + token.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint(rule: &PackRule, source: &str) -> Vec<(String, Finding)> {
        let settings = crate::settings::Settings::default();
        let doc = crate::document::parse("t.md", source.to_string(), &settings.parse);
        let ctx = Context {
            settings: &settings,
        };
        rule.check(&doc, &ctx)
            .into_iter()
            .map(|f| (doc.source[f.span.clone()].to_string(), f))
            .collect()
    }

    fn shipped(code: &str) -> &'static PackRule {
        shipped_packs()
            .iter()
            .flat_map(|p| &p.rules)
            .find(|r| r.meta.code == code)
            .unwrap_or_else(|| panic!("no shipped rule {code}"))
    }

    fn one(yaml: &str) -> Result<Pack, PackError> {
        parse_pack("test.yaml", yaml, &mut Seen::builtin())
    }

    #[test]
    fn every_scope_reads_its_own_text() {
        let rule = |code: &str, scope: &str| {
            format!(
                "  - code: {code}\n    name: r-{}\n    kind: existence\n    scope: {scope}\n    tokens: [zork]\n    examples: {{ bad: [a zork b], good: [a fork b] }}\n",
                code.to_lowercase()
            )
        };
        let scopes = [
            ("TT001", "step"),
            ("TT002", "heading"),
            ("TT003", "paragraph"),
            ("TT004", "escalation"),
            ("TT005", "table-cell"),
            ("TT006", "front-matter:title"),
            ("TT007", "any"),
        ];
        let yaml: String = scopes.iter().map(|(c, s)| rule(c, s)).collect();
        let pack = one(&format!("pack: t\nlang: '*'\nrules:\n{yaml}")).expect("valid");
        for r in &pack.rules {
            assert_eq!(r.test_examples(), Vec::<String>::new(), "{}", r.meta.code);
        }
        let src = "---\ntitle: The zork form\n---\n# Zork title\n\nA zork note.\n\n## Procedure\n\n1. Open zork.\n\n## Escalation\n\n| Level | Role | When |\n|---|---|---|\n| 1 | Zork lead | always |\n";
        let hits: Vec<Vec<(String, usize)>> = pack
            .rules
            .iter()
            .map(|r| {
                lint(r, src)
                    .into_iter()
                    .map(|(t, f)| (t, f.span.start))
                    .collect()
            })
            .collect();
        let at = |needle: &str| src.find(needle).expect("in source");
        let h = |t: &str, n: &str| (t.to_string(), at(n));
        assert_eq!(hits[0], [h("zork", "zork.")]);
        assert_eq!(hits[1], [h("Zork", "Zork title")]);
        assert_eq!(hits[2], [h("zork", "zork note")]);
        assert_eq!(hits[3], [h("Zork", "Zork lead")]);
        assert_eq!(hits[4], [h("Zork", "Zork lead")]);
        assert_eq!(hits[5], [h("zork", "zork form")]);
        assert_eq!(
            hits[6],
            [
                h("Zork", "Zork title"),
                h("zork", "zork note"),
                h("zork", "zork."),
                h("Zork", "Zork lead")
            ]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any text, in any seed language, in any block: no panic, spans inside the file.
        #[test]
        fn shipped_rules_never_panic(
            lang in "(en|ms|id|hr|fi)",
            body in "(\\PC|[ \\n(|)#*1.-]|SLA|Ću|will|is sent| je poslao){0,60}",
        ) {
            let src = format!("---\nlang: {lang}\n---\n## Procedure\n\n1. {body}\n\n{body}\n");
            for rule in shipped_packs().iter().flat_map(|p| &p.rules) {
                for (_, f) in lint(rule, &src) {
                    proptest::prop_assert!(f.span.end <= src.len() && f.span.start <= f.span.end);
                }
            }
        }
    }

    #[test]
    fn shipped_rules_never_panic_on_odd_text() {
        let bodies = [
            "## Procedure\r\n\r\n1. Ću 👍🏽 é\u{301} SLA(\r\n2. is\u{a0}sent ĆEMO (SLA\r\n",
            "| ÄÖ | (X) |\n|---|---|\n| 🦀SLA | in order to |\n",
            "Tulee olemaan oli tehnyt. SLA (Sla). ??? ... !!!\n# \u{200b}\n",
        ];
        for lang in ["en", "ms", "id", "hr", "fi"] {
            for body in bodies {
                let src = format!("---\nlang: {lang}\ntitle: \"ČSLA 🦀\"\n---\n{body}");
                for rule in shipped_packs().iter().flat_map(|p| &p.rules) {
                    for (text, f) in lint(rule, &src) {
                        assert!(
                            !text.is_empty(),
                            "{}: empty span {:?}",
                            rule.meta.code,
                            f.span
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn shipped_packs_load_and_their_examples_pass() {
        let mut failures = Vec::new();
        for pack in shipped_packs() {
            assert!(!pack.rules.is_empty(), "{} has no rules", pack.path);
            for rule in &pack.rules {
                let ex = rule.examples();
                assert!(
                    !ex.bad.is_empty() && !ex.good.is_empty(),
                    "{} lacks bad or good examples",
                    rule.meta.code
                );
                for f in rule.test_examples() {
                    failures.push(format!("{}: {f}", rule.meta.code));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn substitution_fix_keeps_capital_and_maps_to_source() {
        let rule = shipped("EN001");
        let src = "---\nlang: en\n---\n\nIn order to start, **utilize** the form.\n";
        let found = lint(rule, src);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "In order to");
        assert_eq!(found[0].1.message, "Use 'To' instead of 'In order to'.");
        let fix = found[0].1.fix.as_ref().expect("fix");
        assert_eq!(fix.edits[0].replacement, "To");
        assert_eq!(fix.edits[0].range, 18..29);
        assert_eq!(found[1].0, "utilize");
        assert_eq!(
            found[1].1.fix.as_ref().expect("fix").edits[0].replacement,
            "use"
        );
    }

    #[test]
    fn words_match_whole_words_only() {
        let rule = shipped("EN002");
        let found = lint(
            rule,
            "---\nlang: en\n---\n\nStay awhile, furthermore or lessen, forsome time; then wait a while.\n",
        );
        let texts: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["wait a while"]);
        assert_eq!(found[0].1.span, 73..85);
    }

    #[test]
    fn english_packs_skip_other_languages() {
        let src = "---\nlang: ms\n---\n\n## Prosedur\n\n1. Utilize the form. It is very quite good. Form is sent by SLA.\n";
        for pack in shipped_packs().iter().filter(|p| p.lang == "en") {
            for rule in &pack.rules {
                assert!(
                    lint(rule, src).is_empty(),
                    "{} fired on Malay",
                    rule.meta.code
                );
            }
        }
    }

    #[test]
    fn croatian_capitalised_tokens_match() {
        let rule = shipped("HR001");
        let found = lint(
            rule,
            "---\nlang: hr\n---\n\n## Postupak\n\n1. Ću poslati obrazac.\n2. Pošalji obrazac.\n",
        );
        let texts: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["Ću"]);
    }

    #[test]
    fn the_instruction_is_the_first_sentence() {
        let end = |t: &str| t[..first_sentence_end(t)].to_string();
        assert_eq!(end("Select **OK**. A message opens."), "Select **OK**.");
        assert_eq!(
            end("Use a tool, e.g. the CLI. Then wait."),
            "Use a tool, e.g. the CLI."
        );
        assert_eq!(end("Install v1.2 now"), "Install v1.2 now");
        assert_eq!(end("Is it done? Yes."), "Is it done?");
    }

    #[test]
    fn acronyms_defined_before_use_are_fine() {
        let rule = shipped("EN004");
        let src = "---\nlang: en\n---\n\nThe service level agreement (SLA) applies. Check the SLA and the KPI.\n\nThe KPI again. Contact CS-001, {{PHONE}} or the SOP owner.\n";
        let found = lint(rule, src);
        let texts: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["KPI"]);
        assert_eq!(found[0].1.span, 83..86);
    }

    #[test]
    fn metric_and_occurrence_fire_above_max() {
        let pack = one(
            "pack: t\nlang: '*'\nrules:\n  - code: TT001\n    name: long-sentence\n    kind: metric\n    metric: words-per-sentence\n    max: 5\n    scope: paragraph\n  - code: TT002\n    name: many-ands\n    kind: occurrence\n    tokens: [and]\n    max: 1\n    message: \"'{match}' {count} times (max {max})\"\n",
        )
        .expect("valid");
        let src = "Short one. This sentence is far too long. Go and run and.\n";
        let long = lint(&pack.rules[0], src);
        let texts: Vec<&str> = long.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["This sentence is far too long."]);
        assert_eq!(long[0].1.message, "This sentence has 6 words, more than 5.");
        let ands = lint(&pack.rules[1], src);
        assert_eq!(ands.len(), 1);
        assert_eq!(ands[0].1.span, 53..56);
        assert_eq!(ands[0].1.message, "'and' 2 times (max 1)");
    }

    #[test]
    fn unknown_keys_kinds_and_scopes_are_located_with_a_suggestion() {
        let cases = [
            ("pack: t\nlang: en\nrules:\n  - code: TT001\n    name: x\n    kind: existence\n    tokns: [a]\n", (7, 5), "did you mean `tokens`?"),
            ("pack: t\nlang: en\nrules:\n  - code: TT001\n    name: x\n    kind: existance\n    tokens: [a]\n", (6, 11), "did you mean `existence`?"),
            ("pack: t\nlang: en\nrules:\n  - code: TT001\n    name: x\n    kind: existence\n    scope: stepp\n    tokens: [a]\n", (7, 12), "did you mean `step`?"),
        ];
        for (yaml, loc, hint) in cases {
            let e = one(yaml).expect_err("invalid");
            assert_eq!(e.location(), Some(loc), "{e}");
            let help = e.help().map(|h| h.to_string()).unwrap_or_default();
            assert_eq!(help, hint, "{e}");
        }
    }

    #[test]
    fn duplicate_codes_empty_tokens_and_bad_regex_are_rejected() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("p.yaml");
        std::fs::write(
            &file,
            "pack: t\nlang: en\nrules:\n  - code: EN001\n    name: again\n    kind: existence\n    tokens: [a]\n",
        )
        .expect("write");
        let e = load_packs(&[file], dir.path()).expect_err("duplicate");
        assert_eq!(e.location(), Some((4, 11)));
        assert!(
            e.to_string().contains("already used by rule `EN001`"),
            "{e}"
        );

        let e = one("pack: t\nlang: en\nrules:\n  - code: TT001\n    name: x\n    kind: existence\n    tokens: [a, '']\n")
            .expect_err("empty token");
        assert_eq!(e.location(), Some((7, 5)));
        let e = one("pack: t\nlang: en\nrules:\n  - code: TT001\n    name: x\n    kind: existence\n    regex: true\n    tokens: ['a(b']\n")
            .expect_err("bad regex");
        assert_eq!(e.location(), Some((8, 15)));
    }
}
