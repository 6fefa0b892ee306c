//! `bundle build|verify|inspect|diff` and `keygen`.

use super::ExitStatus;
use crate::cli::{BundleCommand, KeygenArgs};

pub(super) fn run(_command: BundleCommand) -> miette::Result<ExitStatus> {
    Err(miette::miette!("`sopkit bundle` is not built yet"))
}

pub(super) fn keygen(_args: KeygenArgs) -> miette::Result<ExitStatus> {
    Err(miette::miette!("`sopkit keygen` is not built yet"))
}
