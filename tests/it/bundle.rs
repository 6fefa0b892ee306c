//! Integration tests: `bundle build|verify|inspect|diff` and `keygen`, on the real binary.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use flate2::read::GzDecoder;
use sha2::{Digest, Sha256};
use tar::{EntryType, Header};

use crate::support::{copy_dir, fixtures, root, sopkit};

pub(crate) fn v1() -> PathBuf {
    fixtures().join("bundle/v1")
}

pub(crate) fn v2() -> PathBuf {
    fixtures().join("bundle/v2")
}

/// The example SOPs meant to be bundled (the `flawed/` ones are for lint demos).
fn example_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![root().join("examples")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "flawed") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

pub(crate) fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub(crate) fn run(args: &[&std::ffi::OsStr], envs: &[(&str, &str)]) -> Run {
    let mut cmd = sopkit();
    cmd.env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `args![a, b, ...]`: a slice of `OsStr` from anything that is `AsRef<OsStr>`.
macro_rules! args {
    ($($a:expr),* $(,)?) => { &[$(std::ffi::OsStr::new(&$a)),*] };
}
pub(crate) use args;

/// Builds `src` into `out` as `name` `version` and returns the bundle's path.
pub(crate) fn build(src: &Path, out: &Path, version: &str, extra: &[&str]) -> PathBuf {
    let r = try_build(src, out, version, extra);
    assert_eq!(r.code, 0, "build failed: {}{}", r.stdout, r.stderr);
    let path = out.join(format!("cs-{version}.sopbundle.tar.gz"));
    assert!(path.is_file(), "{} missing", path.display());
    validate_manifest(&path);
    path
}

/// `bundle build SRC --name cs --version V -o OUT [EXTRA...]`, whatever its outcome.
pub(crate) fn try_build(src: &Path, out: &Path, version: &str, extra: &[&str]) -> Run {
    let mut args: Vec<std::ffi::OsString> = vec!["bundle".into(), "build".into(), src.into()];
    for a in ["--name", "cs", "--version", version, "-o"] {
        args.push(a.into());
    }
    args.push(out.into());
    args.extend(extra.iter().map(Into::into));
    let refs: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    run(&refs, &[])
}

/// `bundle build SRC --name cs (--version V | --bump auto) --previous OLD -o OUT`.
fn build_after(src: &Path, old: &Path, out: &Path, version: Option<&str>) -> Run {
    let (flag, value) = match version {
        Some(v) => ("--version", v),
        None => ("--bump", "auto"),
    };
    run(
        args![
            "bundle",
            "build",
            src,
            "--name",
            "cs",
            flag,
            value,
            "--previous",
            old,
            "-o",
            out
        ],
        &[],
    )
}

pub(crate) fn verify(bundle: &Path, key: Option<&Path>) -> Run {
    let mut args: Vec<&std::ffi::OsStr> =
        vec!["bundle".as_ref(), "verify".as_ref(), bundle.as_os_str()];
    if let Some(key) = key {
        args.push("--key".as_ref());
        args.push(key.as_os_str());
    }
    run(&args, &[])
}

/// Every entry of a bundle: (path, type, bytes).
pub(crate) fn entries(bundle: &Path) -> Vec<(String, EntryType, Vec<u8>)> {
    let bytes = std::fs::read(bundle).unwrap();
    let mut archive = tar::Archive::new(GzDecoder::new(bytes.as_slice()));
    archive
        .entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let path = String::from_utf8(e.path_bytes().into_owned()).unwrap();
            let kind = e.header().entry_type();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (path, kind, data)
        })
        .collect()
}

pub(crate) fn entry(bundle: &Path, path: &str) -> Vec<u8> {
    entries(bundle)
        .into_iter()
        .find(|e| e.0 == path)
        .unwrap_or_else(|| panic!("no {path} in {}", bundle.display()))
        .2
}

pub(crate) fn manifest(bundle: &Path) -> serde_json::Value {
    serde_json::from_slice(&entry(bundle, "manifest.json")).unwrap()
}

fn schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let text =
            std::fs::read_to_string(root().join("docs/bundle-manifest.schema.json")).unwrap();
        jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
    })
}

/// Every manifest a test builds must match the published schema.
fn validate_manifest(bundle: &Path) {
    let m = manifest(bundle);
    let errors: Vec<String> = schema()
        .iter_errors(&m)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{} does not match the schema: {errors:#?}",
        bundle.display()
    );
}

/// One raw tar entry for hand-made archives: any name, any type.
struct Raw<'a> {
    path: &'a [u8],
    kind: EntryType,
    data: Vec<u8>,
    link: &'a [u8],
}

fn raw(path: &str, data: Vec<u8>) -> Raw<'_> {
    Raw {
        path: path.as_bytes(),
        kind: EntryType::Regular,
        data,
        link: b"",
    }
}

