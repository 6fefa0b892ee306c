//! Renderers: one module per output format. Only these know about lines and columns.

use std::io::{self, Write};
use std::time::Duration;

use crate::cli::OutputFormat;
use crate::lint::{Diagnostic, FileReport, Summary};
use crate::rule::RuleMeta;

mod concise;
mod github;
mod human;
mod json;
mod junit;
mod sarif;
mod statistics;

pub use statistics::write_statistics;

/// Everything a renderer may show.
pub struct Run<'a> {
    pub reports: &'a [FileReport],
    pub summary: Summary,
    pub elapsed: Duration,
    pub color: bool,
    /// Fixes applied, when `--fix` ran.
    pub fixes_applied: Option<usize>,
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

/// "3 errors, 1 warning in 5 files (0.02 s)".
pub fn summary_line(run: &Run<'_>) -> String {
    let s = run.summary;
    let mut line = format!(
        "{}, {} in {} ({:.2} s)",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.files, "file"),
        run.elapsed.as_secs_f64()
    );
    if s.infos > 0 {
        line = format!("{}, {}", plural(s.infos, "note"), line);
    }
    if let Some(n) = run.fixes_applied {
        line.push_str(&format!("; {} applied", plural(n, "fix")));
    }
    line
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
