//! Reading the files of a run: size and kind limits, UTF-8 and nesting checks, display paths.

use std::io::Read;
use std::path::Path;

use crate::document::LineIndex;
use crate::rule::{LinkedFile, LinkedFiles};

/// Files larger than this are reported and skipped.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;
/// Markdown nested deeper than this (lists, quotes) is reported and skipped: such input is
/// never a procedure, and some parsers slow down on it.
pub const MAX_NESTING: usize = 100;

/// A file that could not be linted, with where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: String,
    pub error: ReadError,
}

impl FileError {
    /// The line of the problem, from 1 (1 when the whole file is at fault).
    pub fn line(&self) -> usize {
        self.error.position().0
    }

    /// The character column of the problem, from 1 (1 when the whole file is at fault).
    pub fn column(&self) -> usize {
        self.error.position().1
    }

    /// The error as the `IO` diagnostic that every output shows for an unreadable file.
    pub fn to_diagnostic(&self) -> crate::rule::Diagnostic {
        io_diagnostic(
            &self.path,
            self.line(),
            self.column(),
            self.error.to_string(),
        )
    }
}

/// An `IO` error diagnostic at a place in a file (what every output shows for a file that
/// could not be read or written).
pub(crate) fn io_diagnostic(
    path: &str,
    line: usize,
    column: usize,
    message: String,
) -> crate::rule::Diagnostic {
    crate::rule::Diagnostic {
        path: path.to_string(),
        line,
        column,
        end_line: line,
        end_column: column,
        code: "IO".into(),
        name: "unreadable-file".into(),
        severity: crate::rule::Severity::Error,
        message,
        help: None,
        span: 0..0,
        fix: None,
    }
}

const MB: u64 = 1024 * 1024;

/// Why a file could not be linted. Its `Display` is the message shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("is a directory, not a file; skipped")]
    Directory,
    /// Reading a FIFO or a device could block forever or never end.
    #[error("not a regular file (a FIFO, socket or device); skipped")]
    NotRegular,
    /// `size` and `limit` in bytes (shown in whole MB).
    #[error("file is {} MB, larger than the {} MB limit; skipped", size / MB, limit / MB)]
    TooLarge { size: u64, limit: u64 },
    /// `reason` as given by [`io_reason`].
    #[error("cannot read file: {reason}")]
    Io { reason: String },
    /// A folder (or entry) that a directory walk could not read.
    #[error("cannot read directory: {reason}; its files were not linted")]
    Walk { reason: String },
    #[error("cannot read standard input: {reason}")]
    Stdin { reason: String },
    /// A NUL byte in the first 8 KiB, at this line and column.
    #[error("binary file (contains NUL bytes); skipped")]
    Binary { line: usize, column: usize },
    /// Invalid UTF-8 from byte `at`, at this line and column.
    #[error("invalid UTF-8 at byte {at}; skipped")]
    InvalidUtf8 {
        at: usize,
        line: usize,
        column: usize,
    },
    /// Nested more than `limit` list or quote levels, first at this line and column.
    #[error("Markdown is nested more than {limit} levels deep here; file skipped")]
    TooDeep {
        limit: usize,
        line: usize,
        column: usize,
    },
}

impl ReadError {
    /// What is wrong, without what `lint` does about it ("; skipped"): for the files a run
    /// cannot go on without (a configuration, a pack, a key).
    pub fn reason(&self) -> String {
        if let ReadError::Io { reason } = self {
            return reason.clone();
        }
        let message = self.to_string();
        match message.strip_suffix("; skipped") {
            Some(reason) => reason.to_string(),
            None => message,
        }
    }

    /// Line and character column of the problem, from 1; (1, 1) when the whole file is at
    /// fault.
    pub fn position(&self) -> (usize, usize) {
        match self {
            Self::Binary { line, column }
            | Self::InvalidUtf8 { line, column, .. }
            | Self::TooDeep { line, column, .. } => (*line, *column),
            _ => (1, 1),
        }
    }
}

/// Why an I/O operation failed, in words and without the OS error number:
/// "no such file or directory" rather than "No such file or directory (os error 2)".
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// A file to lint: its display path and its bytes (or why they could not be read).
pub struct Input {
    pub path: String,
    pub bytes: Result<Vec<u8>, ReadError>,
}

