//! Integration tests: configuration, suppressions, fixes and the lint flags of CI runs.

use std::path::Path;
use std::process::Command as StdCommand;

use crate::support::{copy_dir, fixtures, sopkit};

/// Runs `sopkit lint ARGS` in `dir`: (stdout, stderr, exit code).
fn lint_in(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = sopkit()
        .current_dir(dir)
        .arg("lint")
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

/// Standard error of a run whose only message is the summary line, with the time replaced
/// by `T`: "1 error, 0 warnings in 2 files (T s)".
fn summary_of(err: &str) -> String {
    regex::Regex::new(r"\(\d+\.\d+ s\)")
        .unwrap()
        .replace_all(err, "(T s)")
        .into_owned()
}

/// Asserts that standard error holds the summary line and nothing else.
fn assert_only_summary(err: &str) {
    let re = regex::Regex::new(
        r"\A\d+ errors?, \d+ warnings?(, \d+ notes?)? in \d+ files? \(T s\)(; [^\n]+)?\n\z",
    )
    .unwrap();
    assert!(re.is_match(&summary_of(err)), "{err:?}");
}

fn config_dir(name: &str) -> std::path::PathBuf {
    fixtures().join("config").join(name)
}

const NO_FM: &str = "the file has no YAML front matter";

#[test]
fn nearest_configuration_wins() {
    let (out, err, code) = lint_in(&config_dir("discovery"), &["--format", "concise"]);
    assert_eq!(
        summary_of(&err),
        "2 errors, 1 warning, 1 note in 4 files (T s)\n"
    );
    assert_eq!(
        out,
        format!(
            "a.md:1:1: error[M001] {NO_FM}\n\
             other/c.md:1:1: info[M001] {NO_FM}\n\
             plain/d.md:1:1: error[M001] {NO_FM}\n\
             sub/b.md:1:1: warning[M001] {NO_FM}\n"
        )
    );
    assert_eq!(code, 1);
}

#[test]
fn a_file_named_on_the_command_line_finds_its_configuration_too() {
    let (out, _, code) = lint_in(
        &config_dir("discovery"),
        &["sub/b.md", "--format", "concise"],
    );
    assert_eq!(out, format!("sub/b.md:1:1: warning[M001] {NO_FM}\n"));
    assert_eq!(code, 0);
}

#[test]
fn config_flag_and_no_config_override_discovery() {
    let dir = config_dir("discovery");
    let (out, _, _) = lint_in(
        &dir,
        &[
            "sub/b.md",
            "--config",
            "other/.sopkit.yaml",
            "--format",
            "concise",
        ],
    );
    assert_eq!(out, format!("sub/b.md:1:1: info[M001] {NO_FM}\n"));
    let (out, _, _) = lint_in(
        &dir,
        &[
            "sub/b.md",
            "--no-config",
            "--select",
            "M001",
            "--format",
            "concise",
        ],
    );
    assert_eq!(out, format!("sub/b.md:1:1: error[M001] {NO_FM}\n"));
}

#[test]
fn extends_merges_maps_key_by_key() {
    let (out, err, code) = lint_in(&config_dir("extends/project"), &["--format", "json"]);
    assert_only_summary(&err);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let got: Vec<(String, String, String, u64, u64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    // M001 keeps the base's severity (warning); S004 takes the project's (error); the base's
    // `select` still limits the run to these two rules.
    assert_eq!(
        got,
        vec![
            ("nofm.md".into(), "M001".into(), "warning".into(), 1, 1),
            ("title.md".into(), "S004".into(), "error".into(), 5, 3),
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn overrides_apply_by_glob() {
    let (out, _, code) = lint_in(&config_dir("overrides"), &["--format", "concise"]);
    assert_eq!(
        out,
        format!("a.md:1:1: error[M001] {NO_FM}\nold.legacy.md:1:1: info[M001] {NO_FM}\n")
    );
    assert_eq!(code, 1);
}

#[test]
fn command_line_layers_on_top_of_the_configuration() {
    let dir = config_dir("overrides");
    let (out, _, code) = lint_in(&dir, &["--severity", "M001=warning", "--format", "concise"]);
    assert_eq!(
        out,
        format!("a.md:1:1: warning[M001] {NO_FM}\nold.legacy.md:1:1: warning[M001] {NO_FM}\n")
    );
    assert_eq!(code, 0);
    let (out, _, code) = lint_in(
        &dir,
        &["--ignore", "front-matter-invalid", "--format", "concise"],
    );
    assert_eq!((out.as_str(), code), ("", 0));
    // `--select` replaces the configured selection; the override still ignores M001 in drafts.
    let (out, _, _) = lint_in(
        &dir,
        &[
            "--select",
            "M001,S004",
            "drafts/b.md",
            "a.md",
            "--format",
            "concise",
        ],
    );
    assert_eq!(out, format!("a.md:1:1: error[M001] {NO_FM}\n"));
}

#[test]
fn unknown_command_line_code_is_a_usage_error() {
    let (out, err, code) = lint_in(&config_dir("overrides"), &["--select", "P0O4"]);
    assert_eq!(out, "");
    assert!(
        err.contains("invalid --select value `P0O4`: unknown rule `P0O4`"),
        "{err}"
    );
    assert!(err.contains("did you mean `P004`?"), "{err}");
    assert_eq!(code, 2);
    let (_, err, code) = lint_in(&config_dir("overrides"), &["--severity", "M001=loud"]);
    assert!(
        err.contains("invalid --severity value `M001=loud`: unknown severity `loud`"),
        "{err}"
    );
    assert_eq!(code, 2);
}

/// Lints with a configuration from `tests/fixtures/config/errors`: (stderr, exit code).
fn config_error(file: &str) -> (String, i32) {
    let (out, err, code) = lint_in(
        &config_dir("errors"),
        &["--config", file, "../discovery/a.md"],
    );
    assert_eq!(out, "");
    (err, code)
}

#[test]
fn unknown_key_shows_the_line_and_a_suggestion() {
    let (err, code) = config_error("unknown_key.yaml");
    assert_eq!(
        err,
        "sopkit::config::invalid

  × invalid configuration unknown_key.yaml:2:1: unknown key `exclud`
   ╭─[unknown_key.yaml:2:1]
 1 │ lang: en
 2 │ exclud: [\"drafts/**\"]
   · ───┬──
   ·    ╰── unknown key
   ╰────
  help: did you mean `exclude`?

"
    );
    assert_eq!(code, 2);
}

#[test]
fn unknown_rule_code_shows_the_line_and_a_suggestion() {
    let (err, code) = config_error("unknown_code.yaml");
    assert_eq!(
        err,
        "sopkit::config::invalid

  × invalid configuration unknown_code.yaml:4:7: unknown rule `P0O4`
   ╭─[unknown_code.yaml:4:7]
 3 │   ignore:
 4 │     - P0O4
   ·       ──┬─
   ·         ╰── unknown rule
   ╰────
  help: did you mean `P004`?

"
    );
    assert_eq!(code, 2);
}

#[test]
fn other_configuration_errors_are_located() {
    for (file, want) in [
        (
            "wrong_type.yaml",
            "wrong_type.yaml:2:3: `select` must be a list of",
        ),
        (
            "bad_options.yaml",
            "bad_options.yaml:3:5: invalid options for `M001`:",
        ),
        (
            "cycle_a.yaml",
            "cycle_b.yaml:1:11: `extends` cycle: `cycle_a.yaml`",
        ),
        (
            "unknown_section.yaml",
            "unknown_section.yaml:2:25: unknown section",
        ),
        (
            "bad_yaml.yaml",
            "bad_yaml.yaml:3:1: invalid YAML: did not find",
        ),
    ] {
        let (err, code) = config_error(file);
        assert!(
            err.contains(&format!("invalid configuration {want}")),
            "{file}: {err}"
        );
        assert_eq!(code, 2, "{file}");
    }
    let (err, _) = config_error("unknown_section.yaml");
    assert!(err.contains("help: did you mean `escalation`?"), "{err}");
}

#[test]
fn suppressions_of_all_three_kinds_and_unused_ones() {
    let dir = config_dir("suppress");
    let select = [
        "--select",
        "S003,S004,P002,P004,SUP001",
        "--format",
        "concise",
        "--no-config",
    ];
    let (out, _, code) = lint_in(&dir, &[&["doc.md"], &select[..]].concat());
    assert_eq!(
        out,
        "doc.md:33:1: info[SUP001] unused suppression: no `P002` finding here\n"
    );
    assert_eq!(code, 0);

    // The same file without its comments shows what they suppress.
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(dir.join("doc.md")).unwrap();
    let bare: String = text
        .lines()
        .filter(|l| !l.contains("sopkit-"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(tmp.path().join("doc.md"), bare).unwrap();
    let (out, _, _) = lint_in(tmp.path(), &[&["doc.md"], &select[..]].concat());
    assert_eq!(
        out,
        "doc.md:11:3: warning[S004] the heading “Password reset” differs from the front matter title “Reset a customer password”\n\
         doc.md:26:1: warning[P004] step numbering jumps from 2 to 4; expected 3\n\
         doc.md:27:1: warning[P004] step number 4 is repeated; expected 5\n\
         doc.md:36:1: warning[S003] the section “References” is empty\n"
    );
    // Ignoring SUP001 silences the report of unused suppressions.
    let (out, _, _) = lint_in(
        &dir,
        &[
            "doc.md",
            "--no-config",
            "--select",
            "S003,S004,P002,P004",
            "--format",
            "concise",
        ],
    );
    assert_eq!(out, "");
}

fn fix_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&config_dir("fix"), tmp.path());
    tmp
}

#[test]
fn fix_twice_changes_nothing_the_second_time() {
    let tmp = fix_copy();
    let args = [
        "--no-config",
        "--select",
        "P004",
        "--fix",
        "--format",
        "concise",
    ];
    let (out, err, code) = lint_in(tmp.path(), &args);
    let err = summary_of(&err);
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        (
            "",
            "0 errors, 0 warnings in 1 file (T s); 1 fix applied\n",
            0
        )
    );
    let once = std::fs::read(tmp.path().join("flawed.md")).unwrap();
    let original = std::fs::read_to_string(config_dir("fix/flawed.md")).unwrap();
    assert_eq!(
        String::from_utf8(once.clone()).unwrap(),
        original.replace("4. Send the reset link.", "3. Send the reset link.")
    );
    let (out, err, code) = lint_in(tmp.path(), &args);
    let err = summary_of(&err);
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        (
            "",
            "0 errors, 0 warnings in 1 file (T s); 0 fixes applied\n",
            0
        )
    );
    assert_eq!(std::fs::read(tmp.path().join("flawed.md")).unwrap(), once);
    // The fixed file re-lints with no front matter error.
    let (out, _, _) = lint_in(
        tmp.path(),
        &[
            "--no-config",
            "--select",
            "M001,P004",
            "--format",
            "concise",
        ],
    );
    assert_eq!(out, "");
}

#[test]
fn diff_prints_the_fixes_and_writes_nothing() {
    let tmp = fix_copy();
    let before = std::fs::read(tmp.path().join("flawed.md")).unwrap();
    let (out, err, code) = lint_in(
        tmp.path(),
        &["flawed.md", "--no-config", "--select", "P004", "--diff"],
    );
    assert_eq!(
        out,
        "--- a/flawed.md
+++ b/flawed.md
@@ -23,7 +23,7 @@
 ## Procedure
 1. Confirm the caller's identity.
 2. Open the account in the admin console.
-4. Send the reset link.
+3. Send the reset link.
 4. Tell the customer that the link expires in one hour.
 
 ## Escalation
"
    );
    assert_eq!(err, "1 fix would be applied to 1 file\n");
    assert_eq!(code, 1);
    assert_eq!(std::fs::read(tmp.path().join("flawed.md")).unwrap(), before);
}

#[test]
fn max_warnings() {
    let dir = config_dir("fix");
    let args = [
        "flawed.md",
        "--no-config",
        "--select",
        "P004",
        "--format",
        "concise",
    ];
    assert_eq!(lint_in(&dir, &args).2, 0);
    assert_eq!(
        lint_in(&dir, &[&args[..], &["--max-warnings", "2"]].concat()).2,
        0
    );
    let (out, err, code) = lint_in(&dir, &[&args[..], &["--max-warnings", "1"]].concat());
    assert_eq!(out.lines().count(), 2);
    assert_eq!(code, 1);
    // The summary says why a run without errors fails.
    assert!(
        summary_of(&err).ends_with("; failing: 2 warnings is more than --max-warnings 1 allows\n"),
        "{err}"
    );
    let (_, err, _) = lint_in(&dir, &[&args[..], &["--max-warnings", "2"]].concat());
    assert!(!err.contains("failing"), "{err}");
}

/// The summary says what `--fix` could do, and after `--fix` how many more fixes
/// `--fix-unsafe` would apply.
#[test]
fn the_summary_counts_the_fixes_left() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&crate::support::root().join("examples/flawed"), tmp.path());
    let args = ["--no-config", "--format", "concise"];
    let (_, err, _) = lint_in(tmp.path(), &args);
    assert!(
        summary_of(&err).ends_with("; 1 fixable with --fix; 3 more with --fix-unsafe\n"),
        "{err}"
    );
    let (_, err, _) = lint_in(tmp.path(), &["--no-config", "--diff"]);
    assert_eq!(
        err,
        "1 fix would be applied to 1 file; 3 more with --fix-unsafe\n"
    );
    let (_, err, _) = lint_in(tmp.path(), &[&args[..], &["--fix"]].concat());
    assert!(
        summary_of(&err).ends_with("; 1 fix applied; 3 more with --fix-unsafe\n"),
        "{err}"
    );
    let (_, err, _) = lint_in(tmp.path(), &[&args[..], &["--fix-unsafe"]].concat());
    assert!(summary_of(&err).ends_with("; 3 fixes applied\n"), "{err}");
    let (_, err, _) = lint_in(tmp.path(), &args);
    assert!(!err.contains("fix"), "{err}");
}

#[test]
fn statistics_count_findings_per_rule() {
    let (out, _, code) = lint_in(
        &config_dir("fix"),
        &[
            "flawed.md",
            "--no-config",
            "--select",
            "P004",
            "--statistics",
        ],
    );
    assert_eq!(out, "2  P004  step-numbering  warning\n");
    assert_eq!(code, 0);
}

#[test]
fn stdin_uses_the_configuration_of_its_file_name() {
    let out = sopkit()
        .current_dir(config_dir("discovery"))
        .args([
            "lint",
            "-",
            "--stdin-filename",
            "sub/x.md",
            "--format",
            "concise",
        ])
        .write_stdin("# No front matter\n")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("sub/x.md:1:1: warning[M001] {NO_FM}\n")
    );
    assert_eq!(out.status.code(), Some(0));
}

fn git(dir: &Path, args: &[&str]) {
    let status = StdCommand::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn changed_since_reports_only_changed_files_but_sees_all() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let doc = "---\nid: DUP-1\ntitle: T\n---\n# T\n";
    std::fs::write(d.join("a.md"), doc).unwrap();
    std::fs::write(d.join("b.md"), doc).unwrap();
    git(d, &["init", "-q"]);
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "init"]);
    std::fs::write(d.join("b.md"), format!("{doc}\nMore.\n")).unwrap();
    std::fs::write(d.join("c.md"), "# Untracked\n").unwrap();
    let args = [
        "--no-config",
        "--select",
        "X001,M001",
        "--format",
        "concise",
    ];
    let (out, err, code) = lint_in(d, &[&args[..], &["--changed-since", "HEAD"]].concat());
    assert_only_summary(&err);
    // a.md is unchanged and not reported, but the duplicate id in b.md is still found.
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("b.md:2:5: error[X001] "), "{out}");
    assert_eq!(lines[1], format!("c.md:1:1: error[M001] {NO_FM}"));
    assert_eq!(code, 1);
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "more"]);
    let (out, _, code) = lint_in(d, &[&args[..], &["--changed-since", "HEAD"]].concat());
    assert_eq!((out.as_str(), code), ("", 0));
    let (_, err, code) = lint_in(
        d,
        &[&args[..], &["--changed-since", "no-such-rev"]].concat(),
    );
    assert!(
        err.contains("--changed-since: `no-such-rev` is not a commit of the repository"),
        "{err}"
    );
    assert_eq!(code, 2);
}

