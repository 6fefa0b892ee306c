//! Reading the site's input: a folder of SOPs, linted as `sopkit lint` would, or a bundle,
//! verified first (and its signature checked against `--key`).

use std::path::{Path, PathBuf};

use super::{Request, SiteError};
use crate::bundle::build::entry_for;
use crate::bundle::diff::{diff, BundleDiff, Side};
use crate::bundle::manifest::{Generator, LintSummary, Manifest, MANIFEST_SCHEMA};
use crate::bundle::{sign, verify};
use crate::config::Resolver;
use crate::document::{Document, ParseOptions};
use crate::lint::{display_path, Diagnostic, Input, Linter};
use crate::settings::Settings;

/// One SOP of the site.
pub(crate) struct Entry {
    pub document: Document,
    /// The source text, line endings as stored.
    pub source: String,
    /// Where it came from: the path shown to users.
    pub shown: String,
    /// The path other documents link to it by: the file as written, also inside a bundle.
    pub original: String,
    /// The sha256 of the bundled `.md`, for a bundle.
    pub sha256: Option<String>,
    /// For a bundle, the approvals of this document by the approvers it lists, found next to
    /// the bundle ("Head of Operations, 2025-11-30T10:53:20Z"); their signatures are checked by
    /// `bundle verify --approvals`, not here.
    pub approvals: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// How it was parsed (aliases, default language): the changes page parses it so again.
    pub options: ParseOptions,
}

/// Everything read, and what the site says about its origin.
pub(crate) struct Loaded {
    pub entries: Vec<Entry>,
    /// "folder examples" or "bundle ops 1.2.0 (signed, signature verified)".
    pub origin: String,
    /// The verified bundle, kept for `--previous`.
    pub bundle: Option<verify::Contents>,
}

/// Reads the input named by the request.
pub(crate) fn load(request: &Request, resolver: Resolver) -> Result<Loaded, SiteError> {
    let path = &request.input;
    if path.is_dir() || (path.is_file() && crate::config::is_markdown(path)) {
        if request.key.is_some() {
            return Err(SiteError::Failed(
                "--key checks a bundle's signature: give a bundle, not a folder".into(),
            ));
        }
        return load_folder(request, resolver);
    }
    if !path.exists() {
        return Err(SiteError::Failed(format!(
            "{}: no such file or directory",
            path.display()
        )));
    }
    load_bundle(request, resolver)
}

/// The files under `dir` that `sopkit lint DIR` would lint; a folder that cannot be read
/// stops the build, as it fails a lint run.
fn walk(dir: &Path, resolver: &mut Resolver) -> Result<Vec<PathBuf>, SiteError> {
    let (files, errors) = resolver
        .walk(dir)
        .map_err(|e| SiteError::Failed(e.to_string()))?;
    match errors.into_iter().next() {
        Some((at, error)) => Err(SiteError::Failed(format!("{}: {error}", display_path(&at)))),
        None => Ok(files),
    }
}

fn load_folder(request: &Request, mut resolver: Resolver) -> Result<Loaded, SiteError> {
    let settings = Settings::default();
    let files = if request.input.is_dir() {
        walk(&request.input, &mut resolver)?
    } else {
        vec![request.input.clone()]
    };
    let mut inputs = Vec::new();
    // Each file's text and parse options, kept here: the pages need the whole model, and the
    // linter's reports keep only what the cross-document rules read.
    let mut sources = std::collections::HashMap::new();
    for file in &files {
        let profile = resolver
            .profile_of(file, &settings)
            .map_err(|e| SiteError::Failed(e.to_string()))?;
        let input = Input::read(file);
        if let Ok(bytes) = &input.bytes {
            if let Ok(text) = std::str::from_utf8(bytes) {
                sources.insert(input.path.clone(), (text.to_string(), profile));
            }
        }
        inputs.push((input, profile));
    }
    let linter = resolver.into_linter();
    let reports = linter.run_profiles(inputs);
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for report in reports {
        if let Some(e) = &report.error {
            problems.push(format!(
                "{}:{}:{}: {}",
                e.path,
                e.line(),
                e.column(),
                e.error
            ));
            continue;
        }
        let Some((source, profile)) = sources.remove(&report.path) else {
            continue;
        };
        let options = linter
            .profiles
            .get(profile)
            .map(|p| p.settings.parse.clone())
            .unwrap_or_default();
        let document = crate::document::parse(&report.path, source, &options);
        entries.push(Entry {
            source: document.source.clone(),
            shown: report.path.clone(),
            original: report.path.clone(),
            sha256: None,
            approvals: Vec::new(),
            diagnostics: report.diagnostics,
            options,
            document,
        });
    }
    for p in &problems {
        eprintln!("warning: {p} (left out of the site)");
    }
    Ok(Loaded {
        entries,
        origin: format!("folder {}", display_path(&request.input)),
        bundle: None,
    })
}

/// Opens a bundle and checks it; with `key`, a good signature by it is required.
fn open_verified(path: &Path, key: Option<&Path>) -> Result<verify::Contents, SiteError> {
    let key = match key {
        Some(k) => Some(sign::load_public_key(k).map_err(|e| SiteError::Failed(e.to_string()))?),
        None => None,
    };
    let mut contents = verify::open(path).map_err(|e| SiteError::Failed(e.to_string()))?;
    if let Some(key) = &key {
        verify::require_signature(&mut contents, key);
    }
    let shown = display_path(path);
    if !contents.problems.is_empty() || contents.manifest.is_none() {
        let mut lines: Vec<String> = contents
            .problems
            .iter()
            .map(|p| format!("{shown}: {p}"))
            .collect();
        lines.push(format!(
            "{shown} is not a valid bundle (see `sopkit bundle verify`): no site written"
        ));
        return Err(SiteError::Refused(lines));
    }
    Ok(contents)
}

