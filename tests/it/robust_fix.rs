//! Issue 13, item 8: how `--fix` writes. A symbolic link stays a link and its target is fixed;
//! the owner is kept; a file that cannot be written is reported and the others are still
//! fixed (exit 2). (A file changed meanwhile, temporary file names and stale ones: unit tests
//! in src/fix.rs.)

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use crate::support::{sopkit, TODAY};

/// A document `--fix-unsafe` changes (it adds the missing front matter fields).
const FIXABLE: &str = "---\nid: A-1\n---\n# Title\n\nSome text.\n";

fn fix(dir: &Path, paths: &[&str]) -> std::process::Output {
    sopkit()
        .current_dir(dir)
        .args(["lint", "--no-config", "--fix-unsafe", "--format", "concise"])
        .args(paths)
        .output()
        .unwrap()
}

#[test]
fn a_symlink_stays_a_link_and_its_target_is_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("real")).unwrap();
    std::fs::write(d.join("real/a.md"), FIXABLE).unwrap();
    std::os::unix::fs::symlink("real/a.md", d.join("link.md")).unwrap();
    let out = fix(d, &["link.md"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let link = std::fs::symlink_metadata(d.join("link.md")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let fixed = std::fs::read_to_string(d.join("real/a.md")).unwrap();
    assert_ne!(fixed, FIXABLE);
    assert!(fixed.contains("title:"), "{fixed}");
}

#[test]
fn the_owner_and_permissions_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.md");
    std::fs::write(&p, FIXABLE).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    if std::os::unix::fs::chown(&p, Some(65534), Some(65534)).is_err() {
        eprintln!("not allowed to change owners here; skipped");
        return;
    }
    fix(dir.path(), &["a.md"]);
    let m = std::fs::metadata(&p).unwrap();
    assert_ne!(std::fs::read_to_string(&p).unwrap(), FIXABLE);
    assert_eq!((m.uid(), m.gid()), (65534, 65534));
    assert_eq!(m.permissions().mode() & 0o777, 0o640);
}

/// As a user who may not write in `ro/`: its file is an `error[IO]`, the file in `rw/` is
/// still fixed, and the run exits 2.
#[test]
fn an_unwritable_file_is_reported_and_the_others_are_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mode =
        |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    mode(d, 0o755);
    for (sub, m) in [("ro", 0o755), ("rw", 0o777)] {
        std::fs::create_dir(d.join(sub)).unwrap();
        mode(&d.join(sub), m);
        std::fs::write(d.join(sub).join("a.md"), FIXABLE).unwrap();
        mode(&d.join(sub).join("a.md"), 0o666);
    }
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let bin = assert_cmd::cargo::cargo_bin("sopkit");
    let mut cmd = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin);
        c
    } else {
        std::process::Command::new(bin)
    };
    let out = cmd
        .current_dir(d)
        .env("SOPKIT_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .args(["lint", "--no-config", "--fix-unsafe", "--format", "concise"])
        .args(["ro/a.md", "rw/a.md"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("setpriv") {
        eprintln!("setpriv cannot drop privileges here; skipped: {stderr}");
        return;
    }
    assert!(
        stdout.lines().any(|l| l
            == "ro/a.md:1:1: error[IO] cannot write the fixes: permission denied; file left unchanged"),
        "{stdout}{stderr}"
    );
    assert_eq!(std::fs::read_to_string(d.join("ro/a.md")).unwrap(), FIXABLE);
    assert_ne!(std::fs::read_to_string(d.join("rw/a.md")).unwrap(), FIXABLE);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
}
