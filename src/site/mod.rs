//! `sopkit site build`: a self-contained static portal of SOPs (DESIGN §9, issue 12).
//!
//! The pipeline: [`input`] reads a folder (linted with its configuration) or a bundle (verified
//! first) into [`input::Entry`]s; [`model`] turns them into the serialisable view of every page
//! (index rows, review state, roles, calendar); [`markdown`] renders each document and sanitises
//! its raw HTML with ammonia; [`svg`] draws the escalation chain; [`pages`] fills the templates
//! of `templates/site/`; [`write`] puts the files in place atomically.
//!
//! Templates use **minijinja**: its templates are plain files that designers can edit (maud has
//! none), it escapes HTML by default for `.html` templates, it needs no proc-macro build step
//! (askama compiles every template into Rust), and its dependency tree is small (serde only).
//!
//! Determinism: files are kept in a sorted map and written in that order, nothing reads the
//! clock except the review reference date, which is `SOURCE_DATE_EPOCH` when set (else
//! `SOPKIT_TODAY`, else today's UTC date); every list is sorted.

mod input;
mod markdown;
mod model;
mod pages;
mod svg;
mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::config::Resolver;

/// What to build.
pub(crate) struct Request {
    /// A folder (or file) of SOPs, or a `.sopbundle.tar.gz`.
    pub input: PathBuf,
    pub output: PathBuf,
    /// An older bundle: adds the changes page.
    pub previous: Option<PathBuf>,
    /// A minisign public key: the bundle must carry a good signature by it.
    pub key: Option<PathBuf>,
    /// `--config`: also lints a bundle's documents (a folder's configuration is discovered).
    pub config: Option<PathBuf>,
}

/// What was built, for the command's summary line.
pub(crate) struct Built {
    pub documents: usize,
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings as `path:line:col: severity[CODE] message` lines, to show on the terminal.
    pub findings: Vec<String>,
}

/// Why no site was written.
#[derive(Debug)]
pub(crate) enum SiteError {
    /// The input could not be used (bad bundle, bad signature): exit status 1.
    Refused(Vec<String>),
    /// Usage or I/O error: exit status 2.
    Failed(String),
}

impl std::fmt::Display for SiteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SiteError::Refused(lines) => write!(f, "{}", lines.join("\n")),
            SiteError::Failed(message) => write!(f, "{message}"),
        }
    }
}

/// Builds the site into `request.output`, replacing a previous site there.
/// `resolver` holds the configuration (`--config` or discovered) a folder is linted with.
pub(crate) fn build(request: Request, resolver: Resolver) -> Result<Built, SiteError> {
    let mut loaded = input::load(&request, resolver)?;
    // By id, then by path: the index's order, and the order pages are named in.
    loaded.entries.sort_by_cached_key(|e| {
        let id = e.document.field_str("id").unwrap_or_default();
        (id.trim().to_lowercase(), e.shown.clone())
    });
    let changes = match &request.previous {
        Some(previous) => Some(input::changes(previous, &loaded)?),
        None => None,
    };
    let today = reference_date()?;
    let site = model::Site::new(&loaded, today, changes);
    let files: BTreeMap<String, Vec<u8>> = pages::render(&site, &loaded)?;
    write::atomically(&request.output, &files)?;
    let mut findings = Vec::new();
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for entry in &loaded.entries {
        for d in &entry.diagnostics {
            match d.severity {
                crate::rule::Severity::Error => errors += 1,
                crate::rule::Severity::Warning => warnings += 1,
                crate::rule::Severity::Info => infos += 1,
            }
            findings.push(format!(
                "{}:{}:{}: {}[{}] {}",
                d.path,
                d.line,
                d.column,
                d.severity.as_str(),
                d.code,
                d.message
            ));
        }
    }
    Ok(Built {
        documents: loaded.entries.len(),
        files: files.len(),
        errors,
        warnings,
        infos,
        findings,
    })
}

/// The date review states are computed against: `SOURCE_DATE_EPOCH` when set, so that a
/// reproducible build is byte-identical whenever it runs; else `SOPKIT_TODAY` or the clock.
fn reference_date() -> Result<time::Date, SiteError> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
            .map(|t| t.date())
            .ok_or_else(|| {
                SiteError::Failed(format!(
                    "SOURCE_DATE_EPOCH={text:?} is not a number of seconds"
                ))
            }),
        Err(_) => Ok(crate::settings::today()),
    }
}

/// `YYYY-MM-DD`.
pub(crate) fn iso(date: time::Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    date.format(&format).unwrap_or_default()
}
