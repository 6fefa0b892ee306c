//! `--statistics`: how many findings each rule produced, most frequent first.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::Run;
use crate::rule::Severity;

/// ((code, name, severity), count).
type Row<'a> = ((&'a str, &'a str, Severity), usize);

/// Writes one line per rule that fired: count, code, name and severity, sorted by count
/// (descending) then code, in aligned columns:
///
/// ```text
///  12  P001  step-mood        warning
///   3  E004  escalation-loop  error
/// ```
pub fn write_statistics(run: &Run<'_>, out: &mut dyn Write) -> io::Result<()> {
    // Keyed by (code, name, severity): a rule whose severity was overridden in part of the
    // tree is counted once per severity.
    let mut counts: BTreeMap<(&str, &str, Severity), usize> = BTreeMap::new();
    for d in run.diagnostics() {
        *counts.entry((&d.code, &d.name, d.severity)).or_default() += 1;
    }
    let mut rows: Vec<Row<'_>> = counts.into_iter().collect();
    rows.sort_by(|(a, n), (b, m)| m.cmp(n).then_with(|| a.cmp(b)));
    let width = |f: fn(&Row<'_>) -> usize| rows.iter().map(f).max().unwrap_or(0);
    let count_w = width(|(_, n)| n.to_string().len());
    let code_w = width(|((c, _, _), _)| c.chars().count());
    let name_w = width(|((_, n, _), _)| n.chars().count());
    for ((code, name, severity), n) in &rows {
        writeln!(
            out,
            "{n:>count_w$}  {code:<code_w$}  {name:<name_w$}  {severity}"
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::lint::{Diagnostic, FileReport, Summary};

    fn diag(code: &str, name: &str, severity: Severity) -> Diagnostic {
        Diagnostic {
            path: "a.md".into(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            code: code.into(),
            name: name.into(),
            severity,
            message: "m".into(),
            help: None,
            span: 0..1,
            fix: None,
        }
    }

    #[test]
    fn sorted_by_count_then_code_in_aligned_columns() {
        let diagnostics = vec![
            diag("P007", "vague-words", Severity::Warning),
            diag("E008", "invalid-contact", Severity::Error),
            diag("P001", "step-mood", Severity::Warning),
            diag("P007", "vague-words", Severity::Warning),
            diag("E008", "invalid-contact", Severity::Error),
            diag("E008", "invalid-contact", Severity::Error),
            diag("P001", "step-mood", Severity::Warning),
            diag("SUP001", "unused-suppression", Severity::Info),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, mut d)| {
            d.line += i;
            d
        })
        .collect();
        let reports = vec![FileReport {
            path: "a.md".into(),
            document: None,
            source: None,
            diagnostics,
            error: None,
        }];
        let run = Run {
            summary: Summary::of(&reports),
            reports: &reports,
            elapsed: Duration::ZERO,
            color: false,
            fixes_applied: None,
            unsafe_fixes: false,
            max_warnings: None,
            rules: Vec::new(),
        };
        let mut out = Vec::new();
        write_statistics(&run, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "3  E008    invalid-contact     error\n\
             2  P001    step-mood           warning\n\
             2  P007    vague-words         warning\n\
             1  SUP001  unused-suppression  info\n"
        );
    }
}
