//! Reading a bundle in memory and checking it: entries, paths, sizes, hashes and signature.
//! Nothing is ever written to disk, and the decompressed size is bounded (gzip bombs).

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead, Read};
use std::path::Path;
use std::rc::Rc;

use super::error::{BundleError, Problem};
use super::manifest::{
    doc_paths, is_safe_name, sha256_hex, FileEntry, Manifest, MANIFEST_PATH, MANIFEST_SCHEMA,
    SIGNATURE_PATH,
};
use crate::document::DOCUMENT_SCHEMA;

/// Decompressed bytes allowed whatever the archive's size.
const MIN_EXPANSION: u64 = 16 * 1024 * 1024;
/// Decompressed bytes never allowed, whatever the archive's size.
const MAX_EXPANSION: u64 = 256 * 1024 * 1024;
/// Text compresses well, but not by more than this.
const MAX_RATIO: u64 = 100;

/// How many decompressed bytes a bundle of `compressed` bytes may expand to.
pub(crate) fn expansion_limit(compressed: u64) -> u64 {
    compressed
        .saturating_mul(MAX_RATIO)
        .clamp(MIN_EXPANSION, MAX_EXPANSION)
}

/// What a bundle holds, and every problem found while reading and checking it.
#[derive(Debug, Default)]
pub(crate) struct Contents {
    pub manifest: Option<Manifest>,
    pub manifest_bytes: Vec<u8>,
    pub signature: Option<Vec<u8>>,
    /// The files listed by the manifest, by path.
    pub files: BTreeMap<String, Vec<u8>>,
    pub problems: Vec<Problem>,
}

/// Opens and checks a bundle file; `Err` only when the file itself cannot be read.
pub(crate) fn open(path: &Path) -> Result<Contents, BundleError> {
    if path.is_dir() {
        return Err(BundleError::IsDirectory(path.to_path_buf()));
    }
    let unreadable = |reason| BundleError::Read {
        path: path.to_path_buf(),
        reason,
    };
    // A FIFO or a device would block or never end: only regular files are bundles.
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => return Err(unreadable("not a regular file".into())),
        Ok(_) => {}
        Err(e) => return Err(unreadable(crate::input::io_reason(&e))),
    }
    let file = std::fs::File::open(path).map_err(|e| unreadable(crate::input::io_reason(&e)))?;
    let size = file
        .metadata()
        .map_err(|e| unreadable(e.to_string()))?
        .len();
    Ok(read(io::BufReader::new(file), expansion_limit(size)))
}

/// Counts the bytes read through it, so that running past the limit can be told apart from
/// a truncated archive.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// The gzip magic number that starts every member.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// A tar block; the end of an archive is two blocks of zeros.
const TAR_BLOCK: u64 = 512;

/// Decompresses every gzip member in turn, as `gzip -d` (and so `tar xzf`) does, so that the
/// verifier reads the same bytes as the tools that extract a bundle. It counts the members it
/// starts, because a bundle has one, and stops with an error at bytes after a member that do not
/// start another.
struct Members<R: BufRead> {
    current: Option<flate2::bufread::GzDecoder<R>>,
    members: Rc<Cell<usize>>,
}

impl<R: BufRead> Members<R> {
    fn new(reader: R, members: Rc<Cell<usize>>) -> Self {
        members.set(1);
        Self {
            current: Some(flate2::bufread::GzDecoder::new(reader)),
            members,
        }
    }
}

impl<R: BufRead> Read for Members<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let Some(decoder) = self.current.as_mut() else {
                return Ok(0);
            };
            let n = decoder.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            // The member ended, its checksum checked: is there anything after it?
            let Some(decoder) = self.current.take() else {
                return Ok(0);
            };
            let mut rest = decoder.into_inner();
            let next = rest.fill_buf()?;
            if next.is_empty() {
                return Ok(0);
            }
            if !next.starts_with(&GZIP_MAGIC[..next.len().min(2)]) {
                return Err(io::Error::other(
                    "data after the end of the gzip stream (not a gzip member)",
                ));
            }
            self.members.set(self.members.get() + 1);
            self.current = Some(flate2::bufread::GzDecoder::new(rest));
        }
    }
}

