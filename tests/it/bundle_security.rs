//! Integration tests: bundles read exactly as `tar` reads them (issue 13, item 1).

use std::io::{Read, Write};
use std::path::Path;

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;

use crate::bundle::{args, entry, problems, run, signed_bundle, verify};

/// The decompressed tar stream of a bundle (its first and only gzip member).
fn tar_bytes(bundle: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    GzDecoder::new(std::fs::read(bundle).unwrap().as_slice())
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// The tar stream without its trailing zero blocks (the end-of-archive marker).
fn without_end(mut tar: Vec<u8>) -> Vec<u8> {
    while tar.len() >= 512 && tar[tar.len() - 512..].iter().all(|b| *b == 0) {
        tar.truncate(tar.len() - 512);
    }
    tar
}

/// A complete tar archive holding `docs/CS-001.md` = "# EVIL".
fn evil_tar() -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let data = b"# EVIL\n";
    let mut h = tar::Header::new_gnu();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    builder
        .append_data(&mut h, "docs/CS-001.md", &data[..])
        .unwrap();
    builder.into_inner().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The attack from issue 13: a signed bundle whose end-of-archive blocks were stripped and a
/// second gzip member appended with an evil `docs/CS-001.md`. `tar xzf` extracts the evil file;
/// verify, inspect and diff must refuse the bundle.
#[test]
fn a_second_gzip_member_after_a_stripped_end_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (bundle, public) = signed_bundle(dir.path());
    let mut bytes = gzip(&without_end(tar_bytes(&bundle)));
    bytes.extend(gzip(&evil_tar()));
    let attacked = write(dir.path(), "attacked.sopbundle.tar.gz", &bytes);

    let r = verify(&attacked, Some(&public));
    let p = problems(&r);
    assert!(
        p.iter()
            .any(|l| l.starts_with("a second gzip member follows the first")),
        "{p:?}"
    );
    assert!(
        p.iter().any(|l| l == "docs/CS-001.md: duplicate entry"),
        "{p:?}"
    );
    assert!(!r.stdout.contains("signature valid"), "{}", r.stdout);

    let r = run(args!["bundle", "inspect", attacked], &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("second gzip member"), "{}", r.stderr);
    let r = run(args!["bundle", "diff", bundle, attacked], &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("second gzip member"), "{}", r.stderr);
}

/// A complete bundle followed by a second member: `tar` stops at the end-of-archive marker,
/// but the bytes are there for other tools to find, so the bundle is refused.
#[test]
fn a_second_gzip_member_after_a_complete_archive_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (bundle, public) = signed_bundle(dir.path());
    let mut bytes = std::fs::read(&bundle).unwrap();
    bytes.extend(gzip(&evil_tar()));
    let attacked = write(dir.path(), "appended.sopbundle.tar.gz", &bytes);
    let p = problems(&verify(&attacked, Some(&public)));
    assert!(
        p.contains(
            &"data after the end of the tar archive; refusing it, as `tar` would not show it"
                .to_string()
        ),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|l| l.starts_with("a second gzip member follows the first")),
        "{p:?}"
    );
}

#[test]
fn a_missing_end_of_archive_or_trailing_bytes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (bundle, public) = signed_bundle(dir.path());
    let tar = tar_bytes(&bundle);

    // No end-of-archive blocks at all, and only one of the two.
    let stripped = without_end(tar.clone());
    for (name, body) in [
        ("no-end.sopbundle.tar.gz", stripped.clone()),
        ("one-zero-block.sopbundle.tar.gz", {
            let mut t = stripped.clone();
            t.extend([0u8; 512]);
            t
        }),
    ] {
        let path = write(dir.path(), name, &gzip(&body));
        let p = problems(&verify(&path, Some(&public)));
        assert_eq!(
            p[0],
            "the tar archive has no end-of-archive marker (two zero blocks): it was cut short or meant to be continued",
            "{name}: {p:?}"
        );
    }

    // An entry after the end-of-archive blocks, inside the one member.
    let mut after = tar.clone();
    after.extend(evil_tar());
    let path = write(dir.path(), "after-end.sopbundle.tar.gz", &gzip(&after));
    let p = problems(&verify(&path, Some(&public)));
    assert_eq!(
        p[0],
        "data after the end of the tar archive; refusing it, as `tar` would not show it"
    );

    // Bytes after the gzip stream that do not start a member.
    let mut bytes = std::fs::read(&bundle).unwrap();
    bytes.extend(b"trailing garbage");
    let path = write(dir.path(), "garbage-after.sopbundle.tar.gz", &bytes);
    let p = problems(&verify(&path, Some(&public)));
    assert!(
        p[0].contains("data after the end of the gzip stream (not a gzip member)"),
        "{p:?}"
    );

    // What GNU tar writes is still a bundle: zeros padding the archive to a 10 KiB record.
    let mut padded = tar.clone();
    padded.resize(padded.len().div_ceil(10_240) * 10_240, 0);
    let path = write(dir.path(), "padded.sopbundle.tar.gz", &gzip(&padded));
    let r = verify(&path, Some(&public));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("signature valid"), "{}", r.stdout);
}

