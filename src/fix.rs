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

/// Replaces a file's content atomically: a temporary file in the same directory, the original
/// permissions, then a rename over the original.
pub(crate) fn write_atomic(path: &Path, content: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let permissions = std::fs::metadata(path)?.permissions();
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(content.as_bytes())?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), permissions)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
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
        write_atomic(&p, "new").unwrap();
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
}
