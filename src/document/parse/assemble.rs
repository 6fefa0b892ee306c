//! Steps: the pending lists and the numbered headings, read once the language is known.

use std::collections::HashMap;
use std::ops::Range;

use crate::document::steps::{self, FoundBy};
use crate::document::{
    make_span, Aliases, HeadingForm, LineIndex, PlainText, Section, SectionKind, Span, Step,
    StepField, StepList,
};

use super::lists::{Item, Pending};

/// A run of step headings: its list id, its headings (section indices) and why.
pub(super) type Run = (usize, Vec<usize>, String);

/// Bare-numbered headings under one (parent, level): (section index, number, prefix length).
type BareGroup = ((Option<usize>, u8), Vec<(usize, u64, usize)>);

/// What a heading is for the step rules.
#[derive(Debug, Clone)]
enum HeadingRole {
    /// A step heading: its number and the byte length of its prefix ("Step 2: ").
    Step {
        number: String,
        prefix: usize,
    },
    Phase,
}

/// Reads the pending lists and the numbered headings as steps, once the language is known.
pub(super) struct Assembler<'a> {
    pub(super) source: &'a str,
    pub(super) index: &'a LineIndex,
    pub(super) aliases: &'a Aliases,
    pub(super) lang: &'a str,
    pub(super) sections: &'a [Section],
    pub(super) heading_plain: &'a [PlainText],
    pub(super) next_list: usize,
    /// The parent of every section: the nearest earlier one with a lower level.
    pub(super) parents: Vec<Option<usize>>,
}

/// The parent of every section, in one pass with a stack.
pub(super) fn parents(sections: &[Section]) -> Vec<Option<usize>> {
    let mut stack: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(sections.len());
    for (i, s) in sections.iter().enumerate() {
        while stack.last().is_some_and(|&k| sections[k].level >= s.level) {
            stack.pop();
        }
        out.push(stack.last().copied());
        stack.push(i);
    }
    out
}