impl Input {
    pub fn read(path: &Path) -> Self {
        let display = display_path(path);
        let too_large = |size: u64| ReadError::TooLarge {
            size,
            limit: MAX_FILE_SIZE,
        };
        let io = |e: std::io::Error| ReadError::Io {
            reason: io_reason(&e),
        };
        let bytes = match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => Err(ReadError::Directory),
            Ok(m) if !m.is_file() => Err(ReadError::NotRegular),
            Ok(m) if m.len() > MAX_FILE_SIZE => Err(too_large(m.len())),
            // The checks again on the opened file: it may have been swapped for a FIFO or a
            // bigger file since `metadata` (and opening never blocks, see `open_guarded`).
            Ok(_) => open_guarded(path)
                .map_err(io)
                .and_then(|f| match f.metadata() {
                    Ok(m) if !m.is_file() => Err(ReadError::NotRegular),
                    Ok(m) if m.len() > MAX_FILE_SIZE => Err(too_large(m.len())),
                    Ok(m) => {
                        // Sized up front: a doubling buffer would keep up to twice the file in
                        // memory for the whole run. The file may grow after `metadata`: never read
                        // more than the limit.
                        let mut buf = Vec::with_capacity(m.len() as usize + 1);
                        f.take(MAX_FILE_SIZE + 1)
                            .read_to_end(&mut buf)
                            .map_err(io)
                            .and_then(|n| match n as u64 > MAX_FILE_SIZE {
                                true => Err(too_large(n as u64)),
                                false => Ok(buf),
                            })
                    }
                    Err(e) => Err(io(e)),
                }),
            Err(e) => Err(io(e)),
        };
        Self {
            path: display,
            bytes,
        }
    }
}

/// Opens a file for reading without blocking: opening a FIFO with no writer would wait
/// forever (`O_NONBLOCK`, which regular files ignore).
fn open_guarded(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Reads one file as `lint` does (size limit, no FIFOs, UTF-8 checked): its display path and
/// text, or a located error.
pub(crate) fn read_text(path: &Path) -> Result<(String, String), FileError> {
    let input = Input::read(path);
    match decode(input.bytes) {
        Ok(text) => Ok((input.path, text)),
        Err(error) => Err(FileError {
            path: input.path,
            error,
        }),
    }
}

/// A path as shown in output: forward slashes, no leading "./".
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Bytes → text, or why not: the read error, a binary file or invalid UTF-8.
pub(crate) fn decode(bytes: Result<Vec<u8>, ReadError>) -> Result<String, ReadError> {
    let bytes = bytes?;
    if let Some(pos) = memchr::memchr(0, &bytes[..bytes.len().min(8192)]) {
        let (line, column) = byte_line_col(&bytes, pos);
        return Err(ReadError::Binary { line, column });
    }
    // Takes the buffer over without copying it.
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let (line, column) = byte_line_col(e.as_bytes(), at);
        ReadError::InvalidUtf8 { at, line, column }
    })
}

/// Line and character column of a byte offset in a buffer valid as UTF-8 up to that offset.
fn byte_line_col(bytes: &[u8], pos: usize) -> (usize, usize) {
    let before = String::from_utf8_lossy(&bytes[..pos]);
    LineIndex::new(&before).line_col(&before, before.len())
}

/// The first list item or block quote nested deeper than [`MAX_NESTING`] levels, as a
/// [`ReadError::TooDeep`]. A cheap look at the start of each line finds whether any could be
/// that deep (indentation, `>` and list markers: an upper bound of the depth); only then the
/// Markdown parser tells the real depth, so that indentation in a code block or the front
/// matter is not nesting.
pub(crate) fn too_deep(source: &str) -> Option<ReadError> {
    if !crate::document::any_line_could_nest_beyond(source, MAX_NESTING) {
        return None;
    }
    let (line, column) = crate::document::nested_beyond(source, MAX_NESTING)?;
    Some(ReadError::TooDeep {
        limit: MAX_NESTING,
        line,
        column,
    })
}

/// `path` with `.` and `..` folded lexically (leading `..` kept), `/`-separated, no trailing
/// `/`: "docs/./a/../b.md" → "docs/b.md".
pub(crate) fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            _ => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Reads the files documents link to, for the cross-document rules: only within the folders
/// of the run (the current directory, which relative paths start from, and the folders of
/// the files linted), only regular files, at most [`MAX_FILE_SIZE`] bytes.
#[derive(Debug, Clone, Default)]
pub struct LinkResolver {
    /// Folders outside the current directory (`../docs`, `/srv/sops`), normalized.
    roots: Vec<String>,
}

impl LinkResolver {
    /// A resolver for a run over these display paths (see [`display_path`]).
    pub fn for_paths<'a>(paths: impl IntoIterator<Item = &'a str>) -> Self {
        let mut roots: Vec<String> = paths
            .into_iter()
            .map(|p| match p.rsplit_once('/') {
                Some(("", _)) => "/".to_string(),
                Some((dir, _)) => normalize(dir),
                None => String::new(),
            })
            .filter(|dir| dir.starts_with("..") || dir.starts_with('/'))
            .collect();
        roots.sort();
        roots.dedup();
        Self { roots }
    }

    /// Whether `path` lies within the folders of the run.
    fn allows(&self, path: &str) -> bool {
        let path = normalize(path);
        let inside = |root: &str| {
            path.strip_prefix(root)
                .is_some_and(|rest| rest.starts_with('/') || root.ends_with('/'))
        };
        !(path.starts_with("..") || path.starts_with('/')) || self.roots.iter().any(|r| inside(r))
    }
}

