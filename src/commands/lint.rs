use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use super::io::IntoDiagnostic;

use super::ExitStatus;
use crate::cli::{LintArgs, OutputFormat};
use crate::config::{CliRules, Resolver};
use crate::document::ParseOptions;
use crate::fix;
use crate::input::walk_all;
use crate::lint::{display_path, FileReport, Input, Linter, ReadError, Summary};
use crate::output::{self, Run};
use crate::rule::Fix;
use crate::settings::Settings;

/// A file to lint: where it lives (none for standard input), its shown path, its bytes (none
/// until read: a plain lint reads each file within the parallel work on it), and the profile
/// its configuration maps to.
struct Target {
    path: Option<PathBuf>,
    shown: String,
    bytes: Option<Result<Vec<u8>, ReadError>>,
    profile: usize,
}

impl Target {
    /// The bytes, read now if they were not.
    fn into_input(self) -> Input {
        let bytes = match (self.bytes, &self.path) {
            (Some(bytes), _) => bytes,
            (None, Some(path)) => Input::read(path).bytes,
            (None, None) => Ok(Vec::new()),
        };
        Input {
            path: self.shown,
            bytes,
        }
    }
}

pub(super) fn run(args: LintArgs) -> miette::Result<ExitStatus> {
    let started = Instant::now();
    let cli = CliRules {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        severity: args.severity.clone(),
        preview: args.preview,
    };
    let mut resolver = Resolver::new(args.config.as_deref(), args.no_config, &cli)?;
    let settings = Settings::default();
    let mut targets = collect_targets(&args, &mut resolver, &settings)?;
    let linter = resolver.into_linter();

    // With --changed-since every file is parsed (cross-document rules see the whole set), but
    // only the changed ones are reported and fixed.
    let report_only: Option<HashSet<String>> = match &args.changed_since {
        Some(rev) => {
            let changed = changed_files(rev)?;
            Some(
                targets
                    .iter()
                    .filter(|t| {
                        // A folder the walk could not read may hold changed files.
                        matches!(t.bytes, Some(Err(ReadError::Walk { .. })))
                            || t.path.as_ref().is_none_or(|p| is_changed(p, &changed))
                    })
                    .map(|t| t.shown.clone())
                    .collect(),
            )
        }
        None => None,
    };
    let keep = |path: &str| report_only.as_ref().is_none_or(|set| set.contains(path));

    let fixing = args.fix || args.fix_unsafe || args.diff;
    let mut reports;
    let mut fixes_applied = None;
    let mut write_errors = 0;
    if fixing {
        // Fixing reads every file first: each round lints them all again.
        targets.par_iter_mut().for_each(|t| {
            if let (None, Some(path)) = (&t.bytes, &t.path) {
                t.bytes = Some(Input::read(path).bytes);
            }
        });
        let originals: Vec<Option<String>> = targets
            .iter()
            .map(|t| {
                t.bytes
                    .as_ref()
                    .and_then(|b| b.as_ref().ok())
                    .and_then(|b| String::from_utf8(b.clone()).ok())
            })
            .collect();
        let (r, applied) = fix_loop(&linter, &mut targets, args.fix_unsafe, &keep);
        reports = r;
        fixes_applied = Some(applied);
        let mut changed_files = 0;
        let mut out = std::io::stdout().lock();
        for (t, original) in targets.iter().zip(&originals) {
            let (Some(original), Some(Ok(bytes))) = (original, &t.bytes) else {
                continue;
            };
            let text = String::from_utf8_lossy(bytes);
            if args.diff {
                let d = fix::unified_diff(&t.shown, original, &text);
                if !d.is_empty() {
                    changed_files += 1;
                    out.write_all(d.as_bytes()).into_diagnostic()?;
                }
            } else if let Some(path) = &t.path {
                if text != *original {
                    changed_files += 1;
                    // A file that cannot be written is reported; the others are still fixed.
                    if let Err(e) = fix::write_atomic(path, original.as_bytes(), &text) {
                        write_errors += 1;
                        let d = crate::input::io_diagnostic(&t.shown, 1, 1, e.to_string());
                        match reports.iter_mut().find(|r| r.path == t.shown) {
                            Some(r) => r.diagnostics.insert(0, d),
                            None => reports.push(FileReport {
                                path: t.shown.clone(),
                                document: None,
                                source: None,
                                diagnostics: vec![d],
                                error: None,
                            }),
                        }
                    }
                }
            } else {
                // Standard input: the fixed text goes to standard output, like ruff.
                out.write_all(text.as_bytes()).into_diagnostic()?;
            }
        }
        out.flush().into_diagnostic()?;
        if args.diff {
            let unsafe_left = match args.fix_unsafe {
                true => 0,
                false => output::fixes_available(&reports, false),
            };
            eprintln!(
                "{} would be applied to {}{}",
                plural(applied, "fix", "fixes"),
                plural(changed_files, "file", "files"),
                match unsafe_left {
                    0 => String::new(),
                    n => format!("; {n} more with --fix-unsafe"),
                }
            );
            return Ok(if applied > 0 {
                ExitStatus::Failure
            } else {
                ExitStatus::Success
            });
        }
        if targets.iter().any(|t| t.path.is_none()) {
            let summary = Summary::of(&reports);
            return Ok(exit_status(&summary, 0, args.max_warnings));
        }
    } else {
        // Each file is read within the parallel work on it, and only its source and findings
        // are kept: the run over thousands of files stays small.
        let items = targets
            .into_iter()
            .map(|t| {
                let (shown, profile) = (t.shown.clone(), t.profile);
                (shown, t, profile)
            })
            .collect();
        reports = linter.run_lean(items, Target::into_input);
    }
    reports.retain(|r| keep(&r.path));

    let io_errors = surface_file_errors(&mut reports) + write_errors;
    let summary = Summary::of(&reports);
    let stdout = std::io::stdout();
    let is_tty = stdout.is_terminal();
    let format = args.format.unwrap_or(if is_tty {
        OutputFormat::Human
    } else {
        OutputFormat::Concise
    });
    let color = is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let run = Run {
        reports: &reports,
        summary,
        elapsed: started.elapsed(),
        color,
        fixes_applied,
        unsafe_fixes: args.fix_unsafe,
        max_warnings: args.max_warnings,
        rules: linter.rule_metas(),
    };
    // Block-buffered: a line-buffered stdout costs one write per diagnostic.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let written = output::write_report(
        format,
        args.statistics,
        &run,
        &mut out,
        &mut std::io::stderr().lock(),
    );
    // A reader that stops early (`sopkit lint | head -1`) does not change the verdict: the
    // exit code stays the lint's, so a pipeline in CI still fails on errors.
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.into_diagnostic()?,
    }
    drop(out);
    // The process ends right after this (see main): freeing every report and rule one by one
    // would only cost time.
    std::mem::forget(run);
    std::mem::forget(reports);
    std::mem::forget(linter);
    Ok(exit_status(&summary, io_errors, args.max_warnings))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn input_of(t: &Target) -> Input {
    Input {
        path: t.shown.clone(),
        bytes: t.bytes.clone().unwrap_or_else(|| Ok(Vec::new())),
    }
}

