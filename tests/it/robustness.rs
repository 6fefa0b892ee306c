//! Bad input never panics, hangs or stops the run: each case gives a located error and the
//! other files are still linted (issue 2, point 8).

use std::io::Write;

use proptest::prelude::*;
use sopkit::lint::{Input, Linter};
use sopkit::settings::Settings;

use crate::support::sopkit;

/// A small valid file linted beside every bad one, to prove the run goes on.
const GOOD: &str = "---\nid: OK-1\ntitle: Fine\n---\n# Fine\n";

fn lint_with_good(name: &str, bad: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), bad).unwrap();
    std::fs::write(dir.path().join("good.md"), GOOD).unwrap();
    let out = sopkit()
        .current_dir(dir.path())
        .args(["lint", "--format", "concise", "."])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("good.md:"),
        "the good file was not linted:\n{stdout}"
    );
    assert_ne!(out.status.code(), None, "killed by a signal");
    stdout
}

fn line_for<'a>(out: &'a str, name: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(name))
        .unwrap_or_else(|| panic!("no line for {name} in:\n{out}"))
}

#[test]
fn invalid_utf8_is_located() {
    let out = lint_with_good("latin1.md", b"# Title\n\nCaf\xe9 au lait\n");
    assert_eq!(
        line_for(&out, "latin1.md"),
        "latin1.md:3:4: error[IO] invalid UTF-8 at byte 12; skipped"
    );
}

#[test]
fn binary_file_is_skipped() {
    let out = lint_with_good("image.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    assert_eq!(
        line_for(&out, "image.md"),
        "image.md:3:1: error[IO] binary file (contains NUL bytes); skipped"
    );
}

#[test]
fn broken_yaml_gives_the_yaml_line() {
    let out = lint_with_good(
        "broken.md",
        b"---\nid: A\ntitle: [oops\nowner: x\n---\n# A\n",
    );
    let line = line_for(&out, "broken.md");
    assert!(
        line.starts_with("broken.md:4:1: error[M001] front matter is not valid YAML"),
        "{line}"
    );
}

#[test]
fn huge_file_is_skipped_with_a_message() {
    let mut big = Vec::with_capacity(50 * 1024 * 1024 + 100);
    big.extend_from_slice(b"# Big\n\n");
    let para = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n";
    while big.len() < 50 * 1024 * 1024 {
        big.extend_from_slice(para);
    }
    let out = lint_with_good("big.md", &big);
    assert_eq!(
        line_for(&out, "big.md"),
        "big.md:1:1: error[IO] file is 50 MB, larger than the 16 MB limit; skipped"
    );
}

#[test]
fn lists_nested_ten_thousand_deep() {
    let mut deep = String::from("# Deep\n## Procedure\n");
    for i in 0..10_000 {
        deep.push_str(&"  ".repeat(i.min(300)));
        deep.push_str("- step\n");
    }
    let out = lint_with_good("deep.md", deep.as_bytes());
    assert!(
        line_for(&out, "deep.md").starts_with("deep.md:103:"),
        "{out}"
    );
    assert!(line_for(&out, "deep.md").contains("nested more than 100 levels"));

    // The same depth written on one line.
    let one_line = format!("# Deep\n{}x\n", "- ".repeat(10_000));
    let out = lint_with_good("oneline.md", one_line.as_bytes());
    assert!(
        line_for(&out, "oneline.md").starts_with("oneline.md:2:"),
        "{out}"
    );

    let quotes = format!("# Deep\n{} x\n", ">".repeat(10_000));
    let out = lint_with_good("quotes.md", quotes.as_bytes());
    assert!(line_for(&out, "quotes.md").contains("nested more than 100 levels"));
}

#[test]
fn missing_file_is_an_io_error_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.md"), GOOD).unwrap();
    let out = sopkit()
        .current_dir(dir.path())
        .args(["lint", "--format", "concise", "missing.md", "good.md"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("missing.md:1:1: error[IO] cannot read file"),
        "{stdout}"
    );
    // In words, without the OS error number.
    assert!(
        stdout
            .lines()
            .any(|l| l == "missing.md:1:1: error[IO] cannot read file: no such file or directory"),
        "{stdout}"
    );
    assert!(stdout.contains("good.md:"));
    assert_eq!(out.status.code(), Some(2));
}

