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

static VERBS_TXT: &str = include_str!("../../../rules/en/verbs.txt");
static NOUN_VERBS_TXT: &str = include_str!("../../../rules/en/noun_verbs.txt");

/// Word form -> bit set of the roles it can play. Keys borrow from the
/// embedded text, so building the table allocates only the map itself.
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
        map
    })
}

pub(super) fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

pub(super) fn lex_flags(w: &str) -> u8 {
    let lex = lexicon();
    if let Some(f) = lex.get(w) {
        return *f;
    }
    // "re-run", "double-check", "e-mail": the head is the last part.
    match w.rfind('-') {
        Some(pos) if pos + 1 < w.len() => lex.get(&w[pos + 1..]).copied().unwrap_or(0),
        _ => 0,
    }
}

pub(super) fn lex_has(w: &str, flag: u8) -> bool {
    lex_flags(w) & flag != 0
}
