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
    text.split_word_bounds()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Sentence pieces of `text`, in order: each runs up to `.`, `!` or `?` (and a line break when
/// `newline`) followed by whitespace or the end, untrimmed; the text after the last end is the
/// final piece when there is any.
pub(crate) fn sentence_ranges(text: &str, newline: bool) -> Vec<Range<usize>> {
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