fn load_bundle(request: &Request, resolver: Resolver) -> Result<Loaded, SiteError> {
    let path = &request.input;
    let key = request.key.as_deref();
    let contents = open_verified(path, key)?;
    let Some(manifest) = &contents.manifest else {
        return Err(SiteError::Failed("the bundle has no manifest".into()));
    };
    // A bundle does not carry its configuration. With `--config`, its documents are linted
    // with that file; otherwise with the rules the bundle was built with (its manifest lists
    // them) at their defaults. The repository rules (X) are left out: inside a bundle files
    // are renamed by id, so links and cross-document checks would report the bundle's layout,
    // not the documents.
    let mut resolver = resolver;
    let configured = request.config.is_some();
    let mut inputs = Vec::new();
    for doc in &manifest.documents {
        if let Some(bytes) = contents.files.get(&doc.md.path) {
            let profile = match configured {
                true => resolver
                    .profile_of(Path::new(&doc.md.path), &Settings::default())
                    .map_err(|e| SiteError::Failed(e.to_string()))?,
                false => 0,
            };
            let input = Input {
                path: doc.md.path.clone(),
                bytes: Ok(bytes.clone()),
            };
            inputs.push((input, profile));
        }
    }
    let linter = match configured {
        true => resolver.into_linter(),
        false => Linter::with_defaults(Settings::default()),
    };
    let profiles: std::collections::HashMap<String, usize> =
        inputs.iter().map(|(i, p)| (i.path.clone(), *p)).collect();
    let mut reports: std::collections::HashMap<String, Vec<Diagnostic>> = linter
        .run_profiles(inputs)
        .into_iter()
        .map(|r| (r.path, r.diagnostics))
        .collect();
    let found = crate::bundle::approval::find(path, &contents, None);
    let mut entries = Vec::new();
    for doc in &manifest.documents {
        let Some(bytes) = contents.files.get(&doc.md.path) else {
            continue;
        };
        let source = String::from_utf8_lossy(bytes).into_owned();
        let diagnostics = reports
            .remove(&doc.md.path)
            .unwrap_or_default()
            .into_iter()
            .filter(|d| configured || manifest.rules.is_empty() || manifest.rules.contains(&d.code))
            .filter(|d| !d.code.starts_with('X'))
            .collect();
        let mut options = profiles
            .get(&doc.md.path)
            .and_then(|&p| linter.profiles.get(p))
            .map(|p| p.settings.parse.clone())
            .unwrap_or_default();
        // As `bundle build` parsed it: in the language the manifest records.
        options.default_lang = Some(doc.lang.clone());
        let document = crate::document::parse(&doc.md.path, source.clone(), &options);
        let approvals = crate::bundle::approval::recorded(&found, &document);
        entries.push(Entry {
            document,
            source,
            shown: doc.md.path.clone(),
            original: doc.path.clone(),
            sha256: Some(doc.md.sha256.clone()),
            approvals,
            diagnostics,
            options,
        });
    }
    let signature = match (key, &contents.signature) {
        (Some(_), _) => "signed, signature verified",
        (None, Some(_)) => "signed, signature not checked",
        (None, None) => "not signed",
    };
    let origin = format!(
        "bundle {} {} ({signature}, every hash matches)",
        manifest.name, manifest.version
    );
    Ok(Loaded {
        entries,
        origin,
        bundle: Some(contents),
    })
}

/// The changes from bundle `previous` to the site's input (`bundle diff`): the bundle itself,
/// or for a folder the documents `bundle build` would put in a bundle of it (the approved
/// ones with an id and a version).
pub(crate) fn changes(previous: &Path, loaded: &Loaded) -> Result<BundleDiff, SiteError> {
    let old = open_verified(previous, None)?;
    let folder;
    let new = match &loaded.bundle {
        Some(bundle) => bundle,
        None => {
            folder = folder_contents(loaded);
            &folder
        }
    };
    match (Side::of(&old), Side::of(new)) {
        (Some(o), Some(n)) => Ok(diff(&o, &n)),
        _ => Err(SiteError::Failed("a bundle has no manifest".into())),
    }
}

/// A folder's documents as a bundle would hold them, in memory, for `bundle diff`. The
/// "bundle" is named after the folder and has no version: the changes page says "folder …".
fn folder_contents(loaded: &Loaded) -> verify::Contents {
    let mut documents = Vec::new();
    let mut files = std::collections::BTreeMap::new();
    for e in &loaded.entries {
        let status = e.document.status();
        if status != Some(crate::document::Status::Approved) {
            continue;
        }
        let status = status.as_ref().map_or("", crate::document::Status::as_str);
        let Ok((entry, md, json)) = entry_for(&e.document, &e.original, status, &e.options) else {
            continue;
        };
        if files.contains_key(&entry.md.path) {
            continue;
        }
        files.insert(entry.md.path.clone(), md);
        files.insert(entry.json.path.clone(), json);
        documents.push(entry);
    }
    documents.sort_by(|a, b| a.id.cmp(&b.id));
    let manifest = Manifest {
        schema: MANIFEST_SCHEMA.into(),
        name: loaded.origin.clone(),
        version: String::new(),
        created: String::new(),
        generator: Generator {
            name: "sopkit".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        rules: Vec::new(),
        lint: LintSummary {
            files: loaded.entries.len(),
            errors: 0,
            warnings: 0,
            infos: 0,
        },
        documents,
    };
    verify::Contents {
        manifest: Some(manifest),
        files,
        ..Default::default()
    }
}
