//! Renderers: one module per output format. Only these know about lines and columns.

use std::io::{self, Write};
use std::time::Duration;

use crate::lint::{Diagnostic, FileReport, Summary};
use crate::rule::{Applicability, RuleMeta};

mod concise;
mod escape;
mod github;
mod human;
mod json;
mod junit;
mod sarif;
mod statistics;

pub use escape::escape_control;
pub use statistics::write_statistics;

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Rich reports with the source underlined (default on a terminal).
    Human,
    /// One line per diagnostic: `path:line:col: severity[CODE] message`.
    Concise,
    /// A JSON array of diagnostics.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML: one test suite per file, one test case per diagnostic.
    Junit,
}

/// Everything a renderer may show.
pub struct Run<'a> {
    pub reports: &'a [FileReport],
    pub summary: Summary,
    pub elapsed: Duration,
    pub color: bool,
    /// Fixes applied, when `--fix` ran.
    pub fixes_applied: Option<usize>,
    /// Whether unsafe fixes were allowed (`--fix-unsafe`).
    pub unsafe_fixes: bool,
    /// `--max-warnings`, so that the summary can say why the run fails.
    pub max_warnings: Option<usize>,
    /// The rules in force (built-in and pack rules), for formats that describe them (SARIF).
    pub rules: Vec<&'a RuleMeta>,
}

impl Run<'_> {
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.reports.iter().flat_map(|r| r.diagnostics.iter())
    }
}

pub fn write(format: OutputFormat, run: &Run<'_>, out: &mut dyn Write) -> io::Result<()> {
    match format {
        OutputFormat::Human => human::write(run, out),
        OutputFormat::Concise => concise::write(run, out),
        OutputFormat::Json => json::write(run, out),
        OutputFormat::Sarif => sarif::write(run, out),
        OutputFormat::Github => github::write(run, out),
        OutputFormat::Junit => junit::write(run, out),
    }
}

/// Writes a whole report: the findings in `format` (or the per-rule counts with
/// `statistics`) to `out`, then the summary line. Human output ends with its summary on `out`;
/// every other format keeps `out` machine-readable and ends with the summary as one line on
/// `err`.
pub fn write_report(
    format: OutputFormat,
    statistics: bool,
    run: &Run<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    if statistics {
        write_statistics(run, out)?;
    } else {
        write(format, run, out)?;
    }
    out.flush()?;
    if statistics || format != OutputFormat::Human {
        writeln!(err, "{}", summary_line(run))?;
        err.flush()?;
    }
    Ok(())
}

/// "3 errors, 1 warning, 2 notes in 5 files (0.02 s)", then what `--fix` did or could do and
/// why `--max-warnings` fails the run: "…; 2 fixes applied; 1 more with --fix-unsafe".
pub fn summary_line(run: &Run<'_>) -> String {
    let s = run.summary;
    let mut counts = vec![plural(s.errors, "error"), plural(s.warnings, "warning")];
    if s.infos > 0 {
        counts.push(plural(s.infos, "note"));
    }
    let mut line = format!(
        "{} in {} ({:.2} s)",
        counts.join(", "),
        plural(s.files, "file"),
        run.elapsed.as_secs_f64()
    );
    let available = |safe: bool| fixes_available(run.reports, safe);
    match run.fixes_applied {
        Some(n) => line.push_str(&format!("; {} applied", plural(n, "fix"))),
        None => match available(true) {
            0 => {}
            n => line.push_str(&format!("; {n} fixable with --fix")),
        },
    }
    if !run.unsafe_fixes {
        match available(false) {
            0 => {}
            n if run.fixes_applied.is_some() || available(true) > 0 => {
                line.push_str(&format!("; {n} more with --fix-unsafe"));
            }
            n => line.push_str(&format!("; {n} fixable with --fix-unsafe")),
        }
    }
    if let Some(max) = run.max_warnings.filter(|&m| s.warnings > m) {
        line.push_str(&format!(
            "; failing: {} is more than --max-warnings {max} allows",
            plural(s.warnings, "warning")
        ));
    }
    line
}

/// How many findings of `reports` carry a safe fix (`safe`) or an unsafe one (`!safe`).
pub fn fixes_available(reports: &[FileReport], safe: bool) -> usize {
    reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| !f.edits.is_empty() && (f.applicability == Applicability::Safe) == safe)
        .count()
}

/// "1 error", "2 errors": English plurals of a count.
pub(crate) fn plural(n: usize, word: &str) -> String {
    let suffix = match (n, word.ends_with('x')) {
        (1, _) => "",
        (_, true) => "es",
        (_, false) => "s",
    };
    format!("{n} {word}{suffix}")
}
