use std::ops::Range;

use crate::document::{lang_matches, Document, Step};
use crate::lang::steps::StepProblem;
use crate::lang::{en, fi, hr, malay};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

use super::step_source;

declare_rule! {
    /// ## What it does
    /// Checks that every step of an English procedure is an instruction in the imperative
    /// present tense. It flags steps written in the future ("The agent will send…"), the past
    /// ("Checked the logs", "The ticket was logged"), as a gerund ("Checking the form") or as a
    /// third-person description ("The agent sends…", "Escalates to…"), and descriptions of an
    /// obligation ("The agent should call…"). Negative imperatives ("Do not…"), conditions
    /// before the verb ("If the customer is angry, apologise.") and "Ensure that…" are fine.
    ///
    /// Questions ("Is the service still down?") are decision points, not steps, and a
    /// description-list item whose term is in bold or code ("**Owner**: the platform team")
    /// defines a term. A list of three or more items without a single instruction describes
    /// something (a flow, a checklist of facts) and is not read as a procedure. A passive
    /// obligation ("The old keys should be removed") is reported as an obligation.
    ///
    /// Only numbered steps are judged: bullet items, step headings, checklist items
    /// (`[ ]`), items that open with a link or a command, and steps that instruct in another
    /// sentence are not. Neither are a participle that qualifies a noun ("Written approval
    /// from…"), a passive or a state that says what a system does ("The repository will be
    /// generated", "A gateway is created"), an expected result ("You will see…"), a note on
    /// a consequence ("This will stop…") or an aside in parentheses.
    ///
    /// Malay, Indonesian, Croatian and Finnish steps get a judge of their own, which reports,
    /// quoting the words: a role as subject with a finite verb ("Petugas loket memeriksa
    /// berkas", "Službenik provjerava spis", "Opettaja merkitsee poissaolot"); a
    /// nominalisation with no verb ("Pengesahan identiti …", "Provjera dokumentacije …",
    /// "Kassan täsmäytys …"); the past and the perfect not marked by an aspect word (Malay and
    /// Indonesian "semalam", "kemarin", "tadi"; Croatian "je/su" with a passive participle,
    /// "Soba je očišćena"; Finnish "on tarkistettu" and the imperfect); and commitments (Finnish
    /// "Lähetämme …", Malay and Indonesian "nanti", "bakal"). The aspect and tense markers
    /// that the shipped tense packs report (MS001-MS003, ID001-ID003, HR001-HR002,
    /// FI001-FI002: "telah", "akan", "će", "je provjerio", "tulee lähettämään", "on
    /// lähettänyt") are left to them, so one problem gives one finding. Only the main clause
    /// counts: a marker after a subordinator ("sama ada", "bahwa", "je li", "kada", "että",
    /// "onko", a relative pronoun) is not the step's tense. Fine: the bare verb, -kan/-i,
    /// -lah, "Sila", "Mohon", "Jangan" (ms, id); the imperative and the infinitive, "Nemojte"
    /// (hr); the imperative, the impersonal passive, "on + -tava", "tulee + infinitive" (fi).
    /// A system or a screen as subject ("Aplikasi ini menjana …") and "you can" are not
    /// reported. The verb forms come from the Indonesian and Croatian hunspell dictionaries
    /// and Voikko's Finnish morphology (`rules/{id,hr,fi}/`).
    ///
    /// Other languages are not checked.
    ///
    /// ## Why is this bad?
    /// A step that describes what happens does not tell the reader to do it. Under pressure,
    /// people skim: "The supervisor will approve the refund" reads as something that happens
    /// on its own, and nobody does it. ASD-STE100 and most SOP standards require imperatives.
    ///
    /// ## Example
    /// ```markdown
    /// 1. The agent will log the call in the ticket system.
    /// 2. Checked the caller's identity.
    /// 3. Escalating to the shift supervisor.
    /// 4. Close the call.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 1. Log the call in the ticket system.
    /// 2. Check the caller's identity.
    /// 3. Escalate to the shift supervisor.
    /// 4. Close the call.
    /// ```
    pub(crate) StepMood {
        code: "P001",
        name: "step-mood",
        severity: Warning,
        summary: "Step is not an imperative present-tense instruction",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for StepMood {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        if let Some(seed) = seed_judge(doc) {
            return check_seed(doc, seed);
        }
        if !doc.is_english() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for group in groups(doc) {
            let findings: Vec<Option<Finding>> = group
                .iter()
                .map(|step| {
                    let problem = en::step_mood(&step.text).filter(|p| {
                        !question(&step.text)
                            && !description_item(doc, step, p.span.start)
                            && !not_an_instruction(doc, step, p)
                    });
                    problem.map(|p| finding(step, p.span, p.message, p.help))
                })
                .collect();
            report(&mut out, findings);
        }
        out.sort_by_key(|f| f.span.start);
        out
    }
}

/// The findings of one list's judged steps. A list of three or more items without a single
/// instruction describes (a system, a flow, a checklist of facts): it is not a procedure to
/// rewrite.
fn report(out: &mut Vec<Finding>, findings: Vec<Option<Finding>>) {
    if findings.len() >= 3 && findings.iter().all(Option::is_some) {
        return;
    }
    out.extend(findings.into_iter().flatten());
}

/// A finding on the words `span` of a step's text.
fn finding(step: &Step, span: Range<usize>, message: String, help: String) -> Finding {
    Finding::new(step_source(step, span), message).help(help)
}

/// The step judge of a seed language (Malay, Indonesian, Croatian, Finnish), if the document
/// is in one.
fn seed_judge(doc: &Document) -> Option<SeedJudge> {
    let judges: [(&str, SeedJudge); 4] = [
        (
            "ms",
            SeedJudge {
                judge: |t| malay::judge(t, malay::Variant::Malay),
                opens: malay::opens_instruction,
            },
        ),
        (
            "id",
            SeedJudge {
                judge: |t| malay::judge(t, malay::Variant::Indonesian),
                opens: malay::opens_instruction,
            },
        ),
        (
            "hr",
            SeedJudge {
                judge: hr::judge,
                opens: hr::opens_instruction,
            },
        ),
        (
            "fi",
            SeedJudge {
                judge: fi::judge,
                opens: fi::opens_instruction,
            },
        ),
    ];
    judges
        .into_iter()
        .find(|(lang, _)| lang_matches(&doc.lang, lang))
        .map(|(_, judge)| judge)
}

/// A seed language's step judge, and whether a sentence opens with an instruction.
#[derive(Clone, Copy)]
struct SeedJudge {
    judge: fn(&str) -> Option<StepProblem>,
    opens: fn(&str) -> bool,
}

/// P001 for a seed language: each numbered step through the language's judge, in lists
/// that hold at least one instruction.
fn check_seed(doc: &Document, seed: SeedJudge) -> Vec<Finding> {
    let mut out = Vec::new();
    for group in groups(doc) {
        let findings: Vec<Option<Finding>> = group
            .iter()
            .map(|step| {
                let skip = step.heading || !step.ordered || question(&step.text) || {
                    let item = doc.source.get(step.span.range()).unwrap_or_default();
                    let body = item
                        .trim_start()
                        .trim_start_matches(|c: char| c.is_ascii_digit())
                        .trim_start_matches(['.', ')', '-', '*', '+'])
                        .trim_start();
                    body.starts_with(['[', '`', '<'])
                };
                // A step that instructs in a later sentence ("Spremanje i zatvaranje obrasca.
                // Ponovite ove korake …") explains first, then instructs.
                let instructs_later = || {
                    crate::document::sentence_ranges(&step.text, true)
                        .into_iter()
                        .skip(1)
                        .any(|r| (seed.opens)(step.text[r].trim()))
                };
                let problem = (!skip)
                    .then(|| (seed.judge)(&step.text))
                    .flatten()
                    .filter(|p| !description_item(doc, step, p.span.start) && !instructs_later());
                problem.map(|p| finding(step, p.span, p.message, p.help))
            })
            .collect();
        report(&mut out, findings);
    }
    out.sort_by_key(|f| f.span.start);
    out
}

/// Each list on its own: the top-level lists, then the sub-steps of each step.
fn groups(doc: &Document) -> Vec<Vec<&Step>> {
    let mut groups: Vec<Vec<&Step>> = Vec::new();
    let mut by_list: Vec<(usize, Vec<&Step>)> = Vec::new();
    for step in &doc.steps {
        match by_list.iter_mut().find(|(l, _)| *l == step.list) {
            Some((_, v)) => v.push(step),
            None => by_list.push((step.list, vec![step])),
        }
    }
    groups.extend(by_list.into_iter().map(|(_, v)| v));
    for step in doc.all_steps() {
        if !step.children.is_empty() {
            groups.push(step.children.iter().collect());
        }
    }
    groups
}

/// Items that are not instructions to rewrite, though a list holds them: bullet items (lists
/// of things, outcomes, topics), checklist items ("- [ ] Customer-facing functionality
/// confirmed"), items that open with a link or a command, and steps that instruct in another
/// sentence ("10-15 minutes in. Make sure there is a summary."). A participle that qualifies a
/// noun ("Written instructions from…", "Actor-created keys") is not the past tense; an
/// expected result ("You will see the new name") or a note on the consequence ("This will
/// stop the topic") is not a step in the future; "This overlay deletes…" describes a thing.
fn not_an_instruction(doc: &Document, step: &Step, problem: &en::MoodProblem) -> bool {
    // A step heading is a title ("## Step 4: Networking"); a bullet item is one of a list
    // of things, outcomes or topics more often than a step.
    if step.heading || !step.ordered {
        return true;
    }
    let item = doc.source.get(step.span.range()).unwrap_or_default();
    let body = item
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['.', ')', '-', '*', '+'])
        .trim_start();
    if body.starts_with(['[', '`', '<']) {
        return true;
    }
    let text = step.text.as_str();
    let sentences: Vec<&str> = text
        .split_inclusive(['.', '!', '?', ':'])
        .map(str::trim)
        .filter(|s| s.len() > 1)
        .collect();
    if sentences.iter().any(|s| {
        let s = s.trim_start_matches(['*', '_', ' ']);
        let s = match s.strip_prefix('(') {
            Some(rest) => rest.split_once(')').map_or(rest, |(_, r)| r),
            None => s,
        };
        en::opens_with_imperative(s.trim_start_matches(['*', '_', ' ', '.']))
    }) {
        return true;
    }
    // An aside in parentheses: "choose a commit (the newest should be your merge)".
    let before = text.get(..problem.span.start).unwrap_or_default();
    if before.matches('(').count() > before.matches(')').count() {
        return true;
    }
    let word = text.get(problem.span.clone()).unwrap_or_default();
    let lower = |s: &str| {
        s.split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect::<Vec<String>>()
    };
    let first_word = word.split_whitespace().next().unwrap_or_default();
    let after = lower(text.get(problem.span.end..).unwrap_or_default());
    let next = after.first().map(String::as_str).unwrap_or_default();
    let opening = lower(text);
    let opener = opening.first().map(String::as_str).unwrap_or_default();
    match problem.kind {
        en::MoodKind::Past | en::MoodKind::Gerund if first_word.contains('-') => true,
        // A passive ("is created", "will be generated", "will then be displayed") says what a
        // system does, and a state ("The team are aware") is a criterion, not an action.
        en::MoodKind::Future | en::MoodKind::ThirdPerson | en::MoodKind::Past
            if passive_or_state(&lower(word), next) && !by_a_person(&after) =>
        {
            true
        }
        en::MoodKind::Past => {
            problem.span.start == text.len() - text.trim_start().len()
                // An object after the verb form makes it a past tense ("Checked the logs"); a
                // noun makes it a participle that qualifies it ("Written approval from …").
                && !(en::is_core_determiner(next)
                    || matches!(next, "it" | "them" | "to" | "up" | "out" | "in" | "on"))
        }
        en::MoodKind::Future => {
            let before = lower(text.get(..problem.span.start).unwrap_or_default());
            let subject = before.last().map(String::as_str).unwrap_or_default();
            let verb = lower(word).get(1).cloned().unwrap_or_default();
            matches!(subject, "this" | "it" | "that" | "which" | "these")
                || (subject == "you"
                    && matches!(
                        verb.as_str(),
                        "see" | "notice" | "get" | "receive" | "be" | "find" | "have" | "need"
                    ))
        }
        en::MoodKind::ThirdPerson => matches!(opener, "this" | "these" | "that" | "it" | "there"),
        _ => false,
    }
}

