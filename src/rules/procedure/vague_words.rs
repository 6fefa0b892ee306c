use std::sync::{LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use crate::document::{lang_matches, Document};
use crate::lang::{en, fi, hr, malay};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

use super::step_source;

declare_rule! {
    /// ## What it does
    /// Checks English steps for vague words that leave the reader to decide what to do:
    /// "as appropriate", "if necessary", "if needed", "as needed", "etc.", "and so on",
    /// "as soon as possible", "ASAP", "in a timely manner", "where possible",
    /// "periodically", "regularly", "approximately" and similar. Malay, Indonesian, Croatian
    /// and Finnish steps are checked with their own phrases ("jika perlu", "secepat mungkin",
    /// "secara berkala", "beberapa", "po potrebi", "što prije", "odgovarajući",
    /// "tarvittaessa", "mahdollisimman pian", "asianmukainen"…), except in an explanation
    /// after the instruction, in parentheses, in "one or more" ("satu atau beberapa") and in
    /// "yang sesuai dengan …" (matching a named thing).
    ///
    /// Not reported where the context makes them clear: "etc." ending examples of a named
    /// kind ("resources (users, roles, etc.)", "including …, etc."), standing alone as the
    /// last item of a list, or ending a bullet item that names things without an
    /// instruction ("- Written approval from the owner, the manager, etc."); step headings; "as needed" and "as necessary" choosing among named things
    /// ("update the title and the summary as needed"); and anything in an aside in
    /// parentheses or in an explanation after the instruction.
    ///
    /// ## Why is this bad?
    /// A procedure exists so that everyone does the same thing. "Escalate if necessary"
    /// leaves the decision to each reader, "as soon as possible" sets no deadline anyone
    /// can be held to, and "etc." hides the items nobody wrote down. Auditors flag these.
    ///
    /// ## Example
    /// ```markdown
    /// 1. Escalate to the supervisor if necessary.
    /// 2. Call the customer back as soon as possible.
    /// 3. Attach the receipts, invoices, etc.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 1. If the refund is above 200 EUR, escalate to the supervisor.
    /// 2. Call the customer back within 2 hours.
    /// 3. Attach the receipts, the invoices and the delivery note.
    /// ```
    pub(crate) VagueWords {
        code: "P007",
        name: "vague-words",
        severity: Warning,
        summary: "Step uses a vague word or phrase",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

/// What a vague phrase leaves open, which decides the help line.
#[derive(Clone, Copy)]
enum Vague {
    Condition,
    Deadline,
    Frequency,
    List,
    Quantity,
}

const PHRASES: &[(&str, Vague)] = &[
    ("as appropriate", Vague::Condition),
    ("where appropriate", Vague::Condition),
    ("when appropriate", Vague::Condition),
    ("if appropriate", Vague::Condition),
    ("if necessary", Vague::Condition),
    ("as necessary", Vague::Condition),
    ("when necessary", Vague::Condition),
    ("where necessary", Vague::Condition),
    ("if needed", Vague::Condition),
    ("as needed", Vague::Condition),
    ("when needed", Vague::Condition),
    ("where needed", Vague::Condition),
    ("if possible", Vague::Condition),
    ("where possible", Vague::Condition),
    ("wherever possible", Vague::Condition),
    ("when possible", Vague::Condition),
    ("as applicable", Vague::Condition),
    ("if applicable", Vague::Condition),
    ("as soon as possible", Vague::Deadline),
    ("asap", Vague::Deadline),
    ("in a timely manner", Vague::Deadline),
    ("in due course", Vague::Deadline),
    ("promptly", Vague::Deadline),
    ("periodically", Vague::Frequency),
    ("regularly", Vague::Frequency),
    ("from time to time", Vague::Frequency),
    ("etc.", Vague::List),
    ("etc", Vague::List),
    ("et cetera", Vague::List),
    ("and so on", Vague::List),
    ("and so forth", Vague::List),
    ("approximately", Vague::Quantity),
    ("roughly", Vague::Quantity),
];

/// Vague phrases of the seed languages, matched case-insensitively as whole words.
const SEED_PHRASES: &[(&str, &[(&str, Vague)])] = &[
    (
        "ms",
        &[
            ("secepat yang boleh", Vague::Deadline),
            ("seberapa cepat", Vague::Deadline),
            ("dengan sewajarnya", Vague::Condition),
            ("jika berkenaan", Vague::Condition),
            ("jika difikirkan perlu", Vague::Condition),
            ("jika dianggap perlu", Vague::Condition),
            ("sebaik mungkin", Vague::Condition),
            ("dalam tempoh yang munasabah", Vague::Deadline),
            ("dari masa ke masa", Vague::Frequency),
            ("lebih kurang", Vague::Quantity),
            ("sedikit", Vague::Quantity),
            ("jika perlu", Vague::Condition),
            ("apabila perlu", Vague::Condition),
            ("bila perlu", Vague::Condition),
            ("sekiranya perlu", Vague::Condition),
            ("kalau perlu", Vague::Condition),
            ("jika diperlukan", Vague::Condition),
            ("apabila diperlukan", Vague::Condition),
            ("bila diperlukan", Vague::Condition),
            ("sekiranya diperlukan", Vague::Condition),
            ("mengikut keperluan", Vague::Condition),
            ("seperti yang diperlukan", Vague::Condition),
            ("jika sesuai", Vague::Condition),
            ("jika boleh", Vague::Condition),
            ("sewajarnya", Vague::Condition),
            ("sepatutnya", Vague::Condition),
            ("yang sesuai", Vague::Condition),
            ("yang munasabah", Vague::Condition),
            ("secepat mungkin", Vague::Deadline),
            ("secepat yang mungkin", Vague::Deadline),
            ("seberapa segera", Vague::Deadline),
            ("dengan kadar segera", Vague::Deadline),
            ("dalam masa yang munasabah", Vague::Deadline),
            ("secara berkala", Vague::Frequency),
            ("dari semasa ke semasa", Vague::Frequency),
            ("sekerap mungkin", Vague::Frequency),
            ("kadang-kadang", Vague::Frequency),
            ("sekali-sekala", Vague::Frequency),
            ("dan lain-lain", Vague::List),
            ("dll", Vague::List),
            ("dan sebagainya", Vague::List),
            ("beberapa", Vague::Quantity),
            ("lebih kurang", Vague::Quantity),
            ("kira-kira", Vague::Quantity),
            ("secukupnya", Vague::Quantity),
            ("sebanyak mungkin", Vague::Quantity),
        ],
    ),
    (
        "id",
        &[
            ("secepat-cepatnya", Vague::Deadline),
            ("sebaik mungkin", Vague::Condition),
            ("jika dianggap perlu", Vague::Condition),
            ("bila dianggap perlu", Vague::Condition),
            ("kurang lebih", Vague::Quantity),
            ("sedikit", Vague::Quantity),
            ("secukupnya saja", Vague::Quantity),
            ("dari waktu ke waktu", Vague::Frequency),
            ("sewajarnya", Vague::Condition),
            ("tepat waktu", Vague::Deadline),
            ("jika perlu", Vague::Condition),
            ("bila perlu", Vague::Condition),
            ("apabila perlu", Vague::Condition),
            ("kalau perlu", Vague::Condition),
            ("jika diperlukan", Vague::Condition),
            ("bila diperlukan", Vague::Condition),
            ("apabila diperlukan", Vague::Condition),
            ("seperlunya", Vague::Condition),
            ("sesuai kebutuhan", Vague::Condition),
            ("sesuai keperluan", Vague::Condition),
            ("yang sesuai", Vague::Condition),
            ("yang sepatutnya", Vague::Condition),
            ("sepatutnya", Vague::Condition),
            ("sewajarnya", Vague::Condition),
            ("yang wajar", Vague::Condition),
            ("jika memungkinkan", Vague::Condition),
            ("bila memungkinkan", Vague::Condition),
            ("apabila memungkinkan", Vague::Condition),
            ("sesegera mungkin", Vague::Deadline),
            ("secepatnya", Vague::Deadline),
            ("secepat mungkin", Vague::Deadline),
            ("dalam waktu yang wajar", Vague::Deadline),
            ("secara berkala", Vague::Frequency),
            ("secara rutin", Vague::Frequency),
            ("sewaktu-waktu", Vague::Frequency),
            ("kadang-kadang", Vague::Frequency),
            ("sesekali", Vague::Frequency),
            ("dan lain-lain", Vague::List),
            ("dll", Vague::List),
            ("dan sebagainya", Vague::List),
            ("dsb", Vague::List),
            ("beberapa", Vague::Quantity),
            ("sebagian", Vague::Quantity),
            ("secukupnya", Vague::Quantity),
            ("kira-kira", Vague::Quantity),
            ("yang memadai", Vague::Quantity),
        ],
    ),
    (
        "hr",
        &[
            ("ako se ukaže potreba", Vague::Condition),
            ("kada bude moguće", Vague::Deadline),
            ("u najkraćem roku", Vague::Deadline),
            ("čim bude moguće", Vague::Deadline),
            ("odgovarajućom", Vague::Condition),
            ("primjerenim", Vague::Condition),
            ("prikladno", Vague::Condition),
            ("prikladan", Vague::Condition),
            ("prikladnu", Vague::Condition),
            ("prikladne", Vague::Condition),
            ("nekoliko puta", Vague::Frequency),
            ("češće", Vague::Frequency),
            ("dovoljnu", Vague::Quantity),
            ("dovoljan", Vague::Quantity),
            ("po potrebi", Vague::Condition),
            ("prema potrebi", Vague::Condition),
            ("ako je potrebno", Vague::Condition),
            ("ako bude potrebno", Vague::Condition),
            ("kad je potrebno", Vague::Condition),
            ("kada je potrebno", Vague::Condition),
            ("ako treba", Vague::Condition),
            ("po mogućnosti", Vague::Condition),
            ("ako je moguće", Vague::Condition),
            ("kad god je moguće", Vague::Condition),
            ("odgovarajući", Vague::Condition),
            ("odgovarajuća", Vague::Condition),
            ("odgovarajuće", Vague::Condition),
            ("odgovarajuću", Vague::Condition),
            ("odgovarajućeg", Vague::Condition),
            ("odgovarajućim", Vague::Condition),
            ("odgovarajućoj", Vague::Condition),
            ("odgovarajućih", Vague::Condition),
            ("primjereno", Vague::Condition),
            ("primjeren", Vague::Condition),
            ("primjerenu", Vague::Condition),
            ("primjerene", Vague::Condition),
            ("što prije", Vague::Deadline),
            ("što je prije moguće", Vague::Deadline),
            ("čim prije", Vague::Deadline),
            ("što ranije", Vague::Deadline),
            ("na vrijeme", Vague::Deadline),
            ("pravovremeno", Vague::Deadline),
            ("pravodobno", Vague::Deadline),
            ("u razumnom roku", Vague::Deadline),
            ("uskoro", Vague::Deadline),
            ("predugo", Vague::Deadline),
            ("dulje vrijeme", Vague::Deadline),
            ("redovito", Vague::Frequency),
            ("povremeno", Vague::Frequency),
            ("s vremena na vrijeme", Vague::Frequency),
            ("itd", Vague::List),
            ("i slično", Vague::List),
            ("i sl", Vague::List),
            ("nekoliko", Vague::Quantity),
            ("malo", Vague::Quantity),
            ("dovoljno", Vague::Quantity),
            ("otprilike", Vague::Quantity),
            ("približno", Vague::Quantity),
        ],
    ),
    (
        "fi",
        &[
            ("tarpeen tullen", Vague::Condition),
            ("sopiva", Vague::Condition),
            ("sopivan", Vague::Condition),
            ("sopivaa", Vague::Condition),
            ("asianmukaista", Vague::Condition),
            ("asianmukaisen", Vague::Condition),
            ("jonkin aikaa", Vague::Deadline),
            ("hetken", Vague::Deadline),
            ("vähän", Vague::Quantity),
            ("riittävä", Vague::Quantity),
            ("riittävää", Vague::Quantity),
            ("kohtuullisen", Vague::Quantity),
            ("muutamia", Vague::Quantity),
            ("tarvittaessa", Vague::Condition),
            ("tarpeen mukaan", Vague::Condition),
            ("tarpeen vaatiessa", Vague::Condition),
            ("jos tarpeen", Vague::Condition),
            ("jos mahdollista", Vague::Condition),
            ("mahdollisuuksien mukaan", Vague::Condition),
            ("asianmukaisesti", Vague::Condition),
            ("asianmukainen", Vague::Condition),
            ("asianmukaiset", Vague::Condition),
            ("sopivasti", Vague::Condition),
            ("sopivassa vaiheessa", Vague::Condition),
            ("tarpeellinen", Vague::Condition),
            ("tarpeelliset", Vague::Condition),
            ("tarpeellisia", Vague::Condition),
            ("tarvittava määrä", Vague::Quantity),
            ("mahdollisimman pian", Vague::Deadline),
            ("mahdollisimman nopeasti", Vague::Deadline),
            ("heti kun mahdollista", Vague::Deadline),
            ("hyvissä ajoin", Vague::Deadline),
            ("ajoissa", Vague::Deadline),
            ("kohtuullisessa ajassa", Vague::Deadline),
            ("pian", Vague::Deadline),
            ("säännöllisesti", Vague::Frequency),
            ("aika ajoin", Vague::Frequency),
            ("silloin tällöin", Vague::Frequency),
            ("ajoittain", Vague::Frequency),
            ("usein", Vague::Frequency),
            ("jne", Vague::List),
            ("yms", Vague::List),
            ("ym", Vague::List),
            ("riittävästi", Vague::Quantity),
            ("riittävän", Vague::Quantity),
            ("jonkin verran", Vague::Quantity),
            ("joitakin", Vague::Quantity),
            ("muutama", Vague::Quantity),
            ("muutaman", Vague::Quantity),
            ("suunnilleen", Vague::Quantity),
            ("noin", Vague::Quantity),
        ],
    ),
];

/// One regular expression per seed language, built the first time a document in that
/// language needs it: the phrases as whole words, longest first.
fn seed_matcher(index: usize) -> &'static Regex {
    static SEED_MATCHERS: [OnceLock<Regex>; SEED_PHRASES.len()] =
        [const { OnceLock::new() }; SEED_PHRASES.len()];
    SEED_MATCHERS[index].get_or_init(|| {
        let (_, phrases) = SEED_PHRASES[index];
        let mut words: Vec<&str> = phrases.iter().map(|(p, _)| *p).collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let alternatives: Vec<String> = words
            .iter()
            .map(|w| regex::escape(w).replace(' ', r"\s+"))
            .collect();
        let pattern = format!(r"(?i)\b(?:{})\b", alternatives.join("|"));
        Regex::new(&pattern).expect("vague phrases build a pattern")
    })
}

/// One automaton for every phrase, built once.
static MATCHER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(PHRASES.iter().map(|(p, _)| p))
        .expect("vague phrases build an automaton")
});