/// Builds v1 signed with `key` into `out` at a fixed `SOURCE_DATE_EPOCH`.
fn signed_build(key: &Path, out: &Path) -> std::path::PathBuf {
    let r = run(
        args![
            "bundle",
            "build",
            crate::bundle::v1(),
            "--name",
            "cs",
            "--version",
            "1.0.0",
            "-o",
            out,
            "--sign",
            key
        ],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    out.join("cs-1.0.0.sopbundle.tar.gz")
}

/// Issue 13 item 7: signing is deterministic (RFC 8032 Ed25519, no random noise), so a signed
/// bundle is byte-identical when rebuilt with the same key and `SOURCE_DATE_EPOCH`, and both
/// minisign implementations still accept its signature.
#[test]
fn signed_bundles_are_byte_identical_on_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = crate::bundle::keygen(dir.path());
    let a = signed_build(&key, &dir.path().join("a"));
    let b = signed_build(&key, &dir.path().join("b"));
    let sig = entry(&a, "manifest.json.minisig");
    assert_eq!(sig, entry(&b, "manifest.json.minisig"), "signatures differ");
    assert_eq!(
        std::fs::read(&a).unwrap(),
        std::fs::read(&b).unwrap(),
        "archives differ"
    );

    let manifest = entry(&a, "manifest.json");
    let sig_text = String::from_utf8(sig).unwrap();
    let pk = minisign_verify::PublicKey::from_file(&public).unwrap();
    let decoded = minisign_verify::Signature::decode(&sig_text).unwrap();
    pk.verify(&manifest, &decoded, false).unwrap();
    let pk2 = minisign::PublicKey::from_file(&public).unwrap();
    let sig2 = minisign::SignatureBox::from_string(&sig_text).unwrap();
    minisign::verify(
        &pk2,
        &sig2,
        std::io::Cursor::new(&manifest),
        true,
        false,
        false,
    )
    .unwrap();
    let r = verify(&a, Some(&public));
    assert_eq!(r.code, 0, "{}", r.stdout);

    // Another key gives another signature, and so other bytes.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let (other_key, _) = crate::bundle::keygen(&other);
    let c = signed_build(&other_key, &dir.path().join("c"));
    assert_ne!(std::fs::read(&a).unwrap(), std::fs::read(&c).unwrap());
}

/// Copies of v1 (and a v2) whose complaint SOP carries terminal escapes and a newline in its
/// title, a step and a heading: what a hostile or careless author could commit.
fn hostile_sources(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (v1, v2) = (dir.join("src1"), dir.join("src2"));
    crate::support::copy_dir(&crate::bundle::v1(), &v1);
    crate::support::copy_dir(&crate::bundle::v1(), &v2);
    let text = std::fs::read_to_string(v1.join("complaint.md"))
        .unwrap()
        .replace(
            "title: Handle a customer complaint",
            r#"title: "Handle \e[2J\e[31mred\nforged.md:1:1: error[X] x""#,
        );
    std::fs::write(v1.join("complaint.md"), &text).unwrap();
    let changed = text
        .replace("version: 1.2.0", "version: 1.3.0")
        .replace(
            "3. Log the complaint in the ticket system.",
            "3. Log the \u{1b}[31mcomplaint\u{1b}[0m in the ticket system now.",
        )
        .trim_end()
        .to_string()
        + "\n\n## Notes \u{1b}[1mbold\n\nKeep it short.\n";
    std::fs::write(v2.join("complaint.md"), changed).unwrap();
    (v1, v2)
}

/// Nothing a bundle prints for people may carry a control character: no ANSI escape reaches
/// the terminal and no newline forges a line.
fn assert_escaped(what: &str, text: &str) {
    assert!(
        !text.contains('\u{1b}'),
        "{what} printed a raw escape: {text:?}"
    );
    assert!(
        !text.lines().any(|l| l.starts_with("forged")),
        "{what} printed a forged line: {text}"
    );
}

/// Issue 13 item 10: `bundle build`, `inspect`, `verify` and `diff` escape control characters.
#[test]
fn bundle_output_escapes_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let (src1, src2) = hostile_sources(dir.path());
    let out = dir.path().join("out");
    let old = crate::bundle::build(&src1, &out, "1.0.0", &[]);
    let r = run(
        args![
            "bundle",
            "build",
            src2,
            "--name",
            "cs",
            "--version",
            "1.1.0",
            "--previous",
            old,
            "-o",
            out
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_escaped("build", &r.stdout);
    assert!(r.stdout.contains(r"Notes \u{1b}[1mbold"), "{}", r.stdout);
    let new = out.join("cs-1.1.0.sopbundle.tar.gz");

    let r = run(args!["bundle", "inspect", old], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_escaped("inspect", &r.stdout);
    assert!(
        r.stdout
            .contains(r"Handle \u{1b}[2J\u{1b}[31mred\nforged.md:1:1: error[X] x"),
        "{}",
        r.stdout
    );
    for format in ["human", "markdown"] {
        let r = run(args!["bundle", "diff", old, new, "--format", format], &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_escaped(&format!("diff --format {format}"), &r.stdout);
        assert!(
            r.stdout.contains(r"\u{1b}[31mcomplaint\u{1b}[0m"),
            "{}",
            r.stdout
        );
    }

    // A crafted manifest: the same hostile id on both documents.
    let evil = "CS-001\u{1b}]0;pwned\u{7}\nforged";
    let r = crate::bundle::tampered(&old, None, |entries| {
        let m = &mut entries
            .iter_mut()
            .find(|(p, _)| p == "manifest.json")
            .unwrap()
            .1;
        let mut json: serde_json::Value = serde_json::from_slice(m).unwrap();
        for doc in json["documents"].as_array_mut().unwrap() {
            doc["id"] = evil.into();
        }
        *m = serde_json::to_vec_pretty(&json).unwrap();
    });
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_escaped("verify", &r.stdout);
    assert!(
        r.stdout
            .contains(r"document CS-001\u{1b}]0;pwned\u{7}\nforged listed twice"),
        "{}",
        r.stdout
    );
}
