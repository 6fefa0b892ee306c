//! Configuration: `sopkit.yaml` / `.sopkit.yaml` → validated settings and rule profiles.
//!
//! A file is found by walking up from each linted file (the nearest wins), or named with
//! `--config`. `extends: [paths]` merges base files under it, key by key: nested maps merge
//! recursively, and scalars and lists from the extending file replace the base's. So a project
//! that sets `rules: { severity: { P002: error } }` keeps the base's `select`, `ignore` and other
//! severities, and a project that sets `rules: { ignore: [...] }` states its whole ignore list.
//! Relative paths and globs are relative to the file that names them.
//!
//! Rule selection follows ruff: a layer's `select` replaces the rules in force (default: all),
//! its `ignore` removes rules, and within a layer the most specific selector wins (a code or
//! name beats a prefix such as `P00`, which beats a family such as `P`, which beats `all`; on a
//! tie, ignore wins). Layers apply in order: the configuration, `--select`/`--ignore` on the
//! command line, each `overrides` entry that matches the file (so per-file ignores survive a
//! command-line `--select`, as ruff's per-file-ignores do), then `--severity`.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use miette::{NamedSource, SourceSpan};
use serde_yaml::Value;

use crate::document::SectionKind;
use crate::lint::{ActiveRule, Profile};
use crate::rule::{Rule, Severity};
use crate::settings::Settings;

/// The files a directory walk takes when no `include` is configured.
pub(crate) const MARKDOWN_PATTERNS: [&str; 2] = ["**/*.md", "**/*.markdown"];

/// Whether a path has a Markdown extension (`.md`, `.markdown`, any case).
pub(crate) fn is_markdown(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("md" | "markdown")
    )
}

/// Configuration file names, in order of preference within one directory.
pub(crate) const FILE_NAMES: [&str; 2] = ["sopkit.yaml", ".sopkit.yaml"];

const TOP_KEYS: &[&str] = &[
    "lang",
    "include",
    "exclude",
    "rules",
    "packs",
    "sections",
    "overrides",
    "extends",
    "preset",
    "fields",
    "dates",
];
const OVERRIDE_KEYS: &[&str] = &[
    "files", "lang", "rules", "sections", "preset", "fields", "dates",
];
const RULES_KEYS: &[&str] = &["select", "ignore", "severity", "options", "preview"];
const SECTIONS_KEYS: &[&str] = &["required", "order", "aliases"];

/// A problem at a place in a configuration file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("invalid configuration {path}:{line}:{column}: {message}")]
#[diagnostic(code(sopkit::config::invalid))]
pub struct InvalidConfig {
    path: String,
    line: usize,
    column: usize,
    message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("{label}")]
    span: SourceSpan,
    label: String,
    #[help]
    help: Option<String>,
}

/// Why a configuration could not be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidConfig>),
    #[error("cannot read configuration file {path}: {reason}")]
    #[diagnostic(code(sopkit::config::read))]
    Read { path: String, reason: String },
    /// A bad `--select`, `--ignore` or `--severity` value.
    #[error("invalid {flag} value `{value}`: {message}")]
    #[diagnostic(code(sopkit::config::flag))]
    Flag {
        flag: &'static str,
        value: String,
        message: String,
        #[help]
        help: Option<String>,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Pack(Box<crate::packs::PackError>),
}

impl From<crate::packs::PackError> for ConfigError {
    fn from(e: crate::packs::PackError) -> Self {
        Self::Pack(Box::new(e))
    }
}

// ---------------------------------------------------------------------------------------------
// Locating keys and values in the YAML text (serde_yaml values carry no positions).

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

/// One configuration file's text, for error reports.
#[derive(Debug)]
struct Source {
    shown: String,
    text: String,
    dir: PathBuf,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// Lines of `text` within `region` as (start offset, line without newline).
fn lines_in(text: &str, region: &Range<usize>) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut pos = region.start;
    for line in text[region.clone()].split_inclusive('\n') {
        out.push((pos, line.trim_end_matches(['\n', '\r']).to_string()));
        pos += line.len();
    }
    out
}

/// The end of the block that starts at the line beginning at `line_start`, whose key sits at
/// column `col`: the first later content line indented at most `col`.
fn block_end(text: &str, region: &Range<usize>, line_start: usize, col: usize) -> usize {
    let after = text[line_start..region.end]
        .find('\n')
        .map_or(region.end, |i| line_start + i + 1);
    for (start, line) in lines_in(text, &(after..region.end)) {
        if is_content(&line) && indent_of(&line) <= col {
            return start;
        }
    }
    region.end
}

/// Whether `hay[at..]` starts `word` as a whole token (not inside a longer name).
fn token_at(hay: &str, at: usize, word: &str) -> bool {
    let is_name = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    hay[at..].starts_with(word)
        && !hay[..at].chars().next_back().is_some_and(is_name)
        && !hay[at + word.len()..].chars().next().is_some_and(is_name)
}

fn find_token(
    text: &str,
    region: &Range<usize>,
    word: &str,
    then_colon: bool,
) -> Option<Range<usize>> {
    if word.is_empty() {
        return None;
    }
    let hay = &text[region.clone()];
    let mut from = 0;
    while let Some(i) = hay[from..].find(word) {
        let at = from + i;
        let rest = hay[at + word.len()..].trim_start_matches(['"', '\'', ' ']);
        if token_at(hay, at, word) && (!then_colon || rest.starts_with(':')) {
            return Some(region.start + at..region.start + at + word.len());
        }
        from = at + word.len();
    }
    None
}

