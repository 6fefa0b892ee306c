//! `sopkit sections`: the alias table per language and the metadata presets, and the
//! generated `docs/sections.md`.

use crate::support::{root, sopkit};

fn run(args: &[&str]) -> (String, String, i32) {
    let out = sopkit().arg("sections").args(args).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn sections_prints_every_language_and_the_presets() {
    let (out, err, code) = run(&[]);
    assert_eq!((code, err.as_str()), (0, ""));
    for needle in [
        "escalation (Escalation)",
        "  en  escalation, escalations",
        "  fi  viitteet, lähteet, katso myös",
        "  hr  preduvjeti",
        "  id  prasyarat",
        "govuk-tech-docs",
        "owner = owner_slack",
        "effective = ms.date",
        "MM/DD/YYYY",
        "Qualifiers:",
    ] {
        assert!(out.contains(needle), "{needle}\n{out}");
    }
}

#[test]
fn sections_lang_keeps_one_language() {
    let (out, _, code) = run(&["--lang", "fi-FI"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("  fi  katso myös") || out.contains("katso myös"),
        "{out}"
    );
    assert!(!out.contains("  en  "), "{out}");
    assert!(!out.contains("govuk-tech-docs"), "{out}");
    let (_, err, code) = run(&["--lang", "xx"]);
    assert_eq!(code, 2);
    assert!(err.contains("no aliases for language `xx`"), "{err}");
}

/// `docs/sections.md` is generated; regenerate with
/// `SOPKIT_BLESS=1 cargo test --test it sections::docs_sections_md_is_up_to_date`.
#[test]
fn docs_sections_md_is_up_to_date() {
    let (generated, err, code) = run(&["--format", "markdown"]);
    assert_eq!(code, 0, "{err}");
    let path = root().join("docs/sections.md");
    if std::env::var_os("SOPKIT_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/sections.md is stale: run `SOPKIT_BLESS=1 cargo test --test it sections::docs_sections_md_is_up_to_date`"
    );
}
