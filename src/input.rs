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
        crate::rule::Diagnostic {
            path: self.path.clone(),
            line: self.line(),
            column: self.column(),
            end_line: self.line(),
            end_column: self.column(),
            code: "IO".into(),
            name: "unreadable-file".into(),
            severity: crate::rule::Severity::Error,
            message: self.error.to_string(),
            help: None,
            span: 0..0,
            fix: None,
        }
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
            Ok(m) => {
                // Sized up front: a doubling buffer would keep up to twice the file in memory
                // for the whole run. The file may grow after `metadata`: never read more than
                // the limit.
                let mut buf = Vec::with_capacity(m.len() as usize + 1);
                std::fs::File::open(path)
                    .and_then(|f| f.take(MAX_FILE_SIZE + 1).read_to_end(&mut buf))
                    .map_err(io)
                    .and_then(|n| match n as u64 > MAX_FILE_SIZE {
                        true => Err(too_large(n as u64)),
                        false => Ok(buf),
                    })
            }
            Err(e) => Err(io(e)),
        };
        Self {
            path: display,
            bytes,
        }
    }
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
    if let Some(pos) = bytes.iter().take(8192).position(|b| *b == 0) {
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

/// The first line nested deeper than [`MAX_NESTING`] list or quote levels, as a
/// [`ReadError::TooDeep`], judged by indentation, `>` markers and list markers at the start of
/// the line: a cheap guard before the real parse.
pub(crate) fn too_deep(source: &str) -> Option<ReadError> {
    for (i, line) in source.lines().enumerate() {
        let bytes = line.as_bytes();
        let (mut levels, mut indent, mut pos) = (0usize, 0usize, 0usize);
        while pos < bytes.len() {
            match bytes[pos] {
                b' ' => indent += 1,
                b'\t' => indent += 4,
                b'>' => levels += 1,
                b'-' | b'*' | b'+' if bytes.get(pos + 1) == Some(&b' ') => levels += 1,
                b'0'..=b'9' => {
                    let digits = bytes[pos..]
                        .iter()
                        .take_while(|b| b.is_ascii_digit())
                        .count();
                    let after = bytes.get(pos + digits);
                    if digits <= 9
                        && matches!(after, Some(b'.' | b')'))
                        && matches!(bytes.get(pos + digits + 1), Some(b' ') | None)
                    {
                        levels += 1;
                        pos += digits;
                    } else {
                        break;
                    }
                }
                _ => break,
            }
            pos += 1;
        }
        // A nested list level takes at least two columns of indentation.
        if levels + indent / 2 > MAX_NESTING {
            let column = line[..pos.min(line.len())].chars().count().max(1);
            return Some(ReadError::TooDeep {
                limit: MAX_NESTING,
                line: i + 1,
                column,
            });
        }
    }
    None
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
        match Input::read(p).bytes.map(String::from_utf8) {
            Ok(Ok(text)) => LinkedFile::Text(text),
            _ => LinkedFile::Unreadable,
        }
    }
}

/// Every file under `dir`, honouring .gitignore (in or out of a git repository); the
/// configuration's `include` and `exclude` choose among them (`sopkit lint DIR`, the language
/// server's workspace folders).
pub(crate) fn walk_all(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in ignore::WalkBuilder::new(dir)
        .require_git(false)
        .build()
        .flatten()
    {
        if entry.file_type().is_some_and(|t| t.is_file()) {
            out.push(entry.path().to_path_buf());
        }
    }
    out
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
