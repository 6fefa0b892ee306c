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
//!
//! Parts: `read` (one file's keys, typed, into a [`Config`]), `select` (which rules a layer
//! turns on), `resolve` (each linted file's configuration and profile); loading and merging
//! files is here.

mod read;
mod resolve;
mod select;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::GlobSet;
use serde_yaml::Value;

use crate::document::SectionKind;
use crate::rule::Severity;
use crate::yaml::{LocatedError, Seg};

pub(crate) use resolve::{CliRules, Resolver};

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

/// Why a configuration could not be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    /// A located problem in a configuration file.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<LocatedError>),
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

impl From<Box<LocatedError>> for ConfigError {
    fn from(e: Box<LocatedError>) -> Self {
        Self::Invalid(e)
    }
}

/// One configuration file: its text for error reports, and the directory its relative paths
/// and globs resolve against.
#[derive(Debug)]
struct File {
    src: crate::yaml::Source,
    dir: PathBuf,
}

// ---------------------------------------------------------------------------------------------
// The parsed configuration.

/// A configured value with the file and place that set it, for later errors.
#[derive(Debug, Clone)]
struct Origin {
    file: Arc<File>,
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
// Loading a file and the files it extends.

/// The path shown for a file: relative to the working directory when it is below it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    crate::input::display_path(path.strip_prefix(&cwd).unwrap_or(path))
}

/// How many files an `extends` chain may go through, the first included: deeper chains are
/// a mistake (or an attack on the stack), not a configuration.
pub(crate) const MAX_EXTENDS_DEPTH: usize = 64;

/// Loads a configuration file and the files it extends (recursively), validated and merged.
/// Each file is loaded once however often it is extended (a diamond of bases stays linear);
/// files are told apart by their canonical path, so a cycle through `..` or a symbolic link
/// is a cycle.
fn load_chain(path: &Path) -> Result<Config, ConfigError> {
    Chain::default().load(path)
}

/// The files being loaded, outermost first (canonical paths), and the files already loaded.
#[derive(Default)]
struct Chain {
    stack: Vec<PathBuf>,
    loaded: std::collections::HashMap<PathBuf, Config>,
    /// Files read so far (each at most once).
    reads: usize,
}

impl Chain {
    fn load(&mut self, path: &Path) -> Result<Config, ConfigError> {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        // The guarded reader of inputs: size cap, no FIFO or device, UTF-8.
        let (_, text) = crate::input::read_text(&abs).map_err(|e| ConfigError::Read {
            path: shown(&abs),
            reason: e.error.reason(),
        })?;
        let file = Arc::new(File {
            src: crate::yaml::Source::new(crate::yaml::FileKind::Config, shown(&abs), text),
            dir: abs.parent().map(Path::to_path_buf).unwrap_or_default(),
        });
        self.reads += 1;
        let (own, extends) = read::read(&file)?;
        let canonical = abs.canonicalize().unwrap_or_else(|_| abs.clone());
        self.stack.push(canonical);
        let mut merged = Config::default();
        for (base, at, written) in extends {
            let base_abs = std::path::absolute(&base).unwrap_or(base);
            let error = |message: String, label: &str, help: Option<String>| -> ConfigError {
                file.src
                    .at_value(&at, &written, message, label, help)
                    .into()
            };
            let base_canonical = match base_abs.canonicalize() {
                Ok(p) if p.is_file() => p,
                _ => {
                    return Err(error(
                        format!("`{written}` does not exist"),
                        "no such file",
                        None,
                    ))
                }
            };
            if self.stack.contains(&base_canonical) {
                return Err(error(
                    format!("`extends` cycle: `{written}` extends this file again"),
                    "cycle",
                    None,
                ));
            }
            if let Some(done) = self.loaded.get(&base_canonical) {
                merged.merge(done.clone());
                continue;
            }
            if self.stack.len() >= MAX_EXTENDS_DEPTH {
                return Err(error(
                    format!(
                        "`extends` goes more than {MAX_EXTENDS_DEPTH} files deep at `{written}`"
                    ),
                    "too deep",
                    Some("merge some of the base files into one".into()),
                ));
            }
            let base_config = self.load(&base_abs)?;
            self.loaded.insert(base_canonical, base_config.clone());
            merged.merge(base_config);
        }
        self.stack.pop();
        merged.merge(own);
        Ok(merged)
    }
}

/// The rule packs a configuration file names (after `extends`) and the directory their
/// relative paths resolve against; for `sopkit rules`, `explain` and `rules test`.
pub(crate) fn configured_packs(
    path: &Path,
) -> Result<Option<(Vec<PathBuf>, PathBuf)>, ConfigError> {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let config = load_chain(&abs)?;
    Ok(config
        .packs
        .map(|(paths, origin)| (paths, origin.file.dir.clone())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_merge_and_lists_replace() {
        let mut base: Value = serde_yaml::from_str("a: {x: 1, y: [1, 2]}\nb: 1").unwrap();
        let child: Value = serde_yaml::from_str("a: {y: [3]}\nc: 2").unwrap();
        merge_value(&mut base, child);
        let want: Value = serde_yaml::from_str("a: {x: 1, y: [3]}\nb: 1\nc: 2").unwrap();
        assert_eq!(base, want);
    }

    /// Forty levels of a diamond (each file extends the next level twice, once through `..`)
    /// read each file once: 41 reads, not 2^40.
    #[test]
    fn a_diamond_of_bases_reads_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        for i in 0..40 {
            let next = format!("c{}.yaml", i + 1);
            let text = format!("extends: [{next}, ../sub/{next}]\n");
            std::fs::write(sub.join(format!("c{i}.yaml")), text).unwrap();
        }
        std::fs::write(sub.join("c40.yaml"), "rules:\n  ignore: [M001]\n").unwrap();
        let mut chain = Chain::default();
        chain.load(&sub.join("c0.yaml")).unwrap();
        assert_eq!(chain.reads, 41);
    }
}
