//! Byte offset → 1-based line and column (columns counted in characters).

/// Start offsets of every line of a source text, for binary search.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(source: &str) -> Self {
        let mut starts = Vec::with_capacity(source.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr_newlines(source.as_bytes()).map(|i| i + 1));
        Self { starts }
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
        let column = source[start..end].chars().count() + 1;
        (line + 1, column)
    }

    /// Byte offset of the start of 1-based `line`, if it exists.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        line.checked_sub(1)
            .and_then(|i| self.starts.get(i).copied())
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(i, b)| (*b == b'\n').then_some(i))
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
}
