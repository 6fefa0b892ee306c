//! Control characters out of human-readable output: a file name holding a newline must not
//! forge a diagnostic line, nor an escape sequence drive the terminal.

use std::borrow::Cow;
use std::fmt::Write;

/// `s` with every C0 control character, DEL and C1 control character written as an escape:
/// `\n`, `\r`, `\t`, and `\x1b`-style `\xNN` (the code point in hex) for the others.
/// Other text, backslashes included, is left untouched; borrowed when there is nothing to
/// escape.
pub fn escape_control(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Every control character is below U+00A0: two hex digits.
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_c0_del_and_c1_and_nothing_else() {
        assert!(matches!(escape_control("plain é 🙂 \\x"), Cow::Borrowed(_)));
        assert_eq!(
            escape_control("a\nb:1:1: error[X] forged\r\t\0"),
            "a\\nb:1:1: error[X] forged\\r\\t\\x00"
        );
        assert_eq!(escape_control("\u{1b}[31mred\u{7f}"), "\\x1b[31mred\\x7f");
        assert_eq!(escape_control("c1\u{85}\u{9b}"), "c1\\x85\\x9b");
    }
}
