use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use miette::IntoDiagnostic;

use super::ExitStatus;
use crate::cli::{LintArgs, OutputFormat};
use crate::lint::{Diagnostic, FileReport, Input, Linter, Summary};
use crate::output::{self, Run};
use crate::rule::Severity;
use crate::settings::Settings;

pub(super) fn run(args: LintArgs) -> miette::Result<ExitStatus> {
    let started = Instant::now();
    let inputs = collect_inputs(&args)?;
    let linter = Linter::with_defaults(Settings::default());
    let mut reports = linter.run(inputs);
    let io_errors = surface_file_errors(&mut reports);
    let summary = Summary::of(&reports);
    let stdout = std::io::stdout();
    let is_tty = stdout.is_terminal();
    let format = args.format.unwrap_or(if is_tty {
        OutputFormat::Human
    } else {
        OutputFormat::Concise
    });
    let color = is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let run = Run {
        reports: &reports,
        summary,
        elapsed: started.elapsed(),
        color,
        fixes_applied: None,
    };
    let mut out = stdout.lock();
    output::write(format, &run, &mut out).into_diagnostic()?;
    out.flush().into_diagnostic()?;
    Ok(exit_status(&summary, io_errors, args.max_warnings))
}

fn exit_status(summary: &Summary, io_errors: usize, max_warnings: Option<usize>) -> ExitStatus {
    if io_errors > 0 {
        ExitStatus::Error
    } else if summary.errors > 0 || max_warnings.is_some_and(|m| summary.warnings > m) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// Files that could not be linted become error diagnostics, so that every format shows them.
fn surface_file_errors(reports: &mut [FileReport]) -> usize {
    let mut n = 0;
    for r in reports.iter_mut() {
        if let Some(e) = &r.error {
            n += 1;
            r.diagnostics.insert(
                0,
                Diagnostic {
                    path: e.path.clone(),
                    line: e.line,
                    column: e.column,
                    end_line: e.line,
                    end_column: e.column,
                    code: "IO".into(),
                    name: "unreadable-file".into(),
                    severity: Severity::Error,
                    message: e.message.clone(),
                    help: None,
                    span: 0..0,
                    fix: None,
                },
            );
        }
    }
    n
}

fn collect_inputs(args: &LintArgs) -> miette::Result<Vec<Input>> {
    let mut inputs = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    for path in &args.paths {
        if path.as_os_str() == "-" {
            let mut buf = Vec::new();
            let bytes = std::io::stdin()
                .read_to_end(&mut buf)
                .map(|_| buf)
                .map_err(|e| format!("cannot read standard input: {e}"));
            let name = args.stdin_filename.clone().unwrap_or_else(|| "<stdin>".into());
            inputs.push(Input { path: name, bytes });
        } else if path.is_dir() {
            files.extend(walk(path));
        } else {
            files.push(path.clone());
        }
    }
    files.sort();
    files.dedup();
    inputs.extend(files.iter().map(|p| Input::read(p)));
    Ok(inputs)
}

/// Markdown files under `dir`, honouring .gitignore (in or out of a git repository).
pub(crate) fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in ignore::WalkBuilder::new(dir).require_git(false).build().flatten() {
        let p = entry.path();
        if entry.file_type().is_some_and(|t| t.is_file()) && is_markdown(p) {
            out.push(p.to_path_buf());
        }
    }
    out
}

fn is_markdown(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
        Some("md" | "markdown")
    )
}

