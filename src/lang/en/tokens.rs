//! Steps split into words and clause punctuation, with UAX #29 word boundaries.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokKind {
    Word,
    /// Clause punctuation: , ; : and dashes.
    Break(char),
    Other,
}

#[derive(Debug, Clone)]
pub(super) struct Tok {
    pub(super) kind: TokKind,
    /// Byte range in the original text.
    pub(super) span: Range<usize>,
    /// Byte range in `Tokens::lower` (words only).
    pub(super) lc: Range<usize>,
    /// Whitespace follows the token.
    pub(super) space_after: bool,
}

/// The text split into words and punctuation, with one shared lower-cased
/// buffer so that lookups do not allocate per word.
pub(super) struct Tokens {
    pub(super) toks: Vec<Tok>,
    pub(super) lower: String,
}

impl Tokens {
    pub(super) fn new(text: &str) -> Self {
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

    pub(super) fn len(&self) -> usize {
        self.toks.len()
    }

    pub(super) fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == TokKind::Word)
    }

    /// Lower-cased word at `i`, or "" for punctuation / out of range.
    pub(super) fn w(&self, i: usize) -> &str {
        match self.toks.get(i) {
            Some(t) if t.kind == TokKind::Word => self.lower.get(t.lc.clone()).unwrap_or(""),
            _ => "",
        }
    }

    pub(super) fn span(&self, from: usize, to: usize) -> Range<usize> {
        match (self.toks.get(from), self.toks.get(to)) {
            (Some(a), Some(b)) => a.span.start..b.span.end,
            _ => 0..0,
        }
    }

    /// Index of the next clause break (comma, semicolon, colon, dash) at or after `i`.
    pub(super) fn next_break(&self, i: usize) -> Option<usize> {
        (i..self.len()).find(|&k| matches!(self.toks[k].kind, TokKind::Break(_)))
    }

    pub(super) fn next_word(&self, i: usize) -> Option<usize> {
        (i..self.len()).find(|&k| self.is_word(k))
    }
}

pub(super) fn push_lower(out: &mut String, piece: &str) {
    // ASCII: the lower case of every character is its ASCII lower case, and there is no
    // curly apostrophe to replace.
    if piece.is_ascii() {
        let start = out.len();
        out.push_str(piece);
        if let Some(added) = out.get_mut(start..) {
            added.make_ascii_lowercase();
        }
        return;
    }
    push_lower_slow(out, piece);
}

/// [`push_lower`] character by character: the path for non-ASCII text.
pub(super) fn push_lower_slow(out: &mut String, piece: &str) {
    for c in piece.chars() {
        // Curly apostrophes are common in pasted text: "don’t".
        if c == '\u{2019}' {
            out.push('\'');
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// UAX #29 word boundaries, as `split_word_bound_indices`, with a fast path for ASCII text
/// (most steps): the Unicode tables cost more than the rest of the step analysis.
pub(super) fn word_bounds(text: &str) -> Box<dyn Iterator<Item = (usize, &str)> + '_> {
    if text.is_ascii() {
        Box::new(AsciiWordBounds { text, pos: 0 })
    } else {
        Box::new(text.split_word_bound_indices())
    }
}

/// The word-break rules of UAX #29 restricted to ASCII: letters, digits and `_` join; `:`, `.`
/// and `'` join two letters (WB6/7); `,`, `;`, `.` and `'` join two digits (WB11/12); spaces
/// group (WB3d); CR LF is one piece (WB3); anything else stands alone.
pub(super) struct AsciiWordBounds<'a> {
    pub(super) text: &'a str,
    pub(super) pos: usize,
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

#[cfg(test)]
mod fast_tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn push_lower_equals_the_slow_path(prefix in "\\PC{0,4}", piece in "([a-zA-Z0-9'’ .-]|É|İ|K|ß|Σ|🙂){0,24}") {
            let mut fast = prefix.clone();
            push_lower(&mut fast, &piece);
            let mut slow = prefix;
            push_lower_slow(&mut slow, &piece);
            proptest::prop_assert_eq!(fast, slow);
        }
    }
}
