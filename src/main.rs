use std::process::ExitCode;

use clap::Parser;

// The linter allocates many small strings per file; mimalloc is markedly faster at that than
// the system allocator (measured: see scripts/bench-corpus.sh).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = sopkit::cli::Cli::parse();
    match sopkit::commands::run(cli) {
        Ok(status) => status.into(),
        Err(report) => {
            // A closed pipe (`sopkit lint | head`) is not an error. miette's `into_diagnostic`
            // hides the io::Error's type, so compare with the message of EPIPE.
            let broken_pipe = report.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
                    || (cfg!(unix)
                        && e.to_string() == std::io::Error::from_raw_os_error(32).to_string())
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
    }
}
