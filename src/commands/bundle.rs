//! `bundle build|verify|inspect|diff` and `keygen`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::io::IntoDiagnostic;

use super::ExitStatus;
use crate::bundle::approval::{self, Found};
use crate::bundle::build::{self, BuildError, Request, Source, VersionSpec};
use crate::bundle::diff::{diff, Side};
use crate::bundle::manifest::Manifest;
use crate::bundle::sign;
use crate::bundle::verify::{self, Contents};
use crate::cli::{
    BundleApproveArgs, BundleBuildArgs, BundleCommand, BundleDiffArgs, BundleInspectArgs,
    BundleVerifyArgs, DiffFormat, InspectFormat, KeygenArgs,
};
use crate::config::{CliRules, Resolver};
use crate::output::escape_control;
use crate::settings::Settings;

pub(super) fn run(command: BundleCommand) -> miette::Result<ExitStatus> {
    match command {
        BundleCommand::Build(args) => build(args),
        BundleCommand::Verify(args) => verify(args),
        BundleCommand::Inspect(args) => inspect(args),
        BundleCommand::Diff(args) => diff_bundles(args),
        BundleCommand::Approve(args) => approve(args),
    }
}

/// An error for the user, with exit status 2.
fn fail(message: &dyn std::fmt::Display) -> ExitStatus {
    eprintln!("error: {}", escape_control(&message.to_string()));
    ExitStatus::Error
}

/// Writes `line` and a newline, its control characters escaped: what a bundle prints comes
/// from files (titles, ids, paths) and must not drive the terminal or forge a line.
fn line(out: &mut impl Write, line: &str) -> std::io::Result<()> {
    writeln!(out, "{}", escape_control(line))
}

fn build(args: BundleBuildArgs) -> miette::Result<ExitStatus> {
    let started = Instant::now();
    let mut sources = Vec::new();
    for root in &args.paths {
        if root.is_dir() {
            for file in super::lint::walk(root) {
                let relative = file.strip_prefix(root).unwrap_or(&file);
                sources.push(Source {
                    relative: crate::input::display_path(relative),
                    file,
                });
            }
        } else if root.is_file() {
            let name = root.file_name().map_or_else(|| root.clone(), PathBuf::from);
            sources.push(Source {
                relative: crate::input::display_path(&name),
                file: root.clone(),
            });
        } else {
            return Ok(fail(&format!(
                "{}: no such file or directory",
                root.display()
            )));
        }
    }
    sources.sort_by(|a, b| a.file.cmp(&b.file));
    sources.dedup_by(|a, b| a.file == b.file);
    // Lint exactly as `sopkit lint` would: the same configuration files, or --config.
    let mut resolver = Resolver::new(args.config.as_deref(), false, &CliRules::default())?;
    let settings = Settings::default();
    let profiles = sources
        .iter()
        .map(|s| resolver.profile_of(&s.file, &settings))
        .collect::<Result<Vec<_>, _>>()?;
    let request = Request {
        linter: resolver.into_linter(),
        profiles,
        sources,
        name: args.name,
        version: match args.bundle_version {
            Some(v) => VersionSpec::Exact(v),
            None => VersionSpec::Auto,
        },
        previous: args.previous,
        output: args.output,
        sign: args.sign,
        include_drafts: args.include_drafts,
        force: args.force,
    };
    match build::build(request) {
        Ok(built) => {
            let mut out = std::io::stdout().lock();
            if let Some(d) = &built.diff {
                write!(out, "{}", d.human()).into_diagnostic()?;
            }
            line(
                &mut out,
                &format!(
                    "built {} ({}, {} bytes{}, {:.2} s)",
                    crate::input::display_path(&built.path),
                    crate::output::plural(built.manifest.documents.len(), "document"),
                    built.size,
                    if built.signed { ", signed" } else { "" },
                    started.elapsed().as_secs_f64()
                ),
            )
            .into_diagnostic()?;
            if built.errors_left_out + built.lint.warnings + built.lint.infos > 0 {
                let mut counts = Vec::new();
                if built.errors_left_out > 0 {
                    counts.push(format!(
                        "{} in documents left out of the bundle",
                        crate::output::plural(built.errors_left_out, "error")
                    ));
                }
                counts.push(crate::output::plural(built.lint.warnings, "warning"));
                counts.push(crate::output::plural(built.lint.infos, "note"));
                writeln!(
                    out,
                    "lint: {} (run `sopkit lint` to see them)",
                    counts.join(", ")
                )
                .into_diagnostic()?;
            }
            Ok(ExitStatus::Success)
        }
        Err(BuildError::Refused(lines)) => {
            let mut err = std::io::stderr().lock();
            for l in &lines {
                line(&mut err, &l.to_string()).into_diagnostic()?;
            }
            writeln!(
                err,
                "error: bundle not built: {}",
                crate::output::plural(lines.len(), "problem")
            )
            .into_diagnostic()?;
            Ok(ExitStatus::Failure)
        }
        Err(BuildError::Failed(message)) => Ok(fail(&message)),
    }
}

