//! Rich reports through miette: the offending words underlined, code, name and help.

use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

use super::{summary_line, Run};
use crate::rule::Severity;

pub(super) fn write(run: &Run<'_>, out: &mut dyn Write) -> io::Result<()> {
    let theme = if run.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    for report in run.reports {
        let source = report.document.as_ref().map(|d| d.source.as_str()).unwrap_or("");
        for d in &report.diagnostics {
            let mut diag = MietteDiagnostic::new(d.message.clone())
                .with_code(format!("{}({})", d.code, d.name))
                .with_severity(match d.severity {
                    Severity::Error => miette::Severity::Error,
                    Severity::Warning => miette::Severity::Warning,
                    Severity::Info => miette::Severity::Advice,
                });
            if let Some(help) = &d.help {
                diag = diag.with_help(help.clone());
            }
            let mut rendered = String::new();
            if report.document.is_some() {
                diag = diag.with_label(LabeledSpan::at(d.span.clone(), d.name.clone()));
                let named = NamedSource::new(&d.path, source.to_string());
                let with_src = miette::Report::new(diag).with_source_code(named);
                handler
                    .render_report(&mut rendered, with_src.as_ref())
                    .map_err(io::Error::other)?;
            } else {
                diag = diag.with_help(format!(
                    "{}at {}:{}:{}",
                    d.help.as_deref().map(|h| format!("{h}; ")).unwrap_or_default(),
                    d.path,
                    d.line,
                    d.column
                ));
                handler
                    .render_report(&mut rendered, &diag)
                    .map_err(io::Error::other)?;
            }
            writeln!(out, "{rendered}")?;
        }
    }
    writeln!(out, "{}", summary_line(run))
}
