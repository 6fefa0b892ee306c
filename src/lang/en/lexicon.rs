//! The verb lexicon: every form of the verbs in `rules/en/verbs.txt` with the roles it can play.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

pub(super) const BASE: u8 = 1;
pub(super) const PAST: u8 = 2;
pub(super) const PART: u8 = 4;
pub(super) const THIRD: u8 = 8;
pub(super) const GERUND: u8 = 16;
/// The base / plural form is also a common noun ("log", "records").
pub(super) const NOUN: u8 = 32;
/// The roles above: what [`lex_flags`] reports.
pub(super) const ROLES: u8 = 63;
/// Not a verb role: an English function word (for language detection, one lookup per word).
pub(super) const EN_FUNCTION: u8 = 64;
/// Not a verb role: a Malay/Indonesian, Croatian or Finnish function word.
pub(super) const FOREIGN_FUNCTION: u8 = 128;

static VERBS_TXT: &str = include_str!("../../../rules/en/verbs.txt");
static NOUN_VERBS_TXT: &str = include_str!("../../../rules/en/noun_verbs.txt");

/// Word form -> bit set of the roles it can play, and whether it is an English or a foreign
/// function word. Keys borrow from the embedded text, so building the table allocates only the
/// map itself.
pub(super) fn lexicon() -> &'static FxHashMap<&'static str, u8> {
    static LEX: OnceLock<FxHashMap<&'static str, u8>> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut map: FxHashMap<&'static str, u8> =
            FxHashMap::with_capacity_and_hasher(16_000, Default::default());
        let mut add = |form: &'static str, flag: u8| {
            for variant in form.split('/').filter(|v| !v.is_empty()) {
                *map.entry(variant).or_insert(0) |= flag;
            }
        };
        let mut lemmas: FxHashMap<&'static str, &'static str> = FxHashMap::default();
        for line in data_lines(VERBS_TXT) {
            let mut fields = line.split_whitespace();
            let (Some(base), Some(past), Some(part), Some(third), Some(ger)) = (
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
            ) else {
                continue;
            };
            add(base, BASE);
            add(past, PAST);
            add(part, PART);
            add(third, THIRD);
            add(ger, GERUND);
            lemmas.insert(base, third);
        }
        for noun in data_lines(NOUN_VERBS_TXT) {
            if let Some(third) = lemmas.get(noun) {
                add(noun, NOUN);
                add(third, NOUN);
            }
        }
        for w in super::detect::ENGLISH_FUNCTION_WORDS {
            *map.entry(w).or_insert(0) |= EN_FUNCTION;
        }
        for w in super::detect::FOREIGN_FUNCTION_WORDS {
            *map.entry(w).or_insert(0) |= FOREIGN_FUNCTION;
        }
        map
    })
}

pub(super) fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The roles a word form can play (0: not a verb form).
pub(super) fn lex_flags(w: &str) -> u8 {
    let lex = lexicon();
    let roles = |w: &str| lex.get(w).map_or(0, |f| f & ROLES);
    let f = roles(w);
    if f != 0 {
        return f;
    }
    // "re-run", "double-check", "e-mail": the head is the last part.
    match w.rfind('-') {
        Some(pos) if pos + 1 < w.len() => roles(&w[pos + 1..]),
        _ => 0,
    }
}

/// Everything the table knows of a word: its roles and function-word bits, 0 for none.
pub(super) fn word_bits(w: &str) -> u8 {
    lexicon().get(w).copied().unwrap_or(0)
}

pub(super) fn lex_has(w: &str, flag: u8) -> bool {
    lex_flags(w) & flag != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The table as first built: verb roles only.
    fn roles_only() -> HashMap<&'static str, u8> {
        let mut map: HashMap<&'static str, u8> = HashMap::new();
        let mut add = |form: &'static str, flag: u8| {
            for variant in form.split('/').filter(|v| !v.is_empty()) {
                *map.entry(variant).or_insert(0) |= flag;
            }
        };
        let mut lemmas: HashMap<&'static str, &'static str> = HashMap::new();
        for line in data_lines(VERBS_TXT) {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 5 {
                continue;
            }
            add(f[0], BASE);
            add(f[1], PAST);
            add(f[2], PART);
            add(f[3], THIRD);
            add(f[4], GERUND);
            lemmas.insert(f[0], f[3]);
        }
        for noun in data_lines(NOUN_VERBS_TXT) {
            if let Some(third) = lemmas.get(noun) {
                add(noun, NOUN);
                add(third, NOUN);
            }
        }
        map
    }

    fn lex_flags_slow(map: &HashMap<&'static str, u8>, w: &str) -> u8 {
        if let Some(f) = map.get(w) {
            return *f;
        }
        match w.rfind('-') {
            Some(pos) if pos + 1 < w.len() => map.get(&w[pos + 1..]).copied().unwrap_or(0),
            _ => 0,
        }
    }

    #[test]
    fn function_word_bits_do_not_change_the_roles() {
        let old = roles_only();
        let mut words: Vec<String> = old.keys().map(|w| w.to_string()).collect();
        for w in super::super::detect::ENGLISH_FUNCTION_WORDS
            .iter()
            .chain(super::super::detect::FOREIGN_FUNCTION_WORDS)
        {
            words.push(w.to_string());
            words.push(format!("re-{w}"));
            words.push(format!("{w}-"));
        }
        for w in old.keys().take(500) {
            words.push(format!("double-{w}"));
            words.push(format!("{w}x"));
        }
        for w in &words {
            assert_eq!(lex_flags(w), lex_flags_slow(&old, w), "{w}");
        }
        // Every key of the old table keeps its roles; the new table holds only function words
        // besides.
        for (w, f) in lexicon() {
            assert_eq!(f & ROLES, old.get(w).copied().unwrap_or(0), "{w}");
        }
    }
}
