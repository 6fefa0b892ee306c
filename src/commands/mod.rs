//! One module per subcommand; each returns an [`ExitStatus`] or an error for `main` to print.

use std::process::ExitCode;

use crate::cli::{Cli, Command};

mod authoring;
mod bundle;
mod export;
mod io;
mod lint;
mod rules;
mod sections;
mod site;

pub use export::parse_options_of;
pub use io::IoError;
pub use rules::explanation;

/// How a command ended: 0 clean, 1 findings or failed verification, 2 usage or I/O error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Success,
    Failure,
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> Self {
        match s {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}

pub fn run(cli: Cli) -> miette::Result<ExitStatus> {
    match cli.command {
        Command::Lint(args) => lint::run(args),
        Command::Rules(args) => rules::list(args),
        Command::Explain(args) => rules::explain(args),
        Command::Export(args) => export::run(args),
        Command::New(args) => authoring::new(args),
        Command::Init(args) => authoring::init(args),
        Command::Completions(args) => authoring::completions(args),
        Command::Bundle(command) => bundle::run(command),
        Command::Keygen(args) => bundle::keygen(args),
        Command::Sections(args) => sections::run(args),
        Command::Lsp => crate::lsp::run()
            .map(|()| ExitStatus::Success)
            .map_err(|e| miette::miette!("sopkit lsp: {e}")),
        Command::Site(command) => site::run(command),
    }
}
