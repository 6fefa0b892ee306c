//! `--format github`: GitHub Actions workflow commands, which GitHub shows as annotations on
//! the pull request: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE name::message`.

use std::io::{self, Write};

use super::Run;
use crate::rule::Severity;

pub(super) fn write(run: &Run<'_>, out: &mut dyn Write) -> io::Result<()> {
    for d in run.diagnostics() {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&super::escape_control(&d.path)),
            d.line,
            d.column,
            d.end_line,
            d.end_column,
            escape_property(&format!("{} {}", d.code, d.name)),
            escape_data(&d.message),
        )?;
    }
    Ok(())
}

/// Escapes a command's message, as the Actions runner's `toCommandValue` does.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as data, plus the `:` and `,` that delimit properties.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_runner() {
        assert_eq!(
            escape_data("100% done\r\nnext: a,b"),
            "100%25 done%0D%0Anext: a,b"
        );
        assert_eq!(escape_property("C:\\x,y%\n"), "C%3A\\x%2Cy%25%0A");
    }
}