/// `sopkit export DIR` says that it wants one file (and names one), not that a directory is "a
/// FIFO, socket or device".
#[test]
fn export_of_a_directory_asks_for_a_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sops")).unwrap();
    let out = sopkit()
        .current_dir(dir.path())
        .args(["export", "sops"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: sops is a directory: `sopkit export` takes one SOP file\n"
    );
    std::fs::write(dir.path().join("sops/b.md"), GOOD).unwrap();
    std::fs::write(dir.path().join("sops/a.md"), GOOD).unwrap();
    let out = sopkit()
        .current_dir(dir.path())
        .args(["export", "sops/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: sops/ is a directory: `sopkit export` takes one SOP file, such as `sopkit export sops/a.md`\n"
    );
}

/// A missing configuration file or key is named, with the reason in words (no "os error 2").
#[test]
fn missing_config_and_key_files_are_reported_in_words() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), GOOD).unwrap();
    let run = |args: &[&str]| {
        let out = sopkit()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, err) = run(&["lint", "--config", "nothere.yaml", "a.md"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("cannot read configuration file nothere.yaml: no such file or directory"),
        "{err}"
    );
    let (code, err) = run(&[
        "bundle",
        "build",
        "a.md",
        "--name",
        "x",
        "--version",
        "1.0.0",
        "--sign",
        "no.key",
    ]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: cannot read secret key no.key: no such file or directory\n"
    );
}

/// A FIFO named like a Markdown file would block a plain read forever: it is refused.
#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.md"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is not available; skipped");
        return;
    }
    std::fs::write(dir.path().join("good.md"), GOOD).unwrap();
    let out = sopkit()
        .current_dir(dir.path())
        .args(["lint", "--format", "concise", "pipe.md", "good.md"])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.lines().any(|l| l
            == "pipe.md:1:1: error[IO] not a regular file (a FIFO, socket or device); skipped"),
        "{stdout}"
    );
    assert!(stdout.contains("good.md:"));
    assert_eq!(out.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.md");
    std::fs::write(&path, GOOD).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Running as root: permissions do not stop reading, nothing to test.
        return;
    }
    std::fs::write(dir.path().join("good.md"), GOOD).unwrap();
    let out = sopkit()
        .current_dir(dir.path())
        .args(["lint", "--format", "concise", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("secret.md:1:1: error[IO] cannot read file"),
        "{stdout}"
    );
    assert!(stdout.contains("good.md:"));
}

#[test]
fn stdin_is_linted_under_its_given_name() {
    let out = sopkit()
        .args([
            "lint",
            "--format",
            "concise",
            "--stdin-filename",
            "sops/x.md",
            "-",
        ])
        .write_stdin("# No front matter\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("sops/x.md:1:1: error[M001]"), "{stdout}");
}

fn lint_text(text: String) {
    let linter = Linter::with_defaults(Settings::default());
    let reports = linter.run(vec![
        Input {
            path: "a.md".into(),
            bytes: Ok(text.clone().into_bytes()),
        },
        Input {
            path: "b.md".into(),
            bytes: Ok(text.into_bytes()),
        },
    ]);
    for r in &reports {
        for d in &r.diagnostics {
            assert!(d.line >= 1 && d.column >= 1);
            assert!((d.end_line, d.end_column) >= (d.line, d.column));
        }
        if let Some(doc) = &r.document {
            serde_json::to_string(doc).unwrap();
        }
    }
}

/// Markdown made of the pieces SOPs are made of, in any order.
fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[A-Za-zčćžšđäöå ]{0,30}".prop_map(|t| format!("# {t}\n")),
        prop::sample::select(vec![
            "## Purpose\n",
            "## Procedure\n",
            "## Escalation\n",
            "## Roles\n",
            "## Revision history\n",
            "## Prosedur\n",
            "## Eskalacija\n",
            "## Eskalointi\n",
            "## Sejarah Semakan\n",
        ])
        .prop_map(str::to_string),
        ("[0-9]{1,3}", "[ ]{0,8}", "[a-zA-Z ,;.ćäö]{0,60}")
            .prop_map(|(n, indent, t)| format!("{indent}{n}. {t}\n")),
        ("[ ]{0,6}", "[-*+]", "[a-zA-Z *_`:]{0,40}").prop_map(|(i, m, t)| format!("{i}{m} {t}\n")),
        "[a-zA-Z0-9 @#{}\\[\\]:.]{0,20}"
            .prop_map(|c| format!("| 1 | **Role** | when x | {c} | a@b.c |\n")),
        Just("| Level | Role | When | Within | Contact |\n|---|---|---|---|---|\n".to_string()),
        Just("| Version | Date | Author | Change |\n|---|---|---|---|\n".to_string()),
        "[a-z_]{1,10}: [a-zA-Z0-9 \\[\\]{}:-]{0,20}".prop_map(|kv| format!("---\n{kv}\n---\n")),
        Just("<!-- sopkit-disable P001 -->\n".to_string()),
        "[a-zA-Z ]{0,20}".prop_map(|t| format!("[{t}](other.md#{t})\n")),
        Just("```\ncode\n```\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("> quote\n".to_string()),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        lint_text(text);
    }

    #[test]
    fn arbitrary_markdown_never_panics(text in markdown()) {
        lint_text(text);
    }
}

