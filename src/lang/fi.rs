//! Step judgement for Finnish (fi).
//!
//! An instruction is an imperative (*Tarkista*, *Tarkistakaa*, *Älä*), the impersonal
//! passive (*Potilas ohjataan odotustilaan*) or an obligation (*on tarkistettava*, *tulee
//! tarkistaa*). A step whose main clause has a subject and a 3rd person present verb
//! describes what someone does (*Opettaja merkitsee poissaolot*); one with a deverbal noun
//! and no verb names an action (*Kassan täsmäytys*); the imperfect and *on* + passive
//! participle report what was done (*Henkilöllisyys on tarkistettu*); the 1st person plural
//! present is a commitment (*Lähetämme vahvistuksen*). The *tulla* future and the active
//! perfect are left to the shipped tense pack (FI001, FI002), so one problem gives one finding.
//!
//! Word forms and their analyses come from Voikko's Finnish morphology run over the most
//! frequent Finnish words (`rules/fi/forms.txt`, see `rules/fi/README.md`); endings decide
//! for words the list lacks.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::steps::{first_sentence_words, main_clause, StepKind, StepProblem, Word};

static FORMS_TXT: &str = include_str!("../../rules/fi/forms.txt");

fn lexicon() -> &'static HashMap<&'static str, &'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        FORMS_TXT
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(' '))
            .collect()
    })
}

/// The analysis tags of a word (see `rules/fi/README.md`), from the lexicon or, for a word
/// it lacks, from the ending.
fn tags(word: &str) -> &'static str {
    if let Some(t) = lexicon().get(word) {
        return t;
    }
    // A compound: the analysis of its last part ("rakennus|tarkastaja").
    let starts: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
    for &at in starts.iter().skip(3) {
        let tail = &word[at..];
        if tail.chars().count() < 5 {
            break;
        }
        if let Some(t) = lexicon().get(tail) {
            return t;
        }
    }
    let ends = |xs: &[&str]| xs.iter().any(|x| word.ends_with(x));
    if ends(&["kaa", "kää"]) {
        "J"
    } else if ends(&["taan", "tään"]) {
        "R"
    } else if past_passive_ending(word) {
        "Q"
    } else if ends(&["ttu", "tty", "tut", "tyt"]) {
        "S"
    } else if ends(&["nut", "nyt", "neet"]) {
        "A"
    } else if nominal_ending(word) {
        "N"
    } else if ends(&["amme", "ämme", "emme"]) {
        "W"
    } else if word.chars().count() >= 7 && ends(&["aa", "ää", "ee"]) {
        "FT"
    } else {
        ""
    }
}

/// The ending of the passive imperfect after a vowel ("kirjattiin", "tarkistettiin"), not an
/// illative ("raporttiin", "tekstiin").
fn past_passive_ending(word: &str) -> bool {
    let vowel_before = |suffix: &str| {
        word.strip_suffix(suffix)
            .and_then(|s| s.chars().next_back())
            .is_some_and(|c| "aeiouyäö".contains(c))
    };
    vowel_before("ttiin") || (vowel_before("tiin") && !word.ends_with("ttiin"))
}

/// The ending of a deverbal noun: -minen, -us/-ys, -nti, -nta/-ntä.
fn nominal_ending(word: &str) -> bool {
    ["minen", "nti", "nta", "ntä", "elu", "ely", "ilu", "ily"]
        .iter()
        .any(|e| word.ends_with(e))
        || (word.chars().count() >= 7 && (word.ends_with("us") || word.ends_with("ys")))
}

fn has(word: &str, t: &str) -> bool {
    tags(word).chars().any(|c| t.contains(c))
}

const FRONTED: &[&str] = &[
    "jos", "kun", "mikäli", "ennen", "sen", "vasta", "koska", "heti", "jälkeen", "kunnes",
    "vaikka", "ellei", "jollei", "kuten",
];