/// Reads a gzip-compressed tar bundle from `reader`, decompressing at most `limit` bytes, and
/// checks everything that does not need a key. Every gzip member is read, as `tar` reads them,
/// and a bundle is refused unless it is one member holding one tar archive that ends with the
/// end-of-archive blocks, with nothing but zeros after them.
pub(crate) fn read<R: Read>(reader: R, limit: u64) -> Contents {
    let mut out = Contents::default();
    let count = Rc::new(Cell::new(0));
    let members = Rc::new(Cell::new(0));
    let decoded = Counting {
        inner: Members::new(io::BufReader::new(reader), Rc::clone(&members))
            .take(limit.saturating_add(1)),
        count: Rc::clone(&count),
    };
    let bomb = |n: u64| n > limit;
    let bomb_message =
        || format!("the archive expands past {limit} bytes; refusing it as a possible gzip bomb");
    let mut raw: Vec<(String, Vec<u8>)> = Vec::new();
    let mut archive = tar::Archive::new(decoded);
    let mut clean_end = false;
    match archive.entries() {
        Err(e) => out
            .problems
            .push(Problem::archive(format!("not a tar archive: {e}"))),
        Ok(entries) => {
            clean_end = true;
            for entry in entries {
                let mut entry = match entry {
                    Ok(entry) => entry,
                    Err(e) => {
                        out.problems.push(if bomb(count.get()) {
                            Problem::archive(bomb_message())
                        } else {
                            Problem::archive(format!("cannot read the archive: {e}"))
                        });
                        clean_end = false;
                        break;
                    }
                };
                let path = match check_path(&entry.path_bytes()) {
                    Ok(path) => path,
                    Err(problem) => {
                        out.problems.push(problem);
                        continue;
                    }
                };
                if let Some(problem) = check_type(&entry, &path) {
                    out.problems.push(problem);
                    continue;
                }
                let size = entry.size();
                if size > limit {
                    out.problems.push(Problem::entry(
                        &path,
                        format!("entry of {size} bytes is larger than the {limit}-byte limit"),
                    ));
                    clean_end = false;
                    break;
                }
                let mut data = Vec::new();
                if let Err(e) = entry.read_to_end(&mut data) {
                    out.problems.push(if bomb(count.get()) {
                        Problem::archive(bomb_message())
                    } else {
                        Problem::entry(&path, format!("cannot read the entry: {e}"))
                    });
                    clean_end = false;
                    break;
                }
                if data.len() as u64 != size {
                    out.problems.push(if bomb(count.get()) {
                        Problem::archive(bomb_message())
                    } else {
                        Problem::entry(
                            &path,
                            format!("entry truncated ({} of {size} bytes)", data.len()),
                        )
                    });
                    clean_end = false;
                    break;
                }
                raw.push((path, data));
            }
        }
    }
    if clean_end {
        // Read to the end so that every gzip checksum is checked and trailing data is seen. The
        // tar reader stops at the first zero block, or at the end of the data: the second zero
        // block must follow.
        let mut rest = archive.into_inner();
        let mut buf = [0u8; 8192];
        let mut zeros: u64 = 0;
        let mut complete = true;
        loop {
            match rest.read(&mut buf) {
                Ok(0) => break,
                Ok(n) if buf[..n].iter().any(|b| *b != 0) => {
                    out.problems.push(Problem::archive(
                        "data after the end of the tar archive; refusing it, as `tar` would \
                         not show it",
                    ));
                    complete = false;
                    break;
                }
                Ok(n) => zeros += n as u64,
                Err(e) => {
                    out.problems
                        .push(Problem::archive(format!("cannot read the archive: {e}")));
                    complete = false;
                    break;
                }
            }
        }
        if complete && zeros < TAR_BLOCK && !bomb(count.get()) {
            out.problems.push(Problem::archive(
                "the tar archive has no end-of-archive marker (two zero blocks): it was cut \
                 short or meant to be continued",
            ));
        }
        if bomb(count.get()) {
            out.problems.push(Problem::archive(bomb_message()));
        }
    }
    if members.get() > 1 {
        out.problems.push(Problem::archive(
            "a second gzip member follows the first: `tar` would read its entries too; a \
             bundle is one gzip member",
        ));
    }
    check_entries(raw, &mut out);
    out
}

/// A relative path of plain components, as text, or why not.
fn check_path(raw: &[u8]) -> Result<String, Problem> {
    let Ok(path) = std::str::from_utf8(raw) else {
        return Err(Problem::archive(format!(
            "entry name {:?} is not UTF-8",
            String::from_utf8_lossy(raw)
        )));
    };
    let shown = path.escape_debug().to_string();
    let bad = |message: &str| Err(Problem::entry(&shown, message));
    if path.starts_with('/') || path.starts_with('\\') || path.get(1..2) == Some(":") {
        return bad("absolute path");
    }
    if path.contains('\\') {
        return bad("backslash in path");
    }
    if path.chars().any(char::is_control) {
        return bad("control character in path");
    }
    for component in path.split('/') {
        match component {
            ".." => return bad("`..` in path"),
            "." => return bad("`.` in path"),
            "" => return bad("empty path component"),
            _ => {}
        }
    }
    Ok(path.to_string())
}