/// Whether a text's front matter parses (fixes must not break a front matter that did).
fn front_matter_ok(text: &str) -> bool {
    let doc = crate::document::parse("", text.to_string(), &ParseOptions::default());
    doc.front_matter.is_some_and(|fm| fm.error.is_none())
}

/// Lints, applies the allowed fixes, and lints again until nothing changes (at most
/// [`fix::MAX_ITERATIONS`] rounds). Targets end with the fixed bytes; returns the last
/// reports and the number of fixes applied.
fn fix_loop(
    linter: &Linter,
    targets: &mut [Target],
    unsafe_fixes: bool,
    keep: &dyn Fn(&str) -> bool,
) -> (Vec<FileReport>, usize) {
    let index: HashMap<String, usize> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| (t.shown.clone(), i))
        .collect();
    let mut total = 0;
    let mut round = 0;
    loop {
        let inputs = targets.iter().map(|t| (input_of(t), t.profile)).collect();
        let reports = linter.run_profiles(inputs);
        round += 1;
        if round > fix::MAX_ITERATIONS {
            return (reports, total);
        }
        let mut changed = false;
        for r in reports.iter().filter(|r| keep(&r.path)) {
            let fixes: Vec<&Fix> = r
                .diagnostics
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .filter(|f| fix::allowed(f, unsafe_fixes))
                .collect();
            let (Some(&i), Some(doc)) = (index.get(&r.path), &r.document) else {
                continue;
            };
            if fixes.is_empty() {
                continue;
            }
            let had_front_matter = front_matter_ok(&doc.source);
            let (text, n) = fix::apply_checked(&doc.source, &fixes, |t| {
                !had_front_matter || front_matter_ok(t)
            });
            if n > 0 && text != doc.source {
                targets[i].bytes = Some(Ok(text.into_bytes()));
                total += n;
                changed = true;
            }
        }
        if !changed {
            return (reports, total);
        }
    }
}

