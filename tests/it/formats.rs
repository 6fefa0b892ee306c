//! Integration tests: output formats (`lint --format …`, `--statistics`), on the real binary.
//!
//! The fixtures are `tests/fixtures/formats/clean.md` (an SOP from `sopkit new`, no findings)
//! and `flawed.md` (a future-tense step at 31:20, a vague phrase at 32:21, a placeholder
//! contact at 40:64).

use std::path::Path;

use serde_json::Value;

use crate::support::{fixtures, sopkit};

/// `sopkit lint --format FORMAT formats` run from tests/fixtures, so paths are relative.
fn lint(format: &str) -> (i32, String) {
    lint_in(&fixtures(), &["formats"], format)
}

fn lint_in(dir: &Path, paths: &[&str], format: &str) -> (i32, String) {
    let out = sopkit()
        .current_dir(dir)
        .args(["lint", "--format", format])
        .args(paths)
        .output()
        .expect("runs");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    (out.status.code().expect("exit code"), stdout)
}

const P001_HELP: &str = r#"write the step as an instruction: "Send the form." instead of "The agent will send the form.""#;
const P007_MESSAGE: &str = r#""as appropriate" is vague: the reader cannot tell what to do"#;
const P007_HELP: &str = r#"replace "as appropriate" with the condition: "If the refund is above 200 EUR, escalate to the supervisor.""#;
const E008_MESSAGE: &str = r#"the contact of level 2 is a placeholder: "TODO""#;
const E008_HELP: &str = "write a contact someone can use at once: an e-mail address, a phone number, a chat channel (#name or @name) or a URL";

#[test]
fn concise_output_is_exact() {
    let (code, out) = lint("concise");
    assert_eq!(code, 1);
    assert_eq!(
        out,
        format!(
            "formats/flawed.md:31:20: warning[P001] step is in the future tense\n\
             formats/flawed.md:32:21: warning[P007] {P007_MESSAGE}\n\
             formats/flawed.md:40:64: error[E008] {E008_MESSAGE}\n"
        )
    );
}

/// One element of the JSON output, fields in the documented order.
fn json_entry(
    at: [usize; 4],
    code: &str,
    name: &str,
    severity: &str,
    message: &str,
    help: &str,
) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap();
    format!(
        "  {{\n    \"path\": \"formats/flawed.md\",\n    \"line\": {},\n    \"column\": {},\n    \"end_line\": {},\n    \"end_column\": {},\n    \"code\": \"{code}\",\n    \"name\": \"{name}\",\n    \"severity\": \"{severity}\",\n    \"message\": {},\n    \"help\": {}\n  }}",
        at[0], at[1], at[2], at[3], q(message), q(help)
    )
}

#[test]
fn json_output_is_exact() {
    let (code, out) = lint("json");
    assert_eq!(code, 1);
    let expected = [
        json_entry(
            [31, 20, 31, 30],
            "P001",
            "step-mood",
            "warning",
            "step is in the future tense",
            P001_HELP,
        ),
        json_entry(
            [32, 21, 32, 35],
            "P007",
            "vague-words",
            "warning",
            P007_MESSAGE,
            P007_HELP,
        ),
        json_entry(
            [40, 64, 40, 68],
            "E008",
            "invalid-contact",
            "error",
            E008_MESSAGE,
            E008_HELP,
        ),
    ];
    assert_eq!(out, format!("[\n{}\n]\n", expected.join(",\n")));
}

#[test]
fn json_output_of_a_clean_run_is_an_empty_array() {
    let (code, out) = lint_in(&fixtures(), &["formats/clean.md"], "json");
    assert_eq!((code, out.as_str()), (0, "[]\n"));
}

#[test]
fn github_output_is_exact() {
    let (code, out) = lint("github");
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "::warning file=formats/flawed.md,line=31,col=20,endLine=31,endColumn=30,title=P001 step-mood::step is in the future tense\n\
         ::warning file=formats/flawed.md,line=32,col=21,endLine=32,endColumn=35,title=P007 vague-words::\"as appropriate\" is vague: the reader cannot tell what to do\n\
         ::error file=formats/flawed.md,line=40,col=64,endLine=40,endColumn=68,title=E008 invalid-contact::the contact of level 2 is a placeholder: \"TODO\"\n"
    );
}

#[test]
fn github_output_escapes_properties() {
    // `:` and `,` separate workflow-command properties: a file name holding them is escaped.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("formats/flawed.md"),
        dir.path().join("ops: cards, 100%.md"),
    )
    .unwrap();
    std::fs::copy(
        fixtures().join("formats/sopkit.yaml"),
        dir.path().join("sopkit.yaml"),
    )
    .unwrap();
    let (code, out) = lint_in(dir.path(), &["ops: cards, 100%.md"], "github");
    assert_eq!(code, 1);
    let first = out.lines().next().unwrap();
    assert_eq!(
        first,
        "::warning file=ops%3A cards%2C 100%25.md,line=31,col=20,endLine=31,endColumn=30,title=P001 step-mood::step is in the future tense"
    );
}