impl LinkedFiles for LinkResolver {
    fn read(&self, path: &str) -> LinkedFile {
        if !self.allows(path) {
            return LinkedFile::Outside;
        }
        let p = Path::new(path);
        if !p.is_file() {
            return LinkedFile::Missing;
        }
        // The guarded reader of inputs: no FIFOs or devices, at most `MAX_FILE_SIZE` bytes.
        match Input::read(p).bytes.map(String::from_utf8) {
            Ok(Ok(text)) => LinkedFile::Text(text),
            _ => LinkedFile::Unreadable,
        }
    }
}

/// A place a folder walk could not read, and why.
pub(crate) type WalkError = (std::path::PathBuf, ReadError);

/// Every file under `dir`, honouring .gitignore (in or out of a git repository); the
/// configuration's `include` and `exclude` choose among them (`sopkit lint DIR`, the language server's
/// workspace folders). Also the places the walk could
/// not read (a folder without permission, a symbolic link loop), with why.
pub(crate) fn walk_all(
    dir: &Path,
) -> (
    Vec<std::path::PathBuf>,
    Vec<(std::path::PathBuf, ReadError)>,
) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for entry in ignore::WalkBuilder::new(dir).require_git(false).build() {
        match entry {
            Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                out.push(entry.path().to_path_buf());
            }
            Ok(_) => {}
            Err(e) => errors.push(walk_error(dir, &e)),
        }
    }
    (out, errors)
}

/// Where a walk error happened (the walked folder when the error does not say) and why.
fn walk_error(dir: &Path, e: &ignore::Error) -> (std::path::PathBuf, ReadError) {
    fn path_of(e: &ignore::Error) -> Option<&Path> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Loop { child, .. } => Some(child),
            _ => None,
        }
    }
    let at = path_of(e).unwrap_or(dir).to_path_buf();
    let reason = match e.io_error() {
        Some(io) => io_reason(io),
        None => match e {
            ignore::Error::Loop { ancestor, .. } => {
                format!("a symbolic link loop back to {}", display_path(ancestor))
            }
            _ => e.to_string(),
        },
    };
    (at, ReadError::Walk { reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_errors_read_as_before_and_keep_their_position() {
        let big = ReadError::TooLarge {
            size: 50 * MB + 3,
            limit: MAX_FILE_SIZE,
        };
        assert_eq!(
            big.to_string(),
            "file is 50 MB, larger than the 16 MB limit; skipped"
        );
        assert_eq!(big.position(), (1, 1));
        let utf8 = decode(Ok(b"a\nbc\xff".to_vec())).unwrap_err();
        assert_eq!(utf8.to_string(), "invalid UTF-8 at byte 4; skipped");
        assert_eq!(utf8.position(), (2, 3));
        let deep = too_deep(&"> ".repeat(MAX_NESTING + 1)).unwrap();
        assert_eq!(
            deep.to_string(),
            "Markdown is nested more than 100 levels deep here; file skipped"
        );
        let binary = decode(Ok(b"ab\ncd\0".to_vec())).unwrap_err();
        assert_eq!(binary.position(), (2, 3));
        let mut late = vec![b'a'; 8192];
        late.push(0);
        assert_eq!(decode(Ok(late)).map(|t| t.len()), Ok(8193));
        let dir = read_text(Path::new("src")).unwrap_err();
        assert_eq!(dir.error.to_string(), "is a directory, not a file; skipped");
        assert_eq!((dir.line(), dir.column()), (1, 1));
    }

    #[test]
    fn links_are_read_only_within_the_folders_of_the_run() {
        let r = LinkResolver::for_paths(["a.md", "docs/b.md", "../other/c.md", "/srv/sops/d.md"]);
        assert!(r.allows("x.md"));
        assert!(r.allows("docs/../y.md"));
        assert!(r.allows("../other/sub/e.md"));
        assert!(r.allows("/srv/sops/f.md"));
        assert!(!r.allows("../elsewhere/g.md"));
        assert!(!r.allows("../otherwise.md"));
        assert!(!r.allows("/etc/passwd.md"));
        assert!(!r.allows("docs/../../h.md"));
        assert_eq!(r.read("../elsewhere/g.md"), LinkedFile::Outside);
        assert_eq!(r.read("no/such/file.md"), LinkedFile::Missing);
        assert_eq!(normalize("docs/./a/../b.md"), "docs/b.md");
        assert_eq!(normalize("/x/../../y"), "/y");
    }
}