/// Whether a passive names a person as its agent ("… is approved by the shift supervisor"):
/// then it is a step written as a description, unless the agent is automation ("… by the
/// restore workflow").
fn by_a_person(after: &[String]) -> bool {
    let Some(at) = after.iter().position(|w| w == "by") else {
        return false;
    };
    !after.iter().skip(at + 1).take(4).any(|w| {
        matches!(
            w.as_str(),
            "workflow"
                | "workflows"
                | "system"
                | "pipeline"
                | "job"
                | "script"
                | "terraform"
                | "automation"
                | "bot"
                | "tool"
                | "ci"
                | "action"
                | "actions"
                | "service"
                | "controller"
                | "operator"
                | "cron"
                | "scheduler"
                | "platform"
        )
    })
}

/// Whether the flagged words (lower-cased) with the word after them are a passive or a
/// state: "is created", "are aware", "will be generated", "will then be displayed".
fn passive_or_state(words: &[String], next: &str) -> bool {
    let be = |w: &str| matches!(w, "is" | "are" | "be" | "been" | "has" | "have");
    let last = words.last().map(String::as_str).unwrap_or_default();
    let verb = words.iter().any(|w| be(w)) || be(last);
    let participle = |w: &str| w.ends_with("ed") || w.ends_with("en") || w.ends_with("wn");
    (verb && (participle(next) || words.iter().skip(1).any(|w| participle(w))))
        || words.iter().any(|w| matches!(w.as_str(), "is" | "are"))
        || (words.first().is_some_and(|w| w == "will") && matches!(next, "be" | "then"))
}

