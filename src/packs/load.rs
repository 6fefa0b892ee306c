//! Reading a pack file: YAML into the format's types, validation, and located errors.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use miette::Diagnostic;
use serde_yaml::Value;

use super::check::{Check, Filter, Spec};
use super::docs::{first_sentence, pack_docs};
use super::format::{Kind, RawPack, RawRule};
use super::matcher::Matcher;
use super::{Pack, PackRule};
use crate::rule::RuleMeta;
use crate::yaml::{key, key_span, value_span, FileKind, LocatedError, Seg, Source};

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

/// A located problem in a pack file: the error every YAML file shares.
pub type InvalidPack = LocatedError;

impl PackError {
    /// 1-based line and column of the problem, when it has a place in the file.
    pub fn location(&self) -> Option<(usize, usize)> {
        match self {
            Self::Invalid(e) => Some((e.line, e.column)),
            Self::Read { .. } => None,
        }
    }
}

impl From<Box<LocatedError>> for PackError {
    fn from(e: Box<LocatedError>) -> Self {
        Self::Invalid(e)
    }
}

/// Codes and names taken so far.
pub(super) struct Seen {
    codes: BTreeMap<String, String>,
    names: BTreeMap<String, String>,
}

impl Seen {
    pub(super) fn builtin() -> Self {
        let mut seen = Self {
            codes: BTreeMap::new(),
            names: BTreeMap::new(),
        };
        for e in crate::rules::builtin() {
            seen.add(&e.meta.code, &e.meta.name);
        }
        seen
    }

    pub(super) fn add(&mut self, code: &str, name: &str) {
        self.codes
            .insert(code.to_ascii_uppercase(), code.to_string());
        self.names.insert(name.to_string(), code.to_string());
    }
}

/// When a pack's token matchers are compiled.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Compile {
    /// At load, so that a bad token is reported with its location (user packs).
    Now,
    /// The first time a document in the pack's language needs them (shipped packs, whose
    /// tokens are tested): a run pays only for the languages it reads.
    OnFirstUse,
}

pub(super) fn parse_pack(path: &str, yaml: &str, seen: &mut Seen) -> Result<Pack, PackError> {
    parse_pack_with(path, yaml, seen, Compile::Now)
}

pub(super) fn parse_pack_with(
    path: &str,
    yaml: &str,
    seen: &mut Seen,
    when: Compile,
) -> Result<Pack, PackError> {
    let src = pack_source(path, yaml);
    let value = src.parse()?;
    read_pack(&src, value, seen, when)
}

/// A shipped pack: its YAML as converted to JSON at build time (build.rs), which reads much
/// faster; the YAML text still places errors. `shipped_json_is_the_yaml` checks the two agree.
pub(super) fn parse_shipped(
    path: &str,
    yaml: &str,
    json: &str,
    seen: &mut Seen,
) -> Result<Pack, PackError> {
    let src = pack_source(path, yaml);
    let value: Value = serde_json::from_str(json)
        .map_err(|e| src.error(0..0, format!("invalid built pack: {e}"), "here", None))?;
    read_pack(&src, value, seen, Compile::OnFirstUse)
}

fn pack_source(path: &str, yaml: &str) -> Source {
    let mut src = Source::new(FileKind::Pack, path, yaml);
    src.read_help = Some("the rule pack format is described at the top of docs/rules.md".into());
    src
}

