//! Issue 13, item 5: a folder the walk cannot read is an `error[IO]` with its path and the run
//! exits 2 (it used to be dropped: nothing linted, exit 0). An empty folder is an error too:
//! "no files matched", exit 2, so that a CI job pointed at the wrong folder fails.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::support::{sopkit, TODAY};

/// The binary as a user that permissions stop: itself when not root, else `nobody` through
/// `setpriv`.
fn unprivileged() -> std::process::Command {
    let bin = assert_cmd::cargo::cargo_bin("sopkit");
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let mut cmd = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin);
        c
    } else {
        std::process::Command::new(bin)
    };
    cmd.env("SOPKIT_TODAY", TODAY).env("NO_COLOR", "1");
    cmd
}

fn open_to_all(p: &Path) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn an_unreadable_folder_is_an_io_error_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    open_to_all(d);
    std::fs::create_dir(d.join("docs")).unwrap();
    open_to_all(&d.join("docs"));
    std::fs::write(d.join("docs/a.md"), "# A\n").unwrap();
    std::fs::create_dir(d.join("docs/locked")).unwrap();
    std::fs::write(d.join("docs/locked/b.md"), "# B\n").unwrap();
    std::fs::set_permissions(
        d.join("docs/locked"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let out = unprivileged()
        .current_dir(d)
        .args(["lint", "--no-config", "--format", "concise", "docs"])
        .output()
        .unwrap();
    std::fs::set_permissions(
        d.join("docs/locked"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("setpriv") {
        eprintln!("setpriv cannot drop privileges here; skipped: {stderr}");
        return;
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.lines().any(|l| l
            == "docs/locked:1:1: error[IO] cannot read directory: permission denied; its files were not linted"),
        "{stdout}{stderr}"
    );
    assert!(stdout.contains("docs/a.md:"), "{stdout}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
}

#[test]
fn an_empty_folder_says_no_files_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let out = sopkit()
        .current_dir(dir.path())
        .args(["lint", "--no-config", "empty"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no files matched in empty"), "{stderr}");
    assert_eq!(out.status.code(), Some(2));
}