#[test]
fn regression_front_matter_only_dashes() {
    for text in [
        "---",
        "---\n",
        "---\n---",
        "---\r\n---\r\n",
        "\u{feff}",
        "\u{feff}---\n...\n",
        "1.",
        "|",
        "| a |\n|---|\n| b |",
    ] {
        lint_text(text.to_string());
    }
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(b"x").unwrap();
}

/// The real runbooks under tests/corpora (four public projects, none written for sopkit):
/// every file parses and lints without a panic, and every finding is located inside its file.
#[test]
fn real_runbooks_never_panic() {
    let root = crate::support::root().join("tests/corpora");
    let mut inputs = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "md") {
                inputs.push(Input::read(&p));
            }
        }
    }
    assert!(inputs.len() > 400, "corpus has {} files", inputs.len());
    let reports = Linter::with_defaults(Settings::default()).run(inputs);
    for r in &reports {
        assert!(r.error.is_none(), "{}: {:?}", r.path, r.error);
        let doc = r.document.as_ref().unwrap();
        let lines = doc.line_index.line_count();
        for d in &r.diagnostics {
            assert!(d.line <= lines && d.end_line <= lines, "{d:?}");
        }
    }
}

#[test]
fn export_reports_unreadable_input_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("latin1.md"), b"# Title\n\nCaf\xe9\n").unwrap();
    let out = sopkit()
        .current_dir(dir.path())
        .args(["export", "latin1.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "latin1.md:3:4: error: invalid UTF-8 at byte 12; skipped\n"
    );
}

#[test]
fn export_uses_the_configured_aliases() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sopkit.yaml"),
        "sections:\n  aliases:\n    procedure: [Mitigation]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("runbook.md"),
        "# Disk full\n## Mitigation\n1. Delete old logs.\n",
    )
    .unwrap();
    let out = sopkit()
        .current_dir(dir.path())
        .args(["export", "runbook.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["sections"][1]["kind"], "procedure");
    assert_eq!(doc["steps"][0]["text"], "Delete old logs.");
}

#[test]
fn export_shows_where_steps_were_found_and_why() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("runbook.html.md.erb"),
        "---\ntitle: Recreate the account\n---\n# <%= current_page.data.title %>\n\n\
         ## Step 1: Create the account\n1. Open the console.\n   Responsible: platform team\n\n\
         ## Symptoms\nThe account is gone.\n\nTo restore the backups:\n\n\
         1. Log in to the backup vault.\n2. Restore the latest snapshot.\n",
    )
    .unwrap();
    let out = sopkit()
        .current_dir(dir.path())
        .args(["export", "runbook.html.md.erb"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["title"]["value"], "Recreate the account");
    assert_eq!(doc["title_source"], "template");
    let lists = doc["step_lists"].as_array().unwrap();
    let found: Vec<_> = lists
        .iter()
        .map(|l| l["found_by"].as_str().unwrap())
        .collect();
    assert_eq!(found, ["step-heading", "step-heading", "cue"]);
    assert!(lists[2]["reason"]
        .as_str()
        .unwrap()
        .contains("2 of 2 items open with an instruction"));
    assert_eq!(doc["steps"][0]["text"], "Create the account");
    assert_eq!(doc["steps"][0]["heading"], true);
    let sub = &doc["steps"][0]["children"][0];
    assert_eq!(sub["text"], "Open the console.");
    assert_eq!(sub["fields"][0]["label"], "Responsible");
    assert_eq!(doc["steps"][1]["text"], "Log in to the backup vault.");
}

/// A reader that stops early (`sopkit rules --format markdown | head`) is not an error: the
/// closed pipe is told by its error kind, and sopkit exits 0 without a message. The reference
/// is larger than a pipe's buffer, so the write fails once the reader is gone.
#[test]
fn closed_pipe_is_success() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("sopkit"))
        .args(["rules", "--format", "markdown"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
