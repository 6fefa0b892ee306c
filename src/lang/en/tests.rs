use unicode_segmentation::UnicodeSegmentation;

use super::tokens::AsciiWordBounds;
use super::*;

/// Asserts the kind and the exact text of the span.
fn assert_mood(text: &str, kind: MoodKind, span_text: &str) {
    let p = step_mood(text).unwrap_or_else(|| panic!("expected {kind:?} for {text:?}"));
    assert_eq!(p.kind, kind, "kind for {text:?}");
    assert_eq!(&text[p.span.clone()], span_text, "span for {text:?}");
    assert!(!p.message.is_empty() && !p.help.is_empty());
}

fn assert_ok(text: &str) {
    assert_eq!(step_mood(text), None, "expected no problem for {text:?}");
}

#[test]
fn mood_precision_recall() {
    meets_the_bar(include_str!("../../../tests/data/step_mood.tsv"), "tuning");
}

#[test]
fn ascii_word_bounds_match_unicode_segmentation() {
    let samples = [
        "Log the call; close the ticket.",
        "Don't re-run e.g. the job at 3.5 h, 1,000 EUR; 1;2 a:b a.b. x_y _z 9.a a.9",
        "  two  spaces\r\nand\ttabs -- 'quoted' \"double\" (paren) [x](y.md#z)",
        "`kubectl get pods -n payments` && echo $? > /dev/null || true",
        "a'b 1'2 a' 'a 1. .1 a: :a ,1 1, __ a__b",
        "",
    ];
    for text in samples {
        let fast: Vec<_> = AsciiWordBounds { text, pos: 0 }.collect();
        let slow: Vec<_> = text.split_word_bound_indices().collect();
        assert_eq!(fast, slow, "{text:?}");
    }
}

proptest::proptest! {
    #[test]
    fn ascii_word_bounds_match_unicode_segmentation_on_any_ascii(
        text in "[a-c0-2_:;.,' \t\r\n()#-]{0,40}"
    ) {
        let fast: Vec<_> = AsciiWordBounds { text: &text, pos: 0 }.collect();
        let slow: Vec<_> = text.split_word_bound_indices().collect();
        proptest::prop_assert_eq!(fast, slow);
    }
}

/// A set written by someone who never saw this code: the honest measure.
#[test]
fn mood_precision_recall_held_out() {
    meets_the_bar(
        include_str!("../../../tests/data/step_mood_holdout.tsv"),
        "held-out",
    );
}

/// A second independent set, other domains and writing styles.
#[test]
fn mood_precision_recall_second_held_out() {
    meets_the_bar(
        include_str!("../../../tests/data/step_mood_holdout2.tsv"),
        "held-out 2",
    );
}

/// A third set, written blind after the fixes that sets 1 and 2 prompted: the current
/// honest measure.
#[test]
fn mood_precision_recall_third_held_out() {
    meets_the_bar(
        include_str!("../../../tests/data/step_mood_holdout3.tsv"),
        "held-out 3",
    );
}

/// The bar of issue 2: precision at least 0.95 and recall at least 0.90.
fn meets_the_bar(data: &str, name: &str) {
    let (precision, recall) = evaluate(data, name);
    assert!(precision >= 0.95, "{name}: precision {precision:.3}");
    assert!(recall >= 0.90, "{name}: recall {recall:.3}");
}

/// Precision and recall of `step_mood` for the `bad` class of a `label<TAB>sentence` set.
fn evaluate(data: &str, name: &str) -> (f64, f64) {
    let (mut tp, mut fp, mut fn_, mut tn) = (0u32, 0u32, 0u32, 0u32);
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let (label, sentence) = line.split_once('\t').expect("label<TAB>sentence");
        let flagged = step_mood(sentence).is_some();
        match (label, flagged) {
            ("bad", true) => tp += 1,
            ("bad", false) => {
                fn_ += 1;
                println!("FN: {sentence}");
            }
            ("ok", true) => {
                fp += 1;
                println!("FP: {sentence} -> {:?}", step_mood(sentence));
            }
            ("ok", false) => tn += 1,
            _ => panic!("bad label in {line:?}"),
        }
    }
    let precision = f64::from(tp) / f64::from((tp + fp).max(1));
    let recall = f64::from(tp) / f64::from((tp + fn_).max(1));
    println!(
        "{name}: TP={tp} FP={fp} FN={fn_} TN={tn} precision={precision:.3} recall={recall:.3}"
    );
    assert!(tp + fp + fn_ + tn >= 240);
    (precision, recall)
}

