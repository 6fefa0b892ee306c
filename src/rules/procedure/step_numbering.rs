use std::ops::Range;

use crate::document::{Document, Step};
use crate::rule::{declare_rule, Context, Edit, Finding, Fix, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that the numbers written on the ordered steps of each list run 1, 2, 3… on
    /// from the list's first number, at every level. A gap ("2." followed by "4.") or a repeat
    /// ("2." followed by "2.") is reported at the offending number. Lists numbered "1." on
    /// every item (lazy numbering, which Markdown renders as 1, 2, 3) are accepted.
    ///
    /// The fix renumbers the list, editing only the digits of each marker. It is safe when
    /// every new number has as many digits as the old one; otherwise the content of the item
    /// may need re-indenting, and the fix is unsafe.
    ///
    /// ## Why is this bad?
    /// Rendered Markdown renumbers the list, so the source and the rendered page disagree:
    /// "go to step 4" in a review of the source points at a different step than the reader
    /// sees. A gap often means a step was deleted by mistake.
    ///
    /// ## Example
    /// ```markdown
    /// 1. Stop the service.
    /// 2. Back up the database.
    /// 4. Apply the migration.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 1. Stop the service.
    /// 2. Back up the database.
    /// 3. Apply the migration.
    /// ```
    pub(crate) StepNumbering {
        code: "P004",
        name: "step-numbering",
        severity: Warning,
        summary: "Step numbers have a gap or a repeat",
        options: NoOptions,
        fixable: true,
        since: "0.1.0",
    }
}

impl Rule for StepNumbering {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        // Renumbering would silently retarget "go to step 7": only safe without such text.
        // Read only when a list needs a fix: most documents number their steps right.
        let referenced = Referenced::new(doc);
        // Every sibling group: the top-level steps, then the children of every step.
        check_siblings(&doc.steps, &doc.source, &referenced, &mut out);
        for step in doc.all_steps() {
            check_siblings(&step.children, &doc.source, &referenced, &mut out);
        }
        out
    }
}

/// Splits siblings into lists (a new list starts with a new list id or a change between
/// ordered and bullet items) and checks each.
/// Whether some block of the document refers to a step by number, worked out at the first
/// question and kept.
struct Referenced<'d> {
    doc: &'d Document,
    answer: std::cell::OnceCell<bool>,
}

impl<'d> Referenced<'d> {
    fn new(doc: &'d Document) -> Self {
        Self {
            doc,
            answer: std::cell::OnceCell::new(),
        }
    }

    fn get(&self) -> bool {
        *self.answer.get_or_init(|| {
            super::step_reference::any_refers_to_a_step(
                self.doc.blocks.iter().map(|b| b.text.as_str()),
            )
        })
    }
}

fn check_siblings(steps: &[Step], source: &str, referenced: &Referenced, out: &mut Vec<Finding>) {
    for group in steps.chunk_by(|a, b| a.list == b.list && a.ordered == b.ordered) {
        if group.first().is_some_and(|s| s.ordered) {
            check_list(group, source, referenced, out);
        }
    }
}

/// One ordered list: (number, byte range of its digits) of every item.
fn check_list(items: &[Step], source: &str, referenced: &Referenced, out: &mut Vec<Finding>) {
    let mut numbers: Vec<(u64, Range<usize>)> = Vec::with_capacity(items.len());
    for step in items {
        let Some((n, digits)) = step.number.as_deref().and_then(|w| marker(step, w, source)) else {
            // A number we cannot read or locate: leave the list alone rather than guess.
            return;
        };
        numbers.push((n, digits));
    }
    let Some(first) = numbers.first().map(|(n, _)| *n) else {
        return;
    };
    let lazy = first <= 1 && numbers.iter().all(|(n, _)| *n == first);
    if lazy {
        return;
    }
    let mut findings = Vec::new();
    for pair in numbers.windows(2) {
        let (prev, (n, digits)) = (pair[0].0, &pair[1]);
        let expected = prev.saturating_add(1);
        if *n == expected {
            continue;
        }
        let message = if *n == prev {
            format!("step number {n} is repeated; expected {expected}")
        } else if *n < prev {
            format!("step number {n} goes back after {prev}; expected {expected}")
        } else {
            format!("step numbering jumps from {prev} to {n}; expected {expected}")
        };
        findings.push(Finding::new(digits.clone(), message));
    }
    if findings.is_empty() {
        return;
    }
    let fix = renumber(&numbers, first, referenced.get());
    for f in findings {
        out.push(
            f.help(format!(
                "renumber the list from {first}: {first}, {}, {}, …",
                first.saturating_add(1),
                first.saturating_add(2)
            ))
            .with_fix(fix.clone()),
        );
    }
}

/// The digits of the item's marker in the source, checked against the number as written.
fn marker(step: &Step, written: &str, source: &str) -> Option<(u64, Range<usize>)> {
    let item = source.get(step.span.range())?;
    let start = step.span.start + (item.len() - item.trim_start().len());
    let end = start + written.len();
    (source.get(start..end)? == written).then_some(())?;
    Some((written.parse().ok()?, start..end))
}

