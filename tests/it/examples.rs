//! The bundled examples: the clean SOPs lint silently, and `examples/flawed/` raises every rule.

use std::collections::BTreeSet;

use crate::support::{root, sopkit};

fn codes_in(output: &str) -> BTreeSet<String> {
    output
        .lines()
        .filter_map(|l| Some(l.split_once('[')?.1.split_once(']')?.0.to_string()))
        .collect()
}

#[test]
fn clean_examples_lint_silently() {
    let out = sopkit()
        .current_dir(root())
        .args([
            "lint",
            "--format",
            "concise",
            "examples/customer-complaint.md",
            "examples/refund-approval.md",
            "examples/it-incident-escalation.md",
            "examples/lab-sample-handling.md",
            "examples/ms",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn flawed_examples_raise_every_rule() {
    let rules = sopkit()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&rules.stdout).unwrap();
    let all: BTreeSet<String> = rules
        .as_array()
        .unwrap()
        .iter()
        // X004 compares a bundle with the previous one: tests/it/bundle.rs covers it.
        .filter(|r| r["bundle_only"] != true)
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect();
    assert!(all.len() >= 30, "{all:?}");

    let out = sopkit()
        .current_dir(root())
        .args(["lint", "--format", "concise", "examples/"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.lines().all(|l| l.starts_with("examples/flawed/")),
        "a clean example has findings:\n{stdout}"
    );
    let found = codes_in(&stdout);
    let missing: Vec<_> = all.difference(&found).collect();
    assert!(missing.is_empty(), "no example raises {missing:?}");
}

/// `sopkit explain` knows every rule that `sopkit rules` lists, by code and by name, and each
/// explanation has a bad and a good example.
#[test]
fn every_listed_rule_is_explained_with_examples() {
    let rules = sopkit()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&rules.stdout).unwrap();
    for rule in rules.as_array().unwrap() {
        for key in [
            rule["code"].as_str().unwrap(),
            rule["name"].as_str().unwrap(),
        ] {
            let out = sopkit().args(["explain", key]).output().unwrap();
            assert_eq!(out.status.code(), Some(0), "explain {key}");
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(text.starts_with(&format!("# {} ", rule["code"].as_str().unwrap())));
            for heading in ["\n## Example\n", "\n## Use instead\n"] {
                assert!(
                    text.contains(heading),
                    "explain {key} lacks {heading:?}:\n{text}"
                );
            }
        }
    }
}
