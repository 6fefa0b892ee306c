//! `kind: acronym`: acronyms used before they are defined. Built in, not a token list, because
//! it reads the whole document (definitions, uses, the words a page writes out).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::scope::units;
use super::PackRule;
use crate::document::{BlockKind, Document, SectionKind};
use crate::rule::Finding;

impl PackRule {
    /// Undefined acronyms: the first use of each, in the rule's scope.
    pub(super) fn check_acronyms(
        &self,
        doc: &Document,
        allow: &BTreeSet<String>,
        expansions: &BTreeMap<String, String>,
    ) -> Vec<Finding> {
        let in_scope: BTreeSet<(usize, usize)> = units(doc, &self.spec.scope)
            .iter()
            .map(|u| {
                let r = u.to_source(0..u.text().len());
                (r.start, r.end)
            })
            .collect();
        let definitions: Vec<Range<usize>> = doc
            .sections_of(SectionKind::Definitions)
            .map(|s| s.span.start..s.body.end)
            .collect();
        // Words in capitals that are English words ("NOT", "MUST", "SELECT") are emphasis or
        // keywords, not acronyms.
        let english = doc.is_english();
        // What the whole document tells its reader: an acronym defined anywhere (even just
        // after its first use, or under a heading that names it), one used three times or
        // more (the page's own vocabulary, which its readers share), and one whose letters
        // are the initials of words the page writes out ("managed instance" for MI, GitHub
        // for GH).
        let mut defined: BTreeSet<String> = BTreeSet::new();
        let mut uses: BTreeMap<String, usize> = BTreeMap::new();
        let mut initials: BTreeSet<String> = BTreeSet::new();
        for block in &doc.blocks {
            let text = block.text.as_str();
            for (range, acronym) in acronyms(text) {
                *uses.entry(acronym.to_string()).or_default() += 1;
                if is_definition(text, &range) {
                    defined.insert(acronym.to_string());
                }
            }
            initials.extend(word_initials(text));
        }
        let mut reported: BTreeSet<String> = BTreeSet::new();
        let mut out = Vec::new();
        for block in &doc.blocks {
            let text = block.text.as_str();
            let src = block.text.source_range();
            let glossary = definitions
                .iter()
                .any(|d| d.start <= src.start && src.start < d.end);
            // A heading names a topic that its section explains, and a table cell is a value
            // in a grid (a regulation, a business unit): only prose and steps are checked.
            let checked = in_scope.contains(&(src.start, src.end))
                && block.kind == BlockKind::Paragraph
                && !shouting(text);
            for (range, acronym) in acronyms(text) {
                if glossary || is_definition(text, &range) {
                    defined.insert(acronym.to_string());
                    continue;
                }
                if !checked
                    || defined.contains(acronym)
                    || uses.get(acronym).is_some_and(|&n| n >= 3)
                    || initials.contains(acronym)
                    || allow.contains(acronym)
                    || self.allow_more.contains(acronym)
                    || (english && crate::lang::en::is_capitalised_word(acronym))
                    || !reported.insert(acronym.to_string())
                {
                    continue;
                }
                let source = block.text.to_source(range.clone());
                if english && emphasis_run(text, &range) {
                    continue;
                }
                if in_code_span(&doc.source, source.start)
                    || doc.links.iter().any(|l| {
                        let span = l.span.range();
                        span.start <= source.start && source.end <= span.end
                    })
                {
                    // Code is not prose, and a link leads to what the acronym means.
                    continue;
                }
                let mut f = self.finding(source, acronym, &[]);
                if let Some(expansion) = expansions.get(acronym) {
                    f.help = Some(format!(
                        "Write '{expansion} ({acronym})' at the first use, or list it under Definitions."
                    ));
                }
                out.push(f);
            }
        }
        out
    }
}

/// Candidate acronyms: words of 2–6 ASCII capitals (a plural `s` allowed), not part of an id
/// like `CS-001`, an e-mail address, a path or a channel name.
fn acronyms(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            continue;
        }
        let Some(s) = start.take() else { continue };
        let word = &text[s..i];
        let core = word.strip_suffix('s').unwrap_or(word);
        let caps =
            core.len() >= 2 && core.len() <= 6 && core.bytes().all(|b| b.is_ascii_uppercase());
        let before = text[..s].chars().next_back();
        let after: Vec<char> = text[i..].chars().take(2).collect();
        // Ids, paths, addresses, channels and template placeholders ("{{PHONE}}", "<NAME>").
        let glued = |c: Option<&char>| c.is_some_and(|c| "-_/@#\\{}<>[]$%=".contains(*c));
        // A list of codes written without spaces ("HQ,HMPPS,OPG") is a value, not prose.
        let listed = before == Some(',')
            || (after.first() == Some(&',') && after.get(1).is_some_and(|c| c.is_alphanumeric()));
        // "file.TXT", "HH:MM": part of a name or a format, not a word.
        let dotted = matches!(after.first(), Some('.' | ':'))
            && after.get(1).is_some_and(|c| c.is_alphanumeric());
        // Placeholders: "XXX", "NBXX".
        let placeholder = core.contains("XX");
        if caps
            && !glued(before.as_ref())
            && !glued(after.first())
            && before != Some('.')
            && before != Some(':')
            && !dotted
            && !placeholder
            && !listed
        {
            out.push((s..s + core.len(), core));
        }
    }
    out
}

