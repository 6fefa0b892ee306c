//! What stops a bundle command ([`BundleError`], exit 2) and what refuses a build
//! ([`Refusal`], exit 1). Their text is what the user sees; tests/it/bundle.rs pins it.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// An error that ends a bundle command: usage, keys, or I/O.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BundleError {
    #[error("bundle name {0:?} must be letters, digits, '.', '_' or '-' (it becomes a file name)")]
    BadName(String),
    #[error("--version {given:?} is not a semantic version: {source}")]
    BadVersion {
        given: String,
        source: semver::Error,
    },
    #[error("output {} is not a directory", .0.display())]
    OutputNotDirectory(PathBuf),
    #[error("previous bundle {} is not valid: {}", .path.display(), joined(.problems))]
    InvalidPrevious {
        path: PathBuf,
        problems: Vec<Problem>,
    },
    #[error("the previous bundle has no manifest")]
    NoPreviousManifest,
    #[error("the previous bundle's version is not semver: {0}")]
    PreviousVersion(semver::Error),
    /// A source file that cannot be read (`path` as shown to the user).
    #[error("{path}: {error}")]
    Source {
        path: String,
        error: crate::input::ReadError,
    },
    #[error("cannot format the creation time: {0}")]
    CreationTime(String),
    #[error("SOURCE_DATE_EPOCH={0:?} is not a number of seconds")]
    EpochNotNumber(String),
    #[error("SOURCE_DATE_EPOCH={text:?} is out of range: {reason}")]
    EpochOutOfRange { text: String, reason: String },
    #[error("{} already exists; pass --force to overwrite it", .0.display())]
    Exists(PathBuf),
    #[error("cannot create {}: {source}", .path.display())]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("cannot write in {}: {source}", .dir.display())]
    TempFile { dir: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", .path.display())]
    Write { path: PathBuf, source: io::Error },
    /// A file that cannot be read; `reason` as [`crate::input::io_reason`] words it.
    #[error("cannot read {}: {reason}", .path.display())]
    Read { path: PathBuf, reason: String },
    #[error("{} is a directory: give a bundle file (NAME-VERSION.sopbundle.tar.gz)", .0.display())]
    IsDirectory(PathBuf),
    #[error("cannot generate a key pair: {0}")]
    Keygen(String),
    #[error("cannot encode the {which} key: {reason}")]
    EncodeKey { which: &'static str, reason: String },
    #[error("cannot read {which} key {}: {reason}", .path.display())]
    ReadKey {
        which: &'static str,
        path: PathBuf,
        reason: String,
    },
    #[error("{} is not a minisign {which} key: {reason}", .path.display())]
    NotAKey {
        which: &'static str,
        path: PathBuf,
        reason: String,
    },
    #[error(
        "cannot use secret key {}: it is damaged or protected by a password \
         (sopkit needs an unencrypted key: `sopkit keygen` or `minisign -G -W`)",
        .0.display()
    )]
    LockedKey(PathBuf),
    #[error("cannot sign the manifest: {0}")]
    Sign(String),
    #[error(
        "approver name {0:?} must be one line of at most 200 characters with a letter or digit, \
         without leading or trailing spaces (write it exactly as front matter `approvers` does)"
    )]
    BadApprover(String),
    #[error("keyring {}: {reason}", .path.display())]
    BadKeyring { path: PathBuf, reason: String },
}

fn joined(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems.iter().map(Problem::to_string).collect();
    lines.join("; ")
}

/// A problem found in a bundle: in one of its entries (by its path in the archive, as shown)
/// or in the archive as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub entry: Option<String>,
    pub message: String,
}

impl Problem {
    pub(crate) fn archive(message: impl Into<String>) -> Self {
        Self {
            entry: None,
            message: message.into(),
        }
    }

    pub(crate) fn entry(path: &str, message: impl Into<String>) -> Self {
        Self {
            entry: Some(path.to_string()),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.entry {
            Some(path) => write!(f, "{path}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Why a build is refused: one line per problem, as `bundle build` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// A problem at a place of a source file (1-based line and column), with the code of the
    /// rule that found it or `bundle`: a concise diagnostic line.
    At {
        path: String,
        line: usize,
        column: usize,
        code: String,
        message: String,
    },
    /// The given bundle version is not above the previous bundle's.
    VersionNotGreater { given: String, previous: String },
    /// No document is left to bundle among `linted` files.
    NothingToBundle { include_drafts: bool, linted: usize },
}

impl Refusal {
    /// A problem at the start of a file, found by the bundle itself.
    pub(crate) fn at_start(path: &str, message: impl Into<String>) -> Self {
        Self::at(path, 1, 1, "bundle", message)
    }

    pub(crate) fn at(
        path: &str,
        line: usize,
        column: usize,
        code: &str,
        message: impl Into<String>,
    ) -> Self {
        Self::At {
            path: path.to_string(),
            line,
            column,
            code: code.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::At {
                path,
                line,
                column,
                code,
                message,
            } => write!(f, "{path}:{line}:{column}: error[{code}] {message}"),
            Self::VersionNotGreater { given, previous } => write!(
                f,
                "error: bundle version {given} is not greater than the previous bundle's {previous}"
            ),
            Self::NothingToBundle {
                include_drafts,
                linted,
            } => write!(
                f,
                "no {}documents to bundle among {linted} linted files{}",
                if *include_drafts { "" } else { "approved " },
                if *include_drafts {
                    ""
                } else {
                    " (--include-drafts adds the others)"
                }
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Refusal;

    #[test]
    fn refusals_read_as_concise_lines() {
        let r = Refusal::at(
            "sops/a.md",
            3,
            10,
            "X004",
            "version-not-bumped: A went down",
        );
        assert_eq!(
            r.to_string(),
            "sops/a.md:3:10: error[X004] version-not-bumped: A went down"
        );
        let r = Refusal::at_start("a.md", "a bundled document needs an `id`");
        assert_eq!(
            r.to_string(),
            "a.md:1:1: error[bundle] a bundled document needs an `id`"
        );
        let r = Refusal::NothingToBundle {
            include_drafts: false,
            linted: 2,
        };
        assert_eq!(
            r.to_string(),
            "no approved documents to bundle among 2 linted files (--include-drafts adds the others)"
        );
    }
}
