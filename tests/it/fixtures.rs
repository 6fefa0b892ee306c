//! Rule fixtures: `tests/fixtures/rules/<CODE>_bad*.md` must raise <CODE> (snapshotted with
//! positions), `<CODE>_ok*.md` must not. A fixture may be a directory of files linted together
//! (for cross-document rules).

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use sopkit::lint::{Input, Linter};
use sopkit::settings::{parse_iso_date, Settings};

use crate::support::{fixtures, TODAY};

fn linter() -> Linter {
    let settings = Settings {
        today: parse_iso_date(TODAY).unwrap(),
        ..Settings::default()
    };
    Linter::with_defaults(settings)
}

fn fixture_inputs(path: &Path) -> Vec<Input> {
    let base = fixtures().join("rules");
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut v: Vec<_> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    };
    files
        .iter()
        .map(|p| Input {
            path: p
                .strip_prefix(&base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/"),
            bytes: Ok(std::fs::read(p).unwrap()),
        })
        .collect()
}

/// (code, bad?, path) of every fixture.
fn all_fixtures() -> Vec<(String, bool, PathBuf)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(fixtures().join("rules")).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let Some((code, rest)) = stem.split_once('_') else {
            continue;
        };
        let bad = rest.starts_with("bad");
        assert!(
            bad || rest.starts_with("ok"),
            "fixture name {stem}: want CODE_bad or CODE_ok"
        );
        out.push((code.to_string(), bad, path));
    }
    out.sort();
    out
}

/// Renders the findings of one code, positions first.
fn render(code: &str, inputs: Vec<Input>) -> String {
    let mut s = String::new();
    for report in linter().run(inputs) {
        for d in report.diagnostics.iter().filter(|d| d.code == code) {
            writeln!(
                s,
                "{}:{}:{}-{}:{} {}[{}] {}",
                d.path, d.line, d.column, d.end_line, d.end_column, d.severity, d.name, d.message
            )
            .unwrap();
            if let Some(help) = &d.help {
                writeln!(s, "  help: {help}").unwrap();
            }
        }
    }
    s
}

#[test]
fn rule_fixtures() {
    let mut failures = Vec::new();
    for (code, bad, path) in all_fixtures() {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let out = render(&code, fixture_inputs(&path));
        if bad {
            if out.is_empty() {
                failures.push(format!("{name}: expected {code} findings, got none"));
            }
            insta::assert_snapshot!(format!("fixture_{name}"), out);
        } else if !out.is_empty() {
            failures.push(format!("{name}: expected no {code} findings, got:\n{out}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_docs_and_both_fixtures() {
    let fixtures = all_fixtures();
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    for entry in sopkit::rules::builtin() {
        let m = entry.meta;
        assert!(codes.insert(m.code), "duplicate code {}", m.code);
        assert!(names.insert(m.name), "duplicate name {}", m.name);
        assert!(
            m.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{} is not kebab-case",
            m.name
        );
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
        ] {
            assert!(m.docs.contains(heading), "{} docs lack {heading:?}", m.code);
        }
        for want_bad in [true, false] {
            assert!(
                fixtures
                    .iter()
                    .any(|(c, b, _)| c == m.code && *b == want_bad),
                "{} has no {} fixture",
                m.code,
                if want_bad { "bad" } else { "ok" }
            );
        }
    }
}
