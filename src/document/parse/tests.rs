use super::*;

const DESIGN_EXAMPLE: &str = "---
id: CS-001
title: Handle a customer complaint
version: 1.2.0
status: approved
owner: Customer Service Lead
approvers: [Head of Operations]
effective: 2026-01-15
review_by: 2027-01-15
---
# Handle a customer complaint
## Purpose
Resolve complaints fairly.
## Scope
All branches.
## Roles
- **Service agent**: first contact for the customer.
- **Shift supervisor**: approves refunds up to 200 EUR.
## Procedure
1. Greet the customer and give your name.
2. Listen to the complaint without interrupting.
   1. Repeat the main point back to the customer.
3. Log the complaint in the ticket system. See [refunds](refund.md#steps).
## Escalation
| Level | Role | When | Within | Contact |
|---|---|---|---|---|
| 1 | Service agent | The customer is not satisfied after step 3 | 15 min | #cs-floor |
| 2 | Shift supervisor | A refund above 200 EUR is requested | 1 h | supervisor@example.com |
## References
<!-- sopkit-disable-next-line P001 -->
## Revision history
| Version | Date | Author | Change |
|---|---|---|---|
| 1.2.0 | 2026-01-10 | A. Writer | Added refund threshold |
";

fn doc(src: &str) -> Document {
    parse("t.md", src.to_string(), &ParseOptions::default())
}

fn at(d: &Document, span: Span) -> &str {
    &d.source[span.range()]
}

#[test]
fn sections_are_recognised_with_their_spans() {
    let d = doc(DESIGN_EXAMPLE);
    let kinds: Vec<_> = d.sections.iter().filter_map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SectionKind::Purpose,
            SectionKind::Scope,
            SectionKind::Roles,
            SectionKind::Procedure,
            SectionKind::Escalation,
            SectionKind::References,
            SectionKind::RevisionHistory
        ]
    );
    let proc = d.sections_of(SectionKind::Procedure).next().unwrap();
    assert_eq!((proc.span.line, proc.span.column), (19, 1));
    assert!(proc.has_content);
    let refs = d.sections_of(SectionKind::References).next().unwrap();
    assert!(!refs.has_content, "a comment is not content");
    assert_eq!(
        d.title.as_ref().unwrap().value,
        "Handle a customer complaint"
    );
    assert_eq!(d.lang, "en");
}

#[test]
fn step_tree_keeps_numbers_and_text() {
    let d = doc(DESIGN_EXAMPLE);
    assert_eq!(d.steps.len(), 3);
    assert_eq!(d.steps[1].number.as_deref(), Some("2"));
    assert_eq!(
        d.steps[1].text,
        "Listen to the complaint without interrupting."
    );
    assert_eq!(d.steps[1].children.len(), 1);
    let child = &d.steps[1].children[0];
    assert_eq!(child.depth, 2);
    assert_eq!(child.text, "Repeat the main point back to the customer.");
    assert_eq!((child.span.line, child.span.column), (22, 4));
    // Text offsets map back to the source.
    let r = child.plain.to_source(11..15);
    assert_eq!(&d.source[r], "main");
}

#[test]
fn roles_escalation_revisions_links_comments() {
    let d = doc(DESIGN_EXAMPLE);
    let names: Vec<_> = d.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Service agent", "Shift supervisor"]);
    assert_eq!(at(&d, d.roles[0].span), "Service agent");
    assert_eq!(d.roles[1].description, "approves refunds up to 200 EUR.");

    let chain = d.escalation.as_ref().unwrap();
    assert_eq!(chain.form, ChainForm::Table);
    assert_eq!(chain.levels.len(), 2);
    let l2 = &chain.levels[1];
    assert_eq!(l2.role.as_ref().unwrap().value, "Shift supervisor");
    assert_eq!(l2.within.as_ref().unwrap().minutes, Some(60));
    assert_eq!(
        at(&d, l2.contact.as_ref().unwrap().span),
        "supervisor@example.com"
    );
    assert_eq!(l2.span.line, 28);

    assert_eq!(d.revisions.len(), 1);
    assert_eq!(d.revisions[0].version, "1.2.0");
    assert_eq!(d.revisions[0].author, "A. Writer");

    assert_eq!(d.links.len(), 1);
    assert_eq!(d.links[0].target, "refund.md#steps");
    assert_eq!(d.links[0].text, "refunds");
    assert_eq!(d.comments.len(), 1);
    assert_eq!(d.comments[0].value, "sopkit-disable-next-line P001");
    assert_eq!(d.comments[0].span.line, 30);
}

