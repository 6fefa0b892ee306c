//! The lint run: read files, parse each once, run every rule, gather sorted diagnostics.

use std::sync::Arc;

use rayon::prelude::*;

use crate::document::{parse, DocSummary, Document};
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
    pub document: Option<Document>,
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
            diagnostics: Vec::new(),
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
        let paths = inputs.iter().map(|(i, _)| i.path.as_str());
        let files = LinkResolver::for_paths(paths.chain(others.iter().map(|s| s.path.as_str())));
        let mut reports: Vec<(FileReport, Option<DocSummary>, usize)> = inputs
            .into_par_iter()
            .map(|(input, p)| {
                let (report, summary) = self.lint_one(input, &self.profiles[p], &files);
                (report, summary, p)
            })
            .collect();
        reports.sort_by(|a, b| a.0.path.cmp(&b.0.path));

        // (report index, summary) of every parsed document.
        let mut all: Vec<(Option<usize>, DocSummary)> = reports
            .iter_mut()
            .enumerate()
            .filter_map(|(i, r)| r.1.take().map(|s| (Some(i), s)))
            .chain(others.into_iter().map(|s| (None, s)))
            .collect();
        all.sort_by(|a, b| a.1.path.cmp(&b.1.path));
        let (owners, summaries): (Vec<Option<usize>>, Vec<DocSummary>) = all.into_iter().unzip();
        let mut extra: Vec<(usize, Diagnostic)> = Vec::new();
        // Each cross-document rule runs once, over every document; a finding is kept for the
        // documents whose profile enables the rule, at that profile's severity.
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
                    let (report, _, p) = &reports[report_i];
                    let (Some(doc), Some(mine)) =
                        (&report.document, self.profiles[*p].active(code))
                    else {
                        continue;
                    };
                    extra.push((report_i, to_diagnostic(doc, mine, finding)));
                }
            }
        }
        for (i, d) in extra {
            reports[i].0.diagnostics.push(d);
        }
        reports
            .into_par_iter()
            .map(|(mut r, _, p)| {
                self.suppress(&mut r, &self.profiles[p]);
                sort_diagnostics(&mut r.diagnostics);
                r
            })
            .collect()
    }

    fn suppress(&self, report: &mut FileReport, profile: &Profile) {
        let Some(doc) = &report.document else {
            return;
        };
        let code = &*crate::rules::suppression::UnusedSuppression::META.code;
        let unused = profile.active(code);
        let known = crate::suppress::Known {
            rules: &profile.known,
        };
        let findings =
            crate::suppress::apply(doc, &mut report.diagnostics, &known, unused.map(|_| code));
        if let Some(active) = unused {
            for f in findings {
                report.diagnostics.push(to_diagnostic(doc, active, f));
            }
        }
    }

    /// Lints one file with the per-file rules: its report (with the document for renderers,
    /// suppressions, fixes and bundles) and the summary the cross-document rules read.
    fn lint_one(
        &self,
        mut input: Input,
        profile: &Profile,
        files: &LinkResolver,
    ) -> (FileReport, Option<DocSummary>) {
        let ctx = Context {
            settings: &profile.settings,
            files,
        };
        let bytes = std::mem::replace(&mut input.bytes, Ok(Vec::new()));
        let source = match decode(bytes) {
            Ok(source) => match too_deep(&source) {
                None => source,
                Some(error) => return (FileReport::unreadable(input.path, error), None),
            },
            Err(error) => return (FileReport::unreadable(input.path, error), None),
        };
        let mut doc = parse(&input.path, source, &profile.settings.parse);
        let mut diagnostics = Vec::new();
        for active in &profile.rules {
            for finding in active.rule.check(&doc, &ctx) {
                diagnostics.push(to_diagnostic(&doc, active, finding));
            }
        }
        let summary = DocSummary::of(&doc);
        // Only the per-file rules read the prose blocks, the steps and the revisions; dropping
        // them now keeps a run over thousands of files small, and fast: touching fresh pages
        // costs more than parsing (suppressions, renderers, fixes and bundles read the rest;
        // cross-document rules read the summary).
        doc.blocks = Vec::new();
        doc.steps = Vec::new();
        doc.revisions = Vec::new();
        let report = FileReport {
            path: input.path,
            document: Some(doc),
            diagnostics,
            error: None,
        };
        (report, Some(summary))
    }
}

fn to_diagnostic(doc: &Document, active: &ActiveRule, finding: Finding) -> Diagnostic {
    let meta = active.rule.meta();
    let len = doc.source.len();
    let span =
        finding.span.start.min(len)..finding.span.end.min(len).max(finding.span.start.min(len));
    let (line, column) = doc.line_col(span.start);
    let (end_line, end_column) = doc.line_col(span.end);
    Diagnostic {
        path: doc.path.clone(),
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
