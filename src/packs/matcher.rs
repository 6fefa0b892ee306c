//! The tokens of a rule compiled into one matcher.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::check::Match;

/// One matcher per rule: all tokens at once.
pub(super) enum Matcher {
    /// Literal tokens: ASCII case-insensitive, leftmost-longest, whole words only.
    Words {
        ac: AhoCorasick,
        /// Pattern index → token index (a token may have a capitalised variant).
        token_of: Vec<usize>,
    },
    /// `regex: true`: the tokens joined into one alternation; boundaries are the author's.
    Regex(regex::Regex),
}

impl Matcher {
    pub(super) fn words(tokens: &[String]) -> Result<Self, String> {
        let mut patterns = Vec::new();
        let mut token_of = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            patterns.push(token.clone());
            token_of.push(i);
            // ASCII case folding misses "Ću" for "ću": add the capitalised form of a token
            // that starts with a non-ASCII letter.
            let mut chars = token.chars();
            if let Some(first) = chars.next().filter(|c| !c.is_ascii()) {
                let capital: String = first.to_uppercase().chain(chars).collect();
                if capital != *token {
                    patterns.push(capital);
                    token_of.push(i);
                }
            }
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        Ok(Self::Words { ac, token_of })
    }

    pub(super) fn regex(tokens: &[String]) -> Result<Self, (usize, String)> {
        for (i, t) in tokens.iter().enumerate() {
            regex::Regex::new(t).map_err(|e| (i, e.to_string()))?;
        }
        let joined: Vec<String> = tokens.iter().map(|t| format!("(?:{t})")).collect();
        regex::RegexBuilder::new(&joined.join("|"))
            .case_insensitive(true)
            .build()
            .map(Self::Regex)
            .map_err(|e| (0, e.to_string()))
    }

    pub(super) fn find(&self, text: &str) -> Vec<Match> {
        match self {
            Self::Words { ac, token_of } => ac
                .find_iter(text)
                .filter(|m| whole_word(text, m.range()))
                .map(|m| Match {
                    range: m.range(),
                    token: token_of.get(m.pattern().as_usize()).copied().unwrap_or(0),
                })
                .collect(),
            Self::Regex(re) => re
                .find_iter(text)
                .filter(|m| !m.is_empty())
                .map(|m| Match {
                    range: m.range(),
                    token: 0,
                })
                .collect(),
        }
    }
}

/// Whether a match is not part of a longer word (checked only where the token itself starts
/// or ends with a word character, so that tokens like "100%" still match).
fn whole_word(text: &str, r: Range<usize>) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let m = &text[r.clone()];
    let starts = m.chars().next().is_some_and(word);
    let ends = m.chars().next_back().is_some_and(word);
    let before = text[..r.start].chars().next_back().is_some_and(word);
    let after = text[r.end..].chars().next().is_some_and(word);
    !(starts && before || ends && after)
}