#[test]
fn role_labels_with_a_colon_or_a_dash() {
    assert_mood(
        "Ramp agent: will confirm the bag count.",
        MoodKind::Future,
        "will confirm",
    );
    assert_mood(
        "Pharmacist – checks every dosette box.",
        MoodKind::ThirdPerson,
        "checks",
    );
    assert_ok("Pharmacist – check every dosette box.");
    assert_ok("Wait 10 minutes – then restart the service.");
}

#[test]
fn future() {
    assert_mood(
        "The agent will send the form.",
        MoodKind::Future,
        "will send",
    );
    assert_mood(
        "We shall review all escalations.",
        MoodKind::Future,
        "shall review",
    );
    assert_mood(
        "The ticket will be closed after 7 days.",
        MoodKind::Future,
        "will be closed",
    );
    assert_mood(
        "The customer is going to receive a label.",
        MoodKind::Future,
        "is going to receive",
    );
    assert_mood(
        "Ops are going to scale the workers.",
        MoodKind::Future,
        "are going to scale",
    );
    assert_mood(
        "Monitoring will alert the on-call engineer.",
        MoodKind::Future,
        "will alert",
    );
}

#[test]
fn past() {
    assert_mood("Checked the logs.", MoodKind::Past, "Checked");
    assert_mood("The ticket was logged.", MoodKind::Past, "was logged");
    assert_mood("The refund has been sent.", MoodKind::Past, "has been sent");
    assert_mood(
        "The agent has already checked the order.",
        MoodKind::Past,
        "has already checked",
    );
    assert_mood("Sent the remittance advice.", MoodKind::Past, "Sent");
    assert_mood(
        "The customer received an email.",
        MoodKind::Past,
        "received",
    );
}

#[test]
fn gerund() {
    assert_mood(
        "Checking the form for errors.",
        MoodKind::Gerund,
        "Checking",
    );
    assert_mood(
        "Sending the confirmation email.",
        MoodKind::Gerund,
        "Sending",
    );
    assert_mood(
        "Aliquoting the serum into tubes.",
        MoodKind::Gerund,
        "Aliquoting",
    );
}

#[test]
fn third_person() {
    assert_mood(
        "The agent sends the form.",
        MoodKind::ThirdPerson,
        "The agent sends",
    );
    assert_mood(
        "Escalates to the supervisor.",
        MoodKind::ThirdPerson,
        "Escalates",
    );
    assert_mood("Agent logs the call.", MoodKind::ThirdPerson, "Agent logs");
    assert_mood(
        "Customer service verifies the identity.",
        MoodKind::ThirdPerson,
        "Customer service verifies",
    );
    assert_mood("Logs the call in the CRM.", MoodKind::ThirdPerson, "Logs");
    assert_mood(
        "Calls are logged in the CRM.",
        MoodKind::ThirdPerson,
        "Calls are logged",
    );
    assert_mood(
        "Employees submit expense reports.",
        MoodKind::ThirdPerson,
        "Employees submit",
    );
    assert_mood(
        "If the customer is angry, the agent apologises.",
        MoodKind::ThirdPerson,
        "the agent apologises",
    );
}

#[test]
fn modal() {
    assert_mood(
        "The agent should call the customer.",
        MoodKind::Modal,
        "should call",
    );
    assert_mood(
        "Staff must record every complaint.",
        MoodKind::Modal,
        "must record",
    );
    assert_mood(
        "The agent needs to confirm the address.",
        MoodKind::Modal,
        "needs to confirm",
    );
    assert_mood(
        "Agents should not share details.",
        MoodKind::Modal,
        "should not share",
    );
    // Addressing the reader directly is tolerated.
    assert_ok("You must verify the caller first.");
}

