//! Where a step's main clause starts and whether it opens with an imperative.

use super::lexicon::{lex_flags, lex_has, BASE, NOUN, THIRD};
use super::tokens::{TokKind, Tokens};
use super::words::*;

/// Whether a text opens as an instruction: its main clause, after a role label, filler words
/// and fronted conditions ("If it fails, restart …"), starts with a verb's base form that is
/// not the subject of a sentence ("Log in to …", but not "Logs are kept …"). The parser uses it
/// to tell a numbered list of steps from a numbered list of facts.
pub(crate) fn opens_with_imperative(text: &str) -> bool {
    let t = Tokens::new(text);
    imperative_clause(&t, skip_label(&t), 0)
}

fn imperative_clause(t: &Tokens, i: usize, depth: usize) -> bool {
    if depth > 6 {
        return false;
    }
    let Some(i) = skip_fillers(t, i) else {
        return false;
    };
    let w = t.w(i);
    let flags = lex_flags(w);
    if is_clause_opener(w) && flags & BASE == 0 {
        return t
            .next_break(i + 1)
            .is_some_and(|b| imperative_clause(t, b + 1, depth + 1));
    }
    if is_determiner(w) || is_subject_pronoun(w) || flags & BASE == 0 {
        return false;
    }
    takes_clause(w) || !base_is_subject(t, i)
}

/// Skips a short role label such as "Supervisor:" or "Team lead:".
pub(super) fn skip_label(t: &Tokens) -> usize {
    let mut words = 0;
    for (k, tok) in t.toks.iter().enumerate().take(8) {
        match tok.kind {
            TokKind::Word => words += 1,
            // "Supervisor: approve …", "Pharmacist – check …".
            TokKind::Break(':' | '–' | '—') if words > 0 && words <= 4 && tok.space_after => {
                return k + 1
            }
            TokKind::Break(_) => return 0,
            TokKind::Other => {}
        }
    }
    0
}

/// Skips punctuation, numbering and filler words ahead of the main verb.
pub(super) fn skip_fillers(t: &Tokens, mut i: usize) -> Option<usize> {
    while i < t.len() {
        if !t.is_word(i) {
            i += 1;
            continue;
        }
        let w = t.w(i);
        let numeric = w.chars().all(|c| c.is_ascii_digit() || c == '.');
        if is_leading_filler(w) || numeric {
            i += 1;
        } else if w == "do" && matches!(t.w(i + 1), "not" | "n't") {
            i += 2;
        } else if is_adverb(w) && w.ends_with("ly") && !lex_has(w, BASE) {
            // "Carefully remove", "Immediately call".
            i += 1;
        } else {
            return Some(i);
        }
    }
    None
}

/// Does the token at `i` start an object noun phrase?
pub(super) fn starts_object(t: &Tokens, i: usize) -> bool {
    let w = t.w(i);
    is_determiner(w) || is_object_pronoun(w)
}

/// Is a base-form first word really the start of a noun-phrase subject?
/// "Support staff are going to ...", "Staff must record ...", "Log files were
/// rotated" versus "Log the call", "Update files in the folder".
pub(super) fn base_is_subject(t: &Tokens, i: usize) -> bool {
    let mut seen = 0;
    let mut k = i + 1;
    while k < t.len() && seen < 3 {
        if !t.is_word(k) {
            if matches!(t.toks[k].kind, TokKind::Break(_)) {
                return false;
            }
            k += 1;
            continue;
        }
        let w = t.w(k);
        if is_strong_finite(w) || w == "needs" {
            return true;
        }
        if is_determiner(w)
            || is_object_pronoun(w)
            || is_preposition(w)
            || matches!(
                w,
                "and"
                    | "or"
                    | "if"
                    | "when"
                    | "that"
                    | "what"
                    | "whether"
                    | "how"
                    | "why"
                    | "where"
                    | "which"
                    | "who"
                    | "whom"
                    | "up"
                    | "down"
                    | "out"
                    | "off"
                    | "back"
            )
        {
            return false;
        }
        let f = lex_flags(w);
        if f & THIRD != 0 && (f & NOUN == 0 || starts_object(t, k + 1)) {
            // "Service verifies ...", "Agent logs the call".
            return true;
        }
        seen += 1;
        k += 1;
    }
    false
}
