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

#[test]
fn sections_lists_the_table_columns_and_time_units() {
    let (out, _, code) = run(&["--lang", "ms"]);
    assert_eq!(code, 0);
    for needle in [
        "Table columns of escalation and revision tables",
        "  ms  dalam masa, masa,",
        "pencetus",
        "hubungan",
        "Time units of escalation levels:",
        "jam",
    ] {
        assert!(out.contains(needle), "{needle}\n{out}");
    }
    assert!(!out.contains("okidač"), "{out}");
}

/// The model of one document written to a temporary directory.
fn export(name: &str, text: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let out = sopkit()
        .current_dir(dir.path())
        .args(["export", name])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Revision columns land in their fields whatever their order, in the seed languages
/// ("Penyusun" is the author, "Opis izmjene" the change).
#[test]
fn revision_columns_in_the_seed_languages() {
    for (lang, table, want) in [
        (
            "id",
            "| Versi | Tanggal | Keterangan | Penyusun |\n|---|---|---|---|\n| 1.0.0 | 2026-01-15 | Versi pertama | R. Pratama |\n",
            ["1.0.0", "2026-01-15", "R. Pratama", "Versi pertama"],
        ),
        (
            "hr",
            "| Verzija | Datum | Opis izmjene | Autor |\n|---|---|---|---|\n| 1.0.0 | 2026-01-15 | Prva verzija | M. Horvat |\n",
            ["1.0.0", "2026-01-15", "M. Horvat", "Prva verzija"],
        ),
        (
            "fi",
            "| Versio | Laatija | Päiväys | Muutoksen kuvaus |\n|---|---|---|---|\n| 1.0.0 | M. Virtanen | 2026-01-15 | Ensimmäinen versio |\n",
            ["1.0.0", "2026-01-15", "M. Virtanen", "Ensimmäinen versio"],
        ),
        (
            "ms",
            "| Versi | Tarikh | Perubahan | Disediakan oleh |\n|---|---|---|---|\n| 1.0.0 | 2026-01-15 | Versi pertama | N. Aziz |\n",
            ["1.0.0", "2026-01-15", "N. Aziz", "Versi pertama"],
        ),
    ] {
        let heading = match lang {
            "id" => "Riwayat Revisi",
            "hr" => "Povijest izmjena",
            "fi" => "Muutoshistoria",
            _ => "Sejarah Semakan",
        };
        let text = format!("---\nlang: {lang}\n---\n# T\n\n## {heading}\n\n{table}");
        let doc = export(&format!("sop.{lang}.md"), &text);
        let r = &doc["revisions"][0];
        assert_eq!(
            [&r["version"], &r["date"], &r["author"], &r["change"]],
            want.map(serde_json::Value::from).each_ref(),
            "{lang}: {doc}"
        );
    }
}

/// Escalation tables with the headers a native writer uses are chains: "Pencetus", "Masa",
/// "Hubungan" (ms), "Okidač" (hr), "Aika" (fi), "Penanggung jawab" (id).
#[test]
fn escalation_columns_in_the_seed_languages() {
    for (lang, heading, header) in [
        (
            "ms",
            "Eskalasi",
            "| Tahap | Peranan | Pencetus | Masa | Hubungan |",
        ),
        (
            "hr",
            "Eskalacija",
            "| Razina | Uloga | Okidač | Vrijeme | Kontakt |",
        ),
        (
            "fi",
            "Eskalointi",
            "| Taso | Rooli | Tilanne | Aika | Yhteystieto |",
        ),
        (
            "id",
            "Eskalasi",
            "| Tingkat | Penanggung jawab | Kondisi | Batas waktu | Telepon |",
        ),
    ] {
        let text = format!(
            "---\nlang: {lang}\n---\n# T\n\n## {heading}\n\n{header}\n|---|---|---|---|---|\n\
             | 1 | A | B | 30 min | ext. 4410 |\n| 2 | C | D | 2 h | c@example.com |\n"
        );
        let doc = export(&format!("sop.{lang}.md"), &text);
        let levels = &doc["escalation"]["levels"];
        assert_eq!(levels[1]["role"]["value"], "C", "{lang}: {doc}");
        assert_eq!(levels[1]["trigger"]["value"], "D", "{lang}: {doc}");
        assert_eq!(levels[1]["within"]["minutes"], 120, "{lang}: {doc}");
        assert_eq!(levels[0]["contact"]["value"], "ext. 4410", "{lang}: {doc}");
    }
}
