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
    pub line: usize,
    pub column: usize,
    pub message: String,
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
    pub bytes: Result<Vec<u8>, String>,
}

impl Input {
    pub fn read(path: &Path) -> Self {
        let display = display_path(path);
        let too_large = |len: u64| {
            format!(
                "file is {} MB, larger than the {} MB limit; skipped",
                len / (1024 * 1024),
                MAX_FILE_SIZE / (1024 * 1024)
            )
        };
        let bytes = match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => Err("is a directory, not a file; skipped".to_string()),
            // Reading a FIFO or a device could block forever or never end.
            Ok(m) if !m.is_file() => {
                Err("not a regular file (a FIFO, socket or device); skipped".to_string())
            }
            Ok(m) if m.len() > MAX_FILE_SIZE => Err(too_large(m.len())),
            Ok(m) => {
                // Sized up front: a doubling buffer would keep up to twice the file in memory
                // for the whole run. The file may grow after `metadata`: never read more than
                // the limit.
                let mut buf = Vec::with_capacity(m.len() as usize + 1);
                std::fs::File::open(path)
                    .and_then(|f| f.take(MAX_FILE_SIZE + 1).read_to_end(&mut buf))
                    .map_err(|e| format!("cannot read file: {}", io_reason(&e)))
                    .and_then(|n| match n as u64 > MAX_FILE_SIZE {
                        true => Err(too_large(n as u64)),
                        false => Ok(buf),
                    })
            }
            Err(e) => Err(format!("cannot read file: {}", io_reason(&e))),
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
    let text = decode(&input.path, input.bytes)?;
    Ok((input.path, text))
}

/// A path as shown in output: forward slashes, no leading "./".
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Bytes → text, or a located error for binary files and invalid UTF-8.
pub(crate) fn decode(path: &str, bytes: Result<Vec<u8>, String>) -> Result<String, FileError> {
    let err = |line, column, message: String| FileError {
        path: path.to_string(),
        line,
        column,
        message,
    };
    let bytes = bytes.map_err(|msg| err(1, 1, msg))?;
    if let Some(pos) = bytes.iter().take(8192).position(|b| *b == 0) {
        let (line, column) = byte_line_col(&bytes, pos);
        return Err(err(
            line,
            column,
            "binary file (contains NUL bytes); skipped".into(),
        ));
    }
    // Takes the buffer over without copying it.
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let (line, column) = byte_line_col(e.as_bytes(), at);
        err(line, column, format!("invalid UTF-8 at byte {at}; skipped"))
    })
}

/// Line and character column of a byte offset in a buffer valid as UTF-8 up to that offset.
fn byte_line_col(bytes: &[u8], pos: usize) -> (usize, usize) {
    let before = String::from_utf8_lossy(&bytes[..pos]);
    LineIndex::new(&before).line_col(&before, before.len())
}

/// The position of the first line nested deeper than [`MAX_NESTING`] list or quote levels,
/// judged by indentation, `>` markers and list markers at the start of the line: a cheap guard
/// before the real parse.
pub(crate) fn too_deep(source: &str) -> Option<(usize, usize)> {
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
            return Some((i + 1, column));
        }
    }
    None
}

/// `path` with `.` and `..` folded lexically (leading `..` kept), `/`-separated, no trailing
/// `/`: "docs/./a/../b.md" → "docs/b.md".
fn normalize(path: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
