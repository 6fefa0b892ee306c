use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = sopkit::cli::Cli::parse();
    match sopkit::commands::run(cli) {
        Ok(status) => status.into(),
        Err(report) => {
            // A closed pipe (`sopkit lint | head`) is not an error.
            if let Some(io) = report.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
    }
}
