use std::io::Write;

use miette::{Context, IntoDiagnostic};

use super::ExitStatus;
use crate::cli::ExportArgs;
use crate::document::parse;
use crate::lint::display_path;
use crate::settings::Settings;

pub(super) fn run(args: ExportArgs) -> miette::Result<ExitStatus> {
    let source = std::fs::read_to_string(&args.file)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot read {}", args.file.display()))?;
    let settings = Settings::default();
    let doc = parse(&display_path(&args.file), source, &settings.parse);
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &doc).into_diagnostic()?;
    writeln!(out).into_diagnostic()?;
    Ok(ExitStatus::Success)
}
