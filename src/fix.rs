//! Applying fixes: non-overlapping edits, back to front; atomic writes; unified diffs.

use std::io::Write;
use std::path::Path;

use crate::rule::{Applicability, Edit, Fix};

/// How many times `lint --fix` re-lints and fixes a file before it gives up, like ruff.
pub(crate) const MAX_ITERATIONS: usize = 10;

/// Whether a fix may be applied at the requested level.
pub(crate) fn allowed(fix: &Fix, unsafe_fixes: bool) -> bool {
    !fix.edits.is_empty() && (fix.applicability == Applicability::Safe || unsafe_fixes)
}

fn overlaps(a: &Edit, b: &Edit) -> bool {
    // Two insertions at one point overlap too: their order would be a guess.
    (a.range.start < b.range.end && b.range.start < a.range.end) || a.range.start == b.range.start
}

fn valid_edit(source: &str, edit: &Edit) -> bool {
    edit.range.start <= edit.range.end
        && edit.range.end <= source.len()
        && source.is_char_boundary(edit.range.start)
        && source.is_char_boundary(edit.range.end)
}

/// Applies the fixes that do not overlap an earlier one (fixes taken in source order; a fix
/// equal to an accepted one counts once). Returns the new text and the number of fixes applied.
pub(crate) fn apply(source: &str, fixes: &[&Fix]) -> (String, usize) {
    let mut sorted: Vec<&Fix> = fixes
        .iter()
        .copied()
        .filter(|f| !f.edits.is_empty())
        .collect();
    sorted.sort_by_key(|f| {
        let start = f.edits.iter().map(|e| e.range.start).min().unwrap_or(0);
        let end = f.edits.iter().map(|e| e.range.end).max().unwrap_or(0);
        (start, end)
    });
    let mut accepted: Vec<&Fix> = Vec::new();
    let mut edits: Vec<&Edit> = Vec::new();
    for fix in sorted {
        if accepted.contains(&fix) {
            continue;
        }
        let inner_ok = fix.edits.iter().all(|e| valid_edit(source, e))
            && fix
                .edits
                .iter()
                .enumerate()
                .all(|(i, a)| fix.edits[i + 1..].iter().all(|b| !overlaps(a, b)));
        let clash = fix
            .edits
            .iter()
            .any(|a| edits.iter().any(|b| overlaps(a, b)));
        if inner_ok && !clash {
            edits.extend(fix.edits.iter());
            accepted.push(fix);
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = source.to_string();
    for e in edits {
        out.replace_range(e.range.clone(), &e.replacement);
    }
    (out, accepted.len())
}

/// Like [`apply`], but keeps only fixes after which `keeps_valid` still holds for the text:
/// when the whole batch breaks it, fixes are tried one at a time and the breaking ones dropped.
pub(crate) fn apply_checked(
    source: &str,
    fixes: &[&Fix],
    keeps_valid: impl Fn(&str) -> bool,
) -> (String, usize) {
    let (text, n) = apply(source, fixes);
    if n == 0 || keeps_valid(&text) {
        return (text, n);
    }
    let mut kept: Vec<&Fix> = Vec::new();
    let mut best = (source.to_string(), 0);
    for fix in fixes {
        kept.push(fix);
        let (text, n) = apply(source, &kept);
        if n > best.1 && keeps_valid(&text) {
            best = (text, n);
        } else {
            kept.pop();
        }
    }
    best
}

/// A unified diff of one file, empty when nothing changed.
pub(crate) fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    // `a/` and `b/` prefixes for relative paths, as git writes them (`git apply` reads them).
    let (old_name, new_name) = if Path::new(path).is_absolute() {
        (path.to_string(), path.to_string())
    } else {
        (format!("a/{path}"), format!("b/{path}"))
    };
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &new_name)
        .to_string()
}

/// Why [`write_atomic`] did not write.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WriteError {
    #[error("cannot write the fixes: {}; file left unchanged", crate::input::io_reason(.0))]
    Io(#[from] std::io::Error),
    /// The file on disk is no longer the text the fixes were computed from.
    #[error("changed on disk while sopkit ran; fixes not written")]
    Changed,
}

