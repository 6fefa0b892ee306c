//! Step judgement for Croatian (hr).
//!
//! An instruction opens its main clause with an imperative (*Provjerite*, *Pošalji*), an
//! infinitive (*Pohraniti uzorke …*), a negation (*Ne*, *Nemojte*) or the hortative *Neka*
//! (*Neka pacijent potpiše suglasnost.*: have the patient sign). A step whose main
//! clause has a subject and a verb in the 3rd person present describes what someone does
//! (*Službenik provjerava spis*); one with no verb at all names an action (*Provjera
//! dokumenata*); *je/su* with a passive participle reports a done state (*Soba je
//! očišćena*). The future (*će*) and the active perfect (*je provjerio*) are left to the
//! shipped tense pack (HR001, HR002), so one problem gives one finding.
//!
//! Verb forms come from the Croatian hunspell dictionary (`rules/hr/verbs.txt`, see
//! `rules/hr/README.md`).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::steps::{first_sentence_words, main_clause, pair, StepKind, StepProblem, Word};

static VERBS_TXT: &str = include_str!("../../rules/hr/verbs.txt");

const INF: u8 = 1;
const PRES3: u8 = 2;
const IMP: u8 = 4;
const LPART: u8 = 8;
const PASS: u8 = 16;
/// A present or imperative form that is also a noun or adjective form ("računa", "ponude",
/// "noći").
const AMBIGUOUS: u8 = 32;

/// Word form -> what it can be.
fn forms() -> &'static HashMap<String, u8> {
    static MAP: OnceLock<HashMap<String, u8>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: HashMap<String, u8> = HashMap::with_capacity(40_000);
        for line in VERBS_TXT.lines().filter(|l| !l.starts_with('#')) {
            let cols: Vec<&str> = line.split(' ').collect();
            let [inf, pres, imp, lpart, pass, ambiguous] = cols[..] else {
                continue;
            };
            // Auxiliaries are closed-class words handled in code.
            if matches!(inf, "biti" | "htjeti") {
                continue;
            }
            let mut add = |form: &str, flag: u8| {
                if form != "-" && !form.is_empty() {
                    *map.entry(form.to_string()).or_insert(0) |= flag;
                }
            };
            add(inf, INF);
            for (col, flag) in [
                (pres, PRES3),
                (imp, IMP),
                (lpart, LPART),
                (ambiguous, AMBIGUOUS),
            ] {
                for f in col.split('/') {
                    add(f, flag);
                }
            }
            for p in pass.split('/').filter(|p| *p != "-") {
                for ending in [
                    "", "a", "o", "i", "e", "u", "og", "oj", "om", "ih", "im", "ima",
                ] {
                    add(&format!("{p}{ending}"), PASS);
                }
            }
        }
        map
    })
}

fn flags(word: &str) -> u8 {
    forms().get(word).copied().unwrap_or(0)
}

/// A passive participle: in the lexicon, or *-iran* / *-an* from an *-ati* verb
/// ("resetirana", "pregledan").
fn passive(word: &str) -> bool {
    if flags(word) & PASS != 0 {
        return true;
    }
    let stem = ["a", "o", "i", "e"]
        .iter()
        .find_map(|e| word.strip_suffix(e).filter(|s| s.ends_with('n')))
        .unwrap_or(word);
    stem.strip_suffix("an")
        .is_some_and(|s| s.ends_with("ir") || flags(&format!("{s}ati")) & INF != 0)
        || (flags(word) == 0 && stem.ends_with("en") && stem.chars().count() >= 6)
        // The feminine, neuter and plural of an -an participle the lexicon lacks
        // ("prebrojane"); -an adjectives drop the "a" there ("sigurna", "potrebne").
        || (flags(word) == 0
            && word.chars().count() >= 7
            && ["ana", "ane", "ani", "ano"].iter().any(|e| word.ends_with(e)))
}

/// Forms of *biti* that build the perfect and the passive.
const AUX: &[&str] = &[
    "je", "su", "sam", "si", "smo", "ste", "bio", "bila", "bilo", "bili", "bile", "nije", "nisu",
];

