use super::*;
use crate::document::{ChainForm, FoundBy, HeadingForm, SectionKind, Span, TitleSource};

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

fn doc_lang(src: &str, lang: &str) -> Document {
    let opts = ParseOptions {
        default_lang: Some(lang.to_string()),
        ..ParseOptions::default()
    };
    parse("t.md", src.to_string(), &opts)
}

#[test]
fn html_headings_anchors_and_kramdown_attributes() {
    let src = "# <a name=\"how-to-create-bins\"></a>Toimintaohje: Varastopaikkojen luominen\n\
               <h2 id=\"prep\" class=\"x\">Preparation &amp; setup</h2>\n\ntext\n\n\
               ## Procedure {#proc}\n1. Do it.\n\n### Checks {: .compact}\nmore\n";
    let d = doc(src);
    let t = d.title.as_ref().unwrap();
    assert_eq!(t.value, "Toimintaohje: Varastopaikkojen luominen");
    assert_eq!(d.title_source, Some(TitleSource::Heading));
    assert_eq!(d.sections[0].anchor.as_deref(), Some("how-to-create-bins"));
    let h2 = &d.sections[1];
    assert_eq!(
        (h2.heading.as_str(), h2.level, h2.form),
        ("Preparation & setup", 2, HeadingForm::Html)
    );
    assert_eq!(h2.anchor.as_deref(), Some("prep"));
    assert_eq!(h2.span.line, 2);
    let proc = &d.sections[2];
    assert_eq!(proc.heading, "Procedure");
    assert_eq!(proc.kind, Some(SectionKind::Procedure));
    assert_eq!(proc.anchor.as_deref(), Some("proc"));
    assert_eq!(d.sections[3].heading, "Checks");
    assert_eq!(d.sections[3].anchor, None);
    assert_eq!(d.steps.len(), 1);
    // Body ranges still run to the next heading of the same or a higher level.
    assert!(h2.has_content);
}

#[test]
fn template_and_front_matter_titles() {
    let d = doc("---\ntitle: Recreate the account\n---\n# <%= current_page.data.title %>\n## Steps\n1. Create it.\n");
    assert_eq!(d.title_source, Some(TitleSource::Template));
    let t = d.title.unwrap();
    assert_eq!(t.value, "Recreate the account");
    assert_eq!(
        t.span.line, 4,
        "the template heading is where the title is shown"
    );
    let d = doc("---\ntitle: Liquid\n---\n# {{ page.title }}\n");
    assert_eq!(d.title_source, Some(TitleSource::Template));
    let d = doc("---\ntitle: \"Ebola virus sequencing\"\n---\n## Preparation\nx\n");
    assert_eq!(d.title_source, Some(TitleSource::FrontMatter));
    let t = d.title.unwrap();
    assert_eq!(t.value, "Ebola virus sequencing");
    assert_eq!(t.span.line, 2);
    let d = doc("## Only a section\n");
    assert!(d.title.is_none() && d.title_source.is_none());
    // A raw HTML h1 holding a template expression.
    let d = doc("---\ntitle: Events\n---\n<h1 class=\"govuk-heading-l\">\n  <%= data.analytics.name %>\n</h1>\n");
    assert_eq!(d.title_source, Some(TitleSource::Template));
    assert_eq!(d.title.unwrap().value, "Events");
    assert!(
        d.blocks.iter().all(|b| !b.text.as_str().contains("<%")),
        "template text is not prose"
    );
}

#[test]
fn bold_pseudo_headings_name_sections() {
    let src = "# T\n## Overview\nSome text.\n\n**Procedure:**\n\n1. Open the form.\n2. Send it.\n\n**Note** this is prose.\n";
    let d = doc(src);
    let s = d
        .sections
        .iter()
        .find(|s| s.form == HeadingForm::Bold)
        .unwrap();
    assert_eq!((s.heading.as_str(), s.level), ("Procedure", 3));
    assert_eq!(s.kind, Some(SectionKind::Procedure));
    assert_eq!(d.steps.len(), 2);
    assert_eq!(d.step_lists[0].found_by, FoundBy::Section);
    // Bold text that names no section stays a paragraph.
    assert_eq!(d.sections.len(), 3);
}

