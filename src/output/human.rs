//! Rich reports through miette, grouped by file: a header line per file with its counts, then
//! each finding with the offending words underlined, its code and name, and a help line. Ends
//! with the summary line. Fixed width and (without colour) a plain theme, so output is stable.

use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

use super::{escape_control, plural, summary_line, Run};
use crate::rule::Diagnostic;
use crate::rule::Severity;

/// Reports are wrapped at this width whatever the terminal, so snapshots do not depend on it.
const WIDTH: usize = 100;

pub(super) fn write(run: &Run<'_>, out: &mut dyn Write) -> io::Result<()> {
    let theme = if run.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_links(false);
    for report in run.reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        writeln!(
            out,
            "{}",
            file_header(
                run.color,
                &escape_control(&report.path),
                &report.diagnostics
            )
        )?;
        // One shared copy of the source per file, not one per finding.
        let source = report
            .document
            .as_ref()
            .map(|d| std::sync::Arc::new(d.source.clone()));
        for d in &report.diagnostics {
            let mut rendered = String::new();
            let diag = to_miette(d);
            match &source {
                // A finding of a parsed file: show the source with the span underlined.
                Some(src)
                    if d.span.end <= src.len() && crate::yaml::fits_renderer(src, &d.span) =>
                {
                    let span = char_aligned(src, d.span.clone());
                    let diag = diag.with_label(LabeledSpan::at(span, d.name.clone()));
                    let named = NamedSource::new(escape_control(&d.path), src.clone());
                    let report = miette::Report::new(diag).with_source_code(named);
                    handler
                        .render_report(&mut rendered, report.as_ref())
                        .map_err(io::Error::other)?;
                }
                // A file that could not be read or parsed has no source to show, and a finding
                // too far right on its line cannot be underlined: say where.
                _ => {
                    let at = format!("at {}:{}:{}", escape_control(&d.path), d.line, d.column);
                    let diag = diag.with_help(match &d.help {
                        Some(h) => format!("{h}; {at}"),
                        None => at,
                    });
                    handler
                        .render_report(&mut rendered, &diag)
                        .map_err(io::Error::other)?;
                }
            }
            write!(out, "{rendered}")?;
            if !rendered.ends_with("\n\n") {
                writeln!(out)?;
            }
        }
    }
    writeln!(out, "{}", summary_line(run))
}

/// The span widened to whole characters: a rule bug must not make the renderer slice a
/// character in two.
fn char_aligned(src: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let mut start = span.start.min(src.len());
    while !src.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, src.len());
    while !src.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

fn to_miette(d: &Diagnostic) -> MietteDiagnostic {
    let mut diag = MietteDiagnostic::new(escape_control(&d.message).into_owned())
        .with_code(format!("{}({})", d.code, d.name))
        .with_severity(match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        });
    if let Some(help) = &d.help {
        diag = diag.with_help(help.clone());
    }
    diag
}

/// "sops/refund.md: 2 errors, 1 warning" (only the severities present), bold with colour.
fn file_header(color: bool, path: &str, diags: &[Diagnostic]) -> String {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let parts: Vec<String> = [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "note"),
    ]
    .into_iter()
    .filter_map(|(sev, word)| match count(sev) {
        0 => None,
        n => Some(plural(n, word)),
    })
    .collect();
    let line = format!("{path}: {}", parts.join(", "));
    if color {
        format!("\u{1b}[1m{line}\u{1b}[0m")
    } else {
        line
    }
}
