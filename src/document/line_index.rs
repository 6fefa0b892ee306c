//! Byte offset → 1-based line and column (columns counted in characters).

/// Bytes per block of the character-count table: a column is counted from the nearest block
/// start, so its cost is bounded however long the line (one 2 MB line with 150,000 findings
/// costs no more than 150,000 short lines).
const BLOCK: usize = 256;

/// Start offsets of every line of a source text, for binary search, and the number of
/// characters before every [`BLOCK`] boundary, for columns.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `chars[k]`: characters (bytes that do not continue a UTF-8 sequence) in
    /// `source[..k * BLOCK]`.
    chars: Vec<usize>,
}

impl LineIndex {
    pub fn new(source: &str) -> Self {
        let bytes = source.as_bytes();
        let mut starts = Vec::with_capacity(source.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        let mut chars = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut count = 0;
        chars.push(0);
        for block in bytes.chunks(BLOCK) {
            count += char_count(block);
            chars.push(count);
        }
        Self { starts, chars }
    }

    /// 1-based line and character column of `offset`. Offsets past the end clamp to the end;
    /// offsets inside a multi-byte character count as that character.
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(source.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let mut end = offset;
        while end > start && !source.is_char_boundary(end) {
            end -= 1;
        }
        // A short stretch (most columns) is counted directly: fewer bytes than the two block
        // remainders of the table.
        let column = if end - start <= BLOCK {
            crate::work::add(end - start);
            char_count(&source.as_bytes()[start..end]) + 1
        } else {
            self.chars_before(source, end) - self.chars_before(source, start) + 1
        };
        (line + 1, column)
    }

    /// Characters in `source[..offset]`, `offset` a character boundary: the table entry of its
    /// block plus at most `BLOCK` bytes counted.
    fn chars_before(&self, source: &str, offset: usize) -> usize {
        let block = offset / BLOCK;
        match self.chars.get(block) {
            Some(&n) => {
                crate::work::add(offset - block * BLOCK);
                n + char_count(&source.as_bytes()[block * BLOCK..offset])
            }
            // An index built for another text: count from the start.
            None => source[..offset].chars().count(),
        }
    }

    /// Byte offset of the start of 1-based `line`, if it exists.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        line.checked_sub(1)
            .and_then(|i| self.starts.get(i).copied())
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The bytes of the line holding `offset`, its line break included, in a text of
    /// `len` bytes.
    pub fn line_around(&self, offset: usize, len: usize) -> std::ops::Range<usize> {
        let i = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        self.starts[i]..self.starts.get(i + 1).copied().unwrap_or(len)
    }

    /// Byte offset of the start of the line holding `offset`.
    pub fn start_of_line_at(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => self.starts[i],
            Err(i) => self.starts[i - 1],
        }
    }
}

/// Characters in a run of UTF-8 bytes that starts at a character boundary: the bytes that do
/// not continue a multi-byte sequence.
fn char_count(bytes: &[u8]) -> usize {
    // Counted in byte-wide sums of at most 255 (which vectorise 8 times wider than a sum of
    // `usize`s): the same count as `bytes.iter().filter(..).count()`.
    bytes
        .chunks(255)
        .map(|chunk| {
            chunk
                .iter()
                .map(|&b| u8::from((b as i8) >= -0x40))
                .fold(0u8, u8::wrapping_add) as usize
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = "ab\nčćž x\n";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_col(src, 0), (1, 1));
        assert_eq!(idx.line_col(src, 3), (2, 1));
        let x = src.find('x').unwrap();
        assert_eq!(idx.line_col(src, x), (2, 5));
        assert_eq!(idx.line_col(src, src.len()), (3, 1));
    }

    #[test]
    fn offsets_inside_a_character_clamp_to_it() {
        let src = "č";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_col(src, 1), (1, 1));
        assert_eq!(idx.line_col(src, 99), (1, 2));
    }

    #[test]
    fn columns_agree_with_counting_from_the_line_start() {
        // Long lines crossing many blocks, mixed widths, blocks that split a character.
        let line: String = (0..900)
            .map(|i| ["a", "č", "€", "😀", " "][i % 5])
            .collect();
        let src = format!("{line}\nx\n{line}{line}\n\n€");
        let idx = LineIndex::new(&src);
        for offset in 0..=src.len() + 2 {
            let mut end = offset.min(src.len());
            while !src.is_char_boundary(end) {
                end -= 1;
            }
            let start = src[..end].rfind('\n').map_or(0, |i| i + 1);
            let line_no = src[..start].matches('\n').count() + 1;
            let col = src[start..end].chars().count() + 1;
            assert_eq!(idx.line_col(&src, offset), (line_no, col), "at {offset}");
        }
    }

    proptest::proptest! {
        #[test]
        fn char_count_equals_counting_chars(text in "(\\PC|\\n){0,700}", cut in 0usize..3000) {
            let mut cut = cut.min(text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            proptest::prop_assert_eq!(char_count(text.as_bytes()), text.chars().count());
            proptest::prop_assert_eq!(char_count(&text.as_bytes()[cut..]), text[cut..].chars().count());
        }

        #[test]
        fn columns_equal_counting_from_the_line_start(
            text in "([a-z ]{0,300}|č|€|😀|\n){0,40}",
            offsets in proptest::collection::vec(0usize..4000, 1..20),
        ) {
            let idx = LineIndex::new(&text);
            for offset in offsets {
                let mut end = offset.min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
                let line_no = text[..start].matches('\n').count() + 1;
                let col = text[start..end].chars().count() + 1;
                proptest::prop_assert_eq!(idx.line_col(&text, offset), (line_no, col));
            }
        }
    }

    #[test]
    fn a_column_costs_the_same_however_long_the_line() {
        // Counting from the line start made n findings on one line read n² / 2 bytes.
        crate::work::assert_linear(
            "columns on one line",
            50_000,
            |n| "x€".repeat(n),
            |src| {
                let idx = LineIndex::new(src);
                for o in (0..src.len()).step_by(5) {
                    idx.line_col(src, o);
                }
            },
        );
    }
}
