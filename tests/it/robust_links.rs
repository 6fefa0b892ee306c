//! Issue 13, item 6: X002 looks at linked files through the guarded reader of inputs: a link
//! to a huge file, a FIFO or a device neither hangs nor reads gigabytes.

use crate::support::sopkit;

#[test]
fn links_to_a_huge_file_a_fifo_and_a_device_are_checked_without_reading_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 1 GB, sparse: reading it would take seconds and a gigabyte of memory.
    let big = std::fs::File::create(d.join("big.md")).unwrap();
    big.set_len(1 << 30).unwrap();
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.md")).unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(d.join("pipe.md"))
        .status()
        .is_ok_and(|s| s.success());
    std::fs::write(
        d.join("a.md"),
        "# A\n\n[big](big.md#x) [zero](zero.md#y) [pipe](pipe.md#z)\n",
    )
    .unwrap();
    let out = sopkit()
        .current_dir(d)
        .args([
            "lint",
            "--no-config",
            "--select",
            "X002",
            "--format",
            "concise",
        ])
        .arg("a.md")
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("\"big.md\" has no heading for \"#x\""),
        "{stdout}"
    );
    assert!(stdout.contains("\"zero.md\" does not exist"), "{stdout}");
    if fifo {
        assert!(stdout.contains("\"pipe.md\" does not exist"), "{stdout}");
    }
}

/// A configuration, a rule pack or a key that is a FIFO is refused at once, with the reason,
/// instead of blocking the run forever on the open.
#[test]
fn a_fifo_as_configuration_pack_or_key_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let made = std::process::Command::new("mkfifo")
        .arg(d.join("fifo"))
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("no mkfifo here: skipped");
        return;
    }
    std::fs::write(d.join("packs.yaml"), "packs: [fifo]\n").unwrap();
    std::fs::write(d.join("a.md"), "---\nid: A-1\nstatus: approved\n---\n# A\n").unwrap();
    let run = |args: &[&str]| {
        let out = sopkit()
            .current_dir(d)
            .args(args)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run(&["lint", "--config", "fifo", "a.md"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("configuration file fifo: not a regular file"),
        "{err}"
    );
    let (code, err) = run(&["lint", "--config", "packs.yaml", "a.md"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("rule pack fifo: not a regular file"), "{err}");
    let (code, err) = run(&[
        "bundle",
        "build",
        "a.md",
        "--name",
        "x",
        "--version",
        "1.0.0",
        "-o",
        "out",
        "--sign",
        "fifo",
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
}