/// The span of the key at `path` (or of the item, for an index), and the region of its value.
fn locate_path(text: &str, path: &[Seg]) -> (Range<usize>, Range<usize>) {
    let mut region = 0..text.len();
    let mut found = 0..0;
    for seg in path {
        let lines = lines_in(text, &region);
        match seg {
            Seg::Key(k) => {
                // Block style: the key at the smallest indentation of the region.
                let mut best: Option<(usize, usize, usize)> = None; // (col, line start, key start)
                for (start, line) in &lines {
                    let t = line.trim_start_matches([' ', '-']);
                    let col = line.len() - t.len();
                    let bare = t.trim_start_matches(['"', '\'']);
                    let qcol = col + (t.len() - bare.len());
                    if bare.starts_with(k.as_str())
                        && bare[k.len()..]
                            .trim_start_matches(['"', '\'', ' '])
                            .starts_with(':')
                        && best.map_or(true, |b| col < b.0)
                    {
                        best = Some((col, *start, start + qcol));
                    }
                }
                if let Some((col, line_start, key_start)) = best {
                    found = key_start..key_start + k.len();
                    region = key_start..block_end(text, &region, line_start, col);
                } else if let Some(r) = find_token(text, &region, k, true) {
                    // Flow style: `{ key: value }`.
                    found = r.clone();
                    region = r.start..region.end;
                } else {
                    break;
                }
            }
            Seg::Index(i) => {
                let items: Vec<&(usize, String)> = lines
                    .iter()
                    .filter(|(_, l)| l.trim_start().starts_with("- ") || l.trim() == "-")
                    .collect();
                let Some(min) = items.iter().map(|(_, l)| indent_of(l)).min() else {
                    break;
                };
                let mut at_min = items.into_iter().filter(|(_, l)| indent_of(l) == min);
                let Some((start, line)) = at_min.nth(*i) else {
                    break;
                };
                let col = indent_of(line);
                found = start + col..start + col + 1;
                region = start + col..block_end(text, &region, *start, col);
            }
        }
    }
    (found, region)
}

