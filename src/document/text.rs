//! Plain text of inline Markdown with a map back to source offsets.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// The number of words in `text`, the same in every language: the Unicode (UAX #29) word
/// segments that hold a letter or a digit. A number ("1,000", "3.5"), a contraction ("don't")
/// and a word with an inner full stop ("e.g") are one word; punctuation and symbols standing
/// alone ("-", "&", "🙂") are none; each part of a hyphenated group ("follow-up", "on-call",
/// "e-mail") or of a pair with a slash ("and/or") is a word. That is how ASD-STE100 counts
/// sentence length, since the reader reads every part, except that it counts a prefix with its
/// word ("re-run") and an identifier ("CS-001") as one; telling those apart needs a lexicon
/// per language, and the difference is one word now and then. Splitting at whitespace instead
/// (what word processors do) would let a sentence of long compounds pass as short.
pub(crate) fn word_count(text: &str) -> usize {
    if text.is_ascii() {
        return ascii_word_count(text.as_bytes());
    }
    text.split_word_bounds()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// [`word_count`] of ASCII text: UAX #29 restricted to ASCII, where letters, digits and `_`
/// join each other (WB5, WB8–WB10, WB13a–b), `:` `.` `'` join two letters (WB6–7) and `,` `;`
/// `.` `'` two digits (WB11–12), and everything else breaks. `ascii_word_count_is_uax29`
/// checks it against the segmenter.
fn ascii_word_count(b: &[u8]) -> usize {
    let joins = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let joins_across = |prev: u8, mid: u8, next: u8| {
        (prev.is_ascii_alphabetic()
            && next.is_ascii_alphabetic()
            && matches!(mid, b':' | b'.' | b'\''))
            || (prev.is_ascii_digit()
                && next.is_ascii_digit()
                && matches!(mid, b',' | b';' | b'.' | b'\''))
    };
    let mut count = 0;
    let mut i = 0;
    while i < b.len() {
        if !joins(b[i]) {
            i += 1;
            continue;
        }
        // A segment starts at `i`: follow it to its end.
        let mut has_alnum = false;
        loop {
            has_alnum |= b[i].is_ascii_alphanumeric();
            match (b.get(i + 1), b.get(i + 2)) {
                (Some(&next), _) if joins(next) => i += 1,
                (Some(&mid), Some(&next)) if joins_across(b[i], mid, next) => i += 2,
                _ => break,
            }
        }
        i += 1;
        count += usize::from(has_alnum);
    }
    count
}

/// Sentence pieces of `text`, in order: each runs up to `.`, `!` or `?` (and a line break when
/// `newline`) followed by whitespace or the end, untrimmed; the text after the last end is the
/// final piece when there is any.
pub(crate) fn sentence_ranges(text: &str, newline: bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    // The ends are ASCII, so a byte scan finds them; the character after one is decoded only
    // there.
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if !(matches!(b, b'.' | b'!' | b'?') || (newline && b == b'\n')) {
            continue;
        }
        let at_end = text[i + 1..].chars().next().is_none_or(char::is_whitespace);
        if at_end {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// Text with the source range of every piece, so that a match in the text can be underlined
/// in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlainText {
    text: String,
    /// (text offset, source range). Pieces are in order and do not overlap.
    pieces: Vec<(usize, Range<usize>)>,
}

impl PlainText {
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// Appends `text` written at `source` in the file. When the text is as long as its source
    /// (no escapes or entities), offsets map one to one; otherwise the piece maps to its whole
    /// source range.
    pub fn push(&mut self, text: &str, source: Range<usize>) {
        if text.is_empty() {
            return;
        }
        self.pieces.push((self.text.len(), source));
        self.text.push_str(text);
    }

    /// Appends a separator (a space for a soft break) mapped to `at`.
    pub fn push_sep(&mut self, sep: &str, at: usize) {
        if !self.text.is_empty() && !self.text.ends_with(char::is_whitespace) {
            self.push(sep, at..at);
        }
    }

    /// The source range of the whole text.
    pub fn source_range(&self) -> Range<usize> {
        match (self.pieces.first(), self.pieces.last()) {
            (Some(first), Some(last)) => first.1.start..last.1.end.max(first.1.start),
            _ => 0..0,
        }
    }

    /// The part of the text in `range` (byte offsets on char boundaries), still mapped to the
    /// source.
    pub fn slice(&self, range: Range<usize>) -> PlainText {
        let end = range.end.min(self.text.len());
        let start = range.start.min(end);
        let mut out = PlainText::default();
        if start == end || !self.text.is_char_boundary(start) || !self.text.is_char_boundary(end) {
            return out;
        }
        for (i, (at, _)) in self.pieces.iter().enumerate() {
            let next = self.pieces.get(i + 1).map_or(self.text.len(), |(t, _)| *t);
            let (a, b) = ((*at).max(start), next.min(end));
            if a < b {
                out.pieces.push((out.text.len(), self.to_source(a..b)));
                out.text.push_str(&self.text[a..b]);
            }
        }
        out
    }

    /// Maps a byte range of the text to a byte range of the source.
    pub fn to_source(&self, range: Range<usize>) -> Range<usize> {
        if self.pieces.is_empty() {
            return 0..0;
        }
        let start = self.map_offset(range.start, false);
        let end = self.map_offset(range.end, true).max(start);
        start..end
    }

    fn map_offset(&self, offset: usize, is_end: bool) -> usize {
        // The piece that holds the offset; at a boundary, an end belongs to the earlier piece.
        let idx = match self.pieces.binary_search_by(|(t, _)| t.cmp(&offset)) {
            Ok(i) if is_end && i > 0 => i - 1,
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let (text_start, src) = &self.pieces[idx];
        let piece_len = self
            .pieces
            .get(idx + 1)
            .map_or(self.text.len(), |(t, _)| *t)
            - text_start;
        let within = offset.saturating_sub(*text_start).min(piece_len);
        if src.len() == piece_len {
            src.start + within
        } else if is_end {
            src.end
        } else {
            src.start
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uax29_word_count(text: &str) -> usize {
        text.split_word_bounds()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
    }

    fn char_sentence_ranges(text: &str, newline: bool) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            let at_end = iter.peek().is_none_or(|(_, n)| n.is_whitespace());
            if (matches!(c, '.' | '!' | '?') || (newline && c == '\n')) && at_end {
                out.push(start..i + c.len_utf8());
                start = i + c.len_utf8();
            }
        }
        if start < text.len() {
            out.push(start..text.len());
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn ascii_word_count_is_uax29(text in "[aZz09_.,;:'\" \t\n\r!?&/()-]{0,40}") {
            proptest::prop_assert_eq!(ascii_word_count(text.as_bytes()), uax29_word_count(&text));
        }

        #[test]
        fn any_ascii_word_count_is_uax29(text in "[\\x00-\\x7f]{0,40}") {
            proptest::prop_assert_eq!(ascii_word_count(text.as_bytes()), uax29_word_count(&text));
        }

        #[test]
        fn byte_sentence_ranges_are_the_char_ones(
            text in "[a .!?\n\u{a0}\u{2003}é😀]{0,30}",
            newline: bool,
        ) {
            proptest::prop_assert_eq!(sentence_ranges(&text, newline), char_sentence_ranges(&text, newline));
        }

        /// What the pack check relies on: text has a word exactly when it has a letter or digit.
        #[test]
        fn words_exactly_when_alphanumeric(text in "[a0_ .,'é😀\u{301}-]{0,12}") {
            proptest::prop_assert_eq!(word_count(&text) > 0, text.chars().any(char::is_alphanumeric));
        }
    }

    #[test]
    fn ascii_word_counts() {
        for (text, n) in [
            ("Send the form.", 3),
            ("1,000 and 3.5 don't e.g follow-up and/or", 9),
            ("a_:b __ _x 12:30", 5),
            ("", 0),
        ] {
            assert_eq!(word_count(text), n, "{text}");
            assert_eq!(uax29_word_count(text), n, "{text}");
        }
    }

    #[test]
    fn maps_offsets_through_pieces() {
        // Source: "Send **the** form" with text "Send the form".
        let mut t = PlainText::default();
        t.push("Send ", 0..5);
        t.push("the", 7..10);
        t.push(" form", 12..17);
        assert_eq!(t.as_str(), "Send the form");
        assert_eq!(t.to_source(5..8), 7..10);
        assert_eq!(t.to_source(0..13), 0..17);
        assert_eq!(t.to_source(9..13), 13..17);
    }

    #[test]
    fn escaped_pieces_map_to_their_whole_source() {
        let mut t = PlainText::default();
        t.push("&", 0..5);
        assert_eq!(t.to_source(0..1), 0..5);
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
    fn word_count_counts_each_part_of_a_compound_and_a_number_once() {
        assert_eq!(word_count("Ask the on-call engineer for a follow-up."), 9);
        assert_eq!(
            word_count("Pay 1,000 EUR or 3.5 % and/or wait—then stop."),
            10
        );
        assert_eq!(word_count("Check - & ... ( ) 🙂 done"), 2);
        assert_eq!(
            word_count("Tarkista henkilöllisyys\u{a0}heti.\tSemak\nidentiti."),
            5
        );
        assert_eq!(word_count("Provjerite korisnika; zatvorite prijavu."), 4);
    }

    #[test]
    fn sentence_ranges_end_at_punctuation_and_optionally_line_breaks() {
        let text = "Open v1.2 now. Close it\n\nDone";
        let pieces = |newline| -> Vec<&str> {
            sentence_ranges(text, newline)
                .into_iter()
                .map(|r| &text[r])
                .collect()
        };
        assert_eq!(pieces(false), ["Open v1.2 now.", " Close it\n\nDone"]);
        assert_eq!(pieces(true), ["Open v1.2 now.", " Close it\n", "\nDone"]);
        assert!(sentence_ranges("", true).is_empty());
    }
}
