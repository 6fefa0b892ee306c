//! A fast test for which blocks of a document hold one of a few words, ASCII
//! case-insensitively.
//!
//! An Aho-Corasick automaton built case-insensitively has too many first bytes for a vector
//! prefilter, so it walks every byte of every block, and a call per block costs more than the
//! search in a short table cell. Instead the blocks of a document are copied once, their ASCII
//! letters lower-cased, into one reused buffer with a NUL byte between blocks, and searched for
//! the lower-cased words with a vector (Teddy) searcher, case-sensitively. The answer is the
//! same: ASCII lower-casing keeps every byte offset and touches no other byte, and no word
//! holds a NUL, so no match runs from one block into the next.

use std::cell::RefCell;

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, Input, MatchKind};

thread_local! {
    /// The lower-cased copy of the text being tested, reused from document to document.
    static LOWER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Words to look for, ASCII case-insensitively. No word may hold a NUL byte.
pub(crate) struct AsciiWords {
    /// The vector searcher, when the words suit one.
    teddy: Option<packed::Searcher>,
    /// Leftmost-first answers "is there a match" as the standard semantics do.
    lower: AhoCorasick,
}

impl AsciiWords {
    pub(crate) fn new<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> Self {
        let words: Vec<String> = words
            .into_iter()
            .map(|w| w.as_ref().to_ascii_lowercase())
            .filter(|w| !w.contains('\0'))
            .collect();
        let teddy = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(&words)
            .build();
        let lower = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&words)
            .expect("a few short words build an automaton");
        Self { teddy, lower }
    }

    /// The first match in `hay[at..]`: its start.
    fn find_at(&self, hay: &[u8], at: usize) -> Option<usize> {
        match &self.teddy {
            Some(t) => t
                .find_in(hay, aho_corasick::Span::from(at..hay.len()))
                .map(|m| m.start()),
            None => self
                .lower
                .find(Input::new(hay).span(at..hay.len()))
                .map(|m| m.start()),
        }
    }

    /// Whether `text` holds one of the words, ASCII letters in any case.
    #[cfg(test)]
    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.matching([text]).first().copied().unwrap_or(false)
    }

    /// For each of `texts`, whether it holds one of the words, ASCII letters in any case.
    pub(crate) fn matching<'t>(&self, texts: impl IntoIterator<Item = &'t str>) -> Vec<bool> {
        let search = |buf: &mut Vec<u8>| {
            buf.clear();
            // Where each text starts in the buffer.
            let mut starts = Vec::new();
            for t in texts {
                starts.push(buf.len());
                buf.extend_from_slice(t.as_bytes());
                buf.push(0);
            }
            buf.make_ascii_lowercase();
            let mut out = vec![false; starts.len()];
            let mut at = 0;
            while let Some(start) = self.find_at(buf, at) {
                // The text the match starts in (a match never holds the NUL after it).
                let i = starts.partition_point(|&s| s <= start) - 1;
                out[i] = true;
                match starts.get(i + 1) {
                    Some(&next) => at = next,
                    None => break,
                }
            }
            out
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

        /// Each text of many is answered as if alone: no match runs across two texts.
        #[test]
        fn each_text_as_if_alone(
            texts in proptest::collection::vec("(st|ep|step|STEP|Korak|ko|rak|100|100 %| %|x|ei|ei koskaan|koskaan| |č)*", 0..6),
        ) {
            let words = AsciiWords::new(WORDS);
            let each: Vec<bool> = texts.iter().map(|t| slow(t)).collect();
            proptest::prop_assert_eq!(words.matching(texts.iter().map(String::as_str)), each);
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
        assert_eq!(
            words.matching(["st", "ep", "a step", "", "KORAK", "ei", "koskaan"]),
            [false, false, true, false, true, false, false]
        );
    }
}
