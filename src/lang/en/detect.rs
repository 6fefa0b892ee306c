//! Whether a text reads as English, and whether a word in capitals is an English word.

use super::lexicon::lexicon;
use super::tokens::push_lower;
use super::words::*;

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

/// Very common English function words. Words that are also frequent in
/// Malay/Indonesian, Croatian or Finnish ("a", "on", "to", "i", "no") are
/// deliberately left out.
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
    // The score in half points, so that the arithmetic is exact: the text reads as English
    // when score / words >= 0.25 and foreign < score / 2, that is 2 * half >= words and
    // 4 * foreign < half.
    let mut words = 0usize;
    let mut half = 0usize;
    let mut foreign = 0usize;
    let mut buf = String::new();
    // A plain split is enough to spot function words, and much cheaper than UAX #29 word
    // bounds: this runs on every document without a `lang`.
    for w in DetectWords::new(text) {
        let w = w.trim_matches(|c| c == '\'' || c == '\u{2019}');
        if !has_alphabetic(w) {
            continue;
        }
        words += 1;
        buf.clear();
        push_lower(&mut buf, w);
        // The function words first: a `match` costs less than a lookup in the large verb
        // table. Words here hold no hyphen, so `lex_flags` is the table's own entry.
        if is_english_function_word(&buf) {
            half += 2;
        } else if is_foreign_function_word(&buf) {
            foreign += 1;
        } else if lexicon().contains_key(buf.as_str()) {
            half += 1;
        }
        if words >= DETECT_WORDS {
            break; // enough evidence; keeps long documents cheap
        }
        // Settled: even if every word still to come (at most DETECT_WORDS - words) were a
        // foreign function word, the share holds and the foreign words stay below half.
        let left = DETECT_WORDS - words;
        if 2 * half >= DETECT_WORDS && 4 * (foreign + left) < half {
            return true;
        }
    }
    words > 0 && 2 * half >= words && 4 * foreign < half
}

/// The words [`looks_english`] reads at most.
const DETECT_WORDS: usize = 200;

/// Whether a character belongs to a word for [`looks_english`].
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '\u{2019}'
}

/// `w.chars().any(char::is_alphabetic)`, without decoding ASCII.
fn has_alphabetic(w: &str) -> bool {
    if w.is_ascii() {
        w.bytes().any(|b| b.is_ascii_alphabetic())
    } else {
        w.chars().any(char::is_alphabetic)
    }
}

/// The non-empty pieces of `text.split(|c| !is_word_char(c))`, read byte by byte where the
/// text is ASCII.
struct DetectWords<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> DetectWords<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, pos: 0 }
    }

    /// Whether the character at byte `i` is a word character, and its length in bytes.
    fn at(&self, i: usize) -> (bool, usize) {
        let b = self.text.as_bytes()[i];
        if b < 0x80 {
            (b.is_ascii_alphanumeric() || b == b'\'', 1)
        } else {
            match self.text.get(i..).and_then(|r| r.chars().next()) {
                Some(c) => (is_word_char(c), c.len_utf8()),
                None => (false, 1),
            }
        }
    }
}

impl<'a> Iterator for DetectWords<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let len = self.text.len();
        while self.pos < len {
            let (word, n) = self.at(self.pos);
            if word {
                break;
            }
            self.pos += n;
        }
        if self.pos >= len {
            return None;
        }
        let start = self.pos;
        while self.pos < len {
            let (word, n) = self.at(self.pos);
            if !word {
                break;
            }
            self.pos += n;
        }
        self.text.get(start..self.pos)
    }
}

/// The first version of [`looks_english`], kept to prove the fast one equal.
#[cfg(test)]
pub(crate) fn looks_english_slow(text: &str) -> bool {
    let mut words = 0usize;
    let mut score = 0.0f64;
    let mut foreign = 0usize;
    let mut buf = String::new();
    for w in text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}')) {
        let w = w.trim_matches(|c| c == '\'' || c == '\u{2019}');
        if !w.chars().any(char::is_alphabetic) {
            continue;
        }
        words += 1;
        buf.clear();
        super::tokens::push_lower_slow(&mut buf, w);
        if is_english_function_word(&buf) {
            score += 1.0;
        } else if is_foreign_function_word(&buf) {
            foreign += 1;
        } else if super::lexicon::lex_flags(&buf) != 0 {
            score += 0.5;
        }
        if words >= 200 {
            break;
        }
    }
    if words == 0 {
        return false;
    }
    let share = score / words as f64;
    share >= 0.25 && (foreign as f64) < score / 2.0
}

#[cfg(test)]
mod fast_tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn detect_words_equal_the_split(text in "([a-zA-Z0-9'’ .,;:!?-]|é|ß|İ|K|ć|🙂|\u{0}|\n){0,80}") {
            let slow: Vec<&str> = text.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()).collect();
            let fast: Vec<&str> = DetectWords::new(&text).collect();
            proptest::prop_assert_eq!(fast, slow);
        }

        #[test]
        fn looks_english_equals_the_slow_path(text in "((the|and|to|dan|yang|je|ja|send|close|logs|Running|don’t|it's|'|’|ÉTÉ|İs|Kelvin|ß|ć|🙂|x{1,3}|[A-Za-z]{1,8}|[0-9]{1,3})[ ,.;:'’-]{1,2}){0,260}") {
            proptest::prop_assert_eq!(looks_english(&text), looks_english_slow(&text));
        }

        /// Texts of a random mix of English function words, verb forms, foreign function
        /// words and other words, near the thresholds and past the early exit.
        #[test]
        fn looks_english_equals_the_slow_path_on_mixes(
            weights in proptest::collection::vec(0usize..5, 4),
            draws in proptest::collection::vec(0usize..1000, 0..320),
        ) {
            let classes: [&[&str]; 4] = [
                &["the", "don’t", "It's", "TO"],
                &["send", "Check", "restarts", "logged"],
                &["dan", "je", "että", "Ja"],
                &["zzq", "Kubernetes", "ćao", "42x"],
            ];
            let total: usize = weights.iter().sum::<usize>().max(1);
            let text = draws
                .iter()
                .enumerate()
                .map(|(n, d)| {
                    let mut at = d % total;
                    let class = weights.iter().position(|w| {
                        if at < *w {
                            true
                        } else {
                            at -= w;
                            false
                        }
                    });
                    let words = classes[class.unwrap_or(3)];
                    words[(d / 7 + n) % words.len()]
                })
                .collect::<Vec<_>>()
                .join(" ");
            proptest::prop_assert_eq!(looks_english(&text), looks_english_slow(&text));
        }

        #[test]
        fn looks_english_equals_the_slow_path_on_any_text(text in "\\PC{0,200}") {
            proptest::prop_assert_eq!(looks_english(&text), looks_english_slow(&text));
        }
    }
}
