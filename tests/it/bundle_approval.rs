//! Integration tests: `bundle approve`, `bundle verify --approvals` and the approvals in
//! `bundle inspect` (issue 14, item 3), end to end on the real binary.

use std::path::{Path, PathBuf};

use crate::bundle::{args, entry, keygen, problems, run, v1, Run};

const EPOCH: &str = "1764500000";
const WHEN: &str = "2025-11-30T10:53:20Z";

/// A repository whose complaint SOP needs two approvers and whose refund SOP needs one, the
/// approvers' keys and a keyring for both, and the bundle built from it.
struct Setup {
    dir: tempfile::TempDir,
    src: PathBuf,
    bundle: PathBuf,
    ops: PathBuf,
    ops_pub: PathBuf,
    quality: PathBuf,
    keyring: PathBuf,
}

fn public_line(public: &Path) -> String {
    std::fs::read_to_string(public)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string()
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    crate::support::copy_dir(&v1(), &src);
    let complaint = src.join("complaint.md");
    let text = std::fs::read_to_string(&complaint).unwrap().replace(
        "approvers: [Head of Operations]",
        "approvers: [Head of Operations, Quality Lead]",
    );
    std::fs::write(&complaint, text).unwrap();
    let keys = |name: &str| {
        let d = dir.path().join(name);
        std::fs::create_dir(&d).unwrap();
        keygen(&d)
    };
    let (ops, ops_pub) = keys("ops");
    let (quality, quality_pub) = keys("quality");
    let keyring = dir.path().join("approvers.yaml");
    std::fs::write(
        &keyring,
        format!(
            "Head of Operations: {}\n\"Quality Lead\": {}\n",
            public_line(&ops_pub),
            public_line(&quality_pub)
        ),
    )
    .unwrap();
    let bundle = build_into(&src, &dir.path().join("dist"), "1.0.0");
    Setup {
        dir,
        src,
        bundle,
        ops,
        ops_pub,
        quality,
        keyring,
    }
}

