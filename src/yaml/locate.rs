//! Where a key or value sits in YAML text, by path (`rules` → `severity` → `P002`).
//!
//! A parsed `serde_yaml::Value` carries no positions, so this reads the text again: block keys
//! by indentation, flow keys (`{ key: value }`) by token. It never fails: what it cannot find
//! falls back to the enclosing key, then to the start of the text.

use std::fmt;
use std::ops::Range;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// A path step to a key.
pub(crate) fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

/// `rules.severity.P002`, `overrides[0].files`.
pub(crate) struct Dotted<'a>(pub &'a [Seg]);

impl fmt::Display for Dotted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// Lines of `text` within `region` as (start offset, line without its line break).
fn lines_in<'t>(text: &'t str, region: &Range<usize>) -> impl Iterator<Item = (usize, &'t str)> {
    let mut pos = region.start;
    text[region.clone()].split_inclusive('\n').map(move |line| {
        let start = pos;
        pos += line.len();
        (start, line.trim_end_matches(['\n', '\r']))
    })
}

/// The end of the block that starts at the line beginning at `line_start`, whose key sits at
/// column `col`: the first later content line indented at most `col`.
fn block_end(text: &str, region: &Range<usize>, line_start: usize, col: usize) -> usize {
    let after = text[line_start..region.end]
        .find('\n')
        .map_or(region.end, |i| line_start + i + 1);
    lines_in(text, &(after..region.end))
        .find(|(_, line)| is_content(line) && indent_of(line) <= col)
        .map_or(region.end, |(start, _)| start)
}

/// Whether `hay[at..]` starts `word` as a whole token (not inside a longer name).
fn token_at(hay: &str, at: usize, word: &str) -> bool {
    let is_name = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    hay[at..].starts_with(word)
        && !hay[..at].chars().next_back().is_some_and(is_name)
        && !hay[at + word.len()..].chars().next().is_some_and(is_name)
}

/// The first whole-token `word` in `region` (followed by `:` when `then_colon`).
pub(crate) fn find_token(
    text: &str,
    region: &Range<usize>,
    word: &str,
    then_colon: bool,
) -> Option<Range<usize>> {
    if word.is_empty() {
        return None;
    }
    let hay = &text[region.clone()];
    let mut from = 0;
    while let Some(i) = hay[from..].find(word) {
        let at = from + i;
        let rest = hay[at + word.len()..].trim_start_matches(['"', '\'', ' ']);
        if token_at(hay, at, word) && (!then_colon || rest.starts_with(':')) {
            return Some(region.start + at..region.start + at + word.len());
        }
        from = at + word.len();
    }
    None
}

/// The span of the key at `path` (or of the `-` of an item, for an index), and the region of
/// its value. An empty path gives `0..0` and the whole text.
pub(crate) fn locate_path(text: &str, path: &[Seg]) -> (Range<usize>, Range<usize>) {
    let mut region = 0..text.len();
    let mut found = 0..0;
    for seg in path {
        match seg {
            Seg::Key(k) => {
                // Block style: the key at the smallest indentation of the region.
                let mut best: Option<(usize, usize, usize)> = None; // (col, line start, key start)
                for (start, line) in lines_in(text, &region) {
                    let t = line.trim_start_matches([' ', '-']);
                    let col = line.len() - t.len();
                    let bare = t.trim_start_matches(['"', '\'']);
                    let qcol = col + (t.len() - bare.len());
                    if bare.starts_with(k.as_str())
                        && bare[k.len()..]
                            .trim_start_matches(['"', '\'', ' '])
                            .starts_with(':')
                        && best.is_none_or(|b| col < b.0)
                    {
                        best = Some((col, start, start + qcol));
                    }
                }
                if let Some((col, line_start, key_start)) = best {
                    found = key_start..key_start + k.len();
                    region = key_start..block_end(text, &region, line_start, col);
                } else if let Some(r) = find_token(text, &region, k, true) {
                    // Flow style: `{ key: value }`.
                    found = r.clone();
                    region = r.start..region.end;
                } else {
                    break;
                }
            }
            Seg::Index(i) => {
                let items: Vec<(usize, &str)> = lines_in(text, &region)
                    .filter(|(_, l)| l.trim_start().starts_with("- ") || l.trim() == "-")
                    .collect();
                let Some(min) = items.iter().map(|(_, l)| indent_of(l)).min() else {
                    break;
                };
                let mut at_min = items.into_iter().filter(|(_, l)| indent_of(l) == min);
                let Some((start, line)) = at_min.nth(*i) else {
                    break;
                };
                let col = indent_of(line);
                found = start + col..start + col + 1;
                region = start + col..block_end(text, &region, start, col);
            }
        }
    }
    (found, region)
}

