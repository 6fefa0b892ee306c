//! How two versions of a procedure are lined up: steps matched by text, then by position and
//! similarity; sections keyed by kind (or heading) and occurrence. `bundle diff` compares a
//! document with its previous release this way, and X006 a branch variant with its base.

use std::collections::BTreeMap;

use similar::{capture_diff_slices, Algorithm, DiffOp, TextDiff};

use super::{Document, Step};

/// Two steps at the same place of a changed run whose words are at least this similar are one
/// step reworded.
pub(crate) const REWORD_SIMILARITY: f32 = 0.5;

/// How an item of the old sequence relates to the new one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Matched {
    /// The same text at `old` and `new`.
    Same { old: usize, new: usize },
    /// Different texts at the same place of a changed run, alike enough to be one item reworded.
    Reworded {
        old: usize,
        new: usize,
        similarity: f32,
    },
    /// Only in the old sequence.
    Removed { old: usize },
    /// Only in the new sequence.
    Added { new: usize },
}

/// How alike two texts are, word by word: 1.0 for the same words, 0.0 for none in common.
pub(crate) fn similarity(a: &str, b: &str) -> f32 {
    TextDiff::from_words(a, b).ratio()
}

/// Lines up `old` and `new` by text (an LCS over the texts); within a replaced run, items at
/// the same position whose similarity is at least `reworded` are one item reworded, the rest
/// removed or added. Every item of both sequences appears once, in order.
pub(crate) fn match_texts(old: &[&str], new: &[&str], reworded: f32) -> Vec<Matched> {
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, old, new) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => out.extend((0..len).map(|k| Matched::Same {
                old: old_index + k,
                new: new_index + k,
            })),
            DiffOp::Delete {
                old_index, old_len, ..
            } => out.extend((old_index..old_index + old_len).map(|old| Matched::Removed { old })),
            DiffOp::Insert {
                new_index, new_len, ..
            } => out.extend((new_index..new_index + new_len).map(|new| Matched::Added { new })),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                for k in 0..old_len.max(new_len) {
                    let (i, j) = (old_index + k, new_index + k);
                    match (k < old_len, k < new_len) {
                        (true, true) => {
                            let s = similarity(old[i], new[j]);
                            if s >= reworded {
                                out.push(Matched::Reworded {
                                    old: i,
                                    new: j,
                                    similarity: s,
                                });
                            } else {
                                out.push(Matched::Removed { old: i });
                                out.push(Matched::Added { new: j });
                            }
                        }
                        (true, false) => out.push(Matched::Removed { old: i }),
                        (false, true) => out.push(Matched::Added { new: j }),
                        (false, false) => {}
                    }
                }
            }
        }
    }
    out
}

/// The steps depth first, each with its number path as written ("2.1"; "•3" for the third
/// bullet).
pub(crate) fn numbered_steps(doc: &Document) -> Vec<(String, &Step)> {
    fn walk<'d>(steps: &'d [Step], prefix: &str, out: &mut Vec<(String, &'d Step)>) {
        for (i, step) in steps.iter().enumerate() {
            let own = step.number.clone().unwrap_or_else(|| format!("•{}", i + 1));
            let number = if prefix.is_empty() {
                own
            } else {
                format!("{prefix}.{own}")
            };
            out.push((number.clone(), step));
            walk(&step.children, &number, out);
        }
    }
    let mut out = Vec::new();
    walk(&doc.steps, "", &mut out);
    out
}

/// Each section's key, in document order: its kind (or its heading, lower-cased) and its
/// occurrence ("Procedure#1", "kuala lumpur contacts#1"), so that sections match across
/// versions however their headings are worded.
pub(crate) fn section_keys(doc: &Document) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    doc.sections
        .iter()
        .map(|s| {
            let base = s
                .kind
                .map_or_else(|| s.heading.trim().to_lowercase(), |k| format!("{k:?}"));
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            format!("{base}#{n}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_texts_match_in_place_and_changed_runs_by_similarity() {
        let old = ["Greet", "Listen to the complaint", "Log it", "Close"];
        let new = ["Greet", "Listen to the whole complaint", "Close", "Survey"];
        assert_eq!(
            match_texts(&old, &new, 0.5)
                .into_iter()
                .map(|m| match m {
                    Matched::Reworded { old, new, .. } => format!("~{old}{new}"),
                    Matched::Same { old, new } => format!("={old}{new}"),
                    Matched::Removed { old } => format!("-{old}"),
                    Matched::Added { new } => format!("+{new}"),
                })
                .collect::<Vec<_>>(),
            ["=00", "~11", "-2", "=32", "+3"]
        );
    }

    #[test]
    fn sections_are_keyed_by_kind_then_heading_and_occurrence() {
        let src = "# T\n## Procedure\n1. Go.\n## Notes\n## notes\n";
        let doc = crate::document::parse("a.md", src.into(), &Default::default());
        assert_eq!(
            section_keys(&doc),
            ["t#1", "Procedure#1", "notes#1", "notes#2"]
        );
    }
}
