//! Rule selection: which rules a layer of `select` / `ignore` / `severity` turns on, at what
//! severity, and whether a selector names any rule.

use std::sync::Arc;

use serde_yaml::Value;

use super::{RulesLayer, Selector};
use crate::rule::{Rule, Severity};
use crate::yaml::did_you_mean;

/// How specifically `selector` names the rule `(code, name, family)`: `None` when it does not.
pub(super) fn specificity(selector: &str, code: &str, name: &str, family: &str) -> Option<usize> {
    if selector.eq_ignore_ascii_case("all") {
        return Some(0);
    }
    if selector.eq_ignore_ascii_case(code) || selector.eq_ignore_ascii_case(name) {
        return Some(usize::MAX);
    }
    let letters = selector.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = &selector[letters.len()..];
    (!letters.is_empty()
        && letters.eq_ignore_ascii_case(family)
        && code[family.len().min(code.len())..].starts_with(digits))
    .then_some(selector.len())
}

fn best(selectors: &[&str], rule: &dyn Rule) -> Option<usize> {
    let m = rule.meta();
    selectors
        .iter()
        .filter_map(|s| specificity(s, &m.code, &m.name, m.family()))
        .max()
}

/// One layer of select / ignore / severity, as plain text.
#[derive(Debug, Clone, Default)]
pub(super) struct Layer {
    pub(super) select: Option<Vec<String>>,
    pub(super) ignore: Vec<String>,
    pub(super) severity: Vec<(String, Severity)>,
    /// Whether the preview group is on (`None`: as the layers before say).
    pub(super) preview: Option<bool>,
}

impl From<&RulesLayer> for Layer {
    fn from(r: &RulesLayer) -> Self {
        let texts = |v: &Vec<Selector>| v.iter().map(|s| s.text.clone()).collect::<Vec<_>>();
        Self {
            select: r.select.as_ref().map(texts),
            ignore: r.ignore.as_ref().map(texts).unwrap_or_default(),
            severity: r
                .severity
                .values()
                .map(|(s, sev)| (s.text.clone(), *sev))
                .collect(),
            preview: r.preview,
        }
    }
}

/// The rules in force after the layers, with their severities. A rule of the preview group is
/// on only when a layer turns `preview` on or selects the rule by its exact code or name.
pub(super) fn select(all: &[Arc<dyn Rule>], layers: &[Layer]) -> Vec<(Arc<dyn Rule>, Severity)> {
    let preview = layers.iter().rev().find_map(|l| l.preview) == Some(true);
    all.iter()
        .filter_map(|rule| {
            let named = layers.iter().any(|l| {
                l.select.as_ref().is_some_and(|sel| {
                    let sel: Vec<&str> = sel.iter().map(String::as_str).collect();
                    best(&sel, rule.as_ref()) == Some(usize::MAX)
                })
            });
            if rule.meta().is_preview() && !preview && !named {
                return None;
            }
            let mut on = true;
            let mut severity = rule.meta().severity;
            for layer in layers {
                let ignore: Vec<&str> = layer.ignore.iter().map(String::as_str).collect();
                let ig = best(&ignore, rule.as_ref());
                on = match &layer.select {
                    Some(select) => {
                        let sel: Vec<&str> = select.iter().map(String::as_str).collect();
                        best(&sel, rule.as_ref()).is_some_and(|s| ig.is_none_or(|i| s > i))
                    }
                    None => on && ig.is_none(),
                };
                let sev = layer
                    .severity
                    .iter()
                    .filter_map(|(s, sev)| {
                        let m = rule.meta();
                        specificity(s, &m.code, &m.name, m.family()).map(|n| (n, *sev))
                    })
                    .max_by_key(|(n, _)| *n);
                if let Some((_, sev)) = sev {
                    severity = sev;
                }
            }
            on.then(|| (Arc::clone(rule), severity))
        })
        .collect()
}

/// Whether a selector names at least one rule; an error message with a suggestion when not.
pub(super) fn check_selector(
    text: &str,
    all: &[Arc<dyn Rule>],
) -> Result<(), (String, Option<String>)> {
    if all.iter().any(|r| {
        let m = r.meta();
        specificity(text, &m.code, &m.name, m.family()).is_some()
    }) {
        return Ok(());
    }
    let candidates = all.iter().flat_map(|r| [&*r.meta().code, &*r.meta().name]);
    Err((
        format!("unknown rule `{text}`"),
        did_you_mean(text, candidates),
    ))
}

/// The rule an `options` key names: a code or name, not a prefix.
pub(super) fn find_rule<'a>(text: &str, all: &'a [Arc<dyn Rule>]) -> Option<&'a Arc<dyn Rule>> {
    all.iter().find(|r| {
        r.meta().code.eq_ignore_ascii_case(text) || r.meta().name.eq_ignore_ascii_case(text)
    })
}

/// Builds a built-in rule with options; the error text when they do not fit.
pub(super) fn build_with(code: &str, options: &Value) -> Option<Result<Arc<dyn Rule>, String>> {
    let Some(entry) = crate::rules::builtin().find(|e| e.meta.code == code) else {
        // A shipped pack rule with options (EN004's `allow`).
        return crate::packs::build_with_options(code, options).map(|r| r.map(Arc::from));
    };
    Some((entry.build)(Some(options)).map(Arc::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes of the rules, for tests.
    fn codes_of(all: &[Arc<dyn Rule>]) -> std::collections::BTreeSet<&str> {
        all.iter().map(|r| &*r.meta().code).collect()
    }

    #[test]
    fn specificity_orders_selectors() {
        assert_eq!(specificity("all", "P004", "step-numbering", "P"), Some(0));
        assert_eq!(specificity("P", "P004", "step-numbering", "P"), Some(1));
        assert_eq!(specificity("P00", "P004", "step-numbering", "P"), Some(3));
        assert_eq!(
            specificity("step-numbering", "P004", "step-numbering", "P"),
            Some(usize::MAX)
        );
        assert_eq!(specificity("E", "EN001", "x", "EN"), None);
        assert_eq!(specificity("P01", "P004", "x", "P"), None);
    }

    #[test]
    fn more_specific_selector_wins_within_a_layer() {
        let all = crate::lint::default_rules();
        let codes = codes_of(&all);
        assert!(codes.contains("M001"));
        let layer = Layer {
            select: Some(vec!["M".into()]),
            ignore: vec!["all".into()],
            severity: vec![
                ("M".into(), Severity::Info),
                ("M001".into(), Severity::Warning),
            ],
            preview: None,
        };
        let on = select(&all, &[layer]);
        let m001 = on.iter().find(|(r, _)| r.meta().code == "M001").unwrap();
        assert_eq!(m001.1, Severity::Warning);
        assert!(on.iter().all(|(r, _)| r.meta().family() == "M"));
        let off = select(
            &all,
            &[Layer {
                select: None,
                ignore: vec!["M001".into()],
                severity: vec![],
                preview: None,
            }],
        );
        assert!(off.iter().all(|(r, _)| r.meta().code != "M001"));
        let stable = all.iter().filter(|r| !r.meta().is_preview()).count();
        assert_eq!(off.len(), stable - 1);
    }
}
