//! `new`, `init` and `completions`.

use super::ExitStatus;
use crate::cli::{CompletionsArgs, InitArgs, NewArgs};

pub(super) fn new(_args: NewArgs) -> miette::Result<ExitStatus> {
    Err(miette::miette!("`sopkit new` is not built yet"))
}

pub(super) fn init(_args: InitArgs) -> miette::Result<ExitStatus> {
    Err(miette::miette!("`sopkit init` is not built yet"))
}

pub(super) fn completions(_args: CompletionsArgs) -> miette::Result<ExitStatus> {
    Err(miette::miette!("`sopkit completions` is not built yet"))
}