fn verify(args: BundleVerifyArgs) -> miette::Result<ExitStatus> {
    let key = match &args.key {
        Some(path) => match sign::load_public_key(path) {
            Ok(key) => Some(key),
            Err(e) => return Ok(fail(&e)),
        },
        None => None,
    };
    let keyring = match &args.approvals {
        Some(path) => match approval::load_keyring(path) {
            Ok(keyring) => Some(keyring),
            Err(e) => return Ok(fail(&e)),
        },
        None => None,
    };
    let mut contents = match verify::open(&args.file) {
        Ok(c) => c,
        Err(e) => return Ok(fail(&e)),
    };
    if let Some(key) = &key {
        verify::require_signature(&mut contents, key);
    }
    let approvals = keyring
        .as_ref()
        .map(|keyring| approval::require(&args.file, &mut contents, keyring));
    let shown = crate::input::display_path(&args.file);
    let mut out = std::io::stdout().lock();
    if !contents.problems.is_empty() {
        for p in &contents.problems {
            line(&mut out, &format!("{shown}: {p}")).into_diagnostic()?;
        }
        line(
            &mut out,
            &format!(
                "{shown}: invalid ({})",
                crate::output::plural(contents.problems.len(), "problem")
            ),
        )
        .into_diagnostic()?;
        return Ok(ExitStatus::Failure);
    }
    let Some(m) = &contents.manifest else {
        return Ok(ExitStatus::Failure);
    };
    let signature = match (&key, &contents.signature) {
        (Some(_), _) => "signature valid",
        (None, Some(_)) => "signed, signature not checked (pass --key to check it)",
        (None, None) => "not signed",
    };
    let approvals = approvals.map_or_else(String::new, |n| {
        format!(
            ", every required approval valid ({})",
            crate::output::plural(n, "approval")
        )
    });
    line(
        &mut out,
        &format!(
            "{shown}: ok: {} {}, {}, every hash matches, {signature}{approvals}",
            m.name,
            m.version,
            crate::output::plural(m.documents.len(), "document")
        ),
    )
    .into_diagnostic()?;
    Ok(ExitStatus::Success)
}

/// Opens a bundle for reading; problems are printed and end the command.
fn open_checked(path: &Path) -> Result<Contents, ExitStatus> {
    let contents = verify::open(path).map_err(|e| fail(&e))?;
    if contents.problems.is_empty() && contents.manifest.is_some() {
        return Ok(contents);
    }
    let shown = crate::input::display_path(path);
    for p in &contents.problems {
        eprintln!("{}", escape_control(&format!("{shown}: {p}")));
    }
    eprintln!(
        "{}",
        escape_control(&format!(
            "error: {shown} is not a valid bundle (see `sopkit bundle verify`)"
        ))
    );
    Err(ExitStatus::Failure)
}