#[test]
fn allowed_patterns() {
    for ok in [
        "Send the form.",
        "Log the call.",
        "Do not share the password.",
        "Don't transfer the call.",
        "Don’t transfer the call.",
        "Never share the customer's password.",
        "If the customer is angry, apologise.",
        "When the call ends, log it.",
        "After 15 minutes, call the supervisor.",
        "For refunds above 200 EUR, ask the supervisor.",
        "For purchases above 1,000 EUR, obtain two quotes.",
        "Ensure that the customer has received the email.",
        "Check that the ticket was closed.",
        "Verify that the refund will be processed.",
        "Confirm the customer has paid.",
        "Send the form that was signed.",
        "Attach the signed form.",
        "Use the approved template.",
        "Apologise for the delay.",
        "Apologize for the delay.",
        "Carefully remove the lid.",
        "Immediately call the supervisor.",
        "Only then, open the valve.",
        "Please read the disclaimer.",
        "Supervisor: approve the refund.",
        "Team lead: review the escalations.",
        "Using the approved template, write the apology.",
        "Re-run the failed job.",
        "Back up the configuration.",
        "Aliquot the serum into tubes.",
        "In the notes field, summarise what was agreed.",
        "1. Restart the service.",
        "",
    ] {
        assert_ok(ok);
    }
}

#[test]
fn multiple_actions_positive() {
    let cases = [
        ("Log the call and then close the ticket.", "and then close"),
        ("Log the call; close the ticket.", "; close"),
        ("Open the form, fill in the name and send it.", ", fill"),
        ("Restart the service and check the logs.", "and check"),
        (
            "Check the name and address the letter to the manager.",
            "and address",
        ),
        ("Log the call, then close the ticket.", ", then close"),
    ];
    for (text, joiner) in cases {
        let r = multiple_actions(text).unwrap_or_else(|| panic!("expected a hit in {text:?}"));
        assert_eq!(&text[r], joiner, "{text:?}");
    }
}

#[test]
fn multiple_actions_negative() {
    for text in [
        "Check the name and address.",
        "Check the name and address on the delivery note.",
        "Verify the name, date of birth and address.",
        "Call and/or email the customer.",
        "If the customer is angry and refuses to wait, call the supervisor.",
        "Call the supervisor if the customer is angry and refuses to wait.",
        "Use the tool to open and edit the file.",
        "Send the form.",
        "The agent logs the call and closes the ticket.",
        "",
    ] {
        assert_eq!(multiple_actions(text), None, "{text:?}");
    }
}

#[test]
fn looks_english_detects_language() {
    for en in [
        "Verify the customer's identity before sharing any details.",
        "If the customer is angry, apologise and listen.",
        "Log the call in the CRM and close the ticket.",
        "Check that the backups completed successfully.",
    ] {
        assert!(looks_english(en), "{en:?}");
    }
    for other in [
        "Sahkan identiti pelanggan sebelum memberi maklumat.",
        "Catat keluhan pelanggan di sistem.",
        "Periksa identitas pelanggan sebelum memberikan informasi.",
        "Provjerite identitet korisnika.",
        "Zabilježite poziv u sustav prije zatvaranja.",
        "Tarkista asiakkaan henkilöllisyys.",
        "Kirjaa puhelu järjestelmään ja sulje tiketti.",
        "",
        "🙂🙂",
    ] {
        assert!(!looks_english(other), "{other:?}");
    }
}

#[test]
fn never_panics_on_odd_input() {
    let long = "ć🙂 and, then; ".repeat(10_000);
    let long_words = "Send the form and then close it, ".repeat(3_500);
    for text in [
        "",
        "   ",
        "🙂🙂",
        "ć",
        ":",
        ", , ;",
        "The",
        "will",
        "Do not",
        "and then",
        "Supervisor:",
        "If the customer is angry,",
        "a".repeat(100_000).as_str(),
        long.as_str(),
        long_words.as_str(),
    ] {
        if let Some(p) = step_mood(text) {
            assert!(text.get(p.span.clone()).is_some());
        }
        if let Some(r) = multiple_actions(text) {
            assert!(text.get(r).is_some());
        }
        let _ = looks_english(text);
        let _ = crate::document::word_count(text);
    }
}
