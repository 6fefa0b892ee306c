//! The workspace folders as `sopkit lint FOLDER` sees them: the files its walk lints (ignore
//! files, `include`, `exclude`), the profile of each, one linter per folder built by the CLI's
//! own [`Resolver`], and a compact summary of each file for the cross-document rules (duplicate
//! ids, broken links, role spelling). Built on worker threads, never on the main loop.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::analysis::shown;
use crate::config::{CliRules, Resolver};
use crate::document::DocSummary;
use crate::input::{decode, too_deep};
use crate::lint::{Diagnostic, Input, Linter};
use crate::settings::Settings;

/// A walked file: its profile in the folder's linter, and the summary of its text on disk
/// (`None` when it cannot be linted: unreadable, binary, nested too deep).
pub(crate) struct Walked {
    pub profile: usize,
    pub summary: Option<Arc<DocSummary>>,
}

/// One workspace folder, scanned.
pub(crate) struct Root {
    pub dir: PathBuf,
    /// The linter of every walked file, as `sopkit lint FOLDER` builds it.
    pub linter: Arc<Linter>,
    /// The files the CLI's walk lints, by absolute path.
    pub files: BTreeMap<PathBuf, Walked>,
}

/// The summaries of open documents (their text wins over the disk's), by path.
pub(crate) type OpenSummaries = HashMap<PathBuf, Arc<DocSummary>>;

/// Walks a folder as `sopkit lint FOLDER` does and summarises every file it would lint; an
/// unusable configuration is the CLI's error message.
pub(crate) fn scan(dir: &Path) -> Result<Root, String> {
    let mut resolver =
        Resolver::new(None, false, &CliRules::default()).map_err(|e| e.to_string())?;
    let mut paths = Vec::new();
    for file in crate::input::walk_all(dir).0 {
        if resolver.walked(&file).map_err(|e| e.to_string())? {
            paths.push(file);
        }
    }
    paths.sort_by_cached_key(|f| shown(f));
    paths.dedup_by_key(|f| shown(f));
    let settings = Settings::default();
    let profiles = paths
        .iter()
        .map(|f| resolver.profile_of(f, &settings))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let linter = Arc::new(resolver.into_linter());
    let summaries: Vec<Option<Arc<DocSummary>>> = paths
        .par_iter()
        .zip(&profiles)
        .map(|(f, &p)| summarise(&linter, p, f).map(Arc::new))
        .collect();
    let files = paths
        .into_iter()
        .zip(profiles.into_iter().zip(summaries))
        .map(|(f, (profile, summary))| (f, Walked { profile, summary }))
        .collect();
    Ok(Root {
        dir: dir.to_path_buf(),
        linter,
        files,
    })
}

/// The summary of a file on disk, as the linter builds it when it lints the file.
fn summarise(linter: &Linter, profile: usize, path: &Path) -> Option<DocSummary> {
    let input = Input::read(path);
    let source = decode(input.bytes).ok()?;
    if too_deep(&source).is_some() {
        return None;
    }
    let settings = &linter.profiles.get(profile)?.settings;
    let doc = crate::document::parse(&shown(path), source, &settings.parse);
    Some(DocSummary::of(&doc))
}

impl Root {
    /// The summaries of every file but `except`, open documents' from their text.
    pub(crate) fn others(&self, except: &[&Path], open: &OpenSummaries) -> Vec<DocSummary> {
        self.files
            .iter()
            .filter(|(p, _)| !except.contains(&p.as_path()))
            .filter_map(|(p, w)| open.get(p).or(w.summary.as_ref()))
            .map(|s| DocSummary::clone(s))
            .collect()
    }

    /// The diagnostics of every walked file that is not open, as `sopkit lint FOLDER` reports
    /// them (the open documents' text counts for the cross-document rules), with each file's
    /// text for positions.
    pub(crate) fn unopened(
        &self,
        open: &OpenSummaries,
        opened: &HashSet<PathBuf>,
    ) -> Vec<(PathBuf, String, Vec<Diagnostic>)> {
        let closed: Vec<(&PathBuf, usize)> = self
            .files
            .iter()
            .filter(|(p, _)| !opened.contains(*p))
            .map(|(p, w)| (p, w.profile))
            .collect();
        let inputs: Vec<(Input, usize)> = closed
            .par_iter()
            .map(|(p, profile)| {
                let mut input = Input::read(p);
                input.path = shown(p);
                (input, *profile)
            })
            .collect();
        let beside = self
            .files
            .iter()
            .filter(|(p, _)| opened.contains(*p))
            .filter_map(|(p, w)| open.get(p).or(w.summary.as_ref()))
            .map(|s| DocSummary::clone(s))
            .collect();
        let by_shown: HashMap<String, &PathBuf> =
            closed.iter().map(|(p, _)| (shown(p), *p)).collect();
        let texts: HashMap<String, String> = inputs
            .iter()
            .map(|(i, _)| {
                let text = i
                    .bytes
                    .as_ref()
                    .map(|b| String::from_utf8_lossy(b).into_owned());
                (i.path.clone(), text.unwrap_or_default())
            })
            .collect();
        let mut texts = texts;
        self.linter
            .run_beside(inputs, beside)
            .into_iter()
            .filter_map(|r| {
                let path = (*by_shown.get(&r.path)?).clone();
                let text = texts.remove(&r.path).unwrap_or_default();
                let diagnostics = match r.error {
                    Some(e) => vec![e.to_diagnostic()],
                    None => r.diagnostics,
                };
                Some((path, text, diagnostics))
            })
            .collect()
    }
}

/// Whether two summaries tell the other documents the same: equal but for the spans of the
/// id, roles and links, which only place findings in the document itself. Any other field
/// (one added later) is compared whole, spans included: at worst the others are linted again
/// for nothing.
pub(crate) fn same_for_others(a: &DocSummary, b: &DocSummary) -> bool {
    without_spans(a) == without_spans(b)
}

fn without_spans(s: &DocSummary) -> DocSummary {
    let mut s = s.clone();
    let zero = |m: &mut crate::document::Mention| m.span = 0..0;
    s.id.iter_mut().for_each(zero);
    s.roles.iter_mut().for_each(zero);
    s.escalation_roles.iter_mut().for_each(zero);
    for link in &mut s.links {
        link.span = 0..0;
        link.target_span = 0..0;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scan_walks_as_the_cli_and_summarises_each_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\nid: X-1\n---\n# A\n").unwrap();
        std::fs::write(dir.path().join("b.md"), "---\nid: X-1\n---\n# B\n").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not linted").unwrap();
        std::fs::write(dir.path().join("sopkit.yaml"), "exclude: [\"b.md\"]\n").unwrap();
        let root = scan(dir.path()).unwrap();
        let names: Vec<_> = root.files.keys().map(|p| p.file_name().unwrap()).collect();
        assert_eq!(names, ["a.md"]);
        let a = root.files.values().next().unwrap();
        assert_eq!(a.summary.as_ref().unwrap().id.as_ref().unwrap().text, "X-1");
        let moved = DocSummary {
            id: a.summary.as_ref().unwrap().id.clone().map(|mut m| {
                m.span = 0..1;
                m
            }),
            ..DocSummary::clone(a.summary.as_ref().unwrap())
        };
        assert!(same_for_others(&moved, a.summary.as_ref().unwrap()));
        let renamed = DocSummary {
            id: moved.id.clone().map(|mut m| {
                m.text = "X-2".into();
                m
            }),
            ..moved.clone()
        };
        assert!(!same_for_others(&renamed, &moved));
    }
}
