//! Several instructions packed into one step.

use std::ops::Range;

use super::clause::{base_is_subject, skip_fillers, skip_label, starts_object};
use super::lexicon::{lex_flags, lex_has, BASE, NOUN};
use super::tokens::{TokKind, Tokens};
use super::words::*;

/// Two (or more) instructions in one step: "Log the call and then close the
/// ticket", "Log the call; close the ticket", "Open the form, fill in the name
/// and send it". Returns the byte range from the joiner to the second verb
/// ("and then close", "; close", ", fill").
///
/// Coordinated objects ("Check the name and address"), "and/or", and anything
/// inside a condition or a subordinate clause are left alone.
pub(crate) fn multiple_actions(text: &str) -> Option<Range<usize>> {
    let t = Tokens::new(text);
    let first = main_verb(&t, skip_label(&t), 0)?;
    let mut k = first + 1;
    while k < t.len() {
        match t.toks[k].kind {
            TokKind::Break(c @ (';' | ',')) => {
                // ", and send" / ", then send" / "; send"
                let mut j = t.next_word(k + 1)?;
                let mut strong = c == ';';
                while matches!(t.w(j), "and" | "then" | "also") {
                    strong |= t.w(j) == "then";
                    j = t.next_word(j + 1)?;
                }
                if second_verb(&t, j, strong) {
                    return Some(t.span(k, j));
                }
            }
            TokKind::Word => {
                let w = t.w(k);
                if is_subordinator(w)
                    || matches!(w, "unless" | "until" | "so" | "where" | "whenever" | "once")
                {
                    return None;
                }
                if w == "to" && lex_has(t.w(k + 1), BASE) && !is_determiner(t.w(k + 1)) {
                    // Purpose infinitive: "Use the tool to open and edit it."
                    return None;
                }
                let slash_next = t.toks.get(k + 1).is_some_and(|x| {
                    x.kind == TokKind::Other && text.get(x.span.clone()) == Some("/")
                });
                let slash_prev = k > 0
                    && t.toks[k - 1].kind == TokKind::Other
                    && text.get(t.toks[k - 1].span.clone()) == Some("/");
                if (w == "and" || w == "then") && !slash_next && !slash_prev {
                    let mut strong = w == "then";
                    let mut j = t.next_word(k + 1)?;
                    if j != k + 1 {
                        // punctuation right after the joiner: not a clause join
                        k += 1;
                        continue;
                    }
                    while matches!(t.w(j), "then" | "also") {
                        strong = true;
                        j = t.next_word(j + 1)?;
                    }
                    if second_verb(&t, j, strong) {
                        return Some(t.span(k, j));
                    }
                }
            }
            TokKind::Break(_) | TokKind::Other => {}
        }
        k += 1;
    }
    None
}

/// Index of the imperative verb that opens the main clause, if any.
fn main_verb(t: &Tokens, i: usize, depth: usize) -> Option<usize> {
    if depth > 6 {
        return None;
    }
    let i = skip_fillers(t, i)?;
    let w = t.w(i);
    let f = lex_flags(w);
    if is_clause_opener(w) && f & BASE == 0 {
        return main_verb(t, t.next_break(i + 1)? + 1, depth + 1);
    }
    (f & BASE != 0 && !base_is_subject(t, i)).then_some(i)
}

/// Is the word at `j` an imperative verb starting a new instruction?
/// `strong` is set after "then" or ";", where a base form is enough.
fn second_verb(t: &Tokens, j: usize, strong: bool) -> bool {
    let w = t.w(j);
    let f = lex_flags(w);
    if f & BASE == 0 || is_determiner(w) || is_preposition(w) {
        return false;
    }
    if strong {
        return true;
    }
    let next = t.w(j + 1);
    if f & NOUN != 0 {
        // "and address" is a noun unless an object follows: "and address the letter".
        // A phrasal particle before the object also marks a verb: ", fill in the name".
        return starts_object(t, j + 1)
            || (matches!(next, "in" | "up" | "out" | "down" | "off" | "back")
                && starts_object(t, j + 2));
    }
    !next.is_empty() && !matches!(next, "and" | "or" | "of")
}