impl Source {
    fn error(
        &self,
        at: Range<usize>,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> ConfigError {
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
        ConfigError::Invalid(Box::new(InvalidConfig {
            path: self.shown.clone(),
            line,
            column,
            message,
            src: NamedSource::new(&self.shown, self.text.clone()),
            span: (at.start, at.len()).into(),
            label: label.to_string(),
            help,
        }))
    }

    /// An error at the key of `path`.
    fn at_key(
        &self,
        path: &[Seg],
        message: String,
        label: &str,
        help: Option<String>,
    ) -> ConfigError {
        self.error(locate_path(&self.text, path).0, message, label, help)
    }

    /// An error at a scalar `value` under `path` (or at the key when the value is not found).
    fn at_value(
        &self,
        path: &[Seg],
        value: &str,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> ConfigError {
        let (key_span, region) = locate_path(&self.text, path);
        let at = find_token(&self.text, &region, value, false).unwrap_or(key_span);
        self.error(at, message, label, help)
    }
}

fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    crate::suggest::did_you_mean(input, candidates).map(|s| format!("did you mean `{s}`?"))
}

// ---------------------------------------------------------------------------------------------
// The parsed configuration.

/// A configured value with the file and place that set it, for later errors.
#[derive(Debug, Clone)]
struct Origin {
    src: Arc<Source>,
    path: Vec<Seg>,
}

/// A rule selector as written (code, name, family prefix or `all`).
#[derive(Debug, Clone)]
struct Selector {
    text: String,
    origin: Origin,
}

#[derive(Debug, Clone, Default)]
struct RulesLayer {
    select: Option<Vec<Selector>>,
    ignore: Option<Vec<Selector>>,
    severity: BTreeMap<String, (Selector, Severity)>,
    /// Rule code or name as written → options and where they were set.
    options: BTreeMap<String, (Value, Origin)>,
    /// `preview: true` turns on the rules of the preview group.
    preview: Option<bool>,
}

#[derive(Debug, Clone, Default)]
struct SectionsCfg {
    required: Option<Vec<SectionKind>>,
    order: Option<Vec<SectionKind>>,
    aliases: BTreeMap<SectionKind, Vec<String>>,
}

#[derive(Debug, Clone, Default)]
struct Body {
    lang: Option<String>,
    rules: RulesLayer,
    sections: SectionsCfg,
    /// `preset`: a known front matter convention.
    preset: Option<&'static crate::settings::Preset>,
    /// `fields`: sopkit field → the file's key; merged key by key over the preset's.
    fields: BTreeMap<String, String>,
    /// `dates`: how numeric dates are read.
    dates: Option<crate::settings::DateOrder>,
}

/// Globs relative to a base directory.
#[derive(Debug, Clone)]
struct Globs {
    set: GlobSet,
    base: PathBuf,
    /// The patterns as written, for messages.
    patterns: Vec<String>,
}

impl Globs {
    fn matches(&self, file: &Path) -> bool {
        let Ok(rel) = file.strip_prefix(&self.base) else {
            return false;
        };
        // Patterns without a slash also match the file name, as in .gitignore.
        self.set.is_match(rel)
            || rel
                .file_name()
                .is_some_and(|n| self.set.is_match(Path::new(n)))
    }
}

#[derive(Debug, Clone)]
struct Override {
    files: Globs,
    body: Body,
}

/// One configuration, merged with the files it extends.
#[derive(Debug, Clone, Default)]
pub(crate) struct Config {
    body: Body,
    include: Option<Globs>,
    exclude: Option<Globs>,
    packs: Option<(Vec<PathBuf>, Origin)>,
    overrides: Option<Vec<Override>>,
}

/// Child over base: maps merge key by key, scalars and lists from the child win.
fn merge_value(base: &mut Value, child: Value) {
    match (base, child) {
        (Value::Mapping(b), Value::Mapping(c)) => {
            for (k, v) in c {
                match b.get_mut(&k) {
                    Some(slot) => merge_value(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, child) => *slot = child,
    }
}

impl RulesLayer {
    fn merge(&mut self, child: RulesLayer) {
        if child.select.is_some() {
            self.select = child.select;
        }
        if child.ignore.is_some() {
            self.ignore = child.ignore;
        }
        if child.preview.is_some() {
            self.preview = child.preview;
        }
        self.severity.extend(child.severity);
        for (code, (value, origin)) in child.options {
            match self.options.get_mut(&code) {
                Some(slot) => {
                    merge_value(&mut slot.0, value);
                    slot.1 = origin;
                }
                None => {
                    self.options.insert(code, (value, origin));
                }
            }
        }
    }
}

impl Body {
    fn merge(&mut self, child: Body) {
        if child.lang.is_some() {
            self.lang = child.lang;
        }
        self.rules.merge(child.rules);
        if child.sections.required.is_some() {
            self.sections.required = child.sections.required;
        }
        if child.sections.order.is_some() {
            self.sections.order = child.sections.order;
        }
        self.sections.aliases.extend(child.sections.aliases);
        if child.preset.is_some() {
            self.preset = child.preset;
        }
        self.fields.extend(child.fields);
        if child.dates.is_some() {
            self.dates = child.dates;
        }
    }

    /// The metadata conventions: the preset's, then `fields` and `dates` over them.
    fn metadata(&self) -> crate::settings::Metadata {
        let mut m = self
            .preset
            .map(crate::settings::Metadata::of_preset)
            .unwrap_or_default();
        m.fields
            .extend(self.fields.iter().map(|(f, k)| (f.clone(), k.clone())));
        if let Some(d) = self.dates {
            m.dates = d;
        }
        m
    }
}

impl Config {
    fn merge(&mut self, child: Config) {
        self.body.merge(child.body);
        if child.include.is_some() {
            self.include = child.include;
        }
        if child.exclude.is_some() {
            self.exclude = child.exclude;
        }
        if child.packs.is_some() {
            self.packs = child.packs;
        }
        if child.overrides.is_some() {
            self.overrides = child.overrides;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading and validating one file.

/// An `extends` entry: the resolved path, where it is written, and the text as written.
type Extends = (PathBuf, Vec<Seg>, String);

struct Reader {
    src: Arc<Source>,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::Tagged(_) => "a tagged value",
    }
}

impl Reader {
    fn origin(&self, path: &[Seg]) -> Origin {
        Origin {
            src: Arc::clone(&self.src),
            path: path.to_vec(),
        }
    }

    fn wrong_type(&self, path: &[Seg], want: &str, got: &Value) -> ConfigError {
        let name = match path.last() {
            Some(Seg::Key(k)) => format!("`{k}`"),
            _ => "this item".to_string(),
        };
        self.src.at_key(
            path,
            format!("{name} must be {want}, not {}", type_name(got)),
            &format!("expected {want}"),
            None,
        )
    }

    /// A map's entries as (key, value), checking keys against `allowed` (when given).
    fn map<'v>(
        &self,
        path: &[Seg],
        v: &'v Value,
        allowed: Option<&[&str]>,
    ) -> Result<Vec<(String, &'v Value)>, ConfigError> {
        let m = match v {
            Value::Mapping(m) => m,
            Value::Null => return Ok(Vec::new()),
            other => return Err(self.wrong_type(path, "a map", other)),
        };
        let mut out = Vec::new();
        for (k, val) in m {
            let k = match k {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => return Err(self.wrong_type(path, "a map with text keys", other)),
            };
            if let Some(allowed) = allowed {
                if !allowed.contains(&k.as_str()) {
                    let mut p = path.to_vec();
                    p.push(key(&k));
                    let what = match path.last() {
                        Some(Seg::Key(parent)) => format!("unknown key `{k}` in `{parent}`"),
                        _ => format!("unknown key `{k}`"),
                    };
                    let help = did_you_mean(&k, allowed.iter().copied())
                        .or_else(|| Some(format!("known keys: {}", allowed.join(", "))));
                    return Err(self.src.at_key(&p, what, "unknown key", help));
                }
            }
            out.push((k, val));
        }
        Ok(out)
    }

    fn string(&self, path: &[Seg], v: &Value) -> Result<String, ConfigError> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(self.wrong_type(path, "a string", other)),
        }
    }

    /// A list of strings; a single string is a list of one.
    fn strings(&self, path: &[Seg], v: &Value) -> Result<Vec<String>, ConfigError> {
        match v {
            Value::String(s) => Ok(vec![s.clone()]),
            Value::Sequence(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let mut p = path.to_vec();
                    p.push(Seg::Index(i));
                    match item {
                        Value::String(s) => Ok(s.clone()),
                        Value::Number(n) => Ok(n.to_string()),
                        other => Err(self.wrong_type(&p, "a string", other)),
                    }
                })
                .collect(),
            Value::Null => Ok(Vec::new()),
            other => Err(self.wrong_type(path, "a list of strings", other)),
        }
    }

    fn globs(&self, path: &[Seg], v: &Value) -> Result<Globs, ConfigError> {
        let mut builder = GlobSetBuilder::new();
        let patterns = self.strings(path, v)?;
        for pattern in &patterns {
            let glob = GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    self.src.at_value(
                        path,
                        pattern,
                        format!("invalid glob `{pattern}`: {}", e.kind()),
                        "invalid glob",
                        None,
                    )
                })?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|e| {
            self.src
                .at_key(path, format!("invalid globs: {e}"), "here", None)
        })?;
        Ok(Globs {
            set,
            base: self.src.dir.clone(),
            patterns,
        })
    }

    fn section_kinds(&self, path: &[Seg], v: &Value) -> Result<Vec<SectionKind>, ConfigError> {
        self.strings(path, v)?
            .iter()
            .map(|s| self.section_kind(path, s, false))
            .collect()
    }

    fn section_kind(
        &self,
        path: &[Seg],
        s: &str,
        is_key: bool,
    ) -> Result<SectionKind, ConfigError> {
        SectionKind::from_key(s).ok_or_else(|| {
            let keys = SectionKind::ALL.map(SectionKind::key);
            let help =
                did_you_mean(s, keys).or_else(|| Some(format!("sections: {}", keys.join(", "))));
            let message = format!("unknown section `{s}`");
            if is_key {
                let mut p = path.to_vec();
                p.push(key(s));
                self.src.at_key(&p, message, "unknown section", help)
            } else {
                self.src.at_value(path, s, message, "unknown section", help)
            }
        })
    }

    fn selectors(&self, path: &[Seg], v: &Value) -> Result<Vec<Selector>, ConfigError> {
        Ok(self
            .strings(path, v)?
            .into_iter()
            .map(|text| Selector {
                text,
                origin: self.origin(path),
            })
            .collect())
    }

