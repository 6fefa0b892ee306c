use std::io::Write;

use miette::IntoDiagnostic;

use super::ExitStatus;
use crate::cli::ExportArgs;
use crate::config::{CliRules, Resolver};
use crate::document::parse;
use crate::lint::read_text;
use crate::settings::Settings;

pub(super) fn run(args: ExportArgs) -> miette::Result<ExitStatus> {
    if args.file.is_dir() {
        let example = super::lint::walk(&args.file).into_iter().min();
        eprintln!(
            "error: {} is a directory: `sopkit export` takes one SOP file{}",
            crate::lint::display_path(&args.file),
            example.map_or(String::new(), |f| format!(
                ", such as `sopkit export {}`",
                crate::lint::display_path(&f)
            ))
        );
        return Ok(ExitStatus::Error);
    }
    // Parse as `lint` would: the file's sopkit.yaml gives its aliases and default language.
    let mut resolver = Resolver::new(None, false, &CliRules::default())?;
    let profile = resolver.profile_of(&args.file, &Settings::default())?;
    let linter = resolver.into_linter();
    let (path, source) = match read_text(&args.file) {
        Ok(read) => read,
        Err(e) => {
            eprintln!("{}:{}:{}: error: {}", e.path, e.line, e.column, e.message);
            return Ok(ExitStatus::Error);
        }
    };
    let doc = parse(&path, source, &linter.profiles[profile].settings.parse);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, &doc).into_diagnostic()?;
    writeln!(out).into_diagnostic()?;
    out.flush().into_diagnostic()?;
    Ok(ExitStatus::Success)
}
