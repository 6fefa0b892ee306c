//! YAML rule packs (DESIGN §4): shipped packs embedded in the binary, plus user packs.
//!
//! A pack is a YAML file with a name, a language and a list of lexical rules. Each rule's token
//! list compiles into ONE matcher when the pack is loaded (aho-corasick, or one regex for
//! `regex: true` rules), so a document is scanned once per rule, never once per token.
//!
//! - `format`: the file format (serde types);
//! - `load`: reading and validating a pack file, located errors;
//! - `check`: what a loaded rule checks ([`check::Check`], one variant per kind) and how;
//! - `acronym`: the `kind: acronym` check, which reads the whole document;
//! - `scope`: the text of a document each scope reads;
//! - `matcher`: the tokens of a rule compiled into one matcher;
//! - `docs`: a rule's documentation, with the headings of a built-in rule's doc comment.

mod acronym;
mod check;
mod docs;
mod format;
mod load;
mod matcher;
mod scope;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use serde::Deserialize;

use crate::document::SectionKind;
use crate::rule::{Context, Rule, RuleMeta};

use check::{Check, Spec};
pub use format::{Examples, Kind, Metric, Scope};
use load::{parse_pack, parse_shipped, Seen};
pub use load::{InvalidPack, PackError};

/// A shipped pack: (path as shown in errors, YAML, the YAML as JSON made by build.rs).
macro_rules! shipped {
    ($lang:literal, $name:literal) => {
        (
            concat!("rules/", $lang, "/", $name, ".yaml"),
            include_str!(concat!("../../rules/", $lang, "/", $name, ".yaml")),
            include_str!(concat!(env!("OUT_DIR"), "/", $lang, "-", $name, ".json")),
        )
    };
}

/// The packs shipped in the binary.
const SHIPPED: &[(&str, &str, &str)] = &[
    shipped!("en", "plain-words"),
    shipped!("en", "weasel"),
    shipped!("en", "passive"),
    shipped!("en", "acronyms"),
    shipped!("ms", "tense"),
    shipped!("id", "tense"),
    shipped!("hr", "tense"),
    shipped!("fi", "tense"),
];

/// Read once per process; each rule's matcher is compiled the first time a document in its
/// language needs it. The shipped packs are tested (`shipped_packs_compile`), so a failure here
/// is a build defect, not bad input.
///
/// The packs are read in parallel, each checked against the built-in codes only: that no two
/// shipped packs share a code is checked by `shipped_packs_compile`, which reads them in turn.
static SHIPPED_PACKS: LazyLock<Vec<Pack>> = LazyLock::new(|| {
    use rayon::prelude::*;
    SHIPPED
        .par_iter()
        .map(|(path, yaml, json)| {
            parse_shipped(path, yaml, json, &mut Seen::builtin())
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
            seen.add(&rule.meta.code, &rule.meta.name);
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
        let shown = crate::input::display_path(path.strip_prefix(&cwd).unwrap_or(&path));
        // The guarded reader of inputs: size cap, no FIFO or device, UTF-8.
        let (_, yaml) = crate::input::read_text(&path).map_err(|e| PackError::Read {
            path: shown.clone(),
            source: std::io::Error::other(e.error.reason()),
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
                path: crate::input::display_path(&path),
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
        .find(|r| r.meta.code == code && matches!(r.spec.check, Check::Acronym { .. }))?;
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
            .field("kind", &self.spec.check.kind())
            .field("scope", &self.spec.scope)
            .finish()
    }
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
            files: &crate::rule::NoFiles,
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