    fn rules(&self, path: &[Seg], v: &Value) -> Result<RulesLayer, ConfigError> {
        let mut layer = RulesLayer::default();
        for (k, val) in self.map(path, v, Some(RULES_KEYS))? {
            let mut p = path.to_vec();
            p.push(key(&k));
            match k.as_str() {
                "select" => layer.select = Some(self.selectors(&p, val)?),
                "ignore" => layer.ignore = Some(self.selectors(&p, val)?),
                "preview" => match val {
                    Value::Bool(b) => layer.preview = Some(*b),
                    other => return Err(self.wrong_type(&p, "true or false", other)),
                },
                "severity" => {
                    for (code, level) in self.map(&p, val, None)? {
                        let mut q = p.clone();
                        q.push(key(&code));
                        let text = self.string(&q, level)?;
                        let Some(sev) = Severity::parse(&text) else {
                            return Err(self.src.at_value(
                                &q,
                                &text,
                                format!("unknown severity `{text}`"),
                                "not a severity",
                                did_you_mean(&text, ["error", "warning", "info"])
                                    .or_else(|| Some("use error, warning or info".into())),
                            ));
                        };
                        let selector = Selector {
                            text: code.clone(),
                            origin: self.origin(&q),
                        };
                        layer.severity.insert(code, (selector, sev));
                    }
                }
                _ => {
                    for (code, opts) in self.map(&p, val, None)? {
                        let mut q = p.clone();
                        q.push(key(&code));
                        layer.options.insert(code, (opts.clone(), self.origin(&q)));
                    }
                }
            }
        }
        Ok(layer)
    }

    fn sections(&self, path: &[Seg], v: &Value) -> Result<SectionsCfg, ConfigError> {
        let mut s = SectionsCfg::default();
        for (k, val) in self.map(path, v, Some(SECTIONS_KEYS))? {
            let mut p = path.to_vec();
            p.push(key(&k));
            match k.as_str() {
                "required" => s.required = Some(self.section_kinds(&p, val)?),
                "order" => s.order = Some(self.section_kinds(&p, val)?),
                _ => {
                    for (kind, names) in self.map(&p, val, None)? {
                        let kind_ = self.section_kind(&p, &kind, true)?;
                        let mut q = p.clone();
                        q.push(key(&kind));
                        s.aliases.insert(kind_, self.strings(&q, names)?);
                    }
                }
            }
        }
        Ok(s)
    }

    /// The keys shared by the top level and `overrides` entries.
    fn body_key(
        &self,
        body: &mut Body,
        k: &str,
        p: &[Seg],
        val: &Value,
    ) -> Result<(), ConfigError> {
        match k {
            "lang" => body.lang = Some(self.string(p, val)?),
            "rules" => body.rules = self.rules(p, val)?,
            "preset" => {
                let name = self.string(p, val)?;
                let names = crate::settings::PRESETS.iter().map(|p| p.name);
                body.preset = Some(crate::settings::preset(&name).ok_or_else(|| {
                    self.src.at_value(
                        p,
                        &name,
                        format!("unknown preset `{name}`"),
                        "unknown preset",
                        did_you_mean(&name, names.clone()).or_else(|| {
                            Some(format!("presets: {}", names.collect::<Vec<_>>().join(", ")))
                        }),
                    )
                })?);
            }
            "fields" => {
                let known = crate::settings::FIELDS.iter().map(|(f, _)| *f);
                let known: Vec<&str> = known.collect();
                for (field, key_val) in self.map(p, val, Some(&known))? {
                    let mut q = p.to_vec();
                    q.push(key(&field));
                    let file_key = self.string(&q, key_val)?;
                    if file_key.trim().is_empty() {
                        return Err(self.src.at_key(
                            &q,
                            format!("`{field}` must name a front matter key"),
                            "no key here",
                            Some(format!("for example `{field}: my_{field}`")),
                        ));
                    }
                    body.fields.insert(field, file_key.trim().to_string());
                }
            }
            "dates" => {
                let text = self.string(p, val)?;
                let names = crate::settings::DateOrder::NAMES;
                body.dates = Some(crate::settings::DateOrder::parse(&text).ok_or_else(|| {
                    self.src.at_value(
                        p,
                        &text,
                        format!("unknown date order `{text}`"),
                        "not a date order",
                        did_you_mean(&text, names).or_else(|| {
                            Some("use iso, mdy (MM/DD/YYYY) or dmy (DD/MM/YYYY)".into())
                        }),
                    )
                })?);
            }
            // The caller checked the key against the allowed list: this is `sections`.
            _ => body.sections = self.sections(p, val)?,
        }
        Ok(())
    }

    /// Reads the file's own keys; `extends` paths are returned for the caller to load.
    fn config(&self, v: &Value) -> Result<(Config, Vec<Extends>), ConfigError> {
        let mut config = Config::default();
        let mut extends = Vec::new();
        for (k, val) in self.map(&[], v, Some(TOP_KEYS))? {
            let p = vec![key(&k)];
            match k.as_str() {
                "include" => config.include = Some(self.globs(&p, val)?),
                "exclude" => config.exclude = Some(self.globs(&p, val)?),
                "packs" => {
                    let paths = self.strings(&p, val)?;
                    let paths = paths.iter().map(|s| self.src.dir.join(s)).collect();
                    config.packs = Some((paths, self.origin(&p)));
                }
                "extends" => {
                    for s in self.strings(&p, val)? {
                        extends.push((self.src.dir.join(&s), p.clone(), s));
                    }
                }
                "overrides" => {
                    let Value::Sequence(items) = val else {
                        return Err(self.wrong_type(&p, "a list of maps", val));
                    };
                    let mut overrides = Vec::new();
                    for (i, item) in items.iter().enumerate() {
                        let mut q = p.clone();
                        q.push(Seg::Index(i));
                        let mut body = Body::default();
                        let mut files = None;
                        for (k2, val2) in self.map(&q, item, Some(OVERRIDE_KEYS))? {
                            let mut r = q.clone();
                            r.push(key(&k2));
                            if k2 == "files" {
                                files = Some(self.globs(&r, val2)?);
                            } else {
                                self.body_key(&mut body, &k2, &r, val2)?;
                            }
                        }
                        let Some(files) = files else {
                            return Err(self.src.at_key(
                                &q,
                                "an `overrides` entry needs `files`".into(),
                                "no `files` here",
                                Some("add `files: [\"glob\", ...]`".into()),
                            ));
                        };
                        overrides.push(Override { files, body });
                    }
                    config.overrides = Some(overrides);
                }
                _ => self.body_key(&mut config.body, &k, &p, val)?,
            }
        }
        Ok((config, extends))
    }
}

