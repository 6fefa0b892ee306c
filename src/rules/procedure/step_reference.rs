use std::sync::LazyLock;

use regex::Regex;

use crate::document::{BlockKind, Document, SectionKind, Step};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};
use crate::rules::literal::AsciiWords;

declare_rule! {
    /// ## What it does
    /// Checks that references to steps ("go to step 7", "see step 3", "return to step 2",
    /// "repeat step 4", "step 5"; "langkah 3" in Malay and Indonesian, "korak 3" in Croatian,
    /// "vaihe 3" / "kohta 3" in Finnish) name a step that exists among the top-level steps of
    /// the procedure. "Step 2.3" means sub-step 3 of step 2. Steps and all prose (paragraphs,
    /// table cells) are checked; headings and the revision history are not, and neither are
    /// references to another document's steps ("step 3 of SOP IT-007").
    ///
    /// A list written `1.` on every line counts 1, 2, 3 as Markdown renders it; a reference
    /// resolves against steps at any depth and any part of the procedure, and against any
    /// numbered list of the document ("steps 1-7 above" about a list of what automation
    /// does). "Step 2.1" is reported only when step 2 has sub-steps and not that one.
    ///
    /// ## Why is this bad?
    /// A reference to a missing step sends the reader nowhere, usually in the middle of an
    /// incident. It happens when steps are added or removed and the references are not
    /// updated.
    ///
    /// ## Example
    /// ```markdown
    /// 1. Check the backup status.
    /// 2. If the backup failed, go to step 5.
    /// 3. Restore the snapshot.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 1. Check the backup status.
    /// 2. If the backup failed, go to step 4.
    /// 3. Restore the snapshot.
    /// 4. Open an incident ticket.
    /// ```
    pub(crate) StepReference {
        code: "P006",
        name: "step-reference",
        severity: Error,
        summary: "Reference to a step that does not exist",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

/// A step reference with an optional verb in front; group 1 is the step, group 2 the
/// sub-step of "step 2.3".
static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b
        (?: (?:go|return|skip|proceed|jump|continue|move|back) \s+ (?:back \s+)? to \s+
          | (?:see|repeat|redo) \s+ )?
        (?: step | langkah | korak(?:u|om|a)? | vaihe(?:eseen|essa|esta|en)?
          | kohta(?:an)? | kohd(?:assa|asta|an) )
        \s+ (\d{1,6}) (?: \. (\d{1,6}) )? \b
        (?: \s+ (of|in) \s+ (\w+) )?",
    )
    .expect("reference pattern is valid")
});

/// The words every reference contains: a cheap test that skips most prose before the regexes.
static KEYWORDS: LazyLock<AsciiWords> =
    LazyLock::new(|| AsciiWords::new(["step", "langkah", "korak", "vaihe", "kohta", "kohd"]));

/// Whether `text` refers to a step by its number ("go to step 4", "langkah 2").
#[cfg(test)]
fn refers_to_a_step(text: &str) -> bool {
    KEYWORDS.is_match(text) && REFERENCE.is_match(text)
}

/// Whether one of `texts` refers to a step by its number: [`refers_to_a_step`] of each, with
/// one keyword search for all.
pub(super) fn any_refers_to_a_step<'t>(texts: impl Iterator<Item = &'t str> + Clone) -> bool {
    texts
        .clone()
        .zip(KEYWORDS.matching(texts))
        .any(|(text, keywords)| keywords && REFERENCE.is_match(text))
}

/// "steps 3 to 5", "steps 3–5", "steps 3 and 4": both ends must exist.
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b
        (?: (?:go|return|skip|proceed|jump|continue|move|back) \s+ (?:back \s+)? to \s+
          | (?:see|repeat|redo) \s+ )?
        steps \s+ (\d{1,6}) \s* (?: to | and | or | through | - | – | — ) \s* (\d{1,6}) \b
        (?: \s+ (of|in) \s+ (\w+) )?",
    )
    .expect("range pattern is valid")
});

