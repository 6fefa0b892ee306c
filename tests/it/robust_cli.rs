//! Issue 13, items 11 and 12: `--changed-since` cannot smuggle options into git, and a closed
//! pipe keeps the exit code of the lint.

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

/// `sopkit lint flawed | head -1`: the reader goes away, the exit code is still the lint's
/// (1 for errors), not 0. The report is larger than a pipe's buffer, so the write fails.
#[test]
fn a_closed_pipe_keeps_the_lint_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..400 {
        std::fs::write(dir.path().join(format!("f{i}.md")), "# No front matter\n").unwrap();
    }
    for format in ["concise", "human", "json"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("sopkit"))
            .current_dir(dir.path())
            .args(["lint", "--no-config", "--format", format, "."])
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{format}");
    }
}