/// The path shown for a file: relative to the working directory when it is below it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    crate::lint::display_path(path.strip_prefix(&cwd).unwrap_or(path))
}

/// Parses and validates one file's own keys.
fn read(src: &Arc<Source>) -> Result<(Config, Vec<Extends>), ConfigError> {
    let value: Value = match serde_yaml::from_str(&src.text) {
        Ok(v) => v,
        Err(e) => {
            let at = e.location().map_or(0, |l| l.index());
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            return Err(src.error(at..at, format!("invalid YAML: {message}"), "here", None));
        }
    };
    Reader {
        src: Arc::clone(src),
    }
    .config(&value)
}

/// Loads a configuration file and the files it extends (recursively), validated and merged.
fn load_chain(path: &Path, stack: &mut Vec<PathBuf>) -> Result<Config, ConfigError> {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = std::fs::read_to_string(&abs).map_err(|e| ConfigError::Read {
        path: shown(&abs),
        reason: crate::lint::io_reason(&e),
    })?;
    let src = Arc::new(Source {
        shown: shown(&abs),
        dir: abs.parent().map(Path::to_path_buf).unwrap_or_default(),
        text,
    });
    let (own, extends) = read(&src)?;
    stack.push(abs.clone());
    let mut merged = Config::default();
    for (base, at, written) in extends {
        let base_abs = std::path::absolute(&base).unwrap_or(base);
        if stack.contains(&base_abs) {
            return Err(src.at_value(
                &at,
                &written,
                format!("`extends` cycle: `{written}` extends this file again"),
                "cycle",
                None,
            ));
        }
        if !base_abs.is_file() {
            return Err(src.at_value(
                &at,
                &written,
                format!("`{written}` does not exist"),
                "no such file",
                None,
            ));
        }
        merged.merge(load_chain(&base_abs, stack)?);
    }
    stack.pop();
    merged.merge(own);
    Ok(merged)
}

// ---------------------------------------------------------------------------------------------
// Rule selection.

/// How specifically `selector` names the rule `(code, name, family)`: `None` when it does not.
fn specificity(selector: &str, code: &str, name: &str, family: &str) -> Option<usize> {
    if selector.eq_ignore_ascii_case("all") {
        return Some(0);
    }
    if selector.eq_ignore_ascii_case(code) || selector.eq_ignore_ascii_case(name) {
        return Some(usize::MAX);
    }
    let letters = selector.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = &selector[letters.len()..];
    (!letters.is_empty()
        && letters.eq_ignore_ascii_case(family)
        && code[family.len().min(code.len())..].starts_with(digits))
    .then_some(selector.len())
}

fn best(selectors: &[&str], rule: &dyn Rule) -> Option<usize> {
    let m = rule.meta();
    selectors
        .iter()
        .filter_map(|s| specificity(s, m.code, m.name, m.family()))
        .max()
}

/// One layer of select / ignore / severity, as plain text.
#[derive(Debug, Clone, Default)]
struct Layer {
    select: Option<Vec<String>>,
    ignore: Vec<String>,
    severity: Vec<(String, Severity)>,
    /// Whether the preview group is on (`None`: as the layers before say).
    preview: Option<bool>,
}

impl From<&RulesLayer> for Layer {
    fn from(r: &RulesLayer) -> Self {
        let texts = |v: &Vec<Selector>| v.iter().map(|s| s.text.clone()).collect::<Vec<_>>();
        Self {
            select: r.select.as_ref().map(texts),
            ignore: r.ignore.as_ref().map(texts).unwrap_or_default(),
            severity: r
                .severity
                .values()
                .map(|(s, sev)| (s.text.clone(), *sev))
                .collect(),
            preview: r.preview,
        }
    }
}

/// The rules in force after the layers, with their severities. A rule of the preview group is
/// on only when a layer turns `preview` on or selects the rule by its exact code or name.
fn select(all: &[Arc<dyn Rule>], layers: &[Layer]) -> Vec<(Arc<dyn Rule>, Severity)> {
    let preview = layers.iter().rev().find_map(|l| l.preview) == Some(true);
    all.iter()
        .filter_map(|rule| {
            let named = layers.iter().any(|l| {
                l.select.as_ref().is_some_and(|sel| {
                    let sel: Vec<&str> = sel.iter().map(String::as_str).collect();
                    best(&sel, rule.as_ref()) == Some(usize::MAX)
                })
            });
            if rule.meta().is_preview() && !preview && !named {
                return None;
            }
            let mut on = true;
            let mut severity = rule.meta().severity;
            for layer in layers {
                let ignore: Vec<&str> = layer.ignore.iter().map(String::as_str).collect();
                let ig = best(&ignore, rule.as_ref());
                on = match &layer.select {
                    Some(select) => {
                        let sel: Vec<&str> = select.iter().map(String::as_str).collect();
                        best(&sel, rule.as_ref()).is_some_and(|s| ig.map_or(true, |i| s > i))
                    }
                    None => on && ig.is_none(),
                };
                let sev = layer
                    .severity
                    .iter()
                    .filter_map(|(s, sev)| {
                        let m = rule.meta();
                        specificity(s, m.code, m.name, m.family()).map(|n| (n, *sev))
                    })
                    .max_by_key(|(n, _)| *n);
                if let Some((_, sev)) = sev {
                    severity = sev;
                }
            }
            on.then(|| (Arc::clone(rule), severity))
        })
        .collect()
}

/// Whether a selector names at least one rule; an error message with a suggestion when not.
fn check_selector(text: &str, all: &[Arc<dyn Rule>]) -> Result<(), (String, Option<String>)> {
    if all.iter().any(|r| {
        let m = r.meta();
        specificity(text, m.code, m.name, m.family()).is_some()
    }) {
        return Ok(());
    }
    let candidates = all.iter().flat_map(|r| [r.meta().code, r.meta().name]);
    Err((
        format!("unknown rule `{text}`"),
        did_you_mean(text, candidates),
    ))
}

