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
//!
//! The parts: `lexicon` (the verb forms and their roles), `words` (closed word classes),
//! `tokens` (words and clause punctuation), `clause` (where the main clause starts and
//! whether it opens with an imperative), `mood` (future, past, gerund, third person, modal),
//! `actions` (several instructions in one step) and `detect` (does a text read as English).

mod actions;
mod clause;
mod detect;
mod lexicon;
mod mood;
#[cfg(test)]
mod tests;
mod tokens;
mod words;

pub(crate) use actions::multiple_actions;
pub(crate) use clause::opens_with_imperative;
pub(crate) use detect::{is_capitalised_word, looks_english};
pub(crate) use mood::{step_mood, MoodKind, MoodProblem};
pub(crate) use words::is_core_determiner;