/// Packs entries as given (names written byte for byte, so `..` and absolute paths survive).
fn pack(entries: &[Raw<'_>]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut builder = tar::Builder::new(gz);
    for e in entries {
        let mut h = Header::new_gnu();
        let gnu = h.as_gnu_mut().unwrap();
        gnu.name[..e.path.len()].copy_from_slice(e.path);
        gnu.linkname[..e.link.len()].copy_from_slice(e.link);
        h.set_entry_type(e.kind);
        h.set_size(e.data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        builder.append(&h, e.data.as_slice()).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

/// Repacks a bundle's entries after `change` and returns the verify result.
pub(crate) fn tampered(
    bundle: &Path,
    key: Option<&Path>,
    change: impl FnOnce(&mut Vec<(String, Vec<u8>)>),
) -> Run {
    let mut list: Vec<(String, Vec<u8>)> =
        entries(bundle).into_iter().map(|e| (e.0, e.2)).collect();
    change(&mut list);
    let raws: Vec<Raw<'_>> = list.iter().map(|(p, d)| raw(p, d.clone())).collect();
    let path = bundle.with_file_name("tampered.sopbundle.tar.gz");
    std::fs::write(&path, pack(&raws)).unwrap();
    verify(&path, key)
}

fn tampered_raw(dir: &Path, raws: &[Raw<'_>]) -> Run {
    let path = dir.join("crafted.sopbundle.tar.gz");
    std::fs::write(&path, pack(raws)).unwrap();
    verify(&path, None)
}

pub(crate) fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub(crate) fn keygen(dir: &Path) -> (PathBuf, PathBuf) {
    let key = dir.join("key");
    let r = run(args!["keygen", "-o", key], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (key.clone(), dir.join("key.pub"))
}

#[test]
fn build_bundles_approved_documents_with_a_valid_manifest() {
    let out = tempfile::tempdir().unwrap();
    let bundle = build(&v1(), out.path(), "1.0.0", &[]);
    let names: Vec<String> = entries(&bundle).into_iter().map(|e| e.0).collect();
    // The draft CS-003 is left out.
    assert_eq!(
        names,
        [
            "docs/CS-001.json",
            "docs/CS-001.md",
            "docs/CS-002.json",
            "docs/CS-002.md",
            "manifest.json"
        ]
    );
    let m = manifest(&bundle);
    assert_eq!(m["schema"], "sopkit.bundle/v1");
    assert_eq!(m["name"], "cs");
    assert_eq!(m["version"], "1.0.0");
    // The newest effective date of the bundled documents (the draft's later date is ignored).
    assert_eq!(m["created"], "2026-02-01T00:00:00Z");
    assert_eq!(m["generator"]["name"], "sopkit");
    assert_eq!(m["lint"]["files"], 3);
    assert_eq!(m["lint"]["errors"], 0);
    assert!(m["rules"].as_array().unwrap().iter().any(|r| r == "M001"));
    let doc = &m["documents"][0];
    assert_eq!(doc["id"], "CS-001");
    assert_eq!(doc["title"], "Handle a customer complaint");
    assert_eq!(doc["version"], "1.2.0");
    assert_eq!(doc["status"], "approved");
    assert_eq!(doc["lang"], "en");
    assert_eq!(doc["effective"], "2026-01-15");
    assert_eq!(doc["review_by"], "2027-01-15");
    assert_eq!(doc["owner"], "Customer Service Lead");
    assert_eq!(doc["path"], "complaint.md");
    let md = entry(&bundle, "docs/CS-001.md");
    assert_eq!(md, std::fs::read(v1().join("complaint.md")).unwrap());
    assert_eq!(doc["md"]["path"], "docs/CS-001.md");
    assert_eq!(doc["md"]["size"], md.len());
    assert_eq!(doc["md"]["sha256"], sha256(&md));
    let json = entry(&bundle, "docs/CS-001.json");
    assert_eq!(doc["json"]["sha256"], sha256(&json));
    let model: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(model["schema"], "sopkit.document/v1");
    assert_eq!(model["path"], "docs/CS-001.md");
    assert_eq!(
        model["steps"][1]["text"],
        "Listen to the complaint without interrupting."
    );

    // Fixed metadata on every entry.
    let bytes = std::fs::read(&bundle).unwrap();
    assert_eq!(&bytes[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255]);
    let mut archive = tar::Archive::new(GzDecoder::new(bytes.as_slice()));
    for e in archive.entries().unwrap() {
        let e = e.unwrap();
        let h = e.header();
        assert_eq!(
            (h.mode().unwrap(), h.uid().unwrap(), h.gid().unwrap()),
            (0o644, 0, 0)
        );
        assert_eq!(h.mtime().unwrap(), 1_769_904_000); // 2026-02-01T00:00:00Z
        assert_eq!(
            (h.username().unwrap(), h.groupname().unwrap()),
            (Some(""), Some(""))
        );
    }

    let r = verify(&bundle, None);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .ends_with("ok: cs 1.0.0, 2 documents, every hash matches, not signed\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn include_drafts_adds_the_other_documents() {
    let out = tempfile::tempdir().unwrap();
    let bundle = build(&v1(), out.path(), "1.0.0", &["--include-drafts"]);
    let m = manifest(&bundle);
    let ids: Vec<&str> = m["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["CS-001", "CS-002", "CS-003"]);
    assert_eq!(m["documents"][2]["status"], "draft");
    assert_eq!(m["created"], "2026-03-01T00:00:00Z");
}

#[test]
fn examples_bundle_builds_verifies_and_inspects() {
    let files = example_files();
    assert!(
        files.len() >= 5,
        "examples/ should hold the example SOPs: {files:?}"
    );
    let out = tempfile::tempdir().unwrap();
    let mut args: Vec<std::ffi::OsString> = vec!["bundle".into(), "build".into()];
    args.extend(files.iter().map(|f| f.clone().into_os_string()));
    for a in ["--name", "examples", "--version", "1.0.0", "-o"] {
        args.push(a.into());
    }
    args.push(out.path().into());
    let refs: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let r = run(&refs, &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let bundle = out.path().join("examples-1.0.0.sopbundle.tar.gz");
    validate_manifest(&bundle);
    let m = manifest(&bundle);
    assert_eq!(m["documents"].as_array().unwrap().len(), files.len());
    // FIN-002 has `review_interval: 12 months` from 2026-03-01: the due date is computed.
    let refund = m["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "FIN-002")
        .unwrap();
    assert_eq!(refund["review_by"], "2027-03-01");
    let r = verify(&bundle, None);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = run(args!["bundle", "inspect", bundle], &[]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.starts_with("Bundle     examples 1.0.0\n"),
        "{}",
        r.stdout
    );
    for d in m["documents"].as_array().unwrap() {
        assert!(r.stdout.contains(d["id"].as_str().unwrap()));
    }
}

#[test]
fn inspect_shows_the_manifest_as_a_table_or_json() {
    let out = tempfile::tempdir().unwrap();
    let bundle = build(&v1(), out.path(), "1.0.0", &[]);
    let r = run(args!["bundle", "inspect", bundle], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The rule count changes as rules land; everything else is fixed.
    let table: String = r
        .stdout
        .lines()
        .map(|l| {
            if l.starts_with("Rules ") {
                "Rules      <n> rules"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("bundle_inspect_human", table);
    let r = run(args!["bundle", "inspect", bundle, "--format", "json"], &[]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout.as_bytes(), entry(&bundle, "manifest.json"));
}

fn set_mtime(dir: &Path, secs: u64) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
            .unwrap();
    }
}

#[test]
fn same_inputs_give_byte_identical_bundles() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, crlf) = (
        tmp.path().join("a"),
        tmp.path().join("b/nested"),
        tmp.path().join("crlf"),
    );
    copy_dir(&v1(), &a);
    copy_dir(&v1(), &b);
    set_mtime(&a, 1_000_000_000);
    set_mtime(&b, 1_700_000_000);
    // CRLF sources bundle as the same LF text.
    std::fs::create_dir_all(&crlf).unwrap();
    for name in listing(&v1()) {
        let text = std::fs::read_to_string(v1().join(&name)).unwrap();
        std::fs::write(crlf.join(&name), text.replace('\n', "\r\n")).unwrap();
    }
    let mut hashes = Vec::new();
    for (i, (src, threads, tz)) in [
        (&a, "1", "UTC"),
        (&b, "4", "Asia/Kuala_Lumpur"),
        (&crlf, "3", "Europe/Helsinki"),
    ]
    .into_iter()
    .enumerate()
    {
        let out = tmp.path().join(format!("out{i}"));
        std::fs::create_dir(&out).unwrap();
        let r = run(
            args![
                "bundle",
                "build",
                src,
                "--name",
                "cs",
                "--version",
                "1.0.0",
                "-o",
                out
            ],
            &[("RAYON_NUM_THREADS", threads), ("TZ", tz), ("LC_ALL", "C")],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        hashes.push(sha256(
            &std::fs::read(out.join("cs-1.0.0.sopbundle.tar.gz")).unwrap(),
        ));
    }
    assert_eq!(
        hashes[0], hashes[1],
        "mtimes, directory or thread count changed the bytes"
    );
    assert_eq!(hashes[0], hashes[2], "line endings changed the bytes");
}

#[test]
fn source_date_epoch_sets_created_and_entry_times() {
    let out = tempfile::tempdir().unwrap();
    let r = run(
        args![
            "bundle",
            "build",
            v1(),
            "--name",
            "cs",
            "--version",
            "1.0.0",
            "-o",
            out.path()
        ],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bundle = out.path().join("cs-1.0.0.sopbundle.tar.gz");
    validate_manifest(&bundle);
    assert_eq!(manifest(&bundle)["created"], "2023-11-14T22:13:20Z");
    let bytes = std::fs::read(&bundle).unwrap();
    let mut archive = tar::Archive::new(GzDecoder::new(bytes.as_slice()));
    for e in archive.entries().unwrap() {
        assert_eq!(e.unwrap().header().mtime().unwrap(), 1_700_000_000);
    }
    let r = run(
        args![
            "bundle",
            "build",
            v1(),
            "--name",
            "cs",
            "--version",
            "1.0.1",
            "-o",
            out.path()
        ],
        &[("SOURCE_DATE_EPOCH", "yesterday")],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("SOURCE_DATE_EPOCH"), "{}", r.stderr);
    assert_eq!(listing(out.path()), ["cs-1.0.0.sopbundle.tar.gz"]);
}

#[test]
fn a_lint_error_refuses_the_build_and_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    copy_dir(&v1(), &src);
    std::fs::write(src.join("broken.md"), "---\nid: [unclosed\n---\n# Broken\n").unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let r = try_build(&src, &out, "1.0.0", &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let first = r.stderr.lines().next().unwrap();
    assert!(
        first.contains("/src/broken.md:3:1: error[M001] front matter is not valid YAML"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("error: bundle not built"), "{}", r.stderr);
    assert_eq!(listing(&out), Vec::<String>::new());
}

#[test]
fn a_missing_output_directory_is_created_with_its_parents() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("dist/bundles");
    build(&v1(), &missing, "1.0.0", &[]);
    assert_eq!(listing(&missing), ["cs-1.0.0.sopbundle.tar.gz"]);
}

#[test]
fn a_refused_build_does_not_create_the_output_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    copy_dir(&v1(), &src);
    let approved = std::fs::read_to_string(src.join("refund.md")).unwrap();
    std::fs::write(
        src.join("refund.md"),
        approved.replace("id: CS-002", "id: [unclosed"),
    )
    .unwrap();
    let missing = tmp.path().join("dist");
    let r = try_build(&src, &missing, "1.0.0", &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(!missing.exists());
}

/// Lint errors in documents that stay out of the bundle (drafts) do not refuse it; with
/// `--include-drafts` they go in, and then they do.
#[test]
fn errors_in_drafts_do_not_block_the_bundle() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    copy_dir(&v1(), &src);
    let draft = std::fs::read_to_string(src.join("draft.md")).unwrap();
    assert!(draft.contains("status: draft"));
    // A second H1 is a lint error (S004), in a draft only.
    std::fs::write(src.join("draft.md"), format!("{draft}\n# A second title\n")).unwrap();
    // A file without front matter is not approved either: it stays out, and so do its errors.
    std::fs::write(src.join("README.md"), "Notes for the authors.\n").unwrap();
    let lint = sopkit()
        .args(["lint", "--format", "concise"])
        .arg(&src)
        .output()
        .unwrap();
    assert_eq!(lint.status.code(), Some(1), "the drafts have lint errors");
    let out = tmp.path().join("out");
    let bundle = build(&src, &out, "1.0.0", &[]);
    let r = try_build(&src, &out, "1.0.1", &[]);
    assert!(
        r.stdout.contains("in documents left out of the bundle"),
        "{}",
        r.stdout
    );
    let ids: Vec<String> = manifest(&bundle)["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["CS-001", "CS-002"]);
    let r = try_build(&src, &out, "1.0.2", &["--include-drafts"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("error: bundle not built"), "{}", r.stderr);
}

#[test]
fn an_unusable_output_directory_is_an_io_error_and_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let r = try_build(&v1(), &file, "1.0.0", &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not a directory"), "{}", r.stderr);
    assert_eq!(listing(tmp.path()), ["file"]);
    let below_a_file = file.join("dist");
    let r = try_build(&v1(), &below_a_file, "1.0.0", &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("cannot create"), "{}", r.stderr);
    assert_eq!(listing(tmp.path()), ["file"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = tmp.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        if std::fs::write(ro.join("probe"), "").is_ok() {
            // root ignores permissions: the two cases above cover the error path.
            eprintln!("skipping the read-only directory case: this user can write anywhere");
            return;
        }
        let r = try_build(&v1(), &ro, "1.0.0", &[]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("cannot write"), "{}", r.stderr);
        assert_eq!(listing(&ro), Vec::<String>::new());
    }
}

#[test]
fn an_existing_bundle_is_overwritten_only_with_force() {
    let out = tempfile::tempdir().unwrap();
    let bundle = build(&v1(), out.path(), "1.0.0", &[]);
    std::fs::write(&bundle, b"keep me").unwrap();
    let r = try_build(&v1(), out.path(), "1.0.0", &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("already exists; pass --force"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read(&bundle).unwrap(), b"keep me");
    assert_eq!(listing(out.path()), ["cs-1.0.0.sopbundle.tar.gz"]);
    build(&v1(), out.path(), "1.0.0", &["--force"]);
    assert_eq!(verify(&bundle, None).code, 0);
    assert_eq!(listing(out.path()), ["cs-1.0.0.sopbundle.tar.gz"]);
}

#[test]
fn bad_names_and_versions_are_usage_errors() {
    let out = tempfile::tempdir().unwrap();
    for (name, version, want) in [
        ("../evil", "1.0.0", "bundle name"),
        ("cs", "1.0", "not a semantic version"),
    ] {
        let r = run(
            args![
                "bundle",
                "build",
                v1(),
                "--name",
                name,
                "--version",
                version,
                "-o",
                out.path()
            ],
            &[],
        );
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains(want), "{}", r.stderr);
    }
    assert_eq!(listing(out.path()), Vec::<String>::new());
}

#[test]
fn keygen_writes_a_private_secret_key_and_a_public_key() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = keygen(dir.path());
    let secret = std::fs::read_to_string(&key).unwrap();
    let pubtext = std::fs::read_to_string(&public).unwrap();
    assert!(secret.starts_with("untrusted comment: "), "{secret}");
    assert_eq!(secret.lines().count(), 2);
    assert!(
        pubtext.starts_with("untrusted comment: minisign public key"),
        "{pubtext}"
    );
    assert!(minisign_verify::PublicKey::decode(&pubtext).is_ok());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let r = run(args!["keygen", "-o", key], &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&key).unwrap(), secret);
    let r = run(args!["keygen", "-o", key, "--force"], &[]);
    assert_eq!(r.code, 0);
    assert_ne!(std::fs::read_to_string(&key).unwrap(), secret);
}

/// A signed bundle of v1 and its key files.
pub(crate) fn signed_bundle(dir: &Path) -> (PathBuf, PathBuf) {
    let (key, public) = keygen(dir);
    let bundle = build(&v1(), dir, "1.0.0", &["--sign", key.to_str().unwrap()]);
    (bundle, public)
}

#[test]
fn a_signed_bundle_verifies_only_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let (bundle, public) = signed_bundle(dir.path());
    let r = verify(&bundle, Some(&public));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout.ends_with("every hash matches, signature valid\n"),
        "{}",
        r.stdout
    );
    let r = verify(&bundle, None);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("signature not checked"), "{}", r.stdout);

    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let (_, other_public) = keygen(&other);
    let r = verify(&bundle, Some(&other_public));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains(": manifest.json.minisig was made with another key than --key\n"),
        "{}",
        r.stdout
    );

    // A bundle cannot turn verification off by leaving its signature out.
    let r = tampered(&bundle, Some(&public), |e| {
        e.retain(|(p, _)| p != "manifest.json.minisig")
    });
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("the bundle is not signed (manifest.json.minisig is missing) but --key requires a signature"), "{}", r.stdout);
}

/// Checks sopkit's signature with the minisign crates directly, not through sopkit's verify.
#[test]
fn the_signature_checks_with_the_minisign_crates_directly() {
    let dir = tempfile::tempdir().unwrap();
    let (bundle, public) = signed_bundle(dir.path());
    let manifest_bytes = entry(&bundle, "manifest.json");
    let sig_text = String::from_utf8(entry(&bundle, "manifest.json.minisig")).unwrap();
    let pk = minisign_verify::PublicKey::from_file(&public).unwrap();
    let sig = minisign_verify::Signature::decode(&sig_text).unwrap();
    pk.verify(&manifest_bytes, &sig, false).unwrap();
    assert_eq!(
        sig.trusted_comment(),
        format!(
            "sopkit-bundle name=cs version=1.0.0 manifest-sha256={}",
            sha256(&manifest_bytes)
        )
    );
    let mut changed = manifest_bytes.clone();
    changed[10] ^= 1;
    assert!(pk.verify(&changed, &sig, false).is_err());
    // And with the other implementation.
    let pk2 = minisign::PublicKey::from_file(&public).unwrap();
    let sig2 = minisign::SignatureBox::from_string(&sig_text).unwrap();
    minisign::verify(
        &pk2,
        &sig2,
        std::io::Cursor::new(&manifest_bytes),
        true,
        false,
        false,
    )
    .unwrap();
}

/// The stock `minisign` tool checks a sopkit signature (skipped when it is not installed).
#[test]
fn the_stock_minisign_tool_verifies_the_manifest() {
    if std::process::Command::new("minisign")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("skipping: the minisign command is not installed (apt-get install minisign)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (bundle, public) = signed_bundle(dir.path());
    let extracted = dir.path().join("x");
    std::fs::create_dir(&extracted).unwrap();
    let m = extracted.join("manifest.json");
    std::fs::write(&m, entry(&bundle, "manifest.json")).unwrap();
    std::fs::write(
        extracted.join("manifest.json.minisig"),
        entry(&bundle, "manifest.json.minisig"),
    )
    .unwrap();
    let out = std::process::Command::new("minisign")
        .arg("-Vm")
        .arg(&m)
        .arg("-p")
        .arg(&public)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Trusted comment: sopkit-bundle name=cs version=1.0.0 manifest-sha256="),
        "{stdout}"
    );
    // And rejects a changed manifest.
    let mut bytes = std::fs::read(&m).unwrap();
    bytes[5] ^= 1;
    std::fs::write(&m, bytes).unwrap();
    let out = std::process::Command::new("minisign")
        .arg("-Vm")
        .arg(&m)
        .arg("-p")
        .arg(&public)
        .output()
        .unwrap();
    assert!(!out.status.success());
}

/// Runs a tamper case and returns verify's problem lines (without the file name).
pub(crate) fn problems(r: &Run) -> Vec<String> {
    assert_eq!(
        r.code, 1,
        "tampered bundle accepted: {}{}",
        r.stdout, r.stderr
    );
    r.stdout
        .lines()
        .map(|l| {
            l.split_once(".sopbundle.tar.gz: ")
                .map_or(l, |(_, p)| p)
                .to_string()
        })
        .collect()
}

#[test]
fn tampering_is_rejected_with_a_clear_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (bundle, public) = signed_bundle(dir.path());
    let doc = entry(&bundle, "docs/CS-001.md");
    let doc_sha = sha256(&doc);

    // One byte of a document.
    let r = tampered(&bundle, None, |e| {
        let d = &mut e.iter_mut().find(|(p, _)| p == "docs/CS-001.md").unwrap().1;
        d[100] ^= 0x20;
    });
    let p = problems(&r);
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(
        p[0].starts_with("docs/CS-001.md: sha256 ")
            && p[0].ends_with(&format!("does not match {doc_sha} in manifest.json")),
        "{p:?}"
    );
    assert_eq!(p[1], "invalid (1 problem)");

    // One byte of the manifest: the signature no longer matches.
    let r = tampered(&bundle, Some(&public), |e| {
        let m = &mut e.iter_mut().find(|(p, _)| p == "manifest.json").unwrap().1;
        let at = m.windows(3).position(|w| w == b"1.0").unwrap();
        m[at] = b'2';
    });
    let p = problems(&r);
    assert!(
        p[0].starts_with("the signature does not match manifest.json"),
        "{p:?}"
    );

    // One byte of the signature.
    let r = tampered(&bundle, Some(&public), |e| {
        let s = &mut e
            .iter_mut()
            .find(|(p, _)| p == "manifest.json.minisig")
            .unwrap()
            .1;
        let last_line = s[..s.len() - 1].iter().rposition(|b| *b == b'\n').unwrap() + 1;
        s[last_line + 3] = if s[last_line + 3] == b'A' { b'B' } else { b'A' };
    });
    let p = problems(&r);
    assert!(
        p[0].starts_with("the signature does not match manifest.json"),
        "{p:?}"
    );

    // An added entry.
    let r = tampered(&bundle, None, |e| {
        e.push(("docs/extra.md".into(), b"# Extra\n".to_vec()))
    });
    assert_eq!(
        problems(&r)[0],
        "docs/extra.md: unexpected entry (not listed in manifest.json)"
    );

    // A duplicate entry (a second copy with other content after the first).
    let r = tampered(&bundle, None, |e| {
        e.push(("docs/CS-001.md".into(), b"# Evil\n".to_vec()))
    });
    assert_eq!(problems(&r)[0], "docs/CS-001.md: duplicate entry");

    // A missing entry.
    let r = tampered(&bundle, None, |e| {
        e.retain(|(p, _)| p != "docs/CS-002.json")
    });
    assert_eq!(
        problems(&r)[0],
        "missing docs/CS-002.json (listed in manifest.json)"
    );

    // An entry larger than the manifest says.
    let r = tampered(&bundle, None, |e| {
        e.iter_mut()
            .find(|(p, _)| p == "docs/CS-001.md")
            .unwrap()
            .1
            .extend_from_slice(b"\nmore\n");
    });
    assert_eq!(
        problems(&r)[0],
        format!(
            "docs/CS-001.md: {} bytes, larger than the {} bytes in manifest.json",
            doc.len() + 6,
            doc.len()
        )
    );

    // No manifest at all.
    let r = tampered(&bundle, None, |e| {
        e.retain(|(p, _)| !p.starts_with("manifest.json"))
    });
    let p = problems(&r);
    assert_eq!(p[0], "missing manifest.json");
}

#[test]
fn unsafe_entries_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = build(&v1(), dir.path(), "1.0.0", &[]);
    let mut good: Vec<Raw<'_>> = Vec::new();
    let files: Vec<(String, Vec<u8>)> = entries(&bundle).into_iter().map(|e| (e.0, e.2)).collect();
    for (p, d) in &files {
        good.push(raw(p, d.clone()));
    }
    let with = |extra: Raw<'static>| -> Vec<String> {
        let mut all: Vec<Raw<'_>> = files.iter().map(|(p, d)| raw(p, d.clone())).collect();
        all.insert(0, extra);
        problems(&tampered_raw(dir.path(), &all))
    };
    assert_eq!(
        with(raw("../evil", b"x".to_vec()))[0],
        "../evil: `..` in path"
    );
    assert_eq!(
        with(raw("/etc/cron.d/evil", b"x".to_vec()))[0],
        "/etc/cron.d/evil: absolute path"
    );
    assert_eq!(
        with(Raw {
            path: b"docs/link.md",
            kind: EntryType::Symlink,
            data: Vec::new(),
            link: b"/etc/passwd"
        })[0],
        "docs/link.md: symbolic link (to /etc/passwd) not allowed"
    );
    assert_eq!(
        with(Raw {
            path: b"docs/hard.md",
            kind: EntryType::Link,
            data: Vec::new(),
            link: b"docs/CS-001.md"
        })[0],
        "docs/hard.md: hard link (to docs/CS-001.md) not allowed"
    );
    assert_eq!(
        with(Raw {
            path: b"docs/null",
            kind: EntryType::Char,
            data: Vec::new(),
            link: b""
        })[0],
        "docs/null: device file not allowed"
    );
    assert_eq!(
        with(Raw {
            path: b"docs",
            kind: EntryType::Directory,
            data: Vec::new(),
            link: b""
        })[0],
        "docs: directory entry not allowed"
    );
    // The untouched entries still verify.
    assert_eq!(tampered_raw(dir.path(), &good).code, 0);
}

#[test]
fn a_gzip_bomb_is_rejected_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = build(&v1(), dir.path(), "1.0.0", &[]);
    let mut all: Vec<Raw<'static>> = Vec::new();
    for (p, _, d) in entries(&bundle) {
        all.push(Raw {
            path: Box::leak(p.into_boxed_str()).as_bytes(),
            kind: EntryType::Regular,
            data: d,
            link: b"",
        });
    }
    // 20 MiB of zeros in 4 MiB entries: about 20 KB compressed.
    for name in [
        "docs/pad-1",
        "docs/pad-2",
        "docs/pad-3",
        "docs/pad-4",
        "docs/pad-5",
    ] {
        all.push(raw(name, vec![0; 4 << 20]));
    }
    let path = dir.path().join("bomb.sopbundle.tar.gz");
    std::fs::write(&path, pack(&all)).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 100_000);
    let p = problems(&verify(&path, None));
    assert_eq!(
        p[0], "the archive expands past 16777216 bytes; refusing it as a possible gzip bomb",
        "{p:?}"
    );
}

#[test]
fn unreadable_and_garbage_files() {
    let dir = tempfile::tempdir().unwrap();
    let r = verify(&dir.path().join("missing.sopbundle.tar.gz"), None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot read"), "{}", r.stderr);
    let garbage = dir.path().join("garbage.sopbundle.tar.gz");
    std::fs::write(&garbage, "this is not a bundle").unwrap();
    let p = problems(&verify(&garbage, None));
    assert!(p[0].starts_with("cannot read the archive:"), "{p:?}");
    // A truncated archive.
    let bundle = build(&v1(), dir.path(), "1.0.0", &[]);
    let bytes = std::fs::read(&bundle).unwrap();
    std::fs::write(&garbage, &bytes[..bytes.len() / 2]).unwrap();
    assert_eq!(verify(&garbage, None).code, 1);
    // inspect and diff refuse invalid bundles too.
    let r = run(args!["bundle", "inspect", garbage], &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("is not a valid bundle"), "{}", r.stderr);
}

/// v1 → v2: step 2 of CS-001 reworded, its step 4 removed, IT-001 added.
fn v1_and_v2(dir: &Path) -> (PathBuf, PathBuf, Run) {
    let old = build(&v1(), dir, "1.0.0", &[]);
    let r = build_after(&v2(), &old, dir, None);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let new = dir.join("cs-2.0.0.sopbundle.tar.gz");
    validate_manifest(&new);
    (old, new, r)
}

#[test]
fn bump_auto_derives_a_major_version_from_a_removed_step() {
    let dir = tempfile::tempdir().unwrap();
    let (_, new, r) = v1_and_v2(dir.path());
    assert!(
        r.stdout
            .contains("bump: major (step 4 of CS-001 was removed)\n"),
        "{}",
        r.stdout
    );
    assert_eq!(manifest(&new)["version"], "2.0.0");
}

#[test]
fn diff_reports_documents_sections_and_steps() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new, _) = v1_and_v2(dir.path());
    let r = run(args!["bundle", "diff", old, new], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("bundle_diff_human", r.stdout);
    let r = run(
        args!["bundle", "diff", old, new, "--format", "markdown"],
        &[],
    );
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("bundle_diff_markdown", r.stdout);
    let r = run(args!["bundle", "diff", old, new, "--format", "json"], &[]);
    let d: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(d["bump"], "major");
    assert_eq!(d["added"][0]["id"], "IT-001");
    assert_eq!(d["removed"].as_array().unwrap().len(), 0);
    let c = &d["changed"][0];
    assert_eq!(
        (
            c["id"].as_str(),
            c["old_version"].as_str(),
            c["new_version"].as_str()
        ),
        (Some("CS-001"), Some("1.2.0"), Some("1.3.0"))
    );
    assert_eq!(c["content_changed"], true);
    let sections: Vec<&str> = c["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["heading"].as_str().unwrap())
        .collect();
    assert_eq!(sections, ["Procedure", "Revision history"]);
    assert_eq!(c["steps"][0]["change"], "reworded");
    assert_eq!(
        c["steps"][0]["old"]["text"],
        "Listen to the complaint without interrupting."
    );
    assert_eq!(
        c["steps"][0]["new"]["text"],
        "Listen to the whole complaint without interrupting."
    );
    assert_eq!(c["steps"][1]["change"], "removed");
    assert_eq!(c["steps"][1]["old"]["number"], "4");
    assert_eq!(c["steps"].as_array().unwrap().len(), 2);
    // The other way round: a document and a step come back, nothing is removed.
    let r = run(args!["bundle", "diff", new, old, "--format", "json"], &[]);
    let d: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(d["removed"][0]["id"], "IT-001");
    assert_eq!(d["bump"], "major");
}

#[test]
fn a_changed_document_must_raise_its_version() {
    let tmp = tempfile::tempdir().unwrap();
    let old = build(&v1(), tmp.path(), "1.0.0", &[]);
    let src = tmp.path().join("src");
    copy_dir(&v1(), &src);
    let path = src.join("complaint.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("Log the complaint", "Record the complaint"),
    )
    .unwrap();
    let r = build_after(&src, &old, tmp.path(), None);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    // The file as the user named it (here the absolute path the test gave), not its path in
    // the bundle.
    let shown = path.to_string_lossy().replace('\\', "/");
    assert_eq!(
        r.stderr.lines().next().unwrap(),
        format!("{shown}:4:10: error[X004] version-not-bumped: CS-001 changed since the previous bundle (cs 1.0.0) but its version is still 1.2.0")
    );
    // A relative source directory gives a relative path, as `sopkit lint` shows it.
    let out = sopkit()
        .current_dir(tmp.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .args([
            "bundle", "build", "./src/", "--name", "cs", "--bump", "auto",
        ])
        .arg("--previous")
        .arg(&old)
        .arg("-o")
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("src/complaint.md:4:10: error[X004] version-not-bumped: CS-001 changed"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A version that goes down is an error too.
    std::fs::write(&path, text.replace("version: 1.2.0", "version: 1.1.0")).unwrap();
    let r = build_after(&src, &old, tmp.path(), Some("1.1.0"));
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr.lines().next().unwrap(),
        format!("{shown}:4:10: error[X004] version-not-bumped: CS-001 went down from 1.2.0 to 1.1.0 since the previous bundle")
    );
    // Metadata only: a patch release, no document version needed.
    std::fs::write(
        &path,
        text.replace(
            "owner: Customer Service Lead",
            "owner: Customer Service Manager",
        ),
    )
    .unwrap();
    let r = build_after(&src, &old, tmp.path(), None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("bump: patch (only the metadata of CS-001 changed)"),
        "{}",
        r.stdout
    );
    // An explicit bundle version must rise above the previous one.
    let r = run(
        args![
            "bundle",
            "build",
            src,
            "--name",
            "cs",
            "--version",
            "1.0.0",
            "--previous",
            old,
            "-o",
            tmp.path(),
            "--force"
        ],
        &[],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("bundle version 1.0.0 is not greater than the previous bundle's 1.0.0"),
        "{}",
        r.stderr
    );
    assert_eq!(
        listing(tmp.path()),
        [
            "cs-1.0.0.sopbundle.tar.gz",
            "cs-1.0.1.sopbundle.tar.gz",
            "src"
        ]
    );
}

#[test]
fn build_takes_single_files_and_reports_missing_paths() {
    let out = tempfile::tempdir().unwrap();
    let r = run(
        args![
            "bundle",
            "build",
            v1().join("refund.md"),
            "--name",
            "one",
            "--version",
            "0.1.0",
            "-o",
            out.path()
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bundle = out.path().join("one-0.1.0.sopbundle.tar.gz");
    validate_manifest(&bundle);
    assert_eq!(manifest(&bundle)["documents"][0]["path"], "refund.md");
    let r = run(
        args![
            "bundle",
            "build",
            v1().join("draft.md"),
            "--name",
            "one",
            "--version",
            "0.2.0",
            "-o",
            out.path()
        ],
        &[],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("no approved documents to bundle among 1 linted files"),
        "{}",
        r.stderr
    );
    let r = run(
        args![
            "bundle",
            "build",
            out.path().join("nope"),
            "--name",
            "one",
            "--version",
            "0.3.0",
            "-o",
            out.path()
        ],
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no such file or directory"),
        "{}",
        r.stderr
    );
}

/// `bundle build` lints with the repository's configuration, as `sopkit lint` does.
#[test]
fn build_honours_the_repository_configuration() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("sops");
    copy_dir(&v1(), &src);
    // A reference to a step that does not exist is an error (P006) ...
    let complaint = src.join("complaint.md");
    let text = std::fs::read_to_string(&complaint).unwrap();
    let text = text.replacen("\n1. ", "\n1. If the line drops, go to step 42.\n1. ", 1);
    std::fs::write(&complaint, text).unwrap();
    // P006 is in the preview group: the repository turns the group on.
    std::fs::write(src.join("sopkit.yaml"), "rules:\n  preview: true\n").unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let refused = try_build(&src, &out, "1.0.0", &[]);
    assert_eq!(refused.code, 1, "{}{}", refused.stdout, refused.stderr);
    assert!(refused.stderr.contains("[P006]") || refused.stdout.contains("[P006]"));
    assert!(listing(&out).is_empty());

    // ... unless the repository's sopkit.yaml turns it off.
    std::fs::write(
        src.join("sopkit.yaml"),
        "rules:\n  preview: true\n  ignore: [P006]\n",
    )
    .unwrap();
    let built = try_build(&src, &out, "1.0.0", &[]);
    assert_eq!(built.code, 0, "{}{}", built.stdout, built.stderr);
    assert_eq!(listing(&out), ["cs-1.0.0.sopbundle.tar.gz"]);
}

/// `keygen` is a top-level command; `sopkit bundle keygen` says so.
#[test]
fn bundle_keygen_suggests_the_top_level_command() {
    let r = run(args!["bundle", "keygen", "-o", "ci.key"], &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unrecognized subcommand 'keygen'"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("'sopkit keygen'"), "{}", r.stderr);
    // A nested command that looks alike keeps clap's own suggestion.
    let r = run(args!["bundle", "biuld"], &[]);
    assert!(r.stderr.contains("'build'"), "{}", r.stderr);
}

/// `keygen -o keys/ci.key` creates `keys/`, as `bundle build -o DIR` does.
#[test]
fn keygen_creates_the_key_directory() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("keys/ci/ci.key");
    let r = run(args!["keygen", "-o", key], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(key.is_file());
    assert!(dir.path().join("keys/ci/ci.key.pub").is_file());
}

/// A directory given where a bundle file is expected is a usage error that says so, not an
/// invalid bundle with "missing manifest.json".
#[test]
fn a_directory_is_not_a_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let shown = dir.path().display().to_string();
    let d = dir.path();
    let cases: [&[&std::ffi::OsStr]; 3] = [
        args!["bundle", "verify", d],
        args!["bundle", "inspect", d],
        args!["bundle", "diff", d, d],
    ];
    for args in cases {
        let r = run(args, &[]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_eq!(
            r.stderr,
            format!("error: {shown} is a directory: give a bundle file (NAME-VERSION.sopbundle.tar.gz)\n")
        );
    }
}

/// Two bundled documents with one id (X001 turned off): both named as the user gave them.
#[test]
fn a_duplicate_id_names_both_source_files() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("src")).unwrap();
    let complaint = std::fs::read(v1().join("complaint.md")).unwrap();
    std::fs::write(tmp.path().join("src/a.md"), &complaint).unwrap();
    std::fs::write(tmp.path().join("src/b.md"), &complaint).unwrap();
    std::fs::write(tmp.path().join("sopkit.yaml"), "rules:\n  ignore: [X001]\n").unwrap();
    let out = sopkit()
        .current_dir(tmp.path())
        .args([
            "bundle",
            "build",
            "src",
            "--name",
            "cs",
            "--version",
            "1.0.0",
        ])
        .args(["-o", "out"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "src/b.md:1:1: error[bundle] id CS-001 is also used by src/a.md\n\
         error: bundle not built: 1 problem\n"
    );
    assert!(!tmp.path().join("out").exists());
}
