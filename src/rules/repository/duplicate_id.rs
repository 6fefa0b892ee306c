use std::collections::HashMap;

use crate::document::{DocSummary, Document};
use crate::rule::{declare_rule, Context, Finding, NoOptions, Rule};

declare_rule! {
    /// ## What it does
    /// Checks that no two files of one run share the front matter `id` (compared ignoring
    /// case and surrounding spaces). The first file in path order keeps the id; every later
    /// file with the same id is reported, with the path of the first.
    ///
    /// ## Why is this bad?
    /// The id is how people cite an SOP ("see CS-001") and how bundles name their entries
    /// (`docs/<id>.md`). Two documents with one id make citations ambiguous and bundles
    /// impossible to build.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- complaints.md -->
    /// id: CS-001
    /// <!-- refunds.md -->
    /// id: CS-001
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// <!-- complaints.md -->
    /// id: CS-001
    /// <!-- refunds.md -->
    /// id: CS-002
    /// ```
    pub(crate) DuplicateId {
        code: "X001",
        name: "duplicate-id",
        severity: Error,
        summary: "Two documents share the same id",
        options: NoOptions,
        fixable: false,
        since: "0.1.0",
    }
}

impl Rule for DuplicateId {
    fn check(&self, _doc: &Document, _ctx: &Context<'_>) -> Vec<Finding> {
        Vec::new()
    }

    fn check_all(&self, docs: &[DocSummary], _ctx: &Context<'_>) -> Vec<(usize, Finding)> {
        // Documents arrive sorted by path, so "first" is stable from run to run.
        let mut first: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::new();
        for (i, doc) in docs.iter().enumerate() {
            let Some(field) = &doc.id else {
                continue;
            };
            let id = &field.text;
            let key = id.trim().to_lowercase();
            if key.is_empty() {
                continue;
            }
            match first.get(&key) {
                None => {
                    first.insert(key, i);
                }
                Some(&j) => out.push((
                    i,
                    Finding::new(
                        field.span.clone(),
                        format!("the id \"{}\" is already used by {}", id.trim(), docs[j].path),
                    )
                    .help("give every SOP its own id: people cite SOPs by id and bundles store them by id"),
                )),
            }
        }
        out
    }
}
