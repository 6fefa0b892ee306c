//! What the step judges of Malay, Indonesian, Croatian and Finnish share: the kinds of
//! problem, the words of a step with their byte ranges, and the main clause.

use std::ops::Range;

/// What is wrong with a step written in one of the seed languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StepKind {
    /// A role as subject with a finite verb: "Petugas loket memeriksa berkas".
    Descriptive,
    /// A nominalisation with no verb: "Provjera dokumenata podnositelja".
    Nominal,
    /// Past or perfect, active or passive: "Soba je očišćena", "on tarkistettu".
    Past,
    /// Future or a commitment: "Lähetämme vahvistuksen".
    Future,
}

/// A step that is not an instruction, with the words that show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StepProblem {
    pub kind: StepKind,
    /// Byte range into the step text of the offending words.
    pub span: Range<usize>,
    pub message: String,
    pub help: String,
}

impl StepProblem {
    /// A problem over `span` of `text`, with the English message for its kind quoting the
    /// words and a help line showing the instruction form (`example`, in the language).
    pub(crate) fn new(kind: StepKind, text: &str, span: Range<usize>, example: &str) -> Self {
        let words = text.get(span.clone()).unwrap_or_default();
        let message = match kind {
            StepKind::Descriptive => {
                format!("\"{words}\" describes what someone does: the step is not an instruction")
            }
            StepKind::Nominal => {
                format!(
                    "\"{words}\" names an action without a verb: the step is not an instruction"
                )
            }
            StepKind::Past => {
                format!("\"{words}\" says what was done: the step is not an instruction")
            }
            StepKind::Future => {
                format!("\"{words}\" says what will be done: the step is not an instruction")
            }
        };
        let help = format!("start the step with the verb in the imperative: \"{example}\"");
        StepProblem {
            kind,
            span,
            message,
            help,
        }
    }
}

/// One word of a step: its byte range in the text and its lower-cased form.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub range: Range<usize>,
    pub lower: String,
    /// Whether a comma (or a semicolon, a dash, a parenthesis) follows the word.
    pub comma_after: bool,
}

/// The words of the step's first sentence (letters, digits, inner hyphens and apostrophes).
pub(crate) fn first_sentence_words(text: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let inner = matches!(c, '-' | '\'' | '’')
            && start.is_some()
            && next.is_some_and(char::is_alphanumeric);
        if c.is_alphanumeric() || inner {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(Word {
                range: s..i,
                lower: text[s..i].to_lowercase(),
                comma_after: false,
            });
        }
        if matches!(c, ',' | '(' | ')' | '–' | '—' | ';') {
            if let Some(w) = out.last_mut() {
                w.comma_after = true;
            }
        }
        // The end of the first sentence: ". " (not "1.5", not "e.g." inside a word).
        if matches!(c, '.' | '!' | '?') && next.is_none_or(char::is_whitespace) && !out.is_empty() {
            return out;
        }
    }
    if let Some(s) = start {
        out.push(Word {
            range: s..text.len(),
            lower: text[s..].to_lowercase(),
            comma_after: false,
        });
    }
    out
}

/// The main clause of a step: the words after a fronted subordinate clause ("Jika …, ",
/// "Ako …, ", "Jos …, ") up to the first subordinator. `fronted` opens a clause put before
/// the main one, `subordinate` opens a clause after the verb (a one-word entry or, with a
/// space, two words).
pub(crate) fn main_clause<'a>(
    words: &'a [Word],
    fronted: &dyn Fn(&str) -> bool,
    subordinate: &dyn Fn(&[Word], usize) -> bool,
) -> &'a [Word] {
    let mut from = 0;
    // Fronted clauses, possibly several ("Jika …, sebelum …, semak …").
    // (A relative clause may follow the fronted one: "Jos haluat …, joilla on …, täytä …".)
    while words
        .get(from)
        .is_some_and(|w| fronted(&w.lower) || (from > 0 && subordinate(words, from)))
    {
        match words[from..].iter().position(|w| w.comma_after) {
            Some(at) if from + at + 1 < words.len() => from += at + 1,
            _ => return &words[words.len()..],
        }
    }
    let rest = &words[from..];
    let end = (1..rest.len())
        .find(|&i| subordinate(rest, i))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Whether `w`, from a language's list of words that open a subordinate clause, opens one
/// where instructions are counted: not the purpose and comparison words ("untuk", "bagi",
/// "kao", "pa", "a"), which join phrases, not clauses.
pub(crate) fn opens_clause(subordinate: &[&str], w: &str) -> bool {
    subordinate.contains(&w) && !matches!(w, "untuk" | "bagi" | "kao" | "pa" | "a")
}