#[test]
fn step_headings_are_steps_with_their_lists_as_sub_steps() {
    let src = "# Rotate\n## Step 1: Disable auto-sync\n1. Open the app.\n2. Turn sync off.\n## Step 2: Edit the deployment\nEdit it.\n## Step 3 - Verify rollout\n";
    let d = doc(src);
    let nums: Vec<_> = d.steps.iter().map(|s| s.number.clone().unwrap()).collect();
    assert_eq!(nums, ["1", "2", "3"]);
    assert!(d.steps[0].heading);
    assert_eq!(d.steps[0].text, "Disable auto-sync");
    assert_eq!(
        &d.source[d.steps[0].plain.source_range()],
        "Disable auto-sync"
    );
    assert_eq!(d.steps[0].children.len(), 2);
    assert_eq!(d.steps[0].children[0].depth, 2);
    assert_eq!(d.steps[2].text, "Verify rollout");
    let kinds: Vec<_> = d.step_lists.iter().map(|l| l.found_by).collect();
    assert_eq!(kinds, [FoundBy::StepHeading, FoundBy::StepHeading]);
    // Numbering that starts again is a second run of step headings.
    let d = doc("# T\n## Step 1\nx\n## Step 2\ny\n## Step 1: Roll back\nz\n");
    assert_eq!(d.steps.len(), 3);
    assert_eq!(d.steps[0].list, d.steps[1].list);
    assert_ne!(d.steps[1].list, d.steps[2].list);
}

#[test]
fn numbered_headings_in_sequence() {
    let src = "# Recreate\n## 1. Account Creation\nx\n## 2. Deploy Core Resources\ny\n## 3. Verify Resources\n1. Check the plan.\n## 4. Notify customers\nz\n";
    let d = doc(src);
    assert_eq!(d.steps.len(), 4);
    assert_eq!(d.steps[3].text, "Notify customers");
    assert_eq!(d.steps[2].children[0].text, "Check the plan.");
    assert!(
        d.step_lists[0].reason.contains("in sequence"),
        "{:?}",
        d.step_lists
    );
    // Numbered sections that are not instructions, and options of a decision record.
    let src = "# Runbook\n## 1. Identifying Lambda Functions\nx\n## 2. Secrets Management\ny\n## 3. Troubleshooting\n";
    assert!(doc(src).steps.is_empty());
    let src = "# 27. Use CI access\n## Options\n### 1. Run the tools by hand\nx\n### 2. Run them from the pipeline\ny\n";
    assert!(doc(src).steps.is_empty());
    let src = "# T\n## 1. Purpose\nx\n## 2. Scope\ny\n";
    assert!(doc(src).steps.is_empty());
    // Half is not enough for bare numbers, and principles are not steps.
    let src = "# T\n## Key Principles\n### 1. When in doubt, assume it\nx\n### 2. The clock starts early\ny\n";
    assert!(doc(src).steps.is_empty());
}

#[test]
fn phase_headings_make_their_lists_steps() {
    let src = "# Playbook\n## Part 1 — Prepare\n### For any incident\n1. Confirm a ticket was raised.\n1. Open a war room.\n## Part 2 — Detect & Analyze\n1. Identify the resources.\n";
    let d = doc(src);
    assert_eq!(d.steps.len(), 3);
    assert!(d.steps.iter().all(|s| !s.heading));
    assert_eq!(d.step_lists[0].found_by, FoundBy::PhaseHeading);
    assert!(d.step_lists[0].reason.contains("Part 1 — Prepare"));
}

#[test]
fn ordered_lists_outside_a_procedure_section() {
    // Content: most items are instructions.
    // (A heading the alias table does not name: the cue words are the parser's own.)
    let src = "# Disk full\n## How to free the disk\n\n1. Log in to the server.\n2. Delete the old logs.\n3. The disk frees up.\n";
    let d = doc(src);
    assert_eq!(d.steps.len(), 3);
    assert_eq!(d.step_lists[0].found_by, FoundBy::Cue);
    let src =
        "# Disk full\n## What happened\n\n1. Log in to the server.\n2. Delete the old logs.\n";
    let d = doc(src);
    assert_eq!(d.step_lists[0].found_by, FoundBy::Content);
    assert_eq!(d.step_lists[0].section.as_deref(), Some("What happened"));
    assert!(d.step_lists[0].reason.starts_with("2 of 2 items"));
    // Cue in the sentence before the list.
    let src = "# T\nTo set up the tunnel:\n\n1. Open a shell.\n2. The tunnel is listed.\n3. It stays up.\n";
    assert_eq!(doc(src).step_lists[0].found_by, FoundBy::Cue);
    // Facts, links, references and options are not steps.
    for src in [
        "# T\n## Precedence\n1. Quote\n2. Opportunity\n3. Customer\n",
        "# T\n## Causes\n1. Restart loops.\n2. Check the disk.\n",
        "# T\nThe workflow:\n\n1. Decrypts the secret\n2. Reads the account ids\n",
        "# T\n## Contents\n1. [Set environment variables](#set-environment-variables)\n2. [Check out a branch](#check-out-a-branch)\n",
        "# T\n## Further reading\n1. Quick J, et al. Nature Protocols 2017. doi:10.1038/nprot.2017.066\n",
        "# T\n1. ✅ [Record decisions](0001.md)\n2. ❌ [Use federated access](0002.md)\n",
        "# T\n## Part 5 — Post-incident\n1. How was the incident detected?\n2. Were the right people notified?\n3. Update the runbook.\n",
    ] {
        let d = doc(src);
        assert!(d.steps.is_empty(), "{src}: {:?}", d.step_lists);
    }
    // Bullet lists outside procedure sections are not steps.
    assert!(
        doc("# T\n## Notes\n- Restart the pod.\n- Check the logs.\n")
            .steps
            .is_empty()
    );
}