/// `bundle approve`: the approver signs the manifest of a valid bundle.
fn approve(args: BundleApproveArgs) -> miette::Result<ExitStatus> {
    if let Err(e) = approval::check_name(&args.name) {
        return Ok(fail(&e));
    }
    let key = match sign::load_secret_key(&args.key) {
        Ok(key) => key,
        Err(e) => return Ok(fail(&e)),
    };
    let contents = match open_checked(&args.file) {
        Ok(c) => c,
        Err(status) => return Ok(status),
    };
    let (path, text) = match approval::approve(&args.file, &contents, &key, &args.name) {
        Ok(done) => done,
        Err(e) => return Ok(fail(&e)),
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if let Err(e) = build::write_atomic(&dir, &path, args.force, |f| f.write_all(text.as_bytes())) {
        return Ok(fail(&e));
    }
    let time = text
        .lines()
        .nth(2)
        .and_then(|l| l.strip_prefix("trusted comment: "))
        .and_then(approval::Comment::parse)
        .map(|c| c.time)
        .unwrap_or_default();
    let mut out = std::io::stdout().lock();
    line(
        &mut out,
        &format!(
            "wrote {}: {} approved {} at {time}",
            crate::input::display_path(&path),
            args.name,
            crate::input::display_path(&args.file),
        ),
    )
    .into_diagnostic()?;
    Ok(ExitStatus::Success)
}

fn inspect(args: BundleInspectArgs) -> miette::Result<ExitStatus> {
    let keyring = match &args.approvals {
        Some(path) => match approval::load_keyring(path) {
            Ok(keyring) => Some(keyring),
            Err(e) => return Ok(fail(&e)),
        },
        None => None,
    };
    let contents = match open_checked(&args.file) {
        Ok(c) => c,
        Err(status) => return Ok(status),
    };
    let Some(m) = &contents.manifest else {
        return Ok(ExitStatus::Failure);
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        InspectFormat::Json => {
            out.write_all(&contents.manifest_bytes).into_diagnostic()?;
        }
        InspectFormat::Human => {
            let mut table = inspect_table(m, contents.signature.is_some());
            let found = approval::find(&args.file, &contents, keyring.as_ref());
            if !found.is_empty() || keyring.is_some() {
                let block = approvals_block(&found, &approval::required(&contents), keyring);
                // After the summary, before the documents.
                let at = table.find("\n\n").map_or(table.len(), |i| i + 1);
                table.insert_str(at, &block);
            }
            write!(out, "{table}").into_diagnostic()?;
        }
    }
    Ok(ExitStatus::Success)
}

/// Who approved what and when: one line per approval file, then the approvals still missing.
fn approvals_block(
    found: &[Found],
    required: &[(String, Vec<String>)],
    keyring: Option<approval::Keyring>,
) -> String {
    let mut s = String::new();
    let checked = match &keyring {
        Some(k) => format!("checked against {}", crate::input::display_path(&k.path)),
        None => "signatures not checked (pass --approvals KEYRING)".to_string(),
    };
    s.push_str(&format!(
        "{:<10} {}, {}\n",
        "Approvals",
        crate::output::plural(found.len(), "file"),
        escape_control(&checked)
    ));
    let mut valid = std::collections::BTreeSet::new();
    for f in found {
        let text = match (&f.comment, &f.verdict) {
            (Some(c), Ok(())) => {
                valid.insert(c.name.clone());
                let docs: Vec<&str> = required
                    .iter()
                    .filter(|(_, approvers)| approvers.contains(&c.name))
                    .map(|(id, _)| id.as_str())
                    .collect();
                format!(
                    "{} {} at {}: {}{}",
                    c.name,
                    c.meaning,
                    c.time,
                    if docs.is_empty() {
                        "no document lists them".to_string()
                    } else {
                        docs.join(", ")
                    },
                    if keyring.is_some() { " (valid)" } else { "" }
                )
            }
            (_, Err(why)) => format!("{}: invalid: it {why}", f.file),
            (None, Ok(())) => format!("{}: not a sopkit approval", f.file),
        };
        s.push_str(&format!("           {}\n", escape_control(&text)));
    }
    let missing: Vec<String> = required
        .iter()
        .flat_map(|(id, approvers)| {
            approvers
                .iter()
                .filter(|a| !valid.contains(*a))
                .map(move |a| format!("{id} by {a}"))
        })
        .collect();
    if !missing.is_empty() {
        s.push_str(&format!(
            "{:<10} {}\n",
            "Missing",
            escape_control(&missing.join(", "))
        ));
    }
    s
}

pub(crate) fn inspect_table(m: &Manifest, signed: bool) -> String {
    let mut s = String::new();
    let lint = &m.lint;
    let head = [
        ("Bundle", format!("{} {}", m.name, m.version)),
        ("Schema", m.schema.clone()),
        ("Created", m.created.clone()),
        (
            "Generator",
            format!("{} {}", m.generator.name, m.generator.version),
        ),
        ("Rules", crate::output::plural(m.rules.len(), "rule")),
        (
            "Lint",
            format!(
                "{}, {}, {} in {}",
                crate::output::plural(lint.errors, "error"),
                crate::output::plural(lint.warnings, "warning"),
                crate::output::plural(lint.infos, "note"),
                crate::output::plural(lint.files, "file")
            ),
        ),
        (
            "Signed",
            if signed {
                "yes (manifest.json.minisig)"
            } else {
                "no"
            }
            .to_string(),
        ),
        ("Documents", m.documents.len().to_string()),
    ];
    for (k, v) in head {
        s.push_str(&format!("{k:<10} {}\n", escape_control(&v)));
    }
    s.push('\n');
    let header = [
        "ID",
        "VERSION",
        "STATUS",
        "LANG",
        "EFFECTIVE",
        "REVIEW BY",
        "OWNER",
        "TITLE",
    ];
    let rows: Vec<[String; 8]> = m
        .documents
        .iter()
        .map(|d| {
            [
                d.id.clone(),
                d.version.clone(),
                d.status.clone(),
                d.lang.clone(),
                d.effective.clone().unwrap_or_else(|| "-".into()),
                d.review_by.clone().unwrap_or_else(|| "-".into()),
                d.owner.clone().unwrap_or_else(|| "-".into()),
                d.title.clone(),
            ]
            .map(|cell| escape_control(&cell).into_owned())
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let render = |cells: &[String]| {
        let mut line = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                line.push_str(cell);
            } else {
                let pad = w - cell.chars().count();
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        line.trim_end().to_string() + "\n"
    };
    s.push_str(&render(&header.map(String::from)));
    for row in &rows {
        s.push_str(&render(row));
    }
    s
}

fn diff_bundles(args: BundleDiffArgs) -> miette::Result<ExitStatus> {
    let old = match open_checked(&args.old) {
        Ok(c) => c,
        Err(status) => return Ok(status),
    };
    let new = match open_checked(&args.new) {
        Ok(c) => c,
        Err(status) => return Ok(status),
    };
    let (Some(old_side), Some(new_side)) = (Side::of(&old), Side::of(&new)) else {
        return Ok(ExitStatus::Failure);
    };
    let d = diff(&old_side, &new_side);
    let mut out = std::io::stdout().lock();
    match args.format {
        DiffFormat::Human => write!(out, "{}", d.human()).into_diagnostic()?,
        DiffFormat::Markdown => write!(out, "{}", d.markdown()).into_diagnostic()?,
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &d).into_diagnostic()?;
            writeln!(out).into_diagnostic()?;
        }
    }
    Ok(ExitStatus::Success)
}

pub(super) fn keygen(args: KeygenArgs) -> miette::Result<ExitStatus> {
    let secret_path = args.output;
    let mut public_path = secret_path.clone().into_os_string();
    public_path.push(".pub");
    let public_path = PathBuf::from(public_path);
    if !args.force {
        for p in [&secret_path, &public_path] {
            if p.exists() {
                return Ok(fail(&format!(
                    "{} already exists; pass --force to overwrite it",
                    p.display()
                )));
            }
        }
    }
    // Like `bundle build -o DIR`: a missing directory for the keys is created.
    if let Some(dir) = secret_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            return Ok(fail(&format!("cannot create {}: {e}", dir.display())));
        }
    }
    let pair = match sign::generate() {
        Ok(pair) => pair,
        Err(e) => return Ok(fail(&e)),
    };
    if let Err(e) = write_secret(&secret_path, pair.secret.as_bytes(), args.force) {
        return Ok(fail(&format!(
            "cannot write {}: {e}",
            secret_path.display()
        )));
    }
    if let Err(e) = std::fs::write(&public_path, pair.public.as_bytes()) {
        return Ok(fail(&format!(
            "cannot write {}: {e}",
            public_path.display()
        )));
    }
    println!(
        "wrote secret key {} (unencrypted, mode 0600: keep it secret) and public key {}",
        crate::input::display_path(&secret_path),
        crate::input::display_path(&public_path)
    );
    Ok(ExitStatus::Success)
}

/// Creates the secret key file readable by its owner only, from the first byte written.
fn write_secret(path: &Path, bytes: &[u8], overwrite: bool) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if overwrite {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let mut file = options.open(path)?;
        // An existing file keeps its mode on open: narrow it explicitly.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(bytes)?;
        file.sync_all()
    }
    #[cfg(not(unix))]
    {
        let mut file = options.open(path)?;
        file.write_all(bytes)?;
        file.sync_all()
    }
}
