use crate::document::{names_escalation, Document, Section, SectionKind};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that the recognised sections come in the configured order (by default Purpose,
    /// Scope, Definitions, Roles, Procedure, Escalation, References, Revision history; set
    /// `sections.order`). Sections not in the order, and any other headings, may appear
    /// anywhere. It reports the fewest sections that need to move, and says where each belongs.
    ///
    /// Only documents written to the template are held to its order: at least four of the
    /// ordered sections among the top-level sections (subsections belong to their parent). A
    /// *Contacts*, *Getting help* or *On-call* section is not the template's Escalation section
    /// and may go anywhere, and a glossary (Definitions) may close the document as an appendix.
    ///
    /// ## Why is this bad?
    /// People under pressure scan an SOP by position. When Escalation sits above the Procedure in
    /// one SOP and at the bottom in the next, the contact that matters is missed.
    ///
    /// ## Example
    /// ```markdown
    /// ## Purpose
    /// ## Scope
    /// ## Procedure
    /// ## Roles
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## Purpose
    /// ## Scope
    /// ## Roles
    /// ## Procedure
    /// ```
    pub(crate) SectionOrder {
        code: "S002",
        name: "section-order",
        severity: Warning,
        summary: "Sections are out of the expected order",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for SectionOrder {
    fn check(&self, doc: &Document, ctx: &Context<'_>) -> Vec<Finding> {
        let order = &ctx.settings.section_order;
        // Only the document's top sections are placed: a "Responsibilities" subsection inside
        // "On-call" belongs to its parent, wherever the parent is.
        let below_title = doc.sections.iter().filter(|s| s.level > 1).map(|s| s.level);
        let top = below_title
            .min()
            .or_else(|| doc.sections.iter().map(|s| s.level).min())
            .unwrap_or(1);
        // The first section of each ordered kind, with its rank, in document order.
        let mut seen = Vec::new();
        let mut placed: Vec<(usize, &Section)> = Vec::new();
        for section in &doc.sections {
            if section.level != top {
                continue;
            }
            let Some(kind) = section.kind else { continue };
            // A Contacts, Getting help or On-call section shares the Escalation kind but is not
            // the template's escalation chain: a team page puts it where it likes.
            if kind == SectionKind::Escalation && !names_escalation(&section.heading) {
                continue;
            }
            let Some(rank) = order.iter().position(|k| *k == kind) else {
                continue;
            };
            if !seen.contains(&kind) {
                seen.push(kind);
                placed.push((rank, section));
            }
        }
        // A glossary at the very end is an appendix, a common convention.
        if placed
            .last()
            .is_some_and(|(_, s)| s.kind == Some(SectionKind::Definitions))
        {
            placed.pop();
        }
        // Order matters in a document written to the SOP template; a page that has only a few
        // of its sections (a team index with Responsibilities and Contact, a runbook with a
        // Purpose subsection) is not out of order.
        if placed.len() < MIN_TEMPLATE_SECTIONS {
            return Vec::new();
        }
        let ranks: Vec<usize> = placed.iter().map(|(r, _)| *r).collect();
        let keep = longest_increasing(&ranks);
        let mut out = Vec::new();
        for (i, (rank, section)) in placed.iter().enumerate() {
            if keep.contains(&i) {
                continue;
            }
            // Where it belongs: between the present sections ranked just below and just above it.
            let below = placed
                .iter()
                .filter(|(r, _)| r < rank)
                .max_by_key(|(r, _)| *r)
                .map(|(_, s)| s.heading.as_str());
            let above = placed
                .iter()
                .filter(|(r, _)| r > rank)
                .min_by_key(|(r, _)| *r)
                .map(|(_, s)| s.heading.as_str());
            let place = match (below, above) {
                (Some(b), Some(a)) => format!("after “{b}” and before “{a}”"),
                (Some(b), None) => format!("after “{b}”"),
                (None, Some(a)) => format!("before “{a}”"),
                (None, None) => continue,
            };
            let message = format!("“{}” is out of order: it belongs {place}", section.heading);
            let help = format!("move the “{}” section {place}", section.heading);
            let expected: Vec<String> = order.iter().map(|k| k.heading_in(&doc.lang)).collect();
            out.push(
                Finding::new(doc.first_line(section.span.range()), message)
                    .help(format!("{help} (expected order: {})", expected.join(", "))),
            );
        }
        out
    }
}

/// How many of the ordered sections a document must have, at its top level, to be held to
/// their order.
const MIN_TEMPLATE_SECTIONS: usize = 4;

/// Indices of a longest strictly increasing subsequence of `values` (the first one found, so
/// that on a tie the section that moved is the later one).
fn longest_increasing(values: &[usize]) -> Vec<usize> {
    let n = values.len();
    // len[i]: length of the longest increasing run ending at i; prev[i]: its previous index.
    let mut len = vec![1usize; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        for j in 0..i {
            if values[j] < values[i] && len[j] + 1 > len[i] {
                len[i] = len[j] + 1;
                prev[i] = j;
            }
        }
    }
    let Some(mut at) = (0..n).max_by_key(|&i| (len[i], std::cmp::Reverse(i))) else {
        return Vec::new();
    };
    let mut out = vec![at];
    while prev[at] != usize::MAX {
        at = prev[at];
        out.push(at);
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::longest_increasing;

    #[test]
    fn the_fewest_sections_move() {
        assert_eq!(longest_increasing(&[0, 1, 2, 3]), vec![0, 1, 2, 3]);
        // Procedure (3) moved up between Purpose and Scope: only it is out of place.
        assert_eq!(longest_increasing(&[0, 3, 1, 2, 4]), vec![0, 2, 3, 4]);
        // Escalation (4) at the top: only it moves.
        assert_eq!(longest_increasing(&[4, 0, 1, 2, 3]), vec![1, 2, 3, 4]);
        assert_eq!(longest_increasing(&[]), Vec::<usize>::new());
    }

    #[test]
    fn on_a_swap_the_earlier_section_stays() {
        assert_eq!(longest_increasing(&[1, 0]), vec![0]);
    }
}
