//! Rule fixtures, as ruff's `crates/ruff_linter` tests them: `tests/fixtures/rules/<CODE>_bad*.md`
//! must raise <CODE>, `<CODE>_ok*.md` must not. A fixture may be a directory of files linted
//! together (for cross-document rules).
//!
//! Each bad fixture has one snapshot, `snapshots/it__fixtures__fixture@<fixture>.snap`: its
//! findings of <CODE>, one line each with start and end positions, then as the human format
//! prints them (no colour, fixed width) so a reviewer sees the source line and the underline;
//! for a fixable rule, then the diff of the fixed text.
//! The fixes must converge: applied until none is left (a few rounds at most), they change the
//! text, and the findings they fixed are gone. `insta::glob!` reports every failing fixture,
//! not the first; run one with `INSTA_GLOB_FILTER=E002_bad.md cargo test --test it fixtures`.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sopkit::cli::OutputFormat;
use sopkit::lint::{FileReport, Input, Linter, Summary};
use sopkit::output::Run;
use sopkit::rule::{Applicability, Fix};
use sopkit::settings::{parse_iso_date, Settings};

use crate::support::{fixtures, TODAY};

/// Fix rounds before a fixture counts as not converging (`lint --fix` allows 10).
const MAX_FIX_ROUNDS: usize = 10;

fn linter() -> Linter {
    let settings = Settings {
        today: parse_iso_date(TODAY).unwrap(),
        ..Settings::default()
    };
    Linter::with_defaults(settings)
}

/// The files of a fixture (one file, or the `.md` files of a directory) as lint inputs, named
/// relative to `tests/fixtures/rules`.
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

/// The code and kind of a fixture from its name: `E002_bad_table.md` → ("E002", bad).
fn code_of(path: &Path) -> (String, bool) {
    let stem = path.file_stem().unwrap().to_string_lossy().to_string();
    let (code, rest) = stem
        .split_once('_')
        .unwrap_or_else(|| panic!("fixture name {stem}: want CODE_bad or CODE_ok"));
    let bad = rest.starts_with("bad");
    assert!(
        bad || rest.starts_with("ok"),
        "fixture name {stem}: want CODE_bad or CODE_ok"
    );
    (code.to_string(), bad)
}

/// (code, bad?, path) of every fixture.
fn all_fixtures() -> Vec<(String, bool, PathBuf)> {
    let mut out: Vec<_> = std::fs::read_dir(fixtures().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|path| {
            let (code, bad) = code_of(&path);
            (code, bad, path)
        })
        .collect();
    out.sort();
    out
}

/// The reports with only the findings of `code`.
fn only(code: &str, mut reports: Vec<FileReport>) -> Vec<FileReport> {
    for r in &mut reports {
        r.diagnostics.retain(|d| d.code == code);
    }
    reports
}

/// One line per finding: where it starts and ends (line:column, columns in characters), its
/// severity, name and message, and its help.
fn positions(reports: &[FileReport]) -> String {
    let mut s = String::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
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
    s
}