impl Rule for VagueWords {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        if let Some(i) = SEED_PHRASES
            .iter()
            .position(|(l, _)| lang_matches(&doc.lang, l))
        {
            return check_seed(doc, SEED_PHRASES[i].0, seed_matcher(i));
        }
        if !doc.is_english() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for step in doc.all_steps() {
            if step.heading {
                // A step heading is a title, not the instruction.
                continue;
            }
            let text = step.text.as_str();
            for m in MATCHER.find_iter(text) {
                if !at_word_boundaries(text, m.start(), m.end()) {
                    continue;
                }
                let (_, kind) = PHRASES[m.pattern().as_usize()];
                let written = &text[m.range()];
                if clear_in_context(text, m.start(), kind, written)
                    || (matches!(kind, Vague::List)
                        && !step.ordered
                        && !en::opens_with_imperative(text.trim()))
                {
                    continue;
                }
                out.push(
                    Finding::new(
                        step_source(step, m.range()),
                        format!("\"{written}\" is vague: the reader cannot tell what to do"),
                    )
                    .help(help(kind, written)),
                );
            }
        }
        out
    }
}

/// P007 in a seed language: the language's phrases in each step, outside an aside in
/// parentheses.
fn check_seed(doc: &Document, lang: &str, matcher: &Regex) -> Vec<Finding> {
    let opens: fn(&str) -> bool = match lang {
        "hr" => hr::opens_instruction,
        "fi" => fi::opens_instruction,
        _ => malay::opens_instruction,
    };
    let phrases = SEED_PHRASES
        .iter()
        .find(|(l, _)| *l == lang)
        .map_or(&[][..], |(_, p)| *p);
    let mut out = Vec::new();
    for step in doc.all_steps() {
        if step.heading {
            continue;
        }
        let text = step.text.as_str();
        for m in matcher.find_iter(text) {
            let before = &text[..m.start()];
            if before.matches('(').count() > before.matches(')').count() {
                continue;
            }
            // In an explanation after the instruction (a later sentence that does not
            // instruct), or "one or more" ("satu atau beberapa").
            let sentence = crate::document::sentence_ranges(text, true)
                .into_iter()
                .find(|r| r.start <= m.start() && m.start() < r.end);
            if sentence.is_some_and(|r| r.start > 0 && !opens(text[r].trim())) {
                continue;
            }
            // "yang sesuai dengan kategori aduan": matching a named thing.
            let next = text[m.end()..]
                .split_whitespace()
                .next()
                .unwrap_or_default();
            if matches!(next.to_lowercase().as_str(), "dengan" | "untuk" | "bagi") {
                continue;
            }
            let previous = before.split_whitespace().next_back().unwrap_or_default();
            if matches!(previous.to_lowercase().as_str(), "atau" | "ili" | "tai") {
                continue;
            }
            let written = m.as_str();
            let normal = written
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            let kind = phrases
                .iter()
                .find(|(p, _)| *p == normal)
                .map_or(Vague::Condition, |(_, k)| *k);
            out.push(
                Finding::new(
                    step_source(step, m.range()),
                    format!("\"{written}\" is vague: the reader cannot tell what to do"),
                )
                .help(help(kind, written)),
            );
        }
    }
    out
}

