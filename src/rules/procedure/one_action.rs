use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::document::{lang_matches, Document, Step};
use crate::lang::{en, fi, hr, malay, steps};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

use super::step_source;

declare_rule! {
    /// ## What it does
    /// Checks that each step holds one instruction. It flags two instructions joined by
    /// "and then" or by a semicolon (also "dan kemudian" in Malay and Indonesian, "i zatim" /
    /// "a zatim" in Croatian, "ja sitten" in Finnish) and, in English documents, two
    /// imperative clauses in one sentence ("Log the call and close the ticket"). In Malay,
    /// Indonesian, Croatian and Finnish it flags three or more instructions in a row, joined
    /// by commas and and-words ("Ukur suhu pesakit, timbang berat badannya dan catat
    /// bacaan"; "dan", "serta", "lalu", "i", "te", "ja", "sekä"); a compound verb
    /// ("Tandatangani dan cop borang"), a UI label ("pilih **Simpan dan Tutup**") and a
    /// subordinate clause do not count. The joiner is underlined.
    ///
    /// Two tightly linked actions stay one step: choosing a named control after reaching it
    /// ("Select **Import** and then select **Continue**", "…, then select the Deploy object"),
    /// a compound verb ("Check and approve the PR"), going somewhere and acting there ("Log in
    /// and navigate to the secret"), an action with its constraint or check ("…, do not push
    /// data to it"), a second action on the first one's result ("Generate the dumps and save
    /// them"), and an introduction to sub-steps ("…, and then follow these steps:"). Only the
    /// step's first sentence is the instruction; an aside in parentheses is not a second one.
    ///
    /// ## Why is this bad?
    /// A reader who checks off a step after the first action skips the second. One action
    /// per step also makes every action referable ("go to step 4") and verifiable.
    ///
    /// ## Example
    /// ```markdown
    /// 1. Log the complaint in the ticket system and then send the reference to the customer.
    /// 2. Restart the service; check the health endpoint.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 1. Log the complaint in the ticket system.
    /// 2. Send the ticket reference to the customer.
    /// 3. Restart the service.
    /// 4. Check the health endpoint.
    /// ```
    pub(crate) OneAction {
        code: "P003",
        name: "one-action",
        severity: Warning,
        summary: "Step holds more than one instruction",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

/// "and then" and its seed-language equivalents, or a semicolon.
static JOINER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:and\s+then|dan\s+kemudian|[ia]\s+zatim|ja\s+sitten)\b|;")
        .expect("joiner pattern is valid")
});

impl Rule for OneAction {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let english = doc.is_english();
        let instruction = seed_instruction(doc);
        doc.all_steps()
            .into_iter()
            .filter_map(|step| {
                // An aside in parentheses is not a second instruction: "Click **User
                // Settings** (gear icon, top right)".
                let masked = mask_parentheses(step.text.as_str());
                let text = masked.as_str();
                let joiner = written_joiner(text).or_else(|| {
                    // The English analysis also reads ";" as a joiner: keep lists quiet.
                    english.then(|| clause_joiner(text)).flatten().filter(|r| {
                        !text.get(r.clone()).is_some_and(|j| j.starts_with(';'))
                            || separates_clauses(text, r.start..r.start + 1)
                    })
                });
                // Three instructions in a row in a seed language: one step each.
                let three = joiner.is_none();
                let joiner = joiner.or_else(|| {
                    let (opens, stop) = instruction?;
                    // A word inside a UI label ("pilih **Simpan dan Tutup**") is no instruction.
                    let counts =
                        |w: &steps::Word| opens(&w.lower) && !in_label(doc, step, w.range.start);
                    steps::third_instruction(text, &counts, &stop)
                })?;
                // "Select **Import data** and then **Continue**": a path of UI labels after
                // one verb is one action.
                if label_follows(doc, step, joiner.end)
                    || linked_pair(text, &joiner)
                    || after_first_sentence(text, joiner.start)
                    || ui_choice_follows(text, &joiner)
                    || (english && acts_on_the_result(text, &joiner))
                {
                    return None;
                }
                Some(finding(step, joiner, three))
            })
            .collect()
    }
}

