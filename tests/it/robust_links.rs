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
