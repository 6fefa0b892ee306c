//! English step-mood analysis for SOP procedure steps.
//!
//! A procedure step should be an instruction in the imperative present tense
//! ("Send the form."). This module finds steps that instead *describe* what
//! happens (future, past, gerund, third-person or modal descriptions), steps
//! that pack several instructions together, and decides whether a text looks
//! English at all.
//!
//! The analysis is a small, deterministic shallow parser: it strips leading
//! material that may legitimately precede an imperative verb (labels, adverbs,
//! negation, conditions and time clauses ending in a comma), then looks at the
//! first word of the main clause with the help of a verb lexicon shipped in
//! `rules/en/verbs.txt` (generated from lemminflect, see
//! `rules/en/generate_lexicon.py`). It never looks inside a clause that an
//! imperative verb governs, which is what keeps "Check that the ticket was
//! closed." and "Send the form that was signed." quiet.
#![allow(dead_code)] // Used by the English rules once they are wired in.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use unicode_segmentation::UnicodeSegmentation;

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

// ---------------------------------------------------------------------------
// Lexicon
// ---------------------------------------------------------------------------

const BASE: u8 = 1;
const PAST: u8 = 2;
const PART: u8 = 4;
const THIRD: u8 = 8;
const GERUND: u8 = 16;
/// The base / plural form is also a common noun ("log", "records").
const NOUN: u8 = 32;

static VERBS_TXT: &str = include_str!("../../rules/en/verbs.txt");
static NOUN_VERBS_TXT: &str = include_str!("../../rules/en/noun_verbs.txt");

/// Word form -> bit set of the roles it can play. Keys borrow from the
/// embedded text, so building the table allocates only the map itself.
fn lexicon() -> &'static HashMap<&'static str, u8> {
    static LEX: OnceLock<HashMap<&'static str, u8>> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut map: HashMap<&'static str, u8> = HashMap::with_capacity(16_000);
        let mut add = |form: &'static str, flag: u8| {
            for variant in form.split('/').filter(|v| !v.is_empty()) {
                *map.entry(variant).or_insert(0) |= flag;
            }
        };
        let mut lemmas: HashMap<&'static str, &'static str> = HashMap::new();
        for line in data_lines(VERBS_TXT) {
            let mut fields = line.split_whitespace();
            let (Some(base), Some(past), Some(part), Some(third), Some(ger)) = (
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
            ) else {
                continue;
            };
            add(base, BASE);
            add(past, PAST);
            add(part, PART);
            add(third, THIRD);
            add(ger, GERUND);
            lemmas.insert(base, third);
        }
        for noun in data_lines(NOUN_VERBS_TXT) {
            if let Some(third) = lemmas.get(noun) {
                add(noun, NOUN);
                add(third, NOUN);
            }
        }
        map
    })
}

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

// ---------------------------------------------------------------------------
// Closed word classes (small and fixed, so plain `matches!` is fastest)
// ---------------------------------------------------------------------------

fn is_determiner(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "this"
            | "that"
            | "these"
            | "those"
            | "each"
            | "every"
            | "all"
            | "any"
            | "some"
            | "no"
            | "both"
            | "either"
            | "neither"
            | "your"
            | "our"
            | "their"
            | "its"
            | "his"
            | "her"
            | "my"
            | "another"
            | "other"
            | "such"
            | "several"
            | "many"
            | "few"
            | "one"
            | "two"
            | "three"
    )
}

fn is_object_pronoun(w: &str) -> bool {
    matches!(
        w,
        "it" | "them"
            | "him"
            | "her"
            | "us"
            | "me"
            | "you"
            | "yourself"
            | "everything"
            | "everyone"
    )
}

fn is_subject_pronoun(w: &str) -> bool {
    matches!(
        w,
        "we" | "they"
            | "you"
            | "i"
            | "he"
            | "she"
            | "it"
            | "someone"
            | "somebody"
            | "everyone"
            | "everybody"
            | "nobody"
            | "anyone"
            | "anybody"
            | "there"
    )
}

fn is_preposition(w: &str) -> bool {
    matches!(
        w,
        "in" | "on"
            | "at"
            | "for"
            | "with"
            | "by"
            | "from"
            | "to"
            | "of"
            | "into"
            | "onto"
            | "via"
            | "per"
            | "about"
            | "above"
            | "below"
            | "under"
            | "over"
            | "after"
            | "before"
            | "during"
            | "within"
            | "without"
            | "through"
            | "between"
            | "against"
            | "across"
            | "around"
            | "near"
            | "as"
            | "than"
            | "until"
            | "upon"
            | "inside"
            | "outside"
    )
}