/// Modal verbs: with an infinitive they state an obligation or a possibility.
const MODALS: &[&str] = &[
    "treba", "trebaju", "mora", "moraju", "može", "mogu", "smije", "smiju", "želi", "žele", "valja",
];

/// Future clitics: HR001 reports them.
const FUTURE: &[&str] = &[
    "ću", "ćeš", "će", "ćemo", "ćete", "neću", "nećeš", "neće", "nećemo", "nećete",
];

/// Adverbs that may stand before the imperative.
const ADVERBS: &[&str] = &[
    "odmah",
    "uvijek",
    "nikada",
    "nikad",
    "zatim",
    "potom",
    "prvo",
    "najprije",
    "ponovno",
    "ponovo",
    "također",
    "pažljivo",
    "svakodnevno",
    "redovito",
    "obavezno",
    "obvezno",
    "još",
    "onda",
    "tada",
    "sada",
    "danas",
    "svakog",
    "svaki",
    "svake",
    "svakoga",
    "osobno",
    "jasno",
    "ljubazno",
    "molimo",
    "molim",
    "lijepo",
    "uredno",
    "ne",
];

/// Words that open a fronted clause before the instruction.
const FRONTED: &[&str] = &[
    "ako", "kada", "kad", "nakon", "prije", "čim", "dok", "ukoliko", "iako", "budući", "pošto",
];

/// Prepositions that open a step with its place or time.
const PREPOSITIONS: &[&str] = &[
    "na", "u", "po", "za", "kod", "do", "od", "s", "sa", "iz", "ispod", "iznad", "pri", "prilikom",
    "tijekom", "unutar", "pokraj", "uz", "nakon", "prije", "pod", "nad", "među", "zbog", "radi",
    "preko", "kroz", "prema", "o", "k", "ka", "bez", "osim",
];

/// Subjects that are a system or a screen, not a role.
const SYSTEMS: &[&str] = &[
    "sustav",
    "aplikacij",
    "program",
    "stranic",
    "zaslon",
    "prozor",
    "okvir",
    "dijalo",
    "obrazac",
    "izvješć",
    "polj",
    "datotek",
    "poruk",
    "popis",
    "rezultat",
    "funkcij",
    "opcij",
    "gumb",
    "kartic",
];

/// Words that open a subordinate clause.
const SUBORDINATE: &[&str] = &[
    "da", "kada", "kad", "ako", "li", "koji", "koja", "koje", "kojeg", "kojega", "kojem", "kojemu",
    "kojim", "kojima", "kojih", "kojoj", "koju", "što", "tko", "gdje", "kako", "dok", "čim", "jer",
    "iako", "ukoliko", "zašto", "koliko", "čiji", "čija", "čije", "kamo", "odakle", "dokle",
    "nakon", "prije", "kao", "kojeg", "pa", "jel", "ali", "nego", "kojima", "tako",
];

/// Whether a word opens a subordinate clause.
pub(crate) fn subordinator(w: &str) -> bool {
    super::steps::opens_clause(SUBORDINATE, w)
}

fn fronted(w: &str) -> bool {
    FRONTED.contains(&w)
}

fn subordinate(words: &[Word], i: usize) -> bool {
    let w = words[i].lower.as_str();
    SUBORDINATE.contains(&w) || pair(words, i, "je", "li") || pair(words, i, "hoće", "li")
}

/// Whether a word can open an instruction: an imperative or infinitive (in the lexicon or by
/// its ending), a negation, *Molimo*.
pub(crate) fn instruction_word(w: &str) -> bool {
    let f = flags(w);
    if f & (IMP | INF) != 0
        || matches!(
            w,
            // "Neka pacijent potpiše …": the hortative, a 3rd-person instruction.
            "ne" | "nemojte" | "nemoj" | "molimo" | "molim" | "budite" | "budi" | "neka"
        )
    {
        return true;
    }
    // A verb the dictionary lacks, by its ending (-ite, -jte, -ti, -ći).
    // (-osti is a noun: "potpunosti", "sposobnosti".)
    f == 0
        && w.chars().count() >= 4
        && !w.ends_with("osti")
        && ["ite", "jte", "ti", "ći"].iter().any(|e| w.ends_with(e))
}

