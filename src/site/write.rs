//! Writing the site atomically: every file goes into a temporary folder beside the target,
//! which is then renamed into place. A failed build leaves the previous site untouched.

use std::collections::BTreeMap;
use std::path::Path;

use super::SiteError;

/// A file every site has: an existing folder without it is not replaced.
const MARKER: &str = "search-index.json";

fn failed(what: &str, path: &Path, e: std::io::Error) -> SiteError {
    SiteError::Failed(format!("cannot {what} {}: {e}", path.display()))
}

/// Writes `files` (relative paths with `/`) as the folder `out`, replacing a previous site.
pub(crate) fn atomically(out: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), SiteError> {
    if out.exists() {
        let is_site = out.join(MARKER).is_file();
        let is_empty = std::fs::read_dir(out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !out.is_dir() || !(is_site || is_empty) {
            return Err(SiteError::Failed(format!(
                "{} exists and is not a site built by sopkit: choose another folder or remove it",
                out.display()
            )));
        }
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| failed("create", &parent, e))?;
    let temp = tempfile::Builder::new()
        .prefix(".sopkit-site-")
        .tempdir_in(&parent)
        .map_err(|e| failed("create a temporary folder in", &parent, e))?;
    for (name, bytes) in files {
        let path = temp.path().join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| failed("create", dir, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| failed("write", &path, e))?;
    }
    // tempfile creates the folder 0700; a site is for reading.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o755));
    }
    let temp = temp.keep();
    if out.exists() {
        // Move the old site aside first: rename cannot replace a non-empty folder.
        let old = tempfile::Builder::new()
            .prefix(".sopkit-site-old-")
            .tempdir_in(&parent)
            .map_err(|e| failed("create a temporary folder in", &parent, e))?
            .keep();
        let aside = old.join("site");
        if let Err(e) = std::fs::rename(out, &aside) {
            let _ = std::fs::remove_dir_all(&temp);
            let _ = std::fs::remove_dir_all(&old);
            return Err(failed("move aside", out, e));
        }
        if let Err(e) = std::fs::rename(&temp, out) {
            let _ = std::fs::rename(&aside, out);
            let _ = std::fs::remove_dir_all(&temp);
            let _ = std::fs::remove_dir_all(&old);
            return Err(failed("rename into", out, e));
        }
        let _ = std::fs::remove_dir_all(&old);
    } else if let Err(e) = std::fs::rename(&temp, out) {
        let _ = std::fs::remove_dir_all(&temp);
        return Err(failed("rename into", out, e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_a_site_but_not_another_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let mut files = BTreeMap::new();
        files.insert(MARKER.to_string(), b"[]".to_vec());
        files.insert("sop/a.html".to_string(), b"a".to_vec());
        atomically(&out, &files).unwrap();
        files.insert("sop/a.html".to_string(), b"b".to_vec());
        atomically(&out, &files).unwrap();
        assert_eq!(std::fs::read(out.join("sop/a.html")).unwrap(), b"b");
        let other = dir.path().join("other");
        std::fs::create_dir(&other).unwrap();
        std::fs::write(other.join("keep.txt"), "x").unwrap();
        assert!(atomically(&other, &files).is_err());
        assert!(other.join("keep.txt").is_file());
        // No temporary folder is left behind.
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }
}