/// The rule an `options` key names: a code or name, not a prefix.
fn find_rule<'a>(text: &str, all: &'a [Arc<dyn Rule>]) -> Option<&'a Arc<dyn Rule>> {
    all.iter().find(|r| {
        r.meta().code.eq_ignore_ascii_case(text) || r.meta().name.eq_ignore_ascii_case(text)
    })
}

/// Builds a built-in rule with options; the error text when they do not fit.
fn build_with(code: &str, options: &Value) -> Option<Result<Arc<dyn Rule>, String>> {
    let Some(entry) = crate::rules::builtin().find(|e| e.meta.code == code) else {
        // A shipped pack rule with options (EN004's `allow`).
        return crate::packs::build_with_options(code, options).map(|r| r.map(Arc::from));
    };
    Some((entry.build)(Some(options)).map(Arc::from))
}

// ---------------------------------------------------------------------------------------------
// Resolving the configuration of each file.

/// The command line's layer: `--select`, `--ignore`, `--severity`.
#[derive(Debug, Clone, Default)]
pub(crate) struct CliRules {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: Vec<String>,
    /// `--preview`: turn on the rules of the preview group.
    pub preview: bool,
}

/// The rule packs a configuration file names (after `extends`) and the directory their
/// relative paths resolve against; for `sopkit rules`, `explain` and `rules test`.
pub(crate) fn configured_packs(
    path: &Path,
) -> Result<Option<(Vec<PathBuf>, PathBuf)>, ConfigError> {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let config = load_chain(&abs, &mut Vec::new())?;
    Ok(config
        .packs
        .map(|(paths, origin)| (paths, origin.src.dir.clone())))
}

/// A loaded configuration and the rules that exist under it (built-in and packs).
struct Loaded {
    config: Config,
    all: Vec<Arc<dyn Rule>>,
}

enum Mode {
    Discover,
    Fixed(Option<usize>),
}

/// Finds and caches each file's configuration and builds one profile per distinct effective
/// configuration.
pub(crate) struct Resolver {
    mode: Mode,
    loaded: Vec<Loaded>,
    by_file: HashMap<PathBuf, usize>,
    by_dir: HashMap<PathBuf, Option<usize>>,
    /// `--select`, `--ignore`, `--severity`: checked against the rules of each profile, so
    /// that codes of a configuration's own packs are accepted.
    cli: CliRules,
    profiles: Vec<Profile>,
    profile_keys: HashMap<(Option<usize>, Vec<usize>), usize>,
    defaults: Vec<Arc<dyn Rule>>,
}

impl Resolver {
    /// `config`: `--config FILE`; `no_config`: `--no-config`.
    pub(crate) fn new(
        config: Option<&Path>,
        no_config: bool,
        cli: &CliRules,
    ) -> Result<Self, ConfigError> {
        let defaults = crate::lint::default_rules();
        let cli = cli.clone();
        let mut r = Self {
            mode: Mode::Discover,
            loaded: Vec::new(),
            by_file: HashMap::new(),
            by_dir: HashMap::new(),
            cli,
            profiles: Vec::new(),
            profile_keys: HashMap::new(),
            defaults,
        };
        if no_config {
            r.mode = Mode::Fixed(None);
        } else if let Some(path) = config {
            let i = r.load(path)?;
            r.mode = Mode::Fixed(Some(i));
        }
        Ok(r)
    }

    fn load(&mut self, path: &Path) -> Result<usize, ConfigError> {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(&i) = self.by_file.get(&abs) {
            return Ok(i);
        }
        let config = load_chain(&abs, &mut Vec::new())?;
        let mut all = self.defaults.clone();
        if let Some((paths, origin)) = &config.packs {
            let user = crate::packs::load(paths, &origin.src.dir)?;
            all.extend(user.into_iter().map(Arc::from));
        }
        validate_codes(&config, &all)?;
        self.loaded.push(Loaded { config, all });
        let i = self.loaded.len() - 1;
        self.by_file.insert(abs, i);
        Ok(i)
    }