impl Rule for StepReference {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        if doc.steps.is_empty() {
            // Nothing to resolve against: a missing procedure is the S rules' finding.
            return Vec::new();
        }
        let mut out = Vec::new();
        // Read at the first reference that does not resolve to a step: most resolve.
        let numbers = std::cell::OnceCell::new();
        let numbers = || numbers.get_or_init(|| list_numbers(&doc.source));
        // Built at the first reference: the steps by number, the links by end.
        let steps = std::cell::OnceCell::new();
        let steps = || steps.get_or_init(|| StepIndex::new(&doc.steps));
        let links = std::cell::OnceCell::new();
        let links = || links.get_or_init(|| LinkEnds::new(doc));
        let keywords = KEYWORDS.matching(doc.blocks.iter().map(|b| b.text.as_str()));
        for (block, keywords) in doc.blocks.iter().zip(keywords) {
            if block.kind == BlockKind::Heading || !keywords {
                continue;
            }
            let history = block
                .section
                .and_then(|i| doc.sections.get(i))
                .is_some_and(|s| s.kind == Some(SectionKind::RevisionHistory));
            if history {
                // "Removed step 7" describes an older version.
                continue;
            }
            let text = block.text.as_str();
            for caps in REFERENCE.captures_iter(text) {
                let (Some(step_no), Some(whole)) = (caps.get(1), caps.get(0)) else {
                    continue;
                };
                if external(&caps) {
                    continue;
                }
                let sub = caps.get(2).map(|m| m.as_str());
                let Some(message) = unresolved(steps(), step_no.as_str(), sub) else {
                    continue;
                };
                if sub.is_none() && in_a_list(numbers(), step_no.as_str()) {
                    continue;
                }
                // Underline the reference, not the trailing "of …" that was only looked at.
                let end = caps.get(2).unwrap_or(step_no).end();
                let span = block.text.to_source(whole.start()..end);
                if links().before(doc, span.start) {
                    continue;
                }
                out.push(finding(span, message));
            }
            for caps in RANGE.captures_iter(text) {
                let (Some(whole), Some(from), Some(to)) = (caps.get(0), caps.get(1), caps.get(2))
                else {
                    continue;
                };
                if external(&caps) {
                    continue;
                }
                let message = [from, to].into_iter().find_map(|m| {
                    unresolved(steps(), m.as_str(), None)
                        .filter(|_| !in_a_list(numbers(), m.as_str()))
                });
                if let Some(message) = message {
                    let span = block.text.to_source(whole.start()..to.end());
                    if links().before(doc, span.start) {
                        continue;
                    }
                    out.push(finding(span, message));
                }
            }
        }
        out
    }
}

/// "step 3 of SOP IT-007", "step 2 in the wizard": another document's steps ("in this …"
/// stays ours). Groups 3 and 4 of both patterns are the preposition and the word after it.
/// The links to another page (a target that is not empty and not `#…`), by the end of their
/// span, so that a reference looks only at the links that end just before it.
struct LinkEnds {
    /// (end, start) of each such link, sorted.
    ends: Vec<(usize, usize)>,
}

/// The most bytes 40 characters take.
const NEAR: usize = 40 * 4;

impl LinkEnds {
    fn new(doc: &Document) -> Self {
        let mut ends: Vec<(usize, usize)> = doc
            .links
            .iter()
            .filter(|link| {
                let target = link.target.trim();
                !target.is_empty() && !target.starts_with('#')
            })
            .map(|link| (link.span.range().end, link.span.range().start))
            .collect();
        ends.sort_unstable();
        Self { ends }
    }

    /// Whether the reference at source offset `at` follows a link to another page in the same
    /// sentence: "Follow [the restore guide](restore.md) (steps 6-12)" counts that page's
    /// steps.
    fn before(&self, doc: &Document, at: usize) -> bool {
        let from = self
            .ends
            .partition_point(|&(end, _)| end < at.saturating_sub(NEAR));
        let to = self.ends.partition_point(|&(end, _)| end <= at);
        crate::work::add(to - from + 1);
        self.ends[from..to].iter().any(|&(end, _)| {
            doc.source.get(end..at).is_some_and(|between| {
                between.chars().count() <= 40 && !between.contains(['.', '!', '?', ';', '\n'])
            })
        })
    }
}

/// Whether some ordered list of the document has an item numbered `n`.
fn in_a_list(numbers: &std::collections::BTreeSet<u64>, n: &str) -> bool {
    n.parse().is_ok_and(|n: u64| numbers.contains(&n))
}

fn external(caps: &regex::Captures<'_>) -> bool {
    caps.get(3).is_some()
        && caps
            .get(4)
            .is_none_or(|w| !w.as_str().eq_ignore_ascii_case("this"))
}

fn finding(span: std::ops::Range<usize>, message: String) -> Finding {
    Finding::new(span, message).help(
        "point the reference at an existing step; renumber references when you add or remove steps",
    )
}

