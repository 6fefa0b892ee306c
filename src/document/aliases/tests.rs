use super::*;

#[test]
fn headings_match_through_aliases_in_all_languages() {
    let a = Aliases::default();
    assert_eq!(
        a.section("2. Procedure:").unwrap().0,
        SectionKind::Procedure
    );
    assert_eq!(a.section("ESKALASI").unwrap().0, SectionKind::Escalation);
    assert_eq!(
        a.section("Područje primjene").unwrap().0,
        SectionKind::Scope
    );
    assert_eq!(
        a.section("Muutoshistoria").unwrap().0,
        SectionKind::RevisionHistory
    );
    assert_eq!(
        a.section("Tahapan Kerja").unwrap().0,
        SectionKind::Procedure
    );
    assert!(a.section("Background").is_none());
}

#[test]
fn numbering_punctuation_and_ampersands_are_normalised() {
    for (heading, want) in [
        (
            "1.3 Communication & Escalation",
            "communication & escalation",
        ),
        ("Part 3 — Contain", "contain"),
        ("Part 4 — Eradicate & Recover", "eradicate & recover"),
        ("Step 2: Notify customers", "notify customers"),
        ("4. Notify customers", "notify customers"),
        ("IV. Scope", "scope"),
        ("A) Roles and responsibilities", "roles & responsibilities"),
        ("Support / escalation", "support escalation"),
        ("Procedure {#procedure}", "procedure"),
        ("§ 4 Revision history", "revision history"),
        ("On-call", "on-call"),
        ("2FA setup", "2fa setup"),
        ("Steps to check", "steps to check"),
        ("5", "5"),
    ] {
        assert_eq!(normalize_heading(heading), want, "{heading}");
    }
}

#[test]
fn real_headings_match_with_a_precedence() {
    let a = Aliases::default();
    let kind = |h: &str| a.section_match(h).map(|(k, _, m)| (k, m));
    use Match::*;
    use SectionKind::*;
    assert_eq!(kind("Escalation"), Some((Escalation, Exact)));
    assert_eq!(
        kind("1.3 Communication & Escalation"),
        Some((Escalation, Part))
    );
    assert_eq!(kind("Escalation Procedure"), Some((Escalation, Part)));
    assert_eq!(kind("Support / escalation"), Some((Escalation, Part)));
    assert_eq!(kind("Getting help"), Some((Escalation, Exact)));
    assert_eq!(kind("2.4 Getting Help from AWS"), Some((Escalation, Part)));
    assert_eq!(kind("Contacts"), Some((Escalation, Exact)));
    assert_eq!(kind("On call"), Some((Escalation, Exact)));
    assert_eq!(kind("Prerequisites"), Some((Prerequisites, Exact)));
    assert_eq!(kind("Pre-requisites:"), Some((Prerequisites, Exact)));
    assert_eq!(kind("Prasyarat"), Some((Prerequisites, Exact)));
    assert_eq!(kind("Preduvjeti"), Some((Prerequisites, Exact)));
    assert_eq!(kind("Steps"), Some((Procedure, Exact)));
    assert_eq!(kind("Steps to check"), Some((Procedure, Part)));
    assert_eq!(kind("Resolution"), Some((Procedure, Exact)));
    assert_eq!(kind("Rollback"), Some((Procedure, Exact)));
    assert_eq!(kind("Langkah pelaksanaan:"), Some((Procedure, Exact)));
    assert_eq!(kind("Revision History"), Some((RevisionHistory, Exact)));
    assert_eq!(kind("Katso myös  "), Some((References, Exact)));
    assert_eq!(
        kind("Appendix C — Reference Links"),
        Some((References, Normalised))
    );
    assert_eq!(
        kind("2. Roles & Responsibilities"),
        Some((Roles, Normalised))
    );
    // The longest alias wins, then the earliest: "roles and responsibilities" is one.
    assert_eq!(kind("Purpose and scope"), Some((Purpose, Part)));
    assert_eq!(kind("Scope and purpose"), Some((Scope, Part)));
    // Instructions that mention a section word are not that section.
    assert_eq!(kind("Contact the customer"), None);
    assert_eq!(kind("Step 2: Escalate to on-call"), None);
    assert_eq!(kind("Assign roles"), None);
    assert_eq!(kind("De-escalation criteria"), None);
    assert_eq!(kind("Requesting out-of-hours support"), None);
    assert_eq!(kind("Support for older versions"), None);
    assert_eq!(
        kind("Check whether the escalation policy in PagerDuty is still right"),
        None
    );
}

#[test]
fn no_alias_names_two_kinds() {
    let mut seen: HashMap<String, SectionKind> = HashMap::new();
    for (kind, lang, names) in SECTION_ALIASES {
        for name in *names {
            let n = normalize_heading(name);
            assert!(!n.is_empty(), "{lang}: {name}");
            if let Some(k) = seen.insert(n.clone(), *kind) {
                assert_eq!(k, *kind, "`{name}` ({lang}) names {k} and {kind}");
            }
        }
    }
}

#[test]
fn configured_aliases_win_part_matches() {
    let mut a = Aliases::default();
    a.extend(SectionKind::Definitions, ["Severity levels"]);
    assert_eq!(
        a.section_match("Severity levels").map(|m| (m.0, m.2)),
        Some((SectionKind::Definitions, Match::Exact))
    );
    a.extend(SectionKind::Procedure, ["Mitigation"]);
    assert_eq!(
        a.section("Mitigation and escalation").unwrap().0,
        SectionKind::Procedure
    );
}

#[test]
fn configured_aliases_extend_the_table() {
    let mut a = Aliases::default();
    a.extend(SectionKind::Procedure, ["Mitigation"]);
    assert_eq!(a.section("mitigation").unwrap().0, SectionKind::Procedure);
}

#[test]
fn columns() {
    assert_eq!(column("Within"), Some(Column::Time));
    assert_eq!(column("Dalam masa"), Some(Column::Time));
    assert_eq!(column("Kontakt"), Some(Column::Contact));
}