/// The span of the key at `path`; when only the start of the path is found, the span of its
/// deepest part found (the enclosing key or item); `0..0` when nothing is.
pub(crate) fn key_span(text: &str, path: &[Seg]) -> Range<usize> {
    locate_path(text, path).0
}

/// The span of the scalar `value` written under `path` (the key's span when it is not found).
pub(crate) fn value_span(text: &str, path: &[Seg], value: &str) -> Range<usize> {
    let (key, region) = locate_path(text, path);
    find_token(text, &region, value, false).unwrap_or(key)
}

/// The value written on the same line as the key at `path` (`key: value  # comment` gives
/// `value`); `None` for a block value, or when the key is not found.
pub(crate) fn inline_value(text: &str, path: &[Seg]) -> Option<Range<usize>> {
    let key = key_span(text, path);
    let Some(Seg::Key(k)) = path.last() else {
        return None;
    };
    if key.len() != k.len() || text.get(key.clone()) != Some(k.as_str()) {
        return None;
    }
    let line_end = text[key.end..]
        .find('\n')
        .map_or(text.len(), |i| key.end + i);
    let rest = &text[key.end..line_end];
    let colon = rest.find(':')?;
    let after = colon + 1;
    let mut value = strip_comment(&rest[after..]);
    let line_start = text[..key.start].rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..key.start].contains('{') {
        // Flow style: `{ key: value, other: … }`.
        value = value.split([',', '}']).next().unwrap_or(value);
    }
    let lead = value.len() - value.trim_start().len();
    let value = value.trim();
    (!value.is_empty()).then(|| {
        let start = key.end + after + lead;
        start..start + value.len()
    })
}

/// The text before a comment: `#` starts one only after whitespace and outside quotes.
fn strip_comment(value: &str) -> &str {
    let mut in_quote: Option<char> = None;
    let mut prev_space = true;
    for (i, c) in value.char_indices() {
        match in_quote {
            Some(q) if c == q => in_quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => in_quote = Some(c),
            None if c == '#' && prev_space => return &value[..i],
            None => {}
        }
        prev_space = c.is_whitespace();
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_block_and_flow_keys() {
        let text = "lang: en\nrules:\n  select: [P, E]\n  severity:\n    P002: error\noverrides:\n  - files: [a]\n    rules: { ignore: [P003] }\n";
        let (span, _) = locate_path(text, &[key("rules"), key("severity"), key("P002")]);
        assert_eq!(&text[span], "P002");
        let (span, region) = locate_path(
            text,
            &[key("overrides"), Seg::Index(0), key("rules"), key("ignore")],
        );
        assert_eq!(&text[span.clone()], "ignore");
        assert_eq!(text[..span.start].matches('\n').count(), 7);
        assert!(find_token(text, &region, "P003", false).is_some());
        let (span, region) = locate_path(text, &[key("rules"), key("select")]);
        assert_eq!(&text[span], "select");
        assert_eq!(&text[find_token(text, &region, "E", false).unwrap()], "E");
        let at = value_span(text, &[key("rules"), key("severity"), key("P002")], "error");
        assert_eq!(&text[at], "error");
    }

    #[test]
    fn inline_values_leave_out_comments_and_quotes_stay() {
        let text = "id: CS-001\nversion: 1.2.0   # semver\ntitle: \"A # B\"\nsteps:\n  - a\n";
        let v = |k: &str| inline_value(text, &[key(k)]).map(|r| &text[r]);
        assert_eq!(v("id"), Some("CS-001"));
        assert_eq!(v("version"), Some("1.2.0"));
        assert_eq!(v("title"), Some("\"A # B\""));
        assert_eq!(v("steps"), None);
        assert_eq!(v("missing"), None);
        let flow = "{id: A-1, version: x}\n";
        let at = inline_value(flow, &[key("version")]).unwrap();
        assert_eq!(&flow[at], "x");
    }

    #[test]
    fn paths_print_dotted() {
        let p = [key("overrides"), Seg::Index(0), key("files")];
        assert_eq!(Dotted(&p).to_string(), "overrides[0].files");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_stays_in_bounds(text in "(\\PC|\n| |-|:|#|\"|\\{|\\}|rules|select|é){0,60}") {
            for path in [vec![key("rules"), key("select")], vec![key("rules"), Seg::Index(1), key("é")]] {
                let (found, region) = locate_path(&text, &path);
                proptest::prop_assert!(found.end <= text.len() && region.end <= text.len());
                let v = value_span(&text, &path, "P001");
                proptest::prop_assert!(text.get(v).is_some());
                if let Some(r) = inline_value(&text, &path) {
                    proptest::prop_assert!(text.get(r).is_some());
                }
            }
        }
    }
}