/// Only regular files belong in a bundle.
fn check_type<R: Read>(entry: &tar::Entry<'_, R>, path: &str) -> Option<Problem> {
    use tar::EntryType as T;
    let kind = entry.header().entry_type();
    let target = || {
        entry
            .link_name_bytes()
            .map(|t| String::from_utf8_lossy(&t).escape_debug().to_string())
            .unwrap_or_default()
    };
    let message = match kind {
        T::Regular => return None,
        T::Symlink => format!("symbolic link (to {}) not allowed", target()),
        T::Link => format!("hard link (to {}) not allowed", target()),
        T::Char | T::Block => "device file not allowed".to_string(),
        T::Fifo => "named pipe not allowed".to_string(),
        T::Directory => "directory entry not allowed".to_string(),
        other => format!("entry type {:?} not allowed", char::from(other.as_byte())),
    };
    Some(Problem::entry(path, message))
}

/// Sorts the entries into manifest, signature and documents, and checks them against the
/// manifest.
fn check_entries(raw: Vec<(String, Vec<u8>)>, out: &mut Contents) {
    let mut entries: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (path, data) in raw {
        match entries.entry(path) {
            std::collections::btree_map::Entry::Occupied(e) => {
                out.problems
                    .push(Problem::entry(e.key(), "duplicate entry"));
            }
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(data);
            }
        }
    }
    out.signature = entries.remove(SIGNATURE_PATH);
    let Some(manifest_bytes) = entries.remove(MANIFEST_PATH) else {
        out.problems
            .push(Problem::archive(format!("missing {MANIFEST_PATH}")));
        return;
    };
    let manifest = match serde_json::from_slice::<Manifest>(&manifest_bytes) {
        Ok(m) => m,
        Err(e) => {
            out.problems.push(Problem::archive(format!(
                "{MANIFEST_PATH} is not a {MANIFEST_SCHEMA} manifest: {e}"
            )));
            return;
        }
    };
    out.manifest_bytes = manifest_bytes;
    if manifest.schema != MANIFEST_SCHEMA {
        out.problems.push(Problem::entry(
            MANIFEST_PATH,
            format!(
                "schema \"{}\" is not \"{MANIFEST_SCHEMA}\"",
                manifest.schema
            ),
        ));
    }
    if !is_safe_name(&manifest.name) {
        out.problems.push(Problem::entry(
            MANIFEST_PATH,
            format!("name {:?} is not a valid bundle name", manifest.name),
        ));
    }
    if semver::Version::parse(&manifest.version).is_err() {
        out.problems.push(Problem::entry(
            MANIFEST_PATH,
            format!("version {:?} is not semver", manifest.version),
        ));
    }
    let mut ids = BTreeSet::new();
    for doc in &manifest.documents {
        if !ids.insert(doc.id.as_str()) {
            out.problems.push(Problem::entry(
                MANIFEST_PATH,
                format!("document {} listed twice", doc.id),
            ));
            continue;
        }
        if !is_safe_name(&doc.id) {
            out.problems.push(Problem::entry(
                MANIFEST_PATH,
                format!("document id {:?} is not a valid file name", doc.id),
            ));
            continue;
        }
        let (md, json) = doc_paths(&doc.id);
        for (file, expected) in [(&doc.md, md), (&doc.json, json)] {
            if file.path != expected {
                out.problems.push(Problem::entry(
                    MANIFEST_PATH,
                    format!(
                        "document {} lists {:?}, expected {expected}",
                        doc.id, file.path
                    ),
                ));
                continue;
            }
            let Some(data) = entries.remove(&file.path) else {
                out.problems.push(Problem::archive(format!(
                    "missing {} (listed in {MANIFEST_PATH})",
                    file.path
                )));
                continue;
            };
            if let Some(problem) = check_file(file, &data) {
                out.problems.push(problem);
                continue;
            }
            if file.path.ends_with(".json") {
                if let Some(problem) = check_model(&file.path, &data) {
                    out.problems.push(problem);
                }
            }
            out.files.insert(file.path.clone(), data);
        }
    }
    for path in entries.keys() {
        out.problems.push(Problem::entry(
            path,
            format!("unexpected entry (not listed in {MANIFEST_PATH})"),
        ));
    }
    out.manifest = Some(manifest);
}