fn exit_status(summary: &Summary, io_errors: usize, max_warnings: Option<usize>) -> ExitStatus {
    if io_errors > 0 {
        ExitStatus::Error
    } else if summary.errors > 0 || max_warnings.is_some_and(|m| summary.warnings > m) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// Files that could not be linted become error diagnostics, so that every format shows them.
fn surface_file_errors(reports: &mut [FileReport]) -> usize {
    let mut n = 0;
    for r in reports.iter_mut() {
        if let Some(e) = &r.error {
            n += 1;
            r.diagnostics.insert(0, e.to_diagnostic());
        }
    }
    n
}

fn collect_targets(
    args: &LintArgs,
    resolver: &mut Resolver,
    settings: &Settings,
) -> miette::Result<Vec<Target>> {
    let mut targets = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut empty_dirs: Vec<PathBuf> = Vec::new();
    for path in &args.paths {
        if path.as_os_str() == "-" {
            let mut buf = Vec::new();
            let bytes = std::io::stdin()
                .read_to_end(&mut buf)
                .map(|_| buf)
                .map_err(|e| ReadError::Stdin {
                    reason: e.to_string(),
                });
            let name = args
                .stdin_filename
                .clone()
                .unwrap_or_else(|| "<stdin>".into());
            // The configuration of standard input is the one of the file it stands for.
            let profile = resolver.profile_of(Path::new(&name), settings)?;
            targets.push(Target {
                path: None,
                shown: name,
                bytes: Some(bytes),
                profile,
            });
        } else if path.is_dir() {
            let before = files.len();
            let (walked, errors) = resolver.walk(path)?;
            files.extend(walked);
            // A folder that cannot be read is an error of the run, never a silent pass.
            let had_errors = !errors.is_empty();
            for (at, error) in errors {
                let profile = resolver.profile_of(&at, settings)?;
                targets.push(Target {
                    shown: display_path(&at),
                    path: Some(at),
                    bytes: Some(Err(error)),
                    profile,
                });
            }
            if files.len() == before && !had_errors {
                empty_dirs.push(path.clone());
            }
        } else {
            files.push(path.clone());
        }
    }
    if files.is_empty() && targets.is_empty() && !empty_dirs.is_empty() {
        let mut tried = Vec::new();
        for dir in &empty_dirs {
            for p in resolver.patterns_of(dir)? {
                if !tried.contains(&p) {
                    tried.push(p);
                }
            }
        }
        return Err(NoFilesMatched {
            dirs: empty_dirs.iter().map(|d| display_path(d)).collect(),
            tried,
        }
        .into());
    }
    // One target per file, however it was spelled ("a.md", "./a.md").
    files.sort_by_cached_key(|f| display_path(f));
    files.dedup_by_key(|f| display_path(f));
    let profiles = files
        .iter()
        .map(|file| resolver.profile_of(file, settings))
        .collect::<Result<Vec<_>, _>>()?;
    // Read later, on every core: reading is half the work on a cold cache.
    for (file, profile) in files.into_iter().zip(profiles) {
        targets.push(Target {
            shown: display_path(&file),
            bytes: None,
            path: Some(file),
            profile,
        });
    }
    Ok(targets)
}

/// A directory walk that found no file to lint.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("no files matched in {}: tried {}", .dirs.join(", "), .tried.join(", "))]
#[diagnostic(
    code(sopkit::lint::no_files),
    help("set `include` in sopkit.yaml to the files to lint, e.g. `include: [\"**/*.html.md.erb\"]`, or name files on the command line")
)]
struct NoFilesMatched {
    dirs: Vec<String>,
    tried: Vec<String>,
}

/// Markdown files under `dir`, honouring .gitignore (in or out of a git repository).
pub(crate) fn walk(dir: &Path) -> Vec<PathBuf> {
    walk_all(dir)
        .0
        .into_iter()
        .filter(|p| crate::config::is_markdown(p))
        .collect()
}

fn git(args: &[&str], dir: &Path) -> miette::Result<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| miette::miette!("--changed-since needs git: {e}"))?;
    if !out.status.success() {
        return Err(miette::miette!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Files that git reports as changed since `rev` (committed or not) or untracked, as canonical
/// paths.
fn changed_files(rev: &str) -> miette::Result<HashSet<PathBuf>> {
    let cwd = std::env::current_dir().into_diagnostic()?;
    let root = git(&["rev-parse", "--show-toplevel"], &cwd).map_err(|e| {
        if e.to_string().contains("not a git repository") {
            miette::miette!(
                "--changed-since needs a git repository, and {} is not in one",
                cwd.display()
            )
        } else {
            e
        }
    })?;
    let root = PathBuf::from(root.trim());
    // The revision goes after `--end-of-options`, so that "--output=FILE" is a (bad) revision
    // and never an option of git; and it must name a commit before anything else runs.
    let commit = format!("{rev}^{{commit}}");
    let verified = git(
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &commit,
        ],
        &root,
    );
    let commit = match verified {
        Ok(sha) if !sha.trim().is_empty() => sha.trim().to_string(),
        _ => {
            return Err(miette::miette!(
                "--changed-since: `{rev}` is not a commit of the repository at {}",
                root.display()
            ))
        }
    };
    let diff = git(
        &[
            "diff",
            "--name-only",
            "--no-renames",
            "--end-of-options",
            &commit,
            "--",
        ],
        &root,
    )?;
    let untracked = git(&["ls-files", "--others", "--exclude-standard"], &root)?;
    Ok(diff
        .lines()
        .chain(untracked.lines())
        .filter(|l| !l.is_empty())
        .filter_map(|l| root.join(l).canonicalize().ok())
        .collect())
}

fn is_changed(path: &Path, changed: &HashSet<PathBuf>) -> bool {
    path.canonicalize().is_ok_and(|p| changed.contains(&p))
}
