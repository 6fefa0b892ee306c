//! Reading a pack file: YAML into the format's types, validation, and located errors.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use miette::{Diagnostic, NamedSource, SourceSpan};

use super::check::{Check, Filter, Spec};
use super::docs::{first_sentence, pack_docs};
use super::format::{Kind, RawPack, RawRule};
use super::matcher::Matcher;
use super::{Pack, PackRule};
use crate::rule::RuleMeta;

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
            seen.add(e.meta.code, e.meta.name);
        }
        seen
    }

    pub(super) fn add(&mut self, code: &str, name: &str) {
        self.codes
            .insert(code.to_ascii_uppercase(), code.to_string());
        self.names.insert(name.to_string(), code.to_string());
    }
}

pub(super) fn parse_pack(path: &str, yaml: &str, seen: &mut Seen) -> Result<Pack, PackError> {
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
    let pack_name = intern(&raw.pack);
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
        code: intern(&code),
        name: intern(&rule.name),
        severity: rule.severity,
        summary: summary.into(),
        docs: docs.into(),
        options: if kind == Kind::Acronym {
            || "allow: []\n".to_string()
        } else {
            String::new
        },
        fixable,
        pack: Some(pack),
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

/// A code, name or pack name as the `&'static str` that [`RuleMeta`] holds beside the built-in
/// rules' `const` metadata. Each distinct string is allocated once per process and then reused,
/// so loading packs again (a configuration read twice, or per directory) takes no more memory.
/// Summaries and docs, the bulk of a rule's text, are owned by the rule instead.
fn intern(s: &str) -> &'static str {
    static INTERNED: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut interned = INTERNED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(&known) = interned.get(s) {
        return known;
    }
    let new: &'static str = String::from(s).leak();
    interned.insert(new);
    new
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