#[test]
fn junit_output_is_exact() {
    let (code, out) = lint("junit");
    assert_eq!(code, 1);
    let q = |s: &str| s.replace('"', "&quot;");
    let expected = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="sopkit" tests="4" failures="3" errors="0">
  <testsuite name="formats/clean.md" tests="1" failures="0" errors="0" skipped="0">
    <testcase name="sopkit lint" classname="formats/clean.md" file="formats/clean.md"/>
  </testsuite>
  <testsuite name="formats/flawed.md" tests="3" failures="3" errors="0" skipped="0">
    <testcase name="P001 step-mood at line 31, column 20" classname="formats/flawed.md" file="formats/flawed.md" line="31">
      <failure message="step is in the future tense" type="P001">formats/flawed.md:31:20: warning[P001] step is in the future tense&#10;help: {}</failure>
    </testcase>
    <testcase name="P007 vague-words at line 32, column 21" classname="formats/flawed.md" file="formats/flawed.md" line="32">
      <failure message="{}" type="P007">formats/flawed.md:32:21: warning[P007] {}&#10;help: {}</failure>
    </testcase>
    <testcase name="E008 invalid-contact at line 40, column 64" classname="formats/flawed.md" file="formats/flawed.md" line="40">
      <failure message="{}" type="E008">formats/flawed.md:40:64: error[E008] {}&#10;help: {}</failure>
    </testcase>
  </testsuite>
</testsuites>
"#,
        q(P001_HELP),
        q(P007_MESSAGE),
        q(P007_MESSAGE),
        q(P007_HELP),
        q(E008_MESSAGE),
        q(E008_MESSAGE),
        q(E008_HELP),
    );
    assert_eq!(out, expected);
}

#[test]
fn junit_escapes_markup_in_paths() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("formats/clean.md"),
        dir.path().join("a&b <c>.md"),
    )
    .unwrap();
    let (code, out) = lint_in(dir.path(), &["a&b <c>.md"], "junit");
    assert_eq!(code, 0);
    assert!(
        out.contains(r#"<testsuite name="a&amp;b &lt;c&gt;.md" tests="1" failures="0""#),
        "{out}"
    );
}

/// The elapsed time is the only part of human output that changes from run to run.
fn without_time(s: &str) -> String {
    regex::Regex::new(r"\(\d+\.\d+ s\)")
        .unwrap()
        .replace_all(s, "(T s)")
        .into_owned()
}

#[test]
fn human_output_snapshot() {
    let (code, out) = lint("human");
    assert_eq!(code, 1);
    // Grouped by file: one header with the file's counts, before its reports.
    assert!(
        out.starts_with("formats/flawed.md: 1 error, 2 warnings\n"),
        "{out}"
    );
    assert!(
        !out.contains("formats/clean.md:"),
        "a clean file gets no header"
    );
    assert!(
        !out.contains('\u{1b}'),
        "no colour with NO_COLOR and no terminal"
    );
    assert!(without_time(&out).ends_with("\n1 error, 2 warnings in 2 files (T s)\n"));
    insta::assert_snapshot!("human", without_time(&out));
}

fn sarif_schema_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(crate::support::root().join("tests/data/sarif-2.1.0.json"))
        .expect("vendored schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn assert_valid_sarif(log: &Value) {
    let validator = sarif_schema_validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let (code, out) = lint("sarif");
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    assert_valid_sarif(&log);

    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "sopkit");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["columnKind"], "unicodeCodePoints");

    let rules = driver["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    let expected = [
        ("P001", "warning", 31, 20, 31, 30),
        ("P007", "warning", 32, 21, 32, 35),
        ("E008", "error", 40, 64, 40, 68),
    ];
    assert_eq!(results.len(), expected.len());
    for (result, (code, level, sl, sc, el, ec)) in results.iter().zip(expected) {
        assert_eq!(result["ruleId"], code);
        assert_eq!(result["level"], level);
        let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], code, "ruleIndex points at the rule");
        let loc = &result["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "formats/flawed.md");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &loc["region"];
        assert_eq!(
            [
                &region["startLine"],
                &region["startColumn"],
                &region["endLine"],
                &region["endColumn"]
            ],
            [sl, sc, el, ec].map(Value::from).each_ref()
        );
    }
    assert_eq!(
        results[2]["message"]["text"],
        format!("{E008_MESSAGE}\nhelp: {E008_HELP}")
    );

    // Rule metadata: summary, the rule's docs, help and a link to its docs.
    let p001 = rules.iter().find(|r| r["id"] == "P001").unwrap();
    assert_eq!(p001["name"], "step-mood");
    assert_eq!(
        p001["shortDescription"]["text"],
        "Step is not an imperative present-tense instruction"
    );
    let full = p001["fullDescription"]["text"].as_str().unwrap();
    assert!(
        full.starts_with("## What it does\nChecks that every step"),
        "{full}"
    );
    assert!(full.contains("\n## Use instead\n"));
    assert!(p001["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("## Example"));
    assert_eq!(
        p001["helpUri"],
        "https://github.com/sopkit/sopkit/blob/main/docs/rules.md#p001-step-mood"
    );
    // The anchor is the slug of the rule's heading in the generated reference.
    let reference = std::fs::read_to_string(crate::support::root().join("docs/rules.md")).unwrap();
    assert!(reference.lines().any(|l| l == "### P001 step-mood"));
    assert_eq!(p001["defaultConfiguration"]["level"], "warning");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "each rule described once");
}