#[test]
fn instructions_in_the_seed_languages() {
    let fi = "# Toimintaohje\n## Varastopaikan luonti\n1. Valitse **Uusi**-toiminto.\n2. Täytä tarvittavat kentät.\n";
    assert_eq!(doc_lang(fi, "fi").steps.len(), 2);
    let id = "# T\n## Impor\n1. Pastikan baris kuotasi memiliki informasi proyek.\n2. Di tab **detail**, pilih **Impor dari Estimasi Proyek**.\n";
    assert_eq!(doc_lang(id, "id").steps.len(), 2);
    let hr =
        "# T\n## Uvoz\n1. Na kartici **Pojedinosti** odaberite **Uvoz**.\n2. Spremite promjene.\n";
    assert_eq!(doc_lang(hr, "hr").steps.len(), 2);
    let hr_facts = "# T\n## Redoslijed\n1. Ponuda\n2. Prilika\n3. Klijent\n";
    assert!(doc_lang(hr_facts, "hr").steps.is_empty());
}

#[test]
fn a_list_that_goes_on_after_a_note_is_one_list() {
    let src = "# T\n## Procedure\n1. Mix.\n2. Add the RNA.\n\n> **NOTE:** Work in the hood.\n\n3. Incubate.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n4. Add the mix.\n\n```\ncode\n```\n\n5. Heat.\n\n![plate](p.png)\n\n6. Store on ice.\n";
    let d = doc(src);
    let lists: Vec<_> = d.steps.iter().map(|s| s.list).collect();
    assert_eq!(lists, [lists[0]; 6]);
    assert_eq!(d.step_lists.len(), 1);
    // A list that starts again at 1 after a note is a new list.
    let d = doc("# T\n## Procedure\n1. A.\n2. B.\n\n> note\n\n1. C.\n");
    assert_ne!(d.steps[0].list, d.steps[2].list);
    // A heading between the parts ends the list.
    let d = doc("# T\n## Procedure\n1. A.\n### Then\n2. B.\n");
    assert_ne!(d.steps[0].list, d.steps[1].list);
}

#[test]
fn field_lines_are_attributes_of_the_step() {
    let src = "# T\n## Procedure\n1. Restart the service.\n   Responsible: shift lead\n   Tools: kubectl\n2. Check the logs.\n   - Durasi: 5 menit\n   - Look for errors in the output.\n   - Supervisor: approve the restart.\n";
    let d = doc(src);
    assert_eq!(d.steps.len(), 2);
    let s = &d.steps[0];
    assert_eq!(s.text, "Restart the service.");
    let labels: Vec<_> = s
        .fields
        .iter()
        .map(|f| (f.label.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(
        labels,
        [("Responsible", "shift lead"), ("Tools", "kubectl")]
    );
    assert_eq!(
        &d.source[s.fields[0].span.range()],
        "Responsible: shift lead"
    );
    let s = &d.steps[1];
    assert_eq!(s.fields.len(), 1);
    assert_eq!(s.fields[0].label, "Durasi");
    assert_eq!(s.children.len(), 2, "instructions stay sub-steps");
}

#[test]
fn export_json_names_where_steps_were_found() {
    let d = doc("# T\n## Database\n1. Restart the pod.\n");
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["step_lists"][0]["found_by"], "content");
    assert_eq!(json["step_lists"][0]["section"], "Database");
    assert_eq!(json["title_source"], "heading");
    assert_eq!(json["sections"][0]["form"], "markdown");
    assert!(json["steps"][0]["fields"].as_array().unwrap().is_empty());
}

proptest::proptest! {
    /// The one-pass template test equals the three searches it replaced.
    #[test]
    fn is_template_equals_three_searches(text in "([a-z <>%{}]|é|🙂){0,30}") {
        let slow = text.contains("<%") || text.contains("{{") || text.contains("{%");
        proptest::prop_assert_eq!(is_template(&text), slow);
    }

    /// `memmem::find` equals `str::find` for the code spans' text.
    #[test]
    fn memmem_find_equals_str_find(raw in "([`a-z ]|é|🙂){0,20}", code in "([`a-z ]|é|🙂){0,4}") {
        proptest::prop_assert_eq!(
            memchr::memmem::find(raw.as_bytes(), code.as_bytes()),
            raw.find(code.as_str())
        );
    }
}