/// Whether a word is a verb form of the main clause.
fn verb(w: &str) -> bool {
    let f = flags(w);
    f & (INF | LPART) != 0
        || (f & (PRES3 | IMP) != 0 && f & AMBIGUOUS == 0)
        || AUX.contains(&w)
        || FUTURE.contains(&w)
        || matches!(
            w,
            "treba"
                | "trebaju"
                | "mora"
                | "moraju"
                | "može"
                | "mogu"
                | "ima"
                | "imaju"
                | "nemojte"
                | "ne"
        )
        // (An unknown word in -ti / -ći is a verb only where it opens the step: "noći" is
        // also the genitive of "noć".)
        || (flags(w) & (IMP | INF) != 0)
        || (flags(w) == 0 && w.chars().count() >= 5 && (w.ends_with("ite") || w.ends_with("jte")))
}

/// Whether a sentence opens with an instruction (after a fronted clause and adverbs).
pub(crate) fn opens_instruction(sentence: &str) -> bool {
    let words = first_sentence_words(sentence);
    let clause = main_clause(&words, &fronted, &subordinate);
    clause
        .iter()
        .find(|w| !ADVERBS.contains(&w.lower.as_str()))
        .is_some_and(|w| instruction_word(&w.lower))
}

/// Whether a word is a verbal noun: -nje, -će, or a verb stem + -a ("provjera" from
/// "provjeriti", "pohrana" from "pohraniti").
fn verbal_noun(w: &str) -> bool {
    w.ends_with("nje")
        || w.ends_with("će")
        || w.strip_suffix('a').is_some_and(|stem| {
            ["iti", "ati", "jeti", "eti"]
                .iter()
                .any(|e| flags(&format!("{stem}{e}")) & INF != 0)
        })
}

