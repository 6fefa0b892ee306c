use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, Parser};

// The linter allocates many small strings per file; mimalloc is markedly faster at that than
// the system allocator (measured: see scripts/bench-corpus.sh).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = match sopkit::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(mut e) => {
            suggest_top_level_command(&mut e);
            e.exit()
        }
    };
    let code = match sopkit::commands::run(cli) {
        Ok(status) => exit_code(status),
        Err(report) => {
            // A closed pipe (`sopkit lint | head`) is not an error.
            let broken_pipe = report.chain().any(|e| {
                let kind = e
                    .downcast_ref::<sopkit::commands::IoError>()
                    .map(sopkit::commands::IoError::kind)
                    .or_else(|| e.downcast_ref::<std::io::Error>().map(std::io::Error::kind));
                kind == Some(std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                0
            } else {
                eprintln!("{report:?}");
                2
            }
        }
    };
    // The output is written and flushed: end now, without running destructors (freeing every
    // report of a large run one by one costs time and changes nothing). `exit` still flushes
    // standard output.
    std::process::exit(code)
}

/// The process exit code of a command's status: 0, 1 (findings fail the run) or 2 (error).
fn exit_code(status: sopkit::commands::ExitStatus) -> i32 {
    match status {
        sopkit::commands::ExitStatus::Success => 0,
        sopkit::commands::ExitStatus::Failure => 1,
        sopkit::commands::ExitStatus::Error => 2,
    }
}

/// `sopkit bundle keygen` is a mistake for `sopkit keygen`: when an unknown subcommand is a
/// top-level command, say so (clap only suggests the nested commands that look alike).
fn suggest_top_level_command(e: &mut clap::Error) {
    if e.kind() != ErrorKind::InvalidSubcommand {
        return;
    }
    let Some(ContextValue::String(name)) = e.get(ContextKind::InvalidSubcommand) else {
        return;
    };
    if sopkit::cli::Cli::command().find_subcommand(name).is_some() {
        let suggestion = format!("sopkit {name}");
        e.insert(
            ContextKind::SuggestedSubcommand,
            ContextValue::String(suggestion),
        );
    }
}
