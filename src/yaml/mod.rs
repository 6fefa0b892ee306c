//! The one YAML layer: every YAML file sopkit reads (configuration, rule packs, front matter)
//! is parsed, read into types and located here, and every problem in one is a
//! [`LocatedError`].
//!
//! How a problem finds its place:
//! 1. `serde_yaml` (serde_yaml_ng) parses the text; a syntax error carries its own location.
//! 2. [`de::from_value`] reads the parsed value into a typed struct (`deny_unknown_fields`), and
//!    its errors keep their kind (unknown key and the known ones, wrong type and what it was)
//!    and the path of keys and indices where they happened.
//! 3. [`locate`] turns a path into a span of the text: the key, a value under it, or the value
//!    on the key's line. Checks made after reading (an unknown rule code, a bad glob) use it
//!    too, so every message about a place is made the same way.
//!
//! Why a locator of our own rather than a crate that keeps spans (evaluated on this code base,
//! November 2026): serde_yaml_ng locates only its errors (`Error::location()`, exact for
//! syntax and type errors), not the values it reads, and reduces every error to a message
//! string ("rules.select: invalid type: integer `3`, expected a sequence"), so a caller could
//! word it only by parsing that text. marked-yaml's `Spanned<T>` keeps the spans of values,
//! but it parses with a second YAML parser (yaml-rust2) whose syntax messages differ from the
//! ones users see today, rejects anchors and aliases that serde_yaml_ng accepts, reads every
//! scalar as a string, and (0.8) gives no span for unknown-field and type errors, the errors
//! that need one most. The locator is small, never fails (it falls back to the enclosing key)
//! and is tested, with a property test, against any text.

pub(crate) mod de;
mod locate;
mod snippet;

pub(crate) use snippet::fits_renderer;

use std::ops::Range;

use miette::{LabeledSpan, NamedSource, SourceCode, SourceSpan};
use serde::de::DeserializeOwned;
use serde_yaml::Value;

pub(crate) use de::{Entries, ErrorKind};
pub(crate) use locate::{inline_value, key, key_span, value_span, Dotted, Seg};

/// Which kind of file a problem is in: it names the file in the message and sets the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `sopkit.yaml`: "invalid configuration …", `sopkit::config::invalid`.
    Config,
    /// A rule pack: "invalid rule pack …", `sopkit::pack::invalid`.
    Pack,
}

impl FileKind {
    fn noun(self) -> &'static str {
        match self {
            Self::Config => "configuration",
            Self::Pack => "rule pack",
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::Config => "sopkit::config::invalid",
            Self::Pack => "sopkit::pack::invalid",
        }
    }
}

/// A problem at a place in a YAML file: the file, 1-based line and column, a message, and for
/// the human report the source with a labelled span and an optional help line.
#[derive(Debug, thiserror::Error)]
#[error("invalid {} {path}:{line}:{column}: {message}", kind.noun())]
pub struct LocatedError {
    pub kind: FileKind,
    /// The file as shown to the user.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    src: NamedSource<String>,
    span: SourceSpan,
    label: String,
    help: Option<String>,
}

impl miette::Diagnostic for LocatedError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.shows_snippet().then_some(&self.src as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.shows_snippet() {
            return None;
        }
        let label = LabeledSpan::new_with_span(Some(self.label.clone()), self.span);
        Some(Box::new(std::iter::once(label)))
    }
}

impl LocatedError {
    /// Whether the report can underline the span (not past column 65,535 of a long line; the
    /// message names the line and column either way).
    fn shows_snippet(&self) -> bool {
        let start = self.span.offset();
        fits_renderer(self.src.inner(), &(start..start + self.span.len()))
    }
}

/// One YAML file's text and the name it is shown under, for located errors.
#[derive(Debug)]
pub(crate) struct Source {
    pub kind: FileKind,
    pub shown: String,
    pub text: String,
    /// The help for a reading or syntax error that has no suggestion of its own ("the rule pack
    /// format is described at …").
    pub read_help: Option<String>,
}