/// What is wrong with a Croatian step, if anything.
pub(crate) fn judge(text: &str) -> Option<StepProblem> {
    let words = first_sentence_words(text);
    let clause = main_clause(&words, &fronted, &subordinate);
    let example = "Provjerite dokumente stranke.";
    // Left to the tense pack: the future and the active perfect.
    if clause.iter().any(|w| FUTURE.contains(&w.lower.as_str())) {
        return None;
    }
    let perfect = clause.windows(2).any(|p| {
        let (a, b) = (p[0].lower.as_str(), p[1].lower.as_str());
        (AUX.contains(&a)
            && (flags(b) & LPART != 0
                || b.ends_with('o') && b.len() > 3 && flags(b) == 0 && b.ends_with("io")))
            || (AUX.contains(&b) && flags(a) & LPART != 0)
    });
    if perfect {
        return None;
    }
    // The passive perfect: "je/su (bio) + passive participle", either order.
    // (Only in the 3rd person: "Preusmjereni ste na kameru" says what the reader sees.)
    for (i, w) in clause.iter().enumerate() {
        if !AUX.contains(&w.lower.as_str())
            || matches!(w.lower.as_str(), "sam" | "si" | "smo" | "ste")
        {
            continue;
        }
        let next = clause.get(i + 1).filter(|n| {
            passive(&n.lower)
                || AUX.contains(&n.lower.as_str())
                    && clause.get(i + 2).is_some_and(|m| passive(&m.lower))
        });
        if let Some(n) = next {
            let end = if passive(&n.lower) {
                n.range.end
            } else {
                clause[i + 2].range.end
            };
            return Some(StepProblem::new(
                StepKind::Past,
                text,
                w.range.start..end,
                example,
            ));
        }
        if let Some(p) = i
            .checked_sub(1)
            .map(|j| &clause[j])
            .filter(|p| passive(&p.lower))
        {
            return Some(StepProblem::new(
                StepKind::Past,
                text,
                p.range.start..w.range.end,
                example,
            ));
        }
    }
    let start = clause
        .iter()
        .position(|w| !ADVERBS.contains(&w.lower.as_str()))?;
    let clause = &clause[start..];
    let first = clause.first()?;
    if instruction_word(&first.lower) {
        return None;
    }
    // A step that opens with a place or a time ("Na stranici … odaberite", "Ispod slike
    // prikazuju se …") is an instruction with its setting, or describes the screen.
    if PREPOSITIONS.contains(&first.lower.as_str()) {
        return None;
    }
    // What a system or a screen does is a result, not a role's action.
    let pronoun = matches!(
        first.lower.as_str(),
        "ovaj" | "ova" | "ovo" | "ovi" | "to" | "taj" | "ta"
    );
    if pronoun || SYSTEMS.iter().any(|s| first.lower.starts_with(s)) {
        return None;
    }
    // A subject, then the 3rd person present: "Službenik na šalteru provjerava spis".
    // A present spelled like a noun form ("računa", "ponude", "škole") is the verb only when
    // no unambiguous present follows, and not after a verbal noun ("Spremanje retka ponude").
    let verbal_noun = verbal_noun(&first.lower);
    let mut fallback: Option<&Word> = None;
    for (i, w) in clause.iter().enumerate().skip(1).take(6) {
        let f = flags(&w.lower);
        let reflexive =
            clause.get(i + 1).is_some_and(|n| n.lower == "se") || clause[i - 1].lower == "se";
        // An obligation or a possibility ("Službenik treba provjeriti") is the rule form.
        if MODALS.contains(&w.lower.as_str()) {
            break;
        }
        if f & PRES3 != 0 && !reflexive {
            if f & AMBIGUOUS == 0 {
                return Some(StepProblem::new(
                    StepKind::Descriptive,
                    text,
                    first.range.start..w.range.end,
                    example,
                ));
            }
            if !verbal_noun && fallback.is_none() {
                fallback = Some(w);
            }
            continue;
        }
        if f != 0 || AUX.contains(&w.lower.as_str()) || w.comma_after {
            break;
        }
    }
    if let Some(w) = fallback {
        return Some(StepProblem::new(
            StepKind::Descriptive,
            text,
            first.range.start..w.range.end,
            example,
        ));
    }
    // An unknown word ending in -i / -j is the singular imperative more often than not.
    if flags(&first.lower) == 0 && first.lower.ends_with(['i', 'j']) {
        return None;
    }
    // No verb at all: a nominalisation ("Provjera potpunosti dokumentacije stranke.").
    if clause.len() >= 2
        && !clause.iter().any(|w| verb(&w.lower))
        && !words
            .iter()
            .any(|w| flags(&w.lower) & IMP != 0 && flags(&w.lower) & AMBIGUOUS == 0)
    {
        let end = clause[1].range.end;
        return Some(StepProblem::new(
            StepKind::Nominal,
            text,
            first.range.start..end,
            example,
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Option<StepKind> {
        judge(text).map(|p| p.kind)
    }

    #[test]
    fn instructions_are_fine() {
        for s in [
            "Provjerite je li korisnik potpisao obrazac.",
            "Pitajte gosta kada će napustiti sobu.",
            "Pohraniti uzorke plazme na −20 °C.",
            "Nemojte prekidati korisnika.",
            "Ako je kartica blokirana, nazovite kartični centar.",
            "Skeniraj paletu prije utovara.",
            "Vratite dobavljaču robu koja je stigla oštećena.",
        ] {
            assert_eq!(kind(s), None, "{s}");
        }
    }

    #[test]
    fn descriptions_nominals_and_passive_perfects() {
        assert_eq!(
            kind("Službenik na šalteru provjerava spis podnositelja zahtjeva."),
            Some(StepKind::Descriptive)
        );
        assert_eq!(
            kind("Provjera potpunosti dokumentacije stranke."),
            Some(StepKind::Nominal)
        );
        assert_eq!(
            kind("Soba je očišćena prije dolaska gosta."),
            Some(StepKind::Past)
        );
        assert_eq!(
            kind("Lozinka korisnika je resetirana."),
            Some(StepKind::Past)
        );
        assert_eq!(
            kind("Provjera identiteta korisnika prema broju računa."),
            Some(StepKind::Nominal)
        );
        assert_eq!(kind("Službenik treba provjeriti identitet stranke."), None);
        assert_eq!(kind("Preusmjereni ste na kameru uređaja."), None);
        assert_eq!(kind("Na stranici Novi trošak unesite podatke."), None);
        // The active perfect is HR002's.
        assert_eq!(kind("Službenik je provjerio obrazac."), None);
    }
}