/// Whether the word at `i` is `a` followed by `b` ("sama ada", "je li").
pub(crate) fn pair(words: &[Word], i: usize, a: &str, b: &str) -> bool {
    words.get(i).is_some_and(|w| w.lower == a) && words.get(i + 1).is_some_and(|w| w.lower == b)
}

/// Words that join two instructions in the seed languages ("dan", "serta", "lalu", "i",
/// "te", "pa", "ja", "sekä") and the adverbs that may follow them ("kemudian", "zatim",
/// "sitten").
const AND_WORDS: &[&str] = &[
    "dan",
    "serta",
    "lalu",
    "kemudian",
    "i",
    "te",
    "pa",
    "a",
    "zatim",
    "potom",
    "ja",
    "sekä",
    "sitten",
    "seterusnya",
    "selanjutnya",
];

/// Where the third instruction of a step starts, when its first sentence holds three or more
/// instructions in a row, joined by commas and and-words ("Ukur suhu pesakit, timbang berat
/// badannya dan catat bacaan"): the range of the last joiner before it (the and-word, or the
/// comma). `instruction` tells whether a word opens an instruction, `stop` whether it opens a
/// subordinate clause, after which nothing counts. A verb joined to the next by an and-word
/// ("Tandatangani dan cop borang") is one compound instruction with it.
pub(crate) fn third_instruction(
    text: &str,
    instruction: &dyn Fn(&Word) -> bool,
    stop: &dyn Fn(&str) -> bool,
) -> Option<Range<usize>> {
    let words = first_sentence_words(text);
    let mut count = 0;
    let mut boundary = true;
    let mut joiner: Option<Range<usize>> = None;
    for (i, w) in words.iter().enumerate() {
        if i > 0 && stop(&w.lower) {
            return None;
        }
        if AND_WORDS.contains(&w.lower.as_str()) {
            if joiner.is_none() || !boundary {
                joiner = Some(w.range.clone());
            }
            boundary = true;
            continue;
        }
        let compound = !w.comma_after
            && words
                .get(i + 1)
                .is_some_and(|n| AND_WORDS.contains(&n.lower.as_str()));
        if boundary && !compound && instruction(w) {
            count += 1;
            if count >= 3 {
                // The joiner: the and-word before this verb, or the comma after the last word.
                let at = joiner
                    .clone()
                    .filter(|j| j.end <= w.range.start)
                    .unwrap_or_else(|| {
                        let prev = &words[i.saturating_sub(1)];
                        let comma = text[prev.range.end..w.range.start]
                            .find(',')
                            .map_or(prev.range.end, |c| prev.range.end + c);
                        comma..comma + 1
                    });
                return Some(at);
            }
        }
        boundary = w.comma_after;
        if boundary {
            joiner = None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_stop_at_the_first_sentence() {
        let w = first_sentence_words("Semak e-mel, pH 1.5 dulu. Lalu tutup.");
        let lower: Vec<&str> = w.iter().map(|w| w.lower.as_str()).collect();
        assert_eq!(lower, ["semak", "e-mel", "ph", "1", "5", "dulu"]);
        assert!(w[1].comma_after);
    }

    #[test]
    fn three_instructions_in_a_row() {
        let verb = |w: &Word| {
            matches!(
                w.lower.as_str(),
                "ukur" | "timbang" | "catat" | "tandatangani" | "cop"
            )
        };
        let stop = |w: &str| w == "jika";
        let text = "Ukur suhu pesakit, timbang berat badannya dan catat bacaan.";
        let at = third_instruction(text, &verb, &stop).unwrap();
        assert_eq!(&text[at], "dan");
        let text = "Ukur suhu, tandatangani dan cop borang.";
        assert!(third_instruction(text, &verb, &stop).is_none());
        let text = "Ukur suhu, timbang berat, catat bacaan.";
        assert_eq!(&text[third_instruction(text, &verb, &stop).unwrap()], ",");
        let text = "Ukur suhu, timbang berat jika perlu dan catat bacaan.";
        assert!(third_instruction(text, &verb, &stop).is_none());
    }

    #[test]
    fn main_clause_skips_fronted_and_stops_at_subordinators() {
        let w = first_sentence_words("Jika kad disekat, semak sama ada pelanggan telah datang.");
        let m = main_clause(&w, &|s| s == "jika", &|ws, i| pair(ws, i, "sama", "ada"));
        let lower: Vec<&str> = m.iter().map(|w| w.lower.as_str()).collect();
        assert_eq!(lower, ["semak"]);
    }
}
