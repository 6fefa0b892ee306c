//! Integration tests: YAML rule packs, `sopkit rules test`, and the generated rule reference.

use std::path::PathBuf;

use crate::support::{fixtures, root, sopkit};

fn packs() -> PathBuf {
    fixtures().join("packs")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn shipped_packs_pass_rules_test() {
    let out = sopkit()
        .current_dir(root())
        .args(["rules", "test"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains("rules/en/plain-words.yaml (en-plain-words, lang en)\n  ok   EN001 plain-words (5 bad, 7 good)\n"), "{text}");
    assert!(text.contains("rules/hr/tense.yaml (hr-tense, lang hr)\n  ok   HR001 hr-future-tense (3 bad, 4 good)\n"), "{text}");
    assert!(text.ends_with("14 rules tested, 0 failed\n"), "{text}");
    assert!(!text.contains("FAIL"), "{text}");
}

#[test]
fn rules_test_reports_each_failing_example() {
    let out = sopkit()
        .current_dir(packs().join("malformed"))
        .args(["rules", "test", "failing.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "failing.yaml (failing, lang en)\n  \
         FAIL FAIL001 misses-its-example (1 bad, 2 good)\n       \
         bad example did not fire: \"The agent shall send the form.\"\n       \
         good example fired on [\"will\"]: \"The agent will send the form.\"\n\
         1 rule tested, 1 failed\n"
    );
}

#[test]
fn user_pack_from_config_lints_and_fixes() {
    let dir = packs().join("user");
    let out = sopkit()
        .current_dir(&dir)
        .args([
            "lint",
            "doc.md",
            "--format",
            "concise",
            "--config",
            "sopkit.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "doc.md:7:26: error[ACME001] 'click here' says nothing about the target: name what the link opens.\n\
         doc.md:11:9: warning[ACME002] Use 'ACME Corporation' instead of 'Acme corp'.\n\
         doc.md:12:4: warning[EN001] Use 'Use' instead of 'Utilize'.\n"
    );

    // The substitutions are safe fixes: the capital of the first letter is kept.
    let tmp = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&dir, tmp.path());
    let before = std::fs::read(tmp.path().join("doc.md")).unwrap();
    let diff = sopkit()
        .current_dir(tmp.path())
        .args(["lint", "doc.md", "--diff", "--config", "sopkit.yaml"])
        .output()
        .unwrap();
    let diff_text = stdout(&diff);
    assert!(
        diff_text.contains(
            "-1. Call Acme corp support.\n-2. Utilize the form.\n+1. Call ACME Corporation support.\n+2. Use the form.\n"
        ),
        "{diff_text}"
    );
    assert_eq!(std::fs::read(tmp.path().join("doc.md")).unwrap(), before);

    sopkit()
        .current_dir(tmp.path())
        .args(["lint", "doc.md", "--fix", "--config", "sopkit.yaml"])
        .output()
        .unwrap();
    let fixed = std::fs::read_to_string(tmp.path().join("doc.md")).unwrap();
    assert!(
        fixed.ends_with("1. Call ACME Corporation support.\n2. Use the form.\n"),
        "{fixed}"
    );
}

#[test]
fn user_pack_rules_are_listed_and_explained() {
    let dir = packs().join("user");
    let out = sopkit()
        .current_dir(&dir)
        .args(["rules", "--config", "sopkit.yaml"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("EN001   plain-words                  warning  A wordy or formal word has a plain replacement (fixable)\n"), "{text}");
    assert!(
        text.ends_with("ACME001 no-click-here                error    Link text says \"click here\"\nACME002 acme-product-name            warning  acme-product-name (substitution) (fixable)\n"),
        "{text}"
    );

    let out = sopkit()
        .current_dir(&dir)
        .args(["explain", "no-click-here", "--config", "sopkit.yaml"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.starts_with("# ACME001 no-click-here\n\nLink text says \"click here\". Default severity: error. Rule pack: `acme-style`.\n\n## What it does\nPack `acme-style` (language `en`): kind `existence`, scope `any`.\n\nTokens: `click here`\n"),
        "{text}"
    );
    assert!(text.contains("## Example\n- To open the form, click here.\n\n## Use instead\n- Open the refund form.\n"), "{text}");
}

#[test]
fn shipped_pack_rules_in_json_listing_and_explain() {
    let out = sopkit()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let en001 = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "EN001")
        .expect("EN001 listed");
    assert_eq!(en001["name"], "plain-words");
    assert_eq!(en001["pack"], "en-plain-words");
    assert_eq!(en001["fixable"], true);

    let out = sopkit().args(["explain", "fi002"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).starts_with("# FI002 fi-perfect-tense\n\n"),
        "{}",
        stdout(&out)
    );

    let out = sopkit()
        .args(["explain", "passive-voise"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `passive-voice`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn malformed_pack_shows_file_line_column_and_suggestion() {
    let dir = packs().join("malformed");
    let out = sopkit()
        .current_dir(&dir)
        .args(["lint", ".", "--config", "sopkit.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("invalid rule pack bad.yaml:7:12:"), "{err}");
    assert!(err.contains("unknown variant `paragrah`"), "{err}");
    assert!(err.contains("did you mean `paragraph`?"), "{err}");
    assert!(err.contains("7 │     scope: paragrah"), "{err}");
}

#[test]
fn load_reads_a_user_pack_directory() {
    let rules = sopkit::packs::load(&[PathBuf::from("packs")], &packs().join("user")).unwrap();
    let codes: Vec<&str> = rules.iter().map(|r| &*r.meta().code).collect();
    assert_eq!(codes, ["ACME001", "ACME002"]);
    assert_eq!(rules[0].meta().pack.as_deref(), Some("acme-style"));

    let Err(err) = sopkit::packs::load(&[PathBuf::from("missing.yaml")], &packs()) else {
        panic!("a missing pack file must be an error");
    };
    assert!(
        err.to_string().starts_with("cannot read rule pack "),
        "{err}"
    );
}

/// Each seed language's markers, with the exact findings; the English prose in these files
/// ("Utilize", "very", "SLA") must not raise English pack findings.
#[test]
fn seed_language_tense_markers() {
    let cases = [
        (
            "ms",
            "tests/fixtures/packs/langs/ms.md:11:9: warning[MS001] 'akan' marks the future: write the step as an instruction.\n\
             tests/fixtures/packs/langs/ms.md:12:11: warning[MS002] 'telah' marks the past: write the step as an instruction.\n\
             tests/fixtures/packs/langs/ms.md:13:12: warning[MS003] 'sedang' describes work in progress: write the step as an instruction.\n",
        ),
        (
            "id",
            "tests/fixtures/packs/langs/id.md:11:12: warning[ID001] 'akan' marks the future: write the step as an instruction.\n\
             tests/fixtures/packs/langs/id.md:12:14: warning[ID002] 'sudah' marks the past: write the step as an instruction.\n",
        ),
        (
            "hr",
            "tests/fixtures/packs/langs/hr.md:11:10: warning[HR001] 'će' describes the future: write the step as an instruction.\n\
             tests/fixtures/packs/langs/hr.md:12:15: warning[HR002] 'je odobrila' is the past tense: write the step as an instruction.\n",
        ),
        (
            "fi",
            "tests/fixtures/packs/langs/fi.md:11:12: warning[FI001] 'tulee lähettämään' describes the future: write the step as an instruction.\n\
             tests/fixtures/packs/langs/fi.md:12:12: warning[FI002] 'oli hyväksynyt' is the past tense: write the step as an instruction.\n",
        ),
    ];
    for (lang, expected) in cases {
        let file = format!("tests/fixtures/packs/langs/{lang}.md");
        let out = sopkit()
            .current_dir(root())
            .args([
                "lint",
                &file,
                "--format",
                "concise",
                "--no-config",
                "--preview",
            ])
            .args(["--select", "EN001,EN002,EN003,EN004,MS,ID,HR,FI"])
            .output()
            .unwrap();
        assert_eq!(stdout(&out), expected, "{lang}: {}", stderr(&out));
    }
}

#[test]
fn english_packs_never_fire_on_other_languages() {
    let out = sopkit()
        .current_dir(root())
        .args([
            "lint",
            "tests/fixtures/packs/langs",
            "--format",
            "concise",
            "--no-config",
        ])
        .args(["--select", "EN001,EN002,EN003,EN004"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

/// `docs/rules.md` is generated; regenerate with
/// `SOPKIT_BLESS=1 cargo test --test it packs::docs_rules_md_is_up_to_date`.
#[test]
fn docs_rules_md_is_up_to_date() {
    let out = sopkit()
        .current_dir(root())
        .args(["rules", "--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let generated = stdout(&out);
    let path = root().join("docs/rules.md");
    if std::env::var_os("SOPKIT_BLESS").is_some() {
        std::fs::create_dir_all(root().join("docs")).unwrap();
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/rules.md is stale: run `SOPKIT_BLESS=1 cargo test --test it packs::docs_rules_md_is_up_to_date`"
    );
}

/// Codes of a configuration's own packs work on the command line too.
#[test]
fn user_pack_codes_are_accepted_by_select_and_severity() {
    let dir = packs().join("user");
    let out = sopkit()
        .current_dir(&dir)
        .args([
            "lint",
            "doc.md",
            "--format",
            "concise",
            "--config",
            "sopkit.yaml",
        ])
        .args(["--select", "ACME", "--severity", "ACME002=error"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "doc.md:7:26: error[ACME001] 'click here' says nothing about the target: name what the link opens.\n\
         doc.md:11:9: error[ACME002] Use 'ACME Corporation' instead of 'Acme corp'.\n"
    );
    // Without the configuration the code is unknown: a usage error.
    let out = sopkit()
        .current_dir(&dir)
        .args(["lint", "doc.md", "--no-config", "--select", "ACME001"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("ACME001"), "{}", stderr(&out));
}
