//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
//!
//! `tool.driver.rules` describes every rule in force (code, name, summary, full docs, help and
//! a link to docs/rules.md); each result points at its rule by `ruleId` and `ruleIndex`.
//! Columns are Unicode code points (`columnKind: unicodeCodePoints`), as in every sopkit format.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{json, Value};

use super::Run;
use crate::rule::Diagnostic;
use crate::rule::{RuleMeta, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/sopkit/sopkit";
const RULES_DOC: &str = "https://github.com/sopkit/sopkit/blob/main/docs/rules.md";

pub(super) fn write(run: &Run<'_>, out: &mut dyn Write) -> io::Result<()> {
    let log = sarif_log(&run.rules, run);
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The whole SARIF log of a run, describing `rules` (built-in and pack rules alike).
pub(crate) fn sarif_log(rules: &[&RuleMeta], run: &Run<'_>) -> Value {
    let mut descriptors: Vec<Value> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for meta in rules {
        if !index.contains_key(&*meta.code) {
            index.insert(meta.code.to_string(), descriptors.len());
            descriptors.push(rule_descriptor(meta));
        }
    }
    // Findings of rules not in force (a file that could not be read: "IO") still need a
    // descriptor so that every result has a ruleIndex.
    for d in run.diagnostics() {
        if !index.contains_key(&d.code) {
            index.insert(d.code.clone(), descriptors.len());
            descriptors.push(json!({
                "id": d.code,
                "name": d.name,
                "shortDescription": { "text": d.name },
                "defaultConfiguration": { "level": level(d.severity) },
            }));
        }
    }
    let results: Vec<Value> = run
        .diagnostics()
        .map(|d| result(d, index.get(&d.code).copied().unwrap_or(0)))
        .collect();
    let skipped = run.reports.iter().any(|r| r.error.is_some());
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "sopkit",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": descriptors,
                }
            },
            "invocations": [{ "executionSuccessful": !skipped }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn rule_descriptor(meta: &RuleMeta) -> Value {
    let docs = unindent(&meta.docs);
    // The GitHub slug of the rule's heading in docs/rules.md ("## M001 front-matter-invalid").
    let anchor = format!("{}-{}", meta.code.to_ascii_lowercase(), meta.name);
    let mut properties = json!({ "tags": [family_tag(meta)] });
    if let Some(pack) = &meta.pack {
        properties["pack"] = json!(pack);
    }
    let full = if docs.trim().is_empty() {
        meta.summary.to_string()
    } else {
        docs.clone()
    };
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": { "text": meta.summary },
        "fullDescription": { "text": full },
        "help": {
            "text": format!("{}\n\n{}", meta.summary, full),
            "markdown": format!("**{} {}**: {}\n\n{}", meta.code, meta.name, meta.summary, full),
        },
        "helpUri": format!("{RULES_DOC}#{anchor}"),
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": properties,
    })
}

fn result(d: &Diagnostic, rule_index: usize) -> Value {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    json!({
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact_location(&d.path),
                "region": {
                    "startLine": d.line.max(1),
                    "startColumn": d.column.max(1),
                    "endLine": d.end_line.max(d.line).max(1),
                    "endColumn": d.end_column.max(1),
                }
            }
        }],
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The family a rule belongs to, as a SARIF tag ("metadata", "procedure", pack rules by pack).
fn family_tag(meta: &RuleMeta) -> String {
    if let Some(pack) = &meta.pack {
        return format!("pack:{pack}");
    }
    match meta.family() {
        "M" => "metadata",
        "S" => "structure",
        "P" => "procedure",
        "E" => "escalation",
        "C" => "customer",
        "X" => "repository",
        other => other,
    }
    .to_string()
}

/// A relative path stays relative (code scanning resolves it against the checkout, through
/// `%SRCROOT%`); an absolute one becomes a `file://` URI. Both percent-encoded.
fn artifact_location(path: &str) -> Value {
    if let Some(rest) = path.strip_prefix('/') {
        json!({ "uri": format!("file:///{}", encode_path(rest, true)) })
    } else if path.len() > 2 && path.as_bytes()[1] == b':' && path.is_char_boundary(2) {
        // A Windows drive path such as C:/sops/a.md.
        json!({ "uri": format!("file:///{}", encode_path(path, true)) })
    } else {
        json!({ "uri": encode_path(path, false), "uriBaseId": "%SRCROOT%" })
    }
}

/// Percent-encodes what may not appear in a URI path (RFC 3986 `pchar` plus `/`). In a
/// relative reference a `:` before the first `/` would read as a scheme, so it is encoded
/// unless `colon_ok` (after `file:///`).
fn encode_path(path: &str, colon_ok: bool) -> String {
    let mut out = String::with_capacity(path.len());
    let mut colon_ok = colon_ok;
    for b in path.bytes() {
        colon_ok |= b == b'/';
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b'@' => {
                out.push(b as char)
            }
            b':' if colon_ok => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Rule docs are captured from `///` lines, each starting with one space: drop it.
fn unindent(docs: &str) -> String {
    let lines: Vec<&str> = docs
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    lines.join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            artifact_location("sops/my file ü.md"),
            json!({ "uri": "sops/my%20file%20%C3%BC.md", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location("/tmp/a b.md"),
            json!({ "uri": "file:///tmp/a%20b.md" })
        );
        // A colon in the first segment would read as a scheme.
        assert_eq!(encode_path("a:b/c:d", false), "a%3Ab/c:d");
        assert_eq!(
            artifact_location("C:/sops/a.md"),
            json!({ "uri": "file:///C:/sops/a.md" })
        );
    }
}