/// The prefix of the temporary files `--fix` writes next to `name`, so that a later run can
/// recognise (and remove) ones left behind by a killed run.
fn temp_prefix(name: &str) -> String {
    format!(".{name}.sopkit-tmp-")
}

/// Temporary files being written; removed when the run is interrupted (Ctrl-C, SIGTERM).
static IN_FLIGHT: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Installs, once, the handler that removes the temporary files in flight on Ctrl-C or
/// SIGTERM, then exits 130 as an interrupted command does.
fn remove_temp_files_on_signal() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Another handler already set (by an embedding program) is left alone.
        let _ = ctrlc::set_handler(|| {
            let files = IN_FLIGHT.lock().map(|f| f.clone()).unwrap_or_default();
            for f in files {
                let _ = std::fs::remove_file(f);
            }
            std::process::exit(130);
        });
    });
}

/// A temporary file being written (by `--fix` or `bundle build`): removed if the run is
/// interrupted (Ctrl-C, SIGTERM) before [`InFlight`] is dropped, after the rename or on error.
pub(crate) struct InFlight(std::path::PathBuf);

impl InFlight {
    pub(crate) fn track(path: &Path) -> Self {
        remove_temp_files_on_signal();
        if let Ok(mut f) = IN_FLIGHT.lock() {
            f.push(path.to_path_buf());
        }
        // A test hook, in debug builds only: hold the temporary file so that a test can
        // interrupt the run while it exists.
        #[cfg(debug_assertions)]
        if let Some(ms) = std::env::var("SOPKIT_TEST_HOLD_TEMP_MS")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        Self(path.to_path_buf())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Ok(mut f) = IN_FLIGHT.lock() {
            f.retain(|p| *p != self.0);
        }
    }
}

