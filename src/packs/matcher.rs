//! The tokens of a rule compiled into one matcher.

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::check::Match;

/// One matcher per rule: all tokens at once. A user pack's matcher is compiled when the pack is
/// loaded, so that a bad token is reported then; a shipped pack's is compiled the first time a
/// document in its language needs it, so that a run pays only for the languages it reads.
pub(super) struct Matcher {
    tokens: Vec<String>,
    regex: bool,
    compiled: OnceLock<Compiled>,
}

enum Compiled {
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
    /// Literal tokens, compiled now.
    pub(super) fn words(tokens: &[String]) -> Result<Self, String> {
        let compiled = compile_words(tokens)?;
        Ok(Self::ready(tokens, false, compiled))
    }

    /// `regex: true` tokens, compiled now; the error names the index of the bad token.
    pub(super) fn regex(tokens: &[String]) -> Result<Self, (usize, String)> {
        let compiled = compile_regex(tokens)?;
        Ok(Self::ready(tokens, true, compiled))
    }

    /// Tokens compiled on first use. Only for shipped packs, whose tokens are tested
    /// (`shipped_packs_compile`): a failure then is a build defect, not bad input.
    pub(super) fn deferred(tokens: &[String], regex: bool) -> Self {
        Self {
            tokens: tokens.to_vec(),
            regex,
            compiled: OnceLock::new(),
        }
    }

    fn ready(tokens: &[String], regex: bool, compiled: Compiled) -> Self {
        let cell = OnceLock::new();
        let _ = cell.set(compiled);
        Self {
            tokens: tokens.to_vec(),
            regex,
            compiled: cell,
        }
    }

    /// Compiles the tokens if that has not happened yet: the error a load would report.
    #[cfg(test)]
    pub(super) fn compile(&self) -> Result<(), String> {
        if self.compiled.get().is_none() {
            let _ = self.compiled.set(self.build()?);
        }
        Ok(())
    }

    fn build(&self) -> Result<Compiled, String> {
        if self.regex {
            compile_regex(&self.tokens).map_err(|(i, e)| format!("token {i}: {e}"))
        } else {
            compile_words(&self.tokens)
        }
    }

    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            self.build()
                .unwrap_or_else(|e| panic!("a shipped pack's tokens do not compile: {e}"))
        })
    }

    pub(super) fn find(&self, text: &str) -> Vec<Match> {
        match self.compiled() {
            Compiled::Words { ac, token_of } => ac
                .find_iter(text)
                .filter(|m| whole_word(text, m.range()))
                .map(|m| Match {
                    range: m.range(),
                    token: token_of.get(m.pattern().as_usize()).copied().unwrap_or(0),
                })
                .collect(),
            Compiled::Regex(re) => re
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

fn compile_words(tokens: &[String]) -> Result<Compiled, String> {
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
    Ok(Compiled::Words { ac, token_of })
}

/// Each token must be a regular expression on its own (so that one cannot close another's
/// group); that is checked by parsing it, which is cheap, and the joined alternation is the one
/// compiled. Only when that fails is each token compiled alone, to name the one at fault.
fn compile_regex(tokens: &[String]) -> Result<Compiled, (usize, String)> {
    for (i, t) in tokens.iter().enumerate() {
        if regex_syntax::Parser::new().parse(t).is_err() {
            // The error exactly as the regex crate words it.
            let e = regex::Regex::new(t).err().map(|e| e.to_string());
            return Err((i, e.unwrap_or_else(|| "invalid regular expression".into())));
        }
    }
    let joined: Vec<String> = tokens.iter().map(|t| format!("(?:{t})")).collect();
    match regex::RegexBuilder::new(&joined.join("|"))
        .case_insensitive(true)
        .build()
    {
        Ok(re) => Ok(Compiled::Regex(re)),
        Err(joined_error) => {
            for (i, t) in tokens.iter().enumerate() {
                regex::Regex::new(t).map_err(|e| (i, e.to_string()))?;
            }
            Err((0, joined_error.to_string()))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// A token that is not a regex on its own is refused even when the joined alternation
    /// would compile (`a)|(b` would close the wrapping group), with regex's own message.
    #[test]
    fn regex_tokens_are_checked_one_by_one() {
        let bad = String::from("a)|(b");
        let err = compile_regex(&strings(&["fine", &bad])).err().unwrap();
        assert_eq!(err.0, 1);
        assert_eq!(err.1, regex::Regex::new(&bad).unwrap_err().to_string());
        let err = compile_regex(&strings(&["x", "y", "(unclosed"]))
            .err()
            .unwrap();
        assert_eq!(err.0, 2);
    }

    #[test]
    fn deferred_matchers_match_like_eager_ones() {
        let tokens = strings(&["very", "quite", "ću"]);
        let eager = Matcher::words(&tokens).unwrap();
        let lazy = Matcher::deferred(&tokens, false);
        let text = "Very nice, quite so. Ću reći.";
        let ranges =
            |m: &Matcher| -> Vec<_> { m.find(text).into_iter().map(|m| m.range).collect() };
        assert_eq!(ranges(&eager), ranges(&lazy));
        assert_eq!(ranges(&lazy).len(), 3);
        assert!(Matcher::deferred(&strings(&["(bad"]), true)
            .compile()
            .is_err());
    }
}
