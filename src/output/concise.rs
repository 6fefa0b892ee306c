//! `path:line:col: severity[CODE] message` — one line per diagnostic, for editors and grep.

use std::io::{self, Write};

use super::{escape_control, Run};

pub(super) fn write(run: &Run<'_>, out: &mut dyn Write) -> io::Result<()> {
    for d in run.diagnostics() {
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            escape_control(&d.path),
            d.line,
            d.column,
            d.severity,
            d.code,
            escape_control(&d.message)
        )?;
    }
    Ok(())
}