impl Source {
    pub(crate) fn new(kind: FileKind, shown: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            kind,
            shown: shown.into(),
            text: text.into(),
            read_help: None,
        }
    }

    /// An error at the byte range `at` (clamped to the text and to character boundaries).
    pub(crate) fn error(
        &self,
        at: Range<usize>,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> Box<LocatedError> {
        let floor = |mut i: usize| {
            i = i.min(self.text.len());
            while !self.text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let at = floor(at.start)..floor(at.end.max(at.start));
        let before = &self.text[..at.start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Box::new(LocatedError {
            kind: self.kind,
            path: self.shown.clone(),
            line,
            column,
            message,
            src: NamedSource::new(&self.shown, self.text.clone()),
            span: (at.start, at.len()).into(),
            label: label.to_string(),
            help,
        })
    }

    /// An error at the key of `path` (at the `-` of an item, for an index).
    pub(crate) fn at_key(
        &self,
        path: &[Seg],
        message: String,
        label: &str,
        help: Option<String>,
    ) -> Box<LocatedError> {
        self.error(key_span(&self.text, path), message, label, help)
    }

    /// An error at a scalar `value` under `path` (or at the key when the value is not found).
    pub(crate) fn at_value(
        &self,
        path: &[Seg],
        value: &str,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> Box<LocatedError> {
        self.error(value_span(&self.text, path, value), message, label, help)
    }

    /// "unknown key `k` in `parent`" at the key, with a suggestion among the `known` keys.
    pub(crate) fn unknown_key(&self, parent: &[Seg], k: &str, known: &[&str]) -> Box<LocatedError> {
        let mut path = parent.to_vec();
        path.push(key(k));
        let what = match parent.last() {
            Some(Seg::Key(p)) => format!("unknown key `{k}` in `{p}`"),
            _ => format!("unknown key `{k}`"),
        };
        let help = did_you_mean(k, known.iter().copied())
            .or_else(|| Some(format!("known keys: {}", known.join(", "))));
        self.at_key(&path, what, "unknown key", help)
    }

    /// Parses the text; a syntax error is located where the parser stopped.
    pub(crate) fn parse(&self) -> Result<Value, Box<LocatedError>> {
        serde_yaml::from_str(&self.text).map_err(|e| {
            let at = e.location().map_or(0, |l| l.index());
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            let help = self.read_help.clone();
            self.error(at..at, format!("invalid YAML: {message}"), "here", help)
        })
    }

    /// Parses the text and reads it into `T` (declare it `#[serde(deny_unknown_fields)]`); every
    /// error, an unknown key included, is located and worded by [`Source::read_error`].
    pub(crate) fn deserialize<T: DeserializeOwned>(&self) -> Result<T, Box<LocatedError>> {
        de::from_value(&self.parse()?).map_err(|e| self.read_error(&e))
    }

    /// A deserialization error as a located error, in the words every YAML file shares:
    /// "unknown key `k` in `parent`" (with a suggestion), "`k` must be a string, not a list",
    /// "unknown variant `v` for `k`", "this item needs `k`".
    pub(crate) fn read_error(&self, e: &de::Error) -> Box<LocatedError> {
        let mut located = self.word(e);
        if located.help.is_none() {
            located.help.clone_from(&self.read_help);
        }
        located
    }

    fn word(&self, e: &de::Error) -> Box<LocatedError> {
        let path = &e.path;
        match &e.kind {
            ErrorKind::InvalidType { got, want } => {
                let name = match path.last() {
                    Some(Seg::Key(k)) => format!("`{k}`"),
                    _ => "this item".to_string(),
                };
                self.at_key(
                    path,
                    format!("{name} must be {want}, not {got}"),
                    &format!("expected {want}"),
                    None,
                )
            }
            ErrorKind::UnknownField { field, expected } => self.unknown_key(path, field, expected),
            ErrorKind::UnknownVariant { variant, expected } => {
                let whose = match path.last() {
                    Some(Seg::Key(k)) => format!(" for `{k}`"),
                    _ => String::new(),
                };
                let help = did_you_mean(variant, expected.iter().copied())
                    .or_else(|| Some(format!("use one of: {}", expected.join(", "))));
                self.at_value(
                    path,
                    variant,
                    format!("unknown variant `{variant}`{whose}"),
                    "unknown variant",
                    help,
                )
            }
            ErrorKind::MissingField(k) => {
                let what = match path.last() {
                    Some(Seg::Key(p)) => format!("`{p}` needs `{k}`"),
                    Some(Seg::Index(_)) => format!("this item needs `{k}`"),
                    None => format!("missing key `{k}`"),
                };
                self.at_key(path, what, &format!("no `{k}` here"), None)
            }
            ErrorKind::Other(message) => self.at_key(path, message.clone(), "here", None),
        }
    }
}

/// "did you mean `x`?" for the candidate closest to `input`, when one is close.
pub(crate) fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    crate::suggest::did_you_mean(input, candidates).map(|s| format!("did you mean `{s}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Pack {
        pack: String,
        lang: String,
        rules: Vec<Rule>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Rule {
        code: String,
        name: String,
        kind: Kind,
        #[serde(default)]
        scope: Option<Scope>,
        #[serde(default)]
        tokens: Vec<String>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "kebab-case")]
    enum Kind {
        Existence,
        Substitution,
    }

    /// A name checked by hand, as packs' `scope` is: `unknown_variant` keeps it structured.
    #[derive(Debug)]
    struct Scope;

    impl<'de> serde::Deserialize<'de> for Scope {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            const SCOPES: &[&str] = &["step", "paragraph", "front-matter:<field>"];
            let s = <String as serde::Deserialize>::deserialize(d)?;
            match s.as_str() {
                "step" | "paragraph" => Ok(Scope),
                _ => Err(serde::de::Error::unknown_variant(&s, SCOPES)),
            }
        }
    }

    fn err(yaml: &str) -> Box<LocatedError> {
        let mut src = Source::new(FileKind::Pack, "p.yaml", yaml);
        src.read_help = Some("see the format".into());
        src.deserialize::<Pack>().unwrap_err()
    }

    /// The cases packs' own test pins today, read through this layer.
    #[test]
    fn pack_errors_keep_their_places_and_suggestions() {
        let head = "pack: t\nlang: en\nrules:\n  - code: TT001\n    name: x\n";
        for (rest, at, hint) in [
            (
                "    kind: existence\n    tokns: [a]\n",
                (7, 5),
                "did you mean `tokens`?",
            ),
            (
                "    kind: existance\n    tokens: [a]\n",
                (6, 11),
                "did you mean `existence`?",
            ),
            (
                "    kind: existence\n    scope: stepp\n    tokens: [a]\n",
                (7, 12),
                "did you mean `step`?",
            ),
            (
                "    kind: existence\n    scope: paragrah\n",
                (7, 12),
                "did you mean `paragraph`?",
            ),
            ("    kind: [existence]\n", (6, 5), "see the format"),
        ] {
            let e = err(&format!("{head}{rest}"));
            assert_eq!((e.line, e.column), at, "{e}");
            assert_eq!(e.help.as_deref(), Some(hint), "{e}");
        }
        let e = err(&format!("{head}    kind: existence\n    scope: paragrah\n"));
        assert_eq!(e.message, "unknown variant `paragrah` for `scope`");
    }

    #[test]
    fn unknown_keys_are_located_with_a_suggestion() {
        let e = err("pack: p\nrules:\n  - code: X1\n    kind: existence\n    knd: x\n");
        assert_eq!(
            e.to_string(),
            "invalid rule pack p.yaml:5:5: unknown key `knd`"
        );
        assert_eq!(e.help.as_deref(), Some("did you mean `kind`?"));
        let e = err("pack: p\nrulez: []\n");
        assert_eq!(
            e.to_string(),
            "invalid rule pack p.yaml:2:1: unknown key `rulez`"
        );
    }

    #[test]
    fn wrong_types_values_and_syntax_are_located() {
        let e = err("pack: p\nrules:\n  - code: X1\n    kind: existance\n");
        assert_eq!(
            e.to_string(),
            "invalid rule pack p.yaml:4:11: unknown variant `existance` for `kind`"
        );
        assert_eq!(e.help.as_deref(), Some("did you mean `existence`?"));
        let e = err("pack: p\nrules: {}\n");
        assert_eq!(
            e.to_string(),
            "invalid rule pack p.yaml:2:1: `rules` must be a sequence, not a map"
        );
        let e = err("pack: p\nrules:\n  - kind: existence\n");
        assert_eq!(
            e.to_string(),
            "invalid rule pack p.yaml:3:3: this item needs `code`"
        );
        let e = err("pack: [p\n");
        assert!(
            e.to_string()
                .starts_with("invalid rule pack p.yaml:2:1: invalid YAML: "),
            "{e}"
        );
    }

    #[test]
    fn the_report_has_code_label_and_help() {
        use miette::Diagnostic;
        let e = Source::new(FileKind::Config, "sopkit.yaml", "lang: en\nexclud: x\n").unknown_key(
            &[],
            "exclud",
            &["lang", "exclude"],
        );
        assert_eq!(e.code().unwrap().to_string(), "sopkit::config::invalid");
        assert_eq!(e.help().unwrap().to_string(), "did you mean `exclude`?");
        let label = e.labels().unwrap().next().unwrap();
        assert_eq!((label.offset(), label.len()), (9, 6));
        assert_eq!(label.label(), Some("unknown key"));
        assert_eq!(
            e.to_string(),
            "invalid configuration sopkit.yaml:2:1: unknown key `exclud`"
        );
    }
}