    /// The configuration governing a directory: the nearest file walking up.
    fn config_of_dir(&mut self, dir: &Path) -> Result<Option<usize>, ConfigError> {
        if let Some(found) = self.by_dir.get(dir) {
            return Ok(*found);
        }
        let here = FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file());
        let found = match here {
            Some(path) => Some(self.load(&path)?),
            None => match dir.parent() {
                Some(parent) => self.config_of_dir(parent)?,
                None => None,
            },
        };
        self.by_dir.insert(dir.to_path_buf(), found);
        Ok(found)
    }

    fn config_of(&mut self, file: &Path) -> Result<Option<usize>, ConfigError> {
        match self.mode {
            Mode::Fixed(i) => Ok(i),
            Mode::Discover => {
                let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
                match abs.parent() {
                    Some(dir) => self.config_of_dir(dir),
                    None => Ok(None),
                }
            }
        }
    }

    /// Whether a file found by walking a directory is excluded by its configuration's
    /// `include` / `exclude` (files named on the command line are always linted).
    pub(crate) fn excluded(&mut self, file: &Path) -> Result<bool, ConfigError> {
        let Some(i) = self.config_of(file)? else {
            return Ok(false);
        };
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let c = &self.loaded[i].config;
        Ok(c.exclude.as_ref().is_some_and(|g| g.matches(&abs))
            || c.include.as_ref().is_some_and(|g| !g.matches(&abs)))
    }

    /// Whether a file found by walking a directory is linted: when its configuration sets
    /// `include`, the files that match it, whatever their extension (`*.html.md.erb`); else
    /// Markdown files (`.md`, `.markdown`). Never a file that `exclude` matches.
    pub(crate) fn walked(&mut self, file: &Path) -> Result<bool, ConfigError> {
        let has_include = match self.config_of(file)? {
            Some(i) => self.loaded[i].config.include.is_some(),
            None => false,
        };
        if !has_include && !is_markdown(file) {
            return Ok(false);
        }
        Ok(!self.excluded(file)?)
    }

    /// The patterns that select files under `dir` when walking it: its configuration's
    /// `include` (or the Markdown default) and `exclude`, for a "no files matched" message.
    pub(crate) fn patterns_of(&mut self, dir: &Path) -> Result<Vec<String>, ConfigError> {
        let probe = dir.join("probe.md");
        let config = self.config_of(&probe)?.map(|i| &self.loaded[i].config);
        let mut out: Vec<String> = match config.and_then(|c| c.include.as_ref()) {
            Some(g) => g.patterns.clone(),
            None => MARKDOWN_PATTERNS.iter().map(|p| (*p).to_string()).collect(),
        };
        if let Some(g) = config.and_then(|c| c.exclude.as_ref()) {
            out.extend(g.patterns.iter().map(|p| format!("!{p}")));
        }
        Ok(out)
    }

    /// The profile (index into the final linter's profiles) of a file.
    pub(crate) fn profile_of(
        &mut self,
        file: &Path,
        settings: &Settings,
    ) -> Result<usize, ConfigError> {
        let config = self.config_of(file)?;
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let overrides: Vec<usize> = config
            .and_then(|i| self.loaded[i].config.overrides.as_ref())
            .map(|o| {
                o.iter()
                    .enumerate()
                    .filter(|(_, o)| o.files.matches(&abs))
                    .map(|(i, _)| i)
                    .collect()
            })
            .unwrap_or_default();
        let k = (config, overrides);
        if let Some(&p) = self.profile_keys.get(&k) {
            return Ok(p);
        }
        let profile = self.build_profile(k.0, &k.1, settings)?;
        self.profiles.push(profile);
        let p = self.profiles.len() - 1;
        self.profile_keys.insert(k, p);
        Ok(p)
    }

    fn build_profile(
        &self,
        config: Option<usize>,
        overrides: &[usize],
        base: &Settings,
    ) -> Result<Profile, ConfigError> {
        let Some(ci) = config else {
            let cli = cli_layer(&self.cli, &self.defaults)?;
            let rules = select(&self.defaults, std::slice::from_ref(&cli));
            return Ok(profile(rules, base.clone(), &self.defaults));
        };
        let loaded = &self.loaded[ci];
        let cli = cli_layer(&self.cli, &loaded.all)?;
        let mut body = loaded.config.body.clone();
        // The command line's selection replaces the configuration's; `overrides` still apply
        // to the files they match; `--severity` comes last.
        let mut layers = vec![
            Layer::from(&body.rules),
            Layer {
                severity: Vec::new(),
                ..cli.clone()
            },
        ];
        for &o in overrides {
            if let Some(ov) = loaded.config.overrides.as_ref().and_then(|v| v.get(o)) {
                layers.push(Layer::from(&ov.body.rules));
                body.merge(ov.body.clone());
            }
        }
        layers.push(Layer {
            severity: cli.severity,
            ..Layer::default()
        });

        let mut settings = base.clone();
        if let Some(lang) = &body.lang {
            settings.parse.default_lang = Some(lang.clone());
        }
        if let Some(required) = &body.sections.required {
            settings.required_sections = required.clone();
        }
        if let Some(order) = &body.sections.order {
            settings.section_order = order.clone();
        }
        settings.metadata = body.metadata();
        for (kind, names) in &body.sections.aliases {
            settings
                .parse
                .aliases
                .extend(*kind, names.iter().map(String::as_str));
        }

        // Rules with configured options are rebuilt; the others are shared.
        let mut all = loaded.all.clone();
        for (written, (value, origin)) in &body.rules.options {
            let Some(rule) = find_rule(written, &loaded.all) else {
                continue;
            };
            let code = rule.meta().code;
            if let Some(built) = build_with(code, value) {
                let built = built.map_err(|e| options_error(origin, written, code, &e))?;
                if let Some(slot) = all.iter_mut().find(|r| r.meta().code == code) {
                    *slot = built;
                }
            }
        }
        let rules = select(&all, &layers);
        Ok(profile(rules, settings, &all))
    }

    /// The linter of every profile handed out so far.
    pub(crate) fn into_linter(self) -> crate::lint::Linter {
        crate::lint::Linter {
            profiles: self.profiles,
        }
    }
}

fn profile(
    rules: Vec<(Arc<dyn Rule>, Severity)>,
    settings: Settings,
    all: &[Arc<dyn Rule>],
) -> Profile {
    let active = rules
        .into_iter()
        .map(|(rule, severity)| ActiveRule { rule, severity })
        .collect();
    Profile::new(active, settings, all)
}

fn options_error(origin: &Origin, written: &str, code: &str, e: &str) -> ConfigError {
    let e = e.split(" at line ").next().unwrap_or(e);
    origin.src.at_key(
        &origin.path,
        format!("invalid options for `{written}`: {e}"),
        "invalid options",
        Some(format!("`sopkit explain {code}` lists the options")),
    )
}

/// Checks every rule code in the configuration (and the files it extends) and builds every
/// configured rule's options once, so that mistakes are errors even for unselected rules.
fn validate_codes(config: &Config, all: &[Arc<dyn Rule>]) -> Result<(), ConfigError> {
    let mut bodies = vec![&config.body];
    if let Some(o) = &config.overrides {
        bodies.extend(o.iter().map(|o| &o.body));
    }
    for body in bodies {
        let r = &body.rules;
        let selectors = r
            .select
            .iter()
            .flatten()
            .chain(r.ignore.iter().flatten())
            .chain(r.severity.values().map(|(s, _)| s));
        for s in selectors {
            if let Err((message, help)) = check_selector(&s.text, all) {
                let in_key = matches!(s.origin.path.last(), Some(Seg::Key(k)) if *k == s.text);
                let err = if in_key {
                    s.origin
                        .src
                        .at_key(&s.origin.path, message, "unknown rule", help)
                } else {
                    s.origin
                        .src
                        .at_value(&s.origin.path, &s.text, message, "unknown rule", help)
                };
                return Err(err);
            }
        }
        for (written, (value, origin)) in &r.options {
            let Some(rule) = find_rule(written, all) else {
                let candidates = all.iter().flat_map(|r| [r.meta().code, r.meta().name]);
                return Err(origin.src.at_key(
                    &origin.path,
                    format!("unknown rule `{written}`"),
                    "unknown rule",
                    did_you_mean(written, candidates),
                ));
            };
            let code = rule.meta().code;
            match build_with(code, value) {
                Some(Err(e)) => return Err(options_error(origin, written, code, &e)),
                Some(Ok(_)) => {}
                None => {
                    return Err(origin.src.at_key(
                        &origin.path,
                        format!("rule `{code}` has no options"),
                        "no options",
                        None,
                    ))
                }
            }
        }
    }
    Ok(())
}