#[test]
fn escalation_as_an_ordered_list() {
    let src = "# T\n## Escalation\n1. **Agent** handles it first: #cs-floor\n2. **Supervisor**, when the customer asks for a refund, within 30 min: sup@example.com\n";
    let d = doc(src);
    let chain = d.escalation.unwrap();
    assert_eq!(chain.form, ChainForm::List);
    assert_eq!(chain.levels.len(), 2);
    let l = &chain.levels[1];
    assert_eq!(l.role.as_ref().unwrap().value, "Supervisor");
    assert_eq!(
        l.trigger.as_ref().unwrap().value,
        "when the customer asks for a refund"
    );
    assert_eq!(l.within.as_ref().unwrap().minutes, Some(30));
    assert_eq!(l.contact.as_ref().unwrap().value, "sup@example.com");
    assert_eq!(chain.levels[0].contact.as_ref().unwrap().value, "#cs-floor");
}

#[test]
fn seed_language_headings_set_the_language() {
    let src = "# Aduan\n## Tujuan\nx\n## Prosedur\n1. Sambut pelanggan.\n## Eskalasi\n";
    let d = doc(src);
    assert_eq!(d.steps.len(), 1);
    assert_eq!(d.lang, "ms");
    let src = "# Valitus\n## Tarkoitus\nx\n## Menettely\n1. Tervehdi asiakasta.\n";
    assert_eq!(doc(src).lang, "fi");
}

#[test]
fn front_matter_lang_wins() {
    let d = doc("---\nlang: hr\n---\n# Naslov\n## Procedure\n1. Do it.\n");
    assert_eq!(d.lang, "hr");
}

#[test]
fn loose_lists_and_wrapped_steps() {
    let src = "# T\n## Steps\n\n1. Check the pod\n   status and logs.\n\n   More detail here.\n\n3) Restart it.\n";
    let d = doc(src);
    assert_eq!(d.steps.len(), 2);
    assert_ne!(d.steps[0].list, d.steps[1].list, "a `)` list is a new list");
    assert_eq!(d.steps[0].text, "Check the pod status and logs.");
    let src = "# T\n## Steps\n\n1. Check the pod.\n\n3. Restart it.\n";
    let d = doc(src);
    let nums: Vec<_> = d.steps.iter().map(|s| s.number.clone().unwrap()).collect();
    assert_eq!(nums, ["1", "3"]);
}

#[test]
fn subsections_stay_in_their_section() {
    let src = "# T\n## Procedure\n### Phase 1\n1. Do a.\n### Phase 2\n1. Do b.\n## Escalation\n";
    let d = doc(src);
    assert_eq!(d.steps.len(), 2);
    assert_ne!(d.steps[0].list, d.steps[1].list);
    let proc = d.sections_of(SectionKind::Procedure).next().unwrap();
    assert!(proc.has_content);
    assert!(proc.body.end <= src.find("## Escalation").unwrap());
}

#[test]
fn deep_nesting_is_folded_not_recursed() {
    let mut src = String::from("# T\n## Procedure\n");
    for i in 0..60 {
        src.push_str(&" ".repeat(i * 3));
        src.push_str("1. Do it.\n");
    }
    let d = doc(&src);
    let max = d.all_steps().iter().map(|s| s.depth).max().unwrap();
    assert!(max <= MAX_TREE_DEPTH + 1);
    assert!(serde_json::to_string(&d).is_ok());
}

#[test]
fn crlf_and_bom() {
    let src = "\u{feff}---\r\nid: A\r\n---\r\n# Title\r\n## Procedure\r\n1. Do it.\r\n";
    let d = doc(src);
    assert_eq!(d.title.as_ref().unwrap().value, "Title");
    assert_eq!(d.steps[0].text, "Do it.");
    assert_eq!(d.steps[0].span.line, 6);
}

#[test]
fn bold_names_of_tight_list_items_are_roles() {
    // Regression: bold at the start of a tight item (no paragraph) was not captured, so the
    // role ran on to the first comma ("Service agent when the customer is angry").
    let src = "# T\n## Roles\n- **Service agent** takes the first call.\n## Escalation\n1. **Service agent** when the customer is angry, within 15 min: #cs-floor\n2. **Shift supervisor** if a refund is asked for, within 1 h: sup@example.com\n";
    let d = doc(src);
    assert_eq!(d.roles[0].name, "Service agent");
    assert_eq!(&src[d.roles[0].span.range()], "Service agent");
    let levels = &d.escalation.unwrap().levels;
    let role = levels[0].role.as_ref().unwrap();
    assert_eq!(role.value, "Service agent");
    assert_eq!(&src[role.span.range()], "Service agent");
    assert_eq!(levels[1].role.as_ref().unwrap().value, "Shift supervisor");
    assert_eq!(
        levels[1].trigger.as_ref().unwrap().value,
        "if a refund is asked for"
    );
}
