//! Step mood: is a step an instruction in the imperative, or a description of what happens?

use std::ops::Range;

use super::clause::{base_is_subject, skip_fillers, skip_label, starts_object};
use super::lexicon::{lex_flags, lex_has, BASE, GERUND, NOUN, PART, PAST, THIRD};
use super::tokens::{TokKind, Tokens};
use super::words::*;

/// What is wrong with a step's mood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MoodKind {
    /// "will send", "shall review", "is going to call".
    Future,
    /// "Checked the logs", "The ticket was logged", "has been sent".
    Past,
    /// "Checking the form", "Sending the email".
    Gerund,
    /// "The agent sends", "Escalates to the supervisor", "Calls are logged".
    ThirdPerson,
    /// should/must/may/could/needs to as the main verb phrase of a description:
    /// "The agent should call".
    Modal,
}

/// A step whose mood is not the imperative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MoodProblem {
    pub kind: MoodKind,
    /// Byte range into the input text of the offending words (e.g. "will send",
    /// "Checked", "Checking", "The agent sends", "should call").
    pub span: Range<usize>,
    pub message: String,
    pub help: String,
}

/// Classifies the mood of one procedure step. Returns `None` for an
/// imperative (or anything the analysis is not sure about: precision first).
pub(crate) fn step_mood(text: &str) -> Option<MoodProblem> {
    let t = Tokens::new(text);
    let start = skip_label(&t);
    let (mut kind, span) = analyse_clause(&t, start, 0)?;
    if kind == MoodKind::Past && passive_obligation(text, span.start) {
        // "The old keys should be removed", "Needs to be removed": an obligation in the
        // passive, not the past tense.
        kind = MoodKind::Modal;
    }
    Some(problem(kind, span))
}

/// Whether the participle at `at` completes a passive obligation: "should be", "must be",
/// "needs to be", "has to be", "is to be" just before it.
fn passive_obligation(text: &str, at: usize) -> bool {
    let before: Vec<String> = text
        .get(..at)
        .unwrap_or("")
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let last: Vec<&str> = before.iter().rev().take(4).map(String::as_str).collect();
    matches!(last.first(), Some(&("be" | "been")))
        && last[1..].iter().any(|w| {
            matches!(
                *w,
                "should" | "must" | "shall" | "needs" | "need" | "has" | "have" | "ought" | "to"
            )
        })
}

