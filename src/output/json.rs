//! `--format json`: a stable JSON array of diagnostics, sorted by path, line, column and code.
//!
//! Each element is an object with exactly these fields (new fields may be added, none will be
//! renamed or removed):
//!
//! | field | type | meaning |
//! |---|---|---|
//! | `path` | string | the file as given on the command line (forward slashes, no leading `./`) |
//! | `line` | integer | 1-based line where the finding starts |
//! | `column` | integer | 1-based column where it starts, counted in Unicode characters |
//! | `end_line` | integer | 1-based line where it ends |
//! | `end_column` | integer | 1-based column just after its last character |
//! | `code` | string | the rule code, e.g. `"P001"` (`"IO"` for a file that could not be read) |
//! | `name` | string | the rule's kebab-case name, e.g. `"step-mood"` |
//! | `severity` | string | `"error"`, `"warning"` or `"info"` |
//! | `message` | string | what is wrong |
//! | `help` | string or null | how to fix it, when the rule says |
//!
//! A run without findings prints `[]`.

use std::io::{self, Write};

use super::Run;

pub(super) fn write(run: &Run<'_>, out: &mut dyn Write) -> io::Result<()> {
    let all: Vec<_> = run.diagnostics().collect();
    serde_json::to_writer_pretty(&mut *out, &all)?;
    writeln!(out)
}
