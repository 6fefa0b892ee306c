//! Issue 13, item 8: how `--fix` writes. A symbolic link stays a link and its target is fixed;
//! the owner is kept; a file that cannot be written is reported and the others are still
//! fixed (exit 2); an interrupted run (SIGTERM) leaves no temporary file, for `--fix` and for
//! `bundle build`, whose stale `.sopbundle-*.tmp` files go. (A file changed meanwhile, temporary
//! file names and stale ones: unit tests in src/fix.rs.)

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

/// Starts `args` with the temporary file held open (a debug-build test hook), waits until a
/// file whose name `ours` recognises appears in `dir`, sends SIGTERM, and returns the exit
/// status and what `dir` holds afterwards.
fn interrupt_while_writing(
    dir: &Path,
    args: &[&str],
    ours: impl Fn(&str) -> bool,
) -> (Option<i32>, Vec<String>) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("sopkit"))
        .current_dir(dir)
        .args(args)
        .env("SOPKIT_TEST_HOLD_TEMP_MS", "60000")
        .env("SOURCE_DATE_EPOCH", "1764028800")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let names = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(50);
    while !names(dir).iter().any(|n| ours(n)) {
        assert!(
            std::time::Instant::now() < deadline,
            "no temporary file appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    (status.code(), names(dir))
}

#[test]
fn an_interrupted_fix_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.md"), FIXABLE).unwrap();
    let (code, left) =
        interrupt_while_writing(d, &["lint", "--no-config", "--fix-unsafe", "a.md"], |n| {
            n.starts_with(".a.md.sopkit-tmp-")
        });
    assert_eq!(code, Some(130));
    assert_eq!(left, ["a.md"], "temporary files left behind");
    assert_eq!(std::fs::read_to_string(d.join("a.md")).unwrap(), FIXABLE);
}

#[test]
fn an_interrupted_bundle_build_leaves_no_temporary_file_and_stale_ones_go() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("dist");
    std::fs::create_dir(&out).unwrap();
    // Left by a build killed two hours ago: the next build removes it.
    let stale = out.join(".sopbundle-OLD123.tmp");
    std::fs::write(&stale, "x").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(7200))
        .unwrap();
    let src = crate::support::fixtures().join("bundle/v1");
    let src = src.to_str().unwrap();
    let (code, left) = interrupt_while_writing(
        &out,
        &[
            "bundle",
            "build",
            src,
            "--name",
            "ops",
            "--version",
            "1.0.0",
            "-o",
            ".",
        ],
        |n| n.starts_with(".sopbundle-") && n != ".sopbundle-OLD123.tmp",
    );
    assert_eq!(code, Some(130));
    assert!(left.is_empty(), "left behind: {left:?}");
}
