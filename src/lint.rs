//! The lint run: read files, parse each once, run every rule, gather sorted diagnostics.

use std::sync::Arc;

use rayon::prelude::*;

use crate::document::{parse, DocSummary, Document, LineIndex};
use crate::input::{decode, too_deep, LinkResolver};
// Re-exported where the library's users have found them: `sopkit::lint::{Input, Diagnostic}`.
pub use crate::input::{display_path, FileError, Input, ReadError, MAX_FILE_SIZE, MAX_NESTING};
pub use crate::rule::Diagnostic;
use crate::rule::{Context, Finding, Rule, RuleMeta, Severity};
use crate::settings::Settings;

/// What the run produced for one file.
#[derive(Debug)]
pub struct FileReport {
    pub path: String,
    /// The parsed document, without what only the per-file rules read (prose blocks, steps,
    /// revisions); parse the source again for the whole model.
    pub document: Option<Box<Document>>,
    /// Without a document (a lean run, [`Linter::run_lean`]), the source text, for renderers.
    pub source: Option<Box<str>>,
    pub diagnostics: Vec<Diagnostic>,
    pub error: Option<FileError>,
}

impl FileReport {
    /// The report of a file that could not be linted.
    fn unreadable(path: String, error: ReadError) -> Self {
        Self {
            error: Some(FileError {
                path: path.clone(),
                error,
            }),
            path,
            document: None,
            source: None,
            diagnostics: Vec::new(),
        }
    }

    /// The source text of a parsed file (of its document, or kept without it).
    pub fn source(&self) -> Option<&str> {
        match &self.document {
            Some(doc) => Some(&doc.source),
            None => self.source.as_deref(),
        }
    }
}

/// A rule in force, with the severity it reports at. Rules are shared between profiles.
pub struct ActiveRule {
    pub rule: Arc<dyn Rule>,
    pub severity: Severity,
}

/// The rules and settings in force for a group of files (one effective configuration).
pub struct Profile {
    pub rules: Vec<ActiveRule>,
    pub settings: Settings,
    /// Every rule a suppression comment may name: (code, name, enabled here).
    pub known: Vec<(String, String, bool)>,
}

impl Profile {
    /// A profile of the given rules; `all` lists every rule that exists (enabled or not).
    pub fn new(rules: Vec<ActiveRule>, settings: Settings, all: &[Arc<dyn Rule>]) -> Self {
        let known = all
            .iter()
            .map(|r| {
                let m = r.meta();
                let enabled = rules.iter().any(|a| a.rule.meta().code == m.code);
                (m.code.to_string(), m.name.to_string(), enabled)
            })
            .collect();
        Self {
            rules,
            settings,
            known,
        }
    }

    fn active(&self, code: &str) -> Option<&ActiveRule> {
        self.rules.iter().find(|a| a.rule.meta().code == code)
    }
}

/// Every built-in rule with default options, and the shipped pack rules (not the rules that
/// only `bundle build` checks).
pub fn default_rules() -> Vec<Arc<dyn Rule>> {
    let mut rules: Vec<Arc<dyn Rule>> = crate::rules::builtin()
        .filter(|e| !e.meta.bundle_only)
        .map(|e| Arc::from((e.build)(None).expect("default options always parse")))
        .collect();
    rules.extend(crate::packs::shipped_rules().into_iter().map(Arc::from));
    rules
}

/// The rules of a run, grouped in profiles (one per distinct effective configuration).
pub struct Linter {
    pub profiles: Vec<Profile>,
}

impl Linter {
    /// Every built-in rule with default options and severities.
    pub fn with_defaults(settings: Settings) -> Self {
        let all = default_rules();
        let rules = all
            .iter()
            .map(|rule| ActiveRule {
                severity: rule.meta().severity,
                rule: Arc::clone(rule),
            })
            .collect();
        Self {
            profiles: vec![Profile::new(rules, settings, &all)],
        }
    }

    /// The rules in force in any profile, each once, in registry order.
    pub fn rule_metas(&self) -> Vec<&RuleMeta> {
        let mut seen = std::collections::BTreeSet::new();
        self.profiles
            .iter()
            .flat_map(|p| p.rules.iter().map(|a| a.rule.meta()))
            .filter(|m| seen.insert(&*m.code))
            .collect()
    }

    /// Lints a set of files with the first profile.
    pub fn run(&self, inputs: Vec<Input>) -> Vec<FileReport> {
        self.run_profiles(inputs.into_iter().map(|i| (i, 0)).collect())
    }

    /// Lints a set of files, each with its profile (an index into `profiles`): each parsed once
    /// in parallel, then the cross-document rules over all of them, then the suppressions.
    /// Reports come back sorted by path; diagnostics by line, column and code.
    pub fn run_profiles(&self, inputs: Vec<(Input, usize)>) -> Vec<FileReport> {
        self.run_beside(inputs, Vec::new())
    }

