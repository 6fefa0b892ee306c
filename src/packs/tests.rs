use miette::Diagnostic;

use super::load::{parse_pack, Seen};
use super::scope::first_sentence_end;
use super::*;
use crate::rule::{Context, Finding, Rule};

fn lint(rule: &PackRule, source: &str) -> Vec<(String, Finding)> {
    let settings = crate::settings::Settings::default();
    let doc = crate::document::parse("t.md", source.to_string(), &settings.parse);
    let ctx = Context {
        settings: &settings,
        files: &crate::rule::NoFiles,
    };
    rule.check(&doc, &ctx)
        .into_iter()
        .map(|f| (doc.source[f.span.clone()].to_string(), f))
        .collect()
}

fn shipped(code: &str) -> &'static PackRule {
    shipped_packs()
        .iter()
        .flat_map(|p| &p.rules)
        .find(|r| r.meta.code == code)
        .unwrap_or_else(|| panic!("no shipped rule {code}"))
}

fn one(yaml: &str) -> Result<Pack, PackError> {
    parse_pack("test.yaml", yaml, &mut Seen::builtin())
}

#[test]
fn every_scope_reads_its_own_text() {
    let rule = |code: &str, scope: &str| {
        format!(
            "  - code: {code}\n    name: r-{}\n    kind: existence\n    scope: {scope}\n    tokens: [zork]\n    examples: {{ bad: [a zork b], good: [a fork b] }}\n",
            code.to_lowercase()
        )
    };
    let scopes = [
        ("TT001", "step"),
        ("TT002", "heading"),
        ("TT003", "paragraph"),
        ("TT004", "escalation"),
        ("TT005", "table-cell"),
        ("TT006", "front-matter:title"),
        ("TT007", "any"),
    ];
    let yaml: String = scopes.iter().map(|(c, s)| rule(c, s)).collect();
    let pack = one(&format!("pack: t\nlang: '*'\nrules:\n{yaml}")).expect("valid");
    for r in &pack.rules {
        assert_eq!(r.test_examples(), Vec::<String>::new(), "{}", r.meta.code);
    }
    let src = "---\ntitle: The zork form\n---\n# Zork title\n\nA zork note.\n\n## Procedure\n\n1. Open zork.\n\n## Escalation\n\n| Level | Role | When |\n|---|---|---|\n| 1 | Zork lead | always |\n";
    let hits: Vec<Vec<(String, usize)>> = pack
        .rules
        .iter()
        .map(|r| {
            lint(r, src)
                .into_iter()
                .map(|(t, f)| (t, f.span.start))
                .collect()
        })
        .collect();
    let at = |needle: &str| src.find(needle).expect("in source");
    let h = |t: &str, n: &str| (t.to_string(), at(n));
    assert_eq!(hits[0], [h("zork", "zork.")]);
    assert_eq!(hits[1], [h("Zork", "Zork title")]);
    assert_eq!(hits[2], [h("zork", "zork note")]);
    assert_eq!(hits[3], [h("Zork", "Zork lead")]);
    assert_eq!(hits[4], [h("Zork", "Zork lead")]);
    assert_eq!(hits[5], [h("zork", "zork form")]);
    assert_eq!(
        hits[6],
        [
            h("Zork", "Zork title"),
            h("zork", "zork note"),
            h("zork", "zork."),
            h("Zork", "Zork lead")
        ]
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Any text, in any seed language, in any block: no panic, spans inside the file.
    #[test]
    fn shipped_rules_never_panic(
        lang in "(en|ms|id|hr|fi)",
        body in "(\\PC|[ \\n(|)#*1.-]|SLA|Ću|will|is sent| je poslao){0,60}",
    ) {
        let src = format!("---\nlang: {lang}\n---\n## Procedure\n\n1. {body}\n\n{body}\n");
        for rule in shipped_packs().iter().flat_map(|p| &p.rules) {
            for (_, f) in lint(rule, &src) {
                proptest::prop_assert!(f.span.end <= src.len() && f.span.start <= f.span.end);
            }
        }
    }
}

#[test]
fn shipped_rules_never_panic_on_odd_text() {
    let bodies = [
        "## Procedure\r\n\r\n1. Ću 👍🏽 é\u{301} SLA(\r\n2. is\u{a0}sent ĆEMO (SLA\r\n",
        "| ÄÖ | (X) |\n|---|---|\n| 🦀SLA | in order to |\n",
        "Tulee olemaan oli tehnyt. SLA (Sla). ??? ... !!!\n# \u{200b}\n",
    ];
    for lang in ["en", "ms", "id", "hr", "fi"] {
        for body in bodies {
            let src = format!("---\nlang: {lang}\ntitle: \"ČSLA 🦀\"\n---\n{body}");
            for rule in shipped_packs().iter().flat_map(|p| &p.rules) {
                for (text, f) in lint(rule, &src) {
                    assert!(
                        !text.is_empty(),
                        "{}: empty span {:?}",
                        rule.meta.code,
                        f.span
                    );
                }
            }
        }
    }
}

/// The shipped packs compile their matchers on first use; here each is compiled as a user pack
/// would be, at load, so that a bad token fails the build's tests rather than a run.
#[test]
fn shipped_packs_compile() {
    let mut seen = Seen::builtin();
    for (path, yaml, _) in SHIPPED {
        if let Err(e) = parse_pack(path, yaml, &mut seen) {
            panic!("{path}: {e}");
        }
    }
    for rule in shipped_packs().iter().flat_map(|p| &p.rules) {
        if let Check::Existence { matcher, .. }
        | Check::Substitution { matcher, .. }
        | Check::Occurrence { matcher, .. } = &rule.spec.check
        {
            assert_eq!(matcher.compile(), Ok(()), "{}", rule.meta.code);
        }
    }
}

/// The binary reads the shipped packs from the JSON build.rs made of their YAML: the same
/// values, and every pack listed.
#[test]
fn shipped_json_is_the_yaml() {
    for (path, yaml, json) in SHIPPED {
        let from_yaml: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        let from_json: serde_yaml::Value = serde_json::from_str(json).unwrap();
        assert_eq!(from_yaml, from_json, "{path}");
    }
    let mut on_disk: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            let lang = p
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            format!("rules/{lang}/{}", p.file_name().unwrap().to_string_lossy())
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = SHIPPED.iter().map(|(p, _, _)| p.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn shipped_packs_load_and_their_examples_pass() {
    let mut failures = Vec::new();
    for pack in shipped_packs() {
        assert!(!pack.rules.is_empty(), "{} has no rules", pack.path);
        for rule in &pack.rules {
            let ex = rule.examples();
            assert!(
                !ex.bad.is_empty() && !ex.good.is_empty(),
                "{} lacks bad or good examples",
                rule.meta.code
            );
            for f in rule.test_examples() {
                failures.push(format!("{}: {f}", rule.meta.code));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn substitution_fix_keeps_capital_and_maps_to_source() {
    let rule = shipped("EN001");
    let src = "---\nlang: en\n---\n\nIn order to start, **utilize** the form.\n";
    let found = lint(rule, src);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "In order to");
    assert_eq!(found[0].1.message, "Use 'To' instead of 'In order to'.");
    let fix = found[0].1.fix.as_ref().expect("fix");
    assert_eq!(fix.edits[0].replacement, "To");
    assert_eq!(fix.edits[0].range, 18..29);
    assert_eq!(found[1].0, "utilize");
    assert_eq!(
        found[1].1.fix.as_ref().expect("fix").edits[0].replacement,
        "use"
    );
}

#[test]
fn words_match_whole_words_only() {
    let rule = shipped("EN002");
    let found = lint(
        rule,
        "---\nlang: en\n---\n\nStay awhile, furthermore or lessen, forsome time; then wait a while.\n",
    );
    let texts: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["wait a while"]);
    assert_eq!(found[0].1.span, 73..85);
}

#[test]
fn english_packs_skip_other_languages() {
    let src = "---\nlang: ms\n---\n\n## Prosedur\n\n1. Utilize the form. It is very quite good. Form is sent by SLA.\n";
    for pack in shipped_packs().iter().filter(|p| p.lang == "en") {
        for rule in &pack.rules {
            assert!(
                lint(rule, src).is_empty(),
                "{} fired on Malay",
                rule.meta.code
            );
        }
    }
}

#[test]
fn croatian_capitalised_tokens_match() {
    let rule = shipped("HR001");
    let found = lint(
        rule,
        "---\nlang: hr\n---\n\n## Postupak\n\n1. Ću poslati obrazac.\n2. Pošalji obrazac.\n",
    );
    let texts: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["Ću"]);
}

#[test]
fn the_instruction_is_the_first_sentence() {
    let end = |t: &str| t[..first_sentence_end(t)].to_string();
    assert_eq!(end("Select **OK**. A message opens."), "Select **OK**.");
    assert_eq!(
        end("Use a tool, e.g. the CLI. Then wait."),
        "Use a tool, e.g. the CLI."
    );
    assert_eq!(end("Install v1.2 now"), "Install v1.2 now");
    assert_eq!(end("Is it done? Yes."), "Is it done?");
}

#[test]
fn acronyms_defined_before_use_are_fine() {
    let rule = shipped("EN004");
    let src = "---\nlang: en\n---\n\nThe service level agreement (SLA) applies. Check the SLA and the KPI.\n\nThe KPI again. Contact CS-001, {{PHONE}} or the SOP owner.\n";
    let found = lint(rule, src);
    let texts: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["KPI"]);
    assert_eq!(found[0].1.span, 83..86);
}

#[test]
fn metric_and_occurrence_fire_above_max() {
    let pack = one(
        "pack: t\nlang: '*'\nrules:\n  - code: TT001\n    name: long-sentence\n    kind: metric\n    metric: words-per-sentence\n    max: 5\n    scope: paragraph\n  - code: TT002\n    name: many-ands\n    kind: occurrence\n    tokens: [and]\n    max: 1\n    message: \"'{match}' {count} times (max {max})\"\n",
    )
    .expect("valid");
    let src = "Short one. This sentence is far too long. Go and run and.\n";
    let long = lint(&pack.rules[0], src);
    let texts: Vec<&str> = long.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["This sentence is far too long."]);
    assert_eq!(long[0].1.message, "This sentence has 6 words, more than 5.");
    let ands = lint(&pack.rules[1], src);
    assert_eq!(ands.len(), 1);
    assert_eq!(ands[0].1.span, 53..56);
    assert_eq!(ands[0].1.message, "'and' 2 times (max 1)");
}

#[test]
fn unknown_keys_kinds_and_scopes_are_located_with_a_suggestion() {
    let cases = [
        ("pack: t\nlang: en\nrules:\n  - code: TT001\n    name: x\n    kind: existence\n    tokns: [a]\n", (7, 5), "did you mean `tokens`?"),
        ("pack: t\nlang: en\nrules:\n  - code: TT001\n    name: x\n    kind: existance\n    tokens: [a]\n", (6, 11), "did you mean `existence`?"),
        ("pack: t\nlang: en\nrules:\n  - code: TT001\n    name: x\n    kind: existence\n    scope: stepp\n    tokens: [a]\n", (7, 12), "did you mean `step`?"),
    ];
    for (yaml, loc, hint) in cases {
        let e = one(yaml).expect_err("invalid");
        assert_eq!(e.location(), Some(loc), "{e}");
        let help = e.help().map(|h| h.to_string()).unwrap_or_default();
        assert_eq!(help, hint, "{e}");
    }
}

#[test]
fn duplicate_codes_empty_tokens_and_bad_regex_are_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("p.yaml");
    std::fs::write(
        &file,
        "pack: t\nlang: en\nrules:\n  - code: EN001\n    name: again\n    kind: existence\n    tokens: [a]\n",
    )
    .expect("write");
    let e = load_packs(&[file], dir.path()).expect_err("duplicate");
    assert_eq!(e.location(), Some((4, 11)));
    assert!(
        e.to_string().contains("already used by rule `EN001`"),
        "{e}"
    );

    let e = one("pack: t\nlang: en\nrules:\n  - code: TT001\n    name: x\n    kind: existence\n    tokens: [a, '']\n")
        .expect_err("empty token");
    assert_eq!(e.location(), Some((7, 5)));
    let e = one("pack: t\nlang: en\nrules:\n  - code: TT001\n    name: x\n    kind: existence\n    regex: true\n    tokens: ['a(b']\n")
        .expect_err("bad regex");
    assert_eq!(e.location(), Some((8, 15)));
}
