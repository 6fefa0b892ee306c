//! The bundled examples: the clean SOPs lint silently, and `examples/flawed/` raises every rule.
//! The examples in the rules' docs: each `## Example` raises its rule, each `## Use instead`
//! does not. And `sopkit explain` explains every rule.

use std::collections::BTreeSet;

use sopkit::lint::{Input, Linter};
use sopkit::rule::RuleMeta;
use sopkit::settings::{parse_iso_date, Settings};

use crate::support::{root, sopkit, TODAY};

fn codes_in(output: &str) -> BTreeSet<String> {
    output
        .lines()
        .filter_map(|l| Some(l.split_once('[')?.1.split_once(']')?.0.to_string()))
        .collect()
}

#[test]
fn clean_examples_lint_silently() {
    let out = sopkit()
        .current_dir(root())
        .args([
            "lint",
            "--format",
            "concise",
            "examples/customer-complaint.md",
            "examples/refund-approval.md",
            "examples/it-incident-escalation.md",
            "examples/lab-sample-handling.md",
            "examples/ms",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn flawed_examples_raise_every_rule() {
    let rules = sopkit()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&rules.stdout).unwrap();
    let all: BTreeSet<String> = rules
        .as_array()
        .unwrap()
        .iter()
        // X004 compares a bundle with the previous one: tests/it/bundle.rs covers it.
        .filter(|r| r["bundle_only"] != true)
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect();
    assert!(all.len() >= 30, "{all:?}");

    let out = sopkit()
        .current_dir(root())
        .args(["lint", "--format", "concise", "examples/"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.lines().all(|l| l.starts_with("examples/flawed/")),
        "a clean example has findings:\n{stdout}"
    );
    let found = codes_in(&stdout);
    let missing: Vec<_> = all.difference(&found).collect();
    assert!(missing.is_empty(), "no example raises {missing:?}");
}

/// `sopkit explain` knows every rule that `sopkit rules` lists, by code and by name, and each
/// explanation has a bad and a good example. In-process: [`sopkit::commands::explanation`] is
/// what the command prints (`explain_runs_from_the_command_line` runs the binary).
#[test]
fn every_listed_rule_is_explained_with_examples() {
    let rules = sopkit::packs::all_metas(&[]);
    assert!(rules.len() >= 40, "{} rules", rules.len());
    for rule in &rules {
        for key in [&*rule.code, &*rule.name, &rule.code.to_lowercase()] {
            let Some(text) = sopkit::commands::explanation(&rules, key) else {
                panic!("explain {key}: unknown rule");
            };
            assert!(
                text.starts_with(&format!("# {} {}\n", rule.code, rule.name)),
                "explain {key}:\n{text}"
            );
            for heading in ["\n## Example\n", "\n## Use instead\n"] {
                assert!(
                    text.contains(heading),
                    "explain {key} lacks {heading:?}:\n{text}"
                );
            }
        }
    }
}

/// The command line lists the rules the library knows and prints their explanation, by code
/// and by name (an unknown rule: `packs::shipped_pack_rules_in_json_listing_and_explain`).
#[test]
fn explain_runs_from_the_command_line() {
    let rules = sopkit::packs::all_metas(&[]);
    let listed = sopkit()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let listed: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    let codes: Vec<&str> = rules.iter().map(|r| &*r.code).collect();
    assert_eq!(listed, codes);
    // X004 is checked by `bundle build`, not `lint`, but explained like every other rule.
    for key in ["X004", "step-length"] {
        let out = sopkit().args(["explain", key]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "explain {key}");
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            sopkit::commands::explanation(&rules, key).unwrap()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The examples in the rules' docs.

/// The front matter each doc example is set in: complete, valid, not due for review on
/// [`TODAY`]. An example's own front matter lines replace these by key.
const FRONT_MATTER: &[&str] = &[
    "id: DOC-001",
    "title: Handle a customer complaint",
    "version: 1.2.0",
    "status: approved",
    "owner: Customer Service Lead",
    "approvers: [Head of Operations]",
    "effective: 2026-01-15",
    "review_by: 2027-01-15",
    "lang: en",
];

/// The section an example without headings goes under (else "Procedure").
const SECTION: &[(&str, &str)] = &[("E", "Escalation"), ("X003", "Roles")];

/// Documents an example refers to without showing them: (code, path, text).
const CONTEXT: &[(&str, &str, &str)] = &[(
    "X002",
    "refund-approval.md",
    "---\nid: DOC-900\n---\n# Approve a refund\n\n## Approval limits\n\nUp to 200 EUR.\n",
)];

/// The first fenced block after `heading`, and its language.
fn block_after<'m>(meta: &'m RuleMeta, heading: &str) -> (&'m str, &'m str) {
    let docs: &'m str = &meta.docs;
    let at = docs
        .find(heading)
        .unwrap_or_else(|| panic!("{} docs lack {heading}", meta.code));
    let rest = &docs[at..];
    let open = rest
        .find("```")
        .unwrap_or_else(|| panic!("{} has no code block under {heading}", meta.code));
    let rest = &rest[open + 3..];
    let (lang, rest) = rest.split_once('\n').unwrap();
    let end = rest
        .find("```")
        .unwrap_or_else(|| panic!("{} has an unclosed block under {heading}", meta.code));
    // Doc comment lines keep the space after `///`.
    (lang.trim(), &rest[..end])
}

/// One document of an example: front matter lines (`key: value`) and the Markdown below it.
#[derive(Default, Clone)]
struct Part {
    front_matter: Vec<String>,
    body: String,
}

/// An example's documents by name: `<!-- name.md -->` lines start another document.
fn parts(lang: &str, block: &str) -> Vec<(String, Part)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in block.lines() {
        let line = line.strip_prefix(' ').unwrap_or(line);
        let name = line
            .strip_prefix("<!-- ")
            .and_then(|l| l.strip_suffix(".md -->"));
        match (name, out.last_mut()) {
            (Some(name), _) => out.push((format!("{name}.md"), Vec::new())),
            (None, Some((_, lines))) => lines.push(line.to_string()),
            (None, None) => out.push(("doc.md".into(), vec![line.to_string()])),
        }
    }
    out.into_iter()
        .map(|(name, lines)| (name, part(lang, &lines)))
        .collect()
}

fn part(lang: &str, lines: &[String]) -> Part {
    let is_field = |l: &String| {
        l.split_once(':').is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        })
    };
    // A YAML block, or Markdown lines that are all fields (`id: CS-001`): front matter only.
    if lang == "yaml" || lines.iter().filter(|l| !l.trim().is_empty()).all(is_field) {
        return Part {
            front_matter: lines.to_vec(),
            body: String::new(),
        };
    }
    if lines.first().is_some_and(|l| l == "---") {
        let end = 1 + lines[1..].iter().position(|l| l == "---").unwrap();
        return Part {
            front_matter: lines[1..end].to_vec(),
            body: lines[end + 1..].join("\n"),
        };
    }
    Part {
        front_matter: Vec::new(),
        body: lines.join("\n"),
    }
}

/// A whole document: the host front matter with the example's fields, the title, and the
/// example's body (under a section heading if it has none; as the whole body if it has an H1).
fn document(code: &str, index: usize, fields: &[String], body: &str) -> String {
    let mut front_matter: Vec<String> = FRONT_MATTER.iter().map(|l| l.to_string()).collect();
    // Documents of one example are different documents.
    front_matter[0] = format!("id: DOC-{:03}", index + 1);
    for field in fields {
        let key = field.split_once(':').map_or(field.as_str(), |(k, _)| k);
        match front_matter
            .iter_mut()
            .find(|l| l.split_once(':').is_some_and(|(k, _)| k == key))
        {
            Some(line) => *line = field.clone(),
            None => front_matter.push(field.clone()),
        }
    }
    let body = if body.lines().any(|l| l.starts_with("# ")) {
        body.to_string()
    } else if body.lines().any(|l| l.starts_with("## ")) {
        format!("# Handle a customer complaint\n\n{body}")
    } else {
        let section = SECTION
            .iter()
            .find(|(prefix, _)| code.starts_with(prefix))
            .map_or("Procedure", |(_, s)| s);
        format!("# Handle a customer complaint\n\n## {section}\n\n{body}")
    };
    format!("---\n{}\n---\n{body}\n", front_matter.join("\n"))
}

/// Lints the documents of an example; the findings of `code`, one line each.
fn findings(code: &str, docs: Vec<(String, String)>) -> Vec<String> {
    let settings = Settings {
        today: parse_iso_date(TODAY).unwrap(),
        ..Settings::default()
    };
    let context = CONTEXT
        .iter()
        .filter(|(c, _, _)| *c == code)
        .map(|(_, path, text)| (path.to_string(), text.to_string()));
    let inputs = docs
        .into_iter()
        .chain(context)
        .map(|(path, text)| Input {
            path,
            bytes: Ok(text.into_bytes()),
        })
        .collect();
    Linter::with_defaults(settings)
        .run(inputs)
        .iter()
        .flat_map(|r| &r.diagnostics)
        .filter(|d| d.code == code)
        .map(|d| format!("{}:{}:{} {}", d.path, d.line, d.column, d.message))
        .collect()
}

/// Every built-in rule's `## Example` raises it and its `## Use instead` does not. An example
/// is a fragment: its front matter fields replace those of a complete front matter, its body
/// goes under the family's section. "Use instead" keeps the example's front matter fields (it
/// shows only what changes).
#[test]
fn doc_examples_raise_their_rule_and_use_instead_does_not() {
    let mut failures = Vec::new();
    let mut families = BTreeSet::new();
    for entry in sopkit::rules::builtin() {
        let meta = entry.meta;
        // X004 compares a bundle with the previous one: tests/it/bundle.rs covers it.
        if meta.bundle_only {
            continue;
        }
        let code = &*meta.code;
        families.insert(meta.family().to_string());
        let (lang, block) = block_after(meta, "## Example");
        let bad = parts(lang, block);
        let (lang, block) = block_after(meta, "## Use instead");
        let good: Vec<(String, Part)> = parts(lang, block)
            .into_iter()
            .map(|(name, mut part)| {
                let earlier = bad
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, p)| p.front_matter.clone())
                    .unwrap_or_default();
                part.front_matter = [earlier, part.front_matter].concat();
                (name, part)
            })
            .collect();
        let docs = |parts: &[(String, Part)]| -> Vec<(String, String)> {
            parts
                .iter()
                .enumerate()
                .map(|(i, (name, p))| (name.clone(), document(code, i, &p.front_matter, &p.body)))
                .collect()
        };
        let (bad, good) = (docs(&bad), docs(&good));
        let show = |docs: &[(String, String)]| {
            docs.iter()
                .map(|(name, text)| format!("<!-- {name} -->\n{text}"))
                .collect::<String>()
        };
        if findings(code, bad.clone()).is_empty() {
            failures.push(format!(
                "{code}: its Example raises no {code}:\n{}",
                show(&bad)
            ));
        }
        let raised = findings(code, good.clone());
        if !raised.is_empty() {
            failures.push(format!(
                "{code}: its Use instead raises {raised:?}:\n{}",
                show(&good)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for family in ["M", "S", "P", "E", "C", "X", "SUP"] {
        assert!(families.contains(family), "no rule of family {family} ran");
    }
}
