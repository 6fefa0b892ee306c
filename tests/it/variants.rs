//! Branch variants from the command line: `sopkit lint` reports X006 for drift, `sopkit
//! variants` shows each base with its variants, their drift and their local differences.

use std::path::Path;

use crate::support::{copy_dir, fixtures, sopkit};

/// A base with three variants: clean (Penang), drifting (Kuala Lumpur) and one with a marked
/// local step (Ipoh), in `dir/sops`.
fn branches(dir: &Path) {
    let sops = dir.join("sops");
    copy_dir(&fixtures().join("rules/X006_ok"), &sops);
    std::fs::copy(
        fixtures().join("rules/X006_bad/refunds-kl.md"),
        sops.join("refunds-kl.md"),
    )
    .unwrap();
}

fn run(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = sopkit().current_dir(dir).args(args).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}

#[test]
fn lint_reports_drift_at_the_variants_lines_only() {
    let tmp = tempfile::tempdir().unwrap();
    branches(tmp.path());
    let (out, _, code) = run(
        tmp.path(),
        &["lint", "--select", "X006", "--format", "concise", "sops"],
    );
    assert_eq!(
        out,
        "sops/refunds-kl.md:4:10: warning[X006] version 1.3.0 is behind the base's major version 2.1.0 (sops/refunds.md:4): a copy of an older base\n\
         sops/refunds-kl.md:27:1: warning[X006] step 3 of the base (sops/refunds.md:25) is missing: \"Inspect the item for damage.\"\n\
         sops/refunds-kl.md:28:1: warning[X006] step 4 is reworded from step 5 of the base (sops/refunds.md:27): \"Return the money to the card used for the purchase.\"\n\
         sops/refunds-kl.md:35:1: warning[X006] escalation level 2's role is \"Area manager\", the base's (sops/refunds.md:34) is \"Branch manager\"\n"
    );
    assert_eq!(code, 0, "warnings only");
}

#[test]
fn variants_shows_each_base_with_its_variants() {
    let tmp = tempfile::tempdir().unwrap();
    branches(tmp.path());
    let (out, err, code) = run(tmp.path(), &["variants", "sops"]);
    assert_eq!((err.as_str(), code), ("", 0));
    insta::assert_snapshot!("variants_human", out);
    let (out, _, code) = run(tmp.path(), &["variants", "--format", "markdown", "sops"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("variants_markdown", out);
}

#[test]
fn variants_json_counts_drift_and_local_differences() {
    let tmp = tempfile::tempdir().unwrap();
    branches(tmp.path());
    let (out, _, code) = run(tmp.path(), &["variants", "--format", "json", "sops"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let bases = v["bases"].as_array().unwrap();
    assert_eq!(bases.len(), 1);
    assert_eq!(bases[0]["id"], "CS-210");
    assert_eq!(bases[0]["path"], "sops/refunds.md");
    let rows: Vec<(String, u64, u64)> = bases[0]["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["branch"].as_str().unwrap().to_string(),
                r["drift"].as_u64().unwrap(),
                r["local"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("Ipoh".to_string(), 0, 1),
            ("Kuala Lumpur".to_string(), 4, 0),
            ("Penang".to_string(), 0, 0)
        ]
    );
    let local = &bases[0]["variants"][0]["differences"][0];
    assert_eq!(local["kind"], "local");
    assert_eq!(local["line"], 29);
    assert_eq!(local["reason"], "Ipoh still takes cash payments");
    assert_eq!(v["unknown_base"], serde_json::json!([]));
}

/// The configuration found for the files sets X006's options, as for `lint`.
#[test]
fn variants_reads_the_rule_options_from_the_configuration() {
    let tmp = tempfile::tempdir().unwrap();
    branches(tmp.path());
    std::fs::write(
        tmp.path().join("sopkit.yaml"),
        "rules:\n  options:\n    X006:\n      min-similarity: 0.5\n      strict-times: true\n",
    )
    .unwrap();
    let (out, err, code) = run(tmp.path(), &["variants", "sops"]);
    assert_eq!((err.as_str(), code), ("", 0));
    // The rewording is within 0.5; Penang's later second level now counts.
    assert!(!out.contains("drift sops/refunds-kl.md:28"), "{out}");
    assert!(
        out.contains("  Penang (sops/refunds-penang.md, 2.1.0): 1 drift, 0 local\n    drift sops/refunds-penang.md:36: escalation level 2 answers within \"2 h\", the base's (sops/refunds.md:34) within \"1 h\"\n"),
        "{out}"
    );
}

#[test]
fn variants_of_an_unknown_base_and_runs_without_variants() {
    let tmp = tempfile::tempdir().unwrap();
    let sops = tmp.path().join("sops");
    copy_dir(&fixtures().join("rules/X006_bad_unknown_base"), &sops);
    let (out, _, code) = run(tmp.path(), &["variants", "sops"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("variants of an unknown base:\n  Kuala Lumpur (sops/exchange-kl.md, 1.0.0): 2 drift, 0 local\n    drift sops/exchange-kl.md:11: `variant_of` names \"CS-299\", but no document of this run has that id\n"), "{out}");
    // One file alone (as an editor lints it) cannot hold its base: only the marker is wrong.
    let (out, _, _) = run(tmp.path(), &["variants", "sops/exchange-kl.md"]);
    assert!(out.contains("): 1 drift, 0 local\n    drift sops/exchange-kl.md:21: a local difference needs a reason"), "{out}");

    std::fs::copy(
        fixtures().join("rules/X006_ok/refunds.md"),
        sops.join("exchange-kl.md"),
    )
    .unwrap();
    let (out, _, code) = run(tmp.path(), &["variants", "sops"]);
    assert_eq!(
        (out.as_str(), code),
        ("no branch variants: no document has `variant_of`\n", 0)
    );
    let (_, err, code) = run(tmp.path(), &["variants", "missing"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing: no such file or directory"), "{err}");
}

/// In the portal, a variant's page links its base and lists its drift.
#[test]
fn the_portal_links_a_variant_to_its_base_and_shows_the_drift() {
    let tmp = tempfile::tempdir().unwrap();
    branches(tmp.path());
    let (_, err, code) = run(tmp.path(), &["site", "build", "sops", "-o", "site"]);
    assert_eq!(code, 0, "{err}");
    let page =
        |name: &str| std::fs::read_to_string(tmp.path().join("site/sop").join(name)).unwrap();
    let kl = page("CS-210-KL.html");
    assert!(
        kl.contains("<h2 id=\"variant-heading\">Branch variant: Kuala Lumpur</h2>"),
        "{kl}"
    );
    assert!(
        kl.contains(
            "A variant of <a href=\"../sop&#x2f;CS-210.html\">CS-210 Refund a purchase</a>."
        ),
        "{kl}"
    );
    assert!(
        kl.contains("<li class=\"finding warning\">line 27: step 3 of the base (sops&#x2f;refunds.md:25) is missing: &quot;Inspect the item for damage.&quot;</li>"),
        "{kl}"
    );
    assert_eq!(
        kl.matches("<li class=\"finding warning\">line ").count(),
        4,
        "{kl}"
    );
    let penang = page("CS-210-PG.html");
    assert!(penang.contains("It follows its base"), "{penang}");
    assert!(!page("CS-210.html").contains("variant-heading"));
}