    /// [`Self::run_profiles`], the cross-document rules also comparing the summaries of other
    /// documents of the run that are not linted again nor reported (the language server's
    /// workspace files).
    pub fn run_beside(
        &self,
        inputs: Vec<(Input, usize)>,
        others: Vec<DocSummary>,
    ) -> Vec<FileReport> {
        let paths: Vec<String> = inputs.iter().map(|(i, _)| i.path.clone()).collect();
        let items = inputs.into_iter().map(|(i, p)| (i.path.clone(), i, p));
        self.run_all(paths, items.collect(), |i| i, others, Keep::Document)
    }

    /// Lints a set of files, each read by `load` within the parallel work on it (so that its
    /// bytes are freed as soon as it is parsed), keeping of each only its source text (for
    /// renderers) and its diagnostics: the documents are dropped once their file is done.
    /// Items are (shown path, what `load` reads, profile).
    pub fn run_lean<T: Send>(
        &self,
        items: Vec<(String, T, usize)>,
        load: impl Fn(T) -> Input + Sync,
    ) -> Vec<FileReport> {
        let paths = items.iter().map(|(path, _, _)| path.clone()).collect();
        self.run_all(paths, items, load, Vec::new(), Keep::Source)
    }

    fn run_all<T: Send>(
        &self,
        paths: Vec<String>,
        items: Vec<(String, T, usize)>,
        load: impl Fn(T) -> Input + Sync,
        others: Vec<DocSummary>,
        keep: Keep,
    ) -> Vec<FileReport> {
        let files = LinkResolver::for_paths(
            paths
                .iter()
                .map(String::as_str)
                .chain(others.iter().map(|s| s.path.as_str())),
        );
        drop(paths);
        let mut linted: Vec<Linted<'_>> = items
            .into_par_iter()
            .map(|(_, item, p)| self.lint_one(load(item), p, &files, keep))
            .collect();
        linted.sort_by(|a, b| a.report.path.cmp(&b.report.path));

        // (report index, summary) of every parsed document.
        let mut all: Vec<(Option<usize>, DocSummary)> = linted
            .iter_mut()
            .enumerate()
            .filter_map(|(i, l)| l.summary.take().map(|s| (Some(i), *s)))
            .chain(others.into_iter().map(|s| (None, s)))
            .collect();
        all.sort_by(|a, b| a.1.path.cmp(&b.1.path));
        let (owners, summaries): (Vec<Option<usize>>, Vec<DocSummary>) = all.into_iter().unzip();
        // Each cross-document rule runs once, over every document; a finding is kept for the
        // documents whose profile enables the rule, at that profile's severity. Findings are
        // located (line and column) in the parallel pass below.
        let mut seen = std::collections::BTreeSet::new();
        for profile in &self.profiles {
            for active in &profile.rules {
                let code = &*active.rule.meta().code;
                if !seen.insert(code) {
                    continue;
                }
                let ctx = Context {
                    settings: &profile.settings,
                    files: &files,
                };
                for (doc_i, finding) in active.rule.check_all(&summaries, &ctx) {
                    let Some(&Some(report_i)) = owners.get(doc_i) else {
                        continue;
                    };
                    let l = &mut linted[report_i];
                    if let Some(mine) = self.profiles[l.profile].active(code) {
                        l.pending.push((mine, finding));
                    }
                }
            }
        }
        drop(summaries);
        linted.into_par_iter().map(|l| self.finish(l)).collect()
    }

    /// Locates a file's cross-document findings, applies its suppressions and sorts its
    /// diagnostics.
    fn finish(&self, l: Linted<'_>) -> FileReport {
        let Linted {
            mut report,
            profile,
            comments,
            pending,
            ..
        } = l;
        let profile = &self.profiles[profile];
        let built;
        let text = match (&report.document, &report.source) {
            (Some(doc), _) => Some(crate::suppress::Text::from(&**doc)),
            (None, Some(source)) => {
                // A lean report keeps no line index: one is cheap to build again when needed.
                built = (!pending.is_empty() || !comments.is_empty())
                    .then(|| crate::document::LineIndex::new(source));
                built.as_ref().map(|index| crate::suppress::Text {
                    source,
                    index,
                    comments: &comments,
                })
            }
            (None, None) => None,
        };
        if let Some(text) = text {
            let path: &str = &report.path;
            for (active, finding) in pending {
                let d = to_diagnostic(path, text.source, text.index, active, finding);
                report.diagnostics.push(d);
            }
            suppress(&mut report.diagnostics, path, text, profile);
        }
        sort_diagnostics(&mut report.diagnostics);
        report
    }

