//! Integration tests: false alarms seen on real repositories that depend on the configuration.

use std::path::Path;

use crate::support::sopkit;

const FRONT: &str = "---\nid: OPS-001\ntitle: Restart the gateway\nversion: 1.0.0\nstatus: approved\nowner: Ops Lead\napprovers: [Head of Ops]\neffective: 2026-01-15\nreview_by: 2027-01-15\nlang: en\n---\n# Restart the gateway\n\n";

/// Writes `sopkit.yaml` and `sop.md` into a fresh directory and lints it: (stdout, code).
fn lint(config: &str, body: &str, args: &[&str]) -> (String, i32) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sopkit.yaml", config);
    write(dir.path(), "sop.md", &format!("{FRONT}{body}"));
    let out = sopkit()
        .current_dir(dir.path())
        .args(["lint", "--format", "concise"])
        .args(args)
        .arg("sop.md")
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn e001_respects_the_required_sections() {
    let body = "## Purpose\nRestore payments.\n\n## Procedure\n1. Restart the gateway.\n2. Escalate to the on-call engineer if the restart fails.\n";
    let (out, _) = lint(
        "sections:\n  required: [purpose, procedure]\n",
        body,
        &["--select", "E001"],
    );
    assert!(!out.contains("E001"), "{out}");
    // Required by default: the mention without a chain is reported.
    let (out, _) = lint("lang: en\n", body, &["--select", "E001"]);
    assert!(out.contains("E001"), "{out}");
}

#[test]
fn e001_still_reports_an_escalation_section_without_a_chain() {
    let body = "## Procedure\n1. Restart the gateway.\n\n## Escalation\nAsk around.\n";
    let (out, _) = lint(
        "sections:\n  required: [procedure]\n",
        body,
        &["--select", "E001"],
    );
    assert!(out.contains("E001"), "{out}");
}

#[test]
fn en004_allow_list_extends_in_the_configuration() {
    let body = "## Procedure\n1. Page the DBRE on call.\n2. Ask the DBREs to check the WAL.\n";
    let (out, _) = lint("lang: en\n", body, &["--select", "EN004"]);
    assert!(out.contains("'DBRE'"), "{out}");
    let (out, _) = lint(
        "rules:\n  options:\n    EN004:\n      allow: [DBRE, WAL]\n",
        body,
        &["--select", "EN004"],
    );
    assert!(!out.contains("EN004"), "{out}");
}

#[test]
fn en004_options_are_checked() {
    let (out, code) = lint(
        "rules:\n  options:\n    EN004:\n      alow: [DBRE]\n",
        "## Procedure\n1. Page the DBRE.\n",
        &[],
    );
    assert_eq!(code, 2, "{out}");
}

#[test]
fn x002_check_files_off_keeps_checking_anchors() {
    let body =
        "## Procedure\n1. Read [the guide](missing.md).\n2. Go back to [the steps](#procedur).\n";
    let (out, _) = lint("lang: en\n", body, &["--select", "X002"]);
    assert!(out.contains("missing.md"), "{out}");
    let (out, _) = lint(
        "rules:\n  options:\n    X002:\n      check-files: false\n",
        body,
        &["--select", "X002"],
    );
    assert!(!out.contains("missing.md"), "{out}");
    assert!(out.contains("#procedur"), "{out}");
}
