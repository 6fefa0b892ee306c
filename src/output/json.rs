//! A stable JSON array of diagnostics (documented in the README).

use std::io::{self, Write};

use super::Run;

pub(super) fn write(run: &Run<'_>, out: &mut dyn Write) -> io::Result<()> {
    let all: Vec<_> = run.diagnostics().collect();
    serde_json::to_writer_pretty(&mut *out, &all)?;
    writeln!(out)
}
