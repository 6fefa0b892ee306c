//! A fast test for whether text holds one of a few words, ASCII case-insensitively.
//!
//! An Aho-Corasick automaton built case-insensitively has too many first bytes for a vector
//! prefilter, so it walks every byte of every block. Lower-casing the ASCII letters of the text
//! into a reused buffer (a copy the compiler vectorizes) and searching it for the lower-cased
//! words case-sensitively lets the automaton skip ahead with its vector prefilter. The answer
//! is the same: ASCII lower-casing keeps every byte offset and touches no other byte.

use std::cell::RefCell;

use aho_corasick::AhoCorasick;

thread_local! {
    /// The lower-cased copy of the text being tested, reused from block to block.
    static LOWER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Words to look for, ASCII case-insensitively.
pub(crate) struct AsciiWords {
    lower: AhoCorasick,
}

impl AsciiWords {
    pub(crate) fn new<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> Self {
        let lower = AhoCorasick::new(words.into_iter().map(|w| w.as_ref().to_ascii_lowercase()))
            .expect("a few short words build an automaton");
        Self { lower }
    }

    /// Whether `text` holds one of the words, ASCII letters in any case.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let search = |buf: &mut Vec<u8>| {
            buf.clear();
            buf.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
            self.lower.is_match(buf.as_slice())
        };
        LOWER.with(|buf| match buf.try_borrow_mut() {
            Ok(mut buf) => search(&mut buf),
            Err(_) => search(&mut Vec::new()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasickBuilder;

    const WORDS: &[&str] = &["step", "Korak", "100 %", "zajamčite", "ei koskaan"];

    fn slow(text: &str) -> bool {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(WORDS)
            .unwrap()
            .is_match(text)
    }

    proptest::proptest! {
        /// The same answer as a case-insensitive automaton, on text made of the words' own
        /// letters in both cases and some that are not ASCII.
        #[test]
        fn same_as_case_insensitive_automaton(
            text in "(step|STEP|sTeP|ste|korak|KORAK|kora|100 %|100%|zajamčite|ZAJAMČITE|zajamcite|ei koskaan|EI KOSKAAN|ei  koskaan|č|Č| |x|é)*",
        ) {
            let words = AsciiWords::new(WORDS);
            proptest::prop_assert_eq!(words.is_match(&text), slow(&text));
        }

        #[test]
        fn same_on_any_text(text in "[stepSTEPkorKOR %0-9čČ\u{212a}ſ]{0,12}") {
            let words = AsciiWords::new(WORDS);
            proptest::prop_assert_eq!(words.is_match(&text), slow(&text));
        }
    }

    #[test]
    fn finds_words_in_any_ascii_case() {
        let words = AsciiWords::new(WORDS);
        assert!(words.is_match("Go to STEP 4"));
        assert!(words.is_match("Pogledajte KORAK 3"));
        assert!(words.is_match("zajamčite"));
        assert!(words.is_match("ZAJAMčITE x"));
        assert!(!words.is_match("ZAJAMČITE x"));
        assert!(!words.is_match("Nothing here."));
        assert!(!words.is_match(""));
    }
}
