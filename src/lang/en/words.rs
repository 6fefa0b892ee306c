//! Closed word classes: small and fixed, so plain `matches!` is fastest.

use super::lexicon::{lex_has, BASE};

/// The determiners that open a noun phrase whatever follows: articles, demonstratives,
/// possessives and "all", "each", "every", "any", "some". After a verb form they start its
/// object ("Checked the logs"), which P001 uses to tell a past tense from a participle.
pub(crate) fn is_core_determiner(w: &str) -> bool {
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
            | "your"
            | "our"
            | "their"
            | "its"
            | "his"
            | "her"
            | "my"
    )
}

/// Every determiner: the core ones and the number and quantity words ("no", "both", "two").
pub(super) fn is_determiner(w: &str) -> bool {
    is_core_determiner(w)
        || matches!(
            w,
            "no" | "both"
                | "either"
                | "neither"
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

pub(super) fn is_object_pronoun(w: &str) -> bool {
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

pub(super) fn is_subject_pronoun(w: &str) -> bool {
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

pub(super) fn is_preposition(w: &str) -> bool {
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
pub(super) fn is_clause_opener(w: &str) -> bool {
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
pub(super) fn is_subordinator(w: &str) -> bool {
    matches!(
        w,
        "if" | "when" | "that" | "which" | "who" | "because" | "while" | "unless" | "whether"
    )
}

pub(super) fn is_future_aux(w: &str) -> bool {
    matches!(w, "will" | "shall" | "'ll" | "won't" | "shan't")
}

pub(super) fn is_modal(w: &str) -> bool {
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

pub(super) fn is_be_present(w: &str) -> bool {
    matches!(w, "is" | "are" | "am" | "isn't" | "aren't")
}

pub(super) fn is_be_past(w: &str) -> bool {
    matches!(w, "was" | "were" | "wasn't" | "weren't")
}

pub(super) fn is_have(w: &str) -> bool {
    matches!(w, "has" | "have" | "had" | "hasn't" | "haven't" | "hadn't")
}

/// A finite auxiliary right after a word shows that the word was a subject.
pub(super) fn is_strong_finite(w: &str) -> bool {
    is_future_aux(w)
        || is_modal(w)
        || is_be_present(w)
        || is_be_past(w)
        || is_have(w)
        || matches!(w, "does" | "doesn't" | "do" | "don't" | "did" | "didn't")
}

/// Adverbs that may sit inside a verb group ("will then send", "has already
/// checked") or in front of an imperative ("Then open", "Please call").
pub(super) fn is_adverb(w: &str) -> bool {
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
pub(super) fn is_leading_filler(w: &str) -> bool {
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
pub(super) fn takes_clause(w: &str) -> bool {
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