/// Whether the phrase at `at` leaves the reader in no doubt: it stands in an explanation (a
/// sentence after the first that does not instruct, or an aside in parentheses), "etc." ends
/// examples of a named kind ("resources (users, roles, etc.)", "including …, etc."), or "as
/// needed" / "as necessary" chooses among named things ("update the title and the summary as
/// needed"), not whether to act at all.
fn clear_in_context(text: &str, at: usize, kind: Vague, written: &str) -> bool {
    let before = &text[..at];
    // A list item that is only "etc." closes a list of examples.
    if before.matches('(').count() > before.matches(')').count()
        || text
            .trim()
            .trim_end_matches(['.', ',', ';'])
            .eq_ignore_ascii_case(written.trim_end_matches('.'))
    {
        return true;
    }
    // The sentence the phrase stands in.
    let start = before
        .char_indices()
        .filter(|&(i, c)| {
            matches!(c, '.' | '!' | '?') && text[i + 1..].starts_with(char::is_whitespace)
        })
        .map(|(i, _)| i + 1)
        .next_back()
        .unwrap_or(0);
    let sentence = &before[start..];
    if start > 0 && !en::opens_with_imperative(sentence.trim()) {
        return true;
    }
    let lower = sentence.to_lowercase();
    match kind {
        Vague::List => ["including", "such as", "e.g.", "for example", "like "]
            .iter()
            .any(|w| lower.contains(w)),
        // "Update `Title`, `Summary` as needed", "use the MySQL or Postgres client as
        // necessary": a choice among named things. "Offer a refund as appropriate" still
        // leaves the decision open.
        Vague::Condition => {
            matches!(
                written.to_lowercase().as_str(),
                "as needed" | "as necessary"
            ) && (lower.contains(',') || lower.contains(" or ") || lower.contains(" and "))
        }
        _ => false,
    }
}

