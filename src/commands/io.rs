//! Errors of the commands' reads and writes that keep their [`std::io::ErrorKind`].
//!
//! miette's own `into_diagnostic` boxes an error into a private type, after which `main` could
//! tell a closed pipe (`sopkit lint | head`) only by its message. This one keeps the kind of an
//! `io::Error` (and of a `serde_json::Error` writing to one) in an [`IoError`].

use std::any::Any;
use std::io;

use miette::Report;

/// An I/O error of a command, printed exactly as the error it wraps.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(transparent)]
pub struct IoError(io::Error);

impl IoError {
    pub fn kind(&self) -> io::ErrorKind {
        self.0.kind()
    }
}

/// `miette::IntoDiagnostic`, keeping the kind of I/O errors.
pub(crate) trait IntoDiagnostic<T> {
    fn into_diagnostic(self) -> Result<T, Report>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> IntoDiagnostic<T> for Result<T, E> {
    fn into_diagnostic(self) -> Result<T, Report> {
        self.map_err(|e| match io_kind(&e) {
            // `io::Error::new` prints `e` and gives its source, as miette's wrapper does.
            Some(kind) => Report::new(IoError(io::Error::new(kind, e))),
            None => Report::from_err(e),
        })
    }
}

fn io_kind(e: &(dyn Any + 'static)) -> Option<io::ErrorKind> {
    if let Some(io) = e.downcast_ref::<io::Error>() {
        return Some(io.kind());
    }
    e.downcast_ref::<serde_json::Error>()
        .and_then(serde_json::Error::io_error_kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_kind_and_the_message() {
        let closed: Result<(), _> = Err(io::Error::from(io::ErrorKind::BrokenPipe));
        let report = closed.into_diagnostic().unwrap_err();
        let kept = report.downcast_ref::<IoError>().map(IoError::kind);
        assert_eq!(kept, Some(io::ErrorKind::BrokenPipe));
        let shown = io::Error::from(io::ErrorKind::BrokenPipe).to_string();
        assert_eq!(report.to_string(), shown);

        let other: Result<(), _> = Err(std::fmt::Error);
        let report = other.into_diagnostic().unwrap_err();
        assert!(report.downcast_ref::<IoError>().is_none());
        assert_eq!(report.to_string(), std::fmt::Error.to_string());
    }
}
