//! `site build`: the portal (the work is in `crate::site`).

use super::ExitStatus;
use crate::cli::{SiteBuildArgs, SiteCommand};
use crate::config::{CliRules, Resolver};
use crate::site::{self, Request, SiteError};

pub(super) fn run(command: SiteCommand) -> miette::Result<ExitStatus> {
    let SiteCommand::Build(args) = command;
    build(args)
}

fn build(args: SiteBuildArgs) -> miette::Result<ExitStatus> {
    let resolver = Resolver::new(args.config.as_deref(), false, &CliRules::default())?;
    let output = args.output.clone();
    let request = Request {
        input: args.input,
        output: args.output,
        previous: args.previous,
        key: args.key,
        config: args.config.clone(),
    };
    match site::build(request, resolver) {
        Ok(built) => {
            for line in &built.findings {
                println!("{line}");
            }
            println!(
                "built {} ({}, {}); lint: {}, {}, {}",
                crate::lint::display_path(&output),
                crate::output::plural(built.documents, "procedure"),
                crate::output::plural(built.files, "file"),
                crate::output::plural(built.errors, "error"),
                crate::output::plural(built.warnings, "warning"),
                crate::output::plural(built.infos, "note"),
            );
            Ok(ExitStatus::Success)
        }
        Err(SiteError::Refused(lines)) => {
            for line in &lines {
                eprintln!("{line}");
            }
            Ok(ExitStatus::Failure)
        }
        Err(SiteError::Failed(message)) => {
            eprintln!("error: {message}");
            Ok(ExitStatus::Error)
        }
    }
}