fn build_into(src: &Path, out: &Path, version: &str) -> PathBuf {
    let r = run(
        args![
            "bundle",
            "build",
            src,
            "--name",
            "cs",
            "--version",
            version,
            "-o",
            out
        ],
        &[("SOURCE_DATE_EPOCH", EPOCH)],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    out.join(format!("cs-{version}.sopbundle.tar.gz"))
}

fn approve(bundle: &Path, key: &Path, name: &str, extra: &[&str]) -> Run {
    let mut a: Vec<std::ffi::OsString> = vec![
        "bundle".into(),
        "approve".into(),
        bundle.into(),
        "--key".into(),
        key.into(),
        "--as".into(),
        name.into(),
    ];
    a.extend(extra.iter().map(Into::into));
    let refs: Vec<&std::ffi::OsStr> = a.iter().map(|s| s.as_os_str()).collect();
    run(&refs, &[("SOURCE_DATE_EPOCH", EPOCH)])
}

fn approved(bundle: &Path, key: &Path, name: &str) -> PathBuf {
    let r = approve(bundle, key, name, &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let slug = name.to_lowercase().replace(' ', "-");
    let mut file = bundle.as_os_str().to_owned();
    file.push(format!(".approval-{slug}.minisig"));
    let file = PathBuf::from(file);
    assert!(file.is_file(), "{} missing: {}", file.display(), r.stdout);
    file
}

fn verify_approvals(bundle: &Path, keyring: &Path) -> Run {
    run(
        args!["bundle", "verify", bundle, "--approvals", keyring],
        &[],
    )
}

#[test]
fn one_approval_names_the_missing_approver_and_both_pass() {
    let s = setup();
    let r = approve(&s.bundle, &s.ops, "Head of Operations", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.ends_with(&format!(
            ".approval-head-of-operations.minisig: Head of Operations approved {} at {WHEN}\n",
            sopkit::input::display_path(&s.bundle)
        )),
        "{}",
        r.stdout
    );
    let p = problems(&verify_approvals(&s.bundle, &s.keyring));
    assert_eq!(
        p,
        [
            "CS-001 is not approved by Quality Lead: no approval file (cs-1.0.0.sopbundle.tar.gz.approval-quality-lead.minisig)",
            "invalid (1 problem)"
        ]
    );

    approved(&s.bundle, &s.quality, "Quality Lead");
    let r = verify_approvals(&s.bundle, &s.keyring);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout.ends_with(
            "every hash matches, not signed, every required approval valid (3 approvals)\n"
        ),
        "{}",
        r.stdout
    );
    // Without --approvals nothing about approvals is required or said.
    let r = crate::bundle::verify(&s.bundle, None);
    assert_eq!(r.code, 0);
    assert!(!r.stdout.contains("approval"), "{}", r.stdout);
}

#[test]
fn inspect_shows_who_approved_what_and_when() {
    let s = setup();
    let r = run(args!["bundle", "inspect", s.bundle], &[]);
    assert!(!r.stdout.contains("Approvals"), "{}", r.stdout);
    approved(&s.bundle, &s.ops, "Head of Operations");
    let r = run(args!["bundle", "inspect", s.bundle], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(&format!(
            "Documents  2\n\
             Approvals  1 file, signatures not checked (pass --approvals KEYRING)\n           \
             Head of Operations approved at {WHEN}: CS-001, CS-002\n\
             Missing    CS-001 by Quality Lead\n\nID "
        )),
        "{}",
        r.stdout
    );
    approved(&s.bundle, &s.quality, "Quality Lead");
    let r = run(
        args!["bundle", "inspect", s.bundle, "--approvals", s.keyring],
        &[],
    );
    assert!(
        r.stdout.contains(&format!(
            "Approvals  2 files, checked against {}\n           \
             Head of Operations approved at {WHEN}: CS-001, CS-002 (valid)\n           \
             Quality Lead approved at {WHEN}: CS-001 (valid)\n\nID ",
            sopkit::input::display_path(&s.keyring)
        )),
        "{}",
        r.stdout
    );
}

#[test]
fn an_approval_of_another_bundle_fails() {
    let s = setup();
    approved(&s.bundle, &s.ops, "Head of Operations");
    let quality = approved(&s.bundle, &s.quality, "Quality Lead");
    // Version 1.1.0 of the same documents: a new manifest that the quality lead has not seen.
    let newer = build_into(&s.src, &s.dir.path().join("dist"), "1.1.0");
    approved(&newer, &s.ops, "Head of Operations");
    let copied = newer.with_file_name("cs-1.1.0.sopbundle.tar.gz.approval-quality-lead.minisig");
    std::fs::copy(&quality, &copied).unwrap();
    let p = problems(&verify_approvals(&newer, &s.keyring));
    assert!(
        p[0].starts_with(
            "CS-001 is not approved by Quality Lead: cs-1.1.0.sopbundle.tar.gz.approval-quality-lead.minisig approves another bundle (cs 1.0.0, manifest sha256 "
        ),
        "{p:?}"
    );
    assert_eq!(p.len(), 2, "{p:?}");
}

#[test]
fn a_copied_approval_renamed_to_another_approver_fails() {
    let s = setup();
    let ops = approved(&s.bundle, &s.ops, "Head of Operations");
    let renamed = s
        .bundle
        .with_file_name("cs-1.0.0.sopbundle.tar.gz.approval-quality-lead.minisig");
    std::fs::copy(&ops, &renamed).unwrap();
    let p = problems(&verify_approvals(&s.bundle, &s.keyring));
    assert_eq!(
        p,
        [
            "CS-001 is not approved by Quality Lead: cs-1.0.0.sopbundle.tar.gz.approval-quality-lead.minisig is signed by Head of Operations, not by the approver its name gives (quality-lead): a copied or renamed approval",
            "invalid (1 problem)"
        ]
    );
}

#[test]
fn an_edited_trusted_comment_fails() {
    let s = setup();
    approved(&s.bundle, &s.ops, "Head of Operations");
    let quality = approved(&s.bundle, &s.quality, "Quality Lead");
    // Backdating the approval.
    let text = std::fs::read_to_string(&quality).unwrap();
    std::fs::write(&quality, text.replace("time=2025-", "time=2024-")).unwrap();
    let p = problems(&verify_approvals(&s.bundle, &s.keyring));
    assert_eq!(
        p[0],
        "CS-001 is not approved by Quality Lead: cs-1.0.0.sopbundle.tar.gz.approval-quality-lead.minisig has a trusted comment (name, time, meaning or manifest) that was edited after signing"
    );
    // Claiming to be someone else: the comment is signed, so it cannot be rewritten.
    std::fs::write(
        &quality,
        text.replace("name=\"Quality Lead\"", "name=\"Head of Operations\""),
    )
    .unwrap();
    let p = problems(&verify_approvals(&s.bundle, &s.keyring));
    assert!(
        p[0].starts_with("CS-001 is not approved by Quality Lead: cs-1.0.0.sopbundle.tar.gz.approval-quality-lead.minisig was not made with Head of Operations's key"),
        "{p:?}"
    );
}

#[test]
fn an_approver_missing_from_the_keyring_fails() {
    let s = setup();
    approved(&s.bundle, &s.ops, "Head of Operations");
    approved(&s.bundle, &s.quality, "Quality Lead");
    let only_ops = s.dir.path().join("ops-only.yaml");
    std::fs::write(
        &only_ops,
        format!("Head of Operations: {}\n", public_line(&s.ops_pub)),
    )
    .unwrap();
    let p = problems(&verify_approvals(&s.bundle, &only_ops));
    assert_eq!(
        p[0],
        format!(
            "CS-001 is not approved by Quality Lead: cs-1.0.0.sopbundle.tar.gz.approval-quality-lead.minisig is signed as Quality Lead, who is not in the keyring {}",
            sopkit::input::display_path(&only_ops)
        )
    );
    // And with no approval file either.
    std::fs::remove_file(
        s.bundle
            .with_file_name("cs-1.0.0.sopbundle.tar.gz.approval-quality-lead.minisig"),
    )
    .unwrap();
    let p = problems(&verify_approvals(&s.bundle, &only_ops));
    assert_eq!(
        p[0],
        format!(
            "CS-001 is not approved by Quality Lead: Quality Lead is not in the keyring {}, and there is no approval file (cs-1.0.0.sopbundle.tar.gz.approval-quality-lead.minisig)",
            sopkit::input::display_path(&only_ops)
        )
    );
}

#[test]
fn approvals_are_deterministic_and_minisign_verifies_them() {
    let s = setup();
    let file = approved(&s.bundle, &s.ops, "Head of Operations");
    let first = std::fs::read(&file).unwrap();
    // Without --force an approval is not replaced; with it, the same inputs give the same bytes.
    let r = approve(&s.bundle, &s.ops, "Head of Operations", &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    let r = approve(&s.bundle, &s.ops, "Head of Operations", &["--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(&file).unwrap(), first);

    let manifest = entry(&s.bundle, "manifest.json");
    let text = String::from_utf8(first).unwrap();
    let sig = minisign_verify::Signature::decode(&text).unwrap();
    let pk = minisign_verify::PublicKey::from_file(&s.ops_pub).unwrap();
    pk.verify(&manifest, &sig, false).unwrap();
    assert_eq!(
        sig.trusted_comment(),
        format!(
            "sopkit-approval name=\"Head of Operations\" meaning=approved time={WHEN} bundle=cs version=1.0.0 manifest-sha256={}",
            crate::bundle::sha256(&manifest)
        )
    );

    // The stock tool, when installed.
    if std::process::Command::new("minisign")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("skipping the stock minisign check: not installed (apt-get install minisign)");
        return;
    }
    let m = s.dir.path().join("manifest.json");
    std::fs::write(&m, &manifest).unwrap();
    let out = std::process::Command::new("minisign")
        .arg("-Vm")
        .arg(&m)
        .arg("-x")
        .arg(&file)
        .arg("-p")
        .arg(&s.ops_pub)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "Trusted comment: sopkit-approval name=\"Head of Operations\" meaning=approved"
        ),
        "{stdout}"
    );
}

#[test]
fn bad_names_keys_keyrings_and_bundles_are_refused() {
    let s = setup();
    for bad in ["", " Quality Lead", "Quality\nLead", "\u{1b}[2J", "--"] {
        let r = run(
            args![
                "bundle",
                "approve",
                s.bundle,
                "--key",
                s.quality,
                format!("--as={bad}")
            ],
            &[],
        );
        assert_eq!(r.code, 2, "{bad:?}: {}", r.stdout);
        assert!(r.stderr.contains("approver name"), "{}", r.stderr);
        assert!(!r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
    }
    // A public key is not a secret key.
    let r = approve(&s.bundle, &s.ops_pub, "Head of Operations", &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    // An invalid bundle is not approved.
    let garbage = s.dir.path().join("garbage.sopbundle.tar.gz");
    std::fs::write(&garbage, "not a bundle").unwrap();
    let r = approve(&garbage, &s.ops, "Head of Operations", &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("is not a valid bundle"), "{}", r.stderr);
    assert!(!garbage
        .with_file_name("garbage.sopbundle.tar.gz.approval-head-of-operations.minisig")
        .exists());
    // A keyring that is not a map of keys.
    for (text, why) in [
        ("- a\n- b\n", "not a map of approver names"),
        (
            "Quality Lead: not-a-key\n",
            "the key of \"Quality Lead\" is not a minisign public key",
        ),
    ] {
        std::fs::write(&s.keyring, text).unwrap();
        let r = verify_approvals(&s.bundle, &s.keyring);
        assert_eq!(r.code, 2, "{}", r.stdout);
        assert!(r.stderr.contains(why), "{}", r.stderr);
    }
    let r = verify_approvals(&s.bundle, &s.dir.path().join("missing.yaml"));
    assert_eq!(r.code, 2);
}

/// Garbage next to a bundle named like an approval is reported, not trusted.
#[test]
fn a_damaged_approval_file_is_reported() {
    let s = setup();
    approved(&s.bundle, &s.ops, "Head of Operations");
    approved(&s.bundle, &s.quality, "Quality Lead");
    let stray = s
        .bundle
        .with_file_name("cs-1.0.0.sopbundle.tar.gz.approval-someone.minisig");
    std::fs::write(&stray, "\u{1b}[2Jnot a signature\n").unwrap();
    let p = problems(&verify_approvals(&s.bundle, &s.keyring));
    assert!(
        p[0].starts_with("cs-1.0.0.sopbundle.tar.gz.approval-someone.minisig: invalid approval: it is not a minisign signature"),
        "{p:?}"
    );
    assert!(!p.iter().any(|l| l.contains('\u{1b}')), "{p:?}");
}

/// Issue 14 item 4, approvals: a SOP's page lists the approvals found next to the bundle.
#[test]
fn the_portal_lists_a_documents_approvals() {
    let s = setup();
    let site = |name: &str| {
        let out = s.dir.path().join(name);
        let r = run(args!["site", "build", s.bundle, "-o", out], &[]);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        let page = |id: &str| std::fs::read_to_string(out.join(format!("sop/{id}.html"))).unwrap();
        (page("CS-001"), page("CS-002"))
    };
    let (complaint, _) = site("site0");
    assert!(!complaint.contains("<dt>Approved</dt>"), "{complaint}");
    approved(&s.bundle, &s.ops, "Head of Operations");
    // An approval of another bundle is not listed.
    let newer = build_into(&s.src, &s.dir.path().join("other"), "1.1.0");
    let other = approved(&newer, &s.quality, "Quality Lead");
    std::fs::copy(
        &other,
        s.bundle
            .with_file_name("cs-1.0.0.sopbundle.tar.gz.approval-quality-lead.minisig"),
    )
    .unwrap();
    let (complaint, refund) = site("site1");
    let listed = format!("<dt>Approved</dt><dd>Head of Operations, {WHEN} (signed approval files");
    assert!(complaint.contains(&listed), "{complaint}");
    assert!(refund.contains(&listed), "{refund}");
    assert!(!complaint.contains("Quality Lead, "), "{complaint}");
}

/// A FIFO named like a bundle or an approval would block a reader forever: both are refused.
#[cfg(unix)]
#[test]
fn fifos_are_not_read() {
    let s = setup();
    approved(&s.bundle, &s.ops, "Head of Operations");
    approved(&s.bundle, &s.quality, "Quality Lead");
    let fifo = s
        .bundle
        .with_file_name("cs-1.0.0.sopbundle.tar.gz.approval-someone.minisig");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipping: mkfifo is not available");
        return;
    }
    let p = problems(&verify_approvals(&s.bundle, &s.keyring));
    assert_eq!(
        p[0],
        "cs-1.0.0.sopbundle.tar.gz.approval-someone.minisig: invalid approval: it cannot be read: not a regular file"
    );
    let fake = s.dir.path().join("fifo.sopbundle.tar.gz");
    std::process::Command::new("mkfifo")
        .arg(&fake)
        .status()
        .unwrap();
    let r = crate::bundle::verify(&fake, None);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
    let keyring = s.dir.path().join("fifo.yaml");
    std::process::Command::new("mkfifo")
        .arg(&keyring)
        .status()
        .unwrap();
    let r = verify_approvals(&s.bundle, &keyring);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
}
