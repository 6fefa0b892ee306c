//! Issue 13, item 11: `--changed-since` cannot smuggle options into git.

use std::path::Path;

use crate::support::sopkit;

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}");
}

/// `--changed-since=--output=FILE` used to make git write FILE, lint nothing and exit 0.
#[test]
fn changed_since_is_a_revision_never_an_option() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("a.md"), "# A\n").unwrap();
    git(d, &["init", "-q"]);
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "init"]);
    for rev in ["--output=written.txt", "-p", "HEAD --output=x"] {
        let out = sopkit()
            .current_dir(d)
            .args(["lint", "--no-config", "--format", "concise"])
            .arg(format!("--changed-since={rev}"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{rev}: {err}");
        assert!(
            err.contains(&format!("--changed-since: `{rev}` is not a commit")),
            "{rev}: {err}"
        );
        assert!(!d.join("written.txt").exists(), "{rev}: git wrote a file");
    }
    // A real revision still works.
    let out = sopkit()
        .current_dir(d)
        .args(["lint", "--no-config", "--changed-since=HEAD", "a.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}
