//! The planted-flaw SOPs of issue 8: `tests/data/lang/<lang>/planted.md`, written blind by an
//! independent writer per language, each with six flaws listed in `planted.tsv` (line, flaw,
//! explanation): two non-instruction steps (1, 2), an over-long multi-action step (3), a
//! promise (4), an escalation level with no role or a time going down (5) and a vague phrase
//! (6). Linted as a user would (`--preview`, no configuration, from a temporary copy), every
//! planted line has a finding and at most one other finding exists.

use std::collections::BTreeSet;

use crate::support::{root, sopkit};

/// A finding: first and last line, code, message.
type Finding = (u64, u64, String, String);

/// The (line, flaw) rows of `planted.tsv`.
fn planted(lang: &str) -> Vec<(u64, String)> {
    let path = root().join(format!("tests/data/lang/{lang}/planted.tsv"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut rows = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let mut cells = line.split('\t');
        let at: u64 = cells.next().unwrap().trim().parse().unwrap();
        let flaw = cells.next().unwrap().trim().to_string();
        rows.push((at, flaw));
    }
    rows
}

/// The findings of `sopkit lint --preview` on a temporary copy of the planted SOP.
fn lint(lang: &str) -> Vec<Finding> {
    let dir = tempfile::tempdir().unwrap();
    let source = root().join(format!("tests/data/lang/{lang}/planted.md"));
    std::fs::copy(&source, dir.path().join("planted.md")).unwrap();
    let out = sopkit()
        .current_dir(dir.path())
        .args(["lint", "--preview", "--format", "json", "planted.md"])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{lang}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["end_line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Every planted line of the language's SOP has a finding, and at most one other finding
/// exists.
fn planted_flaws_are_found(lang: &str) {
    let rows = planted(lang);
    assert_eq!(rows.len(), 6, "{lang}: six planted flaws");
    let findings = lint(lang);
    let covers = |f: &Finding, line: u64| f.0 <= line && line <= f.1;
    let missed: Vec<String> = rows
        .iter()
        .filter(|(line, _)| !findings.iter().any(|f| covers(f, *line)))
        .map(|(line, flaw)| format!("flaw {flaw} on line {line}"))
        .collect();
    let planted_lines: BTreeSet<u64> = rows.iter().map(|(line, _)| *line).collect();
    let others: Vec<String> = findings
        .iter()
        .filter(|f| !planted_lines.iter().any(|line| covers(f, *line)))
        .map(|(line, _, code, message)| format!("{line}: {code} {message}"))
        .collect();
    assert!(
        missed.is_empty() && others.len() <= 1,
        "{lang}: missed {missed:?}; {} other findings {others:?}",
        others.len()
    );
}

#[test]
fn malay_planted_flaws_are_found() {
    planted_flaws_are_found("ms");
}

#[test]
fn indonesian_planted_flaws_are_found() {
    planted_flaws_are_found("id");
}

#[test]
fn croatian_planted_flaws_are_found() {
    planted_flaws_are_found("hr");
}

#[test]
fn finnish_planted_flaws_are_found() {
    planted_flaws_are_found("fi");
}