/// A temporary file older than this next to a file being written was left by a run that was
/// killed (SIGKILL, power loss): it is removed. Younger ones may belong to a run going on now.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the stale temporary files in `dir` whose names `ours` recognises (see
/// [`STALE_AFTER`]).
pub(crate) fn remove_stale(dir: &Path, ours: impl Fn(&str) -> bool) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry.file_name().to_str().is_some_and(&ours)
            && entry.file_type().is_ok_and(|t| t.is_file())
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > STALE_AFTER));
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Replaces a file's content atomically, when it still holds `original`: a temporary file in
/// the same directory (named after the file, see [`temp_prefix`]), the original permissions
/// and (where permitted) owner, then a rename over the original. A symbolic link stays a link:
/// the file it points to is written.
pub(crate) fn write_atomic(path: &Path, original: &[u8], content: &str) -> Result<(), WriteError> {
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let metadata = std::fs::metadata(&target)?;
    let prefix = temp_prefix(&name);
    remove_stale(dir, |n| n.starts_with(&prefix));
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(&name))
        .tempfile_in(dir)?;
    let _in_flight = InFlight::track(tmp.path());
    let written = (|| {
        tmp.write_all(content.as_bytes())?;
        tmp.as_file().sync_all()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Keeping the owner needs privileges (or owning the file and its group): without
            // them the fixed file belongs to whoever ran the fix, as with any editor.
            let _ = std::os::unix::fs::fchown(
                tmp.as_file(),
                Some(metadata.uid()),
                Some(metadata.gid()),
            );
        }
        std::fs::set_permissions(tmp.path(), metadata.permissions())?;
        // Last look before the rename: a file edited since it was read keeps the edit.
        let now = crate::input::Input::read(&target).bytes;
        if now.as_deref().ok() != Some(original) {
            return Err(WriteError::Changed);
        }
        tmp.persist(&target).map_err(|e| WriteError::Io(e.error))?;
        Ok(())
    })();
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(range: std::ops::Range<usize>, s: &str) -> Edit {
        Edit {
            range,
            replacement: s.to_string(),
        }
    }

    #[test]
    fn applies_back_to_front() {
        let a = Fix::safe(vec![edit(0..1, "X"), edit(4..5, "YY")]);
        let b = Fix::safe(vec![edit(2..3, "")]);
        assert_eq!(apply("abcdef", &[&b, &a]), ("XbdYYf".to_string(), 2));
    }

    #[test]
    fn skips_overlapping_and_counts_duplicates_once() {
        let a = Fix::safe(vec![edit(0..3, "xyz")]);
        let b = Fix::safe(vec![edit(2..4, "Q")]);
        let c = Fix::safe(vec![edit(5..5, "!")]);
        let d = Fix::safe(vec![edit(5..5, "?")]);
        assert_eq!(
            apply("abcdef", &[&a, &b, &a.clone(), &c, &d]),
            ("xyzde!f".to_string(), 2)
        );
    }

    #[test]
    fn rejects_out_of_bounds_and_mid_char_edits() {
        let s = "šaš";
        let mid = Fix::safe(vec![edit(1..2, "x")]);
        let far = Fix::safe(vec![edit(3..99, "x")]);
        let ok = Fix::safe(vec![edit(2..3, "e")]);
        assert_eq!(apply(s, &[&mid, &far, &ok]), ("šeš".to_string(), 1));
    }

    #[test]
    fn checked_drops_fixes_that_break_the_text() {
        let good = Fix::safe(vec![edit(0..1, "A")]);
        let bad = Fix::safe(vec![edit(2..3, "#")]);
        let (text, n) = apply_checked("abc", &[&good, &bad], |t| !t.contains('#'));
        assert_eq!((text.as_str(), n), ("Abc", 1));
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_keeps_untouched_text(
            source in "(\\PC|\r\n|š|🙂){0,40}",
            edits in proptest::collection::vec((0usize..60, 0usize..8, "(x|ž|){0,3}"), 0..6),
        ) {
            let fixes: Vec<Fix> = edits
                .iter()
                .map(|(start, len, r)| Fix::safe(vec![edit(*start..start + len, r)]))
                .collect();
            let refs: Vec<&Fix> = fixes.iter().collect();
            let (out, n) = apply(&source, &refs);
            assert!(n <= fixes.len());
            if n == 0 {
                assert_eq!(out, source);
            }
        }
    }

    #[test]
    fn unsafe_fixes_need_the_flag() {
        let f = Fix::unsafe_(vec![edit(0..1, "A")]);
        assert!(!allowed(&f, false));
        assert!(allowed(&f, true));
        assert!(!allowed(&Fix::safe(vec![]), true));
    }

    #[test]
    fn diff_names_the_file() {
        let d = unified_diff("x.md", "a\nb\n", "a\nc\n");
        assert_eq!(d, "--- a/x.md\n+++ b/x.md\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n");
        assert_eq!(unified_diff("x.md", "a\n", "a\n"), "");
    }

    #[test]
    fn atomic_write_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        std::fs::write(&p, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&p, b"old", "new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// A file edited after it was read keeps the edit: the fixes are not written.
    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        std::fs::write(&p, "edited meanwhile").unwrap();
        let e = write_atomic(&p, b"as read", "fixed").unwrap_err();
        assert!(matches!(e, WriteError::Changed));
        assert_eq!(
            e.to_string(),
            "changed on disk while sopkit ran; fixes not written"
        );
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "edited meanwhile");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// A symbolic link stays a link, and the file it points to is fixed.
    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        let target = dir.path().join("real/a.md");
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("a.md");
        std::os::unix::fs::symlink("real/a.md", &link).unwrap();
        write_atomic(&link, b"old", "new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }

    /// Temporary files are named after the file; stale ones (left by a killed run) go, young
    /// ones (maybe a run going on now) stay.
    #[test]
    fn stale_temporary_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        std::fs::write(&p, "old").unwrap();
        let stale = dir.path().join(".a.md.sopkit-tmp-OLD123");
        let young = dir.path().join(".a.md.sopkit-tmp-NEW123");
        std::fs::write(&stale, "x").unwrap();
        std::fs::write(&young, "x").unwrap();
        let old = std::time::SystemTime::now() - 2 * STALE_AFTER;
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        write_atomic(&p, b"old", "new").unwrap();
        assert!(!stale.exists());
        assert!(young.exists());
        assert_eq!(temp_prefix("a.md"), ".a.md.sopkit-tmp-");
    }
}