/// A step whose first sentence is a question ("Is the service still down?") is a decision
/// point, not an instruction to judge.
fn question(text: &str) -> bool {
    if text.trim_end().ends_with('?') {
        return true;
    }
    let first = text
        .split_inclusive(['.', '!', '?'])
        .find(|s| s.trim_end().len() > 1)
        .unwrap_or(text);
    first.trim_end().ends_with('?')
}

/// Where a description-list item's term ends: a short term, then ":" or a dash, then what
/// it is ("**Primary Engineer**: responds to the page first", "Staging - the environment
/// where we test"). `None` when the text does not open with such a term.
fn term_end(text: &str) -> Option<usize> {
    let lead = text.len() - text.trim_start().len();
    let text = text.trim_start();
    let (at, _) = [": ", " - ", " – ", " — "]
        .iter()
        .filter_map(|s| text.find(s).map(|i| (i, s.len())))
        .min()?;
    let term = &text[..at];
    let words = term.split_whitespace().count();
    // A verb phrase before the separator ("The agent will send the form - see below") is a
    // sentence, not a term.
    let sentence = term.split_whitespace().any(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "will" | "should" | "must" | "is" | "are" | "was" | "were" | "has" | "have" | "the"
        )
    });
    (words > 0 && words <= 4 && !sentence && !term.contains(['.', ',', '?', '!']))
        .then_some(lead + at)
}