/// Words that open a condition, time clause or fronted adverbial phrase; a
/// comma then usually separates it from the main clause.
fn is_clause_opener(w: &str) -> bool {
    is_preposition(w)
        || matches!(
            w,
            "if" | "when"
                | "whenever"
                | "once"
                | "while"
                | "unless"
                | "where"
                | "wherever"
                | "since"
                | "because"
                | "although"
                | "though"
                | "following"
                | "prior"
                | "depending"
                | "according"
                | "given"
                | "provided"
                | "except"
                | "otherwise"
                | "should"
        )
}

/// Subordinators that end a simple subject/verb scan.
fn is_subordinator(w: &str) -> bool {
    matches!(
        w,
        "if" | "when" | "that" | "which" | "who" | "because" | "while" | "unless" | "whether"
    )
}

fn is_future_aux(w: &str) -> bool {
    matches!(w, "will" | "shall" | "'ll" | "won't" | "shan't")
}

fn is_modal(w: &str) -> bool {
    matches!(
        w,
        "should"
            | "must"
            | "may"
            | "might"
            | "could"
            | "can"
            | "cannot"
            | "would"
            | "ought"
            | "shouldn't"
            | "mustn't"
            | "can't"
            | "couldn't"
            | "wouldn't"
            | "needn't"
    )
}

fn is_be_present(w: &str) -> bool {
    matches!(w, "is" | "are" | "am" | "isn't" | "aren't")
}

fn is_be_past(w: &str) -> bool {
    matches!(w, "was" | "were" | "wasn't" | "weren't")
}

fn is_have(w: &str) -> bool {
    matches!(w, "has" | "have" | "had" | "hasn't" | "haven't" | "hadn't")
}

/// A finite auxiliary right after a word shows that the word was a subject.
fn is_strong_finite(w: &str) -> bool {
    is_future_aux(w)
        || is_modal(w)
        || is_be_present(w)
        || is_be_past(w)
        || is_have(w)
        || matches!(w, "does" | "doesn't" | "do" | "don't" | "did" | "didn't")
}

/// Adverbs that may sit inside a verb group ("will then send", "has already
/// checked") or in front of an imperative ("Then open", "Please call").
fn is_adverb(w: &str) -> bool {
    matches!(
        w,
        "not"
            | "then"
            | "also"
            | "always"
            | "never"
            | "already"
            | "now"
            | "still"
            | "just"
            | "only"
            | "first"
            | "again"
            | "usually"
            | "normally"
            | "typically"
            | "immediately"
            | "automatically"
            | "manually"
            | "further"
            | "later"
            | "soon"
            | "often"
    ) || (w.len() > 4 && w.ends_with("ly") && !lex_has(w, BASE))
}

/// Words dropped in front of an imperative: politeness, sequencing,
/// frequency and negation ("Please", "Next,", "Only then,", "Never", "Don't").
fn is_leading_filler(w: &str) -> bool {
    matches!(
        w,
        "please"
            | "kindly"
            | "then"
            | "next"
            | "first"
            | "firstly"
            | "second"
            | "secondly"
            | "third"
            | "finally"
            | "lastly"
            | "now"
            | "also"
            | "again"
            | "afterwards"
            | "subsequently"
            | "additionally"
            | "only"
            | "just"
            | "always"
            | "never"
            | "don't"
            | "dont"
            | "not"
            | "step"
    )
}

/// Imperative verbs whose complement is a clause ("Check backups are
/// running", "Ensure the customer has paid"): what follows is not a subject.
fn takes_clause(w: &str) -> bool {
    matches!(
        w,
        "check"
            | "ensure"
            | "verify"
            | "confirm"
            | "make"
            | "see"
            | "note"
            | "ask"
            | "tell"
            | "inform"
            | "remember"
            | "let"
            | "say"
            | "explain"
            | "state"
            | "mention"
            | "advise"
            | "remind"
            | "warn"
            | "assume"
            | "expect"
            | "double-check"
            | "determine"
            | "find"
            | "record"
            | "document"
    )
}

fn lex_flags(w: &str) -> u8 {
    let lex = lexicon();
    if let Some(f) = lex.get(w) {
        return *f;
    }
    // "re-run", "double-check", "e-mail": the head is the last part.
    match w.rfind('-') {
        Some(pos) if pos + 1 < w.len() => lex.get(&w[pos + 1..]).copied().unwrap_or(0),
        _ => 0,
    }
}

fn lex_has(w: &str, flag: u8) -> bool {
    lex_flags(w) & flag != 0
}

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokKind {
    Word,
    /// Clause punctuation: , ; : and dashes.
    Break(char),
    Other,
}

