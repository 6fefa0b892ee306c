//! What a rule is: metadata, options, findings and fixes.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::document::{DocSummary, Document};
use crate::settings::Settings;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" => Some(Self::Error),
            "warning" | "warn" => Some(Self::Warning),
            "info" | "note" => Some(Self::Info),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a fix can be applied without a human reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning: applied by `--fix`.
    Safe,
    /// Changes content or adds placeholders: applied only by `--fix-unsafe`.
    Unsafe,
}

/// Replace `range` (bytes of the whole file) with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

/// Edits that belong together. The edits are shared: a fix reported by many findings (a list
/// renumbered once for each wrong number) is one copy, however many findings carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub applicability: Applicability,
    pub edits: Arc<[Edit]>,
}

impl Fix {
    pub fn safe(edits: Vec<Edit>) -> Self {
        Self {
            applicability: Applicability::Safe,
            edits: edits.into(),
        }
    }

    pub fn unsafe_(edits: Vec<Edit>) -> Self {
        Self {
            applicability: Applicability::Unsafe,
            edits: edits.into(),
        }
    }
}

/// What a rule reports: a byte span over the whole file, a message, and optionally a help line
/// and a fix. Rules never compute lines or columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
            help: None,
            fix: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

/// One finding of one rule in one file, located for output.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    #[serde(skip)]
    pub span: Range<usize>,
    #[serde(skip)]
    pub fix: Option<Fix>,
}

/// A rule's identity and documentation. The docs are the rule's doc comment (headings
/// "What it does", "Why is this bad?", "Example", "Use instead"), captured by [`declare_rule!`].
#[derive(Debug, Clone)]
pub struct RuleMeta {
    /// Borrowed for built-in rules, owned for pack rules (as the fields below).
    pub code: Cow<'static, str>,
    pub name: Cow<'static, str>,
    pub severity: Severity,
    /// One line: what the rule flags. Borrowed for built-in rules, owned for pack rules.
    pub summary: Cow<'static, str>,
    pub docs: Cow<'static, str>,
    /// Default options as YAML, empty when the rule has none.
    pub options: fn() -> String,
    /// Whether the rule can fix what it finds.
    pub fixable: bool,
    /// For pack rules, the pack name.
    pub pack: Option<Cow<'static, str>>,
    /// The sopkit version that added the rule, as clippy's `version`; `None` for pack rules.
    pub since: Option<&'static str>,
    /// Checked by `sopkit bundle build --previous`, not by `sopkit lint`: it compares a
    /// document with its previous release.
    pub bundle_only: bool,
}

impl RuleMeta {
    /// The family letter(s) of the code: "P" for "P003", "EN" for "EN010".
    pub fn family(&self) -> &str {
        self.code.trim_end_matches(|c: char| c.is_ascii_digit())
    }
}

/// What a cross-document rule may learn of a file that is not in the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkedFile {
    /// No such file, or not a regular file.
    Missing,
    /// Outside the folders of the run: not looked at.
    Outside,
    /// The file exists but cannot be read as text (too large, not UTF-8, unreadable).
    Unreadable,
    /// The file's text.
    Text(String),
}

/// How rules read the files documents link to, the one way a rule reaches the file system:
/// guarded (size, kind, the folders of the run) and deterministic.
pub trait LinkedFiles: Send + Sync {
    /// The file at `path`: relative to the current directory, or absolute, `/`-separated.
    fn read(&self, path: &str) -> LinkedFile;
}

/// Reads no file: every linked file is [`LinkedFile::Outside`]. For rules checked without a
/// run around them.
pub struct NoFiles;

impl LinkedFiles for NoFiles {
    fn read(&self, _path: &str) -> LinkedFile {
        LinkedFile::Outside
    }
}

/// Everything a rule may read besides the document.
pub struct Context<'a> {
    pub settings: &'a Settings,
    /// The files documents link to outside the run.
    pub files: &'a dyn LinkedFiles,
}

/// A rule's identity and docs. [`declare_rule!`] implements it for built-in rules.
pub trait HasMeta {
    fn meta(&self) -> &RuleMeta;
}

/// A lint rule. Rules are pure: the same document and settings give the same findings.
pub trait Rule: HasMeta + Send + Sync {
    /// Findings in one document.
    fn check(&self, doc: &Document, ctx: &Context<'_>) -> Vec<Finding>;

    /// Findings that need every document of the run, as (document index, finding): the
    /// documents' summaries, sorted by path.
    fn check_all(&self, _docs: &[DocSummary], _ctx: &Context<'_>) -> Vec<(usize, Finding)> {
        Vec::new()
    }
}

/// Options of a rule without any.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

/// Reads a rule's options from configuration, defaults for missing keys.
pub(crate) fn parse_options<T: serde::de::DeserializeOwned + Default>(
    value: Option<&serde_yaml::Value>,
) -> Result<T, String> {
    match value {
        None => Ok(T::default()),
        Some(v) => serde_yaml::from_value(v.clone()).map_err(|e| e.to_string()),
    }
}

/// Declares a rule: its struct (holding its options), metadata and docs from the doc comment,
/// and its [`HasMeta`]; the rule's file then implements [`Rule`].
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub(crate) StepLength {
///         code: "P002", name: "step-length", severity: Warning,
///         summary: "Step is longer than the word limit",
///         options: Options, fixable: false,
///         // The crate version that adds the rule:
///         since: "0.1.0",
///         // Only for a rule that `bundle build` checks instead of `lint`:
///         // bundle_only: true,
///     }
/// }
/// ```
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis $ty:ident {
            code: $code:literal,
            name: $name:literal,
            severity: $sev:ident,
            summary: $summary:literal,
            options: $opts:ty,
            fixable: $fixable:literal,
            since: $since:literal
            $(, bundle_only: $bundle_only:literal)? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default)]
        $vis struct $ty {
            #[allow(dead_code)]
            pub(crate) options: $opts,
        }

        impl $ty {
            pub(crate) const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                code: ::std::borrow::Cow::Borrowed($code),
                name: ::std::borrow::Cow::Borrowed($name),
                severity: $crate::rule::Severity::$sev,
                summary: ::std::borrow::Cow::Borrowed($summary),
                docs: ::std::borrow::Cow::Borrowed(concat!($($doc, "\n"),*)),
                options: || {
                    let yaml = serde_yaml::to_string(&<$opts>::default()).unwrap_or_default();
                    if yaml.trim() == "{}" { String::new() } else { yaml }
                },
                fixable: $fixable,
                pack: None,
                since: Some($since),
                bundle_only: false $(|| $bundle_only)?,
            };

            /// Builds the rule from its configured options.
            pub(crate) fn build(
                options: Option<&serde_yaml::Value>,
            ) -> Result<Box<dyn $crate::rule::Rule>, String> {
                Ok(Box::new(Self { options: $crate::rule::parse_options(options)? }))
            }
        }

        impl $crate::rule::HasMeta for $ty {
            fn meta(&self) -> &$crate::rule::RuleMeta {
                &Self::META
            }
        }
    };
}
pub(crate) use declare_rule;