/// Whether the step is a description-list item rather than an instruction: its term is
/// written in bold or as code ("**Owner**: the platform team"), or the only problem found is
/// the term itself ("Staging - the environment where we test"). A plain role label before a
/// description ("Cashier: counts the float") is still a step written as a description.
fn description_item(doc: &Document, step: &Step, problem_at: usize) -> bool {
    let Some(end) = term_end(&step.text) else {
        return false;
    };
    if problem_at < end {
        return true;
    }
    // The term's text maps past its opening markup: look just before it.
    let at = step_source(step, 0..end).start;
    let before = doc.source.get(..at).unwrap_or("");
    ["**", "__", "`"].iter().any(|m| before.ends_with(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::procedure::test_support::{run, sop, underlined};

    #[test]
    fn underlines_the_offending_words_through_markup() {
        let src = sop(
            "en",
            "1. The agent *will send* the form.\n2. Send the form.\n",
        );
        let (doc, f) = run(&StepMood::default(), &src);
        assert_eq!(underlined(&doc, &f), ["will send"]);
    }

    #[test]
    fn questions_and_description_items_are_not_steps() {
        let body = "1. Is the service still down?\n2. Did the restart fix it? If not, call the lead.\n3. **Primary Engineer**: responds to the page first.\n4. `rollback` - reverts the last deploy.\n5. Staging - the environment where we test.\n6. The agent will send the form - see below.\n7. Supervisor: approves the refund.\n";
        let (doc, f) = run(&StepMood::default(), &sop("en", body));
        assert_eq!(underlined(&doc, &f), ["will send", "approves"]);
    }

    #[test]
    fn a_list_without_one_instruction_is_a_description() {
        let body = "1. User uploads the form.\n2. Licensify sends a receipt.\n3. The authority reviews it.\n";
        let (_, f) = run(&StepMood::default(), &sop("en", body));
        assert!(f.is_empty(), "{f:?}");
        let body =
            "1. User uploads the form.\n2. Licensify sends a receipt.\n3. Check the receipt.\n";
        let (_, f) = run(&StepMood::default(), &sop("en", body));
        assert_eq!(f.len(), 2);
    }

    #[test]
    fn a_passive_obligation_is_not_the_past_tense() {
        let body = "1. Old keys should be removed.\n2. Needs to be removed.\n";
        let (_, f) = run(&StepMood::default(), &sop("en", body));
        assert_eq!(f.len(), 2);
        assert!(f.iter().all(|f| f.message.contains("obligation")), "{f:?}");
    }

    #[test]
    fn notes_checklists_and_noun_phrases_are_not_steps() {
        let body = "1. You will see the new name in the list.\n2. This will stop only that topic.\n3. [ ] Customer-facing checks confirmed.\n4. Written approval from the owner.\n5. Actor-created keys and grants.\n6. `kubectl scale --replicas=0 deploy/cache`\n7. [Enabling the firewall](https://example.com/fw)\n8. Ten minutes in. Make sure there is a summary.\n9. This overlay deletes the storage.\n10. The new repository will be generated by the workflow.\n11. A VPN gateway is created in the network.\n11. A VPN gateway is created by the platform.\n12. The platform team are aware of the date.\n13. From the pop-up choose a commit (the newest should be your merge).\n14. **(Optional) Temporarily pause the evaluations.** A running one would be stopped.\n15. Open the form.\n";
        let (_, f) = run(&StepMood::default(), &sop("en", body));
        assert!(f.is_empty(), "{f:?}");
        let body = "- The agent will send the form.\n- Checking the form.\n";
        let (_, f) = run(&StepMood::default(), &sop("en", body));
        assert!(f.is_empty(), "{f:?}");
        let body = "1. Got to the DNS page.\n2. You will choose the team.\n3. The form is approved by the shift supervisor.\n4. Open the form.\n";
        let (doc, f) = run(&StepMood::default(), &sop("en", body));
        assert_eq!(underlined(&doc, &f).len(), 3, "{f:?}");
    }

    #[test]
    fn checks_sub_steps_and_skips_other_languages() {
        let body = "1. Open the form.\n   1. Checked the name.\n";
        let (doc, f) = run(&StepMood::default(), &sop("en-GB", body));
        assert_eq!(underlined(&doc, &f), ["Checked"]);
        let (_, f) = run(&StepMood::default(), &sop("fi", body));
        assert!(f.is_empty());
    }
}