/// Whether the word at `range` stands next to another word in capitals that is an English
/// word or too long for an acronym: "MAKE SURE", "NOTE ON HOOD PREPARATION" are emphasis.
fn emphasis_run(text: &str, range: &Range<usize>) -> bool {
    let word_at = |s: &str, from_end: bool| -> Option<String> {
        let s = if from_end {
            s.trim_end()
        } else {
            s.trim_start()
        };
        let w: String = if from_end {
            let rev: String = s
                .chars()
                .rev()
                .take_while(|c| c.is_alphanumeric())
                .collect();
            rev.chars().rev().collect()
        } else {
            s.chars().take_while(|c| c.is_alphanumeric()).collect()
        };
        (w.chars().count() >= 2).then_some(w)
    };
    let shouted = |w: &str| {
        w.chars().all(|c| c.is_uppercase())
            && (w.chars().count() > 6 || crate::lang::en::is_capitalised_word(w))
    };
    let before = &text[..range.start];
    let after = text[range.end..]
        .strip_prefix('s')
        .unwrap_or(&text[range.end..]);
    // Only a space between the words: "MAKE SURE", not "DNS: SURE".
    let prev = before
        .ends_with(' ')
        .then(|| word_at(before, true))
        .flatten();
    let next = after
        .starts_with(' ')
        .then(|| word_at(after, false))
        .flatten();
    prev.is_some_and(|w| shouted(&w)) || next.is_some_and(|w| shouted(&w))
}

/// Words that do not count for the initials of a name ("Prison *and* Probation Service").
const INITIALS_SKIP: [&str; 7] = ["of", "and", "the", "for", "to", "in", "on"];

/// The initials of every run of 2 to 6 written-out words of `text`, upper-cased, with and
/// without the small words of `INITIALS_SKIP`; a word in CamelCase gives one initial per part
/// ("GitHub" gives "GH"). Words in capitals are acronyms themselves and break a run.
fn word_initials(text: &str) -> BTreeSet<String> {
    let mut runs: Vec<Vec<(char, bool)>> = vec![Vec::new()];
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}')) {
        let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.is_empty() || !letters.iter().any(|c| c.is_lowercase()) {
            if !word.is_empty() {
                runs.push(Vec::new());
            }
            continue;
        }
        let small = INITIALS_SKIP.contains(&word.to_lowercase().as_str());
        if let Some(run) = runs.last_mut() {
            run.push((letters[0].to_ascii_uppercase(), small));
            // CamelCase: each capital after a lower-case letter starts a part.
            for pair in letters.windows(2) {
                if pair[0].is_lowercase() && pair[1].is_uppercase() {
                    run.push((pair[1], false));
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    for run in &runs {
        for start in 0..run.len() {
            let mut all = String::new();
            let mut content = String::new();
            for &(c, small) in &run[start..] {
                all.push(c);
                if !small {
                    content.push(c);
                }
                if (2..=6).contains(&all.len()) {
                    out.insert(all.clone());
                }
                if (3..=6).contains(&content.len()) && !run[start].1 {
                    out.insert(content.clone());
                }
                if all.len() > 12 {
                    break;
                }
            }
        }
    }
    out
}

/// Whether `at` lies inside a code span of its line (an odd number of backticks before it).
fn in_code_span(source: &str, at: usize) -> bool {
    let Some(before) = source.get(..at) else {
        return false;
    };
    let line = before.rsplit('\n').next().unwrap_or(before);
    line.matches('`').count() % 2 == 1
}

/// Whether the acronym at `range` is being defined: "Full Name (ACR)", or "ACR (Full Name)"
/// where the name starts with the acronym's first letter.
fn is_definition(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].trim_end_matches(' ');
    let after = text[range.end..]
        .strip_prefix('s')
        .unwrap_or(&text[range.end..]);
    if before.ends_with('(') && after.starts_with([')', ',', ';']) {
        return true;
    }
    let first = text[range.clone()].chars().next();
    after
        .trim_start()
        .strip_prefix('(')
        .and_then(|rest| rest.chars().next())
        .zip(first)
        .is_some_and(|(a, b)| a.eq_ignore_ascii_case(&b))
}

/// Text written in capitals (a warning banner) is not a list of acronyms.
fn shouting(text: &str) -> bool {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let caps = words
        .iter()
        .filter(|w| !w.chars().any(char::is_lowercase))
        .count();
    words.len() >= 3 && caps * 2 > words.len()
}