/// The numbers each step answers to: as written, and as Markdown renders it (the list's first
/// number plus the position), so that a list written `1.` on every line counts 1, 2, 3. Bullet
/// items count by position.
fn numbered(steps: &[Step]) -> Vec<(u64, &Step)> {
    let mut out = Vec::new();
    let mut start = 1u64;
    let mut pos = 0u64;
    let mut list = None;
    for s in steps {
        let written: Option<u64> = s.number.as_deref().and_then(|n| n.parse().ok());
        if list != Some(s.list) {
            list = Some(s.list);
            start = written.unwrap_or(1);
            pos = 0;
        }
        let rendered = start.saturating_add(pos);
        pos += 1;
        out.push((rendered, s));
        if let Some(w) = written.filter(|&w| w != rendered) {
            out.push((w, s));
        }
    }
    out
}

/// Every step at every depth with the numbers it answers to: a reference inside a sub-list
/// ("repeat step 3" among sub-steps 1 to 4) or to another part of the procedure resolves there.
fn numbered_deep(steps: &[Step]) -> Vec<(u64, &Step)> {
    let mut out = numbered(steps);
    for s in steps {
        out.extend(numbered_deep(&s.children));
    }
    out
}

/// The numbers of every item of every ordered list in the source, as written and as Markdown
/// renders them (first number plus position), outside code blocks. A list that describes what
/// automation does ("1. A PR is merged…") is not a procedure, but "steps 1-7 above" counts it.
fn list_numbers(source: &str) -> std::collections::BTreeSet<u64> {
    let mut out = std::collections::BTreeSet::new();
    // (indent, start, items so far) of each open list, innermost last.
    let mut open: Vec<(usize, u64, u64)> = Vec::new();
    let mut fence: Option<&str> = None;
    for line in source.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        let digits = trimmed.len()
            - trimmed
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .len();
        let marker = (1..=6).contains(&digits)
            && trimmed[digits..].starts_with(['.', ')'])
            && trimmed[digits + 1..].starts_with([' ', '\t']);
        if marker {
            let written: u64 = trimmed[..digits].parse().unwrap_or(0);
            open.retain(|&(i, _, _)| i <= indent);
            match open.last_mut() {
                Some((i, start, count)) if *i == indent => {
                    out.insert(start.saturating_add(*count));
                    *count += 1;
                }
                _ => {
                    open.push((indent, written, 1));
                    out.insert(written);
                }
            }
            out.insert(written);
        } else {
            // A line that is not indented under a list item ends the lists it is not inside;
            // a heading ends all of them.
            let heading = trimmed.starts_with('#');
            open.retain(|&(i, _, _)| !heading && i < indent);
        }
    }
    out
}

/// Why the reference does not resolve, or `None` when it does.
/// What a reference may resolve to, built once per document: for each number, the steps
/// (at any depth) that answer to it, with the numbers their sub-steps answer to and the most
/// sub-steps one of them has; and the range of the top-level numbers.
struct StepIndex {
    by_number: std::collections::HashMap<u64, Parents>,
    lo: u64,
    hi: u64,
}

#[derive(Default)]
struct Parents {
    subs: std::collections::HashSet<u64>,
    most_children: usize,
}

impl StepIndex {
    fn new(steps: &[Step]) -> Self {
        let mut by_number: std::collections::HashMap<u64, Parents> = Default::default();
        for (k, step) in numbered_deep(steps) {
            crate::work::add(step.children.len() + 1);
            let p = by_number.entry(k).or_default();
            p.subs
                .extend(numbered(&step.children).into_iter().map(|(m, _)| m));
            p.most_children = p.most_children.max(step.children.len());
        }
        let (lo, hi) = numbered(steps)
            .into_iter()
            .map(|(k, _)| k)
            .fold((u64::MAX, 0), |(lo, hi), k| (lo.min(k), hi.max(k)));
        Self { by_number, lo, hi }
    }
}