/// Whether a word opens an instruction, in the document's seed language (Malay, Indonesian,
/// Croatian, Finnish), if it is in one.
type WordTest = fn(&str) -> bool;

fn seed_instruction(doc: &Document) -> Option<(WordTest, WordTest)> {
    let tests: [(&str, (WordTest, WordTest)); 4] = [
        ("ms", (malay::counts_as_instruction, malay::subordinator)),
        ("id", (malay::counts_as_instruction, malay::subordinator)),
        ("hr", (hr::instruction_word, hr::subordinator)),
        ("fi", (fi::imperative, fi::subordinator)),
    ];
    tests
        .into_iter()
        .find(|(lang, _)| lang_matches(&doc.lang, lang))
        .map(|(_, f)| f)
}

/// Whether the step's text at `at` lies inside bold, italic or code in the source (a UI
/// label such as "**Simpan dan Tutup**").
fn in_label(doc: &Document, step: &Step, at: usize) -> bool {
    let from = step_source(step, 0..0).start;
    let to = step_source(step, at..at).start;
    let before = doc.source.get(from..to).unwrap_or_default();
    before.matches("**").count() % 2 == 1
        || before.matches('`').count() % 2 == 1
        || before.matches("__").count() % 2 == 1
}

/// `text` with everything inside parentheses (and the parentheses) blanked out, byte for
/// byte, so that ranges still point into the original.
fn mask_parentheses(text: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let blank = match c {
            '(' => {
                depth += 1;
                true
            }
            ')' if depth > 0 => {
                depth -= 1;
                true
            }
            _ => depth > 0,
        };
        if blank {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether the source right after `at` (in the step's text) opens a UI label (bold, code, a
/// quotation or a link), directly or after at most three words with no punctuation between:
/// "and then **Continue**", "a zatim odaberite **Stvori**", "dan kemudian klik dua kali
/// **Dimensi**". Choosing a named control after reaching it is one UI action.
fn label_follows(doc: &Document, step: &Step, at: usize) -> bool {
    let from = step_source(step, at..at).start;
    let Some(rest) = doc.source.get(from..) else {
        return false;
    };
    let opens_label = |w: &str| {
        ["**", "__", "`", "\"", "“", "'", "["]
            .iter()
            .any(|m| w.starts_with(m))
    };
    for word in rest.split_whitespace().take(4) {
        if opens_label(word) {
            return true;
        }
        if word.ends_with([',', '.', ';', ':', '!', '?']) {
            return false;
        }
    }
    false
}

/// Whether the joiner comes after the step's first sentence: the instruction is the first
/// sentence, what follows explains what happens next ("Select **Submit**. The system checks
/// the entries and then sends them for approval").
fn after_first_sentence(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or_default();
    before.char_indices().any(|(i, c)| {
        matches!(c, '.' | '!' | '?') && text[i + 1..].starts_with(char::is_whitespace)
    })
}

/// Verbs that choose or open a control of a user interface; the step's seed languages too.
const UI_VERBS: &[&str] = &[
    "select",
    "click",
    "choose",
    "double-click",
    "tap",
    "press",
    "open",
    "expand",
    "pilih",
    "klik",
    "buka",
    "odaberite",
    "kliknite",
    "otvorite",
    "proširite",
    "valitse",
    "napsauta",
    "avaa",
];

/// Whether the clause after the joiner chooses a control ("Close the sidebar, then select
/// the Deploy object"; "pilih Projek, dan kemudian buka projek itu") or introduces a list of
/// sub-steps ("…, and then follow these steps:"): a UI sequence, one step.
fn ui_choice_follows(text: &str, joiner: &Range<usize>) -> bool {
    let after = text.get(joiner.end..).unwrap_or_default();
    let next = after
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                .to_lowercase()
        })
        .find(|w| !w.is_empty() && w != "then" && w != "also")
        .unwrap_or_default();
    UI_VERBS.contains(&next.as_str()) || after.trim_end().ends_with(':')
}

/// Whether the second clause acts on what the first produced, by a pronoun: "Generate the
/// dumps and save them to /tmp", "Review the plan carefully, and then apply it". Only for
/// "and" and "and then"; a comma or semicolon between the clauses keeps them two steps.
fn acts_on_the_result(text: &str, joiner: &Range<usize>) -> bool {
    let word = text
        .get(joiner.clone())
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    let word = word.trim_start_matches(',').trim();
    if !matches!(word, "and" | "and then") {
        return false;
    }
    let after = text.get(joiner.end..).unwrap_or_default();
    let mut words = after.split_whitespace().map(|w| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    });
    let _verb = words.next();
    words
        .next()
        .is_some_and(|w| matches!(w.as_str(), "it" | "them" | "this" | "these" | "that"))
}

