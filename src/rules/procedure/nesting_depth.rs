use serde::{Deserialize, Serialize};

use crate::document::{Document, Step};
use crate::rule::{declare_rule, Context, Finding, Rule};

use super::step_text_source;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub(crate) struct Options {
    /// The deepest level of sub-steps allowed (1 = top-level steps only).
    pub max_depth: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self { max_depth: 3 }
    }
}

declare_rule! {
    /// ## What it does
    /// Checks that steps are not nested deeper than `max-depth` levels (default 3: steps,
    /// sub-steps and sub-sub-steps). It reports the first step beyond the limit in each
    /// branch of the step tree.
    ///
    /// ## Why is this bad?
    /// Deeply nested steps are hard to follow and to refer to ("step 2.1.3.2"), and readers
    /// lose track of where they are. A deep branch usually is a procedure of its own.
    ///
    /// ## Example
    /// ```markdown
    /// 1. Restore the database.
    ///    1. Stop the application.
    ///       1. Drain the load balancer.
    ///          1. Remove the node from the pool.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 1. Drain the node: follow SOP IT-014 "Drain a load-balancer node".
    /// 2. Stop the application.
    /// 3. Restore the database.
    /// ```
    pub(crate) NestingDepth {
        code: "P005",
        name: "nesting-depth",
        severity: Warning,
        summary: "Steps are nested deeper than the limit",
        options: Options,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for NestingDepth {
    fn check(&self, doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        let max = self.options.max_depth;
        let mut out = Vec::new();
        // Iterative walk: the tree may be as deep as the parser allows.
        let mut stack: Vec<&Step> = doc.steps.iter().rev().collect();
        while let Some(step) = stack.pop() {
            if step.depth > max {
                out.push(too_deep(step, max));
                continue;
            }
            stack.extend(step.children.iter().rev());
        }
        out
    }
}

fn too_deep(step: &Step, max: usize) -> Finding {
    // The marker and the step's own text, not the whole subtree under it.
    let range = step.span.range();
    let end = if step.text.is_empty() {
        range.end
    } else {
        step_text_source(step).end.min(range.end).max(range.start)
    };
    Finding::new(
        range.start..end,
        format!(
            "step is nested {} levels deep; the limit is {max}",
            step.depth
        ),
    )
    .help("flatten the steps, or move this branch into its own procedure and refer to it")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::procedure::test_support::{run, sop, underlined};

    #[test]
    fn reports_first_step_beyond_the_limit_per_branch() {
        let body = "1. A a.\n   - B b.\n     - C c.\n       - D d.\n         - E e.\n2. F f.\n";
        let (doc, f) = run(&NestingDepth::default(), &sop("en", body));
        assert_eq!(underlined(&doc, &f), ["- D d."]);
        let opts: serde_yaml::Value = serde_yaml::from_str("max-depth: 1").unwrap();
        let rule = NestingDepth::build(Some(&opts)).unwrap();
        let (doc, f) = run(rule.as_ref(), &sop("en", body));
        assert_eq!(underlined(&doc, &f), ["- B b."]);
    }

    #[test]
    fn survives_very_deep_lists() {
        let mut body = String::new();
        for i in 0..200 {
            body.push_str(&" ".repeat(i * 2));
            body.push_str("- x\n");
        }
        let (_, f) = run(&NestingDepth::default(), &sop("en", &body));
        assert_eq!(f.len(), 1);
    }
}