/// Renumbers the whole list from its first number. Every fix of the list carries the same
/// edits, so applying any one of them settles the others. The fix is unsafe when a number
/// changes width (the item's text would need re-indenting) or when the document refers to
/// steps by number (the references would point elsewhere).
fn renumber(numbers: &[(u64, Range<usize>)], first: u64, referenced: bool) -> Fix {
    let mut same_width = true;
    let edits = numbers
        .iter()
        .zip(0u64..)
        .filter_map(|((n, digits), i)| {
            let want = first.saturating_add(i);
            (*n != want).then(|| {
                let replacement = want.to_string();
                same_width &= replacement.len() == digits.len();
                Edit {
                    range: digits.clone(),
                    replacement,
                }
            })
        })
        .collect();
    if same_width && !referenced {
        Fix::safe(edits)
    } else {
        Fix::unsafe_(edits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::Applicability;
    use crate::rules::procedure::test_support::{run, sop};

    fn apply(source: &str, fix: &Fix) -> String {
        let mut out = source.to_string();
        let mut edits = fix.edits.to_vec();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        for e in edits {
            out.replace_range(e.range, &e.replacement);
        }
        out
    }

    #[test]
    fn fix_renumbers_and_converges() {
        let src = sop("en", "1. A.\n2. B.\n4. C.\n4. D.\n5. E.\n");
        let (doc, f) = run(&StepNumbering::default(), &src);
        let at: Vec<_> = f.iter().map(|f| doc.line_col(f.span.start)).collect();
        assert_eq!(at, [(11, 1), (12, 1)]);
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(fix.applicability, Applicability::Safe);
        let fixed = apply(&src, fix);
        assert!(
            fixed.ends_with("1. A.\n2. B.\n3. C.\n4. D.\n5. E.\n"),
            "{fixed}"
        );
        assert!(run(&StepNumbering::default(), &fixed).1.is_empty());
    }

    #[test]
    fn references_are_read_once_for_every_fix() {
        // The reference is worked out at the first fix and kept: each list's fix sees it,
        // wherever the reference is.
        let body = "1. A.\n   1. a.\n   3. b.\n2. B.\n4. C.\n\nIf it fails, go to step 2.\n";
        let (_, f) = run(&StepNumbering::default(), &sop("en", body));
        assert_eq!(f.len(), 2);
        for f in &f {
            let fix = f.fix.as_ref().unwrap();
            assert_eq!(fix.applicability, Applicability::Unsafe);
        }
        let body = "1. A.\n   1. a.\n   3. b.\n2. B.\n4. C.\n\nIf it fails, start over.\n";
        let (_, f) = run(&StepNumbering::default(), &sop("en", body));
        assert_eq!(f.len(), 2);
        for f in &f {
            let fix = f.fix.as_ref().unwrap();
            assert_eq!(fix.applicability, Applicability::Safe);
        }
    }

    #[test]
    fn wider_numbers_make_the_fix_unsafe() {
        let body: String = (1..=9).map(|i| format!("{i}. S.\n")).collect::<String>() + "9. T.\n";
        let (_, f) = run(&StepNumbering::default(), &sop("en", &body));
        assert_eq!(f.len(), 1);
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(fix.applicability, Applicability::Unsafe);
        assert_eq!(fix.edits[0].replacement, "10");
    }

    #[test]
    fn step_references_make_the_fix_unsafe() {
        let src = sop("en", "1. A.\n2. B.\n4. If it fails, go to step 4.\n");
        let (_, f) = run(&StepNumbering::default(), &src);
        assert_eq!(f.len(), 1);
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(fix.applicability, Applicability::Unsafe);
    }

    #[test]
    fn lazy_numbering_and_start_numbers_are_fine() {
        for body in [
            "1. A.\n1. B.\n1. C.\n",
            "0. A.\n0. B.\n",
            "3. A.\n4. B.\n",
            "1) A.\n2) B.\n1. C.\n2. D.\n",
            "- A.\n- B.\n",
            "1. A.\n   1. a.\n   2. b.\n2. B.\n",
            "999999999. A.\n1000000000. B.\n",
        ] {
            let (_, f) = run(&StepNumbering::default(), &sop("en", body));
            assert!(f.is_empty(), "{body}: {f:?}");
        }
    }

    #[test]
    fn restarted_lists_share_one_fix() {
        // Sub-steps written without indentation restart the numbers in one list: a finding per
        // restart, all with the same renumbering, kept once (a copy per finding made a 1 MB
        // file take 4.5 GB).
        crate::work::assert_linear(
            "P004 findings of one list",
            300,
            |n| {
                let body: String = (0..n).map(|i| format!("{}. Step.\n", i % 3 + 1)).collect();
                sop("en", &body)
            },
            |src| {
                let (_, f) = run(&StepNumbering::default(), src);
                // The edits held in memory: each shared copy once, and a pointer per finding.
                let mut seen = std::collections::HashSet::new();
                for f in &f {
                    let edits = &f.fix.as_ref().unwrap().edits;
                    if seen.insert(edits.as_ptr()) {
                        crate::work::add(edits.len());
                    }
                    crate::work::add(1);
                }
            },
        );
    }

    #[test]
    fn repeats_are_flagged_in_nested_lists() {
        // A nested list may only interrupt a paragraph when it starts at 1.
        let src = sop("en", "1. A.\n   1. a.\n   1. b.\n   2. c.\n2. B.\n");
        let (doc, f) = run(&StepNumbering::default(), &src);
        assert_eq!(f.len(), 1);
        assert_eq!(doc.line_col(f[0].span.start), (11, 4));
        assert_eq!(f[0].message, "step number 1 is repeated; expected 2");
    }
}
