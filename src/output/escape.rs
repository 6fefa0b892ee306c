//! Text from files (titles, ids, file names) made safe to print on a terminal.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` would act on a terminal or reorder text instead of showing as itself: C0 and C1
/// control characters and DEL (newlines, ANSI escape sequences), the line and paragraph
/// separators, and the bidirectional overrides and isolates ("Trojan Source").
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character written as a visible escape (`\n`, `\r`, `\t`,
/// `\u{1b}`), so that a title, an id or a file name cannot start a new line, colour or clear
/// the terminal, or forge a diagnostic. Text without control characters is returned as it is
/// (borrowed), so ordinary output does not change.
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::escape_control;
    use std::borrow::Cow;

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for text in ["", "Handle a complaint", "Žaba 🐸 — 中文", "C:\\sops\\a.md"] {
            assert!(matches!(escape_control(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(
            escape_control("\u{1b}[31mred\u{1b}[0m"),
            "\\u{1b}[31mred\\u{1b}[0m"
        );
        assert_eq!(
            escape_control("a.md\nb.md:1:1: error[X] forged"),
            "a.md\\nb.md:1:1: error[X] forged"
        );
        assert_eq!(escape_control("a\r\tb\u{7f}\u{0}"), "a\\r\\tb\\u{7f}\\u{0}");
        assert_eq!(escape_control("\u{9b}2J"), "\\u{9b}2J");
        assert_eq!(escape_control("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(escape_control("x\u{2028}y"), "x\\u{2028}y");
    }

    #[test]
    fn the_escaped_text_has_no_control_characters_left() {
        let all: String = (0u32..0x300).filter_map(char::from_u32).collect();
        let escaped = escape_control(&all);
        assert!(!escaped.chars().any(char::is_control));
    }
}
