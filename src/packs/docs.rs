//! A pack rule's documentation, with the same headings as a built-in rule's doc comment.

use super::format::{Kind, RawRule};

/// The rule's documentation, with the same headings as a built-in rule's doc comment.
pub(super) fn pack_docs(
    rule: &RawRule,
    lang: &str,
    pack: &str,
    tokens: &[String],
    swaps: &[Vec<String>],
) -> String {
    let mut s = String::from("## What it does\n");
    if let Some(d) = &rule.description {
        s.push_str(d.trim());
        s.push_str("\n\n");
    }
    s.push_str(&format!(
        "Pack `{pack}` (language `{lang}`): kind `{}`, scope `{}`.\n",
        rule.kind.as_str(),
        rule.scope.describe()
    ));
    if let Some(metric) = rule.metric {
        s.push_str(&format!(
            "It measures {} and fires above {}.\n",
            metric.as_str(),
            rule.max.unwrap_or(0)
        ));
    } else if rule.kind == Kind::Occurrence {
        s.push_str(&format!(
            "It fires on more than {} matches in one unit.\n",
            rule.max.unwrap_or(0)
        ));
    }
    if !swaps.is_empty() {
        s.push_str("\n| write | instead of |\n|---|---|\n");
        for (token, replacements) in tokens.iter().zip(swaps) {
            s.push_str(&format!("| {} | {token} |\n", replacements.join(", ")));
        }
    } else if !tokens.is_empty() {
        let listed: Vec<String> = tokens
            .iter()
            .map(|t| format!("`{}`", t.replace('`', "'")))
            .collect();
        s.push_str(&format!(
            "\n{}: {}\n",
            if rule.regex { "Patterns" } else { "Tokens" },
            listed.join(", ")
        ));
    }
    if !rule.skip_after.is_empty() {
        s.push_str(&format!(
            "\nNot reported after these words in the same sentence: {}.\n",
            rule.skip_after.join(", ")
        ));
    }
    if rule.unless_command {
        s.push_str(
            "\nNot reported in a step that gives a command in one of its sentences: the match \
             then describes a result, a condition or what the system does.\n",
        );
    }
    if rule.only_in_command {
        s.push_str("\nReported only in a sentence that gives a command.\n");
    }
    if !rule.command_words.is_empty() {
        s.push_str(&format!(
            "\nWords that give a command: {}.\n",
            rule.command_words.join(", ")
        ));
    }
    if !rule.allow.is_empty() {
        let allowed: Vec<&str> = rule.allow.iter().map(String::as_str).collect();
        s.push_str(&format!(
            "\nAllowed without a definition: {}.\n",
            allowed.join(", ")
        ));
    }
    s.push_str("\n## Why is this bad?\n");
    let why = rule
        .why
        .as_deref()
        .or(rule.help.as_deref())
        .unwrap_or("See the message.");
    s.push_str(why.trim());
    s.push('\n');
    if let Some(m) = &rule.message {
        s.push_str(&format!("\nMessage: \"{}\"\n", m.trim()));
    }
    if let (Some(h), Some(_)) = (&rule.help, &rule.why) {
        s.push_str(&format!("\nHelp: \"{}\"\n", h.trim()));
    }
    for (heading, list) in [
        ("Example", &rule.examples.bad),
        ("Use instead", &rule.examples.good),
    ] {
        s.push_str(&format!("\n## {heading}\n"));
        if list.is_empty() {
            s.push_str("(none given)\n");
        }
        for e in list {
            s.push_str(&format!("- {e}\n"));
        }
    }
    s
}

pub(super) fn first_sentence(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or("").trim();
    line.split_once(". ")
        .map_or(line, |(s, _)| s)
        .trim_end_matches('.')
        .to_string()
}