#[test]
fn changed_since_outside_git_says_it_needs_a_repository() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.md"), "# A\n").unwrap();
    let (_, err, code) = lint_in(
        tmp.path(),
        &[
            "--no-config",
            "--changed-since",
            "HEAD",
            "--format",
            "concise",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("--changed-since needs a git repository, and ")
            && err.contains("is not in one"),
        "{err}"
    );
}

#[test]
fn adoption_on_openshift_runbooks() {
    let (out, err, code) = lint_in(&config_dir("adoption"), &["--format", "json"]);
    assert_only_summary(&err);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let diags = v.as_array().unwrap();
    assert!(!diags.is_empty());
    let files: std::collections::BTreeSet<&str> =
        diags.iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert!(
        !files.contains("NOTICE.md"),
        "excluded by the configuration"
    );
    for d in diags {
        assert_ne!(d["severity"], "error", "{d}");
        // Meaning and Mitigation are aliases of the required sections.
        assert_ne!(d["code"], "S001", "{d}");
        assert!(d["line"].as_u64().unwrap() >= 1);
    }
}

/// Every file under `dir` with its bytes, sorted by path.
fn snapshot_tree(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(snapshot_tree(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

/// The number of fixes in "N fix(es) applied" (`--fix`) or "N fix(es) would be applied"
/// (`--diff`).
fn fixes_applied(stderr: &str) -> usize {
    let re = regex::Regex::new(r"(\d+) fix(es)? (would be )?applied").unwrap();
    let n = re.captures(stderr).map(|c| c[1].to_string());
    n.and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no fix count in {stderr:?}"))
}

#[test]
fn fix_on_the_flawed_examples_converges_and_diff_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&crate::support::root().join("examples/flawed"), tmp.path());
    let before = snapshot_tree(tmp.path());

    let (out, err, _) = lint_in(tmp.path(), &["--no-config", "--fix-unsafe", "--diff"]);
    assert!(out.starts_with("--- a/"), "{out}");
    assert_eq!(snapshot_tree(tmp.path()), before, "--diff wrote a file");

    let args = ["--no-config", "--fix-unsafe", "--format", "concise"];
    let (_, err1, _) = lint_in(tmp.path(), &args);
    let first = fixes_applied(&err1);
    assert!(first > 0, "{err1}");
    assert_eq!(
        fixes_applied(&err),
        first,
        "--diff and --fix disagree: {err} / {err1}"
    );
    let once = snapshot_tree(tmp.path());
    assert_ne!(once, before);

    let (out, err2, _) = lint_in(tmp.path(), &args);
    assert_eq!(fixes_applied(&err2), 0, "{err2}");
    assert_eq!(snapshot_tree(tmp.path()), once);
    // No fix broke a front matter that parsed before.
    let (before_m001, _, _) = lint_in(
        &crate::support::root().join("examples/flawed"),
        &["--no-config", "--select", "M001", "--format", "concise"],
    );
    let after_m001: Vec<&str> = out.lines().filter(|l| l.contains("[M001]")).collect();
    assert_eq!(after_m001, before_m001.lines().collect::<Vec<_>>());
}

#[test]
fn include_limits_walked_files_and_lang_sets_the_default_language() {
    let dir = config_dir("include");
    // sops/a.md is Finnish by the configuration's `lang`: the English pack stays quiet.
    let (out, _, code) = lint_in(&dir, &["--format", "concise"]);
    assert_eq!((out.as_str(), code), ("", 0));
    // A file named on the command line is linted even outside `include`.
    let (out, _, _) = lint_in(&dir, &["notes/b.md", "--format", "concise"]);
    assert_eq!(out, format!("notes/b.md:1:1: error[M001] {NO_FM}\n"));
    let (out, _, _) = lint_in(
        &dir,
        &[
            "--no-config",
            "--select",
            "M001,EN001",
            "--format",
            "concise",
        ],
    );
    assert_eq!(
        out,
        format!(
            "notes/b.md:1:1: error[M001] {NO_FM}\n\
             sops/a.md:8:4: warning[EN001] Use 'Use' instead of 'Utilize'.\n"
        )
    );
}

#[test]
fn suppressing_a_rule_that_is_not_enabled_is_reported() {
    let args = [
        "doc.md",
        "--no-config",
        "--select",
        "S003,S004,P004,SUP001",
        "--format",
        "concise",
    ];
    let (out, _, _) = lint_in(&config_dir("suppress"), &args);
    assert_eq!(
        out,
        "doc.md:33:1: info[SUP001] unused suppression: rule `P002` is not enabled\n"
    );
}

#[test]
fn include_selects_files_of_any_extension() {
    let (out, err, code) = lint_in(&config_dir("extensions"), &["--format", "concise", "."]);
    assert_only_summary(&err);
    assert_eq!(
        out,
        format!(
            "source/manual/deploy.html.md:1:1: error[M001] {NO_FM}\n\
             source/manual/restart.html.md.erb:1:1: error[M001] {NO_FM}\n\
             source/rotate.markdown:1:1: error[M001] {NO_FM}\n"
        )
    );
    assert_eq!(code, 1);
}

#[test]
fn a_walk_that_matches_no_file_exits_2_with_the_patterns_it_tried() {
    let (out, err, code) = lint_in(&config_dir("nomatch"), &["."]);
    assert_eq!(out, "");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no files matched"), "{err}");
    assert!(err.contains("source/**/*.md.erb"), "{err}");

    let tmp = tempfile::tempdir().unwrap();
    let (_, err, code) = lint_in(tmp.path(), &["--no-config", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no files matched"), "{err}");
    assert!(err.contains("**/*.md, **/*.markdown"), "{err}");
}

/// Runs `sopkit lint --format concise .` in a config fixture with today pinned.
fn lint_today(name: &str) -> (String, String, i32) {
    let out = sopkit()
        .current_dir(config_dir(name))
        .env("SOPKIT_TODAY", "2026-11-30")
        .args(["lint", "--format", "concise", "."])
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn preset_govuk_tech_docs_reads_owner_slack_and_review_dates() {
    let (out, err, code) = lint_today("govuk");
    assert_only_summary(&err);
    // The repository requires `title` and an owner, which the convention keeps in
    // `owner_slack`; the review is due
    // `review_in` ("6 month", "3 months") after `last_reviewed_on`.
    assert_eq!(
        out,
        "source/manual/no-owner.html.md.erb:3:1: error[M002] the front matter has no `owner_slack` field\n\
         source/manual/overdue.html.md.erb:5:12: warning[M006] the review was due on 2026-08-17, 6 month after the last review on 2026-02-17 (3 months ago)\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn preset_docfx_reads_ms_fields_and_month_first_dates() {
    let (out, err, code) = lint_today("docfx");
    assert_only_summary(&err);
    // `ms.date: 10/01/2020` is a date under `dates: mdy`; the file with every field is clean.
    assert_eq!(
        out,
        "typo.md:3:10: error[M004] ms.date `08/232017` is neither an ISO 8601 date (YYYY-MM-DD) nor a MM/DD/YYYY date\n\
         typo.md:4:1: error[M002] the front matter has no `ms.author` field\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn fields_map_sopkit_names_to_the_files_keys() {
    let (out, err, code) = lint_today("fields");
    assert_only_summary(&err);
    // Named-month dates are read for the review (Dec 12, 2025 + 12 months is not yet due;
    // 1 March 2025 + 1 year is), and M004 still asks for ISO 8601 there.
    assert_eq!(
        out,
        "doc.md:8:19: error[M004] last_reviewed_on date `Dec 12, 2025` is neither an ISO 8601 date (YYYY-MM-DD) nor a MM/DD/YYYY date\n\
         doc.md:10:1: error[M002] the front matter has no `owner_slack` field\n\
         missing.md:8:19: error[M004] last_reviewed_on date `1 March 2025` is neither an ISO 8601 date (YYYY-MM-DD) nor a MM/DD/YYYY date\n\
         missing.md:9:12: warning[M006] the review was due on 2026-03-01, 1 year after the last review on 2025-03-01 (9 months ago)\n\
         missing.md:10:1: error[M002] the front matter has no `owner_slack` field\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn metadata_keys_are_validated_with_suggestions() {
    for (file, want, help) in [
        (
            "unknown_preset.yaml",
            "unknown_preset.yaml:2:9: unknown preset `govuk-tech-",
            "did you mean `govuk-tech-docs`?",
        ),
        (
            "unknown_field.yaml",
            "unknown_field.yaml:3:3: unknown key `efective` in",
            "did you mean `effective`?",
        ),
        (
            "bad_dates.yaml",
            "bad_dates.yaml:2:8: unknown date order `ymd-us`",
            "use iso, mdy (MM/DD/YYYY) or dmy (DD/MM/YYYY)",
        ),
    ] {
        let (err, code) = config_error(file);
        assert!(
            err.contains(&format!("invalid configuration {want}")),
            "{file}: {err}"
        );
        assert!(err.contains(help), "{file}: {err}");
        assert_eq!(code, 2, "{file}");
    }
}

#[test]
fn preset_govuk_tech_docs_requires_only_a_title() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sopkit.yaml"), "preset: govuk-tech-docs\n").unwrap();
    std::fs::write(
        dir.path().join("page.md"),
        "---\ntitle: Roll back an app\n---\n\nRun the rollback job.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("untitled.md"),
        "---\nowner_slack: \"#team\"\n---\n\nText.\n",
    )
    .unwrap();
    let (out, _, _) = lint_in(
        dir.path(),
        &["--format", "concise", "--select", "M002", "."],
    );
    assert_eq!(
        out,
        "untitled.md:3:1: error[M002] the front matter has no `title` field\n"
    );
}

/// Preview rules are off by default; `--preview`, `rules: { preview: true }` or the exact code
/// turn them on, a family prefix does not.
#[test]
fn preview_rules_are_opt_in() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "# Steps\n\n## Procedure\n\n1. The ticket was closed by the agent.\n",
    )
    .unwrap();
    let codes = |extra: &[&str]| {
        let mut args = vec!["--format", "concise", "--select", "P"];
        args.extend_from_slice(extra);
        args.push("a.md");
        let (out, _, _) = lint_in(dir.path(), &args);
        out.contains("[P001]")
    };
    assert!(!codes(&[]), "a prefix does not select a preview rule");
    assert!(codes(&["--preview"]));
    let (out, _, _) = lint_in(
        dir.path(),
        &["--format", "concise", "--select", "P001", "a.md"],
    );
    assert!(out.contains("[P001]"), "{out}");
    std::fs::write(dir.path().join("sopkit.yaml"), "rules:\n  preview: true\n").unwrap();
    let (out, _, _) = lint_in(dir.path(), &["--format", "concise", "a.md"]);
    assert!(out.contains("[P001]"), "{out}");
    std::fs::write(
        dir.path().join("sopkit.yaml"),
        "rules:\n  preview: yes please\n",
    )
    .unwrap();
    let (_, err, code) = lint_in(dir.path(), &["a.md"]);
    assert_eq!(code, 2, "{err}");
}
