//! One document linted as `sopkit lint FILE` lints it: the configuration found for its path by
//! the CLI's own [`Resolver`] (walking up to the nearest `sopkit.yaml`, `extends`, packs,
//! `overrides`), the same linter, and the same diagnostics, converted to LSP's UTF-16 ranges.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use lsp_types::{DiagnosticSeverity, NumberOrString, Position, Range};

use super::text::Lines;
use super::workspace::{OpenSummaries, Root};
use crate::config::{CliRules, ConfigError, Resolver};
use crate::document::{DocSummary, Document};
use crate::lint::{Diagnostic, Input, Linter};
use crate::rule::Severity;
use crate::settings::Settings;

/// The diagnostic code of a configuration that cannot be used.
pub(crate) const CONFIG_CODE: &str = "config";

/// A configuration that cannot be used: where (the file, 1-based line and column) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfigProblem {
    pub file: Option<PathBuf>,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A file's linter and profile, and whether its configuration excludes it; or why its
/// configuration cannot be used.
type Resolved = Result<(Arc<Linter>, usize, bool), ConfigProblem>;

/// The linter and profile of each file path, built once per path until a configuration file
/// changes.
#[derive(Default)]
pub(crate) struct Configs {
    cache: Mutex<HashMap<PathBuf, Resolved>>,
}

impl Configs {
    /// Forgets every configuration (a `sopkit.yaml` changed).
    pub(crate) fn clear(&self) {
        lock(&self.cache).clear();
    }

    /// The linter of a file and the index of its profile, as `sopkit lint FILE` would build it,
    /// and whether the configuration excludes the file (`exclude`, or an `include` it misses,
    /// as a directory walk of `sopkit lint` would skip it).
    pub(crate) fn linter_for(&self, path: &Path) -> Resolved {
        if let Some(r) = lock(&self.cache).get(path) {
            return r.clone();
        }
        let resolved = resolve(path);
        lock(&self.cache).insert(path.to_path_buf(), resolved.clone());
        resolved
    }
}

/// A mutex guard even when a panicking request poisoned the lock (the map stays consistent:
/// every write is one insert or clear).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn resolve(path: &Path) -> Resolved {
    let mut resolver =
        Resolver::new(None, false, &CliRules::default()).map_err(|e| problem(e, path))?;
    let excluded = !resolver.walked(path).map_err(|e| problem(e, path))?;
    let profile = resolver
        .profile_of(path, &Settings::default())
        .map_err(|e| problem(e, path))?;
    Ok((Arc::new(resolver.into_linter()), profile, excluded))
}

/// The nearest configuration file of a path, walking up as the CLI does.
pub(crate) fn nearest_config(path: &Path) -> Option<PathBuf> {
    path.ancestors().skip(1).find_map(|dir| {
        crate::config::FILE_NAMES
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
    })
}

fn problem(e: ConfigError, path: &Path) -> ConfigProblem {
    let cwd = std::env::current_dir().unwrap_or_default();
    match &e {
        ConfigError::Invalid(located) => ConfigProblem {
            file: Some(cwd.join(&located.path)),
            line: located.line,
            column: located.column,
            message: located.message.clone(),
        },
        _ => ConfigProblem {
            file: nearest_config(path),
            line: 1,
            column: 1,
            message: e.to_string(),
        },
    }
}

/// What linting one version of a document found.
pub(crate) struct Analysis {
    pub version: i32,
    pub path: PathBuf,
    pub text: Arc<String>,
    /// As `sopkit lint` reports them (fixes included), sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The parsed document (sections, roles, front matter), when it could be parsed.
    pub document: Option<Document>,
    pub config: Option<ConfigProblem>,
    /// The configuration problem as a diagnostic on its file, when it has one.
    pub config_file: Option<(PathBuf, lsp_types::Diagnostic)>,
    /// The linter and profile used, for fix-all.
    pub linter: Option<(Arc<Linter>, usize)>,
    /// The configuration excludes the file: nothing is reported.
    pub excluded: bool,
    /// What the cross-document rules read of this version, when it is a file of a workspace
    /// folder and could be parsed.
    pub summary: Option<Arc<DocSummary>>,
    /// The workspace folder whose files the cross-document rules compared, if any.
    pub root: Option<PathBuf>,
}

/// The workspace around a document: its folder, scanned, and the open documents' summaries.
pub(crate) struct Beside {
    pub root: Arc<Root>,
    pub open: OpenSummaries,
}

/// The path shown for a file: relative to the working directory when below it, as the CLI
/// shows the paths it is given.
pub(crate) fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    crate::lint::display_path(path.strip_prefix(&cwd).unwrap_or(path))
}