fn cli_layer(cli: &CliRules, all: &[Arc<dyn Rule>]) -> Result<Layer, ConfigError> {
    let check = |flag: &'static str, v: &str| {
        check_selector(v, all).map_err(|(message, help)| ConfigError::Flag {
            flag,
            value: v.to_string(),
            message,
            help,
        })
    };
    let clean = |v: &[String]| -> Vec<String> {
        v.iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let select = clean(&cli.select);
    let ignore = clean(&cli.ignore);
    for s in &select {
        check("--select", s)?;
    }
    for s in &ignore {
        check("--ignore", s)?;
    }
    let mut severity = Vec::new();
    for item in clean(&cli.severity) {
        let Some((code, level)) = item.split_once('=') else {
            return Err(ConfigError::Flag {
                flag: "--severity",
                value: item.clone(),
                message: "expected CODE=LEVEL".into(),
                help: Some("for example `--severity P002=error`".into()),
            });
        };
        check("--severity", code.trim())?;
        let Some(sev) = Severity::parse(level) else {
            return Err(ConfigError::Flag {
                flag: "--severity",
                value: item.clone(),
                message: format!("unknown severity `{}`", level.trim()),
                help: Some("use error, warning or info".into()),
            });
        };
        severity.push((code.trim().to_string(), sev));
    }
    Ok(Layer {
        select: (!select.is_empty()).then_some(select),
        ignore,
        severity,
        preview: cli.preview.then_some(true),
    })
}

/// Codes used in the configuration that no known rule has, for tests.
#[cfg(test)]
fn codes_of(all: &[Arc<dyn Rule>]) -> std::collections::BTreeSet<&str> {
    all.iter().map(|r| r.meta().code).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_block_and_flow_keys() {
        let text = "lang: en\nrules:\n  select: [P, E]\n  severity:\n    P002: error\noverrides:\n  - files: [a]\n    rules: { ignore: [P003] }\n";
        let (span, _) = locate_path(text, &[key("rules"), key("severity"), key("P002")]);
        assert_eq!(&text[span], "P002");
        let (span, region) = locate_path(
            text,
            &[key("overrides"), Seg::Index(0), key("rules"), key("ignore")],
        );
        assert_eq!(&text[span.clone()], "ignore");
        assert_eq!(text[..span.start].matches('\n').count(), 7);
        assert!(find_token(text, &region, "P003", false).is_some());
        let (span, region) = locate_path(text, &[key("rules"), key("select")]);
        assert_eq!(&text[span], "select");
        assert_eq!(&text[find_token(text, &region, "E", false).unwrap()], "E");
    }

    #[test]
    fn specificity_orders_selectors() {
        assert_eq!(specificity("all", "P004", "step-numbering", "P"), Some(0));
        assert_eq!(specificity("P", "P004", "step-numbering", "P"), Some(1));
        assert_eq!(specificity("P00", "P004", "step-numbering", "P"), Some(3));
        assert_eq!(
            specificity("step-numbering", "P004", "step-numbering", "P"),
            Some(usize::MAX)
        );
        assert_eq!(specificity("E", "EN001", "x", "EN"), None);
        assert_eq!(specificity("P01", "P004", "x", "P"), None);
    }

    #[test]
    fn more_specific_selector_wins_within_a_layer() {
        let all = crate::lint::default_rules();
        let codes = codes_of(&all);
        assert!(codes.contains("M001"));
        let layer = Layer {
            select: Some(vec!["M".into()]),
            ignore: vec!["all".into()],
            severity: vec![
                ("M".into(), Severity::Info),
                ("M001".into(), Severity::Warning),
            ],
            preview: None,
        };
        let on = select(&all, &[layer]);
        let m001 = on.iter().find(|(r, _)| r.meta().code == "M001").unwrap();
        assert_eq!(m001.1, Severity::Warning);
        assert!(on.iter().all(|(r, _)| r.meta().family() == "M"));
        let off = select(
            &all,
            &[Layer {
                select: None,
                ignore: vec!["M001".into()],
                severity: vec![],
                preview: None,
            }],
        );
        assert!(off.iter().all(|(r, _)| r.meta().code != "M001"));
        let stable = all.iter().filter(|r| !r.meta().is_preview()).count();
        assert_eq!(off.len(), stable - 1);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(text in "(\\PC|\n| |-|:|\\[|\\]|\\{|\\}|rules|select|ignore|severity|options|overrides|files|sections|aliases){0,60}") {
            let src = Arc::new(Source { shown: "sopkit.yaml".into(), text: text.clone(), dir: PathBuf::from("/") });
            if let Ok((config, _)) = read(&src) {
                let _ = validate_codes(&config, &crate::lint::default_rules());
            }
            for path in [vec![key("rules"), key("select")], vec![key("overrides"), Seg::Index(1), key("rules")]] {
                let (found, region) = locate_path(&text, &path);
                assert!(found.end <= text.len() && region.end <= text.len());
                let _ = src.at_value(&path, "P001", String::new(), "", None);
            }
        }
    }

    #[test]
    fn maps_merge_and_lists_replace() {
        let mut base: Value = serde_yaml::from_str("a: {x: 1, y: [1, 2]}\nb: 1").unwrap();
        let child: Value = serde_yaml::from_str("a: {y: [3]}\nc: 2").unwrap();
        merge_value(&mut base, child);
        let want: Value = serde_yaml::from_str("a: {x: 1, y: [3]}\nb: 1\nc: 2").unwrap();
        assert_eq!(base, want);
    }
}
