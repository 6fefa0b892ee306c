//! P: procedure steps.

use std::ops::Range;

use super::{entry, RuleEntry};
use crate::document::Step;

mod nesting_depth;
mod one_action;
mod step_length;
mod step_mood;
mod step_numbering;
mod step_reference;
mod vague_words;

pub(crate) static RULES: &[RuleEntry] = &[
    entry!(step_mood::StepMood),
    entry!(step_length::StepLength),
    entry!(one_action::OneAction),
    entry!(step_numbering::StepNumbering),
    entry!(nesting_depth::NestingDepth),
    entry!(step_reference::StepReference),
    entry!(vague_words::VagueWords),
];

/// Maps a byte range of `step.text` to the file. `step.text` is the trimmed form of
/// `step.plain`, so offsets shift by the leading whitespace the parser kept.
fn step_source(step: &Step, range: Range<usize>) -> Range<usize> {
    let raw = step.plain.as_str();
    let lead = raw.len() - raw.trim_start().len();
    step.plain.to_source(range.start + lead..range.end + lead)
}

/// The source range of a step's whole text (its first paragraph).
fn step_text_source(step: &Step) -> Range<usize> {
    step_source(step, 0..step.text.len())
}

#[cfg(test)]
mod test_support {
    use crate::document::{parse, Document, ParseOptions};
    use crate::rule::{Context, Finding, Rule};
    use crate::settings::Settings;

    /// Parses `src` and runs `rule` on it.
    pub(super) fn run(rule: &dyn Rule, src: &str) -> (Document, Vec<Finding>) {
        let settings = Settings::default();
        let doc = parse("t.md", src.to_string(), &ParseOptions::default());
        let findings = rule.check(
            &doc,
            &Context {
                settings: &settings,
                files: &crate::rule::NoFiles,
            },
        );
        (doc, findings)
    }

    /// The source text under each finding.
    pub(super) fn underlined(doc: &Document, findings: &[Finding]) -> Vec<String> {
        findings
            .iter()
            .map(|f| {
                doc.source
                    .get(f.span.clone())
                    .unwrap_or("<bad span>")
                    .to_string()
            })
            .collect()
    }

    /// A procedure with the given body, in English unless `lang` says otherwise.
    pub(super) fn sop(lang: &str, body: &str) -> String {
        format!("---\nid: T-1\nlang: {lang}\n---\n# T\n\n## Procedure\n\n{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{run, sop};
    use super::RULES;

    /// The first ```markdown block after `heading` in a rule's docs.
    fn block_after<'a>(docs: &'a str, heading: &str) -> &'a str {
        let rest = &docs[docs.find(heading).expect("heading present")..];
        let start = rest.find("```markdown\n").expect("markdown block") + "```markdown\n".len();
        let len = rest[start..].find("```").expect("closed block");
        &rest[start..start + len]
    }

    #[test]
    fn doc_examples_trigger_and_fixes_in_docs_are_clean() {
        for entry in RULES {
            let rule = (entry.build)(None).expect("defaults build");
            let code = &entry.meta.code;
            let bad = block_after(&entry.meta.docs, "## Example");
            let good = block_after(&entry.meta.docs, "## Use instead");
            assert!(
                !run(rule.as_ref(), &sop("en", bad)).1.is_empty(),
                "{code} example is not flagged"
            );
            let (_, f) = run(rule.as_ref(), &sop("en", good));
            assert!(f.is_empty(), "{code} 'use instead' is flagged: {f:?}");
        }
    }
}
