//! Issue 13, item 9: the nesting guard counts real nesting, not indentation: a deeply
//! indented line in a code block or the front matter does not skip the file.

use crate::support::sopkit;

#[test]
fn indentation_in_code_and_front_matter_is_not_nesting() {
    let dir = tempfile::tempdir().unwrap();
    let pad = " ".repeat(250);
    let code = format!("# Code\n\n```text\n{pad}deep\n```\n\n    {pad}indented code\n");
    let front = format!("---\nid: X-1\nnotes: |\n  a\n{pad}b\n---\n# Front\n");
    std::fs::write(dir.path().join("code.md"), code).unwrap();
    std::fs::write(dir.path().join("front.md"), front).unwrap();
    let out = sopkit()
        .current_dir(dir.path())
        .args(["lint", "--no-config", "--format", "concise", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("error[IO]"), "{stdout}");
    assert!(stdout.contains("code.md:"), "{stdout}");
    assert!(stdout.contains("front.md:"), "{stdout}");
    assert_eq!(out.status.code(), Some(1), "{stdout}");
}