    /// Lints one file with the per-file rules: what the run keeps of it (the document, or only
    /// its source) and the summary the cross-document rules read.
    fn lint_one(&self, mut input: Input, p: usize, files: &LinkResolver, keep: Keep) -> Linted<'_> {
        let profile = &self.profiles[p];
        let ctx = Context {
            settings: &profile.settings,
            files,
        };
        let bytes = std::mem::replace(&mut input.bytes, Ok(Vec::new()));
        let unreadable = |path, error| Linted {
            report: FileReport::unreadable(path, error),
            summary: None,
            profile: p,
            comments: Vec::new(),
            pending: Vec::new(),
        };
        let source = match decode(bytes) {
            Ok(source) => match too_deep(&source) {
                None => source,
                Some(error) => return unreadable(input.path, error),
            },
            Err(error) => return unreadable(input.path, error),
        };
        let mut doc = parse(&input.path, source, &profile.settings.parse);
        let mut diagnostics = Vec::new();
        for active in &profile.rules {
            for finding in active.rule.check(&doc, &ctx) {
                let d = to_diagnostic(&doc.path, &doc.source, &doc.line_index, active, finding);
                diagnostics.push(d);
            }
        }
        let summary = DocSummary::of(&doc);
        // Kept until the run ends: no spare capacity (a file's findings grew by doubling).
        diagnostics.shrink_to_fit();
        let (document, source, comments) = match keep {
            // Only the per-file rules read the prose blocks, the steps and the revisions;
            // dropping them now keeps a run over thousands of files small, and fast: touching
            // fresh pages costs more than parsing (suppressions, renderers, fixes and bundles
            // read the rest; cross-document rules read the summary).
            Keep::Document => {
                doc.blocks = Vec::new();
                doc.steps = Vec::new();
                doc.revisions = Vec::new();
                (Some(Box::new(doc)), None, Vec::new())
            }
            Keep::Source => {
                let source = std::mem::take(&mut doc.source).into_boxed_str();
                (None, Some(source), std::mem::take(&mut doc.comments))
            }
        };
        Linted {
            report: FileReport {
                path: input.path,
                document,
                source,
                diagnostics,
                error: None,
            },
            summary: Some(Box::new(summary)),
            profile: p,
            comments,
            pending: Vec::new(),
        }
    }
}

/// What a run keeps of each file once its per-file work is done.
#[derive(Debug, Clone, Copy)]
enum Keep {
    /// The document (without what only the per-file rules read).
    Document,
    /// Only its source text, and its HTML comments until the suppressions are applied.
    Source,
}

/// A file between its per-file work and the end of the run.
struct Linted<'a> {
    report: FileReport,
    /// Boxed: a file's slot stays small once its summary has moved to the cross-document
    /// rules.
    summary: Option<Box<DocSummary>>,
    profile: usize,
    /// For [`Keep::Source`], the comments of the dropped document (suppressions).
    comments: Vec<crate::document::Spanned<String>>,
    /// Findings of the cross-document rules, not yet located.
    pending: Vec<(&'a ActiveRule, Finding)>,
}

/// Removes the suppressed diagnostics, adding the unused-suppression findings.
fn suppress(
    diagnostics: &mut Vec<Diagnostic>,
    path: &str,
    text: crate::suppress::Text<'_>,
    profile: &Profile,
) {
    let code = &*crate::rules::suppression::UnusedSuppression::META.code;
    let unused = profile.active(code);
    let known = crate::suppress::Known {
        rules: &profile.known,
    };
    let (source, index) = (text.source, text.index);
    let findings = crate::suppress::apply(text, diagnostics, &known, unused.map(|_| code));
    if let Some(active) = unused {
        for f in findings {
            diagnostics.push(to_diagnostic(path, source, index, active, f));
        }
    }
}

fn to_diagnostic(
    path: &str,
    source: &str,
    index: &LineIndex,
    active: &ActiveRule,
    finding: Finding,
) -> Diagnostic {
    let meta = active.rule.meta();
    let len = source.len();
    let span =
        finding.span.start.min(len)..finding.span.end.min(len).max(finding.span.start.min(len));
    let (line, column) = index.line_col(source, span.start);
    let (end_line, end_column) = index.line_col(source, span.end);
    Diagnostic {
        path: path.to_string(),
        line,
        column,
        end_line,
        end_column,
        code: meta.code.to_string(),
        name: meta.name.to_string(),
        severity: active.severity,
        message: finding.message,
        help: finding.help,
        span,
        fix: finding.fix,
    }
}

/// Sorts by position, then code. The sort is stable, so findings of one rule at one place keep
/// the order the rule gave them (rules are deterministic): "Purpose" before "Scope", not
/// alphabetical.
pub(crate) fn sort_diagnostics(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| (a.line, a.column, &a.code).cmp(&(b.line, b.column, &b.code)));
}

/// Counts of a run, for summaries and exit codes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
    pub skipped: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Self {
        let mut s = Self {
            files: reports.len(),
            ..Self::default()
        };
        for r in reports {
            if r.error.is_some() {
                s.skipped += 1;
            }
            for d in &r.diagnostics {
                match d.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                    Severity::Info => s.infos += 1,
                }
            }
        }
        s
    }
}