impl Assembler<'_> {
    pub(super) fn span(&self, range: Range<usize>) -> Span {
        make_span(self.source, self.index, range)
    }

    fn instruction(&self, text: &str) -> bool {
        steps::opens_with_instruction(text, self.lang)
    }

    /// The nearest earlier section with a lower level.
    fn parent_of(&self, i: usize) -> Option<usize> {
        self.parents.get(i).copied().flatten()
    }

    fn heading_text(&self, i: usize) -> &str {
        self.heading_plain.get(i).map_or("", PlainText::as_str)
    }

    /// Step and phase headings, and the runs of step headings with their reasons.
    fn heading_roles(&mut self) -> (Vec<Option<HeadingRole>>, Vec<Run>) {
        let n = self.sections.len();
        let mut roles: Vec<Option<HeadingRole>> = vec![None; n];
        let mut runs: Vec<Run> = Vec::new();
        // (parent, level) -> (index in `runs`, last number) of the run of keyword step headings.
        let mut keyword_runs: HashMap<(Option<usize>, u8), (usize, u64)> = HashMap::new();
        // (parent, level) -> bare-numbered candidates in order (groups in order of first use).
        let mut bare_at: HashMap<(Option<usize>, u8), usize> = HashMap::new();
        let mut bare: Vec<BareGroup> = Vec::new();
        for (i, section) in self.sections.iter().enumerate() {
            if section.level < 2 || section.form == HeadingForm::Bold {
                continue;
            }
            let Some(hn) = steps::heading_number(self.heading_text(i)) else {
                continue;
            };
            let key = (self.parent_of(i), section.level);
            if hn.phase {
                roles[i] = Some(HeadingRole::Phase);
            } else if hn.keyword.is_some() {
                let num: u64 = hn.number.parse().unwrap_or(0);
                // Numbering that starts again ("Step 1" after "Step 3") starts a new run.
                let at = match keyword_runs.get(&key) {
                    Some(&(at, last)) if num > last => {
                        keyword_runs.insert(key, (at, num));
                        at
                    }
                    _ => {
                        let r = self.next_list;
                        self.next_list += 1;
                        keyword_runs.insert(key, (runs.len(), num));
                        let first = hn.keyword.clone().unwrap_or_default();
                        runs.push((
                            r,
                            Vec::new(),
                            format!("headings numbered as steps (“{first} {}”)", hn.number),
                        ));
                        runs.len() - 1
                    }
                };
                if let Some(entry) = runs.get_mut(at) {
                    entry.1.push(i);
                }
                roles[i] = Some(HeadingRole::Step {
                    number: hn.number,
                    prefix: hn.prefix,
                });
            } else if let Ok(num) = hn.number.parse::<u64>() {
                match bare_at.get(&key) {
                    Some(&at) => bare[at].1.push((i, num, hn.prefix)),
                    None => {
                        bare_at.insert(key, bare.len());
                        bare.push((key, vec![(i, num, hn.prefix)]));
                    }
                }
            }
        }
        for ((parent, _), candidates) in bare {
            let parent_heading = parent.map_or("", |p| self.sections[p].heading.as_str());
            if parent.is_some() && steps::vetoes(parent_heading) {
                continue;
            }
            // The title says little ("… runbook"): only a section heading counts as the parent.
            let parent_procedure = parent.is_some_and(|p| {
                self.sections[p].level > 1
                    && (self.sections[p].kind == Some(SectionKind::Procedure)
                        || steps::heading_cue(parent_heading).is_some())
            });
            let mut k = 0;
            while k < candidates.len() {
                let mut end = k + 1;
                while end < candidates.len()
                    && candidates[end - 1].1.checked_add(1) == Some(candidates[end].1)
                {
                    end += 1;
                }
                let run = &candidates[k..end];
                k = end;
                if run.len() < 2 {
                    continue;
                }
                let rests: Vec<&str> = run
                    .iter()
                    .map(|(i, _, prefix)| self.heading_text(*i).get(*prefix..).unwrap_or(""))
                    .collect();
                if rests.iter().any(|r| self.aliases.section(r).is_some()) {
                    continue;
                }
                let instructions = rests.iter().filter(|r| self.instruction(r)).count();
                let reason = if parent_procedure {
                    format!(
                        "headings numbered {} to {} under “{parent_heading}”",
                        run[0].1,
                        run[run.len() - 1].1
                    )
                } else if instructions * 2 > run.len() {
                    format!(
                        "headings numbered {} to {} in sequence; {instructions} of {} open with an instruction",
                        run[0].1,
                        run[run.len() - 1].1,
                        run.len()
                    )
                } else {
                    continue;
                };
                let id = self.next_list;
                self.next_list += 1;
                for (i, num, prefix) in run {
                    roles[*i] = Some(HeadingRole::Step {
                        number: num.to_string(),
                        prefix: *prefix,
                    });
                }
                runs.push((id, run.iter().map(|(i, _, _)| *i).collect(), reason));
            }
        }
        (roles, runs)
    }

    pub(super) fn assemble(mut self, pending: Vec<Pending>) -> (Vec<Step>, Vec<StepList>) {
        let (roles, runs) = self.heading_roles();
        // Top-level steps with their source position; sub-steps of step headings by section.
        let mut top: Vec<(usize, Step)> = Vec::new();
        let mut under: HashMap<usize, Vec<Step>> = HashMap::new();
        let mut lists: Vec<StepList> = Vec::new();
        // Lists that go on after a note share an id: read them together.
        let mut groups: Vec<Vec<Pending>> = Vec::new();
        for p in pending {
            match groups.last_mut() {
                Some(g) if g.first().is_some_and(|f| f.id == p.id) => g.push(p),
                _ => groups.push(vec![p]),
            }
        }
        for group in groups {
            let Some(first) = group.first() else {
                continue;
            };
            let id = first.id;
            let chain = first.chain.clone();
            let in_procedure = first.in_procedure;
            let ordered = first.ordered;
            let intro = first.intro.clone();
            let items: Vec<Item> = group.into_iter().flat_map(|p| p.items).collect();
            let step_heading = chain
                .iter()
                .rev()
                .find(|&&i| matches!(roles.get(i), Some(Some(HeadingRole::Step { .. }))))
                .copied();
            let phase = chain
                .iter()
                .rev()
                .find(|&&i| matches!(roles.get(i), Some(Some(HeadingRole::Phase))))
                .copied();
            let innermost = chain.last().copied();
            let heading = innermost.map(|i| self.sections[i].heading.clone());
            let quote = |i: usize| format!("“{}”", self.sections[i].heading);
            let questions = items
                .iter()
                .filter(|i| steps::is_question(i.text.as_str()))
                .count();
            let found: Option<(FoundBy, String)> = if in_procedure {
                let at = chain
                    .iter()
                    .rev()
                    .find(|&&i| self.sections[i].kind == Some(SectionKind::Procedure))
                    .copied();
                Some((
                    FoundBy::Section,
                    match at {
                        Some(i) => format!("in {}, a procedure section", quote(i)),
                        None => "in a procedure section".to_string(),
                    },
                ))
            } else if !ordered || questions * 2 >= items.len() {
                // Bullets outside a procedure section, and lists of questions, are not steps.
                None
            } else if let Some(i) = step_heading {
                Some((
                    FoundBy::StepHeading,
                    format!("under the step heading {}", quote(i)),
                ))
            } else if let Some(i) = phase {
                Some((
                    FoundBy::PhaseHeading,
                    format!("under the phase heading {}", quote(i)),
                ))
            } else {
                self.classify(&items, heading.as_deref(), intro.as_deref())
            };
            let Some((found_by, reason)) = found else {
                continue;
            };
            let start = items.first().map_or(0, |i| i.range.start);
            let end = items.last().map_or(0, |i| i.range.end);
            lists.push(StepList {
                list: id,
                span: self.span(start..end),
                section: heading,
                found_by,
                reason,
            });
            match step_heading {
                Some(h) => {
                    let steps: Vec<Step> = items.into_iter().map(|i| self.step(i, 1)).collect();
                    under.entry(h).or_default().extend(steps);
                }
                None => {
                    for item in items {
                        let at = item.range.start;
                        top.push((at, self.step(item, 0)));
                    }
                }
            }
        }
        for (run, members, reason) in &runs {
            let (Some(first), Some(last)) = (members.first(), members.last()) else {
                continue;
            };
            let parent = self
                .parent_of(*first)
                .map(|p| self.sections[p].heading.clone());
            lists.push(StepList {
                list: *run,
                span: self.span(self.sections[*first].span.start..self.sections[*last].span.end),
                section: parent,
                found_by: FoundBy::StepHeading,
                reason: reason.clone(),
            });
            for &i in members {
                let Some(Some(HeadingRole::Step { number, prefix, .. })) = roles.get(i) else {
                    continue;
                };
                let plain = self.heading_plain.get(i).cloned().unwrap_or_default();
                let rest = plain.slice(*prefix..plain.as_str().len());
                let children = under.remove(&i).unwrap_or_default();
                let section = &self.sections[i];
                top.push((
                    section.span.start,
                    Step {
                        number: Some(number.clone()),
                        ordered: true,
                        depth: 1,
                        list: *run,
                        text: rest.as_str().trim().to_string(),
                        span: section.span,
                        plain: rest,
                        fields: Vec::new(),
                        heading: true,
                        children,
                    },
                ));
            }
        }
        top.sort_by_key(|(at, _)| *at);
        lists.sort_by_key(|l| l.span.start);
        (top.into_iter().map(|(_, s)| s).collect(), lists)
    }

    /// An ordered list outside the procedure sections: steps or not, and why.
    fn classify(
        &self,
        items: &[Item],
        heading: Option<&str>,
        intro: Option<&str>,
    ) -> Option<(FoundBy, String)> {
        if items.is_empty() || heading.is_some_and(steps::vetoes) {
            return None;
        }
        // A list of links is a table of contents, an index or a reading list, unless the links
        // are instructions that point to another site for the how ("[Set up
        // Terraform](https://…)").
        let links = items
            .iter()
            .filter(|i| {
                let link = i.link.as_ref();
                steps::is_link_or_citation(i.text.as_str(), link.map(|(t, _)| t.as_str()))
                    && !link.is_some_and(|(t, target)| {
                        target.starts_with("http") && self.instruction(t)
                    })
            })
            .count();
        if links * 2 >= items.len() {
            return None;
        }
        let instructions = items
            .iter()
            .filter(|i| self.instruction(i.text.as_str()))
            .count();
        let share = format!(
            "{instructions} of {} items open with an instruction",
            items.len()
        );
        if instructions > 0 {
            if let Some(cue) = heading.and_then(steps::heading_cue) {
                let h = heading.unwrap_or("");
                return Some((
                    FoundBy::Cue,
                    format!("the heading “{h}” says “{cue}”; {share}"),
                ));
            }
            if let Some(cue) = intro.and_then(steps::intro_cue) {
                return Some((
                    FoundBy::Cue,
                    format!("the sentence before it announces steps (“{cue}”); {share}"),
                ));
            }
        }
        (instructions * 2 >= items.len() && instructions > 0)
            .then(|| (FoundBy::Content, format!("{share} ({})", self.lang)))
    }

    /// A list item as a step, `shift` levels deeper than written; field lines become fields.
    pub(super) fn step(&self, item: Item, shift: usize) -> Step {
        let mut fields = Vec::new();
        let mut children = Vec::new();
        for child in item.children {
            if child.children.is_empty() && !child.text.as_str().trim().is_empty() {
                if let Some((label, value, _)) =
                    steps::field_line(child.text.as_str().trim(), self.lang)
                {
                    fields.push(StepField {
                        label,
                        value,
                        span: self.span(child.range.clone()),
                    });
                    continue;
                }
            }
            children.push(self.step(child, shift));
        }
        let mut plain = item.text;
        if !item.breaks.is_empty() {
            let text = plain.as_str().to_string();
            let mut cut = None;
            for (k, &b) in item.breaks.iter().enumerate() {
                let end = item
                    .breaks
                    .get(k + 1)
                    .copied()
                    .unwrap_or(text.len())
                    .min(text.len());
                let Some(line) = text.get(b..end) else {
                    continue;
                };
                if let Some((label, value, _)) = steps::field_line(line.trim(), self.lang) {
                    cut.get_or_insert(b);
                    let lead = line.len() - line.trim_start().len();
                    let r = plain.to_source(b + lead..b + line.trim_end().len());
                    fields.push(StepField {
                        label,
                        value,
                        span: self.span(r),
                    });
                }
            }
            if let Some(c) = cut {
                plain = plain.slice(0..c);
            }
        }
        fields.sort_by_key(|f| f.span.start);
        Step {
            number: item.number,
            ordered: item.ordered,
            depth: item.depth + shift,
            list: item.list,
            text: plain.as_str().trim().to_string(),
            span: self.span(item.range),
            plain,
            fields,
            heading: false,
            children,
        }
    }
}
