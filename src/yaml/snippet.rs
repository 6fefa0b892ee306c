//! Whether a span can be shown with miette's graphical renderer.
//!
//! The renderer pads the underline of a single-line label with `{:width$}`, and Rust's
//! formatter panics ("Formatting argument out of range") for a width above `u16::MAX`: a
//! finding past column 65,535 of a long line would abort the whole run. Such findings are
//! shown without the source snippet instead (their line and column stay in the report).

use std::ops::Range;

/// The widest visual column a label may start or end at: below `u16::MAX`, with room for
/// the gutter the renderer adds.
const MAX_VISUAL_COLUMN: usize = 60_000;

/// Whether the start of `span` (where the renderer pads to; its end is drawn without padding)
/// lies at a visual column the renderer can pad to. The width of the text before it on its
/// line is over-estimated (a tab counts 4 columns, as the renderer's default tab width; any
/// non-ASCII character 2), so `true` is always safe.
pub(crate) fn fits_renderer(src: &str, span: &Range<usize>) -> bool {
    visual_column_bound(src, span.start) <= MAX_VISUAL_COLUMN
}

/// An upper bound of the visual column of byte offset `at` on its line.
fn visual_column_bound(src: &str, at: usize) -> usize {
    let at = at.min(src.len());
    let bytes = &src.as_bytes()[..at];
    let line_start = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = &bytes[line_start..];
    // Cheap exit for the usual short line: no byte widens to more than 4 columns.
    if line.len() * 4 <= MAX_VISUAL_COLUMN {
        return line.len() * 4;
    }
    line.iter()
        .map(|&b| match b {
            b'\t' => 4,
            // A continuation byte of a multi-byte character adds nothing; its lead byte 2.
            0x80..=0xBF => 0,
            0xC0..=0xFF => 2,
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_fit_and_long_ones_do_not() {
        assert!(fits_renderer("abc\ndef", &(5..6)));
        let long = format!("{}x\nshort", "a".repeat(70_000));
        assert!(!fits_renderer(&long, &(70_000..70_001)));
        assert!(fits_renderer(&long, &(70_002..70_003)));
        assert!(fits_renderer(&long, &(0..70_001)));
        // ASCII up to the limit fits; tabs count four columns.
        let edge = "a".repeat(MAX_VISUAL_COLUMN);
        assert!(fits_renderer(
            &edge,
            &(MAX_VISUAL_COLUMN..MAX_VISUAL_COLUMN)
        ));
        let tabs = "\t".repeat(MAX_VISUAL_COLUMN / 2);
        assert!(!fits_renderer(&tabs, &(tabs.len()..tabs.len())));
        // Offsets past the end are clamped, not a panic.
        assert!(fits_renderer("ab", &(1..99)));
    }
}