/// Lints one version of a document: as `sopkit lint FOLDER` lints it when it is one of the
/// files of a scanned workspace folder, else as `sopkit lint FILE`.
pub(crate) fn analyse(
    path: &Path,
    text: Arc<String>,
    version: i32,
    configs: &Configs,
    beside: Option<&Beside>,
) -> Analysis {
    let mut a = Analysis {
        version,
        path: path.to_path_buf(),
        text: Arc::clone(&text),
        diagnostics: Vec::new(),
        document: None,
        config: None,
        config_file: None,
        linter: None,
        excluded: false,
        summary: None,
        root: None,
    };
    if let Some(b) = beside {
        if let Some(walked) = b.root.files.get(path) {
            let linter = Arc::clone(&b.root.linter);
            let others = b.root.others(&[path], &b.open);
            let (diagnostics, document) = lint_with(
                &linter,
                walked.profile,
                path,
                text.as_bytes().to_vec(),
                others,
            );
            a.summary = document.as_ref().map(|d| Arc::new(DocSummary::of(d)));
            a.diagnostics = diagnostics;
            a.document = document;
            a.linter = Some((linter, walked.profile));
            a.root = Some(b.root.dir.clone());
            return a;
        }
    }
    let (linter, profile, excluded) = match configs.linter_for(path) {
        Ok(l) => l,
        Err(p) => {
            a.config_file = p.file.as_ref().map(|file| {
                let text = std::fs::read_to_string(file).unwrap_or_default();
                (
                    file.clone(),
                    config_diagnostic(&p, Some(&Lines::new(&text))),
                )
            });
            a.config = Some(p);
            return a;
        }
    };
    if excluded {
        a.excluded = true;
        return a;
    }
    let (diagnostics, document) =
        lint_with(&linter, profile, path, text.as_bytes().to_vec(), Vec::new());
    a.diagnostics = diagnostics;
    a.document = document;
    a.linter = Some((linter, profile));
    a
}

/// The diagnostics of `sopkit lint` for one file's bytes, the cross-document rules comparing it
/// with the `others` of the workspace, and the parsed document (without what only per-file
/// rules read); a file that cannot be linted (binary, nested too deep) gives the `IO`
/// diagnostic the CLI prints.
pub(crate) fn lint_with(
    linter: &Linter,
    profile: usize,
    path: &Path,
    bytes: Vec<u8>,
    others: Vec<DocSummary>,
) -> (Vec<Diagnostic>, Option<Document>) {
    let input = Input {
        path: shown(path),
        bytes: Ok(bytes),
    };
    let Some(report) = linter.run_beside(vec![(input, profile)], others).pop() else {
        return (Vec::new(), None);
    };
    let diagnostics = match report.error {
        Some(e) => vec![e.to_diagnostic()],
        None => report.diagnostics,
    };
    (diagnostics, report.document.map(|d| *d))
}

/// The LSP position of a 1-based line and character column.
pub(crate) fn position_of(lines: &Lines, line: usize, column: usize) -> Position {
    let line = line.saturating_sub(1);
    let text = lines.line_text(line);
    let units: usize = text
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf16)
        .sum();
    Position::new(line as u32, units as u32)
}

/// A lint diagnostic as LSP sends it: same code, message and severity; the range in UTF-16.
pub(crate) fn to_lsp(d: &Diagnostic, lines: &Lines) -> lsp_types::Diagnostic {
    let range = if d.code == "IO" {
        let p = position_of(lines, d.line, d.column);
        Range::new(p, p)
    } else {
        lines.range(&d.span)
    };
    let fix = d.fix.as_ref().map(|f| match f.applicability {
        crate::rule::Applicability::Safe => "safe",
        crate::rule::Applicability::Unsafe => "unsafe",
    });
    lsp_types::Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.clone())),
        code_description: None,
        source: Some("sopkit".into()),
        message: d.message.clone(),
        related_information: None,
        tags: None,
        data: Some(serde_json::json!({ "name": d.name, "help": d.help, "fix": fix })),
    }
}

pub(crate) fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// A configuration problem as a diagnostic: at its place in the configuration file
/// (`in_config`), or at the top of a document it keeps from being linted.
pub(crate) fn config_diagnostic(p: &ConfigProblem, lines: Option<&Lines>) -> lsp_types::Diagnostic {
    let (range, message) = match lines {
        Some(lines) => {
            let p0 = position_of(lines, p.line, p.column);
            (Range::new(p0, p0), p.message.clone())
        }
        None => {
            let at = p
                .file
                .as_deref()
                .map(|f| format!("{}:{}:{}: ", shown(f), p.line, p.column))
                .unwrap_or_default();
            (
                Range::new(Position::new(0, 0), Position::new(0, 0)),
                format!(
                    "not linted: the configuration cannot be used: {at}{}",
                    p.message
                ),
            )
        }
    };
    lsp_types::Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String(CONFIG_CODE.into())),
        source: Some("sopkit".into()),
        message,
        ..Default::default()
    }
}

impl Analysis {
    /// The diagnostics to send for this document.
    pub(crate) fn lsp_diagnostics(&self) -> Vec<lsp_types::Diagnostic> {
        if let Some(p) = &self.config {
            return vec![config_diagnostic(p, None)];
        }
        let lines = Lines::new(&self.text);
        self.diagnostics.iter().map(|d| to_lsp(d, &lines)).collect()
    }
}