#[derive(Debug, Clone)]
struct Tok {
    kind: TokKind,
    /// Byte range in the original text.
    span: Range<usize>,
    /// Byte range in `Tokens::lower` (words only).
    lc: Range<usize>,
    /// Whitespace follows the token.
    space_after: bool,
}

/// The text split into words and punctuation, with one shared lower-cased
/// buffer so that lookups do not allocate per word.
struct Tokens {
    toks: Vec<Tok>,
    lower: String,
}

impl Tokens {
    fn new(text: &str) -> Self {
        let mut toks: Vec<Tok> = Vec::with_capacity(text.len() / 4 + 1);
        let mut lower = String::with_capacity(text.len());
        for (start, piece) in word_bounds(text) {
            let end = start + piece.len();
            if piece.chars().all(char::is_whitespace) {
                if let Some(last) = toks.last_mut() {
                    last.space_after = true;
                }
                continue;
            }
            if piece.chars().any(char::is_alphanumeric) {
                // Join hyphenated words ("re-run", "follow-up") into one token.
                let join = toks.len() >= 2
                    && matches!(toks[toks.len() - 1].kind, TokKind::Other)
                    && !toks[toks.len() - 1].space_after
                    && text.get(toks[toks.len() - 1].span.clone()) == Some("-")
                    && toks[toks.len() - 2].kind == TokKind::Word
                    && !toks[toks.len() - 2].space_after;
                if join {
                    toks.pop();
                    lower.push('-');
                    push_lower(&mut lower, piece);
                    if let Some(prev) = toks.last_mut() {
                        prev.span.end = end;
                        prev.lc.end = lower.len();
                    }
                    continue;
                }
                let lc_start = lower.len();
                push_lower(&mut lower, piece);
                toks.push(Tok {
                    kind: TokKind::Word,
                    span: start..end,
                    lc: lc_start..lower.len(),
                    space_after: false,
                });
            } else {
                let kind = match piece.chars().next() {
                    Some(c @ (',' | ';' | ':' | '—' | '–')) => TokKind::Break(c),
                    _ => TokKind::Other,
                };
                toks.push(Tok {
                    kind,
                    span: start..end,
                    lc: 0..0,
                    space_after: false,
                });
            }
        }
        Tokens { toks, lower }
    }

    fn len(&self) -> usize {
        self.toks.len()
    }

    fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == TokKind::Word)
    }

    /// Lower-cased word at `i`, or "" for punctuation / out of range.
    fn w(&self, i: usize) -> &str {
        match self.toks.get(i) {
            Some(t) if t.kind == TokKind::Word => self.lower.get(t.lc.clone()).unwrap_or(""),
            _ => "",
        }
    }

    fn span(&self, from: usize, to: usize) -> Range<usize> {
        match (self.toks.get(from), self.toks.get(to)) {
            (Some(a), Some(b)) => a.span.start..b.span.end,
            _ => 0..0,
        }
    }

    /// Index of the next clause break (comma, semicolon, colon, dash) at or after `i`.
    fn next_break(&self, i: usize) -> Option<usize> {
        (i..self.len()).find(|&k| matches!(self.toks[k].kind, TokKind::Break(_)))
    }

    fn next_word(&self, i: usize) -> Option<usize> {
        (i..self.len()).find(|&k| self.is_word(k))
    }
}