/// Analyses the clause starting at token `i`. `depth` bounds the recursion
/// over fronted clauses.
fn analyse_clause(t: &Tokens, i: usize, depth: usize) -> Option<(MoodKind, Range<usize>)> {
    if depth > 6 {
        return None;
    }
    let i = skip_fillers(t, i)?;
    let w = t.w(i);
    let flags = lex_flags(w);

    // A clause that opens with the future auxiliary, as after a role label
    // ("Ramp agent: will confirm …"): no imperative starts so.
    if matches!(w, "will" | "shall" | "won't") && t.is_word(i + 1) {
        return Some((MoodKind::Future, t.span(i, i + 1)));
    }

    // A fronted condition or time clause: analyse what follows its comma.
    if is_clause_opener(w) && flags & BASE == 0 {
        return match t.next_break(i + 1) {
            Some(b) => analyse_clause(t, b + 1, depth + 1),
            // No comma: the main clause start is unknown, so report only the
            // unambiguous future/modal descriptions ("After the call the agent will ...").
            None => scan_subject(t, i, i + 1)
                .filter(|(k, _)| matches!(k, MoodKind::Future | MoodKind::Modal)),
        };
    }
    if is_determiner(w) || is_subject_pronoun(w) {
        return scan_subject(t, i, i + 1);
    }
    if flags & BASE != 0 {
        if !takes_clause(w) && base_is_subject(t, i) {
            return scan_subject(t, i, i + 1);
        }
        return None;
    }
    if flags & THIRD != 0 {
        let next = t.w(i + 1);
        if is_strong_finite(next) || (flags & NOUN != 0 && !starts_object(t, i + 1)) {
            // A plural noun subject: "Calls are logged", "Accounts payable matches ...".
            return scan_subject(t, i, i + 1);
        }
        return Some((MoodKind::ThirdPerson, t.span(i, i)));
    }
    if flags & GERUND != 0 {
        if finite_soon(t, i + 1, 4) {
            // Gerund subject: "Monitoring will alert the on-call engineer."
            return scan_subject(t, i, i + 1);
        }
        // "Using the template, write ..." is a fronted adverbial.
        if let Some(b) = t.next_break(i + 1) {
            if analyse_clause(t, b + 1, depth + 1).is_none() && clause_is_imperative(t, b + 1) {
                return None;
            }
        }
        return Some((MoodKind::Gerund, t.span(i, i)));
    }
    if flags & (PAST | PART) != 0 {
        if finite_soon(t, i + 1, 3) {
            // Participle as adjective in a subject: "Signed forms are filed".
            return scan_subject(t, i, i + 1);
        }
        // "Based on the result, choose ..." / "If required, call ...".
        if t.w(i + 1) == "on"
            || matches!(t.toks.get(i + 1).map(|x| x.kind), Some(TokKind::Break(',')))
        {
            if let Some(b) = t.next_break(i + 1) {
                return analyse_clause(t, b + 1, depth + 1);
            }
        }
        return Some((MoodKind::Past, t.span(i, i)));
    }
    // Unknown word. Followed directly by a determiner or object pronoun it is
    // most likely a verb missing from the lexicon: "Aliquot the serum" is an
    // imperative, while the suffix gives away "Aliquoting the serum" and
    // "Aliquoted the serum".
    if starts_object(t, i + 1) {
        let chars = w.chars().count();
        return if chars > 5 && w.ends_with("ing") {
            Some((MoodKind::Gerund, t.span(i, i)))
        } else if chars > 4 && w.ends_with("ed") {
            Some((MoodKind::Past, t.span(i, i)))
        } else {
            None
        };
    }
    scan_subject(t, i, i + 1)
}

fn clause_is_imperative(t: &Tokens, i: usize) -> bool {
    skip_fillers(t, i).is_some_and(|k| lex_has(t.w(k), BASE) || is_clause_opener(t.w(k)))
}

/// Is there a finite auxiliary within `n` words, before any clause break?
fn finite_soon(t: &Tokens, from: usize, n: usize) -> bool {
    let mut seen = 0;
    for k in from..t.len() {
        if !t.is_word(k) {
            if matches!(t.toks[k].kind, TokKind::Break(_)) {
                return false;
            }
            continue;
        }
        let w = t.w(k);
        if is_strong_finite(w) {
            return true;
        }
        if is_determiner(w) || is_preposition(w) || is_subordinator(w) {
            return false;
        }
        seen += 1;
        if seen >= n {
            return false;
        }
    }
    false
}