fn check_file(entry: &FileEntry, data: &[u8]) -> Option<Problem> {
    let size = data.len() as u64;
    if size != entry.size {
        let how = if size > entry.size {
            "larger"
        } else {
            "smaller"
        };
        return Some(Problem::entry(
            &entry.path,
            format!(
                "{size} bytes, {how} than the {} bytes in {MANIFEST_PATH}",
                entry.size
            ),
        ));
    }
    let actual = sha256_hex(data);
    if actual != entry.sha256 {
        return Some(Problem::entry(
            &entry.path,
            format!(
                "sha256 {actual} does not match {} in {MANIFEST_PATH}",
                entry.sha256
            ),
        ));
    }
    None
}

/// The per-document JSON must be a document model of the version this build reads.
fn check_model(path: &str, data: &[u8]) -> Option<Problem> {
    let message = match serde_json::from_slice::<serde_json::Value>(data) {
        Ok(v) if v.get("schema").and_then(|s| s.as_str()) == Some(DOCUMENT_SCHEMA) => return None,
        Ok(_) => format!("not a {DOCUMENT_SCHEMA} document model"),
        Err(e) => format!("invalid JSON: {e}"),
    };
    Some(Problem::entry(path, message))
}

/// Adds the signature problems for a verifier that requires a signature by `key`.
pub(crate) fn require_signature(contents: &mut Contents, key: &minisign_verify::PublicKey) {
    let Some(manifest) = &contents.manifest else {
        return;
    };
    let Some(signature) = &contents.signature else {
        contents.problems.push(Problem::archive(format!(
            "the bundle is not signed ({SIGNATURE_PATH} is missing) but --key requires a signature"
        )));
        return;
    };
    let problems = super::sign::check_signature(
        key,
        signature,
        &contents.manifest_bytes,
        &manifest.name,
        &manifest.version,
    );
    contents
        .problems
        .extend(problems.into_iter().map(Problem::archive));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(check_path(b"docs/CS-001.md").unwrap(), "docs/CS-001.md");
        let err = check_path(b"docs/../a.md").unwrap_err();
        assert_eq!(err.entry.as_deref(), Some("docs/../a.md"));
        assert_eq!(err.to_string(), "docs/../a.md: `..` in path");
        for (bad, why) in [
            (&b"/etc/passwd"[..], "absolute"),
            (b"C:/x", "absolute"),
            (b"../evil", "`..`"),
            (b"docs/../../evil", "`..`"),
            (b"./manifest.json", "`.`"),
            (b"docs//a.md", "empty"),
            (b"docs/", "empty"),
            (b"docs\\a.md", "backslash"),
            (b"docs/a\nb.md", "control"),
            (b"docs/\xff.md", "UTF-8"),
        ] {
            let err = check_path(bad).unwrap_err();
            assert!(err.message.contains(why), "{err} should say {why}");
        }
    }

    #[test]
    fn expansion_limit_is_bounded_both_ways() {
        assert_eq!(expansion_limit(0), MIN_EXPANSION);
        assert_eq!(expansion_limit(1024 * 1024), 100 * 1024 * 1024);
        assert_eq!(expansion_limit(u64::MAX), MAX_EXPANSION);
    }

    #[test]
    fn every_flipped_byte_or_cut_is_a_problem_not_a_panic() {
        let entries = vec![
            ("manifest.json".to_string(), b"{\"schema\": 1}\n".to_vec()),
            (
                "docs/A.md".to_string(),
                "# A\nŽaba 🐸\r\n".repeat(40).into_bytes(),
            ),
        ];
        let good = super::super::archive::write_archive(Vec::new(), &entries, 0).unwrap();
        for i in 0..good.len() {
            for bit in [0x01, 0x80] {
                let mut bad = good.clone();
                bad[i] ^= bit;
                let _ = read(bad.as_slice(), 1 << 20);
            }
            let c = read(&good[..i], 1 << 20);
            assert!(!c.problems.is_empty(), "a cut at {i} went unnoticed");
        }
    }

    #[test]
    fn garbage_is_a_problem_not_a_panic() {
        for input in [
            &b""[..],
            b"not gzip",
            &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255, 1, 2],
        ] {
            let c = read(input, 1024);
            assert!(!c.problems.is_empty());
            assert!(c.manifest.is_none());
        }
    }
}
