//! `bundle build`: lint, select, hash, sign and write the archive atomically.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::archive::write_archive;
use super::diff::{diff, BundleDiff, Side};
use super::error::{BundleError, Refusal};
use super::manifest::{
    doc_paths, is_safe_name, DocumentEntry, FileEntry, Generator, LintSummary, Manifest,
    MANIFEST_PATH, MANIFEST_SCHEMA, SIGNATURE_PATH,
};
use super::{sign, verify};
use crate::document::{keys, parse, Document, ParseOptions, Status};
use crate::lint::{FileReport, Input, Linter, Summary};
use crate::rule::Severity;
use crate::settings::parse_iso_date;

/// A source file to bundle: where to read it, and its path relative to the root it was found
/// under (recorded in the manifest, so that it does not depend on the checkout's location).
pub(crate) struct Source {
    pub file: PathBuf,
    pub relative: String,
}

/// How the bundle's version is chosen.
pub(crate) enum VersionSpec {
    Exact(String),
    /// Derived from the changes since the previous bundle.
    Auto,
}

pub(crate) struct Request {
    pub sources: Vec<Source>,
    pub name: String,
    pub version: VersionSpec,
    pub previous: Option<PathBuf>,
    pub output: PathBuf,
    pub sign: Option<PathBuf>,
    pub include_drafts: bool,
    pub force: bool,
    /// The rules configured for the sources (`sopkit.yaml` or `--config`).
    pub linter: Linter,
    /// For each source, its profile in `linter`.
    pub profiles: Vec<usize>,
}

pub(crate) struct Built {
    pub path: PathBuf,
    pub manifest: Manifest,
    pub size: u64,
    pub signed: bool,
    pub lint: Summary,
    /// Lint errors in documents that were left out of the bundle (drafts): they did not
    /// refuse it.
    pub errors_left_out: usize,
    pub diff: Option<BundleDiff>,
}

#[derive(Debug)]
pub(crate) enum BuildError {
    /// The inputs do not make a valid bundle (exit 1): one line per problem.
    Refused(Vec<Refusal>),
    /// Usage or I/O (exit 2).
    Failed(BundleError),
}

impl From<BundleError> for BuildError {
    fn from(e: BundleError) -> Self {
        Self::Failed(e)
    }
}