/// Scans a subject noun phrase starting at `subj` (its words begin at
/// `from`) for the finite verb group that follows it.
fn scan_subject(t: &Tokens, subj: usize, from: usize) -> Option<(MoodKind, Range<usize>)> {
    let subject_is_you = t.w(subj) == "you";
    let mut prev = subj;
    let mut words = 0;
    let mut k = from;
    while k < t.len() && words < 10 {
        if !t.is_word(k) {
            if matches!(t.toks[k].kind, TokKind::Break(_)) {
                return None;
            }
            k += 1;
            continue;
        }
        let w = t.w(k);
        if is_future_aux(w) {
            return Some((MoodKind::Future, t.span(k, verb_group_end(t, k))));
        }
        if is_be_present(w) && t.w(k + 1) == "going" && t.w(k + 2) == "to" {
            return Some((MoodKind::Future, t.span(k, verb_group_end(t, k + 2))));
        }
        let needs_to = matches!(w, "needs" | "need" | "has" | "have") && t.w(k + 1) == "to";
        if is_modal(w) || needs_to || (is_be_present(w) && t.w(k + 1) == "required") {
            // "You must ..." addresses the reader: tolerated as an instruction.
            if subject_is_you {
                return None;
            }
            let end = if needs_to { k + 1 } else { k };
            return Some((MoodKind::Modal, t.span(k, verb_group_end(t, end))));
        }
        if is_be_past(w) {
            return Some((MoodKind::Past, t.span(k, verb_group_end(t, k))));
        }
        if is_have(w) {
            let end = verb_group_end(t, k);
            if end > k && lex_has(t.w(end), PART) || t.w(end) == "been" {
                return Some((MoodKind::Past, t.span(k, end)));
            }
            return Some((MoodKind::ThirdPerson, t.span(subj, k)));
        }
        if is_be_present(w) {
            return Some((MoodKind::ThirdPerson, t.span(subj, verb_group_end(t, k))));
        }
        if is_subordinator(w) || matches!(w, "and" | "or") {
            return None;
        }
        let f = lex_flags(w);
        let p = t.w(prev);
        let prev_nominal =
            k > subj && !is_determiner(p) && !is_preposition(p) && !matches!(p, "and" | "or");
        if f & THIRD != 0 && prev_nominal && !is_determiner(p) {
            let next = t.w(k + 1);
            let noun_here = f & NOUN != 0
                && (is_strong_finite(next) || is_preposition(next) || next.is_empty());
            if !noun_here {
                return Some((MoodKind::ThirdPerson, t.span(subj, k)));
            }
        } else if f & BASE != 0 && prev_nominal && plural_subject(p) && !subject_is_you {
            // "Employees submit expense reports".
            return Some((MoodKind::ThirdPerson, t.span(subj, k)));
        } else if f & PAST != 0 && f & BASE == 0 && prev_nominal && !is_adjective_slot(t, k) {
            // "The customer received an email".
            return Some((MoodKind::Past, t.span(k, k)));
        }
        prev = k;
        words += 1;
        k += 1;
    }
    None
}

/// A past form directly followed by a noun-phrase-internal word is more
/// likely an adjective ("the used slides").
fn is_adjective_slot(t: &Tokens, k: usize) -> bool {
    let next = t.w(k + 1);
    !next.is_empty() && is_strong_finite(next)
}

fn plural_subject(w: &str) -> bool {
    matches!(w, "we" | "they" | "i")
        || (w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("'s"))
}

/// The last token of a verb group starting at the auxiliary `k`:
/// "will send", "will be closed", "has already been sent", "should not share".
fn verb_group_end(t: &Tokens, k: usize) -> usize {
    let mut end = k;
    let mut j = k + 1;
    while let Some(n) = t.next_word(j) {
        if n != j {
            break; // punctuation ends the group
        }
        let w = t.w(n);
        end = n;
        if is_adverb(w) || matches!(w, "be" | "been" | "being" | "have" | "to" | "going") {
            j = n + 1;
            continue;
        }
        break;
    }
    end
}

fn problem(kind: MoodKind, span: Range<usize>) -> MoodProblem {
    let (message, help) = match kind {
        MoodKind::Future => (
            "step is in the future tense",
            "write the step as an instruction: \"Send the form.\" instead of \"The agent will send the form.\"",
        ),
        MoodKind::Past => (
            "step is in the past tense",
            "write what to do, not what was done: \"Check the logs.\" instead of \"Checked the logs.\"",
        ),
        MoodKind::Gerund => (
            "step starts with a gerund",
            "start with the verb in the imperative: \"Check the form.\" instead of \"Checking the form.\"",
        ),
        MoodKind::ThirdPerson => (
            "step describes what someone does instead of instructing",
            "address the reader with an imperative: \"Send the form.\"; name the role in a label (\"Supervisor: approve the refund.\") if needed",
        ),
        MoodKind::Modal => (
            "step describes an obligation instead of instructing",
            "replace \"X should/must do\" with an imperative: \"Call the customer.\"",
        ),
    };
    MoodProblem {
        kind,
        span,
        message: message.to_string(),
        help: help.to_string(),
    }
}