/// Two tightly linked actions that a careful editor keeps in one step: a compound verb ("Check
/// and approve the PR", "Find and terminate old transactions"), moving somewhere and acting
/// there ("Go to **Workloads**, then search for the pod", "Log in and navigate to the secret",
/// "Wait until clear and then remove the solution"), and an action with its constraint or its
/// check ("Create a project, do not push data to it", "…, see if this fixes it").
fn linked_pair(text: &str, joiner: &Range<usize>) -> bool {
    let before = text.get(..joiner.start).unwrap_or_default();
    let after = text.get(joiner.end..).unwrap_or_default();
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .filter(|w| !matches!(*w, "[" | "]" | "[]" | "[x]" | "[X]"))
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let head = words(before);
    let tail = words(after);
    let joiner_word = text
        .get(joiner.clone())
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    // "Check and approve …": the joiner sits right after the opening verb.
    if head.len() == 1 && matches!(joiner_word.as_str(), "and" | "dan" | "i" | "ja") {
        return true;
    }
    let first = head.first().map(String::as_str).unwrap_or_default();
    let second = head.get(1).map(String::as_str).unwrap_or_default();
    let moves = matches!(
        (first, second),
        (
            "go" | "navigate" | "browse" | "switch" | "return",
            "to" | "back"
        ) | ("log" | "sign", "in" | "on" | "onto" | "into")
            | ("wait", "until" | "for")
            | ("try", _)
    );
    let next = tail.first().map(String::as_str).unwrap_or_default();
    let next2 = tail.get(1).map(String::as_str).unwrap_or_default();
    let constraint_or_check = matches!(
        (next, next2),
        ("do", "not") | ("don't" | "dont" | "never", _) | ("see" | "check", "if" | "whether")
    );
    moves || constraint_or_check
}

fn finding(step: &Step, joiner: Range<usize>, three: bool) -> Finding {
    let word = step.text.get(joiner.clone()).unwrap_or_default().trim();
    let message = if three {
        format!("step holds three or more instructions; the third follows \"{word}\"")
    } else if word.is_empty() || word == "," {
        "step joins two instructions".to_string()
    } else {
        format!("step joins two instructions with \"{word}\"")
    };
    Finding::new(step_source(step, joiner), message).help(if three {
        "split the step: one instruction per step"
    } else {
        "split the step in two: one instruction per step"
    })
}

/// The first explicit joiner between two clauses: "and then" anywhere, or a semicolon that
/// separates two clauses.
fn written_joiner(text: &str) -> Option<Range<usize>> {
    JOINER
        .find_iter(text)
        .map(|m| m.range())
        .find(|r| text.get(r.clone()) != Some(";") || separates_clauses(text, r.clone()))
}

/// Whether the semicolon at `semi` joins two clauses of at least two words each. A semicolon
/// after a colon separates the items of a list ("Collect: ID card; payslip"), not instructions.
fn separates_clauses(text: &str, semi: Range<usize>) -> bool {
    let (Some(before), Some(after)) = (text.get(..semi.start), text.get(semi.end..)) else {
        return false;
    };
    let clause = |s: &str| {
        s.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count()
            >= 2
    };
    !before.contains(':')
        && clause(before.rsplit(';').next().unwrap_or_default())
        && clause(after.split(';').next().unwrap_or_default())
}