const SUBORDINATE: &[&str] = &[
    "että",
    "ettei",
    "jos",
    "mikäli",
    "kun",
    "kunnes",
    "koska",
    "vaikka",
    "jotta",
    "joka",
    "jonka",
    "jota",
    "jossa",
    "johon",
    "josta",
    "jolla",
    "jolle",
    "jolta",
    "jotka",
    "joiden",
    "joita",
    "joissa",
    "joihin",
    "joista",
    "joilla",
    "joille",
    "jolloin",
    "mikä",
    "mitä",
    "mitkä",
    "milloin",
    "miten",
    "miksi",
    "kuka",
    "ketkä",
    "kenen",
    "kenelle",
    "keneltä",
    "mihin",
    "missä",
    "mistä",
    "millä",
    "mille",
    "miltä",
    "minkä",
    "kuinka",
    "paitsi",
    "ellei",
    "kuin",
    "saaneensa",
    "jottei",
];

/// Adverbs that may stand before the imperative.
const ADVERBS: &[&str] = &[
    "aina",
    "ensin",
    "sitten",
    "heti",
    "nyt",
    "lopuksi",
    "myös",
    "vielä",
    "uudelleen",
    "välittömästi",
    "ensimmäiseksi",
    "seuraavaksi",
    "päivittäin",
    "joka",
    "jokaisen",
    "kaikki",
    "tämän",
    "sen",
    "lisäksi",
    "huolellisesti",
    "ystävällisesti",
    "kohteliaasti",
];

/// Whether a word opens a subordinate clause.
pub(crate) fn subordinator(w: &str) -> bool {
    super::steps::opens_clause(SUBORDINATE, w)
}

/// Subjects that are a system, a screen or a thing (also as the last part of a compound).
const SYSTEMS: &[&str] = &[
    "järjestelmä",
    "sovellus",
    "ohjelma",
    "ohjelmisto",
    "sivu",
    "ikkuna",
    "näkymä",
    "kenttä",
    "raportti",
    "tiedosto",
    "ruutu",
    "valikko",
    "painike",
    "toiminto",
    "tämä",
    "se",
    "ne",
    "nämä",
    "tulos",
    "tulokset",
    "viesti",
    "ilmoitus",
    "palvelin",
    "laite",
    "kone",
    "tieto",
    "tiedot",
    "luettelo",
    "lista",
    "taulukko",
    "työkirja",
    "päiväkirja",
    "kortti",
];

fn fronted(w: &str) -> bool {
    FRONTED.contains(&w)
}

fn subordinate(words: &[Word], i: usize) -> bool {
    let w = words[i].lower.as_str();
    SUBORDINATE.contains(&w)
        || ((w.ends_with("ko") || w.ends_with("kö"))
            && has(w.trim_end_matches(['k', 'o', 'ö']), "TVRQ"))
        || matches!(w, "onko" | "ovatko" | "onkoo" | "oliko" | "eikö")
}

/// Words that make the step an instruction wherever they stand in the main clause.
fn instructs(clause: &[Word]) -> bool {
    clause.iter().enumerate().any(|(i, w)| {
        let l = w.lower.as_str();
        let next = clause
            .get(i + 1)
            .map(|n| n.lower.as_str())
            .unwrap_or_default();
        has(l, "R")
            || matches!(
                l,
                "älä"
                    | "älkää"
                    | "muista"
                    | "muistakaa"
                    | "huolehdi"
                    | "huolehtikaa"
                    | "voit"
                    | "voitte"
                    | "voidaan"
                    | "kannattaa"
            )
            || (matches!(l, "on" | "ovat" | "oli")
                && (next.ends_with("tava")
                    || next.ends_with("tävä")
                    || next.ends_with("ttava")
                    || next.ends_with("ttävä")))
            || (matches!(
                l,
                "tulee" | "täytyy" | "pitää" | "tarvitsee" | "kannattaa" | "saa" | "voi"
            ) && has(next, "F"))
            || (l == "ei" && (next == "saa" || has(next, "R")))
    })
}

