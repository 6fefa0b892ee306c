use std::io::Write;
use std::path::Path;

use super::io::IntoDiagnostic;

use super::ExitStatus;
use crate::cli::ExportArgs;
use crate::config::{CliRules, Resolver};
use crate::document::{parse, ParseOptions};
use crate::input::read_text;
use crate::settings::Settings;

pub(super) fn run(args: ExportArgs) -> miette::Result<ExitStatus> {
    if args.file.is_dir() {
        let example = super::lint::walk(&args.file).into_iter().min();
        eprintln!(
            "error: {} is a directory: `sopkit export` takes one SOP file{}",
            crate::input::display_path(&args.file),
            example.map_or(String::new(), |f| format!(
                ", such as `sopkit export {}`",
                crate::input::display_path(&f)
            ))
        );
        return Ok(ExitStatus::Error);
    }
    let options = parse_options_of(&args.file)?;
    let (path, source) = match read_text(&args.file) {
        Ok(read) => read,
        Err(e) => {
            let (line, column) = e.error.position();
            eprintln!("{}:{line}:{column}: error: {}", e.path, e.error);
            return Ok(ExitStatus::Error);
        }
    };
    let doc = parse(&path, source, &options);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, &doc).into_diagnostic()?;
    writeln!(out).into_diagnostic()?;
    out.flush().into_diagnostic()?;
    Ok(ExitStatus::Success)
}

/// How `lint` parses `file`, and so `export`: its sopkit.yaml gives its aliases and default
/// language.
pub fn parse_options_of(file: &Path) -> miette::Result<ParseOptions> {
    let mut resolver = Resolver::new(None, false, &CliRules::default())?;
    let profile = resolver.profile_of(file, &Settings::default())?;
    let linter = resolver.into_linter();
    Ok(linter.profiles[profile].settings.parse.clone())
}