#[test]
fn sarif_of_unreadable_and_odd_files_validates() {
    // A file that cannot be linted, a name that needs percent-encoding, and no findings at all.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("binary file.md"), b"\x00\x01\x02").unwrap();
    std::fs::copy(
        fixtures().join("formats/clean.md"),
        dir.path().join("über: 50%.md"),
    )
    .unwrap();
    let (code, out) = lint_in(dir.path(), &["."], "sarif");
    assert_eq!(code, 2, "an unreadable file is an I/O error");
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&log);
    let run = &log["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{results:#?}");
    assert_eq!(results[0]["ruleId"], "IO");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "binary%20file.md"
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(
        rules[results[0]["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "IO"
    );

    let (code, out) = lint_in(dir.path(), &["über: 50%.md"], "sarif");
    assert_eq!(code, 0);
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&log);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn the_sarif_schema_rejects_broken_logs() {
    // Guards the validation above: the vendored schema really constrains results.
    let (_, out) = lint("sarif");
    let mut log: Value = serde_json::from_str(&out).unwrap();
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    let validator = sarif_schema_validator();
    assert_eq!(validator.iter_errors(&log).count(), 2);
}

#[test]
fn statistics_count_per_rule_sorted_by_count_then_code() {
    let dir = tempfile::tempdir().unwrap();
    let flawed = std::fs::read_to_string(fixtures().join("formats/flawed.md")).unwrap();
    std::fs::write(dir.path().join("a.md"), &flawed).unwrap();
    std::fs::write(dir.path().join("b.md"), flawed.replace("CS-011", "CS-012")).unwrap();
    let out = sopkit()
        .current_dir(dir.path())
        .args([
            "lint",
            "--format",
            "concise",
            "--statistics",
            "--preview",
            ".",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "2  E008  invalid-contact  error\n\
         2  P001  step-mood        warning\n\
         2  P007  vague-words      warning\n"
    );
}

/// Every format ends with the summary, errors first, then warnings, then notes: human output on
/// standard output, every other format (and `--statistics`) as one line on standard error, so
/// that standard output stays machine-readable.
#[test]
fn every_format_ends_with_its_summary() {
    let want = "1 error, 2 warnings in 2 files (T s)\n";
    for format in ["human", "concise", "json", "sarif", "github", "junit"] {
        for statistics in [false, true] {
            let mut cmd = sopkit();
            cmd.current_dir(fixtures())
                .args(["lint", "--format", format, "formats"]);
            if statistics {
                cmd.arg("--statistics");
            }
            let out = cmd.output().unwrap();
            assert_eq!(out.status.code(), Some(1));
            let stdout = without_time(&String::from_utf8(out.stdout).unwrap());
            let stderr = without_time(&String::from_utf8(out.stderr).unwrap());
            if format == "human" && !statistics {
                assert!(stdout.ends_with(&format!("\n{want}")), "{stdout}");
                assert_eq!(stderr, "", "{format}");
            } else {
                assert_eq!(stderr, want, "{format}, statistics: {statistics}");
                assert!(!stdout.contains("in 2 files"), "{format}: {stdout}");
            }
        }
    }
}

/// The README's sample output ends with the summary line `sopkit lint examples/` prints today
/// (errors, warnings, notes; what `--fix` could do).
#[test]
fn the_readme_sample_ends_with_the_real_summary() {
    let readme = std::fs::read_to_string(crate::support::root().join("README.md")).unwrap();
    let sample = readme
        .split("```console\n$ cargo run --release -- lint examples/\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README shows `lint examples/`");
    let last = sample.lines().last().unwrap();
    let out = sopkit()
        .current_dir(crate::support::root())
        .args(["lint", "--format", "human", "examples/"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let real = stdout.lines().last().unwrap();
    assert_eq!(without_time(last), without_time(real));
    assert!(
        real.starts_with("24 errors, 36 warnings, 4 notes in 15 files"),
        "{real}"
    );
}
