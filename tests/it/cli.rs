//! Integration tests: the authoring commands (`new`, `init`, `completions`) only.
//! Other CLI areas have their own modules.

use std::path::Path;

use crate::support::sopkit;

const TEMPLATES: [&str; 3] = ["basic", "customer-service", "incident-escalation"];

/// Lints one file with every rule (and the preview ones with `--preview`); returns the exit
/// code and the concise output.
fn lint_concise(dir: &Path, file: &str, preview: bool) -> (i32, String) {
    let out = sopkit()
        .current_dir(dir)
        .args(["lint", "--format", "concise", file])
        .args(preview.then_some("--preview"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn new_sop(dir: &Path, template: &str, lang: &str, file: &str) {
    sopkit()
        .current_dir(dir)
        .args([
            "new",
            "Handle a damaged delivery",
            "--template",
            template,
            "--lang",
            lang,
        ])
        .args(["-o", file])
        .assert()
        .success();
}

/// Every template in every language (en, fi, hr, id, ms) lints clean, with the preview rules
/// too.
#[test]
fn new_writes_sops_that_lint_clean_in_every_language() {
    let dir = tempfile::tempdir().unwrap();
    for lang in ["en", "fi", "hr", "id", "ms"] {
        for template in TEMPLATES {
            let file = format!("{template}.{lang}.md");
            new_sop(dir.path(), template, lang, &file);
            for preview in [false, true] {
                let (code, out) = lint_concise(dir.path(), &file, preview);
                let errors: Vec<&str> = out.lines().filter(|l| l.contains(": error[")).collect();
                assert!(errors.is_empty(), "{file} (preview {preview}):\n{out}");
                assert_eq!(code, 0, "{file} (preview {preview}):\n{out}");
                // The templates are meant to be model SOPs: not even a warning.
                assert_eq!(out, "", "{file} has findings (preview {preview})");
            }
        }
    }
}

#[test]
fn new_fills_in_front_matter_and_headings() {
    let out = sopkit()
        .args([
            "new",
            "Obrada reklamacije: hitno",
            "--lang",
            "ms",
            "--id",
            "CS-042",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(
            "---\nid: CS-042\ntitle: \"Obrada reklamacije: hitno\"\nversion: 0.1.0\nstatus: draft\n"
        ),
        "{text}"
    );
    // SOPKIT_TODAY is 2026-11-25 in tests.
    assert!(text.contains("\neffective: 2026-11-25\nreview_by: 2027-11-25\nlang: ms\n"));
    assert!(text.contains("\n# Obrada reklamacije: hitno\n"));
    for heading in [
        "Tujuan",
        "Skop",
        "Peranan",
        "Prosedur",
        "Eskalasi",
        "Sejarah Semakan",
    ] {
        assert!(text.contains(&format!("\n## {heading}\n")), "{heading}");
    }
    assert!(text.contains("| 0.1.0 | 2026-11-25 |"));
}

#[test]
fn new_derives_the_id_from_the_title() {
    let out = sopkit()
        .args(["new", "Prijava štete – vozila"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("---\nid: prijava-stete-vozila\ntitle: Prijava štete – vozila\n"),
        "{text}"
    );
}

#[test]
fn new_never_overwrites_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sop.md");
    std::fs::write(&path, "keep me\n").unwrap();
    sopkit()
        .current_dir(dir.path())
        .args(["new", "Title", "-o", "sop.md"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me\n");
    // Nothing else left behind (no temporary file).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn new_rejects_a_language_without_templates() {
    sopkit()
        .args(["new", "Title", "--lang", "xx"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no template in language `xx`"));
}

const INIT_FILES: [&str; 4] = [
    "sopkit.yaml",
    "sops/example.md",
    ".github/workflows/sopkit.yml",
    "sopkit.pre-commit.yaml",
];

#[test]
fn init_creates_the_files_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("repo");
    sopkit()
        .arg("init")
        .arg(&target)
        .assert()
        .success()
        .stderr(predicates::str::contains("created"));
    let first: Vec<Vec<u8>> = INIT_FILES
        .iter()
        .map(|f| std::fs::read(target.join(f)).unwrap_or_else(|_| panic!("{f} missing")))
        .collect();

    #[cfg(unix)]
    for f in INIT_FILES {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(target.join(f))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644, "{f} is not an ordinary readable file");
    }
    let config = String::from_utf8(first[0].clone()).unwrap();
    assert!(config.lines().any(|l| l == "lang: en"));
    for key in [
        "include:",
        "exclude:",
        "rules:",
        "select:",
        "ignore:",
        "severity:",
        "options:",
        "packs:",
        "sections:",
        "required:",
        "order:",
        "aliases:",
        "overrides:",
    ] {
        assert!(
            config
                .lines()
                .any(|l| l.trim_start().starts_with('#') && l.contains(key)),
            "{key} is not shown as a commented example"
        );
    }
    let workflow = String::from_utf8(first[2].clone()).unwrap();
    assert!(workflow.contains("sopkit lint --format sarif > sopkit.sarif"));
    assert!(workflow.contains("github/codeql-action/upload-sarif"));
    assert!(workflow.contains("sopkit lint --format github"));
    assert!(String::from_utf8(first[3].clone())
        .unwrap()
        .contains("id: sopkit-lint"));

    // The example SOP lints clean.
    let (code, out) = lint_concise(&target, "sops/example.md", false);
    assert_eq!((code, out.as_str()), (0, ""));

    // A user edits one file; a second init changes nothing and says so.
    std::fs::write(target.join("sopkit.yaml"), "lang: ms\n").unwrap();
    sopkit()
        .arg("init")
        .arg(&target)
        .assert()
        .success()
        .stderr(predicates::str::contains("skipped"));
    assert_eq!(
        std::fs::read(target.join("sopkit.yaml")).unwrap(),
        b"lang: ms\n"
    );
    for (f, before) in INIT_FILES.iter().zip(&first).skip(1) {
        assert_eq!(
            &std::fs::read(target.join(f)).unwrap(),
            before,
            "{f} changed"
        );
    }
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "_sopkit()"),
        ("zsh", "#compdef sopkit"),
        ("fish", "complete -c sopkit"),
    ] {
        let out = sopkit().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(marker), "{shell}");
        assert!(text.contains("init"), "{shell} completes subcommands");
    }
}

#[test]
fn the_repository_offers_a_pre_commit_hook() {
    let text =
        std::fs::read_to_string(crate::support::root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let hook = &hooks[0];
    assert_eq!(hook["id"].as_str(), Some("sopkit-lint"));
    assert_eq!(hook["entry"].as_str(), Some("sopkit lint"));
    assert_eq!(hook["language"].as_str(), Some("rust"));
    assert_eq!(hook["types"][0].as_str(), Some("markdown"));
}

/// The workflow `sopkit init` writes installs sopkit with the command of the README's Install
/// section, and the README's CI example does too.
#[test]
fn the_init_workflow_installs_sopkit_as_the_readme_does() {
    let readme = std::fs::read_to_string(crate::support::root().join("README.md")).unwrap();
    let install = readme
        .split("## Install\n")
        .nth(1)
        .and_then(|s| s.lines().find(|l| l.starts_with("cargo install")))
        .expect("the README has an Install section with a cargo install command");
    let dir = tempfile::tempdir().unwrap();
    sopkit().arg("init").arg(dir.path()).assert().success();
    let workflow =
        std::fs::read_to_string(dir.path().join(".github/workflows/sopkit.yml")).unwrap();
    let installs: Vec<&str> = workflow
        .lines()
        .filter(|l| l.contains("cargo install"))
        .map(|l| {
            l.trim()
                .trim_start_matches("- ")
                .trim_start_matches("run: ")
        })
        .collect();
    assert_eq!(installs, [install], "{workflow}");
    let ci = readme.split("## CI\n").nth(1).unwrap();
    assert!(ci.contains(&format!("run: {install}\n")), "{ci}");
}

/// `new --help` lists the languages that have templates, and only those.
#[test]
fn new_help_lists_the_template_languages() {
    let out = sopkit().args(["new", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(
        help.contains(
            "Language of the document: en, fi, hr, id, ms (the languages that have templates)"
        ),
        "{help}"
    );
}