/// Two imperative clauses ("Log the call, close the ticket"): the joiner without the second
/// verb that `multiple_actions` includes in its range.
fn clause_joiner(text: &str) -> Option<Range<usize>> {
    let range = en::multiple_actions(text)?;
    let matched = text.get(range.clone())?;
    let joiner = matched
        .trim_end()
        .rfind(char::is_whitespace)
        .map(|i| matched[..i].trim_end())
        .filter(|j| !j.is_empty());
    match joiner {
        Some(j) => Some(range.start..range.start + j.len()),
        // "; close" without a space is rare; underline what was found.
        None => Some(range),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::procedure::test_support::{run, sop, underlined};

    fn joiners(lang: &str, body: &str) -> Vec<String> {
        let (doc, f) = run(&OneAction::default(), &sop(lang, body));
        underlined(&doc, &f)
    }

    #[test]
    fn a_path_of_labels_after_one_verb_is_one_action() {
        let body = "1. Select **Import data** and then **Continue**.\n2. Valitse **Liite** ja sitten **Avaa**.\n3. Select **Import** and then select **Continue**.\n4. Click `Regenerate` and then copy the token.\n";
        assert_eq!(joiners("en", body), ["and then"]);
        assert!(joiners("fi", "1. Valitse **Liite** ja sitten **Avaa**.\n").is_empty());
    }

    #[test]
    fn an_aside_in_parentheses_is_not_a_second_action() {
        let body = "1. Click **User Settings** (gear icon, top right).\n2. Open the log (close the dashboard first; it is slow).\n";
        assert!(joiners("en", body).is_empty());
        assert_eq!(
            mask_parentheses("a (b, ä) c"),
            format!("a {} c", " ".repeat(7))
        );
    }

    #[test]
    fn underlines_only_the_joiner() {
        let body = "1. Log the call and then close the ticket.\n2. Restart the service; check the logs.\n3. Open the form, fill in the name.\n";
        assert_eq!(joiners("en", body), ["and then", ";", ","]);
    }

    #[test]
    fn tightly_linked_pairs_are_one_step() {
        let body = "1. Check and approve the pull request.\n2. Go to **Workloads**, then search for the pod.\n3. Log in as admin and navigate to the secret.\n4. Wait until clear and then remove the solution.\n5. Create a project, do not push data to it.\n6. Set the source to Global, see if this fixes it.\n7. Odaberite redak a zatim kliknite dvaput **Spremi**.\n";
        assert!(joiners("en", body).is_empty());
    }

    #[test]
    fn ui_choices_explanations_and_results_are_one_step() {
        let body = "1. Close the sidebar, then select the Deploy object.\n2. Select **Submit**. The system checks the entries and then sends them for approval.\n3. If a receipt is needed, choose a file and then follow these steps:\n4. Generate the dumps and save them to the folder.\n5. Review the plan carefully, and then apply it.\n";
        assert!(joiners("en", body).is_empty());
        assert!(joiners(
            "ms",
            "1. Kembali ke kawasan Jualan dan kemudian buka projek itu.\n"
        )
        .is_empty());
        // A comma keeps "sign it" a second step.
        assert_eq!(joiners("en", "1. Print the advice, sign it.\n"), [","]);
    }

    #[test]
    fn seed_language_joiners() {
        assert_eq!(
            joiners("fi", "1. Avaa lomake ja sitten tallenna se.\n"),
            ["ja sitten"]
        );
        assert_eq!(
            joiners("id", "1. Buka formulir dan kemudian simpan.\n"),
            ["dan kemudian"]
        );
        assert_eq!(
            joiners("hr", "1. Otvorite obrazac a zatim ga spremite.\n"),
            ["a zatim"]
        );
    }

    #[test]
    fn lists_and_single_actions_are_quiet() {
        let body = "1. Bring: ID card; payslip; bank statement.\n2. Check the name and address.\n3. Press Ctrl;\n";
        assert!(joiners("en", body).is_empty());
        assert!(joiners("ms", "1. Sediakan: kad pengenalan; slip gaji.\n").is_empty());
    }
}
