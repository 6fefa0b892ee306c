//! Issue 13, item 10: file names with control characters cannot forge a diagnostic line or
//! drive the terminal in text outputs.

use crate::support::sopkit;

#[cfg(unix)]
#[test]
fn control_characters_in_file_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let forged = "a\nforged.md:1:1: error[FAKE] all is well\n\u{1b}[2Jb.md";
    if std::fs::write(dir.path().join(forged), "# No front matter\n").is_err() {
        eprintln!("the file system refuses such names; skipped");
        return;
    }
    let shown = "a\\nforged.md:1:1: error[FAKE] all is well\\n\\u{1b}[2Jb.md";
    for format in ["concise", "human", "github"] {
        let out = sopkit()
            .current_dir(dir.path())
            .args(["lint", "--no-config", "--format", format, "."])
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(!stdout.contains('\u{1b}'), "{format}: {stdout}");
        assert!(
            !stdout.lines().any(|l| l.starts_with("forged.md")),
            "{format}: {stdout}"
        );
        let want = match format {
            // GitHub's own escaping of property values comes on top.
            "github" => shown.replace(':', "%3A"),
            _ => shown.to_string(),
        };
        assert!(stdout.contains(&want), "{format}: {stdout}");
    }
}
