//! Issue 13, item 2: no output format panics on a finding past column 65,535 (miette's
//! graphical renderer pads with `{:width$}`, which panics above `u16::MAX`), nor on a
//! configuration error there.

use crate::support::sopkit;

const FORMATS: [&str; 6] = ["human", "concise", "json", "sarif", "github", "junit"];

#[test]
fn a_finding_at_column_70000_is_reported_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let line = format!("{} [a](missing.md)", "x".repeat(70_000));
    std::fs::write(dir.path().join("long.md"), format!("{line}\n")).unwrap();
    for format in FORMATS {
        let out = sopkit()
            .current_dir(dir.path())
            .args(["lint", "--no-config", "--format", format, "long.md"])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{format}: {stderr}");
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
        assert!(stdout.contains("missing.md"), "{format}: no X002 finding");
        if format == "concise" {
            assert!(stdout.contains("long.md:1:70006: error[X002]"), "{stdout}");
        }
        if format == "human" {
            // No underline that far right: the report says where instead (the help wraps).
            let help = stdout.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(help.contains("at long.md:1:70006"), "{help}");
        }
    }
}

#[test]
fn a_config_error_at_column_70000_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = format!("rules: {{{}nosuch: 1}}\n", " ".repeat(70_000));
    std::fs::write(dir.path().join("sopkit.yaml"), yaml).unwrap();
    std::fs::write(dir.path().join("a.md"), "# A\n").unwrap();
    let out = sopkit()
        .current_dir(dir.path())
        .args(["lint", "a.md"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("invalid configuration sopkit.yaml:1:70009: unknown key `nosuch`"),
        "{stderr}"
    );
}

/// Many findings on one long line: the human report does not print the line once per finding
/// (which made the output, and the time, grow with findings × line length).
#[test]
fn many_findings_on_one_long_line_do_not_print_the_line_each_time() {
    let size = |links: usize| -> usize {
        let dir = tempfile::tempdir().unwrap();
        let line: String = (0..links)
            .map(|i| format!("[a](missing-{i}.md) "))
            .collect();
        std::fs::write(dir.path().join("long.md"), format!("{line}\n")).unwrap();
        let out = sopkit()
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .args([
                "lint",
                "--no-config",
                "--select",
                "X002",
                "--format",
                "human",
                "long.md",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        out.stdout.len()
    };
    let (small, large) = (size(2_000), size(4_000));
    // Twice the findings (and twice the line): about twice the output, not four times.
    assert!(large <= small * 5 / 2, "{small} -> {large} bytes");
}
