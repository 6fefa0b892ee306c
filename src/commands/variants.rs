//! `sopkit variants`: for each base SOP, its branch variants, their drift (X006 findings, as
//! `lint` reports them under the same configuration) and their deliberate local differences.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::io::IntoDiagnostic;
use super::ExitStatus;
use crate::cli::{VariantsArgs, VariantsFormat};
use crate::config::{CliRules, Resolver};
use crate::document::DocSummary;
use crate::lint::{display_path, Diagnostic, Input};
use crate::rules::repository::variant_drift::{pairings, Options, VariantDrift};
use crate::settings::Settings;

/// A document of the matrix.
#[derive(Debug, Serialize)]
struct DocRef {
    path: String,
    id: Option<String>,
    title: Option<String>,
    version: Option<String>,
}

#[derive(Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Drift,
    Local,
}

#[derive(Debug, Serialize)]
struct Difference {
    kind: Kind,
    line: usize,
    message: String,
    /// Why the branch differs, for a local difference.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

#[derive(Debug, Serialize)]
struct Variant {
    #[serde(flatten)]
    doc: DocRef,
    branch: Option<String>,
    variant_of: String,
    drift: usize,
    local: usize,
    differences: Vec<Difference>,
}

#[derive(Debug, Serialize)]
struct Base {
    #[serde(flatten)]
    doc: DocRef,
    variants: Vec<Variant>,
}

#[derive(Debug, Serialize)]
struct Matrix {
    bases: Vec<Base>,
    /// Variants whose `variant_of` names no document of the run.
    unknown_base: Vec<Variant>,
}

pub(super) fn run(args: VariantsArgs) -> miette::Result<ExitStatus> {
    let code = VariantDrift::META.code.to_string();
    // Only X006 runs; the configuration still sets its options, severity and suppressions.
    let cli = CliRules {
        select: vec![code.clone()],
        ..CliRules::default()
    };
    let mut resolver = Resolver::new(args.config.as_deref(), args.no_config, &cli)?;
    let mut files = Vec::new();
    for path in &args.paths {
        if path.is_dir() {
            files.extend(walk(path, &mut resolver)?);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            eprintln!("error: {}: no such file or directory", path.display());
            return Ok(ExitStatus::Error);
        }
    }
    files.sort_by_cached_key(|f| display_path(f));
    files.dedup_by_key(|f| display_path(f));
    let settings = Settings::default();
    let mut inputs = Vec::new();
    let mut profile_of = HashMap::new();
    for file in &files {
        let profile = resolver.profile_of(file, &settings)?;
        let input = Input::read(file);
        profile_of.insert(input.path.clone(), profile);
        inputs.push((input, profile));
    }
    let linter = resolver.into_linter();
    let reports = linter.run_profiles(inputs);

    // The linter keeps a document without its steps: parse again for the summaries.
    let mut summaries = Vec::new();
    let mut drift: Vec<Vec<&Diagnostic>> = Vec::new();
    for report in &reports {
        if let Some(e) = &report.error {
            eprintln!("warning: {}: {} (left out)", e.path, e.error);
            continue;
        }
        let Some(linted) = &report.document else {
            continue;
        };
        let options = profile_of
            .get(&report.path)
            .and_then(|&p| linter.profiles.get(p))
            .map(|p| p.settings.parse.clone())
            .unwrap_or_default();
        let doc = crate::document::parse(&report.path, linted.source.clone(), &options);
        summaries.push(DocSummary::of(&doc));
        drift.push(
            report
                .diagnostics
                .iter()
                .filter(|d| d.code == code)
                .collect(),
        );
    }
    let matrix = matrix(&summaries, &drift);
    let text = match args.format {
        VariantsFormat::Human => human(&matrix),
        VariantsFormat::Json => {
            let mut s = serde_json::to_string_pretty(&matrix).into_diagnostic()?;
            s.push('\n');
            s
        }
        VariantsFormat::Markdown => markdown(&matrix),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).into_diagnostic()?;
    out.flush().into_diagnostic()?;
    Ok(ExitStatus::Success)
}

/// The files under `dir` that `sopkit lint DIR` would lint; a folder that cannot be read is
/// an error, as it is for `lint`.
fn walk(dir: &Path, resolver: &mut Resolver) -> miette::Result<Vec<PathBuf>> {
    let (files, errors) = resolver.walk(dir)?;
    match errors.into_iter().next() {
        Some((at, error)) => Err(miette::miette!(
            "{}: {error}",
            crate::input::display_path(&at)
        )),
        None => Ok(files),
    }
}

fn doc_ref(s: &DocSummary) -> DocRef {
    DocRef {
        path: s.path.clone(),
        id: s.id.as_ref().map(|m| m.text.trim().to_string()),
        title: s.title.clone(),
        version: s.version.clone(),
    }
}

/// The matrix: drift is what `lint` reports (X006 under the configuration), local differences
/// are the marked ones (with any difference, however small: the marker says it is deliberate).
fn matrix(summaries: &[DocSummary], drift: &[Vec<&Diagnostic>]) -> Matrix {
    let mut bases: Vec<(usize, Base)> = Vec::new();
    let mut unknown_base = Vec::new();
    for p in pairings(summaries, &Options::default()) {
        let s = &summaries[p.variant];
        let mut differences: Vec<Difference> = drift[p.variant]
            .iter()
            .map(|d| Difference {
                kind: Kind::Drift,
                line: d.line,
                message: d.message.clone(),
                reason: None,
            })
            .collect();
        differences.extend(p.differences.into_iter().filter_map(|d| {
            d.local.map(|reason| Difference {
                kind: Kind::Local,
                line: d.line,
                message: d.message,
                reason: Some(reason),
            })
        }));
        differences.sort_by_key(|d| (d.line, d.kind));
        let count = |k: Kind| differences.iter().filter(|d| d.kind == k).count();
        let variant = Variant {
            doc: doc_ref(s),
            branch: s.branch.clone(),
            variant_of: s
                .variant_of
                .as_ref()
                .map_or(String::new(), |m| m.text.trim().to_string()),
            drift: count(Kind::Drift),
            local: count(Kind::Local),
            differences,
        };
        match p.base {
            Some(b) => match bases.iter_mut().find(|(i, _)| *i == b) {
                Some((_, base)) => base.variants.push(variant),
                None => bases.push((
                    b,
                    Base {
                        doc: doc_ref(&summaries[b]),
                        variants: vec![variant],
                    },
                )),
            },
            None => unknown_base.push(variant),
        }
    }
    bases.sort_by_key(|(i, _)| *i);
    Matrix {
        bases: bases.into_iter().map(|(_, b)| b).collect(),
        unknown_base,
    }
}

/// "CS-210 \"Refund a purchase\" 2.1.0", with what the document has.
fn describe(d: &DocRef) -> String {
    let mut parts = vec![d.id.clone().unwrap_or_else(|| d.path.clone())];
    if let Some(t) = &d.title {
        parts.push(format!("{t:?}"));
    }
    if let Some(v) = &d.version {
        parts.push(v.clone());
    }
    parts.join(" ")
}

/// The branch, else the id, else the path.
fn variant_name(v: &Variant) -> String {
    v.branch
        .clone()
        .or_else(|| v.doc.id.clone())
        .unwrap_or_else(|| v.doc.path.clone())
}

fn counts(v: &Variant) -> String {
    if v.differences.is_empty() {
        "no difference".into()
    } else {
        format!("{} drift, {} local", v.drift, v.local)
    }
}

fn human_variant(s: &mut String, v: &Variant) {
    let version = v
        .doc
        .version
        .as_deref()
        .map_or(String::new(), |v| format!(", {v}"));
    let _ = writeln!(
        s,
        "  {} ({}{version}): {}",
        variant_name(v),
        v.doc.path,
        counts(v)
    );
    for d in &v.differences {
        match (&d.kind, &d.reason) {
            (Kind::Local, Some(reason)) => {
                let _ = writeln!(
                    s,
                    "    local {}:{}: {} (local: {reason})",
                    v.doc.path, d.line, d.message
                );
            }
            _ => {
                let _ = writeln!(s, "    drift {}:{}: {}", v.doc.path, d.line, d.message);
            }
        }
    }
}

fn totals(m: &Matrix) -> (usize, usize, usize) {
    let all = m
        .bases
        .iter()
        .flat_map(|b| &b.variants)
        .chain(&m.unknown_base);
    all.fold((0, 0, 0), |(n, d, l), v| (n + 1, d + v.drift, l + v.local))
}

fn human(m: &Matrix) -> String {
    let mut s = String::new();
    if m.bases.is_empty() && m.unknown_base.is_empty() {
        s.push_str("no branch variants: no document has `variant_of`\n");
        return s;
    }
    for b in &m.bases {
        let _ = writeln!(s, "{} ({})", describe(&b.doc), b.doc.path);
        for v in &b.variants {
            human_variant(&mut s, v);
        }
    }
    if !m.unknown_base.is_empty() {
        s.push_str("variants of an unknown base:\n");
        for v in &m.unknown_base {
            human_variant(&mut s, v);
        }
    }
    let (n, d, l) = totals(m);
    let _ = writeln!(
        s,
        "{}, {}: {} drift, {} local",
        crate::output::plural(m.bases.len(), "base"),
        crate::output::plural(n, "variant"),
        d,
        l
    );
    s
}

/// Keeps user text from opening Markdown or HTML constructs, and from ending a table cell.
fn md(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('\n', " ")
}

fn markdown(m: &Matrix) -> String {
    let mut s = String::from("### Branch variants\n\n");
    if m.bases.is_empty() && m.unknown_base.is_empty() {
        s.push_str("No document has `variant_of`.\n");
        return s;
    }
    let (n, d, l) = totals(m);
    let _ = writeln!(
        s,
        "{}, {}: **{d} drift**, {l} local.\n",
        crate::output::plural(m.bases.len(), "base"),
        crate::output::plural(n, "variant")
    );
    s.push_str(
        "| Base | Variant | Branch | Version | Drift | Local |\n|---|---|---|---|---|---|\n",
    );
    let rows = m
        .bases
        .iter()
        .flat_map(|b| b.variants.iter().map(move |v| (describe(&b.doc), v)))
        .chain(
            m.unknown_base
                .iter()
                .map(|v| (format!("{} (unknown)", v.variant_of), v)),
        );
    let mut details = String::new();
    for (base, v) in rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            md(&base),
            md(v.doc.id.as_deref().unwrap_or(&v.doc.path)),
            md(v.branch.as_deref().unwrap_or("")),
            md(v.doc.version.as_deref().unwrap_or("")),
            v.drift,
            v.local
        );
        if v.differences.is_empty() {
            continue;
        }
        let _ = writeln!(
            details,
            "\n<details><summary>{} ({})</summary>\n",
            md(&variant_name(v)),
            md(&v.doc.path)
        );
        for d in &v.differences {
            let _ = match &d.reason {
                Some(reason) => writeln!(
                    details,
                    "- local, line {}: {} (local: {})",
                    d.line,
                    md(&d.message),
                    md(reason)
                ),
                None => writeln!(details, "- **drift**, line {}: {}", d.line, md(&d.message)),
            };
        }
        details.push_str("\n</details>\n");
    }
    s.push_str(&details);
    s
}