fn push_lower(out: &mut String, piece: &str) {
    for c in piece.chars() {
        // Curly apostrophes are common in pasted text: "don’t".
        if c == '\u{2019}' {
            out.push('\'');
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

// ---------------------------------------------------------------------------
// Step mood
// ---------------------------------------------------------------------------

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

/// Skips a short role label such as "Supervisor:" or "Team lead:".
fn skip_label(t: &Tokens) -> usize {
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

/// Skips punctuation, numbering and filler words ahead of the main verb.
fn skip_fillers(t: &Tokens, mut i: usize) -> Option<usize> {
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

fn clause_is_imperative(t: &Tokens, i: usize) -> bool {
    skip_fillers(t, i).is_some_and(|k| lex_has(t.w(k), BASE) || is_clause_opener(t.w(k)))
}

/// Does the token at `i` start an object noun phrase?
fn starts_object(t: &Tokens, i: usize) -> bool {
    let w = t.w(i);
    is_determiner(w) || is_object_pronoun(w)
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

/// Is a base-form first word really the start of a noun-phrase subject?
/// "Support staff are going to ...", "Staff must record ...", "Log files were
/// rotated" versus "Log the call", "Update files in the folder".
fn base_is_subject(t: &Tokens, i: usize) -> bool {
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

// ---------------------------------------------------------------------------
// Multiple actions
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Word count and language guess
// ---------------------------------------------------------------------------

/// Counts words: Unicode word-boundary segments containing an alphanumeric character.
pub(crate) fn word_count(text: &str) -> usize {
    word_bounds(text)
        .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
        .count()
}

/// UAX #29 word boundaries, as `split_word_bound_indices`, with a fast path for ASCII text
/// (most steps): the Unicode tables cost more than the rest of the step analysis.
fn word_bounds(text: &str) -> Box<dyn Iterator<Item = (usize, &str)> + '_> {
    if text.is_ascii() {
        Box::new(AsciiWordBounds { text, pos: 0 })
    } else {
        Box::new(text.split_word_bound_indices())
    }
}

/// The word-break rules of UAX #29 restricted to ASCII: letters, digits and `_` join; `:`, `.`
/// and `'` join two letters (WB6/7); `,`, `;`, `.` and `'` join two digits (WB11/12); spaces
/// group (WB3d); CR LF is one piece (WB3); anything else stands alone.
struct AsciiWordBounds<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for AsciiWordBounds<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let b = self.text.as_bytes();
        let start = self.pos;
        let first = *b.get(start)?;
        let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        let mut end = start + 1;
        if is_word(first) {
            while end < b.len() {
                let c = b[end];
                if is_word(c) {
                    end += 1;
                    continue;
                }
                let (prev, after) = (b[end - 1], b.get(end + 1).copied());
                let letters = prev.is_ascii_alphabetic()
                    && matches!(c, b':' | b'.' | b'\'')
                    && after.is_some_and(|a| a.is_ascii_alphabetic());
                let digits = prev.is_ascii_digit()
                    && matches!(c, b',' | b';' | b'.' | b'\'')
                    && after.is_some_and(|a| a.is_ascii_digit());
                if letters || digits {
                    end += 2;
                } else {
                    break;
                }
            }
        } else if first == b' ' {
            while end < b.len() && b[end] == b' ' {
                end += 1;
            }
        } else if first == b'\r' && b.get(end) == Some(&b'\n') {
            end += 1;
        }
        self.pos = end;
        Some((start, &self.text[start..end]))
    }
}

/// Very common English function words. Words that are also frequent in
/// Malay/Indonesian, Croatian or Finnish ("a", "on", "to", "i", "no") are
/// deliberately left out.
/// Whether a word written in capitals is an ordinary English word ("NOT", "MUST", "SELECT",
/// "HIGH"): emphasis, a keyword or a label, not an acronym.
pub(crate) fn is_capitalised_word(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    let w = w.as_str();
    lexicon().contains_key(w)
        || is_english_function_word(w)
        || is_determiner(w)
        || is_preposition(w)
        || is_subject_pronoun(w)
        || is_object_pronoun(w)
        || is_modal(w)
        || is_be_present(w)
        || is_be_past(w)
        || is_have(w)
        || is_adverb(w)
        || is_subordinator(w)
        || EMPHASIS.contains(&w)
}

/// Capitalised words seen in procedures that the verb lexicon does not hold.
const EMPHASIS: &[&str] = &[
    "not",
    "cannot",
    "yes",
    "no",
    "only",
    "one",
    "two",
    "three",
    "high",
    "medium",
    "low",
    "critical",
    "urgent",
    "important",
    "warning",
    "caution",
    "danger",
    "note",
    "tip",
    "done",
    "new",
    "old",
    "true",
    "false",
    "null",
    "none",
    "total",
    "error",
    "fatal",
    "info",
    "debug",
    "trace",
    "warn",
    "panic",
    "inner",
    "outer",
    "left",
    "right",
    "where",
    "from",
    "and",
    "or",
    "if",
    "then",
    "else",
    "end",
    "case",
    "when",
    "public",
    "private",
    "global",
    "local",
    "user",
    "users",
    "master",
    "primary",
    "replica",
    "epic",
    "wave",
    "usage",
    "index",
    "table",
    "key",
    "keys",
    "logs",
    "sum",
    "count",
    "limit",
    "offset",
    "distinct",
    "values",
    "null",
    "asc",
    "desc",
    "foo",
    "bar",
    "baz",
    "meta",
    "help",
    "never",
    "always",
    "every",
    "each",
    "very",
    "first",
    "last",
    "next",
    "stop",
    "go",
    "ok",
    "off",
    "on",
    "out",
    "up",
    "down",
    "per",
    "via",
    "all",
    "any",
    "both",
    "full",
    "free",
    "live",
    "dead",
    "safe",
    "unsafe",
    "red",
    "green",
    "amber",
    "yellow",
    "blue",
    "black",
    "white",
    "draft",
    "final",
    "open",
    "closed",
    "pending",
];

fn is_english_function_word(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "an"
            | "and"
            | "or"
            | "of"
            | "in"
            | "for"
            | "with"
            | "is"
            | "are"
            | "be"
            | "it"
            | "that"
            | "this"
            | "if"
            | "at"
            | "by"
            | "from"
            | "as"
            | "not"
            | "you"
            | "your"
            | "all"
            | "any"
            | "each"
            | "before"
            | "after"
            | "when"
            | "then"
            | "their"
            | "they"
            | "we"
            | "our"
            | "was"
            | "were"
            | "has"
            | "have"
            | "will"
            | "should"
            | "must"
            | "into"
            | "than"
            | "there"
            | "which"
            | "who"
            | "what"
            | "can"
            | "do"
            | "don't"
            | "it's"
            | "its"
            | "been"
            | "these"
            | "those"
            | "them"
            | "until"
            | "within"
            | "without"
            | "about"
            | "via"
            | "per"
            | "between"
            | "every"
            | "only"
            | "also"
            | "so"
            | "but"
            | "up"
            | "out"
            | "to"
    )
}

/// Function words of Malay/Indonesian, Croatian and Finnish that never occur in English prose.
fn is_foreign_function_word(w: &str) -> bool {
    matches!(
        w,
        // Malay / Indonesian
        "dan" | "yang" | "di" | "ke" | "dari" | "untuk" | "dengan" | "ini" | "itu" | "pada"
            | "sebelum" | "selepas" | "sesudah" | "jika" | "kalau" | "tidak" | "atau" | "ada"
            | "akan" | "oleh" | "dalam" | "kepada" | "sila" | "harap" | "jangan" | "bagi"
            // Croatian
            | "je" | "su" | "se" | "na" | "za" | "od" | "da" | "ako" | "ili" | "prije" | "nakon"
            | "nije" | "koji" | "koja" | "koje" | "kod" | "sa" | "iz" | "te"
            // Finnish
            | "ja" | "ei" | "tai" | "jos" | "ennen" | "kun" | "että" | "ole" | "ovat" | "sen"
            | "kanssa" | "myös" | "vain" | "tämä"
    )
}

/// Does the text look English? Counts English function words and lexicon
/// verbs against the words of the text; foreign function words count against it.
pub(crate) fn looks_english(text: &str) -> bool {
    let mut words = 0usize;
    let mut score = 0.0f64;
    let mut foreign = 0usize;
    let mut buf = String::new();
    // A plain split is enough to spot function words, and much cheaper than UAX #29 word
    // bounds: this runs on every document without a `lang`.
    for w in text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}')) {
        let w = w.trim_matches(|c| c == '\'' || c == '\u{2019}');
        if !w.chars().any(char::is_alphabetic) {
            continue;
        }
        words += 1;
        buf.clear();
        push_lower(&mut buf, w);
        if is_english_function_word(&buf) {
            score += 1.0;
        } else if is_foreign_function_word(&buf) {
            foreign += 1;
        } else if lex_flags(&buf) != 0 {
            score += 0.5;
        }
        if words >= 200 {
            break; // enough evidence; keeps long documents cheap
        }
    }
    if words == 0 {
        return false;
    }
    let share = score / words as f64;
    share >= 0.25 && (foreign as f64) < score / 2.0
}

#[cfg(test)]
mod tests {
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
        meets_the_bar(include_str!("../../tests/data/step_mood.tsv"), "tuning");
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
            include_str!("../../tests/data/step_mood_holdout.tsv"),
            "held-out",
        );
    }

    /// A second independent set, other domains and writing styles.
    #[test]
    fn mood_precision_recall_second_held_out() {
        meets_the_bar(
            include_str!("../../tests/data/step_mood_holdout2.tsv"),
            "held-out 2",
        );
    }

    /// A third set, written blind after the fixes that sets 1 and 2 prompted: the current
    /// honest measure.
    #[test]
    fn mood_precision_recall_third_held_out() {
        meets_the_bar(
            include_str!("../../tests/data/step_mood_holdout3.tsv"),
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
    fn word_count_counts_words() {
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count("   "), 0);
        assert_eq!(word_count("Send the form."), 3);
        // UAX #29 splits "e-mail" in two.
        assert_eq!(word_count("Don't call 911, e-mail us!"), 6);
        assert_eq!(word_count("🙂 Provjerite identitet korisnika."), 3);
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
            let _ = word_count(text);
        }
    }
}