/// A match counts only as whole words: "etc" not in "fetch", "asap" not in "wasapi".
fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    // Part of a path or a name: "/etc/chef", "etc/hosts", "$ETC".
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '/' | '$' | '\\');
    // "etc." ends in punctuation: what follows it does not matter.
    let ends_in_word = text[..end].chars().next_back().is_some_and(is_word);
    let joined_before = before.is_some_and(is_word);
    let joined_after = ends_in_word && after.is_some_and(is_word);
    !joined_before && !joined_after
}

fn help(kind: Vague, phrase: &str) -> String {
    match kind {
        Vague::Condition => format!(
            "replace \"{phrase}\" with the condition: \"If the refund is above 200 EUR, escalate to the supervisor.\""
        ),
        Vague::Deadline => format!("replace \"{phrase}\" with a time limit: \"within 15 minutes\", \"by 17:00 the same day\""),
        Vague::Frequency => format!("replace \"{phrase}\" with an interval: \"every Monday\", \"every 4 hours\""),
        Vague::List => format!("replace \"{phrase}\" with the complete list of items"),
        Vague::Quantity => format!("replace \"{phrase}\" with a value and a tolerance: \"5 ml ± 0.5 ml\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::procedure::test_support::{run, sop, underlined};

    #[test]
    fn whole_words_only() {
        let body =
            "1. Fetch the etcd backup, etc.\n2. Run wasapi checks ASAP.\n3. Call, if needed.\n4. Remove /etc/chef/client.pem and etc/hosts.\n";
        let (doc, f) = run(&VagueWords::default(), &sop("en", body));
        assert_eq!(underlined(&doc, &f), ["etc.", "ASAP", "if needed"]);
        assert!(f[1].help.as_deref().unwrap().contains("\"ASAP\""));
    }

    #[test]
    fn examples_extents_and_explanations_are_clear() {
        assert!(run(
            &VagueWords::default(),
            &sop("en", "- Delete the users.\n- Delete the roles.\n- etc.\n")
        )
        .1
        .is_empty());
        let body = "1. Remove the new resources (users, roles, instances, etc.) that the actor created.\n2. Record the lessons learned, including the attack vector, the misconfiguration, etc.\n3. Update the title and the summary as needed.\n4. Use the MySQL or Postgres client as necessary.\n5. Send the update. The template is only a start: the reader wants the impact, the fix, etc.\n6. If needed, check the job logs.\n";
        let (doc, f) = run(&VagueWords::default(), &sop("en", body));
        assert_eq!(underlined(&doc, &f), ["If needed"]);
    }

    #[test]
    fn english_only_and_unicode_safe() {
        let body = "1. Tarkista näyte etc. ☃ if necessary.\n";
        assert!(run(&VagueWords::default(), &sop("fi", body)).1.is_empty());
        let (doc, f) = run(
            &VagueWords::default(),
            &sop("en", "1. Ålesund etc☃ if neededé.\n"),
        );
        assert_eq!(underlined(&doc, &f), ["etc"]);
    }
}
