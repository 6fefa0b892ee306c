//! The real nesting depth of lists and block quotes, as the parser sees it: for the input
//! guard, which must not count indentation in code blocks or the front matter as nesting.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{front_matter, markdown_options, LineIndex};

/// Whether the indentation and the list and quote markers at the start of `line` add up to
/// more than `limit` levels: an upper bound of the real depth (a nested list level takes a
/// marker or at least two columns of indentation), cheap to tell.
fn could_nest_beyond(line: &str, limit: usize) -> bool {
    scan(line, |levels, indent| levels + indent / 2 > limit).is_some()
}

/// Whether any line of `source` could nest beyond `limit` ([`could_nest_beyond`], lines as
/// `str::lines` splits them), without reading most lines: every byte the marker scan takes adds
/// at most 2 to `levels + indent / 2` (a tab, 4 columns), so only a line that opens with more
/// than `limit / 2` indentation and marker bytes needs the scan.
pub(crate) fn any_line_could_nest_beyond(source: &str, limit: usize) -> bool {
    let need = limit / 2 + 1;
    let bytes = source.as_bytes();
    let mut start = 0;
    loop {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        if end - start >= need
            && bytes[start..start + need]
                .iter()
                .all(|&b| is_marker_byte(b))
        {
            let line = &source[start..end];
            // As `str::lines`: a line break may be "\r\n"; a last line keeps its "\r".
            let line = match end < bytes.len() {
                true => line.strip_suffix('\r').unwrap_or(line),
                false => line,
            };
            if could_nest_beyond(line, limit) {
                return true;
            }
        }
        if end >= bytes.len() {
            return false;
        }
        start = end + 1;
    }
}

/// The bytes [`scan`] can take: indentation, quote and list markers.
fn is_marker_byte(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'>' | b'-' | b'*' | b'+' | b'0'..=b'9' | b'.' | b')'
    )
}

/// Where the list and quote markers at the start of `line` first number more than `limit`, as
/// the byte offset just after the marker that tips it over.
fn marker_depth_cut(line: &str, limit: usize) -> Option<usize> {
    scan(line, |levels, _| levels > limit)
}

/// Reads the indentation and the list and quote markers at the start of `line`; the byte
/// offset just after the first one after which `stop(levels, indent columns)` holds.
fn scan(line: &str, stop: impl Fn(usize, usize) -> bool) -> Option<usize> {
    let bytes = line.as_bytes();
    let (mut levels, mut indent, mut pos) = (0usize, 0usize, 0usize);
    while pos < bytes.len() {
        let next = match bytes[pos] {
            b' ' => {
                indent += 1;
                pos + 1
            }
            b'\t' => {
                indent += 4;
                pos + 1
            }
            b'>' => {
                levels += 1;
                pos + 1
            }
            b'-' | b'*' | b'+' if bytes.get(pos + 1) == Some(&b' ') => {
                levels += 1;
                pos + 2
            }
            b'0'..=b'9' => {
                let digits = bytes[pos..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let after = bytes.get(pos + digits);
                if digits <= 9
                    && matches!(after, Some(b'.' | b')'))
                    && matches!(bytes.get(pos + digits + 1), Some(b' ') | None)
                {
                    levels += 1;
                    (pos + digits + 2).min(bytes.len())
                } else {
                    return None;
                }
            }
            _ => return None,
        };
        if stop(levels, indent) {
            return Some(next);
        }
        pos = next;
    }
    None
}

/// The line and character column (from 1) of the first list item or block quote nested more
/// than `limit` levels deep in the body of `source` (after its front matter), if any.
///
/// The parser builds its whole block tree before it yields an event, so it never sees a line
/// past the point where its leading markers number `limit + 1` (the rest of such a line
/// becomes one letter): markers on one line cannot make the tree deep, and indentation can
/// only as deep as the square root of the input.
pub(crate) fn nested_beyond(source: &str, limit: usize) -> Option<(usize, usize)> {
    let line_index = LineIndex::new(source);
    let body_start = match front_matter::parse(source, &line_index) {
        Some((_, end)) => end,
        None => usize::from(source.starts_with('\u{feff}')) * 3,
    };
    let mut body = String::with_capacity(source.len() - body_start);
    for line in source[body_start..].split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        match marker_depth_cut(text, limit) {
            Some(cut) if cut < text.len() => {
                body.push_str(&text[..cut]);
                body.push('x');
                body.push_str(&line[text.len()..]);
            }
            _ => body.push_str(line),
        }
    }
    let mut depth = 0usize;
    let at = Parser::new_ext(&body, markdown_options())
        .into_offset_iter()
        .find_map(|(event, range)| {
            match event {
                Event::Start(Tag::Item | Tag::BlockQuote(_)) => depth += 1,
                Event::End(TagEnd::Item | TagEnd::BlockQuote(_)) => depth = depth.saturating_sub(1),
                _ => {}
            }
            (depth > limit).then_some(range.start)
        })?;
    // Lines are kept whole up to the cut: the line and column are those of the source.
    let before = &body[..at];
    let line_in_body = before.matches('\n').count();
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let first_line = source[..body_start].matches('\n').count() + 1;
    Some((first_line + line_in_body, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_items_and_quotes_not_indentation() {
        let deep = "- a\n".to_string()
            + &(1..5)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect::<String>();
        assert_eq!(nested_beyond(&deep, 5), None);
        assert_eq!(nested_beyond(&deep, 4), Some((5, 9)));
        assert_eq!(nested_beyond("# T\n> > > x\n", 2), Some((2, 5)));
        let code = format!("```\n{}x\n```\n", " ".repeat(400));
        assert_eq!(nested_beyond(&code, 2), None);
        let front = format!("---\ntitle: |\n{}x\n---\n# T\n", " ".repeat(400));
        assert_eq!(nested_beyond(&front, 2), None);
        let after_front = "---\nid: 1\n---\n> > > x\n";
        assert_eq!(nested_beyond(after_front, 2), Some((4, 5)));
    }

    #[test]
    fn the_cut_is_just_past_the_limit() {
        assert_eq!(marker_depth_cut("- - - x", 2), Some(6));
        assert_eq!(marker_depth_cut(">>>x", 2), Some(3));
        assert_eq!(marker_depth_cut("      x", 2), None);
        assert_eq!(marker_depth_cut("- - x", 2), None);
        assert_eq!(marker_depth_cut("1. 2. 3.", 2), Some(8));
        assert!(could_nest_beyond("      x", 2));
        assert!(could_nest_beyond("> > x", 2));
        assert!(!could_nest_beyond("- - x", 2));
        assert!(any_line_could_nest_beyond("a\r\n- - - x\r\n", 2));
        assert!(any_line_could_nest_beyond("a\n\t\tx", 2));
        assert!(!any_line_could_nest_beyond("a\n- - x\n", 2));
    }

    proptest::proptest! {
        #[test]
        fn the_line_filter_equals_scanning_every_line(
            text in "([ \t>*+\\-.)x]|[0-9]{1,3}|\r|\n|\r\n){0,80}",
            limit in 0usize..12,
        ) {
            let slow = text.lines().any(|l| could_nest_beyond(l, limit));
            proptest::prop_assert_eq!(any_line_could_nest_beyond(&text, limit), slow);
        }
    }
}