pub(crate) fn build(req: Request) -> Result<Built, BuildError> {
    if !is_safe_name(&req.name) {
        return Err(BundleError::BadName(req.name).into());
    }
    if let VersionSpec::Exact(v) = &req.version {
        semver::Version::parse(v).map_err(|source| BundleError::BadVersion {
            given: v.clone(),
            source,
        })?;
    }
    // A missing output directory is created, but only once the bundle is ready to be written:
    // a refused build leaves nothing behind.
    if req.output.exists() && !req.output.is_dir() {
        return Err(BundleError::OutputNotDirectory(req.output).into());
    }
    let secret_key = match &req.sign {
        Some(path) => Some(sign::load_secret_key(path)?),
        None => None,
    };
    let previous = match &req.previous {
        Some(path) => {
            let contents = verify::open(path)?;
            if !contents.problems.is_empty() || contents.manifest.is_none() {
                return Err(BundleError::InvalidPrevious {
                    path: path.clone(),
                    problems: contents.problems,
                }
                .into());
            }
            Some(contents)
        }
        None => None,
    };

    let relative: BTreeMap<String, String> = req
        .sources
        .iter()
        .map(|s| (crate::input::display_path(&s.file), s.relative.clone()))
        .collect();
    let profile_by_path: BTreeMap<String, usize> = req
        .sources
        .iter()
        .zip(&req.profiles)
        .map(|(s, p)| (crate::input::display_path(&s.file), *p))
        .collect();
    let inputs: Vec<(Input, usize)> = req
        .sources
        .iter()
        .zip(&req.profiles)
        .map(|(s, p)| (Input::read(&s.file), *p))
        .collect();
    let reports = req.linter.run_profiles(inputs);
    if let Some(e) = reports.iter().find_map(|r| r.error.as_ref()) {
        return Err(BundleError::Source {
            path: e.path.clone(),
            error: e.error.clone(),
        }
        .into());
    }
    let lint = Summary::of(&reports);
    // Only the errors of documents that go into the bundle refuse it: a draft's findings are
    // for its authors, not for the bundle.
    let errors: Vec<Refusal> = reports
        .iter()
        .filter(|r| may_be_bundled(r, req.include_drafts))
        .flat_map(|r| &r.diagnostics)
        .filter(|d| d.severity == Severity::Error)
        .map(|d| Refusal::at(&d.path, d.line, d.column, &d.code, d.message.as_str()))
        .collect();
    if !errors.is_empty() {
        return Err(BuildError::Refused(errors));
    }

    let mut refusals = Vec::new();
    let mut docs: BTreeMap<String, (DocumentEntry, Vec<u8>, Vec<u8>)> = BTreeMap::new();
    let mut newest_effective: Option<time::Date> = None;
    for doc in reports.iter().filter_map(|r| r.document.as_ref()) {
        let status = doc.status();
        if status != Some(Status::Approved) && !req.include_drafts {
            continue;
        }
        let rel = relative
            .get(&doc.path)
            .cloned()
            .unwrap_or_else(|| doc.path.clone());
        // Parse the bundled text as lint did: same aliases, same language.
        let profile = profile_by_path.get(&doc.path).copied().unwrap_or(0);
        let mut parse_options = req
            .linter
            .profiles
            .get(profile)
            .map(|p| p.settings.parse.clone())
            .unwrap_or_default();
        parse_options.default_lang = Some(doc.lang.clone());
        let status = status.as_ref().map_or("", Status::as_str);
        match entry_for(doc, &rel, status, &parse_options) {
            Err(problem) => refusals.push(problem),
            Ok((entry, md, json)) => {
                if let Some((other, ..)) = docs.get(&entry.id) {
                    // Both files as the user named them, not as their paths in the bundle.
                    let other_shown = relative
                        .iter()
                        .find(|(_, rel)| **rel == other.path)
                        .map_or(other.path.as_str(), |(shown, _)| shown.as_str());
                    refusals.push(Refusal::at_start(
                        &doc.path,
                        format!("id {} is also used by {other_shown}", entry.id),
                    ));
                    continue;
                }
                if let Some(d) = entry.effective.as_deref().and_then(parse_iso_date) {
                    newest_effective = newest_effective.max(Some(d));
                }
                docs.insert(entry.id.clone(), (entry, md, json));
            }
        }
    }
    if docs.is_empty() && refusals.is_empty() {
        refusals.push(Refusal::NothingToBundle {
            include_drafts: req.include_drafts,
            linted: reports.len(),
        });
    }
    if !refusals.is_empty() {
        return Err(BuildError::Refused(refusals));
    }

    let errors_left_out = reports
        .iter()
        .filter(|r| !may_be_bundled(r, req.include_drafts))
        .flat_map(|r| &r.diagnostics)
        .filter(|d| d.severity == Severity::Error)
        .count();
    let created = created_time(newest_effective)?;
    let mut rules: Vec<String> = req
        .linter
        .rule_metas()
        .iter()
        .map(|m| m.code.to_string())
        .collect();
    rules.sort();
    rules.dedup();
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut documents = Vec::new();
    for (entry, md, json) in docs.into_values() {
        files.insert(entry.md.path.clone(), md);
        files.insert(entry.json.path.clone(), json);
        documents.push(entry);
    }
    let mut manifest = Manifest {
        schema: MANIFEST_SCHEMA.into(),
        name: req.name.clone(),
        version: match &req.version {
            VersionSpec::Exact(v) => v.clone(),
            VersionSpec::Auto => "0.0.0".into(),
        },
        created: created
            .format(&Rfc3339)
            .map_err(|e| BundleError::CreationTime(e.to_string()))?,
        generator: Generator {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        rules,
        lint: LintSummary {
            files: lint.files,
            // The errors of bundled documents refused the build; drafts' are not the bundle's.
            errors: 0,
            warnings: lint.warnings,
            infos: lint.infos,
        },
        documents,
    };

    let diff = match &previous {
        Some(old) => {
            // Problems name the source file as the user gave it, not its path in the bundle.
            let shown: BTreeMap<&str, &str> = relative
                .iter()
                .map(|(shown, rel)| (rel.as_str(), shown.as_str()))
                .collect();
            let (d, version) =
                check_against_previous(old, &manifest, &files, &shown, &req.version)?;
            manifest.version = version;
            Some(d)
        }
        None => None,
    };

    let target = req.output.join(format!(
        "{}-{}.sopbundle.tar.gz",
        manifest.name, manifest.version
    ));
    if target.exists() && !req.force {
        return Err(BundleError::Exists(target).into());
    }
    let manifest_bytes = manifest.to_bytes();
    let mut entries: Vec<(String, Vec<u8>)> = files.into_iter().collect();
    if let Some(sk) = &secret_key {
        let signature =
            sign::sign_manifest(sk, &manifest.name, &manifest.version, &manifest_bytes)?;
        entries.push((SIGNATURE_PATH.into(), signature.into_bytes()));
    }
    entries.push((MANIFEST_PATH.into(), manifest_bytes));
    let mtime = u64::try_from(created.unix_timestamp()).unwrap_or(0);
    if !req.output.exists() {
        std::fs::create_dir_all(&req.output).map_err(|source| BundleError::CreateDir {
            path: req.output.clone(),
            source,
        })?;
    }
    let size = write_atomic(&req.output, &target, req.force, |file| {
        write_archive(BufWriter::new(file), &entries, mtime)?
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        Ok(())
    })?;
    Ok(Built {
        path: target,
        manifest,
        size,
        signed: secret_key.is_some(),
        lint,
        errors_left_out,
        diff,
    })
}

/// Whether a linted file goes into the bundle, or may (its front matter does not parse, so its
/// status is unknown). Without `--include-drafts` only approved documents go in.
fn may_be_bundled(report: &FileReport, include_drafts: bool) -> bool {
    let Some(doc) = &report.document else {
        return true;
    };
    if doc
        .front_matter
        .as_ref()
        .is_some_and(|fm| fm.error.is_some())
    {
        return true;
    }
    include_drafts || doc.status() == Some(Status::Approved)
}

/// The manifest entry and the two files of one document.
pub(crate) fn entry_for(
    doc: &Document,
    relative: &str,
    status: &str,
    parse_options: &ParseOptions,
) -> Result<(DocumentEntry, Vec<u8>, Vec<u8>), Refusal> {
    let at = |key: &str| {
        doc.field(key)
            .map_or((1, 1), |f| (f.span.line, f.span.column))
    };
    let Some(id) = doc.id().filter(|s| !s.trim().is_empty()) else {
        return Err(Refusal::at_start(
            &doc.path,
            "a bundled document needs an `id`",
        ));
    };
    if !is_safe_name(&id) {
        let (l, c) = at(keys::ID);
        return Err(Refusal::at(
            &doc.path,
            l,
            c,
            "bundle",
            format!(
                "id {id:?} cannot name a file in a bundle: use letters, digits, '.', '_' or '-'"
            ),
        ));
    }
    let Some(version) = doc.version() else {
        return Err(Refusal::at_start(
            &doc.path,
            "a bundled document needs a `version`",
        ));
    };
    let title = doc
        .title_field()
        .or_else(|| doc.title.as_ref().map(|t| t.value.clone()))
        .unwrap_or_else(|| id.clone());
    let source = normalize_line_endings(&doc.source);
    let (md_path, json_path) = doc_paths(&id);
    // The model is parsed again from the normalised text, so that its spans point into the
    // bundled `.md` and its path is the bundled one.
    let model = parse(&md_path, source.clone(), parse_options);
    let mut json = serde_json::to_vec_pretty(&model)
        .map_err(|e| Refusal::at_start(&doc.path, format!("cannot serialise the model: {e}")))?;
    json.push(b'\n');
    let md = source.into_bytes();
    let entry = DocumentEntry {
        id,
        title,
        version,
        status: status.to_string(),
        lang: model.lang.clone(),
        effective: doc.effective(),
        // With `review_interval` the due date is computed, so that readers of the manifest
        // see one field.
        review_by: doc.review_by().or_else(|| {
            doc.review_due(&crate::settings::Metadata::default())
                .map(|d| {
                    let format = time::macros::format_description!("[year]-[month]-[day]");
                    d.format(&format).unwrap_or_default()
                })
        }),
        owner: doc.owner(),
        path: relative.to_string(),
        md: FileEntry::of(md_path, &md),
        json: FileEntry::of(json_path, &json),
    };
    Ok((entry, md, json))
}

fn normalize_line_endings(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// `SOURCE_DATE_EPOCH` if set, else midnight UTC of the newest effective date, else the epoch:
/// never the clock, so that rebuilding gives the same bytes.
fn created_time(newest_effective: Option<time::Date>) -> Result<OffsetDateTime, BuildError> {
    if let Some(t) = source_date_epoch()? {
        return Ok(t);
    }
    Ok(newest_effective.map_or(OffsetDateTime::UNIX_EPOCH, |d| d.midnight().assume_utc()))
}

/// The time `SOURCE_DATE_EPOCH` gives, when it is set.
pub(crate) fn source_date_epoch() -> Result<Option<OffsetDateTime>, BundleError> {
    let Some(raw) = std::env::var_os("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let text = raw.to_string_lossy();
    let secs: i64 = text
        .trim()
        .parse()
        .ok()
        .filter(|s| *s >= 0)
        .ok_or_else(|| BundleError::EpochNotNumber(text.to_string()))?;
    OffsetDateTime::from_unix_timestamp(secs)
        .map(Some)
        .map_err(|e| BundleError::EpochOutOfRange {
            text: text.to_string(),
            reason: e.to_string(),
        })
}

/// Compares with the previous bundle: every changed document must raise its version, none may
/// lower it, and the bundle version must rise (or is derived, with `--bump auto`).
fn check_against_previous(
    old: &verify::Contents,
    manifest: &Manifest,
    files: &BTreeMap<String, Vec<u8>>,
    shown: &BTreeMap<&str, &str>,
    spec: &VersionSpec,
) -> Result<(BundleDiff, String), BuildError> {
    let Some(old_side) = Side::of(old) else {
        return Err(BundleError::NoPreviousManifest.into());
    };
    let new_side = Side { manifest, files };
    let mut d = diff(&old_side, &new_side);
    let mut problems = Vec::new();
    let sources: BTreeMap<&str, &str> = manifest
        .documents
        .iter()
        .map(|e| {
            let path = e.path.as_str();
            (e.id.as_str(), shown.get(path).copied().unwrap_or(path))
        })
        .collect();
    for c in &d.changed {
        let path = sources
            .get(c.id.as_str())
            .copied()
            .unwrap_or(&c.version_at.0);
        let (l, col) = (c.version_at.1, c.version_at.2);
        let old_v = super::parse_document_version(&c.old_version).ok();
        let new_v = super::parse_document_version(&c.new_version).ok();
        let went_down = matches!((&old_v, &new_v), (Some(o), Some(n)) if n < o);
        let rose = match (&old_v, &new_v) {
            (Some(o), Some(n)) => n > o,
            _ => c.old_version != c.new_version,
        };
        if went_down {
            problems.push(Refusal::at(
                path,
                l,
                col,
                &super::VersionNotBumped::META.code,
                format!(
                    "{}: {} went down from {} to {} since the previous bundle",
                    super::VersionNotBumped::META.name,
                    c.id,
                    c.old_version,
                    c.new_version
                ),
            ));
        } else if c.content_changed && !rose {
            problems.push(Refusal::at(
                path,
                l,
                col,
                &super::VersionNotBumped::META.code,
                format!(
                    "{}: {} changed since the previous bundle ({} {}) but its version is still {}",
                    super::VersionNotBumped::META.name,
                    c.id,
                    d.old.name,
                    d.old.version,
                    c.new_version
                ),
            ));
        }
    }
    let old_version =
        semver::Version::parse(&d.old.version).map_err(BundleError::PreviousVersion)?;
    let version = match spec {
        VersionSpec::Auto => d.bump.apply(&old_version).to_string(),
        VersionSpec::Exact(v) => {
            let new_version =
                semver::Version::parse(v).map_err(|source| BundleError::BadVersion {
                    given: v.clone(),
                    source,
                })?;
            if new_version <= old_version {
                problems.push(Refusal::VersionNotGreater {
                    given: v.clone(),
                    previous: old_version.to_string(),
                });
            }
            v.clone()
        }
    };
    if !problems.is_empty() {
        return Err(BuildError::Refused(problems));
    }
    d.new.version.clone_from(&version);
    Ok((d, version))
}

/// Writes `target` through a temp file in `dir` and renames it into place: on any failure the
/// temp file is removed and `target` is untouched. Returns the size written.
pub(crate) fn write_atomic(
    dir: &Path,
    target: &Path,
    force: bool,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<u64, BundleError> {
    let failed = |source: io::Error| BundleError::Write {
        path: target.to_path_buf(),
        source,
    };
    // Left by a killed build: `.sopbundle-*.tmp` an hour old or more.
    crate::fix::remove_stale(dir, |n| n.starts_with(".sopbundle-") && n.ends_with(".tmp"));
    let mut tmp = tempfile::Builder::new()
        .prefix(".sopbundle-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|source| BundleError::TempFile {
            dir: dir.to_path_buf(),
            source,
        })?;
    let _in_flight = crate::fix::InFlight::track(tmp.path());
    write(tmp.as_file_mut()).map_err(failed)?;
    let file = tmp.as_file_mut();
    file.flush()
        .and_then(|()| file.sync_all())
        .map_err(failed)?;
    let size = file.metadata().map_err(failed)?.len();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Temp files are private (0600); a bundle is meant to be shared.
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
            .map_err(failed)?;
    }
    let persisted = if force {
        tmp.persist(target)
    } else {
        tmp.persist_noclobber(target)
    };
    persisted.map_err(|e| {
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            BundleError::Exists(target.to_path_buf())
        } else {
            failed(e.error)
        }
    })?;
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Passes `limit` bytes to `inner`, then fails like a full disk.
    struct FailAfter<W> {
        inner: W,
        left: usize,
    }

    impl<W: Write> Write for FailAfter<W> {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::other("no space left on device (injected)"));
            }
            let n = self.inner.write(&buf[..buf.len().min(self.left)])?;
            self.left -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            self.inner.flush()
        }
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn entries() -> Vec<(String, Vec<u8>)> {
        // Pseudo-random bytes barely compress, so the archive is larger than every cut below.
        let mut x: u32 = 1;
        let data = (0..20_000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (x >> 16) as u8
            })
            .collect();
        vec![("docs/A.md".into(), data)]
    }

    #[test]
    fn an_injected_write_error_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("b-1.0.0.sopbundle.tar.gz");
        for left in [0, 100, 700, 15_000] {
            let err = write_atomic(dir.path(), &target, false, |f| {
                write_archive(FailAfter { inner: f, left }, &entries(), 0).map(drop)
            })
            .unwrap_err();
            assert!(matches!(err, BundleError::Write { .. }), "{err:?}");
            assert!(err.to_string().contains("injected"), "{err}");
            assert_eq!(listing(dir.path()), Vec::<String>::new());
        }
    }

    #[test]
    fn an_existing_target_is_kept_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("b.tar.gz");
        std::fs::write(&target, b"old").unwrap();
        let err = write_atomic(dir.path(), &target, false, |f| f.write_all(b"new")).unwrap_err();
        assert!(
            matches!(&err, BundleError::Exists(p) if *p == target),
            "{err:?}"
        );
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        assert_eq!(listing(dir.path()), ["b.tar.gz"]);
        write_atomic(dir.path(), &target, true, |f| f.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(listing(dir.path()), ["b.tar.gz"]);
    }

    #[test]
    fn line_endings_are_normalised() {
        assert_eq!(normalize_line_endings("a\r\nb\rc\n"), "a\nb\nc\n");
    }
}