fn read_pack(
    src: &Source,
    mut value: Value,
    seen: &mut Seen,
    when: Compile,
) -> Result<Pack, PackError> {
    let yaml = src.text.as_str();
    let path = src.shown.as_str();
    read_as_written(&mut value);
    let raw: RawPack = crate::yaml::de::from_value(&value).map_err(|e| src.read_error(&e))?;
    let lang = raw.lang.trim().to_string();
    if lang.is_empty() {
        return Err(src
            .at_key(
                &[key("lang")],
                "`lang` is empty".into(),
                "here",
                Some("write a language tag such as `en`, or `*` for every language".into()),
            )
            .into());
    }
    let mut rules = Vec::new();
    for (i, rule) in raw.rules.into_iter().enumerate() {
        // Where this rule is written, for errors that serde cannot place.
        let at = value_span(
            yaml,
            &[key("rules"), Seg::Index(i), key("code")],
            rule.code.trim(),
        );
        let rule_err = |message: String, help: &str| -> PackError {
            src.error(at.clone(), message, "in this rule", Some(help.to_string()))
                .into()
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
        rules.push(compile(src, i, &lang, &raw.pack, rule, at.clone(), when)?);
    }
    Ok(Pack {
        name: raw.pack,
        lang,
        path: path.to_string(),
        description: raw.description,
        rules,
    })
}

/// Pack keys that may be written empty (`description:`) to mean "not given".
const EMPTY_IS_ABSENT: [&str; 15] = [
    "description",
    "docs",
    "summary",
    "why",
    "swap",
    "message",
    "help",
    "max",
    "metric",
    "tokens",
    "allow",
    "expansions",
    "skip-after",
    "command-words",
    "examples",
];

/// Pack keys that hold a boolean or a number, not text.
const NOT_TEXT: [&str; 4] = ["regex", "unless-command", "only-in-command", "max"];

/// Reads a parsed pack as packs have always been read (serde_yaml straight into the format's
/// types), where the YAML layer's policy is stricter: a key written empty is absent (or, for
/// `rules`, an empty list), and a boolean or empty scalar where text is wanted is its text
/// (`tokens: [true]` is the token "true", an empty list item the empty token). Without this a
/// pack that loaded before would now be refused.
fn read_as_written(value: &mut Value) {
    fn fields(map: &mut serde_yaml::Mapping) {
        map.retain(|k, v| {
            !(v.is_null() && k.as_str().is_some_and(|k| EMPTY_IS_ABSENT.contains(&k)))
        });
        for (k, v) in map.iter_mut() {
            if !k.as_str().is_some_and(|k| NOT_TEXT.contains(&k)) {
                as_text(v);
            }
        }
    }
    fn as_text(v: &mut Value) {
        match v {
            Value::Null => *v = Value::String(String::new()),
            Value::Bool(b) => *v = Value::String(b.to_string()),
            Value::Sequence(items) => items.iter_mut().for_each(as_text),
            Value::Mapping(map) => map.iter_mut().for_each(|(_, v)| as_text(v)),
            _ => {}
        }
    }
    let Value::Mapping(top) = value else {
        return;
    };
    if let Some(rules) = top.get_mut("rules") {
        match rules {
            Value::Null => *rules = Value::Sequence(Vec::new()),
            Value::Sequence(items) => {
                for rule in items.iter_mut() {
                    if let Value::Mapping(rule) = rule {
                        if let Some(Value::Mapping(examples)) = rule.get_mut("examples") {
                            examples.retain(|_, v| !v.is_null());
                        }
                        fields(rule);
                    }
                }
            }
            _ => {}
        }
    }
    let rules = top.remove("rules");
    fields(top);
    if let Some(rules) = rules {
        top.insert(Value::String("rules".into()), rules);
    }
}

fn compile(
    src: &Source,
    index: usize,
    lang: &str,
    pack: &str,
    rule: RawRule,
    at: Range<usize>,
    when: Compile,
) -> Result<PackRule, PackError> {
    let err = |at: Range<usize>, message: String, help: &str| -> PackError {
        src.error(at, message, "here", Some(help.to_string()))
            .into()
    };
    let path = |k: &str| [key("rules"), Seg::Index(index), key(k)];
    let code = rule.code.trim().to_string();
    // The key `k` of this rule, or the rule's code when the rule does not write it.
    let key = |k: &str| {
        let r = key_span(&src.text, &path(k));
        if src.text.get(r.clone()) == Some(k) {
            r
        } else {
            at.clone()
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
    } else if when == Compile::OnFirstUse {
        Some(Matcher::deferred(&tokens, rule.regex))
    } else if rule.regex {
        Some(Matcher::regex(&tokens).map_err(|(i, e)| {
            let token = tokens.get(i).map_or("", String::as_str);
            let at = value_span(&src.text, &path("tokens"), token);
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
    let fixable = rule.kind == Kind::Substitution && swaps.iter().any(|s| s.len() == 1);
    let kind = rule.kind;
    let max = rule.max.unwrap_or(0);
    let filter = Filter {
        skip_after: rule.skip_after,
        unless_command: rule.unless_command,
        only_in_command: rule.only_in_command,
        command_words: rule.command_words,
    };
    let check = match (kind, matcher, rule.metric) {
        (Kind::Existence, Some(matcher), _) => Check::Existence { matcher, filter },
        (Kind::Substitution, Some(matcher), _) => Check::Substitution { matcher, swaps },
        (Kind::Occurrence, Some(matcher), _) => Check::Occurrence {
            matcher,
            filter,
            max,
        },
        (Kind::Metric, _, Some(metric)) => Check::Metric { metric, max },
        (Kind::Acronym, _, _) => Check::Acronym {
            allow: rule.allow.into_iter().collect(),
            expansions: rule.expansions,
        },
        // Ruled out above: token kinds have tokens, metric rules a metric.
        (kind, _, _) => {
            return Err(err(
                at,
                format!("rule `{code}` is incomplete for `kind: {}`", kind.as_str()),
                "see the rule pack format at the top of docs/rules.md",
            ))
        }
    };
    let meta = RuleMeta {
        code: code.into(),
        name: rule.name.clone().into(),
        severity: rule.severity,
        summary: summary.into(),
        docs: docs.into(),
        options: if kind == Kind::Acronym {
            || "allow: []\n".to_string()
        } else {
            String::new
        },
        fixable,
        pack: Some(pack.to_string().into()),
        since: None,
        bundle_only: false,
    };
    Ok(PackRule {
        meta,
        spec: Arc::new(Spec {
            lang: lang.to_string(),
            scope: rule.scope,
            message: rule.message,
            help: rule.help,
            examples: rule.examples,
            check,
        }),
        allow_more: Arc::default(),
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn load(yaml: &str) -> Result<Pack, PackError> {
        parse_pack("p.yaml", yaml, &mut Seen::builtin())
    }

    const HEAD: &str =
        "pack: t\nlang: en\nrules:\n  - code: TT001\n    name: x-y\n    kind: existence\n";

    /// Packs read through the YAML layer load what they loaded before it.
    #[test]
    fn empty_keys_and_booleans_read_as_before() {
        let pack = load(
            "pack: t\ndescription:\nlang: en\nrules:\n  - code: TT001\n    name: x-y\n    kind: existence\n    summary:\n    message:\n    help:\n    why:\n    max:\n    allow:\n    skip-after:\n    tokens: [true, a]\n    examples:\n      bad: [a true b]\n      good:\n",
        )
        .expect("loads");
        assert_eq!(pack.description, None);
        assert!(pack.rules[0].test_examples().is_empty());
        assert_eq!(pack.rules[0].meta.summary, "x-y (existence)");
        let pack = load("pack: t\nlang: en\nrules:\n").expect("loads");
        assert!(pack.rules.is_empty());
        let e = load(&format!("{HEAD}    tokens:\n      - a\n      -\n")).expect_err("empty token");
        assert!(
            e.to_string().ends_with("rule `TT001` has an empty token"),
            "{e}"
        );
    }

    #[test]
    fn shape_errors_are_worded_as_for_every_yaml_file() {
        let help = |e: &PackError| e.help().map(|h| h.to_string()).unwrap_or_default();
        let e = load(&format!("{HEAD}    tokens: [a]\n    zzzzz: 1\n")).expect_err("unknown");
        assert_eq!(
            e.to_string(),
            "invalid rule pack p.yaml:8:5: unknown key `zzzzz`"
        );
        assert!(help(&e).starts_with("known keys: code, name, kind,"), "{e}");
        let e =
            load(&format!("{HEAD}    tokens: [a]\n    severity: fatal\n")).expect_err("variant");
        assert_eq!(
            e.to_string(),
            "invalid rule pack p.yaml:8:15: unknown variant `fatal` for `severity`"
        );
        assert_eq!(help(&e), "use one of: error, warning, info");
        let e = load("pack: t\nlang: en\nrules:\n  - code: TT001\n    kind: existence\n")
            .expect_err("missing");
        assert_eq!(
            e.to_string(),
            "invalid rule pack p.yaml:4:3: this item needs `name`"
        );
        assert_eq!(
            help(&e),
            "the rule pack format is described at the top of docs/rules.md"
        );
        let e = load("pack: [t\n").expect_err("syntax");
        assert!(
            e.to_string()
                .starts_with("invalid rule pack p.yaml:2:1: invalid YAML: "),
            "{e}"
        );
        assert_eq!(
            help(&e),
            "the rule pack format is described at the top of docs/rules.md"
        );
    }

    #[test]
    fn rule_errors_point_at_the_rule_or_its_key() {
        let e = load(&format!(
            "{HEAD}  - code: TT002\n    name: z\n    kind: existence\n    tokens: [a]\n"
        ))
        .expect_err("no tokens");
        // The first rule writes no `tokens`: its code, not the next rule's key.
        assert_eq!(e.location(), Some((4, 11)), "{e}");
        let e = load(&format!(
            "{HEAD}    regex: true\n    tokens: [ok, \"a(b\"]\n"
        ))
        .expect_err("regex");
        assert_eq!(e.location(), Some((8, 19)), "{e}");
    }
}