/// The findings as `sopkit lint` prints them without colour, without the summary line.
fn human(reports: &[FileReport]) -> String {
    let run = Run {
        reports,
        summary: Summary::of(reports),
        elapsed: Duration::ZERO,
        color: false,
        fixes_applied: None,
        unsafe_fixes: false,
        max_warnings: None,
        rules: Vec::new(),
    };
    let mut out = Vec::new();
    sopkit::output::write(OutputFormat::Human, &run, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    // The last line is the summary ("2 errors, 0 warnings in 1 file (0.00 s)").
    let body = text.trim_end_matches('\n');
    let body = body.rsplit_once('\n').map_or("", |(b, _)| b);
    format!("{}\n", body.trim_end())
}

/// Applies the fixes (back to front; a fix overlapping an earlier one waits for the next
/// round and one equal to an earlier one counts once, as `lint --fix` does). Returns the text
/// and the fixes applied.
fn apply<'a>(source: &str, fixes: &[&'a Fix]) -> (String, Vec<&'a Fix>) {
    let mut fixes = fixes.to_vec();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.range.start).min());
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    let mut applied: Vec<&Fix> = Vec::new();
    let mut edits = Vec::new();
    for fix in fixes {
        if applied.contains(&fix) {
            continue;
        }
        let clash = fix.edits.iter().any(|e| {
            taken.iter().any(|t| {
                (e.range.start < t.end && t.start < e.range.end) || e.range.start == t.start
            })
        });
        if !clash {
            taken.extend(fix.edits.iter().map(|e| e.range.clone()));
            edits.extend(fix.edits.iter());
            applied.push(fix);
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = source.to_string();
    for e in edits {
        out.replace_range(e.range.clone(), &e.replacement);
    }
    (out, applied)
}

/// Applies every fix of `code` (safe and unsafe), re-linting after each round, until none is
/// left. Returns the diff section of the snapshot, or why the fixes do not converge.
fn fixed(code: &str, path: &Path, first: &[FileReport]) -> Result<String, String> {
    let mut inputs = fixture_inputs(path);
    let original: Vec<String> = first
        .iter()
        .map(|r| {
            r.document
                .as_ref()
                .map_or(String::new(), |d| d.source.clone())
        })
        .collect();
    let unfixable = first
        .iter()
        .flat_map(|r| &r.diagnostics)
        .filter(|d| d.fix.is_none())
        .count();
    let (mut safe, mut unsafe_) = (0, 0);
    let mut reports = only(code, linter().run(fixture_inputs(path)));
    let mut rounds = 0;
    loop {
        let mut changed = false;
        for (input, report) in inputs.iter_mut().zip(&reports) {
            let fixes: Vec<&Fix> = report
                .diagnostics
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .collect();
            let Some(doc) = report.document.as_ref().filter(|_| !fixes.is_empty()) else {
                continue;
            };
            let (text, applied) = apply(&doc.source, &fixes);
            if text == doc.source {
                return Err(format!(
                    "{}: the fixes of {code} change nothing, yet their findings remain",
                    report.path
                ));
            }
            for f in applied {
                match f.applicability {
                    Applicability::Safe => safe += 1,
                    Applicability::Unsafe => unsafe_ += 1,
                }
            }
            input.bytes = Ok(text.into_bytes());
            changed = true;
        }
        if !changed {
            break;
        }
        rounds += 1;
        if rounds > MAX_FIX_ROUNDS {
            return Err(format!(
                "the fixes of {code} do not converge in {MAX_FIX_ROUNDS} rounds"
            ));
        }
        let again = inputs
            .iter()
            .map(|i| Input {
                path: i.path.clone(),
                bytes: i.bytes.clone(),
            })
            .collect();
        reports = only(code, linter().run(again));
    }
    if rounds == 0 {
        return Ok(String::new());
    }
    let left: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    if left > unfixable {
        return Err(format!(
            "after fixing, {left} findings of {code} remain, more than the {unfixable} without a fix:\n{}",
            human(&reports)
        ));
    }
    let mut s = format!(
        "\nFixed ({safe} safe, {unsafe_} unsafe, {rounds} round{}); {left} finding{} left:\n",
        if rounds == 1 { "" } else { "s" },
        if left == 1 { "" } else { "s" },
    );
    for (report, old) in reports.iter().zip(&original) {
        let Some(doc) = &report.document else {
            continue;
        };
        let diff = similar::TextDiff::from_lines(old.as_str(), doc.source.as_str())
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{}", report.path), &format!("b/{}", report.path))
            .to_string();
        s.push_str(&diff);
    }
    Ok(s)
}

/// Every bad fixture raises its rule: a snapshot of its findings and fixes.
#[test]
fn bad_fixtures() {
    let failures = RefCell::new(Vec::new());
    let fail = |message: String| {
        // Shown at once too: a failing snapshot ends the glob with a panic of its own.
        eprintln!("{message}");
        failures.borrow_mut().push(message);
    };
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        insta::glob!("../fixtures/rules", "*_bad*", |path| {
            let (code, _) = code_of(path);
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let reports = only(&code, linter().run(fixture_inputs(path)));
            // The positions first: the frame of the human format shows where a finding
            // starts, not where it ends (and counts bytes, not characters, in its header).
            let mut out = format!("{}\n{}", positions(&reports), human(&reports));
            if reports.iter().all(|r| r.diagnostics.is_empty()) {
                fail(format!("{name}: expected {code} findings, got none"));
            }
            match fixed(&code, path, &reports) {
                Ok(diff) => out.push_str(&diff),
                Err(e) => fail(format!("{name}: {e}")),
            }
            insta::assert_snapshot!("fixture", out);
        });
    }));
    let failures = failures.into_inner();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    if let Err(panic) = run {
        std::panic::resume_unwind(panic);
    }
}

/// No OK fixture raises its rule; every one that does is reported.
#[test]
fn ok_fixtures() {
    let mut failures = Vec::new();
    for (code, bad, path) in all_fixtures() {
        if bad {
            continue;
        }
        let reports = only(&code, linter().run(fixture_inputs(&path)));
        if reports.iter().any(|r| !r.diagnostics.is_empty()) {
            failures.push(format!(
                "{}: expected no {code} findings, got:\n{}",
                path.file_name().unwrap().to_string_lossy(),
                human(&reports)
            ));
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
        assert!(codes.insert(&*m.code), "duplicate code {}", m.code);
        assert!(names.insert(&*m.name), "duplicate name {}", m.name);
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
        // X004 compares a bundle with the previous one, which no fixture can: tests/it/bundle.rs
        // covers it.
        if m.bundle_only {
            continue;
        }
        for want_bad in [true, false] {
            assert!(
                fixtures
                    .iter()
                    .any(|(c, b, _)| *c == m.code && *b == want_bad),
                "{} has no {} fixture",
                m.code,
                if want_bad { "bad" } else { "ok" }
            );
        }
    }
}

/// Every built-in rule says the version that added it (as clippy's `version`), a release no
/// later than this one.
#[test]
fn every_rule_has_a_since_version() {
    let parse = |v: &str| -> Option<Vec<u64>> {
        let parts: Option<Vec<u64>> = v.split('.').map(|p| p.parse().ok()).collect();
        parts.filter(|p| p.len() == 3)
    };
    let current = parse(env!("CARGO_PKG_VERSION")).unwrap();
    for entry in sopkit::rules::builtin() {
        let m = entry.meta;
        let since = m.since.unwrap_or_else(|| panic!("{} has no since", m.code));
        let version = parse(since).unwrap_or_else(|| panic!("{}: since {since:?}", m.code));
        assert!(
            version <= current,
            "{}: since {since} is after {current:?}",
            m.code
        );
    }
}
