use crate::document::Document;
use crate::lang::en;
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule, RuleMeta};

use super::step_source;

declare_rule! {
    /// ## What it does
    /// Checks that every step of an English procedure is an instruction in the imperative
    /// present tense. It flags steps written in the future ("The agent will send…"), the past
    /// ("Checked the logs", "The ticket was logged"), as a gerund ("Checking the form") or as a
    /// third-person description ("The agent sends…", "Escalates to…"), and descriptions of an
    /// obligation ("The agent should call…"). Negative imperatives ("Do not…"), conditions
    /// before the verb ("If the customer is angry, apologise.") and "Ensure that…" are fine.
    ///
    /// Only documents whose language is English are checked.
    ///
    /// ## Why is this bad?
    /// A step that describes what happens does not tell the reader to do it. Under pressure,
    /// people skim: "The supervisor will approve the refund" reads as something that happens
    /// on its own, and nobody does it. ASD-STE100 and most SOP standards require imperatives.
    ///
    /// ## Example
    /// ```markdown
    /// 1. The agent will log the call in the ticket system.
    /// 2. Checked the caller's identity.
    /// 3. Escalating to the shift supervisor.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 1. Log the call in the ticket system.
    /// 2. Check the caller's identity.
    /// 3. Escalate to the shift supervisor.
    /// ```
    pub(crate) StepMood {
        code: "P001",
        name: "step-mood",
        severity: Warning,
        summary: "Step is not an imperative present-tense instruction",
        options: NoOptions,
        fixable: false,
    }
}

impl Rule for StepMood {
    fn meta(&self) -> &RuleMeta {
        &Self::META
    }

    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        if !doc.is_english() {
            return Vec::new();
        }
        doc.all_steps()
            .into_iter()
            .filter_map(|step| {
                let problem = en::step_mood(&step.text)?;
                let span = step_source(step, problem.span);
                Some(Finding::new(span, problem.message).help(problem.help))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::procedure::test_support::{run, sop, underlined};

    #[test]
    fn underlines_the_offending_words_through_markup() {
        let src = sop(
            "en",
            "1. The agent *will send* the form.\n2. Send the form.\n",
        );
        let (doc, f) = run(&StepMood::default(), &src);
        assert_eq!(underlined(&doc, &f), ["will send"]);
    }

    #[test]
    fn checks_sub_steps_and_skips_other_languages() {
        let body = "1. Open the form.\n   1. Checked the name.\n";
        let (doc, f) = run(&StepMood::default(), &sop("en-GB", body));
        assert_eq!(underlined(&doc, &f), ["Checked"]);
        let (_, f) = run(&StepMood::default(), &sop("fi", body));
        assert!(f.is_empty());
    }
}