fn unresolved(steps: &StepIndex, step: &str, sub: Option<&str>) -> Option<String> {
    let n: u64 = step.parse().ok()?;
    let Some(parents) = steps.by_number.get(&n) else {
        let (lo, hi) = (steps.lo, steps.hi);
        return Some(format!(
            "step {n} does not exist; the procedure's steps are numbered {lo} to {hi}"
        ));
    };
    let sub = sub?;
    let m: u64 = sub.parse().ok()?;
    if parents.subs.contains(&m) {
        return None;
    }
    // A step without sub-steps may still hold a numbered list that was not read as steps
    // (inside a note or a bullet); only a step whose sub-steps stop short is certain.
    match parents.most_children {
        0 => None,
        1 => Some(format!(
            "step {n}.{m} does not exist; step {n} has 1 sub-step"
        )),
        c => Some(format!(
            "step {n}.{m} does not exist; step {n} has {c} sub-steps"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::procedure::test_support::{run, sop, underlined};

    fn refs(lang: &str, body: &str) -> Vec<String> {
        let (doc, f) = run(&StepReference::default(), &sop(lang, body));
        underlined(&doc, &f)
    }

    proptest::proptest! {
        /// One keyword search for all texts answers as a search in each.
        #[test]
        fn any_reference_is_one_in_some_text(
            texts in proptest::collection::vec("(step|STEP|ste|p|go to|Korak| |3|\\.|x)*", 0..6),
        ) {
            proptest::prop_assert_eq!(
                any_refers_to_a_step(texts.iter().map(String::as_str)),
                texts.iter().any(|t| refers_to_a_step(t))
            );
        }
    }

    #[test]
    fn resolves_steps_and_sub_steps() {
        let body = "1. A.\n   1. a.\n2. Go to step 1.1, see step 1.2, then step 3.\n";
        assert_eq!(refs("en", body), ["see step 1.2", "step 3"]);
    }

    #[test]
    fn bullet_steps_count_by_position() {
        let body = "- Open the form.\n- Repeat step 2.\n- Go to step 4.\n";
        assert_eq!(refs("en", body), ["Go to step 4"]);
    }

    #[test]
    fn steps_after_a_link_to_another_page_are_that_page_s() {
        let body = "1. Restore the database.\n2. Follow [the restore guide](restore.md) (steps 6-12).\n3. Then [the check](https://example.com/check), step 9.\n4. Go to [the top](#procedure), then step 8.\n";
        assert_eq!(refs("en", body), ["step 8"]);
    }

    #[test]
    fn other_documents_and_headings_are_ignored() {
        let body = "1. Follow step 9 of the onboarding SOP.\n\n### Step 7\n\nText.\n";
        assert!(refs("en", body).is_empty());
    }

    #[test]
    fn ranges_and_this_procedure() {
        let body = "1. A.\n2. Repeat steps 1 to 2.\n3. Repeat steps 2–5.\n4. See step 8 in this procedure.\n";
        assert_eq!(refs("en", body), ["Repeat steps 2–5", "See step 8"]);
    }

    #[test]
    fn lazy_numbering_and_sub_lists_resolve() {
        let body = "1. Open the form.\n1. Check it.\n1. Go to step 3, not step 4.\n";
        assert_eq!(refs("en", body), ["step 4"]);
        let body =
            "1. Check the pod.\n   1. List pods.\n   2. Describe it.\n   3. Repeat step 3.\n";
        assert!(refs("en", body).is_empty());
    }

    #[test]
    fn lists_that_are_not_steps_count() {
        let body = "1. Open the form.\n2. Save it.\n\n## How it runs\n\n1. A PR is merged.\n1. CI builds it.\n1. Argo deploys it.\n\nSteps 1-3 above need CI; see step 4.\n";
        assert_eq!(refs("en", body), ["see step 4"]);
        let mut numbers: Vec<u64> = list_numbers("1. a\n1. b\n   1. c\n   1. d\n```\n9. x\n```\n")
            .into_iter()
            .collect();
        numbers.sort_unstable();
        assert_eq!(numbers, [1, 2]);
    }

    #[test]
    fn seed_languages() {
        assert_eq!(
            refs("ms", "1. Semak borang.\n2. Ulang langkah 4.\n"),
            ["langkah 4"]
        );
        assert_eq!(
            refs("fi", "1. Tarkista.\n2. Palaa vaiheeseen 7.\n"),
            ["vaiheeseen 7"]
        );
    }

    #[test]
    fn references_cost_the_same_however_many_steps() {
        // Scanning every step per reference made 100k steps take over a minute.
        crate::work::assert_linear(
            "P006 over many steps",
            2_000,
            |n| {
                let body: String = (0..n)
                    .map(|i| format!("{}. Check it. If it fails, go to step {}.\n", i + 1, i + 3))
                    .collect();
                sop("en", &body)
            },
            |src| {
                let (_, f) = run(&StepReference::default(), src);
                assert_eq!(f.len(), 2);
            },
        );
    }
}
