//! `--format junit`: JUnit XML for CI test reporters. One `<testsuite>` per file (named by its
//! path), one failing `<testcase>` per diagnostic (the failure's `type` is the rule code), and
//! one passing test case for a file without findings. No times, so output is reproducible.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::Run;

pub(super) fn write(run: &Run<'_>, out: &mut dyn Write) -> io::Result<()> {
    let total_failures: usize = run.reports.iter().map(|r| r.diagnostics.len()).sum();
    let total_tests: usize = run.reports.iter().map(|r| r.diagnostics.len().max(1)).sum();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"sopkit\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"0\">"
    );
    for report in run.reports {
        let path = escape(&report.path);
        let failures = report.diagnostics.len();
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
            failures.max(1)
        );
        if report.diagnostics.is_empty() {
            let _ = writeln!(
                xml,
                "    <testcase name=\"sopkit lint\" classname=\"{path}\" file=\"{path}\"/>"
            );
        }
        for d in &report.diagnostics {
            let _ = writeln!(
                xml,
                "    <testcase name=\"{} {} at line {}, column {}\" classname=\"{path}\" file=\"{path}\" line=\"{}\">",
                escape(&d.code),
                escape(&d.name),
                d.line,
                d.column,
                d.line,
            );
            let mut body = format!(
                "{}:{}:{}: {}[{}] {}",
                d.path, d.line, d.column, d.severity, d.code, d.message
            );
            if let Some(help) = &d.help {
                body.push_str("\nhelp: ");
                body.push_str(help);
            }
            let _ = writeln!(
                xml,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                escape(&d.message),
                escape(&d.code),
                escape(&body),
            );
            xml.push_str("    </testcase>\n");
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

/// Escapes text for an XML 1.0 attribute or element. Characters XML 1.0 cannot hold at all
/// (most C0 controls) become U+FFFD; line breaks in attributes become character references so
/// that parsers do not normalise them to spaces.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_invalid_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\n\u{1}é"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;&#10;\u{fffd}é"
        );
    }
}