pub(crate) fn imperative(w: &str) -> bool {
    // The imperative of -ata/-ätä verbs is spelled as their 3rd person ("kirjaa", "mittaa"),
    // which Voikko lists only as the latter.
    has(w, "IJ")
        || (has(w, "T")
            && (w.ends_with("aa") || w.ends_with("ää"))
            && !w.ends_with("taa")
            && !w.ends_with("tää"))
}

/// A verb of any kind in the main clause.
fn verb(w: &str) -> bool {
    has(w, "IJTWQRFMVAS") || matches!(w, "on" | "ovat" | "oli" | "olivat" | "ei" | "eivät" | "älä")
}

/// Whether a sentence opens with an instruction (after a fronted clause and adverbs), or
/// instructs by the passive or an obligation.
pub(crate) fn opens_instruction(sentence: &str) -> bool {
    let words = first_sentence_words(sentence);
    let clause = main_clause(&words, &fronted, &subordinate);
    clause
        .iter()
        .find(|w| !ADVERBS.contains(&w.lower.as_str()))
        .is_some_and(|w| imperative(&w.lower) || matches!(w.lower.as_str(), "älä" | "älkää"))
        || instructs(clause)
}

/// What is wrong with a Finnish step, if anything.
pub(crate) fn judge(text: &str) -> Option<StepProblem> {
    let words = first_sentence_words(text);
    let clause = main_clause(&words, &fronted, &subordinate);
    let example = "Tarkista asiakkaan henkilöllisyys.";
    // Left to the tense pack: "tulee lähettämään", "on lähettänyt".
    let pack = clause.windows(2).any(|p| {
        let (a, b) = (p[0].lower.as_str(), p[1].lower.as_str());
        (a.starts_with("tul") && (b.ends_with("maan") || b.ends_with("mään")))
            || (matches!(
                a,
                "on" | "ovat"
                    | "olen"
                    | "olet"
                    | "olemme"
                    | "olette"
                    | "oli"
                    | "olivat"
                    | "olin"
                    | "olimme"
            ) && (b.ends_with("nut") || b.ends_with("nyt") || b.ends_with("neet")))
    });
    if pack || clause.is_empty() {
        return None;
    }
    let lead = clause
        .iter()
        .find(|w| !ADVERBS.contains(&w.lower.as_str()))?;
    if imperative(&lead.lower) || matches!(lead.lower.as_str(), "älä" | "älkää") {
        return None;
    }
    // The perfect passive and the imperfect: "on tarkistettu", "tarkistettiin", "tarkisti".
    for (i, w) in clause.iter().enumerate() {
        let l = w.lower.as_str();
        let next = clause
            .get(i + 1)
            .map(|n| n.lower.as_str())
            .unwrap_or_default();
        if matches!(l, "on" | "ovat" | "oli" | "olivat") && has(next, "S") && !has(next, "IJ") {
            return Some(StepProblem::new(
                StepKind::Past,
                text,
                w.range.start..clause[i + 1].range.end,
                example,
            ));
        }
        if has(l, "Q") && !has(l, "IJRTFV") && !matches!(l, "oli" | "olivat" | "näin") {
            return Some(StepProblem::new(
                StepKind::Past,
                text,
                w.range.clone(),
                example,
            ));
        }
    }
    if instructs(clause) {
        return None;
    }
    let start = clause
        .iter()
        .position(|w| !ADVERBS.contains(&w.lower.as_str()))?;
    let clause = &clause[start..];
    let first = clause.first()?;
    // What a system or a screen does is a result ("Kohdistustyökirja-ikkuna aukeaa").
    if SYSTEMS.iter().any(|s| first.lower.ends_with(s)) {
        return None;
    }
    // A commitment in the 1st person plural: "Lähetämme vahvistuksen".
    if let Some(w) = clause
        .iter()
        .find(|w| has(&w.lower, "W") && !has(&w.lower, "IJ"))
    {
        return Some(StepProblem::new(
            StepKind::Future,
            text,
            w.range.clone(),
            example,
        ));
    }
    if imperative(&first.lower) {
        return None;
    }
    // A system word anywhere in the subject ("eräajon tulokset näkyvät").
    let subject_end = clause
        .iter()
        .position(|w| verb(&w.lower))
        .unwrap_or(clause.len());
    if clause[..subject_end]
        .iter()
        .any(|w| SYSTEMS.iter().any(|s| w.lower.ends_with(s)))
    {
        return None;
    }
    // No verb: a deverbal noun names the action ("Kassan täsmäytys työvuoron päätteeksi").
    let unknown_opener = tags(&first.lower).is_empty() && !first.lower.ends_with('n');
    if !unknown_opener && !clause.iter().any(|w| verb(&w.lower)) {
        if let Some(n) = clause
            .iter()
            .take(3)
            .find(|w| has(&w.lower, "N") || (has(&w.lower, "n") && nominal_ending(&w.lower)))
        {
            return Some(StepProblem::new(
                StepKind::Nominal,
                text,
                first.range.start..n.range.end,
                example,
            ));
        }
    }
    // A word the lexicon lacks, with no case ending, opening the step is an imperative
    // ("Napsauta", "Sentrifugoi") far more often than a subject.
    // A subject the lexicon lacks shows by a listed 3rd person present right after it
    // ("Laborantti merkitsee näyteputket").
    let agent = [
        "ja", "jä", "tti", "ri", "stö", "sto", "kas", "käs", "lainen", "läinen", "mies",
    ]
    .iter()
    .any(|e| first.lower.ends_with(e));
    if unknown_opener && !agent {
        return None;
    }
    if unknown_opener {
        let listed_present = |w: &Word| {
            lexicon()
                .get(w.lower.as_str())
                .is_some_and(|t| t.contains('T') && !t.contains('I') && !t.contains('J'))
                && !matches!(
                    w.lower.as_str(),
                    "on" | "ovat" | "tulee" | "täytyy" | "pitää" | "voi" | "saa" | "ei"
                )
        };
        return clause.get(1).filter(|w| listed_present(w)).map(|w| {
            StepProblem::new(
                StepKind::Descriptive,
                text,
                first.range.start..w.range.end,
                example,
            )
        });
    }
    // A subject, then the 3rd person present: "Opettaja merkitsee poissaolot".
    for (i, w) in clause.iter().enumerate().skip(1).take(5) {
        let l = w.lower.as_str();
        if has(l, "T")
            && !has(l, "IJ")
            && !matches!(
                l,
                "on" | "ovat" | "tulee" | "täytyy" | "pitää" | "voi" | "saa" | "ei"
            )
        {
            let _ = i;
            return Some(StepProblem::new(
                StepKind::Descriptive,
                text,
                first.range.start..w.range.end,
                example,
            ));
        }
        if verb(l) || w.comma_after {
            break;
        }
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
            "Tarkista potilaan nimi rannekkeesta.",
            "Ilmoittakaa varastoesihenkilölle kaikista hyllyvaurioista.",
            "Potilaan henkilöllisyys tarkistetaan ennen jokaista lääkkeenantoa.",
            "Näytteet on analysoitava 48 tunnin kuluessa.",
            "Varmista, että asiakas on allekirjoittanut lomakkeen.",
            "Älä lähetä salasanoja sähköpostitse.",
        ] {
            assert_eq!(kind(s), None, "{s}");
        }
    }

    #[test]
    fn descriptions_nominals_past_and_commitments() {
        assert_eq!(
            kind("Opettaja merkitsee poissaolot Wilmaan."),
            Some(StepKind::Descriptive)
        );
        assert_eq!(
            kind("Kassan täsmäytys työvuoron päätteeksi."),
            Some(StepKind::Nominal)
        );
        assert_eq!(
            kind("Asiakkaan henkilöllisyys on tarkistettu."),
            Some(StepKind::Past)
        );
        assert_eq!(
            kind("Lähetämme vahvistuksen huomenna."),
            Some(StepKind::Future)
        );
    }
}
